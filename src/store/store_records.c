/* store_records.c — public records: FOIA requests and their responsive sets, litigation
 * holds, decisions (withholdings and redactions), and productions with their Bates
 * numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Records: FOIA requests and holds -------------------------------------------------- */

int store_foia_create(struct store *store, const struct foia_row *r, int year, char *ref_r,
                      size_t ref_size)
{
	sqlite3_stmt *s = sp_query(store, "SELECT coalesce(max(seq), 0) + 1 FROM foia_requests "
	                               "WHERE year = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, year);
	int64_t seq = 0;
	if (sp_step_find(store, s, &seq, "number request") != 1) {
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	snprintf(ref_r, ref_size, "FOIA-%04d-%04lld", year, (long long)seq);
	s = sp_query(store, "INSERT INTO foia_requests (ref, year, seq, requester, contact, "
	                 "description, received, due, created_by, created_at) "
	                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, ref_r);
	sp_bind_int(s, 2, year);
	sp_bind_int(s, 3, seq);
	sp_bind_text(s, 4, r->requester);
	sp_bind_text(s, 5, r->contact);
	sp_bind_text(s, 6, r->description);
	sp_bind_text(s, 7, r->received);
	sp_bind_text(s, 8, r->due);
	sp_bind_text(s, 9, r->created_by);
	sp_bind_int(s, 10, r->created_at);
	return sp_run_update(store, s, "add request");
}

struct foia_cb_ctx {
	store_foia_cb *cb;
	void *ctx;
};

static int foia_row_cb(sqlite3_stmt *s, void *p)
{
	struct foia_cb_ctx *c = p;
	struct foia_row row = {
		.id = sqlite3_column_int64(s, 0),
		.ref = sp_col_text(s, 1),
		.requester = sp_col_text(s, 2),
		.contact = sp_col_text(s, 3),
		.description = sp_col_text(s, 4),
		.received = sp_col_text(s, 5),
		.due = sp_col_text(s, 6),
		.status = sp_col_text(s, 7),
		.created_by = sp_col_text(s, 8),
		.created_at = sqlite3_column_int64(s, 9),
		.closed_at = sqlite3_column_int64(s, 10),
		.items = sqlite3_column_int64(s, 11),
	};
	return c->cb(&row, c->ctx);
}

int store_foia_list(struct store *store, const char *ref, const char *status, store_foia_cb *cb,
                    void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT r.id, r.ref, r.requester, r.contact, r.description, r.received, r.due, "
	    "r.status, r.created_by, r.created_at, coalesce(r.closed_at, 0), "
	    "(SELECT count(*) FROM foia_items i WHERE i.request_id = r.id) "
	    "FROM foia_requests r WHERE (?1 IS NULL OR r.ref = upper(?1)) AND (?2 IS NULL OR r.status = ?2) "
	    "ORDER BY r.year DESC, r.seq DESC");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, ref);
	sp_bind_text(s, 2, status);
	struct foia_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, foia_row_cb, &c);
}

int store_foia_add_item(struct store *store, int64_t request_id, int64_t message_id,
                        const char *user, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "INSERT OR IGNORE INTO foia_items (request_id, message_id, "
	                               "added_by, added_at) VALUES (?1, ?2, ?3, ?4)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_int(s, 2, message_id);
	sp_bind_text(s, 3, user);
	sp_bind_int(s, 4, now);
	if (sp_run_update(store, s, "add to request") < 0)
		return -1;
	return sqlite3_changes(store->db) > 0;
}

int store_foia_remove_item(struct store *store, int64_t request_id, const char *sha256)
{
	sqlite3_stmt *s = sp_query(store, "DELETE FROM foia_items WHERE request_id = ?1 AND "
	                               "message_id = (SELECT id FROM messages WHERE sha256 = ?2)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_text(s, 2, sha256);
	if (sp_run_update(store, s, "remove from request") < 0)
		return -1;
	return sqlite3_changes(store->db) > 0;
}

int store_foia_close(struct store *store, int64_t request_id, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE foia_requests SET status = 'closed', closed_at = ?2 "
	                               "WHERE id = ?1 AND status = 'open'");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_int(s, 2, now);
	return sp_run_update(store, s, "close request");
}

struct foia_item_cb_ctx {
	store_foia_item_cb *cb;
	void *ctx;
};

static int foia_item_row_cb(sqlite3_stmt *s, void *p)
{
	struct foia_item_cb_ctx *c = p;
	struct foia_item_row row = {
		.sha256 = sp_col_text(s, 0),
		.message_id = sp_col_text(s, 1),
		.subject = sp_col_text(s, 2),
		.from_addr = sp_col_text(s, 3),
		.date = sqlite3_column_int64(s, 4),
	};
	return c->cb(&row, c->ctx);
}

int store_foia_items(struct store *store, int64_t request_id, store_foia_item_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT m.sha256, m.message_id, m.subject, m.from_addr, m.date "
	                               "FROM foia_items i JOIN messages m ON m.id = i.message_id "
	                               "WHERE i.request_id = ?1 ORDER BY m.date, m.id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	struct foia_item_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, foia_item_row_cb, &c);
}

int store_hold_place(struct store *store, const char *name, int64_t message_id,
                     const char *reason, const char *user, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "INSERT OR IGNORE INTO holds (name, message_id, reason, "
	                               "placed_by, placed_at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, name);
	sp_bind_int(s, 2, message_id);
	sp_bind_text(s, 3, reason);
	sp_bind_text(s, 4, user);
	sp_bind_int(s, 5, now);
	if (sp_run_update(store, s, "place hold") < 0)
		return -1;
	return sqlite3_changes(store->db) > 0;
}

int store_hold_release(struct store *store, const char *name, const char *user, int64_t now,
                       int64_t *count_r)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE holds SET released_by = ?2, released_at = ?3 "
	                               "WHERE name = ?1 AND released_at IS NULL");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, name);
	sp_bind_text(s, 2, user);
	sp_bind_int(s, 3, now);
	if (sp_run_update(store, s, "release hold") < 0)
		return -1;
	*count_r = sqlite3_changes(store->db);
	return 0;
}

struct hold_cb_ctx {
	store_hold_cb *cb;
	void *ctx;
};

static int hold_row_cb(sqlite3_stmt *s, void *p)
{
	struct hold_cb_ctx *c = p;
	struct hold_row row = {
		.name = sp_col_text(s, 0),
		.reason = sp_col_text(s, 1),
		.placed_by = sp_col_text(s, 2),
		.placed_at = sqlite3_column_int64(s, 3),
		.active = sqlite3_column_int64(s, 4),
		.released = sqlite3_column_int64(s, 5),
	};
	return c->cb(&row, c->ctx);
}

int store_holds_list(struct store *store, store_hold_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT name, min(reason), min(placed_by), min(placed_at), "
	                               "sum(released_at IS NULL), sum(released_at IS NOT NULL) "
	                               "FROM holds GROUP BY name ORDER BY min(placed_at)");
	if (s == NULL)
		return -1;
	struct hold_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, hold_row_cb, &c);
}

int store_foia_item_id(struct store *store, int64_t request_id, const char *sha256,
                       int64_t *message_id_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT m.id FROM foia_items i JOIN messages m "
	                               "ON m.id = i.message_id WHERE i.request_id = ?1 "
	                               "AND m.sha256 = ?2");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_text(s, 2, sha256);
	int rc = sp_step_find(store, s, message_id_r, "find in request");
	sqlite3_finalize(s);
	return rc;
}

int store_foia_withhold(struct store *store, int64_t request_id, int64_t message_id,
                        const char *exemption, const char *reason, const char *user,
                        int64_t now, int64_t *id_r)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO foia_withholdings (request_id, "
	                               "message_id, exemption, reason, decided_by, decided_at) "
	                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_int(s, 2, message_id);
	sp_bind_text(s, 3, exemption);
	sp_bind_text(s, 4, reason);
	sp_bind_text(s, 5, user);
	sp_bind_int(s, 6, now);
	if (sp_run_update(store, s, "withhold") < 0)
		return -1;
	*id_r = sqlite3_last_insert_rowid(store->db);
	return 0;
}

int store_foia_withholding_in_force(struct store *store, int64_t request_id,
                                    int64_t message_id, int64_t *id_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT id FROM foia_withholdings WHERE request_id = ?1 "
	                               "AND message_id = ?2 AND revoked_at IS NULL");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_int(s, 2, message_id);
	int rc = sp_step_find(store, s, id_r, "find withholding");
	sqlite3_finalize(s);
	return rc;
}

/* Marks one decision in force revoked: 1 done, 0 when there is none such. */
static int revoke(struct store *store, const char *sql, int64_t request_id, int64_t key,
                  const char *user, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, sql);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_int(s, 2, key);
	sp_bind_text(s, 3, user);
	sp_bind_int(s, 4, now);
	if (sp_run_update(store, s, "revoke") < 0)
		return -1;
	return sqlite3_changes(store->db) > 0;
}

int store_foia_unwithhold(struct store *store, int64_t request_id, int64_t message_id,
                          const char *user, int64_t now)
{
	return revoke(store, "UPDATE foia_withholdings SET revoked_by = ?3, revoked_at = ?4 "
	                     "WHERE request_id = ?1 AND message_id = ?2 AND revoked_at IS NULL",
	              request_id, message_id, user, now);
}

int store_foia_unredact(struct store *store, int64_t request_id, int64_t redaction_id,
                        const char *user, int64_t now)
{
	return revoke(store, "UPDATE foia_redactions SET revoked_by = ?3, revoked_at = ?4 "
	                     "WHERE request_id = ?1 AND id = ?2 AND revoked_at IS NULL",
	              request_id, redaction_id, user, now);
}

int store_foia_redact(struct store *store, int64_t request_id, int64_t message_id,
                      const struct redaction_new *r, int64_t *id_r)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO foia_redactions (request_id, message_id, kind, "
	                               "value, exemption, reason, decided_by, decided_at, preset, "
	                               "passages) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_int(s, 2, message_id);
	sp_bind_text(s, 3, r->kind);
	sp_bind_text(s, 4, r->value);
	sp_bind_text(s, 5, r->exemption);
	sp_bind_text(s, 6, r->reason);
	sp_bind_text(s, 7, r->user);
	sp_bind_int(s, 8, r->now);
	sp_bind_text(s, 9, r->preset);
	sp_bind_int(s, 10, r->passages);
	if (sp_run_update(store, s, "redact") < 0)
		return -1;
	*id_r = sqlite3_last_insert_rowid(store->db);
	return 0;
}

struct decision_cb_ctx {
	store_decision_cb *cb;
	void *ctx;
};

static int decision_row_cb(sqlite3_stmt *s, void *p)
{
	struct decision_cb_ctx *c = p;
	struct decision_row row = {
		.type = sp_col_text(s, 0),
		.id = sqlite3_column_int64(s, 1),
		.sha256 = sp_col_text(s, 2),
		.message_id = sp_col_text(s, 3),
		.kind = sp_col_text(s, 4),
		.value = sp_col_text(s, 5),
		.preset = sp_col_text(s, 6),
		.passages = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 7),
		.exemption = sp_col_text(s, 8),
		.reason = sp_col_text(s, 9),
		.decided_by = sp_col_text(s, 10),
		.decided_at = sqlite3_column_int64(s, 11),
		.revoked_by = sp_col_text(s, 12),
		.revoked_at = sqlite3_column_int64(s, 13),
	};
	return c->cb(&row, c->ctx);
}

int store_foia_decisions(struct store *store, int64_t request_id, store_decision_cb *cb,
                         void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT 'withholding', w.id, m.sha256, m.message_id, NULL, NULL, NULL, NULL, "
	    "  w.exemption, w.reason, w.decided_by, w.decided_at, w.revoked_by, "
	    "  coalesce(w.revoked_at, 0) "
	    "FROM foia_withholdings w JOIN messages m ON m.id = w.message_id WHERE w.request_id = ?1 "
	    "UNION ALL "
	    "SELECT 'redaction', r.id, m.sha256, m.message_id, r.kind, r.value, r.preset, r.passages, "
	    "  r.exemption, r.reason, r.decided_by, r.decided_at, r.revoked_by, "
	    "  coalesce(r.revoked_at, 0) "
	    "FROM foia_redactions r JOIN messages m ON m.id = r.message_id WHERE r.request_id = ?1 "
	    "ORDER BY 12, 1 DESC, 2");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	struct decision_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, decision_row_cb, &c);
}

struct review_cb_ctx {
	store_review_cb *cb;
	void *ctx;
};

static int review_row_cb(sqlite3_stmt *s, void *p)
{
	struct review_cb_ctx *c = p;
	struct review_row row = {
		.sha256 = sp_col_text(s, 0),
		.subject = sp_col_text(s, 1),
		.thread_ref = sp_col_text(s, 2),
		.categories = sp_col_text(s, 3),
		.confidential = sqlite3_column_int(s, 4),
		.withheld = sqlite3_column_int(s, 5),
		.redactions = sqlite3_column_int(s, 6),
	};
	return c->cb(&row, c->ctx);
}

int store_foia_review(struct store *store, int64_t request_id, store_review_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT m.sha256, m.subject, min(t.ref), "
	    "  group_concat(DISTINCT coalesce(t.category, '') || ',' || coalesce(p.categories, '')), "
	    "  max(coalesce(t.confidential, 0)), "
	    "  EXISTS (SELECT 1 FROM foia_withholdings w WHERE w.request_id = i.request_id "
	    "    AND w.message_id = m.id AND w.revoked_at IS NULL), "
	    "  (SELECT count(*) FROM foia_redactions r WHERE r.request_id = i.request_id "
	    "    AND r.message_id = m.id AND r.revoked_at IS NULL) "
	    "FROM foia_items i JOIN messages m ON m.id = i.message_id "
	    "LEFT JOIN placements p ON p.message_id = m.id "
	    "LEFT JOIN threads t ON t.id = p.thread_id "
	    "WHERE i.request_id = ?1 GROUP BY m.id ORDER BY m.date, m.id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	struct review_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, review_row_cb, &c);
}

/* --- Records: productions ------------------------------------------------------------------ */

struct export_cb_ctx {
	store_export_item_cb *cb;
	void *ctx;
};

static int export_item_row_cb(sqlite3_stmt *s, void *p)
{
	struct export_cb_ctx *c = p;
	struct export_item_row row = {
		.id = sqlite3_column_int64(s, 0),
		.sha256 = sp_col_text(s, 1),
		.message_id = sp_col_text(s, 2),
		.subject = sp_col_text(s, 3),
		.from_text = sp_col_text(s, 4),
		.to_text = sp_col_text(s, 5),
		.date = sqlite3_column_int64(s, 6),
		.size = sqlite3_column_int64(s, 7),
		.custodians = sp_col_text(s, 8),
		.withheld_exemption = sp_col_text(s, 9),
		.withheld_reason = sp_col_text(s, 10),
		.withheld_by = sp_col_text(s, 11),
		.disposed = sqlite3_column_int(s, 12),
	};
	return c->cb(&row, c->ctx);
}

int store_foia_export_items(struct store *store, int64_t request_id, store_export_item_cb *cb,
                            void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT m.id, m.sha256, m.message_id, m.subject, m.from_text, m.to_text, m.date, m.size, "
	    "  (SELECT group_concat(name, '; ') FROM (SELECT DISTINCT mb.name AS name FROM custody c "
	    "   JOIN mailboxes mb ON mb.id = c.mailbox_id WHERE c.message_id = m.id ORDER BY mb.name)), "
	    "  w.exemption, w.reason, w.decided_by, "
	    "  " DISPOSED("m.id") " "
	    "FROM foia_items i JOIN messages m ON m.id = i.message_id "
	    "LEFT JOIN foia_withholdings w ON w.request_id = i.request_id AND w.message_id = m.id "
	    "  AND w.revoked_at IS NULL "
	    "WHERE i.request_id = ?1 ORDER BY m.date, m.sha256");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	struct export_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, export_item_row_cb, &c);
}

struct redaction_cb_ctx {
	store_redaction_cb *cb;
	void *ctx;
};

static int redaction_row_cb(sqlite3_stmt *s, void *p)
{
	struct redaction_cb_ctx *c = p;
	struct redaction_row row = {
		.id = sqlite3_column_int64(s, 0),
		.message_id = sqlite3_column_int64(s, 1),
		.kind = sp_col_text(s, 2),
		.value = sp_col_text(s, 3),
		.exemption = sp_col_text(s, 4),
		.reason = sp_col_text(s, 5),
		.decided_by = sp_col_text(s, 6),
		.decided_at = sqlite3_column_int64(s, 7),
	};
	return c->cb(&row, c->ctx);
}

int store_foia_redactions(struct store *store, int64_t request_id, store_redaction_cb *cb,
                          void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT id, message_id, kind, value, exemption, reason, "
	                               "decided_by, decided_at FROM foia_redactions "
	                               "WHERE request_id = ?1 AND revoked_at IS NULL "
	                               "ORDER BY message_id, id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	struct redaction_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, redaction_row_cb, &c);
}

int store_message_content(struct store *store, int64_t id, char **raw_r, size_t *len_r,
                          char **text_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT r.raw, m.body FROM messages m "
	                               "JOIN message_raw r ON r.message_id = m.id WHERE m.id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	int rc = sqlite3_step(s), result = 0;
	if (rc == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(s, 0);
		const void *raw = sqlite3_column_blob(s, 0);
		*raw_r = xmalloc(len + 1);
		if (len > 0)
			memcpy(*raw_r, raw, len);
		(*raw_r)[len] = '\0';
		*len_r = len;
		const char *text = sp_col_text(s, 1);
		*text_r = xstrdup(text ? text : "");
		result = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "read message");
		result = -1;
	}
	sqlite3_finalize(s);
	return result;
}

int store_production_find(struct store *store, int64_t request_id, const char *fingerprint,
                          int64_t *first_r, int64_t *last_r, int64_t *produced_at_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT bates_first, produced_at, bates_last FROM foia_productions "
	                               "WHERE request_id = ?1 AND fingerprint = ?2");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_text(s, 2, fingerprint);
	int rc = sqlite3_step(s), result = 0;
	if (rc == SQLITE_ROW) {
		*first_r = sqlite3_column_int64(s, 0);
		*produced_at_r = sqlite3_column_int64(s, 1);
		*last_r = sqlite3_column_int64(s, 2);
		result = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "read productions");
		result = -1;
	}
	sqlite3_finalize(s);
	return result;
}

int store_bates_next(struct store *store, const char *prefix, int64_t *next_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT coalesce(max(bates_last), 0) + 1 FROM foia_productions "
	                               "WHERE bates_prefix = ?1");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, prefix);
	return sp_one_int64(store, s, next_r, "read productions");
}

int store_production_add(struct store *store, int64_t request_id, const char *fingerprint,
                         const char *prefix, int64_t first, int64_t last, const char *user,
                         int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO foia_productions (request_id, fingerprint, "
	                               "bates_prefix, bates_first, bates_last, produced_by, produced_at) "
	                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, request_id);
	sp_bind_text(s, 2, fingerprint);
	sp_bind_text(s, 3, prefix);
	sp_bind_int(s, 4, first);
	sp_bind_int(s, 5, last);
	sp_bind_text(s, 6, user);
	sp_bind_int(s, 7, now);
	return sp_run_update(store, s, "record production");
}
