/* Unit tests: util.c and hash.c — bounded buffers, string lists, SHA-256 vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hash.h"
#include "test_helpers.h"

static void test_buf_bounded(void **state)
{
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_addstr(&b, "12345"), 0);
	assert_int_equal(buf_addstr(&b, "6789"), -1); /* would pass the maximum: refused whole */
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "12345");
	assert_int_equal(buf_addf(&b, "%d", 678), 0);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(buf_add(&b, "x", 1), -1);
	size_t len;
	char *s = buf_steal(&b, &len);
	assert_int_equal(len, 8);
	assert_null(b.data);
	free(s);
	buf_init(&b, SIZE_MAX);
	assert_int_equal(buf_add(&b, "a\0b", 3), 0); /* binary-safe */
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 3);
	buf_free(&b);
}

static void test_strlist(void **state)
{
	struct strlist l = {0};
	strlist_add(&l, "a@b");
	strlist_add_unique(&l, "a@b");
	strlist_add_unique(&l, "C@d");
	for (int i = 0; i < 100; i++)
		strlist_add(&l, "x");
	assert_int_equal(l.count, 102);
	assert_true(strlist_contains(&l, "C@d"));
	assert_false(strlist_contains(&l, "c@d"));
	assert_true(strlist_contains_nocase(&l, "c@D"));
	strlist_free(&l);
	assert_int_equal(l.count, 0);
	assert_null(l.items);
}

static void test_strings(void **state)
{
	char s[] = "  \t Hello World \r\n";
	assert_string_equal(str_trim(s), "Hello World");
	char t[] = "MiXeD";
	assert_string_equal(str_lower(t), "mixed");
	assert_true(str_has_prefix_nocase("Owner-list", "owner-"));
	assert_true(str_has_suffix_nocase("list-REQUEST", "-request"));
	assert_false(str_has_suffix_nocase("st", "-request"));
	char *p = xstrndup("abcdef", 3);
	assert_string_equal(p, "abc");
	xfree(&p);
	assert_null(p);
	char when[32];
	time_format_utc(0, when, sizeof(when));
	assert_string_equal(when, "1970-01-01T00:00:00Z");
}

static void test_sha256(void **state)
{
	char hex[SHA256_HEX_SIZE];
	sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* The stream gives the same digest whatever the pieces. */
	struct sha256_stream *st = sha256_stream_new();
	sha256_stream_update(st, "a", 1);
	sha256_stream_update(st, "bc", 2);
	char streamed[SHA256_HEX_SIZE];
	sha256_stream_finish(&st, streamed);
	assert_null(st);
	assert_string_equal(streamed, hex);
}

static void test_file_read_all(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/f", dir);
	test_write_file(path, "0123456789");
	char *data = NULL, *error = NULL;
	size_t len = 0;
	assert_int_equal(file_read_all(path, 100, &data, &len, &error), 0);
	assert_int_equal(len, 10);
	assert_string_equal(data, "0123456789");
	free(data);
	assert_int_equal(file_read_all(path, 5, &data, &len, &error), -1);
	assert_non_null(strstr(error, "larger than the limit"));
	free(error);
	assert_int_equal(file_read_all(dir, 100, &data, &len, &error), -1);
	assert_non_null(strstr(error, "not a regular file"));
	free(error);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_bounded),
		cmocka_unit_test(test_strlist),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_file_read_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
