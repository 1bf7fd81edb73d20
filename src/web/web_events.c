/* web_events.c — Events (to be written). */
#include "web_events.h"

#include "web_html.h"

void web_events_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Events", "events");
	html(&c->res->body, "<h1>Events</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_events_get(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Events", "events");
	html(&c->res->body, "<h1>Events</h1><p>Not built yet.</p>");
	web_page_end(c);
}

void web_events_action(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Events", "events");
	html(&c->res->body, "<h1>Events</h1><p>Not built yet.</p>");
	web_page_end(c);
}

