/* ops_backup_private.h — what backup (ops_backup.c) and restore (ops_backup_restore.c) share. */
#ifndef LIAISON_OPS_BACKUP_PRIVATE_H
#define LIAISON_OPS_BACKUP_PRIVATE_H

#include <stdint.h>

#include "hash.h"
#include "ops_backup.h"

/* What the manifest's "format" says: a later layout gets a new name. */
#define MANIFEST_FORMAT "liaison-backup-1"

/* fsync of a file or a folder (a rename is durable once its folder is): 0 or -1 (errno). */
int backup_sync_path(const char *path);
/* The folder path is in (caller frees): "." for a bare name. */
char *backup_parent_of(const char *path);
/* Reads from while hashing it into hex_r, *bytes_r its size; with to not NULL also copies it
 * into the new file to (0600, fsynced; removed on failure).  Returns 0, or -1 with *error_r. */
int backup_copy_hash(const char *from, const char *to, char hex_r[SHA256_HEX_SIZE],
                     int64_t *bytes_r, char **error_r);
/* Opens the copy at path (upgrading an older schema when upgrade is set) and proves it
 * whole: integrity check, every message re-hashed, the audit chain, the search index; its
 * schema and counts into *info.  OPS_OK, or OPS_FAILED with *error_r saying what failed. */
int backup_prove_copy(const char *path, int upgrade, struct backup_info *info, char **error_r);

#endif
