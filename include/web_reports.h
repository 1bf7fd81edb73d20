/* web_reports.h — the monthly and quarterly reports on screen, as CSV, as printable HTML and
 * as PDF, and "report due" with its submission (web_reports.c over ops_report.h). */
#ifndef LIAISON_WEB_REPORTS_H
#define LIAISON_WEB_REPORTS_H

#include "web_page.h"

void web_reports_page(struct web_ctx *c, const char *rest);
void web_reports_get(struct web_ctx *c, const char *rest);
void web_reports_action(struct web_ctx *c, const char *rest);

#endif
