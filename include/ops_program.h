/* ops_program.h — the coordinator's program view: per troop, the counts that need attention
 * (new, unassigned, urgent, overdue, reportable awaiting an RMS number, event requests awaiting
 * a decision), each as the inbox views (ops_inbox.h) and the events list count them, so a
 * number and the list it opens agree.  For the coordinator and admins.  Results are ops.h's
 * OPS_ codes with *error_r (caller frees). */
#ifndef LIAISON_OPS_PROGRAM_H
#define LIAISON_OPS_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "ops.h"

struct ops_program_row {
	char troop;
	int64_t fresh;          /* open threads whose status is new (the inbox's All open, status new) */
	int64_t unassigned, urgent, overdue, reportable; /* the inbox views of those names */
	int64_t event_requests; /* events of the troop waiting for a decision */
};

/* One row per troop of the configuration, in the configuration's order, at the instant now
 * (overdue is judged then).  *rows_r (caller frees) holds *n_r rows.  OPS_REFUSED for anyone
 * but the coordinator and admins: the view is of every troop. */
int ops_program_counts(struct store *store, const struct actor *actor, int64_t now,
                       struct ops_program_row **rows_r, size_t *n_r, char **error_r);

#endif
