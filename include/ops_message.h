/* ops_message.h — naming one stored message, the same way in every command that takes one
 * (foia remove|withhold|redact|unwithhold, raw): its full SHA-256, any unique prefix of it
 * of 8 hex digits or more (what `messages`, `foia show` and the export print), or its
 * Message-ID. */
#ifndef LIAISON_OPS_MESSAGE_H
#define LIAISON_OPS_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "ops.h"
#include "store.h"

/* Fewer hex digits than this name too many messages to be worth guessing among. */
#define MESSAGE_PREFIX_MIN 8

struct ops_message {
	int64_t id;                   /* messages.id */
	char sha256[SHA256_HEX_SIZE];
	char *message_id;             /* owned; NULL when the message has none */
};

/* Resolves key (see above; hex digits in any case).  Returns OPS_OK with *message_r (clear
 * it with ops_message_clear), OPS_INVALID when key is a hash prefix shorter than 8 digits or
 * names several messages (*error_r lists them), OPS_NOT_FOUND, or OPS_FAILED. */
int ops_message_resolve(struct store *store, const char *key, struct ops_message *message_r,
                        char **error_r);
void ops_message_clear(struct ops_message *message);
/* "<Message-ID> (12 digits of the SHA-256)", how every command names a message it acted on.
 * Caller frees. */
char *ops_message_describe(const struct ops_message *message);

/* liaison raw: the original bytes of the message key names, checked against the SHA-256
 * taken on arrival.  Records staff, the coordinator and admins only; every read is audited
 * (by the full SHA-256).  Returns OPS_OK with *raw_r (caller frees) and *len_r;
 * OPS_REFUSED, OPS_INVALID, OPS_NOT_FOUND, or OPS_FAILED (also when the bytes were disposed
 * of, or do not match their hash: *error_r says which). */
int ops_message_raw(struct store *store, const struct actor *actor, const char *key,
                    char **raw_r, size_t *len_r, char **error_r);

#endif
