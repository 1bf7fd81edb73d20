/* Unit tests: template.c — rendering, languages, hostile values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "template.h"
#include "test_helpers.h"

static const struct template_var vars[] = {
	{"troop", "K"},
	{"ref", "K-2026-00042"},
	{"subject", "Hi\r\nBcc: victim@example.com\r\n\r\nFake text {{ref}}"},
};

static void test_shipped_templates(void **state)
{
	static const char *const names[] = {"autoreply", "autoreply-urgent"};
	static const char *const langs[] = {"en", "es", "both"};
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 3; j++) {
			char *text = NULL, *error = NULL;
			if (template_render("templates", names[i], langs[j], vars, 3, &text, &error) < 0)
				fail_msg("%s.%s: %s", names[i], langs[j], error);
			/* Every reply says 9-1-1, not available 24/7 (or its Spanish) and the reference. */
			assert_non_null(strstr(text, "9-1-1"));
			assert_non_null(strstr(text, "K-2026-00042"));
			assert_true(strstr(text, "not available 24/7") || strstr(text, "no están disponibles las 24 horas"));
			if (strcmp(langs[j], "both") == 0) {
				assert_non_null(strstr(text, "not available 24/7"));
				assert_non_null(strstr(text, "no están disponibles las 24 horas"));
			}
			/* The hostile subject stays on one line and is not expanded. */
			assert_null(strstr(text, "\nBcc:"));
			assert_non_null(strstr(text, "Hi Bcc: victim@example.com Fake text {{ref}}"));
			free(text);
		}
	}
}

static void test_errors(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/t.en.txt", dir);
	test_write_file(path, "Hello {{nobody}}\n");
	char *text = NULL, *error = NULL;
	assert_int_equal(template_render(dir, "t", "en", vars, 3, &text, &error), -1);
	assert_non_null(strstr(error, "unknown variable {{nobody}}"));
	free(error);
	test_write_file(path, "Hello {{troop\n");
	assert_int_equal(template_render(dir, "t", "en", vars, 3, &text, &error), -1);
	assert_non_null(strstr(error, "without '}}'"));
	free(error);
	assert_int_equal(template_render(dir, "missing", "en", vars, 3, &text, &error), -1);
	assert_non_null(strstr(error, "missing.en.txt"));
	free(error);
	free(path);
	free(dir);
}

static void test_clean_value(void **state)
{
	char *v = template_clean_value("  a\t\tb\n\nc  ");
	assert_string_equal(v, "a b c");
	free(v);
	/* Cut at 200 bytes, never inside a character: 150 two-byte characters keep exactly 100
	 * (200 bytes); after a one-byte "a" only 99 fit (199 bytes), as the 100th would end at
	 * byte 201. */
	char longv[600], want[600];
	longv[0] = '\0';
	for (int i = 0; i < 150; i++)
		strncat(longv, "\xc3\xa9", sizeof(longv) - strlen(longv) - 1);
	want[0] = '\0';
	for (int i = 0; i < 100; i++)
		strncat(want, "\xc3\xa9", sizeof(want) - strlen(want) - 1);
	v = template_clean_value(longv);
	assert_int_equal(strlen(v), 200);
	assert_string_equal(v, want);
	free(v);
	char *shifted = xasprintf("a%s", longv);
	v = template_clean_value(shifted);
	free(shifted);
	assert_int_equal(strlen(v), 199);
	assert_int_equal(v[0], 'a');
	assert_memory_equal(v + 1, want, 198);
	free(v);
	v = template_clean_value(NULL);
	assert_string_equal(v, "");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_templates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_clean_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
