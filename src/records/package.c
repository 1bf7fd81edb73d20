/* package.c — a directory that appears whole or not at all. */
#include "package.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "loadfile.h"

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void tree_remove(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int package_begin(struct package *p, const char *target, const char *const *subdirs,
                  char **error_r)
{
	memset(p, 0, sizeof(*p));
	struct stat st;
	if (lstat(target, &st) == 0) {
		*error_r = xasprintf("%s exists: a package is written to a new directory", target);
		return PACKAGE_EXISTS;
	}
	p->target = xstrdup(target);
	p->dir = xasprintf("%s.partial-%ld", target, (long)getpid());
	tree_remove(p->dir); /* a leftover of this very PID */
	int rc = mkdir(p->dir, 0700);
	for (size_t i = 0; rc == 0 && subdirs != NULL && subdirs[i] != NULL; i++) {
		char *sub = package_path(p, subdirs[i]);
		rc = mkdir(sub, 0700);
		free(sub);
	}
	if (rc < 0) {
		*error_r = xasprintf("%s: %s", p->dir, strerror(errno));
		return PACKAGE_FAILED;
	}
	return PACKAGE_OK;
}

char *package_path(const struct package *p, const char *rel)
{
	return xasprintf("%s/%s", p->dir, rel);
}

void package_list(struct package *p, const char *rel)
{
	strlist_add(&p->files, rel);
}

int package_write(struct package *p, const char *rel, const void *data, size_t len,
                  char **error_r)
{
	char *path = package_path(p, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int rc = fd < 0 ? -1 : fd_write_all(fd, data, len);
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc < 0)
		*error_r = xasprintf("%s: %s", path, strerror(errno));
	else
		package_list(p, rel);
	free(path);
	return rc;
}

FILE *package_fopen(struct package *p, const char *rel, char **error_r)
{
	char *path = package_path(p, rel);
	FILE *f = fopen(path, "wx");
	if (f == NULL)
		*error_r = xasprintf("%s: %s", path, strerror(errno));
	else
		package_list(p, rel);
	free(path);
	return f;
}

int package_fclose(FILE **f, const char *what, char **error_r)
{
	if (*f == NULL)
		return 0;
	int bad = ferror(*f) | fclose(*f);
	*f = NULL;
	if (bad != 0) {
		*error_r = xasprintf("writing %s: %s", what, strerror(errno));
		return -1;
	}
	return 0;
}

/* nftw passes no context: the seal's time, for the one walk that needs it. */
static int64_t stamp_time;

static int stamp_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	struct timespec times[2] = {{(time_t)stamp_time, 0}, {(time_t)stamp_time, 0}};
	utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW);
	return 0;
}

int package_seal(struct package *p, int64_t mtime, char sums_hash_r[SHA256_HEX_SIZE],
                 char **error_r)
{
	if (loadfile_write_sums(p->dir, &p->files, sums_hash_r, error_r) < 0)
		return -1;
	stamp_time = mtime;
	nftw(p->dir, stamp_one, 16, FTW_PHYS);
	int fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
	return 0;
}

int package_place(struct package *p, char **error_r)
{
	if (renameat2(AT_FDCWD, p->dir, AT_FDCWD, p->target, RENAME_NOREPLACE) < 0) {
		int saved = errno;
		*error_r = xasprintf("%s: %s", p->target, strerror(saved));
		return saved == EEXIST ? PACKAGE_EXISTS : PACKAGE_FAILED;
	}
	free(p->dir);
	p->dir = xstrdup(p->target);
	p->placed = 1;
	return PACKAGE_OK;
}

void package_remove(struct package *p)
{
	if (p->dir != NULL)
		tree_remove(p->dir);
}

void package_free(struct package *p)
{
	free(p->target);
	free(p->dir);
	strlist_free(&p->files);
	memset(p, 0, sizeof(*p));
}
