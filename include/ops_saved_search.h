/* ops_saved_search.h — the records office's saved searches, and a search's filters from the
 * words a form or a saved search gives them.  Saved searches are the office's, shared: records
 * staff and admins save and delete them (audited), and everyone who reads the records pages
 * (the coordinator too) lists and runs them. */
#ifndef LIAISON_OPS_SAVED_SEARCH_H
#define LIAISON_OPS_SAVED_SEARCH_H

#include <stdint.h>

#include "ops.h"
#include "store.h"

/* A saved search's name: at most this many bytes (it is a label in a list). */
#define SAVED_SEARCH_NAME_MAX 100

/* The filters of search (its fields as a form or a saved search holds them: days as
 * "YYYY-MM-DD", until_day the last day searched, whole) into *filter, which borrows its
 * strings; an empty string is no filter.  OPS_OK, or OPS_INVALID with *error_r (a date that is
 * none, a direction other than in or out). */
int ops_search_filter_from(const struct saved_search_row *search, struct search_filter *filter,
                           char **error_r);

/* Saves search (its name and filters; saved_by and saved_at are the actor's and now's) under
 * its name; *id_r its number.  OPS_INVALID for no name, a name too long or taken, or a bad
 * filter; OPS_REFUSED unless the actor may change records. */
int ops_saved_search_save(struct store *store, const struct actor *actor,
                          const struct saved_search_row *search, int64_t *id_r, char **error_r);
/* Every saved search by name (id 0), or the one numbered id (OPS_NOT_FOUND when none). */
int ops_saved_searches(struct store *store, const struct actor *actor, int64_t id,
                       store_saved_search_cb *cb, void *ctx, char **error_r);
/* Deletes saved search id (OPS_NOT_FOUND when none). */
int ops_saved_search_delete(struct store *store, const struct actor *actor, int64_t id,
                            char **error_r);

#endif
