/* ops_outbox.h — what people may see and decide of liaison's outgoing mail: the outbox
 * listing, a queued message exactly as it will be sent, and a person's decisions on it.
 *
 * Seeing follows the thread's rules (a liaison sees its troops' rows; a confidential
 * thread's recipient and bytes only those who may read the thread).  A reply's author may
 * cancel it while it is still queued; the coordinator and admins may cancel any queued or
 * uncertain row and send again an uncertain or failed one.  Each decision is audited (and
 * entered in the thread's history) in the transaction that makes it.  Results are ops.h's
 * OPS_ codes with *error_r (caller frees). */
#ifndef LIAISON_OPS_OUTBOX_H
#define LIAISON_OPS_OUTBOX_H

#include <stdint.h>

#include "ops.h"

/* Rows the actor may see (status NULL: all), newest first; a masked row's recipient reads
 * "confidential" and its raw bytes are not handed over (len 0). */
int ops_outbox_list(struct store *store, const struct actor *actor, const char *status,
                    store_outbox_cb *cb, void *ctx, char **error_r);

/* Row id with its bytes, when the actor may read it (a confidential thread's read audited). */
int ops_outbox_show(struct store *store, const struct actor *actor, int64_t id,
                    store_outbox_cb *cb, void *ctx, char **error_r);

/* Gives up on a queued (or, for the coordinator, uncertain) row: it will not be sent. */
int ops_outbox_cancel(struct store *store, const struct actor *actor, int64_t id,
                      char **error_r);
/* Sends an uncertain or failed row again (the coordinator's and admins' decision: an
 * uncertain one may have been delivered already). */
int ops_outbox_retry(struct store *store, const struct actor *actor, int64_t id,
                     char **error_r);

#endif
