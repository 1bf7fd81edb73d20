/* web_actions.c — the thread's actions: POST /t/REF/ACTION, each one ops call, then back to
 * the thread (303, so a reload never repeats it).  A reply is shown first exactly as it will
 * go out and sent only when confirmed naming its recipient. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "ops.h"
#include "ops_event.h"
#include "ops_policy.h"
#include "web_html.h"
#include "web_actions.h"
#include "web_page.h"
#include "web_presence.h"

/* A form field, or "" (never NULL: ops report an empty value as it deserves). */
static const char *field(struct web_ctx *c, const char *name)
{
	const char *v = web_form(c->req, name);
	return v ? v : "";
}

static const char *optional(struct web_ctx *c, const char *name)
{
	const char *v = web_form(c->req, name);
	return v && v[0] ? v : NULL;
}

static void back_to_thread(struct web_ctx *c, const char *ref, const char *done)
{
	char *enc = web_url_encode(ref);
	char *to = xasprintf("/t/%s?done=%s", enc, done);
	web_redirect(c->res, to);
	free(to);
	free(enc);
}

/* The hidden fields that carry a reply from the composer to its confirmation. */
static void reply_fields(struct web_ctx *c)
{
	html(&c->res->body, "<input type=\"hidden\" name=\"body\" value=\"%s\"><input "
	                    "type=\"hidden\" name=\"seen\" value=\"%s\"><input type=\"hidden\" "
	                    "name=\"seen_outbox\" value=\"%s\">",
	     field(c, "body"), field(c, "seen"), field(c, "seen_outbox"));
}

/* The reply exactly as it will go out (ops composes it as it would queue it), what the
 * policy check found in it, and a button that sends it naming the recipient. */
static void reply_confirm(struct web_ctx *c, const char *ref)
{
	char *raw = NULL, *to = NULL, *error = NULL;
	int orc = ops_reply_preview(c->store, &c->actor, ref, field(c, "body"), &raw, &to, &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	struct policy_hits hits = {0};
	char *warning = NULL;
	if (ops_policy_check(field(c, "body"), &hits, &error) > 0)
		warning = ops_policy_describe(&hits, 1);
	free(error);
	struct parsed_message *msg = NULL;
	mime_parse(raw, strlen(raw), NULL, &msg);
	struct buf *b = &c->res->body;
	web_page_begin(c, "Send this reply?", NULL);
	html(b, "<h1>Send this reply to %s?</h1><p>This is the message as it will be sent, from "
	        "the troop's address, in <a href=\"/t/%U\">%s</a>:</p>"
	        "<dl class=\"facts\"><dt>To</dt><dd>%s</dd><dt>From</dt><dd>%s %s</dd>"
	        "<dt>Subject</dt><dd>%s</dd></dl><pre class=\"preview\">%s</pre>"
	        "<details><summary>The message's source</summary><pre class=\"preview\">%s</pre>"
	        "</details>",
	     to, ref, ref, to, msg && msg->from.name ? msg->from.name : "",
	     msg ? msg->from.addr : "", msg ? msg->subject : "",
	     msg ? msg->text : "", raw);
	html(b, "<form method=\"post\" action=\"/t/%U/reply\">", ref);
	web_csrf_field(c);
	reply_fields(c);
	html(b, "<input type=\"hidden\" name=\"confirm\" value=\"1\">");
	if (warning != NULL)
		html(b, "<div class=\"policy\" role=\"alert\"><h2>Check this reply first</h2>"
		        "<p>Liaisons never ask about immigration status (directive H.2.a). The reply "
		        "seems to:</p><pre>%s</pre><p><label><input type=\"checkbox\" "
		        "name=\"confirm_policy\" value=\"1\" required> It does not ask about "
		        "immigration status: send it as it is</label></p></div>", warning);
	html(b, "<button type=\"submit\">Send the reply to %s</button> "
	        "<a href=\"/t/%U#reply\">Back to the thread</a></form>", to, ref);
	web_page_end(c);
	parsed_message_free(&msg);
	ops_policy_hits_free(&hits);
	free(warning);
	free(raw);
	free(to);
}

/* Something came to the thread after the composer was opened: nothing is sent; the draft is
 * kept on the page to send again once the news is read. */
static void reply_not_sent(struct web_ctx *c, const char *ref, const char *why)
{
	struct buf *b = &c->res->body;
	c->res->status = 409;
	web_page_begin(c, "Reply not sent", NULL);
	html(b, "<h1>Your reply was not sent</h1><p role=\"alert\">%s</p>"
	        "<p><a href=\"/t/%U\">Read the thread again</a>, then send your reply if it still "
	        "fits. Your draft:</p><pre class=\"preview\">%s</pre>",
	     why, ref, field(c, "body"));
	web_page_end(c);
}

/* *shown_r 1 when the answer is the confirmation page (nothing done yet). */
static int do_reply(struct web_ctx *c, const char *ref, int *shown_r, char **error_r)
{
	if (web_form(c->req, "confirm") == NULL) {
		reply_confirm(c, ref);
		*shown_r = 1;
		return OPS_OK;
	}
	struct ops_reply_options options = {
		.policy_confirmed = web_form(c->req, "confirm_policy") != NULL,
		.seen_message_id = strtoll(field(c, "seen"), NULL, 10),
		.seen_outbox_id = strtoll(field(c, "seen_outbox"), NULL, 10),
	};
	char *to = NULL;
	int orc = ops_reply(c->store, &c->actor, ref, field(c, "body"), &options, &to, error_r);
	free(to);
	if (orc == OPS_UNCONFIRMED) { /* the box was not ticked: show the warning again */
		free(*error_r);
		*error_r = NULL;
		reply_confirm(c, ref);
		*shown_r = 1;
		return OPS_OK;
	}
	return orc;
}

struct others_ctx {
	struct buf *b;
	int n;
};

static void json_other(const struct web_presence *p, void *ctx)
{
	struct others_ctx *o = ctx;
	/* user names are [user] section names: letters, digits, '-', '_', '.' (no quoting) */
	buf_addf(o->b, "%s{\"user\":\"%s\",\"state\":\"%s\"}", o->n++ ? "," : "", p->user,
	         p->writing ? "writing" : "viewing");
}

/* The page's heartbeat: I am here (viewing or writing); who else is? */
static void presence(struct web_ctx *c, const char *ref)
{
	const char *state = web_form(c->req, "state");
	web_presence_touch(c->app, ref, c->actor.user->name,
	                   state != NULL && strcmp(state, "writing") == 0, c->req->now);
	struct buf *b = &c->res->body;
	c->res->content_type = "application/json";
	buf_addstr(b, "{\"others\":[");
	struct others_ctx o = {b, 0};
	web_presence_others(c->app, ref, c->actor.user->name, c->req->now, json_other, &o);
	buf_addstr(b, "]}");
}

void web_thread_action(struct web_ctx *c, const char *rest)
{
	const char *slash = strrchr(rest, '/');
	if (slash == NULL || slash == rest || (size_t)(slash - rest) >= 64) {
		web_not_found(c);
		return;
	}
	char ref[64];
	memcpy(ref, rest, (size_t)(slash - rest));
	ref[slash - rest] = '\0';
	ops_ref_canonical(ref);
	/* another troop's thread is "not found" here too, as on its page: an action refused
	 * for it would tell that it exists */
	struct ops_thread t;
	char *error = NULL;
	if (ops_thread_load(c->store, &c->actor, ref, &t, &error) != OPS_OK) {
		free(error);
		web_not_found(c);
		return;
	}
	ops_thread_free(&t);
	const char *action = slash + 1;
	if (strcmp(action, "presence") == 0) {
		presence(c, ref);
		return;
	}
	int changed = 0, shown = 0;
	int orc;
	if (strcmp(action, "take") == 0)
		orc = ops_take(c->store, &c->actor, ref, 0, &changed, &error);
	else if (strcmp(action, "assign") == 0)
		orc = ops_assign(c->store, &c->actor, ref, field(c, "assignee"), 0, &changed, &error);
	else if (strcmp(action, "status") == 0)
		orc = ops_status(c->store, &c->actor, ref, field(c, "status"), &error);
	else if (strcmp(action, "category") == 0)
		orc = ops_category(c->store, &c->actor, ref, field(c, "category"), &error);
	else if (strcmp(action, "flag") == 0)
		orc = ops_flag(c->store, &c->actor, ref, field(c, "flag"),
		               strcmp(field(c, "on"), "1") == 0, &error);
	else if (strcmp(action, "note") == 0)
		orc = ops_note(c->store, &c->actor, ref, field(c, "text"), &error);
	else if (strcmp(action, "close") == 0)
		orc = ops_close(c->store, &c->actor, ref, optional(c, "rms"), optional(c, "reason"),
		                &error);
	else if (strcmp(action, "refer") == 0)
		orc = ops_refer(c->store, &c->actor, ref, field(c, "service"), optional(c, "note"),
		                web_form(c->req, "send") != NULL, &error);
	else if (strcmp(action, "event") == 0) {
		struct event_request er = {.ref = ref, .date = field(c, "date"),
		                           .place = field(c, "place"), .kind = field(c, "kind")};
		int64_t id = 0;
		orc = ops_event_request(c->store, &c->actor, &er, &id, &error);
	} else if (strcmp(action, "reply") == 0) {
		orc = do_reply(c, ref, &shown, &error);
		if (shown)
			return;
	} else {
		web_not_found(c);
		return;
	}
	if (orc == OPS_OK)
		back_to_thread(c, ref, action);
	else if (orc == OPS_CONFLICT && strcmp(action, "reply") == 0)
		reply_not_sent(c, ref, error);
	else
		web_ops_error(c, orc, error);
	free(error);
}
