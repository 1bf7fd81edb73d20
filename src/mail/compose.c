/* compose.c — the bytes of the messages liaison sends.  Every header value that came from a
 * stranger goes through rfc2047_encode_header_text or is checked here, and the only line
 * breaks in a header are folds (CRLF and white space): nothing a stranger writes can start a
 * header line of its own.  No header line passes 998 bytes (RFC 5322 2.1.1), which strict
 * servers refuse, and lines are folded at 78 where the tokens allow. */
#include "compose.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "rfc2047.h"

const char *compose_domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	return at ? at + 1 : "";
}

void compose_message_id(const char *domain, char id_r[COMPOSE_MSGID_SIZE])
{
	unsigned char rnd[16];
	size_t got = 0;
	while (got < sizeof(rnd)) {
		ssize_t n = getrandom(rnd + got, sizeof(rnd) - got, 0);
		if (n > 0)
			got += (size_t)n;
	}
	char hex[33];
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	snprintf(id_r, COMPOSE_MSGID_SIZE, "liaison.%s@%s", hex, domain[0] ? domain : "localhost");
}

/* A header written token by token: each goes on the current line while that stays within
 * HEADER_LINE_SOFT_MAX, else after a fold. */
struct header {
	struct buf *b;
	size_t col;    /* bytes on the current line */
	int tokens;    /* tokens written */
};

static void header_begin(struct header *h, struct buf *b, const char *name)
{
	h->b = b;
	h->tokens = 0;
	buf_addf(b, "%s:", name);
	h->col = strlen(name) + 1;
}

/* Appends " token" (len bytes), folding before it when the line already holds a token and
 * would pass HEADER_LINE_SOFT_MAX (always, with own_line), or when it would pass
 * HEADER_LINE_MAX.  Returns 0, or -1 without writing when even a line of its own cannot
 * hold the token. */
static int header_add(struct header *h, const char *token, size_t len, int own_line)
{
	if (1 + len > HEADER_LINE_MAX)
		return -1;
	int fold = h->tokens > 0 ? own_line || h->col + 1 + len > HEADER_LINE_SOFT_MAX
	                         : h->col + 1 + len > HEADER_LINE_MAX;
	if (fold) {
		buf_addstr(h->b, "\r\n");
		h->col = 0;
	}
	buf_addstr(h->b, " ");
	buf_add(h->b, token, len);
	h->col += 1 + len;
	h->tokens++;
	return 0;
}

/* Appends " text", text already folded (rfc2047.h) for a first line after "Name: ". */
static void header_add_folded(struct header *h, const char *text)
{
	buf_addstr(h->b, " ");
	buf_addstr(h->b, text);
	const char *last = strrchr(text, '\n');
	h->col = last ? strlen(last + 1) : h->col + 1 + strlen(text);
	h->tokens++;
}

static void header_end(struct header *h)
{
	buf_addstr(h->b, "\r\n");
}

/* "<id>" when id can be written as it is: printable ASCII but for "<" and ">" (RFC 5322
 * 3.6.4), and short enough for a line of its own.  Altered, it would be another id, useless
 * for threading; NULL then (the caller leaves it out). */
static char *id_token(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n + 3 > HEADER_LINE_MAX)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>')
			return NULL;
	return xasprintf("<%s>", id);
}

static int is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Bytes of the dot-atom at s (RFC 5322 3.2.3), 0 when there is none. */
static size_t dot_atom_len(const char *s)
{
	size_t i = 0;
	for (;;) {
		size_t start = i;
		while (is_atext((unsigned char)s[i]))
			i++;
		if (i == start)
			return 0;
		if (s[i] != '.')
			return i;
		i++;
	}
}

/* Bytes of the quoted string ('"', qtext, quoted pairs, spaces) or domain literal ('[',
 * dtext) at s, 0 when there is none: printable ASCII only (RFC 5322 3.2.4, 3.4.1). */
static size_t quoted_len(const char *s)
{
	char close = s[0] == '"' ? '"' : s[0] == '[' ? ']' : '\0';
	if (close == '\0')
		return 0;
	for (size_t i = 1; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == (unsigned char)close)
			return i + 1;
		if (c < 0x20 || c >= 0x7f || (close == ']' && (c == '[' || c == '\\' || c == ' ')))
			return 0;
		if (c == '\\' && (s[++i] == '\0' || (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f))
			return 0;
	}
	return 0;
}

#define ADDRESS_MAX 254 /* RFC 5321 4.5.3.1.3: a path of 256 bytes with its "<" and ">" */

/* "<addr>" when addr is an RFC 5322 addr-spec (dot-atom or quoted local part, dot-atom or
 * literal domain, no comments or folding) that SMTP can carry; else NULL.  Anything else a
 * stranger's header gave as a reply address, written between "<" and ">", would read as
 * something else: its colons as groups, its commas as more recipients. */
static char *addr_token(const char *addr)
{
	size_t local = addr[0] == '"' ? quoted_len(addr) : dot_atom_len(addr);
	if (local == 0 || addr[local] != '@' || strlen(addr) > ADDRESS_MAX)
		return NULL;
	const char *domain = addr + local + 1;
	size_t n = domain[0] == '[' ? quoted_len(domain) : dot_atom_len(domain);
	if (n == 0 || domain[n] != '\0')
		return NULL;
	return xasprintf("<%s>", addr);
}

/* Quoted-printable (RFC 2045) of UTF-8 text with CRLF line ends and soft breaks at 76. */
static void add_qp(struct buf *b, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			buf_addstr(b, "\r\n");
			col = 0;
			continue;
		}
		char enc[3];
		size_t n;
		int at_eol = p[1] == '\n' || p[1] == '\0' || (p[1] == '\r' && p[2] == '\n');
		/* Spaces and tabs are encoded at a line end (they would be lost), '.' at a line
		 * start (SMTP's dot), '=' and 8-bit always. */
		if ((*p >= 33 && *p <= 126 && *p != '=' && !(*p == '.' && col == 0)) ||
		    ((*p == ' ' || *p == '\t') && !at_eol)) {
			enc[0] = (char)*p;
			n = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			n = 3;
		}
		if (col + n > 75) {
			buf_addstr(b, "=\r\n");
			col = 0;
		}
		buf_add(b, enc, n);
		col += n;
	}
	if (col > 0)
		buf_addstr(b, "\r\n");
}

static void add_from(struct buf *b, const char *name, const char *addr)
{
	struct header h;
	header_begin(&h, b, "From");
	if (name && name[0]) {
		char *phrase = rfc2047_encode_phrase(name, strlen("From"));
		header_add_folded(&h, phrase);
		free(phrase);
	}
	/* The troop's own address, from the configuration: no controls, and short (a
	 * configuration line holds 199 characters), so a line of its own always holds it. */
	char *token = xasprintf("<%s>", addr);
	header_add(&h, token, strlen(token), 0);
	free(token);
	header_end(&h);
}

/* A stranger's reply address that is no addr-spec, or longer than SMTP allows, leaves the
 * To header out: RFC 5322 3.6 makes it optional, and the envelope names the recipient, whose
 * server then decides. */
static void add_to(struct buf *b, const char *name, const char *addr)
{
	char *token = addr_token(addr);
	if (token == NULL)
		return;
	struct header h;
	header_begin(&h, b, "To");
	/* The person's own name, as they wrote it: a reply addressed to a bare address reads
	 * like a form letter.  Encoded as a phrase, whatever it holds. */
	if (name && name[strspn(name, " \t")]) {
		char *clean = xstrdup(name);
		for (char *p = clean; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		char *phrase = rfc2047_encode_phrase(clean, strlen("To"));
		header_add_folded(&h, phrase);
		free(phrase);
		free(clean);
	}
	header_add(&h, token, strlen(token), 0);
	header_end(&h);
	free(token);
}

static void add_text(struct buf *b, const char *name, const char *value)
{
	struct header h;
	header_begin(&h, b, name);
	char *enc = rfc2047_encode_header_text(value, strlen(name));
	header_add_folded(&h, enc);
	free(enc);
	header_end(&h);
}

/* Our own id (compose_message_id) always fits; the id answered is left out when it cannot be
 * written as it is. */
static void add_id(struct buf *b, const char *name, const char *id)
{
	char *token = id_token(id);
	if (token == NULL)
		return;
	struct header h;
	header_begin(&h, b, name);
	header_add(&h, token, strlen(token), 0);
	header_end(&h);
	free(token);
}

#define REFERENCES_KEPT 10 /* the root and the newest nine: enough to thread */

/* References, one id a line.  RFC 5322 3.6.4 lets a writer drop the middle of a long list,
 * never the first: the root and the newest nine are kept.  An id that cannot be written as it
 * is (a 1,500-character one, which no line can hold) is passed over, root or answered id
 * alike: the others still thread the reply, and a shortened id would thread nothing. */
static void add_references(struct buf *b, const struct strlist *refs)
{
	char **tokens = xcalloc(refs->count + 1, sizeof(*tokens));
	size_t n = 0;
	for (size_t i = 0; i < refs->count; i++)
		if ((tokens[n] = id_token(refs->items[i])) != NULL)
			n++;
	if (n > 0) {
		struct header h;
		header_begin(&h, b, "References");
		size_t newest = n > REFERENCES_KEPT ? n - (REFERENCES_KEPT - 1) : 1;
		header_add(&h, tokens[0], strlen(tokens[0]), 1);
		for (size_t i = newest; i < n; i++)
			header_add(&h, tokens[i], strlen(tokens[i]), 1);
		header_end(&h);
	}
	for (size_t i = 0; i < n; i++)
		free(tokens[i]);
	free(tokens);
}

char *compose_message(const struct outgoing *out, size_t *len_r)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	char date[64];
	time_t t = (time_t)out->date;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);

	add_from(&b, out->from_name, out->from_addr);
	add_to(&b, out->to_name, out->to_addr);
	add_text(&b, "Subject", out->subject);
	buf_addf(&b, "Date: %s\r\n", date);
	char *own = id_token(out->message_id);
	assert(own != NULL);
	buf_addf(&b, "Message-ID: %s\r\n", own);
	free(own);
	if (out->in_reply_to)
		add_id(&b, "In-Reply-To", out->in_reply_to);
	if (out->references && out->references->count > 0)
		add_references(&b, out->references);
	if (out->auto_submitted) {
		buf_addf(&b, "Auto-Submitted: %s\r\n", out->auto_submitted);
		buf_addstr(&b, "X-Auto-Response-Suppress: All\r\n");
	}
	buf_addstr(&b, "MIME-Version: 1.0\r\n"
	               "Content-Type: text/plain; charset=UTF-8\r\n"
	               "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	add_qp(&b, out->body);
	return buf_steal(&b, len_r);
}
