/* ingest.h — take one raw message into the store: keep the bytes and their SHA-256, record
 * custody, parse, classify, route and file it into a thread of its mailbox.  The same path
 * serves `liaison import` (files), the IMAP poller and liaison's own sent copies: only the
 * auto-reply decision differs (ingest_enable_autoreply).
 *
 * Work is split in two so the costly, store-free part can run on another thread:
 * ingest_item_prepare (hash and parse: pure, thread-safe) and ingest_item_commit (the store,
 * in batched transactions: one thread). */
#ifndef LIAISON_INGEST_H
#define LIAISON_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "hash.h"
#include "mime.h"
#include "route.h"
#include "store.h"

struct ingest_item {
	char *raw;               /* owned; freed by ingest_item_clear */
	size_t len;
	char *source;            /* owned; file source key, or NULL */
	int64_t internal_date;   /* when it arrived in the mailbox (0: unknown) */
	int64_t uidvalidity, uid;/* 0 when not from IMAP */
	int resync;              /* fetched again after a UIDVALIDITY change */
	char sha256[SHA256_HEX_SIZE];   /* set by ingest_item_prepare */
	struct parsed_message *msg;     /* set by ingest_item_prepare */
	struct route_result route;      /* set by ingest_item_prepare when given rules */
	int routed;
	const char *language;           /* static; set by ingest_item_prepare */
};

/* Hashes and parses item->raw, and matches the routing rules when rules and mailbox are not
 * NULL and the message is incoming mail from a person in that mailbox folder.  Touches
 * nothing shared. */
void ingest_item_prepare(struct ingest_item *item, const struct mime_limits *limits,
                         const struct route_rules *rules, const struct mailbox_config *mailbox,
                         const char *folder);
/* Frees what the item owns and zeroes it. */
void ingest_item_clear(struct ingest_item *item);

enum ingest_outcome {
	INGEST_IMPORTED,    /* filed in this mailbox (new bytes, or bytes known from elsewhere) */
	INGEST_DUPLICATE,   /* the same bytes had already arrived in this folder: counted only */
	INGEST_QUARANTINED, /* stored raw with a reason, not filed */
	INGEST_ALREADY,     /* this folder's UID under this UIDVALIDITY is stored already */
};

struct ingest_counts {
	uint64_t imported, duplicates, quarantined, already, errors;
};

struct ingest;

/* Prepares to take messages into mailbox/folder (folder: "INBOX" for files unless told).
 * Returns 0, or -1 with *error_r (caller frees). */
int ingest_open(struct store *store, const struct config *config,
                const struct mailbox_config *mailbox, const char *folder,
                struct ingest **ingest_r, char **error_r);
/* The poller's mode: decide each new incoming message's auto-reply and queue it in the same
 * transaction.  Without it (imported history, liaison's own sent copies) nothing is
 * answered; routing and threading are the same either way.  Returns 0 or -1 with *error_r. */
int ingest_enable_autoreply(struct ingest *ingest, char **error_r);
/* The caller opens and commits the transactions (the poller: one transaction for all its
 * folders on one connection, with their UID state): ingest_item_commit then neither begins,
 * commits nor rolls back, and ingest_flush does nothing. */
void ingest_use_caller_transaction(struct ingest *ingest);
int64_t ingest_mailbox_id(const struct ingest *ingest);
/* 1 when this source key was taken before (a rerun skips it without reading it again). */
int ingest_has_source(struct ingest *ingest, const char *source);
/* Stores a prepared item, counting the outcome.  Opens a transaction when none is open and
 * commits every batch.  Returns 0, or -1 with *error_r on a store error: the open batch is
 * rolled back and the caller stops (a rerun takes what is missing). */
int ingest_item_commit(struct ingest *ingest, const struct ingest_item *item,
                       enum ingest_outcome *outcome_r, char **error_r);
/* Commits what is pending.  Returns 0 or -1 with *error_r. */
int ingest_flush(struct ingest *ingest, char **error_r);
const struct ingest_counts *ingest_counts(const struct ingest *ingest);
/* Counts a message that could not be read at all (e.g. a truncated mbox). */
void ingest_count_error(struct ingest *ingest);
/* Counts a message skipped because its source was taken before. */
void ingest_count_already(struct ingest *ingest);
/* Rolls back what was not flushed and frees *ingest. */
void ingest_close(struct ingest **ingest);

#endif
