/* store_outbox.c — the outbox: messages liaison sends (auto-replies, notices, replies)
 * queued, counted against the reply limits, claimed by the sender, and their outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Outbox ---------------------------------------------------------------------------- */

int store_outbox_add(struct store *store, const struct outbox_new *o, int64_t *id_r)
{
	sqlite3_stmt *s = sp_query(store,
	    "INSERT INTO outbox (kind, mailbox_id, thread_id, answers, recipient, envelope_from, "
	    "message_id, in_reply_to, raw, status, next_attempt_at, created_at, correspondent, "
	    "created_by) "
	    "VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, 'queued', ?10, ?10, "
	    "?11, ?12)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, o->kind);
	sp_bind_int(s, 2, o->mailbox_id);
	sp_bind_int(s, 3, o->thread_id);
	sp_bind_int(s, 4, o->answers);
	sp_bind_text(s, 5, o->recipient);
	sp_bind_text(s, 6, o->envelope_from ? o->envelope_from : "");
	sp_bind_text(s, 7, o->message_id);
	sp_bind_text(s, 8, o->in_reply_to);
	sqlite3_bind_blob64(s, 9, o->raw, o->len, SQLITE_STATIC);
	sp_bind_int(s, 10, o->now);
	sp_bind_text(s, 11, o->correspondent);
	sp_bind_text(s, 12, o->created_by);
	return sp_run_insert(store, s, "queue outgoing message", id_r);
}

int store_outbox_count_since(struct store *store, int64_t mailbox_id, const char *correspondent,
                             const char *recipient, const char *kind, int64_t since,
                             int64_t *count_r)
{
	sqlite3_stmt *s = sp_stmt(store, ST_OUTBOX_COUNT);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, correspondent);
	sp_bind_text(s, 3, kind);
	sp_bind_int(s, 4, since);
	sp_bind_text(s, 5, recipient);
	*count_r = 0;
	return sp_step_find(store, s, count_r, "count outgoing messages") < 0 ? -1 : 0;
}

int store_outbox_count_domain_since(struct store *store, const char *domain, int64_t since,
                                    int64_t *count_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT count(*) FROM outbox WHERE created_at >= ?1 "
	                               "AND kind IN ('autoreply', 'autoreply-urgent') "
	                               "AND lower(substr(recipient, instr(recipient, '@') + 1)) = ?2");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, since);
	sp_bind_text(s, 2, domain);
	return sp_one_int64(store, s, count_r, "count auto-replies to a domain");
}

#define OUTBOX_COLUMNS \
	"o.id, o.mailbox_id, coalesce(o.thread_id, 0), coalesce(o.answers, 0), o.kind, " \
	"o.recipient, o.envelope_from, o.message_id, o.in_reply_to, o.status, o.last_error, " \
	"t.ref, mb.name, o.raw, o.attempts, o.next_attempt_at, o.created_at, " \
	"coalesce(o.claimed_at, 0), coalesce(o.sent_at, 0), o.created_by, mb.troop, " \
	"coalesce(t.confidential, 0), t.assignee " \
	"FROM outbox o JOIN mailboxes mb ON mb.id = o.mailbox_id " \
	"LEFT JOIN threads t ON t.id = o.thread_id "

struct outbox_cb_ctx {
	store_outbox_cb *cb;
	void *ctx;
};

static int outbox_row_cb(sqlite3_stmt *s, void *p)
{
	struct outbox_cb_ctx *c = p;
	struct outbox_row row = {
		.id = sqlite3_column_int64(s, 0),
		.mailbox_id = sqlite3_column_int64(s, 1),
		.thread_id = sqlite3_column_int64(s, 2),
		.answers = sqlite3_column_int64(s, 3),
		.kind = sp_col_text(s, 4),
		.recipient = sp_col_text(s, 5),
		.envelope_from = sp_col_text(s, 6),
		.message_id = sp_col_text(s, 7),
		.in_reply_to = sp_col_text(s, 8),
		.status = sp_col_text(s, 9),
		.last_error = sp_col_text(s, 10),
		.thread_ref = sp_col_text(s, 11),
		.mailbox = sp_col_text(s, 12),
		.raw = sqlite3_column_blob(s, 13),
		.len = (size_t)sqlite3_column_bytes(s, 13),
		.attempts = sqlite3_column_int64(s, 14),
		.next_attempt_at = sqlite3_column_int64(s, 15),
		.created_at = sqlite3_column_int64(s, 16),
		.claimed_at = sqlite3_column_int64(s, 17),
		.sent_at = sqlite3_column_int64(s, 18),
		.created_by = sp_col_text(s, 19),
		.troop = sp_col_text(s, 20)[0],
		.thread_confidential = sqlite3_column_int(s, 21),
		.thread_assignee = sp_col_text(s, 22),
	};
	return c->cb(&row, c->ctx);
}

/* Deep copy of a row, for use after its statement is finished. */
static int outbox_row_copy(const struct outbox_row *row, void *p)
{
	struct outbox_row *to = p;
	*to = *row;
	to->kind = xstrdup(row->kind);
	to->recipient = xstrdup(row->recipient);
	to->envelope_from = xstrdup(row->envelope_from);
	to->message_id = xstrdup(row->message_id);
	to->in_reply_to = xstrdup(row->in_reply_to);
	to->status = xstrdup(row->status);
	to->last_error = xstrdup(row->last_error);
	to->thread_ref = xstrdup(row->thread_ref);
	to->mailbox = xstrdup(row->mailbox);
	to->created_by = xstrdup(row->created_by);
	to->thread_assignee = xstrdup(row->thread_assignee);
	char *raw = xmalloc(row->len + 1);
	memcpy(raw, row->raw, row->len);
	to->raw = raw;
	return 0;
}

static void outbox_row_free(struct outbox_row *row)
{
	free((char *)row->kind);
	free((char *)row->recipient);
	free((char *)row->envelope_from);
	free((char *)row->message_id);
	free((char *)row->in_reply_to);
	free((char *)row->status);
	free((char *)row->last_error);
	free((char *)row->thread_ref);
	free((char *)row->mailbox);
	free((char *)row->created_by);
	free((char *)row->thread_assignee);
	free((char *)row->raw);
}

int store_outbox_claim(struct store *store, int64_t now, store_outbox_cb *cb, void *ctx)
{
	if (store_begin(store) < 0)
		return -1;
	sqlite3_stmt *s = sp_query(store, "UPDATE outbox SET status = 'sending', claimed_at = ?1, "
	                               "data_complete = 0, "
	                               "attempts = attempts + 1 WHERE id = (SELECT id FROM outbox "
	                               "WHERE status = 'queued' AND next_attempt_at <= ?1 "
	                               "ORDER BY next_attempt_at, id LIMIT 1) RETURNING id");
	if (s == NULL) {
		store_rollback(store);
		return -1;
	}
	sp_bind_int(s, 1, now);
	int64_t id = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		sp_set_error(store, "claim outgoing message");
	sqlite3_finalize(s);
	if ((rc != SQLITE_ROW && rc != SQLITE_DONE) || store_commit(store) < 0) {
		store_rollback(store);
		return -1;
	}
	if (id == 0)
		return 0;
	/* Committed: a crash from here on leaves the row "sending", resolved at the next start.
	 * The row is copied out and its statement finished before cb runs: cb writes (marks
	 * the row, files the copy) on this same connection. */
	s = sp_query(store, "SELECT " OUTBOX_COLUMNS "WHERE o.id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sp_set_error(store, "read claimed message");
		sqlite3_finalize(s);
		return -1;
	}
	struct outbox_row row;
	struct outbox_cb_ctx copy = {outbox_row_copy, &row};
	outbox_row_cb(s, &copy);
	sqlite3_finalize(s);
	cb(&row, ctx);
	outbox_row_free(&row);
	return 1;
}

int store_outbox_get(struct store *store, int64_t id, store_outbox_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT " OUTBOX_COLUMNS "WHERE o.id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	struct outbox_cb_ctx c = {cb, ctx};
	int found = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		found = 1;
		outbox_row_cb(s, &c);
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "read outgoing message");
		found = -1;
	}
	sqlite3_finalize(s);
	return found;
}

int store_outbox_finish(struct store *store, int64_t id, const char *status,
                        const char *last_error, int64_t next_attempt_at, int64_t now)
{
	sqlite3_stmt *s = sp_query(store,
	    "UPDATE outbox SET status = ?2, last_error = ?3, next_attempt_at = ?4, "
	    "sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sp_bind_text(s, 2, status);
	sp_bind_text(s, 3, last_error);
	sp_bind_int(s, 4, next_attempt_at);
	sp_bind_int(s, 5, now);
	return sp_run_update(store, s, "mark outgoing message");
}

/* Rows matching a WHERE clause (with at most one text parameter), newest first. */
static int outbox_list_where(struct store *store, const char *where, const char *param,
                             store_outbox_cb *cb, void *ctx)
{
	char *sql = xasprintf("SELECT " OUTBOX_COLUMNS "WHERE %s ORDER BY o.id DESC", where);
	sqlite3_stmt *s = sp_query(store, sql);
	free(sql);
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, param);
	struct outbox_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, outbox_row_cb, &c);
}

int store_outbox_list(struct store *store, const char *status, store_outbox_cb *cb, void *ctx)
{
	return outbox_list_where(store, "?1 IS NULL OR o.status = ?1", status, cb, ctx);
}

int store_outbox_list_unthreaded_notices(struct store *store, store_outbox_cb *cb, void *ctx)
{
	/* outbox_thread's index finds them without reading the whole outbox */
	return outbox_list_where(store, "o.thread_id IS NULL AND o.kind = 'notice'", NULL, cb, ctx);
}

int store_outbox_list_failed_with(struct store *store, const char *error_prefix,
                                  store_outbox_cb *cb, void *ctx)
{
	/* outbox_due's index finds the failed rows */
	return outbox_list_where(store, "o.status = 'failed' AND "
	                         "substr(o.last_error, 1, length(?1)) = ?1", error_prefix, cb, ctx);
}

int store_outbox_any_due(struct store *store, int64_t now, int *due_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT EXISTS (SELECT 1 FROM outbox WHERE status = "
	                               "'queued' AND next_attempt_at <= ?1)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, now);
	int64_t due = 0;
	int rc = sp_one_int64(store, s, &due, "due messages");
	*due_r = due != 0;
	return rc;
}

int store_outbox_next_due(struct store *store, int64_t *when_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT coalesce(min(next_attempt_at), 0) FROM outbox "
	                               "WHERE status = 'queued'");
	if (s == NULL)
		return -1;
	return sp_one_int64(store, s, when_r, "next due message");
}


/* Runs an UPDATE of one outbox row; 1 when a row changed, 0 when none did. */
static int outbox_update(struct store *store, const char *sql, int64_t id, const char *text,
                         int64_t now)
{
	sqlite3_stmt *s = sp_query(store, sql);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sp_bind_text(s, 2, text);
	sp_bind_int(s, 3, now);
	return sp_run_changes(store, s, "update outgoing message");
}

int store_outbox_retry(struct store *store, int64_t id, int64_t now)
{
	return outbox_update(store, "UPDATE outbox SET status = 'queued', next_attempt_at = ?3, "
	                            "last_error = coalesce(?2, last_error) WHERE id = ?1 "
	                            "AND status IN ('uncertain', 'failed')", id, NULL, now);
}

int store_outbox_cancel(struct store *store, int64_t id, const char *why)
{
	return outbox_update(store, "UPDATE outbox SET status = 'failed', last_error = ?2 "
	                            "WHERE id = ?1 AND status IN ('queued', 'uncertain')",
	                     id, why, 0);
}

int store_outbox_requeue_raw(struct store *store, int64_t id, const char *message_id,
                             const char *raw, size_t len)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE outbox SET raw = ?2, message_id = ?3, "
	                               "data_complete = 0 WHERE id = ?1 AND status = 'queued'");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sqlite3_bind_blob64(s, 2, raw, len, SQLITE_STATIC);
	sp_bind_text(s, 3, message_id);
	return sp_run_changes(store, s, "replace a queued message");
}

int store_outbox_resolve_claimed(struct store *store, const char *uncertain_why,
                                 store_resolved_cb *cb, void *ctx)
{
	/* One statement: the mark and the proof (the copy filed with the mark) agree.  A row
	 * whose DATA never reached its end cannot have been accepted: it is queued again. */
	sqlite3_stmt *s = sp_query(store,
	    "UPDATE outbox SET "
	    "status = CASE WHEN EXISTS (SELECT 1 FROM messages m "
	    "    WHERE m.message_id = outbox.message_id) THEN 'sent' "
	    "  WHEN NOT data_complete THEN 'queued' ELSE 'uncertain' END, "
	    "last_error = CASE WHEN EXISTS (SELECT 1 FROM messages m "
	    "    WHERE m.message_id = outbox.message_id) THEN NULL "
	    "  WHEN NOT data_complete THEN 'interrupted before the message was complete' "
	    "  ELSE ?1 END, "
	    "sent_at = CASE WHEN EXISTS (SELECT 1 FROM messages m "
	    "  WHERE m.message_id = outbox.message_id) THEN claimed_at ELSE sent_at END "
	    "WHERE status = 'sending' RETURNING id, status, recipient");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, uncertain_why);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		cb(sqlite3_column_int64(s, 0), sp_col_text(s, 1), sp_col_text(s, 2), ctx);
	int result = rc == SQLITE_DONE ? 0 : -1;
	if (result < 0)
		sp_set_error(store, "resolve claimed messages");
	sqlite3_finalize(s);
	return result;
}

int store_outbox_data_complete(struct store *store, int64_t id)
{
	return outbox_update(store, "UPDATE outbox SET data_complete = 1 WHERE id = ?1", id, NULL, 0)
	    < 0 ? -1 : 0;
}
