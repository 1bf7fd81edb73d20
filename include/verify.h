/* verify.h — liaison verify: every stored message re-hashed against the SHA-256 recorded on
 * arrival, the audit chain walked, and the search index checked against the messages (a
 * message missing from it is one a records search would not produce). */
#ifndef LIAISON_VERIFY_H
#define LIAISON_VERIFY_H

#include <stdint.h>

#include "store.h"
#include "util.h"

struct verify_result {
	int64_t messages;     /* re-hashed */
	int64_t mismatches;   /* whose bytes no longer hash to their SHA-256, are missing, or
	                         were kept after their disposal */
	int64_t tombstones;   /* disposed of: nothing left to hash */
	int64_t audit_entries;
	int64_t audit_broken; /* the first broken entry, 0 when the chain holds */
	char *audit_problem;  /* what is wrong with it (caller frees), or NULL */
	char *index_problem;  /* how the search index disagrees with the messages, or why it
	                         could not be checked (caller frees), or NULL when it holds
	                         exactly their words */
	int index_unchecked;  /* index_problem says why the check could not run */
};

/* Calls mismatch(sha256, message_id, actual, ctx) for each message whose bytes changed
 * (actual: their SHA-256) or are missing or kept when they should not be (actual: why).
 * Returns 0 (the result tells), or -1 with *error_r when the store could not be read. */
int verify_store(struct store *store,
                 void (*mismatch)(const char *sha256, const char *message_id,
                                  const char *actual, void *ctx),
                 void *ctx, struct verify_result *result, char **error_r);

/* Adds a warning to warnings for the database file, and its -wal and -shm files, that
 * group or others may read or write (liaison creates them 0600; an older one, a copy or a
 * chmod may not be).  Returns the number of warnings added. */
int verify_database_modes(const char *database, struct strlist *warnings);

#endif
