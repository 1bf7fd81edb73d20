/* web_export.c — Production (to be written). */
#include "web_export.h"

#include "web_html.h"

void web_export_get(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Production", "records");
	html(&c->res->body, "<h1>Production</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_export_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Production", "records");
	html(&c->res->body, "<h1>Production</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_export_job(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Production", "records");
	html(&c->res->body, "<h1>Production</h1><p>Not built yet.</p>");
	web_page_end(c);
}

