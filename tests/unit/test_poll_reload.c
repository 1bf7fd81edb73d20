/* test_poll_reload.c — SIGHUP's configuration: a bad file is refused whole with FILE:LINE,
 * and what only a restart applies is named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "poll_reload.h"
#include "test_helpers.h"

static const char base[] =
    "[liaison]\ndatabase = x.db\npoll_interval = 60s\n"
    "[mailbox K]\ntroop = K\naddress = k@ct.gov\nimap = imap://mail.example/\nusername = k\n"
    "folders = INBOX\n"
    "[mailbox L]\ntroop = L\naddress = l@ct.gov\n";

static struct config *load(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct config *config = NULL;
	assert_int_equal(test_config_load(path, text, &config), 0);
	free(path);
	return config;
}

static void test_nothing_to_restart(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct config *a = load(dir, "a.conf", base);
	struct config *b = load(dir, "b.conf", base);
	struct strlist what = {0};
	poll_reload_restart_needed(a, b, &what);
	assert_int_equal(what.count, 0);
	config_free(&a);
	config_free(&b);
	free(dir);
}

static void test_restart_named(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	struct config *a = load(dir, "a.conf", base);
	struct config *b = load(dir, "b.conf",
	    "[liaison]\ndatabase = x.db\npoll_interval = 30s\n"
	    "[mailbox K]\ntroop = K\naddress = k@ct.gov\nimap = imap://other.example/\n"
	    "username = k\nfolders = INBOX\n"
	    "[mailbox M]\ntroop = M\naddress = m@ct.gov\n");
	struct strlist what = {0};
	poll_reload_restart_needed(a, b, &what);
	char *all = strlist_join(&what, "|");
	assert_string_equal(all, "poll_interval|[mailbox K] imap, credentials, folders, mark_seen "
	                         "or move_to|[mailbox L] removed|[mailbox M] added");
	free(all);
	strlist_free(&what);
	config_free(&a);
	config_free(&b);
	free(dir);
}

/* A bad key: nothing handed back, the file and line named. */
static void test_bad_file_refused(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/bad.conf", dir);
	test_write_file(path, "[liaison]\ndatabase = x.db\ncolour = blue\n");
	struct config *config = NULL;
	struct route_rules *rules = NULL;
	char *errors = NULL;
	assert_int_equal(poll_reload_load(path, &config, &rules, &errors), -1);
	assert_null(config);
	assert_null(rules);
	char *where = xasprintf("%s:3:", path);
	assert_non_null(strstr(errors, where));
	free(where);
	free(errors);
	free(path);
	free(dir);
}

/* A good file whose routing rules do not compile: refused too. */
static void test_bad_rules_refused(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *routes = xasprintf("%s/routes.conf", dir);
	test_write_file(routes, "[rule broken]\npattern = (unclosed\n");
	char *path = xasprintf("%s/good.conf", dir);
	char *text = xasprintf("[liaison]\ndatabase = x.db\nroutes = %s\n", routes);
	test_write_file(path, text);
	struct config *config = NULL;
	struct route_rules *rules = NULL;
	char *errors = NULL;
	assert_int_equal(poll_reload_load(path, &config, &rules, &errors), -1);
	assert_null(config);
	char *where = xasprintf("%s:2:", routes);
	assert_non_null(strstr(errors, where));
	free(where);
	free(errors);
	free(text);
	free(path);
	free(routes);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_to_restart),
		cmocka_unit_test(test_restart_named),
		cmocka_unit_test(test_bad_file_refused),
		cmocka_unit_test(test_bad_rules_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
