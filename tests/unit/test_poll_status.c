/* test_poll_status.c — the poller's status file: what is written is read back, padded to
 * whole pages (so a later state fits in place on a full disk), 0600; a file that cannot be
 * written is an error, not silence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "poll_status.h"
#include "test_helpers.h"

static struct folder_status folder(const char *mailbox, const char *name,
                                   enum folder_state state, const char *reason)
{
	struct folder_status f = {0};
	f.mailbox = (char *)mailbox;
	f.folder = (char *)name;
	f.state = state;
	f.reason = (char *)reason;
	f.last_sync = 1780000000;
	f.state_since = 1780000100;
	f.retry_at = state == FOLDER_BACKOFF ? 1780000160 : 0;
	f.reconnects = 3;
	f.waiting = 42;
	return f;
}

static void test_round_trip(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *db = xasprintf("%s/l.db", dir);
	struct folder_status folders[] = {
	    folder("K", "INBOX", FOLDER_BACKOFF, "disk full: commit: database or disk is full"),
	    folder("K", "Sent", FOLDER_IDLE, NULL),
	};
	struct poll_status st = {.pid = 1234, .started = 1779990000, .written = 1780000200,
	                         .store_failing = 1, .store_reason = "disk full: commit",
	                         .folders = folders, .n_folders = 2};
	char *error = NULL;
	assert_int_equal(poll_status_write(db, &st, &error), 0);

	struct poll_status got;
	assert_int_equal(poll_status_read(db, &got, &error), 1);
	assert_int_equal(got.pid, 1234);
	assert_int_equal(got.started, 1779990000);
	assert_int_equal(got.written, 1780000200);
	assert_int_equal(got.store_failing, 1);
	assert_string_equal(got.store_reason, "disk full: commit");
	assert_int_equal(got.n_folders, 2);
	assert_string_equal(got.folders[0].folder, "INBOX");
	assert_int_equal(got.folders[0].state, FOLDER_BACKOFF);
	assert_string_equal(got.folders[0].reason, "disk full: commit: database or disk is full");
	assert_int_equal(got.folders[0].retry_at, 1780000160);
	assert_int_equal(got.folders[0].reconnects, 3);
	assert_int_equal(got.folders[0].waiting, 42);
	assert_int_equal(got.folders[1].state, FOLDER_IDLE);
	assert_null(got.folders[1].reason);
	poll_status_clear(&got);

	/* Whole pages and one spare, private to the poller's user. */
	char *path = poll_status_path(db);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size % 4096, 0);
	assert_true(sb.st_size >= 8192);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(path);
	free(db);
	free(dir);
}

/* Many folders: the padding grows with the text, and it still reads back. */
static void test_many_folders(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *db = xasprintf("%s/l.db", dir);
	enum { N = 300 };
	struct folder_status *folders = xcalloc(N, sizeof(*folders));
	char *names[N];
	for (int i = 0; i < N; i++) {
		names[i] = xasprintf("Folder %d", i);
		folders[i] = folder("K", names[i], FOLDER_SYNCING, NULL);
	}
	struct poll_status st = {.pid = 1, .folders = folders, .n_folders = N};
	char *error = NULL;
	assert_int_equal(poll_status_write(db, &st, &error), 0);
	struct poll_status got;
	assert_int_equal(poll_status_read(db, &got, &error), 1);
	assert_int_equal(got.n_folders, N);
	assert_string_equal(got.folders[N - 1].folder, "Folder 299");
	assert_int_equal(got.store_failing, 0);
	assert_null(got.store_reason);
	poll_status_clear(&got);
	for (int i = 0; i < N; i++)
		free(names[i]);
	free(folders);
	free(db);
	free(dir);
}

/* The temporary file cannot be made (here a folder stands in its way): an error naming it,
 * and the old file untouched. */
static void test_unwritable(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *db = xasprintf("%s/l.db", dir);
	struct poll_status st = {.pid = 7};
	char *error = NULL;
	assert_int_equal(poll_status_write(db, &st, &error), 0);
	char *tmp = xasprintf("%s/l.db.poll-status.tmp", dir);
	assert_int_equal(mkdir(tmp, 0700), 0);
	st.pid = 8;
	assert_int_equal(poll_status_write(db, &st, &error), -1);
	assert_non_null(strstr(error, "poll-status.tmp"));
	free(error);
	struct poll_status got;
	assert_int_equal(poll_status_read(db, &got, &error), 1);
	assert_int_equal(got.pid, 7);
	poll_status_clear(&got);
	rmdir(tmp);
	free(tmp);
	free(db);
	free(dir);
}

static void test_no_file(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char *db = xasprintf("%s/none.db", dir);
	struct poll_status got;
	char *error = NULL;
	assert_int_equal(poll_status_read(db, &got, &error), 0);
	free(db);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_many_folders),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_no_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
