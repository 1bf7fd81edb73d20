/* web_http.c — requests and responses without the server library (see web_http.h). */
#include "web_http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

const char *web_header(const struct web_request *r, const char *name)
{
	return r->lookup ? r->lookup(r, WEB_HEADER, name) : NULL;
}

const char *web_query(const struct web_request *r, const char *name)
{
	return r->lookup ? r->lookup(r, WEB_QUERY, name) : NULL;
}

const char *web_cookie(const struct web_request *r, const char *name)
{
	return r->lookup ? r->lookup(r, WEB_COOKIE, name) : NULL;
}

const char *web_form(const struct web_request *r, const char *name)
{
	for (size_t i = 0; i + 1 < r->form.count; i += 2)
		if (strcmp(r->form.items[i], name) == 0)
			return r->form.items[i + 1];
	return NULL;
}

char *web_url_decode(const char *s, size_t len, int plus_space)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < len ? hex_digit(s[i + 1]) : -1;
			int lo = i + 2 < len ? hex_digit(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(out);
				return NULL;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (c == '\0') {
			free(out);
			return NULL;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

char *web_url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;
	buf_init(&b, 1 << 20);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p) != NULL) {
			buf_add(&b, p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_add(&b, e, 3);
		}
	}
	buf_add(&b, "", 1);
	return buf_steal(&b, NULL);
}

int web_form_parse(const char *body, size_t len, struct strlist *form)
{
	struct strlist pairs = {0};
	size_t start = 0;
	while (start < len) {
		size_t end = start;
		while (end < len && body[end] != '&')
			end++;
		if (end > start) {
			const char *eq = memchr(body + start, '=', end - start);
			char *name = eq ? web_url_decode(body + start, (size_t)(eq - body - start), 1) : NULL;
			char *value = eq ? web_url_decode(eq + 1, (size_t)(body + end - eq - 1), 1) : NULL;
			if (name == NULL || value == NULL) {
				free(name);
				free(value);
				strlist_free(&pairs);
				return -1;
			}
			strlist_add(&pairs, name);
			strlist_add(&pairs, value);
			free(name);
			free(value);
		}
		start = end + 1;
	}
	for (size_t i = 0; i < pairs.count; i++)
		strlist_add(form, pairs.items[i]);
	strlist_free(&pairs);
	return 0;
}

void web_response_init(struct web_response *res)
{
	memset(res, 0, sizeof(*res));
	res->status = 200;
	res->content_type = "text/html; charset=utf-8";
	buf_init(&res->body, WEB_RESPONSE_MAX);
	res->file_fd = -1;
}

void web_response_free(struct web_response *res)
{
	buf_free(&res->body);
	strlist_free(&res->headers);
	if (res->file_fd >= 0)
		close(res->file_fd);
	res->file_fd = -1;
}

void web_add_header(struct web_response *res, const char *name, const char *value)
{
	if (strpbrk(value, "\r\n") != NULL) {
		log_warn("web: header %s dropped: its value holds a line break", name);
		return;
	}
	char *line = xasprintf("%s: %s", name, value);
	strlist_add(&res->headers, line);
	free(line);
}

void web_redirect(struct web_response *res, const char *location)
{
	res->status = 303;
	web_add_header(res, "Location", location);
	buf_reset(&res->body);
}

void web_plain(struct web_response *res, int status, const char *text)
{
	res->status = status;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	buf_addstr(&res->body, text);
	buf_addstr(&res->body, "\n");
}
