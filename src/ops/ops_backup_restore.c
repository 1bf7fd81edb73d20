/* ops_backup_restore.c — liaison restore: a backup proven again and put in place of the database
 * of a stopped installation, the database it replaces kept aside. */
#include "ops_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "ops_backup_private.h"
#include "util.h"

#define MANIFEST_MAX (1 << 20)
/* SQLite's WAL index: every connection holds a shared lock on this byte of DATABASE-shm for
 * as long as it has the database open (the "DMS" lock of SQLite's unix VFS). */
#define SHM_DMS_LOCK_OFFSET 128

static int json_count(json_t *obj, const char *key, int64_t *v)
{
	json_t *n = json_object_get(obj, key);
	if (!json_is_integer(n))
		return -1;
	*v = json_integer_value(n);
	return 0;
}

/* The manifest of a backup folder into *info.  OPS_OK, or OPS_FAILED saying what is wrong. */
static int read_manifest(const char *path, struct backup_info *info, char **error_r)
{
	char *text = NULL;
	size_t len = 0;
	char *why = NULL;
	if (file_read_all(path, MANIFEST_MAX, &text, &len, &why) < 0) {
		*error_r = xasprintf("not a liaison backup: %s", why);
		free(why);
		return OPS_FAILED;
	}
	json_error_t jerr;
	json_t *m = json_loadb(text, len, 0, &jerr);
	free(text);
	json_t *db = json_object_get(m, "database"), *c = json_object_get(m, "counts");
	json_t *head = json_object_get(m, "audit_head");
	const char *format = json_string_value(json_object_get(m, "format"));
	const char *sha = json_string_value(json_object_get(db, "sha256"));
	const char *head_hash = json_string_value(json_object_get(head, "sha256"));
	const char *created = json_string_value(json_object_get(m, "created_at"));
	struct store_counts *k = &info->counts;
	int64_t schema = 0, bytes = 0;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int ok = m != NULL && format != NULL && strcmp(format, MANIFEST_FORMAT) == 0 &&
	         sha != NULL && strlen(sha) == 64 && head_hash != NULL && strlen(head_hash) < 65 &&
	         created != NULL && strptime(created, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL &&
	         json_count(m, "schema_version", &schema) == 0 &&
	         json_count(db, "bytes", &bytes) == 0 &&
	         json_count(c, "messages", &k->messages) == 0 &&
	         json_count(c, "threads", &k->threads) == 0 &&
	         json_count(c, "custody", &k->custody) == 0 &&
	         json_count(c, "placements", &k->placements) == 0 &&
	         json_count(c, "outbox", &k->outbox) == 0 &&
	         json_count(c, "audit_entries", &k->audit_entries) == 0 &&
	         json_count(head, "id", &k->audit_head_id) == 0;
	if (ok) {
		memcpy(info->database_sha256, sha, SHA256_HEX_SIZE);
		snprintf(k->audit_head_hash, sizeof(k->audit_head_hash), "%s", head_hash);
		info->schema = (int)schema;
		info->database_bytes = bytes;
		info->created_at = (int64_t)timegm(&tm);
	} else {
		*error_r = m == NULL
		    ? xasprintf("%s is not JSON (line %d: %s)", path, jerr.line, jerr.text)
		    : xasprintf("%s is not a %s manifest (a field is missing or wrong)", path,
		                MANIFEST_FORMAT);
	}
	json_decref(m);
	return ok ? OPS_OK : OPS_FAILED;
}

/* What of the copy differs from its manifest, or NULL (caller frees). */
static char *counts_differ(const struct store_counts *manifest, const struct store_counts *copy)
{
	struct { const char *name; int64_t said, found; } c[] = {
		{"messages", manifest->messages, copy->messages},
		{"threads", manifest->threads, copy->threads},
		{"custody rows", manifest->custody, copy->custody},
		{"placements", manifest->placements, copy->placements},
		{"outbox rows", manifest->outbox, copy->outbox},
		{"audit entries", manifest->audit_entries, copy->audit_entries},
		{"the audit head's id", manifest->audit_head_id, copy->audit_head_id},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++)
		if (c[i].said != c[i].found)
			return xasprintf("the manifest says %lld %s, the database holds %lld",
			                 (long long)c[i].said, c[i].name, (long long)c[i].found);
	if (strcmp(manifest->audit_head_hash, copy->audit_head_hash) != 0)
		return xasprintf("the manifest's audit head hash is not the database's");
	return NULL;
}

/* Refused while anything has the database open.  poll_lock_fd_r: the poll lock, held by the
 * caller until the restore is done, so that no poller starts meanwhile. */
static int installation_stopped(const char *database, int *poll_lock_fd_r, char **error_r)
{
	char *lock = xasprintf("%s.poll-lock", database);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		*error_r = errno == EWOULDBLOCK
		    ? xasprintf("refused: liaison poll is running on %s (it holds %s): stop it "
		                "first", database, lock)
		    : xasprintf("%s: %s", lock, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(lock);
		return fd >= 0 ? OPS_REFUSED : OPS_FAILED;
	}
	free(lock);
	*poll_lock_fd_r = fd;
	char *shm = xasprintf("%s-shm", database);
	int shm_fd = open(shm, O_RDONLY | O_CLOEXEC);
	int rc = OPS_OK;
	if (shm_fd >= 0) {
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET,
		                   .l_start = SHM_DMS_LOCK_OFFSET, .l_len = 1};
		if (fcntl(shm_fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
			*error_r = xasprintf("refused: process %ld has %s open (liaison web or another "
			                     "command): stop it first", (long)fl.l_pid, database);
			rc = OPS_REFUSED;
		}
		close(shm_fd);
	}
	free(shm);
	if (rc != OPS_OK) {
		close(fd);
		*poll_lock_fd_r = -1;
	}
	return rc;
}

static const char *const DB_FILES[] = {"", "-wal", "-shm"};
#define DB_FILE_COUNT (sizeof(DB_FILES) / sizeof(*DB_FILES))

/* Moves the database, then a -wal a crash may have left (it holds committed work) and its
 * -shm, to aside.  The database goes first and what moved is put back on a failure: the
 * live database never loses its -wal, nor meets another's. */
static int keep_aside(const char *database, const char *aside, char **error_r)
{
	size_t moved = 0;
	int rc = 0;
	for (; moved < DB_FILE_COUNT && rc == 0; moved++) {
		char *from = xasprintf("%s%s", database, DB_FILES[moved]);
		char *to = xasprintf("%s%s", aside, DB_FILES[moved]);
		if (rename(from, to) < 0 && errno != ENOENT) {
			*error_r = xasprintf("%s: cannot be kept aside as %s: %s", from, to,
			                     strerror(errno));
			rc = -1;
		}
		free(from);
		free(to);
	}
	if (rc < 0)
		for (size_t i = moved - 1; i-- > 0;) {
			char *from = xasprintf("%s%s", aside, DB_FILES[i]);
			char *to = xasprintf("%s%s", database, DB_FILES[i]);
			if (rename(from, to) < 0 && errno != ENOENT)
				fprintf(stderr, "liaison: %s could not be put back as %s: %s\n", from, to,
				        strerror(errno));
			free(from);
			free(to);
		}
	return rc;
}

/* A -wal or -shm without its database (an admin removed only the database) belongs to a
 * database that is gone: SQLite would replay that -wal over the restored one. */
static int stray_wal(const char *database, char **error_r)
{
	for (size_t i = 1; i < DB_FILE_COUNT; i++) {
		char *p = xasprintf("%s%s", database, DB_FILES[i]);
		struct stat st;
		int found = lstat(p, &st) == 0;
		if (found)
			*error_r = xasprintf("refused: %s is left without its database %s (SQLite would "
			                     "replay it over the restored one): move it away first, "
			                     "nothing restored", p, database);
		free(p);
		if (found)
			return -1;
	}
	return 0;
}

/* Proves the backup in src and writes it to tmp (the copy that will be renamed into place). */
static int prove_backup(const char *src, const char *tmp, struct backup_info *info,
                        char **error_r)
{
	char *manifest = xasprintf("%s/%s", src, BACKUP_MANIFEST);
	char *db = xasprintf("%s/%s", src, BACKUP_DATABASE);
	char *why = NULL;
	int rc = read_manifest(manifest, info, &why);
	char actual[SHA256_HEX_SIZE];
	int64_t bytes = 0;
	struct backup_info found;
	memset(&found, 0, sizeof(found));
	if (rc != OPS_OK) {
		/* why says it */
	} else if (backup_copy_hash(db, tmp, actual, &bytes, &why) < 0) {
		/* the backup may be fine: reading it or writing beside the database failed */
		*error_r = xasprintf("nothing restored: %s", why);
		free(why);
		free(manifest);
		free(db);
		return OPS_FAILED;
	} else if (strcmp(actual, info->database_sha256) != 0 || bytes != info->database_bytes) {
		why = xasprintf("%s does not match its manifest (its SHA-256 is %s, %lld bytes; the "
		                "manifest says %s, %lld bytes): the backup is damaged or was changed",
		                db, actual, (long long)bytes, info->database_sha256,
		                (long long)info->database_bytes);
		rc = OPS_FAILED;
	} else if ((rc = backup_prove_copy(tmp, 1, &found, &why)) == OPS_OK) {
		char *differ = counts_differ(&info->counts, &found.counts);
		if (differ != NULL) {
			why = xasprintf("%s: the manifest was changed", differ);
			free(differ);
			rc = OPS_FAILED;
		}
	}
	if (rc != OPS_OK) {
		*error_r = xasprintf("refused: %s is not a backup that proves whole, nothing "
		                     "restored: %s", src, why);
		free(why);
		unlink(tmp);
		rc = OPS_FAILED;
	} else {
		info->messages_rehashed = found.messages_rehashed;
		info->tombstones = found.tombstones;
	}
	free(manifest);
	free(db);
	return rc;
}

/* What the lost installation may have done after the backup is not done again: see
 * store_restore_settle.  Done on the proven copy tmp, with the restore's audit entry, in one
 * transaction, before the copy is renamed into place: a database that is in place is always
 * settled.  The copy is left one file (journal DELETE, no -wal), fsynced. */
static int settle_restored(const char *tmp, const struct actor *actor, const char *src,
                           struct restore_result *r, char **error_r)
{
	struct store *store = NULL;
	if (store_open(tmp, STORE_OPEN_EXISTING, &store, error_r) < 0)
		return -1;
	char when[32];
	time_format_utc(r->info.created_at, when, sizeof(when));
	int rc = store_begin(store) == 0 &&
	         store_restore_settle(store, (int64_t)time(NULL), "restored from a backup: the "
	                              "installation it replaced may have sent it after the backup; "
	                              "check, then liaison outbox retry", &r->held) == 0 ? 0 : -1;
	if (rc < 0) {
		*error_r = xasprintf("%s: %s", tmp, store_error(store));
		store_rollback(store);
		store_close(&store);
		return -1;
	}
	char *details = xasprintf("backup of %s, %lld messages, audit head %lld; %lld outbox "
	                          "row%s held as uncertain%s%s", when,
	                          (long long)r->info.counts.messages,
	                          (long long)r->info.counts.audit_head_id, (long long)r->held,
	                          r->held == 1 ? "" : "s",
	                          r->kept_aside ? "; the database it replaced kept as " : "",
	                          r->kept_aside ? r->kept_aside : "");
	rc = audit_append(store, actor->user->name, "restore", src, details, error_r);
	free(details);
	if (rc == 0 && store_commit(store) < 0) {
		*error_r = xasprintf("%s: %s", tmp, store_error(store));
		rc = -1;
	}
	if (rc < 0)
		store_rollback(store);
	if (rc == 0 && store_journal_delete(store) < 0) {
		*error_r = xasprintf("%s: %s", tmp, store_error(store));
		rc = -1;
	}
	store_close(&store);
	if (rc == 0 && backup_sync_path(tmp) < 0) {
		*error_r = xasprintf("%s: %s", tmp, strerror(errno));
		rc = -1;
	}
	return rc;
}

int ops_restore(const struct config *config, const struct actor *actor, const char *src,
                int force, struct restore_result *result_r, char **error_r)
{
	memset(result_r, 0, sizeof(*result_r));
	int rc = ops_may_backup(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	const char *database = config->database;
	struct stat st;
	int present = lstat(database, &st) == 0;
	if (present && !force) {
		*error_r = xasprintf("refused: %s exists; restore --force puts the backup in its place "
		                     "and keeps it aside (renamed, never removed)", database);
		return OPS_REFUSED;
	}
	int lock_fd = -1;
	rc = installation_stopped(database, &lock_fd, error_r);
	if (rc != OPS_OK)
		return rc;
	if (!present && stray_wal(database, error_r) < 0) {
		close(lock_fd);
		return OPS_REFUSED;
	}
	char *tmp = xasprintf("%s.restoring", database);
	unlink(tmp); /* a restore that died: ours, we hold the lock */
	char *tmp_wal = xasprintf("%s-wal", tmp), *tmp_shm = xasprintf("%s-shm", tmp);
	unlink(tmp_wal);
	unlink(tmp_shm);
	rc = prove_backup(src, tmp, &result_r->info, error_r);
	if (rc == OPS_OK && present) {
		/* 20261206T132912Z: sorts by time, no ':' to trouble a shell or a copy tool */
		char when[32];
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
		result_r->kept_aside = xasprintf("%s.before-restore-%s", database, when);
	}
	if (rc == OPS_OK && settle_restored(tmp, actor, src, result_r, error_r) < 0)
		rc = OPS_FAILED;
	if (rc == OPS_OK && present && keep_aside(database, result_r->kept_aside, error_r) < 0) {
		xfree(&result_r->kept_aside);
		rc = OPS_FAILED;
	}
	char *parent = backup_parent_of(database);
	/* The one step that puts the restored database in place. */
	if (rc == OPS_OK && (rename(tmp, database) < 0 || backup_sync_path(parent) < 0)) {
		*error_r = xasprintf("%s: %s", database, strerror(errno));
		rc = OPS_FAILED;
		/* the database back where it was, rather than none at all */
		char *ignored = NULL;
		if (result_r->kept_aside != NULL && access(database, F_OK) < 0 &&
		    keep_aside(result_r->kept_aside, database, &ignored) == 0)
			xfree(&result_r->kept_aside);
		free(ignored);
	}
	if (rc != OPS_OK) {
		unlink(tmp);
		unlink(tmp_wal);
		unlink(tmp_shm);
	}
	free(parent);
	free(tmp);
	free(tmp_wal);
	free(tmp_shm);
	close(lock_fd);
	return rc;
}

void restore_result_clear(struct restore_result *result)
{
	xfree(&result->kept_aside);
}
