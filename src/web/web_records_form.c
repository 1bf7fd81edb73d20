/* web_records_form.c — what the records office's pages share (see web_records_form.h). */
#include "web_records_form.h"

#include <stdlib.h>
#include <string.h>

#include "ops_foia.h"
#include "ops_foia_exemptions.h"
#include "web_html.h"

const char *web_records_field(struct web_ctx *c, const char *name)
{
	const char *v = web_form(c->req, name);
	return v ? v : "";
}

int web_records_may_change(struct web_ctx *c)
{
	char *error = NULL;
	int rc = ops_foia_may_change(&c->actor, &error);
	free(error);
	return rc == OPS_OK;
}

void web_records_exemption_select(struct web_ctx *c, const char *id)
{
	struct buf *b = &c->res->body;
	size_t n = 0;
	const struct foia_exemption *e = ops_foia_exemptions(&n);
	html(b, "<label for=\"%s\">Exemption (Conn. Gen. Stat. § 1-210(b))</label>"
	        "<select id=\"%s\" name=\"exemption\" required><option value=\"\">Choose an "
	        "exemption</option>", id, id);
	for (size_t i = 0; i < n; i++)
		html(b, "<option value=\"%s\">%s — %s</option>", e[i].citation, e[i].citation,
		     e[i].name);
	html(b, "</select>");
}

void web_records_back(struct web_ctx *c, const char *path, const char *done)
{
	char *to = xasprintf("%s?done=%s", path, done);
	web_redirect(c->res, to);
	free(to);
}

void web_records_done(struct web_ctx *c, const char *const *texts)
{
	const char *done = web_query(c->req, "done");
	for (size_t i = 0; done != NULL && texts[i] != NULL; i += 2)
		if (strcmp(done, texts[i]) == 0)
			html(&c->res->body, "<p class=\"done\" role=\"status\">%s</p>", texts[i + 1]);
}

static const char *value(struct web_ctx *c, int form, const char *name)
{
	const char *v = form ? web_form(c->req, name) : web_query(c->req, name);
	return v ? v : "";
}

void web_records_filters(struct web_ctx *c, int form, struct saved_search_row *s)
{
	memset(s, 0, sizeof(*s));
	s->query = value(c, form, "q");
	s->mailbox = value(c, form, "mailbox");
	s->from = value(c, form, "from");
	s->to = value(c, form, "to");
	s->category = value(c, form, "category");
	s->thread_ref = value(c, form, "thread");
	s->direction = value(c, form, "direction");
	s->since_day = value(c, form, "since");
	s->until_day = value(c, form, "until");
	s->has_attachment = value(c, form, "attachment")[0] != '\0';
}

void web_records_failed(struct web_ctx *c, int ops_result, char *error)
{
	web_ops_error(c, ops_result, error);
	free(error);
}

/* The records office's own pages, for its second navigation (the other pages of the office:
 * production, holds, retention, verification, are web_export.c's and web_holds.c's). */
static const struct {
	const char *href, *title;
} records_pages[] = {
	{"/records", "Search"},
	{"/records/foia", "FOIA register"},
	{"/records/holds", "Holds"},
	{"/records/retention", "Retention"},
	{"/records/verify", "Verify"},
};

void web_records_begin(struct web_ctx *c, const char *title, const char *current)
{
	struct buf *b = &c->res->body;
	web_page_begin(c, title, "records");
	html(b, "<div class=\"records\"><nav class=\"records-nav\" aria-label=\"Records\"><ul>");
	for (size_t i = 0; i < sizeof(records_pages) / sizeof(*records_pages); i++)
		html(b, "<li><a href=\"%s\"%R>%s</a></li>", records_pages[i].href,
		     current && strcmp(current, records_pages[i].href) == 0 ? " aria-current=\"page\""
		                                                             : "",
		     records_pages[i].title);
	html(b, "</ul></nav>");
	web_page_script(c, "records.js");
}

void web_records_end(struct web_ctx *c)
{
	html(&c->res->body, "</div>");
	web_page_end(c);
}
