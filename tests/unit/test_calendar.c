/* Unit tests: calendar.c — Connecticut legal holidays and their observed days (every one of
 * 2025–2027, the edge years around them), Easter against a published table, adding and
 * counting business days (FOIA's four, year ends, n = 0, backwards), both checked against a
 * day-by-day count over random pairs, time zones, strict parsing, and days and UTC instants
 * from civil dates against timegm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <time.h>

#include "calendar.h"
#include "test_helpers.h"

static struct cal_date D(int y, int m, int d)
{
	struct cal_date r = {y, m, d};
	return r;
}

static struct cal_date parse_ok(const char *iso)
{
	struct cal_date d = {0, 0, 0};
	if (calendar_parse(iso, &d) != 0)
		fail_msg("cannot parse %s", iso);
	return d;
}

static void assert_date(struct cal_date got, const char *want, const char *what)
{
	char buf[11];
	calendar_format(got, buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s: got %s, want %s", what, buf, want);
}

/* The next civil date, by hand (not through the module under test). */
static struct cal_date next_day(struct cal_date d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
	int last = d.month == 2 && leap ? 29 : mdays[d.month - 1];
	if (++d.day > last) {
		d.day = 1;
		if (++d.month > 12) {
			d.month = 1;
			d.year++;
		}
	}
	return d;
}

/* Every day that is a holiday (the day itself or its observed day) in 2025, 2026 and 2027,
 * worked out by hand from Conn. Gen. Stat. § 1-4 with a printed calendar. */
static const struct {
	const char *date, *name;
} holidays_2025_2027[] = {
	{"2025-01-01", "New Year's Day"},
	{"2025-01-20", "Martin Luther King Jr. Day"},
	{"2025-02-12", "Lincoln's Birthday"},
	{"2025-02-17", "Washington's Birthday"},
	{"2025-04-18", "Good Friday"},
	{"2025-05-26", "Memorial Day"},
	{"2025-06-19", "Juneteenth Independence Day"},
	{"2025-07-04", "Independence Day"},
	{"2025-09-01", "Labor Day"},
	{"2025-10-13", "Columbus Day"},
	{"2025-11-11", "Veterans' Day"},
	{"2025-11-27", "Thanksgiving Day"},
	{"2025-12-25", "Christmas Day"},

	{"2026-01-01", "New Year's Day"},
	{"2026-01-19", "Martin Luther King Jr. Day"},
	{"2026-02-12", "Lincoln's Birthday"},
	{"2026-02-16", "Washington's Birthday"},
	{"2026-04-03", "Good Friday"},
	{"2026-05-25", "Memorial Day"},
	{"2026-06-19", "Juneteenth Independence Day"},
	{"2026-07-03", "Independence Day (observed)"},
	{"2026-07-04", "Independence Day"}, /* Saturday */
	{"2026-09-07", "Labor Day"},
	{"2026-10-12", "Columbus Day"},
	{"2026-11-11", "Veterans' Day"},
	{"2026-11-26", "Thanksgiving Day"},
	{"2026-12-25", "Christmas Day"},

	{"2027-01-01", "New Year's Day"},
	{"2027-01-18", "Martin Luther King Jr. Day"},
	{"2027-02-12", "Lincoln's Birthday"},
	{"2027-02-15", "Washington's Birthday"},
	{"2027-03-26", "Good Friday"},
	{"2027-05-31", "Memorial Day"},
	{"2027-06-18", "Juneteenth Independence Day (observed)"},
	{"2027-06-19", "Juneteenth Independence Day"}, /* Saturday */
	{"2027-07-04", "Independence Day"},            /* Sunday */
	{"2027-07-05", "Independence Day (observed)"},
	{"2027-09-06", "Labor Day"},
	{"2027-10-11", "Columbus Day"},
	{"2027-11-11", "Veterans' Day"},
	{"2027-11-25", "Thanksgiving Day"},
	{"2027-12-24", "Christmas Day (observed)"},
	{"2027-12-25", "Christmas Day"},            /* Saturday */
	{"2027-12-31", "New Year's Day (observed)"}, /* January 1, 2028 is a Saturday */
};
#define N_HOLIDAYS (sizeof(holidays_2025_2027) / sizeof(holidays_2025_2027[0]))

/* Each day of 2025..2027 is a holiday exactly when the table says, with the table's name. */
static void test_holidays_2025_2027(void **state)
{
	size_t next = 0;
	int weekday_holidays[3] = {0, 0, 0};
	for (struct cal_date d = D(2025, 1, 1); d.year <= 2027; d = next_day(d)) {
		char iso[11];
		calendar_format(d, iso);
		const char *name = "unset";
		int is = calendar_is_holiday(d, &name);
		if (next < N_HOLIDAYS && strcmp(iso, holidays_2025_2027[next].date) == 0) {
			if (!is)
				fail_msg("%s should be %s", iso, holidays_2025_2027[next].name);
			if (strcmp(name, holidays_2025_2027[next].name) != 0)
				fail_msg("%s: got \"%s\", want \"%s\"", iso, name,
				         holidays_2025_2027[next].name);
			next++;
		} else if (is) {
			fail_msg("%s is not a holiday, got \"%s\"", iso, name);
		} else {
			assert_null(name);
		}
		int w = calendar_weekday(d);
		assert_int_equal(calendar_is_business_day(d), w >= 1 && w <= 5 && !is);
		if (is && w >= 1 && w <= 5)
			weekday_holidays[d.year - 2025]++;
	}
	assert_int_equal(next, N_HOLIDAYS);
	/* 13 days off a year; 2027 also closes on Dec 31 for New Year's Day 2028 */
	assert_int_equal(weekday_holidays[0], 13);
	assert_int_equal(weekday_holidays[1], 13);
	assert_int_equal(weekday_holidays[2], 14);
	assert_int_equal(calendar_is_holiday(D(2026, 7, 4), NULL), 1);
}

/* Observed days and the Juneteenth start in other years. */
static void test_holidays_edges(void **state)
{
	static const struct {
		const char *date;
		const char *name; /* NULL: not a holiday */
	} cases[] = {
		/* Juneteenth is a CT legal holiday from 2023 on (PA 22-128) */
		{"2022-06-19", NULL},
		{"2022-06-20", NULL},
		{"2023-06-19", "Juneteenth Independence Day"},
		{"2024-06-19", "Juneteenth Independence Day"},
		{"2033-06-20", "Juneteenth Independence Day (observed)"}, /* Sunday the 19th */
		/* New Year's Day on a Saturday: the Friday before, in the year before */
		{"2021-12-31", "New Year's Day (observed)"},
		{"2022-01-01", "New Year's Day"},
		{"2022-01-03", NULL},
		{"2023-01-02", "New Year's Day (observed)"}, /* Sunday */
		{"2022-02-11", "Lincoln's Birthday (observed)"},
		{"2023-02-13", "Lincoln's Birthday (observed)"},
		{"2022-12-26", "Christmas Day (observed)"},
		{"2023-11-10", "Veterans' Day (observed)"},
		{"2028-11-10", "Veterans' Day (observed)"},
		{"2029-11-12", "Veterans' Day (observed)"},
		{"2021-07-05", "Independence Day (observed)"},
		{"2020-07-03", "Independence Day (observed)"},
		/* MLK Day: first Monday on or after January 15 */
		{"2024-01-15", "Martin Luther King Jr. Day"},
		{"2029-01-15", "Martin Luther King Jr. Day"},
		{"2028-01-17", "Martin Luther King Jr. Day"},
		{"2024-05-27", "Memorial Day"},
		{"2021-05-31", "Memorial Day"},
		{"2021-05-24", NULL},
		{"2024-11-28", "Thanksgiving Day"},
		{"2026-11-27", NULL}, /* the day after Thanksgiving is a working day */
		{"2026-12-24", NULL},
		{"2026-12-31", NULL},
		{"2000-01-01", "New Year's Day"},
		{"1999-12-31", "New Year's Day (observed)"},
		{"2100-12-24", "Christmas Day (observed)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *name = "unset";
		int is = calendar_is_holiday(parse_ok(cases[i].date), &name);
		if (cases[i].name == NULL) {
			if (is || name != NULL)
				fail_msg("%s: not a holiday, got \"%s\"", cases[i].date, name);
		} else if (!is || strcmp(name, cases[i].name) != 0) {
			fail_msg("%s: want \"%s\", got %d \"%s\"", cases[i].date, cases[i].name, is,
			         name ? name : "(null)");
		}
	}
	const char *name = "unset";
	assert_int_equal(calendar_is_holiday(D(2026, 2, 30), &name), 0);
	assert_null(name);
	assert_int_equal(calendar_is_business_day(D(2026, 2, 30)), 0);
	assert_int_equal(calendar_is_business_day(D(2022, 6, 20)), 1);
	assert_int_equal(calendar_is_business_day(D(2021, 12, 31)), 0);
}

/* Easter Sunday from a published table (e.g. the U.S. Naval Observatory's); Good Friday is
 * two days before, and no other Friday of March or April is. */
static void test_easter(void **state)
{
	static const char *const easter[] = {
	    "2000-04-23", "2008-03-23", "2011-04-24", "2016-03-27", "2018-04-01",
	    "2019-04-21", "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28",
	    "2038-04-25", "2049-04-18", "2100-03-28", "2285-03-22",
	};
	for (size_t i = 0; i < sizeof(easter) / sizeof(easter[0]); i++) {
		struct cal_date e = parse_ok(easter[i]);
		assert_int_equal(calendar_weekday(e), 0);
		int fridays = 0;
		for (struct cal_date d = D(e.year, 3, 1); d.month <= 4; d = next_day(d)) {
			const char *name;
			if (calendar_weekday(d) != 5 || !calendar_is_holiday(d, &name))
				continue;
			assert_string_equal(name, "Good Friday");
			assert_int_equal(calendar_business_days_between(d, e), 0);
			struct cal_date sat = next_day(d);
			if (calendar_compare(next_day(sat), e) != 0)
				fail_msg("Easter %s: Good Friday found on %d-%d", easter[i], d.month, d.day);
			fridays++;
		}
		assert_int_equal(fridays, 1);
	}
	assert_int_equal(calendar_is_holiday(D(2026, 4, 3), NULL), 1);
}

static void test_add_business_days(void **state)
{
	static const struct {
		const char *start;
		int n;
		const char *want;
	} cases[] = {
		/* FOIA: received Wed 2026-11-25, Thanksgiving Thu 11-26: Fri 27, Mon 30, Tue 1,
		 * Wed 2 */
		{"2026-11-25", 4, "2026-12-02"},
		{"2026-11-25", 1, "2026-11-27"},
		{"2026-11-26", 1, "2026-11-27"},
		{"2026-11-27", 1, "2026-11-30"},
		{"2026-11-28", 1, "2026-11-30"}, /* from a Saturday */
		{"2026-11-29", 4, "2026-12-03"},
		/* n = 0 is start itself, business day or not */
		{"2026-11-25", 0, "2026-11-25"},
		{"2026-11-26", 0, "2026-11-26"},
		{"2026-11-28", 0, "2026-11-28"},
		/* observed Independence Day on Friday the 3rd */
		{"2026-07-02", 1, "2026-07-06"},
		{"2026-07-01", 2, "2026-07-06"},
		/* Good Friday, Lincoln's and Washington's Birthdays, MLK Day */
		{"2026-04-02", 1, "2026-04-06"},
		{"2026-02-11", 3, "2026-02-18"},
		{"2026-01-16", 1, "2026-01-20"},
		/* year ends */
		{"2026-12-23", 3, "2026-12-29"},
		{"2026-12-30", 2, "2027-01-04"},
		{"2027-12-23", 1, "2027-12-27"},
		{"2027-12-29", 2, "2028-01-03"}, /* Dec 31 closed for New Year's Day 2028 */
		{"2025-12-24", 2, "2025-12-29"},
		/* a whole year of business days: 248 in 2026 */
		{"2025-12-31", 248, "2026-12-31"},
		{"2025-12-31", 249, "2027-01-04"},
		/* backwards: the |n|-th business day before */
		{"2026-12-02", -4, "2026-11-25"},
		{"2026-07-06", -1, "2026-07-02"},
		{"2028-01-03", -1, "2027-12-30"},
		{"2026-11-28", -1, "2026-11-27"},
		{"2027-01-04", -249, "2025-12-31"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[64];
		snprintf(what, sizeof(what), "%s %+d", cases[i].start, cases[i].n);
		assert_date(calendar_add_business_days(parse_ok(cases[i].start), cases[i].n),
		            cases[i].want, what);
	}
	/* an invalid start comes back as it was */
	struct cal_date bad = calendar_add_business_days(D(2026, 2, 30), 3);
	assert_int_equal(bad.day, 30);
	/* a huge n is clamped, not looped on forever */
	struct cal_date far = calendar_add_business_days(D(2000, 1, 1), 2000000000);
	assert_true(far.year > 5500 && far.year < 6500);
	assert_int_equal(calendar_business_days_between(D(2000, 1, 1), far), 1000000);
}

static void test_business_days_between(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{"2026-11-25", "2026-12-02", 4},
		{"2026-12-02", "2026-11-25", -4},
		{"2026-11-25", "2026-11-25", 0},
		{"2026-11-26", "2026-11-26", 0},
		{"2026-11-27", "2026-11-29", 0},
		{"2026-11-26", "2026-11-27", 1},
		{"2024-12-31", "2025-12-31", 248},
		{"2025-12-31", "2026-12-31", 248},
		{"2026-12-31", "2027-12-31", 247},
		{"2027-12-30", "2028-01-03", 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = calendar_business_days_between(parse_ok(cases[i].a), parse_ok(cases[i].b));
		if (got != cases[i].want)
			fail_msg("(%s, %s]: got %d, want %d", cases[i].a, cases[i].b, got, cases[i].want);
	}
	assert_int_equal(calendar_business_days_between(D(2026, 2, 30), D(2026, 3, 30)), 0);
}

/* A small deterministic generator, so failures repeat. */
static uint64_t rng_state = 88172645463325252ULL;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

/* All the days 2000-01-01 .. 2100-12-31, with a day-by-day running count of business days:
 * count[i] is the number of business days in days[0 .. i]. */
#define N_DAYS 36890 /* 2000..2100: 101 years, 25 of them leap */
static struct cal_date days[N_DAYS];
static int count[N_DAYS];

static void fill_days(void)
{
	struct cal_date d = D(2000, 1, 1);
	int c = 0;
	for (int i = 0; i < N_DAYS; i++) {
		days[i] = d;
		c += calendar_is_business_day(d);
		count[i] = c;
		d = next_day(d);
	}
	assert_int_equal(calendar_compare(d, D(2101, 1, 1)), 0);
}

/* between() and add() against the day-by-day count, for random pairs and counts. */
static void test_property(void **state)
{
	fill_days();
	/* a year has 246..251 business days; exactly 13 or 14 days off (12 before Juneteenth,
	 * when some years' New Year's Day falls in the year before) */
	for (int y = 2000, i = 0; y <= 2100; y++) {
		int start = i;
		while (i < N_DAYS && days[i].year == y)
			i++;
		int n = count[i - 1] - (start > 0 ? count[start - 1] : 0);
		assert_true(n >= 244 && n <= 252);
	}
	for (int k = 0; k < 4000; k++) {
		int i = (int)(rng() % N_DAYS);
		int j = k % 4 == 0 ? (int)(rng() % N_DAYS) : i + (int)(rng() % 1201) - 600;
		if (j < 0 || j >= N_DAYS)
			continue;
		struct cal_date a = days[i], b = days[j];
		int want = count[j] - count[i];
		int got = calendar_business_days_between(a, b);
		if (got != want)
			fail_msg("between(%d-%d-%d, %d-%d-%d): got %d, want %d", a.year, a.month, a.day,
			         b.year, b.month, b.day, got, want);
		assert_int_equal(calendar_business_days_between(b, a), -want);
		if (j >= i) {
			/* add(a, between(a, b)) is the last business day <= b, or a */
			struct cal_date c = calendar_add_business_days(a, want);
			if (calendar_compare(c, b) > 0)
				fail_msg("add(%d-%d-%d, %d) = %d-%d-%d is after %d-%d-%d", a.year, a.month,
				         a.day, want, c.year, c.month, c.day, b.year, b.month, b.day);
			assert_int_equal(calendar_business_days_between(c, b), 0);
			if (want > 0)
				assert_int_equal(calendar_is_business_day(c), 1);
			else
				assert_int_equal(calendar_compare(c, a), 0);
		}
		/* add(a, n): the n-th business day after a, found by walking */
		if (i + 800 < N_DAYS && i >= 800) {
			int n = (int)(rng() % 400);
			struct cal_date c = calendar_add_business_days(a, n);
			int idx = i;
			while (count[idx] - count[i] < n)
				idx++;
			assert_int_equal(calendar_compare(c, days[idx]), 0);
			assert_int_equal(calendar_business_days_between(a, c), n);
			/* backwards from a business day undoes it */
			if (n > 0)
				assert_int_equal(calendar_compare(calendar_add_business_days(c, -n), a) <= 0,
				                 1);
			if (calendar_is_business_day(a) && n > 0) {
				struct cal_date back = calendar_add_business_days(a, -n);
				assert_int_equal(calendar_business_days_between(a, back), -n);
				assert_int_equal(calendar_is_business_day(back), 1);
				assert_int_equal(calendar_compare(calendar_add_business_days(back, n), a), 0);
			}
		}
	}
	/* the whole span at once */
	assert_int_equal(calendar_business_days_between(D(1999, 12, 31), D(2100, 12, 31)),
	                 count[N_DAYS - 1]);
}

static void test_weekday_compare(void **state)
{
	assert_int_equal(calendar_weekday(D(2026, 11, 25)), 3);
	assert_int_equal(calendar_weekday(D(1970, 1, 1)), 4);
	assert_int_equal(calendar_weekday(D(2000, 1, 1)), 6);
	assert_int_equal(calendar_weekday(D(2000, 2, 29)), 2);
	assert_int_equal(calendar_weekday(D(2100, 3, 1)), 1);
	assert_int_equal(calendar_weekday(D(1, 1, 1)), 1);
	assert_int_equal(calendar_weekday(D(9999, 12, 31)), 5);
	assert_int_equal(calendar_weekday(D(2026, 2, 29)), -1);
	assert_int_equal(calendar_weekday(D(0, 1, 1)), -1);
	assert_true(calendar_compare(D(2026, 1, 1), D(2025, 12, 31)) > 0);
	assert_true(calendar_compare(D(2026, 1, 31), D(2026, 2, 1)) < 0);
	assert_true(calendar_compare(D(2026, 2, 2), D(2026, 2, 1)) > 0);
	assert_int_equal(calendar_compare(D(2026, 2, 2), D(2026, 2, 2)), 0);
	/* the weekday advances by one each day over the whole range */
	int w = calendar_weekday(D(2000, 1, 1));
	for (struct cal_date d = D(2000, 1, 2); d.year <= 2100; d = next_day(d)) {
		int v = calendar_weekday(d);
		assert_int_equal(v, (w + 1) % 7);
		w = v;
	}
}

static void test_parse_format(void **state)
{
	static const char *const good[] = {"2026-11-23", "2024-02-29", "2000-02-29", "9999-12-31",
	                                   "0001-01-01", "2026-12-31", "2026-04-30"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct cal_date d;
		assert_int_equal(calendar_parse(good[i], &d), 0);
		char out[11];
		calendar_format(d, out);
		assert_string_equal(out, good[i]);
	}
	struct cal_date d = {0, 0, 0};
	assert_int_equal(calendar_parse("2026-11-23", &d), 0);
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.month, 11);
	assert_int_equal(d.day, 23);
	static const char *const bad[] = {
	    "2026-02-30", "2026-13-01", "2026-1-1",   "2026-01-01x", "2026-01-01 ", " 2026-01-01",
	    "",           "2023-02-29", "1900-02-29", "2100-02-29",  "2026-00-10",  "2026-01-00",
	    "0000-01-01", "2026/01/01", "+026-01-01", "2026-01-3a",  "2026-04-31",  "2026-01-1",
	    "202-01-01",  "20260101",   "2026-1-01",  "2026-01-32",  "2026-11-23\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cal_date e = {7, 7, 7};
		if (calendar_parse(bad[i], &e) != -1)
			fail_msg("\"%s\" should not parse", bad[i]);
		assert_int_equal(e.year, 7);
		assert_int_equal(e.month, 7);
		assert_int_equal(e.day, 7);
	}
	assert_int_equal(calendar_parse(NULL, &d), -1);
	char out[11];
	calendar_format(D(12345, -3, 100), out);
	assert_string_equal(out, "9999-00-99");
	calendar_format(D(7, 1, 2), out);
	assert_string_equal(out, "0007-01-02");
}

/* date_of in UTC and in US Eastern time computed here, checked against the C library's
 * America/New_York at random instants of 2000..2100; time_of in the process's zone. */
static void test_time_zones(void **state)
{
	assert_date(calendar_date_of(0, "UTC"), "1970-01-01", "epoch");
	assert_date(calendar_date_of(-1, "Etc/UTC"), "1969-12-31", "epoch - 1");
	assert_date(calendar_date_of(1795669200 - 1, "America/New_York"), "2026-11-25", "EST");
	assert_date(calendar_date_of(1795669200, "America/New_York"), "2026-11-26", "EST");
	assert_date(calendar_date_of(1783137600 - 1, "US/Eastern"), "2026-07-03", "EDT");
	assert_date(calendar_date_of(1783137600, ":America/New_York"), "2026-07-04", "EDT");
	/* DST starts 2026-03-08 07:00 UTC: before, 4:59 UTC is 23:59 EST of the 7th; after,
	 * 2026-03-09 03:59 UTC is 23:59 EDT of the 8th */
	assert_date(calendar_date_of(1772953200 - 7200 - 60, "EST5EDT"), "2026-03-07", "DST on");
	assert_date(calendar_date_of(1772953200 + 86400 - 3 * 3600 - 60, "EST5EDT"), "2026-03-08",
	            "DST on");
	assert_date(calendar_date_of(1772953200 + 86400 - 3 * 3600, "EST5EDT"), "2026-03-09",
	            "DST on");
	/* DST ends 2026-11-01 06:00 UTC: 2026-11-02 04:59 UTC is 23:59 EST of the 1st */
	assert_date(calendar_date_of(1793512800 + 86400 - 3600 - 60, "EST5EDT"), "2026-11-01",
	            "DST off");
	assert_date(calendar_date_of(1793512800 + 86400 - 3600, "EST5EDT"), "2026-11-02",
	            "DST off");

	char *saved = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", "America/New_York", 1);
	tzset();
	int64_t lo = 946684800, hi = 4133980799; /* 2000-01-01 .. 2100-12-31 UTC */
	for (int k = 0; k < 20000; k++) {
		int64_t t = lo + (int64_t)(((uint64_t)rng() << 20 ^ rng()) % (uint64_t)(hi - lo));
		/* half of them close to a local midnight, where an hour's error shows */
		if (k % 2)
			t = t - t % 3600 + (rng() % 3) * 1800 - 1;
		struct cal_date mine = calendar_date_of(t, "America/New_York");
		struct cal_date libc = calendar_date_of(t, NULL);
		if (calendar_compare(mine, libc) != 0)
			fail_msg("t=%lld: %d-%d-%d, libc %d-%d-%d", (long long)t, mine.year, mine.month,
			         mine.day, libc.year, libc.month, libc.day);
	}
	assert_int_equal(calendar_time_of(D(2026, 11, 25), 17, 0), 1795644000);
	assert_int_equal(calendar_time_of(D(2026, 7, 3), 0, 0), 1783137600 - 86400);
	assert_date(calendar_date_of(calendar_time_of(D(2026, 12, 2), 23, 59), "America/New_York"),
	            "2026-12-02", "round trip");
	/* a zone named that is not built in: known only when it is the process's TZ */
	struct cal_date none = calendar_date_of(0, "Europe/Paris");
	assert_int_equal(none.year, 0);
	assert_int_equal(calendar_is_valid(none), 0);
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	assert_date(calendar_date_of(-1, "Europe/Paris"), "1970-01-01", "Paris");
	assert_date(calendar_date_of(-1, ":Europe/Paris"), "1970-01-01", "Paris");
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(calendar_time_of(D(2026, 11, 25), 0, 0), 1795564800);
	assert_int_equal(calendar_time_of(D(2026, 11, 25), 24, 0), -1);
	assert_int_equal(calendar_time_of(D(2026, 11, 25), 12, 60), -1);
	assert_int_equal(calendar_time_of(D(2026, 11, 31), 12, 0), -1);
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

/* One conversion from a civil date and a UTC time to an instant: the same as timegm (and so
 * as IMAP's INTERNALDATE and mbox separators need), on every machine. */
static void test_days_from_civil_utc_time(void **state)
{
	(void)state;
	assert_int_equal(calendar_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(calendar_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(calendar_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(calendar_days_from_civil(2026, 2, 29), calendar_days_from_civil(2026, 3, 1));
	assert_int_equal(calendar_days_from_civil(1, 1, 1), -719162);
	int64_t t = 0;
	assert_int_equal(calendar_utc_time(D(1970, 1, 1), 0, 0, 0, &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(calendar_utc_time(D(2026, 3, 14), 15, 9, 26, &t), 0);
	assert_int_equal(t, 1773500966);
	assert_int_equal(calendar_utc_time(D(1969, 12, 31), 23, 59, 59, &t), 0);
	assert_int_equal(t, -1);
	assert_int_equal(calendar_utc_time(D(2024, 2, 29), 12, 0, 60, &t), 0);
	assert_int_equal(t, 1709208060); /* a leap second as written: 12:01:00 */
	assert_int_equal(calendar_utc_time(D(0, 2, 29), 0, 0, 0, &t), 0); /* 1 BC was leap */
	/* the same as timegm wherever timegm has an answer */
	const struct { struct cal_date d; int h, m, s; } cases[] = {
		{{1900, 3, 1}, 0, 0, 0}, {{2038, 1, 19}, 3, 14, 8}, {{2100, 12, 31}, 23, 59, 59},
		{{1601, 1, 1}, 1, 2, 3}, {{9999, 12, 31}, 23, 59, 59},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tm tm = {0};
		tm.tm_year = cases[i].d.year - 1900;
		tm.tm_mon = cases[i].d.month - 1;
		tm.tm_mday = cases[i].d.day;
		tm.tm_hour = cases[i].h;
		tm.tm_min = cases[i].m;
		tm.tm_sec = cases[i].s;
		assert_int_equal(calendar_utc_time(cases[i].d, cases[i].h, cases[i].m, cases[i].s, &t),
		                 0);
		assert_int_equal(t, (int64_t)timegm(&tm));
	}
	t = 42;
	assert_int_equal(calendar_utc_time(D(2026, 2, 29), 0, 0, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(2026, 4, 31), 0, 0, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(2026, 13, 1), 0, 0, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(2026, 1, 0), 0, 0, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(-1, 1, 1), 0, 0, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(10000, 1, 1), 0, 0, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(2026, 1, 1), 24, 0, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(2026, 1, 1), 12, 60, 0, &t), -1);
	assert_int_equal(calendar_utc_time(D(2026, 1, 1), 12, 0, 61, &t), -1);
	assert_int_equal(calendar_utc_time(D(2026, 12, 31), 23, 59, 60, &t), -1);
	assert_int_equal(t, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holidays_2025_2027),
		cmocka_unit_test(test_holidays_edges),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_add_business_days),
		cmocka_unit_test(test_business_days_between),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_weekday_compare),
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_time_zones),
		cmocka_unit_test(test_days_from_civil_utc_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
