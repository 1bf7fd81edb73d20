/* store_web.c — the web console's sign-in: accounts (password hash, TOTP enrolment and the
 * last step taken), sessions (by the SHA-256 of their token), and failed sign-ins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Accounts -------------------------------------------------------------------------- */

/* Copies column i into out (size bytes), "" for NULL. */
static void col_copy(sqlite3_stmt *s, int i, char *out, size_t size)
{
	const char *v = sp_col_text(s, i);
	snprintf(out, size, "%s", v ? v : "");
}

int store_web_account_get(struct store *store, const char *user, struct web_account *a)
{
	sqlite3_stmt *s = sp_query(store, "SELECT password_hash, totp_secret, totp_enrolled_at, "
	                                  "totp_last_step FROM web_accounts WHERE user = ?1");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	memset(a, 0, sizeof(*a));
	int rc = sqlite3_step(s);
	int found = 0;
	if (rc == SQLITE_ROW) {
		col_copy(s, 0, a->password_hash, sizeof(a->password_hash));
		col_copy(s, 1, a->totp_secret, sizeof(a->totp_secret));
		a->totp_enrolled_at = sqlite3_column_int64(s, 2);
		a->totp_last_step = sqlite3_column_int64(s, 3);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "web account");
		found = -1;
	}
	sqlite3_finalize(s);
	return found;
}

int store_web_password_set(struct store *store, const char *user, const char *hash, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO web_accounts (user, password_hash, "
	                                  "updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (user) DO "
	                                  "UPDATE SET password_hash = ?2, updated_at = ?3");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_text(s, 2, hash);
	sp_bind_int(s, 3, now);
	return sp_run_update(store, s, "web password");
}

static int totp_clear(struct store *store, const char *user, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE web_accounts SET totp_secret = NULL, "
	                                  "totp_enrolled_at = NULL, totp_last_step = NULL, "
	                                  "updated_at = ?2 WHERE user = ?1 "
	                                  "AND totp_secret IS NOT NULL");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_int(s, 2, now);
	return sp_run_changes(store, s, "TOTP reset");
}

int store_web_totp_set(struct store *store, const char *user, const char *secret, int64_t now)
{
	if (secret == NULL)
		return totp_clear(store, user, now);
	sqlite3_stmt *s = sp_query(store, "INSERT INTO web_accounts (user, totp_secret, "
	                                  "totp_enrolled_at, updated_at) VALUES (?1, ?2, ?3, ?3) "
	                                  "ON CONFLICT (user) DO UPDATE SET totp_secret = ?2, "
	                                  "totp_enrolled_at = ?3, totp_last_step = NULL, "
	                                  "updated_at = ?3");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_text(s, 2, secret);
	sp_bind_int(s, 3, now);
	return sp_run_update(store, s, "TOTP enrolment");
}

int store_web_totp_take_step(struct store *store, const char *user, int64_t step)
{
	/* One statement compares and takes: two sign-ins with the same code at once cannot
	 * both pass. */
	sqlite3_stmt *s = sp_query(store, "UPDATE web_accounts SET totp_last_step = ?2 "
	                                  "WHERE user = ?1 AND totp_secret IS NOT NULL "
	                                  "AND (totp_last_step IS NULL OR totp_last_step < ?2)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_int(s, 2, step);
	return sp_run_changes(store, s, "TOTP step");
}

/* --- Sessions -------------------------------------------------------------------------- */

#define SESSION_COLUMNS "id, user, stage, csrf, created_at, last_seen_at, expires_at, " \
	"revoked_at, revoked_by, peer, user_agent, enrol_secret FROM web_sessions "

struct session_cb_ctx {
	store_web_session_cb *cb;
	void *ctx;
};

static int session_row_cb(sqlite3_stmt *s, void *p)
{
	struct session_cb_ctx *c = p;
	struct web_session_row row = {
		.id = sqlite3_column_int64(s, 0),
		.user = sp_col_text(s, 1),
		.stage = sp_col_text(s, 2),
		.csrf = sp_col_text(s, 3),
		.created_at = sqlite3_column_int64(s, 4),
		.last_seen_at = sqlite3_column_int64(s, 5),
		.expires_at = sqlite3_column_int64(s, 6),
		.revoked_at = sqlite3_column_int64(s, 7),
		.revoked_by = sp_col_text(s, 8),
		.peer = sp_col_text(s, 9),
		.user_agent = sp_col_text(s, 10),
		.enrol_secret = sp_col_text(s, 11),
	};
	return c->cb(&row, c->ctx);
}

/* Steps a query of one session: 1 with the row handed to cb, 0 when none; finalizes s. */
static int one_session(struct store *store, sqlite3_stmt *s, store_web_session_cb *cb,
                       void *ctx)
{
	struct session_cb_ctx c = {cb, ctx};
	int found = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		found = 1;
		session_row_cb(s, &c);
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "web session");
		found = -1;
	}
	sqlite3_finalize(s);
	return found;
}

int store_web_session_add(struct store *store, const char *token_hash,
                          const struct web_session_row *row, int64_t *id_r)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO web_sessions (token_hash, user, stage, csrf, "
	                                  "created_at, last_seen_at, expires_at, peer, user_agent, "
	                                  "enrol_secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	                                  "?10)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, token_hash);
	sp_bind_text(s, 2, row->user);
	sp_bind_text(s, 3, row->stage);
	sp_bind_text(s, 4, row->csrf);
	sp_bind_int(s, 5, row->created_at);
	sp_bind_int(s, 6, row->last_seen_at);
	sp_bind_int(s, 7, row->expires_at);
	sp_bind_text(s, 8, row->peer);
	sp_bind_text(s, 9, row->user_agent);
	sp_bind_text(s, 10, row->enrol_secret);
	return sp_run_insert(store, s, "web session", id_r);
}

int store_web_session_find(struct store *store, const char *token_hash,
                           store_web_session_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT " SESSION_COLUMNS "WHERE token_hash = ?1");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, token_hash);
	return one_session(store, s, cb, ctx);
}

int store_web_session_get(struct store *store, int64_t id, store_web_session_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT " SESSION_COLUMNS "WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	return one_session(store, s, cb, ctx);
}

int store_web_session_touch(struct store *store, int64_t id, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE web_sessions SET last_seen_at = ?2 WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sp_bind_int(s, 2, now);
	return sp_run_update(store, s, "web session");
}

int store_web_session_enrol_secret(struct store *store, int64_t id, const char *secret)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE web_sessions SET enrol_secret = ?2 WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sp_bind_text(s, 2, secret);
	return sp_run_update(store, s, "web session");
}

int store_web_session_delete(struct store *store, int64_t id)
{
	sqlite3_stmt *s = sp_query(store, "DELETE FROM web_sessions WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	return sp_run_update(store, s, "web session");
}

int store_web_session_revoke(struct store *store, int64_t id, const char *by, int64_t now)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE web_sessions SET revoked_at = ?3, revoked_by = ?2, "
	                                  "enrol_secret = NULL WHERE id = ?1 AND revoked_at IS NULL");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sp_bind_text(s, 2, by);
	sp_bind_int(s, 3, now);
	return sp_run_changes(store, s, "web session");
}

int store_web_sessions_revoke_user(struct store *store, const char *user, const char *by,
                                   int64_t now, int64_t *count_r)
{
	sqlite3_stmt *s = sp_query(store, "UPDATE web_sessions SET revoked_at = ?3, revoked_by = ?2, "
	                                  "enrol_secret = NULL WHERE user = ?1 AND revoked_at IS NULL "
	                                  "RETURNING id");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_text(s, 2, by);
	sp_bind_int(s, 3, now);
	int64_t n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		n++;
	if (rc != SQLITE_DONE)
		sp_set_error(store, "web sessions");
	sqlite3_finalize(s);
	*count_r = n;
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_web_sessions_list(struct store *store, const char *user, int64_t now, int64_t idle,
                            store_web_session_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT " SESSION_COLUMNS "WHERE revoked_at IS NULL "
	                                  "AND expires_at > ?2 AND last_seen_at + ?3 > ?2 "
	                                  "AND (?1 IS NULL OR user = ?1) ORDER BY id DESC");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_int(s, 2, now);
	sp_bind_int(s, 3, idle);
	struct session_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, session_row_cb, &c);
}

int store_web_prune(struct store *store, int64_t sessions_before, int64_t failures_before)
{
	sqlite3_stmt *s = sp_query(store, "DELETE FROM web_sessions WHERE expires_at < ?1 "
	                                  "OR revoked_at < ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, sessions_before);
	if (sp_run_update(store, s, "web sessions") < 0)
		return -1;
	s = sp_query(store, "DELETE FROM web_signin_failures WHERE at < ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, failures_before);
	return sp_run_update(store, s, "failed sign-ins");
}

/* --- Failed sign-ins ------------------------------------------------------------------- */

int store_web_failure_add(struct store *store, int64_t at, const char *user, const char *peer)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO web_signin_failures (at, user, peer) "
	                                  "VALUES (?1, ?2, ?3)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, at);
	sp_bind_text(s, 2, user);
	sp_bind_text(s, 3, peer);
	return sp_run_update(store, s, "failed sign-in");
}

int store_web_failures(struct store *store, const char *user, const char *peer, int64_t since,
                       struct signin_failures *f)
{
	/* user = ?1 is NULL (not counted) when user is NULL, and likewise peer */
	sqlite3_stmt *s = sp_query(store, "SELECT coalesce(sum(user = ?1), 0), "
	                                  "coalesce(max(CASE WHEN user = ?1 THEN at END), 0), "
	                                  "coalesce(sum(peer = ?2), 0), "
	                                  "coalesce(max(CASE WHEN peer = ?2 THEN at END), 0) "
	                                  "FROM web_signin_failures WHERE at >= ?3 "
	                                  "AND (user = ?1 OR peer = ?2)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	sp_bind_text(s, 2, peer);
	sp_bind_int(s, 3, since);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		f->user_count = sqlite3_column_int64(s, 0);
		f->user_last = sqlite3_column_int64(s, 1);
		f->peer_count = sqlite3_column_int64(s, 2);
		f->peer_last = sqlite3_column_int64(s, 3);
	} else {
		sp_set_error(store, "failed sign-ins");
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int store_web_failures_clear(struct store *store, const char *user)
{
	sqlite3_stmt *s = sp_query(store, "DELETE FROM web_signin_failures WHERE user = ?1");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, user);
	return sp_run_update(store, s, "failed sign-ins");
}
