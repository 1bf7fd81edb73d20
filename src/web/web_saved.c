/* web_saved.c — Saved replies (to be written). */
#include "web_saved.h"

#include "web_html.h"

void web_saved_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Saved replies", "saved");
	html(&c->res->body, "<h1>Saved replies</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_saved_get(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Saved replies", "saved");
	html(&c->res->body, "<h1>Saved replies</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_saved_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Saved replies", "saved");
	html(&c->res->body, "<h1>Saved replies</h1><p>Not built yet.</p>");
	web_page_end(c);
}

