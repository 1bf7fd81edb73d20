/* poller.c — liaison poll: watcher threads (IMAP), the store on the calling thread, a sender
 * thread for the outbox.  See poller.h for the division of work. */
#include "poller.h"

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
#include "route.h"
#include "store.h"
#include "template.h"
#include "util.h"

#define FETCH_CHUNK 500              /* messages per UID FETCH */
#define QUEUE_BYTES (32u << 20)      /* fetched but not yet stored: watchers wait beyond */
#define IDLE_RENEW (28 * 60)         /* re-issue IDLE before the 29 minutes of RFC 2177 */
#define BATCH_MESSAGES 2000          /* a commit at least this often while a backlog flows */

/* Set by SIGTERM/SIGINT or a store failure; read by every thread (lock-free atomic, so a
 * signal handler may set it). */
static atomic_int stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct poller;

struct watcher {
	struct poller *poller;
	const struct mailbox_config *mailbox;
	const char *folder;
	int64_t mailbox_id;
	uint32_t uidvalidity;        /* as stored when the watcher started */
	uint64_t next_uid;           /* 64 bits: the UID after 4294967295 must not wrap to 0 */
	struct ingest *ing;          /* the store thread's */
	pthread_t thread;
	int started;
	/* The store thread's own: the folder state in the open transaction. */
	uint32_t state_uidvalidity, state_uid;
	int state_dirty;
	/* Shared with the store thread, under poller->lock: */
	int synced;                  /* a whole sync completed */
	char *failure;               /* the last error, while failing */
	uint32_t committed_uidvalidity, committed_uid; /* for mark_seen / move_to */
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
	const struct config *config;
	const struct poll_options *options;
	struct route_rules *rules;
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

	pthread_mutex_t send_lock;
	pthread_cond_t send_kick;
	int send_pending, send_stop;
};

/* --- The queue from watchers to the store thread --------------------------------------- */

static void push(struct poller *p, struct event *e)
{
	pthread_mutex_lock(&p->lock);
	while (p->bytes > 0 && p->bytes + e->item.len > QUEUE_BYTES && !stop_requested)
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

/* Stops every thread: the flag, and a wake-up for whoever waits on the store thread. */
static void request_stop(struct poller *p)
{
	stop_requested = 1;
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
	for (double slept = 0; slept < seconds && !stop_requested; slept += 0.2)
		nanosleep(&step, NULL);
}

/* Exponential backoff with +-20% jitter, so that many troops do not reconnect in step. */
static double backoff_next(double current, int64_t max)
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

struct fetch_ctx {
	struct watcher *w;
	uint32_t uidvalidity;
	int resync;
	struct strlist uids;         /* fetched this round, for mark_seen / move_to */
};

static int on_message(const struct imap_message *m, void *p)
{
	struct fetch_ctx *ctx = p;
	struct watcher *w = ctx->w;
	if (stop_requested)
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
	/* Hash, parse and route here, on the watcher's thread, ahead of the store. */
	ingest_item_prepare(&e->item, &w->poller->config->limits, w->poller->rules, w->mailbox,
	                    w->folder);
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
	       !stop_requested)
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
	if (rc == IMAP_OK && !stop_requested) {
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

/* Waits for news: IDLE (renewed before 29 minutes) or a poll interval.  1: look again. */
static int wait_for_mail(struct watcher *w, struct imap_session *s, char **error_r)
{
	if (!imap_has_idle(s)) {
		nap((double)w->poller->config->poll_interval);
		return stop_requested ? 0 : imap_noop(s, error_r) == IMAP_OK ? 1 : -1;
	}
	if (imap_idle_start(s, error_r) != IMAP_OK)
		return -1;
	time_t start = time(NULL);
	int rc = 0;
	while (!stop_requested && time(NULL) - start < IDLE_RENEW) {
		rc = imap_idle_wait(s, 1000, error_r);
		if (rc != 0)
			break;
	}
	if (rc < 0)
		return -1;
	if (imap_idle_done(s, error_r) != IMAP_OK)
		return -1;
	return 1;
}

static void *watcher_main(void *arg)
{
	struct watcher *w = arg;
	const struct poller *p = w->poller;
	double backoff = 1;
	while (!stop_requested) {
		struct imap_account account;
		char *host = NULL, *secret = NULL, *error = NULL;
		struct imap_session *s = NULL;
		int rc = mailbox_imap_account(w->mailbox, &account, &host, &secret, &error);
		if (rc == 0)
			rc = imap_connect(&account, &s, &error) == IMAP_OK ? 0 : -1;
		free_secret(&secret);
		free(host);
		if (rc == 0) {
			rc = sync_folder(w, s, 1, &error);
			if (rc == 0) {
				watcher_ok(w);
				backoff = 1;
				pthread_mutex_lock(&w->poller->lock);
				w->synced = 1;
				pthread_mutex_unlock(&w->poller->lock);
			}
			while (rc == 0 && !p->options->once && !stop_requested) {
				rc = wait_for_mail(w, s, &error);
				if (rc > 0)
					rc = sync_folder(w, s, 0, &error);
			}
		}
		imap_close(&s);
		if (rc < 0) {
			watcher_fail(w, error ? error : "failed");
			free(error);
			if (p->options->once)
				break;
			nap(backoff);
			backoff = backoff_next(backoff, p->config->backoff_max);
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
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->n_watchers; i++) {
		struct watcher *w = &p->watchers[i];
		if (w->state_dirty) {
			w->committed_uidvalidity = w->state_uidvalidity;
			w->committed_uid = w->state_uid;
			w->state_dirty = 0;
		}
	}
	pthread_cond_broadcast(&p->committed);
	pthread_mutex_unlock(&p->lock);
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

/* Stores what the watchers fetch until they have all exited.  On a store error the run
 * stops: what was committed stays, the rest is fetched again next time. */
static void fail_store(struct poller *p, int *failed)
{
	if (p->in_transaction)
		store_rollback(p->store);
	p->in_transaction = 0;
	*failed = 1;
	request_stop(p);
}

static int store_loop(struct poller *p, char **error_r)
{
	int failed = 0;
	for (;;) {
		struct event *e = pop(p, 1000);
		if (e == NULL) {
			if (!failed && flush_all(p, error_r) < 0)
				fail_store(p, &failed);
			pthread_mutex_lock(&p->lock);
			int done = p->running == 0 && p->head == NULL;
			pthread_mutex_unlock(&p->lock);
			if (done)
				break;
			continue;
		}
		if (!failed && handle(p, e, error_r) < 0)
			fail_store(p, &failed);
		else if (failed && e->kind == EV_EXIT)
			handle(p, e, error_r);
		event_free(e);
		/* Commit as soon as the queue runs dry: the reply goes out at once. */
		if (!failed && queue_empty(p) && flush_all(p, error_r) < 0)
			fail_store(p, &failed);
	}
	return failed ? -1 : 0;
}

/* --- The sender thread ----------------------------------------------------------------- */

static void *sender_main(void *arg)
{
	struct poller *p = arg;
	struct store *store = NULL;
	char *error = NULL;
	if (store_open(p->config->database, STORE_OPEN_EXISTING, &store, &error) < 0) {
		log_error("outbox: %s", error);
		free(error);
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&p->send_lock);
		int64_t due = 0;
		store_outbox_next_due(store, &due);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		int64_t wait = due == 0 ? 60 : due - (int64_t)until.tv_sec;
		if (wait > 60)
			wait = 60;
		until.tv_sec += wait > 0 ? wait : 0;
		while (!p->send_pending && !p->send_stop && wait > 0)
			if (pthread_cond_timedwait(&p->send_kick, &p->send_lock, &until) == ETIMEDOUT)
				break;
		int stop = p->send_stop;
		p->send_pending = 0;
		pthread_mutex_unlock(&p->send_lock);
		if (stop)
			break;
		struct outbox_counts counts = {0};
		if (outbox_send_due(store, p->config, (int64_t)time(NULL), &counts, &error) < 0) {
			log_error("%s", error);
			xfree(&error);
		}
	}
	store_close(&store);
	return NULL;
}

/* --- Start-up checks ------------------------------------------------------------------- */

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

/* Every template renders, in every language, before anything is fetched. */
static int check_templates(const struct config *config, char **error_r)
{
	struct strlist problems = {0};
	if (template_check(config->templates, &problems) > 0)
		*error_r = strlist_join(&problems, "\n");
	int rc = problems.count > 0 ? -1 : 0;
	strlist_free(&problems);
	return rc;
}

/* A watcher for one folder (a string of the configuration, which outlives the run). */
static int add_watcher(struct poller *p, const struct mailbox_config *m, const char *folder,
                       char **error_r)
{
	p->watchers = xrealloc(p->watchers, (p->n_watchers + 1) * sizeof(*p->watchers));
	struct watcher *w = &p->watchers[p->n_watchers++];
	memset(w, 0, sizeof(*w));
	w->poller = p;
	w->mailbox = m;
	w->folder = folder;
	uint32_t uidvalidity = 0, last_uid = 0;
	if (ingest_open(p->store, p->config, m, folder, &w->ing, error_r) < 0 ||
	    ingest_enable_autoreply(w->ing, error_r) < 0)
		return -1;
	ingest_use_caller_transaction(w->ing);
	w->mailbox_id = ingest_mailbox_id(w->ing);
	if (store_folder_get(p->store, w->mailbox_id, folder, &uidvalidity, &last_uid) < 0) {
		*error_r = xasprintf("%s/%s: %s", m->name, folder, store_error(p->store));
		return -1;
	}
	w->uidvalidity = uidvalidity;
	w->next_uid = (uint64_t)last_uid + 1;
	w->committed_uidvalidity = uidvalidity;
	w->committed_uid = last_uid;
	return 0;
}

static int setup_watchers(struct poller *p, char **error_r)
{
	const struct config *c = p->config;
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
			if (add_watcher(p, m, m->folders.items[j], error_r) < 0)
				return -1;
		/* The liaisons' replies from their own mail clients belong in the threads too. */
		if (m->sent_folder && !strlist_contains(&m->folders, m->sent_folder) &&
		    add_watcher(p, m, m->sent_folder, error_r) < 0)
			return -1;
	}
	if (p->n_watchers == 0) {
		*error_r = xstrdup("no mailbox has an imap URL to poll");
		return -1;
	}
	return 0;
}

/* --- The run --------------------------------------------------------------------------- */

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
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
	store_close(&p->store);
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
		.config = config,
		.options = options,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.has_events = PTHREAD_COND_INITIALIZER,
		.has_space = PTHREAD_COND_INITIALIZER,
		.committed = PTHREAD_COND_INITIALIZER,
		.send_lock = PTHREAD_MUTEX_INITIALIZER,
		.send_kick = PTHREAD_COND_INITIALIZER,
	};
	int lock_fd = -1;
	stop_requested = 0;
	if (route_rules_load(config->routes, &p.rules, error_r) < 0 ||
	    check_templates(config, error_r) < 0)
		return 2;
	if (take_lock(config->database, &lock_fd, error_r) < 0)
		return 1;
	int rc = 1;
	if (store_open(config->database, STORE_OPEN_EXISTING, &p.store, error_r) < 0)
		goto out;
	struct outbox_counts counts = {0};
	/* Rows a crash left between "claimed" and "marked" are settled before anything else. */
	if (outbox_resolve_claimed(p.store, &counts, error_r) < 0)
		goto out;
	if (setup_watchers(&p, error_r) < 0) {
		rc = 2;
		goto out;
	}
	install_signals();

	/* Watchers and the sender get no signals: the calling thread handles them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_t sender;
	int sender_started = !options->once && pthread_create(&sender, NULL, sender_main, &p) == 0;
	if (!options->once && !sender_started)
		log_error("outbox: cannot start the sender thread: replies wait for the next run");
	for (size_t i = 0; i < p.n_watchers; i++) {
		p.watchers[i].started =
		    pthread_create(&p.watchers[i].thread, NULL, watcher_main, &p.watchers[i]) == 0;
		if (p.watchers[i].started)
			p.running++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	int store_failed = store_loop(&p, error_r) < 0;
	for (size_t i = 0; i < p.n_watchers; i++)
		if (p.watchers[i].started)
			pthread_join(p.watchers[i].thread, NULL);
	if (sender_started) {
		pthread_mutex_lock(&p.send_lock);
		p.send_stop = 1;
		pthread_cond_signal(&p.send_kick);
		pthread_mutex_unlock(&p.send_lock);
		pthread_join(sender, NULL);
	}
	if (store_failed)
		goto out;
	if (options->once && outbox_send_due(p.store, config, (int64_t)time(NULL), &counts,
	                                     error_r) < 0)
		goto out;
	rc = options->once ? summarise(&p, error_r) : 0;
out:
	teardown(&p);
	if (lock_fd >= 0)
		close(lock_fd);
	return rc;
}
