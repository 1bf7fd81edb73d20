/* Unit tests: audit.c's anchors (the line, the file, verifying against them) and
 * store_backup.c's copy, integrity check and counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "audit.h"
#include "store_backup.h"
#include <sys/stat.h>

#include "test_helpers.h"

#define T0 1765029600 /* 2025-12-06T14:00:00Z */

static const char HASH_A[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void test_line_round_trip(void **state)
{
	char *line = audit_anchor_line(T0, 42, HASH_A);
	assert_string_equal(line, "audit-anchor 2025-12-06T14:00:00Z entry 42 sha256 "
	                          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	/* a file: a comment, a blank line, CRLF line ends, no newline at the end */
	char *text = xasprintf("# kept on the records server\n\n%s\r\n%s", line, line);
	struct audit_anchor *a = NULL;
	size_t n = 0;
	char *error = NULL;
	assert_int_equal(audit_anchors_parse(text, &a, &n, &error), 0);
	assert_int_equal(n, 2);
	assert_int_equal(a[0].at, T0);
	assert_int_equal(a[0].id, 42);
	assert_string_equal(a[0].hash, HASH_A);
	assert_int_equal(a[0].line, 3);
	assert_int_equal(a[1].line, 4);
	free(a);
	free(text);
	free(line);
}

static void test_bad_lines(void **state)
{
	static const char *const bad[] = {
		"audit-anchor 2025-12-06T14:00:00Z entry 42 sha256 0123",           /* short */
		"audit-anchor 2025-12-06T14:00:00Z entry 42 sha256 0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
		"audit-anchor 2025-12-06T14:00:00Z entry 0 sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"audit-anchor 2025-12-06 entry 42 sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"audit-anchor 2025-12-06T14:00:00Z entry 42 sha256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef more",
		"entry 42",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *text = xasprintf("# first\n%s\n", bad[i]);
		struct audit_anchor *a = NULL;
		size_t n = 0;
		char *error = NULL;
		assert_int_equal(audit_anchors_parse(text, &a, &n, &error), -1);
		assert_non_null(strstr(error, "line 2 is not an anchor"));
		free(error);
		free(text);
	}
}

static void test_verify_anchored(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/a.db", dir);
	struct store *s = NULL;
	char *error = NULL;
	assert_int_equal(store_open(path, STORE_OPEN_INIT, &s, &error), 0);
	assert_int_equal(audit_append(s, "admin", "assign", "K-2026-00001", "to reyes", &error), 0);
	int64_t id1;
	char hash1[SHA256_HEX_SIZE];
	assert_int_equal(store_audit_head(s, &id1, hash1), 1);
	assert_int_equal(audit_append(s, "reyes", "note", "K-2026-00001", "", &error), 0);
	assert_int_equal(audit_append(s, "reyes", "close", "K-2026-00001", "", &error), 0);
	int64_t id3;
	char hash3[SHA256_HEX_SIZE];
	assert_int_equal(store_audit_head(s, &id3, hash3), 1);

	/* given newest first: the walk meets them in order all the same */
	struct audit_anchor anchors[2] = {{T0, id3, "", 2}, {T0, id1, "", 1}};
	snprintf(anchors[0].hash, sizeof(anchors[0].hash), "%s", hash3);
	snprintf(anchors[1].hash, sizeof(anchors[1].hash), "%s", hash1);
	struct audit_check check;
	assert_int_equal(audit_verify_anchored(s, anchors, 2, &check, &error), 0);
	assert_int_equal(check.broken_id, 0);
	assert_int_equal(check.anchors, 2);
	assert_int_equal(check.entries, 3);

	/* an anchored hash the entry does not have */
	anchors[1].hash[0] = anchors[1].hash[0] == '0' ? '1' : '0';
	assert_int_equal(audit_verify_anchored(s, anchors, 2, &check, &error), 0);
	assert_int_equal(check.broken_id, id1);
	assert_non_null(strstr(check.problem, "the trail was rewritten since"));
	assert_non_null(strstr(check.problem, "(line 1)"));
	free(check.problem);

	/* an anchor past the end of the trail */
	struct audit_anchor past = {T0, id3 + 5, "", 9};
	snprintf(past.hash, sizeof(past.hash), "%s", hash3);
	assert_int_equal(audit_verify_anchored(s, &past, 1, &check, &error), 0);
	assert_int_equal(check.broken_id, id3 + 5);
	assert_non_null(strstr(check.problem, "is no longer in the trail"));
	free(check.problem);

	/* plain verify counts no anchor */
	assert_int_equal(audit_verify(s, &check, &error), 0);
	assert_int_equal(check.broken_id, 0);
	assert_int_equal(check.anchors, 0);
	store_close(&s);
	free(path);
	free(dir);
}

static void test_backup_copy(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/live.db", dir), *copy = xasprintf("%s/copy.db", dir);
	struct store *s = NULL, *c = NULL;
	char *error = NULL;
	assert_int_equal(store_open(path, STORE_OPEN_INIT, &s, &error), 0);
	assert_int_equal(audit_append(s, "admin", "assign", "K-2026-00001", "to reyes", &error), 0);
	assert_int_equal(audit_append(s, "reyes", "note", "K-2026-00001", "", &error), 0);
	assert_int_equal(store_backup_copy(s, copy, &error), 0);
	/* written after the copy began: not in it */
	assert_int_equal(audit_append(s, "reyes", "close", "K-2026-00001", "", &error), 0);
	struct stat st;
	assert_int_equal(stat(copy, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* never over an existing file */
	assert_int_equal(store_backup_copy(s, copy, &error), -1);
	assert_non_null(strstr(error, "already exists"));
	free(error);
	error = NULL;

	assert_int_equal(store_open(copy, STORE_OPEN_EXISTING, &c, &error), 0);
	char *problems = NULL;
	assert_int_equal(store_integrity_check(c, &problems), 0);
	struct store_counts live, copied;
	assert_int_equal(store_counts_read(s, &live), 0);
	assert_int_equal(store_counts_read(c, &copied), 0);
	assert_int_equal(live.audit_entries, 3);
	assert_int_equal(copied.audit_entries, 2);
	assert_int_equal(copied.audit_head_id, 2);
	assert_int_equal(strlen(copied.audit_head_hash), 64);
	assert_string_not_equal(copied.audit_head_hash, live.audit_head_hash);
	struct audit_check check;
	assert_int_equal(audit_verify(c, &check, &error), 0);
	assert_int_equal(check.broken_id, 0);
	store_close(&c);
	store_close(&s);
	free(path);
	free(copy);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_round_trip),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_verify_anchored),
		cmocka_unit_test(test_backup_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
