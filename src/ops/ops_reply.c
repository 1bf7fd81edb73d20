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

/* Composes and queues body to the correspondent, with the history and audit entries (and the
 * referral, when rec is not NULL), in one transaction.  action: "reply" or "refer"; details
 * for the history and audit. */
static int send_to_correspondent(struct store *store, const struct actor *a,
                                 const struct ops_thread *t, const struct parsed_message *msg,
                                 const char *body, const char *action, const char *details,
                                 int reopen, const struct referral_rec *rec, char **error_r)
{
	const struct mailbox_config *m = config_find_troop(a->config, t->troop);
	if (m == NULL) {
		*error_r = xasprintf("%s: troop %c has no [mailbox] in the configuration", t->ref,
		                     t->troop);
		return OPS_INVALID;
	}
	char *subject = reply_subject(t->ref, msg->subject);
	int64_t now = (int64_t)time(NULL);
	struct troop_message tm = {
		.kind = "reply",
		.to = msg->from.addr,
		.to_name = msg->from.name,
		.author = a->user->name,
		.subject = subject,
		.body = body,
		.answers_msg = msg,
		.thread_id = t->id,
		.now = now,
	};
	int64_t mailbox_id = 0;
	int src = store_begin(store);
	if (src == 0)
		src = store_mailbox_ensure(store, m->name, m->troop, m->address, &mailbox_id);
	if (src == 0 && outbox_queue_troop_message(store, m, mailbox_id, &tm, error_r) < 0) {
		store_rollback(store);
		free(subject);
		return OPS_FAILED;
	}
	if (src == 0 &&
	    ((rec && store_referral_add(store, t->id, rec->service, a->user->name, now, rec->note,
	                                1) < 0) ||
	     (reopen && strcmp(t->status, "closed") == 0 &&
	      (store_thread_set(store, t->id, "status", "open") < 0 ||
	       store_thread_set(store, t->id, "closed_at", NULL) < 0)) ||
	     store_history_add(store, t->id, now, a->user->name, action, details) < 0))
		src = -1;
	int rc = ops_commit_audited(store, a, action, t->ref, details, src, error_r);
	free(subject);
	return rc;
}

int ops_reply(struct store *store, const struct actor *actor, const char *ref, const char *body,
              int reopen, int force, char **recipient_r, char **error_r)
{
	if (body == NULL || body[strspn(body, " \t\r\n")] == '\0') {
		*error_r = xstrdup("an empty reply");
		return OPS_INVALID;
	}
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	struct parsed_message *msg = NULL;
	/* What is answered is found first, so a closed machine thread says both flags at once. */
	rc = load_latest(store, &t, actor, force, &msg, error_r);
	if (strcmp(t.status, "closed") == 0 && !reopen && rc != OPS_FAILED) {
		char *also = rc == OPS_OK ? NULL : *error_r;
		*error_r = xasprintf("%s is closed: reply with --reopen to open it again%s%s", t.ref,
		                     also ? "; and " : "", also ? also : "");
		free(also);
		rc = OPS_INVALID;
	} else if (rc == OPS_OK) {
		char *details = xasprintf("to %s%s", msg->from.addr,
		                          strcmp(t.status, "closed") == 0 ? "; thread reopened" : "");
		rc = send_to_correspondent(store, actor, &t, msg, body, "reply", details, reopen, NULL,
		                           error_r);
		free(details);
		if (rc == OPS_OK)
			*recipient_r = xstrdup(msg->from.addr);
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
			rc = send_to_correspondent(store, actor, &t, msg, body, "refer", details, 0, &rec,
			                           error_r);
		free(body);
	}
	free(details);
	parsed_message_free(&msg);
	ops_thread_free(&t);
	return rc;
}
