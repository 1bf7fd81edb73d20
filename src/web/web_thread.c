/* web_thread.c — one thread: its messages (text only: a message's own HTML is never
 * rendered), attachments to download, history, suggested referrals, and the forms of every
 * action, each a POST to /t/REF/ACTION handled by ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_attachment.h"
#include "ops_inbox.h"
#include "ops_list.h"
#include "ops_saved.h"
#include "store.h"
#include "web_html.h"
#include "web_thread.h"
#include "web_presence.h"

struct show_ctx {
	struct web_ctx *c;
	struct ops_thread_item item;
	struct thread_row row;     /* copied: strings below it are owned */
	struct strlist owned;
	int content;
	int found;
	unsigned attachments;      /* numbered across the thread, as ops_attachment_get takes */
	int64_t newest_message;
	int64_t newest_outbox;     /* the thread's newest outbox row the page shows as known */
};

static const char *keep(struct show_ctx *s, const char *v)
{
	if (v == NULL)
		return NULL;
	strlist_add(&s->owned, v);
	return s->owned.items[s->owned.count - 1];
}

static int thread_seen(const struct ops_thread_item *item, void *p)
{
	struct show_ctx *s = p;
	const struct thread_row *r = item->row;
	s->row = *r;
	s->row.ref = keep(s, r->ref);
	s->row.mailbox = keep(s, r->mailbox);
	s->row.status = keep(s, r->status);
	s->row.kind = keep(s, r->kind);
	s->row.correspondent = keep(s, r->correspondent);
	s->row.correspondent_name = keep(s, r->correspondent_name);
	s->row.subject = keep(s, r->subject);
	s->row.category = keep(s, r->category);
	s->row.priority = keep(s, r->priority);
	s->row.assignee = keep(s, r->assignee);
	s->row.rms_number = keep(s, r->rms_number);
	s->row.not_reportable_reason = keep(s, r->not_reportable_reason);
	s->row.preview = NULL;
	s->content = item->content;
	s->found = 1;
	/* the page header is written once the thread is known (the title is its subject) */
	char *subject = html_cut(s->row.subject, 500);
	char title[200];
	snprintf(title, sizeof(title), "%s %s", s->row.ref, subject);
	web_page_begin(s->c, title, NULL);
	struct buf *b = &s->c->res->body;
	html(b, "<article class=\"thread\" data-ref=\"%s\"><h1><span class=\"ref\">%s</span> %s</h1>"
	        "<dl class=\"facts\"><dt>From</dt><dd>%s%R%s%R</dd><dt>Status</dt><dd>%s</dd>"
	        "<dt>Assignee</dt><dd>%s</dd><dt>Category</dt><dd>%s</dd><dt>Troop</dt><dd>%c"
	        " (%s)</dd>",
	     s->row.ref, s->row.ref, subject, s->row.correspondent_name ? s->row.correspondent_name : "",
	     s->row.correspondent_name ? " &lt;" : "", s->row.correspondent,
	     s->row.correspondent_name ? "&gt;" : "", s->row.status,
	     s->row.assignee ? s->row.assignee : "unassigned", s->row.category ? s->row.category : "none",
	     s->row.troop, s->row.mailbox);
	free(subject);
	if (item->due[0])
		html(b, "<dt>First answer due</dt><dd>%s%R</dd>", item->due,
		     item->overdue ? " <strong>(late)</strong>" : "");
	if (s->row.rms_number)
		html(b, "<dt>RMS number</dt><dd>%s</dd>", s->row.rms_number);
	html(b, "<dt>Flags</dt><dd>%s%s%s%s</dd></dl>",
	     s->row.confidential ? "confidential " : "", s->row.reportable ? "reportable " : "",
	     s->row.priority && strcmp(s->row.priority, "urgent") == 0 ? "urgent " : "",
	     !s->row.confidential && !s->row.reportable &&
	             !(s->row.priority && strcmp(s->row.priority, "urgent") == 0) ? "none" : "");
	if (item->suggested && item->suggested->count > 0) {
		html(b, "<p class=\"suggested\">Suggested referrals: ");
		for (size_t i = 0; i < item->suggested->count; i++)
			html(b, "%R%s", i ? ", " : "", item->suggested->items[i]);
		html(b, "</p>");
	}
	if (!s->content)
		html(b, "<p class=\"masked\">This thread is confidential: only its assigned liaison, "
		        "the coordinator and records staff read it.</p>");
	html(b, "<section class=\"messages\" aria-label=\"Messages\">");
	return 0;
}

static int attachment_link(const struct attachment_row *a, void *p)
{
	struct show_ctx *s = p;
	unsigned n = ++s->attachments;
	html(&s->c->res->body, "<li><a href=\"/a/%U/%d\" download>%s</a> <span class=\"size\">"
	                       "(%s, %lld bytes)</span></li>",
	     s->row.ref, (int)n, a->filename ? a->filename : "(unnamed)", a->content_type,
	     (long long)a->size);
	return 0;
}

static int message_seen(const struct message_row *m, void *p)
{
	struct show_ctx *s = p;
	struct buf *b = &s->c->res->body;
	char when[17];
	time_format_local(m->date, when, sizeof(when));
	int out = m->direction && strcmp(m->direction, "out") == 0;
	html(b, "<article class=\"message %s\" id=\"m%lld\"><header><span class=\"dir\">%s</span> "
	        "<strong>%s</strong> %s<br><span class=\"to\">To: %s</span> · <time>%s</time>"
	        "</header>",
	     out ? "out" : "in", (long long)m->id, out ? "Sent" : "Received",
	     m->from_name ? m->from_name : "", m->from_addr, m->to_text ? m->to_text : "", when);
	if (m->quarantine_reason)
		html(b, "<p class=\"quarantine\">Kept raw and quarantined: %s</p>", m->quarantine_reason);
	html(b, "<pre class=\"text\">%s</pre>", m->text ? m->text : "");
	html(b, "<ul class=\"attachments\">");
	store_attachments_list(s->c->store, m->id, attachment_link, s);
	html(b, "</ul></article>");
	return 0;
}

static int history_entry(const struct history_row *h, void *p)
{
	struct show_ctx *s = p;
	char when[17];
	time_format_local(h->at, when, sizeof(when));
	int note = strcmp(h->action, "note") == 0;
	html(&s->c->res->body, "<li class=\"%s\"><time>%s</time> <strong>%s</strong> %s%R%s</li>",
	     note ? "note" : "op", when, h->user, note ? "" : h->action, note ? "<span class=\"badge\">"
	     "Internal note</span> " : ": ", h->details ? h->details : "");
	return 0;
}

struct saved_ctx {
	struct buf *b;
	int n;
};

static int saved_option(const struct template_saved *t, void *p)
{
	struct saved_ctx *sc = p;
	html(sc->b, "<option value=\"%s.%s\">%s (%s)</option>", t->name, t->lang,
	     t->title ? t->title : t->name, strcmp(t->lang, "es") == 0 ? "español" : "English");
	sc->n++;
	return 0;
}

/* The troop's saved replies: choosing one fills the composer (a GET: nothing is sent). */
static void saved_replies(struct show_ctx *s)
{
	struct web_ctx *c = s->c;
	struct buf options;
	buf_init(&options, 1 << 20);
	struct saved_ctx sc = {&options, 0};
	char *error = NULL;
	if (ops_saved_list(c->store, &c->actor, s->row.ref, saved_option, &sc, &error) == OPS_OK &&
	    sc.n > 0) {
		buf_add(&options, "", 1);
		html(&c->res->body, "<form method=\"get\" action=\"/t/%U#reply\" class=\"saved\">"
		                    "<label>Saved reply <select name=\"saved\">%R</select></label> "
		                    "<button type=\"submit\">Use it</button></form>",
		     s->row.ref, options.data);
	}
	free(error);
	buf_free(&options);
}

/* The saved reply ?saved=NAME.LANG asks for, filled in for this thread, or NULL. */
static char *saved_draft(struct show_ctx *s)
{
	const char *choice = web_query(s->c->req, "saved");
	const char *dot = choice ? strrchr(choice, '.') : NULL;
	if (dot == NULL || dot - choice > 64)
		return NULL;
	char name[65];
	memcpy(name, choice, (size_t)(dot - choice));
	name[dot - choice] = '\0';
	char *text = NULL, *error = NULL;
	if (ops_saved_render(s->c->store, &s->c->actor, s->row.ref, name, dot + 1, &text,
	                     &error) != OPS_OK) {
		free(error);
		return NULL;
	}
	return text;
}

/* Assign to a colleague who works the thread's troop (ops decides who may). */
static void assign_form(struct show_ctx *s)
{
	struct web_ctx *c = s->c;
	struct buf *b = &c->res->body;
	const struct config *config = c->config;
	html(b, "<form method=\"post\" action=\"/t/%U/assign\" class=\"inline\">", s->row.ref);
	web_csrf_field(c);
	html(b, "<label>Assign to <select name=\"assignee\">");
	for (size_t i = 0; i < config->n_users; i++) {
		const struct user_config *u = &config->users[i];
		if (u->role != ROLE_CTL || u->troops == NULL || strchr(u->troops, s->row.troop) == NULL)
			continue;
		html(b, "<option value=\"%s\"%R>%s</option>", u->name,
		     s->row.assignee && strcmp(s->row.assignee, u->name) == 0 ? " selected" : "",
		     u->display_name ? u->display_name : u->name);
	}
	html(b, "</select></label> <button type=\"submit\">Assign</button></form>");
}

/* Ask the coordinator for an engagement event that grew out of this thread. */
static void event_form(struct show_ctx *s)
{
	struct web_ctx *c = s->c;
	struct buf *b = &c->res->body;
	html(b, "<form method=\"post\" action=\"/t/%U/event\" class=\"event-form\">", s->row.ref);
	web_csrf_field(c);
	html(b, "<h3>Request an engagement event</h3>"
	        "<label>Date <input type=\"date\" name=\"date\" required></label> "
	        "<label>Place <input name=\"place\" size=\"24\" maxlength=\"200\" required></label> "
	        "<label>Kind <select name=\"kind\"><option value=\"community-group\">community "
	        "group</option><option value=\"school\">school</option><option value=\"business\">"
	        "business</option><option value=\"faith\">faith</option></select></label> "
	        "<button type=\"submit\">Request</button></form>");
}

/* The forms of the actions: each works without JavaScript. */
static void action_forms(struct show_ctx *s)
{
	struct web_ctx *c = s->c;
	struct buf *b = &c->res->body;
	const char *ref = s->row.ref;
	html(b, "<section class=\"actions\" aria-label=\"Actions\"><h2>Work this thread</h2>");
	html(b, "<form method=\"post\" action=\"/t/%U/take\" class=\"inline\">", ref);
	web_csrf_field(c);
	html(b, "<button type=\"submit\" data-key=\"a\">Take</button></form>");
	assign_form(s);
	html(b, "<form method=\"post\" action=\"/t/%U/status\" class=\"inline\">", ref);
	web_csrf_field(c);
	html(b, "<label>Status <select name=\"status\">");
	static const char *const statuses[] = {"new", "open", "waiting"};
	for (size_t i = 0; i < 3; i++)
		html(b, "<option%R>%s</option>", strcmp(s->row.status, statuses[i]) == 0 ? " selected" : "",
		     statuses[i]);
	html(b, "</select></label> <button type=\"submit\">Set</button></form>");
	html(b, "<form method=\"post\" action=\"/t/%U/category\" class=\"inline\">", ref);
	web_csrf_field(c);
	html(b, "<label>Category <input name=\"category\" size=\"14\" value=\"%s\"></label> "
	        "<button type=\"submit\">Set</button></form>", s->row.category ? s->row.category : "");
	static const char *const flags[] = {"confidential", "reportable", "urgent"};
	for (size_t i = 0; i < 3; i++) {
		int on = i == 0 ? s->row.confidential : i == 1 ? s->row.reportable
		       : s->row.priority && strcmp(s->row.priority, "urgent") == 0;
		html(b, "<form method=\"post\" action=\"/t/%U/flag\" class=\"inline\">", ref);
		web_csrf_field(c);
		html(b, "<input type=\"hidden\" name=\"flag\" value=\"%s\"><input type=\"hidden\" "
		        "name=\"on\" value=\"%d\"><button type=\"submit\">%s %s</button></form>",
		     flags[i], !on, on ? "Clear" : "Mark", flags[i]);
	}
	/* a note and a reply look nothing alike: a note is yellow, internal, never sent */
	html(b, "<form method=\"post\" action=\"/t/%U/note\" class=\"note-form\" id=\"note\">", ref);
	web_csrf_field(c);
	html(b, "<h3>Internal note <span class=\"badge\">not sent to anyone</span></h3>"
	        "<label for=\"note-text\" class=\"visually-hidden\">Note</label>"
	        "<textarea id=\"note-text\" name=\"text\" rows=\"3\" required></textarea>"
	        "<button type=\"submit\">Add note</button></form>");
	saved_replies(s);
	char *draft = saved_draft(s);
	html(b, "<form method=\"post\" action=\"/t/%U/reply\" class=\"reply-form\" id=\"reply\">",
	     ref);
	web_csrf_field(c);
	html(b, "<h3>Reply to %s <span class=\"badge send\">sent by e-mail</span></h3>"
	        "<input type=\"hidden\" name=\"seen\" value=\"%lld\">"
	        "<input type=\"hidden\" name=\"seen_outbox\" value=\"%lld\">"
	        "<label for=\"reply-text\" class=\"visually-hidden\">Reply</label>"
	        "<textarea id=\"reply-text\" name=\"body\" rows=\"8\" required>%s</textarea>"
	        "<button type=\"submit\">Preview the reply</button></form>",
	     s->row.correspondent, (long long)s->newest_message, (long long)s->newest_outbox,
	     draft ? draft : "");
	free(draft);
	html(b, "<form method=\"post\" action=\"/t/%U/close\" class=\"close-form\">", ref);
	web_csrf_field(c);
	html(b, "<h3>Close</h3><label>RMS number <input name=\"rms\" size=\"16\"></label> "
	        "<label>or why it is not reportable <input name=\"reason\" size=\"30\"></label> "
	        "<button type=\"submit\">Close thread</button></form>");
	event_form(s);
	if (c->config->n_services == 0) { /* no [service] configured: nothing to refer to */
		html(b, "</section>");
		return;
	}
	html(b, "<form method=\"post\" action=\"/t/%U/refer\" class=\"refer-form\">", ref);
	web_csrf_field(c);
	html(b, "<h3>Refer</h3><label>Service <select name=\"service\">");
	for (size_t i = 0; i < c->config->n_services; i++)
		html(b, "<option value=\"%s\">%s</option>", c->config->services[i].id,
		     c->config->services[i].name);
	html(b, "</select></label> <label>Note <input name=\"note\" size=\"30\"></label> "
	        "<label><input type=\"checkbox\" name=\"send\" value=\"1\"> send the service's "
	        "details to %s</label> <button type=\"submit\">Refer</button></form>",
	     s->row.correspondent);
	html(b, "</section>");
}

static void presence_line(const struct web_presence *p, void *ctx)
{
	struct buf *b = ctx;
	html(b, "<li>%s %R</li>", p->user, p->writing ? "is writing a reply" : "is viewing");
}

static const char *done_text(const char *done)
{
	static const struct {
		const char *key, *text;
	} texts[] = {
		{"take", "The thread is yours."}, {"status", "Status set."},
		{"category", "Category set."}, {"flag", "Flag changed."}, {"note", "Note added."},
		{"reply", "Reply queued: it is sent within a minute (see My outbox)."},
		{"close", "Thread closed."}, {"refer", "Referral recorded."},
		{"assign", "Assigned."},
		{"event", "Event requested: the coordinator decides (see liaison events)."},
	};
	for (size_t i = 0; done != NULL && i < sizeof(texts) / sizeof(*texts); i++)
		if (strcmp(done, texts[i].key) == 0)
			return texts[i].text;
	return NULL;
}

void web_thread_page(struct web_ctx *c, const char *ref)
{
	struct show_ctx s = {.c = c};
	char *error = NULL;
	int orc = ops_show(c->store, &c->actor, ref, thread_seen, message_seen, &s, &error);
	if (orc == OPS_REFUSED || orc == OPS_NOT_FOUND || orc == OPS_INVALID || !s.found) {
		/* another troop's thread is "not found": its existence is not for this reader */
		free(error);
		strlist_free(&s.owned);
		web_not_found(c);
		return;
	}
	struct buf *b = &c->res->body;
	html(b, "</section>");
	struct buf others;
	buf_init(&others, 1 << 20);
	web_presence_others(c->app, s.row.ref, c->actor.user->name, c->req->now, presence_line,
	                    &others);
	if (others.len > 0) {
		buf_add(&others, "", 1);
		html(b, "<ul class=\"presence\" role=\"status\">%R</ul>", others.data);
	}
	buf_free(&others);
	web_presence_touch(c->app, s.row.ref, c->actor.user->name, 0, c->req->now);
	char *seen_error = NULL;
	if (ops_thread_mark_seen(c->store, &c->actor, &s.row, c->req->now, &seen_error) != OPS_OK)
		free(seen_error); /* only the bold in the inbox is lost */
	if (orc != OPS_OK)
		html(b, "<p role=\"alert\">%s</p>", error);
	free(error);
	error = NULL;
	const char *done = done_text(web_query(c->req, "done"));
	if (done != NULL)
		html(b, "<p class=\"done\" role=\"status\">%s</p>", done);
	if (s.content) {
		html(b, "<section class=\"history\" aria-label=\"History\"><h2>History and notes</h2>"
		        "<ol>");
		if (ops_history_list(c->store, &c->actor, s.row.ref, history_entry, &s, &error) != OPS_OK)
			html(b, "<li role=\"alert\">%s</li>", error);
		free(error);
		html(b, "</ol></section>");
	}
	char *marker_error = NULL;
	if (ops_reply_markers(c->store, &c->actor, s.row.ref, &s.newest_message, &s.newest_outbox,
	                      &marker_error) != OPS_OK)
		free(marker_error); /* the composer then checks nothing new: as the command line */
	action_forms(&s);
	html(b, "</article>");
	web_page_end(c);
	strlist_free(&s.owned);
}

void web_attachment(struct web_ctx *c, const char *rest)
{
	char ref[64];
	unsigned number = 0;
	const char *slash = strchr(rest, '/');
	if (slash == NULL || (size_t)(slash - rest) >= sizeof(ref) || sscanf(slash + 1, "%u", &number) != 1) {
		web_not_found(c);
		return;
	}
	memcpy(ref, rest, (size_t)(slash - rest));
	ref[slash - rest] = '\0';
	struct ops_attachment att;
	char *error = NULL;
	int orc = ops_attachment_get(c->store, &c->actor, ref, number, &att, &error);
	if (orc != OPS_OK) {
		free(error);
		web_not_found(c);
		return;
	}
	/* always a download, never shown in the page's origin; the name made safe */
	struct buf name;
	buf_init(&name, 1 << 20);
	for (const char *p = att.filename ? att.filename : "attachment"; *p && name.len < 120; p++) {
		unsigned char ch = (unsigned char)*p;
		buf_addf(&name, "%c", ch >= 0x20 && ch < 0x7f && !strchr("\"\\/;:*?<>|", ch) ? ch : '_');
	}
	buf_add(&name, "", 1);
	char *disposition = xasprintf("attachment; filename=\"%s\"", name.data);
	web_add_header(c->res, "Content-Disposition", disposition);
	free(disposition);
	buf_free(&name);
	c->res->content_type = "application/octet-stream";
	buf_add(&c->res->body, att.content, att.size);
	ops_attachment_clear(&att);
}
