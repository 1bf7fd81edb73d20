/* poller_publish.c — the state `liaison poll` publishes in DATABASE.poll-status (poll_status.c
 * writes the file): each folder's state, the store's failure, coalesced. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "poll_status.h"
#include "poller_private.h"
#include "util.h"

#define STATUS_COALESCE 1            /* seconds: state changes are published at most this often */

void poll_watcher_state(struct watcher *w, enum folder_state state, int64_t retry_at)
{
	struct poller *p = w->poller;
	pthread_mutex_lock(&p->lock);
	if (w->state != state || w->retry_at != retry_at) {
		w->state = state;
		w->state_since = (int64_t)time(NULL);
		w->retry_at = retry_at;
		p->status_dirty = 1;
	}
	pthread_mutex_unlock(&p->lock);
}

/* Messages the server holds beyond the last committed UID, as far as the watcher knows: the
 * UIDs up to UIDNEXT - 1 at the last SELECT, or up to the highest UID fetched since.  UIDs
 * only grow, so this is exact unless messages in that range were expunged (then it
 * over-counts, never under-counts).  Under p->lock. */
static uint64_t waiting_count(const struct watcher *w)
{
	if (w->server_top == 0)
		return 0;
	if (w->server_uidvalidity != w->committed_uidvalidity)
		return w->server_top; /* renumbered: every UID is checked again */
	return w->server_top > w->committed_uid ? (uint64_t)(w->server_top - w->committed_uid) : 0;
}

/* Copies the published state under the lock (cheap), to write it without the lock. */
static void status_snapshot(struct poller *p, int64_t now, struct poll_status *st)
{
	memset(st, 0, sizeof(*st));
	st->pid = (int64_t)getpid();
	st->started = p->started;
	st->written = now;
	st->store_failing = p->store_failing;
	st->store_reason = p->store_reason ? xstrdup(p->store_reason) : NULL;
	st->n_folders = p->n_watchers;
	st->folders = xcalloc(p->n_watchers + 1, sizeof(*st->folders));
	for (size_t i = 0; i < p->n_watchers; i++) {
		const struct watcher *w = &p->watchers[i];
		struct folder_status *f = &st->folders[i];
		const char *reason = w->state != FOLDER_BACKOFF ? NULL
		                     : w->failure ? w->failure : p->store_reason;
		f->mailbox = xstrdup(w->mailbox->name);
		f->folder = xstrdup(w->folder);
		f->state = w->state;
		f->reason = reason ? xstrdup(reason) : NULL;
		f->last_sync = w->last_sync;
		f->state_since = w->state_since;
		f->retry_at = w->retry_at;
		f->reconnects = w->connections > 1 ? w->connections - 1 : 0;
		f->waiting = waiting_count(w);
	}
}

/* Writes the status file when a state changed (at most every STATUS_COALESCE seconds), at
 * least every POLL_STATUS_PERIOD seconds, or when forced.  Only the store thread calls it:
 * the watchers only set fields under the lock. */
void poll_publish_status(struct poller *p, int force)
{
	int64_t now = (int64_t)time(NULL);
	struct poll_status st;
	pthread_mutex_lock(&p->lock);
	int due = force || now - p->status_written >= POLL_STATUS_PERIOD ||
	          (p->status_dirty && now - p->status_written >= STATUS_COALESCE);
	if (due) {
		status_snapshot(p, now, &st);
		p->status_dirty = 0;
		p->status_written = now;
	}
	pthread_mutex_unlock(&p->lock);
	if (!due)
		return;
	char *error = NULL;
	if (poll_status_write(p->startup->database, &st, &error) < 0) {
		/* Once per change: a full disk would say it every second. */
		if (p->status_error == NULL || strcmp(p->status_error, error) != 0)
			log_warn("status file: %s", error);
		free(p->status_error);
		p->status_error = error;
	} else if (p->status_error != NULL) {
		log_warn("status file: written again");
		xfree(&p->status_error);
	}
	poll_status_clear(&st);
}

/* The status file of a poller that has ended: every folder stopped (kept, so that
 * `liaison status` can still tell when each folder last synced). */
void poll_publish_stopped(struct poller *p)
{
	for (size_t i = 0; i < p->n_watchers; i++)
		poll_watcher_state(&p->watchers[i], FOLDER_STOPPED, 0);
	poll_publish_status(p, 1);
}
