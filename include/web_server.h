/* web_server.h — the HTTP server under the console: GNU libmicrohttpd (the only file that
 * includes it), with every limit set here rather than left to the library's defaults (0.9.75
 * has no connection time-out by default): [web] max_connections, connection_timeout,
 * connection_memory, max_body and threads, epoll, and HTTPS with GnuTLS when [web] tls_cert
 * and tls_key are set; a second listener for Prometheus /metrics on [web] metrics_listen.
 * Requests are handed to a handler as web_http.h's types. */
#ifndef LIAISON_WEB_SERVER_H
#define LIAISON_WEB_SERVER_H

#include <signal.h>

#include "config.h"
#include "web_http.h"

/* Answers one request: fills res (initialised by the server; its body is sent as is). */
typedef void web_handler(void *app, struct web_request *req, struct web_response *res);

/* What the server calls.  handler answers the console's requests, from the server's threads
 * (it must be thread-safe); metrics, when not NULL and [web] metrics_listen is set, answers
 * GET /metrics on that second, loopback-only listener (anything else there is 404).  The
 * loop watches *stop (set by a signal handler: stop) and *reload (set by SIGHUP: on_reload
 * is called from the loop's thread, then *reload is cleared).  ready, when not NULL, is
 * called once the sockets listen, with the addresses bound (ports resolved; metrics NULL when
 * there is no metrics listener). */
struct web_server_hooks {
	web_handler *handler;
	web_handler *metrics;
	void *app;
	volatile sig_atomic_t *stop;
	volatile sig_atomic_t *reload;
	void (*on_reload)(void *app);
	void (*ready)(const char *listen, const char *metrics, void *app);
};

/* Serves on config->web.listen (and metrics_listen) until *stop.  Returns 0 after a clean
 * stop, -1 with *error_r when it could not start (address in use, unreadable TLS files). */
int web_server_run(const struct config *config, const struct web_server_hooks *hooks,
                   char **error_r);

/* The server's own figures in Prometheus text format (0.0.4), appended to out: the console's
 * request latencies by route class (histogram liaison_http_request_duration_seconds) and its
 * responses by status code (liaison_http_responses_total), since the server started. */
void web_server_metrics(struct buf *out);

#endif
