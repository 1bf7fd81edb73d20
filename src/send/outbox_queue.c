/* outbox_queue.c — compose a message the troop sends and queue it in the outbox. */
#include "outbox_queue.h"

#include <stdlib.h>

#include "util.h"

char *outbox_compose_troop_message(const struct mailbox_config *m,
                                   const struct troop_message *tm,
                                   char msgid_r[COMPOSE_MSGID_SIZE], size_t *len_r)
{
	compose_message_id(compose_domain_of(m->address), msgid_r);
	/* References: the original's, then the original itself (RFC 5322 3.6.4). */
	struct strlist refs = {0};
	const struct parsed_message *orig = tm->answers_msg;
	if (orig != NULL) {
		for (size_t i = 0; i < orig->references.count; i++)
			strlist_add(&refs, orig->references.items[i]);
		if (orig->message_id)
			strlist_add_unique(&refs, orig->message_id);
	}
	char *display = m->display_name ? NULL : xasprintf("Troop %c CTL", m->troop);
	struct outgoing out = {
		.from_name = m->display_name ? m->display_name : display,
		.from_addr = m->address_as_written ? m->address_as_written : m->address,
		.to_addr = tm->to,
		.to_name = tm->to_name,
		.subject = tm->subject,
		.message_id = msgid_r,
		.in_reply_to = orig ? orig->message_id : NULL,
		.references = &refs,
		.auto_submitted = tm->auto_submitted,
		.body = tm->body,
		.date = tm->now,
	};
	char *raw = compose_message(&out, len_r);
	free(display);
	strlist_free(&refs);
	return raw;
}

int outbox_queue_troop_message(struct store *store, const struct mailbox_config *m,
                               int64_t mailbox_id, const struct troop_message *tm,
                               char **error_r)
{
	char msgid[COMPOSE_MSGID_SIZE];
	size_t len = 0;
	char *raw = outbox_compose_troop_message(m, tm, msgid, &len);
	struct outbox_new row = {
		.kind = tm->kind,
		.mailbox_id = mailbox_id,
		.thread_id = tm->thread_id,
		.answers = tm->answers,
		.recipient = tm->to,
		.correspondent = tm->correspondent ? tm->correspondent : tm->to,
		.envelope_from = tm->envelope_from ? tm->envelope_from : m->address,
		.message_id = msgid,
		.in_reply_to = tm->answers_msg ? tm->answers_msg->message_id : NULL,
		.raw = raw,
		.len = len,
		.now = tm->now,
		.created_by = tm->author,
	};
	int rc = store_outbox_add(store, &row, NULL);
	if (rc < 0)
		*error_r = xasprintf("queue %s to %s: %s", tm->kind, tm->to, store_error(store));
	free(raw);
	return rc;
}
