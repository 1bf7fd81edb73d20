/* Unit tests: config.c — keys, defaults, and FILE:LINE errors for every bad line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "config.h"
#include "test_helpers.h"

static char *load_errors(const char *content, struct config **config_r)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/liaison.conf", dir);
	test_write_file(path, content);
	char *errors = NULL;
	struct config *config = NULL;
	int rc = config_load(path, &config, &errors);
	assert_true((rc == 0) == (errors == NULL));
	if (config_r)
		*config_r = config;
	else
		config_free(&config);
	free(path);
	free(dir);
	return errors;
}

static void test_good_config(void **state)
{
	struct config *c = NULL;
	char *errors = load_errors("[liaison]\ndatabase = x.db\n\n[mailbox K]\ntroop = k\n"
	                           "address = TroopKCTL@CT.gov\naliases = a@ct.gov, B@ct.gov\n"
	                           "folders = INBOX, Archive\nsent_folder = Sent Items\n", &c);
	assert_null(errors);
	assert_non_null(c);
	assert_int_equal(c->n_mailboxes, 1);
	const struct mailbox_config *m = config_find_mailbox(c, "K");
	assert_non_null(m);
	assert_int_equal(m->troop, 'K');
	assert_string_equal(m->address, "troopkctl@ct.gov");
	assert_int_equal(m->aliases.count, 2);
	assert_string_equal(m->aliases.items[0], "a@ct.gov");
	assert_string_equal(m->aliases.items[1], "b@ct.gov"); /* lower-cased */
	assert_true(mailbox_owns_address(m, "b@CT.GOV"));
	assert_true(mailbox_owns_address(m, "TROOPKCTL@ct.gov"));
	assert_false(mailbox_owns_address(m, "someone@ct.gov"));
	assert_int_equal(m->folders.count, 2);
	assert_string_equal(m->folders.items[0], "INBOX");
	assert_string_equal(m->folders.items[1], "Archive");
	assert_string_equal(m->sent_folder, "Sent Items");
	assert_string_equal(c->timezone, "America/New_York");
	assert_true(c->database[0] == '/'); /* relative paths are made absolute */
	assert_int_equal(c->limits.max_depth, 32);
	assert_string_equal(c->web.listen, "127.0.0.1:8025");
	assert_int_equal(c->web.session_idle, 30 * 60);
	assert_int_equal(c->web.session_max, 12 * 3600);
	assert_int_equal(c->web.mfa_required, 0);
	config_free(&c);
	assert_null(c);
	errors = load_errors("[liaison]\ndatabase = x.db\n[web]\nlisten = [::1]:9000\nmfa = required\n"
	                     "session_idle = 15m\nmax_body = 256k\n", &c);
	assert_null(errors);
	assert_string_equal(c->web.listen, "[::1]:9000");
	assert_int_equal(c->web.mfa_required, 1);
	assert_int_equal(c->web.session_idle, 15 * 60);
	assert_int_equal(c->web.max_body, 256 * 1024);
	config_free(&c);
}

static void test_poll_keys(void **state)
{
	struct config *c = NULL;
	char *errors = load_errors("[liaison]\ndatabase=x.db\nautoreply_window=2d\nbackfill_cutoff=90m\n"
	                           "poll_interval=30\nurgent_notify=Sgt@ct.gov\n[smtp]\n"
	                           "url=smtp://127.0.0.1:2525\ntls=none\ntimeout=10s\n"
	                           "[mailbox K]\ntroop=K\naddress=k@ct.gov\ntls=starttls\n"
	                           "mark_seen=yes\nmove_to=Filed\ndisplay_name=Troop K CTL\n", &c);
	assert_null(errors);
	assert_int_equal(c->autoreply_window, 2 * 86400);
	assert_int_equal(c->backfill_cutoff, 90 * 60);
	assert_int_equal(c->poll_interval, 30);
	assert_int_equal(c->backoff_max, 300);
	assert_string_equal(c->smtp.url, "smtp://127.0.0.1:2525");
	assert_int_equal(c->smtp.tls, CONFIG_TLS_NONE);
	assert_int_equal(c->smtp.timeout, 10);
	assert_int_equal(c->mailboxes[0].tls, CONFIG_TLS_STARTTLS);
	assert_true(c->mailboxes[0].mark_seen);
	assert_true(c->mailboxes[0].autoreply);
	assert_string_equal(c->mailboxes[0].move_to, "Filed");
	assert_string_equal(c->mailboxes[0].display_name, "Troop K CTL");
	assert_string_equal(c->urgent_notify, "Sgt@ct.gov");
	assert_null(c->mailboxes[0].urgent_notify); /* only the global one was set */
	assert_non_null(strstr(c->routes, "/routes.conf"));
	config_free(&c);
}

static void test_read_secret(void **state)
{
	char *dir = test_tmpdir();
	char *pw = xasprintf("%s/pw", dir);
	test_write_file(pw, "s3cret\nsecond line\n");
	char *error = NULL;
	char *secret = config_read_secret(pw, NULL, &error);
	assert_string_equal(secret, "s3cret");
	free_secret(&secret);
	assert_null(secret);
	secret = config_read_secret(NULL, "echo token-123", &error);
	assert_string_equal(secret, "token-123");
	free_secret(&secret);
	assert_null(config_read_secret(NULL, "false", &error));
	assert_non_null(strstr(error, "failed"));
	free(error);
	free(pw);
	free(dir);
}

static void test_default_folder(void **state)
{
	struct config *c = NULL;
	char *errors = load_errors("[liaison]\ndatabase=x.db\n[mailbox A]\ntroop=A\naddress=a@b.c\n", &c);
	assert_null(errors);
	assert_int_equal(c->mailboxes[0].folders.count, 1);
	assert_string_equal(c->mailboxes[0].folders.items[0], "INBOX");
	config_free(&c);
}

struct bad_case {
	const char *content;
	const char *expected; /* a substring of the errors */
};

static void test_bad_lines(void **state)
{
	static const struct bad_case cases[] = {
		{"[liaison]\ndatabase=x\ncolour=blue\n", "liaison.conf:3: unknown key 'colour'"},
		{"[liaison]\ndatabase=x\nmax_message_size=12Q\n", ":3: max_message_size"},
		{"[liaison]\ndatabase=x\nmax_mime_depth=0\n", ":3: max_mime_depth"},
		{"[liaison]\ndatabase=x\ntimezone=../etc/passwd\n", ":3: timezone"},
		{"[liaison]\ndatabase=x\n[mailbox K]\ntroop=KL\naddress=a@b.c\n", ":4: troop"},
		{"[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=nobody\n", ":5: address"},
		{"[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\n", ":3: [mailbox K] has no address"},
		{"[liaison]\ndatabase=x\n[mailbox K]\naddress=a@b.c\n", ":3: [mailbox K] has no troop"},
		{"[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=a@b.c\nimap=http://x\n", ":6: imap"},
		{"[liaison]\ndatabase=x\ngarbage line\n", ":3: not an INI line"},
		{"[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=a@b.c\n[mailbox L]\ntroop=L\naddress=A@b.c\n",
		 ":6: [mailbox L] has the address of [mailbox K]"},
		{"[liaison]\ndatabase=x\n[mailbox bad name!]\n", ":3: [mailbox bad name!]"},
		{"[liaison]\ndatabase=x\n[weird]\nk=v\n", ":3: unknown section [weird]"},
		{"database=x\n", ":1: 'database' outside of any section"},
		{"[mailbox K]\ntroop=K\naddress=a@b.c\n", ":1: no [liaison] section"},
		{"[liaison]\ntimezone=UTC\n", ":1: [liaison] has no database"},
		{"[liaison]\ndatabase=x\nautoreply_window=12h\n", ":3: autoreply_window"},
		{"[liaison]\ndatabase=x\nbackfill_cutoff=soon\n", ":3: backfill_cutoff"},
		{"[liaison]\ndatabase=x\n[smtp]\nurl=http://x\n", ":4: url"},
		{"[liaison]\ndatabase=x\n[smtp]\ntls=maybe\n", ":4: tls"},
		{"[liaison]\ndatabase=x\n[smtp]\nport=25\n", ":4: unknown key 'port' in [smtp]"},
		{"[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=a@b.c\nmark_seen=maybe\n", ":6: mark_seen"},
		{"[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=a@b.c\ntls=ssl\n", ":6: tls"},
		{"[liaison]\ndatabase=x\n[web]\nlisten=localhost:80\n", ":4: listen"},
		{"[liaison]\ndatabase=x\n[web]\nlisten=127.0.0.1:65536\n", ":4: listen"},
		{"[liaison]\ndatabase=x\n[web]\nlisten=[::1]8025\n", ":4: listen"},
		{"[liaison]\ndatabase=x\n[web]\nlisten=0.0.0.0:8025\n", ":1: [web] listen = 0.0.0.0:8025 is not a loopback"},
		{"[liaison]\ndatabase=x\n[web]\ntls_cert=c.pem\n", ":1: [web] needs both tls_cert and tls_key"},
		{"[liaison]\ndatabase=x\n[web]\nmfa=sometimes\n", ":4: mfa"},
		{"[liaison]\ndatabase=x\n[web]\ntrusted_header=X Remote\n", ":4: trusted_header"},
		{"[liaison]\ndatabase=x\n[web]\ntrusted_header=X-Remote-User\n", "trusted_header needs trusted_secret_file"},
		{"[liaison]\ndatabase=x\n[web]\nsession_idle=5s\n", ":4: session_idle"},
		{"[liaison]\ndatabase=x\n[web]\n[web]\n", ":4: [web] given twice"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *errors = load_errors(cases[i].content, NULL);
		if (errors == NULL || strstr(errors, cases[i].expected) == NULL)
			fail_msg("case %zu: expected '%s' in: %s", i, cases[i].expected,
			         errors ? errors : "(no errors)");
		free(errors);
	}
}

/* The liaisons' vocabulary: categories and the RMS number's format, checked at load. */
static void test_vocabulary_keys(void **state)
{
	struct config *c = NULL;
	char *errors = load_errors("[liaison]\ndatabase=x.db\ncategories = traffic, noise-complaint,"
	                           " Parking_2\nrms_pattern = CSP-[0-9]{4}-[0-9]{6}\n", &c);
	assert_null(errors);
	assert_int_equal(c->categories.count, 3);
	assert_string_equal(c->categories.items[1], "noise-complaint");
	assert_string_equal(c->rms_pattern, "CSP-[0-9]{4}-[0-9]{6}");
	config_free(&c);
	errors = load_errors("[liaison]\ndatabase=x.db\n", &c);
	assert_null(errors);
	assert_int_equal(c->categories.count, 0);
	assert_null(c->rms_pattern);
	config_free(&c);

	static const struct bad_case cases[] = {
		{"[liaison]\ndatabase=x\ncategories = traffic, <img src=x>\n",
		 "liaison.conf:3: categories: '<img' is not a category"},
		{"[liaison]\ndatabase=x\ncategories = a, b, a\n", ":3: categories: 'a' given twice"},
		{"[liaison]\ndatabase=x\ncategories = ,\n", ":3: categories: empty list"},
		{"[liaison]\ndatabase=x\n\nrms_pattern = CSP-[0-9\n",
		 "liaison.conf:4: rms_pattern: 'CSP-[0-9': the pattern does not compile at offset"},
		{"[liaison]\ndatabase=x\nrms_pattern =\n", ":3: rms_pattern: empty"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		errors = load_errors(cases[i].content, NULL);
		if (errors == NULL || strstr(errors, cases[i].expected) == NULL)
			fail_msg("case %zu: expected '%s' in: %s", i, cases[i].expected,
			         errors ? errors : "(no errors)");
		free(errors);
	}
	/* Every bad entry of one line is named, not only the first. */
	errors = load_errors("[liaison]\ndatabase=x\ncategories = ok, b@d, w/rong\n", NULL);
	assert_non_null(errors);
	assert_non_null(strstr(errors, "'b@d'"));
	assert_non_null(strstr(errors, "'w/rong'"));
	free(errors);
}

/* Composed messages rely on it: an address holds no control character. */
static void test_address_control(void **state)
{
	char *errors = load_errors("[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=a\x01@b.c\n", NULL);
	assert_non_null(errors);
	assert_non_null(strstr(errors, ":5: address"));
	free(errors);
	errors = load_errors("[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=a@b.c\x7f\n", NULL);
	assert_non_null(errors);
	assert_non_null(strstr(errors, ":5: address"));
	free(errors);
}

static void test_every_bad_line_reported(void **state)
{
	char *errors = load_errors("[liaison]\ndatabase=x\na=1\nb=2\nnot ini\nc=3\n", NULL);
	assert_non_null(strstr(errors, ":3: unknown key 'a'"));
	assert_non_null(strstr(errors, ":4: unknown key 'b'"));
	assert_non_null(strstr(errors, ":5: not an INI line"));
	assert_non_null(strstr(errors, ":6: unknown key 'c'"));
	free(errors);
}

static void test_password_file_mode(void **state)
{
	char *dir = test_tmpdir();
	char *pw = xasprintf("%s/pw", dir);
	test_write_file(pw, "secret\n");
	chmod(pw, 0640);
	char *conf = xasprintf("[liaison]\ndatabase=x\n[mailbox K]\ntroop=K\naddress=a@b.c\n"
	                       "password_file=%s\n", pw);
	char *errors = load_errors(conf, NULL);
	assert_non_null(errors);
	assert_non_null(strstr(errors, ":6: password_file"));
	assert_non_null(strstr(errors, "readable by group or others"));
	free(errors);
	chmod(pw, 0600);
	errors = load_errors(conf, NULL);
	assert_null(errors);
	free(conf);
	free(pw);
	free(dir);
}

static void test_missing_file(void **state)
{
	struct config *c = NULL;
	char *errors = NULL;
	assert_int_equal(config_load("/nonexistent/liaison.conf", &c, &errors), -1);
	assert_non_null(strstr(errors, "/nonexistent/liaison.conf: No such file"));
	free(errors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_config),
		cmocka_unit_test(test_default_folder),
		cmocka_unit_test(test_poll_keys),
		cmocka_unit_test(test_read_secret),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_vocabulary_keys),
		cmocka_unit_test(test_address_control),
		cmocka_unit_test(test_every_bad_line_reported),
		cmocka_unit_test(test_password_file_mode),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
