/* web_signin.h — signing in and out, the second factor and its enrolment. */
#ifndef LIAISON_WEB_SIGNIN_H
#define LIAISON_WEB_SIGNIN_H

#include "web_page.h"

/* web_signin.c */
void web_signin_form(struct web_ctx *c, const char *rest);
void web_signin_submit(struct web_ctx *c, const char *rest);
void web_signin_code(struct web_ctx *c, const char *rest);
void web_signout(struct web_ctx *c, const char *rest);
/* GET /signin/enrol: the TOTP secret as a QR code; POST: the code that confirms it. */
void web_signin_enrol(struct web_ctx *c, const char *rest);
void web_signin_enrol_confirm(struct web_ctx *c, const char *rest);
/* Sets the session cookie to token (single sign-on's new session). */
void web_set_session_cookie(struct web_ctx *c, const char *token);

#endif
