/* autoreply.h — decide whether an incoming message gets the "not available 24/7, call 9-1-1"
 * reply (docs/autoreply.md), and queue it in the outbox in the caller's
 * transaction, so that storing a message and deciding its reply happen exactly once. */
#ifndef LIAISON_AUTOREPLY_H
#define LIAISON_AUTOREPLY_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "config.h"
#include "mime.h"
#include "store.h"

#define AUTOREPLY_DECISION_SIZE 160

struct autoreply_input {
	const struct config *config;
	const struct mailbox_config *mailbox;
	int64_t mailbox_id;
	int64_t enrolled_at;       /* when the mailbox was enrolled */
	int64_t now;
	const struct parsed_message *msg;
	const struct classification *cls;
	int64_t message_id;        /* messages.id of the message answered */
	int64_t internal_date;     /* when the server received it (0: unknown → Date) */
	int urgent;                /* a routing rule marked it urgent */
	const char *category;      /* first routing category, or NULL */
	const char *language;      /* "en", "es" or "both" */
	int64_t thread_id;
	const char *thread_ref;
};

/* Decides and, when a reply is due, renders, composes and queues it (and, for an urgent
 * message, the internal notice to urgent_notify).  Writes the decision in words to
 * decision_r: "queued", "queued urgent", or "none: <why>".  Returns 0, or -1 with *error_r
 * on a store or template error. */
int autoreply_handle(struct store *store, const struct autoreply_input *in, char *decision_r,
                     size_t decision_size, char **error_r);

#endif
