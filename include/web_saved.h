/* web_saved.h — the troops' saved replies (English and Spanish), maintained by the coordinator: GET /saved, GET and POST /saved/REST. */
#ifndef LIAISON_WEB_SAVED_H
#define LIAISON_WEB_SAVED_H

#include "web_page.h"

void web_saved_page(struct web_ctx *c, const char *rest);
void web_saved_get(struct web_ctx *c, const char *rest);
void web_saved_action(struct web_ctx *c, const char *rest);

#endif
