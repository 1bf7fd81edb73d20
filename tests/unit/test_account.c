/* Unit tests: ops_account.c and ops_account_session.c — the web console's sign-in rules as
 * the web console will call them: setting passwords (who, how long, sessions ended), signing
 * in right and wrong, a name that is no user answered and worked like a wrong password,
 * throttling after 5 failures by name and by address (the wait doubling), the code stage
 * (a new token, a code good once), TOTP enrolment (kept only once confirmed), resuming with
 * idle and absolute expiry, sign-out, listing and revoking, single sign-on, TOTP reset, and
 * the audit entries each leaves — never a password.
 *
 * Every instant is explicit (T0 and offsets from it): no test sleeps or depends on the day
 * it runs.  Each case has a fresh database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <time.h>

#include "hash.h"
#include "ops_account.h"
#include "test_helpers.h"
#include "totp.h"

/* 2026-02-25 06:13:20 UTC */
#define T0 1772000000
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define GOOD "a long enough passphrase"

static const char config_text[] =
    "[liaison]\n"
    "database = %s\n"
    "\n[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\n"
    "\n[user admin]\nrole = admin\n"
    "\n[user coordinator]\nrole = coordinator\n"
    "\n[user reyes]\nrole = ctl\ntroops = K\n"
    "\n[user walsh]\nrole = ctl\ntroops = K\n";

struct fixture {
	char *dir, *db;
	struct config *config;
	struct store *store;
};
static struct fixture fx;

static int setup(void **state)
{
	fx.dir = test_tmpdir();
	fx.db = xasprintf("%s/a.db", fx.dir);
	char *path = xasprintf("%s/liaison.conf", fx.dir);
	char *text = xasprintf(config_text, fx.db);
	test_write_file(path, text);
	free(text);
	char *errors = NULL;
	if (config_load(path, &fx.config, &errors) < 0) {
		fprintf(stderr, "%s", errors);
		return -1;
	}
	free(path);
	char *error = NULL;
	return store_open(fx.db, STORE_OPEN_INIT, &fx.store, &error);
}

static int teardown(void **state)
{
	store_close(&fx.store);
	config_free(&fx.config);
	free(fx.db);
	free(fx.dir);
	return 0;
}

static struct actor as(const char *name)
{
	struct actor a;
	char *error = NULL;
	assert_int_equal(ops_actor(fx.config, name, &a, &error), OPS_OK);
	return a;
}

/* rc of an operation, its message *error freed (and checked to hold want, when not NULL).
 * A pointer, since the operation fills it in: said(op(..., &error), &error, ...) reads it
 * after the call whatever the order its arguments are evaluated in. */
static int said(int rc, char **error, const char *want)
{
	if (want != NULL && (*error == NULL || strstr(*error, want) == NULL))
		fail_msg("expected a message with \"%s\", got \"%s\"", want, *error ? *error : "none");
	xfree(error);
	return rc;
}

static void set_password(const char *user, const char *password)
{
	struct actor admin = as("admin");
	char *error = NULL;
	assert_int_equal(said(ops_password_set(fx.store, &admin, user, password, &error), &error, NULL),
	                 OPS_OK);
}

struct signin {
	int rc, retry;
	enum signin_need need;
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s;
	char *error;
};

static struct signin signin_at(const char *user, const char *password, const char *peer,
                               int64_t now)
{
	struct signin r = {0};
	r.rc = ops_signin(fx.store, fx.config, user, password, peer, "Firefox", now, r.token, &r.s,
	                  &r.need, &r.retry, &r.error);
	return r;
}

/* A sign-in that must work; its token into token_r. */
static struct web_session signed_in(const char *user, int64_t now, char token_r[RANDOM_TOKEN_SIZE])
{
	struct signin r = signin_at(user, GOOD, "192.0.2.1", now);
	if (r.rc != OPS_OK)
		fail_msg("sign-in of %s: %d %s", user, r.rc, r.error ? r.error : "");
	memcpy(token_r, r.token, RANDOM_TOKEN_SIZE);
	return r.s;
}

static int resume(const char *token, int64_t now, struct web_session *s_r)
{
	struct web_session s;
	char *error = NULL;
	int rc = ops_session_resume(fx.store, fx.config, token, now, s_r ? s_r : &s, &error);
	free(error);
	return rc;
}

struct audit_seen {
	struct strlist rows; /* "user action object details" */
};

static int audit_row(const struct audit_row *r, void *p)
{
	char *line = xasprintf("%s %s %s %s", r->user, r->action, r->object ? r->object : "",
	                       r->details ? r->details : "");
	strlist_add(&((struct audit_seen *)p)->rows, line);
	free(line);
	return 0;
}

/* How many audit entries contain every one of the words (a NULL-ended list). */
static int audited(const char *first, ...)
{
	struct audit_seen seen = {0};
	assert_int_equal(store_audit_list(fx.store, 0, NULL, audit_row, &seen), 0);
	int n = 0;
	for (size_t i = 0; i < seen.rows.count; i++) {
		int all = 1;
		va_list ap;
		va_start(ap, first);
		for (const char *w = first; w != NULL && all; w = va_arg(ap, const char *))
			all = strstr(seen.rows.items[i], w) != NULL;
		va_end(ap);
		n += all;
	}
	strlist_free(&seen.rows);
	return n;
}

/* The count a one-number query gives, with ?1 bound to text (when not NULL). */
static int64_t sql_count(const char *sql, const char *text)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_open(fx.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (text != NULL)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* 1 when a text column of the sign-in's tables or the audit trail holds text. */
static int stored_anywhere(const char *text)
{
	static const char *const queries[] = {
		"SELECT count(*) FROM web_accounts WHERE instr(user || coalesce(password_hash, '') || "
		"coalesce(totp_secret, ''), ?1)",
		"SELECT count(*) FROM web_sessions WHERE instr(token_hash || csrf || user || "
		"coalesce(peer, '') || coalesce(user_agent, '') || coalesce(enrol_secret, '') || "
		"coalesce(revoked_by, ''), ?1)",
		"SELECT count(*) FROM audit WHERE instr(user || action || coalesce(object, '') || "
		"coalesce(details, ''), ?1)",
		"SELECT count(*) FROM web_signin_failures WHERE instr(coalesce(user, '') || "
		"coalesce(peer, ''), ?1)",
	};
	int64_t n = 0;
	for (size_t i = 0; i < sizeof(queries) / sizeof(*queries); i++)
		n += sql_count(queries[i], text);
	return n > 0;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- passwords ------------------------------------------------------------------------- */

static void test_password_set(void **state)
{
	struct actor admin = as("admin"), reyes = as("reyes");
	char *error = NULL;
	assert_int_equal(said(ops_password_set(fx.store, &admin, "reyes", GOOD, &error), &error, NULL),
	                 OPS_OK);
	/* anyone their own, nobody another's but admins */
	assert_int_equal(said(ops_password_set(fx.store, &reyes, "reyes", "my own passphrase",
	                                       &error), &error, NULL), OPS_OK);
	assert_int_equal(said(ops_password_set(fx.store, &reyes, "walsh", GOOD, &error), &error,
	                      "refused: only admins"), OPS_REFUSED);
	assert_int_equal(said(ops_password_set(fx.store, &admin, "mallory", GOOD, &error), &error,
	                      "not a [user]"), OPS_INVALID);
	/* 12 to 1024 bytes */
	assert_int_equal(said(ops_password_set(fx.store, &admin, "walsh", "elevenchars", &error),
	                      &error, "12 to 1024 bytes"), OPS_INVALID);
	char long_one[1026];
	memset(long_one, 'x', 1025);
	long_one[1025] = '\0';
	assert_int_equal(said(ops_password_set(fx.store, &admin, "walsh", long_one, &error), &error,
	                      "(this one is 1025)"), OPS_INVALID);
	long_one[1024] = '\0';
	assert_int_equal(said(ops_password_set(fx.store, &admin, "walsh", long_one, &error), &error,
	                      NULL), OPS_OK);
	assert_int_equal(said(ops_password_set(fx.store, &admin, "walsh", "twelve chars", &error),
	                      &error, NULL), OPS_OK);
	struct web_account a;
	assert_int_equal(store_web_account_get(fx.store, "reyes", &a), 1);
	assert_true(strncmp(a.password_hash, "$argon2id$", 10) == 0);
	assert_false(stored_anywhere("my own passphrase"));
	assert_false(stored_anywhere("twelve chars"));
	/* audited, by whom, for whom; the refused and invalid ones not */
	assert_int_equal(audited("admin passwd reyes", NULL), 1);
	assert_int_equal(audited("reyes passwd reyes", NULL), 1);
	assert_int_equal(audited("passwd walsh", NULL), 2);
	/* the old password no longer works, the new one does */
	struct signin r = signin_at("reyes", GOOD, "192.0.2.1", T0);
	assert_int_equal(said(r.rc, &r.error, "wrong user name or password"), OPS_REFUSED);
	r = signin_at("reyes", "my own passphrase", "192.0.2.1", T0);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
}

static void test_password_ends_sessions(void **state)
{
	set_password("reyes", GOOD);
	char token[RANDOM_TOKEN_SIZE];
	signed_in("reyes", T0, token);
	assert_int_equal(resume(token, T0 + 1, NULL), OPS_OK);
	set_password("reyes", "another passphrase");
	assert_int_equal(resume(token, T0 + 2, NULL), OPS_NOT_FOUND);
	assert_int_equal(audited("admin passwd reyes 1 web session ended", NULL), 1);
}

/* --- signing in ------------------------------------------------------------------------ */

static void test_signin(void **state)
{
	set_password("reyes", GOOD);
	struct signin r = signin_at("reyes", GOOD, "192.0.2.1", T0);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(r.need, SIGNIN_DONE);
	assert_true(r.s.stage_full);
	assert_string_equal(r.s.user, "reyes");
	assert_int_equal(strlen(r.token), RANDOM_TOKEN_SIZE - 1);
	assert_int_equal(strlen(r.s.csrf), RANDOM_TOKEN_SIZE - 1);
	assert_string_not_equal(r.token, r.s.csrf);
	assert_int_equal(r.s.expires_at, T0 + fx.config->web.session_max);
	/* the store keeps the token's SHA-256, never the token */
	char hash[SHA256_HEX_SIZE];
	sha256_hex(r.token, strlen(r.token), hash);
	assert_true(stored_anywhere(hash));
	assert_false(stored_anywhere(r.token));
	struct web_session s;
	assert_int_equal(resume(r.token, T0 + 5, &s), OPS_OK);
	assert_int_equal(s.id, r.s.id);
	assert_string_equal(s.csrf, r.s.csrf);
	assert_int_equal(resume("not a token", T0 + 5, NULL), OPS_NOT_FOUND);
	/* each sign-in is a new session with a new token */
	struct signin again = signin_at("reyes", GOOD, "192.0.2.1", T0 + 6);
	assert_int_equal(said(again.rc, &again.error, NULL), OPS_OK);
	assert_true(again.s.id != r.s.id);
	assert_string_not_equal(again.token, r.token);
	assert_string_not_equal(again.s.csrf, r.s.csrf);
	assert_int_equal(audited("reyes signin session", "from 192.0.2.1", NULL), 2);

	struct signin wrong = signin_at("reyes", "not my passphrase", "192.0.2.9", T0 + 7);
	assert_int_equal(said(wrong.rc, &wrong.error, "wrong user name or password"), OPS_REFUSED);
	assert_string_equal(wrong.token, "");
	assert_int_equal(wrong.s.id, 0);
	assert_int_equal(wrong.retry, 0);
	assert_int_equal(audited("reyes signin-failed reyes from 192.0.2.9: wrong password", NULL), 1);
	assert_false(stored_anywhere("not my passphrase"));
	struct signin empty = signin_at("reyes", "", "192.0.2.9", T0 + 8);
	assert_int_equal(said(empty.rc, &empty.error, "give a user name and a password"), OPS_INVALID);
}

static void test_unknown_user_alike(void **state)
{
	set_password("reyes", GOOD);
	double start = seconds();
	struct signin wrong = signin_at("reyes", "not my passphrase", "192.0.2.9", T0);
	double known = seconds() - start;
	start = seconds();
	struct signin nobody = signin_at("mallory", "not my passphrase", "192.0.2.9", T0);
	double unknown = seconds() - start;
	/* walsh is a user with no password yet */
	struct signin unset = signin_at("walsh", "not my passphrase", "192.0.2.9", T0);
	assert_int_equal(wrong.rc, OPS_REFUSED);
	assert_int_equal(nobody.rc, OPS_REFUSED);
	assert_int_equal(unset.rc, OPS_REFUSED);
	/* the same words, and the same work: an Argon2id check either way (a lookup alone
	 * would take microseconds, the check tens of milliseconds) */
	assert_string_equal(nobody.error, wrong.error);
	assert_string_equal(unset.error, wrong.error);
	assert_true(unknown > known / 3);
	free(wrong.error);
	free(nobody.error);
	free(unset.error);
	/* the audit trail tells the admins which it was */
	assert_int_equal(audited("mallory signin-failed mallory", "no such user", NULL), 1);
	assert_int_equal(audited("walsh signin-failed walsh", "no password set", NULL), 1);
	/* what a stranger types is cut and cleaned before it is kept */
	struct signin junk = signin_at("evil\n\x1b[31mname", "x", "192.0.2.9\r\n", T0);
	assert_int_equal(said(junk.rc, &junk.error, "wrong user name or password"), OPS_REFUSED);
	assert_int_equal(audited("evil??[31mname signin-failed", "from 192.0.2.9??:", NULL), 1);
}

/* --- throttling ------------------------------------------------------------------------ */

static void test_throttle_by_name(void **state)
{
	set_password("reyes", GOOD);
	/* five failures from five addresses: the fifth begins a wait of a minute */
	char peer[32];
	for (int i = 0; i < 5; i++) {
		snprintf(peer, sizeof(peer), "198.51.100.%d", i + 1);
		struct signin r = signin_at("reyes", "wrong guess", peer, T0 + i);
		assert_int_equal(said(r.rc, &r.error, "wrong user name or password"), OPS_REFUSED);
		assert_int_equal(r.retry, i < 4 ? 0 : 60);
	}
	/* meanwhile even the right password is refused, unchecked, from anywhere */
	struct signin r = signin_at("reyes", GOOD, "203.0.113.7", T0 + 30);
	assert_int_equal(said(r.rc, &r.error, "too many failed sign-ins; try again in 34 seconds"),
	                 OPS_REFUSED);
	assert_int_equal(r.retry, 34);
	assert_string_equal(r.token, "");
	assert_int_equal(audited("reyes signin-refused reyes from 203.0.113.7", NULL), 1);
	/* other names are not held up */
	set_password("walsh", GOOD);
	r = signin_at("walsh", GOOD, "203.0.113.7", T0 + 31);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	/* after the minute: a sixth failure doubles the wait to two minutes */
	r = signin_at("reyes", "wrong guess", "198.51.100.6", T0 + 64);
	assert_int_equal(said(r.rc, &r.error, "wrong user name or password"), OPS_REFUSED);
	assert_int_equal(r.retry, 120);
	r = signin_at("reyes", GOOD, "203.0.113.7", T0 + 64 + 119);
	assert_int_equal(said(r.rc, &r.error, "try again in 1 second"), OPS_REFUSED);
	r = signin_at("reyes", "wrong guess", "198.51.100.7", T0 + 64 + 120);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_REFUSED);
	assert_int_equal(r.retry, 240);
	r = signin_at("reyes", GOOD, "203.0.113.7", T0 + 184 + 239);
	assert_int_equal(said(r.rc, &r.error, "try again in 1 second"), OPS_REFUSED);
	/* the wait over, the right password works, and the name's failures are forgotten */
	r = signin_at("reyes", GOOD, "203.0.113.7", T0 + 184 + 240);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	r = signin_at("reyes", "wrong guess", "198.51.100.8", T0 + 500);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_REFUSED);
	assert_int_equal(r.retry, 0);
	/* and refused attempts were never counted as failures */
	assert_int_equal(audited("reyes signin-failed", NULL), 8);
	assert_int_equal(audited("reyes signin-refused", NULL), 3);
}

static void test_throttle_by_address(void **state)
{
	set_password("reyes", GOOD);
	/* one address trying five names (users or not) */
	static const char *const names[] = {"admin", "root", "walsh", "coordinator", "guest"};
	for (int i = 0; i < 5; i++) {
		struct signin r = signin_at(names[i], "Password1234", "198.51.100.66", T0 + i);
		assert_int_equal(said(r.rc, &r.error, "wrong user name or password"), OPS_REFUSED);
	}
	/* that address waits, whatever name it gives */
	struct signin r = signin_at("reyes", GOOD, "198.51.100.66", T0 + 10);
	assert_int_equal(said(r.rc, &r.error, "too many failed sign-ins"), OPS_REFUSED);
	assert_int_equal(r.retry, 54);
	/* reyes from her own address does not */
	r = signin_at("reyes", GOOD, "192.0.2.1", T0 + 11);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	/* and the address's failures outlive reyes's sign-in from elsewhere */
	r = signin_at("walsh", GOOD, "198.51.100.66", T0 + 12);
	assert_int_equal(said(r.rc, &r.error, "too many failed sign-ins"), OPS_REFUSED);
	/* failures older than 15 minutes no longer count */
	r = signin_at("reyes", GOOD, "198.51.100.66", T0 + 4 + 15 * 60);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
}

/* --- the code stage -------------------------------------------------------------------- */

static void enrol_reyes(void)
{
	set_password("reyes", GOOD);
	assert_int_equal(store_web_totp_set(fx.store, "reyes", RFC_SECRET, T0 - 1000), 0);
}

static int code_at(const char *token, const char *code, int64_t now,
                   char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r, const char *want)
{
	int retry = 0;
	char *error = NULL;
	int rc = ops_signin_code(fx.store, fx.config, token, code, now, token_r, s_r, &retry, &error);
	return said(rc, &error, want);
}

static void test_code_stage(void **state)
{
	enrol_reyes();
	struct signin r = signin_at("reyes", GOOD, "192.0.2.1", T0);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(r.need, SIGNIN_NEED_CODE);
	assert_false(r.s.stage_full);
	/* half signed in: for 5 minutes */
	assert_int_equal(r.s.expires_at, T0 + 300);
	struct web_session s;
	assert_int_equal(resume(r.token, T0 + 1, &s), OPS_OK);
	assert_false(s.stage_full);

	char next[RANDOM_TOKEN_SIZE], code[TOTP_CODE_SIZE];
	assert_int_equal(code_at(r.token, "000000", T0 + 2, next, &s, "wrong code"), OPS_REFUSED);
	assert_string_equal(next, "");
	assert_int_equal(code_at(r.token, "12345", T0 + 2, next, &s, "wrong code"), OPS_REFUSED);
	assert_int_equal(totp_code(RFC_SECRET, T0 + 3, code), 0);
	assert_int_equal(code_at(r.token, code, T0 + 3, next, &s, NULL), OPS_OK);
	/* a new session: new number, token and CSRF token, at stage full, for session_max
	 * from the password */
	assert_true(s.stage_full);
	assert_true(s.id != r.s.id);
	assert_string_not_equal(next, r.token);
	assert_string_not_equal(s.csrf, r.s.csrf);
	assert_int_equal(s.expires_at, T0 + fx.config->web.session_max);
	assert_int_equal(resume(r.token, T0 + 4, NULL), OPS_NOT_FOUND);
	assert_int_equal(resume(next, T0 + 4, &s), OPS_OK);
	assert_true(s.stage_full);
	/* a signed-in session has no code to give */
	char other[RANDOM_TOKEN_SIZE];
	assert_int_equal(code_at(next, code, T0 + 5, other, &s, "signed in already"), OPS_INVALID);
	assert_int_equal(audited("reyes signin-code session", "in place of session", NULL), 1);
	assert_int_equal(audited("reyes signin-failed reyes", "wrong code", NULL), 2);

	/* the same code again, in the same step, in a new sign-in: refused (replay) */
	r = signin_at("reyes", GOOD, "192.0.2.1", T0 + 6);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(code_at(r.token, code, T0 + 6, next, &s, "used already"), OPS_REFUSED);
	/* the previous step's code, still in the window, is older still: refused */
	char before[TOTP_CODE_SIZE];
	assert_int_equal(totp_code(RFC_SECRET, T0 + 3 - TOTP_STEP, before), 0);
	assert_int_equal(code_at(r.token, before, T0 + 6, next, &s, "used already"), OPS_REFUSED);
	/* the next step's code works */
	assert_int_equal(totp_code(RFC_SECRET, T0 + 3 + TOTP_STEP, code), 0);
	assert_int_equal(code_at(r.token, code, T0 + 3 + TOTP_STEP, next, &s, NULL), OPS_OK);
	assert_int_equal(audited("reyes signin-failed reyes", "code used already", NULL), 2);
}

static void test_code_stage_limits(void **state)
{
	enrol_reyes();
	/* a half-signed-in session lasts 5 minutes */
	struct signin r = signin_at("reyes", GOOD, "192.0.2.1", T0);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	char next[RANDOM_TOKEN_SIZE], code[TOTP_CODE_SIZE];
	struct web_session s;
	assert_int_equal(totp_code(RFC_SECRET, T0 + 300, code), 0);
	assert_int_equal(code_at(r.token, code, T0 + 300, next, &s, "sign in again"), OPS_NOT_FOUND);
	/* wrong codes are failures: five of them and the name waits, code or password */
	r = signin_at("reyes", GOOD, "192.0.2.1", T0 + 400);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	for (int i = 0; i < 5; i++)
		assert_int_equal(code_at(r.token, "999999", T0 + 401 + i, next, &s, "wrong code"),
		                 OPS_REFUSED);
	assert_int_equal(totp_code(RFC_SECRET, T0 + 410, code), 0);
	assert_int_equal(code_at(r.token, code, T0 + 410, next, &s, "too many failed sign-ins"),
	                 OPS_REFUSED);
	struct signin again = signin_at("reyes", GOOD, "192.0.2.1", T0 + 411);
	assert_int_equal(said(again.rc, &again.error, "too many failed sign-ins"), OPS_REFUSED);
	/* a minute after the fifth, the code is taken */
	assert_int_equal(totp_code(RFC_SECRET, T0 + 405 + 60, code), 0);
	assert_int_equal(code_at(r.token, code, T0 + 405 + 60, next, &s, NULL), OPS_OK);
}

/* --- enrolment ------------------------------------------------------------------------- */

static int enrol_begin(const char *token, int64_t now, char secret_r[TOTP_SECRET_SIZE],
                       const char *want)
{
	char *secret = NULL, *uri = NULL, *error = NULL;
	int rc = ops_mfa_enrol_begin(fx.store, fx.config, token, now, &secret, &uri, &error);
	if (rc == OPS_OK) {
		snprintf(secret_r, TOTP_SECRET_SIZE, "%s", secret);
		assert_true(strncmp(uri, "otpauth://totp/liaison:", 23) == 0);
		assert_non_null(strstr(uri, secret));
		free_secret(&secret);
		free_secret(&uri);
	} else {
		assert_null(secret);
		assert_null(uri);
	}
	return said(rc, &error, want);
}

static int enrol_confirm(const char *token, const char *code, int64_t now,
                         char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r,
                         const char *want)
{
	int retry = 0;
	char *error = NULL;
	int rc = ops_mfa_enrol_confirm(fx.store, fx.config, token, code, now, token_r, s_r, &retry,
	                               &error);
	return said(rc, &error, want);
}

static void test_enrolment(void **state)
{
	fx.config->web.mfa_required = 1;
	set_password("coordinator", GOOD);
	set_password("reyes", GOOD);
	/* a liaison needs no second factor even so */
	struct signin r = signin_at("reyes", GOOD, "192.0.2.1", T0);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(r.need, SIGNIN_DONE);
	/* the coordinator enrols before anything else */
	r = signin_at("coordinator", GOOD, "192.0.2.2", T0);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(r.need, SIGNIN_NEED_ENROL);
	assert_false(r.s.stage_full);
	char next[RANDOM_TOKEN_SIZE], code[TOTP_CODE_SIZE], secret[TOTP_SECRET_SIZE];
	struct web_session s;
	assert_int_equal(code_at(r.token, "123456", T0 + 1, next, &s, "no TOTP app enrolled"),
	                 OPS_INVALID);
	assert_int_equal(enrol_confirm(r.token, "123456", T0 + 1, next, &s, "begin one"), OPS_INVALID);
	assert_int_equal(enrol_begin(r.token, T0 + 2, secret, NULL), OPS_OK);
	assert_int_equal(strlen(secret), TOTP_SECRET_SIZE - 1);
	/* not the user's until a code from it comes back */
	struct web_account a;
	assert_int_equal(store_web_account_get(fx.store, "coordinator", &a), 1);
	assert_int_equal(a.totp_enrolled_at, 0);
	assert_int_equal(enrol_confirm(r.token, "000000", T0 + 3, next, &s, "wrong code"), OPS_REFUSED);
	assert_int_equal(store_web_account_get(fx.store, "coordinator", &a), 1);
	assert_int_equal(a.totp_enrolled_at, 0);
	assert_int_equal(totp_code(secret, T0 + 4, code), 0);
	assert_int_equal(enrol_confirm(r.token, code, T0 + 4, next, &s, NULL), OPS_OK);
	assert_true(s.stage_full);
	assert_string_not_equal(next, r.token);
	assert_int_equal(resume(r.token, T0 + 5, NULL), OPS_NOT_FOUND);
	assert_int_equal(resume(next, T0 + 5, NULL), OPS_OK);
	assert_int_equal(store_web_account_get(fx.store, "coordinator", &a), 1);
	assert_string_equal(a.totp_secret, secret);
	assert_int_equal(a.totp_enrolled_at, T0 + 4);
	assert_int_equal(audited("coordinator mfa-enrol-begin session", NULL), 1);
	assert_int_equal(audited("coordinator mfa-enrol session", NULL), 1);
	assert_int_equal(audited("signin-failed coordinator", "wrong enrolment code", NULL), 1);

	/* next time a code is asked for; the enrolling code itself is spent */
	r = signin_at("coordinator", GOOD, "192.0.2.2", T0 + 10);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(r.need, SIGNIN_NEED_CODE);
	assert_int_equal(code_at(r.token, code, T0 + 10, next, &s, "used already"), OPS_REFUSED);
	/* and the password alone cannot put another app in place of the enrolled one */
	assert_int_equal(enrol_begin(r.token, T0 + 11, secret, "refused: coordinator has a TOTP app "
	                             "enrolled already"), OPS_REFUSED);
	assert_int_equal(totp_code(a.totp_secret, T0 + 40, code), 0);
	char full[RANDOM_TOKEN_SIZE];
	assert_int_equal(code_at(r.token, code, T0 + 40, full, &s, NULL), OPS_OK);
	/* a signed-in session may enrol a new phone */
	char newer[TOTP_SECRET_SIZE];
	assert_int_equal(enrol_begin(full, T0 + 41, newer, NULL), OPS_OK);
	assert_string_not_equal(newer, a.totp_secret);
	assert_int_equal(totp_code(newer, T0 + 42, code), 0);
	assert_int_equal(enrol_confirm(full, code, T0 + 42, next, &s, NULL), OPS_OK);
	assert_int_equal(store_web_account_get(fx.store, "coordinator", &a), 1);
	assert_string_equal(a.totp_secret, newer);
	/* the secret waits on no session once enrolled */
	assert_int_equal(sql_count("SELECT count(*) FROM web_sessions WHERE enrol_secret IS NOT NULL",
	                           NULL), 0);
}

static void test_mfa_reset(void **state)
{
	enrol_reyes();
	struct actor admin = as("admin"), coordinator = as("coordinator");
	char token[RANDOM_TOKEN_SIZE], code[TOTP_CODE_SIZE];
	struct signin r = signin_at("reyes", GOOD, "192.0.2.1", T0);
	struct web_session s;
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(totp_code(RFC_SECRET, T0, code), 0);
	assert_int_equal(code_at(r.token, code, T0, token, &s, NULL), OPS_OK);
	char *error = NULL;
	assert_int_equal(said(ops_mfa_reset(fx.store, &coordinator, "reyes", &error), &error,
	                      "refused: only admins"), OPS_REFUSED);
	assert_int_equal(said(ops_mfa_reset(fx.store, &admin, "mallory", &error), &error,
	                      "not a [user]"), OPS_INVALID);
	assert_int_equal(said(ops_mfa_reset(fx.store, &admin, "reyes", &error), &error, NULL), OPS_OK);
	struct web_account a;
	assert_int_equal(store_web_account_get(fx.store, "reyes", &a), 1);
	assert_int_equal(a.totp_enrolled_at, 0);
	assert_string_equal(a.totp_secret, "");
	assert_int_equal(resume(token, T0 + 1, NULL), OPS_NOT_FOUND);
	assert_int_equal(said(ops_mfa_reset(fx.store, &admin, "reyes", &error), &error,
	                      "no TOTP app enrolled"), OPS_NOT_FOUND);
	assert_int_equal(audited("admin mfa-reset reyes 1 web session ended", NULL), 1);
	/* no code is asked any more */
	r = signin_at("reyes", GOOD, "192.0.2.1", T0 + 2);
	assert_int_equal(said(r.rc, &r.error, NULL), OPS_OK);
	assert_int_equal(r.need, SIGNIN_DONE);
}

/* --- resuming, expiry ------------------------------------------------------------------ */

static int64_t last_seen(int64_t id)
{
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT last_seen_at FROM web_sessions WHERE id = %lld",
	         (long long)id);
	return sql_count(sql, NULL);
}

static void test_resume_idle(void **state)
{
	set_password("reyes", GOOD);
	const int64_t idle = fx.config->web.session_idle;
	assert_int_equal(idle, 1800);
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s = signed_in("reyes", T0, token);
	/* the last request is written down at most once a minute */
	assert_int_equal(resume(token, T0 + 59, NULL), OPS_OK);
	assert_int_equal(last_seen(s.id), T0);
	assert_int_equal(resume(token, T0 + 60, NULL), OPS_OK);
	assert_int_equal(last_seen(s.id), T0 + 60);
	/* idle up to a second short of session_idle: still alive */
	assert_int_equal(resume(token, T0 + 60 + idle - 1, NULL), OPS_OK);
	assert_int_equal(last_seen(s.id), T0 + 60 + idle - 1);
	/* then session_idle without a request: over, ended and audited once */
	int64_t later = T0 + 60 + 2 * idle - 1;
	char *error = NULL;
	assert_int_equal(said(ops_session_resume(fx.store, fx.config, token, later, &s, &error), &error,
	                      "idle too long"), OPS_NOT_FOUND);
	assert_int_equal(s.id, 0);
	assert_int_equal(resume(token, later + 1, NULL), OPS_NOT_FOUND);
	/* an earlier instant does not bring it back */
	assert_int_equal(resume(token, T0 + 100, NULL), OPS_NOT_FOUND);
	assert_int_equal(audited("reyes session-expired session", "idle too long", NULL), 1);
}

/* session_idle = 1m: a session in use every few seconds stays (its last request is written
 * down at least four times per idle time), an idle one still ends. */
static void test_resume_idle_short(void **state)
{
	set_password("reyes", GOOD);
	fx.config->web.session_idle = 60;
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s = signed_in("reyes", T0, token);
	for (int64_t t = T0 + 4; t <= T0 + 300; t += 4)
		assert_int_equal(resume(token, t, NULL), OPS_OK);
	assert_true(last_seen(s.id) >= T0 + 300 - 15);
	assert_int_equal(resume(token, last_seen(s.id) + 59, NULL), OPS_OK);
	assert_int_equal(resume(token, last_seen(s.id) + 60, NULL), OPS_NOT_FOUND);
	assert_int_equal(audited("reyes session-expired session", "idle too long", NULL), 1);
}

static void test_resume_absolute(void **state)
{
	set_password("reyes", GOOD);
	const int64_t max = fx.config->web.session_max;
	assert_int_equal(max, 12 * 3600);
	char token[RANDOM_TOKEN_SIZE];
	signed_in("reyes", T0, token);
	/* busy all day: a request every 20 minutes */
	int64_t t;
	for (t = T0 + 1200; t < T0 + max; t += 1200)
		assert_int_equal(resume(token, t, NULL), OPS_OK);
	assert_int_equal(t, T0 + max);
	assert_int_equal(resume(token, T0 + max - 1, NULL), OPS_OK);
	char *error = NULL;
	struct web_session s;
	assert_int_equal(said(ops_session_resume(fx.store, fx.config, token, T0 + max, &s, &error),
	                      &error, "past its time"), OPS_NOT_FOUND);
	assert_int_equal(audited("reyes session-expired", "past its time", NULL), 1);
	/* a session_max made shorter holds for sessions open already */
	signed_in("reyes", T0 + 2 * max, token);
	fx.config->web.session_max = 3600;
	for (t = T0 + 2 * max + 1200; t < T0 + 2 * max + 3600; t += 1200)
		assert_int_equal(resume(token, t, NULL), OPS_OK);
	assert_int_equal(resume(token, T0 + 2 * max + 3599, NULL), OPS_OK);
	assert_int_equal(resume(token, T0 + 2 * max + 3600, NULL), OPS_NOT_FOUND);
	assert_int_equal(audited("reyes session-expired", "past its time", NULL), 2);
}

/* --- sign-out, listing, revoking, single sign-on -------------------------------------- */

struct listed {
	int n;
	char users[16][65];
	int64_t ids[16];
	int csrf_shown;
};

static int list_row(const struct web_session_row *row, void *p)
{
	struct listed *l = p;
	if (l->n < 16) {
		snprintf(l->users[l->n], 65, "%s", row->user);
		l->ids[l->n] = row->id;
	}
	l->n++;
	l->csrf_shown |= row->csrf != NULL || row->enrol_secret != NULL;
	return 0;
}

static int list(const char *who, const char *user, int64_t now, struct listed *l)
{
	struct actor a = as(who);
	memset(l, 0, sizeof(*l));
	char *error = NULL;
	int rc = ops_sessions_list(fx.store, &a, user, now, list_row, l, &error);
	return said(rc, &error, rc == OPS_REFUSED ? "refused" : NULL);
}

static void test_sessions(void **state)
{
	set_password("reyes", GOOD);
	set_password("walsh", GOOD);
	set_password("admin", GOOD);
	char rt1[RANDOM_TOKEN_SIZE], rt2[RANDOM_TOKEN_SIZE], wt[RANDOM_TOKEN_SIZE];
	char at[RANDOM_TOKEN_SIZE];
	struct web_session r1 = signed_in("reyes", T0, rt1);
	struct web_session r2 = signed_in("reyes", T0 + 1, rt2);
	struct web_session w = signed_in("walsh", T0 + 2, wt);
	struct web_session ad = signed_in("admin", T0 + 3, at);
	struct listed l;
	assert_int_equal(list("admin", NULL, T0 + 10, &l), OPS_OK);
	assert_int_equal(l.n, 4);
	assert_false(l.csrf_shown);
	assert_int_equal(l.ids[0], ad.id); /* newest first */
	assert_int_equal(list("admin", "reyes", T0 + 10, &l), OPS_OK);
	assert_int_equal(l.n, 2);
	/* a user sees their own, whatever they ask */
	assert_int_equal(list("reyes", NULL, T0 + 10, &l), OPS_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.users[0], "reyes");
	assert_string_equal(l.users[1], "reyes");
	assert_int_equal(list("reyes", "walsh", T0 + 10, &l), OPS_REFUSED);
	/* idle ones are not listed */
	assert_int_equal(list("admin", NULL, T0 + 2 + 1800, &l), OPS_OK);
	assert_int_equal(l.n, 1);

	struct actor reyes = as("reyes"), admin = as("admin");
	char *error = NULL;
	/* another's session is none of a user's business, nor its existence */
	assert_int_equal(said(ops_session_revoke(fx.store, &reyes, w.id, &error), &error,
	                      "no open session"), OPS_NOT_FOUND);
	assert_int_equal(resume(wt, T0 + 11, NULL), OPS_OK);
	assert_int_equal(said(ops_session_revoke(fx.store, &reyes, r1.id, &error), &error, NULL),
	                 OPS_OK);
	assert_int_equal(resume(rt1, T0 + 12, NULL), OPS_NOT_FOUND);
	assert_int_equal(resume(rt2, T0 + 12, NULL), OPS_OK);
	assert_int_equal(list("reyes", NULL, T0 + 12, &l), OPS_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.ids[0], r2.id);
	assert_int_equal(said(ops_session_revoke(fx.store, &admin, w.id, &error), &error, NULL), OPS_OK);
	assert_int_equal(resume(wt, T0 + 12, NULL), OPS_NOT_FOUND);
	assert_int_equal(said(ops_session_revoke(fx.store, &admin, w.id, &error), &error,
	                      "no open session"), OPS_NOT_FOUND);
	assert_int_equal(said(ops_session_revoke(fx.store, &admin, 9999, &error), &error,
	                      "no open session"), OPS_NOT_FOUND);
	int64_t count = -1;
	assert_int_equal(said(ops_sessions_revoke_user(fx.store, &reyes, "walsh", &count, &error),
	                      &error, "refused"), OPS_REFUSED);
	assert_int_equal(said(ops_sessions_revoke_user(fx.store, &admin, "reyes", &count, &error),
	                      &error, NULL), OPS_OK);
	assert_int_equal(count, 1);
	assert_int_equal(resume(rt2, T0 + 13, NULL), OPS_NOT_FOUND);

	/* signing out */
	assert_int_equal(said(ops_signout(fx.store, fx.config, at, T0 + 14, &error), &error, NULL),
	                 OPS_OK);
	assert_int_equal(resume(at, T0 + 15, NULL), OPS_NOT_FOUND);
	assert_int_equal(said(ops_signout(fx.store, fx.config, at, T0 + 16, &error), &error,
	                      "ended already"), OPS_NOT_FOUND);
	assert_int_equal(said(ops_signout(fx.store, fx.config, "no such token", T0 + 16, &error),
	                      &error, "not signed in"), OPS_NOT_FOUND);
	assert_int_equal(audited("reyes session-revoke session", "of reyes", NULL), 1);
	assert_int_equal(audited("admin session-revoke session", "of walsh", NULL), 1);
	assert_int_equal(audited("admin sessions-revoke reyes 1 session ended", NULL), 1);
	assert_int_equal(audited("admin signout session", NULL), 1);
	/* an ended session is not "expired" on top of it */
	assert_int_equal(audited("session-expired", NULL), 0);
}

static void test_trusted(void **state)
{
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s;
	char *error = NULL;
	/* no password needed, none set: the proxy vouches for the name */
	int rc = ops_signin_trusted(fx.store, fx.config, "walsh", "10.0.0.5", "Edge", T0, token, &s,
	                            &error);
	assert_int_equal(said(rc, &error, NULL), OPS_OK);
	assert_true(s.stage_full);
	assert_string_equal(s.user, "walsh");
	assert_int_equal(resume(token, T0 + 1, NULL), OPS_OK);
	assert_int_equal(audited("walsh signin-trusted session", "from 10.0.0.5", NULL), 1);
	rc = ops_signin_trusted(fx.store, fx.config, "mallory", "10.0.0.5", "Edge", T0, token, &s,
	                        &error);
	assert_int_equal(said(rc, &error, "not a user of liaison"), OPS_REFUSED);
	assert_string_equal(token, "");
	assert_int_equal(audited("mallory signin-failed mallory", "names no [user]", NULL), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_password_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_ends_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_user_alike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttle_by_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_stage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_stage_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enrolment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mfa_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_idle_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume_absolute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trusted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
