/* web_server.h — the HTTP server under the console: GNU libmicrohttpd (the only file that
 * includes it), with every limit set here rather than left to the library's defaults (0.9.75
 * has no connection time-out by default): [web] max_connections, connection_timeout,
 * connection_memory, max_body and threads, epoll, and HTTPS with GnuTLS when [web] tls_cert
 * and tls_key are set.  Requests are handed to a handler as web_http.h's types. */
#ifndef LIAISON_WEB_SERVER_H
#define LIAISON_WEB_SERVER_H

#include <signal.h>

#include "config.h"
#include "web_http.h"

/* Answers one request: fills res (initialised by the server; its body is sent as is). */
typedef void web_handler(void *app, struct web_request *req, struct web_response *res);

/* Serves on config->web.listen until *stop is set (by a signal handler), calling handler
 * with app for each request (from the server's threads: handler must be thread-safe).
 * ready, when not NULL, is called once the socket listens (the address in *listen_r is what
 * it bound, the port resolved).  Returns 0 after a clean stop, -1 with *error_r when it could
 * not start (address in use, unreadable TLS files). */
int web_server_run(const struct config *config, web_handler *handler, void *app,
                   volatile sig_atomic_t *stop, void (*ready)(const char *listen, void *app),
                   char **error_r);

#endif
