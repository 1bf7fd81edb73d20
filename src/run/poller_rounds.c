/* poller_rounds.c — the rounds of `liaison poll`: every folder's watcher from its committed
 * state until a stop, or until the store fails (a full disk, a lock held): then roll back,
 * publish, wait with backoff and start a new round. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "outbox_send.h"
#include "poller_private.h"
#include "store.h"
#include "util.h"

/* One round: every folder from its committed state, until the watchers end (--once, a stop:
 * 0) or the store fails (-1 with *error_r).  The poll lock and the sender stay. */
static int run_round(struct poller *p, char **error_r)
{
	poll_round_stop = 0;
	for (size_t i = 0; i < p->n_watchers; i++)
		if (poll_open_folder(p, &p->watchers[i], error_r) < 0) {
			poll_close_folders(p);
			return -1;
		}
	/* Watchers get no signals: the calling thread handles them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (size_t i = 0; i < p->n_watchers; i++) {
		p->watchers[i].started =
		    pthread_create(&p->watchers[i].thread, NULL, poll_watcher_main, &p->watchers[i]) == 0;
		if (p->watchers[i].started) {
			pthread_mutex_lock(&p->lock);
			p->running++;
			pthread_mutex_unlock(&p->lock);
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	int rc = poll_store_loop(p, error_r);
	for (size_t i = 0; i < p->n_watchers; i++)
		if (p->watchers[i].started)
			pthread_join(p->watchers[i].thread, NULL);
	poll_close_folders(p);
	return rc;
}

/* The kind of a store failure: its reason up to the first ": " ("disk full", "database locked
 * by another process"), so that the message that met it does not make it news again. */
static int same_kind(const char *a, const char *b)
{
	const char *end_a = strstr(a, ": "), *end_b = strstr(b, ": ");
	size_t len_a = end_a ? (size_t)(end_a - a) : strlen(a);
	size_t len_b = end_b ? (size_t)(end_b - b) : strlen(b);
	return len_a == len_b && strncmp(a, b, len_a) == 0;
}

/* The store refused a write: published, logged once per kind (until it is over, see
 * store_calm_check), every folder waiting. */
static void store_failed(struct poller *p, const char *error, double wait)
{
	int64_t retry_at = (int64_t)time(NULL) + (int64_t)wait + 1;
	int changed = p->fault_logged == NULL || !same_kind(p->fault_logged, error);
	if (changed) {
		free(p->fault_logged);
		p->fault_logged = xstrdup(error);
	}
	p->ok_since = 0;
	pthread_mutex_lock(&p->lock);
	p->store_failing = 1;
	free(p->store_reason);
	p->store_reason = xstrdup(error);
	pthread_mutex_unlock(&p->lock);
	for (size_t i = 0; i < p->n_watchers; i++)
		poll_watcher_state(&p->watchers[i], FOLDER_BACKOFF, retry_at);
	if (changed)
		log_error("store: %s: rolled back; trying again (up to every %llds) from each "
		          "folder's last stored UID", error, (long long)p->startup->backoff_max);
	poll_publish_status(p, 1);
}

/* Waits before the next round, publishing and reloading meanwhile. */
static void store_wait(struct poller *p, double seconds)
{
	struct timespec step = {0, 200 * 1000000L};
	for (double slept = 0; slept < seconds && !poll_stop_requested; slept += 0.2) {
		nanosleep(&step, NULL);
		if (poll_reload_requested)
			poll_reload_config(p);
		poll_publish_status(p, 0);
	}
}

/* Rows a crash left between "claimed" and "marked" are settled before anything else, while no
 * sender runs.  It is the first write: a store that refuses it (a backup holding the lock as
 * the service starts) is waited for as in a round; --once gives up.  0 (also on a stop
 * request: no round runs then), or -1 with *error_r. */
int poll_settle_at_start(struct poller *p, char **error_r)
{
	double backoff = 1;
	struct outbox_counts counts = {0};
	while (!poll_stop_requested && outbox_resolve_claimed(p->store, &counts, error_r) < 0) {
		if (p->options->once)
			return -1;
		store_failed(p, *error_r, backoff);
		xfree(error_r);
		store_wait(p, backoff);
		backoff = poll_backoff_next(backoff, p->startup->backoff_max);
	}
	return 0;
}

/* Rounds until a stop: a store failure rolls back and starts the watchers again from what
 * is committed, after a backoff; --once gives up instead.  0, or -1 with *error_r. */
int poll_run_rounds(struct poller *p, char **error_r)
{
	double backoff = 1;
	while (!poll_stop_requested) {
		char *error = NULL;
		if (run_round(p, &error) == 0 || poll_stop_requested || p->options->once) {
			if (error != NULL && !poll_stop_requested) {
				*error_r = error;
				return -1;
			}
			free(error);
			return 0;
		}
		if (p->fault_logged == NULL)
			backoff = 1; /* a new failure (not one after a short respite) starts from 1 s */
		store_failed(p, error ? error : "failed", backoff);
		/* A full disk may be full of the write-ahead log itself: hand its space back
		 * as soon as the database file can take the pages (quietly: it fails while
		 * the disk is full). */
		if (error != NULL && strncmp(error, "disk full", 9) == 0)
			store_checkpoint(p->store);
		free(error);
		store_wait(p, backoff);
		backoff = poll_backoff_next(backoff, p->startup->backoff_max);
	}
	return 0;
}
