/* audit.c — the hash chain over the audit table: append and verify. */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static int audit_link(struct store *store, const char *user, const char *action,
                      const char *object, const char *details, char **error_r);

void audit_entry_hash(const struct audit_row *row, char hash_r[SHA256_HEX_SIZE])
{
	struct sha256_stream *s = sha256_stream_new();
	const char *fields[] = {row->prev_hash, row->user, row->action,
	                        row->object ? row->object : "", row->details ? row->details : ""};
	char at[32];
	snprintf(at, sizeof(at), "%lld", (long long)row->at);
	/* "len:bytes," for each field (a netstring): no two entries share an encoding. */
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "%zu:", strlen(at));
	sha256_stream_update(s, prefix, strlen(prefix));
	sha256_stream_update(s, at, strlen(at));
	sha256_stream_update(s, ",", 1);
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		snprintf(prefix, sizeof(prefix), "%zu:", strlen(fields[i]));
		sha256_stream_update(s, prefix, strlen(prefix));
		sha256_stream_update(s, fields[i], strlen(fields[i]));
		sha256_stream_update(s, ",", 1);
	}
	sha256_stream_finish(&s, hash_r);
}

int audit_append(struct store *store, const char *user, const char *action, const char *object,
                 const char *details, char **error_r)
{
	/* Reading the last hash and inserting after it must be one write transaction, or two
	 * commands at once would both link to the same entry and break the chain. */
	int own = !store_in_transaction(store);
	if (own && store_begin(store) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	int rc = audit_link(store, user, action, object, details, error_r);
	if (own) {
		if (rc == 0 && store_commit(store) < 0) {
			*error_r = xasprintf("audit: %s", store_error(store));
			rc = -1;
		}
		if (rc < 0)
			store_rollback(store);
	}
	return rc;
}

/* Appends the entry after the newest one, inside the open transaction. */
static int audit_link(struct store *store, const char *user, const char *action,
                      const char *object, const char *details, char **error_r)
{
	char prev[SHA256_HEX_SIZE], hash[SHA256_HEX_SIZE];
	if (store_audit_last_hash(store, prev) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	struct audit_row row = {
		.at = (int64_t)time(NULL),
		.user = user,
		.action = action,
		.object = object ? object : "",
		.details = details ? details : "",
		.prev_hash = prev,
	};
	audit_entry_hash(&row, hash);
	row.hash = hash;
	if (store_audit_add(store, &row) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	return 0;
}

struct verify_ctx {
	struct audit_check *check;
	char expected_prev[SHA256_HEX_SIZE];
	int64_t last_id;
};

static int verify_one(const struct audit_row *row, void *p)
{
	struct verify_ctx *v = p;
	v->check->entries++;
	if (strcmp(row->prev_hash, v->expected_prev) != 0) {
		v->check->broken_id = row->id;
		v->check->problem = xasprintf("entry %lld does not follow the entry before it: an "
		                              "entry was removed or moved", (long long)row->id);
		return 1;
	}
	char hash[SHA256_HEX_SIZE];
	audit_entry_hash(row, hash);
	if (strcmp(hash, row->hash) != 0) {
		v->check->broken_id = row->id;
		v->check->problem = xasprintf("entry %lld was altered: its content does not match "
		                              "its hash", (long long)row->id);
		return 1;
	}
	snprintf(v->expected_prev, sizeof(v->expected_prev), "%s", row->hash);
	v->last_id = row->id;
	return 0;
}

int audit_verify(struct store *store, struct audit_check *check, char **error_r)
{
	memset(check, 0, sizeof(*check));
	struct verify_ctx v = {check, "", 0};
	snprintf(v.expected_prev, sizeof(v.expected_prev), "%064d", 0);
	if (store_audit_list(store, 0, NULL, verify_one, &v) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	if (check->broken_id != 0)
		return 0;
	/* The chain is whole; does it still reach the head? */
	int64_t head_id = 0;
	char head_hash[SHA256_HEX_SIZE] = "";
	int found = store_audit_head(store, &head_id, head_hash);
	if (found < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	if ((found || v.last_id != 0) &&
	    (head_id != v.last_id || strcmp(head_hash, v.expected_prev) != 0)) {
		check->broken_id = v.last_id ? v.last_id : head_id;
		check->problem = xasprintf("the chain ends at entry %lld but the head records entry "
		                           "%lld: entries were removed from the end",
		                           (long long)v.last_id, (long long)head_id);
	}
	return 0;
}
