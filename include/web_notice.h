/* web_notice.h — what a POST did, carried over its redirect to the page that shows it.
 *
 * A notice is kept in the server's memory for the session that made it, under a key the page
 * knows, and taken once.  The URL does not carry it: anyone could send a reviewer a link that
 * makes the review desk say a redaction was recorded that never was.  A notice not taken (the
 * browser never followed the redirect) is dropped once newer ones need its place. */
#ifndef LIAISON_WEB_NOTICE_H
#define LIAISON_WEB_NOTICE_H

#include "web_page.h"

/* Keeps text under key for c's session (replacing one kept under that key). */
void web_notice_set(struct web_ctx *c, const char *key, const char *text);
/* The text kept under key for c's session, removed (caller frees), or NULL. */
char *web_notice_take(struct web_ctx *c, const char *key);
/* Takes the notice under key and, when there is one, writes it as the page's status line
 * (<p class="done" role="status">). */
void web_notice_show(struct web_ctx *c, const char *key);

#endif
