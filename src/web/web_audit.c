/* web_audit.c — Audit (to be written). */
#include "web_audit.h"

#include "web_html.h"

void web_audit_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Audit", "audit");
	html(&c->res->body, "<h1>Audit</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_audit_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Audit", "audit");
	html(&c->res->body, "<h1>Audit</h1><p>Not built yet.</p>");
	web_page_end(c);
}

