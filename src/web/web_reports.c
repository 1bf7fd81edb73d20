/* web_reports.c — Reports (to be written). */
#include "web_reports.h"

#include "web_html.h"

void web_reports_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Reports", "reports");
	html(&c->res->body, "<h1>Reports</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_reports_get(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Reports", "reports");
	html(&c->res->body, "<h1>Reports</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_reports_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Reports", "reports");
	html(&c->res->body, "<h1>Reports</h1><p>Not built yet.</p>");
	web_page_end(c);
}

