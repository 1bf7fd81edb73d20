/* web_app.h — the console as an application: the routes, the signed-in user of each request,
 * the checks every request passes (session, CSRF token and origin on every POST, security
 * headers on every response) and the pages' shared state.  The pages are web_*.c beside it;
 * every rule they apply comes from ops (the web adds no permission, validation or audit). */
#ifndef LIAISON_WEB_APP_H
#define LIAISON_WEB_APP_H

#include "config.h"
#include "web_http.h"
#include "web_page.h"

/* Opens the app over config (the database is opened per server thread on first use).
 * Returns 0, or -1 with *error_r. */
int web_app_init(struct web_app *app, const struct config *config, char **error_r);
void web_app_free(struct web_app *app);
/* The server's handler (web_server.h): routes req, fills res.  A request that had to give
 * up waiting for the database (another process holds its write lock) is answered 503 with
 * Retry-After, within WEB_BUSY_WAIT_MS and a little. */
void web_app_handle(void *app, struct web_request *req, struct web_response *res);
/* The handler of the /metrics listener (web_metrics.h). */
void web_app_metrics(void *app, struct web_request *req, struct web_response *res);
/* Puts config in place of the configuration in use, at once: the requests being answered
 * finish with the one they began with, later ones get config; sessions live in the database
 * and stay.  Returns the configuration that was in use: the caller keeps it alive until
 * web_app_free (a request or a background export may still read it). */
const struct config *web_app_swap_config(struct web_app *app, const struct config *config);

/* How long a request waits for a database locked by another process before the console
 * answers "busy, retry" (a long report or backup holding the write lock for minutes). */
#define WEB_BUSY_WAIT_MS 3000
/* What the busy answer's Retry-After asks for, in seconds. */
#define WEB_BUSY_RETRY 10

#endif
