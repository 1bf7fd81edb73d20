/* charset.h — text in any declared charset to clean UTF-8.
 *
 * The rules every reader of mail text shares (mime.c for bodies, headers and parameters,
 * rfc2047.c for encoded words), so the tests and the callers agree:
 *   - a charset that is missing, unknown, us-ascii, iso-8859-1 or windows-1252 is read as
 *     UTF-8 when the bytes are valid UTF-8, else as windows-1252 (what "latin-1" mail really
 *     is); other known charsets go through iconv with each invalid byte as U+FFFD, unless
 *     they fail and the bytes are valid UTF-8 (a lying label);
 *   - raw 8-bit header bytes get the same UTF-8-else-windows-1252 reading;
 *   - NUL bytes become U+FFFD (visible, never a silent cut); text is never dropped.
 * Nothing here knows GMime: mime.c lends it GMime's iconv names (charset_set_iconv). */
#ifndef LIAISON_CHARSET_H
#define LIAISON_CHARSET_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

/* U+FFFD REPLACEMENT CHARACTER in UTF-8, what stands for every byte that cannot be read. */
#define CHARSET_REPLACEMENT "\xEF\xBF\xBD"
#define CHARSET_REPLACEMENT_LEN 3

/* A growing output buffer for converted text.  Start it zeroed ({0}).  It has no maximum of
 * its own: every caller fills it from input that is already bounded (a message is at most
 * mime_limits.max_message_bytes), and the output is at most four times that input. */
struct charset_buf {
	char *p;    /* not NUL-terminated until charset_buf_steal */
	size_t len;
	size_t cap;
};
/* Makes room for more than extra further bytes (so a NUL still fits after them). */
void charset_buf_reserve(struct charset_buf *b, size_t extra);
/* Appends len bytes as they are. */
void charset_buf_add(struct charset_buf *b, const void *data, size_t len);
/* Appends s as UTF-8: valid sequences as they are, each invalid byte and each NUL as
 * U+FFFD. */
void charset_buf_add_utf8(struct charset_buf *b, const unsigned char *s, size_t n);
/* Bytes of the UTF-8 character whose first byte is lead, in text known to be valid UTF-8
 * (charset_clean_utf8's output, say). */
size_t charset_utf8_len(unsigned char lead);
/* Hands the contents over NUL-terminated (caller frees; "" when empty), the length in
 * *len_r when it is not NULL, and leaves the buffer empty and reusable. */
char *charset_buf_steal(struct charset_buf *b, size_t *len_r);
/* Frees the contents and leaves the buffer empty and reusable. */
void charset_buf_free(struct charset_buf *b);

/* How a declared charset is read (see charset_convert_text). */
enum charset_kind {
	CHARSET_GUESS,  /* none, unknown, us-ascii, latin-1, windows-1252: UTF-8 if valid, else 1252 */
	CHARSET_UTF8,
	CHARSET_SINGLE, /* other single-byte sets: iconv, but valid UTF-8 wins (a lying label) */
	CHARSET_MULTI,  /* ASCII-compatible multibyte sets (CJK): iconv; UTF-8 if iconv fails */
	CHARSET_WIDE,   /* UTF-16/32, UTF-7, ISO-2022: ASCII bytes are not ASCII text, always iconv */
};
/* Classifies a charset name by its spelling alone, case-insensitively; NULL or "" is
 * CHARSET_GUESS.  A name of no known family is CHARSET_MULTI: when iconv does not know it
 * either, charset_convert_text reads the text as it reads CHARSET_GUESS. */
enum charset_kind charset_classify(const char *charset);

/* Returns 1 when the n bytes at s are valid UTF-8 (RFC 3629: no overlong forms, surrogates or
 * code points past U+10FFFF; NUL bytes are allowed here), else 0.  *high_r is set to whether
 * any byte is non-ASCII (1 when invalid), *nul_r to whether any byte is NUL. */
int charset_check_utf8(const unsigned char *s, size_t n, int *high_r, int *nul_r);

/* Converts the n bytes at s, declared as charset (NULL when none was), to UTF-8 by the rules
 * at the top of this file.  Never fails and never drops text.  Returns a new NUL-terminated
 * string without NULs (caller frees), its length in *len_r when len_r is not NULL. */
char *charset_convert_text(const char *charset, const unsigned char *s, size_t n, size_t *len_r);

/* A header's raw bytes (NUL-terminated) as UTF-8: kept when valid, else read as
 * windows-1252.  Returns a new string (caller frees). */
char *charset_convert_header(const char *s);

/* A copy of s made valid UTF-8, each invalid byte as U+FFFD (for strings a library produced,
 * which may pass odd bytes through).  Returns a new string (caller frees), or NULL when s is
 * NULL. */
char *charset_clean_utf8(const char *s);

/* Turns CRLF and a lone CR (old Mac mail) into LF in the *len bytes at s, in place, and
 * updates *len.  s must have room for a NUL at s[*len]; it is NUL-terminated when anything
 * changed. */
void charset_normalize_newlines(char *s, size_t *len);

/* Sets how charset_convert_text opens a converter from a charset name to UTF-8 (returning
 * (iconv_t)-1 when the charset is unknown) and closes it.  NULL for either restores the
 * default, iconv_open(3)/iconv_close(3) with the name as written.  mime_global_init installs
 * GMime's, which knows the MIME aliases iconv does not and caches descriptors.  Not
 * thread-safe: call before any thread converts text. */
void charset_set_iconv(iconv_t (*open_fn)(const char *charset), int (*close_fn)(iconv_t cd));

#endif
