/* web_foia.h — the FOIA register (/records/foia: the requests with their legal clock, a new
 * request) and one request (/records/foia/REF: its details, responsive set, review
 * suggestions, adding and removing messages, closing it).  Every change is one ops call. */
#ifndef LIAISON_WEB_FOIA_H
#define LIAISON_WEB_FOIA_H

#include "web_page.h"

/* GET /records/foia */
void web_foia_register(struct web_ctx *c);
/* POST /records/foia: a new request */
void web_foia_create(struct web_ctx *c);
/* GET /records/foia/REF */
void web_foia_request(struct web_ctx *c, const char *ref);
/* POST /records/foia/REF/ACTION: add, remove, close */
void web_foia_action(struct web_ctx *c, const char *ref, const char *action);

#endif
