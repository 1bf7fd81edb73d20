/* web_server.c — libmicrohttpd under the console (see web_server.h).
 *
 * A request is gathered in struct pending (headers come with the first call of the access
 * handler, the body in the calls after it, capped at [web] max_body), handed to the handler
 * once complete, and its response queued.  Every limit the library leaves open is set. */
#include "web_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "config_value.h"
#include "log.h"

struct server {
	web_handler *handler;
	void *app;
	size_t max_body;
	int https;
};

/* One request while it arrives. */
struct pending {
	struct buf body;
	int too_large;
};

static const char *lookup(const struct web_request *r, int kind, const char *name)
{
	struct MHD_Connection *c = r->server;
	enum MHD_ValueKind k = kind == WEB_HEADER ? MHD_HEADER_KIND
	                     : kind == WEB_QUERY ? MHD_GET_ARGUMENT_KIND : MHD_COOKIE_KIND;
	return MHD_lookup_connection_value(c, k, name);
}

/* The client's address as text, and whether it is loopback. */
static void peer_of(struct MHD_Connection *c, char *peer, size_t size, int *loopback_r)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(peer, size, "?");
	*loopback_r = 0;
	if (ci == NULL || ci->client_addr == NULL)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, peer, (socklen_t)size);
		*loopback_r = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, peer, (socklen_t)size);
		*loopback_r = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct web_response *res)
{
	struct MHD_Response *r;
	if (res->file_fd >= 0) {
		/* a large download (a production's zip), sent from its file as the client takes it */
		r = MHD_create_response_from_fd64(res->file_size, res->file_fd);
		if (r == NULL)
			return MHD_NO;
		res->file_fd = -1; /* the response closes it */
	} else {
		size_t len;
		char *body = buf_steal(&res->body, &len);
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (r == NULL) {
			free(body);
			return MHD_NO;
		}
	}
	MHD_add_response_header(r, "Content-Type", res->content_type);
	for (size_t i = 0; i < res->headers.count; i++) {
		char *line = res->headers.items[i];
		char *colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		MHD_add_response_header(r, line, colon + 2);
		*colon = ':';
	}
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
	struct server *srv = cls;
	struct pending *p = *con_cls;
	if (p == NULL) { /* headers only: the body (if any) follows */
		p = xcalloc(1, sizeof(*p));
		buf_init(&p->body, srv->max_body + 1);
		*con_cls = p;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!p->too_large && buf_add(&p->body, upload_data, *upload_data_size) < 0) {
			p->too_large = 1;
			buf_free(&p->body);
			buf_init(&p->body, 1);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	struct web_request req = {
		.method = method,
		.path = url,
		.https = srv->https,
		.body_too_large = p->too_large,
		.lookup = lookup,
		.server = connection,
		.now = (int64_t)time(NULL),
	};
	peer_of(connection, req.peer, sizeof(req.peer), &req.peer_loopback);
	if (!p->too_large && p->body.len > 0) {
		buf_add(&p->body, "", 1);
		req.body = p->body.data;
		req.body_len = p->body.len - 1;
	}
	struct web_response res;
	web_response_init(&res);
	srv->handler(srv->app, &req, &res);
	enum MHD_Result ok = send_response(connection, &res);
	web_response_free(&res);
	strlist_free(&req.form);
	return ok;
}

static void completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
	struct pending *p = *con_cls;
	if (p != NULL) {
		buf_free(&p->body);
		free(p);
		*con_cls = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("web: %s", line);
}

/* [web] listen as a socket address. */
static int listen_address(const char *listen, struct sockaddr_storage *ss, int *v6_r)
{
	char host[64];
	unsigned port;
	memset(ss, 0, sizeof(*ss));
	if (conf_listen_split(listen, host, sizeof(host), &port) < 0)
		return -1;
	*v6_r = listen[0] == '[';
	if (*v6_r) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host, &in6->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &in->sin_addr) == 1 ? 0 : -1;
}

/* The address the daemon bound (the port resolved when listen asked for 0). */
static char *bound_address(struct MHD_Daemon *d, int v6)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : 0;
	return xasprintf(v6 ? "[::1]:%u" : "127.0.0.1:%u", port);
}

int web_server_run(const struct config *config, web_handler *handler, void *app,
                   volatile sig_atomic_t *stop, void (*ready)(const char *listen, void *app),
                   char **error_r)
{
	const struct web_config *w = &config->web;
	struct server srv = {handler, app, w->max_body, w->tls_cert != NULL};
	struct sockaddr_storage ss;
	int v6 = 0;
	if (listen_address(w->listen, &ss, &v6) < 0) {
		*error_r = xasprintf("[web] listen = %s: not an address and port", w->listen);
		return -1;
	}
	char *cert = NULL, *key = NULL;
	size_t cert_len, key_len;
	if (srv.https && (file_read_all(w->tls_cert, 1 << 20, &cert, &cert_len, error_r) < 0 ||
	                  file_read_all(w->tls_key, 1 << 20, &key, &key_len, error_r) < 0)) {
		free(cert);
		return -1;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
	                 (v6 ? MHD_USE_IPv6 : 0) | (srv.https ? MHD_USE_TLS : 0);
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, handle, &srv,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first: else MHD warns on stderr */
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)w->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)w->max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)w->connection_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, w->connection_memory,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    srv.https ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_END);
	if (d == NULL) {
		*error_r = xasprintf("[web] cannot listen on %s (in use, or not this machine's "
		                     "address?)", w->listen);
		free(cert);
		free(key);
		return -1;
	}
	if (ready != NULL) {
		char *bound = bound_address(d, v6);
		ready(bound, app);
		free(bound);
	}
	while (!*stop)
		usleep(100 * 1000);
	MHD_stop_daemon(d);
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	free(cert);
	free(key);
	return 0;
}
