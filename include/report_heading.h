/* report_heading.h — the words a person reads in every report, whatever its format (HTML,
 * PDF, text): the header (agency, program, period, generation time, a partial period's
 * note), the labels of the figures, durations in units that say what they are, and officers
 * by their display names (report_heading.c).  One place, so the page, the PDF and the screen
 * never say the same thing two ways. */
#ifndef LIAISON_REPORT_HEADING_H
#define LIAISON_REPORT_HEADING_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "report.h"

/* What a report is rendered with besides its figures. */
struct report_meta {
	const struct config *config; /* agency, program, users' display names (borrowed) */
	int64_t generated;           /* when the report is made (Unix time) */
};

/* The header of a report; every string owned (report_heading_free). */
struct report_heading {
	char *agency;    /* NULL when the configuration names none */
	char *program;   /* "Community Trust Liaison Program" */
	char *title;     /* "Monthly report, troop K" / "Quarterly summary, all troops" */
	char *period;    /* "1–31 October 2026" / "Q4 2026: 1 October – 31 December 2026" */
	char *generated; /* "Generated 6 December 2026 at 10:29 EST" (the configured zone) */
	char *partial;   /* "Partial period: figures to 6 December 2026; the period ends
	                    31 December 2026", or NULL when the period was over when generated */
};
void report_heading_monthly(const struct report_meta *meta, const struct report_monthly *r,
                            struct report_heading *h_r);
void report_heading_quarterly(const struct report_meta *meta, const struct report_quarterly *r,
                              struct report_heading *h_r);
void report_heading_free(struct report_heading *h);

/* A quarter as people write it: "Q3 2026" for "2026Q3" (the text as it is when it is not
 * such a quarter). */
void report_quarter_label(const char *quarter, char *out, size_t size);

/* A response time for people: "45 min", "5 h 20 min", "2 d 4 h"; "–" for none (< 0). */
void report_duration_text(int64_t seconds, char *out, size_t size);

/* Who a monthly row is about, as people call them: the user's display name (its login when
 * it has none), or "Unassigned, troop K" for a troop's unassigned threads.  New string. */
char *report_row_name(const struct report_meta *meta, const struct report_row *row);
/* A user's display name, or the login itself (borrowed). */
const char *report_user_name(const struct report_meta *meta, const char *login);

/* The label of a counted key: a referral's service ("2-1-1", from [service]), a category
 * ("none": "No category"), a kind of place visited ("community-group": "Community group").
 * New string. */
char *report_service_name(const struct report_meta *meta, const char *id);
char *report_key_label(const char *key);

/* What a bar chart shows: a label and a value per bar (labels owned). */
struct report_bars {
	char **labels;
	int64_t *values;
	size_t n;
};
/* Emails received by each row of a monthly report (rows named by report_row_name). */
void report_bars_officers(const struct report_meta *meta, const struct report_monthly *r,
                          struct report_bars *bars_r);
/* Emails received by week of a quarter, all troops ("Week 1 (from 2026-10-01)"). */
void report_bars_weeks(const struct report_quarterly *r, struct report_bars *bars_r);
/* Counts by key (labelled by report_key_label): threads by category. */
void report_bars_counts(const struct report_counts *counts, struct report_bars *bars_r);
/* Threads by time to first answer ("Under 1 h", ...). */
void report_bars_response(const struct report_stats *stats, struct report_bars *bars_r);
void report_bars_free(struct report_bars *bars);

#endif
