/* ops_outbox.c — who may see and decide what of liaison's outgoing mail. */
#include "ops_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static const char *const statuses[] = {"queued", "sending", "sent", "failed", "uncertain"};

/* The coordinator and admins oversee every troop's outgoing mail. */
static int oversees(const struct actor *a)
{
	return a->user->role == ROLE_COORDINATOR || a->user->role == ROLE_ADMIN;
}

static int sees_row(const struct actor *a, const struct outbox_row *r)
{
	return ops_sees_troop(a, r->troop);
}

/* What liaison wrote itself (a digest, a notice) is no thread's; a reply, auto-reply or
 * referral follows the rule of its thread. */
static int reads_row(const struct actor *a, const struct outbox_row *r)
{
	if (r->thread_id == 0)
		return sees_row(a, r);
	return ops_sees_content(a, r->troop, r->thread_confidential, r->thread_assignee);
}

struct list_ctx {
	const struct actor *actor;
	store_outbox_cb *cb;
	void *ctx;
};

static int list_one(const struct outbox_row *row, void *p)
{
	struct list_ctx *c = p;
	if (!sees_row(c->actor, row))
		return 0;
	if (reads_row(c->actor, row))
		return c->cb(row, c->ctx);
	struct outbox_row hidden = *row;
	hidden.recipient = "confidential";
	hidden.raw = NULL;
	hidden.len = 0;
	return c->cb(&hidden, c->ctx);
}

int ops_outbox_list(struct store *store, const struct actor *actor, const char *status,
                    store_outbox_cb *cb, void *ctx, char **error_r)
{
	int known = status == NULL;
	for (size_t i = 0; !known && i < sizeof(statuses) / sizeof(*statuses); i++)
		known = strcmp(status, statuses[i]) == 0;
	if (!known) {
		*error_r = xasprintf("'%s' is not a status: queued, sending, sent, failed, uncertain",
		                     status);
		return OPS_INVALID;
	}
	struct list_ctx c = {actor, cb, ctx};
	if (store_outbox_list(store, status, list_one, &c) < 0) {
		*error_r = xasprintf("outbox: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

/* A copy of the row's fields the decisions need. */
struct row_facts {
	int found, sees, reads;
	char status[16];
	char *thread_ref, *created_by, *kind;
	int64_t thread_id;
	int confidential;
};

struct collect_ctx {
	struct row_facts *f;
	const struct actor *a;
};

static int collect(const struct outbox_row *row, void *p)
{
	struct row_facts *f = ((struct collect_ctx *)p)->f;
	const struct actor *a = ((struct collect_ctx *)p)->a;
	f->found = 1;
	f->sees = sees_row(a, row);
	f->reads = reads_row(a, row);
	snprintf(f->status, sizeof(f->status), "%s", row->status);
	f->thread_ref = row->thread_ref ? xstrdup(row->thread_ref) : NULL;
	f->created_by = row->created_by ? xstrdup(row->created_by) : NULL;
	f->kind = xstrdup(row->kind);
	f->thread_id = row->thread_id;
	f->confidential = row->thread_confidential;
	return 1;
}

static void facts_free(struct row_facts *f)
{
	free(f->thread_ref);
	free(f->created_by);
	free(f->kind);
}

/* Reads row id's facts; OPS_NOT_FOUND when there is none the actor may see. */
static int load_facts(struct store *store, const struct actor *a, int64_t id,
                      struct row_facts *f, char **error_r)
{
	memset(f, 0, sizeof(*f));
	struct collect_ctx c = {f, a};
	int found = store_outbox_get(store, id, collect, &c);
	if (found < 0) {
		*error_r = xasprintf("outbox %lld: %s", (long long)id, store_error(store));
		return OPS_FAILED;
	}
	if (!f->found || !f->sees) {
		facts_free(f);
		*error_r = xasprintf("no outgoing message %lld%s", (long long)id,
		                     f->found ? " of your troops" : "");
		return OPS_NOT_FOUND;
	}
	return OPS_OK;
}

int ops_outbox_show(struct store *store, const struct actor *actor, int64_t id,
                    store_outbox_cb *cb, void *ctx, char **error_r)
{
	struct row_facts f;
	int rc = load_facts(store, actor, id, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	if (!f.reads) {
		*error_r = xasprintf("refused: outbox %lld belongs to confidential thread %s", (long long)id,
		                     f.thread_ref ? f.thread_ref : "");
		rc = OPS_REFUSED;
	} else if (f.confidential && ops_note_read(store, actor, f.thread_ref, error_r) != OPS_OK) {
		rc = OPS_FAILED;
	} else if (store_outbox_get(store, id, cb, ctx) <= 0) {
		*error_r = xasprintf("outbox %lld: %s", (long long)id, store_error(store));
		rc = OPS_FAILED;
	}
	facts_free(&f);
	return rc;
}

/* Applies one decision with its audit (and history) entries; OPS_CONFLICT when the row's
 * status moved on between reading and deciding (the poller claimed it). */
static int decide(struct store *store, const struct actor *a, int64_t id,
                  const struct row_facts *f, int retry, char **error_r)
{
	char object[32];
	snprintf(object, sizeof(object), "outbox %lld", (long long)id);
	const char *action = retry ? "outbox-retry" : "outbox-cancel";
	char *why = xasprintf("cancelled by %s", a->user->name);
	char *details = xasprintf("%s %s%s%s", f->kind, f->status, f->thread_ref ? " of " : "",
	                          f->thread_ref ? f->thread_ref : "");
	int64_t now = (int64_t)time(NULL);
	int rc = OPS_OK;
	int changed = -1;
	if (store_begin(store) == 0)
		changed = retry ? store_outbox_retry(store, id, now) : store_outbox_cancel(store, id, why);
	if (changed == 0) {
		store_rollback(store);
		*error_r = xasprintf("outbox %lld changed meanwhile (it was %s): look again with "
		                     "liaison outbox show %lld", (long long)id, f->status, (long long)id);
		rc = OPS_CONFLICT;
	} else {
		int src = changed < 0 ? -1 : 0;
		if (src == 0 && f->thread_id != 0)
			src = store_history_add(store, f->thread_id, now, a->user->name, action, details);
		rc = ops_commit_audited(store, a, action, object, details, src, error_r);
	}
	free(why);
	free(details);
	return rc;
}

int ops_outbox_cancel(struct store *store, const struct actor *actor, int64_t id,
                      char **error_r)
{
	struct row_facts f;
	int rc = load_facts(store, actor, id, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	int author = f.created_by != NULL && strcmp(f.created_by, actor->user->name) == 0;
	int queued = strcmp(f.status, "queued") == 0;
	if (!oversees(actor) && !author) {
		*error_r = xasprintf("refused: only its author (%s), the coordinator and admins may "
		                     "cancel outbox %lld", f.created_by ? f.created_by : "liaison itself",
		                     (long long)id);
		rc = OPS_REFUSED;
	} else if (!queued && !(oversees(actor) && strcmp(f.status, "uncertain") == 0)) {
		*error_r = xasprintf("outbox %lld is %s: only a queued message can be cancelled%s",
		                     (long long)id, f.status,
		                     oversees(actor) ? " (or an uncertain one)" : "");
		rc = OPS_INVALID;
	} else {
		rc = decide(store, actor, id, &f, 0, error_r);
	}
	facts_free(&f);
	return rc;
}

int ops_outbox_retry(struct store *store, const struct actor *actor, int64_t id,
                     char **error_r)
{
	struct row_facts f;
	int rc = load_facts(store, actor, id, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	if (!oversees(actor)) {
		*error_r = xstrdup("refused: sending again is for the coordinator and admins (an "
		                   "uncertain message may have been delivered already)");
		rc = OPS_REFUSED;
	} else if (strcmp(f.status, "uncertain") != 0 && strcmp(f.status, "failed") != 0) {
		*error_r = xasprintf("outbox %lld is %s: only an uncertain or failed message is sent "
		                     "again", (long long)id, f.status);
		rc = OPS_INVALID;
	} else {
		rc = decide(store, actor, id, &f, 1, error_r);
	}
	facts_free(&f);
	return rc;
}
