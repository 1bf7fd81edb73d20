/* report_snapshot.h — the figures of a submitted monthly report, kept as they were: one
 * officer's struct report_stats written as JSON text for the store, read back, and put in
 * place of today's figures when the month is read again. */
#ifndef LIAISON_REPORT_SNAPSHOT_H
#define LIAISON_REPORT_SNAPSHOT_H

#include "report.h"

/* The figures as JSON text (caller frees).  Response times are kept one by one, so the
 * median and percentiles read back are those that were submitted. */
char *report_snapshot_encode(const struct report_stats *stats);
/* Reads figures written by report_snapshot_encode into *stats_r (zeroed first; free with
 * report_stats_free).  Returns 0, or -1 when the text is not such figures. */
int report_snapshot_decode(const char *text, struct report_stats *stats_r);

/* Rows with stored figures show them in place of today's (live 0), the total then being
 * the sum of the rows as shown; with live 1 they keep today's and carry the submitted ones
 * in as_submitted.  Returns 0, or -1 with *error_r when stored figures cannot be read. */
int report_monthly_use_submitted(struct report_monthly *report, int live, char **error_r);

#endif
