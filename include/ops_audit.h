/* ops_audit.h — proving the records whole: the audit trail (who did and read what), its hash
 * chain, and the re-hashing of every stored message.  For the coordinator, records staff and
 * admins; every verification is itself recorded.  Results are ops.h's OPS_ codes with
 * *error_r (caller frees). */
#ifndef LIAISON_OPS_AUDIT_H
#define LIAISON_OPS_AUDIT_H

#include "audit.h"
#include "ops.h"
#include "verify.h"

/* OPS_OK when the actor may read the audit trail and verify the records; else OPS_REFUSED
 * with *error_r. */
int ops_may_audit(const struct actor *actor, char **error_r);

/* Audit entries since then (0: all), of one user (NULL: all), oldest first. */
int ops_audit_list(struct store *store, const struct actor *actor, int64_t since,
                   const char *user, store_audit_cb *cb, void *ctx, char **error_r);

/* Entries matching q (store.h's struct audit_query: user, action, thread, dates, a page
 * before an entry), newest first, at most q->limit (0: 100). */
int ops_audit_search(struct store *store, const struct actor *actor,
                     const struct audit_query *q, store_audit_cb *cb, void *ctx,
                     char **error_r);
/* The actions the trail holds, in order (appended to *actions_r): a search's choices. */
int ops_audit_actions(struct store *store, const struct actor *actor, struct strlist *actions_r,
                      char **error_r);

/* Walks the audit chain into *check (check->broken_id 0 when it holds). */
int ops_audit_verify(struct store *store, const struct actor *actor, struct audit_check *check,
                     char **error_r);

/* The anchor line of the audit trail's head now (audit.h's audit_anchor_line) into *line_r
 * (caller frees).  OPS_NOT_FOUND when the trail is empty: nothing to anchor yet. */
int ops_audit_anchor(struct store *store, const struct actor *actor, char **line_r,
                     char **error_r);
/* Queues line (an anchor) to [liaison] anchor_notify through the outbox, from the first
 * configured mailbox, and records it; the poller sends it.  OPS_INVALID when anchor_notify
 * is not set. */
int ops_audit_anchor_mail(struct store *store, const struct actor *actor, const char *line,
                          char **error_r);
/* Walks the audit chain and checks the anchors in anchor_text (an anchor file's content;
 * name names it in errors) into *check.  OPS_INVALID when a line is not an anchor. */
int ops_audit_verify_anchors(struct store *store, const struct actor *actor, const char *name,
                             const char *anchor_text, struct audit_check *check,
                             char **error_r);

/* Re-hashes every stored message and walks the chain (verify.h), mismatch called for each
 * message that fails; the outcome is recorded in the audit trail. */
int ops_verify(struct store *store, const struct actor *actor,
               void (*mismatch)(const char *sha256, const char *message_id, const char *actual,
                                void *ctx),
               void *ctx, struct verify_result *result, char **error_r);

#endif
