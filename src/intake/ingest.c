/* ingest.c — one message into the store: raw bytes and SHA-256, custody, parse, classify,
 * thread.  Batched: one transaction per batch, so a crash leaves whole batches only and a
 * rerun takes what is missing. */
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "autoreply.h"
#include "classify.h"
#include "lang.h"
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
	int autoreply;                /* poller: route, decide and queue auto-replies */
	int64_t enrolled_at;
	int external;                 /* the caller owns the transaction (the poller) */
	char *error;                  /* a failure that is not the store's (a template) */
};

void ingest_item_prepare(struct ingest_item *item, const struct mime_limits *limits,
                         const struct route_rules *rules, const struct mailbox_config *mailbox,
                         const char *folder)
{
	sha256_hex(item->raw, item->len, item->sha256);
	mime_parse(item->raw, item->len, limits, &item->msg);
	/* before routing: the routing model reads words in the message's language */
	item->language = lang_detect(item->msg->subject, item->msg->text);
	/* Routing speaks only of what people write to the troop (see route_thread): the
	 * rest (liaisons' replies, machine mail: half of a mailbox) is not matched at all. */
	if (rules != NULL && mailbox != NULL && item->msg->quarantine_reason == NULL) {
		struct classification cls;
		classify_message(item->msg, mailbox, folder, &cls);
		if (strcmp(cls.direction, "in") == 0 && strcmp(cls.kind, "person") == 0) {
			route_match_language(rules, item->msg->subject, item->msg->text, item->language,
			                     &item->route);
			item->routed = 1;
		}
	}
}

void ingest_item_clear(struct ingest_item *item)
{
	free(item->raw);
	free(item->source);
	parsed_message_free(&item->msg);
	if (item->routed)
		route_result_clear(&item->route);
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

int ingest_enable_autoreply(struct ingest *ing, char **error_r)
{
	if (store_mailbox_enrolled(ing->store, ing->mailbox_id, &ing->enrolled_at) < 0) {
		*error_r = xasprintf("mailbox %s: %s", ing->mailbox->name, store_error(ing->store));
		return -1;
	}
	ing->autoreply = 1;
	return 0;
}

void ingest_use_caller_transaction(struct ingest *ing)
{
	ing->external = 1;
}

int64_t ingest_mailbox_id(const struct ingest *ing)
{
	return ing->mailbox_id;
}

int ingest_flush(struct ingest *ing, char **error_r)
{
	if (!ing->in_transaction)
		return 0;
	if (store_commit(ing->store) < 0) {
		const char *fault = store_fault(ing->store);
		*error_r = xasprintf("%s%scommit: %s", fault ? fault : "", fault ? ": " : "",
		                     store_error(ing->store));
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

/* The time a message is threaded by: its Date, else when it arrived, else now.  A Date more
 * than a day after the arrival is a lie (a spammer's 2037 would open K-2037 references and
 * skew the reports): the arrival counts then. */
static int64_t effective_date(const struct ingest_item *item)
{
	if (item->msg != NULL && item->msg->date > 0 &&
	    (item->internal_date <= 0 || item->msg->date <= item->internal_date + 86400))
		return item->msg->date;
	if (item->internal_date > 0)
		return item->internal_date;
	return (int64_t)time(NULL);
}

/* Joins strings with commas into out (borrowed from it); NULL when the list is empty. */
static const char *joined(const struct strlist *l, struct buf *out)
{
	buf_reset(out);
	for (size_t i = 0; i < l->count; i++) {
		if (i > 0)
			buf_addstr(out, ",");
		buf_addstr(out, l->items[i]);
	}
	return l->count > 0 ? out->data : NULL;
}

/* What the rules found that applies to the thread, or NULL.  Routing speaks of what people
 * write to the troop: the liaisons' own replies and machine mail (an out-of-office quoting
 * "Community day") would only add noise. */
static const struct route_result *route_of(const struct ingest_item *item,
                                           const struct classification *cls)
{
	int from_person = strcmp(cls->direction, "in") == 0 && strcmp(cls->kind, "person") == 0;
	return item->routed && from_person ? &item->route : NULL;
}

/* Routing, the same for every path a message comes by (poll, import, a Sent copy, a
 * re-fetch): the thread takes the categories, priority and flags the rules found in a
 * person's incoming message, and its suggested referrals.  Fills the placement's routing
 * fields; categories and rules are their storage.  Returns 0 or -1. */
static int route_thread(struct ingest *ing, const struct route_result *route, int64_t thread_id,
                        struct placement_new *p, struct buf *categories, struct buf *rules)
{
	p->priority = route ? route_priority_name(route->priority) : "normal";
	if (route == NULL)
		return 0;
	p->categories = joined(&route->categories, categories);
	p->rules = joined(&route->rules, rules);
	const char *category = route->categories.count ? route->categories.items[0] : NULL;
	int64_t now = (int64_t)time(NULL);
	if (store_thread_route(ing->store, thread_id, category, p->priority, route->confidential,
	                       route->reportable) < 0)
		return -1;
	for (size_t i = 0; i < route->referrals.count; i++)
		if (store_thread_suggest(ing->store, thread_id, route->referrals.items[i], now) < 0)
			return -1;
	return 0;
}

/* The poller's part: the auto-reply decision for new mail, queued in this same
 * transaction (imported history is never answered).  decision is the placement's storage. */
static int decide_autoreply(struct ingest *ing, const struct ingest_item *item,
                            int64_t message_id, const struct classification *cls,
                            const struct thread_filing *filing, const struct route_result *route,
                            struct placement_new *p, char *decision, size_t decision_size)
{
	char ref[THREAD_REF_SIZE];
	if (filing->created)
		snprintf(ref, sizeof(ref), "%s", filing->ref);
	else if (store_thread_ref(ing->store, filing->thread_id, ref, sizeof(ref)) != 1)
		return -1; /* the thread was filed in this transaction: only an error can hide it */
	struct autoreply_input in = {
		.config = ing->config,
		.mailbox = ing->mailbox,
		.mailbox_id = ing->mailbox_id,
		.enrolled_at = ing->enrolled_at,
		.now = (int64_t)time(NULL),
		.msg = item->msg,
		.cls = cls,
		.message_id = message_id,
		.internal_date = item->internal_date,
		.urgent = route && route->priority == ROUTE_URGENT,
		.category = route && route->categories.count ? route->categories.items[0] : NULL,
		.language = item->language,
		.thread_id = filing->thread_id,
		.thread_ref = ref,
	};
	if (autoreply_handle(ing->store, &in, decision, decision_size, &ing->error) < 0)
		return -1;
	p->autoreply = decision;
	return 0;
}

/* Files a stored message in this mailbox unless it is already there. */
static int file_message(struct ingest *ing, int64_t message_id, const struct ingest_item *item)
{
	int exists = store_placement_exists(ing->store, ing->mailbox_id, message_id);
	if (exists != 0)
		return exists < 0 ? -1 : 0;
	struct classification cls;
	classify_message(item->msg, ing->mailbox, ing->folder, &cls);
	int64_t date = effective_date(item);
	struct thread_filing filing;
	if (thread_file_message(ing->store, ing->mailbox, ing->mailbox_id, item->msg, &cls, date,
	                        &filing) < 0)
		return -1;
	struct placement_new p = {
		.message_id = message_id,
		.mailbox_id = ing->mailbox_id,
		.thread_id = filing.thread_id,
		.direction = cls.direction,
		.kind = cls.kind,
		.reason = cls.reason[0] ? cls.reason : NULL,
		.date = date,
		.language = item->language,
	};
	char decision[AUTOREPLY_DECISION_SIZE];
	struct buf categories, rules;
	buf_init(&categories, SIZE_MAX);
	buf_init(&rules, SIZE_MAX);
	const struct route_result *route = route_of(item, &cls);
	int rc = route_thread(ing, route, filing.thread_id, &p, &categories, &rules);
	/* Liaisons see that someone wrote as the troop from outside it. */
	if (rc == 0 && cls.suspicious)
		rc = store_thread_set(ing->store, filing.thread_id, "suspicious", "1");
	if (rc == 0 && ing->autoreply)
		rc = decide_autoreply(ing, item, message_id, &cls, &filing, route, &p, decision,
		                      sizeof(decision));
	if (rc == 0)
		rc = store_placement_add(ing->store, &p);
	/* The response clock: it starts at a person's message and stops at the troop's first
	 * answer written by a person. */
	int person_in = strcmp(cls.direction, "in") == 0 && strcmp(cls.kind, "person") == 0;
	/* An answer is written by a person: no Auto-Submitted, as RFC 3834 asks of every
	 * auto-reply and notice (store_thread_clock also refuses any whose Message-ID is an
	 * outbox row of those kinds). */
	int response = strcmp(cls.direction, "out") == 0 &&
	               !classify_is_auto_submitted(item->msg->auto_submitted);
	if (rc == 0 && (person_in || response))
		rc = store_thread_clock(ing->store, filing.thread_id, message_id, response);
	buf_free(&categories);
	buf_free(&rules);
	return rc;
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

	/* Fetched again after a crash between storing it and recording the folder's state: it
	 * is here already, under the very same UIDVALIDITY and UID. */
	if (item->uid != 0) {
		int have = store_custody_has_uid(ing->store, ing->mailbox_id, ing->folder,
		                                 item->uidvalidity, item->uid);
		if (have != 0) {
			*outcome_r = INGEST_ALREADY;
			return have < 0 ? -1 : 0;
		}
	}
	int known = store_message_find_sha(ing->store, item->sha256, &message_id);
	if (known < 0)
		return -1;
	if (known) {
		int dup = store_custody_has_message(ing->store, ing->mailbox_id, ing->folder, message_id);
		if (dup < 0)
			return -1;
		/* Disposed of, and here again (a mailbox enrolled later, another troop's copy):
		 * a record again, never a placement with nothing behind it. */
		int disposed = store_message_disposed(ing->store, message_id);
		if (disposed < 0 || (disposed && store_message_revive(ing->store, message_id, item->raw,
		                                                      item->len, item->msg, now) < 0))
			return -1;
		custody.message_id = message_id;
		/* Seen again after a UIDVALIDITY change: the same arrival, not a duplicate. */
		custody.kind = !dup ? "arrival" : item->resync ? "resync" : "duplicate";
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
	if (!ing->in_transaction && !ing->external) {
		if (store_begin(ing->store) < 0) {
			*error_r = xasprintf("begin: %s", store_error(ing->store));
			return -1;
		}
		ing->in_transaction = 1;
	}
	if (commit_item(ing, item, outcome_r) < 0) {
		/* "disk full", "database locked...": asked before the rollback resets it */
		const char *fault = ing->error ? NULL : store_fault(ing->store);
		*error_r = xasprintf("%s%s%s: %s", fault ? fault : "", fault ? ": " : "",
		                     item->source ? item->source : item->sha256,
		                     ing->error ? ing->error : store_error(ing->store));
		xfree(&ing->error);
		if (!ing->external)
			store_rollback(ing->store);
		ing->in_transaction = 0;
		memset(&ing->pending, 0, sizeof(ing->pending));
		return -1;
	}
	/* With the caller's transaction, the caller knows when it commits: count at once. */
	struct ingest_counts *counts = ing->external ? &ing->counts : &ing->pending;
	switch (*outcome_r) {
	case INGEST_IMPORTED: counts->imported++; break;
	case INGEST_DUPLICATE: counts->duplicates++; break;
	case INGEST_ALREADY: counts->already++; break;
	case INGEST_QUARANTINED:
		counts->quarantined++;
		/* named by where it is, as `liaison messages --quarantined` lists it */
		char uid[32] = "";
		if (item->uid != 0)
			snprintf(uid, sizeof(uid), "UID %lld, ", (long long)item->uid);
		log_warn("mailbox %s/%s: %s%s%s: quarantined: %s",
		         ing->mailbox ? ing->mailbox->name : "?", ing->folder ? ing->folder : "?", uid,
		         item->source ? "" : "SHA-256 ", item->source ? item->source : item->sha256,
		         item->msg->quarantine_reason);
		break;
	}
	if (ing->external)
		return 0;
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
	free(ing->error);
	free(ing);
	*ingp = NULL;
}
