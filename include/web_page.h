/* web_page.h — what every page of the console shares: the application's state, the request's
 * context, and the page frame, dates and errors (web_page.c).  Each page is a function of
 * the context and the rest of its path (web_inbox.h, web_thread.h, ...); it reads and changes
 * nothing but through ops, and escapes everything it prints (web_html.h). */
#ifndef LIAISON_WEB_PAGE_H
#define LIAISON_WEB_PAGE_H

#include <pthread.h>
#include <stdint.h>

#include "config.h"
#include "ops.h"
#include "web_http.h"

struct web_app {
	const struct config *config;  /* read under config_lock, briefly: see web_ctx.config */
	pthread_rwlock_t config_lock; /* written only to swap the configuration (SIGHUP) */
	struct web_metrics *metrics;  /* /metrics' cache (web_metrics.h) */
	pthread_key_t store_key;      /* each server thread's own store connection */
	pthread_mutex_t presence_lock;
	struct web_presence *presence; /* who views or writes which thread (web_presence.c) */
	size_t n_presence, cap_presence;
};

/* What a page handler works with. */
struct web_ctx {
	struct web_app *app;
	/* app->config as the request began, used throughout it: a reload then waits for no
	 * request, and one request never mixes two configurations (a replaced one lives on) */
	const struct config *config;
	struct store *store;
	struct actor actor;           /* actor.user NULL: nobody signed in */
	char csrf[96];                /* the session's token every form carries */
	int64_t session_id;
	struct web_request *req;
	struct web_response *res;
};


/* The cookie of a session (with the __Host- prefix under HTTPS), and the one that carries the
 * sign-in form's token before there is a session. */
const char *web_session_cookie_name(const struct web_request *req);
#define WEB_PRESIGNIN_COOKIE "liaison_form"

/* The frame of every page: <head>, the top bar (user, sign-out), the views' navigation
 * (current: a view's name, or NULL), then <main>.  web_page_end closes it. */
void web_page_begin(struct web_ctx *c, const char *title, const char *current);
void web_page_end(struct web_ctx *c);
/* A script of web/static/ that only some pages need (the frame loads app.js on every page). */
void web_page_script(struct web_ctx *c, const char *name);
/* A hidden field with the CSRF token: every form has one. */
void web_csrf_field(struct web_ctx *c);
/* 404 in the page frame (when signed in) or plain. */
void web_not_found(struct web_ctx *c);
/* 503 in the page frame: a wait for the database ran out (another process holds its lock);
 * nothing was changed, try again.  The caller adds Retry-After. */
void web_busy_page(struct web_ctx *c);
/* An operation's refusal or failure as a page with the message ops gave (status by result). */
void web_ops_error(struct web_ctx *c, int ops_result, const char *error);

#endif
