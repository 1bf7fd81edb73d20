/* digest.h — the day's digest of a troop's mailbox for its liaisons: today's new threads,
 * the unassigned, the urgent, the overdue (clock.h) and the reportable ones still waiting
 * for an RMS number.  References, status, assignee and subjects only — never a message
 * body; a confidential thread shows its reference and "confidential". */
#ifndef LIAISON_DIGEST_H
#define LIAISON_DIGEST_H

#include <stdint.h>

#include "ops.h"
#include "store.h"

/* The digest of troop as of now (local dates), as text.  Returns 0 with *text_r (caller
 * frees) and *items_r (threads listed, a thread once per section), or OPS_REFUSED when the
 * actor does not see the troop, OPS_INVALID for a troop without a mailbox, OPS_FAILED;
 * with *error_r. */
int digest_build(struct store *store, const struct actor *actor, char troop, int64_t now,
                 char **text_r, int *items_r, char **error_r);

/* The audit action of a queued digest (a printed one is "digest"). */
#define DIGEST_SENT_ACTION "digest-send"

/* Builds the digest and queues it (outbox kind "notice", sent by liaison poll) to every
 * liaison of the troop (role ctl with that troop and an email), audited as
 * DIGEST_SENT_ACTION, in one transaction.  Once per troop and local day (the configured
 * zone): unless again, when one was queued since midnight nothing is queued and *earlier_r
 * is when it was (otherwise 0).  Records staff may not send.  Returns 0 with *sent_r
 * (messages queued; 0 when the troop has no liaison with an email, or skipped) or an OPS_
 * error with *error_r. */
/* digest_build for a person to read: the read is audited like a report's. */
int digest_read(struct store *store, const struct actor *actor, char troop, int64_t now,
                char **text_r, int *items_r, char **error_r);

/* The troops of the configured mailboxes the actor sees, in configuration order ("KL"). */
void digest_troops(const struct actor *actor, char *troops_r, size_t size);

int digest_send(struct store *store, const struct actor *actor, char troop, int64_t now,
                int again, int *sent_r, int64_t *earlier_r, char **error_r);

#endif
