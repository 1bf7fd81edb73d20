/* web_export.h — a request's production: export in the background with its progress, the package as one .zip download, past productions with their Bates ranges (GET and POST /records/export/REF, GET /records/job/ID). */
#ifndef LIAISON_WEB_EXPORT_H
#define LIAISON_WEB_EXPORT_H

#include "web_page.h"

void web_export_get(struct web_ctx *c, const char *rest);
void web_export_action(struct web_ctx *c, const char *rest);
void web_export_job(struct web_ctx *c, const char *rest);
/* Waits until no export runs (each uses the configuration the server is about to free), then
 * forgets the jobs: for the server's shutdown. */
void web_export_wait(void);

#endif
