/* Unit tests: html.c — html_to_text on the markup mail clients send, and on broken markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <time.h>

#include "mime.h"
#include "test_helpers.h"

struct html_case {
	const char *html;
	const char *want;
};

static void test_cases(void **state)
{
	static const struct html_case cases[] = {
		{"", ""},
		{"plain text", "plain text"},
		{"  lots   of\n\n   white\tspace  ", "lots of white space"},
		/* tags and block elements */
		{"<b>bold</b> and <i>italic</i>", "bold and italic"},
		{"line one<br>line two<br/>line three<BR />four", "line one\nline two\nline three\nfour"},
		{"a<br><br>b", "a\n\nb"},
		{"a<br><br><br><br>b", "a\n\nb"},
		{"<p>first</p><p>second</p>", "first\n\nsecond"},
		{"<div>one</div><div>two</div>", "one\ntwo"},
		{"<ul><li>apples</li><li>pears</li></ul>", "apples\npears"},
		{"<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"},
		{"<h1>Title</h1>text", "Title\n\ntext"},
		{"<p>a</p>\n\n\n<p></p><p>&nbsp;</p><div><br></div>\n<p>b</p>", "a\n\nb"},
		{"<DIV CLASS=\"x\">upper</DIV>", "upper"},
		/* dropped content */
		{"<script>var x = '<p>no</p>';</script>yes", "yes"},
		{"<SCRIPT type=text/javascript>if (a</b) x();</SCRIPT >yes", "yes"},
		{"<style>p { color: red; }</style>shown", "shown"},
		{"<head><title>The title</title></head><body>body</body>", "body"},
		{"a<!-- a comment with <p>tags</p> -->b", "ab"},
		{"a<!---->b<!-- - -- -->c", "abc"},
		{"<!DOCTYPE html><html>doc</html>", "doc"},
		{"<?xml version=\"1.0\"?>x", "x"},
		/* attributes with quotes and '>' inside */
		{"<a href=\"http://x/?a=1&b=2>3\" title='it>s'>link</a>", "link"},
		{"<img alt=don't src=x.png>after", "after"},
		/* entities */
		{"&amp; &lt; &gt; &quot; &apos;", "& < > \" '"},
		{"caf&eacute; se&ntilde;or &aacute;&iacute;&oacute;&uacute;&uuml; &copy;",
		 "caf\xC3\xA9 se\xC3\xB1or \xC3\xA1\xC3\xAD\xC3\xB3\xC3\xBA\xC3\xBC \xC2\xA9"},
		{"&#233; &#xe9; &#x00E9; &#X00e9;", "\xC3\xA9 \xC3\xA9 \xC3\xA9 \xC3\xA9"},
		{"&#128512;", "\xF0\x9F\x98\x80"},
		{"&#150; &#x93;q&#x94;", "\xE2\x80\x93 \xE2\x80\x9Cq\xE2\x80\x9D"},
		{"&#0; &#xD800; &#x110000; &#99999999999999999999;",
		 "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD"},
		{"a&nbsp;b&nbsp;&nbsp;c", "a b c"},
		{"AT&T &unknown; &amp &; &#; &#x;", "AT&T &unknown; &amp &; &#; &#x;"},
		{"?a=1&b=2", "?a=1&b=2"},
		/* bare '<' is text */
		{"1 < 2 and 3 <4", "1 < 2 and 3 <4"},
		/* <pre> keeps its white space */
		{"<pre>a  b\n  c</pre>after", "a  b\n  c\n\nafter"},
		/* UTF-8 passes through */
		{"<p>\xC3\xB1" "and\xC3\xBA</p>", "\xC3\xB1" "and\xC3\xBA"},
		/* broken markup ends without losing what came before */
		{"text <b unterminated", "text"},
		{"text <!-- never closed", "text"},
		{"text <script>never closed", "text"},
		{"text &#x", "text &#x"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = html_to_text(cases[i].html, strlen(cases[i].html));
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: [%s]\n got [%s]\nwant [%s]", i, cases[i].html, got, cases[i].want);
		free(got);
	}
}

static void test_nul_and_length(void **state)
{
	/* the length is honoured: a NUL is text, not the end */
	const char html[] = "a\0b<p>c";
	char *got = html_to_text(html, sizeof(html) - 1);
	assert_string_equal(got, "a\xEF\xBF\xBD" "b\n\nc");
	free(got);

	got = html_to_text("abcdef", 3);
	assert_string_equal(got, "abc");
	free(got);
}

/* Hostile markup stays linear: a megabyte of unclosed tags, entities and comment openers. */
static void test_hostile_linear(void **state)
{
	static const char *const units[] = {"<", "&", "&#", "<!--", "<a b='", "<script>", "</", "&amp"};
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t n = 1 << 20;
		size_t ul = strlen(units[u]);
		char *html = xmalloc(n + 1);
		for (size_t i = 0; i < n; i++)
			html[i] = units[u][i % ul];
		html[n] = '\0';
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		char *got = html_to_text(html, n);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (seconds >= 5.0) /* a few milliseconds; quadratic would be minutes */
			fail_msg("'%s' x %zu took %.1f s", units[u], n / ul, seconds);
		assert_non_null(got);
		free(got);
		free(html);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_nul_and_length),
		cmocka_unit_test(test_hostile_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
