/* ingest.c — one message into the store: raw bytes and SHA-256, custody, parse, classify,
 * thread.  Batched: one transaction per batch, so a crash leaves whole batches only and a
 * rerun takes what is missing. */
#include "ingest.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "log.h"
#include "thread.h"
#include "util.h"

/* A batch ends at whichever comes first: enough messages to amortise the commit's fsync,
 * or enough bytes to bound the WAL and the work lost to a crash. */
#define BATCH_MESSAGES 2000
#define BATCH_BYTES (64u << 20)

struct ingest {
	struct store *store;
	const struct config *config;
	const struct mailbox_config *mailbox;
	char *folder;
	int64_t mailbox_id;
	int in_transaction;
	size_t batch_messages, batch_bytes;
	struct ingest_counts counts;
	struct ingest_counts pending; /* counted in the open batch, added to counts on commit */
};

void ingest_item_prepare(struct ingest_item *item, const struct mime_limits *limits)
{
	sha256_hex(item->raw, item->len, item->sha256);
	mime_parse(item->raw, item->len, limits, &item->msg);
}

void ingest_item_clear(struct ingest_item *item)
{
	free(item->raw);
	free(item->source);
	parsed_message_free(&item->msg);
	memset(item, 0, sizeof(*item));
}

int ingest_open(struct store *store, const struct config *config,
                const struct mailbox_config *mailbox, const char *folder,
                struct ingest **ingest_r, char **error_r)
{
	int64_t mailbox_id;
	if (store_mailbox_ensure(store, mailbox->name, mailbox->troop, mailbox->address,
	                         &mailbox_id) < 0) {
		*error_r = xasprintf("mailbox %s: %s", mailbox->name, store_error(store));
		return -1;
	}
	struct ingest *ing = xcalloc(1, sizeof(*ing));
	ing->store = store;
	ing->config = config;
	ing->mailbox = mailbox;
	ing->folder = xstrdup(folder);
	ing->mailbox_id = mailbox_id;
	*ingest_r = ing;
	return 0;
}

int ingest_has_source(struct ingest *ing, const char *source)
{
	return store_custody_has_source(ing->store, ing->mailbox_id, ing->folder, source);
}

static void counts_add(struct ingest_counts *to, const struct ingest_counts *from)
{
	to->imported += from->imported;
	to->duplicates += from->duplicates;
	to->quarantined += from->quarantined;
	to->already += from->already;
	to->errors += from->errors;
}

int ingest_flush(struct ingest *ing, char **error_r)
{
	if (!ing->in_transaction)
		return 0;
	if (store_commit(ing->store) < 0) {
		*error_r = xasprintf("commit: %s", store_error(ing->store));
		store_rollback(ing->store);
		ing->in_transaction = 0;
		memset(&ing->pending, 0, sizeof(ing->pending));
		return -1;
	}
	ing->in_transaction = 0;
	ing->batch_messages = 0;
	ing->batch_bytes = 0;
	counts_add(&ing->counts, &ing->pending);
	memset(&ing->pending, 0, sizeof(ing->pending));
	return 0;
}

/* The time a message is threaded by: its Date, else when it arrived, else now. */
static int64_t effective_date(const struct ingest_item *item)
{
	if (item->msg != NULL && item->msg->date > 0)
		return item->msg->date;
	if (item->internal_date > 0)
		return item->internal_date;
	return (int64_t)time(NULL);
}

/* Files a stored message in this mailbox unless it is already there. */
static int file_message(struct ingest *ing, int64_t message_id, const struct ingest_item *item)
{
	int exists = store_placement_exists(ing->store, ing->mailbox_id, message_id);
	if (exists != 0)
		return exists < 0 ? -1 : 0;
	struct classification cls;
	classify_message(item->msg, ing->mailbox, ing->folder, &cls);
	struct thread_filing filing;
	return thread_file_message(ing->store, ing->mailbox, ing->mailbox_id, message_id, item->msg,
	                           &cls, effective_date(item), &filing);
}

static int commit_item(struct ingest *ing, const struct ingest_item *item,
                       enum ingest_outcome *outcome_r)
{
	int64_t now = (int64_t)time(NULL);
	int64_t message_id;
	int quarantined = item->msg->quarantine_reason != NULL;
	struct custody_new custody = {
		.mailbox_id = ing->mailbox_id,
		.folder = ing->folder,
		.uidvalidity = item->uidvalidity,
		.uid = item->uid,
		.source = item->source,
		.internal_date = item->internal_date,
		.arrived_at = now,
	};

	int known = store_message_find_sha(ing->store, item->sha256, &message_id);
	if (known < 0)
		return -1;
	if (known) {
		int dup = store_custody_has_message(ing->store, ing->mailbox_id, ing->folder, message_id);
		if (dup < 0)
			return -1;
		custody.message_id = message_id;
		custody.kind = dup ? "duplicate" : "arrival";
		if (store_custody_add(ing->store, &custody) < 0)
			return -1;
		if (dup) {
			*outcome_r = INGEST_DUPLICATE;
			return 0;
		}
	} else {
		if (store_message_add(ing->store, item->raw, item->len, item->sha256, item->msg, now,
		                      &message_id) < 0)
			return -1;
		custody.message_id = message_id;
		if (store_custody_add(ing->store, &custody) < 0)
			return -1;
	}
	if (quarantined) {
		*outcome_r = INGEST_QUARANTINED;
		return 0;
	}
	*outcome_r = INGEST_IMPORTED;
	return file_message(ing, message_id, item);
}

int ingest_item_commit(struct ingest *ing, const struct ingest_item *item,
                       enum ingest_outcome *outcome_r, char **error_r)
{
	if (!ing->in_transaction) {
		if (store_begin(ing->store) < 0) {
			*error_r = xasprintf("begin: %s", store_error(ing->store));
			return -1;
		}
		ing->in_transaction = 1;
	}
	if (commit_item(ing, item, outcome_r) < 0) {
		*error_r = xasprintf("%s: %s", item->source ? item->source : item->sha256,
		                     store_error(ing->store));
		store_rollback(ing->store);
		ing->in_transaction = 0;
		memset(&ing->pending, 0, sizeof(ing->pending));
		return -1;
	}
	switch (*outcome_r) {
	case INGEST_IMPORTED: ing->pending.imported++; break;
	case INGEST_DUPLICATE: ing->pending.duplicates++; break;
	case INGEST_QUARANTINED:
		ing->pending.quarantined++;
		log_warn("%s: quarantined: %s", item->source ? item->source : item->sha256,
		         item->msg->quarantine_reason);
		break;
	}
	ing->batch_messages++;
	ing->batch_bytes += item->len;
	if (ing->batch_messages >= BATCH_MESSAGES || ing->batch_bytes >= BATCH_BYTES)
		return ingest_flush(ing, error_r);
	return 0;
}

const struct ingest_counts *ingest_counts(const struct ingest *ing)
{
	return &ing->counts;
}

void ingest_count_error(struct ingest *ing)
{
	ing->counts.errors++;
}

void ingest_count_already(struct ingest *ing)
{
	ing->counts.already++;
}

void ingest_close(struct ingest **ingp)
{
	struct ingest *ing = *ingp;
	if (ing == NULL)
		return;
	if (ing->in_transaction)
		store_rollback(ing->store);
	free(ing->folder);
	free(ing);
	*ingp = NULL;
}
