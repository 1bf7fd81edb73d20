/* store_backup.c — a live copy of the database (SQLite's online backup API), the full
 * integrity check, and the counts of a backup's manifest. */
#include "store_backup.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_private.h"
#include "util.h"

/* Pages copied per step (16 KiB pages: 4 MiB).  Between steps the copy yields the CPU and
 * the disk; it never holds a lock a writer needs (WAL: a reader does not block writers). */
#define BACKUP_STEP_PAGES 256
/* How long the copy waits when the database is busy (a checkpoint, a schema change). */
#define BACKUP_BUSY_MS 50
#define BACKUP_BUSY_TRIES 600

static int begin_snapshot(struct store *store)
{
	/* A read transaction on the source: every step copies from this one snapshot, so writes
	 * committed meanwhile by the poller or the console neither restart the copy (which could
	 * then never finish under steady mail) nor tear it. */
	char *msg = NULL;
	if (sqlite3_exec(store->db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL, NULL,
	                 &msg) != SQLITE_OK) {
		free(store->error);
		store->error = xasprintf("backup: %s", msg ? msg : sqlite3_errmsg(store->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int copy_pages(sqlite3 *dest_db, struct store *store, char **error_r)
{
	sqlite3_backup *b = sqlite3_backup_init(dest_db, "main", store->db, "main");
	if (b == NULL) {
		*error_r = xasprintf("backup: %s", sqlite3_errmsg(dest_db));
		return -1;
	}
	int rc, busy = 0;
	do {
		rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++busy > BACKUP_BUSY_TRIES)
				break;
			sqlite3_sleep(BACKUP_BUSY_MS);
		}
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	int finish = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || finish != SQLITE_OK) {
		*error_r = xasprintf("backup: %s", rc == SQLITE_BUSY || rc == SQLITE_LOCKED
		                     ? "the database stayed busy for 30 s"
		                     : sqlite3_errmsg(dest_db));
		return -1;
	}
	return 0;
}

int store_backup_copy(struct store *store, const char *dest, char **error_r)
{
	struct stat st;
	if (lstat(dest, &st) == 0) {
		*error_r = xasprintf("%s already exists", dest);
		return -1;
	}
	sqlite3 *dest_db = NULL;
	if (sqlite3_open_v2(dest, &dest_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		*error_r = xasprintf("%s: %s", dest, dest_db ? sqlite3_errmsg(dest_db) : "cannot open");
		sqlite3_close(dest_db);
		return -1;
	}
	int rc = -1;
	if (begin_snapshot(store) < 0) {
		*error_r = xstrdup(store->error);
	} else {
		rc = copy_pages(dest_db, store, error_r);
		sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
	}
	/* The copy is one self-contained file: no -wal beside it to lose on the way. */
	if (rc == 0 && sqlite3_exec(dest_db, "PRAGMA journal_mode = DELETE", NULL, NULL,
	                            NULL) != SQLITE_OK) {
		*error_r = xasprintf("%s: %s", dest, sqlite3_errmsg(dest_db));
		rc = -1;
	}
	if (sqlite3_close(dest_db) != SQLITE_OK && rc == 0) {
		*error_r = xasprintf("%s: could not be closed", dest);
		rc = -1;
	}
	if (rc == 0 && chmod(dest, 0600) < 0) {
		*error_r = xasprintf("%s: chmod: %m", dest);
		rc = -1;
	}
	if (rc < 0)
		unlink(dest);
	return rc;
}

int store_integrity_check(struct store *store, char **problems_r)
{
	return sp_pragma_check(store, "integrity_check", problems_r);
}

/* One count of the snapshot: SELECT count(*) FROM table. */
static int count_rows(struct store *store, const char *table, int64_t *count_r)
{
	char *sql = xasprintf("SELECT count(*) FROM %s", table);
	sqlite3_stmt *s = sp_query(store, sql);
	free(sql);
	return s ? sp_one_int64(store, s, count_r, table) : -1;
}

int store_counts_read(struct store *store, struct store_counts *counts)
{
	memset(counts, 0, sizeof(*counts));
	int own = !store_in_transaction(store);
	char *msg = NULL;
	/* one snapshot: the counts and the head agree with each other */
	if (own && sqlite3_exec(store->db, "BEGIN", NULL, NULL, &msg) != SQLITE_OK) {
		sqlite3_free(msg);
		sp_set_error(store, "counts");
		return -1;
	}
	int rc = count_rows(store, "messages", &counts->messages) < 0 ||
	         count_rows(store, "threads", &counts->threads) < 0 ||
	         count_rows(store, "custody", &counts->custody) < 0 ||
	         count_rows(store, "placements", &counts->placements) < 0 ||
	         count_rows(store, "outbox", &counts->outbox) < 0 ||
	         count_rows(store, "audit", &counts->audit_entries) < 0 ||
	         store_audit_head(store, &counts->audit_head_id, counts->audit_head_hash) < 0
	    ? -1 : 0;
	if (own)
		sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

int store_restore_settle(struct store *store, int64_t now, const char *why, int64_t *held_r)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE outbox SET status = 'uncertain', last_error = ?1 "
	                                  "WHERE status IN ('queued', 'sending')");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, why);
	if (sp_run_update(store, s, "restore: outbox") < 0)
		return -1;
	*held_r = sqlite3_changes(store->db);
	s = sp_query(store, "UPDATE mailboxes SET enrolled_at = max(enrolled_at, ?1)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, now);
	return sp_run_update(store, s, "restore: mailboxes");
}

/* The row PRAGMA journal_mode answers: the mode in force afterwards. */
static int journal_mode_row(void *ctx, int n, char **values, char **names)
{
	char *mode = ctx;
	snprintf(mode, 16, "%s", n > 0 && values[0] ? values[0] : "");
	return 0;
}

int store_journal_delete(struct store *store)
{
	char mode[16] = "";
	char *msg = NULL;
	/* SQLite leaves the mode unchanged, without an error, when it cannot change it */
	if (sqlite3_exec(store->db, "PRAGMA journal_mode = DELETE", journal_mode_row, mode,
	                 &msg) != SQLITE_OK || strcmp(mode, "delete") != 0) {
		free(store->error);
		store->error = xasprintf("journal_mode DELETE: %s",
		                         msg ? msg : mode[0] ? mode : sqlite3_errmsg(store->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}
