/* store_private.h — what the store_*.c files share and nothing else includes: the store's
 * struct, the prepared statements of the ingest path, and the helpers that bind, step and
 * read SQLite statements (defined in store.c).  The files of the store:
 *
 *   store.c            open, schema migrations, transactions, errors, these helpers
 *   store_ingest.c     mailboxes, custody, messages, placements, threads as mail is filed
 *   store_read.c       threads, messages, attachments, raw bytes and statistics read back
 *   store_outbox.c     the outbox: queue, claim, outcome
 *   store_work.c       people's work on threads: fields, history, referrals, rerouting,
 *                      the audit trail, events
 *   store_report.c     the monthly reports' queries
 *   store_search.c     full-text search
 *   store_fts.c        the search index's tokenizer (word families) and query marks
 *   store_records.c    FOIA requests, holds, decisions, productions and Bates numbers
 *   store_retention.c  retention, disposal, tombstones, verification
 *   store_web.c        the web console's accounts, sessions and failed sign-ins
 */
#ifndef LIAISON_STORE_PRIVATE_H
#define LIAISON_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stdint.h>

#include "store.h"

/* Prepared statements, compiled once on first use and kept for the life of the store:
 * ingest runs each of them once or more per message. */
enum stmt_id {
	ST_MAILBOX_FIND, ST_MAILBOX_INSERT, ST_MAILBOX_UPDATE,
	ST_CUSTODY_HAS_SOURCE, ST_CUSTODY_HAS_MESSAGE, ST_CUSTODY_HAS_UID, ST_CUSTODY_INSERT,
	ST_MESSAGE_FIND_SHA, ST_MESSAGE_INSERT, ST_RAW_INSERT, ST_FTS_INSERT, ST_ATTACHMENT_INSERT,
	ST_PLACEMENT_INSERT, ST_PLACEMENT_EXISTS,
	ST_THREAD_BY_ID, ST_THREAD_BY_REF, ST_THREAD_BY_INDEX, ST_THREAD_BY_SUBJECT,
	ST_COUNTER_NEXT, ST_THREAD_INSERT, ST_THREAD_TOUCH, ST_THREAD_REOPEN,
	ST_THREAD_ID_INSERT, ST_THREAD_INDEX_INSERT, ST_PARTICIPANT_INSERT,
	ST_CLOCK_MARK, ST_CLOCK_UPDATE,
	ST_THREAD_ROUTE, ST_THREAD_SUGGEST, ST_THREAD_REF, ST_OUTBOX_COUNT,
	ST_COUNT
};


struct store {
	sqlite3 *db;
	sqlite3_stmt *stmts[ST_COUNT];
	char *error;
	int busy_wait_ms;   /* store_set_busy_wait's bound, 0: SQLite's own timeout */
	int busy_gave_up;   /* a wait for a lock ran out (store_busy_gave_up) */
};

/* SQL: the message with this id was disposed of (and has not arrived again since). */
#define DISPOSED(id) "EXISTS (SELECT 1 FROM tombstones ts WHERE ts.message_id = " id \
	" AND ts.revived_at IS NULL)"

/* The text of a message as stored and indexed: the same for a new message and for one that
 * arrives again after its disposal. */
struct message_text {
	const char *subject, *body;
	char *from_text, *to_text, *names;
};

/* Fills t from a parsed message (message_text_free frees it). */
void sp_message_text_init(struct message_text *t, const struct parsed_message *msg);
void sp_message_text_free(struct message_text *t);
/* Stores a message row's raw bytes and its full-text entry. */
int sp_bytes_and_index_add(struct store *store, int64_t id, const char *raw, size_t len,
                        const struct message_text *t);

struct thread_cb_ctx {
	store_thread_cb *cb;
	void *ctx;
};

/* The columns of a thread row (threads t JOIN mailboxes m), in sp_thread_row_read's order. */
#define SP_THREAD_COLUMNS \
	"t.id, t.ref, m.name, t.status, t.kind, t.correspondent, t.correspondent_name, " \
	"t.subject, t.category, t.priority, t.assignee, t.message_count, t.first_at, t.last_at, " \
	"m.troop, t.confidential, t.reportable, t.rms_number, t.not_reportable_reason, " \
	"coalesce(t.closed_at, 0), coalesce(t.first_in_at, 0), coalesce(t.first_response_at, 0), " \
	"t.suspicious"
/* Reads a row of SP_THREAD_COLUMNS (strings valid until the next step). */
void sp_thread_row_read(sqlite3_stmt *s, struct thread_row *row);

/* Hands a row of the thread columns (store_threads_list's query) to the callback of p, a
 * struct thread_cb_ctx *. */
int sp_thread_row_cb(sqlite3_stmt *s, void *p);

/* Sets store_error() to "what: " and SQLite's message. */
void sp_set_error(struct store *store, const char *what);
/* The prepared statement id (compiled on first use), or NULL with the error set. */
sqlite3_stmt *sp_stmt(struct store *store, enum stmt_id id);
/* Binding helpers: NULL strings bind as SQL NULL. */
void sp_bind_text(sqlite3_stmt *s, int i, const char *v);
void sp_bind_int(sqlite3_stmt *s, int i, int64_t v);
/* Runs a statement that returns no rows or whose first row is ignored; resets it. */
int sp_step_done(struct store *store, sqlite3_stmt *s, const char *what);
/* Runs a lookup: 1 with the first column of the first row in *value_r, 0 when no row;
 * resets it. */
int sp_step_find(struct store *store, sqlite3_stmt *s, int64_t *value_r, const char *what);
/* Column i as text (NULL for SQL NULL). */
const char *sp_col_text(sqlite3_stmt *s, int i);
/* Prepares a one-off query; the caller finalizes it. */
sqlite3_stmt *sp_query(struct store *store, const char *sql);
/* Steps a one-off query that always returns a row (an aggregate) into *value_r; finalizes
 * s. */
int sp_one_int64(struct store *store, sqlite3_stmt *s, int64_t *value_r, const char *what);
/* PRAGMA name (quick_check, integrity_check): 0 when "ok", 1 with *problems_r (caller frees;
 * one a line), -1 on an error. */
int sp_pragma_check(struct store *store, const char *name, char **problems_r);
/* Steps through every row, handing each to row_cb; finalizes s. */
int sp_each_row(struct store *store, sqlite3_stmt *s, int (*row_cb)(sqlite3_stmt *, void *),
             void *ctx);
/* Steps a one-off write statement and finalizes it. */
int sp_run_update(struct store *store, sqlite3_stmt *s, const char *what);
/* The same for an INSERT, with the new row's id in *id_r (when not NULL). */
int sp_run_insert(struct store *store, sqlite3_stmt *s, const char *what, int64_t *id_r);
/* The same for a conditional UPDATE: 1 when it changed a row, 0 when none matched. */
int sp_run_changes(struct store *store, sqlite3_stmt *s, const char *what);

/* Registers the search index's tokenizer, word_family, on db: before the index is read or
 * written, on every connection.  Returns 0, or -1 when SQLite has no FTS5. */
int sp_fts_register(sqlite3 *db);
/* The query to give MATCH for what a person typed: the words of its quoted strings marked
 * to be matched as written, not by their word family.  Caller frees. */
char *sp_fts_query(const char *query);

#endif
