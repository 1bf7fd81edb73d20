/* poller.c — liaison poll: watcher threads (IMAP), the store on the calling thread, a sender
 * thread for the outbox.  See poller.h for the division of work. */
#include "poller.h"
#include "poller_private.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "imap.h"
#include "ingest.h"
#include "log.h"
#include "mailbox_imap.h"
#include "outbox_send.h"
#include "poll_reload.h"
#include "poll_status.h"
#include "route.h"
#include "store.h"
#include "util.h"

#define FETCH_CHUNK 500              /* messages per UID FETCH */
#define QUEUE_BYTES (32u << 20)      /* fetched but not yet stored: watchers wait beyond */
#define IDLE_RENEW (28 * 60)         /* re-issue IDLE before the 29 minutes of RFC 2177 */
#define BATCH_MESSAGES 2000          /* a commit at least this often while a backlog flows */
#define WAL_PAGES 256                /* checkpoint at 4 MiB of write-ahead log (16 KiB pages):
                                        a full disk then holds little of it (store_limit_wal) */
#define RENEW_FLOOR 30               /* seconds a token-renewing connection lives at least */
#define SEND_BACKOFF_MAX 10.0     /* seconds: the longest wait of the sender after a failed run
                                        (short: a store or provider back is soon used) */
#define STORE_CALM 10                /* seconds of successful commits before a store failure is
                                        over (logged, and the next one is news): on a disk
                                        nearly full, small commits pass between failures */

/* Set by SIGTERM/SIGINT; read by every thread (lock-free atomic, so a signal handler may set
 * it).  poll_round_stop ends only the current round (a store failure): the watchers stop, and
 * the poller starts them again from the committed state.  poll_reload_requested: SIGHUP. */
atomic_int poll_stop_requested, poll_round_stop, poll_reload_requested;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		poll_reload_requested = 1;
	else
		poll_stop_requested = 1;
}

static int stopping(void)
{
	return poll_stop_requested || poll_round_stop;
}


/* --- The queue from watchers to the store thread --------------------------------------- */

static void push(struct poller *p, struct event *e)
{
	pthread_mutex_lock(&p->lock);
	while (p->bytes > 0 && p->bytes + e->item.len > QUEUE_BYTES && !stopping())
		pthread_cond_wait(&p->has_space, &p->lock);
	if (p->tail)
		p->tail->next = e;
	else
		p->head = e;
	p->tail = e;
	p->bytes += e->item.len;
	pthread_cond_signal(&p->has_events);
	pthread_mutex_unlock(&p->lock);
}

static void push_simple(struct watcher *w, enum event_kind kind, uint32_t uidvalidity,
                        uint32_t uid)
{
	struct event *e = xcalloc(1, sizeof(*e));
	e->kind = kind;
	e->w = w;
	e->uidvalidity = uidvalidity;
	e->uid = uid;
	push(w->poller, e);
}

/* The next event, or NULL after timeout_ms with nothing queued. */
static struct event *pop(struct poller *p, int timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (p->head == NULL && p->running > 0)
		if (pthread_cond_timedwait(&p->has_events, &p->lock, &until) == ETIMEDOUT)
			break;
	struct event *e = p->head;
	if (e != NULL) {
		p->head = e->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->bytes -= e->item.len;
		pthread_cond_broadcast(&p->has_space);
	}
	pthread_mutex_unlock(&p->lock);
	return e;
}

/* Ends the round (a store failure): the flag, and a wake-up for whoever waits on the store
 * thread. */
static void request_round_stop(struct poller *p)
{
	poll_round_stop = 1;
	pthread_mutex_lock(&p->lock);
	pthread_cond_broadcast(&p->committed);
	pthread_cond_broadcast(&p->has_space);
	pthread_mutex_unlock(&p->lock);
}

static int queue_empty(struct poller *p)
{
	pthread_mutex_lock(&p->lock);
	int empty = p->head == NULL;
	pthread_mutex_unlock(&p->lock);
	return empty;
}

/* --- Watchers -------------------------------------------------------------------------- */

/* Sleeps up to seconds, waking early on a stop request. */
static void nap(double seconds)
{
	struct timespec step = {0, 200 * 1000000L};
	for (double slept = 0; slept < seconds && !stopping(); slept += 0.2)
		nanosleep(&step, NULL);
}

/* Exponential backoff with +-20% jitter, so that many troops do not reconnect in step. */
double poll_backoff_next(double current, int64_t max)
{
	unsigned short r = 0;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = 32768;
	double jitter = 0.8 + 0.4 * (r / 65535.0);
	double next = current * 2;
	if (next > (double)max)
		next = (double)max;
	return next * jitter;
}

/* Logs a failure only when it differs from the last one: once per state change. */
static void watcher_fail(struct watcher *w, const char *error)
{
	pthread_mutex_lock(&w->poller->lock);
	int changed = w->failure == NULL || strcmp(w->failure, error) != 0;
	free(w->failure);
	w->failure = xstrdup(error);
	w->poller->status_dirty = 1;
	pthread_mutex_unlock(&w->poller->lock);
	if (changed)
		log_error("mailbox %s/%s: %s", w->mailbox->name, w->folder, error);
}

static void watcher_ok(struct watcher *w)
{
	pthread_mutex_lock(&w->poller->lock);
	int was_failing = w->failure != NULL;
	xfree(&w->failure);
	pthread_mutex_unlock(&w->poller->lock);
	if (was_failing)
		log_warn("mailbox %s/%s: connected again", w->mailbox->name, w->folder);
}

/* What the server says it holds: UIDNEXT - 1 at a SELECT, or a UID fetched beyond it. */
static void watcher_saw(struct watcher *w, uint32_t uidvalidity, uint32_t top)
{
	pthread_mutex_lock(&w->poller->lock);
	if (w->server_uidvalidity != uidvalidity || top > w->server_top) {
		w->server_uidvalidity = uidvalidity;
		w->server_top = top;
		w->poller->status_dirty = 1;
	}
	pthread_mutex_unlock(&w->poller->lock);
}

struct fetch_ctx {
	struct watcher *w;
	uint32_t uidvalidity;
	int resync;
	struct strlist uids;         /* fetched this round, for mark_seen / move_to */
};

/* Hashes, parses and routes on the watcher's thread, ahead of the store, with the rules and
 * limits in force (a reload swaps them under the write lock, so never mid-message). */
static void prepare(struct watcher *w, struct ingest_item *item)
{
	struct poller *p = w->poller;
	pthread_rwlock_rdlock(&p->setup_lock);
	const struct mailbox_config *m = config_find_mailbox(p->config, w->mailbox->name);
	ingest_item_prepare(item, &p->config->limits, p->rules, m ? m : w->mailbox, w->folder);
	pthread_rwlock_unlock(&p->setup_lock);
}

static int on_message(const struct imap_message *m, void *p)
{
	struct fetch_ctx *ctx = p;
	struct watcher *w = ctx->w;
	if (stopping())
		return 1;
	struct event *e = xcalloc(1, sizeof(*e));
	e->kind = EV_MESSAGE;
	e->w = w;
	e->uidvalidity = ctx->uidvalidity;
	e->uid = m->uid;
	e->item.raw = xmalloc(m->len + 1);
	memcpy(e->item.raw, m->raw, m->len);
	e->item.len = m->len;
	e->item.internal_date = m->internal_date;
	e->item.uidvalidity = ctx->uidvalidity;
	e->item.uid = m->uid;
	e->item.resync = ctx->resync;
	prepare(w, &e->item);
	watcher_saw(w, ctx->uidvalidity, m->uid);
	push(w->poller, e);
	if (m->uid >= w->next_uid)
		w->next_uid = (uint64_t)m->uid + 1; /* 64 bits: no wrap after the last UID */
	if (w->mailbox->mark_seen || w->mailbox->move_to) {
		char uid[16];
		snprintf(uid, sizeof(uid), "%u", m->uid);
		strlist_add(&ctx->uids, uid);
	}
	return 0;
}

/* mark_seen / move_to act only on what the store has committed, under the same UIDVALIDITY
 * (after a renumbering, old and new UIDs are not comparable). */
static int after_commit(struct watcher *w, struct imap_session *s, const struct strlist *uids,
                        uint32_t uidvalidity, uint32_t last, char **error_r)
{
	struct poller *p = w->poller;
	pthread_mutex_lock(&p->lock);
	while ((w->committed_uidvalidity != uidvalidity || w->committed_uid < last) &&
	       !stopping())
		pthread_cond_wait(&p->committed, &p->lock);
	int ready = w->committed_uidvalidity == uidvalidity && w->committed_uid >= last;
	pthread_mutex_unlock(&p->lock);
	for (size_t i = 0; ready && i < uids->count; i++) {
		uint32_t uid = (uint32_t)strtoul(uids->items[i], NULL, 10);
		if (w->mailbox->mark_seen && imap_mark_seen(s, uid, error_r) != IMAP_OK)
			return -1;
		if (w->mailbox->move_to && imap_move(s, uid, w->mailbox->move_to, error_r) != IMAP_OK)
			return -1;
	}
	return 0;
}

/* One sync: select (on a new connection; the folder stays selected while idling, and a
 * second SELECT of a large folder costs tens of milliseconds of every reply's latency),
 * compare UIDVALIDITY, fetch everything new, tell the store thread. */
static int sync_folder(struct watcher *w, struct imap_session *s, int select, char **error_r)
{
	struct imap_folder_status st = {.uidvalidity = w->uidvalidity};
	if (select && imap_select(s, w->folder, 0, &st, error_r) != IMAP_OK)
		return -1;
	if (select && st.uidnext > 0)
		watcher_saw(w, st.uidvalidity, st.uidnext - 1);
	struct fetch_ctx ctx = {w, st.uidvalidity, 0, {0}};
	if (w->uidvalidity != 0 && w->uidvalidity != st.uidvalidity) {
		/* The server renumbered the folder: fetch it all again; the store knows each
		 * message by its SHA-256, so nothing is lost and nothing doubled. */
		log_warn("mailbox %s/%s: UIDVALIDITY changed from %u to %u: resynchronising by "
		         "content", w->mailbox->name, w->folder, w->uidvalidity, st.uidvalidity);
		ctx.resync = 1;
		w->next_uid = 1;
	}
	w->uidvalidity = st.uidvalidity;
	int rc = w->next_uid > UINT32_MAX ? IMAP_OK /* the last UID there can be is stored */
	    : imap_fetch_since(s, (uint32_t)w->next_uid, FETCH_CHUNK, on_message, &ctx, error_r);
	if (rc == IMAP_OK && !stopping()) {
		uint32_t last = (uint32_t)(w->next_uid - 1);
		push_simple(w, EV_SYNCED, st.uidvalidity, last);
		if (ctx.uids.count > 0 &&
		    after_commit(w, s, &ctx.uids, st.uidvalidity, last, error_r) < 0)
			rc = -1;
	} else if (rc > 0) {
		rc = 0; /* stopped by request */
	}
	if (rc != IMAP_OK && ctx.resync)
		w->uidvalidity = 0; /* resume the resync after reconnecting */
	strlist_free(&ctx.uids);
	return rc == IMAP_OK ? 0 : -1;
}

/* Waits for news: IDLE (renewed before 29 minutes) or a poll interval.  1: look again;
 * 2: the login's token is about to expire (renew_at, 0: never), log in again. */
static int wait_for_mail(struct watcher *w, struct imap_session *s, int64_t renew_at,
                         char **error_r)
{
	if (renew_at != 0 && time(NULL) >= renew_at)
		return 2;
	if (!imap_has_idle(s)) {
		poll_watcher_state(w, FOLDER_POLLING, 0);
		double interval = (double)w->config->poll_interval;
		if (renew_at != 0 && (double)(renew_at - time(NULL)) < interval)
			interval = (double)(renew_at - time(NULL));
		nap(interval);
		return stopping() ? 0 : imap_noop(s, error_r) == IMAP_OK ? 1 : -1;
	}
	if (imap_idle_start(s, error_r) != IMAP_OK)
		return -1;
	poll_watcher_state(w, FOLDER_IDLE, 0);
	time_t start = time(NULL);
	int rc = 0;
	while (!stopping() && time(NULL) - start < IDLE_RENEW &&
	       (renew_at == 0 || time(NULL) < renew_at)) {
		rc = imap_idle_wait(s, 1000, error_r);
		if (rc != 0)
			break;
	}
	if (rc < 0)
		return -1;
	if (imap_idle_done(s, error_r) != IMAP_OK)
		return -1;
	/* Look once more before logging out: what came during DONE is fetched now. */
	return 1;
}

void *poll_watcher_main(void *arg)
{
	struct watcher *w = arg;
	const struct poller *p = w->poller;
	double backoff = 1;
	while (!stopping()) {
		struct credential cr;
		char *error = NULL;
		struct imap_session *s = NULL;
		poll_watcher_state(w, FOLDER_CONNECTING, 0);
		int rc = mailbox_imap_connect(w->mailbox, &s, &cr, &error) == IMAP_OK ? 0 : -1;
		/* A connection whose token expires logs in again before then (a server such as
		 * Exchange Online ends the session when its token expires); never sooner than
		 * RENEW_FLOOR, whatever a provider's lifetimes, so that it cannot spin. */
		int64_t renew_at = cr.renew_at;
		if (renew_at != 0 && renew_at < (int64_t)time(NULL) + RENEW_FLOOR)
			renew_at = (int64_t)time(NULL) + RENEW_FLOOR;
		credential_clear(&cr);
		if (rc == 0) {
			pthread_mutex_lock(&w->poller->lock);
			w->connections++;
			pthread_mutex_unlock(&w->poller->lock);
			poll_watcher_state(w, FOLDER_SYNCING, 0);
			rc = sync_folder(w, s, 1, &error);
			if (rc == 0) {
				watcher_ok(w);
				backoff = 1;
				pthread_mutex_lock(&w->poller->lock);
				w->synced = 1;
				pthread_mutex_unlock(&w->poller->lock);
			}
			while (rc == 0 && !p->options->once && !stopping()) {
				rc = wait_for_mail(w, s, renew_at, &error);
				if (rc == 2) {
					log_debug("mailbox %s/%s: logging in again before the token expires",
					          w->mailbox->name, w->folder);
					rc = 0;
					break;
				}
				if (rc > 0) {
					poll_watcher_state(w, FOLDER_SYNCING, 0);
					rc = sync_folder(w, s, 0, &error);
				}
			}
		}
		imap_close(&s);
		if (rc < 0) {
			watcher_fail(w, error ? error : "failed");
			free(error);
			if (p->options->once)
				break;
			poll_watcher_state(w, FOLDER_BACKOFF, (int64_t)time(NULL) + (int64_t)backoff);
			nap(backoff);
			backoff = poll_backoff_next(backoff, w->config->backoff_max);
			continue;
		}
		free(error);
		if (p->options->once)
			break;
	}
	push_simple(w, EV_EXIT, 0, 0);
	return NULL;
}

/* --- The store thread ------------------------------------------------------------------ */

static int begin(struct poller *p, char **error_r)
{
	if (p->in_transaction)
		return 0;
	if (store_begin(p->store) < 0) {
		*error_r = xasprintf("begin: %s", store_error(p->store));
		return -1;
	}
	p->in_transaction = 1;
	p->batch_messages = 0;
	return 0;
}

/* After a commit: the store takes writes (again). */
static void store_ok(struct poller *p)
{
	pthread_mutex_lock(&p->lock);
	int was_failing = p->store_failing;
	p->store_failing = 0;
	xfree(&p->store_reason);
	if (was_failing)
		p->status_dirty = 1;
	pthread_mutex_unlock(&p->lock);
	if (was_failing)
		p->ok_since = (int64_t)time(NULL);
}

/* A logged store failure is over once commits have passed for STORE_CALM seconds: said once,
 * however often a nearly full disk let a small commit through in between. */
static void store_calm_check(struct poller *p)
{
	if (p->fault_logged != NULL && p->ok_since != 0 &&
	    (int64_t)time(NULL) - p->ok_since >= STORE_CALM) {
		log_warn("store: writing again");
		xfree(&p->fault_logged);
	}
}

/* Commits what the open transaction holds, with each folder's last UID: the state advances in
 * the transaction that stored its messages, never before and never after. */
static int flush_all(struct poller *p, char **error_r)
{
	for (size_t i = 0; i < p->n_watchers; i++) {
		struct watcher *w = &p->watchers[i];
		if (!w->state_dirty)
			continue;
		if (begin(p, error_r) < 0 ||
		    store_folder_set(p->store, ingest_mailbox_id(w->ing), w->folder,
		                     w->state_uidvalidity, w->state_uid) < 0) {
			if (*error_r == NULL)
				*error_r = xasprintf("%s/%s: %s", w->mailbox->name, w->folder,
				                     store_error(p->store));
			return -1;
		}
	}
	if (!p->in_transaction)
		return 0;
	if (store_commit(p->store) < 0) {
		*error_r = xasprintf("commit: %s", store_error(p->store));
		return -1;
	}
	p->in_transaction = 0;
	int64_t now = (int64_t)time(NULL);
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->n_watchers; i++) {
		struct watcher *w = &p->watchers[i];
		if (w->state_dirty) {
			w->committed_uidvalidity = w->state_uidvalidity;
			w->committed_uid = w->state_uid;
			w->state_dirty = 0;
			p->status_dirty = 1;
		}
		if (w->sync_pending) {
			w->last_sync = now;
			w->sync_pending = 0;
		}
	}
	pthread_cond_broadcast(&p->committed);
	pthread_mutex_unlock(&p->lock);
	store_ok(p);
	/* New rows may be in the outbox: wake the sender. */
	pthread_mutex_lock(&p->send_lock);
	p->send_pending = 1;
	pthread_cond_signal(&p->send_kick);
	pthread_mutex_unlock(&p->send_lock);
	return 0;
}

static void set_state(struct watcher *w, uint32_t uidvalidity, uint32_t uid)
{
	w->state_uidvalidity = uidvalidity;
	w->state_uid = uid;
	w->state_dirty = 1;
}

static int handle(struct poller *p, struct event *e, char **error_r)
{
	struct watcher *w = e->w;
	switch (e->kind) {
	case EV_MESSAGE: {
		enum ingest_outcome outcome;
		if (begin(p, error_r) < 0 || ingest_item_commit(w->ing, &e->item, &outcome, error_r) < 0)
			return -1;
		set_state(w, e->uidvalidity, e->uid);
		if (++p->batch_messages >= BATCH_MESSAGES)
			return flush_all(p, error_r);
		break;
	}
	case EV_SYNCED:
		set_state(w, e->uidvalidity, e->uid);
		w->sync_pending = 1;
		break;
	case EV_EXIT:
		pthread_mutex_lock(&p->lock);
		p->running--;
		pthread_mutex_unlock(&p->lock);
		break;
	}
	return 0;
}

static void event_free(struct event *e)
{
	ingest_item_clear(&e->item);
	free(e);
}

/* A store error (disk full, the database locked by another process, an I/O error): roll
 * back, and end the round — the watchers have fetched past what is committed, so they must
 * start again from the committed state.  Nothing is lost: what was not committed is still on
 * the server, above each folder's committed last UID. */
static void fail_store(struct poller *p, int *failed, char **error_r)
{
	const char *fault = store_fault(p->store); /* before the rollback resets it */
	if (fault != NULL && *error_r != NULL && strncmp(*error_r, fault, strlen(fault)) != 0) {
		char *why = xasprintf("%s: %s", fault, *error_r);
		free(*error_r);
		*error_r = why;
	}
	if (p->in_transaction)
		store_rollback(p->store);
	p->in_transaction = 0;
	for (size_t i = 0; i < p->n_watchers; i++) {
		p->watchers[i].state_dirty = 0;
		p->watchers[i].sync_pending = 0;
	}
	*failed = 1;
	request_round_stop(p);
}

/* Stores what the watchers fetch until they have all exited.  -1 on a store error (the
 * round ends; *error_r says why). */
int poll_store_loop(struct poller *p, char **error_r)
{
	int failed = 0;
	for (;;) {
		poll_publish_status(p, 0);
		store_calm_check(p);
		/* A quiet point: no transaction open. */
		if (poll_reload_requested && !failed && !p->in_transaction)
			poll_reload_config(p);
		struct event *e = pop(p, 1000);
		if (e == NULL) {
			if (!failed && flush_all(p, error_r) < 0)
				fail_store(p, &failed, error_r);
			pthread_mutex_lock(&p->lock);
			int done = p->running == 0 && p->head == NULL;
			pthread_mutex_unlock(&p->lock);
			if (done)
				break;
			continue;
		}
		if (!failed && handle(p, e, error_r) < 0)
			fail_store(p, &failed, error_r);
		else if (failed && e->kind == EV_EXIT)
			handle(p, e, error_r);
		event_free(e);
		/* Commit as soon as the queue runs dry: the reply goes out at once. */
		if (!failed && queue_empty(p) && flush_all(p, error_r) < 0)
			fail_store(p, &failed, error_r);
	}
	return failed ? -1 : 0;
}

/* --- The sender thread ----------------------------------------------------------------- */

/* The configuration in force (a reload may replace it; the old one stays alive). */
static const struct config *current_config(struct poller *p)
{
	pthread_rwlock_rdlock(&p->setup_lock);
	const struct config *config = p->config;
	pthread_rwlock_unlock(&p->setup_lock);
	return config;
}

/* A row claimed whose outcome could not be written (disk full, locked) stays "sending": it
 * is settled as after a crash — by its Message-ID, else "uncertain" — never sent again
 * blindly.  This thread is the only sender (one poller per database), so no row is in
 * flight while it runs.  Returns 0 when nothing is left to settle. */
static int settle_claimed(struct store *store)
{
	struct outbox_counts counts = {0};
	char *error = NULL;
	if (outbox_resolve_claimed(store, &counts, &error) < 0) {
		log_debug("%s (settled later)", error);
		free(error);
		return -1;
	}
	return 0;
}

static void *sender_main(void *arg)
{
	struct poller *p = arg;
	struct store *store = NULL;
	char *error = NULL, *failing = NULL;
	int unsettled = 0;
	double backoff = 1;       /* seconds before a run after a failed one, doubling */
	int64_t retry_at = 0;
	if (store_open(p->startup->database, STORE_OPEN_EXISTING, &store, &error) < 0) {
		log_error("outbox: %s", error);
		free(error);
		return NULL;
	}
	store_limit_wal(store, WAL_PAGES);
	for (;;) {
		pthread_mutex_lock(&p->send_lock);
		int64_t due = 0;
		store_outbox_next_due(store, &due);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		int64_t wait = due == 0 ? 60 : due - (int64_t)until.tv_sec;
		if (wait > 60)
			wait = 60;
		/* After a failed run (no token from the provider, a refused login, a store error)
		 * the due rows are still due: wait out a backoff rather than run again at once. */
		if (failing != NULL && wait < retry_at - (int64_t)until.tv_sec)
			wait = retry_at - (int64_t)until.tv_sec;
		until.tv_sec += wait > 0 ? wait : 0;
		while (!p->send_pending && !p->send_stop && wait > 0)
			if (pthread_cond_timedwait(&p->send_kick, &p->send_lock, &until) == ETIMEDOUT)
				break;
		int stop = p->send_stop;
		p->send_pending = 0;
		pthread_mutex_unlock(&p->send_lock);
		if (stop)
			break;
		if (unsettled)
			unsettled = settle_claimed(store) < 0;
		struct outbox_counts counts = {0};
		if (outbox_send_due(store, current_config(p), (int64_t)time(NULL), &counts,
		                    &error) < 0) {
			/* Once per change of state, as for a mailbox. */
			if (failing == NULL || strcmp(failing, error) != 0)
				log_error("%s", error);
			free(failing);
			failing = error;
			error = NULL;
			unsettled = settle_claimed(store) < 0;
			retry_at = (int64_t)time(NULL) + (int64_t)backoff;
			backoff = backoff * 2 > SEND_BACKOFF_MAX ? SEND_BACKOFF_MAX : backoff * 2;
		} else {
			if (failing != NULL)
				log_warn("outbox: sending again");
			xfree(&failing);
			backoff = 1;
		}
	}
	free(failing);
	store_close(&store);
	return NULL;
}

static void sender_stop(struct poller *p, pthread_t sender)
{
	pthread_mutex_lock(&p->send_lock);
	p->send_stop = 1;
	pthread_cond_signal(&p->send_kick);
	pthread_mutex_unlock(&p->send_lock);
	pthread_join(sender, NULL);
}

/* --- Start-up checks and the folders --------------------------------------------------- */

/* A second poller on the same database would fetch and answer everything twice. */
static int take_lock(const char *database, int *fd_r, char **error_r)
{
	char *path = xasprintf("%s.poll-lock", database);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		*error_r = errno == EWOULDBLOCK
		    ? xasprintf("another liaison poll is running on %s (lock %s)", database, path)
		    : xasprintf("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return -1;
	}
	free(path);
	*fd_r = fd;
	return 0;
}

/* A watcher for one folder (strings of the starting configuration, which outlives the
 * run). */
static void add_watcher(struct poller *p, const struct mailbox_config *m, const char *folder)
{
	p->watchers = xrealloc(p->watchers, (p->n_watchers + 1) * sizeof(*p->watchers));
	struct watcher *w = &p->watchers[p->n_watchers++];
	memset(w, 0, sizeof(*w));
	w->poller = p;
	w->config = p->startup;
	w->mailbox = m;
	w->folder = folder;
	w->state = FOLDER_CONNECTING;
	w->state_since = p->started;
}

static int plan_watchers(struct poller *p, char **error_r)
{
	const struct config *c = p->startup;
	for (size_t i = 0; i < c->n_mailboxes; i++) {
		const struct mailbox_config *m = &c->mailboxes[i];
		if (p->options->mailbox && strcmp(p->options->mailbox, m->name) != 0)
			continue;
		if (m->imap_url == NULL) {
			if (p->options->mailbox) {
				*error_r = xasprintf("[mailbox %s] has no imap URL", m->name);
				return -1;
			}
			continue;
		}
		for (size_t j = 0; j < m->folders.count; j++)
			add_watcher(p, m, m->folders.items[j]);
		/* The liaisons' replies from their own mail clients belong in the threads too. */
		if (m->sent_folder && !strlist_contains(&m->folders, m->sent_folder))
			add_watcher(p, m, m->sent_folder);
	}
	if (p->n_watchers == 0) {
		*error_r = xstrdup("no mailbox has an imap URL to poll");
		return -1;
	}
	return 0;
}

/* The store thread's side of a folder, for config (the one in force). */
static int open_ingest(struct poller *p, const struct config *config, struct watcher *w,
                       struct ingest **ing_r, char **error_r)
{
	const struct mailbox_config *m = config_find_mailbox(config, w->mailbox->name);
	if (ingest_open(p->store, config, m ? m : w->mailbox, w->folder, ing_r, error_r) < 0)
		return -1;
	if (ingest_enable_autoreply(*ing_r, error_r) < 0) {
		ingest_close(ing_r);
		return -1;
	}
	ingest_use_caller_transaction(*ing_r);
	return 0;
}

/* Each folder from its committed state, at the start of a round. */
int poll_open_folder(struct poller *p, struct watcher *w, char **error_r)
{
	uint32_t uidvalidity = 0, last_uid = 0;
	if (open_ingest(p, p->config, w, &w->ing, error_r) < 0)
		return -1;
	w->mailbox_id = ingest_mailbox_id(w->ing);
	if (store_folder_get(p->store, w->mailbox_id, w->folder, &uidvalidity, &last_uid) < 0) {
		*error_r = xasprintf("%s/%s: %s", w->mailbox->name, w->folder, store_error(p->store));
		return -1;
	}
	w->uidvalidity = uidvalidity;
	w->next_uid = (uint64_t)last_uid + 1;
	w->state_dirty = w->sync_pending = 0;
	w->started = 0;
	pthread_mutex_lock(&p->lock);
	w->committed_uidvalidity = uidvalidity;
	w->committed_uid = last_uid;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void poll_close_folders(struct poller *p)
{
	for (size_t i = 0; i < p->n_watchers; i++)
		ingest_close(&p->watchers[i].ing);
}

/* --- Reload (SIGHUP) ------------------------------------------------------------------- */

static void log_lines(const char *prefix, const char *text)
{
	char *copy = xstrdup(text);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		log_error("%s%s", prefix, line);
	free(copy);
}

/* Between transactions, on the store thread: the new configuration, routing rules and
 * templates, or — when anything in them is wrong — the old ones, with every FILE:LINE
 * logged.  The IMAP connections stay open. */
void poll_reload_config(struct poller *p)
{
	poll_reload_requested = 0;
	struct config *loaded = NULL;
	struct route_rules *rules = NULL;
	char *errors = NULL;
	const char *path = p->startup->path;
	if (poll_reload_load(path, &loaded, &rules, &errors) < 0) {
		log_error("reload of %s refused; the running configuration stays:", path);
		log_lines("  ", errors);
		free(errors);
		return;
	}
	/* The store side first: a store error keeps everything as it was. */
	struct ingest **fresh = xcalloc(p->n_watchers + 1, sizeof(*fresh));
	for (size_t i = 0; i < p->n_watchers; i++) {
		if (p->watchers[i].ing == NULL)
			continue;
		if (open_ingest(p, loaded, &p->watchers[i], &fresh[i], &errors) < 0) {
			log_error("reload of %s postponed to the next SIGHUP: %s", path, errors);
			free(errors);
			for (size_t j = 0; j < i; j++)
				ingest_close(&fresh[j]);
			free(fresh);
			route_rules_free(&rules);
			config_free(&loaded);
			return;
		}
	}
	struct strlist restart = {0};
	poll_reload_restart_needed(p->startup, loaded, &restart);
	pthread_rwlock_wrlock(&p->setup_lock);
	struct route_rules *old_rules = p->rules;
	p->rules = rules;
	p->config = loaded;
	pthread_rwlock_unlock(&p->setup_lock);
	/* No watcher holds the old rules: they route under the read lock, and a routed item
	 * keeps copies of what matched. */
	route_rules_free(&old_rules);
	p->loaded = xrealloc(p->loaded, (p->n_loaded + 1) * sizeof(*p->loaded));
	p->loaded[p->n_loaded++] = loaded;
	for (size_t i = 0; i < p->n_watchers; i++) {
		if (fresh[i] == NULL)
			continue;
		ingest_close(&p->watchers[i].ing);
		p->watchers[i].ing = fresh[i];
	}
	free(fresh);
	log_set_configured_level(loaded->log_level);
	log_info("reloaded %s: routing rules %s, templates %s", path, loaded->routes,
	         loaded->templates);
	if (restart.count > 0) {
		char *what = strlist_join(&restart, "; ");
		log_warn("reload: not applied until liaison poll restarts: %s", what);
		free(what);
	}
	strlist_free(&restart);
}

/* --- The run --------------------------------------------------------------------------- */

void poller_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void teardown(struct poller *p)
{
	for (size_t i = 0; i < p->n_watchers; i++) {
		ingest_close(&p->watchers[i].ing);
		free(p->watchers[i].failure);
	}
	free(p->watchers);
	route_rules_free(&p->rules);
	for (size_t i = 0; i < p->n_loaded; i++)
		config_free(&p->loaded[i]);
	free(p->loaded);
	free(p->store_reason);
	free(p->status_error);
	free(p->fault_logged);
	store_close(&p->store);
	pthread_rwlock_destroy(&p->setup_lock);
}

/* --once: how it went, for the exit code. */
static int summarise(struct poller *p, char **error_r)
{
	struct buf failures;
	buf_init(&failures, 1 << 16);
	for (size_t i = 0; i < p->n_watchers; i++) {
		struct watcher *w = &p->watchers[i];
		if (!w->synced)
			buf_addf(&failures, "%s%s/%s: %s", failures.len ? "; " : "", w->mailbox->name,
			         w->folder, w->failure ? w->failure : "not synced");
	}
	if (failures.len == 0) {
		buf_free(&failures);
		return 0;
	}
	*error_r = buf_steal(&failures, NULL);
	return 1;
}

int poller_run(const struct config *config, const struct poll_options *options, char **error_r)
{
	struct poller p = {
		.startup = config,
		.config = config,
		.options = options,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.has_events = PTHREAD_COND_INITIALIZER,
		.has_space = PTHREAD_COND_INITIALIZER,
		.committed = PTHREAD_COND_INITIALIZER,
		.send_lock = PTHREAD_MUTEX_INITIALIZER,
		.send_kick = PTHREAD_COND_INITIALIZER,
		.started = (int64_t)time(NULL),
	};
	pthread_rwlock_init(&p.setup_lock, NULL);
	int lock_fd = -1;
	/* Again for a caller that did not (harmless); the flags are not reset, so that a
	 * SIGHUP met before the run is applied as a reload once it runs. */
	poller_install_signals();
	int rc = 2;
	if (route_rules_load(config->routes, &p.rules, error_r) < 0 ||
	    poll_reload_check_templates(config, error_r) < 0 || plan_watchers(&p, error_r) < 0)
		goto out;
	rc = 1;
	if (take_lock(config->database, &lock_fd, error_r) < 0 ||
	    store_open(config->database, STORE_OPEN_EXISTING, &p.store, error_r) < 0)
		goto out;
	store_limit_wal(p.store, WAL_PAGES);
	poll_publish_status(&p, 1);
	if (poll_settle_at_start(&p, error_r) < 0)
		goto out;
	struct outbox_counts counts = {0};

	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_t sender;
	int sender_started = !options->once && pthread_create(&sender, NULL, sender_main, &p) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!options->once && !sender_started)
		log_error("outbox: cannot start the sender thread: replies wait for the next run");

	int store_failed_for_good = poll_run_rounds(&p, error_r) < 0;
	if (sender_started)
		sender_stop(&p, sender);
	poll_publish_stopped(&p);
	if (store_failed_for_good)
		goto out;
	if (options->once && outbox_send_due(p.store, p.config, (int64_t)time(NULL), &counts,
	                                     error_r) < 0)
		goto out;
	rc = options->once ? summarise(&p, error_r) : 0;
out:
	teardown(&p);
	if (lock_fd >= 0)
		close(lock_fd);
	return rc;
}
