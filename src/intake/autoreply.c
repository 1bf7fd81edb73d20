/* autoreply.c — the 24/7 auto-reply: who gets it, at most once per window, never machines,
 * never old mail; queued in the same transaction that stores the message. */
#include "autoreply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "outbox_queue.h"
#include "template.h"
#include "util.h"

#define URGENT_REPEAT (60 * 60) /* an urgent reply at most once an hour per correspondent */

static int none(char *decision, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int none(char *decision, size_t size, const char *fmt, ...)
{
	int n = snprintf(decision, size, "none: ");
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < size)
		vsnprintf(decision + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	return 0;
}

/* 1 when the message is new mail from a person (not outgoing, not a machine, not older than
 * the backfill cut-off, not from before the enrolment), 0 with the reason otherwise. */
static int fresh_from_person(const struct autoreply_input *in, char *decision, size_t size)
{
	int64_t arrived = in->internal_date > 0 ? in->internal_date : in->msg->date;
	if (strcmp(in->cls->direction, "in") != 0)
		return none(decision, size, "outgoing");
	if (strcmp(in->cls->kind, "person") != 0)
		return none(decision, size, "machine (%s)", in->cls->reason);
	if (arrived <= 0 || arrived < in->now - in->config->backfill_cutoff)
		return none(decision, size, "older than the backfill cut-off");
	if (arrived < in->enrolled_at)
		return none(decision, size, "arrived before the mailbox was enrolled");
	return 1;
}

/* Whom the window counts: the From address (a Return-Path can change with every message,
 * BATV or SRS, and would let a person be answered every time). */
static const char *correspondent_of(const struct autoreply_input *in)
{
	const char *from = in->msg->from.addr;
	return from && from[0] ? from : in->cls->reply_to;
}

/* The domain of addr (compose_domain_of), lower-cased, in buf. */
static const char *domain_of(const char *addr, char *buf, size_t size)
{
	snprintf(buf, size, "%s", compose_domain_of(addr));
	return str_lower(buf);
}

/* For fresh mail from a person: 1 when a reply is due (kind_r says which), 0 with the
 * reason in decision otherwise.  The window counts both the From address answered and
 * where the reply goes (the Return-Path): a forged Return-Path behind many From addresses
 * draws one reply, not one per From (backscatter); and no domain gets more than
 * autoreply_domain_limit auto-replies an hour. */
static int due(struct store *store, const struct autoreply_input *in, const char **kind_r,
               char *decision, size_t size, char **error_r)
{
	const char *who = correspondent_of(in), *to = in->cls->reply_to;
	int64_t count = 0;
	if (!in->mailbox->autoreply)
		return none(decision, size, "auto-replies are off for this mailbox");
	/* Someone in danger always gets the 9-1-1 answer (once an hour): the domain limit is
	 * for the ordinary reply. */
	char domain[256];
	if (!in->urgent &&
	    store_outbox_count_domain_since(store, domain_of(to, domain, sizeof(domain)),
	                                    in->now - 3600, &count) < 0)
		goto store_error;
	if (!in->urgent && count >= in->config->autoreply_domain_limit)
		return none(decision, size, "%lld auto-replies to %.80s in the last hour (the limit)",
		            (long long)count, domain);
	if (in->urgent) {
		if (store_outbox_count_since(store, in->mailbox_id, who, to, "autoreply-urgent",
		                             in->now - URGENT_REPEAT, &count) < 0)
			goto store_error;
		if (count > 0)
			return none(decision, size, "urgent reply sent to %.80s within the hour", who);
		*kind_r = "autoreply-urgent";
		return 1;
	}
	int64_t urgent = 0;
	if (store_outbox_count_since(store, in->mailbox_id, who, to, "autoreply",
	                             in->now - in->config->autoreply_window, &count) < 0 ||
	    store_outbox_count_since(store, in->mailbox_id, who, to, "autoreply-urgent",
	                             in->now - in->config->autoreply_window, &urgent) < 0)
		goto store_error;
	if (count + urgent > 0)
		return none(decision, size, "%.80s was answered within the window",
		            strcmp(who, to) == 0 ? who : "the sender or its Return-Path");
	*kind_r = "autoreply";
	return 1;
store_error:
	*error_r = xasprintf("auto-reply window: %s", store_error(store));
	return -1;
}

/* Renders, composes and queues one message answering in->msg.  The urgent notice threads
 * under the message too, so the record shows the coordinator was told. */
static int queue(struct store *store, const struct autoreply_input *in, const char *kind,
                 const char *template_name, const char *lang, const char *to,
                 const char *subject, char **error_r)
{
	const struct mailbox_config *m = in->mailbox;
	const char troop[2] = {m->troop, '\0'};
	const struct template_var vars[] = {
		{"troop", troop},
		{"ref", in->thread_ref},
		{"subject", in->msg->subject && in->msg->subject[0] ? in->msg->subject : "(no subject)"},
		{"category", in->category ? in->category : "(none)"},
		{"mailbox", m->name},
	};
	char *body = NULL;
	if (template_render(in->config->templates, template_name, lang, vars,
	                    sizeof(vars) / sizeof(*vars), &body, error_r) < 0)
		return -1;
	int notice = strcmp(kind, "notice") == 0;
	struct troop_message tm = {
		.kind = kind,
		.to = to,
		.correspondent = correspondent_of(in),
		.subject = subject,
		.body = body,
		.answers_msg = in->msg,
		.auto_submitted = notice ? "auto-generated" : "auto-replied",
		/* Auto-replies go from the null sender, so that nothing ever answers them; the
		 * notice to a colleague may bounce back to the troop (the default sender). */
		.envelope_from = notice ? NULL : "",
		.thread_id = in->thread_id,
		.answers = in->message_id,
		.now = in->now,
	};
	int rc = outbox_queue_troop_message(store, m, in->mailbox_id, &tm, error_r);
	free(body);
	return rc;
}

int autoreply_handle(struct store *store, const struct autoreply_input *in, char *decision,
                     size_t size, char **error_r)
{
	if (fresh_from_person(in, decision, size) == 0)
		return 0;
	/* The coordinator hears of every urgent message at once (reference and category, never
	 * the body), whatever the reply window says. */
	const char *notify = in->mailbox->urgent_notify ? in->mailbox->urgent_notify
	                                                : in->config->urgent_notify;
	if (in->urgent && notify != NULL) {
		char *notice_subject = xasprintf("URGENT CTL message %s (%s)", in->thread_ref,
		                                 in->category ? in->category : "urgent");
		int rc = queue(store, in, "notice", "urgent-notice", "en", notify, notice_subject,
		               error_r);
		free(notice_subject);
		if (rc < 0)
			return -1;
	}
	/* A person's message that asks for no automatic answer (Bcc'd, via a list or a
	 * redirect, Precedence: bulk) gets none; the notice above went all the same. */
	if (!in->cls->reply_allowed)
		return none(decision, size, "%s", in->cls->no_reply);
	const char *kind = NULL;
	int rc = due(store, in, &kind, decision, size, error_r);
	if (rc <= 0)
		return rc;
	int urgent = strcmp(kind, "autoreply-urgent") == 0;
	char *subject = xasprintf("Auto: %s", in->msg->subject ? in->msg->subject : "");
	rc = queue(store, in, kind, urgent ? "autoreply-urgent" : "autoreply", in->language,
	           in->cls->reply_to, subject, error_r);
	free(subject);
	if (rc < 0)
		return -1;
	snprintf(decision, size, urgent ? "queued urgent" : "queued");
	return 0;
}
