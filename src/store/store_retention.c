/* store_retention.c — records retention: what is due, its disposal (a tombstone stays), a
 * disposed-of message arriving again, and what 'liaison verify' reads back (every message's
 * bytes, the tombstones). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Retention --------------------------------------------------------------------------- */

struct retention_cb_ctx {
	store_retention_cb *cb;
	void *ctx;
};

static int retention_row_cb(sqlite3_stmt *s, void *p)
{
	struct retention_cb_ctx *c = p;
	struct retention_row row = {
		.ref = sp_col_text(s, 0),
		.mailbox = sp_col_text(s, 1),
		.series = sp_col_text(s, 2),
		.last_activity = sqlite3_column_int64(s, 3),
		.due = sqlite3_column_int64(s, 4),
	};
	return c->cb(&row, c->ctx);
}

/* Two common table expressions (?1..?3 the periods, ?4 now):
 *   past        threads past the retention of their series whose messages nothing holds (an
 *               open request or an active hold): tid, ref, mailbox, series, last activity,
 *               end of retention;
 *   disposable  the messages (id) still stored that are filed only in such threads: a
 *               message also filed in a thread kept longer (another troop's) stays. */
#define DUE_CTE \
	"WITH past AS (" \
	"  SELECT tid, ref, mailbox, series, last_activity, last_activity + period AS ended FROM (" \
	"    SELECT t.ref, mb.name AS mailbox, " \
	"      CASE WHEN t.reportable OR EXISTS (SELECT 1 FROM referrals r WHERE r.thread_id = t.id) " \
	"        THEN 'case' WHEN t.kind = 'machine' THEN 'transitory' ELSE 'correspondence' END " \
	"        AS series, " \
	"      max(t.last_at, coalesce(t.closed_at, 0)) AS last_activity, t.id AS tid " \
	"    FROM threads t JOIN mailboxes mb ON mb.id = t.mailbox_id) " \
	"  JOIN (SELECT 'case' AS s, ?3 AS period UNION ALL SELECT 'transitory', ?1 " \
	"        UNION ALL SELECT 'correspondence', ?2) ON s = series " \
	"  WHERE last_activity + period < ?4 " \
	"  AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.thread_id = tid AND (" \
	"    EXISTS (SELECT 1 FROM foia_items i JOIN foia_requests q ON q.id = i.request_id " \
	"            WHERE i.message_id = p.message_id AND q.status = 'open') " \
	"    OR EXISTS (SELECT 1 FROM holds h WHERE h.message_id = p.message_id " \
	"               AND h.released_at IS NULL)))), " \
	"disposable AS (" \
	"  SELECT DISTINCT p.message_id AS id FROM placements p JOIN past ON past.tid = p.thread_id " \
	"  WHERE NOT " DISPOSED("p.message_id") " " \
	"  AND NOT EXISTS (SELECT 1 FROM placements p2 WHERE p2.message_id = p.message_id " \
	"    AND p2.thread_id NOT IN (SELECT tid FROM past))) "

static void bind_periods(sqlite3_stmt *s, int64_t now, int64_t transitory,
                         int64_t correspondence, int64_t case_period)
{
	sp_bind_int(s, 1, transitory);
	sp_bind_int(s, 2, correspondence);
	sp_bind_int(s, 3, case_period);
	sp_bind_int(s, 4, now);
}

int store_retention_due(struct store *store, int64_t now, int64_t transitory,
                        int64_t correspondence, int64_t case_period, store_retention_cb *cb,
                        void *ctx)
{
	/* exactly the threads a disposal would take something from */
	sqlite3_stmt *s = sp_query(store, DUE_CTE
	    "SELECT ref, mailbox, series, last_activity, ended FROM past "
	    "WHERE EXISTS (SELECT 1 FROM placements p WHERE p.thread_id = past.tid "
	    "  AND p.message_id IN (SELECT id FROM disposable)) ORDER BY ended, ref");
	if (s == NULL)
		return -1;
	bind_periods(s, now, transitory, correspondence, case_period);
	struct retention_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, retention_row_cb, &c);
}

/* Runs one statement of the disposal with ?1 bound to id (when id >= 0). */
static int dispose_step(struct store *store, const char *sql, int64_t id)
{
	sqlite3_stmt *s = sp_query(store, sql);
	if (s == NULL)
		return -1;
	if (id >= 0)
		sp_bind_int(s, 1, id);
	return sp_run_update(store, s, "dispose");
}

int store_dispose(struct store *store, int64_t now, int64_t transitory, int64_t correspondence,
                  int64_t case_period, const char *approval, const char *user,
                  int64_t *threads_r, int64_t *messages_r)
{
	static const char *const prepare[] = {
		"CREATE TEMP TABLE IF NOT EXISTS dispose_messages (id INTEGER PRIMARY KEY)",
		"CREATE TEMP TABLE IF NOT EXISTS dispose_threads (id INTEGER PRIMARY KEY)",
		"CREATE TEMP TABLE IF NOT EXISTS dispose_emptied (id INTEGER PRIMARY KEY)",
		"DELETE FROM temp.dispose_messages",
		"DELETE FROM temp.dispose_threads",
		"DELETE FROM temp.dispose_emptied",
	};
	for (size_t i = 0; i < sizeof(prepare) / sizeof(prepare[0]); i++)
		if (dispose_step(store, prepare[i], -1) < 0)
			return -1;
	sqlite3_stmt *s = sp_query(store, DUE_CTE
	                        "INSERT INTO temp.dispose_messages SELECT id FROM disposable");
	if (s == NULL)
		return -1;
	bind_periods(s, now, transitory, correspondence, case_period);
	if (sp_run_update(store, s, "dispose") < 0)
		return -1;
	s = sp_query(store, "INSERT INTO disposals (approval, disposed_by, disposed_at, threads, messages) "
	                 "VALUES (?1, ?2, ?3, (SELECT count(DISTINCT p.thread_id) FROM placements p "
	                 "  WHERE p.message_id IN (SELECT id FROM temp.dispose_messages)), "
	                 "(SELECT count(*) FROM temp.dispose_messages))");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, approval);
	sp_bind_text(s, 2, user);
	sp_bind_int(s, 3, now);
	if (sp_run_update(store, s, "dispose") < 0)
		return -1;
	int64_t disposal = sqlite3_last_insert_rowid(store->db);
	static const char *const steps[] = {
		"INSERT INTO temp.dispose_threads SELECT DISTINCT thread_id FROM placements "
		"WHERE message_id IN (SELECT id FROM temp.dispose_messages)",
		/* the tombstone: the message row keeps its hash, size, Message-ID and dates */
		"INSERT INTO tombstones (message_id, disposal_id, custodians) "
		"SELECT d.id, ?1, coalesce((SELECT group_concat(name, '; ') FROM (SELECT DISTINCT mb.name "
		"  AS name FROM custody c JOIN mailboxes mb ON mb.id = c.mailbox_id "
		"  WHERE c.message_id = d.id ORDER BY mb.name)), '') FROM temp.dispose_messages d",
		/* the search index forgets the words, and holds the blank row the table now has */
		"INSERT INTO messages_fts (messages_fts, rowid, subject, body, from_text, to_text, "
		"attachments) SELECT 'delete', m.id, m.subject, m.body, m.from_text, m.to_text, "
		"m.attachments FROM messages m WHERE m.id IN (SELECT id FROM temp.dispose_messages)",
		"INSERT INTO messages_fts (rowid, subject, body, from_text, to_text, attachments) "
		"SELECT id, '', '', '', '', '' FROM temp.dispose_messages",
		"DELETE FROM message_raw WHERE message_id IN (SELECT id FROM temp.dispose_messages)",
		"UPDATE messages SET subject = '', from_addr = '', from_name = NULL, from_text = '', "
		"to_text = '', body = '', attachments = '' "
		"WHERE id IN (SELECT id FROM temp.dispose_messages)",
		"UPDATE attachments SET filename = NULL "
		"WHERE message_id IN (SELECT id FROM temp.dispose_messages)",
		/* why a message was machine mail names its sender */
		"UPDATE placements SET reason = NULL "
		"WHERE message_id IN (SELECT id FROM temp.dispose_messages)",
		/* a thread left with no message keeps its reference and who did what when, not the
		 * words or the people: subject, correspondent, participants, notes, referral notes,
		 * the copies of what was sent */
		"INSERT INTO temp.dispose_emptied SELECT id FROM temp.dispose_threads d "
		"WHERE NOT EXISTS (SELECT 1 FROM placements p WHERE p.thread_id = d.id "
		"  AND NOT " DISPOSED("p.message_id") ")",
		"UPDATE threads SET subject = '', base_subject = '', correspondent = '', "
		"correspondent_name = NULL WHERE id IN (SELECT id FROM temp.dispose_emptied)",
		"DELETE FROM thread_participants WHERE thread_id IN (SELECT id FROM temp.dispose_emptied)",
		"UPDATE thread_history SET details = NULL "
		"WHERE thread_id IN (SELECT id FROM temp.dispose_emptied)",
		"UPDATE referrals SET note = NULL WHERE thread_id IN (SELECT id FROM temp.dispose_emptied)",
		"UPDATE outbox SET raw = X'', recipient = '', correspondent = NULL "
		"WHERE thread_id IN (SELECT id FROM temp.dispose_emptied) AND status IN ('sent', 'failed')",
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (dispose_step(store, steps[i], strstr(steps[i], "?1") ? disposal : -1) < 0)
			return -1;
	s = sp_query(store, "SELECT threads, messages FROM disposals WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, disposal);
	int rc = sqlite3_step(s) == SQLITE_ROW ? 0 : -1;
	if (rc == 0) {
		*threads_r = sqlite3_column_int64(s, 0);
		*messages_r = sqlite3_column_int64(s, 1);
	} else {
		sp_set_error(store, "dispose");
	}
	sqlite3_finalize(s);
	return rc;
}

int store_message_disposed(struct store *store, int64_t message_id)
{
	sqlite3_stmt *s = sp_query(store, "SELECT 1 WHERE " DISPOSED("?1"));
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, message_id);
	int rc = sqlite3_step(s);
	int result = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (result < 0)
		sp_set_error(store, "read tombstones");
	sqlite3_finalize(s);
	return result;
}

int store_message_revive(struct store *store, int64_t message_id, const char *raw, size_t len,
                         const struct parsed_message *msg, int64_t now)
{
	struct message_text t;
	sp_message_text_init(&t, msg);
	int rc = -1;
	/* the index holds the blank row the disposal left: out with it, in with the words */
	sqlite3_stmt *s = sp_query(store, "INSERT INTO messages_fts (messages_fts, rowid, subject, body, "
	                               "from_text, to_text, attachments) "
	                               "SELECT 'delete', id, subject, body, from_text, to_text, "
	                               "attachments FROM messages WHERE id = ?1");
	if (s == NULL)
		goto out;
	sp_bind_int(s, 1, message_id);
	if (sp_run_update(store, s, "revive message") < 0)
		goto out;
	s = sp_query(store, "UPDATE messages SET subject = ?2, from_addr = ?3, from_name = ?4, "
	                 "from_text = ?5, to_text = ?6, body = ?7, attachments = ?8 WHERE id = ?1");
	if (s == NULL)
		goto out;
	sp_bind_int(s, 1, message_id);
	sp_bind_text(s, 2, t.subject);
	sp_bind_text(s, 3, msg->from.addr ? msg->from.addr : "");
	sp_bind_text(s, 4, msg->from.name);
	sp_bind_text(s, 5, t.from_text);
	sp_bind_text(s, 6, t.to_text);
	sp_bind_text(s, 7, t.body);
	sp_bind_text(s, 8, t.names);
	if (sp_run_update(store, s, "revive message") < 0 ||
	    sp_bytes_and_index_add(store, message_id, raw, len, &t) < 0)
		goto out;
	for (size_t i = 0; i < msg->n_attachments; i++) {
		s = sp_query(store, "UPDATE attachments SET filename = ?3 WHERE message_id = ?1 AND ordinal = ?2");
		if (s == NULL)
			goto out;
		sp_bind_int(s, 1, message_id);
		sp_bind_int(s, 2, (int64_t)i + 1);
		sp_bind_text(s, 3, msg->attachments[i].filename);
		if (sp_run_update(store, s, "revive message") < 0)
			goto out;
	}
	s = sp_query(store, "UPDATE tombstones SET revived_at = ?2 WHERE message_id = ?1 "
	                 "AND revived_at IS NULL");
	if (s == NULL)
		goto out;
	sp_bind_int(s, 1, message_id);
	sp_bind_int(s, 2, now);
	rc = sp_run_update(store, s, "revive message");
out:
	sp_message_text_free(&t);
	return rc;
}

/* --- Verification ------------------------------------------------------------------------ */

struct rehash_cb_ctx {
	store_rehash_cb *cb;
	void *ctx;
};

static int rehash_row_cb(sqlite3_stmt *s, void *p)
{
	struct rehash_cb_ctx *c = p;
	struct rehash_row row = {
		.sha256 = sp_col_text(s, 0),
		.message_id = sp_col_text(s, 1),
		.raw = sqlite3_column_blob(s, 2),
		.len = (size_t)sqlite3_column_bytes(s, 2),
		.stored = sqlite3_column_type(s, 2) != SQLITE_NULL,
		.disposed = sqlite3_column_int(s, 3),
	};
	return c->cb(&row, c->ctx);
}

int store_messages_raw_each(struct store *store, store_rehash_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT m.sha256, m.message_id, r.raw, " DISPOSED("m.id")
	                               " FROM messages m LEFT JOIN message_raw r "
	                               "ON r.message_id = m.id ORDER BY m.id");
	if (s == NULL)
		return -1;
	struct rehash_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, rehash_row_cb, &c);
}

int store_tombstone_find(struct store *store, const char *key, struct tombstone *t)
{
	sqlite3_stmt *s = sp_query(store, "SELECT d.approval, d.disposed_by, "
	                               "date(d.disposed_at, 'unixepoch', 'localtime') "
	                               "FROM tombstones ts JOIN messages m ON m.id = ts.message_id "
	                               "JOIN disposals d ON d.id = ts.disposal_id AND ts.revived_at IS NULL "
	                               "WHERE m.sha256 = lower(?1) OR m.message_id = trim(?1, '<>') "
	                               "LIMIT 1");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, key);
	int rc = sqlite3_step(s), result = 0;
	if (rc == SQLITE_ROW) {
		t->approval = xstrdup(sp_col_text(s, 0));
		t->by = xstrdup(sp_col_text(s, 1));
		t->when = xstrdup(sp_col_text(s, 2));
		result = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "read tombstones");
		result = -1;
	}
	sqlite3_finalize(s);
	return result;
}

void store_tombstone_clear(struct tombstone *t)
{
	free(t->approval);
	free(t->by);
	free(t->when);
	memset(t, 0, sizeof(*t));
}

int store_count_tombstones(struct store *store, int64_t *count_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT count(*) FROM tombstones WHERE revived_at IS NULL");
	if (s == NULL)
		return -1;
	return sp_one_int64(store, s, count_r, "count tombstones");
}
