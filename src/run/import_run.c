/* import_run.c — a reader thread (read, hash, parse) feeding the store on the caller's
 * thread through a queue bounded in items and bytes, so memory stays flat whatever the
 * size of the sources. */
#include "import_run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "log.h"

/* Bounds of the queue: enough to keep both threads busy, small enough for the RSS target
 * (a single message larger than QUEUE_BYTES still passes, alone). */
#define QUEUE_ITEMS 256
#define QUEUE_BYTES (24u << 20)
/* The largest message a source hands out; larger than the quarantine limit so that an
 * oversized message is still kept (raw, quarantined) rather than left behind. */
#define IMPORT_MAX_MESSAGE ((size_t)512 << 20)

struct queued {
	struct ingest_item item; /* raw == NULL and error != NULL: a read error */
	char *error;
	struct queued *next;
};

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	struct queued *head, *tail;
	size_t items, bytes;
	int consumer_waiting, producer_waiting; /* wake a thread only when it sleeps */
	struct queued *finished; /* entries the store is done with, for the reader to free:
	                            freeing on the thread that allocated keeps glibc's malloc
	                            from contending for one arena across threads */
	int done;      /* the reader has finished */
	int stop;      /* the consumer gave up: the reader should stop */
};

static int queue_full(const struct queue *q, size_t len)
{
	return q->items > 0 && (q->items >= QUEUE_ITEMS || q->bytes + len > QUEUE_BYTES);
}

struct reader_args {
	struct queue *queue;
	const struct mime_limits *limits;
	const struct route_rules *rules;
	const struct mailbox_config *mailbox;
	const char *folder;
	char *const *paths;
	size_t n_paths;
};

static void entry_free(struct queued *e)
{
	ingest_item_clear(&e->item);
	free(e->error);
	free(e);
}

static void free_list(struct queued *e)
{
	while (e != NULL) {
		struct queued *next = e->next;
		entry_free(e);
		e = next;
	}
}

/* Hands an entry the store is done with back to the reader thread. */
static void queue_finish(struct queue *q, struct queued *e)
{
	pthread_mutex_lock(&q->lock);
	e->next = q->finished;
	q->finished = e;
	pthread_mutex_unlock(&q->lock);
}

static void queue_push(struct queue *q, struct queued *e)
{
	pthread_mutex_lock(&q->lock);
	while (!q->stop && queue_full(q, e->item.len)) {
		q->producer_waiting = 1;
		pthread_cond_wait(&q->not_full, &q->lock);
		q->producer_waiting = 0;
	}
	if (q->stop) {
		pthread_mutex_unlock(&q->lock);
		ingest_item_clear(&e->item);
		free(e->error);
		free(e);
		return;
	}
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	q->items++;
	q->bytes += e->item.len;
	if (q->consumer_waiting)
		pthread_cond_signal(&q->not_empty);
	struct queued *finished = q->finished;
	q->finished = NULL;
	pthread_mutex_unlock(&q->lock);
	free_list(finished);
}

/* Returns the next entry, or NULL when the reader is done and the queue empty. */
static struct queued *queue_pop(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	while (q->head == NULL && !q->done) {
		q->consumer_waiting = 1;
		pthread_cond_wait(&q->not_empty, &q->lock);
		q->consumer_waiting = 0;
	}
	struct queued *e = q->head;
	if (e != NULL) {
		q->head = e->next;
		if (q->head == NULL)
			q->tail = NULL;
		q->items--;
		q->bytes -= e->item.len;
		if (q->producer_waiting)
			pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->lock);
	return e;
}

static int queue_stopped(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	int stop = q->stop;
	pthread_mutex_unlock(&q->lock);
	return stop;
}

static void push_error(struct queue *q, char *error)
{
	struct queued *e = xcalloc(1, sizeof(*e));
	e->error = error;
	queue_push(q, e);
}

static void *reader_main(void *arg)
{
	struct reader_args *a = arg;
	for (size_t i = 0; i < a->n_paths && !queue_stopped(a->queue); i++) {
		struct import_source *src = NULL;
		char *error = NULL;
		if (import_source_open(a->paths[i], IMPORT_MAX_MESSAGE, &src, &error) < 0) {
			push_error(a->queue, error);
			continue;
		}
		for (;;) {
			struct import_item in;
			int rc = import_source_next(src, &in, &error);
			if (rc == 0 || queue_stopped(a->queue))
				break;
			if (rc < 0) {
				push_error(a->queue, error);
				continue;
			}
			struct queued *e = xcalloc(1, sizeof(*e));
			e->item.raw = xmalloc(in.len + 1);
			memcpy(e->item.raw, in.raw, in.len);
			e->item.len = in.len;
			e->item.source = xstrdup(in.source);
			e->item.internal_date = in.internal_date;
			ingest_item_prepare(&e->item, a->limits, a->rules, a->mailbox, a->folder);
			queue_push(a->queue, e);
		}
		import_source_close(&src);
	}
	pthread_mutex_lock(&a->queue->lock);
	a->queue->done = 1;
	pthread_cond_signal(&a->queue->not_empty);
	pthread_mutex_unlock(&a->queue->lock);
	return NULL;
}

int import_run(struct store *store, const struct config *config,
               const struct route_rules *rules, const struct mailbox_config *mailbox,
               const char *folder, char *const *paths, size_t n_paths, struct import_result *result, char **error_r)
{
	struct ingest *ing = NULL;
	memset(result, 0, sizeof(*result));
	if (ingest_open(store, config, mailbox, folder, &ing, error_r) < 0)
		return -1;

	struct queue q = {.lock = PTHREAD_MUTEX_INITIALIZER, .not_empty = PTHREAD_COND_INITIALIZER,
	                  .not_full = PTHREAD_COND_INITIALIZER};
	struct reader_args args = {&q, &config->limits, rules, mailbox, folder, paths, n_paths};
	pthread_t reader;
	if (pthread_create(&reader, NULL, reader_main, &args) != 0) {
		*error_r = xstrdup("cannot start the reader thread");
		ingest_close(&ing);
		return -1;
	}

	int rc = 0;
	struct queued *e;
	while ((e = queue_pop(&q)) != NULL) {
		if (rc < 0) { /* draining after a store error */
			queue_finish(&q, e);
			continue;
		}
		if (e->error != NULL) {
			log_warn("mailbox %s/%s: %s", mailbox->name, folder, e->error);
			strlist_add(&result->errors, e->error);
			ingest_count_error(ing);
			queue_finish(&q, e);
			continue;
		}
		int seen = ingest_has_source(ing, e->item.source);
		enum ingest_outcome outcome;
		if (seen > 0) {
			ingest_count_already(ing);
		} else if (seen < 0 || ingest_item_commit(ing, &e->item, &outcome, error_r) < 0) {
			if (seen < 0)
				*error_r = xasprintf("%s: %s", e->item.source, store_error(store));
			rc = -1;
			pthread_mutex_lock(&q.lock);
			q.stop = 1;
			pthread_cond_signal(&q.not_full);
			pthread_mutex_unlock(&q.lock);
		}
		queue_finish(&q, e);
	}
	pthread_join(reader, NULL);
	free_list(q.finished);
	if (rc == 0 && ingest_flush(ing, error_r) < 0)
		rc = -1;
	result->counts = *ingest_counts(ing);
	ingest_close(&ing);
	return rc;
}
