/* ops_saved_search.c — the records office's saved searches (see ops_saved_search.h). */
#include "ops_saved_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "ops_foia.h"
#include "util.h"

static const char *set_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* The instant a day starts (or, whole, ends) in the configured zone, as `liaison search
 * --since/--until` takes it. */
static int day_start(const char *day, int whole, const char *what, int64_t *t_r, char **error_r)
{
	struct cal_date d;
	if (calendar_parse(day, &d) < 0 ||
	    (*t_r = calendar_time_of(whole ? calendar_add_days(d, 1) : d, 0, 0)) < 0) {
		*error_r = xasprintf("%s: '%s' is not a date (YYYY-MM-DD)", what, day);
		return OPS_INVALID;
	}
	return OPS_OK;
}

int ops_search_filter_from(const struct saved_search_row *s, struct search_filter *f,
                           char **error_r)
{
	memset(f, 0, sizeof(*f));
	f->query = set_or_null(s->query);
	f->mailbox = set_or_null(s->mailbox);
	f->from = set_or_null(s->from);
	f->to = set_or_null(s->to);
	f->category = set_or_null(s->category);
	f->thread_ref = set_or_null(s->thread_ref);
	f->direction = set_or_null(s->direction);
	f->has_attachment = s->has_attachment != 0;
	if (f->direction && strcmp(f->direction, "in") != 0 && strcmp(f->direction, "out") != 0) {
		*error_r = xasprintf("direction: in or out, not '%s'", f->direction);
		return OPS_INVALID;
	}
	int rc = OPS_OK;
	if (set_or_null(s->since_day))
		rc = day_start(s->since_day, 0, "since", &f->since, error_r);
	if (rc == OPS_OK && set_or_null(s->until_day))
		rc = day_start(s->until_day, 1, "until", &f->until, error_r);
	return rc;
}

int ops_saved_search_save(struct store *store, const struct actor *a,
                          const struct saved_search_row *search, int64_t *id_r, char **error_r)
{
	int rc = ops_foia_may_change(a, error_r);
	if (rc != OPS_OK)
		return rc;
	const char *name = search->name;
	if (name == NULL || name[0] == '\0' || strlen(name) > SAVED_SEARCH_NAME_MAX) {
		*error_r = xasprintf("a saved search needs a name of 1 to %d characters",
		                     SAVED_SEARCH_NAME_MAX);
		return OPS_INVALID;
	}
	struct search_filter f;
	if ((rc = ops_search_filter_from(search, &f, error_r)) != OPS_OK)
		return rc;
	struct saved_search_row row = *search;
	row.saved_by = a->user->name;
	row.saved_at = (int64_t)time(NULL);
	if (ops_begin(store, name, error_r) != OPS_OK)
		return OPS_FAILED;
	int src = store_saved_search_add(store, &row, id_r);
	if (src == 1) {
		store_rollback(store);
		*error_r = xasprintf("a search named '%s' is saved already: choose another name, or "
		                     "delete that one first", name);
		return OPS_INVALID;
	}
	char *filters = ops_describe_search(&f, 0);
	char *details = xasprintf("saved search %lld: %s", (long long)(src < 0 ? 0 : *id_r), filters);
	rc = ops_commit_audited(store, a, "search-save", name, details, src, error_r);
	free(filters);
	free(details);
	return rc;
}

struct count_ctx {
	store_saved_search_cb *cb;
	void *ctx;
	size_t n;
	char name[SAVED_SEARCH_NAME_MAX + 1];
};

static int count_one(const struct saved_search_row *row, void *p)
{
	struct count_ctx *c = p;
	c->n++;
	snprintf(c->name, sizeof(c->name), "%s", row->name);
	return c->cb ? c->cb(row, c->ctx) : 0;
}

int ops_saved_searches(struct store *store, const struct actor *a, int64_t id,
                       store_saved_search_cb *cb, void *ctx, char **error_r)
{
	int rc = ops_foia_may_read(a, error_r);
	if (rc != OPS_OK)
		return rc;
	struct count_ctx c = {cb, ctx, 0, ""};
	if (store_saved_searches(store, id, count_one, &c) < 0) {
		*error_r = xasprintf("saved searches: %s", store_error(store));
		return OPS_FAILED;
	}
	if (id != 0 && c.n == 0) {
		*error_r = xasprintf("no saved search %lld", (long long)id);
		return OPS_NOT_FOUND;
	}
	return OPS_OK;
}

int ops_saved_search_delete(struct store *store, const struct actor *a, int64_t id,
                            char **error_r)
{
	int rc = ops_foia_may_change(a, error_r);
	if (rc != OPS_OK)
		return rc;
	struct count_ctx c = {NULL, NULL, 0, ""};
	if (ops_begin(store, "saved search", error_r) != OPS_OK)
		return OPS_FAILED;
	int src = store_saved_searches(store, id, count_one, &c);
	if (src == 0 && c.n == 0) {
		store_rollback(store);
		*error_r = xasprintf("no saved search %lld", (long long)id);
		return OPS_NOT_FOUND;
	}
	if (src == 0)
		src = store_saved_search_delete(store, id);
	char *details = xasprintf("saved search %lld deleted", (long long)id);
	rc = ops_commit_audited(store, a, "search-delete", c.name, details, src < 0 ? -1 : 0,
	                        error_r);
	free(details);
	return rc;
}
