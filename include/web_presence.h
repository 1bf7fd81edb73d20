/* web_presence.h — who has a thread open in the console, and who is writing a reply to it:
 * kept in the server's memory (it matters for seconds, and only while the server runs), fed
 * by each open thread page every few seconds, forgotten after WEB_PRESENCE_TTL seconds of
 * silence. */
#ifndef LIAISON_WEB_PRESENCE_H
#define LIAISON_WEB_PRESENCE_H

#include <stdint.h>

#include "web_page.h"

#define WEB_PRESENCE_TTL 20

struct web_presence {
	char ref[32];
	char user[65];
	int writing;
	int64_t at;
};

/* Records that user views (writing 0) or writes a reply to (1) thread ref at now. */
void web_presence_touch(struct web_app *app, const char *ref, const char *user, int writing,
                        int64_t now);
/* Calls cb for everyone but user present on ref at now. */
void web_presence_others(struct web_app *app, const char *ref, const char *user, int64_t now,
                         void (*cb)(const struct web_presence *p, void *ctx), void *ctx);

#endif
