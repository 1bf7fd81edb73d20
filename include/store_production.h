/* store_production.h — the productions made of a public-records request, as recorded by
 * store_production_add (store.h): for the console's list of past productions. */
#ifndef LIAISON_STORE_PRODUCTION_H
#define LIAISON_STORE_PRODUCTION_H

#include <stdint.h>

#include "store.h"

struct production_row {
	const char *bates_prefix, *produced_by;
	int64_t bates_first, bates_last;  /* last < first: a production of no pages */
	int64_t produced_at;
};
typedef int store_production_cb(const struct production_row *row, void *ctx);
/* Each production of request_id, oldest first; a non-zero return from cb stops.  0 or -1. */
int store_productions_list(struct store *store, int64_t request_id, store_production_cb *cb,
                           void *ctx);

#endif
