/* ops_retention.h — disposal under the records schedule: what `retention due` lists is
 * deleted, leaving tombstones, only when the configuration allows it and with the approval
 * that authorised it (e.g. the state's signed disposal authorization number). */
#ifndef LIAISON_OPS_RETENTION_H
#define LIAISON_OPS_RETENTION_H

#include <stdint.h>

#include "ops.h"
#include "store.h"

/* What is due for disposal now (store_retention_due under the configured periods), for
 * those who read records (records staff, the coordinator, admins); the listing is audited
 * with its count. */
int ops_retention_due(struct store *store, const struct actor *actor, int64_t now,
                      store_retention_cb *cb, void *ctx, size_t *count_r, char **error_r);

/* Disposes of the threads past retention that nothing holds.  Records staff and admins,
 * only with allow_disposal = yes; audited with the approval and the counts.  Returns an OPS_*
 * result with *error_r. */
int ops_retention_dispose(struct store *store, const struct actor *actor, const char *approval,
                          int64_t now, int64_t *threads_r, int64_t *messages_r,
                          char **error_r);

#endif
