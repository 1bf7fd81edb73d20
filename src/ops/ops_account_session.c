/* ops_account_session.c — web console sessions once open: resuming one at each request
 * (idle and absolute expiry), signing out, and who may list and end whose (see
 * ops_account.h). */
#include "ops_account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "ops_account_private.h"
#include "util.h"

/* A session's last request is written down at most this often: a page's every request
 * would otherwise be a write, and idleness is counted in minutes anyway. */
#define TOUCH_EVERY 60

static int copy_facts(const struct web_session_row *row, void *p)
{
	struct session_facts *f = p;
	memset(f, 0, sizeof(*f));
	f->id = row->id;
	f->created_at = row->created_at;
	f->last_seen_at = row->last_seen_at;
	f->expires_at = row->expires_at;
	f->revoked_at = row->revoked_at;
	f->full = strcmp(row->stage, "full") == 0;
	snprintf(f->user, sizeof(f->user), "%s", row->user);
	snprintf(f->csrf, sizeof(f->csrf), "%s", row->csrf);
	snprintf(f->peer, sizeof(f->peer), "%s", row->peer ? row->peer : "");
	snprintf(f->user_agent, sizeof(f->user_agent), "%s", row->user_agent ? row->user_agent : "");
	snprintf(f->enrol_secret, sizeof(f->enrol_secret), "%s",
	         row->enrol_secret ? row->enrol_secret : "");
	return 0;
}

/* The session of token, over or not.  OPS_NOT_FOUND when there is none. */
static int session_load(struct store *store, const char *token, struct session_facts *f,
                        char **error_r)
{
	char hash[SHA256_HEX_SIZE];
	sha256_hex(token ? token : "", token ? strlen(token) : 0, hash);
	int found = store_web_session_find(store, hash, copy_facts, f);
	if (found < 0) {
		*error_r = xasprintf("session: %s", store_error(store));
		return OPS_FAILED;
	}
	if (found == 0) {
		*error_r = xstrdup("not signed in: sign in");
		return OPS_NOT_FOUND;
	}
	return OPS_OK;
}

/* Why session f is over at now, or NULL while it lives.  session_max is counted again from
 * the sign-in, so that a shorter one in the configuration holds for open sessions too. */
static const char *session_over(const struct config *config, const struct session_facts *f,
                                int64_t now)
{
	if (f->revoked_at != 0)
		return "was ended";
	if (now >= f->expires_at || now >= f->created_at + config->web.session_max)
		return "is past its time";
	if (now - f->last_seen_at >= config->web.session_idle)
		return "was idle too long";
	if (config_find_user(config, f->user) == NULL)
		return "belongs to a user no longer configured";
	return NULL;
}

/* Session f is over (why): ended now and audited, unless it was ended already.  Returns
 * OPS_NOT_FOUND, or OPS_FAILED. */
static int session_end_over(struct store *store, const struct config *config,
                            const struct session_facts *f, const char *why, int64_t now,
                            char **error_r)
{
	if (f->revoked_at == 0) {
		int rc = ops_begin(store, f->user, error_r);
		if (rc != OPS_OK)
			return rc;
		int ended = store_web_session_revoke(store, f->id, "liaison", now);
		if (ended == 0) {
			store_rollback(store); /* another request ended it first, and said so */
		} else {
			char object[32];
			snprintf(object, sizeof(object), "session %lld", (long long)f->id);
			rc = account_commit_as(store, config, f->user, "session-expired", object, why,
			                       ended < 0 ? -1 : 0, error_r);
			if (rc != OPS_OK)
				return rc;
		}
	}
	*error_r = xasprintf("not signed in (the session %s): sign in again", why);
	return OPS_NOT_FOUND;
}

int account_session_live(struct store *store, const struct config *config, const char *token,
                         int64_t now, struct session_facts *f, char **error_r)
{
	int rc = session_load(store, token, f, error_r);
	if (rc != OPS_OK)
		return rc;
	const char *over = session_over(config, f, now);
	return over ? session_end_over(store, config, f, over, now, error_r) : OPS_OK;
}

void account_session_out(const struct session_facts *f, struct web_session *s_r)
{
	memset(s_r, 0, sizeof(*s_r));
	s_r->id = f->id;
	snprintf(s_r->user, sizeof(s_r->user), "%s", f->user);
	snprintf(s_r->csrf, sizeof(s_r->csrf), "%s", f->csrf);
	s_r->stage_full = f->full;
	s_r->expires_at = f->expires_at;
	s_r->signed_in_at = f->created_at; /* a step up keeps it: the password's time */
}

int ops_session_resume(struct store *store, const struct config *config, const char *token,
                       int64_t now, struct web_session *s_r, char **error_r)
{
	memset(s_r, 0, sizeof(*s_r));
	struct session_facts f;
	int rc = account_session_live(store, config, token, now, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	/* a short session_idle is written down more often: checked against a last request up to
	 * a minute old, a session in use would be idle at session_idle = 1m */
	int64_t every = config->web.session_idle / 4 < TOUCH_EVERY ? config->web.session_idle / 4
	                                                           : TOUCH_EVERY;
	if (now - f.last_seen_at >= every && store_web_session_touch(store, f.id, now) < 0) {
		*error_r = xasprintf("session: %s", store_error(store));
		return OPS_FAILED;
	}
	account_session_out(&f, s_r);
	return OPS_OK;
}

/* Ends session id by (a user's name) in one transaction with its audit entry: OPS_OK, or
 * OPS_NOT_FOUND when it had ended already. */
static int session_end(struct store *store, const struct actor *by, int64_t id,
                       const char *action, const char *details, int64_t now, char **error_r)
{
	char object[32];
	snprintf(object, sizeof(object), "session %lld", (long long)id);
	int rc = ops_begin(store, object, error_r);
	if (rc != OPS_OK)
		return rc;
	int ended = store_web_session_revoke(store, id, by->user->name, now);
	if (ended == 0) {
		store_rollback(store);
		*error_r = xasprintf("session %lld has ended already", (long long)id);
		return OPS_NOT_FOUND;
	}
	return ops_commit_audited(store, by, action, object, details, ended < 0 ? -1 : 0, error_r);
}

int ops_signout(struct store *store, const struct config *config, const char *token,
                int64_t now, char **error_r)
{
	struct session_facts f;
	int rc = session_load(store, token, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	struct user_config who = {.name = f.user};
	struct actor a = {config, &who};
	return session_end(store, &a, f.id, "signout", NULL, now, error_r);
}

static int is_admin(const struct actor *a)
{
	return a->user->role == ROLE_ADMIN;
}

struct list_ctx {
	store_web_session_cb *cb;
	void *ctx;
};

/* A row as listed: never its CSRF token or a secret being enrolled. */
static int list_one(const struct web_session_row *row, void *p)
{
	struct list_ctx *c = p;
	struct web_session_row shown = *row;
	shown.csrf = NULL;
	shown.enrol_secret = NULL;
	return c->cb(&shown, c->ctx);
}

int ops_sessions_list(struct store *store, const struct actor *actor, const char *user,
                      int64_t now, store_web_session_cb *cb, void *ctx, char **error_r)
{
	if (!is_admin(actor) && user != NULL && strcmp(user, actor->user->name) != 0) {
		*error_r = xstrdup("refused: only admins see another user's sessions");
		return OPS_REFUSED;
	}
	struct list_ctx c = {cb, ctx};
	if (store_web_sessions_list(store, is_admin(actor) ? user : actor->user->name, now,
	                            actor->config->web.session_idle, list_one, &c) < 0) {
		*error_r = xasprintf("sessions: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_session_revoke(struct store *store, const struct actor *actor, int64_t id,
                       char **error_r)
{
	struct session_facts f = {0};
	int found = store_web_session_get(store, id, copy_facts, &f);
	if (found < 0) {
		*error_r = xasprintf("session %lld: %s", (long long)id, store_error(store));
		return OPS_FAILED;
	}
	/* another's session is as good as none to a non-admin: its number tells nothing */
	if (found == 0 || f.revoked_at != 0 ||
	    (!is_admin(actor) && strcmp(f.user, actor->user->name) != 0)) {
		*error_r = xasprintf("no open session %lld%s (liaison sessions lists them)",
		                     (long long)id, is_admin(actor) ? "" : " of yours");
		return OPS_NOT_FOUND;
	}
	char *details = xasprintf("of %s", f.user);
	int rc = session_end(store, actor, id, "session-revoke", details, (int64_t)time(NULL),
	                     error_r);
	free(details);
	return rc;
}

int ops_sessions_revoke_user(struct store *store, const struct actor *actor, const char *user,
                             int64_t *count_r, char **error_r)
{
	*count_r = 0;
	if (!is_admin(actor) && strcmp(user, actor->user->name) != 0) {
		*error_r = xstrdup("refused: only admins end another user's sessions");
		return OPS_REFUSED;
	}
	int rc = ops_begin(store, user, error_r);
	if (rc != OPS_OK)
		return rc;
	int src = store_web_sessions_revoke_user(store, user, actor->user->name, (int64_t)time(NULL),
	                                         count_r);
	char *details = xasprintf("%lld session%s ended", (long long)*count_r,
	                          *count_r == 1 ? "" : "s");
	rc = ops_commit_audited(store, actor, "sessions-revoke", user, details, src, error_r);
	free(details);
	if (rc != OPS_OK)
		*count_r = 0;
	return rc;
}

/* --- Giving the password again --------------------------------------------------------- */

int ops_session_recent(const struct web_session *s, int64_t now)
{
	return s->stage_full && now - s->signed_in_at < REAUTH_AFTER;
}

/* Ends the half-signed-in session id of user that a re-authentication opened and could not
 * finish (why), so that no session is left that nobody holds. */
static void reauth_abandon(struct store *store, const struct config *config, char *user,
                           int64_t id, const char *why, int64_t now)
{
	struct user_config who = {.name = user};
	struct actor a = {config, &who};
	char *error = NULL;
	session_end(store, &a, id, "reauth-failed", why, now, &error);
	free(error);
}

int ops_session_reauth(struct store *store, const struct config *config, const char *token,
                       const char *password, const char *code, const char *peer,
                       const char *user_agent, int64_t now, char token_r[RANDOM_TOKEN_SIZE],
                       struct web_session *s_r, int *retry_after_r, char **error_r)
{
	memset(token_r, 0, RANDOM_TOKEN_SIZE);
	memset(s_r, 0, sizeof(*s_r));
	*retry_after_r = 0;
	struct session_facts f;
	int rc = account_session_live(store, config, token, now, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	if (!f.full) {
		*error_r = xstrdup("not signed in: sign in");
		return OPS_NOT_FOUND;
	}
	/* a sign-in of the session's user: the same checks, throttle and audit as any */
	char half[RANDOM_TOKEN_SIZE];
	struct web_session hs;
	enum signin_need need;
	rc = ops_signin(store, config, f.user, password, peer, user_agent, now, half, &hs, &need,
	                retry_after_r, error_r);
	if (rc != OPS_OK)
		return rc;
	if (need == SIGNIN_NEED_CODE) {
		rc = ops_signin_code(store, config, half, code ? code : "", now, token_r, s_r,
		                     retry_after_r, error_r);
		if (rc != OPS_OK)
			reauth_abandon(store, config, f.user, hs.id, "the code was not taken", now);
	} else if (need == SIGNIN_NEED_ENROL) {
		reauth_abandon(store, config, f.user, hs.id, "a TOTP enrolment is needed first", now);
		*error_r = xstrdup("refused: enrol a TOTP app first (sign out, then sign in again)");
		rc = OPS_REFUSED;
	} else {
		memcpy(token_r, half, RANDOM_TOKEN_SIZE);
		*s_r = hs;
	}
	explicit_bzero(half, sizeof(half));
	if (rc != OPS_OK)
		return rc;
	/* the old session gives way to the new one, whose sign-in is now */
	rc = ops_begin(store, f.user, error_r);
	if (rc == OPS_OK) {
		int src = store_web_session_delete(store, f.id);
		char object[32];
		snprintf(object, sizeof(object), "session %lld", (long long)s_r->id);
		char *details = xasprintf("password%s given again, in place of session %lld",
		                          need == SIGNIN_NEED_CODE ? " and code" : "", (long long)f.id);
		rc = account_commit_as(store, config, f.user, "reauth", object, details, src, error_r);
		free(details);
	}
	if (rc != OPS_OK) {
		memset(token_r, 0, RANDOM_TOKEN_SIZE);
		memset(s_r, 0, sizeof(*s_r));
	}
	return rc;
}
