/* zip.h — a production package as one .zip download: a small writer of stored (uncompressed)
 * entries with their CRC-32 (APPNOTE.TXT 6.3), no library.  Stored, because most of a
 * package is PDFs that cairo compressed already, and because `unzip -t` and every archiver
 * read stored entries.  Entries are written in the order given; a directory is written with
 * its files sorted by name, so the same folder gives the same archive.
 *
 * The classic format's limits hold (no ZIP64): at most 65,535 entries, and no entry, offset
 * or archive past 4 GiB - 1; past them the writer fails with a message saying so. */
#ifndef LIAISON_ZIP_H
#define LIAISON_ZIP_H

#include <stddef.h>
#include <stdint.h>

struct zip;

/* Creates the archive at path (which must not exist: it is made new, mode 0600).  Returns 0,
 * or -1 with *error_r. */
int zip_open(const char *path, struct zip **z_r, char **error_r);
/* Adds an entry name ("FOLDER/file.txt"; a name ending in '/' is a directory, data empty)
 * with len bytes of data, modified at mtime (Unix seconds). */
int zip_add_data(struct zip *z, const char *name, const void *data, size_t len, int64_t mtime,
                 char **error_r);
/* Adds the file at path as entry name, streamed (its own modification time). */
int zip_add_file(struct zip *z, const char *name, const char *path, char **error_r);
/* Adds dir and everything under it as "prefix/...": directories as entries of their own (an
 * empty one is kept), files sorted by name at each level; symbolic links and other special
 * files are refused. */
int zip_add_tree(struct zip *z, const char *prefix, const char *dir, char **error_r);
/* Writes the central directory and closes the file: 0, or -1 with *error_r.  On failure (and
 * when a zip_add_* failed before) the file is removed.  Frees z and sets *z to NULL. */
int zip_close(struct zip **z, char **error_r);
/* Closes and removes an archive not finished. */
void zip_abandon(struct zip **z);

/* The CRC-32 (ISO 3309, as zip and gzip use it) of len bytes, continuing from crc (0 to
 * start). */
uint32_t zip_crc32(uint32_t crc, const void *data, size_t len);

#endif
