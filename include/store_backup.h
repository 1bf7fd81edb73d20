/* store_backup.h — the store's side of `liaison backup` and `liaison restore`: a consistent
 * copy of the live database made with SQLite's online backup API, SQLite's full integrity
 * check, and the counts a backup's manifest records.  The rest of a backup (the folder, the
 * manifest, verifying the copy, restoring it) is ops_backup.c's. */
#ifndef LIAISON_STORE_BACKUP_H
#define LIAISON_STORE_BACKUP_H

#include <stdint.h>

#include "store.h"

/* Copies the database of store into a new file dest (mode 0600; it must not exist), from
 * one read snapshot: what was committed when the copy began, whatever is written meanwhile.
 * Returns 0, or -1 with *error_r (caller frees; a partial dest is removed). */
int store_backup_copy(struct store *store, const char *dest, char **error_r);

/* SQLite's PRAGMA integrity_check (every page, index and constraint; quick_check skips the
 * indexes' contents): 0 when whole, 1 with *problems_r (caller frees; one a line), -1 on an
 * error (store_error). */
int store_integrity_check(struct store *store, char **problems_r);

/* What a database holds, as a backup's manifest records it and a restore compares. */
struct store_counts {
	int64_t messages, threads, custody, placements, outbox, audit_entries;
	int64_t audit_head_id;                 /* 0 when the trail is empty */
	char audit_head_hash[SHA256_HEX_SIZE]; /* "" when the trail is empty */
};
/* Fills *counts from one read snapshot.  Returns 0 or -1 (store_error). */
int store_counts_read(struct store *store, struct store_counts *counts);

/* A restored database meets a world that went on without it: the installation that was lost
 * may have sent what its outbox held at the backup, and answered mail that came after.  In
 * the caller's transaction: every row still queued or being sent becomes 'uncertain' with
 * why as its last error (a person checks, then retries: never sent twice by liaison), and
 * every mailbox counts as enrolled at now (mail that arrived before is stored and filed but
 * gets no auto-reply: autoreply.c's rule).  *held_r: how many rows were held. */
int store_restore_settle(struct store *store, int64_t now, const char *why, int64_t *held_r);

/* Puts the database of store back in rollback-journal (DELETE) mode, as store_open's WAL is
 * not: a backup, or a copy about to be renamed into place, is then one file, which a reader
 * on read-only media can open and which no -wal beside it can outgrow.  Outside a transaction,
 * the only connection.  Returns 0 or -1 (store_error). */
int store_journal_delete(struct store *store);

#endif
