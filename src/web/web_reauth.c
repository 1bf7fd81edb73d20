/* web_reauth.c — asking for the password again before a consequential action (see
 * web_reauth.h).  ops decides whether the sign-in is recent and checks what is given. */
#include "web_reauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_account.h"
#include "web_html.h"
#include "web_signin.h"

#define FIELD_PASSWORD "reauth_password"
#define FIELD_CODE "reauth_code"

/* The form: the action's fields again (hidden), the password and the code. */
static void reauth_form(struct web_ctx *c, const char *what, const char *error)
{
	struct buf *b = &c->res->body;
	web_page_begin(c, "Confirm it is you", NULL);
	html(b, "<h1>Confirm it is you</h1><p>%s is kept for a recent sign-in: give your "
	        "password again (your last sign-in was more than %d minutes ago).</p>",
	     what, REAUTH_AFTER / 60);
	if (error != NULL)
		html(b, "<p role=\"alert\" class=\"error\">%s</p>", error);
	html(b, "<form method=\"post\" action=\"%s\" class=\"reauth\">", c->req->path);
	web_csrf_field(c);
	const struct strlist *form = &c->req->form;
	for (size_t i = 0; i + 1 < form->count; i += 2) {
		const char *name = form->items[i];
		if (strcmp(name, "csrf") == 0 || strcmp(name, FIELD_PASSWORD) == 0 ||
		    strcmp(name, FIELD_CODE) == 0)
			continue;
		html(b, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, form->items[i + 1]);
	}
	html(b, "<p><label for=\"" FIELD_PASSWORD "\">Password</label><br>"
	        "<input type=\"password\" id=\"" FIELD_PASSWORD "\" name=\"" FIELD_PASSWORD "\" "
	        "autocomplete=\"current-password\" required autofocus></p>"
	        "<p><label for=\"" FIELD_CODE "\">Code from your authenticator app (only if you "
	        "sign in with one)</label><br><input id=\"" FIELD_CODE "\" name=\"" FIELD_CODE "\" "
	        "inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"10\"></p>"
	        "<button type=\"submit\">Confirm: %s</button></form>", what);
	web_page_end(c);
}

int web_reauth_check(struct web_ctx *c, const char *what)
{
	const struct web_request *req = c->req;
	const char *token = web_cookie(req, web_session_cookie_name(req));
	if (token == NULL)
		return 1; /* a session single sign-on opened with this very request */
	struct web_session s;
	char *error = NULL;
	int rc = ops_session_resume(c->store, c->config, token, req->now, &s, &error);
	free(error);
	error = NULL;
	if (rc == OPS_OK && ops_session_recent(&s, req->now))
		return 1;
	const char *password = web_form(req, FIELD_PASSWORD);
	if (password == NULL) {
		reauth_form(c, what, NULL);
		return 0;
	}
	char new_token[RANDOM_TOKEN_SIZE];
	int retry = 0;
	rc = ops_session_reauth(c->store, c->config, token, password, web_form(req, FIELD_CODE),
	                        req->peer, web_header(req, "User-Agent"), req->now, new_token, &s,
	                        &retry, &error);
	if (rc == OPS_OK) {
		web_set_session_cookie(c, new_token);
		explicit_bzero(new_token, sizeof(new_token));
		snprintf(c->csrf, sizeof(c->csrf), "%s", s.csrf);
		c->session_id = s.id;
		return 1;
	}
	c->res->status = rc == OPS_REFUSED ? 403 : rc == OPS_INVALID ? 400 : 500;
	if (rc == OPS_NOT_FOUND) {
		web_plain(c->res, 403, "Your session has ended: sign in again.");
	} else {
		if (retry > 0) {
			char wait[16];
			snprintf(wait, sizeof(wait), "%d", retry);
			web_add_header(c->res, "Retry-After", wait);
		}
		reauth_form(c, what, error);
	}
	free(error);
	return 0;
}
