/* verify.c — re-hashing every stored message and walking the audit chain. */
#include "verify.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "hash.h"
#include "util.h"

struct rehash_ctx {
	struct verify_result *result;
	void (*mismatch)(const char *, const char *, const char *, void *);
	void *ctx;
};

static int rehash_one(const struct rehash_row *row, void *p)
{
	struct rehash_ctx *c = p;
	/* no bytes is right for a message disposed of, and only for one */
	if (row->disposed || !row->stored) {
		if (row->disposed != row->stored)
			return 0;
		c->result->mismatches++;
		c->mismatch(row->sha256, row->message_id,
		            row->stored ? "bytes kept after its disposal" : "no bytes stored", c->ctx);
		return 0;
	}
	char hex[SHA256_HEX_SIZE];
	sha256_hex(row->raw, row->len, hex);
	c->result->messages++;
	if (strcmp(hex, row->sha256) != 0) {
		c->result->mismatches++;
		c->mismatch(row->sha256, row->message_id, hex, c->ctx);
	}
	return 0;
}

int verify_store(struct store *store,
                 void (*mismatch)(const char *sha256, const char *message_id,
                                  const char *actual, void *ctx),
                 void *ctx, struct verify_result *result, char **error_r)
{
	memset(result, 0, sizeof(*result));
	struct rehash_ctx c = {result, mismatch, ctx};
	if (store_messages_raw_each(store, rehash_one, &c) < 0 ||
	    store_count_tombstones(store, &result->tombstones) < 0) {
		*error_r = xasprintf("%s", store_error(store));
		return -1;
	}
	struct audit_check check;
	if (audit_verify(store, &check, error_r) < 0)
		return -1;
	result->audit_entries = check.entries;
	result->audit_broken = check.broken_id;
	result->audit_problem = check.problem;
	int index = store_search_index_check(store);
	if (index != 0) {
		result->index_problem = xstrdup(store_error(store));
		result->index_unchecked = index < 0;
	}
	return 0;
}

int verify_database_modes(const char *database, struct strlist *warnings)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	int n = 0;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		char *path = xasprintf("%s%s", database, suffixes[i]);
		struct stat st;
		if (stat(path, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO))) {
			char *w = xasprintf("%s can be read by group or others (mode %04o): it holds "
			                    "mail; chmod 600 it", path, (unsigned)(st.st_mode & 07777));
			strlist_add(warnings, w);
			free(w);
			n++;
		}
		free(path);
	}
	return n;
}
