/* oauth2_http.h — one HTTPS POST of a form to an OAuth2 endpoint, with libcurl.  The
 * provider's certificate and host name are verified (against ca_file, or the system store);
 * redirects are not followed; the answer is capped at 1 MiB; 30 seconds at most.  Nothing is
 * logged: a request and its answer carry secrets.
 *
 * oauth2_http.c is libcurl's second user (smtp.c sends mail with it). */
#ifndef LIAISON_OAUTH2_HTTP_H
#define LIAISON_OAUTH2_HTTP_H

/* One form field; the value is URL-encoded here. */
struct oauth2_field {
	const char *name;
	const char *value;
};

/* POSTs the n fields as application/x-www-form-urlencoded to url (a client's secret travels
 * as a field, client_secret_post, which Entra and Google both take).  Returns 0 with the HTTP
 * status in *status_r and the body in *body_r (a new NUL-terminated string; the caller wipes
 * it with free_secret: it may hold a token), or -1 with *error_r when no answer came
 * (connection refused, TLS, timeout: in words, without the fields). */
int oauth2_http_post(const char *url, const char *ca_file, const struct oauth2_field *fields,
                     int n, long *status_r, char **body_r, char **error_r);

#endif
