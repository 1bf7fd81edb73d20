/* Unit tests: report.c — the nearest-rank percentile (odd, even, one value, none, the
 * extremes) and the month and quarter arithmetic (parsing, the period before across a
 * year, windows across DST in the configured zone); a submitted report's figures written
 * and read back unchanged (median and 90th percentile included), and refused when damaged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "report.h"
#include "report_snapshot.h"

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

static void test_snapshot(void **state)
{
	(void)state;
	struct report_stats s = {.received = 12, .answered = 9, .opened = 4, .closed = 2,
	                         .unanswered = 1};
	const int64_t times[] = {300, 7200, 90000, 60};
	for (size_t i = 0; i < 4; i++)
		report_stats_add_time(&s, times[i]);
	report_counts_add(&s.referrals, "211", 2);
	s.referrals_total = 2;
	report_counts_add(&s.events, "CTL Event", 1);
	s.events_total = 1;
	report_counts_add(&s.attended, "Community Contact", 1);
	s.attended_total = 1;
	char *text = report_snapshot_encode(&s);
	struct report_stats back;
	assert_int_equal(report_snapshot_decode(text, &back), 0);
	assert_true(back.received == 12 && back.answered == 9 && back.opened == 4 &&
	            back.closed == 2 && back.unanswered == 1);
	assert_true(back.referrals_total == 2 && back.events_total == 1 && back.attended_total == 1);
	int64_t m1, p1, m2, p2;
	report_stats_times(&s, &m1, &p1);
	report_stats_times(&back, &m2, &p2);
	assert_true(m1 == m2 && p1 == p2 && back.n_times == 4);
	assert_int_equal(back.rt_buckets[0], 2); /* 60 s and 300 s: under an hour */
	/* A total is the sum of its rows. */
	struct report_stats total = {0};
	report_stats_merge(&total, &s);
	report_stats_merge(&total, &back);
	assert_true(total.received == 24 && total.n_times == 8 && total.events_total == 2);
	assert_int_equal(total.referrals.count, 1);
	assert_int_equal(total.referrals.items[0].n, 4);
	/* Damaged or foreign text is not read as figures. */
	struct report_stats bad;
	assert_int_equal(report_snapshot_decode("{\"version\": 99}", &bad), -1);
	assert_int_equal(report_snapshot_decode("not json", &bad), -1);
	assert_int_equal(report_snapshot_decode(NULL, &bad), -1);
	free(text);
	report_stats_free(&s);
	report_stats_free(&back);
	report_stats_free(&total);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_snapshot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
