/* web_review.h — the review desk (/records/foia/REF/m/MESSAGE): one message of a request's
 * set, its text to select from, the preview as it will be produced, and its decisions
 * (withhold, redact by selection, preset or pattern, revoke), each one ops call. */
#ifndef LIAISON_WEB_REVIEW_H
#define LIAISON_WEB_REVIEW_H

#include "web_page.h"

/* GET /records/foia/REF/m/MESSAGE */
void web_review_page(struct web_ctx *c, const char *ref, const char *message);
/* POST /records/foia/REF/m/MESSAGE/ACTION: withhold, unwithhold, redact, unredact */
void web_review_action(struct web_ctx *c, const char *ref, const char *message,
                       const char *action);

#endif
