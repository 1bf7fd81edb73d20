/* Unit tests: store.c — schema versions, byte-for-byte storage, custody and duplicates;
 * store_web.c's accounts, sessions and failed sign-ins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "test_helpers.h"

static struct parsed_message *minimal_message(const char *id)
{
	struct parsed_message *m = xcalloc(1, sizeof(*m));
	m->message_id = xstrdup(id);
	m->subject = xstrdup("Subject with ünïcode");
	m->from.addr = xstrdup("a@b.c");
	m->text = xstrdup("body text");
	m->attachments = xcalloc(1, sizeof(*m->attachments));
	m->attachments[0].filename = xstrdup("flyer.pdf");
	m->attachments[0].content_type = xstrdup("application/pdf");
	m->attachments[0].size = 3;
	snprintf(m->attachments[0].sha256, SHA256_HEX_SIZE, "%064d", 0);
	m->n_attachments = 1;
	return m;
}

static void test_versions(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/s.db", dir);
	struct store *s = NULL;
	char *error = NULL;
	/* Commands other than init refuse a missing or empty database. */
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &error), -1);
	free(error);
	error = NULL;
	assert_int_equal(store_open(path, STORE_OPEN_INIT, &s, &error), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(&s);
	assert_null(s);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &error), 0);
	store_close(&s);
	/* init again is harmless (nothing to upgrade). */
	assert_int_equal(store_open(path, STORE_OPEN_INIT, &s, &error), 0);
	store_close(&s);

	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 42", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, STORE_OPEN_EXISTING, &s, &error), -1);
	assert_non_null(strstr(error, "newer than this liaison"));
	free(error);
	error = NULL;
	assert_int_equal(store_open(path, STORE_OPEN_INIT, &s, &error), -1);
	free(error);
	free(path);
	free(dir);
}

static void test_bytes_and_custody(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/s.db", dir);
	struct store *s = NULL;
	char *error = NULL;
	assert_int_equal(store_open(path, STORE_OPEN_INIT, &s, &error), 0);
	int64_t box;
	assert_int_equal(store_mailbox_ensure(s, "K", 'K', "k@ct.gov", &box), 0);

	/* Bytes with NULs, CR and 8-bit data come back exactly. */
	static const char raw[] = "Subject: x\r\n\r\nbody\0with NUL\xff\xfe\n";
	size_t len = sizeof(raw) - 1;
	char sha[SHA256_HEX_SIZE];
	sha256_hex(raw, len, sha);
	struct parsed_message *m = minimal_message("id@x");
	int64_t id, found;
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_message_find_sha(s, sha, &found), 0);
	assert_int_equal(store_message_add(s, raw, len, sha, m, 1, &id), 0);
	struct custody_new c = {.message_id = id, .mailbox_id = box, .folder = "INBOX",
	                        .source = "/m/1", .internal_date = 5, .arrived_at = 6};
	assert_int_equal(store_custody_add(s, &c), 0);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_message_find_sha(s, sha, &found), 1);
	assert_int_equal(found, id);
	assert_int_equal(store_custody_has_source(s, box, "INBOX", "/m/1"), 1);
	assert_int_equal(store_custody_has_source(s, box, "Sent", "/m/1"), 0);
	assert_int_equal(store_custody_has_message(s, box, "INBOX", id), 1);
	/* The same source twice in one folder is refused by the schema. */
	assert_int_equal(store_custody_add(s, &c), -1);

	char *back = NULL;
	size_t back_len = 0;
	char back_sha[SHA256_HEX_SIZE];
	assert_int_equal(store_raw_get(s, sha, &back, &back_len, back_sha), 1);
	assert_int_equal(back_len, len);
	assert_memory_equal(back, raw, len);
	assert_string_equal(back_sha, sha);
	free(back);
	assert_int_equal(store_raw_get(s, "<id@x>", &back, &back_len, back_sha), 1);
	assert_int_equal(back_len, len); /* by Message-ID: the same bytes */
	assert_memory_equal(back, raw, len);
	assert_string_equal(back_sha, sha);
	free(back);
	assert_int_equal(store_raw_get(s, "nothing@x", &back, &back_len, back_sha), 0);

	/* A second, different message with the same Message-ID makes that id ambiguous. */
	static const char raw2[] = "Subject: y\n\nother\n";
	char sha2[SHA256_HEX_SIZE];
	sha256_hex(raw2, sizeof(raw2) - 1, sha2);
	assert_int_equal(store_message_add(s, raw2, sizeof(raw2) - 1, sha2, m, 1, &id), 0);
	assert_int_equal(store_raw_get(s, "id@x", &back, &back_len, back_sha), -1);
	assert_non_null(strstr(store_error(s), "several different messages"));
	parsed_message_free(&m);
	store_close(&s);
	free(path);
	free(dir);
}

static int copy_user(const struct web_session_row *row, void *p)
{
	snprintf(p, 65, "%s", row->user);
	return 0;
}

/* store_web.c: "no record" apart from an error, the TOTP step taken only forward, sessions
 * by their token's hash, and failed sign-ins counted by name and by address apart. */
static void test_web(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/s.db", dir);
	struct store *s = NULL;
	char *error = NULL;
	assert_int_equal(store_open(path, STORE_OPEN_INIT, &s, &error), 0);
	struct web_account a;
	assert_int_equal(store_web_account_get(s, "reyes", &a), 0);
	assert_int_equal(store_web_password_set(s, "reyes", "$argon2id$x", 100), 0);
	assert_int_equal(store_web_account_get(s, "reyes", &a), 1);
	assert_string_equal(a.password_hash, "$argon2id$x");
	assert_string_equal(a.totp_secret, "");
	/* no enrolment: no step can be taken, and nothing to clear */
	assert_int_equal(store_web_totp_take_step(s, "reyes", 5), 0);
	assert_int_equal(store_web_totp_set(s, "reyes", NULL, 101), 0);
	assert_int_equal(store_web_totp_set(s, "reyes", "GEZDGNBV", 102), 0);
	assert_int_equal(store_web_totp_take_step(s, "reyes", 5), 1);
	assert_int_equal(store_web_totp_take_step(s, "reyes", 5), 0);
	assert_int_equal(store_web_totp_take_step(s, "reyes", 4), 0);
	assert_int_equal(store_web_totp_take_step(s, "reyes", 6), 1);
	assert_int_equal(store_web_account_get(s, "reyes", &a), 1);
	assert_int_equal(a.totp_last_step, 6);
	assert_int_equal(a.totp_enrolled_at, 102);
	assert_string_equal(a.password_hash, "$argon2id$x"); /* kept by the enrolment */
	assert_int_equal(store_web_totp_set(s, "reyes", NULL, 103), 1);
	assert_int_equal(store_web_account_get(s, "reyes", &a), 1);
	assert_int_equal(a.totp_enrolled_at, 0);

	struct web_session_row row = {.user = "reyes", .stage = "full", .csrf = "c",
	                              .created_at = 100, .last_seen_at = 100, .expires_at = 200};
	int64_t id = 0;
	assert_int_equal(store_web_session_add(s, "hash1", &row, &id), 0);
	/* a token hash is one session's */
	assert_int_equal(store_web_session_add(s, "hash1", &row, &id), -1);
	char user[65] = "";
	assert_int_equal(store_web_session_find(s, "hash1", copy_user, user), 1);
	assert_string_equal(user, "reyes");
	assert_int_equal(store_web_session_find(s, "hash2", copy_user, user), 0);
	assert_int_equal(store_web_session_revoke(s, id, "admin", 150), 1);
	assert_int_equal(store_web_session_revoke(s, id, "admin", 151), 0);
	assert_int_equal(store_web_session_revoke(s, id + 1, "admin", 151), 0);

	assert_int_equal(store_web_failure_add(s, 10, "reyes", "10.0.0.1"), 0);
	assert_int_equal(store_web_failure_add(s, 20, "reyes", "10.0.0.2"), 0);
	assert_int_equal(store_web_failure_add(s, 30, "walsh", "10.0.0.1"), 0);
	struct signin_failures f;
	assert_int_equal(store_web_failures(s, "reyes", "10.0.0.1", 0, &f), 0);
	assert_int_equal(f.user_count, 2);
	assert_int_equal(f.user_last, 20);
	assert_int_equal(f.peer_count, 2);
	assert_int_equal(f.peer_last, 30);
	assert_int_equal(store_web_failures(s, "reyes", NULL, 15, &f), 0);
	assert_int_equal(f.user_count, 1);
	assert_int_equal(f.peer_count, 0);
	assert_int_equal(store_web_failures_clear(s, "reyes"), 0);
	assert_int_equal(store_web_failures(s, "reyes", "10.0.0.1", 0, &f), 0);
	assert_int_equal(f.user_count, 0);
	assert_int_equal(f.peer_count, 1);
	store_close(&s);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_bytes_and_custody),
		cmocka_unit_test(test_web),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
