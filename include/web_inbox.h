/* web_inbox.h — the inbox views and the live poll. */
#ifndef LIAISON_WEB_INBOX_H
#define LIAISON_WEB_INBOX_H

#include "web_page.h"

/* web_inbox.c: the views; /live answers the page's poll with what changed. */
void web_inbox_page(struct web_ctx *c, const char *rest);
void web_live(struct web_ctx *c, const char *rest);

#endif
