/* store_search.c — full-text search (FTS5) over the stored messages, with the filters of
 * 'liaison search' and of a FOIA request's responsive set. */
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Search (FTS5) ----------------------------------------------------------------------- */

struct search_cb_ctx {
	store_search_cb *cb;
	void *ctx;
	size_t rows;
};

static int search_row_cb(sqlite3_stmt *s, void *p)
{
	struct search_cb_ctx *c = p;
	c->rows++;
	const char *troop = sp_col_text(s, 8);
	struct search_row row = {
		.id = sqlite3_column_int64(s, 0),
		.message_id = sp_col_text(s, 1),
		.thread_ref = sp_col_text(s, 2),
		.date = sqlite3_column_int64(s, 3),
		.from_addr = sp_col_text(s, 4),
		.subject = sp_col_text(s, 5),
		.mailbox = sp_col_text(s, 6),
		.snippet = sp_col_text(s, 7),
		.troop = troop ? troop[0] : '?',
		.thread_confidential = sqlite3_column_int(s, 9),
		.thread_assignee = sp_col_text(s, 10),
		.direction = sp_col_text(s, 11),
	};
	return c->cb(&row, c->ctx);
}

/* The filters that are set, over p (placements), mb (mailboxes), m (messages) and t
 * (threads): only those, so that the planner can use the indexes they name (a thread's
 * reference, a mailbox, a date range), and only the tables they name need joining.
 * Parameters keep their numbers (see search_bind). */
static char *search_filters(const struct search_filter *f)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	buf_addstr(&b, f->query ? "WHERE messages_fts MATCH ?1 " : "WHERE 1 ");
	if (f->mailbox)
		buf_addstr(&b, "AND mb.name = ?2 ");
	if (f->from)
		buf_addstr(&b, "AND m.from_addr = lower(?3) ");
	if (f->to)
		buf_addstr(&b, "AND instr(lower(m.to_text), lower(?4)) > 0 ");
	if (f->since)
		buf_addstr(&b, "AND p.date >= ?5 ");
	if (f->until)
		buf_addstr(&b, "AND p.date < ?6 ");
	if (f->category)
		buf_addstr(&b, "AND (t.category = ?7 OR instr(',' || coalesce(p.categories, '') || ',', "
		               "',' || ?7 || ',') > 0) ");
	if (f->thread_ref)
		buf_addstr(&b, "AND t.ref = ?8 ");
	if (f->has_attachment)
		buf_addstr(&b, "AND EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = p.message_id) ");
	if (f->direction)
		buf_addstr(&b, "AND p.direction = ?10 ");
	if (f->troops)
		buf_addstr(&b, "AND instr(?11, mb.troop) > 0 ");
	/* disposed of: nothing left to find (the tombstone is not a record to produce) */
	buf_addstr(&b, "AND NOT " DISPOSED("p.message_id") " ");
	return buf_steal(&b, NULL);
}

/* Binds what the filters use (a parameter the statement lacks is refused by SQLite, and
 * that refusal is of no consequence). */
static void search_bind(sqlite3_stmt *s, const struct search_filter *f)
{
	sp_bind_text(s, 1, f->query);
	sp_bind_text(s, 2, f->mailbox);
	sp_bind_text(s, 3, f->from);
	sp_bind_text(s, 4, f->to);
	sp_bind_int(s, 5, f->since);
	sp_bind_int(s, 6, f->until);
	sp_bind_text(s, 7, f->category);
	sp_bind_text(s, 8, f->thread_ref);
	sp_bind_int(s, 9, f->has_attachment);
	sp_bind_text(s, 10, f->direction);
	sp_bind_text(s, 11, f->troops);
}

/* Every hit in one query, each row whole (for the responsive set of a request). */
static int search_all(struct store *store, const struct search_filter *f, store_search_cb *cb,
                      void *ctx, size_t *total_r)
{
	/* With a query the full-text index leads (and gives the snippet); without one the
	 * filters alone select, and the snippet is the text's beginning. */
	static const char with_query[] =
	    "SELECT m.id, m.message_id, t.ref, p.date, m.from_addr, m.subject, mb.name, "
	    "  snippet(messages_fts, 1, '[', ']', '...', 12), mb.troop, t.confidential, t.assignee, "
	    "  p.direction "
	    "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid ";
	static const char without_query[] =
	    "SELECT m.id, m.message_id, t.ref, p.date, m.from_addr, m.subject, mb.name, "
	    "  substr(m.body, 1, 120), mb.troop, t.confidential, t.assignee, p.direction "
	    "FROM messages m ";
	static const char joins[] =
	    "JOIN placements p ON p.message_id = m.id "
	    "JOIN mailboxes mb ON mb.id = p.mailbox_id "
	    "JOIN threads t ON t.id = p.thread_id ";
	char *filters = search_filters(f);
	char *sql = xasprintf("%s%s%sORDER BY p.date DESC, m.id DESC, p.id DESC",
	                      f->query ? with_query : without_query, joins, filters);
	free(filters);
	sqlite3_stmt *s = sp_query(store, sql);
	free(sql);
	if (s == NULL)
		return -1;
	search_bind(s, f);
	struct search_cb_ctx c = {cb, ctx, 0};
	int rc = sp_each_row(store, s, search_row_cb, &c);
	*total_r = c.rows;
	return rc;
}

/* The newest f->limit hits and the count of all: the hits are selected and counted over the
 * placements alone (messages and threads joined only when a filter needs them), and only the
 * rows shown are read whole, with their snippets. */
static int search_newest(struct store *store, const struct search_filter *f, store_search_cb *cb,
                         void *ctx, size_t *total_r)
{
	int need_m = f->from != NULL || f->to != NULL;
	int need_t = f->category != NULL || f->thread_ref != NULL;
	int need_mb = f->mailbox != NULL || f->troops != NULL;
	char *filters = search_filters(f);
	char *sql = xasprintf(
	    "SELECT p.id, p.message_id FROM %s %s%s%s%s"
	    "ORDER BY p.date DESC, p.message_id DESC, p.id DESC",
	    f->query ? "messages_fts JOIN placements p ON p.message_id = messages_fts.rowid"
	             : "placements p",
	    need_mb ? "JOIN mailboxes mb ON mb.id = p.mailbox_id " : "",
	    need_m ? "JOIN messages m ON m.id = p.message_id " : "",
	    need_t ? "JOIN threads t ON t.id = p.thread_id " : "", filters);
	free(filters);
	sqlite3_stmt *s = sp_query(store, sql);
	free(sql);
	if (s == NULL)
		return -1;
	search_bind(s, f);
	struct buf placements, messages;
	buf_init(&placements, SIZE_MAX);
	buf_init(&messages, SIZE_MAX);
	buf_addstr(&placements, "[");
	buf_addstr(&messages, "[");
	size_t total = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (total < f->limit) {
			buf_addf(&placements, "%s%lld", total ? "," : "",
			         (long long)sqlite3_column_int64(s, 0));
			buf_addf(&messages, "%s%lld", total ? "," : "",
			         (long long)sqlite3_column_int64(s, 1));
		}
		total++;
	}
	buf_addstr(&placements, "]");
	buf_addstr(&messages, "]");
	if (rc != SQLITE_DONE)
		sp_set_error(store, "search"); /* before finalizing, which forgets why */
	sqlite3_finalize(s);
	*total_r = total;
	if (rc != SQLITE_DONE) {
		buf_free(&placements);
		buf_free(&messages);
		return -1;
	}
	/* The rows shown, and their snippets from the index in one pass over the query's hits
	 * ("+rowid": filtered, not looked up, or each lookup would run the query again), or
	 * the text's beginning without a query. */
	sql = xasprintf(
	    "WITH snip AS MATERIALIZED (%s) "
	    "SELECT m.id, m.message_id, t.ref, p.date, m.from_addr, m.subject, mb.name, %s, "
	    "  mb.troop, t.confidential, t.assignee, p.direction "
	    "FROM placements p JOIN messages m ON m.id = p.message_id "
	    "JOIN mailboxes mb ON mb.id = p.mailbox_id JOIN threads t ON t.id = p.thread_id "
	    "LEFT JOIN snip ON snip.id = m.id "
	    "WHERE p.id IN (SELECT value FROM json_each(?2)) ORDER BY p.date DESC, m.id DESC, p.id DESC",
	    f->query ? "SELECT rowid AS id, snippet(messages_fts, 1, '[', ']', '...', 12) AS text "
	               "FROM messages_fts WHERE messages_fts MATCH ?1 "
	               "AND +rowid IN (SELECT value FROM json_each(?3))"
	             : "SELECT NULL AS id, NULL AS text",
	    f->query ? "snip.text" : "substr(m.body, 1, 120)");
	s = sp_query(store, sql);
	free(sql);
	if (s == NULL) {
		buf_free(&placements);
		buf_free(&messages);
		return -1;
	}
	sp_bind_text(s, 1, f->query);
	sp_bind_text(s, 2, placements.data);
	sp_bind_text(s, 3, messages.data);
	struct search_cb_ctx c = {cb, ctx, 0};
	rc = sp_each_row(store, s, search_row_cb, &c);
	buf_free(&placements);
	buf_free(&messages);
	return rc;
}

int store_search(struct store *store, const struct search_filter *f, store_search_cb *cb,
                 void *ctx, size_t *total_r)
{
	/* quoted words as written, the others by their word family (store_fts.c) */
	struct search_filter marked = *f;
	char *query = f->query != NULL ? sp_fts_query(f->query) : NULL;
	marked.query = query;
	int rc = f->limit == 0 ? search_all(store, &marked, cb, ctx, total_r)
	                       : search_newest(store, &marked, cb, ctx, total_r);
	free(query);
	return rc;
}
