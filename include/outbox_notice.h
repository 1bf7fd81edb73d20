/* outbox_notice.h — the coordinator told once that messages failed after two days of
 * retries (the SMTP server down or refusing them): one notice listing every such message,
 * to urgent_notify, through the outbox itself.  While that notice waits to be sent (the
 * server is still down), each later give-up replaces it by one listing them all, so the
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

/* Queues the notice for the rows ids (just given up), together with those of a notice still
 * waiting to be sent (cancelled: replaced), in one transaction.  Without urgent_notify it
 * only logs.  Returns 0, or -1 with *error_r. */
int outbox_notice_failed(struct store *store, const struct config *config, const int64_t *ids,
                         size_t n_ids, int64_t now, char **error_r);

#endif
