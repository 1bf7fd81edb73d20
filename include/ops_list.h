/* ops_list.h — what a person may see: every listing of threads, messages, history and search
 * hits, filtered to the actor's troops and masked where a thread is confidential to them.
 * The command line and the web console print what these hand them and decide nothing.
 *
 * Results are ops.h's OPS_ codes with *error_r (caller frees). */
#ifndef LIAISON_OPS_LIST_H
#define LIAISON_OPS_LIST_H

#include <stddef.h>

#include "ops.h"
#include "util.h"

/* Which threads: every field is optional (0 or NULL: no filter). */
struct ops_thread_query {
	const char *mailbox;   /* a [mailbox] name, any case */
	const char *status;    /* new, open, waiting, closed */
	int all;               /* closed threads too (by default a listing shows open work) */
	int mine;              /* assigned to the actor */
	const char *assignee;  /* assigned to this [user] */
	int unassigned;
	int urgent;
	const char *flag;      /* confidential, reportable, urgent or suspicious */
	const char *category;
	int person;            /* hide machine mail (newsletters, bounces) */
	int overdue;           /* the first answer is late */
	int suggestions;       /* fill ops_thread_item.suggested (one query a thread) */
};

/* One thread as the actor may see it. */
struct ops_thread_item {
	const struct thread_row *row; /* masked when content is 0: subject, correspondent and
	                                 category read "confidential" */
	int content;                  /* the actor may read the thread's subject and text */
	char due[11];                 /* "YYYY-MM-DD" the first answer is due; "" when none */
	int overdue;
	const struct strlist *suggested; /* suggested referral services (empty unless asked for,
	                                    and when masked) */
};
typedef int ops_thread_cb(const struct ops_thread_item *item, void *ctx);

/* row as the actor may see it at now, into *item: masked into *hidden (which item->row then
 * points to) when its content is not theirs, with its due date and lateness; no
 * suggestions (item->suggested NULL). */
void ops_thread_item_make(const struct actor *actor, const struct thread_row *row, int64_t now,
                          struct thread_row *hidden, struct ops_thread_item *item);

/* Calls cb for each thread the actor may see that matches q, newest activity first.
 * OPS_INVALID for a bad filter (the message names the valid choices). */
int ops_threads_list(struct store *store, const struct actor *actor,
                     const struct ops_thread_query *q, ops_thread_cb *cb, void *ctx,
                     char **error_r);

/* A thread and its messages: thread_cb once, then, when the actor may read it, message_cb
 * for each message (text included), oldest first.  A confidential thread's read is audited
 * before anything of it is handed over. */
int ops_show(struct store *store, const struct actor *actor, const char *ref,
             ops_thread_cb *thread_cb, store_message_cb *message_cb, void *ctx, char **error_r);

/* A thread's history (its notes included): refused when the thread is confidential to the
 * actor; a confidential thread's read is audited. */
int ops_history_list(struct store *store, const struct actor *actor, const char *ref,
                     store_history_cb *cb, void *ctx, char **error_r);

/* Stored messages of the actor's troops (a thread's, with filter->thread_ref), masked like
 * their thread. */
int ops_messages_list(struct store *store, const struct actor *actor,
                      const struct message_filter *filter, store_message_cb *cb, void *ctx,
                      char **error_r);

/* Full-text search under the same rules (a liaison's never counts another troop's mail),
 * audited with its query, filters and hit count.  *total_r all hits, cb the first
 * filter->limit.  OPS_INVALID for a query the index cannot read. */
int ops_search(struct store *store, const struct actor *actor, struct search_filter *filter,
               store_search_cb *cb, void *ctx, size_t *total_r, char **error_r);

#endif
