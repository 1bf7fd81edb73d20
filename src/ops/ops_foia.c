/* ops_foia.c — FOIA requests (the legal clock, the frozen responsive set) and holds. */
#include "ops_foia.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "hash.h"
#include "mime.h"
#include "name_addresses.h"
#include "ops_message.h"
#include "pattern.h"
#include "redact.h"
#include "util.h"

int ops_foia_may_change(const struct actor *a, char **error_r)
{
	if (a->user->role == ROLE_RECORDS || a->user->role == ROLE_ADMIN)
		return OPS_OK;
	*error_r = xstrdup("refused: public-records requests and holds are records staff's work");
	return OPS_REFUSED;
}

int ops_foia_may_read(const struct actor *a, char **error_r)
{
	if (a->user->role != ROLE_CTL)
		return OPS_OK;
	*error_r = xstrdup("refused: public-records requests are for records staff, the "
	                   "coordinator and admins");
	return OPS_REFUSED;
}

int ops_foia_new(struct store *store, const struct actor *a, const char *requester,
                 const char *contact, const char *description, const char *received,
                 char *ref_r, size_t ref_size, char **error_r)
{
	int rc = ops_foia_may_change(a, error_r);
	if (rc != OPS_OK)
		return rc;
	struct cal_date day;
	if (received == NULL || calendar_parse(received, &day) < 0) {
		*error_r = xstrdup("--received is a date: YYYY-MM-DD");
		return OPS_INVALID;
	}
	/* a request not yet received would start its legal clock late: today is the
	 * configured zone's, never the machine's */
	struct cal_date today = calendar_date_of((int64_t)time(NULL), a->config->timezone);
	if (today.year != 0 && calendar_compare(day, today) > 0) {
		char now[11];
		calendar_format(today, now);
		*error_r = xasprintf("--received %s is in the future (today is %s in %s)", received,
		                     now, a->config->timezone);
		return OPS_INVALID;
	}
	if (requester == NULL || requester[0] == '\0' || description == NULL ||
	    description[0] == '\0') {
		*error_r = xstrdup("a request needs --requester and --description");
		return OPS_INVALID;
	}
	char due[11];
	calendar_format(calendar_add_business_days(day, FOIA_RESPONSE_DAYS), due);
	struct foia_row r = {
		.requester = requester,
		.contact = contact,
		.description = description,
		.received = received,
		.due = due,
		.created_by = a->user->name,
		.created_at = (int64_t)time(NULL),
	};
	if (ops_begin(store, "foia", error_r) != OPS_OK)
		return OPS_FAILED;
	int src = store_foia_create(store, &r, day.year, ref_r, ref_size);
	char *details = xasprintf("received %s, due %s, from %s", received, due, requester);
	rc = ops_commit_audited(store, a, "foia-new", src < 0 ? "foia" : ref_r, details, src, error_r);
	free(details);
	return rc;
}

struct load_ctx {
	int64_t id;
	char status[16];
};

static int load_one(const struct foia_row *row, void *p)
{
	struct load_ctx *c = p;
	c->id = row->id;
	snprintf(c->status, sizeof(c->status), "%s", row->status);
	return 1;
}

/* The request's id, open (for changes); OPS_INVALID when missing or closed. */
static int load_open(struct store *store, const char *ref, int64_t *id_r, char **error_r)
{
	struct load_ctx c = {0, ""};
	if (store_foia_list(store, ref, NULL, load_one, &c) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	if (c.id == 0) {
		*error_r = xasprintf("no request %s", ref);
		return OPS_NOT_FOUND;
	}
	if (strcmp(c.status, "open") != 0) {
		*error_r = xasprintf("%s is closed: its responsive set is final", ref);
		return OPS_INVALID;
	}
	*id_r = c.id;
	return OPS_OK;
}

/* An open request the actor may change. */
int ops_foia_open_for_change(struct store *store, const struct actor *a, const char *ref,
                             int64_t *id_r, char **error_r)
{
	int rc = ops_foia_may_change(a, error_r);
	return rc != OPS_OK ? rc : load_open(store, ref, id_r, error_r);
}

struct collect_ctx {
	int64_t *ids;
	size_t n, cap;
};

static int collect(const struct search_row *row, void *p)
{
	struct collect_ctx *c = p;
	for (size_t i = 0; i < c->n; i++) /* a message filed in two mailboxes counts once */
		if (c->ids[i] == row->id)
			return 0;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->ids = xrealloc(c->ids, c->cap * sizeof(*c->ids));
	}
	c->ids[c->n++] = row->id;
	return 0;
}

/* Begins the transaction, then finds the messages the filters find now: the set is frozen
 * at this moment, and no disposal can come between finding and holding them. */
static int begin_and_find(struct store *store, const struct search_filter *f,
                          struct collect_ctx *c, char **error_r)
{
	if (ops_begin(store, NULL, error_r) != OPS_OK)
		return OPS_FAILED;
	size_t total = 0;
	if (store_search(store, f, collect, c, &total) < 0) {
		*error_r = xasprintf("search: %s", store_error(store));
		store_rollback(store);
		return OPS_INVALID;
	}
	return OPS_OK;
}

int ops_foia_add(struct store *store, const struct actor *a, const char *ref,
                 const struct search_filter *f, size_t *added_r, char **error_r)
{
	*added_r = 0;
	int64_t id;
	int rc = ops_foia_open_for_change(store, a, ref, &id, error_r);
	if (rc != OPS_OK)
		return rc;
	struct collect_ctx c = {NULL, 0, 0};
	if ((rc = begin_and_find(store, f, &c, error_r)) != OPS_OK) {
		free(c.ids);
		return rc;
	}
	int64_t now = (int64_t)time(NULL);
	int src = 0;
	for (size_t i = 0; src >= 0 && i < c.n; i++) {
		src = store_foia_add_item(store, id, c.ids[i], a->user->name, now);
		if (src > 0)
			(*added_r)++;
	}
	char *what = xasprintf("%zu new of %zu found; ", *added_r, c.n);
	char *filters = ops_describe_search(f, c.n);
	char *details = xasprintf("%s%s", what, filters);
	rc = ops_commit_audited(store, a, "foia-add", ref, details, src < 0 ? -1 : 0, error_r);
	free(what);
	free(filters);
	free(details);
	free(c.ids);
	return rc;
}

int ops_foia_remove(struct store *store, const struct actor *a, const char *ref,
                    const char *message, char **done_r, char **error_r)
{
	int64_t id;
	int rc = ops_foia_open_for_change(store, a, ref, &id, error_r);
	if (rc != OPS_OK)
		return rc;
	struct ops_message m;
	if ((rc = ops_message_resolve(store, message, &m, error_r)) != OPS_OK)
		return rc;
	char sha[SHA256_HEX_SIZE];
	snprintf(sha, sizeof(sha), "%s", m.sha256);
	char *named = ops_message_describe(&m);
	ops_message_clear(&m);
	if (ops_begin(store, ref, error_r) != OPS_OK)
		return OPS_FAILED;
	int src = store_foia_remove_item(store, id, sha);
	if (src == 0) {
		store_rollback(store);
		*error_r = xasprintf("%s is not in %s", message, ref);
		free(named);
		return OPS_INVALID;
	}
	char *details = xasprintf("removed %s", sha);
	rc = ops_commit_audited(store, a, "foia-remove", ref, details, src < 0 ? -1 : 0, error_r);
	if (rc == OPS_OK)
		*done_r = xasprintf("%s: removed %s", ref, named);
	free(details);
	free(named);
	return rc;
}

int ops_foia_close(struct store *store, const struct actor *a, const char *ref, char **error_r)
{
	int64_t id;
	int rc = ops_foia_open_for_change(store, a, ref, &id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (ops_begin(store, ref, error_r) != OPS_OK)
		return OPS_FAILED;
	int src = store_foia_close(store, id, (int64_t)time(NULL));
	return ops_commit_audited(store, a, "foia-close", ref, "its holds released", src, error_r);
}

/* OPS_OK unless the filters find every stored message (found of them): a hold on everything
 * stops all disposal, so it must be asked for with --all, not reached by a forgotten
 * filter. */
static int hold_not_everything(struct store *store, const struct search_filter *f,
                               size_t found, char **error_r)
{
	struct search_filter everything = {.troops = f->troops, .limit = f->limit};
	struct collect_ctx c = {NULL, 0, 0};
	size_t total = 0;
	if (store_search(store, &everything, collect, &c, &total) < 0) {
		*error_r = xasprintf("search: %s", store_error(store));
		free(c.ids);
		return OPS_FAILED;
	}
	free(c.ids);
	if (found == 0 || found < c.n)
		return OPS_OK;
	*error_r = xasprintf("these filters would hold every stored message (%zu): narrow them, "
	                     "or give --all to hold them all", found);
	return OPS_INVALID;
}

struct hold_ctx {
	const char *name;
	int64_t active;
	char *reason, *placed_by;
};

static int hold_found(const struct hold_row *h, void *p)
{
	struct hold_ctx *c = p;
	if (strcmp(h->name, c->name) != 0 || h->active == 0)
		return 0;
	c->active = h->active;
	c->reason = xstrdup(h->reason);
	c->placed_by = xstrdup(h->placed_by);
	return 1;
}

/* OPS_OK when no active hold has the name: adding to one would silently widen it under
 * another reason. */
static int hold_name_free(struct store *store, const char *name, char **error_r)
{
	struct hold_ctx c = {name, 0, NULL, NULL};
	if (store_holds_list(store, hold_found, &c) < 0) {
		*error_r = xasprintf("%s: %s", name, store_error(store));
		return OPS_FAILED;
	}
	int rc = OPS_OK;
	if (c.active > 0) {
		*error_r = xasprintf("a hold named %s is active already (%lld messages, placed by %s: "
		                     "%s): give the new hold a name of its own, or release that one "
		                     "first", name, (long long)c.active, c.placed_by, c.reason);
		rc = OPS_INVALID;
	}
	free(c.reason);
	free(c.placed_by);
	return rc;
}

int ops_hold_add(struct store *store, const struct actor *a, const char *name,
                 const char *reason, const struct search_filter *f, int all, size_t *placed_r,
                 char **error_r)
{
	*placed_r = 0;
	int rc = ops_foia_may_change(a, error_r);
	if (rc != OPS_OK)
		return rc;
	if (reason == NULL || reason[0] == '\0') {
		*error_r = xstrdup("a hold needs --reason TEXT");
		return OPS_INVALID;
	}
	if (name == NULL || name[0] == '\0') {
		*error_r = xstrdup("a hold needs a NAME");
		return OPS_INVALID;
	}
	struct collect_ctx c = {NULL, 0, 0};
	if ((rc = begin_and_find(store, f, &c, error_r)) != OPS_OK) {
		free(c.ids);
		return rc;
	}
	rc = hold_name_free(store, name, error_r);
	if (rc == OPS_OK && !all)
		rc = hold_not_everything(store, f, c.n, error_r);
	if (rc != OPS_OK) {
		store_rollback(store);
		free(c.ids);
		return rc;
	}
	int64_t now = (int64_t)time(NULL);
	int src = 0;
	for (size_t i = 0; src >= 0 && i < c.n; i++) {
		src = store_hold_place(store, name, c.ids[i], reason, a->user->name, now);
		if (src > 0)
			(*placed_r)++;
	}
	char *filters = ops_describe_search(f, c.n);
	char *details = xasprintf("%zu placed (%s); %s", *placed_r, reason, filters);
	rc = ops_commit_audited(store, a, "hold-add", name, details, src < 0 ? -1 : 0, error_r);
	free(filters);
	free(details);
	free(c.ids);
	return rc;
}

int ops_foia_list(struct store *store, const struct actor *actor, const char *status,
                  store_foia_cb *cb, void *ctx, char **error_r)
{
	int rc = ops_foia_may_read(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_foia_list(store, NULL, status, cb, ctx) < 0) {
		*error_r = xasprintf("requests: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

struct show_ctx {
	store_foia_cb *cb;
	void *ctx;
	int64_t id;
};

static int show_one(const struct foia_row *row, void *p)
{
	struct show_ctx *c = p;
	c->id = row->id;
	c->cb(row, c->ctx);
	return 1;
}

int ops_foia_show(struct store *store, const struct actor *actor, const char *ref,
                  store_foia_cb *request_cb, store_foia_item_cb *item_cb,
                  store_decision_cb *decision_cb, void *ctx, char **error_r)
{
	int rc = ops_foia_may_read(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	struct show_ctx c = {request_cb, ctx, 0};
	int listed = store_foia_list(store, ref, NULL, show_one, &c); /* any case */
	if (listed < 0 || (c.id != 0 && (store_foia_items(store, c.id, item_cb, ctx) < 0 ||
	                                 store_foia_decisions(store, c.id, decision_cb, ctx) < 0))) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	if (c.id == 0) {
		*error_r = xasprintf("no request %s", ref);
		return OPS_NOT_FOUND;
	}
	return OPS_OK;
}

int ops_foia_review(struct store *store, const struct actor *actor, const char *ref,
                    store_review_cb *cb, void *ctx, char **error_r)
{
	int64_t id = 0;
	int rc = ops_foia_lookup(store, actor, ref, &id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_foia_review(store, id, cb, ctx) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_holds_list(struct store *store, const struct actor *actor, store_hold_cb *cb, void *ctx,
                   char **error_r)
{
	int rc = ops_foia_may_read(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_holds_list(store, cb, ctx) < 0) {
		*error_r = xasprintf("holds: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_hold_release(struct store *store, const struct actor *a, const char *name,
                     size_t *released_r, char **error_r)
{
	*released_r = 0;
	int rc = ops_foia_may_change(a, error_r);
	if (rc != OPS_OK)
		return rc;
	if (ops_begin(store, name, error_r) != OPS_OK)
		return OPS_FAILED;
	int64_t n = 0;
	int src = store_hold_release(store, name, a->user->name, (int64_t)time(NULL), &n);
	if (src == 0 && n == 0) {
		store_rollback(store);
		*error_r = xasprintf("no active hold named %s", name);
		return OPS_NOT_FOUND;
	}
	*released_r = (size_t)n;
	char *details = xasprintf("%lld released", (long long)n);
	rc = ops_commit_audited(store, a, "hold-release", name, details, src, error_r);
	free(details);
	return rc;
}

int ops_foia_lookup(struct store *store, const struct actor *a, const char *ref, int64_t *id_r,
                    char **error_r)
{
	int rc = ops_foia_may_read(a, error_r);
	if (rc != OPS_OK)
		return rc;
	struct load_ctx c = {0, ""};
	if (store_foia_list(store, ref, NULL, load_one, &c) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	if (c.id == 0) {
		*error_r = xasprintf("no request %s", ref);
		return OPS_NOT_FOUND;
	}
	*id_r = c.id;
	return OPS_OK;
}

int ops_foia_add_messages(struct store *store, const struct actor *a, const char *ref,
                          const int64_t *ids, size_t n, size_t *added_r, char **error_r)
{
	*added_r = 0;
	int64_t id;
	int rc = ops_foia_open_for_change(store, a, ref, &id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (n == 0) {
		*error_r = xstrdup("no message chosen: tick the messages to add");
		return OPS_INVALID;
	}
	if (ops_begin(store, ref, error_r) != OPS_OK)
		return OPS_FAILED;
	int64_t now = (int64_t)time(NULL);
	int src = 0;
	for (size_t i = 0; src >= 0 && i < n; i++) {
		src = store_foia_add_item(store, id, ids[i], a->user->name, now);
		if (src > 0)
			(*added_r)++;
	}
	char *details = xasprintf("%zu new of %zu chosen", *added_r, n);
	rc = ops_commit_audited(store, a, "foia-add", ref, details, src < 0 ? -1 : 0, error_r);
	free(details);
	if (rc != OPS_OK)
		*added_r = 0;
	return rc;
}

int ops_foia_days_left(const struct actor *a, const char *due, int64_t now)
{
	struct cal_date day;
	if (due == NULL || calendar_parse(due, &day) < 0)
		return 0;
	struct cal_date today = calendar_date_of(now, a->config->timezone);
	return calendar_business_days_between(today, day);
}
