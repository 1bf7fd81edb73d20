/* ops_report.h — the rules of the reports: who may read which monthly report, who may read
 * the quarterly one, who may submit whose monthly report, and what each records in the
 * audit trail (report.h computes the figures; the command line only prints them).
 *
 * Rights: a liaison (ctl) reads its own monthly report (the default with neither officer
 * nor troop) or its troops'; coordinator, records and admin read all and the quarterly
 * summary.  A liaison submits its own monthly report, the coordinator and admin anyone's,
 * records none.  Every report read and every submission is audited in one transaction.
 * Results are ops.h's OPS_ codes with *error_r (caller frees). */
#ifndef LIAISON_OPS_REPORT_H
#define LIAISON_OPS_REPORT_H

#include <stdint.h>

#include "ops.h"
#include "report.h"

struct ops_monthly_query {
	const char *month;   /* "YYYY-MM" */
	const char *officer; /* one officer, or NULL: the troop, everyone (a liaison: itself) */
	char troop;          /* one troop, or '\0' */
	const char *format;  /* how it is printed, for the audit entry */
	int live;            /* today's figures even where a report was submitted (each row
	                        then carries the submitted ones, for the difference) */
};
/* The monthly report the actor asked for, its read audited.  Returns OPS_OK with *report_r
 * (free with report_monthly_free), or OPS_REFUSED / OPS_INVALID / OPS_FAILED. */
int ops_report_monthly(struct store *store, const struct actor *actor,
                       const struct ops_monthly_query *query, struct report_monthly **report_r,
                       char **error_r);

/* The quarterly summary ("2026Q2"), its read audited. */
int ops_report_quarterly(struct store *store, const struct actor *actor, const char *quarter,
                         const char *format, struct report_quarterly **report_r,
                         char **error_r);

/* Submits officer's monthly report for month: its figures as of now are stored with who
 * and when, audited, in one transaction; reading that month then shows them (report.h
 * struct report_row).  Refused for a month not over at now (the configured zone) and for
 * a report already submitted: the first submission stays.  On OPS_OK *report_r holds the
 * officer's report as stored (free with report_monthly_free). */
int ops_report_submit(struct store *store, const struct actor *actor, const char *officer,
                      const char *month, int64_t now, struct report_monthly **report_r,
                      char **error_r);

/* 1 when the actor may submit officer's monthly report (the rule of ops_report_submit, for
 * a front end that offers only what would be accepted), else 0. */
int ops_report_may_submit(const struct actor *actor, const char *officer);

/* The reports due for month (NULL: the month before now's) of the liaisons the actor sees
 * (a liaison: those sharing one of its troops).  Free with report_due_free. */
int ops_report_due(struct store *store, const struct actor *actor, const char *month,
                   int64_t now, struct report_due *due_r, char **error_r);

#endif
