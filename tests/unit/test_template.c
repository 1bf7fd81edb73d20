/* Unit tests: template.c — rendering, languages, hostile values, saved replies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/stat.h>

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

/* The shipped saved replies render, in both languages, and say 9-1-1; a broken one in a
 * troop's folder is found by the check with its file; a symbolic name never leaves saved/. */
static void test_saved_replies(void **state)
{
	static const struct template_var saved_vars[] = {
		{"ref", "K-2026-00042"}, {"first_name", "Ana"}, {"liaison_name", "Tpr. Reyes"},
	};
	static const char *const names[] = {"acknowledge", "good-time-to-call",
	                                    "referral-follow-up"};
	for (size_t i = 0; i < 3; i++) {
		for (int es = 0; es < 2; es++) {
			char *text = NULL, *error = NULL;
			if (template_saved_render("templates", 'K', names[i], es ? "es" : "en", saved_vars,
			                          3, &text, &error) != 1)
				fail_msg("%s: %s", names[i], error ? error : "not found");
			assert_null(strstr(text, "# title"));
			assert_non_null(strstr(text, es ? "Hola, Ana:" : "Hello Ana,"));
			assert_non_null(strstr(text, "K-2026-00042"));
			assert_non_null(strstr(text, "Tpr. Reyes"));
			assert_non_null(strstr(text, "9-1-1"));
			free(text);
		}
	}
	struct strlist problems = {0};
	size_t checked = 0;
	assert_int_equal(template_saved_check("templates", &problems, &checked), 0);
	assert_int_equal(checked, 6);
	char *dir = test_tmpdir();
	char *folder = xasprintf("%s/saved", dir);
	assert_int_equal(mkdir(folder, 0700), 0);
	char *troop = xasprintf("%s/L", folder);
	assert_int_equal(mkdir(troop, 0700), 0);
	char *path = xasprintf("%s/broken.es.txt", troop);
	test_write_file(path, "# title: Roto\nHola {{nombre}}\n");
	assert_int_equal(template_saved_check(dir, &problems, &checked), 1);
	assert_int_equal(checked, 1);
	assert_non_null(strstr(problems.items[0], "saved/L/broken.es.txt: unknown variable"));
	strlist_free(&problems);
	char *text = NULL, *error = NULL;
	assert_int_equal(template_saved_render(dir, 'L', "../saved/L/broken", "es", saved_vars, 3,
	                                       &text, &error), 0);
	assert_int_equal(template_saved_render(dir, 'K', "broken", "es", saved_vars, 3, &text,
	                                       &error), 0); /* troop L's only */
	free(path);
	free(troop);
	free(folder);
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

#define UFFFD "\xEF\xBF\xBD"

struct clean_case {
	const char *value, *want;
};

static void assert_cleaned(const struct clean_case *cases, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		char *v = template_clean_value(cases[i].value);
		if (strcmp(v, cases[i].want) != 0) {
			print_error("case %zu: got [%s], want [%s]\n", i, v, cases[i].want);
			bad++;
		}
		free(v);
	}
	if (bad > 0)
		fail_msg("%zu of %zu cases wrong", bad, n);
}

/* Unicode line breaks and C1 controls are breaks like CR and LF: one space. */
static void test_clean_unicode_breaks(void **state)
{
	static const struct clean_case cases[] = {
		{"a\xE2\x80\xA8" "Bcc: x", "a Bcc: x"},           /* U+2028 LINE SEPARATOR */
		{"a\xE2\x80\xA9" "b", "a b"},                     /* U+2029 PARAGRAPH SEPARATOR */
		{"a\xC2\x85" "b", "a b"},                         /* U+0085 NEXT LINE */
		{"a\xC2\x80" "b\xC2\x9B" "c\xC2\x9F" "d", "a b c d"}, /* C1: first, CSI, last */
		{"a\x7F" "b", "a b"},                             /* DEL */
		{"\xE2\x80\xA8 \xC2\x85x\xE2\x80\xA9\xC2\x85 y\xE2\x80\xA8", "x y"}, /* runs, ends */
		/* neighbours that are not breaks stay: U+00A0, U+00A1, U+2027, U+202F */
		{"a\xC2\xA0" "b\xC2\xA1" "c\xE2\x80\xA7" "d\xE2\x80\xAF" "e",
		 "a\xC2\xA0" "b\xC2\xA1" "c\xE2\x80\xA7" "d\xE2\x80\xAF" "e"},
	};
	assert_cleaned(cases, sizeof(cases) / sizeof(*cases));
}

/* Bidirectional controls, the direction marks and the BOM are removed without a trace. */
static void test_clean_bidi(void **state)
{
	static const struct clean_case cases[] = {
		{"Call \xE2\x80\xAE" "119\xE2\x80\xAC now", "Call 119 now"}, /* RLO ... PDF */
		{"\xE2\x80\xAA" "a\xE2\x80\xAB" "b\xE2\x80\xAC" "c\xE2\x80\xAD" "d\xE2\x80\xAE" "e",
		 "abcde"},                                                     /* U+202A-U+202E */
		{"\xE2\x81\xA6" "a\xE2\x81\xA7" "b\xE2\x81\xA8" "c\xE2\x81\xA9" "d", "abcd"}, /* 2066-9 */
		{"a\xE2\x80\x8E" "b\xE2\x80\x8F" "c\xD8\x9C" "d", "abcd"},       /* LRM RLM ALM */
		{"\xEF\xBB\xBF" "a\xEF\xBB\xBF" "b", "ab"},                        /* U+FEFF */
		{"a \xE2\x80\xAE b", "a b"},                /* removed between spaces: one space */
		/* neighbours that stay: ZWJ (emoji, Indic scripts), U+2065, U+206A, U+202F, Hebrew */
		{"\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x94\xA7 \xE2\x81\xA5\xE2\x81\xAA \xD7\xA9\xD7\x9C",
		 "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x94\xA7 \xE2\x81\xA5\xE2\x81\xAA \xD7\xA9\xD7\x9C"},
	};
	assert_cleaned(cases, sizeof(cases) / sizeof(*cases));
}

/* Each byte that is not valid UTF-8 shows as U+FFFD; valid text around it is kept. */
static void test_clean_invalid_utf8(void **state)
{
	static const struct clean_case cases[] = {
		{"caf\xE9", "caf" UFFFD},                           /* Latin-1 */
		{"a\x80" "b", "a" UFFFD "b"},                       /* a lone continuation byte */
		{"a\xC0\xAF" "b", "a" UFFFD UFFFD "b"},             /* overlong "/" */
		{"a\xED\xA0\x80" "b", "a" UFFFD UFFFD UFFFD "b"},   /* a surrogate */
		{"a\xF4\x90\x80\x80", "a" UFFFD UFFFD UFFFD UFFFD}, /* past U+10FFFF */
		{"a\xE2\x80", "a" UFFFD UFFFD},                     /* cut short at the end */
		{"\xE2\x80" "\xAE" "x", "x"},                      /* whole: an RLO, removed */
		{"\xE2\x80 \xAE", UFFFD UFFFD " " UFFFD},           /* split: not an RLO */
		{"\xFF\xFE", UFFFD UFFFD},
	};
	assert_cleaned(cases, sizeof(cases) / sizeof(*cases));
}

/* The 200-byte cut counts what is kept, and never splits a character, U+FFFD included. */
static void test_clean_cut(void **state)
{
	char a199[200];
	memset(a199, 'a', 199);
	a199[199] = '\0';
	/* 199 bytes, then U+FFFD (3 bytes) would pass 200: cut before it */
	char *in = xasprintf("%s\xFF" "b", a199);
	char *v = template_clean_value(in);
	assert_string_equal(v, a199);
	free(v);
	free(in);
	/* removed characters take no room: 199 + "b" = 200 */
	in = xasprintf("%s\xE2\x80\xAE\xE2\x81\xA6\xEF\xBB\xBF" "bc", a199);
	v = template_clean_value(in);
	assert_int_equal(strlen(v), 200);
	assert_int_equal(v[199], 'b');
	free(v);
	free(in);
	/* 66 U+FFFD are 198 bytes; the 67th would end at 201 */
	char bad[101];
	memset(bad, 0xFF, 100);
	bad[100] = '\0';
	v = template_clean_value(bad);
	assert_int_equal(strlen(v), 198);
	for (size_t i = 0; i < 198; i += 3)
		assert_memory_equal(v + i, UFFFD, 3);
	free(v);
}

/* Rendered through a template: none of them reaches the text. */
static void test_render_hostile_unicode(void **state)
{
	const struct template_var hostile[] = {
		{"troop", "K"},
		{"ref", "K-2026-00042"},
		{"subject", "Hi\xE2\x80\xA8" "Call 119\xC2\x85\xE2\x80\xAE" "dlrow\xE2\x80\xAC\xE2\x81\xA7"
		            "x\xE2\x81\xA9\xE2\x80\x8F\xD8\x9C\xEF\xBB\xBF\xC2\x9B" "2J\xFF"},
	};
	char *text = NULL, *error = NULL;
	if (template_render("templates", "autoreply", "en", hostile, 3, &text, &error) < 0)
		fail_msg("%s", error);
	static const char *const banned[] = {
		"\xE2\x80\xA8", "\xE2\x80\xA9", "\xC2\x85", "\xC2\x9B", "\xE2\x80\xAA", "\xE2\x80\xAB",
		"\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7",
		"\xE2\x81\xA8", "\xE2\x81\xA9", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C",
		"\xEF\xBB\xBF", "\xFF",
	};
	for (size_t i = 0; i < sizeof(banned) / sizeof(*banned); i++)
		if (strstr(text, banned[i]) != NULL)
			fail_msg("banned character %zu in the rendered text", i);
	assert_non_null(strstr(text, "Hi Call 119 dlrowx 2J" UFFFD));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_templates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_saved_replies),
		cmocka_unit_test(test_clean_value),
		cmocka_unit_test(test_clean_unicode_breaks),
		cmocka_unit_test(test_clean_bidi),
		cmocka_unit_test(test_clean_invalid_utf8),
		cmocka_unit_test(test_clean_cut),
		cmocka_unit_test(test_render_hostile_unicode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
