/* ops_route.c — the agency's corrections as training examples.  See ops_route.h. */
#include "ops_route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The category routing gives emergencies: a thread a person made urgent is one. */
#define EMERGENCY "emergency"

struct corrections {
	ops_route_correction_cb *cb;
	void *ctx;
	size_t count;
};

static int one_correction(const struct route_correction_row *row, void *p)
{
	struct corrections *c = p;
	struct strlist categories = {0};
	if (row->category != NULL && strcmp(row->category, "general") != 0)
		strlist_add(&categories, row->category);
	if (row->priority != NULL && strcmp(row->priority, "urgent") == 0)
		strlist_add_unique(&categories, EMERGENCY);
	const struct route_correction rc = {row->thread_ref, row->subject, row->text, &categories};
	int stop = c->cb(&rc, c->ctx);
	strlist_free(&categories);
	c->count++;
	return stop;
}

int ops_route_corrections(struct store *store, const struct actor *actor,
                          ops_route_correction_cb *cb, void *ctx, size_t *count_r,
                          char **error_r)
{
	*count_r = 0;
	if (actor->user->role != ROLE_ADMIN) {
		*error_r = xstrdup("refused: training on the stored mail is for admins (it reads "
		                   "confidential threads)");
		return OPS_REFUSED;
	}
	if (ops_begin(store, "route train", error_r) != OPS_OK)
		return OPS_FAILED;
	struct corrections c = {cb, ctx, 0};
	int rc = store_route_corrections(store, one_correction, &c);
	char *details = xasprintf("%zu corrected threads read to train the routing model", c.count);
	int orc = ops_commit_audited(store, actor, "route-train", "all mailboxes", details, rc,
	                             error_r);
	free(details);
	*count_r = c.count;
	return orc;
}
