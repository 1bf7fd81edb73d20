/* web_review.c — the review desk (see web_review.h).
 *
 * The preview is an HTML rendering of what ops_foia_preview hands back: the fields and text
 * the production draws, put through the production's own redactor (redact.c) with the
 * redactions in force, each label where the words were — the same words the PDF burns in as
 * black boxes, in the same place of the text.  Not the PDF page as an image: that would need
 * the page drawn a second time by cairo for each look (pdf.c writes PDF only), and what the
 * reviewer checks is which words are gone, which this shows from the same code; the page
 * layout (wrapping, Bates stamp) is the production's alone. */
#include "web_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_foia.h"
#include "ops_foia_exemptions.h"
#include "web_html.h"
#include "web_notice.h"
#include "web_records_form.h"

struct decision {
	char *sha256, *type, *kind, *value, *preset, *exemption, *reason, *decided_by, *revoked_by;
	int64_t id, passages, decided_at, revoked_at;
};

struct desk_ctx {
	char *ref, *status;
	char **set;                  /* the set's SHA-256s, in order */
	size_t n_set;
	struct decision *d;
	size_t n_d;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int request_seen(const struct foia_row *r, void *p)
{
	struct desk_ctx *k = p;
	k->ref = xstrdup(r->ref);
	k->status = xstrdup(r->status);
	return 0;
}

static int item_seen(const struct foia_item_row *r, void *p)
{
	struct desk_ctx *k = p;
	k->set = xrealloc(k->set, (k->n_set + 1) * sizeof(*k->set));
	k->set[k->n_set++] = xstrdup(r->sha256);
	return 0;
}

static int decision_seen(const struct decision_row *r, void *p)
{
	struct desk_ctx *k = p;
	k->d = xrealloc(k->d, (k->n_d + 1) * sizeof(*k->d));
	k->d[k->n_d++] = (struct decision){
		dup_or_null(r->sha256), xstrdup(r->type), dup_or_null(r->kind), dup_or_null(r->value),
		dup_or_null(r->preset), dup_or_null(r->exemption), dup_or_null(r->reason),
		dup_or_null(r->decided_by), dup_or_null(r->revoked_by), r->id, r->passages,
		r->decided_at, r->revoked_at,
	};
	return 0;
}

static void desk_free(struct desk_ctx *k)
{
	for (size_t i = 0; i < k->n_set; i++)
		free(k->set[i]);
	free(k->set);
	for (size_t i = 0; i < k->n_d; i++) {
		struct decision *d = &k->d[i];
		free(d->sha256), free(d->type), free(d->kind), free(d->value), free(d->preset), free(d->exemption);
		free(d->reason), free(d->decided_by), free(d->revoked_by);
	}
	free(k->d);
	free(k->ref);
	free(k->status);
}

/* Pieces of redacted text: words escaped, labels as the black boxes the PDF draws. */
static void pieces_html(struct buf *b, const struct redacted *r)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->pieces[i].is_label)
			html(b, "<span class=\"redacted\">%s</span>", r->pieces[i].text);
		else
			html(b, "%s", r->pieces[i].text);
	}
}

static void preview_html(struct buf *b, const struct foia_preview *p)
{
	static const char *const labels[FOIA_FIELDS] = {"Subject", "From", "To", "Message-ID",
	                                                "Mailbox"};
	html(b, "<section class=\"preview\" aria-labelledby=\"preview-h\"><h2 id=\"preview-h\">As "
	        "it will be produced</h2>");
	if (p->withheld != NULL) {
		const char *name = ops_foia_exemption_name(p->withheld);
		html(b, "<p class=\"withheld-note\"><strong>Withheld in full</strong> under %s%R%s: "
		        "none of its pages is produced; the withholding log lists it.</p></section>",
		     p->withheld, name ? " — " : "", name);
		return;
	}
	html(b, "<div class=\"page\" id=\"produced\"><dl class=\"facts\">");
	for (int i = 0; i < FOIA_FIELDS; i++) {
		html(b, "<dt>%s</dt><dd>", labels[i]);
		pieces_html(b, &p->fields[i]);
		html(b, "</dd>");
	}
	html(b, "<dt>Produced as</dt><dd>%R</dd>",
	     p->redactions ? "this redacted copy only; the original is not produced"
	                   : "these pages and the original message");
	if (p->n_attachments > 0) {
		html(b, "<dt>Attachments</dt><dd><ul class=\"attachments\">");
		for (size_t i = 0; i < p->n_attachments; i++) {
			html(b, "<li>");
			pieces_html(b, &p->attachments[i].name);
			html(b, " (%s, %lld bytes)</li>", p->attachments[i].content_type,
			     (long long)p->attachments[i].size);
		}
		html(b, "</ul>each on a slip sheet%R</dd>",
		     p->redactions ? "; not produced natively, as its message is redacted" : "");
	}
	html(b, "</dl><pre class=\"produced-text\">");
	pieces_html(b, &p->text);
	html(b, "</pre></div><p class=\"note\">%zu redaction%R in force%R</p></section>",
	     p->redactions, p->redactions == 1 ? "" : "s",
	     p->redactions ? "; the PDF burns in each label as a black box." : ".");
}

static void decision_what(struct buf *b, const char *type, const struct decision *d)
{
	if (strcmp(type, "withholding") == 0)
		html(b, "Withheld in full");
	else if (d->preset != NULL)
		html(b, "Redaction %lld: every %s", (long long)d->id, d->preset);
	else if (d->kind != NULL && strcmp(d->kind, "pattern") == 0)
		html(b, "Redaction %lld: pattern <code>%s</code>", (long long)d->id, d->value);
	else
		html(b, "Redaction %lld: “%s”", (long long)d->id, d->value);
	if (strcmp(type, "withholding") != 0 && d->passages >= 0)
		html(b, " (%lld passage%R)", (long long)d->passages, d->passages == 1 ? "" : "s");
}

static void revoke_form(struct web_ctx *c, const char *base, const char *type,
                        const struct decision *d)
{
	struct buf *b = &c->res->body;
	int withholding = strcmp(type, "withholding") == 0;
	html(b, "<form method=\"post\" action=\"%R/%R\">", base,
	     withholding ? "unwithhold" : "unredact");
	web_csrf_field(c);
	if (!withholding)
		html(b, "<input type=\"hidden\" name=\"number\" value=\"%lld\">", (long long)d->id);
	if (withholding)
		html(b, "<button type=\"submit\" class=\"secondary\" aria-label=\"Revoke the "
		        "withholding\">Revoke</button></form>");
	else
		html(b, "<button type=\"submit\" class=\"secondary\" aria-label=\"Revoke redaction "
		        "%lld\">Revoke</button></form>", (long long)d->id);
}

static void decisions_html(struct web_ctx *c, const struct desk_ctx *k, const char *sha,
                           const char *base, int may)
{
	struct buf *b = &c->res->body;
	html(b, "<section aria-labelledby=\"decisions-h\"><h2 id=\"decisions-h\">Decisions on this "
	        "message</h2>");
	size_t n = 0;
	for (size_t i = 0; i < k->n_d; i++) {
		const struct decision *d = &k->d[i];
		if (d->sha256 == NULL || strcmp(d->sha256, sha) != 0)
			continue;
		const char *type = d->type;
		if (n++ == 0)
			html(b, "<div class=\"table-wrap\"><table class=\"decisions\"><caption "
			        "class=\"visually-hidden\">Decisions, in the order taken</caption><thead>"
			        "<tr><th scope=\"col\">Decision</th><th scope=\"col\">Exemption</th>"
			        "<th scope=\"col\">Reason</th><th scope=\"col\">By</th><th scope=\"col\">"
			        "When</th><th scope=\"col\">State</th></tr></thead><tbody>");
		char when[17], revoked[17];
		time_format_local(d->decided_at, when, sizeof(when));
		html(b, "<tr class=\"%R\"><td>", d->revoked_at ? "revoked" : "in-force");
		decision_what(b, type, d);
		const char *name = ops_foia_exemption_name(d->exemption);
		html(b, "</td><td>%s%R%s</td><td>%s</td><td>%s</td><td>%s</td><td>", d->exemption,
		     name ? " — " : "", name, d->reason ? d->reason : "", d->decided_by, when);
		if (d->revoked_at) {
			time_format_local(d->revoked_at, revoked, sizeof(revoked));
			html(b, "<span class=\"state revoked\">Revoked by %s, %s</span>", d->revoked_by,
			     revoked);
		} else {
			html(b, "<span class=\"state\">In force</span>");
			if (may)
				revoke_form(c, base, type, d);
		}
		html(b, "</td></tr>");
	}
	if (n == 0)
		html(b, "<p class=\"empty\">No decision yet: it is produced whole.</p>");
	else
		html(b, "</tbody></table></div>");
	html(b, "</section>");
}

static void reason_field(struct buf *b, const char *id)
{
	html(b, "<label for=\"%s\">Reason</label><input id=\"%s\" name=\"reason\" "
	        "maxlength=\"500\">", id, id);
}

static void decision_forms(struct web_ctx *c, const char *base, int withheld)
{
	struct buf *b = &c->res->body;
	html(b, "<section class=\"decide\" aria-labelledby=\"decide-h\"><h2 id=\"decide-h\">"
	        "Decide</h2><div class=\"forms\">");
	/* by selection: records.js fills the text from what is selected in the message */
	html(b, "<form method=\"post\" action=\"%R/redact\" id=\"redact-selection\" "
	        "class=\"decision\"><h3>Redact the selected text</h3>", base);
	web_csrf_field(c);
	html(b, "<input type=\"hidden\" name=\"mode\" value=\"text\"><label for=\"redact-text\">"
	        "Text to hide (select it in the message, or type it exactly)</label><textarea "
	        "id=\"redact-text\" name=\"text\" rows=\"2\" required></textarea><p "
	        "id=\"selection-status\" class=\"help\" aria-live=\"polite\"></p>");
	web_records_exemption_select(c, "redact-exemption");
	reason_field(b, "redact-reason");
	html(b, "<button type=\"submit\">Redact this text</button></form>");
	html(b, "<form method=\"post\" action=\"%R/redact\" class=\"decision\"><h3>Redact by a "
	        "preset or a pattern</h3>", base);
	web_csrf_field(c);
	html(b, "<label for=\"redact-preset\">What to hide</label><select id=\"redact-preset\" "
	        "name=\"preset\"><option value=\"phone\">every telephone number</option>"
	        "<option value=\"address\">every street address</option><option value=\"email\">"
	        "every e-mail address</option><option value=\"\">the pattern below</option>"
	        "</select><label for=\"redact-pattern\">Pattern (PCRE2), when chosen above</label>"
	        "<input id=\"redact-pattern\" name=\"pattern\" class=\"mono\">"
	        "<input type=\"hidden\" name=\"mode\" value=\"preset\">");
	web_records_exemption_select(c, "preset-exemption");
	reason_field(b, "preset-reason");
	html(b, "<button type=\"submit\">Redact</button></form>");
	if (!withheld) {
		html(b, "<form method=\"post\" action=\"%R/withhold\" class=\"decision\" "
		        "id=\"withhold\"><h3>Withhold the whole message</h3>", base);
		web_csrf_field(c);
		web_records_exemption_select(c, "withhold-exemption");
		html(b, "<label for=\"withhold-reason\">Reason</label><input id=\"withhold-reason\" "
		        "name=\"reason\" required maxlength=\"500\"><button type=\"submit\">Withhold"
		        "</button></form>");
	}
	html(b, "</div></section>");
}

/* What the last redaction found, carried over the redirect in the session's notices:
 * passages, and the suggestions (addresses seen with the text, names written another way). */
static void redact_result(struct web_ctx *c)
{
	struct buf *b = &c->res->body;
	char *passages = web_notice_take(c, "redact-passages");
	char *lists_text[2] = {web_notice_take(c, "redact-addr"),
	                       web_notice_take(c, "redact-forms")};
	if (passages == NULL) {
		free(lists_text[0]);
		free(lists_text[1]);
		return;
	}
	html(b, "<div class=\"done\" role=\"status\"><p>Redaction recorded: %s passage%R hidden "
	        "in this message.</p>", passages, strcmp(passages, "1") == 0 ? "" : "s");
	free(passages);
	static const char *const labels[2] = {
		"Addresses seen with it in the request's messages (redact them too if they identify "
		"the person):",
		"The same name written another way, which this redaction does not hide:"};
	for (size_t i = 0; i < 2; i++) {
		const char *v = lists_text[i];
		if (v == NULL || v[0] == '\0')
			continue;
		html(b, "<p>%s</p><ul class=\"suggestions\">", labels[i]);
		for (const char *s = v; *s;) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			html(b, "<li>");
			html_text(b, s, n);
			html(b, "</li>");
			s += n + (nl != NULL);
		}
		html(b, "</ul>");
	}
	html(b, "</div>");
	free(lists_text[0]);
	free(lists_text[1]);
}

static void neighbours(struct buf *b, const struct desk_ctx *k, const char *sha)
{
	size_t at = 0;
	while (at < k->n_set && strcmp(k->set[at], sha) != 0)
		at++;
	html(b, "<nav class=\"neighbours\" aria-label=\"Messages of the set\"><a "
	        "href=\"/records/foia/%U\">Back to %s</a> <span>Message %zu of %zu</span> ",
	     k->ref, k->ref, at + 1, k->n_set);
	if (at > 0 && at < k->n_set)
		html(b, "<a rel=\"prev\" href=\"/records/foia/%U/m/%U\">Previous message</a> ", k->ref,
		     k->set[at - 1]);
	if (at + 1 < k->n_set)
		html(b, "<a rel=\"next\" href=\"/records/foia/%U/m/%U\">Next message</a>", k->ref,
		     k->set[at + 1]);
	html(b, "</nav>");
}

void web_review_page(struct web_ctx *c, const char *ref, const char *message)
{
	struct desk_ctx k = {0};
	struct foia_preview p;
	char *error = NULL;
	int orc = ops_foia_show(c->store, &c->actor, ref, request_seen, item_seen, decision_seen,
	                        &k, &error);
	if (orc == OPS_OK)
		orc = ops_foia_preview(c->store, &c->actor, ref, message, &p, &error);
	if (orc != OPS_OK) {
		web_records_failed(c, orc == OPS_INVALID ? OPS_NOT_FOUND : orc, error);
		desk_free(&k);
		return;
	}
	int may = strcmp(k.status, "open") == 0 && web_records_may_change(c);
	char *enc_ref = web_url_encode(k.ref);
	char *base = xasprintf("/records/foia/%s/m/%s", enc_ref, p.sha256);
	char title[128];
	snprintf(title, sizeof(title), "%.12s of %s — review", p.sha256, k.ref);
	web_records_begin(c, title, NULL);
	struct buf *b = &c->res->body;
	char *whole = redacted_join(&p.fields[FOIA_FIELD_SUBJECT]);
	char *subject = html_cut(whole, 300);
	free(whole);
	neighbours(b, &k, p.sha256);
	html(b, "<h1><span class=\"sub\">Review: %s</span> %s</h1>", k.ref, subject);
	static const char *const done[] = {
		"withheld", "The message is withheld.", "unwithheld", "The withholding is revoked.",
		"unredacted", "The redaction is revoked.", NULL};
	web_records_done(c, done);
	redact_result(c);
	char when[17];
	time_format_local(p.date, when, sizeof(when));
	html(b, "<p class=\"meta\">SHA-256 <code>%s</code> · %s</p>", p.sha256, when);
	html(b, "<div class=\"desk\"><section class=\"original\" aria-labelledby=\"text-h\"><h2 "
	        "id=\"text-h\">The message's text</h2>%R<pre id=\"message-text\" "
	        "class=\"message-text\">%s</pre></section>",
	     may ? "<p class=\"help\" id=\"text-help\">Select words here to redact them: the "
	           "form below takes the selection exactly.</p>" : "",
	     p.original ? p.original : "(its bytes were disposed of)");
	preview_html(b, &p);
	html(b, "</div>");
	if (may)
		decision_forms(c, base, p.withheld != NULL);
	decisions_html(c, &k, p.sha256, base, may);
	web_records_end(c);
	free(subject);
	free(base);
	free(enc_ref);
	ops_foia_preview_clear(&p);
	desk_free(&k);
}

/* ---- the decisions ---- */

static void back_to_desk(struct web_ctx *c, const char *ref, const char *message,
                         const char *query)
{
	char *r = web_url_encode(ref), *m = web_url_encode(message);
	char *to = xasprintf("/records/foia/%s/m/%s?%s", r, m, query);
	web_redirect(c->res, to);
	free(to);
	free(r);
	free(m);
}

static const char *optional(struct web_ctx *c, const char *name)
{
	const char *v = web_form(c->req, name);
	return v && v[0] ? v : NULL;
}

static char *joined(const struct strlist *l)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (size_t i = 0; i < l->count; i++)
		buf_addf(&b, "%s%s", i ? "\n" : "", l->items[i]);
	return buf_steal(&b, NULL);
}

static int redact(struct web_ctx *c, const char *ref, const char *message, char **query_r,
                  char **error_r)
{
	struct foia_redaction want = {.exemption = web_records_field(c, "exemption"),
	                              .reason = optional(c, "reason")};
	const char *mode = web_records_field(c, "mode");
	if (strcmp(mode, "text") == 0)
		want.text = web_records_field(c, "text");
	else if (optional(c, "preset") != NULL)
		want.preset = optional(c, "preset");
	else
		want.pattern = optional(c, "pattern"); /* none at all: ops says what to give */
	struct foia_redacted done;
	int orc = ops_foia_redact(c->store, &c->actor, ref, message, &want, &done, error_r);
	if (orc != OPS_OK)
		return orc;
	/* what it found goes to the page in the session's notices, not in the URL */
	char *addr = joined(&done.addresses), *forms = joined(&done.forms);
	char passages[24];
	snprintf(passages, sizeof(passages), "%zu", done.passages);
	web_notice_set(c, "redact-passages", passages);
	web_notice_set(c, "redact-addr", addr);
	web_notice_set(c, "redact-forms", forms);
	*query_r = xstrdup("done=redacted");
	free(addr), free(forms);
	ops_foia_redacted_clear(&done);
	return OPS_OK;
}

void web_review_action(struct web_ctx *c, const char *ref, const char *message,
                       const char *action)
{
	char *error = NULL, *done = NULL, *query = NULL;
	int orc;
	if (strcmp(action, "withhold") == 0) {
		orc = ops_foia_withhold(c->store, &c->actor, ref, message,
		                        web_records_field(c, "exemption"), web_records_field(c, "reason"),
		                        &done, &error);
		query = xstrdup("done=withheld");
	} else if (strcmp(action, "unwithhold") == 0) {
		orc = ops_foia_unwithhold(c->store, &c->actor, ref, message, &done, &error);
		query = xstrdup("done=unwithheld");
	} else if (strcmp(action, "unredact") == 0) {
		orc = ops_foia_unredact(c->store, &c->actor, ref, web_records_field(c, "number"), &done,
		                        &error);
		query = xstrdup("done=unredacted");
	} else if (strcmp(action, "redact") == 0) {
		orc = redact(c, ref, message, &query, &error);
	} else {
		web_not_found(c);
		return;
	}
	free(done);
	if (orc != OPS_OK) {
		web_records_failed(c, orc, error);
		free(query);
		return;
	}
	back_to_desk(c, ref, message, query);
	free(query);
}
