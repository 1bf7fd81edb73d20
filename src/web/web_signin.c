/* web_signin.c — signing in and out.  The form carries a token that matches a cookie set with
 * it (there is no session yet to hold one); ops decide everything else: the password, the
 * second factor, the throttling of failures, the session and its time-outs, the audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_account.h"
#include "password.h"
#include "qr.h"
#include "web_html.h"
#include "web_signin.h"

/* Set-Cookie for name=value: HttpOnly, SameSite=Strict, Path=/, Secure under HTTPS; max_age
 * -1 for a session cookie, 0 to delete it. */
static void set_cookie(struct web_ctx *c, const char *name, const char *value, long max_age)
{
	char *cookie = xasprintf("%s=%s; HttpOnly; SameSite=Strict; Path=/%s%s", name, value,
	                         c->req->https ? "; Secure" : "",
	                         max_age == 0 ? "; Max-Age=0" : "");
	web_add_header(c->res, "Set-Cookie", cookie);
	free(cookie);
}

/* Only a path of this site: "next" must not send anyone elsewhere after signing in. */
static const char *safe_next(const char *next)
{
	return next != NULL && next[0] == '/' && next[1] != '/' && next[1] != '\\' &&
	       strpbrk(next, "\r\n") == NULL ? next : "/";
}

/* The form token of the pages before sign-in: the one the browser's cookie holds already,
 * else a new one in a new cookie.  A new one each time made every earlier sign-in page in
 * another tab (a session that ended with several tabs open) refuse its form. */
static void presignin_token(struct web_ctx *c, char token[RANDOM_TOKEN_SIZE])
{
	static const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                                "0123456789-_";
	const char *have = web_cookie(c->req, WEB_PRESIGNIN_COOKIE);
	if (have != NULL && strlen(have) == RANDOM_TOKEN_SIZE - 1 &&
	    strspn(have, base64url) == RANDOM_TOKEN_SIZE - 1) {
		memcpy(token, have, RANDOM_TOKEN_SIZE);
		return;
	}
	random_token(token, RANDOM_TOKEN_SIZE);
	set_cookie(c, WEB_PRESIGNIN_COOKIE, token, -1);
}

/* The start of a sign-in step's page: the form token (presignin_token; into token, for
 * the form), the frame, the heading and the message of a failed try. */
static void step_begin(struct web_ctx *c, const char *title, const char *heading,
                       const char *message, char token[RANDOM_TOKEN_SIZE])
{
	presignin_token(c, token);
	web_page_begin(c, title, NULL);
	html(&c->res->body, "<section class=\"signin\"><h1>%s</h1>", heading);
	if (message != NULL)
		html(&c->res->body, "<p class=\"error\" role=\"alert\">%s</p>", message);
}

static void form_page(struct web_ctx *c, const char *message, const char *next)
{
	char token[RANDOM_TOKEN_SIZE];
	step_begin(c, "Sign in", "Sign in to liaison", message, token);
	html(&c->res->body, "<form method=\"post\" action=\"/signin\"><input type=\"hidden\" "
	        "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"next\" value=\"%s\">"
	        "<p><label for=\"user\">User name</label><input id=\"user\" name=\"user\" "
	        "autocomplete=\"username\" required autofocus></p>"
	        "<p><label for=\"password\">Password</label><input id=\"password\" name=\"password\" "
	        "type=\"password\" autocomplete=\"current-password\" required></p>"
	        "<p><button type=\"submit\">Sign in</button></p></form>"
	        "<p class=\"note\">In an emergency call 9-1-1.</p></section>",
	     token, safe_next(next));
	web_page_end(c);
}

static void code_page(struct web_ctx *c, const char *message, const char *next)
{
	char token[RANDOM_TOKEN_SIZE];
	step_begin(c, "Sign-in code", "Your sign-in code", message, token);
	html(&c->res->body, "<form method=\"post\" action=\"/signin/code\"><input type=\"hidden\" "
	        "name=\"csrf\" value=\"%s\"><input type=\"hidden\" name=\"next\" value=\"%s\">"
	        "<p><label for=\"code\">The 6-digit code of your authenticator app</label>"
	        "<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
	        "pattern=\"[0-9]{6}\" required autofocus></p>"
	        "<p><button type=\"submit\">Continue</button></p></form></section>",
	     token, safe_next(next));
	web_page_end(c);
}

void web_signin_form(struct web_ctx *c, const char *rest)
{
	if (c->actor.user != NULL) {
		web_redirect(c->res, "/");
		return;
	}
	form_page(c, NULL, web_query(c->req, "next"));
}

void web_signin_submit(struct web_ctx *c, const char *rest)
{
	const char *user = web_form(c->req, "user");
	const char *password = web_form(c->req, "password");
	const char *next = safe_next(web_form(c->req, "next"));
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s;
	enum signin_need need = SIGNIN_DONE;
	int retry_after = 0;
	char *error = NULL;
	int orc = ops_signin(c->store, c->config, user ? user : "", password ? password : "",
	                     c->req->peer, web_header(c->req, "User-Agent"), c->req->now, token,
	                     &s, &need, &retry_after, &error);
	if (orc != OPS_OK) {
		c->res->status = orc == OPS_REFUSED && retry_after > 0 ? 429 : 403;
		if (retry_after > 0) {
			char seconds[24];
			snprintf(seconds, sizeof(seconds), "%d", retry_after);
			web_add_header(c->res, "Retry-After", seconds);
		}
		form_page(c, error ? error : "Sign-in failed.", next);
		free(error);
		return;
	}
	set_cookie(c, web_session_cookie_name(c->req), token, -1);
	explicit_bzero(token, sizeof(token));
	if (need == SIGNIN_NEED_CODE) {
		code_page(c, NULL, next);
		return;
	}
	if (need == SIGNIN_NEED_ENROL) {
		web_redirect(c->res, "/signin/enrol");
		return;
	}
	web_redirect(c->res, next);
}

void web_signin_code(struct web_ctx *c, const char *rest)
{
	const char *old = web_cookie(c->req, web_session_cookie_name(c->req));
	const char *next = safe_next(web_form(c->req, "next"));
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s;
	int retry_after = 0;
	char *error = NULL;
	const char *code = web_form(c->req, "code");
	int orc = ops_signin_code(c->store, c->config, old ? old : "", code ? code : "",
	                          c->req->now, token, &s, &retry_after, &error);
	if (orc != OPS_OK) {
		c->res->status = retry_after > 0 ? 429 : 403;
		code_page(c, error ? error : "That code is not right.", next);
		free(error);
		return;
	}
	set_cookie(c, web_session_cookie_name(c->req), token, -1);
	explicit_bzero(token, sizeof(token));
	web_redirect(c->res, next);
}

void web_signout(struct web_ctx *c, const char *rest)
{
	const char *token = web_cookie(c->req, web_session_cookie_name(c->req));
	char *error = NULL;
	if (token != NULL)
		ops_signout(c->store, c->config, token, c->req->now, &error);
	free(error);
	set_cookie(c, web_session_cookie_name(c->req), "", 0);
	web_redirect(c->res, "/signin");
}

/* The enrolment of an authenticator app: the secret as a QR code and as text, and the code
 * that proves the app has it.  Reached half signed in (mfa = required) or signed in. */
void web_signin_enrol(struct web_ctx *c, const char *rest)
{
	const char *token = web_cookie(c->req, web_session_cookie_name(c->req));
	char *secret = NULL, *uri = NULL, *error = NULL;
	int orc = ops_mfa_enrol_begin(c->store, c->config, token ? token : "", c->req->now,
	                              &secret, &uri, &error);
	if (orc != OPS_OK) {
		free(error);
		web_redirect(c->res, "/signin");
		return;
	}
	char form_token[RANDOM_TOKEN_SIZE];
	presignin_token(c, form_token);
	char *svg = qr_svg(uri, "The sign-in secret for your authenticator app");
	web_page_begin(c, "Set up your sign-in code", NULL);
	struct buf *b = &c->res->body;
	html(b, "<section class=\"signin enrol\"><h1>Set up your sign-in code</h1>"
	        "<p>Scan this with an authenticator app (FreeOTP, Google Authenticator, Microsoft "
	        "Authenticator), or type the secret below into it.</p><div class=\"qr\">%R</div>"
	        "<p>Secret: <code class=\"secret\">%s</code></p>"
	        "<form method=\"post\" action=\"/signin/enrol\"><input type=\"hidden\" "
	        "name=\"csrf\" value=\"%s\"><p><label for=\"code\">The 6-digit code the app shows "
	        "now</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" "
	        "autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\" required autofocus></p>"
	        "<p><button type=\"submit\">Confirm</button></p></form></section>",
	     svg ? svg : "", secret, form_token);
	web_page_end(c);
	free(svg);
	explicit_bzero(secret, strlen(secret));
	explicit_bzero(uri, strlen(uri));
	free(secret);
	free(uri);
}

void web_signin_enrol_confirm(struct web_ctx *c, const char *rest)
{
	const char *old = web_cookie(c->req, web_session_cookie_name(c->req));
	const char *code = web_form(c->req, "code");
	char token[RANDOM_TOKEN_SIZE];
	struct web_session s;
	int retry_after = 0;
	char *error = NULL;
	int orc = ops_mfa_enrol_confirm(c->store, c->config, old ? old : "", code ? code : "",
	                                c->req->now, token, &s, &retry_after, &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc == OPS_NOT_FOUND ? OPS_REFUSED : orc,
		              error ? error : "That code is not right.");
		free(error);
		return;
	}
	set_cookie(c, web_session_cookie_name(c->req), token, -1);
	explicit_bzero(token, sizeof(token));
	web_redirect(c->res, "/");
}

void web_set_session_cookie(struct web_ctx *c, const char *token)
{
	set_cookie(c, web_session_cookie_name(c->req), token, -1);
}
