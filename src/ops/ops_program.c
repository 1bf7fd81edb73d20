/* ops_program.c — the program view's counts: the inbox views' own counts per troop, and the
 * event requests waiting for a decision. */
#include "ops_program.h"

#include <stdlib.h>
#include <string.h>

#include "ops_inbox.h"
#include "util.h"

/* The troop's counts as the inbox counts them (ops_inbox_counts), so that each number equals
 * the list its link opens. */
static int troop_counts(struct store *store, const struct actor *actor, int64_t now,
                        struct ops_program_row *r, char **error_r)
{
	int64_t counts[OPS_VIEW_COUNT];
	struct ops_inbox_query q = {.troop = r->troop, .now = now};
	int rc = ops_inbox_counts(store, actor, &q, counts, error_r);
	if (rc != OPS_OK)
		return rc;
	r->unassigned = counts[OPS_VIEW_UNASSIGNED];
	r->urgent = counts[OPS_VIEW_URGENT];
	r->overdue = counts[OPS_VIEW_OVERDUE];
	r->reportable = counts[OPS_VIEW_REPORTABLE];
	q.status = "new";
	if ((rc = ops_inbox_counts(store, actor, &q, counts, error_r)) != OPS_OK)
		return rc;
	r->fresh = counts[OPS_VIEW_ALL];
	if (store_events_requested(store, r->troop, &r->event_requests) < 0) {
		*error_r = xasprintf("events: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_program_counts(struct store *store, const struct actor *actor, int64_t now,
                       struct ops_program_row **rows_r, size_t *n_r, char **error_r)
{
	*rows_r = NULL;
	*n_r = 0;
	enum user_role role = actor->user->role;
	if (role != ROLE_COORDINATOR && role != ROLE_ADMIN) {
		*error_r = xstrdup("refused: the program view of every troop is for the coordinator "
		                   "and admins (your troops' threads are in the inbox)");
		return OPS_REFUSED;
	}
	const struct config *config = actor->config;
	struct ops_program_row *rows = xcalloc(config->n_mailboxes ? config->n_mailboxes : 1,
	                                       sizeof(*rows));
	size_t n = 0;
	for (size_t i = 0; i < config->n_mailboxes; i++) {
		char troop = config->mailboxes[i].troop;
		int seen = 0;
		for (size_t j = 0; j < n; j++)
			seen |= rows[j].troop == troop; /* two mailboxes of one troop: one row */
		if (seen)
			continue;
		rows[n].troop = troop;
		int rc = troop_counts(store, actor, now, &rows[n], error_r);
		if (rc != OPS_OK) {
			free(rows);
			return rc;
		}
		n++;
	}
	*rows_r = rows;
	*n_r = n;
	return OPS_OK;
}
