/* ops_attachment.h — a thread's attachments for whoever may read its content: decoded from
 * the stored original message (which stays as it is), every extraction audited. */
#ifndef LIAISON_OPS_ATTACHMENT_H
#define LIAISON_OPS_ATTACHMENT_H

#include <stddef.h>

#include "hash.h"
#include "ops.h"
#include "store.h"

struct ops_attachment {
	unsigned number;            /* as `liaison show` numbers it: 1.. across the thread */
	char *filename;             /* owned; NULL when the part has none */
	char *content_type;         /* owned */
	char message_sha256[SHA256_HEX_SIZE]; /* of the message it came with */
	char sha256[SHA256_HEX_SIZE];         /* of the decoded bytes */
	char *content;              /* owned: the decoded bytes */
	size_t size;
};

/* Attachment number (1.., in the order `liaison show` lists them: messages by date, then
 * each message's attachments in order) of thread ref, decoded into *att_r (free with
 * ops_attachment_clear), audited as "attachment" naming the thread, the message's SHA-256
 * and the attachment, in one transaction.  Allowed to whoever sees the thread's content
 * (ops_sees_content).  Returns OPS_OK; OPS_REFUSED (not the actor's troop, or confidential
 * and not theirs); OPS_NOT_FOUND (no such thread or attachment, or its message's bytes were
 * disposed of); OPS_FAILED (store error, or the bytes do not match their recorded hash);
 * with *error_r. */
int ops_attachment_get(struct store *store, const struct actor *actor, const char *ref,
                       unsigned number, struct ops_attachment *att_r, char **error_r);
void ops_attachment_clear(struct ops_attachment *att);

#endif
