/* report_pdf.h — the monthly and quarterly reports as a paginated PDF (report_pdf.c, drawn
 * through pdf.h's canvas): the header of report_heading.h, the tables with their total rows,
 * the charts as bars, and "Page N of M" with the header's words on every page.  The content
 * is 511 points wide on either paper (A4's width less its margins), so the same report fits
 * Letter and A4; the paper chooses only the page's size. */
#ifndef LIAISON_REPORT_PDF_H
#define LIAISON_REPORT_PDF_H

#include <stdio.h>

#include "report.h"
#include "report_heading.h"

enum report_paper { REPORT_PAPER_LETTER, REPORT_PAPER_A4 };
/* "letter" or "a4" (any case).  Returns 0, or -1 for anything else. */
int report_paper_parse(const char *s, enum report_paper *paper_r);

/* Writes the report's PDF to out.  Returns 0, or -1 with *error_r (out could not be
 * written).  The report is not changed but for its response times, which are sorted. */
int report_monthly_pdf(FILE *out, struct report_monthly *report, const struct report_meta *meta,
                       enum report_paper paper, char **error_r);
int report_quarterly_pdf(FILE *out, struct report_quarterly *report,
                         const struct report_meta *meta, enum report_paper paper,
                         char **error_r);

#endif
