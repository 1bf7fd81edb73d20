/* web_holds.c — Holds (to be written). */
#include "web_holds.h"

#include "web_html.h"

void web_holds_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Holds", "records");
	html(&c->res->body, "<h1>Holds</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_holds_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Holds", "records");
	html(&c->res->body, "<h1>Holds</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_retention_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Holds", "records");
	html(&c->res->body, "<h1>Holds</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_retention_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Holds", "records");
	html(&c->res->body, "<h1>Holds</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_verify_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Holds", "records");
	html(&c->res->body, "<h1>Holds</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_verify_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Holds", "records");
	html(&c->res->body, "<h1>Holds</h1><p>Not built yet.</p>");
	web_page_end(c);
}

