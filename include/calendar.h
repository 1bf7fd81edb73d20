/* calendar.h — civil dates and the business-day calendar of Connecticut state agencies: the
 * liaisons' response clock ("respond within N business days") and public-records deadlines
 * ("within four business days of such receipt", Conn. Gen. Stat. § 1-206(a)).
 *
 * A business day is a Monday to Friday that is not a Connecticut legal holiday as state
 * offices observe it.  The holidays (Conn. Gen. Stat. § 1-4, state employees' time off under
 * § 5-254(a), the lists DAS publishes each year):
 *   New Year's Day              January 1
 *   Martin Luther King Jr. Day  first Monday on or after January 15 (the third Monday)
 *   Lincoln's Birthday          February 12
 *   Washington's Birthday       third Monday of February
 *   Good Friday                 Friday before Easter (Gregorian, anonymous algorithm); a legal
 *                               holiday each year by the Governor's proclamation of a day of
 *                               religious observance under § 1-4
 *   Memorial Day                last Monday of May
 *   Juneteenth Independence Day June 19, from 2023 on (Public Act 22-128, in force Oct. 1,
 *                               2022; June 19, 2023 was the first one observed)
 *   Independence Day            July 4
 *   Labor Day                   first Monday of September
 *   Columbus Day                second Monday of October
 *   Veterans' Day               November 11
 *   Thanksgiving Day            fourth Thursday of November (proclaimed each year under § 1-4)
 *   Christmas Day               December 25
 * A holiday on a Sunday is observed the Monday after, one on a Saturday the Friday before
 * (§ 1-4: "the Monday next following ... the Friday immediately preceding"), so New Year's Day
 * on a Saturday is observed on December 31 of the year before (as on Dec. 31, 2021).  The
 * rules are today's; they hold for 2000 on and are computed for any year 1..9999.
 *
 * Dates are plain values; nothing here allocates, keeps state or touches the environment, so
 * every function is safe from any thread (calendar_date_of with tz NULL and calendar_time_of
 * read the process's time zone as the C library does). */
#ifndef LIAISON_CALENDAR_H
#define LIAISON_CALENDAR_H

#include <stdint.h>

/* A proleptic Gregorian civil date; month 1..12, day 1..31. */
struct cal_date {
	int year, month, day;
};

/* 1 when d is a real date of years 1..9999 (days in the month, leap years), else 0.
 * The functions below that take a date expect a valid one; what they do with an invalid
 * date is said at each, and is never a crash. */
int calendar_is_valid(struct cal_date d);

/* Day of the week, 0 = Sunday .. 6 = Saturday; -1 for an invalid date. */
int calendar_weekday(struct cal_date d);

/* <0, 0 or >0 as a is before, the same day as, or after b (by fields; works on any). */
int calendar_compare(struct cal_date a, struct cal_date b);

/* Returns 1 when d is a Connecticut legal holiday — the day itself or the weekday it is
 * observed on — and sets *name_r (may be NULL) to its name, a static string such as
 * "Thanksgiving Day" or "Independence Day (observed)"; returns 0 (and *name_r NULL)
 * otherwise or for an invalid date.  The day itself counts even on a weekend: 2026-07-04
 * gives 1 "Independence Day", 2026-07-03 gives 1 "Independence Day (observed)". */
int calendar_is_holiday(struct cal_date d, const char **name_r);

/* 1 when d is Monday..Friday and no holiday is observed on it; 0 otherwise or invalid. */
int calendar_is_business_day(struct cal_date d);

/* The n-th business day after start, start itself not counted: from Wed 2026-11-25 with
 * n = 4 (Thanksgiving on the 26th) gives Wed 2026-12-02.  n = 0 gives start, whatever day
 * it is.  A negative n gives the |n|-th business day before start.  |n| is clamped to
 * 1,000,000; an invalid start is returned unchanged.
 * For n >= 0, calendar_business_days_between(start, result) == n. */
struct cal_date calendar_add_business_days(struct cal_date start, int n);

/* The number of business days in (a, b] — after a, up to and including b; when b is before a,
 * minus the number in (b, a].  0 when either date is invalid. */
int calendar_business_days_between(struct cal_date a, struct cal_date b);

/* The civil date of the instant unix_time (seconds since the epoch) in the zone tz:
 *   NULL or ""                      the process's local time zone (localtime_r; TZ as the C
 *                                   library has loaded it — call tzset() once at start-up);
 *   "UTC", "Etc/UTC", "GMT", "Etc/GMT"  UTC;
 *   "America/New_York", "US/Eastern", "EST5EDT"  US Eastern time computed here, without the
 *                                   environment or tzdata: UTC-5, UTC-4 from the second Sunday
 *                                   of March 2:00 to the first Sunday of November 2:00 (15
 *                                   U.S.C. § 260a as amended in 2005, from 2007), before 2007
 *                                   the first Sunday of April to the last Sunday of October;
 *   any other name                  the process's time zone when the TZ variable names that
 *                                   same zone (a leading ':' is ignored), else not known.
 * A leading ':' on tz is ignored.  Returns {0, 0, 0} (invalid) for a zone not known. */
struct cal_date calendar_date_of(int64_t unix_time, const char *tz);

/* d moved by n days (negative: back); d must be valid. */
struct cal_date calendar_add_days(struct cal_date d, int n);

/* 1 when tz names a zone (a leading ':' ignored): one computed here, or a compiled zone of
 * the time zone database ($TZDIR, else /usr/share/zoneinfo); 0 otherwise.  A misspelt zone
 * must be a configuration error: the C library would silently take it for UTC. */
int calendar_zone_known(const char *tz);

/* The instant of hour:minute (0..23, 0..59) on d in the process's local time zone, by mktime
 * with tm_isdst = -1 (a time that a clock change skips or repeats is resolved as mktime does;
 * business hours never fall there).  Returns -1 for an invalid date or time. */
int64_t calendar_time_of(struct cal_date d, int hour, int minute);

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (negative before it):
 * 1970-01-01 gives 0, 2000-03-01 gives 11017, 1969-12-31 gives -1.  m is 1..12; d is counted
 * from the first of the month, so a day past the month's end gives a day of the next
 * (2026-02-29 is 2026-03-01).  Exact for every int year. */
int64_t calendar_days_from_civil(int y, int m, int d);

/* The instant of hour:minute:second UTC on d, in seconds since the epoch (negative before
 * 1970), as timegm would give it: returns 0 with *t_r, or -1 (and *t_r alone) unless d is a
 * real date of years 0..9999 (year 0 is 1 BC, proleptic; leap as 400 is), hour 0..23, minute
 * 0..59 and second 0..60.  Second 60 (a leap second as written) counts as the next minute's
 * 0, and is refused at 23:59:60, which is a time of the next day.  No time zone, no
 * environment: the same on every machine. */
int calendar_utc_time(struct cal_date d, int hour, int minute, int second, int64_t *t_r);

/* Parses exactly "YYYY-MM-DD" (four, two and two ASCII digits, nothing before or after) into
 * *d_r and returns 0; returns -1 and leaves *d_r alone for anything else or a date that does
 * not exist ("2026-02-30", "2026-13-01", "2026-1-1", "2026-01-01x", year 0000). */
int calendar_parse(const char *iso, struct cal_date *d_r);

/* Writes "YYYY-MM-DD" and a NUL into out.  Fields out of range are clamped into their width
 * (year 0..9999, month and day 0..99) so that the output always fits. */
void calendar_format(struct cal_date d, char out[11]);

#endif
