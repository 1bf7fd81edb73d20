/* web_audit.c — the audit trail: who did and read what, filtered by user, thread, operation
 * and dates (days of the configured zone), newest first, paged by the last entry shown; and
 * "Verify the chain" (POST /audit/verify), which walks every entry's hash and link.  Who may
 * read it is ops_audit.c's. */
#include "web_audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "ops_audit.h"
#include "web_html.h"

#define PAGE_SIZE 100

/* The filters as the URL gives them (every value may be NULL or empty). */
struct filters {
	const char *user, *ref, *action, *from, *to;
};

struct rows_ctx {
	struct buf *b;
	int n;
	int64_t last_id;
};

static const char *value(struct web_ctx *c, const char *name)
{
	const char *v = web_query(c->req, name);
	return v && v[0] ? v : NULL;
}

/* The start of day text (YYYY-MM-DD) in the configured zone, a day later when end; 0 with
 * *bad_r set when text is not a date, 0 when there is none. */
static int64_t day_start(const char *text, int end, int *bad_r)
{
	struct cal_date d;
	if (text == NULL)
		return 0;
	if (calendar_parse(text, &d) < 0) {
		*bad_r = 1;
		return 0;
	}
	int64_t t = calendar_time_of(end ? calendar_add_days(d, 1) : d, 0, 0);
	if (t < 0)
		*bad_r = 1;
	return t < 0 ? 0 : t;
}

static int entry_row(const struct audit_row *r, void *p)
{
	struct rows_ctx *rc = p;
	char at[17];
	time_format_local(r->at, at, sizeof(at));
	html(rc->b, "<tr data-id=\"%lld\" data-user=\"%s\"><td>%lld</td><td class=\"at\">%s</td>"
	            "<td class=\"user\">%s</td><td class=\"action\">%s</td><td class=\"object\">%s"
	            "</td><td class=\"details\">%s</td></tr>",
	     (long long)r->id, r->user, (long long)r->id, at, r->user, r->action,
	     r->object ? r->object : "", r->details ? r->details : "");
	rc->n++;
	rc->last_id = r->id;
	return 0;
}

static void filter_form(struct web_ctx *c, const struct filters *f, const struct strlist *actions)
{
	struct buf *b = &c->res->body;
	html(b, "<form class=\"audit-filters\" method=\"get\" action=\"/audit\">"
	        "<label>User <input name=\"user\" list=\"audit-users\" size=\"12\" value=\"%s\">"
	        "</label><datalist id=\"audit-users\">", f->user);
	for (size_t i = 0; i < c->config->n_users; i++)
		html(b, "<option value=\"%s\">", c->config->users[i].name);
	html(b, "</datalist><label>Thread <input name=\"ref\" size=\"14\" value=\"%s\" "
	        "placeholder=\"K-2026-00001\"></label><label>Operation <select name=\"action\">"
	        "<option value=\"\">any</option>", f->ref);
	for (size_t i = 0; i < actions->count; i++)
		html(b, "<option%R>%s</option>",
		     f->action && strcmp(f->action, actions->items[i]) == 0 ? " selected" : "",
		     actions->items[i]);
	html(b, "</select></label><label>From <input type=\"date\" name=\"from\" value=\"%s\">"
	        "</label><label>To <input type=\"date\" name=\"to\" value=\"%s\"></label>"
	        "<button type=\"submit\">Filter</button> <a href=\"/audit\">Clear</a></form>",
	     f->from, f->to);
}

/* The verification's result, when the page answers the Verify button. */
static void verify_result(struct web_ctx *c)
{
	struct buf *b = &c->res->body;
	struct audit_check check = {0};
	char *error = NULL;
	int orc = ops_audit_verify(c->store, &c->actor, &check, &error);
	if (orc != OPS_OK)
		html(b, "<div class=\"verify-result broken\" role=\"alert\"><p>The chain could not be "
		        "verified: %s</p></div>", error);
	else if (check.broken_id != 0)
		html(b, "<div class=\"verify-result broken\" role=\"alert\" data-intact=\"0\"><p><strong>"
		        "The audit trail is broken</strong> at entry %lld (after %lld entries): %s</p>"
		        "</div>", (long long)check.broken_id, (long long)check.entries,
		     check.problem ? check.problem : "");
	else
		html(b, "<div class=\"verify-result\" role=\"status\" data-intact=\"1\"><p><strong>The "
		        "audit trail is intact</strong>: %lld entries, every link and hash verified."
		        "</p></div>", (long long)check.entries);
	free(check.problem);
	free(error);
}

static void audit_page(struct web_ctx *c, int verify)
{
	struct strlist actions = {0};
	char *error = NULL;
	int orc = ops_audit_actions(c->store, &c->actor, &actions, &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	struct filters f = {value(c, "user"), value(c, "ref"), value(c, "action"), value(c, "from"),
	                    value(c, "to")};
	int bad_from = 0, bad_to = 0;
	struct audit_query q = {
		.user = f.user, .ref = f.ref, .action = f.action,
		.from = day_start(f.from, 0, &bad_from),
		.until = day_start(f.to, 1, &bad_to),
		.limit = PAGE_SIZE,
	};
	const char *before = value(c, "before");
	if (before != NULL && sscanf(before, "%" SCNd64, &q.before_id) != 1)
		q.before_id = 0;
	web_page_begin(c, "Audit", "audit");
	struct buf *b = &c->res->body;
	html(b, "<h1>Audit trail</h1>");
	if (verify)
		verify_result(c);
	html(b, "<form method=\"post\" action=\"/audit/verify\" class=\"inline\">");
	web_csrf_field(c);
	html(b, "<button type=\"submit\">Verify the chain</button></form> <span class=\"hint\">"
	        "Checks every entry's hash and its link to the one before: any entry altered, "
	        "removed or reordered shows.</span>");
	html(b, "<h2>Entries, newest first</h2>");
	filter_form(c, &f, &actions);
	strlist_free(&actions);
	if (bad_from || bad_to)
		html(b, "<p role=\"alert\">%R is not a date (YYYY-MM-DD): that filter is left out.</p>",
		     bad_from ? "From" : "To");
	struct buf rows;
	buf_init(&rows, WEB_RESPONSE_MAX);
	struct rows_ctx rc = {&rows, 0, 0};
	orc = ops_audit_search(c->store, &c->actor, &q, entry_row, &rc, &error);
	if (orc != OPS_OK) {
		html(b, "<p role=\"alert\">%s</p>", error);
		free(error);
	} else if (rc.n == 0) {
		html(b, "<p class=\"empty\">No entries%R.</p>",
		     f.user || f.ref || f.action || f.from || f.to ? " match these filters" : "");
	} else {
		buf_add(&rows, "", 1);
		html(b, "<div class=\"scroll\" role=\"region\" aria-label=\"Audit entries\" "
		        "tabindex=\"0\"><table class=\"audit\"><caption class=\"visually-hidden\">Audit "
		        "entries, newest first</caption><thead><tr><th scope=\"col\">No.</th>"
		        "<th scope=\"col\">When</th><th scope=\"col\">User</th><th scope=\"col\">"
		        "Operation</th><th scope=\"col\">Object</th><th scope=\"col\">Details</th></tr>"
		        "</thead><tbody>%R</tbody></table></div>", rows.data);
	}
	buf_free(&rows);
	if (rc.n == PAGE_SIZE)
		html(b, "<p class=\"pager\"><a rel=\"next\" href=\"/audit?user=%U&amp;ref=%U&amp;"
		        "action=%U&amp;from=%U&amp;to=%U&amp;before=%lld\">Older entries</a></p>",
		     f.user, f.ref, f.action, f.from, f.to, (long long)rc.last_id);
	web_page_end(c);
}

void web_audit_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	audit_page(c, 0);
}

/* POST /audit/verify: the page again, with the chain's verification at the top. */
void web_audit_action(struct web_ctx *c, const char *rest)
{
	if (strcmp(rest, "verify") != 0) {
		web_not_found(c);
		return;
	}
	audit_page(c, 1);
}
