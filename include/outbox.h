/* outbox.h — send what the outbox holds, exactly once: claim a row (committed), send it,
 * then in one transaction mark it sent and file the sent copy in its thread.  A row found
 * claimed at start-up was interrupted between the two: it is resolved by its Message-ID
 * (the copy is filed in the same transaction as the mark), never sent blindly again. */
#ifndef LIAISON_OUTBOX_H
#define LIAISON_OUTBOX_H

#include <stdint.h>

#include "config.h"
#include "mime.h"
#include "store.h"

struct outbox_counts {
	unsigned sent, deferred, failed, uncertain;
};

/* Resolves rows left "sending" by a crash: "sent" when their copy is stored, else
 * "uncertain" (a person decides: `liaison outbox retry ID`).  Call before any send.
 * Returns 0, or -1 with *error_r. */
int outbox_resolve_claimed(struct store *store, struct outbox_counts *counts, char **error_r);

/* Sends every row due at now.  A 4xx answer or no answer is retried later with exponential
 * backoff; a 5xx answer fails the row with the server's words.  Returns 0, or -1 with
 * *error_r on a store error. */
int outbox_send_due(struct store *store, const struct config *config, int64_t now,
                    struct outbox_counts *counts, char **error_r);

/* Seconds to wait before attempt number attempts + 1 (1 min doubling, at most 1 hour). */
int64_t outbox_retry_delay(int64_t attempts);

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

/* Composes tm from the mailbox's address and display name (default "Troop K CTL"), with a
 * Message-ID of the troop's domain, and queues it in the outbox in the caller's transaction.
 * Returns 0, or -1 with *error_r. */
int outbox_queue_troop_message(struct store *store, const struct mailbox_config *mailbox,
                               int64_t mailbox_id, const struct troop_message *tm,
                               char **error_r);

/* Attempts after which a message that is still deferred fails (about two days). */
#define OUTBOX_MAX_ATTEMPTS 50

#endif
