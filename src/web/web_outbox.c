/* web_outbox.c — My outbox: the replies I wrote, their state, and cancelling one while it is
 * still queued. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_outbox.h"
#include "web_html.h"
#include "web_outbox.h"

struct mine_ctx {
	struct web_ctx *c;
	int n;
};

static int outbox_row(const struct outbox_row *r, void *p)
{
	struct mine_ctx *m = p;
	struct web_ctx *c = m->c;
	if (r->created_by == NULL || strcmp(r->created_by, c->actor.user->name) != 0)
		return 0;
	struct buf *b = &c->res->body;
	char when[17];
	time_format_local(r->created_at, when, sizeof(when));
	html(b, "<tr><td><a href=\"/outbox/%lld\">%lld</a></td><td><a href=\"/t/%U\">%s</a></td>"
	        "<td>%s</td><td>%s</td>"
	        "<td class=\"status %s\">%s%R%s</td><td>",
	     (long long)r->id, (long long)r->id, r->thread_ref ? r->thread_ref : "",
	     r->thread_ref ? r->thread_ref : "-",
	     r->recipient, when, r->status, r->status, r->last_error ? "<br>" : "",
	     r->last_error ? r->last_error : "");
	if (strcmp(r->status, "queued") == 0) {
		html(b, "<form method=\"post\" action=\"/outbox/%lld/cancel\">", (long long)r->id);
		web_csrf_field(c);
		html(b, "<button type=\"submit\">Cancel</button></form>");
	}
	html(b, "</td></tr>");
	m->n++;
	return 0;
}

void web_outbox_page(struct web_ctx *c, const char *rest)
{
	web_page_begin(c, "My outbox", "outbox");
	struct buf *b = &c->res->body;
	html(b, "<h1>My outbox</h1><table class=\"outbox\"><thead><tr><th scope=\"col\">No.</th>"
	        "<th scope=\"col\">Thread</th><th scope=\"col\">To</th><th scope=\"col\">Written</th>"
	        "<th scope=\"col\">State</th><th scope=\"col\">Action</th></tr></thead><tbody>");
	struct mine_ctx m = {c, 0};
	char *error = NULL;
	int orc = ops_outbox_list(c->store, &c->actor, NULL, outbox_row, &m, &error);
	html(b, "</tbody></table>");
	if (orc != OPS_OK)
		html(b, "<p role=\"alert\">%s</p>", error);
	else if (m.n == 0)
		html(b, "<p class=\"empty\">You have no replies in the outbox.</p>");
	free(error);
	web_page_end(c);
}

static int preview_row(const struct outbox_row *r, void *p)
{
	struct web_ctx *c = p;
	struct buf *b = &c->res->body;
	html(b, "<h1>Outbox message %lld</h1><dl class=\"facts\"><dt>Thread</dt><dd><a "
	        "href=\"/t/%U\">%s</a></dd><dt>To</dt><dd>%s</dd><dt>State</dt><dd>%s</dd>"
	        "<dt>Attempts</dt><dd>%lld</dd></dl><p>The message exactly as it is sent:</p>"
	        "<pre class=\"preview\">",
	     (long long)r->id, r->thread_ref ? r->thread_ref : "", r->thread_ref ? r->thread_ref : "-",
	     r->recipient, r->status, (long long)r->attempts);
	html_text(b, r->raw ? r->raw : "", r->raw ? r->len : 0);
	html(b, "</pre>");
	if (strcmp(r->status, "queued") == 0 && r->created_by != NULL &&
	    strcmp(r->created_by, c->actor.user->name) == 0) {
		html(b, "<form method=\"post\" action=\"/outbox/%lld/cancel\">", (long long)r->id);
		web_csrf_field(c);
		html(b, "<button type=\"submit\">Cancel this reply</button></form>");
	}
	return 1;
}

/* GET /outbox/ID: one row's bytes, as ops lets the actor read them (audited when the
 * thread is confidential). */
void web_outbox_preview(struct web_ctx *c, const char *rest)
{
	int64_t id = 0;
	char extra;
	if (sscanf(rest, "%" SCNd64 "%c", &id, &extra) != 1) {
		web_not_found(c);
		return;
	}
	size_t mark = c->res->body.len;
	web_page_begin(c, "Outbox message", "outbox");
	char *error = NULL;
	int orc = ops_outbox_show(c->store, &c->actor, id, preview_row, c, &error);
	if (orc != OPS_OK) {
		c->res->body.len = mark;
		web_ops_error(c, orc == OPS_REFUSED ? OPS_NOT_FOUND : orc, error);
		free(error);
		return;
	}
	web_page_end(c);
}

void web_outbox_action(struct web_ctx *c, const char *rest)
{
	int64_t id = 0;
	char action[16];
	if (sscanf(rest, "%" SCNd64 "/%15s", &id, action) != 2 || strcmp(action, "cancel") != 0) {
		web_not_found(c);
		return;
	}
	char *error = NULL;
	int orc = ops_outbox_cancel(c->store, &c->actor, id, &error);
	if (orc == OPS_OK)
		web_redirect(c->res, "/outbox");
	else
		web_ops_error(c, orc, error);
	free(error);
}
