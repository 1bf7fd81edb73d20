/* ops_retention.c — liaison retention dispose: who may, when, and its audit entry. */
#include "ops_retention.h"

#include <stdlib.h>

#include "audit.h"
#include "ops_foia.h"
#include "util.h"

struct due_count {
	store_retention_cb *cb;
	void *ctx;
	size_t count;
};

static int count_due(const struct retention_row *row, void *p)
{
	struct due_count *c = p;
	c->count++;
	return c->cb(row, c->ctx);
}

int ops_retention_due(struct store *store, const struct actor *a, int64_t now,
                      store_retention_cb *cb, void *ctx, size_t *count_r, char **error_r)
{
	*count_r = 0;
	int rc = ops_foia_may_read(a, error_r);
	if (rc != OPS_OK)
		return rc;
	const struct config *c = a->config;
	struct due_count due = {cb, ctx, 0};
	if (store_retention_due(store, now, c->retention_transitory, c->retention_correspondence,
	                        c->retention_case, count_due, &due) < 0) {
		*error_r = xasprintf("retention: %s", store_error(store));
		return OPS_FAILED;
	}
	*count_r = due.count;
	char *details = xasprintf("%zu threads due", due.count);
	rc = audit_append(store, a->user->name, "retention-due", "", details, error_r) < 0
	    ? OPS_FAILED : OPS_OK;
	free(details);
	return rc;
}

int ops_retention_dispose(struct store *store, const struct actor *a, const char *approval,
                          int64_t now, int64_t *threads_r, int64_t *messages_r,
                          char **error_r)
{
	*threads_r = *messages_r = 0;
	int rc = ops_foia_may_change(a, error_r);
	if (rc != OPS_OK)
		return rc;
	const struct config *c = a->config;
	if (!c->allow_disposal) {
		*error_r = xasprintf("refused: disposal is off in %s (allow_disposal = yes in "
		                     "[liaison] turns it on, once the records schedule is approved)",
		                     c->path);
		return OPS_REFUSED;
	}
	if (approval == NULL || approval[0] == '\0') {
		*error_r = xstrdup("disposal needs --approval TEXT (the disposal authorization)");
		return OPS_INVALID;
	}
	if (ops_begin(store, "dispose", error_r) != OPS_OK)
		return OPS_FAILED;
	int src = store_dispose(store, now, c->retention_transitory, c->retention_correspondence,
	                        c->retention_case, approval, a->user->name, threads_r, messages_r);
	char *details = xasprintf("disposed of %lld messages of %lld threads under approval %s",
	                          (long long)*messages_r, (long long)*threads_r, approval);
	rc = ops_commit_audited(store, a, "retention-dispose", approval, details, src, error_r);
	free(details);
	return rc;
}
