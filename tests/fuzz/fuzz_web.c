/* libFuzzer target: what the web console reads from a browser and what it prints of a
 * stranger's text.  The input is a form body: web_form_parse either takes all of it or none
 * (never half), and each value it yields, escaped by html_text, must hold no '<', '>', '"',
 * '\'' or raw '&' (only entities), no control character but tab and newline, and be valid
 * UTF-8. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "web_html.h"
#include "web_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
		           : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (len == 0 || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static void check_escaped(const char *value, size_t len)
{
	struct buf b;
	buf_init(&b, 64 << 20);
	html_text(&b, value, len);
	const unsigned char *p = (const unsigned char *)b.data;
	for (size_t i = 0; i < b.len; i++) {
		if (p[i] == '<' || p[i] == '>' || p[i] == '"' || p[i] == '\'' ||
		    (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n') || p[i] == 0x7f)
			abort();
		if (p[i] == '&' && strncmp((const char *)p + i, "&amp;", 5) != 0 &&
		    strncmp((const char *)p + i, "&lt;", 4) != 0 &&
		    strncmp((const char *)p + i, "&gt;", 4) != 0 &&
		    strncmp((const char *)p + i, "&quot;", 6) != 0 &&
		    strncmp((const char *)p + i, "&#39;", 5) != 0)
			abort();
	}
	if (!valid_utf8(p, b.len))
		abort();
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist form = {0};
	if (web_form_parse((const char *)data, size, &form) < 0 && form.count != 0)
		abort(); /* a refused form adds nothing */
	if (form.count % 2 != 0)
		abort();
	for (size_t i = 0; i < form.count; i++)
		check_escaped(form.items[i], strlen(form.items[i]));
	check_escaped((const char *)data, size);
	strlist_free(&form);
	return 0;
}
