/* util.h — memory, bounded buffers and small string helpers used everywhere. */
#ifndef LIAISON_UTIL_H
#define LIAISON_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation that never returns NULL: out of memory is the one failure that stops the
 * program (docs/conventions.md "Errors"), so callers need not check. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Returns a new copy (caller's), or NULL when s is NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string (caller's). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Replaces *error_r (freeing what was there) with the formatted message; nothing when error_r
 * is NULL (the caller did not ask why). */
void error_replace(char **error_r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Growable byte buffer with a hard maximum (curl's dynbuf): input from the network or a
 * file can never grow it past max.  data is always NUL-terminated for convenience. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int secret;      /* growth and buf_free wipe the old bytes (buf_init_secret) */
};
void buf_init(struct buf *b, size_t max);
/* A buffer for secrets (tokens, keys, a form with a client secret): no copy is left in freed
 * memory when it grows or is freed.  What buf_steal hands over the caller wipes. */
void buf_init_secret(struct buf *b, size_t max);
/* Returns 0, or -1 when the addition would pass max (the buffer is left unchanged). */
int buf_add(struct buf *b, const void *data, size_t len);
int buf_addstr(struct buf *b, const char *s);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Hands the contents to the caller (caller frees) and empties the buffer. */
char *buf_steal(struct buf *b, size_t *len_r);
void buf_free(struct buf *b);

/* A list of owned strings. */
struct strlist {
	char **items;
	size_t count;
	size_t cap;
};
/* Takes a copy of s. */
void strlist_add(struct strlist *l, const char *s);
/* Adds s (a copy) only when no item equals it. */
void strlist_add_unique(struct strlist *l, const char *s);
int strlist_contains(const struct strlist *l, const char *s);
int strlist_contains_nocase(const struct strlist *l, const char *s);
/* The items joined by sep, as a new string ("" for an empty list). */
char *strlist_join(const struct strlist *l, const char *sep);
void strlist_free(struct strlist *l);

/* Frees *p and sets it to NULL. */
void xfree(void *pp);
/* Zeroes then frees a secret. */
void free_secret(char **s);

/* ASCII lower-casing in place; returns s. */
char *str_lower(char *s);
/* Trims ASCII white space at both ends in place; returns s. */
char *str_trim(char *s);
int str_has_prefix_nocase(const char *s, const char *prefix);
/* 1 when the n bytes of a and b are equal but for ASCII case (whatever the locale). */
int str_ascii_ncaseeq(const char *a, const char *b, size_t n);
int str_has_suffix_nocase(const char *s, const char *suffix);

/* Reads a whole file into a new buffer (caller frees), refusing files larger than max.
 * Returns 0, or -1 with *error_r (caller frees) naming the path. */
int file_read_all(const char *path, size_t max, char **data_r, size_t *len_r, char **error_r);
/* Writes all of data to fd, through short writes and interruptions.  0, or -1 with errno. */
int fd_write_all(int fd, const void *data, size_t len);

/* Seconds since the epoch, UTC, as a string "2026-03-01T14:05:00Z" into out (>= 21 bytes). */
void time_format_utc(int64_t t, char *out, size_t size);
/* The same in the process's local time zone, as people read it: "2026-03-01 09:05" (>= 17
 * bytes), or "-" for 0 (never happened). */
void time_format_local(int64_t t, char *out, size_t size);

/* The value of a hexadecimal digit (either case), or -1. */
int hex_digit(char c);

#endif
