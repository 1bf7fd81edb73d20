/* report_render.h — the reports of report.h as text, CSV, JSON (report_render.c) and one
 * printable HTML page with inline SVG charts (report_html.c).  Every function writes the
 * whole report to out; the report is not changed but for its response times, which are
 * sorted (hence not const). */
#ifndef LIAISON_REPORT_RENDER_H
#define LIAISON_REPORT_RENDER_H

#include <jansson.h>
#include <stdio.h>

#include "report.h"
#include "report_heading.h"

/* The quarterly figures compared with the previous quarter, in this order. */
enum report_metric {
	RM_RECEIVED, RM_ANSWERED, RM_OPENED, RM_CLOSED, RM_REFERRALS, RM_EVENTS, RM_UNABLE,
	RM_VISITED, RM_REPORTABLE, RM_MEDIAN, RM_P90, RM_COUNT
};
extern const char *const report_metric_names[RM_COUNT];
/* The same as people read them ("Emails received", "Median time to first answer"). */
extern const char *const report_metric_labels[RM_COUNT];
/* The value of a metric; -1 for a percentile of no response. */
int64_t report_metric_value(struct report_stats *stats, enum report_metric metric);

/* New JSON documents (caller's): see README "Reports" for their fields. */
json_t *report_monthly_json(struct report_monthly *report);
json_t *report_quarterly_json(struct report_quarterly *report);
/* Text for a terminal: the header, then each officer's (troop's) figures, labelled. */
void report_monthly_text(FILE *out, struct report_monthly *report,
                         const struct report_meta *meta);
void report_quarterly_text(FILE *out, struct report_quarterly *report,
                           const struct report_meta *meta);
/* One line per officer (monthly: its login, then its display name) or troop (quarterly),
 * with a header line of field names (the JSON's), for spreadsheets and scripts. */
void report_monthly_csv(FILE *out, struct report_monthly *report,
                        const struct report_meta *meta);
void report_quarterly_csv(FILE *out, struct report_quarterly *report);
/* A self-contained printable page: no scripts, no external resources, every database value
 * escaped (report_html.c). */
void report_monthly_html(FILE *out, struct report_monthly *report,
                         const struct report_meta *meta);
void report_quarterly_html(FILE *out, struct report_quarterly *report,
                           const struct report_meta *meta);
/* The page's content alone, <article class="report">, its title at heading level (the
 * console's frame has its own h1): what the console shows and the page prints. */
void report_monthly_html_body(FILE *out, struct report_monthly *report,
                              const struct report_meta *meta, int level);
void report_quarterly_html_body(FILE *out, struct report_quarterly *report,
                                const struct report_meta *meta, int level);

#endif
