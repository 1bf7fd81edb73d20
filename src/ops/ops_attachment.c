/* ops_attachment.c — handing out one attachment of a thread, decoded, to those who may read
 * the thread.  Only the attachments' names, types, sizes and hashes are stored: the bytes
 * are decoded again from the original message with mime.c, and proved by the hash taken on
 * arrival. */
#include "ops_attachment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "thread.h"
#include "util.h"

struct message_ref {
	int64_t id;
	char sha256[SHA256_HEX_SIZE];
};

struct messages_ctx {
	struct message_ref *items;
	size_t count, cap;
};

static int collect_message(const struct message_row *m, void *p)
{
	struct messages_ctx *c = p;
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->items = xrealloc(c->items, c->cap * sizeof(*c->items));
	}
	c->items[c->count].id = m->id;
	snprintf(c->items[c->count].sha256, SHA256_HEX_SIZE, "%s", m->sha256);
	c->count++;
	return 0;
}

/* Counts a message's attachments until the wanted one: its place in its message. */
struct find_ctx {
	unsigned wanted, seen;
	size_t ordinal;       /* 0-based, within the message */
	int found;
	struct ops_attachment *att;
};

static int find_attachment(const struct attachment_row *a, void *p)
{
	struct find_ctx *c = p;
	if (++c->seen != c->wanted) {
		c->ordinal++;
		return 0;
	}
	c->found = 1;
	c->att->filename = a->filename ? xstrdup(a->filename) : NULL;
	c->att->content_type = xstrdup(a->content_type);
	snprintf(c->att->sha256, SHA256_HEX_SIZE, "%s", a->sha256);
	c->att->size = (size_t)a->size;
	return 1;
}

/* The wanted attachment in the parsed message: at its place if the hash agrees there, else
 * wherever the hash is found (the same bytes sent twice decode the same). */
static const struct mime_attachment *decoded_at(const struct parsed_message *msg,
                                                size_t ordinal, const char *sha256)
{
	if (ordinal < msg->n_attachments && strcmp(msg->attachments[ordinal].sha256, sha256) == 0)
		return &msg->attachments[ordinal];
	for (size_t i = 0; i < msg->n_attachments; i++)
		if (strcmp(msg->attachments[i].sha256, sha256) == 0)
			return &msg->attachments[i];
	return NULL;
}

/* Decodes the attachment from the stored message, proving both the message and the
 * decoded bytes against their recorded hashes. */
static int decode(struct store *store, const struct actor *actor, const char *ref,
                  int64_t message_id, size_t ordinal, struct ops_attachment *att,
                  char **error_r)
{
	char *raw = NULL, *text = NULL;
	size_t len = 0;
	int found = store_message_content(store, message_id, &raw, &len, &text);
	free(text);
	if (found < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	if (found == 0) {
		*error_r = xasprintf("%s: attachment %u: its message was disposed of", ref, att->number);
		return OPS_NOT_FOUND;
	}
	char actual[SHA256_HEX_SIZE];
	sha256_hex(raw, len, actual);
	if (strcmp(actual, att->message_sha256) != 0) {
		*error_r = xasprintf("%s: stored bytes of message %s do not match their SHA-256 "
		                     "(got %s)", ref, att->message_sha256, actual);
		free(raw);
		return OPS_FAILED;
	}
	struct parsed_message *msg = NULL;
	mime_parse_with_content(raw, len, &actor->config->limits, &msg);
	free(raw);
	const struct mime_attachment *a = decoded_at(msg, ordinal, att->sha256);
	int rc = OPS_OK;
	if (a == NULL) {
		*error_r = xasprintf("%s: attachment %u (SHA-256 %s) is not found again in message "
		                     "%s", ref, att->number, att->sha256, att->message_sha256);
		rc = OPS_FAILED;
	} else {
		att->size = (size_t)a->size;
		att->content = xmalloc(att->size + 1);
		memcpy(att->content, a->content, att->size + 1);
	}
	parsed_message_free(&msg);
	return rc;
}

/* Finds attachment number in the thread's messages, as `liaison show` numbers them. */
static int locate(struct store *store, const char *ref, unsigned number,
                  struct ops_attachment *att, int64_t *message_id_r, size_t *ordinal_r,
                  char **error_r)
{
	struct messages_ctx msgs = {0};
	struct message_filter mf = {.thread_ref = ref};
	int rc = store_messages_list(store, &mf, collect_message, &msgs) < 0 ? OPS_FAILED : OPS_OK;
	struct find_ctx find = {.wanted = number, .att = att};
	for (size_t i = 0; rc == OPS_OK && !find.found && i < msgs.count; i++) {
		find.ordinal = 0;
		if (store_attachments_list(store, msgs.items[i].id, find_attachment, &find) < 0)
			rc = OPS_FAILED;
		else if (find.found) {
			*message_id_r = msgs.items[i].id;
			*ordinal_r = find.ordinal;
			memcpy(att->message_sha256, msgs.items[i].sha256, SHA256_HEX_SIZE);
		}
	}
	if (rc != OPS_OK)
		*error_r = xasprintf("%s: %s", ref, store_error(store));
	else if (!find.found) {
		*error_r = xasprintf("%s has no attachment %u (it has %u; liaison show %s numbers "
		                     "them)", ref, number, find.seen, ref);
		rc = OPS_NOT_FOUND;
	}
	free(msgs.items);
	return rc;
}

int ops_attachment_get(struct store *store, const struct actor *actor, const char *typed_ref,
                       unsigned number, struct ops_attachment *att, char **error_r)
{
	memset(att, 0, sizeof(*att));
	att->number = number;
	struct ops_thread t;
	int rc = ops_thread_load(store, actor, typed_ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	/* An attachment is content: a confidential thread's only for those who read it. */
	int allowed = ops_sees_content(actor, t.troop, t.confidential, t.assignee);
	char ref[THREAD_REF_SIZE];
	snprintf(ref, sizeof(ref), "%s", t.ref); /* as written, whatever the case typed */
	ops_thread_free(&t);
	if (!allowed) {
		*error_r = xasprintf("refused: %s is confidential", ref);
		return OPS_REFUSED;
	}
	int64_t message_id = 0;
	size_t ordinal = 0;
	rc = locate(store, ref, number, att, &message_id, &ordinal, error_r);
	if (rc == OPS_OK)
		rc = decode(store, actor, ref, message_id, ordinal, att, error_r);
	if (rc == OPS_OK) {
		/* Audited before the bytes leave: one entry per extraction. */
		char *details = xasprintf("attachment %u of message %s: %s (%s, %zu bytes, SHA-256 %s)",
		                          number, att->message_sha256,
		                          att->filename ? att->filename : "(no name)",
		                          att->content_type, att->size, att->sha256);
		int src = store_begin(store) < 0 ? -1 : 0;
		rc = ops_commit_audited(store, actor, "attachment", ref, details, src, error_r);
		free(details);
	}
	if (rc != OPS_OK)
		ops_attachment_clear(att);
	return rc;
}

void ops_attachment_clear(struct ops_attachment *att)
{
	free(att->filename);
	free(att->content_type);
	free(att->content);
	memset(att, 0, sizeof(*att));
}
