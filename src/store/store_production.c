/* store_production.c — the productions of a request, listed (see store_production.h). */
#include "store_production.h"

#include "store_private.h"

struct production_cb_ctx {
	store_production_cb *cb;
	void *ctx;
};

static int production_row_cb(sqlite3_stmt *s, void *p)
{
	struct production_cb_ctx *c = p;
	struct production_row row = {
		.bates_prefix = sp_col_text(s, 0),
		.bates_first = sqlite3_column_int64(s, 1),
		.bates_last = sqlite3_column_int64(s, 2),
		.produced_by = sp_col_text(s, 3),
		.produced_at = sqlite3_column_int64(s, 4),
	};
	return c->cb(&row, c->ctx);
}

int store_productions_list(struct store *store, int64_t request_id, store_production_cb *cb,
                           void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT bates_prefix, bates_first, bates_last, produced_by, "
	                               "produced_at FROM foia_productions WHERE request_id = ?1 "
	                               "ORDER BY produced_at, id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	struct production_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, production_row_cb, &c);
}
