/* ops_backup.h — `liaison backup` (ops_backup.c) and `liaison restore` (ops_backup_restore.c): who
 * may, and the procedures.
 *
 * A backup is a new folder (0700) holding liaison.db, a consistent copy of the live database
 * taken while poll and web run (store_backup.h), and manifest.json (when, the schema, the
 * counts, the audit head, the copy's SHA-256).  The copy is proven before the folder gets
 * its name: SQLite's integrity check, every message re-hashed and the audit chain walked
 * (verify.h).  A restore proves a backup again the same way before it puts it in place.
 * Results are ops.h's OPS_ codes with *error_r (caller frees). */
#ifndef LIAISON_OPS_BACKUP_H
#define LIAISON_OPS_BACKUP_H

#include <stdint.h>

#include "config.h"
#include "hash.h"
#include "ops.h"
#include "store.h"
#include "store_backup.h"

/* The files of a backup folder. */
#define BACKUP_DATABASE "liaison.db"
#define BACKUP_MANIFEST "manifest.json"

/* What a backup holds, as its manifest says and its check found. */
struct backup_info {
	int64_t created_at;
	int schema;
	struct store_counts counts;
	char database_sha256[SHA256_HEX_SIZE];
	int64_t database_bytes;
	int64_t messages_rehashed, tombstones;
};

/* OPS_OK when the actor may back up and restore (an admin: a backup is every message,
 * confidential ones included, and a restore replaces the records); else OPS_REFUSED. */
int ops_may_backup(const struct actor *actor, char **error_r);

/* Backs up the store into the new folder dest (written as dest.partial, renamed when
 * proven), *info_r what it holds; the backup is recorded in the store's audit trail.
 * OPS_INVALID when dest exists, OPS_FAILED when the copy could not be made or proven. */
int ops_backup(struct store *store, const struct actor *actor, const char *dest,
               struct backup_info *info_r, char **error_r);

/* What a restore did. */
struct restore_result {
	struct backup_info info;   /* the backup restored */
	char *kept_aside;          /* where the database it replaced now is (owned), or NULL */
	int64_t held;              /* outbox rows held as uncertain (store_restore_settle) */
};
/* Puts the backup in folder src in place of config->database, on a stopped installation:
 * refused (OPS_REFUSED) while liaison poll holds DATABASE.poll-lock or any process has the
 * database open (liaison web, another command), and when a database is there and force is
 * 0; with force the database there is renamed aside, never removed.  A backup that does not
 * prove whole (its SHA-256, the counts of its manifest, the integrity check, the messages'
 * hashes, the audit chain) is refused with OPS_FAILED and changes nothing.  What the lost
 * installation may have done after the backup is then settled (store_restore_settle: the
 * outbox's waiting rows held as uncertain, no auto-reply to mail that came before the
 * restore), with the restore recorded in the restored database's audit trail. */
int ops_restore(const struct config *config, const struct actor *actor, const char *src,
                int force, struct restore_result *result_r, char **error_r);
void restore_result_clear(struct restore_result *result);

#endif
