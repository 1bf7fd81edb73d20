/* web_events.h — event approvals (the queue with each request's details, approve or deny with a reason), the events list by month and the CAD CSV: GET /events, GET and POST /events/REST. */
#ifndef LIAISON_WEB_EVENTS_H
#define LIAISON_WEB_EVENTS_H

#include "web_page.h"

void web_events_page(struct web_ctx *c, const char *rest);
void web_events_get(struct web_ctx *c, const char *rest);
void web_events_action(struct web_ctx *c, const char *rest);

#endif
