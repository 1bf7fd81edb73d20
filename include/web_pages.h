/* web_pages.h — the console's pages and what they share (web_pages.c: the page frame, dates,
 * errors).  Each page is a function of the request context and the rest of its path; it reads
 * and changes nothing but through ops, and escapes everything it prints (web_html.h). */
#ifndef LIAISON_WEB_PAGES_H
#define LIAISON_WEB_PAGES_H

#include <stdint.h>

#include "web_app.h"

/* The cookie of a session (with the __Host- prefix under HTTPS), and the one that carries the
 * sign-in form's token before there is a session. */
const char *web_session_cookie_name(const struct web_request *req);
#define WEB_PRESIGNIN_COOKIE "liaison_form"

/* The frame of every page: <head>, the top bar (user, sign-out), the views' navigation
 * (current: a view's name, or NULL), then <main>.  web_page_end closes it. */
void web_page_begin(struct web_ctx *c, const char *title, const char *current);
void web_page_end(struct web_ctx *c);
/* A hidden field with the CSRF token: every form has one. */
void web_csrf_field(struct web_ctx *c);
/* An instant as the configured zone's "2026-03-05 14:03" (into out, 17 bytes). */
void web_time(const struct web_ctx *c, int64_t t, char out[17]);
/* 404 in the page frame (when signed in) or plain. */
void web_not_found(struct web_ctx *c);
/* An operation's refusal or failure as a page with the message ops gave (status by result). */
void web_ops_error(struct web_ctx *c, int ops_result, const char *error);

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
/* web_inbox.c: the views; /live answers the page's poll with what changed. */
void web_inbox_page(struct web_ctx *c, const char *rest);
void web_live(struct web_ctx *c, const char *rest);
/* web_thread.c: /t/REF, its actions (POST /t/REF/ACTION), /a/SHA/N an attachment. */
void web_thread_page(struct web_ctx *c, const char *rest);
void web_thread_action(struct web_ctx *c, const char *rest);
void web_attachment(struct web_ctx *c, const char *rest);
/* web_outbox.c: my queued replies. */
void web_outbox_page(struct web_ctx *c, const char *rest);
void web_outbox_action(struct web_ctx *c, const char *rest);

#endif
