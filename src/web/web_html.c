/* web_html.c — HTML with every value escaped unless marked raw (see web_html.h). */
#include "web_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_http.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
	           : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || len > n || (len == 2 && s[0] < 0xc2))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (len == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0; /* overlong, or a UTF-16 surrogate */
	if (len == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0;
	return len;
}

void html_text(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		const char *entity = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
		                   : c == '"' ? "&quot;" : c == '\'' ? "&#39;" : NULL;
		if (entity != NULL) {
			buf_addstr(b, entity);
			i++;
		} else if (c < 0x20 && c != '\t' && c != '\n') {
			buf_addstr(b, c == '\r' ? "" : replacement);
			i++;
		} else if (c == 0x7f) {
			buf_addstr(b, replacement);
			i++;
		} else {
			size_t n = utf8_seq(p + i, len - i);
			if (n == 0) {
				buf_addstr(b, replacement);
				i++;
			} else {
				buf_add(b, p + i, n);
				i += n;
			}
		}
	}
}

void html(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (pct == NULL) {
			buf_addstr(b, p);
			break;
		}
		buf_add(b, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == 's') {
			const char *s = va_arg(ap, const char *);
			if (s != NULL)
				html_text(b, s, strlen(s));
			p++;
		} else if (*p == 'R') {
			const char *s = va_arg(ap, const char *);
			if (s != NULL)
				buf_addstr(b, s);
			p++;
		} else if (*p == 'U') {
			const char *s = va_arg(ap, const char *);
			char *e = web_url_encode(s ? s : "");
			buf_addstr(b, e);
			free(e);
			p++;
		} else if (*p == 'd') {
			buf_addf(b, "%d", va_arg(ap, int));
			p++;
		} else if (strncmp(p, "lld", 3) == 0) {
			buf_addf(b, "%lld", va_arg(ap, long long));
			p += 3;
		} else if (strncmp(p, "zu", 2) == 0) {
			buf_addf(b, "%zu", va_arg(ap, size_t));
			p += 2;
		} else if (*p == 'c') {
			char c = (char)va_arg(ap, int);
			html_text(b, &c, 1);
			p++;
		} else if (*p == '%') {
			buf_add(b, "%", 1);
			p++;
		} else {
			fprintf(stderr, "html: unknown conversion %%%c in \"%s\"\n", *p, fmt);
			abort();
		}
	}
	va_end(ap);
}

char *html_cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return xstrdup(s);
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--; /* back to the start of the character that would be split */
	return xasprintf("%.*s\xe2\x80\xa6", (int)max, s);
}
