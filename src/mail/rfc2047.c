/* rfc2047.c — MIME encoded words: a tolerant decoder and a folding encoder (see rfc2047.h). */
#include "rfc2047.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "charset.h"
#include "util.h"

/* ---- decoding ------------------------------------------------------------------------- */

struct encoded_word {
	const char *charset; /* not NUL-terminated */
	size_t charset_len;
	char encoding;       /* 'B' or 'Q' */
	const char *text;
	size_t text_len;
	size_t len;          /* of the whole =?...?= */
};

static int is_word_char(char c)
{
	return (unsigned char)c > ' ' && (unsigned char)c < 0x7F;
}


/* Recognises an RFC 2047 encoded word at s ("=?charset?B?text?="), loosely: it may touch
 * the text around it, as many mailers write it.  When the text runs into white space or
 * the end without "?=", no word can start before that point either: *skip_r says how far
 * to copy, so a header full of "=?" costs linear time. */
static int encoded_word_at(const char *s, struct encoded_word *w, size_t *skip_r)
{
	*skip_r = 1;
	if (s[0] != '=' || s[1] != '?')
		return 0;
	const char *cs = s + 2;
	const char *q = cs;
	while (*q != '?' && is_word_char(*q) && q - cs < 64)
		q++;
	if (*q != '?' || q == cs)
		return 0;
	char enc = (char)(q[1] & ~0x20);
	if ((enc != 'B' && enc != 'Q') || q[2] != '?')
		return 0;
	const char *text = q + 3;
	const char *e = text;
	while (is_word_char(*e) && !(e[0] == '?' && e[1] == '='))
		e++;
	if (e[0] != '?' || e[1] != '=') {
		*skip_r = (size_t)(e - s);
		return 0;
	}
	w->charset = cs;
	w->charset_len = (size_t)(q - cs);
	const char *star = memchr(cs, '*', w->charset_len); /* RFC 2231 language suffix */
	if (star != NULL)
		w->charset_len = (size_t)(star - cs);
	w->encoding = enc;
	w->text = text;
	w->text_len = (size_t)(e - text);
	w->len = (size_t)(e + 2 - s);
	return 1;
}

static void encoded_word_decode(const struct encoded_word *w, struct charset_buf *bytes)
{
	if (w->encoding == 'B') {
		size_t start = bytes->len;
		charset_buf_add(bytes, w->text, w->text_len);
		bytes->len = start + base64_decode_lenient((unsigned char *)bytes->p + start, w->text_len);
		return;
	}
	for (size_t i = 0; i < w->text_len; i++) {
		char c = w->text[i];
		int hi, lo;
		if (c == '_') {
			charset_buf_add(bytes, " ", 1);
		} else if (c == '=' && i + 2 < w->text_len && (hi = hex_digit(w->text[i + 1])) >= 0 &&
		           (lo = hex_digit(w->text[i + 2])) >= 0) {
			unsigned char b = (unsigned char)(hi * 16 + lo);
			charset_buf_add(bytes, &b, 1);
			i += 2;
		} else {
			charset_buf_add(bytes, &c, 1);
		}
	}
}

/* Converts the bytes of one charset group and appends them to the run's UTF-8. */
static void encoded_group_flush(struct charset_buf *run, struct charset_buf *bytes,
                                const char *charset, size_t charset_len)
{
	if (bytes->len == 0)
		return;
	char *cs = xstrndup(charset, charset_len);
	size_t ulen;
	char *utf8 = charset_convert_text(cs, (const unsigned char *)bytes->p, bytes->len, &ulen);
	charset_buf_add(run, utf8, ulen);
	free(utf8);
	free(cs);
	bytes->len = 0;
}

/* The decoder behind both entry points.
 *
 * GMime's own decoder is avoided: it joins the base64 text of adjacent words before
 * decoding, so a padded word in the middle ends the text ("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?="
 * gives one "é" of two), and it drops bytes of a charset iconv does not know.  With
 * reencode, each run becomes one UTF-8 encoded word instead of text, which GMime's
 * structured parsers (addresses, parameters) then decode without either problem. */
static char *encoded_words_rewrite(const char *s, int reencode)
{
	if (strstr(s, "=?") == NULL)
		return NULL;
	struct charset_buf out = {0}, run = {0}, bytes = {0};
	size_t i = 0;
	while (s[i] != '\0') {
		struct encoded_word w;
		size_t skip;
		if (!encoded_word_at(s + i, &w, &skip)) {
			charset_buf_add(&out, s + i, skip);
			i += skip;
			continue;
		}
		run.len = 0;
		const char *charset = w.charset;
		size_t charset_len = w.charset_len;
		size_t pos = i;
		size_t end;
		for (;;) {
			if (w.charset_len != charset_len || !str_ascii_ncaseeq(w.charset, charset, charset_len)) {
				encoded_group_flush(&run, &bytes, charset, charset_len);
				charset = w.charset;
				charset_len = w.charset_len;
			}
			encoded_word_decode(&w, &bytes);
			end = pos + w.len;
			size_t k = end;
			while (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n')
				k++;
			if (!encoded_word_at(s + k, &w, &skip))
				break;
			pos = k;
		}
		encoded_group_flush(&run, &bytes, charset, charset_len);
		if (!reencode) {
			charset_buf_add(&out, run.p, run.len);
		} else if (run.len > 0) {
			char *b64 = xmalloc(BASE64_ENCODED_LEN(run.len) + 1);
			size_t b64_len = base64_encode(run.p, run.len, b64);
			charset_buf_add(&out, "=?UTF-8?B?", 10);
			charset_buf_add(&out, b64, b64_len);
			charset_buf_add(&out, "?=", 2);
			free(b64);
		}
		i = end;
	}
	charset_buf_free(&run);
	charset_buf_free(&bytes);
	return charset_buf_steal(&out, NULL);
}

char *rfc2047_decode_text(const char *s)
{
	return encoded_words_rewrite(s, 0);
}

char *rfc2047_reencode_words(const char *s)
{
	return encoded_words_rewrite(s, 1);
}

/* ---- encoding ------------------------------------------------------------------------- */

#define LINE_MAX_CHARS 76    /* RFC 2047 section 2, for lines that hold encoded words */
#define WORD_MAX_CHARS 75    /* the longest encoded word, also RFC 2047 section 2 */
#define WORD_OVERHEAD 12     /* "=?UTF-8?Q?" and "?=" */
#define FOLD "\r\n "

/* Bytes written literally in a "Q" word: the set RFC 2047 5(3) allows even inside a phrase,
 * so the encoder is safe for any header, not just unstructured ones. */
static int q_is_literal(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

static size_t q_cost(unsigned char c)
{
	return q_is_literal(c) || c == ' ' ? 1 : 3;
}

static void q_append(struct charset_buf *out, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		char e[3];
		if (q_is_literal(s[i])) {
			charset_buf_add(out, s + i, 1);
		} else if (s[i] == ' ') {
			charset_buf_add(out, "_", 1);
		} else {
			e[0] = '=';
			e[1] = hex[s[i] >> 4];
			e[2] = hex[s[i] & 15];
			charset_buf_add(out, e, 3);
		}
	}
}

/* Appends one encoded word holding the n bytes at s (whole characters). */
static void word_append(struct charset_buf *out, char encoding, const unsigned char *s, size_t n)
{
	charset_buf_add(out, encoding == 'B' ? "=?UTF-8?B?" : "=?UTF-8?Q?", 10);
	if (encoding == 'B') {
		char b64[BASE64_ENCODED_LEN(WORD_MAX_CHARS) + 1];
		assert(BASE64_ENCODED_LEN(n) <= WORD_MAX_CHARS);
		size_t len = base64_encode(s, n, b64);
		charset_buf_add(out, b64, len);
	} else {
		q_append(out, s, n);
	}
	charset_buf_add(out, "?=", 2);
}

/* Text that must be encoded to be written: 8-bit bytes, what a reader would decode ("=?"), and
 * controls, which RFC 5322 2.2 does not allow in a header (a tab is white space). */
static int needs_encoding(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p >= 0x7F || (*p < 0x20 && *p != '\t'))
			return 1;
	return strstr(s, "=?") != NULL;
}

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* s (ASCII) folded at its white space for a first line that starts at column col: a fold
 * (CRLF) goes before a run of white space when the word after it would pass
 * HEADER_LINE_SOFT_MAX, never before the first word nor at the end (that would leave a line
 * of white space alone, RFC 5322 3.2.2).  Readers unfold by removing the CRLF only, so the
 * text reads back the same.  Returns NULL when a word, with the white space before it, does
 * not fit in HEADER_LINE_MAX even so. */
static char *fold_plain(const char *s, size_t col)
{
	struct charset_buf out = {0};
	int word_on_line = 0;
	size_t i = 0;
	while (s[i] != '\0') {
		size_t start = i;
		while (is_wsp(s[i]))
			i++;
		size_t word = i;
		while (s[i] != '\0' && !is_wsp(s[i]))
			i++;
		size_t n = i - start;
		if (word_on_line && word < i && col + n > HEADER_LINE_SOFT_MAX) {
			charset_buf_add(&out, "\r\n", 2);
			col = 0;
		}
		if (col + n > HEADER_LINE_MAX) {
			charset_buf_free(&out);
			return NULL;
		}
		charset_buf_add(&out, s + start, n);
		col += n;
		word_on_line |= word < i;
	}
	return charset_buf_steal(&out, NULL);
}

/* The encoded words of utf8, folded (see rfc2047_encode_header_text). */
static char *encode_words(const char *utf8, size_t header_name_len)
{
	struct charset_buf clean = {0};
	charset_buf_add_utf8(&clean, (const unsigned char *)utf8, strlen(utf8));
	const unsigned char *s = (const unsigned char *)clean.p;
	size_t n = clean.len;

	size_t q_total = 0;
	for (size_t i = 0; i < n; i++)
		q_total += q_cost(s[i]);
	char encoding = q_total <= BASE64_ENCODED_LEN(n) ? 'Q' : 'B';

	struct charset_buf out = {0};
	size_t col = header_name_len + 2; /* "Name: " is on the first line already */
	size_t i = 0;
	while (i < n) {
		size_t room = col < LINE_MAX_CHARS ? LINE_MAX_CHARS - col : 0;
		if (room > WORD_MAX_CHARS)
			room = WORD_MAX_CHARS;
		/* take whole characters while the word still fits the line */
		size_t end = i, payload = 0;
		while (end < n) {
			size_t clen = charset_utf8_len(s[end]);
			if (clen > n - end)
				clen = n - end;
			size_t grown;
			if (encoding == 'B') {
				grown = BASE64_ENCODED_LEN(end + clen - i);
			} else {
				grown = payload;
				for (size_t k = 0; k < clen; k++)
					grown += q_cost(s[end + k]);
			}
			if (WORD_OVERHEAD + grown > room)
				break;
			payload = grown;
			end += clen;
		}
		if (end == i) {
			/* not even one character fits after a long header name: start on the next
			 * line (a continuation line always has room for one) */
			assert(out.len == 0);
			charset_buf_add(&out, FOLD, 3);
			col = 1;
			continue;
		}
		word_append(&out, encoding, s + i, end - i);
		i = end;
		if (i < n) {
			charset_buf_add(&out, FOLD, 3);
			col = 1;
		}
	}
	charset_buf_free(&clean);
	return charset_buf_steal(&out, NULL);
}

/* utf8 with each CR and LF as a space (new string): nothing it holds starts a header line. */
static char *flatten(const char *utf8)
{
	assert(utf8 != NULL);
	char *flat = xstrdup(utf8);
	for (char *p = flat; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return flat;
}

char *rfc2047_encode_header_text(const char *utf8, size_t header_name_len)
{
	char *flat = flatten(utf8);
	char *out = needs_encoding(flat) ? NULL : fold_plain(flat, header_name_len + 2);
	/* A word no line can hold (a pasted 1,300-character URL) cannot be folded as it is:
	 * encoded words can be cut between any two characters, and a reader joins them again. */
	if (out == NULL)
		out = encode_words(flat, header_name_len);
	free(flat);
	return out;
}

char *rfc2047_encode_phrase(const char *utf8, size_t header_name_len)
{
	char *flat = flatten(utf8);
	char *out = NULL;
	/* A quote or a backslash would need escaping inside a quoted string: encoded words
	 * (whose "Q" form keeps to what a phrase allows, RFC 2047 5(3)) are simpler. */
	if (!needs_encoding(flat) && strpbrk(flat, "\"\\") == NULL) {
		out = strpbrk(flat, "()<>[]:;@,.") == NULL ? xstrdup(flat) : xasprintf("\"%s\"", flat);
		/* Only when no fold is needed: GMime keeps the CRLF of a folded phrase in the
		 * name it reads ("Troop K\r\n Community"), encoded words lose it. */
		if (header_name_len + 2 + strlen(out) > HEADER_LINE_SOFT_MAX)
			xfree(&out);
	}
	if (out == NULL)
		out = encode_words(flat, header_name_len);
	free(flat);
	return out;
}
