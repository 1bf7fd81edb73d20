/* compose.c — the bytes of the messages liaison sends.  Every header value that came from a
 * stranger goes through rfc2047_encode_header_text, whose only line breaks are folds (CRLF
 * and a space): nothing a stranger writes can start a header line of its own. */
#include "compose.h"

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

/* A Message-ID we write must not carry what could break the header: keep the printable
 * characters of an id only. */
static void add_id(struct buf *b, const char *id)
{
	buf_addstr(b, "<");
	for (const char *p = id; *p; p++)
		if (*p > 0x20 && *p < 0x7f && *p != '<' && *p != '>')
			buf_add(b, p, 1);
	buf_addstr(b, ">");
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

static void add_header_text(struct buf *b, const char *name, const char *value)
{
	char *enc = rfc2047_encode_header_text(value, strlen(name));
	buf_addf(b, "%s: %s\r\n", name, enc);
	free(enc);
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

	if (out->from_name && out->from_name[0]) {
		/* A display name is a phrase: encode it like text, then the address. */
		char *name = rfc2047_encode_header_text(out->from_name, 4);
		int plain = strpbrk(name, "()<>[]:;@\\,.\"") == NULL;
		buf_addf(&b, "From: %s%s%s <%s>\r\n", plain ? "" : "\"", name, plain ? "" : "\"",
		         out->from_addr);
		free(name);
	} else {
		buf_addf(&b, "From: <%s>\r\n", out->from_addr);
	}
	buf_addf(&b, "To: <%s>\r\n", out->to_addr);
	add_header_text(&b, "Subject", out->subject);
	buf_addf(&b, "Date: %s\r\n", date);
	buf_addstr(&b, "Message-ID: ");
	add_id(&b, out->message_id);
	buf_addstr(&b, "\r\n");
	if (out->in_reply_to) {
		buf_addstr(&b, "In-Reply-To: ");
		add_id(&b, out->in_reply_to);
		buf_addstr(&b, "\r\n");
	}
	if (out->references && out->references->count > 0) {
		/* The root and the newest nine: enough to thread (RFC 5322 3.6.4 lets a writer
		 * drop the middle of a long list, never the first). */
		size_t n = out->references->count;
		size_t skip_to = n > 10 ? n - 9 : 1;
		buf_addstr(&b, "References: ");
		add_id(&b, out->references->items[0]);
		for (size_t i = skip_to; i < n; i++) {
			buf_addstr(&b, "\r\n ");
			add_id(&b, out->references->items[i]);
		}
		buf_addstr(&b, "\r\n");
	}
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
