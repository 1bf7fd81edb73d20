/* store_health.c — the counts that watching liaison needs (store.h's last section). */
#include <sqlite3.h>
#include <string.h>

#include "store.h"
#include "store_private.h"

static int tally_row(sqlite3_stmt *s, void *p)
{
	struct outbox_tally *t = p;
	const char *status = sp_col_text(s, 0);
	int64_t n = sqlite3_column_int64(s, 1);
	if (strcmp(status, "queued") == 0) {
		t->queued = n;
		t->oldest_queued_at = sqlite3_column_int64(s, 2);
	} else if (strcmp(status, "sending") == 0) {
		t->sending = n;
	} else if (strcmp(status, "sent") == 0) {
		t->sent = n;
		t->autoreplies_sent = sqlite3_column_int64(s, 3);
	} else if (strcmp(status, "failed") == 0) {
		t->failed = n;
		t->failed_since = sqlite3_column_int64(s, 4);
	} else if (strcmp(status, "uncertain") == 0) {
		t->uncertain = n;
	}
	return 0;
}

int store_outbox_tally(struct store *store, int64_t since, struct outbox_tally *tally_r)
{
	memset(tally_r, 0, sizeof(*tally_r));
	sqlite3_stmt *s = sp_query(store,
	    "SELECT status, count(*), min(created_at), "
	    "  sum(kind IN ('autoreply', 'autoreply-urgent')), sum(claimed_at >= ?1) "
	    "FROM outbox GROUP BY status");
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	return sp_each_row(store, s, tally_row, tally_r);
}
