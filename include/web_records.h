/* web_records.h — the records office's FOIA desk: search and saved searches, the register of
 * requests, a request's responsive set, the review desk, background production with its
 * download, holds, retention and verification (web_records*.c over ops_foia.h,
 * ops_retention.h, ops_audit.h, production.h). */
#ifndef LIAISON_WEB_RECORDS_H
#define LIAISON_WEB_RECORDS_H

#include "web_page.h"

/* GET /records, GET /records/REST, POST /records/REST */
void web_records_page(struct web_ctx *c, const char *rest);
void web_records_get(struct web_ctx *c, const char *rest);
void web_records_action(struct web_ctx *c, const char *rest);
/* GET /records/job/ID: a background export's progress (JSON, for the page's script) */
void web_records_job(struct web_ctx *c, const char *rest);

#endif
