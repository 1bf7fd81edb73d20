/* calendar.c — civil dates and Connecticut state agencies' business days (see calendar.h for
 * the holidays and their sources).
 *
 * Dates are turned into serial day numbers (days since 1970-01-01) with Howard Hinnant's
 * days_from_civil / civil_from_days, which are exact for the proleptic Gregorian calendar.
 * One holiday test looks only at the rules that can fall in the date's month; counting over a
 * range (calendar_business_days_between) counts weekdays arithmetically and subtracts the
 * days off of each year in the range, so long spans cost a few operations per year. */
#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BUSINESS_DAYS 1000000
#define JUNETEENTH_FIRST_YEAR 2023

enum { SUNDAY = 0, MONDAY = 1, THURSDAY = 4, FRIDAY = 5, SATURDAY = 6 };

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int calendar_is_valid(struct cal_date d)
{
	return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
	       d.day <= days_in_month(d.year, d.month);
}

/* Days since 1970-01-01 (Hinnant, "chrono-Compatible Low-Level Date Algorithms"). */
int64_t calendar_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static struct cal_date civil_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	struct cal_date r = {(int)(yoe + era * 400 + (m <= 2)), m, d};
	return r;
}

static int64_t serial(struct cal_date d)
{
	return calendar_days_from_civil(d.year, d.month, d.day);
}

/* 1970-01-01 was a Thursday. */
static int weekday_of_serial(int64_t z)
{
	int64_t w = (z + THURSDAY) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int calendar_weekday(struct cal_date d)
{
	return calendar_is_valid(d) ? weekday_of_serial(serial(d)) : -1;
}

int calendar_compare(struct cal_date a, struct cal_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

/* Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
static struct cal_date easter_of(int y)
{
	int a = y % 19, b = y / 100, c = y % 100;
	int d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	struct cal_date r = {y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1};
	return r;
}

/* Day of month of the nth (1..5) given weekday of a month, or of the last one when nth = -1. */
static int nth_weekday(int y, int m, int weekday, int nth)
{
	if (nth < 0) {
		int last = days_in_month(y, m);
		int w = weekday_of_serial(calendar_days_from_civil(y, m, last));
		return last - (w - weekday + 7) % 7;
	}
	int w = weekday_of_serial(calendar_days_from_civil(y, m, 1));
	return 1 + (weekday - w + 7) % 7 + 7 * (nth - 1);
}

/* The holidays on a fixed day of the month, moved to the nearest weekday when on a weekend. */
struct fixed_holiday {
	int month, day, first_year;
	const char *name, *observed;
};

static const struct fixed_holiday fixed_holidays[] = {
	{1, 1, 1, "New Year's Day", "New Year's Day (observed)"},
	{2, 12, 1, "Lincoln's Birthday", "Lincoln's Birthday (observed)"},
	{6, 19, JUNETEENTH_FIRST_YEAR, "Juneteenth Independence Day",
	 "Juneteenth Independence Day (observed)"},
	{7, 4, 1, "Independence Day", "Independence Day (observed)"},
	{11, 11, 1, "Veterans' Day", "Veterans' Day (observed)"},
	{12, 25, 1, "Christmas Day", "Christmas Day (observed)"},
};
#define N_FIXED (sizeof(fixed_holidays) / sizeof(fixed_holidays[0]))

/* The holidays that are an nth weekday of a month (always a weekday: never moved). */
struct floating_holiday {
	int month, weekday, nth; /* nth -1: the last */
	const char *name;
};

static const struct floating_holiday floating_holidays[] = {
	{1, MONDAY, 3, "Martin Luther King Jr. Day"}, /* first Monday on or after Jan 15 */
	{2, MONDAY, 3, "Washington's Birthday"},
	{5, MONDAY, -1, "Memorial Day"},
	{9, MONDAY, 1, "Labor Day"},
	{10, MONDAY, 2, "Columbus Day"},
	{11, THURSDAY, 4, "Thanksgiving Day"},
};
#define N_FLOATING (sizeof(floating_holidays) / sizeof(floating_holidays[0]))

static const char GOOD_FRIDAY[] = "Good Friday";

/* The serial day a fixed holiday of year y is observed on. */
static int64_t observed_serial(const struct fixed_holiday *h, int y)
{
	int64_t z = calendar_days_from_civil(y, h->month, h->day);
	int w = weekday_of_serial(z);
	return w == SATURDAY ? z - 1 : w == SUNDAY ? z + 1 : z;
}

static int holiday_at(struct cal_date d, int64_t z, int w, const char **name_r)
{
	for (size_t i = 0; i < N_FIXED; i++) {
		const struct fixed_holiday *h = &fixed_holidays[i];
		/* observed at most a day away, in the same month but for January 1st on a Saturday,
		 * observed on December 31st of the year before */
		int y;
		if (d.month == h->month)
			y = d.year;
		else if (h->month == 1 && h->day == 1 && d.month == 12 && d.day == 31)
			y = d.year + 1;
		else
			continue;
		if (y < h->first_year)
			continue;
		int64_t actual = calendar_days_from_civil(y, h->month, h->day);
		if (actual == z) {
			*name_r = h->name;
			return 1;
		}
		if (observed_serial(h, y) == z) {
			*name_r = h->observed;
			return 1;
		}
	}
	for (size_t i = 0; i < N_FLOATING; i++) {
		const struct floating_holiday *h = &floating_holidays[i];
		if (d.month == h->month && w == h->weekday &&
		    d.day == nth_weekday(d.year, d.month, h->weekday, h->nth)) {
			*name_r = h->name;
			return 1;
		}
	}
	if (w == FRIDAY && (d.month == 3 || d.month == 4)) {
		struct cal_date e = easter_of(d.year);
		if (serial(e) - 2 == z) {
			*name_r = GOOD_FRIDAY;
			return 1;
		}
	}
	return 0;
}

int calendar_is_holiday(struct cal_date d, const char **name_r)
{
	const char *name = NULL;
	int found = 0;
	if (calendar_is_valid(d)) {
		int64_t z = serial(d);
		found = holiday_at(d, z, weekday_of_serial(z), &name);
	}
	if (name_r != NULL)
		*name_r = found ? name : NULL;
	return found;
}

static int business_day_serial(int64_t z)
{
	int w = weekday_of_serial(z);
	if (w == SATURDAY || w == SUNDAY)
		return 0;
	struct cal_date d = civil_from_days(z);
	const char *name;
	return !holiday_at(d, z, w, &name);
}

int calendar_is_business_day(struct cal_date d)
{
	return calendar_is_valid(d) && business_day_serial(serial(d));
}

/* The weekdays (Monday..Friday) in the serial days (lo, hi], lo <= hi. */
static int64_t weekdays_in(int64_t lo, int64_t hi)
{
	int64_t n = hi - lo;
	int64_t count = n / 7 * 5;
	for (int64_t z = lo + n / 7 * 7 + 1; z <= hi; z++) {
		int w = weekday_of_serial(z);
		count += w != SATURDAY && w != SUNDAY;
	}
	return count;
}

/* Writes the serial days off (all weekdays, all different) of the holidays of year y into
 * out and returns how many.  New Year's Day of y may be observed on December 31 of y - 1. */
#define MAX_DAYS_OFF (N_FIXED + N_FLOATING + 1)
static size_t days_off_of_year(int y, int64_t out[MAX_DAYS_OFF])
{
	size_t n = 0;
	for (size_t i = 0; i < N_FIXED; i++)
		if (y >= fixed_holidays[i].first_year)
			out[n++] = observed_serial(&fixed_holidays[i], y);
	for (size_t i = 0; i < N_FLOATING; i++) {
		const struct floating_holiday *h = &floating_holidays[i];
		out[n++] = calendar_days_from_civil(y, h->month, nth_weekday(y, h->month, h->weekday, h->nth));
	}
	out[n++] = serial(easter_of(y)) - 2;
	return n;
}

/* Business days in the serial days (lo, hi], lo <= hi. */
static int64_t business_days_in(int64_t lo, int64_t hi)
{
	if (lo >= hi)
		return 0;
	int64_t count = weekdays_in(lo, hi);
	int first = civil_from_days(lo + 1).year, last = civil_from_days(hi).year;
	/* December 31 of last may be next year's New Year's Day observed */
	for (int y = first; y <= last + 1; y++) {
		int64_t off[MAX_DAYS_OFF];
		size_t n = days_off_of_year(y, off);
		for (size_t i = 0; i < n; i++)
			count -= off[i] > lo && off[i] <= hi;
	}
	return count;
}

int calendar_business_days_between(struct cal_date a, struct cal_date b)
{
	if (!calendar_is_valid(a) || !calendar_is_valid(b))
		return 0;
	int64_t za = serial(a), zb = serial(b);
	return (int)(za <= zb ? business_days_in(za, zb) : -business_days_in(zb, za));
}

struct cal_date calendar_add_business_days(struct cal_date start, int n)
{
	if (!calendar_is_valid(start) || n == 0)
		return start;
	int64_t want = n < 0 ? -(int64_t)n : n;
	if (want > MAX_BUSINESS_DAYS)
		want = MAX_BUSINESS_DAYS;
	int64_t z0 = serial(start), z = z0;
	/* Forward, the answer is the first z with want business days in (z0, z]; backward, the
	 * first z going down with want business days in [z, z0).  Jump whole weeks while far:
	 * a week holds at most 5 business days, so jumping (left - 1) / 5 weeks never passes the
	 * answer; holidays make each jump fall a little short, and the next one makes that up. */
	int64_t left = want;
	while (left > 5) {
		int64_t weeks = (left - 1) / 5;
		z += n > 0 ? weeks * 7 : -weeks * 7;
		left = want - (n > 0 ? business_days_in(z0, z) : business_days_in(z - 1, z0 - 1));
	}
	while (left > 0) {
		z += n > 0 ? 1 : -1;
		left -= business_day_serial(z);
	}
	return civil_from_days(z);
}

/* 1 when name is tz, ignoring a leading ':' on either. */
static int same_zone(const char *tz, const char *name)
{
	if (*tz == ':')
		tz++;
	if (*name == ':')
		name++;
	return strcmp(tz, name) == 0;
}

static int is_utc_zone(const char *tz)
{
	static const char *const names[] = {"UTC", "Etc/UTC", "GMT", "Etc/GMT"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (same_zone(tz, names[i]))
			return 1;
	return 0;
}

static int is_eastern_zone(const char *tz)
{
	static const char *const names[] = {"America/New_York", "US/Eastern", "EST5EDT"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (same_zone(tz, names[i]))
			return 1;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* US Eastern time's offset from UTC in seconds at instant t.  Clocks change at 2:00 local:
 * 07:00 UTC going forward (from EST), 06:00 UTC going back (from EDT). */
static int64_t eastern_offset(int64_t t)
{
	int y = civil_from_days(floor_div(t, 86400)).year;
	int64_t start, end;
	if (y >= 2007) {
		start = calendar_days_from_civil(y, 3, nth_weekday(y, 3, SUNDAY, 2));
		end = calendar_days_from_civil(y, 11, nth_weekday(y, 11, SUNDAY, 1));
	} else {
		start = calendar_days_from_civil(y, 4, nth_weekday(y, 4, SUNDAY, 1));
		end = calendar_days_from_civil(y, 10, nth_weekday(y, 10, SUNDAY, -1));
	}
	start = start * 86400 + 7 * 3600;
	end = end * 86400 + 6 * 3600;
	return t >= start && t < end ? -4 * 3600 : -5 * 3600;
}

struct cal_date calendar_add_days(struct cal_date d, int n)
{
	return civil_from_days(serial(d) + n);
}

int calendar_zone_known(const char *tz)
{
	if (tz == NULL || *tz == ':')
		tz = tz ? tz + 1 : "";
	if (*tz == '\0' || *tz == '/' || strstr(tz, "..") != NULL)
		return 0;
	if (is_utc_zone(tz) || is_eastern_zone(tz))
		return 1;
	/* Known to the C library: a compiled zone of the time zone database (TZif magic). */
	const char *dir = getenv("TZDIR");
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	char magic[4];
	int ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

struct cal_date calendar_date_of(int64_t unix_time, const char *tz)
{
	struct cal_date none = {0, 0, 0};
	if (tz != NULL && *tz != '\0') {
		if (is_utc_zone(tz))
			return civil_from_days(floor_div(unix_time, 86400));
		if (is_eastern_zone(tz))
			return civil_from_days(floor_div(unix_time + eastern_offset(unix_time), 86400));
		const char *env = getenv("TZ");
		if (env == NULL || !same_zone(tz, env))
			return none;
	}
	time_t t = (time_t)unix_time;
	struct tm tm;
	if ((int64_t)t != unix_time || localtime_r(&t, &tm) == NULL)
		return none;
	struct cal_date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
	return d;
}

int64_t calendar_time_of(struct cal_date d, int hour, int minute)
{
	if (!calendar_is_valid(d) || hour < 0 || hour > 23 || minute < 0 || minute > 59)
		return -1;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

int calendar_utc_time(struct cal_date d, int hour, int minute, int second, int64_t *t_r)
{
	if (d.year < 0 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 ||
	    d.day > days_in_month(d.year, d.month) || hour < 0 || hour > 23 || minute < 0 ||
	    minute > 59 || second < 0 || second > 60)
		return -1;
	int64_t of_day = (int64_t)hour * 3600 + minute * 60 + second;
	/* 23:59:60 is the first second of the next day: not a time of d */
	if (of_day >= 86400)
		return -1;
	*t_r = calendar_days_from_civil(d.year, d.month, d.day) * 86400 + of_day;
	return 0;
}

static int digits(const char *s, int n, int *value_r)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*value_r = v;
	return 0;
}

int calendar_parse(const char *iso, struct cal_date *d_r)
{
	struct cal_date d;
	if (iso == NULL || strnlen(iso, 11) != 10 || iso[4] != '-' || iso[7] != '-' ||
	    digits(iso, 4, &d.year) < 0 || digits(iso + 5, 2, &d.month) < 0 ||
	    digits(iso + 8, 2, &d.day) < 0 || !calendar_is_valid(d))
		return -1;
	*d_r = d;
	return 0;
}

static void put_digits(char *out, int value, int width, int max)
{
	if (value < 0)
		value = 0;
	if (value > max)
		value = max;
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

void calendar_format(struct cal_date d, char out[11])
{
	put_digits(out, d.year, 4, 9999);
	out[4] = '-';
	put_digits(out + 5, d.month, 2, 99);
	out[7] = '-';
	put_digits(out + 8, d.day, 2, 99);
	out[10] = '\0';
}
