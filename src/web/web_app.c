/* web_app.c — routing and the checks every request passes (see web_app.h).
 *
 * Order for each request: the body is decoded (a form, or refused when too large); the
 * session cookie is resumed through ops; a page that needs a user sends anyone else to the
 * sign-in page; a POST must come from this site (Origin, or Sec-Fetch-Site when the browser
 * sends no Origin) and carry the session's CSRF token; then the page runs, and every response
 * gets the security headers. */
#include "web_app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "ops_account.h"
#include "password.h"
#include "store.h"
#include "web_actions.h"
#include "web_assets.h"
#include "web_audit.h"
#include "web_events.h"
#include "web_export.h"
#include "web_holds.h"
#include "web_inbox.h"
#include "web_metrics.h"
#include "web_outbox.h"
#include "web_program.h"
#include "web_records.h"
#include "web_reports.h"
#include "web_saved.h"
#include "web_signin.h"
#include "web_thread.h"

#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " \
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

struct route {
	const char *method;
	const char *prefix;   /* the path, or its start when it ends in '/' */
	void (*page)(struct web_ctx *c, const char *rest);
	int needs_user;       /* 1: a page (anyone else is sent to sign in); 2: a call of the
	                         page's script (anyone else gets 403, never the sign-in page,
	                         whose form token a background call must not replace) */
};

static const struct route routes[] = {
	{"GET", "/signin", web_signin_form, 0},
	{"POST", "/signin", web_signin_submit, 0},
	{"POST", "/signin/code", web_signin_code, 0},
	{"GET", "/signin/enrol", web_signin_enrol, 0},
	{"POST", "/signin/enrol", web_signin_enrol_confirm, 0},
	{"POST", "/signout", web_signout, 1},
	{"GET", "/", web_inbox_page, 1},
	{"GET", "/live", web_live, 2},
	{"GET", "/t/", web_thread_page, 1},
	{"POST", "/t/", web_thread_action, 1},
	{"GET", "/a/", web_attachment, 1},
	{"GET", "/outbox", web_outbox_page, 1},
	{"GET", "/outbox/", web_outbox_preview, 1},
	{"POST", "/outbox/", web_outbox_action, 1},
	/* the coordinator's screens (web_program.h, web_events.h, web_saved.h, web_audit.h) */
	{"GET", "/program", web_program_page, 1},
	{"GET", "/events", web_events_page, 1},
	{"GET", "/events/", web_events_get, 1},
	{"POST", "/events/", web_events_action, 1},
	{"GET", "/saved", web_saved_page, 1},
	{"GET", "/saved/", web_saved_get, 1},
	{"POST", "/saved/", web_saved_action, 1},
	{"GET", "/audit", web_audit_page, 1},
	{"POST", "/audit/", web_audit_action, 1},
	{"GET", "/reports", web_reports_page, 1},
	{"GET", "/reports/", web_reports_get, 1},
	{"POST", "/reports/", web_reports_action, 1},
	/* the records office's FOIA desk (web_records.h; production, holds: web_export.h, web_holds.h) */
	{"GET", "/records", web_records_page, 1},
	{"GET", "/records/job/", web_export_job, 2},
	{"GET", "/records/export/", web_export_get, 1},
	{"POST", "/records/export/", web_export_action, 1},
	{"GET", "/records/holds", web_holds_page, 1},
	{"POST", "/records/holds/", web_holds_action, 1},
	{"GET", "/records/retention", web_retention_page, 1},
	{"POST", "/records/retention/", web_retention_action, 1},
	{"GET", "/records/verify", web_verify_page, 1},
	{"POST", "/records/verify/", web_verify_action, 1},
	{"GET", "/records/", web_records_get, 1},
	{"POST", "/records/", web_records_action, 1},
};

static void close_store(void *p)
{
	struct store *store = p;
	store_close(&store);
}

int web_app_init(struct web_app *app, const struct config *config, char **error_r)
{
	memset(app, 0, sizeof(*app));
	app->config = config;
	if (pthread_key_create(&app->store_key, close_store) != 0) {
		*error_r = xstrdup("web: no thread key");
		return -1;
	}
	pthread_mutex_init(&app->presence_lock, NULL);
	pthread_rwlock_init(&app->config_lock, NULL);
	app->metrics = web_metrics_new();
	/* open once now, so a missing or old database stops the start, not the first page */
	struct store *store = NULL;
	if (store_open(config->database, STORE_OPEN_EXISTING, &store, error_r) < 0)
		return -1;
	store_close(&store);
	return 0;
}

void web_app_free(struct web_app *app)
{
	web_export_wait();
	pthread_key_delete(app->store_key);
	pthread_mutex_destroy(&app->presence_lock);
	pthread_rwlock_destroy(&app->config_lock);
	web_metrics_free(&app->metrics);
	free(app->presence);
}

const struct config *web_app_swap_config(struct web_app *app, const struct config *config)
{
	pthread_rwlock_wrlock(&app->config_lock);
	const struct config *old = app->config;
	app->config = config;
	pthread_rwlock_unlock(&app->config_lock);
	return old;
}

/* The configuration in use, read under the lock only for the moment of the read: a request
 * then keeps it (web_ctx.config), and a reload never waits for a slow request. */
static const struct config *current_config(struct web_app *app)
{
	pthread_rwlock_rdlock(&app->config_lock);
	const struct config *config = app->config;
	pthread_rwlock_unlock(&app->config_lock);
	return config;
}

/* This server thread's store, opened on its first request. */
static struct store *thread_store(struct web_app *app, const struct config *config)
{
	struct store *store = pthread_getspecific(app->store_key);
	if (store != NULL)
		return store;
	char *error = NULL;
	if (store_open(config->database, STORE_OPEN_EXISTING, &store, &error) < 0) {
		log_warn("web: %s", error);
		free(error);
		return NULL;
	}
	store_set_busy_wait(store, WEB_BUSY_WAIT_MS);
	pthread_setspecific(app->store_key, store);
	return store;
}

static const struct route *find_route(const char *method, const char *path, const char **rest_r)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(*routes); i++) {
		const struct route *r = &routes[i];
		size_t n = strlen(r->prefix);
		if (strcmp(r->method, method) != 0)
			continue;
		int prefix = n > 1 && r->prefix[n - 1] == '/';
		if (prefix ? strncmp(path, r->prefix, n) == 0 : strcmp(path, r->prefix) == 0) {
			*rest_r = path + (prefix ? n : strlen(path));
			return r;
		}
	}
	return NULL;
}

/* A POST from another site (a form on a hostile page aimed at this console) is refused:
 * the browser names the page's origin, or at least whether it is this site. */
static int same_origin(const struct web_request *req)
{
	const char *origin = web_header(req, "Origin");
	const char *host = web_header(req, "Host");
	if (origin != NULL && strcmp(origin, "null") != 0) {
		const char *sep = strstr(origin, "://");
		return host != NULL && sep != NULL && strcasecmp(sep + 3, host) == 0;
	}
	const char *site = web_header(req, "Sec-Fetch-Site");
	if (site != NULL)
		return strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0;
	return origin == NULL; /* an old client that sends neither: the CSRF token decides */
}

static void security_headers(struct web_ctx *c)
{
	struct web_response *res = c->res;
	web_add_header(res, "Content-Security-Policy", CSP);
	web_add_header(res, "X-Content-Type-Options", "nosniff");
	web_add_header(res, "Referrer-Policy", "no-referrer");
	web_add_header(res, "X-Frame-Options", "DENY");
	web_add_header(res, "Cross-Origin-Opener-Policy", "same-origin");
	web_add_header(res, "Cache-Control", res->cacheable ? "public, max-age=3600" : "no-store");
	if (c->req->https)
		web_add_header(res, "Strict-Transport-Security", "max-age=31536000");
}

/* The proxy's shared secret, read once (a file like a password_file). */
static int proxy_secret_ok(struct web_ctx *c)
{
	const struct web_config *w = &c->config->web;
	const char *sent = web_header(c->req, w->trusted_secret_header);
	if (sent == NULL || !c->req->peer_loopback)
		return 0;
	char *error = NULL;
	char *secret = config_read_secret(w->trusted_secret_file, NULL, &error);
	int ok = secret != NULL && secret[0] != '\0' && token_equal(sent, secret);
	if (secret != NULL) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	if (error != NULL)
		log_warn("web: %s", error);
	free(error);
	return ok;
}

/* Single sign-on: a user name in [web] trusted_header is believed only from a loopback peer
 * that also sends the proxy's secret; any other is ignored and logged.  A new session (and
 * its cookie) is made for the name, so the header is needed once. */
static int trusted_signin(struct web_ctx *c, struct web_session *s)
{
	const char *header = c->config->web.trusted_header;
	const char *user = header ? web_header(c->req, header) : NULL;
	if (user == NULL || user[0] == '\0')
		return 0;
	if (!proxy_secret_ok(c)) {
		log_warn("web: %s from %s ignored: not a loopback peer with the proxy's secret", header,
		         c->req->peer);
		return 0;
	}
	char token[RANDOM_TOKEN_SIZE];
	char *error = NULL;
	if (ops_signin_trusted(c->store, c->config, user, c->req->peer,
	                       web_header(c->req, "User-Agent"), c->req->now, token, s,
	                       &error) != OPS_OK) {
		log_warn("web: single sign-on of '%s' refused: %s", user, error ? error : "");
		free(error);
		return 0;
	}
	web_set_session_cookie(c, token);
	explicit_bzero(token, sizeof(token));
	return 1;
}

/* The session of the request's cookie, when live: fills c->actor and c->csrf. */
static void resume(struct web_ctx *c)
{
	const char *token = web_cookie(c->req, web_session_cookie_name(c->req));
	struct web_session s;
	char *error = NULL;
	int live = token != NULL &&
	           ops_session_resume(c->store, c->config, token, c->req->now, &s, &error) ==
	               OPS_OK && s.stage_full;
	free(error);
	error = NULL;
	if (!live && !trusted_signin(c, &s))
		return;
	if (ops_actor(c->config, s.user, &c->actor, &error) != OPS_OK) {
		free(error);
		return;
	}
	snprintf(c->csrf, sizeof(c->csrf), "%s", s.csrf);
	c->session_id = s.id;
}

static int csrf_ok(struct web_ctx *c)
{
	const char *sent = web_form(c->req, "csrf");
	const char *want = c->actor.user ? c->csrf : web_cookie(c->req, WEB_PRESIGNIN_COOKIE);
	return sent != NULL && want != NULL && want[0] != '\0' && token_equal(sent, want);
}

static void dispatch(struct web_ctx *c)
{
	struct web_request *req = c->req;
	if (req->body_too_large) {
		web_plain(c->res, 413, "The form is larger than this console takes.");
		return;
	}
	const char *type = web_header(req, "Content-Type");
	if (req->body != NULL && type != NULL &&
	    strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0 &&
	    web_form_parse(req->body, req->body_len, &req->form) < 0) {
		web_plain(c->res, 400, "The form could not be read.");
		return;
	}
	if (strncmp(req->path, "/static/", 8) == 0 && strcmp(req->method, "GET") == 0) {
		web_asset(c->res, req->path + 8);
		return;
	}
	const char *rest = NULL;
	const struct route *route = find_route(req->method, req->path, &rest);
	if (route == NULL) {
		web_not_found(c);
		return;
	}
	resume(c);
	if (route->needs_user && c->actor.user == NULL) {
		if (strcmp(req->method, "GET") == 0 && route->needs_user == 1) {
			char *next = web_url_encode(req->path);
			char *to = xasprintf("/signin?next=%s", next);
			web_redirect(c->res, to);
			free(to);
			free(next);
		} else {
			web_plain(c->res, 403, "Your session has ended: sign in again.");
		}
		return;
	}
	if (strcmp(req->method, "POST") == 0 && (!same_origin(req) || !csrf_ok(c))) {
		log_warn("web: POST %s from %s refused: not from this site or no valid form token",
		         req->path, req->peer);
		web_plain(c->res, 403, "Refused: this form did not come from this console.");
		return;
	}
	route->page(c, rest);
}

/* A page that waited in vain for the lock and failed for it: an error, or the sign-in page
 * for a session that could not be resumed.  A page that read what it shows and lost only a
 * by-the-way write (the thread page's "seen" mark) is served as it is: WAL lets reads go on. */
static int failed_for_lock(const struct web_response *res)
{
	if (res->status >= 400)
		return 1;
	for (size_t i = 0; res->status >= 300 && i < res->headers.count; i++)
		if (strncmp(res->headers.items[i], "Location: /signin", 17) == 0)
			return 1;
	return 0;
}

/* Whatever the page wrote, the answer is "busy, retry": a wait for the database ran out, so
 * what the page did was rolled back or what it read is incomplete. */
static void busy_answer(struct web_ctx *c)
{
	log_warn("web: %s %s: the database is locked by another process; answered 503",
	         c->req->method, c->req->path);
	web_response_free(c->res);
	web_response_init(c->res);
	web_busy_page(c);
	char retry[16];
	snprintf(retry, sizeof(retry), "%d", WEB_BUSY_RETRY);
	web_add_header(c->res, "Retry-After", retry);
}

void web_app_handle(void *p, struct web_request *req, struct web_response *res)
{
	struct web_app *app = p;
	struct web_ctx c = {.app = app, .config = current_config(app), .req = req, .res = res};
	c.store = thread_store(app, c.config);
	if (c.store == NULL) {
		web_plain(res, 503, "The database cannot be opened now; try again shortly.");
		web_add_header(res, "Retry-After", "10");
	} else {
		store_busy_gave_up(c.store); /* a previous request's */
		dispatch(&c);
		if (store_busy_gave_up(c.store) && failed_for_lock(res))
			busy_answer(&c);
	}
	security_headers(&c);
}

void web_app_metrics(void *p, struct web_request *req, struct web_response *res)
{
	struct web_app *app = p;
	web_metrics_answer(app->metrics, current_config(app), req->now, res);
}
