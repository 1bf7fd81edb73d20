/* ops_foia.h — public-records (FOIA) requests and litigation holds: records staff's work,
 * with its legal clock and the holds that keep responsive mail from disposal.  Every action
 * is audited. */
#ifndef LIAISON_OPS_FOIA_H
#define LIAISON_OPS_FOIA_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "ops.h"
#include "redact.h"
#include "store.h"
#include "util.h"

/* Business days from receipt to the answer (Conn. Gen. Stat. 1-206). */
#define FOIA_RESPONSE_DAYS 4

/* OPS_OK when the actor may change requests and holds (records staff, admins); reading them
 * is also open to the coordinator.  Otherwise OPS_REFUSED with *error_r. */
int ops_foia_may_change(const struct actor *actor, char **error_r);
int ops_foia_may_read(const struct actor *actor, char **error_r);

/* ---- requests and holds (ops_foia.c) ---- */

/* The request's id when the actor may read it. */
int ops_foia_lookup(struct store *store, const struct actor *actor, const char *ref,
                    int64_t *id_r, char **error_r);
/* The id of an open request the actor may change: OPS_REFUSED for the actor, OPS_NOT_FOUND
 * for no such request, OPS_INVALID when it is closed (its responsive set is final). */
int ops_foia_open_for_change(struct store *store, const struct actor *actor, const char *ref,
                             int64_t *id_r, char **error_r);

/* Opens a request received on received (YYYY-MM-DD, not after today in the configured
 * zone); its due date is 4 business days later.
 * ref_r gets "FOIA-2026-0007". */
int ops_foia_new(struct store *store, const struct actor *actor, const char *requester,
                 const char *contact, const char *description, const char *received,
                 char *ref_r, size_t ref_size, char **error_r);
/* Adds every message the filters find to the request's responsive set (frozen: later mail
 * does not join it).  *added_r how many were new to it. */
int ops_foia_add(struct store *store, const struct actor *actor, const char *ref,
                 const struct search_filter *filter, size_t *added_r, char **error_r);
/* Removes one message (named as ops_message_resolve takes it) from the set; *done_r
 * (caller frees) says what was done, in one line. */
int ops_foia_remove(struct store *store, const struct actor *actor, const char *ref,
                    const char *message, char **done_r, char **error_r);
/* Closes an open request: its responsive set and decisions are final, its holds released. */
int ops_foia_close(struct store *store, const struct actor *actor, const char *ref,
                   char **error_r);

/* ---- decisions (ops_foia_decide.c) ----
 * The decisions on a message of the set.  A message is named as ops_message_resolve takes
 * it.  Each is recorded with who and when, audited, and says what it did in one line in
 * *done_r (caller frees). */

/* Withholds a message of the set whole, under an exemption (e.g. "1-210(b)(3)(G)").  A
 * message already withheld is refused (OPS_INVALID): revoke that withholding first. */
int ops_foia_withhold(struct store *store, const struct actor *actor, const char *ref,
                      const char *message, const char *exemption, const char *reason,
                      char **done_r, char **error_r);
/* Revokes the withholding in force of the message: it stays on record, marked revoked by
 * whom and when, and no longer applies to the production. */
int ops_foia_unwithhold(struct store *store, const struct actor *actor, const char *ref,
                        const char *message, char **done_r, char **error_r);

/* A redaction asked for: exactly one of text (literal), pattern (PCRE2) or preset ("phone",
 * "address", "email"); an exemption; a reason or NULL. */
struct foia_redaction {
	const char *text, *pattern, *preset, *exemption, *reason;
};
struct foia_redacted {
	int64_t id;                /* the redaction's number (foia show, foia unredact) */
	size_t passages;           /* how many it hides in the message as produced */
	char *done;                /* owned: the one line saying what was done */
	struct strlist addresses;  /* for a text: addresses seen with it in the request's
	                              messages, to redact too (suggestions only) */
	struct strlist forms;      /* for a text: display names holding its words written
	                              another way ("Okafor, Tunde"), which it does not hide */
};
/* Redacts spans of a message of the set, applied when the production is made.  A
 * redaction that matches nothing in the message is refused (OPS_INVALID) and nothing is
 * recorded.  Clear *done_r with ops_foia_redacted_clear. */
int ops_foia_redact(struct store *store, const struct actor *actor, const char *ref,
                    const char *message, const struct foia_redaction *redaction,
                    struct foia_redacted *done_r, char **error_r);
/* Frees what *redacted owns. */
void ops_foia_redacted_clear(struct foia_redacted *redacted);
/* Revokes redaction number (as text, from the command line) of the request: it stays on
 * record, marked revoked, and no longer applies.  OPS_NOT_FOUND when the request has no
 * such redaction in force. */
int ops_foia_unredact(struct store *store, const struct actor *actor, const char *ref,
                      const char *number, char **done_r, char **error_r);

/* ---- holds and listings (ops_foia.c) ---- */

/* Places a named litigation hold on every message the filters find.  Refused (OPS_INVALID)
 * when an active hold has that name already, and when the filters find every stored message
 * unless all is set. */
int ops_hold_add(struct store *store, const struct actor *actor, const char *name,
                 const char *reason, const struct search_filter *filter, int all,
                 size_t *placed_r, char **error_r);
/* Requests (status "open", or NULL: all), for those who read records. */
int ops_foia_list(struct store *store, const struct actor *actor, const char *status,
                  store_foia_cb *cb, void *ctx, char **error_r);
/* One request (its reference in any case): request_cb once, then item_cb for each message of
 * its responsive set and decision_cb for each withholding and redaction.  OPS_NOT_FOUND when
 * there is no such request. */
int ops_foia_show(struct store *store, const struct actor *actor, const char *ref,
                  store_foia_cb *request_cb, store_foia_item_cb *item_cb,
                  store_decision_cb *decision_cb, void *ctx, char **error_r);
/* The review suggestions of a request's set. */
int ops_foia_review(struct store *store, const struct actor *actor, const char *ref,
                    store_review_cb *cb, void *ctx, char **error_r);

/* Every hold (active and released counts), for those who read records. */
int ops_holds_list(struct store *store, const struct actor *actor, store_hold_cb *cb, void *ctx,
                   char **error_r);
int ops_hold_release(struct store *store, const struct actor *actor, const char *name,
                     size_t *released_r, char **error_r);

/* ---- the console's additions (ops_foia.c, ops_foia_preview.c) ---- */

/* Adds the messages numbered ids (messages.id, as a search hands them) to the request's set,
 * audited as one foia-add.  *added_r how many were new to it.  OPS_INVALID when ids is empty;
 * OPS_FAILED when a number names no message (nothing added). */
int ops_foia_add_messages(struct store *store, const struct actor *actor, const char *ref,
                          const int64_t *ids, size_t n, size_t *added_r, char **error_r);

/* Business days from the day of now (in the configured zone) to due ("YYYY-MM-DD"): 0 on the
 * due day, negative once it has passed (-2: two business days late).  0 for a due date that
 * is no date. */
int ops_foia_days_left(const struct actor *actor, const char *due, int64_t now);

/* A message of a request's set as the production will show it: its fields and text with the
 * redactions in force burned in by the production's own redactor (redact.c), labels where
 * words were. */
enum { FOIA_FIELD_SUBJECT, FOIA_FIELD_FROM, FOIA_FIELD_TO, FOIA_FIELD_MESSAGE_ID,
       FOIA_FIELD_MAILBOXES, FOIA_FIELDS };
struct foia_preview {
	int64_t id;                       /* the message's row */
	char sha256[SHA256_HEX_SIZE];
	int64_t date;
	char *original;                   /* owned: the stored text (what a redaction matches);
	                                     NULL when disposed of */
	struct redacted fields[FOIA_FIELDS];
	struct redacted text;             /* the text as produced */
	struct foia_preview_attachment {
		struct redacted name;         /* its file name as produced ("(no name)" when none) */
		char *content_type;           /* owned */
		uint64_t size;
	} *attachments;                   /* owned: each on a slip sheet in the production */
	size_t n_attachments;
	size_t redactions;                /* redactions in force on the message */
	char *withheld;                   /* owned: the exemption it is withheld under, or NULL */
};
/* Fills *preview (clear it with ops_foia_preview_clear) for the actor who may read requests;
 * the read is audited (foia-read), as every read of a message's words by records staff is.
 * OPS_NOT_FOUND for no such request; OPS_INVALID when the message is not in its set. */
int ops_foia_preview(struct store *store, const struct actor *actor, const char *ref,
                     const char *message, struct foia_preview *preview, char **error_r);
void ops_foia_preview_clear(struct foia_preview *preview);

#endif
