/* util.c — memory, bounded buffers and small string helpers. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void out_of_memory(size_t size)
{
	fprintf(stderr, "liaison: out of memory (%zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (p == NULL)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (p == NULL)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		out_of_memory(size);
	return p;
}

char *xstrdup(const char *s)
{
	return s == NULL ? NULL : xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory(0);
	return s;
}

void error_replace(char **error_r, const char *fmt, ...)
{
	if (error_r == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	free(*error_r);
	*error_r = msg;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void xfree(void *pp)
{
	void **p = pp;
	free(*p);
	*p = NULL;
}

void free_secret(char **s)
{
	if (*s != NULL) {
		explicit_bzero(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->secret = 0;
}

void buf_init_secret(struct buf *b, size_t max)
{
	buf_init(b, max);
	b->secret = 1;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	if (len > b->max || b->len > b->max - len)
		return -1;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len + 1)
			cap *= 2;
		if (b->secret && b->data != NULL) {
			/* realloc would leave the old bytes in freed memory: copy, then wipe them */
			char *grown = xmalloc(cap);
			memcpy(grown, b->data, b->len + 1);
			explicit_bzero(b->data, b->cap);
			free(b->data);
			b->data = grown;
		} else {
			b->data = xrealloc(b->data, cap);
		}
		b->cap = cap;
	}
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory(0);
	int rc = buf_add(b, s, (size_t)n);
	free(s);
	return rc;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

char *buf_steal(struct buf *b, size_t *len_r)
{
	char *data = b->data != NULL ? b->data : xstrdup("");
	if (len_r != NULL)
		*len_r = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return data; /* a secret buffer's: the caller wipes it */
}

void buf_free(struct buf *b)
{
	int secret = b->secret;
	if (secret && b->data != NULL)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	buf_init(b, b->max);
	b->secret = secret;
}

void strlist_add(struct strlist *l, const char *s)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->count++] = xstrdup(s);
}

void strlist_add_unique(struct strlist *l, const char *s)
{
	if (!strlist_contains(l, s))
		strlist_add(l, s);
}

int strlist_contains(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

int strlist_contains_nocase(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcasecmp(l->items[i], s) == 0)
			return 1;
	return 0;
}

char *strlist_join(const struct strlist *l, const char *sep)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (size_t i = 0; i < l->count; i++) {
		if (i > 0)
			buf_addstr(&b, sep);
		buf_addstr(&b, l->items[i]);
	}
	return buf_steal(&b, NULL);
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
	l->cap = 0;
}

char *str_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

char *str_trim(char *s)
{
	char *start = s;
	while (*start && isspace((unsigned char)*start))
		start++;
	size_t n = strlen(start);
	while (n > 0 && isspace((unsigned char)start[n - 1]))
		n--;
	memmove(s, start, n);
	s[n] = '\0';
	return s;
}

int str_has_prefix_nocase(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

int str_ascii_ncaseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return 0;
	}
	return 1;
}

int str_has_suffix_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int fd_write_all(int fd, const void *data, size_t len)
{
	const char *at = data;
	while (len > 0) {
		ssize_t n = write(fd, at, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		at += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_read_all(const char *path, size_t max, char **data_r, size_t *len_r, char **error_r)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*error_r = xasprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		*error_r = xasprintf("%s: %lld bytes, larger than the limit of %zu", path,
		                     (long long)st.st_size, max);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *data = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > max) {
				*error_r = xasprintf("%s: grew past the limit of %zu bytes", path, max);
				goto fail;
			}
			cap *= 2;
			data = xrealloc(data, cap);
		}
		ssize_t n = read(fd, data + len, cap - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*error_r = xasprintf("%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	data[len] = '\0';
	*data_r = data;
	*len_r = len;
	return 0;
fail:
	free(data);
	close(fd);
	return -1;
}

void time_format_local(int64_t t, char *out, size_t size)
{
	if (t == 0) {
		snprintf(out, size, "-");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	if (localtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, size, "%lld", (long long)t);
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void time_format_utc(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, size, "%lld", (long long)t);
}
