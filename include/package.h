/* package.h — a directory of files that appears whole or not at all (a production package).
 *
 * It is filled under a temporary name beside its target, each file created new and listed;
 * sealed (SHA256SUMS over every listed file, every time set to one fixed moment, synced);
 * then renamed into place, never over anything.  Until then, or if anything fails, it can be
 * taken away whole. */
#ifndef LIAISON_PACKAGE_H
#define LIAISON_PACKAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hash.h"
#include "util.h"

struct package {
	char *target;        /* where it is to appear */
	char *dir;           /* where it is filled (target.partial-PID), or the target once placed */
	int placed;
	struct strlist files; /* relative paths written, for SHA256SUMS */
};

enum { PACKAGE_OK = 0, PACKAGE_FAILED = -1, PACKAGE_EXISTS = -2 };

/* Creates the temporary directory and its subdirectories (NULL-terminated list).  Returns
 * PACKAGE_OK, PACKAGE_EXISTS when target exists already, or PACKAGE_FAILED, with *error_r. */
int package_begin(struct package *p, const char *target, const char *const *subdirs,
                  char **error_r);
/* The path of a file of the package (caller frees). */
char *package_path(const struct package *p, const char *rel);
/* Creates rel with data (never over an existing file) and lists it. */
int package_write(struct package *p, const char *rel, const void *data, size_t len,
                  char **error_r);
/* Creates rel for writing with stdio and lists it; NULL with *error_r. */
FILE *package_fopen(struct package *p, const char *rel, char **error_r);
/* Closes a stdio file of the package (NULL: nothing); -1 with *error_r when writing failed. */
int package_fclose(FILE **f, const char *what, char **error_r);
/* Lists a file written by someone else (a renderer) under rel. */
void package_list(struct package *p, const char *rel);
/* Writes SHA256SUMS (its own hash into sums_hash_r), sets every time to mtime, syncs. */
int package_seal(struct package *p, int64_t mtime, char sums_hash_r[SHA256_HEX_SIZE],
                 char **error_r);
/* Renames it into place, never over anything: PACKAGE_OK, PACKAGE_EXISTS or PACKAGE_FAILED. */
int package_place(struct package *p, char **error_r);
/* Takes it away whole, wherever it is. */
void package_remove(struct package *p);
void package_free(struct package *p);

#endif
