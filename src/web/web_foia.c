/* web_foia.c — the FOIA register and one request (see web_foia.h).  The legal clock is
 * ops's (ops_foia_days_left, from the day the request was received as ops_foia_new
 * counted it); the page says it in words as well as colour. */
#include "web_foia.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_foia.h"
#include "ops_foia_exemptions.h"
#include "ops_saved_search.h"
#include "web_html.h"
#include "web_notice.h"
#include "web_reauth.h"
#include "web_records_form.h"

/* The most messages one "add the ticked" takes: a page of search results is 50. */
#define ADD_CHOSEN_MAX 500

/* The clock in words: "3 business days left", "Due today", "Overdue by 2 business days". */
static void clock_words(struct buf *b, const struct foia_row *r, int left)
{
	if (strcmp(r->status, "open") != 0)
		html(b, "<span class=\"clock closed\">Closed</span>");
	else if (left > 0)
		html(b, "<span class=\"clock\">%d business day%R left</span>", left,
		     left == 1 ? "" : "s");
	else if (left == 0)
		html(b, "<span class=\"clock today\">Due today</span>");
	else
		html(b, "<span class=\"clock overdue\"><strong>Overdue</strong> by %d business "
		        "day%R</span>", -left, left == -1 ? "" : "s");
}

struct register_ctx {
	struct web_ctx *c;
	size_t n;
};

static int register_row(const struct foia_row *r, void *p)
{
	struct register_ctx *rc = p;
	struct buf *b = &rc->c->res->body;
	int left = ops_foia_days_left(&rc->c->actor, r->due, rc->c->req->now);
	int overdue = strcmp(r->status, "open") == 0 && left < 0;
	html(b, "<tr data-ref=\"%s\"%R><th scope=\"row\"><a href=\"/records/foia/%U\">%s</a></th>"
	        "<td>%s</td><td>%s</td><td>%s</td><td>",
	     r->ref, overdue ? " class=\"overdue\"" : "", r->ref, r->ref, r->requester,
	     r->received, r->due);
	clock_words(b, r, left);
	html(b, "</td><td>%s</td><td class=\"num\">%lld</td></tr>", r->status, (long long)r->items);
	rc->n++;
	return 0;
}

static void new_request_form(struct web_ctx *c)
{
	struct buf *b = &c->res->body;
	html(b, "<section aria-labelledby=\"new-h\" class=\"new-request\"><h2 id=\"new-h\">New "
	        "request</h2><form method=\"post\" action=\"/records/foia\">");
	web_csrf_field(c);
	html(b, "<div class=\"field\"><label for=\"requester\">Requester</label><input "
	        "id=\"requester\" name=\"requester\" required maxlength=\"200\"></div>"
	        "<div class=\"field\"><label for=\"contact\">Contact (address or telephone)</label>"
	        "<input id=\"contact\" name=\"contact\" maxlength=\"200\"></div>"
	        "<div class=\"field\"><label for=\"received\">Received on</label><input "
	        "id=\"received\" name=\"received\" type=\"date\" required aria-describedby="
	        "\"received-help\"><span id=\"received-help\" class=\"help\">The answer is due "
	        "%d business days later (Conn. Gen. Stat. § 1-206); state holidays do not count."
	        "</span></div><div class=\"field wide\"><label for=\"description\">What is asked "
	        "for</label><textarea id=\"description\" name=\"description\" rows=\"3\" required>"
	        "</textarea></div><div class=\"field\"><button type=\"submit\">Open the request"
	        "</button></div></form></section>", FOIA_RESPONSE_DAYS);
}

void web_foia_register(struct web_ctx *c)
{
	struct register_ctx rc = {c, 0};
	char *error = NULL;
	int may_read = ops_foia_may_read(&c->actor, &error);
	if (may_read != OPS_OK) {
		web_records_failed(c, may_read, error);
		return;
	}
	web_records_begin(c, "FOIA register", "/records/foia");
	struct buf *b = &c->res->body;
	html(b, "<h1>FOIA register</h1>");
	html(b, "<div class=\"table-wrap\"><table class=\"register\"><caption>Public-records "
	        "requests, newest first</caption><thead><tr><th scope=\"col\">Reference</th>"
	        "<th scope=\"col\">Requester</th><th scope=\"col\">Received</th><th scope=\"col\">"
	        "Due</th><th scope=\"col\">Clock</th><th scope=\"col\">Status</th><th "
	        "scope=\"col\">Messages</th></tr></thead><tbody>");
	int orc = ops_foia_list(c->store, &c->actor, NULL, register_row, &rc, &error);
	html(b, "</tbody></table></div>");
	if (orc != OPS_OK)
		html(b, "<p role=\"alert\">%s</p>", error);
	else if (rc.n == 0)
		html(b, "<p class=\"empty\">No request yet.</p>");
	free(error);
	if (web_records_may_change(c))
		new_request_form(c);
	web_records_end(c);
}

void web_foia_create(struct web_ctx *c)
{
	char ref[64] = "";
	char *error = NULL;
	const char *contact = web_records_field(c, "contact");
	int orc = ops_foia_new(c->store, &c->actor, web_records_field(c, "requester"),
	                       contact[0] ? contact : NULL, web_records_field(c, "description"),
	                       web_records_field(c, "received"), ref, sizeof(ref), &error);
	if (orc != OPS_OK) {
		web_records_failed(c, orc, error);
		return;
	}
	char *enc = web_url_encode(ref);
	char *path = xasprintf("/records/foia/%s", enc);
	web_records_back(c, path, "created");
	free(path);
	free(enc);
}

/* ---- one request ---- */

struct item {
	char *sha256, *subject, *from;
	int64_t date;
	int withheld;
	size_t redactions;
};

struct request_ctx {
	struct web_ctx *c;
	int found;
	char *ref, *status;
	struct item *items;
	size_t n_items;
};

static int request_seen(const struct foia_row *r, void *p)
{
	struct request_ctx *rc = p;
	struct web_ctx *c = rc->c;
	struct buf *b = &c->res->body;
	rc->found = 1;
	rc->ref = xstrdup(r->ref);
	rc->status = xstrdup(r->status);
	char title[96];
	snprintf(title, sizeof(title), "%s — FOIA register", r->ref);
	web_records_begin(c, title, NULL);
	int left = ops_foia_days_left(&c->actor, r->due, c->req->now);
	char created[17];
	time_format_local(r->created_at, created, sizeof(created));
	html(b, "<h1>%s <span class=\"sub\">%s</span></h1>", r->ref, r->requester);
	static const char *const done[] = {
		"created", "Request opened.", "removed", "Message removed from the set.", "closed",
		"Request closed: its set and decisions are final.", NULL};
	web_records_done(c, done);
	web_notice_show(c, "foia-added");
	html(b, "<dl class=\"facts\"><dt>Requester</dt><dd>%s</dd><dt>Contact</dt><dd>%s</dd>"
	        "<dt>Asked for</dt><dd class=\"description\">%s</dd><dt>Received</dt><dd>%s</dd>"
	        "<dt>Due</dt><dd>%s, ",
	     r->requester, r->contact ? r->contact : "—", r->description, r->received, r->due);
	clock_words(b, r, left);
	html(b, "</dd><dt>Status</dt><dd>%s</dd><dt>Opened by</dt><dd>%s, %s</dd></dl>", r->status,
	     r->created_by, created);
	return 0;
}

static int item_seen(const struct foia_item_row *r, void *p)
{
	struct request_ctx *rc = p;
	rc->items = xrealloc(rc->items, (rc->n_items + 1) * sizeof(*rc->items));
	rc->items[rc->n_items++] = (struct item){
		xstrdup(r->sha256), xstrdup(r->subject ? r->subject : ""),
		xstrdup(r->from_addr ? r->from_addr : ""), r->date, 0, 0};
	return 0;
}

static struct item *item_of(struct request_ctx *rc, const char *sha)
{
	for (size_t i = 0; sha != NULL && i < rc->n_items; i++)
		if (strcmp(rc->items[i].sha256, sha) == 0)
			return &rc->items[i];
	return NULL;
}

static int decision_seen(const struct decision_row *d, void *p)
{
	struct item *it = item_of(p, d->sha256);
	if (it == NULL || d->revoked_at != 0)
		return 0;
	if (strcmp(d->type, "withholding") == 0)
		it->withheld = 1;
	else
		it->redactions++;
	return 0;
}

static void request_free(struct request_ctx *rc)
{
	for (size_t i = 0; i < rc->n_items; i++) {
		free(rc->items[i].sha256);
		free(rc->items[i].subject);
		free(rc->items[i].from);
	}
	free(rc->items);
	free(rc->ref);
	free(rc->status);
}

static void set_table(struct request_ctx *rc, int may)
{
	struct web_ctx *c = rc->c;
	struct buf *b = &c->res->body;
	html(b, "<section aria-labelledby=\"set-h\"><h2 id=\"set-h\">Responsive set "
	        "<span class=\"count\">(%zu message%R)</span></h2>", rc->n_items,
	     rc->n_items == 1 ? "" : "s");
	if (may)
		html(b, "<p><a class=\"button\" href=\"/records?for=%U\">Add messages from a search"
		        "</a></p>", rc->ref);
	if (rc->n_items == 0) {
		html(b, "<p class=\"empty\">No message in the set yet.</p></section>");
		return;
	}
	html(b, "<div class=\"table-wrap\"><table class=\"set\"><caption class=\"visually-hidden\">"
	        "The messages of %s, by date</caption><thead><tr><th scope=\"col\">Date</th>"
	        "<th scope=\"col\">From</th><th scope=\"col\">Subject</th><th scope=\"col\">"
	        "Decisions</th>%R</tr></thead><tbody>",
	     rc->ref, may ? "<th scope=\"col\"><span class=\"visually-hidden\">Remove</span></th>"
	                  : "");
	for (size_t i = 0; i < rc->n_items; i++) {
		const struct item *it = &rc->items[i];
		char when[17];
		time_format_local(it->date, when, sizeof(when));
		char *subject = html_cut(it->subject[0] ? it->subject : "(no subject)", 200);
		html(b, "<tr data-sha=\"%s\"><td class=\"when\">%s</td><td class=\"who\">%s</td>"
		        "<td class=\"subject\"><a href=\"/records/foia/%U/m/%U\">%s</a></td><td>",
		     it->sha256, when, it->from, rc->ref, it->sha256, subject);
		if (it->withheld)
			html(b, "<span class=\"tag tag-withheld\">withheld</span> ");
		if (it->redactions)
			html(b, "<span class=\"tag tag-redacted\">%zu redaction%R</span>", it->redactions,
			     it->redactions == 1 ? "" : "s");
		if (!it->withheld && !it->redactions)
			html(b, "<span class=\"none\">produced whole</span>");
		html(b, "</td>");
		if (may) {
			html(b, "<td><form method=\"post\" action=\"/records/foia/%U/remove\">", rc->ref);
			web_csrf_field(c);
			html(b, "<input type=\"hidden\" name=\"m\" value=\"%s\"><button type=\"submit\" "
			        "class=\"secondary\" aria-label=\"Remove %s from the set\">Remove</button>"
			        "</form></td>", it->sha256, subject);
		}
		html(b, "</tr>");
		free(subject);
	}
	html(b, "</tbody></table></div></section>");
}

struct review_ctx {
	struct web_ctx *c;
	const char *ref;
	size_t n;
};

static int review_row(const struct review_row *r, void *p)
{
	struct review_ctx *rv = p;
	const char *hint = ops_foia_review_hint(r->categories, r->confidential);
	if (hint == NULL)
		return 0;
	char *subject = html_cut(r->subject && r->subject[0] ? r->subject : "(no subject)", 200);
	html(&rv->c->res->body, "<li><a href=\"/records/foia/%U/m/%U\">%s</a> (%s): %s%R%R</li>",
	     rv->ref, r->sha256, subject, r->thread_ref ? r->thread_ref : "-", hint,
	     r->withheld ? " <span class=\"tag tag-withheld\">withheld</span>" : "",
	     r->redactions ? " <span class=\"tag tag-redacted\">redacted</span>" : "");
	free(subject);
	rv->n++;
	return 0;
}

static void review_section(struct web_ctx *c, const char *ref)
{
	struct buf *b = &c->res->body;
	html(b, "<section aria-labelledby=\"review-h\"><h2 id=\"review-h\">Review suggestions</h2>"
	        "<p class=\"note\">Hints from each thread's routing category, not legal advice."
	        "</p><ul class=\"review\">");
	struct review_ctx rv = {c, ref, 0};
	char *error = NULL;
	int orc = ops_foia_review(c->store, &c->actor, ref, review_row, &rv, &error);
	html(b, "</ul>");
	if (orc != OPS_OK)
		html(b, "<p role=\"alert\">%s</p>", error);
	else if (rv.n == 0)
		html(b, "<p class=\"empty\">Nothing in the set suggests an exemption.</p>");
	free(error);
	html(b, "</section>");
}

void web_foia_request(struct web_ctx *c, const char *ref)
{
	struct request_ctx rc = {.c = c};
	char *error = NULL;
	int orc = ops_foia_show(c->store, &c->actor, ref, request_seen, item_seen, decision_seen,
	                        &rc, &error);
	if (orc != OPS_OK) {
		buf_reset(&c->res->body);
		web_records_failed(c, orc, error);
		request_free(&rc);
		return;
	}
	struct buf *b = &c->res->body;
	int open = strcmp(rc.status, "open") == 0;
	int may = open && web_records_may_change(c);
	html(b, "<p class=\"actions\"><a href=\"/records/export/%U\">Production: export the set"
	        "</a></p>", rc.ref);
	set_table(&rc, may);
	review_section(c, rc.ref);
	if (may) {
		html(b, "<section aria-labelledby=\"close-h\"><h2 id=\"close-h\">Close the request"
		        "</h2><form method=\"post\" action=\"/records/foia/%U/close\">", rc.ref);
		web_csrf_field(c);
		html(b, "<div class=\"field check\"><input type=\"checkbox\" id=\"close-sure\" "
		        "name=\"sure\" value=\"1\" required><label for=\"close-sure\">The answer has "
		        "gone out: the set and its decisions become final, its holds are released"
		        "</label></div><button type=\"submit\">Close %s</button></form></section>",
		     rc.ref);
	}
	web_records_end(c);
	request_free(&rc);
}

/* The message numbers ticked on a search page (name m, repeated). */
static size_t chosen_ids(struct web_ctx *c, int64_t *ids, size_t max)
{
	size_t n = 0;
	const struct strlist *f = &c->req->form;
	for (size_t i = 0; i + 1 < f->count && n < max; i += 2) {
		if (strcmp(f->items[i], "m") != 0)
			continue;
		char *end = NULL;
		long long id = strtoll(f->items[i + 1], &end, 10);
		if (end != f->items[i + 1] && *end == '\0' && id > 0)
			ids[n++] = id;
	}
	return n;
}

static int add(struct web_ctx *c, const char *ref, size_t *added_r, char **error_r)
{
	if (web_form(c->req, "all") != NULL) {
		struct saved_search_row s;
		struct search_filter f;
		web_records_filters(c, 1, &s);
		int orc = ops_search_filter_from(&s, &f, error_r);
		return orc != OPS_OK ? orc : ops_foia_add(c->store, &c->actor, ref, &f, added_r, error_r);
	}
	int64_t *ids = xcalloc(ADD_CHOSEN_MAX, sizeof(*ids));
	size_t n = chosen_ids(c, ids, ADD_CHOSEN_MAX);
	int orc = ops_foia_add_messages(c->store, &c->actor, ref, ids, n, added_r, error_r);
	free(ids);
	return orc;
}

void web_foia_action(struct web_ctx *c, const char *ref, const char *action)
{
	char *error = NULL, *done = NULL;
	size_t added = 0;
	int orc;
	if (strcmp(action, "add") == 0)
		orc = add(c, ref, &added, &error);
	else if (strcmp(action, "remove") == 0)
		orc = ops_foia_remove(c->store, &c->actor, ref, web_records_field(c, "m"), &done,
		                      &error);
	else if (strcmp(action, "close") == 0) {
		/* closing releases the request's holds: asked like releasing a hold (the right
		 * first, so that one who may not is refused rather than asked) */
		if (web_records_may_change(c) &&
		    !web_reauth_check(c, "Close the request and release its holds"))
			return;
		orc = ops_foia_close(c->store, &c->actor, ref, &error);
	}
	else {
		web_not_found(c);
		return;
	}
	free(done);
	if (orc != OPS_OK) {
		web_records_failed(c, orc, error);
		return;
	}
	char *enc = web_url_encode(ref);
	char *path;
	if (strcmp(action, "add") == 0) {
		char *text = xasprintf("%zu new to the set.", added);
		web_notice_set(c, "foia-added", text);
		free(text);
		path = xasprintf("/records/foia/%s", enc);
	} else {
		path = xasprintf("/records/foia/%s?done=%s", enc,
		                 strcmp(action, "remove") == 0 ? "removed" : "closed");
	}
	web_redirect(c->res, path);
	free(path);
	free(enc);
}
