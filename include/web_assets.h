/* web_assets.h — the console's own style sheet and script, built into the program from
 * web/static/ (tools/embed.sh): served from this origin only, nothing loaded from elsewhere. */
#ifndef LIAISON_WEB_ASSETS_H
#define LIAISON_WEB_ASSETS_H

#include "web_http.h"

/* Answers /static/NAME with the file (cacheable, by type), or 404. */
void web_asset(struct web_response *res, const char *name);

#endif
