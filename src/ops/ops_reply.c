/* ops_reply.c — what liaisons send: replies and referrals to a thread's correspondent, from
 * the troop address, queued in the outbox in the transaction that records them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outbox_queue.h"
#include "lang.h"
#include "mime.h"
#include "ops.h"
#include "ops_policy.h"
#include "ops_vocab.h"
#include "template.h"
#include "thread.h"
#include "util.h"

/* The message a reply answers: the latest one its correspondent wrote (never a bounce that
 * joined the thread, never another person's; a machine's only with force), parsed again from
 * its stored bytes (References are not kept apart from them). */
static int load_latest(struct store *store, const struct ops_thread *t, const struct actor *a,
                       int force, struct parsed_message **msg_r, char **error_r)
{
	char sha[SHA256_HEX_SIZE];
	int found = store_thread_latest_incoming(store, t->id, 0, sha);
	if (found == 0) {
		/* A machine's thread (a bounce, a newsletter): an answer would reach a robot, or
		 * worse, a forged sender.  Only on purpose. */
		found = store_thread_latest_incoming(store, t->id, 1, sha);
		if (found > 0 && !force) {
			*error_r = xasprintf("%s is machine mail (a bounce, a newsletter, an automatic "
			                     "notice): nobody would read a reply; give --force to send it "
			                     "anyway", t->ref);
			return OPS_INVALID;
		}
	}
	if (found <= 0) {
		*error_r = found < 0 ? xasprintf("%s: %s", t->ref, store_error(store))
		                     : xasprintf("%s has no incoming message to answer", t->ref);
		return found < 0 ? OPS_FAILED : OPS_INVALID;
	}
	char *raw = NULL;
	size_t len = 0;
	char recorded[SHA256_HEX_SIZE];
	if (store_raw_get(store, sha, &raw, &len, recorded) <= 0) {
		*error_r = xasprintf("%s: %s", t->ref, store_error(store));
		return OPS_FAILED;
	}
	mime_parse(raw, len, &a->config->limits, msg_r);
	free(raw);
	if ((*msg_r)->from.addr == NULL || (*msg_r)->from.addr[0] == '\0') {
		*error_r = xasprintf("%s: its latest message has no sender address", t->ref);
		parsed_message_free(msg_r);
		return OPS_INVALID;
	}
	return OPS_OK;
}

/* "Re: [CTL K-2026-00042] Original subject", the tag once. */
static char *reply_subject(const char *ref, const char *original)
{
	char tag[THREAD_REF_SIZE];
	const char *base = original ? original : "";
	while (str_has_prefix_nocase(base, "re:") || str_has_prefix_nocase(base, "aw:") ||
	       str_has_prefix_nocase(base, "rv:"))
		base += 3 + strspn(base + 3, " ");
	if (thread_find_subject_tag(base, tag))
		return xasprintf("Re: %s", base);
	return xasprintf("Re: [CTL %s] %s", ref, base);
}

/* A referral recorded with the message that carries it. */
struct referral_rec {
	const char *service, *note;
};

/* What goes to the correspondent, and what records it. */
struct to_correspondent {
	const struct ops_thread *t;
	const struct parsed_message *msg;   /* the message answered */
	const char *body;
	const char *action, *details;       /* "reply" or "refer"; for the history and audit */
	int reopen;
	const struct referral_rec *rec;     /* the referral it carries, or NULL */
	int64_t seen_message, seen_outbox;  /* seen_message 0: not checked */
};

/* The troop's mailbox of t, or NULL with *error_r. */
static const struct mailbox_config *troop_mailbox(const struct actor *a,
                                                  const struct ops_thread *t, char **error_r)
{
	const struct mailbox_config *m = config_find_troop(a->config, t->troop);
	if (m == NULL)
		*error_r = xasprintf("%s: troop %c has no [mailbox] in the configuration", t->ref,
		                     t->troop);
	return m;
}

/* The message to the correspondent, as both the preview and the queue compose it;
 * *subject_r (caller frees) is what tm's subject borrows. */
static void reply_message(const struct actor *a, const struct ops_thread *t,
                          const struct parsed_message *msg, const char *body, int64_t now,
                          struct troop_message *tm_r, char **subject_r)
{
	*subject_r = reply_subject(t->ref, msg->subject);
	*tm_r = (struct troop_message){
		.kind = "reply",
		.to = msg->from.addr,
		.to_name = msg->from.name,
		.author = a->user->name,
		.subject = *subject_r,
		.body = body,
		.answers_msg = msg,
		.thread_id = t->id,
		.now = now,
	};
}

/* ---- what the composer did not show ---------------------------------------------------- */

/* News found since what the composer showed, in words. */
struct news {
	const char *actor;
	int64_t seen_outbox;
	struct strlist items;
};

/* The actor's own mail and liaison's automatic mail are no news to the actor; a reply by
 * someone else is, unless the composer showed it while it was queued. */
static int note_news(const struct thread_news_row *r, void *p)
{
	struct news *n = p;
	int own = r->author != NULL && strcmp(r->author, n->actor) == 0;
	int automatic = r->outbox_id != 0 && r->author == NULL;
	char *item = NULL;
	if (r->message_id != 0 && strcmp(r->direction, "in") == 0)
		item = xasprintf("a message from %s (message %lld)", r->from_addr,
		                 (long long)r->message_id);
	else if (own || automatic || (r->outbox_id != 0 && r->outbox_id <= n->seen_outbox))
		return 0;
	else if (r->message_id != 0)
		item = xasprintf("a message sent by %s (message %lld)",
		                 r->author ? r->author : "someone from the mailbox",
		                 (long long)r->message_id);
	else
		item = xasprintf("a reply by %s, queued (outbox %lld)", r->author,
		                 (long long)r->outbox_id);
	strlist_add(&n->items, item);
	free(item);
	return 0;
}

/* Inside the transaction: OPS_OK when the thread got nothing the composer did not show,
 * OPS_CONFLICT naming what it got, OPS_FAILED. */
static int thread_news(struct store *store, const struct actor *a, const struct to_correspondent *c,
                       char **error_r)
{
	if (c->seen_message == 0)
		return OPS_OK;
	struct news n = {.actor = a->user->name, .seen_outbox = c->seen_outbox};
	if (store_thread_news(store, c->t->id, c->seen_message, c->seen_outbox, note_news, &n) < 0) {
		*error_r = xasprintf("%s: %s", c->t->ref, store_error(store));
		strlist_free(&n.items);
		return OPS_FAILED;
	}
	int rc = OPS_OK;
	if (n.items.count > 0) {
		char *what = strlist_join(&n.items, "; ");
		*error_r = xasprintf("%s has news since you opened it: %s; read it (liaison show %s) "
		                     "before you reply", c->t->ref, what, c->t->ref);
		free(what);
		rc = OPS_CONFLICT;
	}
	strlist_free(&n.items);
	return rc;
}

/* ---- queueing ---------------------------------------------------------------------------- */

/* The store steps after the message is queued: the referral, reopening, the history. */
static int record_sent(struct store *store, const struct actor *a,
                       const struct to_correspondent *c, int64_t now)
{
	const struct ops_thread *t = c->t;
	const struct referral_rec *rec = c->rec;
	if ((rec && store_referral_add(store, t->id, rec->service, a->user->name, now, rec->note,
	                               1) < 0) ||
	    (c->reopen && strcmp(t->status, "closed") == 0 &&
	     (store_thread_set(store, t->id, "status", "open") < 0 ||
	      store_thread_set(store, t->id, "closed_at", NULL) < 0)) ||
	    store_history_add(store, t->id, now, a->user->name, c->action, c->details) < 0)
		return -1;
	return 0;
}

/* Composes and queues c's body to the correspondent, with its records, in one transaction;
 * nothing when the thread has news the composer did not show. */
static int send_to_correspondent(struct store *store, const struct actor *a,
                                 const struct to_correspondent *c, char **error_r)
{
	const struct mailbox_config *m = troop_mailbox(a, c->t, error_r);
	if (m == NULL)
		return OPS_INVALID;
	int64_t now = (int64_t)time(NULL);
	char *subject = NULL;
	struct troop_message tm;
	reply_message(a, c->t, c->msg, c->body, now, &tm, &subject);
	int64_t mailbox_id = 0;
	int rc = ops_begin(store, c->t->ref, error_r);
	if (rc == OPS_OK && (rc = thread_news(store, a, c, error_r)) != OPS_OK)
		store_rollback(store);
	if (rc == OPS_OK) {
		int src = store_mailbox_ensure(store, m->name, m->troop, m->address, &mailbox_id);
		if (src == 0 && outbox_queue_troop_message(store, m, mailbox_id, &tm, error_r) < 0) {
			store_rollback(store);
			rc = OPS_FAILED;
		} else {
			if (src == 0)
				src = record_sent(store, a, c, now);
			rc = ops_commit_audited(store, a, c->action, c->t->ref, c->details, src, error_r);
		}
	}
	free(subject);
	return rc;
}

/* ---- the reply ---------------------------------------------------------------------------- */

/* OPS_OK when body asks nothing about immigration status or the liaison confirmed that it
 * does not; *confirmed_r (caller frees) is then what to record, or NULL. */
static int policy_gate(const char *ref, const char *body, int confirmed, char **confirmed_r,
                       char **error_r)
{
	*confirmed_r = NULL;
	struct policy_hits hits;
	char *why = NULL;
	int n = ops_policy_check(body, &hits, &why);
	if (n < 0) {
		*error_r = xasprintf("%s: %s", ref, why);
		free(why);
		return OPS_FAILED;
	}
	int rc = OPS_OK;
	if (n > 0 && !confirmed) {
		char *said = ops_policy_describe(&hits, 1);
		*error_r = xasprintf("the reply to %s seems to ask about immigration status, which "
		                     "liaisons never do (directive H.2.a): %s.  Rewrite it; or, if it "
		                     "does not ask, send it with --confirm-policy (recorded)", ref, said);
		free(said);
		rc = OPS_UNCONFIRMED;
	} else if (n > 0) {
		char *said = ops_policy_describe(&hits, 0);
		*confirmed_r = xasprintf("policy warning confirmed: %s", said);
		free(said);
	}
	ops_policy_hits_free(&hits);
	return rc;
}

/* "to ADDR[; thread reopened][; policy warning confirmed: ...]": the reply's record. */
static char *reply_details(const struct ops_thread *t, const struct parsed_message *msg,
                           const char *confirmed)
{
	return xasprintf("to %s%s%s%s", msg->from.addr,
	                 strcmp(t->status, "closed") == 0 ? "; thread reopened" : "",
	                 confirmed ? "; " : "", confirmed ? confirmed : "");
}

/* The thread the actor may reply to and the message it answers (see load_latest); a closed
 * thread refused unless reopen, both reasons said at once. */
static int reply_target(struct store *store, const struct actor *actor, const char *ref,
                        int reopen, int force, struct ops_thread *t,
                        struct parsed_message **msg_r, char **error_r)
{
	int rc = ops_load_for_change(store, actor, ref, t, error_r);
	if (rc != OPS_OK)
		return rc;
	/* What is answered is found first, so a closed machine thread says both flags at once. */
	rc = load_latest(store, t, actor, force, msg_r, error_r);
	if (strcmp(t->status, "closed") == 0 && !reopen && rc != OPS_FAILED) {
		char *also = rc == OPS_OK ? NULL : *error_r;
		*error_r = xasprintf("%s is closed: reply with --reopen to open it again%s%s", t->ref,
		                     also ? "; and " : "", also ? also : "");
		free(also);
		parsed_message_free(msg_r);
		rc = OPS_INVALID;
	}
	if (rc != OPS_OK)
		ops_thread_free(t);
	return rc;
}

static int empty_body(const char *body, char **error_r)
{
	if (body != NULL && body[strspn(body, " \t\r\n")] != '\0')
		return 0;
	*error_r = xstrdup("an empty reply");
	return 1;
}

int ops_reply(struct store *store, const struct actor *actor, const char *ref, const char *body,
              const struct ops_reply_options *options, char **recipient_r, char **error_r)
{
	static const struct ops_reply_options none;
	const struct ops_reply_options *o = options ? options : &none;
	if (empty_body(body, error_r))
		return OPS_INVALID;
	struct ops_thread t;
	struct parsed_message *msg = NULL;
	int rc = reply_target(store, actor, ref, o->reopen, o->force, &t, &msg, error_r);
	if (rc != OPS_OK)
		return rc;
	char *confirmed = NULL;
	rc = policy_gate(t.ref, body, o->policy_confirmed, &confirmed, error_r);
	if (rc == OPS_OK) {
		char *details = reply_details(&t, msg, confirmed);
		struct to_correspondent c = {
			.t = &t, .msg = msg, .body = body, .action = "reply", .details = details,
			.reopen = o->reopen, .seen_message = o->seen_message_id,
			.seen_outbox = o->seen_outbox_id,
		};
		rc = send_to_correspondent(store, actor, &c, error_r);
		free(details);
		if (rc == OPS_OK)
			*recipient_r = xstrdup(msg->from.addr);
	}
	free(confirmed);
	parsed_message_free(&msg);
	ops_thread_free(&t);
	return rc;
}

int ops_reply_preview(struct store *store, const struct actor *actor, const char *ref,
                      const char *body, char **raw_r, char **recipient_r, char **error_r)
{
	if (empty_body(body, error_r))
		return OPS_INVALID;
	struct ops_thread t;
	struct parsed_message *msg = NULL;
	/* As it would go with --reopen and --force: the preview shows the message, ops_reply
	 * decides whether it may go. */
	int rc = reply_target(store, actor, ref, 1, 1, &t, &msg, error_r);
	if (rc != OPS_OK)
		return rc;
	const struct mailbox_config *m = troop_mailbox(actor, &t, error_r);
	if (m == NULL)
		rc = OPS_INVALID;
	else if (t.confidential)
		rc = ops_note_read(store, actor, t.ref, error_r); /* it shows the correspondent */
	if (rc == OPS_OK) {
		char *subject = NULL;
		struct troop_message tm;
		reply_message(actor, &t, msg, body, (int64_t)time(NULL), &tm, &subject);
		char msgid[COMPOSE_MSGID_SIZE];
		size_t len = 0;
		*raw_r = outbox_compose_troop_message(m, &tm, msgid, &len);
		*recipient_r = xstrdup(msg->from.addr);
		free(subject);
	}
	parsed_message_free(&msg);
	ops_thread_free(&t);
	return rc;
}

int ops_refer(struct store *store, const struct actor *actor, const char *ref,
              const char *service, const char *note, int send, char **error_r)
{
	const struct service_config *svc = config_find_service(actor->config, service);
	if (svc == NULL) {
		char *known = ops_vocab_services(actor->config);
		*error_r = xasprintf("'%s' is not a [service] of %s; services: %s", service,
		                     actor->config->path, known);
		free(known);
		return OPS_INVALID;
	}
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	if (send && strcmp(t.status, "closed") == 0) {
		/* As for a reply: nothing goes out on a closed thread by itself. */
		*error_r = xasprintf("%s is closed: reopen it (liaison status %s open) to send", ref, ref);
		ops_thread_free(&t);
		return OPS_INVALID;
	}
	int64_t now = (int64_t)time(NULL);
	char *details = xasprintf("%s%s%s%s", svc->name, note ? " (" : "", note ? note : "",
	                          note ? ")" : "");
	struct parsed_message *msg = NULL;
	if (!send) {
		/* Recorded only: the referral, its history and audit entries. */
		int src = store_begin(store) < 0 ||
		          store_referral_add(store, t.id, service, actor->user->name, now, note, 0) < 0 ||
		          store_history_add(store, t.id, now, actor->user->name, "refer", details) < 0
		          ? -1 : 0;
		rc = ops_commit_audited(store, actor, "refer", t.ref, details, src, error_r);
	} else if ((rc = load_latest(store, &t, actor, 0, &msg, error_r)) == OPS_OK) {
		const char troop[2] = {t.troop, '\0'};
		const struct template_var vars[] = {
			{"troop", troop}, {"ref", t.ref}, {"service_name", svc->name},
			{"service_phone", svc->phone ? svc->phone : "-"},
			{"service_url", svc->url ? svc->url : "-"},
			{"service_description", svc->description ? svc->description : ""},
		};
		char *body = NULL;
		struct referral_rec rec = {service, note};
		if (template_render(actor->config->templates, "referral",
		                    lang_detect(msg->subject, msg->text), vars,
		                    sizeof(vars) / sizeof(*vars), &body, error_r) < 0)
			rc = OPS_FAILED;
		else
			rc = send_to_correspondent(store, actor, &(struct to_correspondent){
			    .t = &t, .msg = msg, .body = body, .action = "refer", .details = details,
			    .rec = &rec}, error_r);
		free(body);
	}
	free(details);
	parsed_message_free(&msg);
	ops_thread_free(&t);
	return rc;
}

int ops_reply_markers(struct store *store, const struct actor *actor, const char *ref,
                      int64_t *message_r, int64_t *outbox_r, char **error_r)
{
	struct ops_thread t;
	int rc = ops_thread_load(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_thread_markers(store, t.id, message_r, outbox_r) < 0) {
		*error_r = xasprintf("%s: %s", t.ref, store_error(store));
		rc = OPS_FAILED;
	}
	ops_thread_free(&t);
	return rc;
}
