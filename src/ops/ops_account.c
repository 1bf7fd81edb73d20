/* ops_account.c — web console passwords, signing in (the password, then a TOTP code or an
 * enrolment), throttling failed sign-ins, TOTP resets, and single sign-on through a trusted
 * proxy.  Resuming, ending and listing sessions: ops_account_session.c. */
#include "ops_account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "ops_account_private.h"
#include "totp.h"
#include "util.h"

/* Failed sign-ins count over 15 minutes; 5 are free, then a wait of 1 minute, doubling
 * with each failure after that up to 15 minutes (OWASP's advice on brute force: slow the
 * guesser down, never lock the owner out for long). */
#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_FREE 5
#define THROTTLE_FIRST 60
#define THROTTLE_MAX (15 * 60)
/* A half-signed-in session has this long for its code or its enrolment. */
#define PENDING_LIFETIME (5 * 60)
/* Ended sessions and failed sign-ins stay this long for a look, then go at a sign-in (the
 * audit trail is the record). */
#define SESSIONS_KEPT (30 * 86400)
#define FAILURES_KEPT 86400

/* The one answer to a wrong password and to a name that is no user. */
static const char wrong_password[] = "wrong user name or password";

void account_clean(const char *text, char *out, size_t size)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p && n + 1 < size;
	     p++)
		out[n++] = *p >= 0x20 && *p < 0x7f ? (char)*p : '?';
	out[n] = '\0';
}

int account_commit_as(struct store *store, const struct config *config, const char *user,
                      const char *action, const char *object, const char *details,
                      int store_rc, char **error_r)
{
	char name[NAME_MAX_KEPT + 1];
	snprintf(name, sizeof(name), "%s", user);
	struct user_config who = {.name = name};
	struct actor a = {config, &who};
	return ops_commit_audited(store, &a, action, object, details, store_rc, error_r);
}

static const char *peer_shown(const char *peer)
{
	return peer[0] ? peer : "an unknown address";
}

/* --- Throttling ------------------------------------------------------------------------ */

/* Seconds still to wait after failures failed sign-ins, the latest at last. */
static int64_t wait_after(int64_t failures, int64_t last, int64_t now)
{
	if (failures < THROTTLE_FREE)
		return 0;
	int64_t delay = THROTTLE_FIRST;
	for (int64_t n = THROTTLE_FREE; n < failures && delay < THROTTLE_MAX; n++)
		delay *= 2;
	if (delay > THROTTLE_MAX)
		delay = THROTTLE_MAX;
	return last + delay > now ? last + delay - now : 0;
}

/* Seconds the name and the address must still wait (the longer of the two), or -1 on a
 * store error. */
static int64_t throttle_wait(struct store *store, const char *user, const char *peer,
                             int64_t now)
{
	struct signin_failures f;
	if (store_web_failures(store, user, peer[0] ? peer : NULL, now - THROTTLE_WINDOW, &f) < 0)
		return -1;
	int64_t by_user = wait_after(f.user_count, f.user_last, now);
	int64_t by_peer = wait_after(f.peer_count, f.peer_last, now);
	return by_user > by_peer ? by_user : by_peer;
}

static char *wait_in_words(int64_t wait)
{
	if (wait < 60)
		return xasprintf("%lld second%s", (long long)wait, wait == 1 ? "" : "s");
	int64_t minutes = (wait + 59) / 60;
	return xasprintf("%lld minute%s", (long long)minutes, minutes == 1 ? "" : "s");
}

/* OPS_OK when user may try from peer now; OPS_REFUSED while either waits (audited
 * "signin-refused", *retry_after_r the seconds left; nothing is checked meanwhile, so the
 * wait costs the guesser his guesses); OPS_FAILED. */
static int throttle_check(struct store *store, const struct config *config, const char *user,
                          const char *peer, int64_t now, int *retry_after_r, char **error_r)
{
	int64_t wait = throttle_wait(store, user, peer, now);
	if (wait < 0) {
		*error_r = xasprintf("sign-in: %s", store_error(store));
		return OPS_FAILED;
	}
	if (wait == 0)
		return OPS_OK;
	char *details = xasprintf("from %s: too many failed sign-ins, %lld s to wait",
	                          peer_shown(peer), (long long)wait);
	int rc = ops_begin(store, user, error_r);
	if (rc == OPS_OK)
		rc = account_commit_as(store, config, user, "signin-refused", user, details, 0, error_r);
	free(details);
	if (rc != OPS_OK)
		return rc;
	char *words = wait_in_words(wait);
	*error_r = xasprintf("refused: too many failed sign-ins; try again in %s", words);
	free(words);
	*retry_after_r = (int)wait;
	return OPS_REFUSED;
}

/* Records a failed sign-in of user from peer (why, for the audit trail) and ends the
 * transaction the caller began with its audit entry.  OPS_REFUSED with what (for the
 * person) and *retry_after_r the wait this failure begins (0: none), or OPS_FAILED. */
static int refuse_failure(struct store *store, const struct config *config, const char *user,
                          const char *peer, int64_t now, const char *why, const char *what,
                          int *retry_after_r, char **error_r)
{
	char *details = xasprintf("from %s: %s", peer_shown(peer), why);
	int src = store_web_failure_add(store, now, user, peer[0] ? peer : NULL);
	int rc = account_commit_as(store, config, user, "signin-failed", user, details, src, error_r);
	free(details);
	if (rc != OPS_OK)
		return rc;
	int64_t wait = throttle_wait(store, user, peer, now);
	*retry_after_r = wait > 0 ? (int)wait : 0;
	*error_r = xstrdup(what);
	return OPS_REFUSED;
}

/* --- Sessions opened --------------------------------------------------------------------- */

/* The facts of a session of user beginning now from peer: half signed in for
 * PENDING_LIFETIME at most unless full. */
static void session_begin(struct session_facts *f, const struct config *config,
                          const char *user, int full, const char *peer, const char *user_agent,
                          int64_t now)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->user, sizeof(f->user), "%s", user);
	account_clean(peer, f->peer, sizeof(f->peer));
	account_clean(user_agent, f->user_agent, sizeof(f->user_agent));
	f->full = full;
	f->created_at = now;
	int64_t lifetime = config->web.session_max;
	if (!full && lifetime > PENDING_LIFETIME)
		lifetime = PENDING_LIFETIME;
	f->expires_at = now + lifetime;
}

/* Stores session f (its id into f) in the caller's transaction, with a fresh token (into
 * token_r; the store keeps its SHA-256) and a fresh CSRF token. */
static int session_add(struct store *store, struct session_facts *f, int64_t now,
                       char token_r[RANDOM_TOKEN_SIZE])
{
	char hash[SHA256_HEX_SIZE];
	random_token(token_r, RANDOM_TOKEN_SIZE);
	random_token(f->csrf, sizeof(f->csrf));
	sha256_hex(token_r, strlen(token_r), hash);
	f->last_seen_at = now;
	struct web_session_row row = {
		.user = f->user,
		.stage = f->full ? "full" : "password",
		.csrf = f->csrf,
		.created_at = f->created_at,
		.last_seen_at = now,
		.expires_at = f->expires_at,
		.peer = f->peer[0] ? f->peer : NULL,
		.user_agent = f->user_agent[0] ? f->user_agent : NULL,
	};
	return store_web_session_add(store, hash, &row, &f->id);
}

/* Opens session f in one transaction with its audit entry (action, details): old sessions
 * and failures pruned, the user's failures forgotten, and a hash made again (rehashed, when
 * not NULL) stored. */
static int session_open(struct store *store, const struct config *config,
                        struct session_facts *f, int64_t now, const char *action,
                        const char *details, const char *rehashed,
                        char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r, char **error_r)
{
	int rc = ops_begin(store, f->user, error_r);
	if (rc != OPS_OK)
		return rc;
	int src = store_web_prune(store, now - SESSIONS_KEPT, now - FAILURES_KEPT);
	if (src == 0)
		src = store_web_failures_clear(store, f->user);
	if (src == 0 && rehashed != NULL)
		src = store_web_password_set(store, f->user, rehashed, now);
	if (src == 0)
		src = session_add(store, f, now, token_r);
	char object[32];
	snprintf(object, sizeof(object), "session %lld", (long long)f->id);
	rc = account_commit_as(store, config, f->user, action, object, details, src, error_r);
	if (rc == OPS_OK)
		account_session_out(f, s_r);
	return rc;
}

/* Empties what a sign-in hands out when it did not sign anyone in (and, called with
 * OPS_FAILED first thing, before anything is tried: nothing stale is ever handed out). */
static int handed_out(int rc, char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r)
{
	if (rc != OPS_OK) {
		memset(token_r, 0, RANDOM_TOKEN_SIZE);
		memset(s_r, 0, sizeof(*s_r));
	}
	return rc;
}

/* --- Passwords and signing in -------------------------------------------------------- */

/* After the store step src of an operation on user's account (in the transaction begun):
 * ends every session of user, and commits with the audit entry action saying how many. */
static int commit_ending_sessions(struct store *store, const struct actor *actor,
                                  const char *user, const char *action, int src, int64_t now,
                                  char **error_r)
{
	int64_t ended = 0;
	if (src == 0)
		src = store_web_sessions_revoke_user(store, user, actor->user->name, now, &ended);
	char *details = xasprintf("%lld web session%s ended", (long long)ended, ended == 1 ? "" : "s");
	int rc = ops_commit_audited(store, actor, action, user, details, src, error_r);
	free(details);
	return rc;
}

int ops_password_set(struct store *store, const struct actor *actor, const char *user,
                     const char *password, char **error_r)
{
	const struct user_config *u = config_find_user(actor->config, user);
	if (u == NULL) {
		*error_r = ops_unknown_user(actor->config, user);
		return OPS_INVALID;
	}
	if (actor->user->role != ROLE_ADMIN && strcmp(u->name, actor->user->name) != 0) {
		*error_r = xasprintf("refused: only admins set another user's password (%s's)", u->name);
		return OPS_REFUSED;
	}
	size_t n = strlen(password);
	if (n < PASSWORD_MIN || n > PASSWORD_MAX) {
		*error_r = xasprintf("a password is %d to %d bytes long (this one is %zu)",
		                     PASSWORD_MIN, PASSWORD_MAX, n);
		return OPS_INVALID;
	}
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(password, hash) < 0) {
		*error_r = xstrdup("the password could not be hashed (out of memory)");
		return OPS_FAILED;
	}
	int64_t now = (int64_t)time(NULL);
	int rc = ops_begin(store, u->name, error_r);
	if (rc != OPS_OK)
		return rc;
	/* A new password ends the sessions the old one opened (it may have been stolen). */
	int src = store_web_password_set(store, u->name, hash, now);
	return commit_ending_sessions(store, actor, u->name, "passwd", src, now, error_r);
}

static enum signin_need need_of(const struct config *config, const struct user_config *u,
                                const struct web_account *a)
{
	if (a->totp_enrolled_at != 0)
		return SIGNIN_NEED_CODE;
	if (config->web.mfa_required && u->role != ROLE_CTL)
		return SIGNIN_NEED_ENROL;
	return SIGNIN_DONE;
}

/* 1 when password is u's.  Exactly one Argon2id check whoever asks: against a hash of
 * nothing when u is no user, has no password, or the password could not be one. */
static int password_matches(const struct user_config *u, int found,
                            const struct web_account *a, const char *password)
{
	if (u == NULL || found != 1 || a->password_hash[0] == '\0' || strlen(password) > PASSWORD_MAX)
		return password_verify_dummy(password);
	return password_verify(a->password_hash, password);
}

/* The password was right: the session it opens, half signed in unless nothing more is
 * needed; a hash of an older cost made again. */
static int signin_open(struct store *store, const struct config *config,
                       const struct user_config *u, const struct web_account *a,
                       const char *password, const char *peer, const char *user_agent,
                       int64_t now, enum signin_need need, char token_r[RANDOM_TOKEN_SIZE],
                       struct web_session *s_r, char **error_r)
{
	char rehashed[PASSWORD_HASH_SIZE];
	int rehash = password_needs_rehash(a->password_hash) == 1 &&
	             password_hash(password, rehashed) == 0;
	struct session_facts f;
	session_begin(&f, config, u->name, need == SIGNIN_DONE, peer, user_agent, now);
	char *details = xasprintf("from %s%s%s", peer_shown(f.peer),
	                          need == SIGNIN_NEED_CODE ? ", code to come"
	                          : need == SIGNIN_NEED_ENROL ? ", TOTP enrolment to come" : "",
	                          rehash ? ", password hashed again" : "");
	int rc = session_open(store, config, &f, now, "signin", details, rehash ? rehashed : NULL,
	                      token_r, s_r, error_r);
	free(details);
	return rc;
}

int ops_signin(struct store *store, const struct config *config, const char *user,
               const char *password, const char *peer, const char *user_agent, int64_t now,
               char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r,
               enum signin_need *need_r, int *retry_after_r, char **error_r)
{
	handed_out(OPS_FAILED, token_r, s_r);
	*need_r = SIGNIN_DONE;
	*retry_after_r = 0;
	if (user == NULL || user[0] == '\0' || password == NULL || password[0] == '\0') {
		*error_r = xstrdup("give a user name and a password");
		return OPS_INVALID;
	}
	const struct user_config *u = config_find_user(config, user);
	char name[NAME_MAX_KEPT + 1], from[PEER_MAX_KEPT + 1];
	account_clean(u ? u->name : user, name, sizeof(name));
	account_clean(peer, from, sizeof(from));
	int rc = throttle_check(store, config, name, from, now, retry_after_r, error_r);
	if (rc != OPS_OK)
		return rc;
	/* read for any name, so that one that is no user costs what a user does */
	struct web_account a;
	int found = store_web_account_get(store, name, &a);
	if (found < 0) {
		*error_r = xasprintf("sign-in: %s", store_error(store));
		return OPS_FAILED;
	}
	if (!password_matches(u, found, &a, password)) {
		const char *why = u == NULL ? "no such user"
		                  : found != 1 || a.password_hash[0] == '\0' ? "no password set"
		                  : "wrong password";
		rc = ops_begin(store, name, error_r);
		return rc != OPS_OK ? rc : refuse_failure(store, config, name, from, now, why,
		                                          wrong_password, retry_after_r, error_r);
	}
	*need_r = need_of(config, u, &a);
	rc = signin_open(store, config, u, &a, password, from, user_agent, now, *need_r, token_r,
	                 s_r, error_r);
	return handed_out(rc, token_r, s_r);
}

int ops_signin_trusted(struct store *store, const struct config *config, const char *user,
                       const char *peer, const char *user_agent, int64_t now,
                       char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r,
                       char **error_r)
{
	handed_out(OPS_FAILED, token_r, s_r);
	const struct user_config *u = user ? config_find_user(config, user) : NULL;
	char name[NAME_MAX_KEPT + 1], from[PEER_MAX_KEPT + 1];
	account_clean(u ? u->name : user, name, sizeof(name));
	account_clean(peer, from, sizeof(from));
	char *details = xasprintf("from %s%s", peer_shown(from),
	                          u ? "" : ": the proxy's header names no [user]");
	int rc;
	if (u == NULL) {
		rc = ops_begin(store, name, error_r);
		if (rc == OPS_OK)
			rc = account_commit_as(store, config, name, "signin-failed", name, details, 0, error_r);
		if (rc == OPS_OK) {
			*error_r = xasprintf("refused: '%s' is not a user of liaison", name);
			rc = OPS_REFUSED;
		}
	} else {
		struct session_facts f;
		session_begin(&f, config, u->name, 1, peer, user_agent, now);
		rc = session_open(store, config, &f, now, "signin-trusted", details, NULL, token_r, s_r,
		                  error_r);
	}
	free(details);
	return handed_out(rc, token_r, s_r);
}

/* --- TOTP: the code, enrolment, reset ------------------------------------------------ */

/* Checks code against secret at now.  A good code of a step newer than the last taken
 * steps session f up, in one transaction with its audit entry: f is replaced by a session
 * at stage full (token_r, *s_r), and for an enrolment (enrol) secret becomes the user's
 * first.  Anything else is a failed sign-in. */
static int code_step_up(struct store *store, const struct config *config,
                        const struct session_facts *f, const char *secret, const char *code,
                        int64_t now, int enrol, char token_r[RANDOM_TOKEN_SIZE],
                        struct web_session *s_r, int *retry_after_r, char **error_r)
{
	int64_t step = 0;
	int match = totp_verify(secret, code ? code : "", now, &step);
	if (match < 0) {
		*error_r = xasprintf("the TOTP secret of %s is damaged: an admin can reset it "
		                     "(liaison mfa-reset %s)", f->user, f->user);
		return OPS_FAILED;
	}
	int rc = ops_begin(store, f->user, error_r);
	if (rc != OPS_OK)
		return rc;
	int src = match && enrol ? store_web_totp_set(store, f->user, secret, now) : 0;
	int taken = match && src == 0 ? store_web_totp_take_step(store, f->user, step) : 0;
	if (src < 0 || taken < 0)
		return account_commit_as(store, config, f->user, "signin-code", f->user, NULL, -1,
		                         error_r);
	if (!taken)
		return refuse_failure(store, config, f->user, f->peer, now,
		                      match ? "code used already" : enrol ? "wrong enrolment code"
		                                                          : "wrong code",
		                      match ? "that code was used already: wait for the app's next one"
		                            : "wrong code", retry_after_r, error_r);
	struct session_facts next = *f;
	next.full = 1;
	next.expires_at = f->created_at + config->web.session_max;
	src = store_web_session_delete(store, f->id);
	if (src == 0)
		src = store_web_failures_clear(store, f->user);
	if (src == 0)
		src = session_add(store, &next, now, token_r);
	char object[32];
	snprintf(object, sizeof(object), "session %lld", (long long)next.id);
	char *details = xasprintf("from %s, in place of session %lld", peer_shown(f->peer),
	                          (long long)f->id);
	rc = account_commit_as(store, config, f->user, enrol ? "mfa-enrol" : "signin-code", object,
	                       details, src, error_r);
	free(details);
	if (rc == OPS_OK)
		account_session_out(&next, s_r);
	return rc;
}

/* The live session of token, and its user's account into *a. */
static int load_with_account(struct store *store, const struct config *config,
                             const char *token, int64_t now, struct session_facts *f,
                             struct web_account *a, char **error_r)
{
	int rc = account_session_live(store, config, token, now, f, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_web_account_get(store, f->user, a) < 0) {
		*error_r = xasprintf("sign-in: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

/* A half-signed-in session enrols only a user with no app yet: else the password alone
 * would put a new app in place of the one that proves the second factor. */
static int may_enrol(const struct session_facts *f, const struct web_account *a,
                     char **error_r)
{
	if (f->full || a->totp_enrolled_at == 0)
		return OPS_OK;
	*error_r = xasprintf("refused: %s has a TOTP app enrolled already: give its code (a lost "
	                     "phone: an admin resets it with liaison mfa-reset %s)", f->user,
	                     f->user);
	return OPS_REFUSED;
}

/* Keeps secret on session f until a code confirms it, with the audit entry; hands it out. */
static int enrol_keep(struct store *store, const struct config *config,
                      const struct session_facts *f, const char *secret, char **secret_r,
                      char **uri_r, char **error_r)
{
	int rc = ops_begin(store, f->user, error_r);
	if (rc != OPS_OK)
		return rc;
	char object[32];
	snprintf(object, sizeof(object), "session %lld", (long long)f->id);
	int src = store_web_session_enrol_secret(store, f->id, secret);
	rc = account_commit_as(store, config, f->user, "mfa-enrol-begin", object, NULL, src, error_r);
	if (rc == OPS_OK) {
		*secret_r = xstrdup(secret);
		*uri_r = totp_uri(f->user, secret);
	}
	return rc;
}

int ops_mfa_enrol_begin(struct store *store, const struct config *config, const char *token,
                        int64_t now, char **secret_r, char **uri_r, char **error_r)
{
	*secret_r = *uri_r = NULL;
	struct session_facts f;
	struct web_account a;
	int rc = load_with_account(store, config, token, now, &f, &a, error_r);
	if (rc == OPS_OK)
		rc = may_enrol(&f, &a, error_r);
	if (rc != OPS_OK)
		return rc;
	char secret[TOTP_SECRET_SIZE];
	if (totp_secret_new(secret) < 0) {
		*error_r = xstrdup("no TOTP secret could be made (out of memory)");
		return OPS_FAILED;
	}
	rc = enrol_keep(store, config, &f, secret, secret_r, uri_r, error_r);
	explicit_bzero(secret, sizeof(secret));
	return rc;
}

/* What a code is checked for first: in a half-signed-in session of a user with an app
 * (the code stage), or in a session with an enrolment under way that may enrol. */
static int code_expected(const struct session_facts *f, const struct web_account *a, int enrol,
                         char **error_r)
{
	if (enrol && f->enrol_secret[0] == '\0') {
		*error_r = xstrdup("no TOTP enrolment is under way in this session: begin one");
		return OPS_INVALID;
	}
	if (enrol)
		return may_enrol(f, a, error_r);
	if (f->full) {
		*error_r = xstrdup("signed in already: no code is needed");
		return OPS_INVALID;
	}
	if (a->totp_enrolled_at == 0) {
		*error_r = xasprintf("%s has no TOTP app enrolled: enrol one", f->user);
		return OPS_INVALID;
	}
	return OPS_OK;
}

/* A code given in the session of token: for the code stage, or (enrol) to confirm an
 * enrolment. */
static int code_given(struct store *store, const struct config *config, const char *token,
                      const char *code, int64_t now, int enrol, char token_r[RANDOM_TOKEN_SIZE],
                      struct web_session *s_r, int *retry_after_r, char **error_r)
{
	handed_out(OPS_FAILED, token_r, s_r);
	*retry_after_r = 0;
	struct session_facts f;
	struct web_account a;
	int rc = load_with_account(store, config, token, now, &f, &a, error_r);
	if (rc == OPS_OK)
		rc = code_expected(&f, &a, enrol, error_r);
	if (rc == OPS_OK)
		rc = throttle_check(store, config, f.user, f.peer, now, retry_after_r, error_r);
	if (rc == OPS_OK)
		rc = code_step_up(store, config, &f, enrol ? f.enrol_secret : a.totp_secret, code, now,
		                  enrol, token_r, s_r, retry_after_r, error_r);
	explicit_bzero(f.enrol_secret, sizeof(f.enrol_secret));
	explicit_bzero(a.totp_secret, sizeof(a.totp_secret));
	return handed_out(rc, token_r, s_r);
}

int ops_signin_code(struct store *store, const struct config *config, const char *token,
                    const char *code, int64_t now, char token_r[RANDOM_TOKEN_SIZE],
                    struct web_session *s_r, int *retry_after_r, char **error_r)
{
	return code_given(store, config, token, code, now, 0, token_r, s_r, retry_after_r, error_r);
}

int ops_mfa_enrol_confirm(struct store *store, const struct config *config, const char *token,
                          const char *code, int64_t now, char token_r[RANDOM_TOKEN_SIZE],
                          struct web_session *s_r, int *retry_after_r, char **error_r)
{
	return code_given(store, config, token, code, now, 1, token_r, s_r, retry_after_r, error_r);
}

int ops_mfa_reset(struct store *store, const struct actor *actor, const char *user,
                  char **error_r)
{
	if (actor->user->role != ROLE_ADMIN) {
		*error_r = xstrdup("refused: only admins reset a TOTP enrolment");
		return OPS_REFUSED;
	}
	const struct user_config *u = config_find_user(actor->config, user);
	if (u == NULL) {
		*error_r = ops_unknown_user(actor->config, user);
		return OPS_INVALID;
	}
	int64_t now = (int64_t)time(NULL);
	int rc = ops_begin(store, u->name, error_r);
	if (rc != OPS_OK)
		return rc;
	int cleared = store_web_totp_set(store, u->name, NULL, now);
	if (cleared == 0) {
		store_rollback(store);
		*error_r = xasprintf("%s has no TOTP app enrolled", u->name);
		return OPS_NOT_FOUND;
	}
	/* Whoever holds the lost phone may hold a session it opened. */
	return commit_ending_sessions(store, actor, u->name, "mfa-reset", cleared < 0 ? -1 : 0, now,
	                              error_r);
}
