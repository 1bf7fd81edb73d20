/* outbox_queue.h — put a message the troop sends into the outbox, in the caller's
 * transaction.  Nothing is sent here: the poller's sender thread sends what the outbox
 * holds (outbox_send.h). */
#ifndef LIAISON_OUTBOX_QUEUE_H
#define LIAISON_OUTBOX_QUEUE_H

#include <stdint.h>

#include "compose.h"
#include "config.h"
#include "mime.h"
#include "store.h"

/* A message the troop sends (an auto-reply, a notice, a liaison's reply). */
struct troop_message {
	const char *kind;            /* outbox kind: autoreply, autoreply-urgent, notice, reply */
	const char *to;
	const char *to_name;         /* the person's display name, or NULL */
	const char *author;          /* the user who wrote it (a reply), or NULL (liaison itself) */
	const char *correspondent;   /* whom the reply window counts; NULL: to */
	const char *subject, *body;  /* UTF-8 */
	const struct parsed_message *answers_msg; /* gives In-Reply-To and References; or NULL */
	const char *auto_submitted;  /* "auto-replied", "auto-generated", or NULL (a person) */
	const char *envelope_from;   /* NULL: the troop address; "" the null sender <> */
	int64_t thread_id, answers;  /* 0 when none */
	int64_t now;
};

/* The bytes of tm as outbox_queue_troop_message queues them: From the mailbox's address
 * and display name (default "Troop K CTL"), In-Reply-To and References from
 * tm->answers_msg, Date tm->now, and a new Message-ID of the troop's domain, written to
 * msgid_r.  The one composition of what the troop sends, so that a preview (ops_reply.h)
 * is what is queued.  Returns the message (caller frees; *len_r bytes). */
char *outbox_compose_troop_message(const struct mailbox_config *mailbox,
                                   const struct troop_message *tm,
                                   char msgid_r[COMPOSE_MSGID_SIZE], size_t *len_r);

/* Composes tm (outbox_compose_troop_message) and queues it in the outbox in the caller's
 * transaction.  Returns 0, or -1 with *error_r. */
int outbox_queue_troop_message(struct store *store, const struct mailbox_config *mailbox,
                               int64_t mailbox_id, const struct troop_message *tm,
                               char **error_r);

#endif
