/* poller_private.h — what the files of `liaison poll` share (poller.c: watchers, store and
 * sender threads; poller_publish.c: the status file; poller_rounds.c: rounds and store failures).
 * No other file includes it. */
#ifndef LIAISON_POLLER_PRIVATE_H
#define LIAISON_POLLER_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "config.h"
#include "ingest.h"
#include "poll_status.h"
#include "poller.h"

/* Set by SIGTERM/SIGINT; read by every thread (lock-free atomic, so a signal handler may set
 * it).  poll_round_stop ends only the current round (a store failure): the watchers stop, and
 * the poller starts them again from the committed state.  poll_reload_requested: SIGHUP. */
extern atomic_int poll_stop_requested, poll_round_stop, poll_reload_requested;

struct poller;

struct watcher {
	struct poller *poller;
	const struct config *config;          /* the one the poller started with: its connection */
	const struct mailbox_config *mailbox; /* in config */
	const char *folder;                   /* in config */
	int64_t mailbox_id;
	uint32_t uidvalidity;        /* as stored when the watcher started */
	uint64_t next_uid;           /* 64 bits: the UID after 4294967295 must not wrap to 0 */
	struct ingest *ing;          /* the store thread's */
	pthread_t thread;
	int started;
	/* The store thread's own: the folder state in the open transaction. */
	uint32_t state_uidvalidity, state_uid;
	int state_dirty;
	int sync_pending;            /* an EV_SYNCED in the open transaction */
	/* Shared with the store thread, under poller->lock: */
	int synced;                  /* a whole sync completed */
	char *failure;               /* the last error, while failing */
	uint32_t committed_uidvalidity, committed_uid; /* for mark_seen / move_to */
	/* Published in the status file (poll_status.h), under poller->lock, kept across
	 * rounds: */
	enum folder_state state;
	int64_t state_since, retry_at;
	int64_t last_sync;           /* when the store committed the end of a sync */
	uint64_t connections;        /* made since the poller started */
	uint32_t server_uidvalidity, server_top; /* the highest UID known on the server */
};

enum event_kind { EV_MESSAGE, EV_SYNCED, EV_EXIT };

struct event {
	enum event_kind kind;
	struct watcher *w;
	struct ingest_item item;     /* EV_MESSAGE */
	uint32_t uidvalidity, uid;   /* EV_MESSAGE, EV_SYNCED (the highest UID seen) */
	struct event *next;
};

struct poller {
	const struct config *startup;  /* the caller's: what the watchers connect with */
	const struct poll_options *options;
	/* What routes and answers: replaced by a reload (SIGHUP) on the store thread, under
	 * setup_lock; the watchers route under its read lock. */
	pthread_rwlock_t setup_lock;
	const struct config *config;
	struct route_rules *rules;
	struct config **loaded;        /* owned: every configuration a reload read, kept until
	                                  the end, as old ingests and the sender may point in */
	size_t n_loaded;
	struct store *store;
	struct watcher *watchers;
	size_t n_watchers;

	pthread_mutex_t lock;
	pthread_cond_t has_events, has_space, committed;
	struct event *head, *tail;
	size_t bytes;
	size_t running;              /* watcher threads not yet exited */
	int in_transaction;          /* the store thread's one transaction for all folders */
	size_t batch_messages;
	/* Published, under lock: */
	int store_failing;
	char *store_reason;          /* owned, while store_failing */
	int status_dirty;
	int64_t started, status_written;
	char *status_error;          /* owned: the last failure to write the status file */
	/* The store thread's own: */
	char *fault_logged;          /* owned: the store failure last logged, until STORE_CALM
	                                seconds of commits have passed */
	int64_t ok_since;            /* the first commit after the last failure, 0 while failing */

	pthread_mutex_t send_lock;
	pthread_cond_t send_kick;
	int send_pending, send_stop;
};

/* poller.c */
/* The next backoff after current seconds: doubled with jitter, up to max. */
double poll_backoff_next(double current, int64_t max);
/* A watcher thread (pthread_create's start routine), arg its struct watcher. */
void *poll_watcher_main(void *arg);
/* Stores what the watchers fetch until they have all exited: 0, or -1 with *error_r. */
int poll_store_loop(struct poller *p, char **error_r);
/* Opens w's folder state from the store: 0, or -1 with *error_r. */
int poll_open_folder(struct poller *p, struct watcher *w, char **error_r);
void poll_close_folders(struct poller *p);
/* SIGHUP: reads the configuration, rules and templates again (on the store thread). */
void poll_reload_config(struct poller *p);

/* poller_publish.c: the status file (DATABASE.poll-status) */
/* Sets w's published state (under p->lock); written by the next poll_publish_status. */
void poll_watcher_state(struct watcher *w, enum folder_state state, int64_t retry_at);
/* Writes the status file when due or forced.  The store thread only. */
void poll_publish_status(struct poller *p, int force);
/* The status file of a poller that has ended: every folder stopped. */
void poll_publish_stopped(struct poller *p);

/* poller_rounds.c: rounds, and the store failures between them */
/* Settles rows a crash left "claimed", waiting out a store that refuses: 0, or -1 with
 * *error_r. */
int poll_settle_at_start(struct poller *p, char **error_r);
/* Rounds until a stop: 0, or -1 with *error_r. */
int poll_run_rounds(struct poller *p, char **error_r);

#endif
