/* ops_route.h — the routing model learning from the agency's own corrections: the threads
 * whose category or urgency a liaison set or took away, as labelled examples for `liaison
 * route train --from-store`.  Only an administrator runs it (it reads every thread's first
 * message, confidential ones too), and the reading is audited. */
#ifndef LIAISON_OPS_ROUTE_H
#define LIAISON_OPS_ROUTE_H

#include "ops.h"
#include "util.h"

/* One corrected thread: its first message from a person, and its categories: what routing
 * gave that message, with each of a person's category and urgency corrections applied in
 * turn ("general" is no category; urgent on is an emergency, off is not). */
struct route_correction {
	const char *thread_ref;
	const char *subject, *text;
	const struct strlist *categories;
};
typedef int ops_route_correction_cb(const struct route_correction *c, void *ctx);

/* Calls cb for each corrected thread; *count_r how many.  OPS_REFUSED for anyone but an
 * admin. */
int ops_route_corrections(struct store *store, const struct actor *actor,
                          ops_route_correction_cb *cb, void *ctx, size_t *count_r,
                          char **error_r);

#endif
