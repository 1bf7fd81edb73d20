/* charset.c — text in any declared charset to clean UTF-8 (rules in charset.h). */
#include "charset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- the output buffer ---------------------------------------------------------------- */

/* The static versions are what the converters below call a byte or a run at a time, so the
 * compiler can inline them; the exported ones wrap them for rfc2047.c. */
static void out_reserve(struct charset_buf *t, size_t extra)
{
	if (t->cap - t->len > extra)
		return;
	size_t cap = t->cap ? t->cap : 64;
	while (cap - t->len <= extra)
		cap *= 2;
	t->p = xrealloc(t->p, cap);
	t->cap = cap;
}

static void out_add(struct charset_buf *t, const void *data, size_t len)
{
	if (len == 0)
		return;
	out_reserve(t, len);
	memcpy(t->p + t->len, data, len);
	t->len += len;
}

/* Appends a code point below U+10000 (caller reserved 3 bytes). */
static void out_put_cp(struct charset_buf *t, uint32_t cp)
{
	char *d = t->p + t->len;
	if (cp < 0x80) {
		d[0] = (char)cp;
		t->len += 1;
	} else if (cp < 0x800) {
		d[0] = (char)(0xC0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3F));
		t->len += 2;
	} else {
		d[0] = (char)(0xE0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		t->len += 3;
	}
}

void charset_buf_reserve(struct charset_buf *b, size_t extra)
{
	out_reserve(b, extra);
}

void charset_buf_add(struct charset_buf *b, const void *data, size_t len)
{
	out_add(b, data, len);
}

char *charset_buf_steal(struct charset_buf *t, size_t *len_r)
{
	out_reserve(t, 1);
	t->p[t->len] = '\0';
	if (len_r != NULL)
		*len_r = t->len;
	char *p = t->p;
	t->p = NULL;
	t->len = t->cap = 0;
	return p;
}

void charset_buf_free(struct charset_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- UTF-8 ---------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence of two or more bytes at s, or 0 when it is not one. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

int charset_check_utf8(const unsigned char *s, size_t n, int *high_r, int *nul_r)
{
	size_t i = 0;
	int high = 0;
	*nul_r = memchr(s, 0, n) != NULL;
	while (i < n) {
		/* ASCII runs a word at a time: the common case is all of the text */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		high = 1;
		size_t l = utf8_seq_len(s + i, n - i);
		if (l == 0) {
			*high_r = 1;
			return 0;
		}
		i += l;
	}
	*high_r = high;
	return 1;
}

size_t charset_utf8_len(unsigned char lead)
{
	return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

void charset_buf_add_utf8(struct charset_buf *t, const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && s[run] != 0 && s[run] < 0x80)
			run++;
		if (run > i) {
			out_add(t, s + i, run - i);
			i = run;
			continue;
		}
		size_t l = s[i] == 0 ? 0 : utf8_seq_len(s + i, n - i);
		if (l > 0) {
			out_add(t, s + i, l);
			i += l;
		} else {
			out_add(t, CHARSET_REPLACEMENT, CHARSET_REPLACEMENT_LEN);
			i++;
		}
	}
}

/* ---- windows-1252 --------------------------------------------------------------------- */

/* windows-1252 0x80-0x9F; the five holes become U+FFFD. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static void cp1252_append(struct charset_buf *t, const unsigned char *s, size_t n)
{
	out_reserve(t, n * 3);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == 0)
			out_put_cp(t, 0xFFFD);
		else if (c < 0x80)
			t->p[t->len++] = (char)c;
		else if (c < 0xA0)
			out_put_cp(t, cp1252_high[c - 0x80]);
		else
			out_put_cp(t, c);
	}
}

/* ---- iconv ---------------------------------------------------------------------------- */

static iconv_t default_iconv_open(const char *charset)
{
	return iconv_open("UTF-8", charset);
}

static iconv_t (*iconv_open_fn)(const char *charset) = default_iconv_open;
static int (*iconv_close_fn)(iconv_t cd) = iconv_close;

void charset_set_iconv(iconv_t (*open_fn)(const char *charset), int (*close_fn)(iconv_t cd))
{
	iconv_open_fn = open_fn != NULL ? open_fn : default_iconv_open;
	iconv_close_fn = close_fn != NULL ? close_fn : iconv_close;
}

/* Converts with iconv, each byte it rejects as U+FFFD.  Returns the number of rejects, or
 * -1 when iconv does not know the charset. */
static long iconv_append(struct charset_buf *t, const char *charset, const unsigned char *s,
                         size_t n)
{
	iconv_t cd = iconv_open_fn(charset);
	if (cd == (iconv_t)-1)
		return -1;
	iconv(cd, NULL, NULL, NULL, NULL);
	long errors = 0;
	char *in = (char *)s;
	size_t inleft = n;
	while (inleft > 0) {
		size_t chunk = inleft < 65536 ? inleft : 65536;
		out_reserve(t, chunk * 4 + 16);
		char *out = t->p + t->len;
		size_t outleft = t->cap - t->len - 1;
		size_t rc = iconv(cd, &in, &inleft, &out, &outleft);
		int err = errno;
		t->len = (size_t)(out - t->p);
		if (rc != (size_t)-1 || err == E2BIG)
			continue;
		out_add(t, CHARSET_REPLACEMENT, CHARSET_REPLACEMENT_LEN);
		errors++;
		if (err != EILSEQ)
			break; /* EINVAL: a sequence cut off by the end of the text */
		in++;
		inleft--;
	}
	out_reserve(t, 16);
	char *out = t->p + t->len;
	size_t outleft = t->cap - t->len - 1;
	iconv(cd, NULL, NULL, &out, &outleft);
	t->len = (size_t)(out - t->p);
	iconv_close_fn(cd);
	return errors;
}

/* ---- charsets ------------------------------------------------------------------------- */

/* ASCII-only case folding: charset names are ASCII, and the locale must not matter. */
static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

enum charset_kind charset_classify(const char *charset)
{
	static const char *const guess[] = {
		"us-ascii", "ascii", "us", "ansi_x3.4-1968", "iso646-us", "iso-8859-1", "iso8859-1",
		"iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819",
		"windows-1252", "cp1252", "x-cp1252", "cp-1252", "win-1252", NULL};
	if (charset == NULL || *charset == '\0')
		return CHARSET_GUESS;
	for (size_t i = 0; guess[i] != NULL; i++)
		if (ascii_casecmp(charset, guess[i]) == 0)
			return CHARSET_GUESS;
	if (ascii_casecmp(charset, "utf-8") == 0 || ascii_casecmp(charset, "utf8") == 0)
		return CHARSET_UTF8;
	if (str_has_prefix_nocase(charset, "utf-16") || str_has_prefix_nocase(charset, "utf16") ||
	    str_has_prefix_nocase(charset, "utf-32") || str_has_prefix_nocase(charset, "utf32") ||
	    str_has_prefix_nocase(charset, "ucs") || str_has_prefix_nocase(charset, "utf-7") ||
	    str_has_prefix_nocase(charset, "utf7") || str_has_prefix_nocase(charset, "unicode") ||
	    str_has_prefix_nocase(charset, "iso-2022") || str_has_prefix_nocase(charset, "csiso2022") ||
	    str_has_prefix_nocase(charset, "hz"))
		return CHARSET_WIDE;
	if (str_has_prefix_nocase(charset, "iso-8859-") || str_has_prefix_nocase(charset, "iso8859") ||
	    str_has_prefix_nocase(charset, "iso_8859") || str_has_prefix_nocase(charset, "windows-125") ||
	    str_has_prefix_nocase(charset, "cp125") || str_has_prefix_nocase(charset, "koi8") ||
	    str_has_prefix_nocase(charset, "latin"))
		return CHARSET_SINGLE;
	return CHARSET_MULTI;
}

char *charset_convert_text(const char *charset, const unsigned char *s, size_t n, size_t *len_r)
{
	struct charset_buf t = {0};
	if (n == 0)
		return charset_buf_steal(&t, len_r);
	enum charset_kind kind = charset_classify(charset);
	int high, nul;
	int valid = charset_check_utf8(s, n, &high, &nul);

	if (kind != CHARSET_WIDE && valid && (!high || kind != CHARSET_MULTI)) {
		/* plain ASCII, or UTF-8 under any ASCII-compatible label but a CJK one */
		if (nul)
			charset_buf_add_utf8(&t, s, n);
		else
			out_add(&t, s, n);
		return charset_buf_steal(&t, len_r);
	}
	switch (kind) {
	case CHARSET_UTF8:
		charset_buf_add_utf8(&t, s, n);
		return charset_buf_steal(&t, len_r);
	case CHARSET_GUESS:
		cp1252_append(&t, s, n);
		return charset_buf_steal(&t, len_r);
	case CHARSET_SINGLE:
	case CHARSET_MULTI:
	case CHARSET_WIDE: {
		long errors = iconv_append(&t, charset, s, n);
		if (errors == 0 || (errors > 0 && !valid))
			break;
		t.len = 0;
		if (valid)
			charset_buf_add_utf8(&t, s, n);
		else
			cp1252_append(&t, s, n);
		return charset_buf_steal(&t, len_r);
	}
	}
	/* iconv output is valid UTF-8 but may carry U+0000 from wide charsets */
	if (memchr(t.p, 0, t.len) != NULL) {
		struct charset_buf clean = {0};
		charset_buf_add_utf8(&clean, (const unsigned char *)t.p, t.len);
		free(t.p);
		t = clean;
	}
	return charset_buf_steal(&t, len_r);
}

char *charset_convert_header(const char *s)
{
	return charset_convert_text(NULL, (const unsigned char *)s, strlen(s), NULL);
}

char *charset_clean_utf8(const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s);
	int high, nul;
	if (charset_check_utf8((const unsigned char *)s, n, &high, &nul))
		return xstrndup(s, n);
	struct charset_buf t = {0};
	charset_buf_add_utf8(&t, (const unsigned char *)s, n);
	return charset_buf_steal(&t, NULL);
}

void charset_normalize_newlines(char *s, size_t *len)
{
	char *cr = memchr(s, '\r', *len);
	if (cr == NULL)
		return;
	size_t w = (size_t)(cr - s);
	for (size_t r = w; r < *len; r++) {
		if (s[r] == '\r') {
			if (r + 1 < *len && s[r + 1] == '\n')
				continue;
			s[w++] = '\n';
		} else {
			s[w++] = s[r];
		}
	}
	s[w] = '\0';
	*len = w;
}
