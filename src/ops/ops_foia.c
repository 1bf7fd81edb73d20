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
	if (store_begin(store) < 0) {
		*error_r = xasprintf("foia: %s", store_error(store));
		return OPS_FAILED;
	}
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
static int load_for_change(struct store *store, const struct actor *a, const char *ref,
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
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s", store_error(store));
		return OPS_FAILED;
	}
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
	int rc = load_for_change(store, a, ref, &id, error_r);
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
	int rc = load_for_change(store, a, ref, &id, error_r);
	if (rc != OPS_OK)
		return rc;
	struct ops_message m;
	if ((rc = ops_message_resolve(store, message, &m, error_r)) != OPS_OK)
		return rc;
	char sha[SHA256_HEX_SIZE];
	snprintf(sha, sizeof(sha), "%s", m.sha256);
	char *named = ops_message_describe(&m);
	ops_message_clear(&m);
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
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
	int rc = load_for_change(store, a, ref, &id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
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
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", name, store_error(store));
		return OPS_FAILED;
	}
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

/* The message (see ops_message_resolve) as an item of the open request ref. */
static int load_item(struct store *store, const struct actor *a, const char *ref,
                     const char *message, int64_t *request_r, int64_t *message_r,
                     char sha_r[SHA256_HEX_SIZE], char **error_r)
{
	int rc = load_for_change(store, a, ref, request_r, error_r);
	if (rc != OPS_OK)
		return rc;
	struct ops_message m;
	if ((rc = ops_message_resolve(store, message, &m, error_r)) != OPS_OK)
		return rc;
	snprintf(sha_r, SHA256_HEX_SIZE, "%s", m.sha256);
	ops_message_clear(&m);
	int found = store_foia_item_id(store, *request_r, sha_r, message_r);
	if (found <= 0) {
		*error_r = found < 0 ? xasprintf("%s: %s", ref, store_error(store))
		                     : xasprintf("%s is not in the responsive set of %s", message, ref);
		return found < 0 ? OPS_FAILED : OPS_INVALID;
	}
	return OPS_OK;
}

/* The message as every command names one it acted on: "<Message-ID> (12 digits)". */
static char *message_named(struct store *store, int64_t message_id, const char *sha)
{
	struct ops_message m;
	char *error = NULL, *named = NULL;
	if (ops_message_resolve(store, sha, &m, &error) == OPS_OK && m.id == message_id)
		named = ops_message_describe(&m);
	else
		named = xasprintf("%.12s", sha);
	free(error);
	ops_message_clear(&m);
	return named;
}

int ops_foia_withhold(struct store *store, const struct actor *a, const char *ref,
                      const char *message, const char *exemption, const char *reason,
                      char **done_r, char **error_r)
{
	/* who may, before what is wrong with the request */
	int may = ops_foia_may_change(a, error_r);
	if (may != OPS_OK)
		return may;
	if (exemption == NULL || exemption[0] == '\0' || reason == NULL || reason[0] == '\0') {
		*error_r = xstrdup("withholding needs --exemption CITATION and --reason TEXT");
		return OPS_INVALID;
	}
	int64_t request_id, message_id, id = 0;
	char sha[SHA256_HEX_SIZE];
	int rc = load_item(store, a, ref, message, &request_id, &message_id, sha, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	/* one withholding in force per message: a change of mind is a revocation first, so
	 * that the first decision stays on record */
	int held = store_foia_withholding_in_force(store, request_id, message_id, &id);
	if (held != 0) {
		store_rollback(store);
		*error_r = held < 0 ? xasprintf("%s: %s", ref, store_error(store))
		                    : xasprintf("%s is withheld already (withholding %lld): revoke "
		                                "it first with foia unwithhold %s %s", message,
		                                (long long)id, ref, message);
		return held < 0 ? OPS_FAILED : OPS_INVALID;
	}
	int src = store_foia_withhold(store, request_id, message_id, exemption, reason,
	                              a->user->name, (int64_t)time(NULL), &id);
	char *details = xasprintf("withholding %lld: withheld %s under %s: %s", (long long)id, sha,
	                          exemption, reason);
	rc = ops_commit_audited(store, a, "foia-withhold", ref, details, src, error_r);
	if (rc == OPS_OK) {
		char *named = message_named(store, message_id, sha);
		*done_r = xasprintf("%s: withholding %lld on %s under %s", ref, (long long)id, named,
		                    exemption);
		free(named);
	}
	free(details);
	return rc;
}

int ops_foia_unwithhold(struct store *store, const struct actor *a, const char *ref,
                        const char *message, char **done_r, char **error_r)
{
	int64_t request_id, message_id, id = 0;
	char sha[SHA256_HEX_SIZE];
	int rc = load_item(store, a, ref, message, &request_id, &message_id, sha, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	int held = store_foia_withholding_in_force(store, request_id, message_id, &id);
	int src = held > 0 ? store_foia_unwithhold(store, request_id, message_id, a->user->name,
	                                           (int64_t)time(NULL))
	                   : held;
	if (src == 0) {
		store_rollback(store);
		*error_r = xasprintf("%s is not withheld in %s", message, ref);
		return OPS_INVALID;
	}
	char *details = xasprintf("withholding %lld of %s revoked", (long long)id, sha);
	rc = ops_commit_audited(store, a, "foia-unwithhold", ref, details, src < 0 ? -1 : 0,
	                        error_r);
	if (rc == OPS_OK) {
		char *named = message_named(store, message_id, sha);
		*done_r = xasprintf("%s: withholding %lld on %s revoked", ref, (long long)id, named);
		free(named);
	}
	free(details);
	return rc;
}

int ops_foia_unredact(struct store *store, const struct actor *a, const char *ref,
                      const char *number, char **done_r, char **error_r)
{
	char *end = NULL;
	long long id = number ? strtoll(number, &end, 10) : 0;
	if (number == NULL || end == number || *end != '\0' || id <= 0) {
		*error_r = xasprintf("%s is not a redaction number (foia show %s lists them)",
		                     number ? number : "(none)", ref);
		return OPS_INVALID;
	}
	int64_t request_id;
	int rc = load_for_change(store, a, ref, &request_id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	int src = store_foia_unredact(store, request_id, id, a->user->name, (int64_t)time(NULL));
	if (src == 0) {
		store_rollback(store);
		*error_r = xasprintf("%s has no redaction %lld in force (foia show %s lists them)", ref,
		                     id, ref);
		return OPS_NOT_FOUND;
	}
	char *details = xasprintf("redaction %lld revoked", id);
	rc = ops_commit_audited(store, a, "foia-unredact", ref, details, src < 0 ? -1 : 0, error_r);
	if (rc == OPS_OK)
		*done_r = xasprintf("%s: redaction %lld revoked", ref, id);
	free(details);
	return rc;
}

/* Presets for what correspondents most often need hidden: phone numbers and street
 * addresses (US forms), and e-mail addresses (a name redacted beside its address hides
 * nothing). */
static const char *preset_pattern(const char *preset)
{
	if (strcmp(preset, "phone") == 0)
		return "(?<!\\d)(?:\\(\\d{3}\\)\\s?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}(?!\\d)";
	if (strcmp(preset, "address") == 0)
		return "\\b\\d{1,6}\\s+(?:[A-Z][A-Za-z]+\\s+){1,3}"
		       "(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Ct|Court|"
		       "Way|Pl|Place|Ter|Terrace|Hwy|Highway)\\b\\.?";
	if (strcmp(preset, "email") == 0)
		return "(?i)(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\\.[A-Z0-9-]+)*\\.[A-Z]{2,}"
		       "(?![A-Z0-9-])";
	return NULL;
}

/* What the production draws of a message, and so what a redaction must find. */
struct drawn {
	int64_t id;
	char *fields[5];              /* subject, from, to, Message-ID, mailboxes */
};

static int drawn_fields(const struct export_item_row *r, void *p)
{
	struct drawn *d = p;
	if (r->id != d->id)
		return 0;
	const char *f[] = {r->subject, r->from_text, r->to_text, r->message_id, r->custodians};
	for (size_t i = 0; i < 5; i++)
		d->fields[i] = xstrdup(f[i] ? f[i] : "");
	return 1;
}

/* How many passages the redaction hides in the message as the production draws it (its
 * fields, attachment names and text): OPS_OK with *passages_r, or OPS_FAILED. */
static int count_passages(struct store *store, const struct actor *a, int64_t request_id,
                          int64_t message_id, const struct redaction *r, size_t *passages_r,
                          char **error_r)
{
	*passages_r = 0;
	struct drawn d = {.id = message_id};
	char *raw = NULL, *text = NULL;
	size_t len = 0;
	if (store_foia_export_items(store, request_id, drawn_fields, &d) < 0 ||
	    store_message_content(store, message_id, &raw, &len, &text) < 0) {
		*error_r = xasprintf("%s", store_error(store));
		for (size_t i = 0; i < 5; i++)
			free(d.fields[i]);
		return OPS_FAILED;
	}
	struct parsed_message *parsed = NULL;
	if (raw != NULL)
		mime_parse(raw, len, &a->config->limits, &parsed);
	struct redactor *rd = NULL;
	int rc = redactor_new(r, 1, &rd, error_r);
	for (size_t i = 0; rc == 0 && i < 5; i++) {
		char *out = redact_string(rd, d.fields[i], passages_r, error_r);
		rc = out ? 0 : -1;
		free(out);
	}
	for (size_t i = 0; rc == 0 && parsed != NULL && i < parsed->n_attachments; i++) {
		const char *name = parsed->attachments[i].filename;
		char *out = redact_string(rd, name ? name : "", passages_r, error_r);
		rc = out ? 0 : -1;
		free(out);
	}
	if (rc == 0) {
		char *out = redact_string(rd, text ? text : "", passages_r, error_r);
		rc = out ? 0 : -1;
		free(out);
	}
	redactor_free(&rd);
	parsed_message_free(&parsed);
	free(raw);
	free(text);
	for (size_t i = 0; i < 5; i++)
		free(d.fields[i]);
	return rc == 0 ? OPS_OK : OPS_FAILED;
}

struct seen_ctx {
	struct store *store;
	const struct actor *actor;
	const char *name;
	struct strlist *found, *forms;
	int failed;
};

/* The addresses that go with the name in one message of the request: its From, To and Cc
 * display names, and addresses written next to the name in its text. */
static int seen_in_message(const struct export_item_row *r, void *p)
{
	struct seen_ctx *c = p;
	char *raw = NULL, *text = NULL;
	size_t len = 0;
	int found = store_message_content(c->store, r->id, &raw, &len, &text);
	if (found < 0) {
		c->failed = 1;
		return 1;
	}
	if (found == 0)
		return 0; /* disposed of */
	name_addresses_in_text(c->name, text, c->found);
	struct parsed_message *m = NULL;
	mime_parse(raw, len, &c->actor->config->limits, &m);
	for (size_t i = 0; m != NULL && i <= m->n_to; i++) {
		const struct mime_address *who = i == 0 ? &m->from : &m->to[i - 1];
		/* the same person written another way ("Okafor, Tunde") is not hidden by the
		 * text as given: said too */
		if (name_addresses_in_mailbox(c->name, who->name, who->addr, c->found) &&
		    strcasestr(who->name, c->name) == NULL)
			strlist_add_unique(c->forms, who->name);
	}
	parsed_message_free(&m);
	free(raw);
	free(text);
	return 0;
}

int ops_foia_redact(struct store *store, const struct actor *a, const char *ref,
                    const char *message, const struct foia_redaction *want,
                    struct foia_redacted *done_r, char **error_r)
{
	memset(done_r, 0, sizeof(*done_r));
	const char *text = want->text, *pattern = want->pattern, *preset = want->preset;
	if ((text != NULL) + (pattern != NULL) + (preset != NULL) != 1) {
		*error_r = xstrdup("give one of --text STRING, --pattern PCRE2, "
		                   "--preset phone|address|email");
		return OPS_INVALID;
	}
	if (want->exemption == NULL || want->exemption[0] == '\0') {
		*error_r = xstrdup("a redaction needs --exemption CITATION");
		return OPS_INVALID;
	}
	if (preset != NULL && (pattern = preset_pattern(preset)) == NULL) {
		*error_r = xasprintf("no preset %s: phone, address or email", preset);
		return OPS_INVALID;
	}
	if (text != NULL && text[0] == '\0') {
		*error_r = xstrdup("an empty --text");
		return OPS_INVALID;
	}
	if (pattern != NULL && pattern_check(pattern, error_r) < 0)
		return OPS_INVALID;
	int64_t request_id, message_id, id = 0;
	char sha[SHA256_HEX_SIZE];
	int rc = load_item(store, a, ref, message, &request_id, &message_id, sha, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	/* Counted in the transaction that records it: a redaction that hides nothing (a
	 * misspelt name) would leave the real words on the page. */
	struct redaction r = {text ? "text" : "pattern", text ? text : pattern, want->exemption};
	size_t passages = 0;
	if ((rc = count_passages(store, a, request_id, message_id, &r, &passages, error_r)) != OPS_OK) {
		store_rollback(store);
		return rc;
	}
	if (passages == 0) {
		store_rollback(store);
		*error_r = xasprintf("the %s matches nothing in %s: nothing recorded (check the "
		                     "spelling against foia show / liaison raw)",
		                     text ? "text" : preset ? "preset" : "pattern", message);
		return OPS_INVALID;
	}
	struct redaction_new row = {
		.kind = r.kind, .value = r.value, .preset = preset, .passages = (int64_t)passages,
		.exemption = want->exemption, .reason = want->reason, .user = a->user->name,
		.now = (int64_t)time(NULL),
	};
	int src = store_foia_redact(store, request_id, message_id, &row, &id);
	/* The audit names the rule, never the redacted words. */
	char *details = xasprintf("redaction %lld in %s under %s (%s, %zu passage%s)", (long long)id,
	                          sha, want->exemption, text ? "text" : preset ? preset : "pattern",
	                          passages, passages == 1 ? "" : "s");
	rc = ops_commit_audited(store, a, "foia-redact", ref, details, src, error_r);
	free(details);
	if (rc != OPS_OK)
		return rc;
	done_r->id = id;
	done_r->passages = passages;
	char *named = message_named(store, message_id, sha);
	done_r->done = xasprintf("%s: redaction %lld on %s (%zu passage%s)", ref, (long long)id,
	                         named, passages, passages == 1 ? "" : "s");
	free(named);
	if (text != NULL) {
		struct seen_ctx c = {store, a, text, &done_r->addresses, &done_r->forms, 0};
		/* suggestions only: the redaction is recorded whatever they find */
		if (store_foia_export_items(store, request_id, seen_in_message, &c) < 0 || c.failed) {
			strlist_free(&done_r->addresses);
			strlist_free(&done_r->forms);
		}
	}
	return OPS_OK;
}

void ops_foia_redacted_clear(struct foia_redacted *r)
{
	free(r->done);
	strlist_free(&r->addresses);
	strlist_free(&r->forms);
	memset(r, 0, sizeof(*r));
}
