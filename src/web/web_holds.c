/* web_holds.c — litigation holds (placed from a search's filters, listed with their counts,
 * released), retention (what is due, disposal with its approval) and verification of the
 * records, for records staff; the coordinator reads the lists.  Every rule — who may, what a
 * hold may cover, whether disposal is on — is ops's; releasing a hold and disposing ask for
 * the password again after REAUTH_AFTER (web_reauth.h). */
#include "web_holds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "ops_audit.h"
#include "ops_foia.h"
#include "ops_retention.h"
#include "web_html.h"
#include "web_reauth.h"
#include "web_records_form.h"

/* What a page says was done (after its POST), or its error, before the rest. */
static void done_or_error(struct web_ctx *c, const char *done, const char *error)
{
	if (done != NULL)
		html(&c->res->body, "<p class=\"done\" role=\"status\">%s</p>", done);
	if (error != NULL)
		html(&c->res->body, "<p class=\"error\" role=\"alert\">%s</p>", error);
}

/* The frame, the heading and its hint (markup of this file's own), then what was done. */
static void page_start(struct web_ctx *c, const char *title, const char *heading,
                       const char *hint, const char *done, const char *error)
{
	web_records_begin(c, title, c->req->path);
	html(&c->res->body, "<h1>%s</h1><p class=\"hint\">%R</p>", heading, hint);
	done_or_error(c, done, error);
}

static int may_change(struct web_ctx *c)
{
	char *error = NULL;
	int ok = ops_foia_may_change(&c->actor, &error) == OPS_OK;
	free(error);
	return ok;
}

/* The form field, or NULL when absent or empty. */
static const char *field(struct web_ctx *c, const char *name)
{
	const char *v = web_form(c->req, name);
	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* ---- holds ---------------------------------------------------------------------------- */

struct holds_ctx {
	struct web_ctx *c;
	int may_change;
	int rows;
};

static int hold_row(const struct hold_row *h, void *p)
{
	struct holds_ctx *hc = p;
	struct buf *b = &hc->c->res->body;
	char when[17];
	time_format_local(h->placed_at, when, sizeof(when));
	html(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td><time>%s</time></td>"
	        "<td>%lld</td><td>%lld</td><td>", h->name, h->reason ? h->reason : "", h->placed_by,
	     when, (long long)h->active, (long long)h->released);
	if (hc->may_change && h->active > 0) {
		html(b, "<form method=\"post\" action=\"/records/holds/release\" class=\"inline\">");
		web_csrf_field(hc->c);
		html(b, "<input type=\"hidden\" name=\"name\" value=\"%s\"><button type=\"submit\" "
		        "aria-label=\"Release the hold %s\">Release</button></form>", h->name, h->name);
	} else {
		html(b, "%s", h->active > 0 ? "active" : "released");
	}
	html(b, "</td></tr>");
	hc->rows++;
	return 0;
}

static void troop_options(struct web_ctx *c)
{
	const struct config *config = c->config;
	struct buf *b = &c->res->body;
	html(b, "<option value=\"\">every troop</option>");
	for (size_t i = 0; i < config->n_mailboxes; i++) {
		char letter[2] = {config->mailboxes[i].troop, '\0'};
		html(b, "<option value=\"%s\">Troop %s (%s)</option>", letter, letter,
		     config->mailboxes[i].name);
	}
}

static void holds_page(struct web_ctx *c, const char *done, const char *error)
{
	struct buf *b = &c->res->body;
	page_start(c, "Holds", "Litigation holds", "A held message is never disposed of under the "
	           "records schedule, whatever its age. <a href=\"/records/retention\">Retention</a> "
	           "· <a href=\"/records/verify\">Verification</a>", done, error);
	struct holds_ctx hc = {c, may_change(c), 0};
	html(b, "<div class=\"table-wrap\"><table class=\"holds\"><caption>Every hold, oldest "
	        "first, with how many messages it holds and has released</caption><thead><tr>"
	        "<th scope=\"col\">Name</th><th scope=\"col\">Reason</th><th scope=\"col\">Placed by"
	        "</th><th scope=\"col\">Placed</th><th scope=\"col\">Held</th><th scope=\"col\">"
	        "Released</th><th scope=\"col\">State</th></tr></thead><tbody>");
	char *list_error = NULL;
	if (ops_holds_list(c->store, &c->actor, hold_row, &hc, &list_error) != OPS_OK)
		html(b, "<tr><td colspan=\"7\" role=\"alert\">%s</td></tr>", list_error);
	else if (hc.rows == 0)
		html(b, "<tr><td colspan=\"7\">No holds.</td></tr>");
	html(b, "</tbody></table></div>");
	free(list_error);
	if (!hc.may_change) {
		html(b, "<p class=\"hint\">Only records staff place and release holds.</p>");
		web_records_end(c);
		return;
	}
	html(b, "<section aria-labelledby=\"new-h\"><h2 id=\"new-h\">Place a hold</h2><p>Every "
	        "message the search finds is held: give at least one filter.</p>"
	        "<form method=\"post\" action=\"/records/holds/add\" class=\"hold-new\">");
	web_csrf_field(c);
	html(b, "<p><label for=\"hold-name\">Name</label><br><input id=\"hold-name\" name=\"name\" "
	        "required maxlength=\"200\"></p>"
	        "<p><label for=\"hold-reason\">Reason</label><br><input id=\"hold-reason\" "
	        "name=\"reason\" required maxlength=\"500\"></p>"
	        "<fieldset><legend>The search</legend>"
	        "<p><label for=\"hold-q\">Words</label><br><input id=\"hold-q\" name=\"q\" "
	        "type=\"search\" maxlength=\"500\"></p>"
	        "<p><label for=\"hold-troop\">Troop</label><br><select id=\"hold-troop\" "
	        "name=\"troop\">");
	troop_options(c);
	html(b, "</select></p>"
	        "<p><label for=\"hold-from\">From (address)</label><br><input id=\"hold-from\" "
	        "name=\"from\" maxlength=\"320\"></p>"
	        "<p><label for=\"hold-since\">Since (first day)</label><br><input id=\"hold-since\" "
	        "name=\"since\" type=\"date\"></p>"
	        "<p><label for=\"hold-until\">Until (last day)</label><br><input id=\"hold-until\" "
	        "name=\"until\" type=\"date\"></p>"
	        "<p><input type=\"checkbox\" id=\"hold-att\" name=\"has_attachment\" value=\"1\"> "
	        "<label for=\"hold-att\">Only messages with an attachment</label></p>"
	        "</fieldset><button type=\"submit\">Place the hold</button></form></section>");
	web_records_end(c);
}

void web_holds_page(struct web_ctx *c, const char *rest)
{
	char *error = NULL;
	if (ops_foia_may_read(&c->actor, &error) != OPS_OK) {
		web_ops_error(c, OPS_REFUSED, error);
		free(error);
		return;
	}
	holds_page(c, NULL, NULL);
}

/* A day of the form (YYYY-MM-DD) as the start of that day, or of the next when whole, in
 * the configured zone: 0 and *t_r, or -1 with *error_r. */
static int form_day(struct web_ctx *c, const char *name, int whole, int64_t *t_r,
                    char **error_r)
{
	const char *v = field(c, name);
	struct cal_date d;
	if (v == NULL)
		return 0;
	if (calendar_parse(v, &d) < 0 || (*t_r = calendar_time_of(whole ? calendar_add_days(d, 1)
	                                                                 : d, 0, 0)) < 0) {
		*error_r = xasprintf("'%s' is not a date (YYYY-MM-DD)", v);
		return -1;
	}
	return 0;
}

static void hold_add(struct web_ctx *c)
{
	char troops[2] = "";
	const char *troop = field(c, "troop");
	if (troop != NULL && strlen(troop) == 1)
		troops[0] = troop[0];
	struct search_filter filter = {
		.query = field(c, "q"),
		.from = field(c, "from"),
		.troops = troops[0] ? troops : NULL,
		.has_attachment = field(c, "has_attachment") != NULL,
	};
	char *error = NULL, *done = NULL;
	size_t placed = 0;
	int rc = OPS_INVALID;
	if (form_day(c, "since", 0, &filter.since, &error) == 0 &&
	    form_day(c, "until", 1, &filter.until, &error) == 0)
		rc = ops_hold_add(c->store, &c->actor, field(c, "name"), field(c, "reason"), &filter, 0,
		                  &placed, &error);
	if (rc == OPS_REFUSED) {
		web_ops_error(c, rc, error);
	} else {
		if (rc == OPS_OK)
			done = xasprintf("Hold “%s” placed on %zu message%s.", field(c, "name"), placed,
			                 placed == 1 ? "" : "s");
		else
			c->res->status = rc == OPS_INVALID ? 400 : 500;
		holds_page(c, done, error);
	}
	free(done);
	free(error);
}

static void hold_release(struct web_ctx *c)
{
	const char *name = field(c, "name");
	char *error = NULL, *done = NULL;
	size_t released = 0;
	int rc = ops_hold_release(c->store, &c->actor, name, &released, &error);
	if (rc == OPS_REFUSED) {
		web_ops_error(c, rc, error);
	} else {
		if (rc == OPS_OK)
			done = xasprintf("Hold “%s” released from %zu message%s.", name ? name : "",
			                 released, released == 1 ? "" : "s");
		else
			c->res->status = rc == OPS_NOT_FOUND ? 404 : rc == OPS_INVALID ? 400 : 500;
		holds_page(c, done, error);
	}
	free(done);
	free(error);
}

/* POST /records/holds/add, /records/holds/release. */
void web_holds_action(struct web_ctx *c, const char *rest)
{
	char *error = NULL;
	int rc = ops_foia_may_change(&c->actor, &error);
	if (rc != OPS_OK) {
		web_ops_error(c, rc, error);
		free(error);
		return;
	}
	if (strcmp(rest, "add") == 0)
		hold_add(c);
	else if (strcmp(rest, "release") == 0 && web_reauth_check(c, "Release the hold"))
		hold_release(c);
	else if (strcmp(rest, "release") != 0)
		web_not_found(c);
}

/* ---- retention ------------------------------------------------------------------------ */

struct due_ctx {
	struct buf *b;
	size_t rows;
};

static int due_row(const struct retention_row *r, void *p)
{
	struct due_ctx *d = p;
	char last[17], due[17];
	time_format_local(r->last_activity, last, sizeof(last));
	time_format_local(r->due, due, sizeof(due));
	html(d->b, "<tr><th scope=\"row\"><a href=\"/t/%U\">%s</a></th><td>%s</td><td>%s</td>"
	           "<td><time>%s</time></td><td><time>%s</time></td></tr>", r->ref, r->ref,
	     r->mailbox, r->series, last, due);
	d->rows++;
	return 0;
}

static void retention_page(struct web_ctx *c, const char *done, const char *error)
{
	struct buf *b = &c->res->body;
	page_start(c, "Retention", "Retention", "Threads past their records series' retention that "
	           "nothing holds (no open request, no active hold). <a href=\"/records/holds\">Holds"
	           "</a> · <a href=\"/records/verify\">Verification</a>", done, error);
	struct due_ctx d = {b, 0};
	size_t count = 0;
	char *list_error = NULL;
	html(b, "<div class=\"table-wrap\"><table class=\"retention\"><caption>Due for disposal "
	        "now</caption><thead><tr><th scope=\"col\">Thread</th><th scope=\"col\">Mailbox</th>"
	        "<th scope=\"col\">Series</th><th scope=\"col\">Last activity</th>"
	        "<th scope=\"col\">Retention ended</th></tr></thead><tbody>");
	int rc = ops_retention_due(c->store, &c->actor, c->req->now, due_row, &d, &count,
	                           &list_error);
	if (rc != OPS_OK)
		html(b, "<tr><td colspan=\"5\" role=\"alert\">%s</td></tr>", list_error);
	else if (d.rows == 0)
		html(b, "<tr><td colspan=\"5\">Nothing is due.</td></tr>");
	html(b, "</tbody></table></div>");
	free(list_error);
	if (rc == OPS_OK && count > 0 && may_change(c)) {
		html(b, "<section aria-labelledby=\"dispose-h\"><h2 id=\"dispose-h\">Dispose</h2>"
		        "<p>Deletes the messages of the threads listed, keeping a tombstone of each "
		        "(its hash, dates and custodians) with the approval that authorised it.%s</p>"
		        "<form method=\"post\" action=\"/records/retention/dispose\" "
		        "class=\"dispose\">",
		     c->config->allow_disposal ? ""
		     : " Disposal is off in the configuration (allow_disposal): it will be refused.");
		web_csrf_field(c);
		html(b, "<p><label for=\"approval\">Approval (the disposal authorization)</label><br>"
		        "<input id=\"approval\" name=\"approval\" required maxlength=\"200\"></p>"
		        "<button type=\"submit\">Dispose of %zu thread%s</button></form></section>",
		     count, count == 1 ? "" : "s");
	}
	web_records_end(c);
}

void web_retention_page(struct web_ctx *c, const char *rest)
{
	retention_page(c, NULL, NULL);
}

/* POST /records/retention/dispose. */
void web_retention_action(struct web_ctx *c, const char *rest)
{
	char *error = NULL;
	int rc = strcmp(rest, "dispose") == 0 ? ops_foia_may_change(&c->actor, &error)
	                                      : OPS_NOT_FOUND;
	if (rc != OPS_OK) {
		web_ops_error(c, rc, error);
		free(error);
		return;
	}
	if (!web_reauth_check(c, "Dispose of records"))
		return;
	int64_t threads = 0, messages = 0;
	rc = ops_retention_dispose(c->store, &c->actor, field(c, "approval"), c->req->now, &threads,
	                           &messages, &error);
	char *done = NULL;
	if (rc == OPS_OK)
		done = xasprintf("Disposed of %lld message%s of %lld thread%s under approval %s.",
		                 (long long)messages, messages == 1 ? "" : "s", (long long)threads,
		                 threads == 1 ? "" : "s", field(c, "approval"));
	else
		c->res->status = rc == OPS_REFUSED ? 403 : rc == OPS_INVALID ? 400 : 500;
	retention_page(c, done, error);
	free(done);
	free(error);
}

/* ---- verification --------------------------------------------------------------------- */

static void verify_form(struct web_ctx *c)
{
	html(&c->res->body, "<form method=\"post\" action=\"/records/verify/run\" class=\"verify\">");
	web_csrf_field(c);
	html(&c->res->body, "<button type=\"submit\">Verify now</button></form>");
}

void web_verify_page(struct web_ctx *c, const char *rest)
{
	char *error = NULL;
	if (ops_may_audit(&c->actor, &error) != OPS_OK) {
		web_ops_error(c, OPS_REFUSED, error);
		free(error);
		return;
	}
	struct buf *b = &c->res->body;
	web_records_begin(c, "Verification", c->req->path);
	html(b, "<h1>Verification</h1><p>Re-hashes every stored message against the SHA-256 "
	        "recorded when it arrived, walks the audit trail's hash chain and checks the search "
	        "index. On a large store it takes a while; the run is itself recorded.</p>");
	verify_form(c);
	web_records_end(c);
}

struct mismatch_ctx {
	struct buf *b;
	int64_t shown;
};

/* Mismatches past this many are counted, not listed. */
#define MISMATCHES_SHOWN 200

static void mismatch_row(const char *sha256, const char *message_id, const char *actual,
                         void *p)
{
	struct mismatch_ctx *m = p;
	if (m->shown++ >= MISMATCHES_SHOWN)
		return;
	html(m->b, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>", sha256,
	     message_id ? message_id : "", actual ? actual : "");
}

/* POST /records/verify/run: the result, every mismatch listed. */
void web_verify_action(struct web_ctx *c, const char *rest)
{
	if (strcmp(rest, "run") != 0) {
		web_not_found(c);
		return;
	}
	struct buf mismatches;
	buf_init(&mismatches, WEB_RESPONSE_MAX / 2);
	struct mismatch_ctx m = {&mismatches, 0};
	struct verify_result r = {0};
	char *error = NULL;
	int rc = ops_verify(c->store, &c->actor, mismatch_row, &m, &r, &error);
	if (rc != OPS_OK) {
		web_ops_error(c, rc, error);
		free(error);
		buf_free(&mismatches);
		return;
	}
	int whole = r.mismatches == 0 && r.audit_broken == 0 && r.index_problem == NULL;
	struct buf *b = &c->res->body;
	web_records_begin(c, "Verification", c->req->path);
	html(b, "<h1>Verification</h1><div class=\"verify-result %s\" role=\"status\"><p><strong>"
	        "%s</strong></p><dl class=\"facts\"><dt>Messages re-hashed</dt><dd>%lld</dd>"
	        "<dt>Mismatches</dt><dd>%lld</dd><dt>Disposed of (tombstones)</dt><dd>%lld</dd>"
	        "<dt>Audit entries checked</dt><dd>%lld</dd><dt>Audit chain</dt><dd>%s</dd>"
	        "<dt>Search index</dt><dd>%s</dd></dl></div>",
	     whole ? "ok" : "broken",
	     whole ? "The records verify: every message hashes to its recorded SHA-256 and the "
	             "audit chain holds."
	           : "The records do not verify: see below.",
	     (long long)r.messages, (long long)r.mismatches, (long long)r.tombstones,
	     (long long)r.audit_entries,
	     r.audit_broken == 0 ? "holds" : r.audit_problem ? r.audit_problem : "broken",
	     r.index_problem ? r.index_problem : "holds exactly the messages' words");
	if (r.mismatches > 0) {
		buf_add(&mismatches, "", 1);
		html(b, "<div class=\"table-wrap\"><table class=\"mismatches\"><caption>Messages that "
		        "do not verify%s</caption><thead><tr><th scope=\"col\">Recorded SHA-256</th>"
		        "<th scope=\"col\">Message-ID</th><th scope=\"col\">Found</th></tr></thead>"
		        "<tbody>%R</tbody></table></div>",
		     r.mismatches > MISMATCHES_SHOWN ? " (the first 200)" : "", mismatches.data);
	}
	verify_form(c);
	web_records_end(c);
	buf_free(&mismatches);
	free(r.audit_problem);
	free(r.index_problem);
}
