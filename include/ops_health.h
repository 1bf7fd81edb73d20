/* ops_health.h — is liaison well: the poller (from its status file, poll_status.h), each
 * watched folder, the outbox, overdue threads, the database's size and its disk's free space,
 * each judged ok, warning or critical by the thresholds of ops_health.c (docs/monitoring.md
 * lists them).  What `liaison status` prints and /metrics exports. */
#ifndef LIAISON_OPS_HEALTH_H
#define LIAISON_OPS_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "poll_status.h"
#include "store.h"

/* The Nagios/Icinga plugin levels, which are also `liaison status`'s exit codes. */
enum health_level { HEALTH_OK = 0, HEALTH_WARNING = 1, HEALTH_CRITICAL = 2, HEALTH_UNKNOWN = 3 };

/* One folder: configured (a [mailbox] with imap, its folders and sent_folder) and/or
 * reported by the poller. */
struct health_folder {
	char *mailbox, *folder;   /* owned */
	int configured;           /* named by the configuration */
	int reported;             /* in the poller's status file: the fields below are known */
	enum folder_state state;
	char *reason;             /* owned; the poller's words while backing off, or NULL */
	int64_t last_sync, state_since, retry_at;
	uint64_t waiting, reconnects;
	enum health_level level;
	char *problem;            /* owned; what is wrong, or NULL */
};

struct health_report {
	int64_t now;
	enum health_level level;  /* the worst of every check */
	struct strlist problems;  /* one line per warning or critical finding, worst first */

	/* the poller */
	int poller_expected;      /* some mailbox has imap: a poller should run */
	int poller_file;          /* 1 status file read, 0 none, -1 unreadable */
	int poller_alive;         /* its pid is alive (a process of another user counts) */
	int poller_running;       /* alive and the file fresher than 2 x period */
	int64_t poller_pid, poller_started, poller_written;
	int store_failing;
	char *store_reason;       /* owned, or NULL */
	struct health_folder *folders;
	size_t n_folders;

	/* the database */
	int db_read;              /* 1: the counts below were read */
	char *db_error;           /* owned; why they were not (busy: "locked ..."), or NULL */
	int db_busy;              /* the database was locked beyond the wait */
	struct outbox_tally outbox;
	int64_t overdue;          /* threads overdue, as the program view counts them */
	int64_t db_bytes;         /* the database with its -wal file */
	uint64_t disk_free, disk_size; /* bytes available to liaison on its file system */
	double disk_free_percent; /* -1 when unknown */
};

/* Looks at everything at instant now.  store: an open store to read with (its lock wait
 * should be short: store_set_busy_wait), or NULL to open one for the call.  Always fills *r
 * (clear with ops_health_clear); what could not be read is a finding of the report. */
void ops_health_check(const struct config *config, struct store *store, int64_t now,
                      struct health_report *r);
void ops_health_clear(struct health_report *r);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *health_level_name(enum health_level level);

/* How long status waits for a locked database before answering from what it can read. */
#define HEALTH_DB_WAIT_MS 2000

#endif
