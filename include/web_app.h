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
/* The server's handler (web_server.h): routes req, fills res. */
void web_app_handle(void *app, struct web_request *req, struct web_response *res);

#endif
