/* ops_audit.c — who may read the audit trail and prove the records whole. */
#include "ops_audit.h"

#include <stdlib.h>

#include "util.h"

int ops_may_audit(const struct actor *actor, char **error_r)
{
	/* The trail shows who read what; liaisons are among those it watches. */
	if (actor->user->role != ROLE_CTL)
		return OPS_OK;
	*error_r = xstrdup("refused: the audit trail and verification are for the coordinator, "
	                   "records staff and admins");
	return OPS_REFUSED;
}

int ops_audit_list(struct store *store, const struct actor *actor, int64_t since,
                   const char *user, store_audit_cb *cb, void *ctx, char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	/* user is not checked against the configuration: one removed since still has a trail. */
	if (store_audit_list(store, since, user, cb, ctx) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_audit_search(struct store *store, const struct actor *actor,
                     const struct audit_query *q, store_audit_cb *cb, void *ctx,
                     char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	struct audit_query bounded = *q;
	if (bounded.limit <= 0)
		bounded.limit = 100;
	if (store_audit_search(store, &bounded, cb, ctx) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_audit_actions(struct store *store, const struct actor *actor, struct strlist *actions_r,
                      char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_audit_actions(store, actions_r) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_audit_verify(struct store *store, const struct actor *actor, struct audit_check *check,
                     char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	return audit_verify(store, check, error_r) < 0 ? OPS_FAILED : OPS_OK;
}

int ops_verify(struct store *store, const struct actor *actor,
               void (*mismatch)(const char *sha256, const char *message_id, const char *actual,
                                void *ctx),
               void *ctx, struct verify_result *r, char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	if (verify_store(store, mismatch, ctx, r, error_r) < 0)
		return OPS_FAILED;
	/* The result is recorded too: when the store was last proven whole. */
	char *details = xasprintf("%lld messages, %lld mismatched; audit %s; search index %s",
	                          (long long)r->messages, (long long)r->mismatches,
	                          r->audit_broken ? "broken" : "intact",
	                          r->index_unchecked ? "not checked"
	                          : r->index_problem ? "disagrees" : "agrees");
	rc = audit_append(store, actor->user->name, "verify", "", details, error_r) < 0
	    ? OPS_FAILED : OPS_OK;
	free(details);
	return rc;
}
