/* ops_reroute.h — the current routing rules applied again to stored mail (after the rules
 * change, or to mail filed before routing ran on its path).  Rules only add what they find
 * and take back what rules had set: a category, flag or priority a person set on a thread
 * (its history says so) is never removed or overridden. */
#ifndef LIAISON_OPS_REROUTE_H
#define LIAISON_OPS_REROUTE_H

#include <stdint.h>

#include "ops.h"
#include "route.h"
#include "store.h"

struct reroute_request {
	const char *mailbox;   /* [mailbox NAME] to reroute, or NULL for all */
	int64_t since;         /* threads with a person's message dated since then (0: all) */
	int dry_run;           /* say what would change, change nothing */
};

/* One thread whose routing changes (or would), or where the rules differ from what a person
 * set: changes in words, "; "-separated ("category none -> hate-crime; priority normal ->
 * urgent; confidential on; suggested +victim-advocate"), "" when none; kept, what a person
 * set and the rules would have changed, "" when nothing. */
struct reroute_change {
	const char *ref;
	const char *changes;
	const char *kept;      /* "" when nothing was kept */
};
typedef void reroute_change_cb(const struct reroute_change *change, void *ctx);

struct reroute_counts {
	int64_t threads;       /* examined */
	int64_t changed;       /* whose routing changed (or would) */
	int64_t messages;      /* routed again */
	int64_t skipped;       /* threads left alone: a message's bytes were disposed of */
};

/* Reroutes with rules, calling cb for each thread that changes.  The coordinator and admins
 * only; one transaction with the threads' history and one audit entry (a dry run is audited
 * too).  Returns an OPS_* result with *error_r. */
int ops_reroute(struct store *store, const struct actor *actor, const struct route_rules *rules,
                const struct reroute_request *request, reroute_change_cb *cb, void *ctx,
                struct reroute_counts *counts_r, char **error_r);

#endif
