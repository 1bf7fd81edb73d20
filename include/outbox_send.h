/* outbox_send.h — send what the outbox holds, exactly once: claim a row (committed), send
 * it, then in one transaction mark it sent and file the sent copy in its thread.  A row found
 * claimed at start-up was interrupted between the two: it is resolved by its Message-ID
 * (the copy is filed in the same transaction as the mark), never sent blindly again.
 * Used by the poller's sender thread only; queueing is outbox_queue.h. */
#ifndef LIAISON_OUTBOX_SEND_H
#define LIAISON_OUTBOX_SEND_H

#include <stdint.h>

#include "config.h"
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

/* Attempts after which a message that is still deferred fails: the 50th comes 158,580 s
 * (about 44 hours) after the first (test_smtp_outage.sh).  Giving up is told to the
 * coordinator in one notice (outbox_notice.h). */
#define OUTBOX_MAX_ATTEMPTS 50

#endif
