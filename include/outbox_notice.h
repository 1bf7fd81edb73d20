/* outbox_notice.h — the coordinator told once that messages failed after two days of
 * retries (the SMTP server down or deferring them): one notice listing every such message,
 * to urgent_notify, through the outbox itself.  While that notice waits to be sent (the
 * server is still down), each later give-up gives it a longer list in its place, so the
 * coordinator receives one notice per outage, once the server takes mail again. */
#ifndef LIAISON_OUTBOX_NOTICE_H
#define LIAISON_OUTBOX_NOTICE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store.h"
#include "util.h"

/* The notice's subject: also how a notice is recognised as this one (it is never itself
 * listed in a later notice). */
#define OUTBOX_NOTICE_SUBJECT "liaison: outbox messages could not be sent"
/* Its template, templates/NAME.en.txt. */
#define OUTBOX_NOTICE_TEMPLATE "outbox-failed"

/* 1 when row is a notice of failed messages (this module's). */
int outbox_notice_is_failure_notice(const struct outbox_row *row);

/* The notice's text: the template with {{count}}, then one line per failed message (lines,
 * each "- outbox ID ...").  Returns 0 with *text_r (caller frees), or -1 with *error_r. */
int outbox_notice_render(const char *templates, const struct strlist *lines, char **text_r,
                         char **error_r);

/* How last_error begins for a row that failed after every retry (outbox_send.c): the rows
 * the notice is about, told apart from refusals (5xx) and a person's cancel. */
#define OUTBOX_GAVE_UP "gave up after "

/* Tells the coordinator of every row that gave up and that no notice lists yet, read from
 * the store (so a run that failed or crashed before telling is made up for by the next):
 * one notice, or the notice still waiting given the longer list in its place.  Without
 * urgent_notify it only logs, when gave_up_now (rows this run gave up) is not 0.  Returns
 * 0, or -1 with *error_r. */
int outbox_notice_failed(struct store *store, const struct config *config, size_t gave_up_now,
                         int64_t now, char **error_r);

#endif
