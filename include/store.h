/* store.h — the SQLite store.  store.c is the only file that includes sqlite3.h; everything
 * else speaks these types.
 *
 * All functions return 0 on success (1 for "found" where noted) and -1 on a database error,
 * whose text store_error() gives until the next call.  Strings handed to callbacks are
 * borrowed for the duration of the callback. */
#ifndef LIAISON_STORE_H
#define LIAISON_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "mime.h"

#define STORE_SCHEMA_VERSION 2

struct store;

enum store_open_mode {
	STORE_OPEN_EXISTING, /* refuse a missing, older or newer database */
	STORE_OPEN_INIT,     /* create or upgrade (liaison init) */
};

/* Returns 0 with *store_r, or -1 with *error_r (caller frees). */
int store_open(const char *path, enum store_open_mode mode, struct store **store_r, char **error_r);
void store_close(struct store **store);
const char *store_error(const struct store *store);
int store_schema_version(struct store *store);

int store_begin(struct store *store);
int store_commit(struct store *store);
void store_rollback(struct store *store);

/* --- Mailboxes ------------------------------------------------------------------------- */

/* Finds the mailbox by name, creating it (enrolled now) when new; keeps troop and address
 * up to date with the configuration. */
int store_mailbox_ensure(struct store *store, const char *name, char troop, const char *address,
                         int64_t *mailbox_id_r);

/* --- Messages and custody -------------------------------------------------------------- */

/* 1 when this source key (file) already has a custody row in this mailbox folder. */
int store_custody_has_source(struct store *store, int64_t mailbox_id, const char *folder,
                             const char *source);
/* 1 with *message_id_r when a message with this SHA-256 is stored. */
int store_message_find_sha(struct store *store, const char *sha256, int64_t *message_id_r);
/* 1 when the message already arrived in this mailbox folder (a duplicate). */
int store_custody_has_message(struct store *store, int64_t mailbox_id, const char *folder,
                              int64_t message_id);

struct custody_new {
	int64_t message_id;
	int64_t mailbox_id;
	const char *folder;
	int64_t uidvalidity, uid; /* 0 when not from IMAP */
	const char *source;       /* file source key, or NULL */
	int64_t internal_date;
	int64_t arrived_at;
	const char *kind;         /* "arrival" (NULL means this too), "duplicate" (the same bytes
	                             had already arrived in this folder) or "resync" (seen again
	                             after a UIDVALIDITY change) */
};
int store_custody_add(struct store *store, const struct custody_new *custody);

/* Stores the raw bytes, the parsed fields, the attachments and the full-text entry.
 * msg may hold a quarantine reason; it is stored raw then, with whatever was parsed. */
int store_message_add(struct store *store, const char *raw, size_t len,
                      const char sha256[SHA256_HEX_SIZE], const struct parsed_message *msg,
                      int64_t stored_at, int64_t *message_id_r);

/* --- Placements: a message as filed in one mailbox ------------------------------------- */

struct placement_new {
	int64_t message_id, mailbox_id, thread_id;
	const char *direction;    /* "in" or "out" */
	const char *kind;         /* "person" or "machine" */
	const char *reason;       /* why machine, or NULL */
	int64_t date;             /* the date used for threading */
};
int store_placement_add(struct store *store, const struct placement_new *placement);
/* 1 when the message is already filed in the mailbox. */
int store_placement_exists(struct store *store, int64_t mailbox_id, int64_t message_id);

/* --- Threads --------------------------------------------------------------------------- */

/* 1 with *thread_id_r: the thread in this mailbox that knows one of ids (Message-IDs of its
 * messages or referenced by them), trying ids in the order given. */
int store_thread_find_by_ids(struct store *store, int64_t mailbox_id, const char *const *ids,
                             size_t n_ids, int64_t *thread_id_r);
/* 1 with *thread_id_r: the thread with this reference in this mailbox, if addr takes part. */
int store_thread_find_by_ref(struct store *store, int64_t mailbox_id, const char *ref,
                             const char *addr, int64_t *thread_id_r);
/* 1 with *thread_id_r: the thread started by this Outlook Thread-Index prefix. */
int store_thread_find_by_index(struct store *store, int64_t mailbox_id, const char *thread_index,
                               int64_t *thread_id_r);
/* 1 with *thread_id_r: the latest person thread of this correspondent and base subject whose
 * messages lie within window seconds of date. */
int store_thread_find_by_subject(struct store *store, int64_t mailbox_id,
                                 const char *correspondent, const char *base_subject,
                                 int64_t date, int64_t window, int64_t *thread_id_r);

struct thread_new {
	int64_t mailbox_id;
	char troop;
	int year;
	const char *correspondent, *correspondent_name;
	const char *subject, *base_subject;
	const char *kind;         /* person or machine: of the message that opened it */
	int64_t date;
};
/* Creates a thread with the next reference of its troop and year ("K-2026-00042"), written
 * to ref_r. */
int store_thread_create(struct store *store, const struct thread_new *thread,
                        int64_t *thread_id_r, char *ref_r, size_t ref_size);
/* Counts a message into the thread: message count, first and last time. */
int store_thread_touch(struct store *store, int64_t thread_id, int64_t date);
/* Remembers what later messages find the thread by (duplicates are ignored). */
int store_thread_add_id(struct store *store, int64_t mailbox_id, const char *msgid,
                        int64_t thread_id);
int store_thread_add_index(struct store *store, int64_t mailbox_id, const char *thread_index,
                           int64_t thread_id);
int store_thread_add_participant(struct store *store, int64_t thread_id, const char *addr);

/* --- Reading, for the commands --------------------------------------------------------- */

struct thread_row {
	int64_t id;
	const char *ref, *mailbox, *status, *kind;
	const char *correspondent, *correspondent_name, *subject;
	const char *category, *priority, *assignee;
	int64_t message_count, first_at, last_at;
};
struct thread_filter {
	const char *mailbox; /* NULL: all */
	const char *status;  /* NULL: all */
	const char *ref;     /* NULL: all */
};
typedef int store_thread_cb(const struct thread_row *row, void *ctx);
/* Calls cb for each thread, newest activity first; a non-zero return from cb stops. */
int store_threads_list(struct store *store, const struct thread_filter *filter,
                       store_thread_cb *cb, void *ctx);

struct message_row {
	int64_t id;
	const char *message_id, *sha256, *thread_ref, *mailbox, *folder;
	const char *direction, *kind, *kind_reason, *quarantine_reason;
	const char *from_addr, *from_name, *to_text, *subject, *text;
	int64_t date, size;
};
struct message_filter {
	const char *mailbox;
	const char *thread_ref;
	int quarantined_only;
	int with_text;       /* fill row->text (otherwise NULL) */
};
typedef int store_message_cb(const struct message_row *row, void *ctx);
/* One row per message and mailbox, in date order. */
int store_messages_list(struct store *store, const struct message_filter *filter,
                        store_message_cb *cb, void *ctx);

struct attachment_row {
	const char *filename, *content_type, *sha256;
	int64_t size;
};
typedef int store_attachment_cb(const struct attachment_row *row, void *ctx);
int store_attachments_list(struct store *store, int64_t message_id, store_attachment_cb *cb,
                           void *ctx);

/* Finds a message by SHA-256 (64 hex digits) or Message-ID (with or without <>).  Returns
 * 1 with the raw bytes (caller frees) and their recorded SHA-256, 0 when none, or -1 (also
 * when a Message-ID names several different messages: the error says so). */
int store_raw_get(struct store *store, const char *key, char **raw_r, size_t *len_r,
                  char sha256_r[SHA256_HEX_SIZE]);

struct stats_row {
	const char *mailbox; /* NULL for the totals row */
	int64_t messages, threads, quarantined, duplicates;
	int64_t arrivals;    /* custody rows other than resyncs */
};
typedef int store_stats_cb(const struct stats_row *row, void *ctx);
/* One row per mailbox, then the totals (mailbox NULL). */
int store_stats(struct store *store, store_stats_cb *cb, void *ctx);

#endif
