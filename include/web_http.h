/* web_http.h — one HTTP request and its response as the console's pages see them, without
 * the server library: web_server.c fills a request and sends the response; everything else in
 * src/web/ reads and writes these types.  Form bodies (application/x-www-form-urlencoded) are
 * decoded here. */
#ifndef LIAISON_WEB_HTTP_H
#define LIAISON_WEB_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The largest page or file the console builds (a thread of a thousand messages fits). */
#define WEB_RESPONSE_MAX (64 * 1024 * 1024)

struct web_request;
/* A header, query parameter or cookie by name (case-insensitive for headers), or NULL.  The
 * server's strings: valid for the request. */
typedef const char *web_lookup_fn(const struct web_request *r, int kind, const char *name);
enum { WEB_HEADER, WEB_QUERY, WEB_COOKIE };

struct web_request {
	const char *method;     /* "GET", "POST", ... */
	const char *path;       /* "/t/K-2026-00001", without the query */
	char peer[64];          /* the client's address, as text */
	int peer_loopback;      /* 127.0.0.0/8 or ::1 */
	int https;
	const char *body;       /* the request body (NUL-terminated), or NULL */
	size_t body_len;
	int body_too_large;     /* more than [web] max_body came: the body was dropped */
	struct strlist form;    /* the body's form fields: name, value, name, value, ... */
	web_lookup_fn *lookup;
	void *server;           /* for lookup */
	int64_t now;            /* when it arrived (the clock every page uses) */
};

struct web_response {
	int status;
	const char *content_type; /* static string */
	struct buf body;
	struct strlist headers;   /* "Name: value" each */
	int cacheable;            /* a static file: may be cached (else no-store) */
	int file_fd;              /* >= 0: the body is this open file instead (file_size bytes),
	                             sent from it as the client takes it, then closed (owned);
	                             -1: the body above */
	uint64_t file_size;
};

/* Header, query parameter and cookie lookups. */
const char *web_header(const struct web_request *r, const char *name);
const char *web_query(const struct web_request *r, const char *name);
const char *web_cookie(const struct web_request *r, const char *name);
/* A form field of the body (the first of that name), or NULL. */
const char *web_form(const struct web_request *r, const char *name);

/* Decodes an application/x-www-form-urlencoded body into pairs (appended to form).
 * Returns 0, or -1 for a malformed escape or a field without '=' (nothing half-added). */
int web_form_parse(const char *body, size_t len, struct strlist *form);
/* Percent-decodes s ('+' is a space when plus_space) into a new string, or NULL when an
 * escape is malformed or the result holds a NUL byte. */
char *web_url_decode(const char *s, size_t len, int plus_space);
/* Percent-encodes s for a path segment or a query value (new string). */
char *web_url_encode(const char *s);

void web_response_init(struct web_response *res);
void web_response_free(struct web_response *res);
/* Adds a header line "name: value" (value must hold no CR or LF: such a value is dropped,
 * with a log line). */
void web_add_header(struct web_response *res, const char *name, const char *value);
/* A 303 See Other to location (a path of this site). */
void web_redirect(struct web_response *res, const char *location);
/* A plain page with status and a short text (for errors: 400, 403, 404, 413, 500). */
void web_plain(struct web_response *res, int status, const char *text);

#endif
