/* Unit tests: charset.c — UTF-8 checking and cleaning, windows-1252, iconv with U+FFFD, how a
 * charset label is trusted, newline normalisation, and the converter mime.c lends it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "charset.h"
#include "mime.h"
#include "test_helpers.h"

#define UFFFD "\xEF\xBF\xBD"

/* Converts n bytes and checks the result and its reported length. */
static void assert_converts(const char *charset, const char *in, size_t n, const char *want)
{
	size_t len = 12345;
	char *got = charset_convert_text(charset, (const unsigned char *)in, n, &len);
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("charset %s: got \"%s\", want \"%s\"", charset ? charset : "(none)", got, want);
	assert_int_equal(len, strlen(want));
	free(got);
}

#define CONVERTS(cs, lit, want) assert_converts((cs), (lit), sizeof(lit) - 1, (want))

static void test_classify(void **state)
{
	assert_int_equal(charset_classify(NULL), CHARSET_GUESS);
	assert_int_equal(charset_classify(""), CHARSET_GUESS);
	assert_int_equal(charset_classify("US-ASCII"), CHARSET_GUESS);
	assert_int_equal(charset_classify("iso-8859-1"), CHARSET_GUESS);
	assert_int_equal(charset_classify("Latin1"), CHARSET_GUESS);
	assert_int_equal(charset_classify("WINDOWS-1252"), CHARSET_GUESS);
	assert_int_equal(charset_classify("utf-8"), CHARSET_UTF8);
	assert_int_equal(charset_classify("UTF8"), CHARSET_UTF8);
	assert_int_equal(charset_classify("iso-8859-2"), CHARSET_SINGLE);
	assert_int_equal(charset_classify("windows-1251"), CHARSET_SINGLE);
	assert_int_equal(charset_classify("KOI8-R"), CHARSET_SINGLE);
	assert_int_equal(charset_classify("utf-16le"), CHARSET_WIDE);
	assert_int_equal(charset_classify("UTF-7"), CHARSET_WIDE);
	assert_int_equal(charset_classify("ISO-2022-JP"), CHARSET_WIDE);
	assert_int_equal(charset_classify("shift_jis"), CHARSET_MULTI);
	assert_int_equal(charset_classify("gb2312"), CHARSET_MULTI);
	assert_int_equal(charset_classify("x-no-such-charset"), CHARSET_MULTI);
}

static void test_check_utf8(void **state)
{
	int high, nul;
	assert_int_equal(charset_check_utf8((const unsigned char *)"plain ascii, long enough", 24,
	                                    &high, &nul), 1);
	assert_int_equal(high, 0);
	assert_int_equal(nul, 0);
	assert_int_equal(charset_check_utf8((const unsigned char *)"caf\xC3\xA9 \xF0\x9F\x98\x80", 10,
	                                    &high, &nul), 1);
	assert_int_equal(high, 1);
	assert_int_equal(charset_check_utf8((const unsigned char *)"a\0b", 3, &high, &nul), 1);
	assert_int_equal(nul, 1);
	/* overlong, surrogate, past U+10FFFF, cut short, a lone continuation byte */
	static const char *const bad[] = {"\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
	                                  "abc\xE2\x82", "\x80", "caf\xE9"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(charset_check_utf8((const unsigned char *)bad[i], strlen(bad[i]), &high,
		                                    &nul), 0);
		assert_int_equal(high, 1);
	}
}

static void test_guess(void **state)
{
	/* no label, latin-1 or windows-1252: UTF-8 when valid, else windows-1252 */
	CONVERTS(NULL, "caf\xC3\xA9", "caf\xC3\xA9");
	CONVERTS(NULL, "caf\xE9", "caf\xC3\xA9");
	CONVERTS("iso-8859-1", "caf\xC3\xA9", "caf\xC3\xA9");
	CONVERTS("iso-8859-1", "\x80 \x93quoted\x94", "\xE2\x82\xAC \xE2\x80\x9Cquoted\xE2\x80\x9D");
	/* the five holes of windows-1252 */
	CONVERTS("windows-1252", "a\x81z", "a" UFFFD "z");
	CONVERTS("us-ascii", "\xFF", "\xC3\xBF");
	/* NULs become visible */
	CONVERTS(NULL, "a\0b", "a" UFFFD "b");
	CONVERTS(NULL, "\xE9\0", "\xC3\xA9" UFFFD);
	CONVERTS(NULL, "", "");
	CONVERTS("utf-8", "", "");
}

static void test_utf8_label(void **state)
{
	CONVERTS("utf-8", "\xC3\xB1" "and\xC3\xBA", "\xC3\xB1" "and\xC3\xBA");
	/* each bad byte is one U+FFFD; nothing is dropped */
	CONVERTS("UTF-8", "a\xFF\xFE" "b", "a" UFFFD UFFFD "b");
	CONVERTS("utf-8", "cut \xE2\x82", "cut " UFFFD UFFFD);
	CONVERTS("utf-8", "x\0y", "x" UFFFD "y");
}

static void test_iconv(void **state)
{
	CONVERTS("iso-8859-2", "\xB1", "\xC4\x85");
	CONVERTS("koi8-r", "\xF0\xD2\xC9", "\xD0\x9F\xD1\x80\xD0\xB8");
	CONVERTS("shift_jis", "\x82\xA0", "\xE3\x81\x82");
	/* a byte iconv rejects is U+FFFD, a sequence cut off at the end too */
	CONVERTS("shift_jis", "\x82\xA0\x80", "\xE3\x81\x82" UFFFD);
	CONVERTS("shift_jis", "\x82", UFFFD);
	CONVERTS("utf-16le", "h\0i\0", "hi");
	/* U+0000 out of a wide charset is cleaned like a NUL byte */
	CONVERTS("utf-16le", "h\0i\0\0\0", "hi" UFFFD);
	/* iconv failing on text that is valid UTF-8: the label lied */
	CONVERTS("big5", "\xE2\x82\xAC", "\xE2\x82\xAC");
	/* a single-byte label on valid UTF-8 is a lie too */
	CONVERTS("iso-8859-2", "\xC3\xA9", "\xC3\xA9");
	/* a charset iconv does not know: read like no label */
	CONVERTS("x-no-such-charset", "caf\xE9", "caf\xC3\xA9");
	CONVERTS("x-no-such-charset", "caf\xC3\xA9", "caf\xC3\xA9");
	/* a CJK label on valid UTF-8 is still believed: such bytes are often valid in both */
	CONVERTS("gb2312", "\xC3\xA9", "\xE8\x8C\x85");

	/* long text crosses iconv's 64 KiB chunks without losing a byte */
	size_t n = 200000;
	char *in = xmalloc(n);
	for (size_t i = 0; i < n; i++)
		in[i] = (char)(i % 2 ? 0xB1 : 'a');
	size_t len;
	char *out = charset_convert_text("iso-8859-2", (const unsigned char *)in, n, &len);
	assert_int_equal(len, n / 2 * 3);
	assert_memory_equal(out + len - 3, "a\xC4\x85", 3);
	free(out);
	free(in);
}

static void test_header_and_clean(void **state)
{
	char *s = charset_convert_header("Ren\xE9 M\xFCller");
	assert_string_equal(s, "Ren\xC3\xA9 M\xC3\xBCller");
	free(s);
	s = charset_convert_header("Ren\xC3\xA9");
	assert_string_equal(s, "Ren\xC3\xA9");
	free(s);
	s = charset_convert_header("");
	assert_string_equal(s, "");
	free(s);

	assert_null(charset_clean_utf8(NULL));
	s = charset_clean_utf8("ok \xE2\x9C\x93");
	assert_string_equal(s, "ok \xE2\x9C\x93");
	free(s);
	s = charset_clean_utf8("bad \xC0\xAF end\xF0");
	assert_string_equal(s, "bad " UFFFD UFFFD " end" UFFFD);
	free(s);
}

static void test_newlines(void **state)
{
	char a[] = "one\r\ntwo\rthree\n\r\n";
	size_t len = strlen(a);
	charset_normalize_newlines(a, &len);
	assert_string_equal(a, "one\ntwo\nthree\n\n");
	assert_int_equal(len, strlen(a));

	char b[] = "no carriage returns\n";
	len = strlen(b);
	charset_normalize_newlines(b, &len);
	assert_string_equal(b, "no carriage returns\n");
	assert_int_equal(len, strlen(b));

	char c[] = "ends in\r";
	len = strlen(c);
	charset_normalize_newlines(c, &len);
	assert_string_equal(c, "ends in\n");
}

static void test_buf(void **state)
{
	struct charset_buf b = {0};
	size_t len = 99;
	char *s = charset_buf_steal(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	charset_buf_add(&b, "abc", 3);
	charset_buf_add(&b, "", 0);
	charset_buf_add_utf8(&b, (const unsigned char *)"\xC3\xA9\xFF\0.", 5);
	for (int i = 0; i < 1000; i++)
		charset_buf_add(&b, "x", 1);
	s = charset_buf_steal(&b, &len);
	assert_int_equal(len, 3 + 2 + 3 + 3 + 1 + 1000);
	assert_memory_equal(s, "abc\xC3\xA9" UFFFD UFFFD ".x", 13);
	assert_int_equal(s[len], '\0');
	free(s);
	assert_null(b.p);

	charset_buf_reserve(&b, 100);
	assert_true(b.cap > 100);
	charset_buf_add(&b, "y", 1);
	charset_buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
}

/* ---- the converter seam --------------------------------------------------------------- */

static int opens, closes;

static iconv_t test_open(const char *charset)
{
	opens++;
	return iconv_open("UTF-8", strcmp(charset, "x-test-latin2") == 0 ? "ISO-8859-2" : charset);
}

static int test_close(iconv_t cd)
{
	closes++;
	return iconv_close(cd);
}

static void test_set_iconv(void **state)
{
	CONVERTS("x-test-latin2", "\xB1", "\xC2\xB1"); /* unknown to iconv: windows-1252 */
	charset_set_iconv(test_open, test_close);
	CONVERTS("x-test-latin2", "\xB1", "\xC4\x85");
	assert_int_equal(opens, 1);
	assert_int_equal(closes, 1);
	CONVERTS("x-test-latin2", "plain", "plain"); /* ASCII never needs a converter */
	assert_int_equal(opens, 1);
	charset_set_iconv(NULL, NULL);
	CONVERTS("x-test-latin2", "\xB1", "\xC2\xB1");
	assert_int_equal(opens, 1);
}

/* mime_global_init lends GMime's converter, which knows MIME names iconv does not. */
static void test_gmime_aliases(void **state)
{
	CONVERTS("ks_c_5601-1987", "\xB0\xA1", "\xC2\xB0\xC2\xA1");
	mime_global_init();
	CONVERTS("ks_c_5601-1987", "\xB0\xA1", "\xEA\xB0\x80");
	CONVERTS("iso-8859-2", "\xB1", "\xC4\x85");
	mime_global_deinit();
	CONVERTS("ks_c_5601-1987", "\xB0\xA1", "\xC2\xB0\xC2\xA1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_check_utf8),
		cmocka_unit_test(test_guess),
		cmocka_unit_test(test_utf8_label),
		cmocka_unit_test(test_iconv),
		cmocka_unit_test(test_header_and_clean),
		cmocka_unit_test(test_newlines),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_set_iconv),
		cmocka_unit_test(test_gmime_aliases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
