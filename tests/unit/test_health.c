/* Unit tests: the thresholds of ops_health.c at their edges, judged at a fixed instant with
 * the poller's status file written through poll_status_write: a stale file, a backoff of 15
 * minutes exactly and one second more, a folder never synced, one connecting too long, one
 * configured but not watched, one no longer configured, a store refusing writes, and a
 * database that is not there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <unistd.h>

#include "ops_health.h"
#include "test_helpers.h"

/* 2026-06-01 12:00 UTC: every time below is relative to it, never to today. */
#define NOW 1780315200

struct fixture {
	char *dir, *db, *config_path;
	struct config *config;
};
static struct fixture fx;

static const char config_text[] =
    "[liaison]\ndatabase = %s\ntimezone = America/New_York\n"
    "\n[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\nimap = imap://127.0.0.1:1\n"
    "username = k\nsent_folder = Sent\n"
    "\n[user admin]\nrole = admin\n";

static int setup_group(void **state)
{
	fx.dir = test_tmpdir();
	fx.db = xasprintf("%s/c.db", fx.dir);
	fx.config_path = xasprintf("%s/liaison.conf", fx.dir);
	char *conf = xasprintf(config_text, fx.db);
	int loaded = test_config_load(fx.config_path, conf, &fx.config);
	free(conf);
	if (loaded < 0)
		return -1;
	struct store *store = NULL;
	char *error = NULL;
	assert_int_equal(store_open(fx.db, STORE_OPEN_INIT, &store, &error), 0);
	store_close(&store);
	return 0;
}

static int teardown_group(void **state)
{
	config_free(&fx.config);
	free(fx.db);
	free(fx.config_path);
	free(fx.dir);
	return 0;
}

/* The status of a live poller (this process) written at NOW - age, with INBOX in state
 * since NOW - for_secs and Sent idle; extra, when not NULL, a third folder. */
static void write_status(int64_t age, enum folder_state state, int64_t for_secs,
                         int64_t last_sync, char *extra)
{
	struct folder_status folders[3] = {
		{.mailbox = "K", .folder = "INBOX", .state = state, .reason = "connect: refused",
		 .last_sync = last_sync, .state_since = NOW - for_secs, .retry_at = NOW + 60},
		{.mailbox = "K", .folder = "Sent", .state = FOLDER_IDLE, .last_sync = NOW - 5,
		 .state_since = NOW - 60},
		{.mailbox = "K", .folder = extra ? extra : "", .state = FOLDER_IDLE,
		 .last_sync = NOW - 5, .state_since = NOW - 60},
	};
	struct poll_status st = {.pid = getpid(), .started = NOW - 3600, .written = NOW - age,
	                         .folders = folders, .n_folders = extra ? 3 : 2};
	char *error = NULL;
	assert_int_equal(poll_status_write(fx.db, &st, &error), 0);
}

static const struct health_folder *folder(const struct health_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_folders; i++)
		if (strcmp(r->folders[i].folder, name) == 0)
			return &r->folders[i];
	fail_msg("no folder %s in the report", name);
	return NULL;
}

static int has_problem(const struct health_report *r, const char *text)
{
	for (size_t i = 0; i < r->problems.count; i++)
		if (strstr(r->problems.items[i], text) != NULL)
			return 1;
	return 0;
}

static void test_poller_fresh_or_stale(void **state)
{
	struct health_report r;
	write_status(2 * POLL_STATUS_PERIOD, FOLDER_IDLE, 60, NOW - 5, NULL);
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_true(r.poller_running); /* 2 x period old: still fresh */
	assert_int_equal(folder(&r, "INBOX")->level, HEALTH_OK);
	assert_false(has_problem(&r, "poller"));
	ops_health_clear(&r);
	write_status(2 * POLL_STATUS_PERIOD + 1, FOLDER_IDLE, 60, NOW - 5, NULL);
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_false(r.poller_running);
	assert_int_equal(r.level, HEALTH_CRITICAL);
	assert_true(has_problem(&r, "poller not running"));
	assert_true(has_problem(&r, "stuck"));
	ops_health_clear(&r);
}

static void test_backoff_edges(void **state)
{
	struct health_report r;
	write_status(1, FOLDER_BACKOFF, 15 * 60, NOW - 3600, NULL);
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_int_equal(folder(&r, "INBOX")->level, HEALTH_WARNING);
	assert_true(has_problem(&r, "K/INBOX backing off for 900s: connect: refused"));
	ops_health_clear(&r);
	write_status(1, FOLDER_BACKOFF, 15 * 60 + 1, NOW - 3600, NULL);
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_int_equal(folder(&r, "INBOX")->level, HEALTH_CRITICAL);
	assert_int_equal(r.level, HEALTH_CRITICAL);
	ops_health_clear(&r);
	write_status(1, FOLDER_BACKOFF, 10, 0, NULL); /* never synced: critical at once */
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_int_equal(folder(&r, "INBOX")->level, HEALTH_CRITICAL);
	assert_true(has_problem(&r, "never synced"));
	ops_health_clear(&r);
}

static void test_connecting_and_watching(void **state)
{
	struct health_report r;
	write_status(1, FOLDER_CONNECTING, 5 * 60, NOW - 600, NULL);
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_int_equal(folder(&r, "INBOX")->level, HEALTH_OK);
	ops_health_clear(&r);
	write_status(1, FOLDER_CONNECTING, 5 * 60 + 1, NOW - 600, "Old");
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_int_equal(folder(&r, "INBOX")->level, HEALTH_WARNING);
	/* a folder the configuration no longer names is shown, not judged */
	const struct health_folder *old = folder(&r, "Old");
	assert_true(old->reported);
	assert_false(old->configured);
	assert_int_equal(old->level, HEALTH_OK);
	ops_health_clear(&r);
	/* INBOX configured but missing from the running poller's file */
	struct folder_status sent = {.mailbox = "K", .folder = "Sent", .state = FOLDER_IDLE,
	                             .last_sync = NOW - 5, .state_since = NOW - 60};
	struct poll_status st = {.pid = getpid(), .started = NOW - 60, .written = NOW,
	                         .folders = &sent, .n_folders = 1};
	char *error = NULL;
	assert_int_equal(poll_status_write(fx.db, &st, &error), 0);
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_false(folder(&r, "INBOX")->reported);
	assert_int_equal(folder(&r, "INBOX")->level, HEALTH_WARNING);
	assert_true(has_problem(&r, "K/INBOX not watched"));
	ops_health_clear(&r);
}

static void test_store_failing(void **state)
{
	struct folder_status inbox = {.mailbox = "K", .folder = "INBOX", .state = FOLDER_IDLE,
	                              .last_sync = NOW - 5, .state_since = NOW - 60};
	struct poll_status st = {.pid = getpid(), .started = NOW - 60, .written = NOW,
	                         .store_failing = 1, .store_reason = "disk full",
	                         .folders = &inbox, .n_folders = 1};
	char *error = NULL;
	assert_int_equal(poll_status_write(fx.db, &st, &error), 0);
	struct health_report r;
	ops_health_check(fx.config, NULL, NOW, &r);
	assert_int_equal(r.level, HEALTH_CRITICAL);
	assert_true(has_problem(&r, "store failing: disk full"));
	/* critical findings come first */
	assert_non_null(strstr(r.problems.items[0], "store failing"));
	ops_health_clear(&r);
}

static void test_no_database(void **state)
{
	struct config copy = *fx.config;
	copy.database = xasprintf("%s/none.db", fx.dir);
	struct health_report r;
	ops_health_check(&copy, NULL, NOW, &r);
	assert_false(r.db_read);
	assert_false(r.db_busy);
	assert_int_equal(r.level, HEALTH_CRITICAL);
	assert_true(has_problem(&r, "database: "));
	assert_true(has_problem(&r, "poller not running (no status file"));
	ops_health_clear(&r);
	free(copy.database);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poller_fresh_or_stale),
		cmocka_unit_test(test_backoff_edges),
		cmocka_unit_test(test_connecting_and_watching),
		cmocka_unit_test(test_store_failing),
		cmocka_unit_test(test_no_database),
	};
	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
