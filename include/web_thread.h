/* web_thread.h — a thread and its attachments. */
#ifndef LIAISON_WEB_THREAD_H
#define LIAISON_WEB_THREAD_H

#include "web_page.h"

/* /t/REF: the thread; /a/REF/N: its attachment number N, as a download. */
void web_thread_page(struct web_ctx *c, const char *rest);
void web_attachment(struct web_ctx *c, const char *rest);

#endif
