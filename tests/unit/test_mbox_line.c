/* Unit tests: mbox_line.c — which lines of an mbox separate messages and the date each
 * carries (the forms real writers use, and the "From " lines that are only text), and which
 * body lines were quoted by the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "mbox_line.h"
#include "test_helpers.h"

static void expect_separator(const char *line, int64_t want)
{
	int64_t t = 12345;
	if (mbox_line_is_separator(line, strlen(line), &t) != 1)
		fail_msg("\"%s\": not taken as a separator", line);
	if (t != want)
		fail_msg("\"%s\": date %lld, want %lld", line, (long long)t, (long long)want);
}

static void expect_text(const char *line)
{
	int64_t t = 0;
	if (mbox_line_is_separator(line, strlen(line), &t) != 0)
		fail_msg("\"%s\": taken as a separator", line);
}

/* 2026-01-05 14:03:00 UTC */
#define JAN5 INT64_C(1767621780)

static void test_writers(void **state)
{
	expect_separator("From alice@example.org Mon Jan  5 14:03:00 2026\n", JAN5); /* asctime */
	expect_separator("From alice@example.org Mon Jan 05 14:03:00 2026\n", JAN5); /* Dovecot */
	expect_separator("From alice@example.org Mon Jan  5 14:03:00 2026\r\n", JAN5);
	expect_separator("From alice@example.org Mon Jan  5 14:03:00 2026", JAN5);   /* no newline */
	expect_separator("From alice@example.org Mon Jan  5 14:03 2026\n", JAN5);    /* no seconds */
	expect_separator("From 1234@xxx Mon Jan 05 14:03:00 +0000 2026\n", JAN5);    /* Gmail */
	expect_separator("From alice@example.org Mon Jan  5 14:03:00 2026 -0500\n",
	                 JAN5 + 5 * 3600);                                           /* zone applied */
	expect_separator("From alice Mon Jan  5 14:03:00 MET DST 2026\n", JAN5);     /* named: UTC */
	expect_separator("From alice Mon Jan  5 14:03:00 2026 remote from mailhost\n", JAN5);
	expect_separator("From \"alice smith\"@example.org Mon Jan  5 14:03:00 2026\n", JAN5);
	expect_separator("From  Mon Jan  5 14:03:00 2026\n", JAN5);                  /* no sender */
	expect_separator("From MAILER-DAEMON Sun Jul 20 20:17:40 1969\n", INT64_C(-14182940));
	expect_separator("From a@b Thu Feb 29 00:00:00 2024\n", INT64_C(1709164800)); /* leap day */
}

static void test_only_text(void **state)
{
	expect_text("From here on, the letter is about my neighbour.\n");
	expect_text("From alice@example.org\n");
	expect_text("From alice@example.org Mon Jan  5 2026\n");                     /* no time */
	expect_text("From a@b Sat Feb 31 10:00:00 2026\n");                          /* 31 February */
	expect_text("From a@b Mon Jan  5 25:00:00 2026\n");
	expect_text("From a@b Mon Jan  5 14:03:00 2026 and then some words\n");
	expect_text("From a@b Mon Jxn  5 14:03:00 2026\n");
	expect_text("from a@b Mon Jan  5 14:03:00 2026\n");                          /* case */
	expect_text(">From a@b Mon Jan  5 14:03:00 2026\n");
	expect_text("From \"unterminated@example.org Mon Jan  5 14:03:00 2026\n");
	expect_text("");

	/* longer than MBOX_SEPARATOR_MAX: body text, however it ends */
	char line[MBOX_SEPARATOR_MAX + 64];
	memset(line, 'x', sizeof(line));
	memcpy(line, "From ", 5);
	const char *tail = " Mon Jan  5 14:03:00 2026\n";
	memcpy(line + sizeof(line) - strlen(tail) - 1, tail, strlen(tail) + 1);
	expect_text(line);
}

static void test_quoted_from(void **state)
{
	assert_int_equal(mbox_line_is_quoted_from(">From x", 7), 1);
	assert_int_equal(mbox_line_is_quoted_from(">>>From x", 9), 1);
	assert_int_equal(mbox_line_is_quoted_from("From x", 6), 0);
	assert_int_equal(mbox_line_is_quoted_from("> From x", 8), 0);
	assert_int_equal(mbox_line_is_quoted_from(">Fro", 4), 0);
	assert_int_equal(mbox_line_is_quoted_from(">", 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writers),
		cmocka_unit_test(test_only_text),
		cmocka_unit_test(test_quoted_from),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
