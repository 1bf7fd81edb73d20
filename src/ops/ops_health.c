/* ops_health.c — the health checks and their thresholds (see ops_health.h and
 * docs/monitoring.md, which explains each threshold).
 *
 * Critical means mail is not being read or stored now, or soon will not be: no poller, a
 * store refusing writes, a folder that has never synced or has been failing for long, a disk
 * nearly full.  Warning means a person should look, but mail still flows: an auto-reply whose
 * fate is unknown or that failed lately, a queue not draining, a folder failing for a short
 * while, overdue threads, a disk filling up, a database locked past the wait. */
#include "ops_health.h"

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ops_program.h"
#include "util.h"

/* A folder backing off longer than this is down, not a passing hiccup (the poller's backoff
 * tops out at backoff_max, 5 minutes by default: three of its longest waits). */
#define BACKOFF_CRITICAL (15 * 60)
/* Connecting (login, select) for longer than this is stuck. */
#define CONNECTING_WARNING (5 * 60)
/* A queued auto-reply older than this means SMTP is not taking mail (a retry is due within
 * minutes of a failure). */
#define QUEUED_WARNING (60 * 60)
/* Failed sends within this window warn (older ones have been seen, and cancelled rows are
 * "failed" too): a day, so a nightly check still sees last night's failure. */
#define FAILED_RECENT (24 * 60 * 60)
/* Free disk below these percentages of the file system: SQLite needs room for its -wal file
 * and a checkpoint, and a full disk stops storing mail. */
#define DISK_WARNING_PERCENT 10.0
#define DISK_CRITICAL_PERCENT 5.0

static const char *const level_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

const char *health_level_name(enum health_level level)
{
	return (unsigned)level < 4 ? level_names[level] : "UNKNOWN";
}

/* Findings are kept in two lists, so that the summary names the critical ones first. */
struct findings {
	struct strlist critical, warning;
};

static void finding(struct health_report *r, struct findings *f, enum health_level level,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void finding(struct health_report *r, struct findings *f, enum health_level level,
                    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	strlist_add(level == HEALTH_CRITICAL ? &f->critical : &f->warning, text);
	free(text);
	if (level > r->level)
		r->level = level;
}

static struct health_folder *add_folder(struct health_report *r, size_t *cap,
                                        const char *mailbox, const char *folder)
{
	for (size_t i = 0; i < r->n_folders; i++)
		if (strcmp(r->folders[i].mailbox, mailbox) == 0 &&
		    strcmp(r->folders[i].folder, folder) == 0)
			return &r->folders[i];
	if (r->n_folders == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		r->folders = xrealloc(r->folders, *cap * sizeof(*r->folders));
	}
	struct health_folder *f = &r->folders[r->n_folders++];
	memset(f, 0, sizeof(*f));
	f->mailbox = xstrdup(mailbox);
	f->folder = xstrdup(folder);
	return f;
}

/* The folders the configuration says the poller watches: each IMAP mailbox's folders and its
 * sent folder. */
static void configured_folders(const struct config *config, struct health_report *r,
                               size_t *cap)
{
	for (size_t i = 0; i < config->n_mailboxes; i++) {
		const struct mailbox_config *m = &config->mailboxes[i];
		if (m->imap_url == NULL)
			continue;
		r->poller_expected = 1;
		for (size_t j = 0; j < m->folders.count; j++)
			add_folder(r, cap, m->name, m->folders.items[j])->configured = 1;
		if (m->folders.count == 0)
			add_folder(r, cap, m->name, "INBOX")->configured = 1;
		if (m->sent_folder != NULL)
			add_folder(r, cap, m->name, m->sent_folder)->configured = 1;
	}
}

static void read_poller(const struct config *config, struct health_report *r, size_t *cap,
                        struct findings *f)
{
	struct poll_status st;
	char *error = NULL;
	r->poller_file = poll_status_read(config->database, &st, &error);
	if (r->poller_file < 0) {
		finding(r, f, HEALTH_CRITICAL, "poller status unreadable: %s", error);
		free(error);
		return;
	}
	if (r->poller_file == 0)
		return;
	r->poller_pid = st.pid;
	r->poller_started = st.started;
	r->poller_written = st.written;
	/* kill 0: EPERM is a process of another user, alive all the same */
	r->poller_alive = st.pid > 0 && (kill((pid_t)st.pid, 0) == 0 || errno == EPERM);
	r->poller_running = r->poller_alive && r->now - st.written <= 2 * POLL_STATUS_PERIOD;
	r->store_failing = st.store_failing;
	r->store_reason = st.store_reason ? xstrdup(st.store_reason) : NULL;
	for (size_t i = 0; i < st.n_folders; i++) {
		const struct folder_status *s = &st.folders[i];
		struct health_folder *h = add_folder(r, cap, s->mailbox, s->folder);
		h->reported = 1;
		h->state = s->state;
		h->reason = s->reason ? xstrdup(s->reason) : NULL;
		h->last_sync = s->last_sync;
		h->state_since = s->state_since;
		h->retry_at = s->retry_at;
		h->waiting = s->waiting;
		h->reconnects = s->reconnects;
	}
	poll_status_clear(&st);
}

static void judge_folder(struct health_report *r, struct health_folder *h)
{
	int64_t for_secs = r->now - h->state_since;
	if (!h->reported) {
		h->level = HEALTH_WARNING;
		h->problem = xstrdup("not watched by the running poller (configured after it "
		                     "started?)");
	} else if (!h->configured) {
		h->level = HEALTH_OK; /* an old entry; the configuration no longer names it */
	} else if (h->state == FOLDER_BACKOFF) {
		int long_down = for_secs > BACKOFF_CRITICAL || h->last_sync == 0;
		h->level = long_down ? HEALTH_CRITICAL : HEALTH_WARNING;
		h->problem = xasprintf("backing off for %llds%s: %s", (long long)for_secs,
		                       h->last_sync == 0 ? ", never synced" : "",
		                       h->reason ? h->reason : "no reason given");
	} else if (h->state == FOLDER_CONNECTING && for_secs > CONNECTING_WARNING) {
		h->level = HEALTH_WARNING;
		h->problem = xasprintf("connecting for %llds", (long long)for_secs);
	} else if (h->state == FOLDER_STOPPED) {
		h->level = HEALTH_WARNING;
		h->problem = xstrdup("its watcher has stopped");
	}
}

static void judge_poller(struct health_report *r, struct findings *f)
{
	if (!r->poller_expected)
		return;
	if (r->poller_file == 0) {
		finding(r, f, HEALTH_CRITICAL, "poller not running (no status file: liaison poll "
		        "has not run)");
		return;
	}
	if (r->poller_file < 0)
		return; /* said when read */
	if (!r->poller_running) {
		finding(r, f, HEALTH_CRITICAL, "poller not running (pid %lld %s, status written "
		        "%llds ago)", (long long)r->poller_pid, r->poller_alive ? "stuck" : "gone",
		        (long long)(r->now - r->poller_written));
		return;
	}
	if (r->store_failing)
		finding(r, f, HEALTH_CRITICAL, "store failing: %s",
		        r->store_reason ? r->store_reason : "no reason given");
	for (size_t i = 0; i < r->n_folders; i++) {
		struct health_folder *h = &r->folders[i];
		judge_folder(r, h);
		if (h->problem != NULL)
			finding(r, f, h->level, "%s/%s %s", h->mailbox, h->folder, h->problem);
	}
}

/* Overdue threads, counted as the coordinator's program view counts them (ops_program.c),
 * by a reader of every troop that is nobody's account. */
static int count_overdue(const struct config *config, struct store *store, int64_t now,
                         int64_t *overdue_r, char **error_r)
{
	struct user_config watcher = {.name = "liaison-status", .role = ROLE_ADMIN};
	struct actor actor = {config, &watcher};
	struct ops_program_row *rows = NULL;
	size_t n = 0;
	int rc = ops_program_counts(store, &actor, now, &rows, &n, error_r);
	*overdue_r = 0;
	for (size_t i = 0; rc == OPS_OK && i < n; i++)
		*overdue_r += rows[i].overdue;
	free(rows);
	return rc;
}

static void read_database(const struct config *config, struct store *store,
                          struct health_report *r, struct findings *f)
{
	struct store *own = NULL;
	char *error = NULL;
	if (store == NULL) {
		if (store_open(config->database, STORE_OPEN_EXISTING, &own, &error) < 0) {
			/* a process holding the whole file (locking_mode=EXCLUSIVE) stops even the
			 * open's reads, after SQLite's wait: busy, not broken (SQLite's words) */
			r->db_busy = strstr(error, "database is locked") != NULL;
			r->db_error = error;
			finding(r, f, r->db_busy ? HEALTH_WARNING : HEALTH_CRITICAL, "database: %s", error);
			return;
		}
		store_set_busy_wait(own, HEALTH_DB_WAIT_MS);
		store = own;
	}
	store_busy_gave_up(store); /* what an earlier call left */
	if (store_outbox_tally(store, r->now - FAILED_RECENT, &r->outbox) < 0)
		error = xasprintf("outbox: %s", store_error(store));
	else if (count_overdue(config, store, r->now, &r->overdue, &error) == OPS_OK)
		r->db_read = 1;
	if (error != NULL) {
		r->db_busy = store_busy_gave_up(store);
		r->db_error = r->db_busy
		    ? xasprintf("locked by another process for over %d s (%s); counts not read",
		                HEALTH_DB_WAIT_MS / 1000, error)
		    : xstrdup(error);
		finding(r, f, r->db_busy ? HEALTH_WARNING : HEALTH_CRITICAL, "database: %s",
		        r->db_error);
		free(error);
	}
	store_close(&own);
	if (!r->db_read)
		return;
	if (r->outbox.uncertain > 0)
		finding(r, f, HEALTH_WARNING, "outbox: %lld uncertain (liaison outbox: decide retry "
		        "or cancel)", (long long)r->outbox.uncertain);
	if (r->outbox.failed_since > 0)
		finding(r, f, HEALTH_WARNING, "outbox: %lld failed in the last 24 h",
		        (long long)r->outbox.failed_since);
	if (r->outbox.oldest_queued_at > 0 && r->now - r->outbox.oldest_queued_at > QUEUED_WARNING)
		finding(r, f, HEALTH_WARNING, "outbox: oldest queued for %llds (SMTP not taking mail?)",
		        (long long)(r->now - r->outbox.oldest_queued_at));
	if (r->overdue > 0)
		finding(r, f, HEALTH_WARNING, "%lld threads overdue", (long long)r->overdue);
}

static int64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

static void read_disk(const struct config *config, struct health_report *r, struct findings *f)
{
	char *wal = xasprintf("%s-wal", config->database);
	r->db_bytes = file_size(config->database) + file_size(wal);
	free(wal);
	r->disk_free_percent = -1;
	struct statvfs vfs;
	if (statvfs(config->database, &vfs) < 0 || vfs.f_blocks == 0) {
		finding(r, f, HEALTH_WARNING, "disk: %s: %s", config->database, strerror(errno));
		return;
	}
	r->disk_free = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	r->disk_size = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	r->disk_free_percent = 100.0 * (double)vfs.f_bavail / (double)vfs.f_blocks;
	if (r->disk_free_percent < DISK_CRITICAL_PERCENT)
		finding(r, f, HEALTH_CRITICAL, "disk: %.1f%% free", r->disk_free_percent);
	else if (r->disk_free_percent < DISK_WARNING_PERCENT)
		finding(r, f, HEALTH_WARNING, "disk: %.1f%% free", r->disk_free_percent);
}

void ops_health_check(const struct config *config, struct store *store, int64_t now,
                      struct health_report *r)
{
	memset(r, 0, sizeof(*r));
	r->now = now;
	struct findings f = {0};
	size_t cap = 0;
	configured_folders(config, r, &cap);
	read_poller(config, r, &cap, &f);
	judge_poller(r, &f);
	read_database(config, store, r, &f);
	read_disk(config, r, &f);
	for (size_t i = 0; i < f.critical.count; i++)
		strlist_add(&r->problems, f.critical.items[i]);
	for (size_t i = 0; i < f.warning.count; i++)
		strlist_add(&r->problems, f.warning.items[i]);
	strlist_free(&f.critical);
	strlist_free(&f.warning);
}

void ops_health_clear(struct health_report *r)
{
	for (size_t i = 0; i < r->n_folders; i++) {
		free(r->folders[i].mailbox);
		free(r->folders[i].folder);
		free(r->folders[i].reason);
		free(r->folders[i].problem);
	}
	free(r->folders);
	free(r->store_reason);
	free(r->db_error);
	strlist_free(&r->problems);
	memset(r, 0, sizeof(*r));
}
