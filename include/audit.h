/* audit.h — the tamper-evident audit trail: every operation, every confidential read, every
 * report and export.  Each entry's SHA-256 covers its content and the previous entry's hash,
 * so altering, removing or reordering an entry breaks the chain from there on; the table
 * itself refuses UPDATE and DELETE (triggers). */
#ifndef LIAISON_AUDIT_H
#define LIAISON_AUDIT_H

#include <stdint.h>

#include "hash.h"
#include "store.h"

/* Appends an entry now (inside the caller's transaction when one is open, so that the
 * operation and its entry commit together).  Returns 0, or -1 with *error_r. */
int audit_append(struct store *store, const char *user, const char *action, const char *object,
                 const char *details, char **error_r);

/* The hash an entry must have: of prev_hash, at, user, action, object and details, each
 * length-prefixed so that no two different entries hash alike. */
void audit_entry_hash(const struct audit_row *row, char hash_r[SHA256_HEX_SIZE]);

struct audit_check {
	int64_t entries;      /* entries checked */
	int64_t broken_id;    /* the first entry whose link or hash is wrong, 0 when none */
	char *problem;        /* what is wrong with it (caller frees), or NULL */
};
/* Walks the whole chain.  Returns 0 (broken_id tells), or -1 with *error_r. */
int audit_verify(struct store *store, struct audit_check *check, char **error_r);

#endif
