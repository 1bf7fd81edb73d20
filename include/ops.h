/* ops.h — what people do with threads: the rules of who may do what and what each action
 * records, in one place for the command line now and the web console next.
 *
 * Roles: ctl works the threads of its troops; coordinator sees and works all; records reads
 * everything and changes nothing; admin may do everything.  A confidential thread shows its
 * subject, correspondent and text only to its assigned liaison, the coordinator, records and
 * admin; every such read is audited.  Every operation is recorded in the thread's history
 * and in the audit trail, in the transaction that makes it. */
#ifndef LIAISON_OPS_H
#define LIAISON_OPS_H

#include <stdint.h>

#include "config.h"
#include "ops_result.h"
#include "store.h"

struct actor {
	const struct config *config;
	const struct user_config *user;
};

/* The acting user: name from --as or $LIAISON_USER.  Returns 0, or OPS_INVALID with
 * *error_r when missing or not a [user] of the configuration. */
int ops_actor(const struct config *config, const char *name, struct actor *actor_r,
              char **error_r);

/* "'NAME' is not a [user] of FILE (users: a, b, c)": what every refusal of an unknown user
 * name says.  Returns a new string. */
char *ops_unknown_user(const struct config *config, const char *name);

/* A thread reference as it is written (upper case), whatever the case typed: in place. */
void ops_ref_canonical(char *ref);

/* 1 when the actor may see threads of this troop. */
int ops_sees_troop(const struct actor *actor, char troop);
/* The troop letters whose mail the actor may see ("KL"), or NULL for all (a search filter). */
const char *ops_visible_troops(const struct actor *actor);
/* 1 when the actor may see the subject, correspondent and text of a thread of this troop,
 * confidentiality and assignee. */
int ops_sees_content(const struct actor *actor, char troop, int confidential,
                     const char *assignee);

/* A thread the actor may see, copied (free with ops_thread_free).  Returns 0, OPS_REFUSED
 * ("K-2026-00042 is not a thread of your troops"), OPS_INVALID (no such thread) or
 * OPS_FAILED, with *error_r. */
struct ops_thread {
	int64_t id;
	char *ref, *status, *assignee, *category, *priority;
	char *correspondent_name; /* the correspondent's display name, or NULL: content, for
	                             those ops_sees_content allows */
	char troop;
	int confidential, reportable;
};
int ops_thread_load(struct store *store, const struct actor *actor, const char *ref,
                    struct ops_thread *thread_r, char **error_r);
void ops_thread_free(struct ops_thread *thread);

/* A thread the actor may change: ops_thread_load, then refused for records staff and, on a
 * confidential thread, for a liaison who is not its assignee. */
int ops_load_for_change(struct store *store, const struct actor *actor, const char *ref,
                        struct ops_thread *thread_r, char **error_r);

/* Inside an operation's transaction: OPS_OK when the thread is still as t was loaded
 * (status, assignee, confidentiality); OPS_CONFLICT, with *error_r, when another user or the
 * poller changed it between reading and writing (the operation then writes nothing). */
int ops_thread_unchanged(struct store *store, const struct ops_thread *t, char **error_r);

/* A search's filters and hit count in words, for the audit trail.  Returns a new string. */
char *ops_describe_search(const struct search_filter *filter, size_t hits);

/* Begins an operation's transaction: OPS_OK, or OPS_FAILED with *error_r "OBJECT: why" (just
 * why when object is NULL). */
int ops_begin(struct store *store, const char *object, char **error_r);

/* Ends an operation's transaction: when store_rc (its store steps) is not negative, appends
 * the audit entry and commits; otherwise, or when either fails, rolls back with *error_r
 * ("OBJECT: why").  Returns OPS_OK or OPS_FAILED. */
int ops_commit_audited(struct store *store, const struct actor *actor, const char *action,
                       const char *object, const char *details, int store_rc, char **error_r);

/* Records that the actor read a confidential thread (audit only). */
int ops_note_read(struct store *store, const struct actor *actor, const char *ref,
                  char **error_r);

/* The operations.  Each checks the actor's right, then changes the thread, its history and
 * the audit trail in one transaction. */
/* Assigns the thread (a new one becomes open).  *changed_r is 0 when it was assigned so
 * already (nothing recorded).  A thread another liaison works is refused to a liaison
 * unless force (recorded); the coordinator and admins reassign freely. */
int ops_assign(struct store *store, const struct actor *actor, const char *ref,
               const char *assignee, int force, int *changed_r, char **error_r);
/* Assigns the thread to the actor: anyone's thread only with force (recorded). */
int ops_take(struct store *store, const struct actor *actor, const char *ref, int force,
             int *changed_r, char **error_r);

/* status: new, open, waiting (closing goes through ops_close). */
int ops_status(struct store *store, const struct actor *actor, const char *ref,
               const char *status, char **error_r);
int ops_category(struct store *store, const struct actor *actor, const char *ref,
                 const char *category, char **error_r);
/* flag: confidential, reportable or urgent; on 1 sets, 0 clears. */
int ops_flag(struct store *store, const struct actor *actor, const char *ref, const char *flag,
             int on, char **error_r);
int ops_note(struct store *store, const struct actor *actor, const char *ref, const char *text,
             char **error_r);
/* Closes a thread.  A reportable thread needs rms (the incident report number in the records
 * system) or not_reportable_reason; either is recorded. */
int ops_close(struct store *store, const struct actor *actor, const char *ref, const char *rms,
              const char *not_reportable_reason, char **error_r);

/* How a reply is sent: the liaison's answers to what ops_reply would otherwise refuse. */
struct ops_reply_options {
	int reopen;             /* a closed thread is opened again (else refused) */
	int force;              /* a machine's thread (a bounce, a newsletter) is answered (else
	                           refused) */
	int policy_confirmed;   /* the liaison read the immigration-status warning
	                           (ops_policy_check) and confirmed the text does not ask: it is
	                           sent, and the phrases are recorded with the reply */
	int64_t seen_message_id; /* the newest message of the thread the composer showed
	                           (message_row.id); 0: not checked (the command line's default) */
	int64_t seen_outbox_id; /* with seen_message_id: the newest outbox row of the thread the
	                           composer showed (outbox_row.id); 0: it showed none */
};

/* Replies to the thread's correspondent from the troop address: a proper message with
 * In-Reply-To/References of the latest message its correspondent wrote (never a machine's,
 * never another person's: a thread with no such message is refused), the subject tag
 * [CTL REF], a Message-ID of the troop's domain; queued in the outbox (sent with the same
 * retry rules), filed in the thread as "out" once sent, and saved to the mailbox's Sent
 * folder.  To carries the correspondent's display name, From the troop address as
 * configured; the outbox records the actor as the reply's author (who may cancel it while
 * queued).  body is UTF-8 text; options may be NULL (all 0).  Refused, with nothing queued:
 *  - OPS_INVALID: an empty body; a closed thread unless reopen (which sets it open); a
 *    machine's thread unless force;
 *  - OPS_UNCONFIRMED: a body in which ops_policy_check finds phrases about immigration status,
 *    unless policy_confirmed; *error_r lists them (ops_policy_describe) and says how to
 *    confirm.  Confirmed, "policy warning confirmed: 'PHRASE' (RULE); ..." is added to the
 *    reply's history and audit entries;
 *  - OPS_CONFLICT, decided inside the transaction that would queue it: with seen_message_id,
 *    the thread got something the composer did not show — a message with a higher id that
 *    came in, or that someone other than the actor sent (from liaison or a mail client), or
 *    a reply by someone else still in the outbox with an id above seen_outbox_id (the
 *    actor's own replies and liaison's auto-replies are no news); *error_r names each;
 *  - OPS_FAILED: the text could not be checked (a match limit), or a store error.
 * On success *recipient_r (caller frees) is the address the reply goes to. */
int ops_reply(struct store *store, const struct actor *actor, const char *ref, const char *body,
              const struct ops_reply_options *options, char **recipient_r, char **error_r);

/* The message ops_reply would queue for body, composed the same way (outbox_queue.h) and not
 * queued: nothing is written but, on a confidential thread, the audit entry of the read.
 * The actor must be one who may reply; a closed or machine's thread is previewed as
 * ops_reply would send it with reopen or force, and the text is not checked (call
 * ops_policy_check).  Only the Message-ID (a new one each time) and the Date (the moment
 * of composing) differ from the bytes ops_reply queues.  Returns 0 with *raw_r (the message,
 * CRLF line ends, NUL-terminated) and *recipient_r (caller frees both), or OPS_INVALID,
 * OPS_REFUSED, OPS_NOT_FOUND or OPS_FAILED with *error_r. */
/* What a reply's composer opened now on thread ref shows: the newest message's id and the
 * thread's newest outbox row (for ops_reply_options.seen_message_id and seen_outbox_id).
 * For whoever sees the thread; OPS_REFUSED, OPS_NOT_FOUND, OPS_FAILED with *error_r. */
int ops_reply_markers(struct store *store, const struct actor *actor, const char *ref,
                      int64_t *message_r, int64_t *outbox_r, char **error_r);
int ops_reply_preview(struct store *store, const struct actor *actor, const char *ref,
                      const char *body, char **raw_r, char **recipient_r, char **error_r);

/* Refers the thread to a [service]: recorded with who and when; with send, the
 * correspondent is also sent the service's contact details (templates/referral.LANG.txt). */
int ops_refer(struct store *store, const struct actor *actor, const char *ref,
              const char *service, const char *note, int send, char **error_r);
#endif
