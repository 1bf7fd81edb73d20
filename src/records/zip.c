/* zip.c — a writer of stored zip entries with CRC-32 (see zip.h; the format: PKWARE's
 * APPNOTE.TXT, sections 4.3 and 4.4). */
#include "zip.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* The classic format's fields are 16 and 32 bits wide: past these the archive would need
 * ZIP64, which this writer does not write. */
#define ZIP_MAX_ENTRIES 0xffff
#define ZIP_MAX_OFFSET 0xffffffffLL
/* Files are copied through a buffer this size. */
#define COPY_CHUNK (256 * 1024)

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define VERSION 20          /* 2.0: directories; stored entries need nothing newer */
#define MADE_BY_UNIX (3 << 8)
#define FLAG_UTF8 (1 << 11) /* names in UTF-8 (APPNOTE appendix D) */

struct entry {
	char *name;
	uint32_t crc, size, offset;
	uint16_t dos_time, dos_date, flags;
	int is_dir;
};

struct zip {
	char *path;
	FILE *f;
	struct entry *entries;
	size_t n, cap;
	int failed;         /* an addition failed: the archive is not finished */
};

/* ---- CRC-32 (reflected, polynomial 0xEDB88320) --------------------------------------- */

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t zip_crc32(uint32_t crc, const void *data, size_t len)
{
	pthread_once(&crc_once, crc_init); /* the web server's export threads share it */
	const unsigned char *p = data;
	crc = ~crc;
	for (size_t i = 0; i < len; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---- little-endian fields ------------------------------------------------------------- */

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* MS-DOS date and time (local, 2-second steps, from 1980) of t. */
static void dos_stamp(int64_t t, uint16_t *time_r, uint16_t *date_r)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (localtime_r(&tt, &tm) == NULL || tm.tm_year < 80) {
		*time_r = 0;
		*date_r = (1 << 5) | 1; /* 1980-01-01 */
		return;
	}
	*time_r = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*date_r = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

static int fail(struct zip *z, char **error_r, char *message)
{
	z->failed = 1;
	*error_r = message;
	return -1;
}

static int write_fail(struct zip *z, char **error_r)
{
	return fail(z, error_r, xasprintf("%s: %s", z->path, strerror(errno)));
}

/* ---- the archive ---------------------------------------------------------------------- */

int zip_open(const char *path, struct zip **z_r, char **error_r)
{
	*z_r = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (f == NULL) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct zip *z = xcalloc(1, sizeof(*z));
	z->path = xstrdup(path);
	z->f = f;
	*z_r = z;
	return 0;
}

static int name_is_utf8(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p >= 0x80)
			return 1;
	return 0;
}

/* Starts an entry: its local header (CRC and size patched once known).  Checks the format's
 * limits first. */
static int entry_begin(struct zip *z, const char *name, int64_t mtime, struct entry **e_r,
                       char **error_r)
{
	size_t name_len = strlen(name);
	long long offset = (long long)ftello(z->f);
	if (name_len == 0 || name_len > 0xffff)
		return fail(z, error_r, xasprintf("%s: an entry name of %zu bytes", z->path, name_len));
	if (z->n >= ZIP_MAX_ENTRIES)
		return fail(z, error_r, xasprintf("%s: more than %d files: too many for a zip without "
		                                  "ZIP64", z->path, ZIP_MAX_ENTRIES));
	if (offset < 0 || offset > ZIP_MAX_OFFSET)
		return fail(z, error_r, xasprintf("%s: past 4 GiB: too large for a zip without ZIP64",
		                                  z->path));
	if (z->n == z->cap) {
		z->cap = z->cap ? 2 * z->cap : 64;
		z->entries = xrealloc(z->entries, z->cap * sizeof(*z->entries));
	}
	struct entry *e = &z->entries[z->n];
	memset(e, 0, sizeof(*e));
	e->offset = (uint32_t)offset;
	e->is_dir = name[name_len - 1] == '/';
	e->flags = name_is_utf8(name) ? FLAG_UTF8 : 0;
	dos_stamp(mtime, &e->dos_time, &e->dos_date);
	unsigned char h[30] = {0};
	put32(h, SIG_LOCAL);
	put16(h + 4, VERSION);
	put16(h + 6, e->flags);
	put16(h + 8, 0); /* stored */
	put16(h + 10, e->dos_time);
	put16(h + 12, e->dos_date);
	put16(h + 26, (uint16_t)name_len);
	if (fwrite(h, 1, sizeof(h), z->f) != sizeof(h) || fwrite(name, 1, name_len, z->f) != name_len)
		return write_fail(z, error_r);
	e->name = xstrdup(name);
	z->n++;
	*e_r = e;
	return 0;
}

/* Ends an entry of size bytes with crc: the local header's fields written in place. */
static int entry_end(struct zip *z, struct entry *e, uint64_t size, uint32_t crc,
                     char **error_r)
{
	if (size > ZIP_MAX_OFFSET)
		return fail(z, error_r, xasprintf("%s: %s is 4 GiB or more: too large for a zip "
		                                  "without ZIP64", z->path, e->name));
	e->crc = crc;
	e->size = (uint32_t)size;
	unsigned char f[12];
	put32(f, crc);
	put32(f + 4, e->size);
	put32(f + 8, e->size);
	off_t end = ftello(z->f);
	if (end < 0 || fseeko(z->f, (off_t)e->offset + 14, SEEK_SET) < 0 ||
	    fwrite(f, 1, sizeof(f), z->f) != sizeof(f) || fseeko(z->f, end, SEEK_SET) < 0)
		return write_fail(z, error_r);
	return 0;
}

int zip_add_data(struct zip *z, const char *name, const void *data, size_t len, int64_t mtime,
                 char **error_r)
{
	struct entry *e;
	if (entry_begin(z, name, mtime, &e, error_r) < 0)
		return -1;
	if (len > 0 && fwrite(data, 1, len, z->f) != len)
		return write_fail(z, error_r);
	return entry_end(z, e, len, zip_crc32(0, data, len), error_r);
}

int zip_add_file(struct zip *z, const char *name, const char *path, char **error_r)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int saved = fd < 0 ? errno : EINVAL;
		if (fd >= 0)
			close(fd);
		return fail(z, error_r, xasprintf("%s: %s", path, fd < 0 || saved != EINVAL
		                                                  ? strerror(saved) : "not a plain file"));
	}
	struct entry *e;
	if (entry_begin(z, name, (int64_t)st.st_mtime, &e, error_r) < 0) {
		close(fd);
		return -1;
	}
	char *chunk = xmalloc(COPY_CHUNK);
	uint32_t crc = 0;
	uint64_t size = 0;
	int rc = 0;
	for (;;) {
		ssize_t got = read(fd, chunk, COPY_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = fail(z, error_r, xasprintf("%s: %s", path, strerror(errno)));
			break;
		}
		if (got == 0)
			break;
		if (fwrite(chunk, 1, (size_t)got, z->f) != (size_t)got) {
			rc = write_fail(z, error_r);
			break;
		}
		crc = zip_crc32(crc, chunk, (size_t)got);
		size += (uint64_t)got;
	}
	free(chunk);
	close(fd);
	return rc < 0 ? -1 : entry_end(z, e, size, crc, error_r);
}

static int no_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

int zip_add_tree(struct zip *z, const char *prefix, const char *dir, char **error_r)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return fail(z, error_r, xasprintf("%s: %s", dir, strerror(errno)));
	if (!S_ISDIR(st.st_mode))
		return fail(z, error_r, xasprintf("%s: not a folder", dir));
	char *dir_name = xasprintf("%s/", prefix);
	int rc = zip_add_data(z, dir_name, "", 0, (int64_t)st.st_mtime, error_r);
	free(dir_name);
	struct dirent **list = NULL;
	int n = rc == 0 ? scandir(dir, &list, no_dots, alphasort) : 0;
	if (n < 0)
		rc = fail(z, error_r, xasprintf("%s: %s", dir, strerror(errno)));
	for (int i = 0; i < n; i++) {
		if (rc == 0) {
			char *path = xasprintf("%s/%s", dir, list[i]->d_name);
			char *name = xasprintf("%s/%s", prefix, list[i]->d_name);
			if (lstat(path, &st) < 0)
				rc = fail(z, error_r, xasprintf("%s: %s", path, strerror(errno)));
			else if (S_ISDIR(st.st_mode))
				rc = zip_add_tree(z, name, path, error_r);
			else if (S_ISREG(st.st_mode))
				rc = zip_add_file(z, name, path, error_r);
			else
				rc = fail(z, error_r, xasprintf("%s: neither a file nor a folder", path));
			free(path);
			free(name);
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

static void zip_free(struct zip **zp)
{
	struct zip *z = *zp;
	for (size_t i = 0; i < z->n; i++)
		free(z->entries[i].name);
	free(z->entries);
	free(z->path);
	free(z);
	*zp = NULL;
}

void zip_abandon(struct zip **zp)
{
	if (*zp == NULL)
		return;
	fclose((*zp)->f);
	unlink((*zp)->path);
	zip_free(zp);
}

static int central_write(struct zip *z, char **error_r)
{
	long long start = (long long)ftello(z->f);
	for (size_t i = 0; i < z->n; i++) {
		const struct entry *e = &z->entries[i];
		size_t name_len = strlen(e->name);
		unsigned char h[46] = {0};
		put32(h, SIG_CENTRAL);
		put16(h + 4, MADE_BY_UNIX | VERSION);
		put16(h + 6, VERSION);
		put16(h + 8, e->flags);
		put16(h + 12, e->dos_time);
		put16(h + 14, e->dos_date);
		put32(h + 16, e->crc);
		put32(h + 20, e->size);
		put32(h + 24, e->size);
		put16(h + 28, (uint16_t)name_len);
		/* Unix mode in the high half; MS-DOS's directory bit in the low */
		uint32_t mode = e->is_dir ? 040755 : 0100644;
		put32(h + 38, (mode << 16) | (e->is_dir ? 0x10 : 0));
		put32(h + 42, e->offset);
		if (fwrite(h, 1, sizeof(h), z->f) != sizeof(h) ||
		    fwrite(e->name, 1, name_len, z->f) != name_len)
			return write_fail(z, error_r);
	}
	long long end = (long long)ftello(z->f);
	if (start < 0 || end < 0 || end > ZIP_MAX_OFFSET)
		return fail(z, error_r, xasprintf("%s: past 4 GiB: too large for a zip without ZIP64",
		                                  z->path));
	unsigned char h[22] = {0};
	put32(h, SIG_END);
	put16(h + 8, (uint16_t)z->n);
	put16(h + 10, (uint16_t)z->n);
	put32(h + 12, (uint32_t)(end - start));
	put32(h + 16, (uint32_t)start);
	if (fwrite(h, 1, sizeof(h), z->f) != sizeof(h))
		return write_fail(z, error_r);
	return 0;
}

int zip_close(struct zip **zp, char **error_r)
{
	struct zip *z = *zp;
	if (z == NULL)
		return 0;
	if (z->failed) {
		zip_abandon(zp);
		*error_r = xstrdup("the archive was not finished: an entry failed");
		return -1;
	}
	int rc = central_write(z, error_r);
	if (rc == 0 && (fflush(z->f) != 0 || fsync(fileno(z->f)) < 0))
		rc = write_fail(z, error_r);
	if (fclose(z->f) != 0 && rc == 0)
		rc = fail(z, error_r, xasprintf("%s: %s", z->path, strerror(errno)));
	if (rc < 0)
		unlink(z->path);
	zip_free(zp);
	return rc;
}
