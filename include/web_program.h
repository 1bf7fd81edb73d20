/* web_program.h — the coordinator's program view: per troop, the counts that need attention, each opening its list (ops's rights). */
#ifndef LIAISON_WEB_PROGRAM_H
#define LIAISON_WEB_PROGRAM_H

#include "web_page.h"

void web_program_page(struct web_ctx *c, const char *rest);

#endif
