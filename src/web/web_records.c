/* web_records.c — the records office's search (/records): the filters of `liaison search`,
 * hits with their snippets, paged; the office's saved searches; and, for a request being
 * filled (?for=REF), a tick box per hit and "add all" to its responsive set.  Also the
 * dispatch of /records/... to the register (web_foia.c) and the review desk (web_review.c),
 * and the helpers the three share (web_records.h). */
#include "web_records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_foia.h"
#include "ops_foia_exemptions.h"
#include "ops_list.h"
#include "ops_saved_search.h"
#include "web_foia.h"
#include "web_html.h"
#include "web_records_form.h"
#include "web_review.h"

/* Hits per page: a page of search results stays short enough to read and tick through. */
#define HITS_PER_PAGE 50
/* The deepest page offered: a search that finds more is narrowed, not paged through. */
#define PAGES_MAX 40

/* ---- the search form and its filters ---- */

static const char *query_or_empty(struct web_ctx *c, const char *name)
{
	const char *v = web_query(c->req, name);
	return v ? v : "";
}

/* The filters as hidden fields: a POST (save, add all) carries exactly what was searched. */
static void filters_hidden(struct buf *b, const struct saved_search_row *s)
{
	html(b, "<input type=\"hidden\" name=\"q\" value=\"%s\"><input type=\"hidden\" "
	        "name=\"mailbox\" value=\"%s\"><input type=\"hidden\" name=\"from\" value=\"%s\">"
	        "<input type=\"hidden\" name=\"to\" value=\"%s\"><input type=\"hidden\" "
	        "name=\"category\" value=\"%s\"><input type=\"hidden\" name=\"thread\" value=\"%s\">"
	        "<input type=\"hidden\" name=\"direction\" value=\"%s\"><input type=\"hidden\" "
	        "name=\"since\" value=\"%s\"><input type=\"hidden\" name=\"until\" value=\"%s\">%R",
	     s->query, s->mailbox, s->from, s->to, s->category, s->thread_ref, s->direction,
	     s->since_day, s->until_day,
	     s->has_attachment ? "<input type=\"hidden\" name=\"attachment\" value=\"1\">" : "");
}

/* The filters as a query string (paging, running a saved search): a new string. */
static char *filters_url(const struct saved_search_row *s, const char *for_ref)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	html(&b, "q=%U&mailbox=%U&from=%U&to=%U&category=%U&thread=%U&direction=%U&since=%U"
	         "&until=%U%R", s->query, s->mailbox, s->from, s->to, s->category, s->thread_ref,
	     s->direction, s->since_day, s->until_day, s->has_attachment ? "&attachment=1" : "");
	if (for_ref != NULL && for_ref[0])
		html(&b, "&for=%U", for_ref);
	return buf_steal(&b, NULL);
}

static void text_field(struct buf *b, const char *name, const char *label, const char *type,
                       const char *value)
{
	html(b, "<div class=\"field\"><label for=\"f-%s\">%s</label><input id=\"f-%s\" name=\"%s\" "
	        "type=\"%s\" value=\"%s\"></div>", name, label, name, name, type, value);
}

static void search_form(struct web_ctx *c, const struct saved_search_row *s, const char *for_ref)
{
	struct buf *b = &c->res->body;
	html(b, "<form class=\"record-search\" method=\"get\" action=\"/records\" role=\"search\" "
	        "aria-label=\"Search the stored mail\">");
	if (for_ref[0])
		html(b, "<input type=\"hidden\" name=\"for\" value=\"%s\">", for_ref);
	html(b, "<div class=\"field wide\"><label for=\"f-q\">Words</label><input id=\"f-q\" "
	        "name=\"q\" type=\"search\" value=\"%s\" aria-describedby=\"q-help\"><span "
	        "id=\"q-help\" class=\"help\">By word family (evicted finds eviction); \"quotes\" "
	        "for exact words; empty: filters alone.</span></div>", s->query);
	html(b, "<div class=\"field\"><label for=\"f-mailbox\">Mailbox</label><select "
	        "id=\"f-mailbox\" name=\"mailbox\"><option value=\"\">all</option>");
	for (size_t i = 0; i < c->config->n_mailboxes; i++) {
		const char *name = c->config->mailboxes[i].name;
		html(b, "<option%R>%s</option>", strcmp(s->mailbox, name) == 0 ? " selected" : "",
		     name);
	}
	html(b, "</select></div>");
	text_field(b, "from", "From (address)", "text", s->from);
	text_field(b, "to", "To (contains)", "text", s->to);
	text_field(b, "category", "Category", "text", s->category);
	text_field(b, "thread", "Thread", "text", s->thread_ref);
	text_field(b, "since", "From day", "date", s->since_day);
	text_field(b, "until", "To day (whole)", "date", s->until_day);
	html(b, "<div class=\"field\"><label for=\"f-direction\">Direction</label><select "
	        "id=\"f-direction\" name=\"direction\"><option value=\"\">both</option>"
	        "<option value=\"in\"%R>received</option><option value=\"out\"%R>sent</option>"
	        "</select></div><div class=\"field check\"><input id=\"f-attachment\" "
	        "name=\"attachment\" type=\"checkbox\" value=\"1\"%R><label for=\"f-attachment\">"
	        "With an attachment</label></div><div class=\"field\"><button type=\"submit\">"
	        "Search</button></div></form>",
	     strcmp(s->direction, "in") == 0 ? " selected" : "",
	     strcmp(s->direction, "out") == 0 ? " selected" : "",
	     s->has_attachment ? " checked" : "");
}

/* ---- saved searches ---- */

struct saved_list_ctx {
	struct web_ctx *c;
	int may_change;
	const char *for_ref;
	size_t n;
};

static int saved_row(const struct saved_search_row *r, void *p)
{
	struct saved_list_ctx *sc = p;
	struct buf *b = &sc->c->res->body;
	struct saved_search_row s = *r;
	const char *none = "";
	const char **fields[] = {&s.query, &s.mailbox, &s.from, &s.to, &s.category, &s.thread_ref,
	                         &s.direction, &s.since_day, &s.until_day};
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (*fields[i] == NULL)
			*fields[i] = none;
	char *url = filters_url(&s, sc->for_ref);
	char *what = xasprintf("%s%s%s%s%s", s.query[0] ? s.query : "(filters only)",
	                       s.mailbox[0] ? ", mailbox " : "", s.mailbox,
	                       s.since_day[0] ? ", from " : "", s.since_day);
	html(b, "<li><a href=\"/records?%R\">%s</a> <span class=\"what\">%s · saved by %s</span>",
	     url, r->name, what, r->saved_by);
	if (sc->may_change) {
		html(b, "<form method=\"post\" action=\"/records/saved/%lld/delete\" class=\"inline\">",
		     (long long)r->id);
		web_csrf_field(sc->c);
		html(b, "<button type=\"submit\" class=\"secondary\" aria-label=\"Delete the saved "
		        "search %s\">Delete</button></form>", r->name);
	}
	html(b, "</li>");
	free(url);
	free(what);
	sc->n++;
	return 0;
}

static void saved_searches(struct web_ctx *c, const struct saved_search_row *current,
                           const char *for_ref, int searched)
{
	struct buf *b = &c->res->body;
	int may = web_records_may_change(c);
	html(b, "<section class=\"saved-searches\" aria-labelledby=\"saved-h\"><h2 id=\"saved-h\">"
	        "Saved searches</h2><ul>");
	struct saved_list_ctx sc = {c, may, for_ref, 0};
	char *error = NULL;
	int orc = ops_saved_searches(c->store, &c->actor, 0, saved_row, &sc, &error);
	html(b, "</ul>");
	if (orc != OPS_OK)
		html(b, "<p role=\"alert\">%s</p>", error);
	else if (sc.n == 0)
		html(b, "<p class=\"empty\">None saved yet.</p>");
	free(error);
	if (may && searched) {
		html(b, "<form method=\"post\" action=\"/records/saved\" class=\"save-search\">");
		web_csrf_field(c);
		filters_hidden(b, current);
		html(b, "<label for=\"save-name\">Save this search as</label> <input id=\"save-name\" "
		        "name=\"name\" required maxlength=\"100\"> <button type=\"submit\">Save</button>"
		        "</form>");
	}
	html(b, "</section>");
}

static void saved_save(struct web_ctx *c)
{
	struct saved_search_row s;
	web_records_filters(c, 1, &s);
	s.name = web_records_field(c, "name");
	int64_t id = 0;
	char *error = NULL;
	int orc = ops_saved_search_save(c->store, &c->actor, &s, &id, &error);
	if (orc != OPS_OK) {
		web_records_failed(c, orc, error);
		return;
	}
	char *url = filters_url(&s, NULL);
	char *to = xasprintf("/records?%s&done=saved", url);
	web_redirect(c->res, to);
	free(to);
	free(url);
}

static void saved_delete(struct web_ctx *c, const char *number)
{
	char *end = NULL;
	long long id = strtoll(number, &end, 10);
	if (end == number || strcmp(end, "/delete") != 0 || id <= 0) {
		web_not_found(c);
		return;
	}
	char *error = NULL;
	int orc = ops_saved_search_delete(c->store, &c->actor, id, &error);
	if (orc != OPS_OK) {
		web_records_failed(c, orc, error);
		return;
	}
	web_records_back(c, "/records", "deleted");
}

/* ---- the hits ---- */

/* A snippet with the index's marks ([ and ] around each hit) as <mark>, everything escaped:
 * a bracket the text holds itself shows as it is unless a closing one follows. */
static void snippet_html(struct buf *b, const char *s)
{
	while (s != NULL && *s) {
		const char *open = strchr(s, '[');
		const char *close = open ? strchr(open + 1, ']') : NULL;
		if (close == NULL) {
			html_text(b, s, strlen(s));
			return;
		}
		html_text(b, s, (size_t)(open - s));
		html(b, "<mark>");
		html_text(b, open + 1, (size_t)(close - open - 1));
		html(b, "</mark>");
		s = close + 1;
	}
}

struct hits_ctx {
	struct web_ctx *c;
	size_t skip, shown;
	int tick;           /* a tick box per hit (adding to a request) */
	int64_t last_id;    /* a message filed in two mailboxes is one tick box */
};

static int hit_row(const struct search_row *r, void *p)
{
	struct hits_ctx *h = p;
	if (h->skip > 0) {
		h->skip--;
		return 0;
	}
	struct buf *b = &h->c->res->body;
	char when[17];
	time_format_local(r->date, when, sizeof(when));
	char *subject = html_cut(r->subject && r->subject[0] ? r->subject : "(no subject)", 300);
	html(b, "<tr data-message=\"%lld\">", (long long)r->id);
	if (h->tick) {
		if (r->id != h->last_id)
			html(b, "<td class=\"tick\"><input type=\"checkbox\" form=\"add-chosen\" name=\"m\" "
			        "value=\"%lld\" id=\"m-%lld-%zu\" aria-label=\"Add: %s\"></td>",
			     (long long)r->id, (long long)r->id, h->shown, subject);
		else
			html(b, "<td class=\"tick\"></td>");
	}
	html(b, "<td class=\"when\">%s</td><td class=\"ref\"><a href=\"/t/%U\">%s</a></td>"
	        "<td class=\"who\">%s</td><td class=\"subject\"><span class=\"subject-line\">%s"
	        "</span><span class=\"snippet\">",
	     when, r->thread_ref ? r->thread_ref : "", r->thread_ref ? r->thread_ref : "-",
	     r->from_addr, subject);
	snippet_html(b, r->snippet);
	html(b, "</span></td><td class=\"mailbox\">%s %s</td></tr>", r->mailbox,
	     r->direction && strcmp(r->direction, "out") == 0 ? "(sent)" : "");
	free(subject);
	h->last_id = r->id;
	h->shown++;
	return 0;
}

/* The add-to-request controls above the hits: all of them, or the ticked ones (whose form
 * is below the table; the tick boxes name it). */
static void add_controls(struct web_ctx *c, const char *for_ref, const struct saved_search_row *s,
                         size_t total)
{
	struct buf *b = &c->res->body;
	html(b, "<div class=\"add-to\"><p>Adding to <a href=\"/records/foia/%U\">%s</a>: tick "
	        "messages below and add them, or add every hit of this search.</p>"
	        "<form method=\"post\" action=\"/records/foia/%U/add\">", for_ref, for_ref, for_ref);
	web_csrf_field(c);
	filters_hidden(b, s);
	html(b, "<input type=\"hidden\" name=\"all\" value=\"1\"><button type=\"submit\" "
	        "id=\"add-all\">Add all %zu results of this search</button></form></div>", total);
}

static void results(struct web_ctx *c, const struct saved_search_row *s, const char *for_ref,
                    int page)
{
	struct buf *b = &c->res->body;
	struct search_filter f;
	char *error = NULL;
	int orc = ops_search_filter_from(s, &f, &error);
	size_t total = 0;
	int tick = for_ref[0] && web_records_may_change(c);
	struct hits_ctx h = {c, (size_t)(page - 1) * HITS_PER_PAGE, 0, tick, 0};
	f.limit = (size_t)page * HITS_PER_PAGE;
	html(b, "<section aria-labelledby=\"hits-h\"><h2 id=\"hits-h\">Results</h2>");
	struct buf table;
	buf_init(&table, WEB_RESPONSE_MAX);
	if (orc == OPS_OK) {
		/* the rows are written after the controls that need the total: into their own
		 * buffer first */
		struct buf page_body = c->res->body;
		c->res->body = table;
		orc = ops_search(c->store, &c->actor, &f, hit_row, &h, &total, &error);
		table = c->res->body;
		c->res->body = page_body;
		b = &c->res->body;
	}
	if (orc != OPS_OK) {
		html(b, "<p role=\"alert\">%s</p></section>", error);
		free(error);
		buf_free(&table);
		return;
	}
	if (tick && total > 0)
		add_controls(c, for_ref, s, total);
	size_t first = (size_t)(page - 1) * HITS_PER_PAGE;
	html(b, "<p class=\"total\" role=\"status\">%zu found</p>", total);
	if (h.shown > 0) {
		html(b, "<p class=\"range\">Showing %zu to %zu, newest first.</p>", first + 1,
		     first + h.shown);
		html(b, "<div class=\"table-wrap\"><table class=\"hits\"><caption class=\"visually-"
		        "hidden\">Messages found</caption><thead><tr>%R<th scope=\"col\">Date</th>"
		        "<th scope=\"col\">Thread</th><th scope=\"col\">From</th><th scope=\"col\">"
		        "Subject and passage</th><th scope=\"col\">Mailbox</th></tr></thead><tbody>",
		     tick ? "<th scope=\"col\"><span class=\"visually-hidden\">Add</span></th>" : "");
		buf_add(b, table.data, table.len);
		html(b, "</tbody></table></div>");
	}
	buf_free(&table);
	if (tick && h.shown > 0) {
		html(b, "<form id=\"add-chosen\" method=\"post\" action=\"/records/foia/%U/add\">",
		     for_ref);
		web_csrf_field(c);
		html(b, "<button type=\"submit\">Add the ticked messages to %s</button></form>",
		     for_ref);
	}
	char *url = filters_url(s, for_ref);
	html(b, "<nav class=\"pager\" aria-label=\"Result pages\">");
	if (page > 1)
		html(b, "<a rel=\"prev\" href=\"/records?%R&amp;page=%d\">Newer results</a> ", url,
		     page - 1);
	if (first + h.shown < total && page < PAGES_MAX)
		html(b, "<a rel=\"next\" href=\"/records?%R&amp;page=%d\">Older results</a>", url,
		     page + 1);
	else if (first + h.shown < total)
		html(b, "<span>More than %d pages: narrow the search.</span>", PAGES_MAX);
	html(b, "</nav></section>");
	free(url);
}

void web_records_page(struct web_ctx *c, const char *rest)
{
	char *error = NULL;
	int orc = ops_foia_may_read(&c->actor, &error);
	if (orc != OPS_OK) {
		web_records_failed(c, orc, error);
		return;
	}
	struct saved_search_row s;
	web_records_filters(c, 0, &s);
	const char *for_ref = query_or_empty(c, "for");
	const char *page_text = web_query(c->req, "page");
	int page = page_text ? atoi(page_text) : 1;
	if (page < 1 || page > PAGES_MAX)
		page = 1;
	/* a search is run once something is asked: the words, or any filter */
	const char *asked[] = {s.query, s.mailbox, s.from, s.to, s.category, s.thread_ref,
	                       s.direction, s.since_day, s.until_day};
	int searched = s.has_attachment;
	for (size_t i = 0; i < sizeof(asked) / sizeof(*asked); i++)
		searched |= asked[i][0] != '\0';
	web_records_begin(c, "Records: search", "/records");
	struct buf *b = &c->res->body;
	html(b, "<h1>Search the stored mail</h1>");
	static const char *const done[] = {"saved", "Search saved.", "deleted",
	                                   "Saved search deleted.", NULL};
	web_records_done(c, done);
	html(b, "<p class=\"note\">Every search is recorded in the audit trail with its words, "
	        "filters and number of hits.</p>");
	search_form(c, &s, for_ref);
	if (searched)
		results(c, &s, for_ref, page);
	saved_searches(c, &s, for_ref, searched);
	web_records_end(c);
}

/* ---- dispatch ---- */

/* The next segment of *path (up to '/'), as a new string; *path moves past it. */
static char *segment(const char **path)
{
	const char *p = *path;
	const char *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : strlen(p);
	*path = slash ? slash + 1 : p + n;
	return n ? xstrndup(p, n) : NULL;
}

void web_records_get(struct web_ctx *c, const char *rest)
{
	const char *p = rest;
	char *area = segment(&p), *ref = segment(&p), *m = segment(&p), *message = segment(&p);
	int extra = *p != '\0';
	if (area == NULL || strcmp(area, "foia") != 0 || extra)
		web_not_found(c);
	else if (ref == NULL)
		web_foia_register(c);
	else if (m == NULL)
		web_foia_request(c, ref);
	else if (strcmp(m, "m") == 0 && message != NULL)
		web_review_page(c, ref, message);
	else
		web_not_found(c);
	free(area), free(ref), free(m), free(message);
}

void web_records_action(struct web_ctx *c, const char *rest)
{
	const char *p = rest;
	char *area = segment(&p);
	if (area != NULL && strcmp(area, "saved") == 0) {
		if (*p == '\0')
			saved_save(c);
		else
			saved_delete(c, p);
		free(area);
		return;
	}
	char *ref = segment(&p), *second = segment(&p), *message = segment(&p);
	char *action = segment(&p);
	if (area == NULL || strcmp(area, "foia") != 0 || *p != '\0')
		web_not_found(c);
	else if (ref == NULL)
		web_foia_create(c);
	else if (second != NULL && message == NULL)
		web_foia_action(c, ref, second);
	else if (second != NULL && strcmp(second, "m") == 0 && action != NULL)
		web_review_action(c, ref, message, action);
	else
		web_not_found(c);
	free(area), free(ref), free(second), free(message), free(action);
}
