/* mime.c — parse one raw message with GMime into the project's own types.
 *
 * The only file that includes GMime.  The order of work in mime_parse:
 *   1. limits that need no parsing (empty, too large, header block too large);
 *   2. a linear pre-scan of the raw bytes that follows the boundary declarations and
 *      delimiter lines, so a message nested or split past the limits is quarantined before
 *      GMime sees its body (GMime itself stops at 1024 levels, but checks every line against
 *      every open boundary, so 100,000 nested multiparts would cost seconds), and that
 *      refuses address headers with nested groups (GMime recurses once per group and a
 *      160 KB "To: a:a:a:..." overflows the stack);
 *   3. GMime parses straight from the caller's buffer (no copy; leaf contents stay
 *      substreams of it), with strict RFC 2047 (its loose mode rescans to the end of the
 *      header for every unterminated "=?": quadratic);
 *   4. our own walk counts parts and depth again, exactly, then picks the body and
 *      hashes every other leaf by streaming its decoded content through SHA-256.
 *
 * Text decisions, kept here so the tests and the callers agree:
 *   - NUL bytes in a body become U+FFFD (visible, never a silent cut); CRLF and lone CR
 *     become LF, and trailing white space is dropped.
 *   - a charset that is missing, unknown, us-ascii, iso-8859-1 or windows-1252 is read as
 *     UTF-8 when the bytes are valid UTF-8, else as windows-1252 (what "latin-1" mail really
 *     is); other known charsets go through iconv with each invalid byte as U+FFFD, unless
 *     they fail and the bytes are valid UTF-8 (a lying label);
 *   - raw 8-bit header bytes get the same UTF-8-else-windows-1252 reading;
 *   - RFC 2047 words are decoded here, loosely, with the same charset rules (see
 *     encoded_words_rewrite for the GMime bugs this avoids);
 *   - a message/rfc822 part is listed as an attachment of its own (content type
 *     message/rfc822, named by its filename, else by the inner Subject; hashed over the
 *     inner message as GMime writes it, which for an unmodified parse is the bytes received),
 *     and its inner leaf parts are listed after it;
 *   - a header block that runs straight into the body without a blank line is ended at the
 *     first line that has no colon (GMime would drop such lines as broken headers);
 *   - a quarantined message keeps whatever headers could be read safely, but no text and
 *     no attachments. */
#include "mime.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <string.h>

#define GMIME_MAX_LEVEL 1024   /* GMime's own nesting cap; deeper limits change nothing */
#define REFERENCES_MAX 64
#define THREAD_INDEX_BYTES 22
/* GMime's address parser recurses once per "name:" group, even nested ones (which RFC 5322
 * does not allow): "To: a:a:a:..." 80,000 times overflows an 8 MiB stack.  Real mail has
 * one or two groups; past this many group colons in one header the message is refused
 * before GMime sees it (64 levels need a few kilobytes of stack). */
#define ADDRESS_GROUPS_MAX 64

static GMimeParserOptions *parser_options;

void mime_limits_default(struct mime_limits *limits)
{
	limits->max_depth = 32;
	limits->max_parts = 1000;
	limits->max_header_bytes = 1024 * 1024;
	limits->max_message_bytes = 100 * 1024 * 1024;
}

/* ---- a GMime stream that hashes and counts what is written to it ---------------------- */

typedef struct {
	GMimeStream parent;
	struct sha256_stream *sha;
	uint64_t size;
} MimeHashSink;

typedef struct {
	GMimeStreamClass parent_class;
} MimeHashSinkClass;

static gpointer hash_sink_parent_class;

static ssize_t hash_sink_write(GMimeStream *stream, const char *buf, size_t len)
{
	MimeHashSink *sink = (MimeHashSink *)stream;
	sha256_stream_update(sink->sha, buf, len);
	sink->size += len;
	stream->position += (gint64)len;
	return (ssize_t)len;
}

static ssize_t hash_sink_read(GMimeStream *stream, char *buf, size_t len)
{
	return -1;
}

static int hash_sink_noop(GMimeStream *stream)
{
	return 0;
}

static gboolean hash_sink_eos(GMimeStream *stream)
{
	return TRUE;
}

static gint64 hash_sink_seek(GMimeStream *stream, gint64 offset, GMimeSeekWhence whence)
{
	return -1;
}

static gint64 hash_sink_tell(GMimeStream *stream)
{
	return stream->position;
}

static gint64 hash_sink_length(GMimeStream *stream)
{
	return -1;
}

static GMimeStream *hash_sink_substream(GMimeStream *stream, gint64 start, gint64 end)
{
	return NULL;
}

static void hash_sink_finalize(GObject *object)
{
	MimeHashSink *sink = (MimeHashSink *)object;
	if (sink->sha != NULL) {
		char hex[SHA256_HEX_SIZE];
		sha256_stream_finish(&sink->sha, hex);
	}
	G_OBJECT_CLASS(hash_sink_parent_class)->finalize(object);
}

static void hash_sink_class_init(gpointer klass, gpointer data)
{
	GMimeStreamClass *stream_class = GMIME_STREAM_CLASS(klass);
	hash_sink_parent_class = g_type_class_peek_parent(klass);
	G_OBJECT_CLASS(klass)->finalize = hash_sink_finalize;
	stream_class->read = hash_sink_read;
	stream_class->write = hash_sink_write;
	stream_class->flush = hash_sink_noop;
	stream_class->close = hash_sink_noop;
	stream_class->eos = hash_sink_eos;
	stream_class->reset = hash_sink_noop;
	stream_class->seek = hash_sink_seek;
	stream_class->tell = hash_sink_tell;
	stream_class->length = hash_sink_length;
	stream_class->substream = hash_sink_substream;
}

static void hash_sink_instance_init(GTypeInstance *instance, gpointer klass)
{
	MimeHashSink *sink = (MimeHashSink *)instance;
	sink->sha = sha256_stream_new();
	sink->size = 0;
}

/* Registered by hand rather than with G_DEFINE_TYPE so cppcheck reads it without GLib's
 * macro configuration. */
static GType hash_sink_get_type(void)
{
	static gsize type_id = 0;
	if (g_once_init_enter(&type_id)) {
		static const GTypeInfo info = {
			.class_size = sizeof(MimeHashSinkClass),
			.class_init = hash_sink_class_init,
			.instance_size = sizeof(MimeHashSink),
			.instance_init = hash_sink_instance_init,
		};
		GType type = g_type_register_static(GMIME_TYPE_STREAM, "LiaisonHashSink", &info, 0);
		g_once_init_leave(&type_id, type);
	}
	return (GType)type_id;
}

static MimeHashSink *hash_sink_new(void)
{
	MimeHashSink *sink = g_object_new(hash_sink_get_type(), NULL);
	g_mime_stream_construct(GMIME_STREAM(sink), 0, -1);
	return sink;
}

/* Writes the digest of everything written so far and drops the sink. */
static void hash_sink_finish(MimeHashSink **sink, uint64_t *size_r, char hex_r[SHA256_HEX_SIZE])
{
	*size_r = (*sink)->size;
	sha256_stream_finish(&(*sink)->sha, hex_r);
	g_object_unref(*sink);
	*sink = NULL;
}

/* ---- UTF-8 output -------------------------------------------------------------------- */

struct tbuf {
	char *p;
	size_t len;
	size_t cap;
};

static void tbuf_reserve(struct tbuf *t, size_t extra)
{
	if (t->cap - t->len > extra)
		return;
	size_t cap = t->cap ? t->cap : 64;
	while (cap - t->len <= extra)
		cap *= 2;
	t->p = xrealloc(t->p, cap);
	t->cap = cap;
}

static void tbuf_add(struct tbuf *t, const void *data, size_t len)
{
	if (len == 0)
		return;
	tbuf_reserve(t, len);
	memcpy(t->p + t->len, data, len);
	t->len += len;
}

/* Appends a code point (caller reserved 4 bytes). */
static void tbuf_put_cp(struct tbuf *t, uint32_t cp)
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

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Hands the text over NUL-terminated (caller frees). */
static char *tbuf_steal(struct tbuf *t, size_t *len_r)
{
	tbuf_reserve(t, 1);
	t->p[t->len] = '\0';
	if (len_r != NULL)
		*len_r = t->len;
	char *p = t->p;
	t->p = NULL;
	t->len = t->cap = 0;
	return p;
}

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

/* Returns 1 when s is valid UTF-8 (NULs allowed: they are replaced later); *high_r tells
 * whether any byte is non-ASCII, *nul_r whether any is NUL. */
static int utf8_check(const unsigned char *s, size_t n, int *high_r, int *nul_r)
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

/* Appends s as UTF-8, each invalid byte and each NUL as U+FFFD. */
static void utf8_append_clean(struct tbuf *t, const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && s[run] != 0 && s[run] < 0x80)
			run++;
		if (run > i) {
			tbuf_add(t, s + i, run - i);
			i = run;
			continue;
		}
		size_t l = s[i] == 0 ? 0 : utf8_seq_len(s + i, n - i);
		if (l > 0) {
			tbuf_add(t, s + i, l);
			i += l;
		} else {
			tbuf_add(t, REPLACEMENT, 3);
			i++;
		}
	}
}

/* windows-1252 0x80-0x9F; the five holes become U+FFFD. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static void cp1252_append(struct tbuf *t, const unsigned char *s, size_t n)
{
	tbuf_reserve(t, n * 3);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == 0)
			tbuf_put_cp(t, 0xFFFD);
		else if (c < 0x80)
			t->p[t->len++] = (char)c;
		else if (c < 0xA0)
			tbuf_put_cp(t, cp1252_high[c - 0x80]);
		else
			tbuf_put_cp(t, c);
	}
}

/* Converts with iconv, each byte it rejects as U+FFFD.  Returns the number of rejects, or
 * -1 when iconv does not know the charset. */
static long iconv_append(struct tbuf *t, const char *charset, const unsigned char *s, size_t n)
{
	iconv_t cd = g_mime_iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return -1;
	iconv(cd, NULL, NULL, NULL, NULL);
	long errors = 0;
	char *in = (char *)s;
	size_t inleft = n;
	while (inleft > 0) {
		size_t chunk = inleft < 65536 ? inleft : 65536;
		tbuf_reserve(t, chunk * 4 + 16);
		char *out = t->p + t->len;
		size_t outleft = t->cap - t->len - 1;
		size_t rc = iconv(cd, &in, &inleft, &out, &outleft);
		int err = errno;
		t->len = (size_t)(out - t->p);
		if (rc != (size_t)-1 || err == E2BIG)
			continue;
		tbuf_add(t, REPLACEMENT, 3);
		errors++;
		if (err != EILSEQ)
			break; /* EINVAL: a sequence cut off by the end of the text */
		in++;
		inleft--;
	}
	tbuf_reserve(t, 16);
	char *out = t->p + t->len;
	size_t outleft = t->cap - t->len - 1;
	iconv(cd, NULL, NULL, &out, &outleft);
	t->len = (size_t)(out - t->p);
	g_mime_iconv_close(cd);
	return errors;
}

enum charset_kind {
	CS_GUESS,    /* none, unknown, us-ascii, latin-1, windows-1252: UTF-8 if valid, else 1252 */
	CS_UTF8,
	CS_SINGLE,   /* other single-byte sets: iconv, but valid UTF-8 wins (a lying label) */
	CS_MULTI,    /* ASCII-compatible multibyte sets (CJK): iconv; UTF-8 if iconv fails */
	CS_WIDE,     /* UTF-16/32, UTF-7, ISO-2022: ASCII bytes are not ASCII text, always iconv */
};

static enum charset_kind charset_classify(const char *charset)
{
	static const char *const guess[] = {
		"us-ascii", "ascii", "us", "ansi_x3.4-1968", "iso646-us", "iso-8859-1", "iso8859-1",
		"iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819",
		"windows-1252", "cp1252", "x-cp1252", "cp-1252", "win-1252", NULL};
	if (charset == NULL || *charset == '\0')
		return CS_GUESS;
	for (size_t i = 0; guess[i] != NULL; i++)
		if (g_ascii_strcasecmp(charset, guess[i]) == 0)
			return CS_GUESS;
	if (g_ascii_strcasecmp(charset, "utf-8") == 0 || g_ascii_strcasecmp(charset, "utf8") == 0)
		return CS_UTF8;
	if (str_has_prefix_nocase(charset, "utf-16") || str_has_prefix_nocase(charset, "utf16") ||
	    str_has_prefix_nocase(charset, "utf-32") || str_has_prefix_nocase(charset, "utf32") ||
	    str_has_prefix_nocase(charset, "ucs") || str_has_prefix_nocase(charset, "utf-7") ||
	    str_has_prefix_nocase(charset, "utf7") || str_has_prefix_nocase(charset, "unicode") ||
	    str_has_prefix_nocase(charset, "iso-2022") || str_has_prefix_nocase(charset, "csiso2022") ||
	    str_has_prefix_nocase(charset, "hz"))
		return CS_WIDE;
	if (str_has_prefix_nocase(charset, "iso-8859-") || str_has_prefix_nocase(charset, "iso8859") ||
	    str_has_prefix_nocase(charset, "iso_8859") || str_has_prefix_nocase(charset, "windows-125") ||
	    str_has_prefix_nocase(charset, "cp125") || str_has_prefix_nocase(charset, "koi8") ||
	    str_has_prefix_nocase(charset, "latin"))
		return CS_SINGLE;
	return CS_MULTI;
}

/* Converts text in the declared charset (may be NULL) to new UTF-8 without NULs
 * (caller frees); never fails and never drops text. */
static char *text_to_utf8(const char *charset, const unsigned char *s, size_t n, size_t *len_r)
{
	struct tbuf t = {0};
	if (n == 0)
		return tbuf_steal(&t, len_r);
	enum charset_kind kind = charset_classify(charset);
	int high, nul;
	int valid = utf8_check(s, n, &high, &nul);

	if (kind != CS_WIDE && valid && (!high || kind != CS_MULTI)) {
		/* plain ASCII, or UTF-8 under any ASCII-compatible label but a CJK one */
		if (nul)
			utf8_append_clean(&t, s, n);
		else
			tbuf_add(&t, s, n);
		return tbuf_steal(&t, len_r);
	}
	switch (kind) {
	case CS_UTF8:
		utf8_append_clean(&t, s, n);
		return tbuf_steal(&t, len_r);
	case CS_GUESS:
		cp1252_append(&t, s, n);
		return tbuf_steal(&t, len_r);
	case CS_SINGLE:
	case CS_MULTI:
	case CS_WIDE: {
		long errors = iconv_append(&t, charset, s, n);
		if (errors == 0 || (errors > 0 && !valid))
			break;
		t.len = 0;
		if (valid)
			utf8_append_clean(&t, s, n);
		else
			cp1252_append(&t, s, n);
		return tbuf_steal(&t, len_r);
	}
	}
	/* iconv output is valid UTF-8 but may carry U+0000 from wide charsets */
	if (memchr(t.p, 0, t.len) != NULL) {
		struct tbuf clean = {0};
		utf8_append_clean(&clean, (const unsigned char *)t.p, t.len);
		free(t.p);
		t = clean;
	}
	return tbuf_steal(&t, len_r);
}

/* A header's raw bytes as UTF-8: kept when valid, else read as windows-1252. */
static char *header_bytes_to_utf8(const char *s)
{
	return text_to_utf8(NULL, (const unsigned char *)s, strlen(s), NULL);
}

/* A copy of a string GMime produced, made valid UTF-8 (GMime may pass odd bytes through). */
static char *utf8_dup_clean(const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s);
	if (g_utf8_validate(s, (gssize)n, NULL))
		return xstrndup(s, n);
	struct tbuf t = {0};
	utf8_append_clean(&t, (const unsigned char *)s, n);
	return tbuf_steal(&t, NULL);
}

/* CRLF and a lone CR (old Mac mail) to LF, in place. */
static void text_newlines_to_lf(char *s, size_t *len)
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

/* ---- pre-scan of the raw bytes -------------------------------------------------------- */

struct prescan {
	size_t header_end;     /* bytes of the top-level header block */
	unsigned header_lines; /* "name: value" lines in it */
	int needs_blank;       /* the block runs into the body without a blank line */
	int header_nul;        /* NUL bytes inside the block */
	int too_deep;
	int too_many;
	int group_bomb;        /* an address header nests groups past ADDRESS_GROUPS_MAX */
};

struct line {
	const char *s;
	size_t len;  /* without the CR LF */
	size_t next; /* offset of the following line */
};

static int line_at(const char *raw, size_t len, size_t pos, struct line *l)
{
	if (pos >= len)
		return 0;
	const char *nl = memchr(raw + pos, '\n', len - pos);
	size_t end = nl ? (size_t)(nl - raw) : len;
	l->s = raw + pos;
	l->next = nl ? end + 1 : len;
	if (end > pos && raw[end - 1] == '\r')
		end--;
	l->len = end - pos;
	return 1;
}

/* Finds the end of the top-level header block; stops early once it is past max bytes. */
static void prescan_headers(const char *raw, size_t len, size_t max, struct prescan *ps)
{
	struct line l;
	size_t pos = 0;
	/* an mbox "From " line before the headers is skipped by GMime; keep it in the block */
	if (len >= 5 && memcmp(raw, "From ", 5) == 0 && line_at(raw, len, 0, &l))
		pos = l.next;
	while (line_at(raw, len, pos, &l)) {
		if (l.len == 0)
			break;
		if (l.s[0] == ' ' || l.s[0] == '\t') {
			if (ps->header_lines == 0)
				break;
		} else if (memchr(l.s, ':', l.len) != NULL) {
			ps->header_lines++;
		} else {
			ps->needs_blank = ps->header_lines > 0;
			break;
		}
		pos = l.next;
		if (pos > max)
			break;
	}
	ps->header_end = pos;
	ps->header_nul = memchr(raw, 0, pos) != NULL;
}

struct bstack {
	char **b;      /* open boundaries, innermost last; "" for one we cannot read */
	size_t *blen;
	size_t n;
	size_t cap;
};

static void bstack_pop_to(struct bstack *st, size_t n)
{
	while (st->n > n) {
		st->n--;
		free(st->b[st->n]);
	}
}

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* If the '=' at line offset eq ends a boundary parameter name, returns its value (new
 * string, "" when unreadable, e.g. RFC 2231 continuations); else NULL. */
static char *boundary_param_at(const struct line *l, size_t eq)
{
	size_t k = eq;
	int ext = 0;
	while (k > 0 && is_wsp(l->s[k - 1]))
		k--;
	if (k > 0 && l->s[k - 1] == '*') {
		ext = 1;
		k--;
	}
	while (k > 0 && l->s[k - 1] >= '0' && l->s[k - 1] <= '9')
		k--;
	if (k > 0 && l->s[k - 1] == '*') {
		ext = 1;
		k--;
	}
	if (k < 8 || g_ascii_strncasecmp(l->s + k - 8, "boundary", 8) != 0)
		return NULL;
	if (k > 8) {
		char p = l->s[k - 9];
		if (p != ';' && !is_wsp(p))
			return NULL;
	}
	if (ext)
		return xstrdup("");
	size_t v = eq + 1;
	while (v < l->len && is_wsp(l->s[v]))
		v++;
	struct tbuf t = {0};
	if (v < l->len && l->s[v] == '"') {
		for (v++; v < l->len && l->s[v] != '"'; v++) {
			if (l->s[v] == '\\' && v + 1 < l->len)
				v++;
			tbuf_add(&t, l->s + v, 1);
		}
	} else {
		size_t e = v;
		while (e < l->len && l->s[e] != ';' && !is_wsp(l->s[e]))
			e++;
		tbuf_add(&t, l->s + v, e - v);
	}
	return tbuf_steal(&t, NULL);
}

/* Headers that GMime or we parse as address lists. */
static int is_address_header(const char *name, size_t len)
{
	static const char *const names[] = {
		"from", "sender", "reply-to", "to", "cc", "bcc", "resent-from", "resent-sender",
		"resent-reply-to", "resent-to", "resent-cc", "resent-bcc", "return-path",
		"disposition-notification-to", "mail-followup-to", "mail-reply-to", "errors-to",
		"return-receipt-to", NULL};
	for (size_t i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == len && g_ascii_strncasecmp(name, names[i], len) == 0)
			return 1;
	return 0;
}

struct group_count {
	int active;    /* inside an address header (its first line or a continuation) */
	int quoted;
	int bracket;   /* inside a [domain literal], where IPv6 colons live */
	unsigned colons;
};

/* Counts the group colons of address headers anywhere in the message (forwarded messages
 * are parsed by GMime too), outside quoted strings and domain literals. */
static void group_count_line(struct group_count *gc, const struct line *l)
{
	size_t i = 0;
	if (l->len > 0 && (l->s[0] == ' ' || l->s[0] == '\t')) {
		if (!gc->active)
			return;
	} else {
		const char *colon = memchr(l->s, ':', l->len);
		size_t nl = colon ? (size_t)(colon - l->s) : 0;
		while (nl > 0 && is_wsp(l->s[nl - 1]))
			nl--;
		memset(gc, 0, sizeof(*gc));
		if (colon == NULL || !is_address_header(l->s, nl))
			return;
		gc->active = 1;
		i = (size_t)(colon - l->s) + 1;
	}
	for (; i < l->len; i++) {
		char c = l->s[i];
		if (gc->quoted) {
			if (c == '\\')
				i++;
			else if (c == '"')
				gc->quoted = 0;
		} else if (c == '"') {
			gc->quoted = 1;
		} else if (c == '[') {
			gc->bracket = 1;
		} else if (c == ']') {
			gc->bracket = 0;
		} else if (c == ':' && !gc->bracket) {
			gc->colons++;
		}
	}
}

/* Follows boundary declarations and delimiter lines the way GMime's parser does, closely
 * enough to bound its work: quarantines more open boundaries than max_depth or more
 * delimiters than max_parts.  "boundary=" in a body counts too, which can only make the
 * estimate larger; the exact counts come from the walk over what GMime built. */
static void prescan_structure(const char *raw, size_t len, const struct mime_limits *limits,
                              struct prescan *ps)
{
	struct bstack st = {0};
	struct group_count gc = {0};
	size_t delimiters = 0;
	size_t pos = 0;
	struct line l;
	while (!ps->too_deep && !ps->too_many && !ps->group_bomb && line_at(raw, len, pos, &l)) {
		pos = l.next;
		group_count_line(&gc, &l);
		if (gc.colons > ADDRESS_GROUPS_MAX)
			ps->group_bomb = 1;
		if (l.len >= 2 && l.s[0] == '-' && l.s[1] == '-' && st.n > 0) {
			for (size_t k = st.n; k-- > 0;) {
				size_t bl = st.blen[k];
				if (bl == 0 || l.len < 2 + bl || memcmp(l.s + 2, st.b[k], bl) != 0)
					continue;
				const char *rest = l.s + 2 + bl;
				size_t rl = l.len - 2 - bl;
				int final = rl >= 2 && rest[0] == '-' && rest[1] == '-';
				size_t w = final ? 2 : 0;
				while (w < rl && is_wsp(rest[w]))
					w++;
				if (!final && w < rl)
					continue; /* "--boundaryX" is not our delimiter */
				if (final) {
					bstack_pop_to(&st, k);
				} else {
					bstack_pop_to(&st, k + 1);
					if (++delimiters > limits->max_parts)
						ps->too_many = 1;
				}
				break;
			}
			continue;
		}
		const char *eq = l.len > 8 ? memchr(l.s + 8, '=', l.len - 8) : NULL;
		while (eq != NULL) {
			size_t off = (size_t)(eq - l.s);
			char *b = boundary_param_at(&l, off);
			if (b != NULL) {
				if (st.n >= limits->max_depth || st.n >= GMIME_MAX_LEVEL) {
					free(b);
					ps->too_deep = st.n >= limits->max_depth;
					break;
				}
				if (st.n == st.cap) {
					st.cap = st.cap ? st.cap * 2 : 8;
					st.b = xrealloc(st.b, st.cap * sizeof(*st.b));
					st.blen = xrealloc(st.blen, st.cap * sizeof(*st.blen));
				}
				st.blen[st.n] = strlen(b);
				st.b[st.n++] = b;
			}
			eq = off + 1 < l.len ? memchr(l.s + off + 1, '=', l.len - off - 1) : NULL;
		}
	}
	bstack_pop_to(&st, 0);
	free(st.b);
	free(st.blen);
}

/* ---- the result ----------------------------------------------------------------------- */

static struct parsed_message *parsed_message_new(void)
{
	struct parsed_message *msg = xcalloc(1, sizeof(*msg));
	msg->from.addr = xstrdup("");
	msg->subject = xstrdup("");
	msg->text = xstrdup("");
	return msg;
}

static void address_free(struct mime_address *a)
{
	xfree(&a->name);
	xfree(&a->addr);
}

void parsed_message_free(struct parsed_message **msgp)
{
	struct parsed_message *msg = *msgp;
	if (msg == NULL)
		return;
	free(msg->message_id);
	free(msg->in_reply_to);
	strlist_free(&msg->references);
	free(msg->thread_index);
	free(msg->return_path);
	address_free(&msg->from);
	for (size_t i = 0; i < msg->n_to; i++)
		address_free(&msg->to[i]);
	free(msg->to);
	strlist_free(&msg->recipients);
	free(msg->subject);
	free(msg->auto_submitted);
	free(msg->precedence);
	free(msg->x_auto_response_suppress);
	free(msg->list_header);
	free(msg->content_language);
	free(msg->text);
	for (size_t i = 0; i < msg->n_attachments; i++) {
		free(msg->attachments[i].filename);
		free(msg->attachments[i].content_type);
	}
	free(msg->attachments);
	free(msg->quarantine_reason);
	free(msg);
	*msgp = NULL;
}

static void quarantine(struct parsed_message *msg, char *reason)
{
	if (msg->quarantine_reason == NULL)
		msg->quarantine_reason = reason;
	else
		free(reason);
}

/* ---- headers -------------------------------------------------------------------------- */

static int base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 in place, skipping what is not base64.  Unlike GMime's decoder it keeps
 * a last group that lost its padding, and restarts after '=' (glued-together blocks), so a
 * sloppy mailer's text keeps its last characters.  Returns the decoded length. */
static size_t base64_decode_lenient(unsigned char *s, size_t n)
{
	size_t w = 0;
	uint32_t acc = 0;
	int have = 0;
	for (size_t r = 0; r < n; r++) {
		int d = base64_value(s[r]);
		if (d >= 0) {
			acc = (acc << 6) | (uint32_t)d;
			if (++have == 4) {
				s[w++] = (unsigned char)(acc >> 16);
				s[w++] = (unsigned char)(acc >> 8);
				s[w++] = (unsigned char)acc;
				have = 0;
				acc = 0;
			}
		} else if (s[r] == '=') {
			if (have == 2)
				s[w++] = (unsigned char)(acc >> 4);
			else if (have == 3) {
				s[w++] = (unsigned char)(acc >> 10);
				s[w++] = (unsigned char)(acc >> 2);
			}
			have = 0;
			acc = 0;
		}
	}
	if (have == 2)
		s[w++] = (unsigned char)(acc >> 4);
	else if (have == 3) {
		s[w++] = (unsigned char)(acc >> 10);
		s[w++] = (unsigned char)(acc >> 2);
	}
	return w;
}

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

static void encoded_word_decode(const struct encoded_word *w, struct tbuf *bytes)
{
	if (w->encoding == 'B') {
		size_t start = bytes->len;
		tbuf_add(bytes, w->text, w->text_len);
		bytes->len = start + base64_decode_lenient((unsigned char *)bytes->p + start, w->text_len);
		return;
	}
	for (size_t i = 0; i < w->text_len; i++) {
		char c = w->text[i];
		int hi, lo;
		if (c == '_') {
			tbuf_add(bytes, " ", 1);
		} else if (c == '=' && i + 2 < w->text_len && (hi = g_ascii_xdigit_value(w->text[i + 1])) >= 0 &&
		           (lo = g_ascii_xdigit_value(w->text[i + 2])) >= 0) {
			unsigned char b = (unsigned char)(hi * 16 + lo);
			tbuf_add(bytes, &b, 1);
			i += 2;
		} else {
			tbuf_add(bytes, &c, 1);
		}
	}
}

/* Converts the bytes of one charset group and appends them to the run's UTF-8. */
static void encoded_group_flush(struct tbuf *run, struct tbuf *bytes, const char *charset,
                                size_t charset_len)
{
	if (bytes->len == 0)
		return;
	char *cs = xstrndup(charset, charset_len);
	size_t ulen;
	char *utf8 = text_to_utf8(cs, (const unsigned char *)bytes->p, bytes->len, &ulen);
	tbuf_add(run, utf8, ulen);
	free(utf8);
	free(cs);
	bytes->len = 0;
}

/* Decodes the RFC 2047 encoded words in s with our charset rules.  A run of words separated
 * only by white space loses that white space, and words of one charset are joined before
 * conversion (mailers split multibyte characters across them).
 *
 * GMime's own decoder is avoided: it joins the base64 text of adjacent words before
 * decoding, so a padded word in the middle ends the text ("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?="
 * gives one "é" of two), and it drops bytes of a charset iconv does not know.  With
 * reencode, each run becomes one UTF-8 encoded word instead of text, which GMime's
 * structured parsers (addresses, parameters) then decode without either problem.
 * Returns a new string, or NULL when s has no encoded word. */
static char *encoded_words_rewrite(const char *s, int reencode)
{
	if (strstr(s, "=?") == NULL)
		return NULL;
	struct tbuf out = {0}, run = {0}, bytes = {0};
	size_t i = 0;
	while (s[i] != '\0') {
		struct encoded_word w;
		size_t skip;
		if (!encoded_word_at(s + i, &w, &skip)) {
			tbuf_add(&out, s + i, skip);
			i += skip;
			continue;
		}
		run.len = 0;
		const char *charset = w.charset;
		size_t charset_len = w.charset_len;
		size_t pos = i;
		size_t end;
		for (;;) {
			if (w.charset_len != charset_len || g_ascii_strncasecmp(w.charset, charset, charset_len) != 0) {
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
			tbuf_add(&out, run.p, run.len);
		} else if (run.len > 0) {
			gchar *b64 = g_base64_encode((const guchar *)run.p, run.len);
			tbuf_add(&out, "=?UTF-8?B?", 10);
			tbuf_add(&out, b64, strlen(b64));
			tbuf_add(&out, "?=", 2);
			g_free(b64);
		}
		i = end;
	}
	free(run.p);
	free(bytes.p);
	return tbuf_steal(&out, NULL);
}

/* A structured header's raw value as UTF-8 with each run of encoded words made one UTF-8
 * word, ready for GMime's parsers (new string). */
static char *header_raw_prepared(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	char *u = header_bytes_to_utf8(raw ? raw : "");
	char *n = encoded_words_rewrite(u, 1);
	if (n == NULL)
		return u;
	free(u);
	return n;
}

/* Unfolded, trimmed, UTF-8 raw value of a header (new string). */
static char *header_plain(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	char *u = header_bytes_to_utf8(raw ? raw : "");
	char *unfolded = g_mime_utils_header_unfold(u);
	free(u);
	char *v = xstrdup(unfolded);
	g_free(unfolded);
	return str_trim(v);
}

/* RFC 2047-decoded UTF-8 value of an unstructured header, CR/LF folded to spaces. */
static char *header_text(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	char *u = header_bytes_to_utf8(raw ? raw : "");
	char *unfolded = g_mime_utils_header_unfold(u);
	free(u);
	char *v = encoded_words_rewrite(unfolded, 0);
	if (v == NULL)
		v = xstrdup(unfolded);
	g_free(unfolded);
	for (char *p = v; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return str_trim(v);
}

static int is_id_char(unsigned char c)
{
	return c > ' ' && c != 0x7F && c != '<' && c != '>';
}

/* Finds the next "<id>" at or after *pos in s; returns its length (0 when none) and its
 * start in *start_r.  With need_at, only ids of the form local@domain count. */
static size_t msgid_next(const char *s, size_t *pos, const char **start_r, int need_at)
{
	for (;;) {
		const char *lt = strchr(s + *pos, '<');
		if (lt == NULL) {
			*pos = strlen(s);
			return 0;
		}
		size_t i = 1;
		while (is_id_char((unsigned char)lt[i]))
			i++;
		*pos = (size_t)(lt - s) + i;
		if (lt[i] != '>' || i == 1)
			continue; /* garbage: whitespace, a second '<', or the end inside the id */
		const char *at = memchr(lt + 1, '@', i - 1);
		if (need_at && (at == NULL || at == lt + 1 || at == lt + i - 1))
			continue;
		*pos += 1;
		*start_r = lt + 1;
		return i - 1;
	}
}

/* The Message-ID: the first <...@...>, else the first <...>, else a bare local@domain. */
static char *message_id_parse(const char *v)
{
	size_t pos = 0;
	const char *start;
	size_t n = msgid_next(v, &pos, &start, 1);
	if (n > 0)
		return xstrndup(start, n);
	pos = 0;
	n = msgid_next(v, &pos, &start, 0);
	if (n > 0)
		return xstrndup(start, n);
	size_t len = strlen(v);
	if (len > 2 && strchr(v, '<') == NULL && strchr(v, '>') == NULL && strchr(v, '@') != NULL &&
	    v[0] != '@' && v[len - 1] != '@') {
		for (size_t i = 0; i < len; i++)
			if (!is_id_char((unsigned char)v[i]))
				return NULL;
		return xstrndup(v, len);
	}
	return NULL;
}

static char *first_id(const char *v)
{
	size_t pos = 0;
	const char *start;
	size_t n = msgid_next(v, &pos, &start, 1);
	return n > 0 ? xstrndup(start, n) : NULL;
}

/* References then In-Reply-To, oldest first, without duplicates or the message's own id,
 * the newest REFERENCES_MAX kept.  A hash set keeps a hostile list linear. */
static void references_build(struct parsed_message *msg, const char *refs)
{
	GPtrArray *ids = g_ptr_array_new();
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	if (msg->message_id != NULL)
		g_hash_table_add(seen, msg->message_id);
	if (refs != NULL) {
		size_t pos = 0;
		const char *start;
		size_t n;
		while ((n = msgid_next(refs, &pos, &start, 1)) > 0) {
			char *id = xstrndup(start, n);
			if (g_hash_table_contains(seen, id)) {
				free(id);
				continue;
			}
			g_ptr_array_add(ids, id);
			g_hash_table_add(seen, id);
		}
	}
	if (msg->in_reply_to != NULL && !g_hash_table_contains(seen, msg->in_reply_to))
		g_ptr_array_add(ids, xstrdup(msg->in_reply_to));
	size_t skip = ids->len > REFERENCES_MAX ? ids->len - REFERENCES_MAX : 0;
	for (size_t i = skip; i < ids->len; i++)
		strlist_add(&msg->references, g_ptr_array_index(ids, i));
	g_hash_table_destroy(seen);
	for (size_t i = 0; i < ids->len; i++)
		free(g_ptr_array_index(ids, i));
	g_ptr_array_free(ids, TRUE);
}

/* Hex of the first 22 bytes of Outlook's base64 Thread-Index (the conversation part), or
 * NULL when it is not base64 or shorter than that. */
static char *thread_index_parse(const char *v)
{
	unsigned char bytes[THREAD_INDEX_BYTES];
	size_t nbytes = 0;
	uint32_t acc = 0;
	int bits = 0;
	int padding = 0;
	for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		if (*p == '=') {
			padding = 1;
			continue;
		}
		int d = base64_value(*p);
		if (d < 0 || padding)
			return NULL;
		acc = (acc << 6) | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (nbytes < THREAD_INDEX_BYTES)
				bytes[nbytes] = (unsigned char)(acc >> bits);
			nbytes++;
		}
	}
	if (nbytes < THREAD_INDEX_BYTES)
		return NULL;
	static const char digits[] = "0123456789abcdef";
	char *hex = xmalloc(2 * THREAD_INDEX_BYTES + 1);
	for (size_t i = 0; i < THREAD_INDEX_BYTES; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 15];
	}
	hex[2 * THREAD_INDEX_BYTES] = '\0';
	return hex;
}

struct addr_ctx {
	struct parsed_message *msg;
	GHashTable *seen;        /* recipients already listed */
	size_t to_cap;
	int from_done;
};

/* Calls fn on each mailbox of an address header (group members included). */
static void addresses_each(GMimeHeader *h, void (*fn)(struct addr_ctx *, InternetAddressMailbox *),
                           struct addr_ctx *ctx)
{
	char *u = header_raw_prepared(h);
	InternetAddressList *list = internet_address_list_parse(parser_options, u);
	free(u);
	if (list == NULL)
		return;
	int n = internet_address_list_length(list);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			fn(ctx, INTERNET_ADDRESS_MAILBOX(ia));
		} else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
				internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
			int m = members ? internet_address_list_length(members) : 0;
			for (int j = 0; j < m; j++) {
				InternetAddress *member = internet_address_list_get_address(members, j);
				if (INTERNET_ADDRESS_IS_MAILBOX(member))
					fn(ctx, INTERNET_ADDRESS_MAILBOX(member));
			}
		}
	}
	g_object_unref(list);
}

static char *mailbox_addr(InternetAddressMailbox *mb)
{
	const char *addr = internet_address_mailbox_get_addr(mb);
	char *a = utf8_dup_clean(addr ? addr : "");
	return str_lower(str_trim(a));
}

static char *mailbox_name(InternetAddressMailbox *mb)
{
	const char *name = internet_address_get_name(INTERNET_ADDRESS(mb));
	if (name == NULL)
		return NULL;
	char *n = str_trim(utf8_dup_clean(name));
	char *decoded = encoded_words_rewrite(n, 0); /* words GMime's strict mode left alone */
	if (decoded != NULL) {
		free(n);
		n = str_trim(decoded);
	}
	for (char *p = n; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	if (*n == '\0')
		xfree(&n);
	return n;
}

static void recipient_add(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	char *addr = mailbox_addr(mb);
	if (*addr != '\0' && !g_hash_table_contains(ctx->seen, addr)) {
		strlist_add(&ctx->msg->recipients, addr);
		g_hash_table_add(ctx->seen, ctx->msg->recipients.items[ctx->msg->recipients.count - 1]);
	}
	free(addr);
}

static void to_add(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	struct parsed_message *msg = ctx->msg;
	if (msg->n_to == ctx->to_cap) {
		ctx->to_cap = ctx->to_cap ? ctx->to_cap * 2 : 4;
		msg->to = xrealloc(msg->to, ctx->to_cap * sizeof(*msg->to));
	}
	msg->to[msg->n_to].name = mailbox_name(mb);
	msg->to[msg->n_to].addr = mailbox_addr(mb);
	msg->n_to++;
	recipient_add(ctx, mb);
}

static void from_set(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	struct parsed_message *msg = ctx->msg;
	if (ctx->from_done)
		return; /* only the first mailbox */
	ctx->from_done = 1;
	free(msg->from.addr);
	msg->from.addr = mailbox_addr(mb);
	msg->from.name = mailbox_name(mb);
}

static void return_path_set(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	struct parsed_message *msg = ctx->msg;
	if (msg->return_path == NULL)
		msg->return_path = mailbox_addr(mb);
}

/* Return-Path: "<>" (the null sender) is "", an address is lower-cased, anything else is
 * taken between its angle brackets as written. */
static void return_path_read(struct parsed_message *msg, GMimeHeader *h, struct addr_ctx *ctx)
{
	char *v = header_plain(h);
	msg->has_return_path = 1;
	const char *lt = strchr(v, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (lt != NULL && gt != NULL) {
		const char *p = lt + 1;
		while (p < gt && (*p == ' ' || *p == '\t'))
			p++;
		if (p == gt) {
			msg->return_path = xstrdup("");
			free(v);
			return;
		}
	}
	if (*v == '\0') {
		msg->return_path = xstrdup("");
		free(v);
		return;
	}
	addresses_each(h, return_path_set, ctx);
	if (msg->return_path == NULL) {
		if (lt != NULL && gt != NULL)
			msg->return_path = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		else
			msg->return_path = xstrdup(v);
		str_lower(str_trim(msg->return_path));
	}
	free(v);
}

static int name_is(const char *name, const char *want)
{
	return g_ascii_strcasecmp(name, want) == 0;
}

static void headers_read(struct parsed_message *msg, GMimeMessage *message)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(message));
	int n = g_mime_header_list_get_count(hl);
	GMimeHeader *h_msgid = NULL, *h_irt = NULL, *h_refs = NULL, *h_ti = NULL, *h_rp = NULL;
	GMimeHeader *h_from = NULL, *h_subject = NULL;
	GPtrArray *h_to = g_ptr_array_new(), *h_cc = g_ptr_array_new(), *h_rcpt = g_ptr_array_new();
	struct addr_ctx ctx = {msg, g_hash_table_new(g_str_hash, g_str_equal), 0, 0};

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		if (name == NULL)
			continue;
		if (name_is(name, "Message-ID")) {
			if (h_msgid == NULL)
				h_msgid = h;
		} else if (name_is(name, "In-Reply-To")) {
			if (h_irt == NULL)
				h_irt = h;
		} else if (name_is(name, "References")) {
			if (h_refs == NULL)
				h_refs = h;
		} else if (name_is(name, "Thread-Index")) {
			if (h_ti == NULL)
				h_ti = h;
		} else if (name_is(name, "Return-Path")) {
			if (h_rp == NULL)
				h_rp = h;
		} else if (name_is(name, "From")) {
			if (h_from == NULL)
				h_from = h;
		} else if (name_is(name, "Subject")) {
			if (h_subject == NULL)
				h_subject = h;
		} else if (name_is(name, "To")) {
			g_ptr_array_add(h_to, h);
		} else if (name_is(name, "Cc")) {
			g_ptr_array_add(h_cc, h);
		} else if (name_is(name, "Bcc") || name_is(name, "Resent-To") ||
		           name_is(name, "Resent-Cc") || name_is(name, "Resent-Bcc")) {
			g_ptr_array_add(h_rcpt, h);
		} else if (name_is(name, "Auto-Submitted")) {
			if (msg->auto_submitted == NULL)
				msg->auto_submitted = header_plain(h);
		} else if (name_is(name, "Precedence")) {
			if (msg->precedence == NULL)
				msg->precedence = header_plain(h);
		} else if (name_is(name, "X-Auto-Response-Suppress")) {
			if (msg->x_auto_response_suppress == NULL)
				msg->x_auto_response_suppress = header_plain(h);
		} else if (name_is(name, "Content-Language")) {
			if (msg->content_language == NULL)
				msg->content_language = header_plain(h);
		} else if (str_has_prefix_nocase(name, "List-")) {
			if (msg->list_header == NULL)
				msg->list_header = utf8_dup_clean(name);
		}
	}

	if (h_msgid != NULL) {
		char *v = header_plain(h_msgid);
		msg->message_id = message_id_parse(v);
		free(v);
	}
	if (h_irt != NULL) {
		char *v = header_plain(h_irt);
		msg->in_reply_to = first_id(v);
		free(v);
	}
	if (msg->in_reply_to != NULL && msg->message_id != NULL &&
	    strcmp(msg->in_reply_to, msg->message_id) == 0)
		xfree(&msg->in_reply_to); /* a message cannot answer itself */
	char *refs = h_refs ? header_plain(h_refs) : NULL;
	references_build(msg, refs);
	free(refs);
	if (h_ti != NULL) {
		char *v = header_plain(h_ti);
		msg->thread_index = thread_index_parse(v);
		free(v);
	}
	if (h_rp != NULL)
		return_path_read(msg, h_rp, &ctx);
	if (h_from != NULL)
		addresses_each(h_from, from_set, &ctx);
	if (h_subject != NULL) {
		free(msg->subject);
		msg->subject = header_text(h_subject);
	}
	for (guint i = 0; i < h_to->len; i++)
		addresses_each(g_ptr_array_index(h_to, i), to_add, &ctx);
	for (guint i = 0; i < h_cc->len; i++)
		addresses_each(g_ptr_array_index(h_cc, i), to_add, &ctx);
	for (guint i = 0; i < h_rcpt->len; i++)
		addresses_each(g_ptr_array_index(h_rcpt, i), recipient_add, &ctx);

	GDateTime *date = g_mime_message_get_date(message);
	msg->date = date ? g_date_time_to_unix(date) : 0;

	/* GMime files Content-* headers under the top-level part, not the message */
	if (msg->content_language == NULL && message->mime_part != NULL) {
		GMimeHeaderList *phl = g_mime_object_get_header_list(message->mime_part);
		GMimeHeader *h = g_mime_header_list_get_header(phl, "Content-Language");
		if (h != NULL)
			msg->content_language = header_plain(h);
	}

	g_hash_table_destroy(ctx.seen);
	g_ptr_array_free(h_to, TRUE);
	g_ptr_array_free(h_cc, TRUE);
	g_ptr_array_free(h_rcpt, TRUE);
}

/* ---- structure ------------------------------------------------------------------------ */

struct walk {
	const struct mime_limits *limits;
	struct parsed_message *msg;
	unsigned parts;
	int too_deep;
	int too_many;
	GMimePart *body;
	GPtrArray *alternatives; /* text parts that are the body in another form */
	size_t att_cap;
};

/* Counts every part and the nesting under obj (depth = containers above it). */
static void walk_count(struct walk *w, GMimeObject *obj, unsigned depth)
{
	if (w->too_deep || w->too_many)
		return;
	if (++w->parts > w->limits->max_parts) {
		w->too_many = 1;
		return;
	}
	if (depth > w->limits->max_depth) {
		w->too_deep = 1;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n && !w->too_deep && !w->too_many; i++)
			walk_count(w, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (inner != NULL && inner->mime_part != NULL)
			walk_count(w, inner->mime_part, depth + 1);
	}
}

static int is_attachment(GMimeObject *obj)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);
	return d != NULL && g_mime_content_disposition_is_attachment(d);
}

/* The body text part under obj: text/plain or text/html that is not an attachment; in a
 * multipart/alternative text/plain wins and every alternative's text part is recorded so
 * it is not listed as an attachment; elsewhere the first one found.  *html_r tells which.
 * Forwarded messages never hold the body.  Depth was bounded by walk_count. */
static GMimePart *body_find(GMimeObject *obj, int *html_r, GPtrArray *alternatives)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "encrypted"))
			return NULL;
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
			GMimePart *best = NULL;
			int best_html = 1;
			for (int i = 0; i < n; i++) {
				int html = 0;
				GMimePart *p = body_find(g_mime_multipart_get_part(mp, i), &html, alternatives);
				if (p == NULL)
					continue;
				g_ptr_array_add(alternatives, p);
				if (best == NULL || (best_html && !html)) {
					best = p;
					best_html = html;
				}
			}
			*html_r = best_html;
			return best;
		}
		for (int i = 0; i < n; i++) {
			GMimePart *p = body_find(g_mime_multipart_get_part(mp, i), html_r, alternatives);
			if (p != NULL)
				return p;
		}
		return NULL;
	}
	if (!GMIME_IS_PART(obj) || ct == NULL || is_attachment(obj))
		return NULL;
	if (g_mime_content_type_is_type(ct, "text", "plain")) {
		*html_r = 0;
		return GMIME_PART(obj);
	}
	if (g_mime_content_type_is_type(ct, "text", "html")) {
		*html_r = 1;
		return GMIME_PART(obj);
	}
	return NULL;
}

/* The decoded text of a part as UTF-8 with LF line ends (new string). */
static char *part_text(GMimePart *part, int html)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	if (content == NULL)
		return xstrdup("");
	GMimeStream *src = g_mime_data_wrapper_get_stream(content);
	gint64 hint = src ? g_mime_stream_length(src) : 0;
	/* decoded text is never longer than its encoded form: one allocation */
	GByteArray *bytes = g_byte_array_sized_new(hint > 0 && hint < (1 << 30) ? (guint)hint : 0);
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
	if (src != NULL && g_mime_data_wrapper_get_encoding(content) == GMIME_CONTENT_ENCODING_BASE64) {
		g_mime_stream_reset(src);
		g_mime_stream_write_to_stream(src, mem);
		g_byte_array_set_size(bytes, (guint)base64_decode_lenient(bytes->data, bytes->len));
	} else {
		g_mime_data_wrapper_write_to_stream(content, mem);
	}
	const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	size_t len;
	char *text = text_to_utf8(charset, bytes->data, bytes->len, &len);
	g_object_unref(mem);
	text_newlines_to_lf(text, &len);
	/* a multipart's last line break belongs to the delimiter: drop trailing space so the
	 * same text reads the same in any structure */
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\t' ||
	                   text[len - 1] == '\r'))
		text[--len] = '\0';
	if (html) {
		char *plain = html_to_text(text, len);
		free(text);
		return plain;
	}
	return text;
}

static struct mime_attachment *attachment_new(struct walk *w)
{
	struct parsed_message *msg = w->msg;
	if (msg->n_attachments == w->att_cap) {
		w->att_cap = w->att_cap ? w->att_cap * 2 : 4;
		msg->attachments = xrealloc(msg->attachments, w->att_cap * sizeof(*msg->attachments));
	}
	struct mime_attachment *a = &msg->attachments[msg->n_attachments++];
	memset(a, 0, sizeof(*a));
	return a;
}

static char *content_type_of(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *s = utf8_dup_clean(mime ? mime : "application/octet-stream");
	g_free(mime);
	return str_lower(s);
}

static char *filename_clean(const char *name)
{
	if (name == NULL || *name == '\0')
		return NULL;
	char *n = utf8_dup_clean(name);
	char *decoded = encoded_words_rewrite(n, 0); /* words GMime's strict mode left alone */
	if (decoded != NULL) {
		free(n);
		n = decoded;
	}
	for (char *p = n; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	if (*n == '\0')
		xfree(&n);
	return n;
}

/* One parameter of a Content-Disposition (disposition) or Content-Type header, decoded.
 * GMime decodes RFC 2231 and 2047 itself; a value holding encoded words is parsed again from
 * the prepared raw header, where GMime's decoder would lose text (see encoded_words_rewrite). */
static char *part_param(GMimeObject *obj, int disposition, const char *param)
{
	const char *header = disposition ? "Content-Disposition" : "Content-Type";
	GMimeHeader *h = g_mime_header_list_get_header(g_mime_object_get_header_list(obj), header);
	const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
	if (raw != NULL && strstr(raw, "=?") != NULL) {
		char *prepared = header_raw_prepared(h);
		char *value = NULL;
		if (disposition) {
			GMimeContentDisposition *d = g_mime_content_disposition_parse(parser_options, prepared);
			if (d != NULL) {
				value = filename_clean(g_mime_content_disposition_get_parameter(d, param));
				g_object_unref(d);
			}
		} else {
			GMimeContentType *ct = g_mime_content_type_parse(parser_options, prepared);
			if (ct != NULL) {
				value = filename_clean(g_mime_content_type_get_parameter(ct, param));
				g_object_unref(ct);
			}
		}
		free(prepared);
		if (value != NULL)
			return value;
	}
	return filename_clean(disposition ? g_mime_object_get_content_disposition_parameter(obj, param)
	                                  : g_mime_object_get_content_type_parameter(obj, param));
}

/* The file name the way g_mime_part_get_filename looks for it: the disposition's filename,
 * else the content type's name. */
static char *part_filename(GMimeObject *obj)
{
	char *name = part_param(obj, 1, "filename");
	return name != NULL ? name : part_param(obj, 0, "name");
}

static void attachment_add_part(struct walk *w, GMimePart *part)
{
	struct mime_attachment *a = attachment_new(w);
	a->filename = part_filename(GMIME_OBJECT(part));
	a->content_type = content_type_of(GMIME_OBJECT(part));
	MimeHashSink *sink = hash_sink_new();
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	if (content != NULL)
		g_mime_data_wrapper_write_to_stream(content, GMIME_STREAM(sink));
	hash_sink_finish(&sink, &a->size, a->sha256);
}

static void attachment_add_message(struct walk *w, GMimeObject *obj, GMimeMessage *inner)
{
	struct mime_attachment *a = attachment_new(w);
	a->filename = part_filename(obj);
	if (a->filename == NULL && inner != NULL) {
		/* no file name: the forwarded message's subject, decoded like ours */
		GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(inner));
		GMimeHeader *h = g_mime_header_list_get_header(hl, "Subject");
		char *subject = h ? header_text(h) : NULL;
		if (subject != NULL && *subject != '\0')
			a->filename = subject;
		else
			free(subject);
	}
	a->content_type = content_type_of(obj);
	MimeHashSink *sink = hash_sink_new();
	if (inner != NULL)
		g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, GMIME_STREAM(sink));
	hash_sink_finish(&sink, &a->size, a->sha256);
}

static int is_alternative(struct walk *w, GMimePart *part)
{
	for (guint i = 0; i < w->alternatives->len; i++)
		if (g_ptr_array_index(w->alternatives, i) == part)
			return 1;
	return 0;
}

/* Lists every leaf but the body and its alternatives, forwarded messages walked. */
static void walk_attachments(struct walk *w, GMimeObject *obj)
{
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n; i++)
			walk_attachments(w, g_mime_multipart_get_part(mp, i));
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		attachment_add_message(w, obj, inner);
		if (inner != NULL && inner->mime_part != NULL)
			walk_attachments(w, inner->mime_part);
	} else if (GMIME_IS_PART(obj)) {
		GMimePart *part = GMIME_PART(obj);
		if (part != w->body && !is_alternative(w, part))
			attachment_add_part(w, part);
	}
}

static void structure_read(struct parsed_message *msg, GMimeMessage *message,
                           const struct mime_limits *limits)
{
	GMimeObject *root = message->mime_part;
	if (root == NULL)
		return;
	GMimeContentType *ct = g_mime_object_get_content_type(root);
	msg->is_report = ct != NULL && g_mime_content_type_is_type(ct, "multipart", "report");

	struct walk w = {limits, msg, 0, 0, 0, NULL, NULL, 0};
	walk_count(&w, root, 0);
	if (w.too_deep) {
		quarantine(msg, xasprintf("nesting deeper than %u levels", limits->max_depth));
		return;
	}
	if (w.too_many) {
		quarantine(msg, xasprintf("more than %u parts", limits->max_parts));
		return;
	}
	w.alternatives = g_ptr_array_new();
	int html = 0;
	w.body = body_find(root, &html, w.alternatives);
	if (w.body != NULL) {
		free(msg->text);
		msg->text = part_text(w.body, html);
	}
	walk_attachments(&w, root);
	g_ptr_array_free(w.alternatives, TRUE);
}

/* ---- entry points --------------------------------------------------------------------- */

void mime_global_init(void)
{
	static const char *fallback[] = {"UTF-8", "windows-1252", NULL};
	g_mime_init();
	parser_options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
	g_mime_parser_options_set_allow_addresses_without_domain(parser_options, TRUE);
	g_mime_parser_options_set_address_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	/* loose RFC 2047 makes GMime scan to the end of a header for every unterminated "=?"
	 * (a 500 KB Subject took 20 s); we decode the loose cases ourselves, in linear time */
	g_mime_parser_options_set_rfc2047_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_STRICT);
	/* register the sink type now, not racing in the first parses */
	g_type_ensure(hash_sink_get_type());
}

void mime_global_deinit(void)
{
	if (parser_options != NULL)
		g_mime_parser_options_free(parser_options);
	parser_options = NULL;
	g_mime_shutdown();
}

/* A copy of raw with NULs in the header block as U+FFFD and a blank line where the header
 * block runs into the body, so GMime neither cuts a header short nor eats body lines. */
static char *raw_repair(const char *raw, size_t len, const struct prescan *ps, size_t *len_r)
{
	struct tbuf t = {0};
	tbuf_reserve(&t, len + 16);
	size_t i = 0;
	while (i < ps->header_end) {
		const char *nul = memchr(raw + i, 0, ps->header_end - i);
		size_t end = nul ? (size_t)(nul - raw) : ps->header_end;
		tbuf_add(&t, raw + i, end - i);
		if (nul != NULL)
			tbuf_add(&t, REPLACEMENT, 3);
		i = end + 1;
	}
	if (ps->needs_blank)
		tbuf_add(&t, "\n", 1);
	tbuf_add(&t, raw + ps->header_end, len - ps->header_end);
	return tbuf_steal(&t, len_r);
}

/* Parses data with GMime without copying it; returns the message or NULL. */
static GMimeMessage *gmime_parse(const char *data, size_t len, GByteArray **array_r,
                                 GMimeStream **stream_r)
{
	/* the stream borrows the caller's bytes: GMime only reads them, and the array is
	 * handed back unfreed by g_byte_array_free(..., FALSE) */
	GByteArray *array = g_byte_array_new_take((guint8 *)data, len);
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(array);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_persist_stream(parser, TRUE);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *message = g_mime_parser_construct_message(parser, parser_options);
	g_object_unref(parser);
	*array_r = array;
	*stream_r = stream;
	return message;
}

void mime_parse(const char *raw, size_t len, const struct mime_limits *limits,
                struct parsed_message **msg_r)
{
	struct mime_limits defaults;
	if (limits == NULL) {
		mime_limits_default(&defaults);
		limits = &defaults;
	}
	struct parsed_message *msg = parsed_message_new();
	*msg_r = msg;
	if (len == 0 || raw == NULL) {
		quarantine(msg, xstrdup("empty message"));
		return;
	}
	/* GMime's memory streams count in guint: 4 GiB is a hard ceiling whatever the limit */
	size_t max_bytes = limits->max_message_bytes < G_MAXUINT ? limits->max_message_bytes : G_MAXUINT - 1;
	if (len > max_bytes) {
		quarantine(msg, xasprintf("message larger than %zu bytes", max_bytes));
		return;
	}
	struct prescan ps = {0};
	prescan_headers(raw, len, limits->max_header_bytes, &ps);
	if (ps.header_end > limits->max_header_bytes) {
		quarantine(msg, xasprintf("header block larger than %zu bytes", limits->max_header_bytes));
		return;
	}
	if (ps.header_lines == 0) {
		quarantine(msg, xstrdup("not a message: no header lines"));
		return;
	}
	prescan_structure(raw, len, limits, &ps);
	if (ps.group_bomb) {
		quarantine(msg, xasprintf("address header with more than %d groups", ADDRESS_GROUPS_MAX));
		return;
	}

	char *repaired = NULL;
	const char *data = raw;
	size_t data_len = len;
	if (ps.needs_blank || ps.header_nul) {
		repaired = raw_repair(raw, len, &ps, &data_len);
		data = repaired;
	}
	if (ps.too_deep || ps.too_many) {
		/* read the headers only, so the quarantine still shows who sent what */
		quarantine(msg, ps.too_deep ? xasprintf("nesting deeper than %u levels", limits->max_depth)
		                            : xasprintf("more than %u parts", limits->max_parts));
		data_len = ps.header_end + (data_len - len);
		if (ps.needs_blank)
			data_len -= 1;
	}

	GByteArray *array;
	GMimeStream *stream;
	GMimeMessage *message = gmime_parse(data, data_len, &array, &stream);
	if (message == NULL) {
		quarantine(msg, xstrdup("not a message: GMime could not parse it"));
	} else {
		headers_read(msg, message);
		if (msg->quarantine_reason == NULL)
			structure_read(msg, message, limits);
		g_object_unref(message);
	}
	g_object_unref(stream);
	g_byte_array_free(array, FALSE);
	free(repaired);
}
