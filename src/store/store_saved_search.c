/* store_saved_search.c — the records office's saved searches: a search's filters kept under
 * a name, shared by the office (see store.h). */
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

int store_saved_search_add(struct store *store, const struct saved_search_row *r, int64_t *id_r)
{
	/* a name taken is no error of the store's: the caller says so in its own words */
	sqlite3_stmt *s = sp_query(store,
	    "INSERT INTO saved_searches (name, query, mailbox, from_addr, to_addr, category, "
	    "  thread_ref, direction, since_day, until_day, has_attachment, saved_by, saved_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
	    "ON CONFLICT (name) DO NOTHING");
	if (s == NULL)
		return -1;
	const char *text[] = {r->name, r->query, r->mailbox, r->from, r->to, r->category,
	                      r->thread_ref, r->direction, r->since_day, r->until_day};
	for (int i = 0; i < 10; i++)
		sp_bind_text(s, i + 1, text[i]);
	sp_bind_int(s, 11, r->has_attachment != 0);
	sp_bind_text(s, 12, r->saved_by);
	sp_bind_int(s, 13, r->saved_at);
	int changed = sp_run_changes(store, s, "saved search");
	if (changed <= 0)
		return changed < 0 ? -1 : 1;
	*id_r = sqlite3_last_insert_rowid(store->db);
	return 0;
}

struct saved_cb_ctx {
	store_saved_search_cb *cb;
	void *ctx;
};

static int saved_row(sqlite3_stmt *s, void *p)
{
	struct saved_cb_ctx *c = p;
	struct saved_search_row r = {
		.id = sqlite3_column_int64(s, 0),
		.name = sp_col_text(s, 1),
		.query = sp_col_text(s, 2),
		.mailbox = sp_col_text(s, 3),
		.from = sp_col_text(s, 4),
		.to = sp_col_text(s, 5),
		.category = sp_col_text(s, 6),
		.thread_ref = sp_col_text(s, 7),
		.direction = sp_col_text(s, 8),
		.since_day = sp_col_text(s, 9),
		.until_day = sp_col_text(s, 10),
		.has_attachment = sqlite3_column_int(s, 11),
		.saved_by = sp_col_text(s, 12),
		.saved_at = sqlite3_column_int64(s, 13),
	};
	return c->cb(&r, c->ctx);
}

int store_saved_searches(struct store *store, int64_t id, store_saved_search_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT id, name, query, mailbox, from_addr, to_addr, category, thread_ref, direction, "
	    "  since_day, until_day, has_attachment, saved_by, saved_at FROM saved_searches "
	    "WHERE ?1 = 0 OR id = ?1 ORDER BY name COLLATE NOCASE, id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	struct saved_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, saved_row, &c) < 0 ? -1 : 0;
}

int store_saved_search_delete(struct store *store, int64_t id)
{
	sqlite3_stmt *s = sp_query(store, "DELETE FROM saved_searches WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	return sp_run_changes(store, s, "saved search");
}
