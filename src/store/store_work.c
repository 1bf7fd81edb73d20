/* store_work.c — people's work on threads: setting their fields, the history, referrals,
 * the audit trail, engagement events, and rerouting (the current rules applied again to
 * stored mail). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Operations on threads ------------------------------------------------------------- */

int store_thread_set(struct store *store, int64_t thread_id, const char *field, const char *value)
{
	/* Column names cannot be bound: only these, each its own statement. */
	static const char *const fields[] = {
		"assignee", "status", "category", "priority", "rms_number", "not_reportable_reason",
		"confidential", "reportable", "closed_at", "suspicious",
	};
	size_t i;
	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (strcmp(field, fields[i]) == 0)
			break;
	if (i == sizeof(fields) / sizeof(*fields)) {
		free(store->error);
		store->error = xasprintf("no thread field %s", field);
		return -1;
	}
	char sql[96];
	snprintf(sql, sizeof(sql), "UPDATE threads SET %s = ?2 WHERE id = ?1", fields[i]);
	sqlite3_stmt *s = sp_query(store, sql);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	if (i >= 6)
		sp_bind_int(s, 2, value ? strtoll(value, NULL, 10) : 0);
	else
		sp_bind_text(s, 2, value);
	return sp_run_update(store, s, field);
}

int store_history_add(struct store *store, int64_t thread_id, int64_t at, const char *user,
                      const char *action, const char *details)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO thread_history (thread_id, at, user, action, "
	                               "details) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_int(s, 2, at);
	sp_bind_text(s, 3, user);
	sp_bind_text(s, 4, action);
	sp_bind_text(s, 5, details);
	return sp_run_update(store, s, "thread history");
}

struct history_cb_ctx {
	store_history_cb *cb;
	void *ctx;
};

static int history_row_cb(sqlite3_stmt *s, void *p)
{
	struct history_cb_ctx *c = p;
	struct history_row row = {
		.at = sqlite3_column_int64(s, 0),
		.user = sp_col_text(s, 1),
		.action = sp_col_text(s, 2),
		.details = sp_col_text(s, 3),
	};
	return c->cb(&row, c->ctx);
}

int store_history_list(struct store *store, int64_t thread_id, store_history_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT at, user, action, details FROM thread_history "
	                               "WHERE thread_id = ?1 ORDER BY id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	struct history_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, history_row_cb, &c);
}

int store_thread_latest_incoming(struct store *store, int64_t thread_id, int machine_too,
                                 char sha256_r[SHA256_HEX_SIZE])
{
	/* The correspondent's own latest message: never a bounce or an out-of-office that joined
	 * the thread (unless asked for), never another person's. */
	sqlite3_stmt *s = sp_query(store, "SELECT m.sha256 FROM placements p JOIN messages m "
	                               "ON m.id = p.message_id JOIN threads t ON t.id = p.thread_id "
	                               "WHERE p.thread_id = ?1 AND p.direction = 'in' "
	                               "AND (?2 OR p.kind = 'person') AND t.correspondent != '' "
	                               "AND lower(m.from_addr) = t.correspondent "
	                               "ORDER BY p.date DESC, p.id DESC LIMIT 1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_int(s, 2, machine_too);
	int rc = sqlite3_step(s);
	int result = 0;
	if (rc == SQLITE_ROW) {
		snprintf(sha256_r, SHA256_HEX_SIZE, "%s", sp_col_text(s, 0));
		result = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "latest incoming message");
		result = -1;
	}
	sqlite3_finalize(s);
	return result;
}

int store_referral_add(struct store *store, int64_t thread_id, const char *service,
                       const char *user, int64_t at, const char *note, int sent)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO referrals (thread_id, service, user, at, note, "
	                               "sent) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_text(s, 2, service);
	sp_bind_text(s, 3, user);
	sp_bind_int(s, 4, at);
	sp_bind_text(s, 5, note);
	sp_bind_int(s, 6, sent);
	return sp_run_update(store, s, "referral");
}

/* --- Audit trail ----------------------------------------------------------------------- */

int store_audit_last_hash(struct store *store, char hash_r[SHA256_HEX_SIZE])
{
	sqlite3_stmt *s = sp_query(store, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
	if (s == NULL)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(hash_r, SHA256_HEX_SIZE, "%s", sp_col_text(s, 0));
	else if (rc == SQLITE_DONE)
		snprintf(hash_r, SHA256_HEX_SIZE, "%064d", 0);
	else
		sp_set_error(store, "audit trail");
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_audit_add(struct store *store, const struct audit_row *row)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO audit (at, user, action, object, details, "
	                               "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, row->at);
	sp_bind_text(s, 2, row->user);
	sp_bind_text(s, 3, row->action);
	sp_bind_text(s, 4, row->object ? row->object : "");
	sp_bind_text(s, 5, row->details ? row->details : "");
	sp_bind_text(s, 6, row->prev_hash);
	sp_bind_text(s, 7, row->hash);
	return sp_run_update(store, s, "audit trail");
}

struct audit_cb_ctx {
	store_audit_cb *cb;
	void *ctx;
};

static int audit_row_cb(sqlite3_stmt *s, void *p)
{
	struct audit_cb_ctx *c = p;
	struct audit_row row = {
		.id = sqlite3_column_int64(s, 0),
		.at = sqlite3_column_int64(s, 1),
		.user = sp_col_text(s, 2),
		.action = sp_col_text(s, 3),
		.object = sp_col_text(s, 4),
		.details = sp_col_text(s, 5),
		.prev_hash = sp_col_text(s, 6),
		.hash = sp_col_text(s, 7),
	};
	return c->cb(&row, c->ctx);
}

int store_audit_list(struct store *store, int64_t since, const char *user, store_audit_cb *cb,
                     void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT id, at, user, action, object, details, prev_hash, "
	                               "hash FROM audit WHERE at >= ?1 AND (?2 IS NULL OR user = ?2) "
	                               "ORDER BY id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, since);
	sp_bind_text(s, 2, user);
	struct audit_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, audit_row_cb, &c);
}

int store_audit_head(struct store *store, int64_t *id_r, char hash_r[SHA256_HEX_SIZE])
{
	sqlite3_stmt *s = sp_query(store, "SELECT last_id, last_hash FROM audit_head WHERE one = 1");
	if (s == NULL)
		return -1;
	int rc = sqlite3_step(s);
	int result = 0;
	if (rc == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(s, 0);
		snprintf(hash_r, SHA256_HEX_SIZE, "%s", sp_col_text(s, 1));
		result = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "audit head");
		result = -1;
	}
	sqlite3_finalize(s);
	return result;
}

int store_audit_search(struct store *store, const struct audit_query *q, store_audit_cb *cb,
                       void *ctx)
{
	/* newest first, from before_id down: each page costs what the first does (the key) */
	sqlite3_stmt *s = sp_query(store, "SELECT id, at, user, action, object, details, prev_hash, "
	    "hash FROM audit WHERE (?1 = 0 OR id < ?1) AND (?2 IS NULL OR user = ?2) "
	    "AND (?3 IS NULL OR action = ?3) AND (?4 IS NULL OR object = ?4 OR instr(details, ?4) > 0) "
	    "AND (?5 = 0 OR at >= ?5) AND (?6 = 0 OR at < ?6) ORDER BY id DESC LIMIT ?7");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, q->before_id);
	sp_bind_text(s, 2, q->user);
	sp_bind_text(s, 3, q->action);
	sp_bind_text(s, 4, q->ref);
	sp_bind_int(s, 5, q->from);
	sp_bind_int(s, 6, q->until);
	sp_bind_int(s, 7, q->limit);
	struct audit_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, audit_row_cb, &c);
}

int store_audit_actions(struct store *store, struct strlist *actions_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT DISTINCT action FROM audit ORDER BY action");
	if (s == NULL)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		strlist_add(actions_r, sp_col_text(s, 0));
	if (rc != SQLITE_DONE)
		sp_set_error(store, "audit actions");
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* --- Engagement events ----------------------------------------------------------------- */

int store_event_add(struct store *store, const struct event_row *e, int64_t *id_r)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO events (thread_id, troop, requested_by, "
	    "requested_at, date, place, kind, private, duration, contact, media, media_consent) "
	    "VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (s == NULL)
		return -1;
	char troop[2] = {e->troop, '\0'};
	sp_bind_int(s, 1, e->thread_id);
	sp_bind_text(s, 2, troop);
	sp_bind_text(s, 3, e->requested_by);
	sp_bind_int(s, 4, e->requested_at);
	sp_bind_text(s, 5, e->date);
	sp_bind_text(s, 6, e->place);
	sp_bind_text(s, 7, e->kind);
	sp_bind_int(s, 8, e->private_meeting);
	sp_bind_text(s, 9, e->duration);
	sp_bind_text(s, 10, e->contact);
	sp_bind_int(s, 11, e->media);
	sp_bind_text(s, 12, e->media_consent);
	return sp_run_insert(store, s, "event", id_r);
}

int store_event_update(struct store *store, const struct event_row *e, const char *was)
{
	/* Only from the status the caller saw: two coordinators deciding at once cannot both
	 * win. */
	sqlite3_stmt *s = sp_query(store, "UPDATE events SET status = ?2, decided_by = ?3, "
	    "decided_at = nullif(?4, 0), deny_reason = ?5, subtype = ?6, primary_unit = ?7, "
	    "attended_by = ?8, visited = ?9, notes = ?10, narrative = ?11, closed_by = ?12, "
	    "closed_at = nullif(?13, 0), media_consent = ?14 WHERE id = ?1 AND status = ?15");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, e->id);
	sp_bind_text(s, 2, e->status);
	sp_bind_text(s, 3, e->decided_by);
	sp_bind_int(s, 4, e->decided_at);
	sp_bind_text(s, 5, e->deny_reason);
	sp_bind_text(s, 6, e->subtype);
	sp_bind_text(s, 7, e->primary_unit);
	sp_bind_text(s, 8, e->attended_by);
	sp_bind_text(s, 9, e->visited);
	sp_bind_text(s, 10, e->notes);
	sp_bind_text(s, 11, e->narrative);
	sp_bind_text(s, 12, e->closed_by);
	sp_bind_int(s, 13, e->closed_at);
	sp_bind_text(s, 14, e->media_consent);
	sp_bind_text(s, 15, was);
	return sp_run_changes(store, s, "event");
}

struct event_cb_ctx {
	store_event_cb *cb;
	void *ctx;
};

static int event_row_cb(sqlite3_stmt *s, void *p)
{
	struct event_cb_ctx *c = p;
	const char *troop = sp_col_text(s, 3);
	struct event_row e = {
		.id = sqlite3_column_int64(s, 0),
		.thread_id = sqlite3_column_int64(s, 1),
		.thread_ref = sp_col_text(s, 2),
		.troop = troop ? troop[0] : '?',
		.requested_by = sp_col_text(s, 4),
		.requested_at = sqlite3_column_int64(s, 5),
		.date = sp_col_text(s, 6),
		.place = sp_col_text(s, 7),
		.kind = sp_col_text(s, 8),
		.private_meeting = sqlite3_column_int(s, 9),
		.duration = sp_col_text(s, 10),
		.contact = sp_col_text(s, 11),
		.media = sqlite3_column_int(s, 12),
		.media_consent = sp_col_text(s, 13),
		.status = sp_col_text(s, 14),
		.decided_by = sp_col_text(s, 15),
		.decided_at = sqlite3_column_int64(s, 16),
		.deny_reason = sp_col_text(s, 17),
		.subtype = sp_col_text(s, 18),
		.primary_unit = sp_col_text(s, 19),
		.attended_by = sp_col_text(s, 20),
		.visited = sp_col_text(s, 21),
		.notes = sp_col_text(s, 22),
		.narrative = sp_col_text(s, 23),
		.closed_by = sp_col_text(s, 24),
		.closed_at = sqlite3_column_int64(s, 25),
		.thread_confidential = sqlite3_column_int(s, 26),
		.thread_assignee = sp_col_text(s, 27),
	};
	return c->cb(&e, c->ctx);
}

int store_events_list(struct store *store, int64_t id, const char *month, store_event_cb *cb,
                      void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT e.id, coalesce(e.thread_id, 0), t.ref, e.troop, "
	    "e.requested_by, e.requested_at, e.date, e.place, e.kind, e.private, e.duration, "
	    "e.contact, e.media, e.media_consent, e.status, e.decided_by, coalesce(e.decided_at, 0), "
	    "e.deny_reason, e.subtype, e.primary_unit, e.attended_by, e.visited, e.notes, "
	    "e.narrative, e.closed_by, coalesce(e.closed_at, 0), coalesce(t.confidential, 0), "
	    "t.assignee "
	    "FROM events e LEFT JOIN threads t ON t.id = e.thread_id "
	    "WHERE (?1 = 0 OR e.id = ?1) AND (?2 IS NULL OR substr(e.date, 1, 7) = ?2) "
	    "ORDER BY e.date, e.id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sp_bind_text(s, 2, month);
	struct event_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, event_row_cb, &c);
}

int store_events_requested(struct store *store, char troop, int64_t *count_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT count(*) FROM events WHERE status = 'requested' "
	                                  "AND troop = ?1");
	if (s == NULL)
		return -1;
	char t[2] = {troop, '\0'};
	sp_bind_text(s, 1, t);
	return sp_one_int64(store, s, count_r, "requested events");
}

/* --- Rerouting: the current rules applied again to stored mail --------------------------- */

static int reroute_placement_cb(sqlite3_stmt *s, void *p)
{
	struct { store_reroute_cb *cb; void *ctx; } *c = p;
	struct reroute_placement_row row = {
		.placement_id = sqlite3_column_int64(s, 0),
		.message_id = sqlite3_column_int64(s, 1),
		.thread_id = sqlite3_column_int64(s, 2),
		.thread_ref = sp_col_text(s, 3),
		.date = sqlite3_column_int64(s, 4),
	};
	return c->cb(&row, c->ctx);
}

int store_reroute_placements(struct store *store, const char *mailbox, int64_t since,
                             store_reroute_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT p.id, p.message_id, p.thread_id, t.ref, p.date FROM placements p "
	    "JOIN threads t ON t.id = p.thread_id JOIN mailboxes mb ON mb.id = p.mailbox_id "
	    "WHERE p.direction = 'in' AND p.kind = 'person' AND (?1 IS NULL OR mb.name = ?1) "
	    "  AND p.thread_id IN (SELECT thread_id FROM placements WHERE date >= ?2 "
	    "                      AND direction = 'in' AND kind = 'person') "
	    "ORDER BY p.thread_id, p.date, p.id");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, mailbox);
	sp_bind_int(s, 2, since);
	struct { store_reroute_cb *cb; void *ctx; } c = {cb, ctx};
	return sp_each_row(store, s, reroute_placement_cb, &c);
}

int store_thread_routing(struct store *store, int64_t thread_id, struct thread_routing *r)
{
	memset(r, 0, sizeof(*r));
	sqlite3_stmt *s = sp_query(store, "SELECT category, priority, confidential, reportable "
	                               "FROM threads WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->category = sp_col_text(s, 0) ? xstrdup(sp_col_text(s, 0)) : NULL;
		snprintf(r->priority, sizeof(r->priority), "%s", sp_col_text(s, 1));
		r->confidential = sqlite3_column_int(s, 2);
		r->reportable = sqlite3_column_int(s, 3);
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "thread routing");
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

static int add_text_cb(sqlite3_stmt *s, void *p)
{
	strlist_add(p, sp_col_text(s, 0));
	return 0;
}

int store_thread_suggestions(struct store *store, int64_t thread_id, struct strlist *services)
{
	sqlite3_stmt *s = sp_query(store, "SELECT service FROM thread_suggestions WHERE thread_id = ?1 "
	                               "ORDER BY service");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	return sp_each_row(store, s, add_text_cb, services);
}

int store_thread_unsuggest(struct store *store, int64_t thread_id, const char *service)
{
	sqlite3_stmt *s = sp_query(store, "DELETE FROM thread_suggestions WHERE thread_id = ?1 "
	                               "AND service = ?2");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_text(s, 2, service);
	return sp_run_update(store, s, "withdraw suggestion");
}

int store_placement_route(struct store *store, int64_t placement_id, const char *categories,
                          const char *rules, const char *priority)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE placements SET categories = ?2, rules = ?3, "
	                               "priority = ?4 WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, placement_id);
	sp_bind_text(s, 2, categories);
	sp_bind_text(s, 3, rules);
	sp_bind_text(s, 4, priority);
	return sp_run_update(store, s, "route placement");
}

struct corrections_ctx {
	store_route_correction_cb *cb;
	void *ctx;
};

static int correction_row_cb(sqlite3_stmt *s, void *p)
{
	struct corrections_ctx *c = p;
	struct route_correction_row row = {
		.thread_id = sqlite3_column_int64(s, 0),
		.thread_ref = sp_col_text(s, 1),
		.routed = sp_col_text(s, 2),
		.subject = sp_col_text(s, 3),
		.text = sp_col_text(s, 4),
	};
	return c->cb(&row, c->ctx);
}

int store_route_corrections(struct store *store, store_route_correction_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT t.id, t.ref, p.categories, m.subject, m.body FROM threads t "
	    "JOIN placements p ON p.id = (SELECT id FROM placements WHERE thread_id = t.id "
	    "  AND direction = 'in' AND kind = 'person' ORDER BY date, id LIMIT 1) "
	    "JOIN messages m ON m.id = p.message_id "
	    "WHERE EXISTS (SELECT 1 FROM thread_history h WHERE h.thread_id = t.id "
	    "  AND (h.action = 'category' OR (h.action = 'flag' AND h.details LIKE 'urgent %'))) "
	    "  AND NOT " DISPOSED("m.id") " ORDER BY t.id");
	if (s == NULL)
		return -1;
	struct corrections_ctx c = {cb, ctx};
	return sp_each_row(store, s, correction_row_cb, &c);
}
