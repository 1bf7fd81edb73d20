/* Unit tests: redact.c and route.c's span finder — what a production's redactions hide:
 * literals in any case and across line breaks and quote marks, text that only looks the same
 * (full-width letters, decomposed accents, soft hyphens, zero-width spaces), overlapping
 * redactions as one label, patterns with empty matches, and a pattern past its match limit
 * refusing rather than missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "redact.h"
#include "test_helpers.h"

static struct redactor *make(const struct redaction *r, size_t n)
{
	struct redactor *rd = NULL;
	char *error = NULL;
	assert_int_equal(redactor_new(r, n, &rd, &error), 0);
	assert_null(error);
	return rd;
}

/* Redacts text and returns the result (caller frees); found may be NULL. */
static char *apply(const struct redactor *rd, const char *text, size_t *found)
{
	char *error = NULL;
	char *out = redact_string(rd, text, found, &error);
	assert_null(error);
	assert_non_null(out);
	return out;
}

static void test_literal_any_case_and_wrapped(void **state)
{
	(void)state;
	struct redaction r = {"text", "  Jane Roe ", "1-210(b)(2)"};
	struct redactor *rd = make(&r, 1);
	size_t found = 0;
	char *out = apply(rd, "JANE ROE wrote; jane\n> roe again; Jane Roe, and Janet Roeder.", &found);
	assert_string_equal(out, "[REDACTED 1-210(b)(2)] wrote; [REDACTED 1-210(b)(2)] again; "
	                         "[REDACTED 1-210(b)(2)], and Janet Roeder.");
	assert_int_equal(found, 3);
	free(out);
	redactor_free(&rd);
}

static void test_lookalikes_are_found(void **state)
{
	(void)state;
	struct redaction r = {"text", "Jose\xcc\x81 Roe", "1-210(b)(2)"}; /* decomposed accent */
	struct redactor *rd = make(&r, 1);
	const char *texts[] = {
		"Jos\xc3\xa9 Roe",                            /* composed */
		"Jo\xc2\xads\xc3\xa9 Roe",                    /* soft hyphen inside */
		"Jos\xc3\xa9\xe2\x80\x8b Roe",                /* zero-width space */
		"\xef\xbc\xaa\xef\xbd\x8f\xef\xbd\x93\xc3\xa9 Roe", /* full-width Jos */
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *out = apply(rd, texts[i], NULL);
		assert_string_equal(out, "[REDACTED 1-210(b)(2)]");
		free(out);
	}
	redactor_free(&rd);
}

static void test_overlaps_merge_and_name_each_exemption(void **state)
{
	(void)state;
	struct redaction r[] = {
		{"text", "Jane Roe", "1-210(b)(2)"},
		{"pattern", "Roe, 12 Elm", "1-210(b)(3)(A)"},
		{"pattern", "\\d{3}-\\d{4}", "1-210(b)(2)"},
	};
	struct redactor *rd = make(r, 3);
	size_t found[3] = {0};
	char *out = apply(rd, "Jane Roe, 12 Elm St, 555-0142.", found);
	assert_string_equal(out, "[REDACTED 1-210(b)(2), 1-210(b)(3)(A)] St, [REDACTED 1-210(b)(2)].");
	assert_int_equal(found[0], 1);
	assert_int_equal(found[1], 1);
	assert_int_equal(found[2], 1);
	free(out);
	redactor_free(&rd);
}

static void test_empty_matches_do_not_hide_real_ones(void **state)
{
	(void)state;
	struct redaction r = {"pattern", "(?:4242)??", "x"};
	struct redactor *rd = make(&r, 1);
	char *out = apply(rd, "a4242b 4242", NULL);
	assert_string_equal(out, "a[REDACTED x]b [REDACTED x]");
	free(out);
	redactor_free(&rd);
}

static void test_pieces_mark_labels(void **state)
{
	(void)state;
	struct redaction r = {"text", "secret", "E"};
	struct redactor *rd = make(&r, 1);
	struct redacted red;
	char *error = NULL;
	assert_int_equal(redactor_apply(rd, "a secret b", &red, NULL, &error), 0);
	assert_int_equal(red.n, 3);
	assert_int_equal(red.labels, 1);
	assert_string_equal(red.pieces[0].text, "a ");
	assert_true(red.pieces[1].is_label);
	assert_string_equal(red.pieces[2].text, " b");
	redacted_clear(&red);
	/* no redactor: the text as it is, not even normalized */
	assert_int_equal(redactor_apply(NULL, "Jo\xc2\xads\xc3\xa9", &red, NULL, &error), 0);
	assert_int_equal(red.n, 1);
	assert_string_equal(red.pieces[0].text, "Jo\xc2\xads\xc3\xa9");
	redacted_clear(&red);
	redactor_free(&rd);
}

static void test_a_pattern_past_its_limit_refuses(void **state)
{
	(void)state;
	struct redaction r = {"pattern", "(a+)+$", "x"};
	struct redactor *rd = make(&r, 1);
	char text[4096];
	memset(text, 'a', sizeof(text) - 2);
	text[sizeof(text) - 2] = '!';
	text[sizeof(text) - 1] = '\0';
	char *error = NULL;
	char *out = redact_string(rd, text, NULL, &error);
	assert_null(out);
	assert_non_null(error);
	assert_non_null(strstr(error, "could not be matched"));
	free(error);
	redactor_free(&rd);
}

static void test_bad_pattern_is_refused(void **state)
{
	(void)state;
	struct redaction r = {"pattern", "(unclosed", "x"};
	struct redactor *rd = NULL;
	char *error = NULL;
	assert_int_equal(redactor_new(&r, 1, &rd, &error), -1);
	assert_null(rd);
	assert_non_null(strstr(error, "does not compile"));
	free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_any_case_and_wrapped),
		cmocka_unit_test(test_lookalikes_are_found),
		cmocka_unit_test(test_overlaps_merge_and_name_each_exemption),
		cmocka_unit_test(test_empty_matches_do_not_hide_real_ones),
		cmocka_unit_test(test_pieces_mark_labels),
		cmocka_unit_test(test_a_pattern_past_its_limit_refuses),
		cmocka_unit_test(test_bad_pattern_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
