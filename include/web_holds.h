/* web_holds.h — litigation holds (create from a search, list, release), retention due and disposal with its approval, and verification of the records (/records/holds, /records/retention, /records/verify). */
#ifndef LIAISON_WEB_HOLDS_H
#define LIAISON_WEB_HOLDS_H

#include "web_page.h"

void web_holds_page(struct web_ctx *c, const char *rest);
void web_holds_action(struct web_ctx *c, const char *rest);
void web_retention_page(struct web_ctx *c, const char *rest);
void web_retention_action(struct web_ctx *c, const char *rest);
void web_verify_page(struct web_ctx *c, const char *rest);
void web_verify_action(struct web_ctx *c, const char *rest);

#endif
