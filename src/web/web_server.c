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
#include <stdatomic.h>
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
	int metrics;    /* the /metrics listener: its requests are not counted below */
};

/* One request while it arrives. */
struct pending {
	struct buf body;
	int too_large;
	struct timespec started;
};

/* The console's request latencies, by route class: what a person waits for (pages, actions)
 * apart from what the browser fetches on its own (static files, live polls, sign-in). */
enum route_class { CLASS_PAGE, CLASS_ACTION, CLASS_LIVE, CLASS_SIGNIN, CLASS_STATIC,
                   CLASS_OTHER, CLASS_COUNT };
static const char *const class_names[CLASS_COUNT] = {"page", "action", "live", "signin",
                                                     "static", "other"};
/* Upper bounds of the histogram's buckets, in seconds (+Inf is the count). */
static const double bucket_bounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define N_BUCKETS (sizeof(bucket_bounds) / sizeof(bucket_bounds[0]))
#define MAX_STATUS 600

/* One server per process: the figures are the process's, updated from every server thread. */
static struct {
	atomic_uint_fast64_t bucket[CLASS_COUNT][N_BUCKETS];
	atomic_uint_fast64_t count[CLASS_COUNT];
	atomic_uint_fast64_t micros[CLASS_COUNT];
	atomic_uint_fast64_t status[MAX_STATUS];
} figures;

static enum route_class route_class_of(const char *method, const char *path)
{
	if (strncmp(path, "/static/", 8) == 0)
		return CLASS_STATIC;
	if (strncmp(path, "/signin", 7) == 0 || strcmp(path, "/signout") == 0)
		return CLASS_SIGNIN;
	if (strcmp(path, "/live") == 0 || strncmp(path, "/records/job/", 13) == 0)
		return CLASS_LIVE;
	if (strcmp(method, "GET") == 0)
		return CLASS_PAGE;
	if (strcmp(method, "POST") == 0)
		return CLASS_ACTION;
	return CLASS_OTHER;
}

static void count_request(enum route_class class, int status, const struct timespec *started)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double seconds = (double)(now.tv_sec - started->tv_sec) +
	                 (double)(now.tv_nsec - started->tv_nsec) / 1e9;
	for (size_t i = 0; i < N_BUCKETS; i++)
		if (seconds <= bucket_bounds[i])
			atomic_fetch_add(&figures.bucket[class][i], 1);
	atomic_fetch_add(&figures.count[class], 1);
	atomic_fetch_add(&figures.micros[class], (uint_fast64_t)(seconds * 1e6));
	if (status > 0 && status < MAX_STATUS)
		atomic_fetch_add(&figures.status[status], 1);
}

void web_server_metrics(struct buf *out)
{
	buf_addf(out, "# HELP liaison_http_request_duration_seconds Time from a console "
	                "request's arrival to its response being queued, by route class.\n"
	                "# TYPE liaison_http_request_duration_seconds histogram\n");
	for (int c = 0; c < CLASS_COUNT; c++) {
		for (size_t i = 0; i < N_BUCKETS; i++)
			buf_addf(out, "liaison_http_request_duration_seconds_bucket{class=\"%s\","
			                "le=\"%g\"} %llu\n", class_names[c], bucket_bounds[i],
			           (unsigned long long)atomic_load(&figures.bucket[c][i]));
		unsigned long long n = atomic_load(&figures.count[c]);
		buf_addf(out, "liaison_http_request_duration_seconds_bucket{class=\"%s\","
		                "le=\"+Inf\"} %llu\n", class_names[c], n);
		buf_addf(out, "liaison_http_request_duration_seconds_sum{class=\"%s\"} %.6f\n",
		           class_names[c], (double)atomic_load(&figures.micros[c]) / 1e6);
		buf_addf(out, "liaison_http_request_duration_seconds_count{class=\"%s\"} %llu\n",
		           class_names[c], n);
	}
	buf_addf(out, "# HELP liaison_http_responses_total Console responses by HTTP status "
	                "code.\n# TYPE liaison_http_responses_total counter\n");
	for (int code = 100; code < MAX_STATUS; code++) {
		unsigned long long n = atomic_load(&figures.status[code]);
		if (n > 0)
			buf_addf(out, "liaison_http_responses_total{code=\"%d\"} %llu\n", code, n);
	}
}

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
		clock_gettime(CLOCK_MONOTONIC, &p->started);
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
	if (srv->metrics && (strcmp(method, "GET") != 0 || strcmp(url, "/metrics") != 0))
		web_plain(&res, 404, "Only GET /metrics is served here.");
	else
		srv->handler(srv->app, &req, &res);
	int status = res.status;
	enum MHD_Result ok = send_response(connection, &res);
	web_response_free(&res);
	if (!srv->metrics)
		count_request(route_class_of(method, url), status, &p->started);
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

/* The /metrics listener: one thread, few connections, short time-outs (a scraper asks every
 * few seconds and reads a few kilobytes). */
static struct MHD_Daemon *start_metrics(const char *listen, struct server *srv, int *v6_r,
                                        char **error_r)
{
	struct sockaddr_storage ss;
	if (listen_address(listen, &ss, v6_r) < 0) {
		*error_r = xasprintf("[web] metrics_listen = %s: not an address and port", listen);
		return NULL;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (*v6_r ? MHD_USE_IPv6 : 0), 0,
	    NULL, NULL, handle, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, 8u,
	    MHD_OPTION_CONNECTION_TIMEOUT, 10u,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL)
		*error_r = xasprintf("[web] cannot listen on metrics_listen = %s (in use?)", listen);
	return d;
}

int web_server_run(const struct config *config, const struct web_server_hooks *hooks,
                   char **error_r)
{
	const struct web_config *w = &config->web;
	struct server srv = {hooks->handler, hooks->app, w->max_body, w->tls_cert != NULL, 0};
	struct server metrics_srv = {hooks->metrics, hooks->app, 0, 0, 1};
	struct MHD_Daemon *metrics = NULL;
	int metrics_v6 = 0;
	if (hooks->metrics != NULL && w->metrics_listen != NULL &&
	    (metrics = start_metrics(w->metrics_listen, &metrics_srv, &metrics_v6, error_r)) == NULL)
		return -1;
	struct sockaddr_storage ss;
	int v6 = 0;
	if (listen_address(w->listen, &ss, &v6) < 0) {
		*error_r = xasprintf("[web] listen = %s: not an address and port", w->listen);
		if (metrics)
			MHD_stop_daemon(metrics);
		return -1;
	}
	char *cert = NULL, *key = NULL;
	size_t cert_len, key_len;
	if (srv.https && (file_read_all(w->tls_cert, 1 << 20, &cert, &cert_len, error_r) < 0 ||
	                  file_read_all(w->tls_key, 1 << 20, &key, &key_len, error_r) < 0)) {
		free(cert);
		if (metrics)
			MHD_stop_daemon(metrics);
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
		if (metrics)
			MHD_stop_daemon(metrics);
		return -1;
	}
	if (hooks->ready != NULL) {
		char *bound = bound_address(d, v6);
		char *metrics_bound = metrics ? bound_address(metrics, metrics_v6) : NULL;
		hooks->ready(bound, metrics_bound, hooks->app);
		free(bound);
		free(metrics_bound);
	}
	while (!*hooks->stop) {
		if (hooks->reload != NULL && *hooks->reload) {
			*hooks->reload = 0;
			hooks->on_reload(hooks->app);
		}
		usleep(100 * 1000);
	}
	MHD_stop_daemon(d);
	if (metrics)
		MHD_stop_daemon(metrics);
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	free(cert);
	free(key);
	return 0;
}
