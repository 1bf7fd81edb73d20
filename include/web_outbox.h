/* web_outbox.h — My outbox. */
#ifndef LIAISON_WEB_OUTBOX_H
#define LIAISON_WEB_OUTBOX_H

#include "web_page.h"

/* web_outbox.c: my queued replies. */
void web_outbox_page(struct web_ctx *c, const char *rest);
void web_outbox_action(struct web_ctx *c, const char *rest);
/* /outbox/ID: one message of the outbox as it is sent. */
void web_outbox_preview(struct web_ctx *c, const char *rest);

#endif
