/* Unit tests: textfold.c — text folded for matching (case, accents, compatibility forms,
 * invisible characters, typographic apostrophes) and the way back to the original's bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "textfold.h"
#include "test_helpers.h"

static void expect_fold(const char *text, const char *want)
{
	struct textfold f;
	textfold_make(text, strlen(text), &f);
	assert_string_equal(f.text, want);
	assert_int_equal(f.len, strlen(want));
	assert_int_equal(f.origin[f.len], strlen(text));
	textfold_free(&f);
}

static void test_folds(void **state)
{
	(void)state;
	expect_fold("", "");
	expect_fold("Situación MIGRATORIA", "situacion migratoria");
	expect_fold("SITUACIÓN", "situacion");
	expect_fold("situacio\xcc\x81n", "situacion");              /* combining acute */
	expect_fold("\xef\xbd\x93\xef\xbd\x89tuaci\xc3\xb3n", "situacion"); /* full-width s, i */
	expect_fold("¿Tiene papeles?", "¿tiene papeles?");
	expect_fold("Año, niño, pingüino, Ç", "ano, nino, pinguino, c");
	expect_fold("pa\xc2\xadpe\xe2\x80\x8bles", "papeles");     /* soft hyphen, zero-width space */
	expect_fold("don\xe2\x80\x99t", "don't");
	expect_fold("green\xc2\xa0" "card", "green card");           /* no-break space */
	expect_fold("\xef\xac\x81le", "file");                       /* the fi ligature */
	expect_fold("a\xff" "b", "a\xef\xbf\xbd" "b");               /* a stray byte: U+FFFD */
}

/* A folded span leads back to the bytes the liaison wrote, whole characters. */
static void test_origin(void **state)
{
	(void)state;
	const char *text = "¿Está usted DOCUMENTADO? \xef\xac\x81n";
	struct textfold f;
	textfold_make(text, strlen(text), &f);
	const char *at = strstr(f.text, "documentado");
	assert_non_null(at);
	size_t s = 0, e = 0;
	textfold_origin(&f, (size_t)(at - f.text), (size_t)(at - f.text) + 11, &s, &e);
	assert_int_equal(e - s, 11);
	assert_memory_equal(text + s, "DOCUMENTADO", 11);
	at = strstr(f.text, "esta");
	textfold_origin(&f, (size_t)(at - f.text), (size_t)(at - f.text) + 4, &s, &e);
	assert_int_equal(e - s, 5); /* "á" is two bytes */
	assert_memory_equal(text + s, "Está", 5);
	/* half of what one character gave ("f" of the ligature) is the whole character */
	at = strstr(f.text, "fin");
	textfold_origin(&f, (size_t)(at - f.text), (size_t)(at - f.text) + 1, &s, &e);
	assert_int_equal(e - s, 3);
	textfold_origin(&f, (size_t)(at - f.text), f.len, &s, &e);
	assert_int_equal(e, strlen(text));
	textfold_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folds),
		cmocka_unit_test(test_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
