/* web_actions.h — what is done to a thread from the console: POST /t/REF/ACTION, each one
 * ops call (take, assign, status, category, flag, note, reply, close, refer, and the page's
 * presence heartbeat). */
#ifndef LIAISON_WEB_ACTIONS_H
#define LIAISON_WEB_ACTIONS_H

#include "web_page.h"

void web_thread_action(struct web_ctx *c, const char *rest);

#endif
