/* web_inbox.c — the inbox: the views with their counts, filters, search, and paging by keyset
 * ("?before=LAST_AT.ID" of the last thread shown), so a deep page costs what the first does. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_inbox.h"
#include "ops_list.h"
#include "store.h"
#include "web_html.h"
#include "web_inbox.h"
#include "web_presence.h"

#define PAGE_SIZE 50

struct rows_ctx {
	struct web_ctx *c;
	int n;
	int64_t last_at, last_id;
};

/* The flags of a thread as icons with their words (never meaning by colour alone). */
static void flag_icons(struct buf *b, const struct thread_row *t)
{
	if (t->priority != NULL && strcmp(t->priority, "urgent") == 0)
		html(b, "<span class=\"flag urgent\" title=\"Urgent\">!<span class=\"visually-hidden\">"
		        " urgent</span></span>");
	if (t->confidential)
		html(b, "<span class=\"flag confidential\" title=\"Confidential\">C<span "
		        "class=\"visually-hidden\"> confidential</span></span>");
	if (t->reportable)
		html(b, "<span class=\"flag reportable\" title=\"Reportable\">R<span "
		        "class=\"visually-hidden\"> reportable</span></span>");
}

static void present(const struct web_presence *p, void *ctx)
{
	html(ctx, "<span class=\"here\">%s %R</span>", p->user,
	     p->writing ? "is writing a reply" : "has it open");
}

static int thread_row(const struct ops_thread_item *item, void *p)
{
	struct rows_ctx *rc = p;
	struct web_ctx *c = rc->c;
	struct buf *b = &c->res->body;
	const struct thread_row *t = item->row;
	char last[17];
	time_format_local(t->last_at, last, sizeof(last));
	const char *who = t->correspondent_name ? t->correspondent_name : t->correspondent;
	int unseen = t->seen_at < t->last_at;
	char *subject = html_cut(t->subject[0] ? t->subject : "(no subject)", 300);
	html(b, "<tr class=\"%s%R\" data-ref=\"%s\"><td class=\"ref\"><a href=\"/t/%U\">%s</a></td>"
	        "<td class=\"who\">%s</td><td class=\"subject\"><a href=\"/t/%U\">%s</a>%R"
	        "<span class=\"preview\">%s</span>",
	     t->status, unseen ? " new" : "", t->ref, t->ref, t->ref, who, t->ref,
	     subject,
	     unseen ? "<span class=\"visually-hidden\"> (new to you)</span>" : "",
	     t->preview ? t->preview : "");
	web_presence_others(c->app, t->ref, c->actor.user->name, c->req->now, present, b);
	html(b, "</td><td class=\"flags\">");
	flag_icons(b, t);
	html(b, "</td><td class=\"category\">%s</td><td class=\"assignee\">%s</td>"
	        "<td class=\"status\">%s</td><td class=\"when\">%s%R%s%R</td>"
	        "<td class=\"count\">%lld</td></tr>",
	     t->category ? t->category : "", t->assignee ? t->assignee : "unassigned", t->status,
	     last, item->due[0] ? "<br><span class=\"due\">due " : "", item->due,
	     item->due[0] ? (item->overdue ? " (late)</span>" : "</span>") : "",
	     (long long)t->message_count);
	free(subject);
	rc->n++;
	rc->last_at = t->last_at;
	rc->last_id = t->id;
	return 0;
}

/* The filter form: troop, category, status (a GET form: the URL says what is shown). */
static void filters(struct web_ctx *c, enum ops_view view, const struct ops_inbox_query *q)
{
	struct buf *b = &c->res->body;
	html(b, "<form class=\"filters\" method=\"get\" action=\"/\">"
	        "<input type=\"hidden\" name=\"view\" value=\"%s\">"
	        "<label>Troop <select name=\"troop\"><option value=\"\">all</option>",
	     ops_view_name(view));
	for (size_t i = 0; i < c->config->n_mailboxes; i++) {
		char t = c->config->mailboxes[i].troop;
		if (ops_sees_troop(&c->actor, t))
			html(b, "<option%R>%c</option>", q->troop == t ? " selected" : "", t);
	}
	html(b, "</select></label> <label>Category <input name=\"category\" size=\"12\" "
	        "value=\"%s\"></label> <label>Status <select name=\"status\">"
	        "<option value=\"\">any</option>", q->category);
	static const char *const statuses[] = {"new", "open", "waiting"};
	for (size_t i = 0; i < 3; i++)
		html(b, "<option%R>%s</option>",
		     q->status && strcmp(q->status, statuses[i]) == 0 ? " selected" : "", statuses[i]);
	html(b, "</select></label> <button type=\"submit\">Filter</button></form>");
}

static int search_row(const struct search_row *r, void *p)
{
	struct rows_ctx *rc = p;
	struct web_ctx *c = rc->c;
	char when[17];
	time_format_local(r->date, when, sizeof(when));
	html(&c->res->body, "<li><a href=\"/t/%U\">%s</a> · %s · %s<br><span class=\"preview\">"
	                    "%s</span></li>",
	     r->thread_ref ? r->thread_ref : "", r->thread_ref ? r->thread_ref : "-", when,
	     r->subject ? r->subject : "", r->snippet ? r->snippet : "");
	rc->n++;
	return 0;
}

static void search_page(struct web_ctx *c, const char *query)
{
	struct search_filter f = {.query = query, .limit = 100};
	struct rows_ctx rc = {c, 0, 0, 0};
	size_t total = 0;
	char *error = NULL;
	web_page_begin(c, "Search", NULL);
	struct buf *b = &c->res->body;
	html(b, "<h1>Search: %s</h1>", query);
	html(b, "<ol class=\"hits\">");
	int orc = ops_search(c->store, &c->actor, &f, search_row, &rc, &total, &error);
	html(b, "</ol>");
	if (orc != OPS_OK)
		html(b, "<p role=\"alert\">%s</p>", error);
	else
		html(b, "<p class=\"total\">%zu found%R</p>", total,
		     total > 100 ? " (the newest 100 shown)" : "");
	free(error);
	web_page_end(c);
}

void web_inbox_page(struct web_ctx *c, const char *rest)
{
	const char *query = web_query(c->req, "q");
	if (query != NULL && query[0] != '\0') {
		search_page(c, query);
		return;
	}
	enum ops_view view = OPS_VIEW_UNASSIGNED;
	const char *view_name = web_query(c->req, "view");
	if (view_name != NULL && ops_view_parse(view_name, &view) < 0) {
		web_not_found(c);
		return;
	}
	const char *troop = web_query(c->req, "troop");
	const char *category = web_query(c->req, "category");
	const char *status = web_query(c->req, "status");
	struct ops_inbox_query q = {
		.view = view,
		.troop = troop && troop[0] ? troop[0] : '\0',
		.category = category && category[0] ? category : NULL,
		.status = status && status[0] ? status : NULL,
		.limit = PAGE_SIZE,
		.now = c->req->now,
	};
	const char *before = web_query(c->req, "before");
	if (before != NULL && sscanf(before, "%" SCNd64 ".%" SCNd64, &q.before_last_at,
	                             &q.before_id) != 2)
		q.before_last_at = q.before_id = 0;
	int64_t counts[OPS_VIEW_COUNT];
	char *error = NULL;
	int orc = ops_inbox_counts(c->store, &c->actor, &q, counts, &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	char title[64];
	snprintf(title, sizeof(title), "%s (%lld)", ops_view_title(view), (long long)counts[view]);
	web_page_begin(c, title, ops_view_name(view));
	struct buf *b = &c->res->body;
	html(b, "<h1 data-unassigned=\"%lld\">%s <span class=\"count\">%lld</span></h1>",
	     (long long)counts[OPS_VIEW_UNASSIGNED], ops_view_title(view), (long long)counts[view]);
	html(b, "<ul class=\"counts\" hidden>");
	for (int v = 0; v < OPS_VIEW_COUNT; v++)
		html(b, "<li data-view=\"%s\">%lld</li>", ops_view_name((enum ops_view)v),
		     (long long)counts[v]);
	html(b, "</ul>");
	filters(c, view, &q);
	html(b, "<table class=\"threads\" id=\"threads\"><caption class=\"visually-hidden\">%s"
	        "</caption><thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">From</th>"
	        "<th scope=\"col\">Subject</th><th scope=\"col\">Flags</th><th scope=\"col\">"
	        "Category</th><th scope=\"col\">Assignee</th><th scope=\"col\">Status</th>"
	        "<th scope=\"col\">Last message</th><th scope=\"col\">Messages</th></tr></thead>"
	        "<tbody>", ops_view_title(view));
	struct rows_ctx rc = {c, 0, 0, 0};
	int more = 0;
	orc = ops_inbox_page(c->store, &c->actor, &q, thread_row, &rc, &more, &error);
	html(b, "</tbody></table>");
	if (orc != OPS_OK)
		html(b, "<p role=\"alert\">%s</p>", error);
	else if (rc.n == 0)
		html(b, "<p class=\"empty\">No threads here.</p>");
	free(error);
	if (more) {
		char next[48];
		snprintf(next, sizeof(next), "%lld.%lld", (long long)rc.last_at, (long long)rc.last_id);
		html(b, "<p class=\"pager\"><a rel=\"next\" href=\"/?view=%U&amp;troop=%U&amp;"
		        "category=%U&amp;status=%U&amp;before=%U\">Older threads</a></p>",
		     ops_view_name(view), troop ? troop : "", category ? category : "",
		     status ? status : "", next);
	}
	web_page_end(c);
}

void web_live(struct web_ctx *c, const char *rest)
{
	char stamp[96];
	int64_t counts[OPS_VIEW_COUNT];
	struct ops_inbox_query q = {.now = c->req->now};
	char *error = NULL;
	if (store_change_stamp(c->store, stamp, sizeof(stamp)) < 0 ||
	    ops_inbox_counts(c->store, &c->actor, &q, counts, &error) != OPS_OK) {
		free(error);
		web_plain(c->res, 503, "busy");
		return;
	}
	struct buf *b = &c->res->body;
	c->res->content_type = "application/json";
	buf_addf(b, "{\"stamp\":\"%s\",\"counts\":{", stamp);
	for (int v = 0; v < OPS_VIEW_COUNT; v++)
		buf_addf(b, "%s\"%s\":%lld", v ? "," : "", ops_view_name((enum ops_view)v),
		         (long long)counts[v]);
	buf_addstr(b, "}}");
}
