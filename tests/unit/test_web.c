/* Unit tests: web_html.c and web_http.c — escaping every value by default (markup, quotes,
 * control characters, invalid UTF-8 and overlong or surrogate sequences made U+FFFD), %R
 * raw only where asked, URL encoding, and form bodies decoded strictly (a bad escape or a NUL
 * refuses the whole form, nothing half-added). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_helpers.h"
#include "web_html.h"
#include "web_http.h"

static char *rendered(const char *fmt, const char *arg)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	html(&b, fmt, arg);
	buf_add(&b, "", 1);
	return buf_steal(&b, NULL);
}

static void expect_html(const char *fmt, const char *arg, const char *want)
{
	char *got = rendered(fmt, arg);
	if (strcmp(got, want) != 0)
		fail_msg("html(\"%s\", \"%s\"): got \"%s\", want \"%s\"", fmt, arg, got, want);
	free(got);
}

static void test_escape(void **state)
{
	expect_html("<p>%s</p>", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	expect_html("<a title=\"%s\">", "\" onmouseover=\"x", "<a title=\"&quot; onmouseover=&quot;x\">");
	expect_html("<a title='%s'>", "' x='", "<a title='&#39; x=&#39;'>");
	expect_html("%s", "Tom & Jerry", "Tom &amp; Jerry");
	expect_html("%s", "a\tb\nc", "a\tb\nc");                 /* tab and newline kept */
	expect_html("%s", "a\rb", "ab");                        /* CR dropped */
	expect_html("%s", "bell\a", "bell\xef\xbf\xbd");        /* controls visible */
	expect_html("%s", "caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93"); /* UTF-8 kept */
	expect_html("%s", "bad \xff byte", "bad \xef\xbf\xbd byte");
	expect_html("%s", "over\xc0\xbc", "over\xef\xbf\xbd\xef\xbf\xbd");      /* overlong '<' */
	expect_html("%s", "sur\xed\xa0\x80", "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect_html("%s", "cut \xe2\x9c", "cut \xef\xbf\xbd\xef\xbf\xbd");
	expect_html("[%s]", NULL, "[]");
	expect_html("%R", "<b>ours</b>", "<b>ours</b>");         /* raw only where asked */
	expect_html("/t/%U", "K-1 &x=/y", "/t/K-1%20%26x%3D%2Fy");
	expect_html("100%% %s", "<", "100% &lt;");
}

static void test_cut(void **state)
{
	char *s = html_cut("short", 10);
	assert_string_equal(s, "short");
	free(s);
	s = html_cut("abcdefghij", 4);
	assert_string_equal(s, "abcd\xe2\x80\xa6");
	free(s);
	s = html_cut("ab\xc3\xa9\xc3\xa9", 3); /* never half an é */
	assert_string_equal(s, "ab\xe2\x80\xa6");
	free(s);
}

static void test_url(void **state)
{
	char *s = web_url_decode("a%20b+c%2B", 10, 1);
	assert_string_equal(s, "a b c+");
	free(s);
	s = web_url_decode("a+b", 3, 0);
	assert_string_equal(s, "a+b");
	free(s);
	assert_null(web_url_decode("bad%2", 5, 1));
	assert_null(web_url_decode("bad%zz", 6, 1));
	assert_null(web_url_decode("nul%00x", 7, 1));
	s = web_url_encode("/é?");
	assert_string_equal(s, "%2F%C3%A9%3F");
	free(s);
}

static void test_form(void **state)
{
	struct strlist form = {0};
	const char *body = "csrf=abc&text=Hello+there%21&empty=&&x=1";
	assert_int_equal(web_form_parse(body, strlen(body), &form), 0);
	assert_int_equal(form.count, 8);
	struct web_request r = {.form = form};
	assert_string_equal(web_form(&r, "text"), "Hello there!");
	assert_string_equal(web_form(&r, "empty"), "");
	assert_null(web_form(&r, "missing"));
	strlist_free(&form);

	/* a malformed form adds nothing at all */
	const char *bad[] = {"a=1&b=%zz", "a=1&novalue", "a=%00"};
	for (size_t i = 0; i < 3; i++) {
		struct strlist f = {0};
		assert_int_equal(web_form_parse(bad[i], strlen(bad[i]), &f), -1);
		assert_int_equal(f.count, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
