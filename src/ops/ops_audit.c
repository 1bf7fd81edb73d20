/* ops_audit.c — who may read the audit trail and prove the records whole. */
#include "ops_audit.h"

#include <stdlib.h>
#include <time.h>

#include "outbox_queue.h"

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

int ops_audit_anchor(struct store *store, const struct actor *actor, char **line_r,
                     char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	int64_t id = 0;
	char hash[SHA256_HEX_SIZE];
	int found = store_audit_head(store, &id, hash);
	if (found < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return OPS_FAILED;
	}
	if (found == 0 || id == 0) {
		*error_r = xstrdup("the audit trail is empty: nothing to anchor yet");
		return OPS_NOT_FOUND;
	}
	*line_r = audit_anchor_line((int64_t)time(NULL), id, hash);
	return OPS_OK;
}

int ops_audit_anchor_mail(struct store *store, const struct actor *actor, const char *line,
                          char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	const struct config *config = actor->config;
	if (config->anchor_notify == NULL || config->n_mailboxes == 0) {
		*error_r = xstrdup(config->anchor_notify == NULL
		                   ? "[liaison] anchor_notify is not set: no address to send the "
		                     "anchor to"
		                   : "no [mailbox] to send the anchor from");
		return OPS_INVALID;
	}
	/* Any troop's address will do: the anchor is about the whole database. */
	const struct mailbox_config *m = &config->mailboxes[0];
	char *body = xasprintf("The head of liaison's audit trail, for keeping outside its "
	                       "database.\nAppend the line below to the anchor file; "
	                       "'liaison audit verify --anchor FILE' checks the trail against "
	                       "it.\n\n%s\n", line);
	struct troop_message tm = {
		.kind = "notice",
		.to = config->anchor_notify,
		.subject = "liaison audit anchor",
		.body = body,
		.auto_submitted = "auto-generated",
		.now = (int64_t)time(NULL),
	};
	int64_t mailbox_id = 0;
	int src = store_begin(store);
	if (src == 0)
		src = store_mailbox_ensure(store, m->name, m->troop, m->address, &mailbox_id);
	if (src == 0 && outbox_queue_troop_message(store, m, mailbox_id, &tm, error_r) < 0) {
		store_rollback(store);
		free(body);
		return OPS_FAILED;
	}
	free(body);
	return ops_commit_audited(store, actor, "audit-anchor", config->anchor_notify, line, src,
	                          error_r);
}

int ops_audit_verify_anchors(struct store *store, const struct actor *actor, const char *name,
                             const char *anchor_text, struct audit_check *check,
                             char **error_r)
{
	int rc = ops_may_audit(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	struct audit_anchor *anchors = NULL;
	size_t n = 0;
	char *why = NULL;
	if (audit_anchors_parse(anchor_text, &anchors, &n, &why) < 0) {
		*error_r = xasprintf("%s: %s", name, why);
		free(why);
		return OPS_INVALID;
	}
	if (n == 0) {
		*error_r = xasprintf("%s holds no anchor", name);
		return OPS_INVALID;
	}
	rc = audit_verify_anchored(store, anchors, n, check, error_r) < 0 ? OPS_FAILED : OPS_OK;
	free(anchors);
	return rc;
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
