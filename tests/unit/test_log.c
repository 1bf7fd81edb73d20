/* Unit tests: log.c — levels (the default, -v/-vv, the configuration's log_level and which
 * wins), the journal's priority prefix only when JOURNAL_STREAM names stderr itself, one
 * line per message whatever it holds, and the log_level key of config.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "test_helpers.h"

/* Runs what() with stderr sent to a fresh file, and returns what it wrote (caller frees). */
static char *captured(void (*what)(void))
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/stderr", dir);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	assert_non_null(freopen(path, "w", stderr));
	what();
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *text = xcalloc(1, 8192);
	size_t n = fread(text, 1, 8191, f);
	text[n] = '\0';
	fclose(f);
	free(path);
	free(dir);
	return text;
}

static void each_level(void)
{
	log_debug("mailbox K/INBOX: d");
	log_info("mailbox K/INBOX: i");
	log_warn("mailbox K/INBOX: w");
	log_error("mailbox K/INBOX: e");
}

static void start_quiet(void) { unsetenv("JOURNAL_STREAM"); log_start(0); each_level(); }
static void start_v(void) { unsetenv("JOURNAL_STREAM"); log_start(1); log_set_configured_level(LOG_LEVEL_ERROR); each_level(); }
static void start_vv(void) { unsetenv("JOURNAL_STREAM"); log_start(2); log_set_configured_level(LOG_LEVEL_WARN); each_level(); }
static void configured_warning(void) { unsetenv("JOURNAL_STREAM"); log_start(0); log_set_configured_level(LOG_LEVEL_WARN); each_level(); }
static void configured_debug(void) { unsetenv("JOURNAL_STREAM"); log_start(0); log_set_configured_level(LOG_LEVEL_DEBUG); each_level(); }

static void test_levels(void **state)
{
	char *t = captured(start_quiet); /* the default is info */
	assert_string_equal(t, "liaison: info: mailbox K/INBOX: i\nliaison: warning: mailbox K/INBOX: w\n"
	                       "liaison: error: mailbox K/INBOX: e\n");
	free(t);
	t = captured(configured_warning);
	assert_string_equal(t, "liaison: warning: mailbox K/INBOX: w\nliaison: error: mailbox K/INBOX: e\n");
	free(t);
	t = captured(configured_debug); /* the configuration may ask for more than the default */
	assert_non_null(strstr(t, "liaison: debug: mailbox K/INBOX: d\n"));
	free(t);
	t = captured(start_v); /* -v keeps info even when log_level = error */
	assert_null(strstr(t, "debug"));
	assert_non_null(strstr(t, "liaison: info: mailbox K/INBOX: i\n"));
	free(t);
	t = captured(start_vv); /* -vv: debug too */
	assert_non_null(strstr(t, "liaison: debug: mailbox K/INBOX: d\n"));
	free(t);
}

/* JOURNAL_STREAM as systemd sets it, naming the file stderr is now. */
static void journal_on_stderr(void)
{
	struct stat st;
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	char value[64];
	snprintf(value, sizeof(value), "%llu:%llu", (unsigned long long)st.st_dev,
	         (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", value, 1);
	log_start(0);
	log_set_configured_level(LOG_LEVEL_DEBUG);
	each_level();
	unsetenv("JOURNAL_STREAM");
}

/* The variable inherited by a process whose stderr was redirected elsewhere. */
static void journal_elsewhere(void)
{
	struct stat st;
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	char value[64];
	snprintf(value, sizeof(value), "%llu:%llu", (unsigned long long)st.st_dev,
	         (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", value, 1);
	log_start(0);
	log_warn("mailbox K/INBOX: w");
	unsetenv("JOURNAL_STREAM");
}

static void test_journal(void **state)
{
	char *t = captured(journal_on_stderr);
	assert_string_equal(t, "<7>debug: mailbox K/INBOX: d\n<6>info: mailbox K/INBOX: i\n"
	                       "<4>warning: mailbox K/INBOX: w\n<3>error: mailbox K/INBOX: e\n");
	free(t);
	t = captured(journal_elsewhere);
	assert_string_equal(t, "liaison: warning: mailbox K/INBOX: w\n");
	free(t);
}

static void hostile_values(void)
{
	unsetenv("JOURNAL_STREAM");
	log_start(0);
	/* a subject or a server's answer holding a line break cannot forge a line */
	log_warn("mailbox K/INBOX: %s", "bad\nliaison: error: forged\r\x1b[2J");
	char *big = xcalloc(1, 10000);
	memset(big, 'x', 9999);
	log_warn("thread K-2026-00001: %s", big);
	free(big);
}

static void test_one_line_each(void **state)
{
	char *t = captured(hostile_values);
	char *second = strchr(t, '\n') + 1;
	assert_memory_equal(t, "liaison: warning: mailbox K/INBOX: bad liaison: error: forged  [2J\n",
	                    (size_t)(second - t));
	assert_true(strncmp(second, "liaison: warning: thread K-2026-00001: xxx", 42) == 0);
	assert_int_equal(strchr(second, '\n')[1], '\0'); /* cut, and still one line */
	assert_true(strlen(second) < 2048);
	free(t);
}

static char *copy_path;

static void with_copy(void)
{
	unsetenv("JOURNAL_STREAM");
	setenv("LIAISON_LOG_COPY", copy_path, 1);
	log_start(0);
	unsetenv("LIAISON_LOG_COPY");
	log_debug("mailbox K/INBOX: d");
	log_warn("mailbox K/INBOX: w");
}

/* LIAISON_LOG_COPY (the suite's log check) gets every line, the hidden levels too. */
static void test_copy(void **state)
{
	char *dir = test_tmpdir();
	copy_path = xasprintf("%s/copy.log", dir);
	char *t = captured(with_copy);
	assert_string_equal(t, "liaison: warning: mailbox K/INBOX: w\n");
	free(t);
	FILE *f = fopen(copy_path, "r");
	assert_non_null(f);
	char text[256] = {0};
	assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	assert_string_equal(text, "liaison: debug: mailbox K/INBOX: d\nliaison: warning: mailbox K/INBOX: w\n");
	struct stat st;
	assert_int_equal(stat(copy_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(copy_path);
	free(dir);
}

static void test_level_names(void **state)
{
	enum log_level l = LOG_LEVEL_ERROR;
	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LOG_LEVEL_DEBUG);
	assert_int_equal(log_level_parse("warning", &l), 0);
	assert_int_equal(l, LOG_LEVEL_WARN);
	assert_int_equal(log_level_parse("warn", &l), -1);
	assert_int_equal(log_level_parse("INFO", &l), -1);
	assert_int_equal(l, LOG_LEVEL_WARN); /* untouched on error */
	assert_string_equal(log_level_name(LOG_LEVEL_ERROR), "error");
}

static void test_config_key(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/liaison.conf", dir);
	struct config *c = NULL;
	char *errors = NULL;
	test_write_file(path, "[liaison]\ndatabase = x.db\n");
	assert_int_equal(config_load(path, &c, &errors), 0);
	assert_int_equal(c->log_level, LOG_LEVEL_INFO);
	config_free(&c);
	test_write_file(path, "[liaison]\ndatabase = x.db\nlog_level = warning\n");
	assert_int_equal(config_load(path, &c, &errors), 0);
	assert_int_equal(c->log_level, LOG_LEVEL_WARN);
	config_free(&c);
	test_write_file(path, "[liaison]\ndatabase = x.db\nlog_level = loud\n");
	assert_int_equal(config_load(path, &c, &errors), -1);
	char *want = xasprintf("%s:3: log_level: 'loud' is not debug, info, warning or error\n", path);
	assert_string_equal(errors, want);
	free(want);
	free(errors);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_journal),
		cmocka_unit_test(test_one_line_each),
		cmocka_unit_test(test_level_names),
		cmocka_unit_test(test_config_key),
		cmocka_unit_test(test_copy), /* last: the copy stays open */
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
