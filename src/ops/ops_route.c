/* ops_route.c — the agency's corrections as training examples.  See ops_route.h.
 *
 * A corrected thread's labels start from what routing gave its first message and take each
 * of a person's corrections in turn: a category set ("hate-crime -> services" takes
 * hate-crime away and gives services; "general" is no category), urgent on (an emergency)
 * or off (not one).  A confidential or reportable flag says nothing of a category. */
#include "ops_route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The category routing gives emergencies: a thread a person made urgent is one. */
#define EMERGENCY "emergency"
#define NO_CATEGORY "general"

struct corrected {
	int64_t thread_id;
	char *ref, *subject, *text;
	struct strlist categories;
};

struct corrections {
	struct corrected *items;
	size_t count, cap;
};

static int collect(const struct route_correction_row *row, void *p)
{
	struct corrections *l = p;
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	struct corrected *c = &l->items[l->count++];
	memset(c, 0, sizeof(*c));
	c->thread_id = row->thread_id;
	c->ref = xstrdup(row->thread_ref);
	c->subject = xstrdup(row->subject ? row->subject : "");
	c->text = xstrdup(row->text ? row->text : "");
	if (row->routed != NULL) {
		char *copy = xstrdup(row->routed);
		for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			strlist_add_unique(&c->categories, tok);
		free(copy);
	}
	return 0;
}

static void remove_category(struct strlist *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], name) == 0) {
			free(l->items[i]);
			l->items[i] = l->items[--l->count];
			return;
		}
}

/* One entry of the thread's history, applied to its labels. */
static int apply_correction(const struct history_row *row, void *p)
{
	struct strlist *l = p;
	const char *d = row->details ? row->details : "";
	if (strcmp(row->action, "category") == 0) {
		/* "FROM -> TO" (ops.c, ops_category) */
		const char *arrow = strstr(d, " -> ");
		if (arrow == NULL)
			return 0;
		char *from = xstrndup(d, (size_t)(arrow - d));
		remove_category(l, from);
		free(from);
		if (strcmp(arrow + 4, NO_CATEGORY) != 0 && strcmp(arrow + 4, "none") != 0)
			strlist_add_unique(l, arrow + 4);
	} else if (strcmp(row->action, "flag") == 0) {
		if (strcmp(d, "urgent on") == 0)
			strlist_add_unique(l, EMERGENCY);
		else if (strcmp(d, "urgent off") == 0)
			remove_category(l, EMERGENCY);
	}
	return 0;
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
	struct corrections l = {0};
	int rc = store_route_corrections(store, collect, &l);
	for (size_t i = 0; rc == 0 && i < l.count; i++)
		rc = store_history_list(store, l.items[i].thread_id, apply_correction,
		                        &l.items[i].categories);
	char *details = xasprintf("%zu corrected threads read to train the routing model", l.count);
	int orc = ops_commit_audited(store, actor, "route-train", "all mailboxes", details, rc,
	                             error_r);
	free(details);
	for (size_t i = 0; i < l.count; i++) {
		struct corrected *c = &l.items[i];
		if (orc == OPS_OK) {
			const struct route_correction rc_item = {c->ref, c->subject, c->text,
			                                         &c->categories};
			cb(&rc_item, ctx);
		}
		free(c->ref);
		free(c->subject);
		free(c->text);
		strlist_free(&c->categories);
	}
	free(l.items);
	*count_r = orc == OPS_OK ? l.count : 0;
	return orc;
}
