/* loadfile.h — a production's load files: manifest.csv (RFC 4180, spreadsheet-safe) and
 * production.dat (Concordance: fields quoted with U+00FE, separated by U+0014, UTF-8 with a
 * byte-order mark, CRLF), both with the same fields and rows; and SHA256SUMS. */
#ifndef LIAISON_LOADFILE_H
#define LIAISON_LOADFILE_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

enum load_field {
	LOAD_BEGBATES, LOAD_ENDBATES, LOAD_BEGATTACH, LOAD_ENDATTACH, LOAD_TYPE, LOAD_MESSAGE_ID,
	LOAD_DATE, LOAD_FROM, LOAD_TO, LOAD_SUBJECT, LOAD_CUSTODIANS, LOAD_SHA256, LOAD_NATIVE,
	LOAD_PDF, LOAD_PRODUCED, LOAD_FIELDS
};

struct loadfiles {
	FILE *csv, *dat;
};

/* Creates both files in dir with their header rows.  Returns 0, or -1 with *error_r. */
int loadfiles_open(const char *dir, struct loadfiles *lf, char **error_r);
/* One row: fields[LOAD_FIELDS], NULL written as empty. */
void loadfiles_row(struct loadfiles *lf, const char *const *fields);
/* Closes both; -1 with *error_r when a write failed. */
int loadfiles_close(struct loadfiles *lf, char **error_r);

/* Writes dir/SHA256SUMS: "HEX  PATH" for each of files (paths relative to dir, sorted
 * here), hashing what is on disk.  *sums_hash_r gets the hash of SHA256SUMS itself. */
int loadfile_write_sums(const char *dir, struct strlist *files, char sums_hash_r[65],
                        char **error_r);

#endif
