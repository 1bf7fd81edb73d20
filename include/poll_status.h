/* poll_status.h — what `liaison poll` is doing now, published beside the database for those
 * who watch it (`liaison status`, the web console's /metrics).
 *
 * The poller writes DATABASE.poll-status (JSON, 0600, written to a temporary file and renamed,
 * so a reader never sees half a file) when a folder's state changes and at least every
 * POLL_STATUS_PERIOD seconds while it runs (state changes coalesced: at most one write a
 * second), from the poller's store thread only.  It is a file and not a table so that it can
 * be written and read while the database is locked or its disk is full: the JSON is padded
 * with spaces to whole 4 KiB pages and one more, and when the disk is too full for the
 * temporary file the new state is written over the old file in place (then a reader may,
 * for an instant, read a torn file: read again).  On a clean exit every folder is marked
 * "stopped" and the file stays, so that the last sync times remain known; a file whose pid
 * is gone, or older than 2 x POLL_STATUS_PERIOD, is a poller that is not running. */
#ifndef LIAISON_POLL_STATUS_H
#define LIAISON_POLL_STATUS_H

#include <stddef.h>
#include <stdint.h>

/* A live poller rewrites the file at least this often: a file older than twice this is a
 * poller that is gone or stuck. */
#define POLL_STATUS_PERIOD 30

enum folder_state {
	FOLDER_CONNECTING,   /* connecting, logging in, selecting */
	FOLDER_SYNCING,      /* fetching and storing new mail */
	FOLDER_IDLE,         /* waiting in IMAP IDLE */
	FOLDER_POLLING,      /* waiting for the next poll (a server without IDLE) */
	FOLDER_BACKOFF,      /* failed; waiting before reconnecting (reason says why) */
	FOLDER_STOPPED,      /* the watcher has ended (poll --once, or stopping) */
};

struct folder_status {
	char *mailbox;           /* the [mailbox NAME] */
	char *folder;
	enum folder_state state;
	char *reason;            /* the last error while FOLDER_BACKOFF (never a secret), or NULL */
	int64_t last_sync;       /* when the store committed the end of the last successful sync
	                          * (Unix time), 0 never; in IDLE a folder syncs on news and at
	                          * least every 28 minutes (the IDLE renewal) */
	int64_t state_since;     /* when it entered the state */
	int64_t retry_at;        /* FOLDER_BACKOFF: when it reconnects */
	uint64_t reconnects;     /* connections made after the first, since the poller started
	                          * (a store failure restarts the watchers: they reconnect) */
	uint64_t waiting;        /* messages the server holds beyond the last stored UID, fetched
	                          * or not: the UIDs from the last committed one up to UIDNEXT - 1
	                          * at the last SELECT, or up to the highest UID fetched since
	                          * (IDLE's news is followed at once by a fetch).  UIDs only grow,
	                          * so it is exact unless some in that range were expunged: then
	                          * it over-counts, never under-counts */
};

struct poll_status {
	int64_t pid;
	int64_t started;         /* when this poller started */
	int64_t written;         /* when the file was written */
	int store_failing;       /* the store refuses writes (disk full, locked): waiting */
	char *store_reason;      /* why, while store_failing: "disk full: ...", "database locked
	                          * by another process: ...", "I/O error: ..." (store_fault) or
	                          * the store's own words */
	struct folder_status *folders;
	size_t n_folders;
};

/* The file's path for a database (caller frees). */
char *poll_status_path(const char *database);

/* Writes the status atomically (0600).  0, or -1 with *error_r. */
int poll_status_write(const char *database, const struct poll_status *status, char **error_r);

/* Reads it: 1 read, 0 no file (no poller has run), -1 unreadable with *error_r.  Clear with
 * poll_status_clear. */
int poll_status_read(const char *database, struct poll_status *status_r, char **error_r);

void poll_status_clear(struct poll_status *status);

/* "connecting", "syncing", "idle", "polling", "backoff", "stopped". */
const char *folder_state_name(enum folder_state state);

#endif
