/* store.c — the core of the SQLite store: opening, the schema and its migrations,
 * transactions, errors, and the statement and row helpers every store_*.c file uses
 * (store_private.h).  store.c and the store_*.c files are the only ones that include
 * sqlite3.h. */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "store_private.h"
#include "util.h"

/* The SQL of each prepared statement (enum stmt_id, store_private.h). */
static const char *const stmt_sql[ST_COUNT] = {
	[ST_THREAD_ROUTE] = "UPDATE threads SET category = coalesce(category, ?2), "
	    "  priority = CASE WHEN ?3 = 'urgent' OR priority = 'urgent' THEN 'urgent' "
	    "    WHEN ?3 = 'high' OR priority = 'high' THEN 'high' ELSE 'normal' END, "
	    "  confidential = confidential OR ?4, reportable = reportable OR ?5 WHERE id = ?1",
	[ST_THREAD_SUGGEST] = "INSERT OR IGNORE INTO thread_suggestions (thread_id, service, "
	                      "suggested_at) VALUES (?1, ?2, ?3)",
	[ST_THREAD_REF] = "SELECT ref FROM threads WHERE id = ?1",
	[ST_OUTBOX_COUNT] = "SELECT count(*) FROM outbox WHERE mailbox_id = ?1 "
	                    "AND (correspondent = ?2 OR recipient = ?5) AND kind = ?3 "
	                    "AND created_at >= ?4",
	/* An outgoing placement answers the correspondent unless it is one of liaison's own
	 * automatic messages (whatever its headers say). */
	[ST_CLOCK_MARK] = "UPDATE placements SET response = 1 WHERE thread_id = ?1 AND message_id = ?2 "
	    "AND direction = 'out' AND NOT EXISTS (SELECT 1 FROM outbox o JOIN messages m "
	    "ON o.message_id = m.message_id WHERE m.id = ?2 AND o.kind <> 'reply')",
	/* Recomputed from the placements, so that mail imported out of order still gives the
	 * first message and the first answer after it. */
	[ST_CLOCK_UPDATE] = "UPDATE threads SET first_in_at = (SELECT min(date) FROM placements "
	    "WHERE thread_id = ?1 AND direction = 'in' AND kind = 'person'), "
	    "first_response_at = (SELECT min(r.date) FROM placements r WHERE r.thread_id = ?1 "
	    "AND r.response = 1 AND r.date >= (SELECT min(date) FROM placements "
	    "WHERE thread_id = ?1 AND direction = 'in' AND kind = 'person')) WHERE id = ?1",

	[ST_MAILBOX_FIND] = "SELECT id, troop, address FROM mailboxes WHERE name = ?1",
	[ST_MAILBOX_INSERT] = "INSERT INTO mailboxes (name, troop, address, enrolled_at) "
	                      "VALUES (?1, ?2, ?3, strftime('%s','now'))",
	[ST_MAILBOX_UPDATE] = "UPDATE mailboxes SET troop = ?2, address = ?3 WHERE id = ?1",
	[ST_CUSTODY_HAS_SOURCE] = "SELECT 1 FROM custody WHERE mailbox_id = ?1 AND folder = ?2 "
	                          "AND source = ?3",
	[ST_CUSTODY_HAS_MESSAGE] = "SELECT 1 FROM custody WHERE message_id = ?3 AND mailbox_id = ?1 "
	                           "AND folder = ?2 LIMIT 1",
	[ST_CUSTODY_HAS_UID] = "SELECT 1 FROM custody WHERE mailbox_id = ?1 AND folder = ?2 "
	                       "AND uidvalidity = ?3 AND uid = ?4",
	[ST_CUSTODY_INSERT] = "INSERT INTO custody (message_id, mailbox_id, folder, uidvalidity, uid, "
	                      "source, internal_date, arrived_at, kind) "
	                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_MESSAGE_FIND_SHA] = "SELECT id FROM messages WHERE sha256 = ?1",
	[ST_MESSAGE_INSERT] = "INSERT INTO messages (sha256, size, message_id, subject, from_addr, "
	                      "from_name, from_text, to_text, date, body, attachments, "
	                      "quarantine_reason, stored_at) "
	                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_RAW_INSERT] = "INSERT INTO message_raw (message_id, raw) VALUES (?1, ?2)",
	[ST_FTS_INSERT] = "INSERT INTO messages_fts (rowid, subject, body, from_text, to_text, "
	                  "attachments) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_ATTACHMENT_INSERT] = "INSERT INTO attachments (message_id, ordinal, filename, "
	                         "content_type, size, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_PLACEMENT_INSERT] = "INSERT INTO placements (message_id, mailbox_id, thread_id, "
	                        "direction, kind, reason, date, autoreply, language, categories, "
	                        "rules, priority) "
	                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[ST_PLACEMENT_EXISTS] = "SELECT 1 FROM placements WHERE mailbox_id = ?1 AND message_id = ?2",
	[ST_THREAD_BY_ID] = "SELECT thread_id FROM thread_ids WHERE mailbox_id = ?1 AND msgid = ?2",
	[ST_THREAD_BY_REF] = "SELECT t.id FROM threads t JOIN thread_participants p "
	                     "ON p.thread_id = t.id WHERE t.mailbox_id = ?1 AND t.ref = ?2 "
	                     "AND p.addr = ?3",
	[ST_THREAD_BY_INDEX] = "SELECT thread_id FROM thread_indexes WHERE mailbox_id = ?1 "
	                       "AND prefix = ?2",
	[ST_THREAD_BY_SUBJECT] = "SELECT id FROM threads WHERE mailbox_id = ?1 AND correspondent = ?2 "
	                         "AND base_subject = ?3 AND kind = 'person' "
	                         "AND first_at <= ?4 + ?5 AND last_at >= ?4 - ?5 "
	                         "ORDER BY last_at DESC LIMIT 1",
	[ST_COUNTER_NEXT] = "INSERT INTO thread_counters (troop, year, last_seq) VALUES (?1, ?2, 1) "
	                    "ON CONFLICT (troop, year) DO UPDATE SET last_seq = last_seq + 1 "
	                    "RETURNING last_seq",
	[ST_THREAD_INSERT] = "INSERT INTO threads (mailbox_id, ref, year, seq, correspondent, "
	                     "correspondent_name, subject, base_subject, kind, first_at, last_at, "
	                     "message_count, created_at) "
	                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 0, "
	                     "strftime('%s','now'))",
	[ST_THREAD_TOUCH] = "UPDATE threads SET message_count = message_count + 1, "
	                    "first_at = min(first_at, ?2), last_at = max(last_at, ?2), "
	                    "kind = CASE WHEN ?3 THEN 'person' ELSE kind END WHERE id = ?1",
	[ST_THREAD_REOPEN] = "UPDATE threads SET status = CASE WHEN assignee IS NULL THEN 'new' "
	                     "ELSE 'open' END, closed_at = NULL WHERE id = ?1 AND status = 'closed'",
	[ST_THREAD_ID_INSERT] = "INSERT OR IGNORE INTO thread_ids (mailbox_id, msgid, thread_id) "
	                        "VALUES (?1, ?2, ?3)",
	[ST_THREAD_INDEX_INSERT] = "INSERT OR IGNORE INTO thread_indexes (mailbox_id, prefix, "
	                           "thread_id) VALUES (?1, ?2, ?3)",
	[ST_PARTICIPANT_INSERT] = "INSERT OR IGNORE INTO thread_participants (thread_id, addr) "
	                          "VALUES (?1, ?2)",
};

#define N_MIGRATIONS schema_migration_count

void sp_set_error(struct store *store, const char *what)
{
	free(store->error);
	store->error = xasprintf("%s: %s", what, sqlite3_errmsg(store->db));
}

const char *store_error(const struct store *store)
{
	return store->error ? store->error : "no error";
}

static int exec(struct store *store, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		free(store->error);
		store->error = xasprintf("%s", msg ? msg : "unknown SQLite error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *sp_stmt(struct store *store, enum stmt_id id)
{
	if (store->stmts[id] == NULL &&
	    sqlite3_prepare_v3(store->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
	                       &store->stmts[id], NULL) != SQLITE_OK) {
		sp_set_error(store, "prepare");
		return NULL;
	}
	return store->stmts[id];
}

/* Binding helpers: NULL strings bind as SQL NULL. */
void sp_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

void sp_bind_int(sqlite3_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(s, i, v);
}

/* Runs a statement that returns no rows or whose first row is ignored. */
int sp_step_done(struct store *store, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		sp_set_error(store, what);
		return -1;
	}
	return 0;
}

/* Runs a lookup: 1 with the first column of the first row in *value_r, 0 when no row. */
int sp_step_find(struct store *store, sqlite3_stmt *s, int64_t *value_r, const char *what)
{
	int rc = sqlite3_step(s);
	int result = 0;
	if (rc == SQLITE_ROW) {
		if (value_r != NULL)
			*value_r = sqlite3_column_int64(s, 0);
		result = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, what);
		result = -1;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return result;
}

const char *sp_col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* Prepares a one-off query; the caller finalizes it. */
sqlite3_stmt *sp_query(struct store *store, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(store->db, sql, -1, &s, NULL) != SQLITE_OK) {
		sp_set_error(store, "query");
		return NULL;
	}
	return s;
}

/* Steps a one-off query that always returns a row (an aggregate) into *value_r; finalizes
 * s. */
int sp_one_int64(struct store *store, sqlite3_stmt *s, int64_t *value_r, const char *what)
{
	int rc = sqlite3_step(s) == SQLITE_ROW ? 0 : -1;
	if (rc == 0)
		*value_r = sqlite3_column_int64(s, 0);
	else
		sp_set_error(store, what);
	sqlite3_finalize(s);
	return rc;
}

/* Steps through every row, handing each to row_cb; finalizes s. */
int sp_each_row(struct store *store, sqlite3_stmt *s, int (*row_cb)(sqlite3_stmt *, void *),
             void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (row_cb(s, ctx) != 0)
			break;
	int result = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : -1;
	if (result < 0)
		sp_set_error(store, "read");
	sqlite3_finalize(s);
	return result;
}

/* Steps a one-off write statement and finalizes it. */
int sp_run_update(struct store *store, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		sp_set_error(store, what);
	sqlite3_finalize(s);
	return rc;
}

int sp_run_insert(struct store *store, sqlite3_stmt *s, const char *what, int64_t *id_r)
{
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	if (rc < 0)
		sp_set_error(store, what);
	else if (id_r != NULL)
		*id_r = sqlite3_last_insert_rowid(store->db);
	sqlite3_finalize(s);
	return rc;
}

int sp_run_changes(struct store *store, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s) == SQLITE_DONE ? sqlite3_changes(store->db) > 0 : -1;
	if (rc < 0)
		sp_set_error(store, what);
	sqlite3_finalize(s);
	return rc;
}

static int user_version(struct store *store)
{
	sqlite3_stmt *s = NULL;
	int version = -1;
	if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return version;
}

int store_schema_version(struct store *store)
{
	return user_version(store);
}

/* Runs PRAGMA name (quick_check, integrity_check): 0 when it answers "ok", 1 with the
 * problems it lists, -1 on an error. */
int sp_pragma_check(struct store *store, const char *name, char **problems_r)
{
	char *sql = xasprintf("PRAGMA %s", name);
	sqlite3_stmt *s = NULL;
	int prepared = sqlite3_prepare_v2(store->db, sql, -1, &s, NULL);
	free(sql);
	if (prepared != SQLITE_OK) {
		sp_set_error(store, name);
		return -1;
	}
	struct buf b;
	buf_init(&b, 1 << 20);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(s, 0);
		if (line != NULL && strcmp(line, "ok") != 0)
			buf_addf(&b, "%s%s", b.len ? "\n" : "", line);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		buf_free(&b);
		sp_set_error(store, name);
		return -1;
	}
	if (b.len == 0) {
		buf_free(&b);
		return 0;
	}
	*problems_r = buf_steal(&b, NULL);
	return 1;
}

int store_quick_check(struct store *store, char **problems_r)
{
	return sp_pragma_check(store, "quick_check", problems_r);
}

static int migrate(struct store *store, int from)
{
	for (int v = from; v < N_MIGRATIONS; v++) {
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (exec(store, "BEGIN IMMEDIATE") < 0)
			return -1;
		if (exec(store, schema_migrations[v]) < 0 || exec(store, pragma) < 0) {
			char *why = xstrdup(store->error);
			exec(store, "ROLLBACK");
			free(store->error);
			store->error = xasprintf("migration to schema %d failed: %s", v + 1, why);
			free(why);
			return -1;
		}
		if (exec(store, "COMMIT") < 0)
			return -1;
	}
	return 0;
}

int store_open(const char *path, enum store_open_mode mode, struct store **store_r, char **error_r)
{
	struct store *store = xcalloc(1, sizeof(*store));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	            (mode == STORE_OPEN_INIT ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &store->db, flags, NULL) != SQLITE_OK) {
		*error_r = xasprintf("%s: %s%s", path, store->db ? sqlite3_errmsg(store->db) : "cannot open",
		                     mode == STORE_OPEN_EXISTING ? " (run 'liaison init' first?)" : "");
		store_close(&store);
		return -1;
	}
	sqlite3_busy_timeout(store->db, 10000);
	/* before any migration: the search index is built with it */
	if (sp_fts_register(store->db) < 0) {
		*error_r = xasprintf("%s: this SQLite has no full-text search (FTS5)", path);
		store_close(&store);
		return -1;
	}
	/* 16 KiB pages hold a typical message in one or two overflow pages instead of three to
	 * five: fewer pages to write and to read back.  Takes effect only on a new database. */
	if (mode == STORE_OPEN_INIT && exec(store, "PRAGMA page_size = 16384") < 0) {
		*error_r = xasprintf("%s: %s", path, store->error);
		store_close(&store);
		return -1;
	}
	/* The version is read before anything is written (journal_mode): a database this
	 * liaison refuses is left exactly as it was. */
	int version = user_version(store);
	if (version < 0) {
		*error_r = xasprintf("%s: %s", path, sqlite3_errmsg(store->db));
		store_close(&store);
		return -1;
	}
	if (version > N_MIGRATIONS) {
		*error_r = xasprintf("%s: database schema %d is newer than this liaison (%d); "
		                     "use a newer liaison", path, version, N_MIGRATIONS);
		store_close(&store);
		return -1;
	}
	if (mode == STORE_OPEN_EXISTING && version < N_MIGRATIONS) {
		*error_r = version == 0
		    ? xasprintf("%s: not a liaison database yet; run 'liaison init'", path)
		    : xasprintf("%s: database schema %d is older than this liaison (%d); "
		                "run 'liaison init' to upgrade", path, version, N_MIGRATIONS);
		store_close(&store);
		return -1;
	}
	/* WAL: readers (liaisons' commands) never block the poller; synchronous=NORMAL in WAL
	 * keeps the database consistent at any crash, losing at most the last transactions. */
	if (exec(store, "PRAGMA journal_mode = WAL") < 0 ||
	    exec(store, "PRAGMA synchronous = NORMAL") < 0 ||
	    exec(store, "PRAGMA foreign_keys = ON") < 0 ||
	    /* 32 MiB of page cache keeps the indexes that every insert walks in memory. */
	    exec(store, "PRAGMA cache_size = -32768") < 0) {
		*error_r = xasprintf("%s: %s", path, store->error);
		store_close(&store);
		return -1;
	}
	if (mode == STORE_OPEN_INIT && migrate(store, version) < 0) {
		*error_r = xasprintf("%s: %s", path, store->error);
		store_close(&store);
		return -1;
	}
	*store_r = store;
	return 0;
}

void store_close(struct store **storep)
{
	struct store *store = *storep;
	if (store == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(store->stmts[i]);
	sqlite3_close(store->db);
	free(store->error);
	free(store);
	*storep = NULL;
}

/* SQLite's busy handler for store_set_busy_wait: short sleeps up to the bound, then gives
 * up and notes it. */
static int busy_wait(void *p, int tries)
{
	struct store *store = p;
	int slept_ms = tries * 10;
	if (slept_ms >= store->busy_wait_ms) {
		store->busy_gave_up = 1;
		return 0;
	}
	sqlite3_sleep(10);
	return 1;
}

void store_set_busy_wait(struct store *store, int ms)
{
	store->busy_wait_ms = ms;
	sqlite3_busy_handler(store->db, busy_wait, store);
}

int store_busy_gave_up(struct store *store)
{
	int gave_up = store->busy_gave_up;
	store->busy_gave_up = 0;
	return gave_up;
}

int store_set_durable(struct store *store)
{
	return exec(store, "PRAGMA synchronous = FULL");
}

int store_begin(struct store *store)
{
	return exec(store, "BEGIN IMMEDIATE");
}

int store_in_transaction(struct store *store)
{
	return !sqlite3_get_autocommit(store->db);
}

int store_commit(struct store *store)
{
	return exec(store, "COMMIT");
}

void store_rollback(struct store *store)
{
	if (!sqlite3_get_autocommit(store->db))
		exec(store, "ROLLBACK");
}

const char *store_fault(struct store *store)
{
	switch (sqlite3_errcode(store->db)) {
	case SQLITE_FULL: return "disk full";
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return "database locked by another process";
	case SQLITE_IOERR: return "I/O error";
	case SQLITE_CANTOPEN: return "cannot open a database file";
	case SQLITE_READONLY: return "database read-only";
	default: return NULL;
	}
}

int store_checkpoint(struct store *store)
{
	return exec(store, "PRAGMA wal_checkpoint(TRUNCATE)");
}

int store_limit_wal(struct store *store, int pages)
{
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA wal_autocheckpoint = %d", pages);
	return exec(store, pragma);
}
