/* store.h — the SQLite store.  Its sections follow its files (src/store/store*.c, each named at
 * its section; src/store/store_private.h is what they share); they are the only files that
 * include sqlite3.h, everything else speaks these types.
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
#include "password.h"
#include "totp.h"
#include "util.h"

#define STORE_SCHEMA_VERSION 14

/* === store.c: open, schema, transactions, errors ======================================== */

struct store;

enum store_open_mode {
	STORE_OPEN_EXISTING, /* refuse a missing, older or newer database */
	STORE_OPEN_INIT,     /* create or upgrade (liaison init) */
};

/* Returns 0 with *store_r, or -1 with *error_r (caller frees). */
int store_open(const char *path, enum store_open_mode mode, struct store **store_r, char **error_r);
/* Finalizes the prepared statements, closes the database, frees *store and sets it NULL
 * (nothing when it already is). */
void store_close(struct store **store);
/* The text of the last error ("no error" when none). */
const char *store_error(const struct store *store);
/* The database's schema version (PRAGMA user_version), -1 when it cannot be read. */
int store_schema_version(struct store *store);
/* SQLite's PRAGMA quick_check: 0 when the database is whole, 1 with *problems_r (caller
 * frees; one problem a line) when it is not, -1 on an error. */
int store_quick_check(struct store *store, char **problems_r);

/* Bounds how long a statement of this connection waits for another process's lock (the
 * default is 10 s) to ms, and remembers when a wait ran out: for those who must answer within
 * seconds (the web console, `liaison status`) rather than wait behind a long writer. */
void store_set_busy_wait(struct store *store, int ms);
/* 1 when a statement gave up waiting for a lock since the last call (then cleared), else 0:
 * "busy, retry" rather than a failure. */
int store_busy_gave_up(struct store *store);

/* Every commit of this connection is on disk before it returns, power loss included (the
 * outbox's claims and marks: a lost claim could send a message twice).  Other writes keep
 * WAL's synchronous=NORMAL: a crash loses at most the last batch, fetched again. */
int store_set_durable(struct store *store);
/* Begins a write transaction (BEGIN IMMEDIATE). */
int store_begin(struct store *store);
/* 1 while a transaction is open on this connection. */
int store_in_transaction(struct store *store);
/* Commits the open transaction. */
int store_commit(struct store *store);
/* Rolls back the open transaction, if there is one. */
void store_rollback(struct store *store);

/* === store_ingest.c: the ingest path ==================================================== */

/* --- Mailboxes ------------------------------------------------------------------------- */

/* Finds the mailbox by name, creating it (enrolled now) when new; keeps troop and address
 * up to date with the configuration. */
int store_mailbox_ensure(struct store *store, const char *name, char troop, const char *address,
                         int64_t *mailbox_id_r);

/* --- Messages and custody -------------------------------------------------------------- */

/* 1 when this source key (file) already has a custody row in this mailbox folder. */
int store_custody_has_source(struct store *store, int64_t mailbox_id, const char *folder,
                             const char *source);
/* 1 when this IMAP message (UIDVALIDITY, UID) of the folder has a custody row. */
int store_custody_has_uid(struct store *store, int64_t mailbox_id, const char *folder,
                          int64_t uidvalidity, int64_t uid);
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
/* Records one arrival of a stored message in a mailbox folder (a custody row). */
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
	/* Set by the poller (NULL otherwise): */
	const char *autoreply;    /* "queued", "queued urgent", or why none was sent */
	const char *language;     /* "en", "es", "both" */
	const char *categories;   /* routing categories, comma separated */
	const char *rules;        /* routing rules that matched, comma separated */
	const char *priority;     /* "urgent", "high", "normal" */
};
/* Files a message in a mailbox and thread (a placement row). */
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
/* Counts a message into the thread: message count, first and last time; a person's incoming
 * message makes it a person's thread (one a machine's message opened: an answer to a
 * newsletter, a bounce then the person's own mail). */
int store_thread_touch(struct store *store, int64_t thread_id, int64_t date, int from_person);
/* Opens a closed thread again (new when unassigned, else open; closing date cleared): a
 * person wrote into it.  Returns 1 when it was closed, 0 when not, -1 on error. */
int store_thread_reopen_on_mail(struct store *store, int64_t thread_id);
/* Remembers what later messages find the thread by (duplicates are ignored). */
int store_thread_add_id(struct store *store, int64_t mailbox_id, const char *msgid,
                        int64_t thread_id);
int store_thread_add_index(struct store *store, int64_t mailbox_id, const char *thread_index,
                           int64_t thread_id);
int store_thread_add_participant(struct store *store, int64_t thread_id, const char *addr);

/* --- Routing results on threads ----------------------------------------------------------- */

/* Applies routing to a thread: sets the category when it has none, raises the priority,
 * sets the confidential and reportable flags (never clears them). */
int store_thread_route(struct store *store, int64_t thread_id, const char *category,
                       const char *priority, int confidential, int reportable);
/* Records a suggested referral service for the thread (once). */
int store_thread_suggest(struct store *store, int64_t thread_id, const char *service,
                         int64_t now);
/* The reference of a thread, into ref_r: 1, or 0 when there is no such thread, or -1. */
int store_thread_ref(struct store *store, int64_t thread_id, char *ref_r, size_t size);

/* --- IMAP folder state ----------------------------------------------------------------- */

/* 1 with the UIDVALIDITY and highest stored UID of a folder, 0 when never synced. */
int store_folder_get(struct store *store, int64_t mailbox_id, const char *folder,
                     uint32_t *uidvalidity_r, uint32_t *last_uid_r);
/* Saves a folder's UIDVALIDITY and highest stored UID (creating its row when new). */
int store_folder_set(struct store *store, int64_t mailbox_id, const char *folder,
                     uint32_t uidvalidity, uint32_t last_uid);
/* When the mailbox was enrolled (first seen by liaison), Unix time. */
int store_mailbox_enrolled(struct store *store, int64_t mailbox_id, int64_t *enrolled_r);

/* --- The response clock ------------------------------------------------------------------- */

/* The response clock of a thread after a message was filed in it: response 1 marks the
 * placement of message_id as an answer written by a person (ignored for an outbox row
 * other than a reply); then the thread's first_in_at (first incoming message from a
 * person) and first_response_at (first answer at or after it) are recomputed. */
int store_thread_clock(struct store *store, int64_t thread_id, int64_t message_id, int response);

/* === store_read.c: reading, for the commands ============================================ */

/* --- Reading, for the commands --------------------------------------------------------- */

struct thread_row {
	int64_t id;
	const char *ref, *mailbox, *status, *kind;
	const char *correspondent, *correspondent_name, *subject;
	const char *category, *priority, *assignee;
	int64_t message_count, first_at, last_at;
	char troop;
	int confidential, reportable;
	const char *rms_number, *not_reportable_reason;
	int64_t closed_at;
	int64_t first_in_at;       /* first incoming message from a person, 0: none */
	int64_t first_response_at; /* the troop's first answer written by a person, 0: none */
	int suspicious;            /* holds a message that claims the troop's own address but
	                              did not come from its server */
	const char *preview;       /* the start of the newest incoming message's text (else the
	                              newest one's; store_inbox_list only, NULL elsewhere) */
	int64_t seen_at;           /* when the inbox's reader last opened it (store_inbox_list
	                              with seen_by; 0: never or not asked) */
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

/* --- The inbox (store_inbox.c) --------------------------------------------------------- */

/* One page of an inbox view: every field optional (0 or NULL: no filter). */
struct inbox_filter {
	const char *troops;      /* the troop letters a listing may show ("KL"); NULL: all */
	int closed;              /* 1: closed threads only; 0: threads not closed */
	int person;              /* threads with a person (not machine mail) */
	const char *assignee;
	int unassigned;
	int urgent;
	int reportable_awaiting; /* reportable, no RMS number and no reason yet */
	int awaiting_answer;     /* a person wrote and nobody of the troop answered yet */
	const char *category, *status, *mailbox;
	int64_t before_last_at, before_id; /* only threads older than this one (keyset paging,
	                                      so a deep page costs what the first does); 0: none */
	int limit;               /* 0: no limit */
	const char *seen_by;     /* fill row->seen_at for this user (NULL: leave it 0) */
};
/* Calls cb for each matching thread, newest activity first, with row->preview set; a
 * non-zero return from cb stops. */
int store_inbox_list(struct store *store, const struct inbox_filter *filter, store_thread_cb *cb,
                     void *ctx);
/* The size of every inbox view at once, in one pass over the threads (six counts over a
 * large store cost six passes otherwise).  Open views hold threads of a person that are not
 * closed; filter's troops, category, mailbox and status narrow all of them (a status of
 * "closed" leaves the open views empty, any other the closed view). */
struct inbox_counts {
	int64_t unassigned, mine, all, urgent, reportable, closed;
};
int store_inbox_counts(struct store *store, const struct inbox_filter *filter, const char *me,
                       struct inbox_counts *counts_r);
/* Calls cb for each matching thread, in no particular order and without preview or
 * seen_at: what a count decided row by row reads (keyset, limit and seen_by ignored). */
int store_inbox_each(struct store *store, const struct inbox_filter *filter, store_thread_cb *cb,
                     void *ctx);
/* Notes that user opened the thread at now (thread_seen). */
int store_thread_seen_set(struct store *store, const char *user, int64_t thread_id, int64_t now);
/* A short text that changes whenever mail is filed, a thread's history grows or the outbox
 * moves: what the console's live pages compare to know they should reload. */
int store_change_stamp(struct store *store, char *out, size_t size);

struct message_row {
	int64_t id;
	const char *message_id, *sha256, *thread_ref, *mailbox, *folder;
	const char *direction, *kind, *kind_reason, *quarantine_reason;
	const char *autoreply, *language, *categories, *rules, *priority; /* NULL: not polled */
	char troop;                  /* of the mailbox */
	int thread_confidential;
	const char *thread_assignee;
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
/* Calls cb for each attachment of a message, in their order in it; a non-zero return from
 * cb stops. */
int store_attachments_list(struct store *store, int64_t message_id, store_attachment_cb *cb,
                           void *ctx);

/* The messages a name given by a person may mean, one call of cb (id, full SHA-256,
 * Message-ID or NULL) each, until cb returns non-zero: with by_prefix, those whose SHA-256
 * begins with key (hex digits, any case); else those whose Message-ID is key (with or
 * without <>).  Disposed-of messages are included (their row stays).  Returns 0 or -1.
 * ops_message_resolve (ops_message.h) is its one user: the rules of naming are there. */
typedef int store_message_named_cb(int64_t id, const char *sha256, const char *message_id,
                                   void *ctx);
int store_messages_named(struct store *store, const char *key, int by_prefix,
                         store_message_named_cb *cb, void *ctx);

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
/* 1 when addr (lower-cased) is the thread's correspondent or one of its participants, 0 when
 * not. */
int store_thread_has_party(struct store *store, int64_t thread_id, const char *addr);

/* What came to a thread after a person looked at it: each message filed in the thread whose
 * id is above since_message, and each outbox row of the thread not sent yet (queued, sending,
 * uncertain) whose id is above since_outbox, oldest first.  A message liaison sent carries
 * its outbox row's id and author.  cb returning non-zero stops.  Returns 0 or -1. */
struct thread_news_row {
	int64_t message_id;     /* 0 for an outbox row not sent yet */
	int64_t outbox_id;      /* the outbox row (for a message, the one that sent it), 0: none */
	const char *direction;  /* "in" or "out" */
	const char *from_addr;  /* a message's sender; NULL for an outbox row */
	const char *author;     /* the outbox row's author (created_by); NULL when liaison wrote
	                           it itself (an auto-reply) or there is no row */
	int64_t date;
};
typedef int store_thread_news_cb(const struct thread_news_row *row, void *ctx);
/* The newest message filed in the thread and its newest outbox row (0 when none): what a
 * composer opened now has seen. */
int store_thread_markers(struct store *store, int64_t thread_id, int64_t *message_r,
                         int64_t *outbox_r);
int store_thread_news(struct store *store, int64_t thread_id, int64_t since_message,
                      int64_t since_outbox, store_thread_news_cb *cb, void *ctx);

/* === store_outbox.c: the outbox ========================================================= */

/* --- Outbox ---------------------------------------------------------------------------- */

struct outbox_new {
	const char *kind;         /* autoreply, autoreply-urgent, notice, reply */
	int64_t mailbox_id;
	int64_t thread_id;        /* 0: none */
	int64_t answers;          /* the message answered (messages.id), 0: none */
	const char *recipient;
	const char *correspondent;/* whom the reply window counts (From of the message answered) */
	const char *envelope_from;/* "" for the null sender <> */
	const char *message_id;   /* of the message sent, without <> */
	const char *in_reply_to;
	const char *raw;
	size_t len;
	int64_t now;
	const char *created_by;   /* the user who wrote it, NULL: liaison itself */
};
/* Queues a message to send (status queued, due now); *id_r its row. */
int store_outbox_add(struct store *store, const struct outbox_new *row, int64_t *id_r);
/* How many messages of kind this mailbox queued since then for correspondent (the From
 * address answered) or to recipient (where the reply went: a Return-Path), failed ones too
 * (a reply the server refused was still our one answer). */
int store_outbox_count_since(struct store *store, int64_t mailbox_id, const char *correspondent,
                             const char *recipient, const char *kind, int64_t since,
                             int64_t *count_r);
/* How many auto-replies (of every mailbox) went to addresses of domain since then. */
int store_outbox_count_domain_since(struct store *store, const char *domain, int64_t since,
                                    int64_t *count_r);

struct outbox_row {
	int64_t id, mailbox_id, thread_id, answers;
	const char *kind, *recipient, *envelope_from, *message_id, *in_reply_to, *status;
	const char *last_error, *thread_ref, *mailbox;
	const char *raw;
	size_t len;
	int64_t attempts, next_attempt_at, created_at, claimed_at, sent_at;
	const char *created_by;      /* the reply's author, NULL for what liaison wrote itself */
	char troop;                  /* of the mailbox */
	int thread_confidential;
	const char *thread_assignee;
};
typedef int store_outbox_cb(const struct outbox_row *row, void *ctx);
/* Claims the next due row (status queued, next_attempt_at <= now): marks it sending with
 * claimed_at = now and one more attempt, in its own transaction, and hands it to cb.
 * Returns 1 when a row was claimed, 0 when none is due. */
int store_outbox_claim(struct store *store, int64_t now, store_outbox_cb *cb, void *ctx);
/* Sets the outcome of a claimed row: "sent" (sent_at = now), "queued" again with
 * next_attempt_at, "failed" or "uncertain", with the server's words. */
int store_outbox_finish(struct store *store, int64_t id, const char *status,
                        const char *last_error, int64_t next_attempt_at, int64_t now);
/* Records that the whole message was handed over and only the end of DATA remains: from
 * here on the server may accept it before we hear so. */
int store_outbox_data_complete(struct store *store, int64_t id);
/* Marks every row left "sending" by a crash: "sent" when a message with its Message-ID is
 * stored (its copy, filed in the transaction that marks it sent); "queued" again when its
 * DATA never reached its end (the server cannot have accepted it); else "uncertain" with
 * uncertain_why.  cb hears of each (id, new status, recipient). */
typedef void store_resolved_cb(int64_t id, const char *status, const char *recipient, void *ctx);
int store_outbox_resolve_claimed(struct store *store, const char *uncertain_why,
                                 store_resolved_cb *cb, void *ctx);
/* A person's decisions on a row: send again (from "uncertain" or "failed"), or give up (from
 * "queued" or "uncertain").  1 when the row changed, 0 when its status does not allow it. */
int store_outbox_retry(struct store *store, int64_t id, int64_t now);
int store_outbox_cancel(struct store *store, int64_t id, const char *why);
/* Gives a queued row new bytes and Message-ID (raw, len: borrowed), as new: nothing of it was
 * accepted by a server.  1 when the row changed, 0 when it is no longer queued, -1 error. */
int store_outbox_requeue_raw(struct store *store, int64_t id, const char *message_id,
                             const char *raw, size_t len);
/* Hands row id (its raw bytes too) to cb.  Returns 1, 0 when there is no such row, or -1. */
int store_outbox_get(struct store *store, int64_t id, store_outbox_cb *cb, void *ctx);
/* Every row, newest first (status NULL: all), or only the claimed ("sending") ones. */
int store_outbox_list(struct store *store, const char *status, store_outbox_cb *cb, void *ctx);
/* The notices that belong to no thread (the coordinator's notices of failed messages), and
 * the failed rows whose last_error starts with error_prefix: both found by an index, so the
 * sender may ask on every run.  Newest first. */
int store_outbox_list_unthreaded_notices(struct store *store, store_outbox_cb *cb, void *ctx);
int store_outbox_list_failed_with(struct store *store, const char *error_prefix,
                                  store_outbox_cb *cb, void *ctx);
/* The earliest next_attempt_at of a queued row, 0 when none is queued. */
/* 1 in *due_r when a queued row is due at now (next_attempt_at <= now), else 0. */
int store_outbox_any_due(struct store *store, int64_t now, int *due_r);
int store_outbox_next_due(struct store *store, int64_t *when_r);

/* === store_health.c: what `liaison status` and /metrics count ============================ */

/* The outbox by status, in one pass. */
struct outbox_tally {
	int64_t queued, sending, sent, failed, uncertain;
	int64_t autoreplies_sent;   /* sent rows of kind autoreply or autoreply-urgent */
	int64_t oldest_queued_at;   /* created_at of the oldest queued row, 0 when none */
	int64_t failed_since;       /* failed rows last tried (claimed) at or after since */
};
int store_outbox_tally(struct store *store, int64_t since, struct outbox_tally *tally_r);

/* === store_work.c: working the threads ================================================== */

/* --- Operations on threads ---------------------------------------------------------------- */

/* Sets one field of a thread (a person's operation).  field is one of "assignee", "status",
 * "category", "priority", "rms_number", "not_reportable_reason" (value NULL clears it) or
 * "confidential", "reportable", "closed_at" (value is a decimal integer). */
int store_thread_set(struct store *store, int64_t thread_id, const char *field,
                     const char *value);
/* Appends to a thread's history (operations and notes). */
int store_history_add(struct store *store, int64_t thread_id, int64_t at, const char *user,
                      const char *action, const char *details);
struct history_row {
	int64_t at;
	const char *user, *action, *details;
};
typedef int store_history_cb(const struct history_row *row, void *ctx);
/* Calls cb for each entry of a thread's history, oldest first; a non-zero return from cb
 * stops. */
int store_history_list(struct store *store, int64_t thread_id, store_history_cb *cb, void *ctx);

/* 1 with the SHA-256 of the latest message the thread's correspondent (a person; with
 * machine_too, a machine as well) wrote: what a reply answers, and whom it goes to; 0 when
 * there is none (a machine's thread). */
int store_thread_latest_incoming(struct store *store, int64_t thread_id, int machine_too,
                                 char sha256_r[SHA256_HEX_SIZE]);
/* Records a referral of the thread to a service. */
int store_referral_add(struct store *store, int64_t thread_id, const char *service,
                       const char *user, int64_t at, const char *note, int sent);

/* --- Audit trail ----------------------------------------------------------------------- */

struct audit_row {
	int64_t id, at;
	const char *user, *action, *object, *details, *prev_hash, *hash;
};
/* The hash of the newest entry, or 64 zeros when the trail is empty. */
int store_audit_last_hash(struct store *store, char hash_r[SHA256_HEX_SIZE]);
/* 1 with the id and hash the audit head records (the newest entry), 0 when none. */
int store_audit_head(struct store *store, int64_t *id_r, char hash_r[SHA256_HEX_SIZE]);
/* Appends an entry whose hashes the caller computed (audit.c). */
int store_audit_add(struct store *store, const struct audit_row *row);
typedef int store_audit_cb(const struct audit_row *row, void *ctx);
/* Every entry in order (since: from that time; user: only theirs; NULL/0 for all). */
int store_audit_list(struct store *store, int64_t since, const char *user, store_audit_cb *cb,
                     void *ctx);
/* The filters of an audit search; NULL or 0 leaves one out. */
struct audit_query {
	const char *user, *action;
	const char *ref;           /* a thread: entries whose object is it or whose details name it */
	int64_t from, until;       /* at >= from, at < until */
	int64_t before_id;         /* a page: entries older than this one */
	int limit;
};
/* Entries matching q, newest first, at most q->limit. */
int store_audit_search(struct store *store, const struct audit_query *q, store_audit_cb *cb,
                       void *ctx);
/* The actions the trail holds, in order (appended to *actions_r). */
int store_audit_actions(struct store *store, struct strlist *actions_r);

/* --- Engagement events -------------------------------------------------------------------- */

/* An engagement event (CAD "Community Engagement Activity").  Strings may be NULL. */
struct event_row {
	int64_t id, thread_id;     /* thread_id 0: requested on its own */
	const char *thread_ref;    /* read only; NULL without a thread */
	int thread_confidential;   /* read only */
	const char *thread_assignee; /* read only */
	char troop;
	const char *requested_by;
	int64_t requested_at;
	const char *date;          /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", local time */
	const char *place, *kind;
	int private_meeting;
	const char *duration, *contact; /* the dispatch notice of a private meeting */
	int media;
	const char *media_consent; /* "yes", "no" or NULL */
	const char *status;        /* requested, approved, denied, done, unable */
	const char *decided_by;
	int64_t decided_at;
	const char *deny_reason, *subtype, *primary_unit, *attended_by, *visited, *notes;
	const char *narrative, *closed_by;
	int64_t closed_at;
};
/* Inserts a requested event (the request's fields); *id_r its number. */
int store_event_add(struct store *store, const struct event_row *event, int64_t *id_r);
/* Writes the status, decision, outcome fields and media_consent of event->id, only while its
 * status is still was: 1 written, 0 changed meanwhile (its status is no longer was), -1 a
 * database error. */
int store_event_update(struct store *store, const struct event_row *event, const char *was);
typedef int store_event_cb(const struct event_row *event, void *ctx);
/* Events by date (id 0: all; month "YYYY-MM" or NULL: all); a non-zero return from cb stops. */
int store_events_list(struct store *store, int64_t id, const char *month, store_event_cb *cb,
                      void *ctx);
/* How many events of troop wait for the coordinator's decision (status requested). */
int store_events_requested(struct store *store, char troop, int64_t *count_r);

/* --- Rerouting: the current rules applied again to stored mail --------------------------- */

/* A person's incoming message as filed in a thread. */
struct reroute_placement_row {
	int64_t placement_id, message_id, thread_id;
	const char *thread_ref;
	int64_t date;
};
typedef int store_reroute_cb(const struct reroute_placement_row *row, void *ctx);
/* Calls cb for every person's incoming message of each thread (of mailbox, or of all when
 * NULL) that has one dated since or later, ordered by thread, then date. */
int store_reroute_placements(struct store *store, const char *mailbox, int64_t since,
                             store_reroute_cb *cb, void *ctx);

/* A thread whose category or urgency a person changed (their `category`, or their `flag` of
 * urgent, in its history), with its first incoming message from a person and the categories
 * routing gave that message: what `liaison route train --from-store` learns from, with the
 * history (ops_route.c).  Disposed-of messages are left out. */
struct route_correction_row {
	int64_t thread_id;
	const char *thread_ref;
	const char *routed;          /* the placement's categories, comma-separated, or NULL */
	const char *subject, *text;
};
typedef int store_route_correction_cb(const struct route_correction_row *row, void *ctx);
int store_route_corrections(struct store *store, store_route_correction_cb *cb, void *ctx);
/* What routing sets on a thread. */
struct thread_routing {
	char *category;      /* owned (free it), or NULL */
	char priority[8];    /* urgent, high, normal */
	int confidential, reportable;
};
/* 1 with *routing filled, 0 when there is no such thread. */
int store_thread_routing(struct store *store, int64_t thread_id, struct thread_routing *routing);
/* Adds the thread's suggested referral services to services, in name order. */
int store_thread_suggestions(struct store *store, int64_t thread_id, struct strlist *services);
/* Withdraws one suggested referral (the rules no longer suggest it). */
int store_thread_unsuggest(struct store *store, int64_t thread_id, const char *service);
/* What routing found in one placed message (categories and rules comma-joined, or NULL). */
int store_placement_route(struct store *store, int64_t placement_id, const char *categories,
                          const char *rules, const char *priority);

/* === store_report.c: the monthly reports ================================================ */

/* --- Reports --- */

/* A message that counts in the reports: an incoming one from a person (response 0) or an
 * answer written by a person (response 1), with its thread's troop and assignee (NULL:
 * unassigned).  Borrowed for the callback only. */
struct report_mail_row {
	char troop;
	const char *assignee;
	int response;
	int64_t date;
};
typedef int store_report_mail_cb(const struct report_mail_row *row, void *ctx);
/* The counted messages dated in [from, to); a non-zero return from cb stops.  Returns 0 or
 * -1 (store_error). */
int store_report_mail(struct store *store, int64_t from, int64_t to, store_report_mail_cb *cb,
                      void *ctx);

/* Threads of people with their first message, first incoming message or closing in
 * [from, to) (the columns of store_threads_list; correspondent and text fields are not
 * read); a non-zero return from cb stops. */
int store_report_threads(struct store *store, int64_t from, int64_t to, store_thread_cb *cb,
                         void *ctx);

struct report_referral_row {
	char troop;
	const char *thread_ref, *service, *user;
	int64_t at;
};
typedef int store_report_referral_cb(const struct report_referral_row *row, void *ctx);
/* Referrals made in [from, to), by time; a non-zero return from cb stops. */
int store_report_referrals(struct store *store, int64_t from, int64_t to,
                           store_report_referral_cb *cb, void *ctx);

/* Marks the monthly report of officer for month ("YYYY-MM") submitted by user at at, with
 * its figures (text kept as given).  Returns 1 when recorded now, 0 when it already was
 * (the first submission stays), -1. */
int store_report_submit(struct store *store, const char *officer, const char *month,
                        const char *user, int64_t at, const char *figures);
/* figures is NULL for a submission recorded before figures were kept. */
typedef int store_report_submission_cb(const char *officer, const char *submitted_by,
                                       int64_t submitted_at, const char *figures, void *ctx);
/* The submissions of a month; a non-zero return from cb stops. */
int store_report_submissions(struct store *store, const char *month,
                             store_report_submission_cb *cb, void *ctx);

/* === store_search.c: full-text search =================================================== */

/* --- Search (FTS5) ----------------------------------------------------------------------- */

struct search_filter {
	const char *query;          /* FTS5 syntax, or NULL for filters only */
	const char *mailbox, *from, *to, *category, *thread_ref, *direction;
	int64_t since, until;       /* Unix times, 0 for none; until is exclusive */
	int has_attachment;
	const char *troops;         /* only mailboxes of these troop letters ("KL"), or NULL */
	size_t limit;               /* the newest this many hits, or 0 for all of them */
};
struct search_row {
	int64_t id;                 /* messages.id */
	const char *message_id, *thread_ref, *from_addr, *subject, *mailbox, *snippet, *direction;
	int64_t date;
	char troop;
	int thread_confidential;
	const char *thread_assignee;
};
typedef int store_search_cb(const struct search_row *row, void *ctx);
/* One row per message and mailbox where it is filed, newest first (at most filter->limit),
 * and in *total_r how many there are in all.  Returns 0, or -1 (a bad FTS5 query says so in
 * store_error). */
int store_search(struct store *store, const struct search_filter *filter, store_search_cb *cb,
                 void *ctx, size_t *total_r);

/* === store_records.c: FOIA requests, holds, productions ================================= */

/* --- Records: FOIA requests and holds -------------------------------------------------- */

struct foia_row {
	int64_t id;
	const char *ref, *requester, *contact, *description, *received, *due, *status;
	const char *created_by;
	int64_t created_at, closed_at, items;
};
/* Creates a request numbered FOIA-YEAR-NNNN (the next of its year), written to ref_r. */
int store_foia_create(struct store *store, const struct foia_row *request, int year,
                      char *ref_r, size_t ref_size);
typedef int store_foia_cb(const struct foia_row *row, void *ctx);
/* Requests (ref, in any case, or NULL: all; status NULL: any), newest first. */
int store_foia_list(struct store *store, const char *ref, const char *status, store_foia_cb *cb,
                    void *ctx);
/* Adds a message to a request's responsive set: 1 added, 0 when it was there already. */
int store_foia_add_item(struct store *store, int64_t request_id, int64_t message_id,
                        const char *user, int64_t now);
/* Removes a message (by its SHA-256) from the set: 1 removed, 0 when it was not there. */
int store_foia_remove_item(struct store *store, int64_t request_id, const char *sha256);
/* Closes an open request at now (a closed one stays as it was). */
int store_foia_close(struct store *store, int64_t request_id, int64_t now);
struct foia_item_row {
	const char *sha256, *message_id, *subject, *from_addr;
	int64_t date;
};
typedef int store_foia_item_cb(const struct foia_item_row *row, void *ctx);
/* Calls cb for each message of a request's responsive set, by date; a non-zero return from
 * cb stops. */
int store_foia_items(struct store *store, int64_t request_id, store_foia_item_cb *cb, void *ctx);
/* Places the named litigation hold on a message: 1 placed, 0 when it was held already. */
int store_hold_place(struct store *store, const char *name, int64_t message_id,
                     const char *reason, const char *user, int64_t now);
/* Releases every message of a named hold; *count_r how many. */
int store_hold_release(struct store *store, const char *name, const char *user, int64_t now,
                       int64_t *count_r);
struct hold_row {
	const char *name, *reason, *placed_by;
	int64_t placed_at, active, released;
};
typedef int store_hold_cb(const struct hold_row *row, void *ctx);
/* Calls cb for each named hold (with how many messages it holds and has released), oldest
 * first; a non-zero return from cb stops. */
int store_holds_list(struct store *store, store_hold_cb *cb, void *ctx);

/* The id of a message of a request's responsive set (by SHA-256): 1 found, 0 not in it. */
int store_foia_item_id(struct store *store, int64_t request_id, const char *sha256,
                       int64_t *message_id_r);
/* Withholds a message whole; *id_r the withholding's number.  One withholding is in force
 * per message and request (the store refuses a second). */
int store_foia_withhold(struct store *store, int64_t request_id, int64_t message_id,
                        const char *exemption, const char *reason, const char *user,
                        int64_t now, int64_t *id_r);
/* 1 with *id_r when a withholding of the message is in force in the request, 0 when not. */
int store_foia_withholding_in_force(struct store *store, int64_t request_id,
                                    int64_t message_id, int64_t *id_r);
struct redaction_new {
	const char *kind;     /* "text" or "pattern" */
	const char *value;    /* the text or the PCRE2 pattern */
	const char *preset;   /* the preset the pattern came from, or NULL */
	int64_t passages;     /* how many it matched in its message when decided */
	const char *exemption, *reason, *user;
	int64_t now;
};
/* Records a redaction; *id_r its number. */
int store_foia_redact(struct store *store, int64_t request_id, int64_t message_id,
                      const struct redaction_new *redaction, int64_t *id_r);
/* Revoke a decision in force (it stays, marked revoked by user at now): 1 done, 0 when the
 * request has no such decision in force.  A withholding is named by its message's row, a
 * redaction by its number. */
int store_foia_unwithhold(struct store *store, int64_t request_id, int64_t message_id,
                          const char *user, int64_t now);
int store_foia_unredact(struct store *store, int64_t request_id, int64_t redaction_id,
                        const char *user, int64_t now);
struct decision_row {
	const char *type;              /* "withholding" or "redaction" */
	int64_t id;                    /* its number (withholdings and redactions apart) */
	const char *sha256, *message_id;
	const char *kind, *value, *preset;  /* redactions only, else NULL */
	int64_t passages;              /* redactions: matched when decided; -1 unknown */
	const char *exemption, *reason, *decided_by;
	int64_t decided_at;
	const char *revoked_by;        /* NULL while in force */
	int64_t revoked_at;            /* 0 while in force */
};
typedef int store_decision_cb(const struct decision_row *row, void *ctx);
/* Every decision ever taken on the request, revoked ones too, in the order taken. */
int store_foia_decisions(struct store *store, int64_t request_id, store_decision_cb *cb,
                         void *ctx);
struct review_row {
	const char *sha256, *subject, *thread_ref, *categories;
	int confidential, withheld, redactions;
};
typedef int store_review_cb(const struct review_row *row, void *ctx);
/* Every message of the set with what review needs: its thread's confidentiality and
 * categories, whether it is withheld, how many redactions it has (decisions in force). */
int store_foia_review(struct store *store, int64_t request_id, store_review_cb *cb, void *ctx);

/* --- Records: productions ------------------------------------------------------------------ */

struct export_item_row {
	int64_t id;                  /* the message's row */
	const char *sha256, *message_id, *subject, *from_text, *to_text;
	int64_t date, size;
	const char *custodians;      /* mailbox names, "; " between them */
	/* NULL unless the message is withheld from this request */
	const char *withheld_exemption, *withheld_reason, *withheld_by;
	int disposed;                /* only a tombstone is left */
};
typedef int store_export_item_cb(const struct export_item_row *row, void *ctx);
/* The responsive set in production order (date, then SHA-256). */
int store_foia_export_items(struct store *store, int64_t request_id, store_export_item_cb *cb,
                            void *ctx);
struct redaction_row {
	int64_t id, message_id;
	const char *kind, *value, *exemption, *reason, *decided_by;
	int64_t decided_at;
};
typedef int store_redaction_cb(const struct redaction_row *row, void *ctx);
/* Every redaction in force of a request, by message then as decided. */
int store_foia_redactions(struct store *store, int64_t request_id, store_redaction_cb *cb,
                          void *ctx);
/* A message's raw bytes and text (caller frees both): 1, or 0 when its bytes are gone. */
int store_message_content(struct store *store, int64_t id, char **raw_r, size_t *len_r,
                          char **text_r);
/* The production of this request with this fingerprint: 1 with its first and last Bates
 * numbers and when it was first made, 0 when there is none. */
int store_production_find(struct store *store, int64_t request_id, const char *fingerprint,
                          int64_t *first_r, int64_t *last_r, int64_t *produced_at_r);
/* The next free Bates number of a prefix (1 for a new prefix). */
int store_bates_next(struct store *store, const char *prefix, int64_t *next_r);
/* Records a production of a request: its fingerprint, Bates prefix and its first and last
 * numbers, who made it and when. */
int store_production_add(struct store *store, int64_t request_id, const char *fingerprint,
                         const char *prefix, int64_t first, int64_t last, const char *user,
                         int64_t now);

/* === store_retention.c: retention, disposal, verification =============================== */

/* --- Retention --------------------------------------------------------------------------- */

struct retention_row {
	const char *ref, *mailbox, *series;
	int64_t last_activity, due;   /* due: when its retention ended */
};
typedef int store_retention_cb(const struct retention_row *row, void *ctx);
/* Threads whose records series' retention (seconds after the last activity: a message or
 * the closing) ended before now and none of whose messages is held (an open FOIA request or
 * an active hold).  Series: "case" (referrals or reportable), "transitory" (machine mail),
 * else "correspondence". */
int store_retention_due(struct store *store, int64_t now, int64_t transitory,
                        int64_t correspondence, int64_t case_period, store_retention_cb *cb,
                        void *ctx);
/* Disposes of what store_retention_due lists, in the caller's transaction: every message
 * filed only in such threads loses its bytes, its text and its search entry and keeps a
 * tombstone (its hash, size, Message-ID, dates, custodians, and the disposal's approval, who
 * and when); a thread left with no message keeps its reference, not its subject.  *threads_r
 * and *messages_r how many. */
int store_dispose(struct store *store, int64_t now, int64_t transitory, int64_t correspondence,
                  int64_t case_period, const char *approval, const char *user,
                  int64_t *threads_r, int64_t *messages_r);

/* 1 when the message was disposed of (only its tombstone is left), 0 when not. */
int store_message_disposed(struct store *store, int64_t message_id);
/* The same bytes of a disposed-of message arrived again (say in a mailbox enrolled later):
 * they are a record again, stored with their text and search entry as store_message_add
 * does; the tombstone stays, marked revived. */
int store_message_revive(struct store *store, int64_t message_id, const char *raw, size_t len,
                         const struct parsed_message *msg, int64_t now);

/* --- Verification ------------------------------------------------------------------------ */

struct rehash_row {
	const char *sha256, *message_id;
	const void *raw;
	size_t len;
	int stored;     /* 0: there are no bytes */
	int disposed;   /* disposed of: there should be none */
};
typedef int store_rehash_cb(const struct rehash_row *row, void *ctx);
/* Every message's recorded SHA-256 and bytes, one at a time. */
int store_messages_raw_each(struct store *store, store_rehash_cb *cb, void *ctx);
/* The disposal of a message (by SHA-256 or Message-ID): 1 with its approval, who and the
 * date (YYYY-MM-DD, local time), 0 when it was not disposed of. */
struct tombstone {
	char *approval, *by, *when;
};
int store_tombstone_find(struct store *store, const char *key, struct tombstone *t);
/* Frees the strings of *t and zeroes it. */
void store_tombstone_clear(struct tombstone *t);
/* How many messages were disposed of (only their tombstones are left). */
int store_count_tombstones(struct store *store, int64_t *count_r);
/* FTS5's strict check that the search index holds exactly the words of the messages table:
 * 0; 1 when it does not, or -1 when the check could not run (busy, out of memory), both with
 * store_error saying why.  It holds the database's write lock while it reads the index. */
int store_search_index_check(struct store *store);

/* === store_web.c: the web console's accounts, sessions and failed sign-ins ============== */

/* --- Accounts -------------------------------------------------------------------------- */

/* A user's sign-in record: strings "" and numbers 0 where nothing is set. */
struct web_account {
	char password_hash[PASSWORD_HASH_SIZE];
	char totp_secret[TOTP_SECRET_SIZE];
	int64_t totp_enrolled_at;   /* 0: not enrolled */
	int64_t totp_last_step;     /* the newest TOTP step taken, 0 when none yet */
};
/* 1 with *account_r, 0 when the user has no record yet, -1. */
int store_web_account_get(struct store *store, const char *user, struct web_account *account_r);
/* Sets the user's password hash (the record is made when there is none). */
int store_web_password_set(struct store *store, const char *user, const char *hash, int64_t now);
/* Enrols the user's TOTP secret (base32) at now, no step taken yet (the record is made when
 * there is none); secret NULL clears the enrolment: then 1 when there was one, 0 when not. */
int store_web_totp_set(struct store *store, const char *user, const char *secret, int64_t now);
/* Takes TOTP step for the user: 1 when it is newer than the newest taken (it is that one
 * now), 0 when not (a code used again, or an older one) or the user has no record. */
int store_web_totp_take_step(struct store *store, const char *user, int64_t step);

/* --- Sessions -------------------------------------------------------------------------- */

/* A session as stored.  Strings may be NULL (revoked_by, peer, user_agent, enrol_secret). */
struct web_session_row {
	int64_t id;
	const char *user;
	const char *stage;          /* "password" (half signed in) or "full" */
	const char *csrf;
	int64_t created_at, last_seen_at, expires_at;
	int64_t revoked_at;         /* 0 while not ended */
	const char *revoked_by;
	const char *peer, *user_agent;
	const char *enrol_secret;   /* a TOTP secret being enrolled, not yet confirmed */
};
typedef int store_web_session_cb(const struct web_session_row *row, void *ctx);
/* Adds a session (row's fields; id and the revocation ignored) whose token's SHA-256 is
 * token_hash (hex); *id_r its number. */
int store_web_session_add(struct store *store, const char *token_hash,
                          const struct web_session_row *row, int64_t *id_r);
/* Hands the session whose token hashes to token_hash to cb: 1, 0 when there is none, -1. */
int store_web_session_find(struct store *store, const char *token_hash,
                           store_web_session_cb *cb, void *ctx);
/* Session id to cb: 1, 0 when there is none, -1. */
int store_web_session_get(struct store *store, int64_t id, store_web_session_cb *cb,
                          void *ctx);
/* Notes a request of session id at now. */
int store_web_session_touch(struct store *store, int64_t id, int64_t now);
/* Keeps secret on session id (NULL: none) until a code from it confirms the enrolment. */
int store_web_session_enrol_secret(struct store *store, int64_t id, const char *secret);
/* Removes session id (replaced by its successor: its token must stop working at once). */
int store_web_session_delete(struct store *store, int64_t id);
/* Ends session id at now, by (a user, or "liaison" when it timed out): 1 when it had not
 * ended, 0 when it had (or there is no such session). */
int store_web_session_revoke(struct store *store, int64_t id, const char *by, int64_t now);
/* Ends every session of user that has not ended; *count_r how many. */
int store_web_sessions_revoke_user(struct store *store, const char *user, const char *by,
                                   int64_t now, int64_t *count_r);
/* The live sessions at now (not ended, not past expires_at, a request within idle seconds)
 * of user (NULL: everyone's), newest first; a non-zero return from cb stops. */
int store_web_sessions_list(struct store *store, const char *user, int64_t now, int64_t idle,
                            store_web_session_cb *cb, void *ctx);
/* Deletes the sessions that ended or expired before sessions_before, and the failed sign-ins
 * before failures_before: neither is a record (the audit trail is). */
int store_web_prune(struct store *store, int64_t sessions_before, int64_t failures_before);

/* --- Failed sign-ins ------------------------------------------------------------------- */

/* Records a failed sign-in at at, of the name typed (user) from address peer (either may
 * be NULL). */
int store_web_failure_add(struct store *store, int64_t at, const char *user, const char *peer);
/* Failed sign-ins since since: of user, and (apart) from peer, with the latest's time (0
 * when none). */
struct signin_failures {
	int64_t user_count, user_last;
	int64_t peer_count, peer_last;
};
int store_web_failures(struct store *store, const char *user, const char *peer, int64_t since,
                       struct signin_failures *failures_r);
/* Forgets the failed sign-ins of user (who has just signed in). */
int store_web_failures_clear(struct store *store, const char *user);

/* === store_saved_search.c: the records office's saved searches ========================== */

/* A search's filters by name (every field but name optional: NULL, or 0); since_day and
 * until_day are days "YYYY-MM-DD" (until the last day searched, whole). */
struct saved_search_row {
	int64_t id;
	const char *name, *query, *mailbox, *from, *to, *category, *thread_ref, *direction;
	const char *since_day, *until_day;
	int has_attachment;
	const char *saved_by;
	int64_t saved_at;
};
typedef int store_saved_search_cb(const struct saved_search_row *row, void *ctx);
/* Saves a search under its name; *id_r its number.  Returns 0, 1 when the name is taken
 * (nothing saved), or -1. */
int store_saved_search_add(struct store *store, const struct saved_search_row *row,
                           int64_t *id_r);
/* Every saved search by name (id 0), or the one numbered id; a non-zero return from cb
 * stops.  Returns 0 or -1. */
int store_saved_searches(struct store *store, int64_t id, store_saved_search_cb *cb, void *ctx);
/* Deletes saved search id: 1 deleted, 0 when there is none, -1. */
int store_saved_search_delete(struct store *store, int64_t id);

/* === Faults ============================================================================ */

/* Why the last statement on store failed, when the cause is around the data rather than in
 * it: "disk full", "database locked by another process", "I/O error", "cannot open a
 * database file", "database read-only"; NULL otherwise.  Ask before a rollback (which
 * resets it).  The poller publishes it and waits; other errors are the data's. */
const char *store_fault(struct store *store);
/* Copies the write-ahead log into the database and empties the log file (PRAGMA
 * wal_checkpoint(TRUNCATE)).  After a disk-full failure: the log grows to about 16 MiB
 * between automatic checkpoints (1000 pages of 16 KiB), and only a checkpoint gives that
 * space back.  0, or -1 with store_error; a checkpoint that readers held back is not an
 * error (it is done in part, and the next one goes on). */
int store_checkpoint(struct store *store);
/* Checkpoints this connection's commits once the write-ahead log holds pages pages (SQLite's
 * default, 1000, is 16 MiB here): after a checkpoint the log is written from its start
 * again, so its file stays about that size instead of growing into the last free space of
 * a disk about to fill.  0, or -1 with store_error. */
int store_limit_wal(struct store *store, int pages);

#endif
