/* ops_message.c — the one way a person names a stored message, and reading its original
 * bytes (liaison raw). */
#include "ops_message.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "util.h"

/* Candidates listed when a name is ambiguous; more are counted, not listed. */
#define MESSAGE_CANDIDATES_SHOWN 10

struct named_ctx {
	struct ops_message first;
	size_t count;
	struct buf list;    /* "  sha  <Message-ID>\n" per candidate shown */
};

static int named_one(int64_t id, const char *sha256, const char *message_id, void *p)
{
	struct named_ctx *c = p;
	if (c->count == 0) {
		c->first.id = id;
		snprintf(c->first.sha256, sizeof(c->first.sha256), "%s", sha256);
		c->first.message_id = message_id ? xstrdup(message_id) : NULL;
	}
	if (c->count < MESSAGE_CANDIDATES_SHOWN)
		(void)buf_addf(&c->list, "\n  %.12s  <%s>", sha256, message_id ? message_id : "");
	c->count++;
	return 0;
}

static int all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Looks key up one way; OPS_OK with the one message, or why not. */
static int named_lookup(struct store *store, const char *key, int by_prefix,
                        struct named_ctx *c, char **error_r)
{
	if (store_messages_named(store, key, by_prefix, named_one, c) < 0) {
		*error_r = xasprintf("%s: %s", key, store_error(store));
		return OPS_FAILED;
	}
	if (c->count == 0)
		return OPS_NOT_FOUND;
	if (c->count == 1)
		return OPS_OK;
	*error_r = xasprintf("%s names %zu messages; give more of the SHA-256:%s%s",
	                     key, c->count, c->list.data ? c->list.data : "",
	                     c->count > MESSAGE_CANDIDATES_SHOWN ? "\n  ..." : "");
	return OPS_INVALID;
}

int ops_message_resolve(struct store *store, const char *key, struct ops_message *message_r,
                        char **error_r)
{
	memset(message_r, 0, sizeof(*message_r));
	if (key == NULL || key[0] == '\0') {
		*error_r = xstrdup("name a message by its SHA-256 (8 hex digits or more) or Message-ID");
		return OPS_INVALID;
	}
	struct named_ctx c = {.count = 0};
	buf_init(&c.list, 4096);
	int hex = all_hex(key);
	int rc = OPS_NOT_FOUND;
	if (hex && strlen(key) < MESSAGE_PREFIX_MIN) {
		*error_r = xasprintf("%s is too short: give at least %d hex digits of the SHA-256 "
		                     "(or the Message-ID)", key, MESSAGE_PREFIX_MIN);
		rc = OPS_INVALID;
	} else {
		if (hex && strlen(key) <= SHA256_HEX_SIZE - 1)
			rc = named_lookup(store, key, 1, &c, error_r);
		/* a Message-ID may look like hex too: tried when no hash begins with key */
		if (rc == OPS_NOT_FOUND)
			rc = named_lookup(store, key, 0, &c, error_r);
		if (rc == OPS_NOT_FOUND)
			*error_r = xasprintf("no stored message %s", key);
	}
	if (rc == OPS_OK)
		*message_r = c.first;
	else
		free(c.first.message_id);
	buf_free(&c.list);
	return rc;
}

void ops_message_clear(struct ops_message *m)
{
	xfree(&m->message_id);
	memset(m, 0, sizeof(*m));
}

char *ops_message_describe(const struct ops_message *m)
{
	return m->message_id ? xasprintf("<%s> (%.12s)", m->message_id, m->sha256)
	                     : xasprintf("%.12s", m->sha256);
}

int ops_message_raw(struct store *store, const struct actor *a, const char *key, char **raw_r,
                    size_t *len_r, char **error_r)
{
	*raw_r = NULL;
	*len_r = 0;
	/* The original bytes carry everything, confidential or not. */
	if (a->user->role == ROLE_CTL) {
		*error_r = xstrdup("refused: original messages are for records staff, the "
		                   "coordinator and admins (liaisons read threads with `liaison show`)");
		return OPS_REFUSED;
	}
	struct ops_message m;
	int rc = ops_message_resolve(store, key, &m, error_r);
	/* every read is audited, an attempt too: by the full hash when there is one */
	char *audit_error = NULL;
	if (audit_append(store, a->user->name, "read-raw", rc == OPS_OK ? m.sha256 : key,
	                 rc == OPS_OK && strcmp(key, m.sha256) != 0 ? key : NULL,
	                 &audit_error) < 0) {
		if (rc != OPS_OK)
			free(*error_r);
		*error_r = audit_error;
		ops_message_clear(&m);
		return OPS_FAILED;
	}
	if (rc != OPS_OK)
		return rc;
	char recorded[SHA256_HEX_SIZE], actual[SHA256_HEX_SIZE];
	int found = store_raw_get(store, m.sha256, raw_r, len_r, recorded);
	struct tombstone disposal = {0};
	if (found < 0) {
		*error_r = xasprintf("%s: %s", key, store_error(store));
		rc = OPS_FAILED;
	} else if (found == 0) {
		if (store_tombstone_find(store, m.sha256, &disposal) == 1)
			*error_r = xasprintf("%s was disposed of on %s under approval %s by %s; only its "
			                     "tombstone remains", key, disposal.when, disposal.approval,
			                     disposal.by);
		else
			*error_r = xasprintf("the bytes of %s are missing (run liaison verify)", key);
		store_tombstone_clear(&disposal);
		rc = OPS_FAILED;
	} else {
		/* Records staff rely on these bytes: prove them against the hash taken on arrival. */
		sha256_hex(*raw_r, *len_r, actual);
		if (strcmp(recorded, actual) != 0) {
			*error_r = xasprintf("stored bytes of %s do not match their SHA-256 %s (got %s)",
			                     key, recorded, actual);
			rc = OPS_FAILED;
		}
	}
	if (rc != OPS_OK) {
		xfree(raw_r);
		*len_r = 0;
	}
	ops_message_clear(&m);
	return rc;
}
