/* web_page.c — what every page shares: the frame, the form token, dates, errors (see
 * web_page.h). */
#include "web_page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ops_inbox.h"
#include "web_html.h"

const char *web_session_cookie_name(const struct web_request *req)
{
	/* __Host-: the browser keeps it only from a secure origin, for this host and path /,
	 * so no other site or subdomain can plant or read it */
	return req->https ? "__Host-liaison" : "liaison";
}

void web_csrf_field(struct web_ctx *c)
{
	html(&c->res->body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", c->csrf);
}

/* The program's and the records office's screens, for the roles that use them: the
 * coordinator (and admin) watch every troop and approve events; records staff (and admin)
 * answer public-records requests; the coordinator also reads the records pages.  ops decides
 * what each may do there; the links only spare people pages that would refuse them. */
struct nav_link {
	const char *href, *name, *title;
	unsigned roles; /* bit per enum user_role */
};
#define R(role) (1u << (role))
static const struct nav_link program_links[] = {
	{"/program", "program", "Program", R(ROLE_COORDINATOR) | R(ROLE_ADMIN)},
	{"/events", "events", "Events", R(ROLE_CTL) | R(ROLE_COORDINATOR) | R(ROLE_ADMIN)},
	{"/reports", "reports", "Reports", R(ROLE_CTL) | R(ROLE_COORDINATOR) | R(ROLE_RECORDS) |
	                                   R(ROLE_ADMIN)},
	{"/saved", "saved", "Saved replies", R(ROLE_COORDINATOR) | R(ROLE_ADMIN)},
	{"/audit", "audit", "Audit", R(ROLE_COORDINATOR) | R(ROLE_RECORDS) | R(ROLE_ADMIN)},
	{"/records", "records", "Records", R(ROLE_COORDINATOR) | R(ROLE_RECORDS) | R(ROLE_ADMIN)},
};
#undef R

static void program_nav(struct web_ctx *c, const char *current)
{
	struct buf *b = &c->res->body;
	unsigned mine = 1u << c->actor.user->role;
	int any = 0;
	for (size_t i = 0; i < sizeof(program_links) / sizeof(*program_links); i++) {
		const struct nav_link *l = &program_links[i];
		if (!(l->roles & mine))
			continue;
		if (!any)
			html(b, "<nav class=\"program\" aria-label=\"Program and records\"><ul>");
		any = 1;
		int here = current != NULL && strcmp(current, l->name) == 0;
		html(b, "<li><a href=\"%s\"%R>%s</a></li>", l->href,
		     here ? " aria-current=\"page\"" : "", l->title);
	}
	if (any)
		html(b, "</ul></nav>");
}

static void nav(struct web_ctx *c, const char *current)
{
	struct buf *b = &c->res->body;
	html(b, "<nav class=\"views\" aria-label=\"Views\"><ul>");
	for (int v = 0; v < OPS_VIEW_COUNT; v++) {
		const char *name = ops_view_name((enum ops_view)v);
		int here = current != NULL && strcmp(current, name) == 0;
		html(b, "<li><a href=\"/?view=%s\"%R data-view=\"%s\">%s <span class=\"count\" "
		        "data-count=\"%s\"></span></a></li>",
		     name, here ? " aria-current=\"page\"" : "", name,
		     ops_view_title((enum ops_view)v), name);
	}
	html(b, "<li><a href=\"/outbox\"%R>My outbox</a></li></ul></nav>",
	     current != NULL && strcmp(current, "outbox") == 0 ? " aria-current=\"page\"" : "");
	program_nav(c, current);
}

void web_page_begin(struct web_ctx *c, const char *title, const char *current)
{
	struct buf *b = &c->res->body;
	html(b, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	        "<title>%s — liaison</title>"
	        "<link rel=\"stylesheet\" href=\"/static/app.css\">"
	        "<link rel=\"stylesheet\" href=\"/static/program.css\">"
	        "<link rel=\"stylesheet\" href=\"/static/reports.css\">"
	        "<link rel=\"stylesheet\" href=\"/static/records.css\">"
	        "<link rel=\"stylesheet\" href=\"/static/export.css\">"
	        "<script src=\"/static/app.js\" defer></script></head><body>"
	        "<a class=\"skip\" href=\"#main\">Skip to content</a>", title);
	if (c->actor.user != NULL) {
		const char *who = c->actor.user->display_name ? c->actor.user->display_name
		                                              : c->actor.user->name;
		html(b, "<header class=\"top\"><a class=\"brand\" href=\"/\">liaison</a>"
		        "<form class=\"search\" role=\"search\" action=\"/\" method=\"get\">"
		        "<label for=\"q\" class=\"visually-hidden\">Search mail</label>"
		        "<input id=\"q\" name=\"q\" type=\"search\" placeholder=\"Search\" "
		        "value=\"%s\"></form>"
		        "<span class=\"who\">%s</span>"
		        "<form action=\"/signout\" method=\"post\" class=\"signout\">",
		     web_query(c->req, "q"), who);
		web_csrf_field(c);
		html(b, "<button type=\"submit\">Sign out</button></form></header>");
		nav(c, current);
	}
	html(b, "<main id=\"main\" tabindex=\"-1\" data-csrf=\"%s\">", c->csrf);
}

void web_page_script(struct web_ctx *c, const char *name)
{
	html(&c->res->body, "<script src=\"/static/%s\" defer></script>", name);
}

void web_page_end(struct web_ctx *c)
{
	html(&c->res->body, "</main><div id=\"help\" hidden></div></body></html>\n");
}

/* Where an error page sends people back to: the screen the request was for ("Back to the
 * records desk" from /records/...), else the inbox. */
static void back_link(struct web_ctx *c)
{
	static const struct {
		const char *prefix, *href, *name;
	} screens[] = {
		{"/records", "/records", "the records desk"}, {"/reports", "/reports", "the reports"},
		{"/events", "/events", "the events"}, {"/saved", "/saved", "the saved replies"},
		{"/audit", "/audit", "the audit trail"}, {"/program", "/program", "the program"},
	};
	const char *path = c->req->path ? c->req->path : "";
	for (size_t i = 0; i < sizeof(screens) / sizeof(*screens); i++) {
		size_t n = strlen(screens[i].prefix);
		if (strncmp(path, screens[i].prefix, n) == 0 && (path[n] == '\0' || path[n] == '/')) {
			html(&c->res->body, "<a href=\"%s\">Back to %s</a>", screens[i].href,
			     screens[i].name);
			return;
		}
	}
	html(&c->res->body, "<a href=\"/\">Back to the inbox</a>");
}

void web_not_found(struct web_ctx *c)
{
	c->res->status = 404;
	buf_reset(&c->res->body);
	web_page_begin(c, "Not found", NULL);
	html(&c->res->body, "<h1>Not found</h1><p>There is nothing here that you may see. ");
	back_link(c);
	html(&c->res->body, "</p>");
	web_page_end(c);
}

void web_busy_page(struct web_ctx *c)
{
	c->res->status = 503;
	buf_reset(&c->res->body);
	web_page_begin(c, "Busy, retry", NULL);
	html(&c->res->body, "<h1>Busy: try again in a few seconds</h1><p role=\"alert\">The "
	     "database is busy with a long task (a report, a backup). Nothing was changed.</p><p>");
	/* a page that was only read can simply be asked for again; a form must be sent again */
	if (c->req->method && strcmp(c->req->method, "GET") == 0)
		html(&c->res->body, "<a href=\"%s\">Try again</a></p><p>", c->req->path);
	else
		html(&c->res->body, "Go back and send the form again in a few seconds.</p><p>");
	back_link(c);
	html(&c->res->body, "</p>");
	web_page_end(c);
}

void web_ops_error(struct web_ctx *c, int ops_result, const char *error)
{
	if (ops_result == OPS_NOT_FOUND) {
		web_not_found(c);
		return;
	}
	c->res->status = ops_result == OPS_REFUSED ? 403 : ops_result == OPS_CONFLICT ? 409
	               : ops_result == OPS_INVALID ? 400 : 500;
	buf_reset(&c->res->body);
	web_page_begin(c, "Not done", NULL);
	html(&c->res->body, "<h1>Not done</h1><p role=\"alert\">%s</p><p>",
	     error ? error : "It failed.");
	back_link(c);
	html(&c->res->body, "</p>");
	web_page_end(c);
}
