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
	int64_t broken_id;    /* the first entry whose link or hash is wrong, or that differs
	                         from its anchor, 0 when none */
	char *problem;        /* what is wrong with it (caller frees), or NULL */
	int64_t anchors;      /* anchors found matching their entry */
};
/* Walks the whole chain.  Returns 0 (broken_id tells), or -1 with *error_r. */
int audit_verify(struct store *store, struct audit_check *check, char **error_r);

/* An anchor: an entry's id and hash as kept outside the database (printed by `liaison audit
 * anchor`, appended to a file kept elsewhere).  A chain rewritten whole, every hash
 * recomputed, still links; it no longer matches what was written down before. */
struct audit_anchor {
	int64_t at;                   /* when it was taken (UTC seconds) */
	int64_t id;                   /* the entry */
	char hash[SHA256_HEX_SIZE];   /* its hash then */
	int line;                     /* where in the anchor file */
};
/* The anchor line of an entry taken at now, for example
 * "audit-anchor 2026-12-06T13:30:00Z entry 42 sha256 <64 hex digits>" (caller frees; no
 * newline). */
char *audit_anchor_line(int64_t now, int64_t id, const char *hash);
/* The anchors of an anchor file's text: its lines as audit_anchor_line writes them, blank
 * lines and lines starting with '#' skipped.  Returns 0 with *anchors_r (caller frees) and
 * *n_r, or -1 with *error_r naming the first line that is not an anchor. */
int audit_anchors_parse(const char *text, struct audit_anchor **anchors_r, size_t *n_r,
                        char **error_r);
/* audit_verify, and each anchor: its entry is in the trail with the anchored hash (the
 * chain from it on is the walk's).  Returns 0 (broken_id and problem tell; check->anchors
 * how many matched), or -1 with *error_r. */
int audit_verify_anchored(struct store *store, const struct audit_anchor *anchors, size_t n,
                          struct audit_check *check, char **error_r);

#endif
