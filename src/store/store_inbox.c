/* store_inbox.c — the inbox views: one page of threads by filter, newest first, paged by
 * keyset (see store.h, "The inbox"). */
#include "store_private.h"

#include <stdio.h>
#include <string.h>

/* The filter as SQL: ?1 troops, ?2 closed, ?3 person, ?4 assignee, ?5 unassigned, ?6 urgent,
 * ?7 reportable awaiting, ?8 awaiting answer, ?9 category, ?10 status, ?11 mailbox, ?12 and
 * ?13 the keyset. */
#define INBOX_WHERE \
	"WHERE (?1 IS NULL OR instr(?1, m.troop) > 0) " \
	"AND (CASE WHEN ?2 THEN t.status = 'closed' ELSE t.status <> 'closed' END) " \
	"AND (NOT ?3 OR t.kind = 'person') " \
	"AND (?4 IS NULL OR t.assignee = ?4) " \
	"AND (NOT ?5 OR t.assignee IS NULL) " \
	"AND (NOT ?6 OR t.priority = 'urgent') " \
	"AND (NOT ?7 OR (t.reportable AND t.rms_number IS NULL AND t.not_reportable_reason IS NULL)) " \
	"AND (NOT ?8 OR (coalesce(t.first_in_at, 0) > 0 AND coalesce(t.first_response_at, 0) = 0)) " \
	"AND (?9 IS NULL OR t.category = ?9) " \
	"AND (?10 IS NULL OR t.status = ?10) " \
	"AND (?11 IS NULL OR m.name = ?11) "

static void bind_filter(sqlite3_stmt *s, const struct inbox_filter *f)
{
	sp_bind_text(s, 1, f->troops);
	sp_bind_int(s, 2, f->closed);
	sp_bind_int(s, 3, f->person);
	sp_bind_text(s, 4, f->assignee);
	sp_bind_int(s, 5, f->unassigned);
	sp_bind_int(s, 6, f->urgent);
	sp_bind_int(s, 7, f->reportable_awaiting);
	sp_bind_int(s, 8, f->awaiting_answer);
	sp_bind_text(s, 9, f->category);
	sp_bind_text(s, 10, f->status);
	sp_bind_text(s, 11, f->mailbox);
}

struct inbox_ctx {
	store_thread_cb *cb;
	void *ctx;
};

/* The thread columns of store_threads_list, then the preview. */
static int inbox_row(sqlite3_stmt *s, void *p)
{
	struct inbox_ctx *c = p;
	struct thread_row r;
	sp_thread_row_read(s, &r);
	r.preview = sp_col_text(s, 23);
	r.seen_at = sqlite3_column_int64(s, 24);
	return c->cb(&r, c->ctx);
}

int store_inbox_list(struct store *store, const struct inbox_filter *f, store_thread_cb *cb,
                     void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT " SP_THREAD_COLUMNS ", "
	    "(SELECT substr(g.body, 1, 240) FROM placements p JOIN messages g ON g.id = p.message_id "
	    " WHERE p.thread_id = t.id ORDER BY p.direction = 'in' DESC, p.date DESC, p.id DESC "
	    " LIMIT 1), "
	    "coalesce((SELECT v.seen_at FROM thread_seen v WHERE v.user = ?15 AND "
	    " v.thread_id = t.id), 0) "
	    "FROM threads t JOIN mailboxes m ON m.id = t.mailbox_id " INBOX_WHERE
	    "AND (?12 = 0 OR t.last_at < ?12 OR (t.last_at = ?12 AND t.id < ?13)) "
	    "ORDER BY t.last_at DESC, t.id DESC LIMIT ?14");
	if (s == NULL)
		return -1;
	bind_filter(s, f);
	sp_bind_int(s, 12, f->before_last_at);
	sp_bind_int(s, 13, f->before_id);
	sp_bind_int(s, 14, f->limit > 0 ? f->limit : -1);
	sp_bind_text(s, 15, f->seen_by);
	struct inbox_ctx c = {cb, ctx};
	return sp_each_row(store, s, inbox_row, &c);
}

int store_inbox_each(struct store *store, const struct inbox_filter *f, store_thread_cb *cb,
                     void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT " SP_THREAD_COLUMNS " FROM threads t JOIN mailboxes m ON m.id = t.mailbox_id "
	    INBOX_WHERE);
	if (s == NULL)
		return -1;
	bind_filter(s, f);
	struct thread_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, sp_thread_row_cb, &c);
}

int store_change_stamp(struct store *store, char *out, size_t size)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT (SELECT coalesce(max(id), 0) FROM placements), "
	    "(SELECT coalesce(max(id), 0) FROM thread_history), "
	    "(SELECT coalesce(max(id), 0) FROM outbox), "
	    "(SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending'))");
	if (s == NULL)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(out, size, "%lld.%lld.%lld.%lld", (long long)sqlite3_column_int64(s, 0),
		         (long long)sqlite3_column_int64(s, 1), (long long)sqlite3_column_int64(s, 2),
		         (long long)sqlite3_column_int64(s, 3));
	else
		sp_set_error(store, "change stamp");
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_thread_seen_set(struct store *store, const char *user, int64_t thread_id, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO thread_seen (user, thread_id, seen_at) "
	                                  "VALUES (?1, ?2, ?3) ON CONFLICT (user, thread_id) "
	                                  "DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_int(s, 2, thread_id);
	sp_bind_int(s, 3, now);
	return sp_run_update(store, s, "thread seen");
}

int store_inbox_counts(struct store *store, const struct inbox_filter *f, const char *me,
                       struct inbox_counts *counts_r)
{
	/* ?4 the status an open view may have (NULL: any; 'closed' matches none), ?5 the closed
	 * view's (NULL or 'closed': all closed; another matches none) */
	sqlite3_stmt *s = sp_query(store,
	    "SELECT coalesce(sum(o AND assignee IS NULL), 0), coalesce(sum(o AND assignee = ?6), 0), "
	    "coalesce(sum(o), 0), coalesce(sum(o AND priority = 'urgent'), 0), "
	    "coalesce(sum(o AND reportable AND rms_number IS NULL AND not_reportable_reason IS NULL), 0), "
	    "coalesce(sum(status = 'closed' AND (?5 IS NULL OR ?5 = 'closed')), 0) FROM ("
	    " SELECT t.*, (t.status <> 'closed' AND t.kind = 'person' AND "
	    "  (?4 IS NULL OR t.status = ?4)) AS o "
	    " FROM threads t JOIN mailboxes m ON m.id = t.mailbox_id "
	    " WHERE (?1 IS NULL OR instr(?1, m.troop) > 0) AND (?2 IS NULL OR t.category = ?2) "
	    " AND (?3 IS NULL OR m.name = ?3))");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, f->troops);
	sp_bind_text(s, 2, f->category);
	sp_bind_text(s, 3, f->mailbox);
	sp_bind_text(s, 4, f->status);
	sp_bind_text(s, 5, f->status);
	sp_bind_text(s, 6, me);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		counts_r->unassigned = sqlite3_column_int64(s, 0);
		counts_r->mine = sqlite3_column_int64(s, 1);
		counts_r->all = sqlite3_column_int64(s, 2);
		counts_r->urgent = sqlite3_column_int64(s, 3);
		counts_r->reportable = sqlite3_column_int64(s, 4);
		counts_r->closed = sqlite3_column_int64(s, 5);
	} else {
		sp_set_error(store, "count threads");
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}
