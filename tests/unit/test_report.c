/* Unit tests: report.c — the nearest-rank percentile (odd, even, one value, none, the
 * extremes) and the month and quarter arithmetic (parsing, the period before across a
 * year, windows across DST in the configured zone). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "report.h"

static void test_percentile(void **state)
{
	(void)state;
	const int64_t ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	int64_t v = 0;
	assert_int_equal(report_percentile(ten, 10, 50, &v), 0);
	assert_int_equal(v, 5); /* rank ceil(5.0) = 5: the lower middle */
	assert_int_equal(report_percentile(ten, 10, 90, &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(report_percentile(ten, 10, 100, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(report_percentile(ten, 10, 1, &v), 0);
	assert_int_equal(v, 1);
	const int64_t five[] = {10, 20, 30, 40, 50};
	assert_int_equal(report_percentile(five, 5, 50, &v), 0);
	assert_int_equal(v, 30); /* rank ceil(2.5) = 3 */
	assert_int_equal(report_percentile(five, 5, 90, &v), 0);
	assert_int_equal(v, 50); /* rank ceil(4.5) = 5 */
	const int64_t one[] = {42};
	assert_int_equal(report_percentile(one, 1, 90, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(report_percentile(one, 0, 50, &v), -1);
	assert_int_equal(report_percentile(one, 1, 0, &v), -1);
}

static void test_periods(void **state)
{
	(void)state;
	int y, m, q;
	assert_int_equal(report_parse_month("2026-04", &y, &m), 0);
	assert_true(y == 2026 && m == 4);
	assert_int_equal(report_parse_month("2026-13", &y, &m), -1);
	assert_int_equal(report_parse_month("2026-4", &y, &m), -1);
	assert_int_equal(report_parse_quarter("2026Q2", &y, &q), 0);
	assert_true(y == 2026 && q == 2);
	assert_int_equal(report_parse_quarter("2026q4", &y, &q), 0);
	assert_int_equal(report_parse_quarter("2026Q5", &y, &q), -1);
	assert_int_equal(report_parse_quarter("2026Q0", &y, &q), -1);
	report_previous_quarter(2026, 1, &y, &q);
	assert_true(y == 2025 && q == 4);
	report_previous_quarter(2026, 3, &y, &q);
	assert_true(y == 2026 && q == 2);
	report_previous_month(2026, 1, &y, &m);
	assert_true(y == 2025 && m == 12);
	/* Q1 2026 in New York: from 05:00Z (EST) to 1 April 04:00Z (EDT since 8 March). */
	setenv("TZ", "America/New_York", 1);
	tzset();
	int64_t from, to;
	assert_int_equal(report_window(2026, 1, 3, &from, &to), 0);
	assert_int_equal(from, 1767243600); /* 2026-01-01T05:00:00Z */
	assert_int_equal(to, 1775016000);   /* 2026-04-01T04:00:00Z */
	assert_int_equal(report_window(2026, 10, 3, &from, &to), 0);
	assert_int_equal(to, 1798779600);   /* 2027-01-01T05:00:00Z: across the year */
	assert_int_equal(report_window(2026, 3, 1, &from, &to), 0);
	assert_int_equal(to - from, 31 * 86400 - 3600); /* March loses an hour */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
