/* report.h — the monthly report per liaison and the quarterly summary of all troops,
 * computed over plain structs (the SQL is in store.c, the output in report_render.c and
 * report_html.c).
 *
 * Attribution (README "Reports"): mail, response times, threads opened and closed and
 * reportable disclosures count for the thread's assignee (an unassigned thread for
 * "unassigned" of its troop); referrals for the user who made them; events for their
 * primary unit, and a done event also as "attended" for each other user of its
 * attended_by (once each: a troop's or the quarter's attended figure counts attendances,
 * its events figure counts events).  Windows are calendar months and quarters in the configured time zone
 * (the process TZ): [first day 00:00, first day of the next period 00:00).
 *
 * What falls in a window: a message by its date; a thread is opened when its first message
 * is, answered when its first incoming message from a person is (the response time is to
 * the first answer written by a person, whenever it came), closed when its closing is; a
 * reportable disclosure belongs to the window its thread was opened in; a referral by when
 * it was made; an event (done or unable to fulfil) by its date. */
#ifndef LIAISON_REPORT_H
#define LIAISON_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "ops.h"
#include "store.h"

/* Response-time distribution: < 1 h, 1–4 h, 4–24 h, 1–2 days, 2–7 days, 7 days or more. */
#define REPORT_RT_BUCKETS 6
extern const char *const report_rt_bucket_names[REPORT_RT_BUCKETS];
/* Weeks of a quarter: week 1 is its first seven days (a quarter has 13 or 14). */
#define REPORT_MAX_WEEKS 14

struct report_count {
	char *key;
	int64_t n;
};
/* Counts by key, in order of first appearance (renderers sort if they wish). */
struct report_counts {
	struct report_count *items;
	size_t count, cap;
};

/* An event in a report: unable to fulfil (text: the narrative) or a visit (text: school,
 * business, faith or community-group). */
struct report_event_item {
	int64_t id;
	char *date, *place, *text;
};
struct report_disclosure {
	char *ref, *status, *rms_number, *not_reportable_reason; /* the last two may be NULL */
	char *subject;   /* NULL for a confidential thread: its subject is not in reports */
};

struct report_stats {
	int64_t received;     /* incoming messages from people */
	int64_t answered;     /* messages written by a person to them */
	int64_t opened, closed;
	int64_t *times;       /* response times in seconds, of threads answered */
	size_t n_times, cap_times;
	int64_t unanswered;   /* threads whose first incoming message came, not answered yet */
	struct report_counts referrals; /* by service id */
	int64_t referrals_total;
	struct report_counts events;    /* by CAD sub-type, as primary unit */
	int64_t events_total;
	struct report_counts attended;  /* done events attended, not as primary unit, by
	                                   sub-type */
	int64_t attended_total;
	struct report_counts visited;   /* by kind of place */
	struct report_counts categories; /* threads opened, by category ("none") */
	struct report_event_item *unable, *visits;
	size_t n_unable, n_visits;
	struct report_disclosure *reportable;
	size_t n_reportable;
	int64_t weeks[REPORT_MAX_WEEKS];      /* quarterly: incoming messages by week */
	int64_t rt_buckets[REPORT_RT_BUCKETS];
};

/* The nearest-rank percentile p (1..100) of n values sorted ascending: the value at rank
 * ceil(p/100 × n) (1-based).  The median is p = 50 (for an even n the lower middle value).
 * Returns 0 with *value_r, or -1 when n is 0. */
int report_percentile(const int64_t *sorted, size_t n, int p, int64_t *value_r);
/* Median and 90th percentile of stats->times (sorts them).  Each is -1 when none. */
void report_stats_times(struct report_stats *stats, int64_t *median_r, int64_t *p90_r);

/* Building blocks for figures read back (report_snapshot.c) and for totals. */
void report_counts_add(struct report_counts *counts, const char *key, int64_t n);
void report_stats_add_time(struct report_stats *stats, int64_t seconds);
/* Adds src's figures to dst (counts, lists and response times). */
void report_stats_merge(struct report_stats *dst, const struct report_stats *src);
void report_stats_free(struct report_stats *stats);

/* "2026-04" → year 2026, month 4.  Returns 0 or -1. */
int report_parse_month(const char *s, int *year_r, int *month_r);
/* "2026Q2" (or q2) → year 2026, quarter 2.  Returns 0 or -1. */
int report_parse_quarter(const char *s, int *year_r, int *quarter_r);
/* The quarter before (2026Q1 → 2025Q4). */
void report_previous_quarter(int year, int quarter, int *year_r, int *quarter_r);
/* The month before (2026-01 → 2025-12). */
void report_previous_month(int year, int month, int *year_r, int *month_r);
/* [from, to) of months months starting at year-month, local time.  Returns 0 or -1. */
int report_window(int year, int month, int months, int64_t *from_r, int64_t *to_r);

struct report_row {
	char *officer;   /* a user, or "unassigned" */
	char *troops;    /* "unassigned": its troop; a liaison: its troops; others: NULL */
	int submitted;   /* the report of this officer and month was marked submitted */
	char *submitted_by;    /* owned; NULL when not submitted */
	int64_t submitted_at;
	char *figures;         /* owned: the figures stored at submission (report_snapshot.h),
	                          NULL when not submitted or submitted before they were kept */
	int stored;            /* stats are the figures as submitted, not today's */
	struct report_stats *as_submitted; /* owned: with today's figures in stats (--live),
	                                      the submitted ones, for the difference; or NULL */
	struct report_stats stats;
};
struct report_monthly {
	char month[24];
	int64_t from, to;
	const char *officer; /* the scope (borrowed from the request), or NULL */
	char troop;          /* the scope, or '\0' */
	struct report_row *rows; /* liaisons first (configuration order), then others by name,
	                            then unassigned by troop */
	size_t n_rows;
	struct report_stats total;
};

/* Computes the monthly report of month "YYYY-MM" for one officer (officer not NULL), one
 * troop (troop not '\0') or everyone.  Returns OPS_OK with *report_r (free with
 * report_monthly_free), or OPS_INVALID / OPS_FAILED with *error_r. */
int report_monthly_build(struct store *store, const struct config *config, const char *month,
                         const char *officer, char troop, struct report_monthly **report_r,
                         char **error_r);
void report_monthly_free(struct report_monthly **report);

struct report_troop {
	char troop;      /* '\0' for the total of all troops */
	struct report_stats current, previous;
};
struct report_quarterly {
	char quarter[24], previous[24];
	int64_t from, to, prev_from, prev_to;
	int n_weeks;
	struct report_troop *troops; /* configuration order, then the total */
	size_t n_troops;
};
/* The quarterly summary of all troops against the previous quarter ("2026Q2"); who may
 * read it is ops_report.h's rule.  Returns OPS_OK with *report_r (free with
 * report_quarterly_free), or an OPS_ code with *error_r. */
int report_quarterly_build(struct store *store, const struct config *config,
                           const char *quarter, struct report_quarterly **report_r,
                           char **error_r);
void report_quarterly_free(struct report_quarterly **report);

struct report_due {
	char month[24];       /* the preceding month */
	char due[11];       /* its 7th day after: "YYYY-MM-07" of the month after */
	int overdue;          /* today is after the due date */
	struct strlist missing;   /* liaisons (ctl) without a submission */
	struct strlist submitted;
};
/* The reports due for month (NULL: the month before now's), of every liaison (ops_report.h
 * keeps those the actor sees).  Returns an OPS_ code; free with report_due_free. */
int report_due_build(struct store *store, const struct config *config, const char *month,
                     int64_t now, struct report_due *due_r, char **error_r);
void report_due_free(struct report_due *due);

#endif
