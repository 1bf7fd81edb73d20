/* imap_url.c — the parts of IMAP that are plain text and need no connection (nor libetpan):
 * the mailbox URL and folder names in modified UTF-7.  See imap_url.h. */
#include "imap_url.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ---- URL ------------------------------------------------------------------------------- */

int imap_url_parse(const char *url, char **host_r, uint16_t *port_r, enum imap_tls *tls_r)
{
	const char *p;
	enum imap_tls tls;
	unsigned port;

	if (url == NULL)
		return -1;
	if (strncasecmp(url, "imaps://", 8) == 0) {
		p = url + 8;
		tls = IMAP_TLS_IMPLICIT;
		port = 993;
	} else if (strncasecmp(url, "imap://", 7) == 0) {
		p = url + 7;
		tls = IMAP_TLS_STARTTLS;
		port = 143;
	} else {
		return -1;
	}

	const char *host = p;
	size_t host_len;
	if (*p == '[') { /* IPv6 literal */
		const char *end = strchr(p, ']');
		if (end == NULL || end == p + 1)
			return -1;
		for (const char *q = p + 1; q < end; q++)
			if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.')
				return -1;
		host = p + 1;
		host_len = (size_t)(end - host);
		p = end + 1;
	} else {
		while (isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '_')
			p++;
		host_len = (size_t)(p - host);
		if (host_len == 0)
			return -1;
	}

	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		unsigned long v = 0;
		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (unsigned long)(*p - '0');
			if (v > 65535)
				return -1;
			p++;
		}
		if (v == 0)
			return -1;
		port = (unsigned)v;
	}
	if (*p == '/') /* "imaps://host/" is common in configs; nothing may follow */
		p++;
	if (*p != '\0')
		return -1;

	*host_r = xstrndup(host, host_len);
	*port_r = (uint16_t)port;
	*tls_r = tls;
	return 0;
}

/* ---- folder names: UTF-8 to IMAP modified UTF-7 (RFC 3501 5.1.3) ------------------------ */

static const char imap_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* Decodes one UTF-8 sequence at *p; returns the code point or -1. */
static long imap_utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	long cp;
	int extra;
	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	} else if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f;
		extra = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f;
		extra = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07;
		extra = 3;
	} else {
		return -1;
	}
	for (int i = 1; i <= extra; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	static const long min[] = {0, 0x80, 0x800, 0x10000};
	if (cp < min[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1; /* overlong, out of range or a surrogate */
	*p = s + extra + 1;
	return cp;
}

char *imap_folder_encode(const char *folder)
{
	struct buf out;
	buf_init(&out, 4096);
	const unsigned char *p = (const unsigned char *)folder;
	while (*p != '\0') {
		if (*p >= 0x20 && *p <= 0x7e) {
			if (buf_add(&out, p, 1) < 0 || (*p == '&' && buf_add(&out, "-", 1) < 0))
				goto fail;
			p++;
			continue;
		}
		/* a run of other characters: UTF-16BE in modified base64 between & and - */
		uint32_t bits = 0;
		int nbits = 0;
		if (buf_add(&out, "&", 1) < 0)
			goto fail;
		while (*p != '\0' && (*p < 0x20 || *p > 0x7e)) {
			long cp = imap_utf8_next(&p);
			if (cp < 0)
				goto fail;
			unsigned units[2];
			int n = 0;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				units[n++] = 0xd800 + (unsigned)(cp >> 10);
				units[n++] = 0xdc00 + (unsigned)(cp & 0x3ff);
			} else {
				units[n++] = (unsigned)cp;
			}
			for (int i = 0; i < n; i++) {
				bits = (bits << 16) | units[i];
				nbits += 16;
				while (nbits >= 6) {
					nbits -= 6;
					if (buf_add(&out, &imap_b64[(bits >> nbits) & 0x3f], 1) < 0)
						goto fail;
				}
			}
		}
		if (nbits > 0 && buf_add(&out, &imap_b64[(bits << (6 - nbits)) & 0x3f], 1) < 0)
			goto fail;
		if (buf_add(&out, "-", 1) < 0)
			goto fail;
	}
	if (out.data == NULL)
		return xstrdup("");
	return buf_steal(&out, NULL);
fail:
	buf_free(&out);
	return NULL;
}
