/* Unit tests: ops_session_recent and ops_session_reauth (ops_account_session.c) — the
 * password asked again before a consequential action: recent within 5 minutes of the
 * password; a wrong password refused and counted as a failed sign-in (the old session goes
 * on); the right one replaces the session by one signed in now (new token and CSRF token,
 * the old token dead), audited; the throttle of sign-ins holds; a user enrolled in TOTP must
 * give the app's code too, and a refused code leaves no half-signed-in session behind.
 *
 * Every instant is explicit (T0 and offsets from it); each case has a fresh database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ops_account.h"
#include "test_helpers.h"
#include "totp.h"

/* 2026-11-27 15:00:00 UTC */
#define T0 1795791600
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define GOOD "a long enough passphrase"
#define PEER "192.0.2.7"

static const char config_text[] =
    "[liaison]\n"
    "database = %s\n"
    "\n[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\n"
    "\n[user admin]\nrole = admin\n"
    "\n[user records]\nrole = records\n";

static char *dir, *db;
static struct config *config;
static struct store *store;

static int setup(void **state)
{
	dir = test_tmpdir();
	db = xasprintf("%s/a.db", dir);
	char *path = xasprintf("%s/liaison.conf", dir);
	char *text = xasprintf(config_text, db);
	test_write_file(path, text);
	free(text);
	char *errors = NULL;
	int rc = config_load(path, &config, &errors);
	free(path);
	if (rc < 0) {
		fprintf(stderr, "%s", errors);
		return -1;
	}
	char *error = NULL;
	if (store_open(db, STORE_OPEN_INIT, &store, &error) < 0)
		return -1;
	struct actor admin;
	if (ops_actor(config, "admin", &admin, &error) != OPS_OK ||
	    ops_password_set(store, &admin, "records", GOOD, &error) != OPS_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	store_close(&store);
	config_free(&config);
	free(db);
	free(dir);
	return 0;
}

/* A signed-in session of records at now (its token into token_r). */
static struct web_session signed_in(int64_t now, char token_r[RANDOM_TOKEN_SIZE])
{
	struct web_session s;
	enum signin_need need;
	int retry = 0;
	char *error = NULL;
	int rc = ops_signin(store, config, "records", GOOD, PEER, "Firefox", now, token_r, &s, &need,
	                    &retry, &error);
	if (rc != OPS_OK)
		fail_msg("sign-in: %s", error ? error : "");
	assert_int_equal(need, SIGNIN_DONE);
	return s;
}

struct reauth {
	int rc, retry;
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s;
	char *error;
};

static struct reauth reauth_at(const char *token, const char *password, const char *code,
                               int64_t now)
{
	struct reauth r = {0};
	r.rc = ops_session_reauth(store, config, token, password, code, PEER, "Firefox", now,
	                          r.token, &r.s, &r.retry, &r.error);
	return r;
}

static int resume(const char *token, int64_t now, struct web_session *s_r)
{
	struct web_session s;
	char *error = NULL;
	int rc = ops_session_resume(store, config, token, now, s_r ? s_r : &s, &error);
	free(error);
	return rc;
}

static int audit_row(const struct audit_row *r, void *p)
{
	char *line = xasprintf("%s %s %s %s", r->user, r->action, r->object ? r->object : "",
	                       r->details ? r->details : "");
	strlist_add(p, line);
	free(line);
	return 0;
}

/* How many audit entries hold both words. */
static int audited(const char *a, const char *b)
{
	struct strlist rows = {0};
	assert_int_equal(store_audit_list(store, 0, NULL, audit_row, &rows), 0);
	int n = 0;
	for (size_t i = 0; i < rows.count; i++)
		n += strstr(rows.items[i], a) != NULL && (b == NULL || strstr(rows.items[i], b) != NULL);
	strlist_free(&rows);
	return n;
}

static void test_recent(void **state)
{
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s = signed_in(T0, token);
	assert_int_equal(s.signed_in_at, T0);
	assert_true(ops_session_recent(&s, T0));
	assert_true(ops_session_recent(&s, T0 + REAUTH_AFTER - 1));
	assert_false(ops_session_recent(&s, T0 + REAUTH_AFTER));
	/* resuming later keeps the sign-in's time: requests are no password */
	assert_int_equal(resume(token, T0 + 200, &s), OPS_OK);
	assert_int_equal(s.signed_in_at, T0);
	assert_false(ops_session_recent(&s, T0 + 6 * 60));
	/* a half-signed-in session is never recent */
	struct web_session half = s;
	half.stage_full = 0;
	assert_false(ops_session_recent(&half, T0 + 1));
}

static void test_wrong_then_right(void **state)
{
	char token[RANDOM_TOKEN_SIZE];
	struct web_session old = signed_in(T0, token);
	int64_t t = T0 + 6 * 60;

	struct reauth r = reauth_at(token, "not the password", NULL, t);
	assert_int_equal(r.rc, OPS_REFUSED);
	assert_non_null(strstr(r.error, "wrong user name or password"));
	assert_string_equal(r.token, "");
	free(r.error);
	assert_int_equal(audited("signin-failed records", "wrong password"), 1);
	assert_int_equal(resume(token, t + 1, NULL), OPS_OK); /* the session goes on */

	r = reauth_at(token, GOOD, NULL, t + 2);
	assert_int_equal(r.rc, OPS_OK);
	free(r.error);
	assert_string_not_equal(r.token, token);
	assert_true(r.s.id != old.id);
	assert_string_not_equal(r.s.csrf, old.csrf);
	assert_int_equal(r.s.signed_in_at, t + 2);
	assert_true(ops_session_recent(&r.s, t + 3));
	assert_int_equal(resume(token, t + 3, NULL), OPS_NOT_FOUND); /* the old token is dead */
	struct web_session now;
	assert_int_equal(resume(r.token, t + 3, &now), OPS_OK);
	assert_int_equal(now.id, r.s.id);
	char in_place[64];
	snprintf(in_place, sizeof(in_place), "in place of session %lld", (long long)old.id);
	assert_int_equal(audited("records reauth session", in_place), 1);
	/* the password is recorded nowhere */
	assert_int_equal(audited(GOOD, NULL), 0);
}

static void test_no_session(void **state)
{
	struct reauth r = reauth_at("no such token", GOOD, NULL, T0);
	assert_int_equal(r.rc, OPS_NOT_FOUND);
	free(r.error);
	r = reauth_at(NULL, GOOD, NULL, T0);
	assert_int_equal(r.rc, OPS_NOT_FOUND);
	free(r.error);
	char token[RANDOM_TOKEN_SIZE];
	signed_in(T0, token);
	r = reauth_at(token, "", NULL, T0 + 400);
	assert_int_equal(r.rc, OPS_INVALID);
	free(r.error);
}

static void test_throttled(void **state)
{
	char token[RANDOM_TOKEN_SIZE];
	signed_in(T0, token);
	int64_t t = T0 + 400;
	for (int i = 0; i < 5; i++) {
		struct reauth r = reauth_at(token, "guess", NULL, t + i);
		assert_int_equal(r.rc, OPS_REFUSED);
		free(r.error);
	}
	/* like sign-in: after 5 failures a wait, and the right password is not even checked */
	struct reauth r = reauth_at(token, GOOD, NULL, t + 6);
	assert_int_equal(r.rc, OPS_REFUSED);
	assert_non_null(strstr(r.error, "too many failed sign-ins"));
	assert_true(r.retry > 0);
	free(r.error);
	r = reauth_at(token, GOOD, NULL, t + 6 + 60);
	assert_int_equal(r.rc, OPS_OK);
	free(r.error);
}

static int count_session(const struct web_session_row *row, void *p)
{
	(*(int *)p)++;
	return 0;
}

static void test_totp(void **state)
{
	/* records enrolled in TOTP signs in with a code, and reauthenticates with one */
	assert_int_equal(store_web_totp_set(store, "records", RFC_SECRET, T0 - 1000), 0);
	char half[RANDOM_TOKEN_SIZE], token[RANDOM_TOKEN_SIZE], code[TOTP_CODE_SIZE];
	struct web_session s;
	enum signin_need need;
	int retry = 0;
	char *error = NULL;
	assert_int_equal(ops_signin(store, config, "records", GOOD, PEER, "Firefox", T0, half, &s,
	                            &need, &retry, &error), OPS_OK);
	assert_int_equal(need, SIGNIN_NEED_CODE);
	assert_int_equal(totp_code(RFC_SECRET, T0, code), 0);
	assert_int_equal(ops_signin_code(store, config, half, code, T0, token, &s, &retry, &error),
	                 OPS_OK);
	assert_int_equal(s.signed_in_at, T0);
	int64_t t = T0 + 10 * 60;

	/* the password alone is not enough: the code is refused, the half session ended */
	struct reauth r = reauth_at(token, GOOD, "", t);
	assert_int_equal(r.rc, OPS_REFUSED);
	assert_non_null(strstr(r.error, "wrong code"));
	free(r.error);
	assert_int_equal(audited("records reauth-failed", "the code was not taken"), 1);
	int live = 0;
	assert_int_equal(store_web_sessions_list(store, "records", t, config->web.session_idle,
	                                         count_session, &live), 0);
	assert_int_equal(live, 1); /* only the signed-in one */
	assert_int_equal(resume(token, t + 1, NULL), OPS_OK);

	assert_int_equal(totp_code(RFC_SECRET, t + 2, code), 0);
	r = reauth_at(token, GOOD, code, t + 2);
	assert_int_equal(r.rc, OPS_OK);
	free(r.error);
	assert_int_equal(r.s.signed_in_at, t + 2);
	assert_true(r.s.stage_full);
	assert_true(ops_session_recent(&r.s, t + 3));
	assert_int_equal(audited("records reauth", "password and code given again"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_recent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_then_right, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throttled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totp, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
