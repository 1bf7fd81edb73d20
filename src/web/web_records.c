/* web_records.c — Records (to be written). */
#include "web_records.h"

#include "web_html.h"

void web_records_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Records", "records");
	html(&c->res->body, "<h1>Records</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_records_get(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Records", "records");
	html(&c->res->body, "<h1>Records</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_records_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Records", "records");
	html(&c->res->body, "<h1>Records</h1><p>Not built yet.</p>");
	web_page_end(c);
}
