/* web_metrics.c — Prometheus /metrics (see web_metrics.h).  Names follow Prometheus's
 * conventions: liaison_ prefix, _total for counters, _seconds and _bytes for units; every
 * family has its HELP and TYPE lines; label values are escaped. */
#include "web_metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ops_health.h"
#include "store.h"
#include "util.h"
#include "web_server.h"

/* Far beyond a few thousand folders; a text past it is cut, never the process. */
#define METRICS_MAX (8u << 20)
/* How long a scrape waits for a locked database before answering without its figures. */
#define METRICS_DB_WAIT_MS 1000

struct web_metrics {
	pthread_mutex_t lock;
	struct store *store;   /* opened on the first scrape */
	struct buf cached;
	int64_t cached_at;
};

struct web_metrics *web_metrics_new(void)
{
	struct web_metrics *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	buf_init(&m->cached, METRICS_MAX);
	return m;
}

void web_metrics_free(struct web_metrics **mp)
{
	struct web_metrics *m = *mp;
	if (m == NULL)
		return;
	store_close(&m->store);
	buf_free(&m->cached);
	pthread_mutex_destroy(&m->lock);
	free(m);
	*mp = NULL;
}

/* A label value as the text format wants it: \, " and newline escaped. */
static void label(struct buf *out, const char *value)
{
	for (const char *p = value; *p; p++) {
		if (*p == '\\' || *p == '"')
			buf_addf(out, "\\%c", *p);
		else if (*p == '\n')
			buf_addstr(out, "\\n");
		else
			buf_add(out, p, 1);
	}
}

static void family(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void folder_sample(struct buf *out, const char *name, const struct health_folder *f,
                          const char *extra_label, const char *extra_value)
{
	buf_addf(out, "%s{mailbox=\"", name);
	label(out, f->mailbox);
	buf_addstr(out, "\",folder=\"");
	label(out, f->folder);
	if (extra_label != NULL)
		buf_addf(out, "\",%s=\"%s", extra_label, extra_value);
	buf_addstr(out, "\"} ");
}

/* A figure of every folder the poller reports: its waiting messages or its reconnects. */
static void folder_figure(struct buf *out, const struct health_report *r, const char *name,
                          const char *type, const char *help, int reconnects)
{
	family(out, name, type, help);
	for (size_t i = 0; i < r->n_folders; i++) {
		const struct health_folder *f = &r->folders[i];
		if (!f->reported)
			continue;
		folder_sample(out, name, f, NULL, NULL);
		buf_addf(out, "%llu\n", (unsigned long long)(reconnects ? f->reconnects : f->waiting));
	}
}

static void write_poller(struct buf *out, const struct health_report *r)
{
	family(out, "liaison_poller_up", "gauge",
	       "1 when liaison poll runs (its pid is alive and its status file is fresh).");
	buf_addf(out, "liaison_poller_up %d\n", r->poller_running);
	family(out, "liaison_poller_store_failing", "gauge",
	       "1 while the poller's store refuses writes (disk full, locked).");
	buf_addf(out, "liaison_poller_store_failing %d\n", r->store_failing);
	family(out, "liaison_folder_state", "gauge",
	       "1 for the state each watched folder is in (connecting, syncing, idle, polling, "
	       "backoff, stopped).");
	for (size_t i = 0; i < r->n_folders; i++) {
		const struct health_folder *f = &r->folders[i];
		if (!f->reported)
			continue;
		for (int s = FOLDER_CONNECTING; s <= FOLDER_STOPPED; s++) {
			folder_sample(out, "liaison_folder_state", f, "state", folder_state_name(s));
			buf_addf(out, "%d\n", f->state == (enum folder_state)s);
		}
	}
	family(out, "liaison_folder_last_sync_age_seconds", "gauge",
	       "Seconds since each folder's last successful sync (folders never synced are "
	       "absent).");
	for (size_t i = 0; i < r->n_folders; i++)
		if (r->folders[i].reported && r->folders[i].last_sync > 0) {
			folder_sample(out, "liaison_folder_last_sync_age_seconds", &r->folders[i], NULL,
			              NULL);
			buf_addf(out, "%lld\n", (long long)(r->now - r->folders[i].last_sync));
		}
	folder_figure(out, r, "liaison_folder_messages_waiting", "gauge",
	              "Messages the server holds beyond the last stored one, as the poller last "
	              "heard.", 0);
	folder_figure(out, r, "liaison_imap_reconnects_total", "counter",
	              "IMAP connections made after the first, since the poller started.", 1);
}

struct stats_out {
	struct buf *out;
};

static int stats_row(const struct stats_row *row, void *p)
{
	struct stats_out *s = p;
	if (row->mailbox == NULL)
		return 0;
	buf_addstr(s->out, "liaison_messages_stored{mailbox=\"");
	label(s->out, row->mailbox);
	buf_addf(s->out, "\"} %lld\n", (long long)row->messages);
	return 0;
}

static void write_database(struct buf *out, struct store *store, const struct health_report *r)
{
	family(out, "liaison_database_readable", "gauge",
	       "1 when the figures below were read; 0 when the database was locked or failing.");
	buf_addf(out, "liaison_database_readable %d\n", r->db_read);
	if (r->db_read) {
		family(out, "liaison_messages_stored", "gauge",
		       "Distinct messages stored per mailbox (liaison stats' messages).");
		struct stats_out s = {out};
		if (store_stats(store, stats_row, &s) < 0)
			log_warn("web: metrics: %s", store_error(store));
		family(out, "liaison_autoreplies_sent_total", "counter",
		       "Auto-replies sent (outbox rows of kind autoreply or autoreply-urgent, sent).");
		buf_addf(out, "liaison_autoreplies_sent_total %lld\n",
		         (long long)r->outbox.autoreplies_sent);
		family(out, "liaison_outbox_rows", "gauge", "Outbox rows by status.");
		const struct { const char *name; int64_t n; } rows[] = {
			{"queued", r->outbox.queued}, {"sending", r->outbox.sending},
			{"sent", r->outbox.sent}, {"failed", r->outbox.failed},
			{"uncertain", r->outbox.uncertain},
		};
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			buf_addf(out, "liaison_outbox_rows{status=\"%s\"} %lld\n", rows[i].name,
			         (long long)rows[i].n);
		family(out, "liaison_outbox_oldest_queued_age_seconds", "gauge",
		       "Age of the oldest queued outbox row (0 when none is queued).");
		buf_addf(out, "liaison_outbox_oldest_queued_age_seconds %lld\n",
		         (long long)(r->outbox.oldest_queued_at ? r->now - r->outbox.oldest_queued_at
		                                               : 0));
		family(out, "liaison_threads_overdue", "gauge",
		       "Threads whose first answer is late (the program view's overdue, all troops).");
		buf_addf(out, "liaison_threads_overdue %lld\n", (long long)r->overdue);
	}
	family(out, "liaison_database_size_bytes", "gauge",
	       "The database file with its -wal file.");
	buf_addf(out, "liaison_database_size_bytes %lld\n", (long long)r->db_bytes);
	if (r->disk_free_percent >= 0) {
		family(out, "liaison_disk_free_bytes", "gauge",
		       "Bytes free for liaison on the database's file system.");
		buf_addf(out, "liaison_disk_free_bytes %llu\n", (unsigned long long)r->disk_free);
		family(out, "liaison_disk_size_bytes", "gauge",
		       "Size of the database's file system.");
		buf_addf(out, "liaison_disk_size_bytes %llu\n", (unsigned long long)r->disk_size);
	}
	family(out, "liaison_health_level", "gauge",
	       "liaison status's verdict: 0 ok, 1 warning, 2 critical.");
	buf_addf(out, "liaison_health_level %d\n", (int)r->level);
}

static void refresh(struct web_metrics *m, const struct config *config, int64_t now)
{
	if (m->store == NULL) {
		char *error = NULL;
		if (store_open(config->database, STORE_OPEN_EXISTING, &m->store, &error) < 0) {
			log_warn("web: metrics: %s", error);
			free(error);
		} else {
			store_set_busy_wait(m->store, METRICS_DB_WAIT_MS);
		}
	}
	struct health_report r;
	ops_health_check(config, m->store, now, &r);
	buf_reset(&m->cached);
	write_poller(&m->cached, &r);
	write_database(&m->cached, m->store, &r);
	web_server_metrics(&m->cached);
	m->cached_at = now;
	ops_health_clear(&r);
}

void web_metrics_answer(struct web_metrics *m, const struct config *config, int64_t now,
                        struct web_response *res)
{
	pthread_mutex_lock(&m->lock);
	if (m->cached.len == 0 || now - m->cached_at >= METRICS_CACHE || now < m->cached_at)
		refresh(m, config, now);
	res->status = 200;
	res->content_type = "text/plain; version=0.0.4; charset=utf-8";
	buf_reset(&res->body);
	buf_add(&res->body, m->cached.data, m->cached.len);
	pthread_mutex_unlock(&m->lock);
}
