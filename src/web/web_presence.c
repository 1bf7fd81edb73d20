/* web_presence.c — who views or writes which thread, in memory (see web_presence.h). */
#include "web_presence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The server holds a few dozen liaisons at most: a list scanned under a lock is enough. */
void web_presence_touch(struct web_app *app, const char *ref, const char *user, int writing,
                        int64_t now)
{
	pthread_mutex_lock(&app->presence_lock);
	size_t keep = 0;
	struct web_presence *mine = NULL;
	for (size_t i = 0; i < app->n_presence; i++) {
		struct web_presence *p = &app->presence[i];
		if (now - p->at > WEB_PRESENCE_TTL)
			continue; /* forgotten */
		app->presence[keep] = *p;
		if (strcmp(p->ref, ref) == 0 && strcmp(p->user, user) == 0)
			mine = &app->presence[keep];
		keep++;
	}
	app->n_presence = keep;
	if (mine == NULL) {
		if (app->n_presence == app->cap_presence) {
			app->cap_presence = app->cap_presence ? app->cap_presence * 2 : 16;
			app->presence = xrealloc(app->presence, app->cap_presence * sizeof(*app->presence));
		}
		mine = &app->presence[app->n_presence++];
		snprintf(mine->ref, sizeof(mine->ref), "%s", ref);
		snprintf(mine->user, sizeof(mine->user), "%s", user);
	}
	mine->writing = writing;
	mine->at = now;
	pthread_mutex_unlock(&app->presence_lock);
}

void web_presence_others(struct web_app *app, const char *ref, const char *user, int64_t now,
                         void (*cb)(const struct web_presence *p, void *ctx), void *ctx)
{
	pthread_mutex_lock(&app->presence_lock);
	for (size_t i = 0; i < app->n_presence; i++) {
		const struct web_presence *p = &app->presence[i];
		if (now - p->at <= WEB_PRESENCE_TTL && strcmp(p->ref, ref) == 0 &&
		    strcmp(p->user, user) != 0)
			cb(p, ctx);
	}
	pthread_mutex_unlock(&app->presence_lock);
}
