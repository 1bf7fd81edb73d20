/* web_records.h — the records office's FOIA desk: search and saved searches (web_records.c),
 * the register of requests and a request's responsive set (web_foia.h), the review desk
 * (web_review.h); production: web_export.h; holds, retention, verification: web_holds.h.
 * What the three share is in web_records_form.h. */
#ifndef LIAISON_WEB_RECORDS_H
#define LIAISON_WEB_RECORDS_H

#include "web_page.h"

/* GET /records, GET /records/REST, POST /records/REST */
void web_records_page(struct web_ctx *c, const char *rest);
void web_records_get(struct web_ctx *c, const char *rest);
void web_records_action(struct web_ctx *c, const char *rest);

#endif
