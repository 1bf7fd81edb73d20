/* web_program.c — Program (to be written). */
#include "web_program.h"

#include "web_html.h"

void web_program_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	web_page_begin(c, "Program", "program");
	html(&c->res->body, "<h1>Program</h1><p>Not built yet.</p>");
	web_page_end(c);
}

