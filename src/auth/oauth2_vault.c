/* oauth2_vault.c — the refresh token sealed at rest with libsodium's crypto_secretbox, the
 * key in its own 0600 file, and the lock that makes a refresh one process's at a time.  See
 * oauth2_vault.h.
 *
 * A sealed file: VAULT_MAGIC (what the file is, readable with head -1), the 24-byte nonce,
 * then the box (the 16-byte Poly1305 tag and the ciphertext). */
#include "oauth2_vault.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Format and version in one line: a later format gets a new number. */
#define VAULT_MAGIC "liaison-vault 1\n"
#define VAULT_MAGIC_LEN (sizeof(VAULT_MAGIC) - 1)
#define VAULT_HEADER_LEN (VAULT_MAGIC_LEN + crypto_secretbox_NONCEBYTES)
/* Refresh tokens are a few KB at most (Entra's are the longest, under 4 KB). */
#define VAULT_SECRET_MAX (64 * 1024)
#define VAULT_FILE_MAX (VAULT_HEADER_LEN + crypto_secretbox_MACBYTES + VAULT_SECRET_MAX)

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void start(void)
{
	/* 0, or 1 when password.c started it already; -1 only without a random source */
	if (sodium_init() < 0) {
		fputs("liaison: libsodium could not start (no random source)\n", stderr);
		abort();
	}
}

/* The folder that holds path, fsynced, so that a rename or a new link in it survives a
 * crash.  0, or -1 with errno. */
static int dir_sync(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".")
	                          : xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/* Reads exactly n bytes, through short reads.  0, or -1 (errno 0 at end of file). */
static int read_exact(int fd, void *out, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)out + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = 0;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/* The key in key_file: a regular file of exactly 32 bytes that only its owner may read.
 * 0, or -1 with *error_r and *missing_r set when it does not exist. */
static int key_read(const char *key_file, unsigned char key[crypto_secretbox_KEYBYTES],
                    int *missing_r, char **error_r)
{
	*missing_r = 0;
	int fd = open(key_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*missing_r = errno == ENOENT;
		error_replace(error_r, "key file %s: %s", key_file, strerror(errno));
		return -1;
	}
	struct stat st;
	int ret = -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		error_replace(error_r, "key file %s: not a regular file", key_file);
	} else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		error_replace(error_r, "key file %s is readable by group or others (mode %03o); "
		              "chmod 600 it", key_file, (unsigned)(st.st_mode & 0777));
	} else if (st.st_size != crypto_secretbox_KEYBYTES) {
		error_replace(error_r, "key file %s: %lld bytes where a key is %d; it is not a key "
		              "liaison made", key_file, (long long)st.st_size,
		              crypto_secretbox_KEYBYTES);
	} else if (read_exact(fd, key, crypto_secretbox_KEYBYTES) < 0) {
		error_replace(error_r, "key file %s: %s", key_file,
		              errno != 0 ? strerror(errno) : "shorter than it said");
	} else {
		ret = 0;
	}
	close(fd);
	if (ret < 0)
		sodium_memzero(key, crypto_secretbox_KEYBYTES);
	return ret;
}

/* A new key in key_file, never replacing one: it is written whole to a temporary file
 * (mkstemp: O_CREAT|O_EXCL, 0600) and linked to its name, which fails with EEXIST when
 * another process got there first; that process's key is then the one (read, whole, since
 * a name appears only once its bytes are written).  0, or -1 with *error_r. */
static int key_create(const char *key_file, unsigned char key[crypto_secretbox_KEYBYTES],
                      char **error_r)
{
	char *tmp = xasprintf("%s.new.XXXXXX", key_file);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		error_replace(error_r, "key file %s: cannot create it: %s", key_file,
		              strerror(errno));
		free(tmp);
		return -1;
	}
	randombytes_buf(key, crypto_secretbox_KEYBYTES);
	int ret = -1;
	if (fchmod(fd, 0600) < 0 || fd_write_all(fd, key, crypto_secretbox_KEYBYTES) < 0 ||
	    fsync(fd) < 0) {
		error_replace(error_r, "key file %s: cannot write it: %s", key_file, strerror(errno));
	} else if (link(tmp, key_file) == 0) {
		ret = 0;
		if (dir_sync(key_file) < 0) {
			error_replace(error_r, "key file %s: cannot sync its folder: %s", key_file,
			              strerror(errno));
			ret = -1;
		}
	} else if (errno == EEXIST) {
		int missing = 0;
		ret = key_read(key_file, key, &missing, error_r);
	} else {
		error_replace(error_r, "key file %s: cannot create it: %s", key_file,
		              strerror(errno));
	}
	close(fd);
	unlink(tmp);
	free(tmp);
	if (ret < 0)
		sodium_memzero(key, crypto_secretbox_KEYBYTES);
	return ret;
}

int oauth2_vault_seal(const char *key_file, const char *path, const char *secret, size_t len,
                      char **error_r)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	int missing = 0;
	pthread_once(&once, start);
	if (len > VAULT_SECRET_MAX) {
		error_replace(error_r, "%s: a secret of %zu bytes is more than the %d a refresh "
		              "token may have", path, len, VAULT_SECRET_MAX);
		return -1;
	}
	char *key_error = NULL;
	if (key_read(key_file, key, &missing, &key_error) < 0) {
		if (!missing) {
			error_replace(error_r, "%s", key_error);
			free(key_error);
			return -1;
		}
		free(key_error);
		if (key_create(key_file, key, error_r) < 0)
			return -1;
	}

	size_t size = VAULT_HEADER_LEN + crypto_secretbox_MACBYTES + len;
	unsigned char *sealed = xmalloc(size);
	memcpy(sealed, VAULT_MAGIC, VAULT_MAGIC_LEN);
	unsigned char *nonce = sealed + VAULT_MAGIC_LEN;
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(sealed + VAULT_HEADER_LEN, (const unsigned char *)secret, len,
	                      nonce, key);
	sodium_memzero(key, sizeof(key));

	/* written beside path and renamed over it: a reader sees the old file or the new one,
	 * never half of one */
	int ret = -1, created = 0, renamed = 0;
	char *tmp = xasprintf("%s.new.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		error_replace(error_r, "%s: cannot create a file beside it: %s", path,
		              strerror(errno));
		goto out;
	}
	created = 1;
	if (fchmod(fd, 0600) < 0 || fd_write_all(fd, sealed, size) < 0 || fsync(fd) < 0) {
		error_replace(error_r, "%s: cannot write %s: %s", path, tmp, strerror(errno));
		goto out;
	}
	int closed = close(fd);
	fd = -1;
	if (closed < 0 || rename(tmp, path) < 0) {
		error_replace(error_r, "%s: cannot put %s in its place: %s", path, tmp,
		              strerror(errno));
		goto out;
	}
	renamed = 1;
	if (dir_sync(path) < 0) {
		error_replace(error_r, "%s: cannot sync its folder: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (created && !renamed)
		unlink(tmp);
	free(tmp);
	free(sealed);
	return ret;
}

/* The sealed file's bytes (a new buffer).  0, or -1 with *error_r and *missing_r. */
static int sealed_read(const char *path, unsigned char **data_r, size_t *len_r,
                       int *missing_r, char **error_r)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*missing_r = errno == ENOENT;
		error_replace(error_r, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	int ret = -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		error_replace(error_r, "%s: not a regular file", path);
	} else if ((unsigned long long)st.st_size > VAULT_FILE_MAX) {
		error_replace(error_r, "%s: %lld bytes, too large for a sealed refresh token", path,
		              (long long)st.st_size);
	} else {
		*len_r = (size_t)st.st_size;
		*data_r = xmalloc(*len_r + 1);
		if (read_exact(fd, *data_r, *len_r) == 0)
			ret = 0;
		else
			error_replace(error_r, "%s: %s", path,
			              errno != 0 ? strerror(errno) : "shorter than it said");
	}
	close(fd);
	if (ret < 0 && *data_r != NULL)
		xfree(data_r);
	return ret;
}

char *oauth2_vault_open(const char *key_file, const char *path, size_t *len_r, int *missing_r,
                        char **error_r)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	unsigned char *sealed = NULL;
	size_t size = 0;
	int key_missing = 0;
	char *secret = NULL;
	*missing_r = 0;
	pthread_once(&once, start);
	if (sealed_read(path, &sealed, &size, missing_r, error_r) < 0)
		return NULL;
	if (size < VAULT_MAGIC_LEN || memcmp(sealed, VAULT_MAGIC, VAULT_MAGIC_LEN) != 0) {
		error_replace(error_r, "%s: not a sealed refresh token (it does not start with "
		              "\"liaison-vault 1\")", path);
	} else if (size < VAULT_HEADER_LEN + crypto_secretbox_MACBYTES) {
		error_replace(error_r, "%s: cut short (%zu bytes): it was altered", path, size);
	} else if (key_read(key_file, key, &key_missing, error_r) == 0) {
		size_t len = size - VAULT_HEADER_LEN - crypto_secretbox_MACBYTES;
		secret = xmalloc(len + 1);
		if (crypto_secretbox_open_easy((unsigned char *)secret, sealed + VAULT_HEADER_LEN,
		                               size - VAULT_HEADER_LEN,
		                               sealed + VAULT_MAGIC_LEN, key) == 0) {
			secret[len] = '\0';
			*len_r = len;
		} else {
			sodium_memzero(secret, len + 1);
			xfree(&secret);
			error_replace(error_r, "%s was sealed with another key than %s, or altered: "
			              "run liaison oauth2 login again", path, key_file);
		}
		sodium_memzero(key, sizeof(key));
	}
	free(sealed);
	return secret;
}

int oauth2_vault_lock(const char *path, int wait_seconds, char **error_r)
{
	char *lock = xasprintf("%s.lock", path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		error_replace(error_r, "%s: %s", lock, strerror(errno));
		free(lock);
		return -1;
	}
	/* Bounded: a process stopped while holding it (a suspended `liaison check`) must not
	 * freeze every connection of the section; the caller backs off and tries again. */
	struct timespec step = {0, 100 * 1000000L};
	for (int tries = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; tries++) {
		if (errno == EWOULDBLOCK && tries < wait_seconds * 10) {
			nanosleep(&step, NULL);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			error_replace(error_r, "%s: another liaison process has held it for %d s", lock,
			              wait_seconds);
		else
			error_replace(error_r, "%s: cannot lock it: %s", lock, strerror(errno));
		close(fd);
		free(lock);
		return -1;
	}
	free(lock);
	return fd;
}

void oauth2_vault_unlock(int fd)
{
	if (fd < 0)
		return;
	/* closing releases the lock; LOCK_UN first in case the descriptor was inherited */
	(void)flock(fd, LOCK_UN);
	close(fd);
}
