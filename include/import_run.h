/* import_run.h — take every message of some local sources (import.c) into one mailbox
 * folder (ingest.c).  Reading, hashing and parsing run on a second thread, ahead of the
 * store, so both cores work. */
#ifndef LIAISON_IMPORT_RUN_H
#define LIAISON_IMPORT_RUN_H

#include <stddef.h>

#include "config.h"
#include "ingest.h"
#include "route.h"
#include "store.h"
#include "util.h"

struct import_result {
	struct ingest_counts counts;
	struct strlist errors; /* one line per path or message that could not be read */
};

/* Imports paths in order, routing each message with rules as the poller does (imported
 * history is never answered).  A path or message that cannot be read is reported in
 * result->errors and the run goes on; a store error stops it.  Returns 0 when the store
 * took everything readable, -1 with *error_r on a store error (what was committed stays).
 * Free result->errors with strlist_free. */
int import_run(struct store *store, const struct config *config,
               const struct route_rules *rules, const struct mailbox_config *mailbox,
               const char *folder, char *const *paths, size_t n_paths, struct import_result *result, char **error_r);

#endif
