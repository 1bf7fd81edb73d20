/* web_reauth.h — the password asked again before a consequential action (exporting a
 * production, disposing of records, releasing a hold) when the session's sign-in is older
 * than REAUTH_AFTER (ops_account.h): the action's POST answers with a form for the password
 * (and the app's code) that sends the action's own fields again. */
#ifndef LIAISON_WEB_REAUTH_H
#define LIAISON_WEB_REAUTH_H

#include "web_page.h"

/* 1 when the action may go on: the sign-in is recent, or this POST carried the password (and
 * code) and ops took them (the session is replaced: its new cookie is set, c->csrf is the
 * new form token).  0 when the page was written instead: the form asking for them, with
 * ops's refusal when they were wrong.  what names the action ("Release the hold"). */
int web_reauth_check(struct web_ctx *c, const char *what);

#endif
