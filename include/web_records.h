/* web_records.h — the records office's FOIA desk: search and saved searches, the register of
 * requests, a request's responsive set, the review desk (production: web_export.h; holds,
 * retention, verification: web_holds.h). */
#ifndef LIAISON_WEB_RECORDS_H
#define LIAISON_WEB_RECORDS_H

#include "web_page.h"

/* GET /records, GET /records/REST, POST /records/REST */
void web_records_page(struct web_ctx *c, const char *rest);
void web_records_get(struct web_ctx *c, const char *rest);
void web_records_action(struct web_ctx *c, const char *rest);

#endif
