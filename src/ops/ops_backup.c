/* ops_backup.c — liaison backup: the folder, the manifest, proving a copy whole (which
 * restore, ops_backup_restore.c, does again). */
#include "ops_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "ops_backup_private.h"
#include "util.h"
#include "verify.h"

#define COPY_CHUNK (1 << 20)

int ops_may_backup(const struct actor *actor, char **error_r)
{
	if (actor->user->role == ROLE_ADMIN)
		return OPS_OK;
	*error_r = xstrdup("refused: backup and restore are for admins (a backup holds every "
	                   "message, confidential ones included)");
	return OPS_REFUSED;
}

/* fsync of a file or a folder (a rename is durable once its folder is). */
int backup_sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

char *backup_parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

int backup_copy_hash(const char *from, const char *to, char hex_r[SHA256_HEX_SIZE],
                     int64_t *bytes_r, char **error_r)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		*error_r = xasprintf("%s: %s", from, strerror(errno));
		return -1;
	}
	int out = -1;
	if (to != NULL && (out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		*error_r = xasprintf("%s: %s", to, strerror(errno));
		close(in);
		return -1;
	}
	struct sha256_stream *s = sha256_stream_new();
	char *chunk = xmalloc(COPY_CHUNK);
	int64_t total = 0;
	ssize_t n;
	int rc = 0;
	while ((n = read(in, chunk, COPY_CHUNK)) > 0) {
		sha256_stream_update(s, chunk, (size_t)n);
		total += n;
		if (out >= 0 && fd_write_all(out, chunk, (size_t)n) < 0) {
			*error_r = xasprintf("%s: %s", to, strerror(errno));
			rc = -1;
			break;
		}
	}
	if (rc == 0 && n < 0) {
		*error_r = xasprintf("%s: %s", from, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && out >= 0 && fsync(out) < 0) {
		*error_r = xasprintf("%s: %s", to, strerror(errno));
		rc = -1;
	}
	free(chunk);
	sha256_stream_finish(&s, hex_r);
	close(in);
	if (out >= 0 && close(out) < 0 && rc == 0) {
		*error_r = xasprintf("%s: %s", to, strerror(errno));
		rc = -1;
	}
	if (rc < 0 && to != NULL)
		unlink(to);
	*bytes_r = total;
	return rc;
}

struct mismatch_note {
	int64_t count;
	char *first;  /* the first message that failed (owned) */
};

static void note_mismatch(const char *sha256, const char *message_id, const char *actual,
                          void *ctx)
{
	struct mismatch_note *m = ctx;
	if (m->count++ == 0)
		m->first = xasprintf("message %s (Message-ID <%s>): %s", sha256,
		                     message_id ? message_id : "", actual);
}

/* Opens the copy at path (upgrading an older schema when upgrade is set) and proves it
 * whole: integrity check, every message re-hashed, the audit chain, the search index; its
 * schema and counts into *info.  OPS_OK, or OPS_FAILED with *error_r saying what failed. */
int backup_prove_copy(const char *path, int upgrade, struct backup_info *info, char **error_r)
{
	struct store *copy = NULL;
	char *why = NULL;
	if (store_open(path, upgrade ? STORE_OPEN_INIT : STORE_OPEN_EXISTING, &copy, &why) < 0) {
		*error_r = xasprintf("the copy cannot be opened: %s", why);
		free(why);
		return OPS_FAILED;
	}
	int rc = OPS_FAILED;
	char *problems = NULL;
	struct mismatch_note m = {0, NULL};
	struct verify_result r;
	memset(&r, 0, sizeof(r));
	int integrity = store_integrity_check(copy, &problems);
	if (integrity < 0) {
		*error_r = xasprintf("integrity check: %s", store_error(copy));
	} else if (integrity > 0) {
		*error_r = xasprintf("SQLite's integrity check fails: %s", problems);
	} else if (verify_store(copy, note_mismatch, &m, &r, &why) < 0) {
		*error_r = xasprintf("verify: %s", why);
		free(why);
	} else if (r.mismatches > 0) {
		*error_r = xasprintf("%lld message%s no longer hash%s to the SHA-256 recorded on "
		                     "arrival, first %s", (long long)r.mismatches,
		                     r.mismatches == 1 ? "" : "s", r.mismatches == 1 ? "es" : "",
		                     m.first);
	} else if (r.audit_broken != 0) {
		*error_r = xasprintf("the audit chain is broken at entry %lld: %s",
		                     (long long)r.audit_broken, r.audit_problem);
	} else if (r.index_problem != NULL) {
		*error_r = xasprintf("the search index: %s", r.index_problem);
	} else if (store_counts_read(copy, &info->counts) < 0) {
		*error_r = xasprintf("counts: %s", store_error(copy));
	} else if (store_journal_delete(copy) < 0) {
		/* store_open made it WAL; the backup is hashed afterwards, as one file */
		*error_r = xasprintf("%s", store_error(copy));
	} else {
		info->schema = store_schema_version(copy);
		info->messages_rehashed = r.messages;
		info->tombstones = r.tombstones;
		rc = OPS_OK;
	}
	free(problems);
	free(m.first);
	free(r.audit_problem);
	free(r.index_problem);
	store_close(&copy);
	return rc;
}

static json_t *manifest_json(const struct backup_info *info)
{
	char when[32];
	time_format_utc(info->created_at, when, sizeof(when));
	const struct store_counts *c = &info->counts;
	return json_pack("{s:s, s:s, s:i, s:{s:s, s:s, s:I}, s:{s:I, s:I, s:I, s:I, s:I, s:I}, "
	                 "s:{s:I, s:s}, s:{s:s, s:I, s:I, s:s, s:s}}",
	    "format", MANIFEST_FORMAT, "created_at", when, "schema_version", info->schema,
	    "database", "file", BACKUP_DATABASE, "sha256", info->database_sha256,
	                "bytes", (json_int_t)info->database_bytes,
	    "counts", "messages", (json_int_t)c->messages, "threads", (json_int_t)c->threads,
	              "custody", (json_int_t)c->custody, "placements", (json_int_t)c->placements,
	              "outbox", (json_int_t)c->outbox, "audit_entries", (json_int_t)c->audit_entries,
	    "audit_head", "id", (json_int_t)c->audit_head_id, "sha256", c->audit_head_hash,
	    "verified", "integrity_check", "ok", "messages_rehashed",
	                (json_int_t)info->messages_rehashed, "tombstones",
	                (json_int_t)info->tombstones, "audit_chain", "intact",
	                "search_index", "agrees");
}

static int write_manifest(const char *path, const struct backup_info *info, char **error_r)
{
	json_t *m = manifest_json(info);
	char *text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(m);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = fd >= 0 && fd_write_all(fd, text, strlen(text)) == 0 &&
	         fd_write_all(fd, "\n", 1) == 0 && fsync(fd) == 0 ? 0 : -1;
	if (rc < 0)
		*error_r = xasprintf("%s: %s", path, strerror(errno));
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(text);
	return rc;
}

/* Removes what a failed backup left in its work folder, and the folder. */
static void remove_partial(const char *dir)
{
	static const char *const names[] = {BACKUP_DATABASE, BACKUP_DATABASE "-wal",
	                                    BACKUP_DATABASE "-shm", BACKUP_DATABASE "-journal",
	                                    BACKUP_MANIFEST};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

/* The copy, proven, hashed and described, in the work folder dir. */
static int backup_into(struct store *store, const char *dir, struct backup_info *info,
                       char **error_r)
{
	char *db = xasprintf("%s/%s", dir, BACKUP_DATABASE);
	char *manifest = xasprintf("%s/%s", dir, BACKUP_MANIFEST);
	char *why = NULL;
	int rc = OPS_FAILED;
	if (store_backup_copy(store, db, &why) < 0) {
		*error_r = xasprintf("backup: %s", why);
		free(why);
	} else if ((rc = backup_prove_copy(db, 0, info, &why)) != OPS_OK) {
		*error_r = xasprintf("backup: the copy failed its check, nothing kept: %s", why);
		free(why);
	} else if (backup_copy_hash(db, NULL, info->database_sha256, &info->database_bytes, &why) < 0 ||
	           write_manifest(manifest, info, &why) < 0 || backup_sync_path(db) < 0 ||
	           backup_sync_path(dir) < 0) {
		*error_r = xasprintf("backup: %s", why ? why : strerror(errno));
		free(why);
		rc = OPS_FAILED;
	}
	free(db);
	free(manifest);
	return rc;
}

static int backup_folder(struct store *store, const struct actor *actor, const char *dest,
                         struct backup_info *info_r, char **error_r);

int ops_backup(struct store *store, const struct actor *actor, const char *dest,
               struct backup_info *info_r, char **error_r)
{
	int rc = ops_may_backup(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	memset(info_r, 0, sizeof(*info_r));
	/* "bk/" names the folder bk: its work folder is bk.partial, not bk/.partial */
	char *name = xstrdup(dest);
	for (size_t n = strlen(name); n > 1 && name[n - 1] == '/'; n--)
		name[n - 1] = '\0';
	rc = backup_folder(store, actor, name, info_r, error_r);
	free(name);
	return rc;
}

static int backup_folder(struct store *store, const struct actor *actor, const char *dest,
                         struct backup_info *info_r, char **error_r)
{
	int rc;
	struct stat st;
	if (lstat(dest, &st) == 0) {
		*error_r = xasprintf("%s already exists: a backup goes into a new folder", dest);
		return OPS_INVALID;
	}
	/* Built beside its name and renamed when proven: a folder named dest is always a whole
	 * backup, never one a crash or a full disk cut short. */
	char *work = xasprintf("%s.partial", dest);
	if (mkdir(work, 0700) < 0) {
		*error_r = xasprintf("%s: %s%s", work, strerror(errno),
		                     errno == EEXIST ? " (left by a backup that failed: remove it)" : "");
		free(work);
		return OPS_FAILED;
	}
	info_r->created_at = (int64_t)time(NULL);
	rc = backup_into(store, work, info_r, error_r);
	char *parent = backup_parent_of(dest);
	if (rc == OPS_OK && (rename(work, dest) < 0 || backup_sync_path(parent) < 0)) {
		*error_r = xasprintf("%s: %s", dest, strerror(errno));
		rc = OPS_FAILED;
	}
	free(parent);
	if (rc != OPS_OK) {
		remove_partial(work);
		free(work);
		return rc;
	}
	free(work);
	char *details = xasprintf("%lld messages, %lld threads, audit head %lld, sha256 %s",
	                          (long long)info_r->counts.messages,
	                          (long long)info_r->counts.threads,
	                          (long long)info_r->counts.audit_head_id, info_r->database_sha256);
	rc = audit_append(store, actor->user->name, "backup", dest, details, error_r) < 0
	    ? OPS_FAILED : OPS_OK;
	free(details);
	return rc;
}
