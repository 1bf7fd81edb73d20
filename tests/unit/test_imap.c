/* Unit tests: imap.c against a real Dovecot started by tests/servers/start.sh (--tls
 * --oauth2): URL parsing, plain/IMAPS/STARTTLS connections and certificate checks, LOGIN and
 * XOAUTH2, byte-exact fetch in UID order and in chunks, IDLE, APPEND, \Seen, MOVE, and
 * failures (missing folder, silent server, server killed mid-session).
 * Run from the repository root (make check does).  The servers are required: when they do
 * not start, every test that needs them fails with the reason, and so does the program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include "imap.h"
#include "test_helpers.h"

/* ---- the servers ---------------------------------------------------------------------- */

static struct {
	int up;
	char why[512]; /* when not up: why the servers are missing */
	char *dir;
	uint16_t imap_port, imaps_port, imap_wrong_port, imaps_wrong_port;
	char *ca_file;
	char *token;
} srv;

/* Value of KEY='value' in DIR/env.sh (caller frees), or NULL. */
static char *env_get(const char *key)
{
	char *path = xasprintf("%s/env.sh", srv.dir);
	FILE *f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return NULL;
	char line[1024];
	char *value = NULL;
	size_t klen = strlen(key);
	while (value == NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		char *v = line + klen + 1;
		v[strcspn(v, "\r\n")] = '\0';
		size_t n = strlen(v);
		if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
			v[n - 1] = '\0';
			v++;
		}
		value = xstrdup(v);
	}
	fclose(f);
	return value;
}

static uint16_t env_port(const char *key)
{
	char *v = env_get(key);
	uint16_t port = v != NULL ? (uint16_t)atoi(v) : 0;
	free(v);
	return port;
}

/* Starts the servers.  Whatever goes wrong is kept in srv.why and said once here; the tests
 * that need the servers then fail with it (NEED_SERVER), the others still run. */
static int group_setup(void **state)
{
	if (access("tests/servers/start.sh", R_OK) != 0) {
		snprintf(srv.why, sizeof(srv.why), "tests/servers/start.sh not found: run test_imap "
		         "from the repository root, as make check does");
	} else {
		char tmpl[] = "/tmp/liaison-imap.XXXXXX";
		if (mkdtemp(tmpl) == NULL) {
			snprintf(srv.why, sizeof(srv.why), "mkdtemp: %s", strerror(errno));
		} else {
			srv.dir = xstrdup(tmpl);
			char *cmd = xasprintf("sh tests/servers/start.sh %s --tls --oauth2 >%s.log 2>&1",
			                      srv.dir, srv.dir);
			int rc = system(cmd);
			free(cmd);
			if (rc != 0)
				snprintf(srv.why, sizeof(srv.why), "the test servers (Dovecot, the SMTP sink) "
				         "did not start: see %s.log", srv.dir);
		}
	}
	if (srv.why[0] == '\0') {
		srv.imap_port = env_port("IMAP_PORT");
		srv.imaps_port = env_port("IMAPS_PORT");
		srv.imap_wrong_port = env_port("IMAP_WRONG_PORT");
		srv.imaps_wrong_port = env_port("IMAPS_WRONG_PORT");
		srv.ca_file = env_get("TLS_CA");
		srv.token = env_get("OAUTH2_TOKEN");
		srv.up = srv.imap_port && srv.imaps_port && srv.imap_wrong_port &&
		         srv.imaps_wrong_port && srv.ca_file && srv.token;
		if (!srv.up)
			snprintf(srv.why, sizeof(srv.why), "%s/env.sh lacks a port, TLS_CA or "
			         "OAUTH2_TOKEN", srv.dir);
	}
	if (!srv.up)
		fprintf(stderr, "test_imap: FAILED: %s; every test that needs them fails\n", srv.why);
	return 0;
}

static int group_teardown(void **state)
{
	if (srv.dir != NULL) {
		/* the log of servers that did not start is kept: the failures name it */
		char *cmd = srv.why[0] != '\0'
		    ? xasprintf("sh tests/servers/stop.sh %s --purge >/dev/null 2>&1", srv.dir)
		    : xasprintf("sh tests/servers/stop.sh %s --purge >/dev/null 2>&1; rm -f %s.log",
		                srv.dir, srv.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "test_imap: stop.sh failed for %s\n", srv.dir);
		free(cmd);
	}
	free(srv.dir);
	free(srv.ca_file);
	free(srv.token);
	memset(&srv, 0, sizeof(srv));
	return 0;
}

/* A test that needs the servers fails without them: a skip would count as a pass. */
#define NEED_SERVER() \
	do { \
		if (!srv.up) \
			fail_msg("no test servers: %s", srv.why); \
	} while (0)

static struct imap_account account_plain(void)
{
	struct imap_account a = {
		.host = "127.0.0.1", .port = srv.imap_port, .tls = IMAP_TLS_NONE,
		.username = "troopk", .auth = IMAP_AUTH_PASSWORD, .secret = "troopk-secret",
		.timeout = 10,
	};
	return a;
}

static struct imap_account account_tls(void)
{
	struct imap_account a = account_plain();
	a.port = srv.imaps_port;
	a.tls = IMAP_TLS_IMPLICIT;
	a.ca_file = srv.ca_file;
	return a;
}

static struct imap_session *connect_ok(const struct imap_account *a)
{
	struct imap_session *s = NULL;
	char *err = NULL;
	int r = imap_connect(a, &s, &err);
	if (r != IMAP_OK)
		fail_msg("imap_connect: %d %s", r, err ? err : "");
	assert_non_null(s);
	free(err);
	return s;
}

static int connect_err(const struct imap_account *a, char **err)
{
	struct imap_session *s = NULL;
	*err = NULL;
	int r = imap_connect(a, &s, err);
	assert_null(s);
	if (r != IMAP_OK)
		assert_non_null(*err);
	return r;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- a raw IMAP connection for set-up and checks imap.h does not offer ------------------ */

struct raw {
	int fd;
	int tag;
};

static int tcp_connect(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	struct timeval tv = {.tv_sec = 10};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void send_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		assert_true(n > 0);
		p += n;
		len -= (size_t)n;
	}
}

/* Reads until a line starting with prefix is complete; returns everything (caller frees). */
static char *read_until_line(int fd, const char *prefix)
{
	struct buf b;
	buf_init(&b, 16 << 20);
	size_t plen = strlen(prefix);
	for (;;) {
		/* a complete line starting with prefix, at the start or after a CRLF */
		for (size_t i = 0; b.len > 0 && i + plen <= b.len; i++) {
			if ((i == 0 || (b.data[i - 1] == '\n')) && memcmp(b.data + i, prefix, plen) == 0 &&
			    memchr(b.data + i, '\n', b.len - i) != NULL)
				return buf_steal(&b, NULL);
		}
		char chunk[8192];
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n <= 0)
			fail_msg("raw IMAP: connection closed or timed out waiting for '%s'", prefix);
		assert_int_equal(buf_add(&b, chunk, (size_t)n), 0);
	}
}

/* Sends "tN command" and returns the whole answer (caller frees); fails unless OK. */
static char *raw_cmd(struct raw *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *raw_cmd(struct raw *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	assert_true(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	char *tag = xasprintf("t%d ", ++r->tag);
	char *line = xasprintf("%s%s\r\n", tag, cmd);
	send_all(r->fd, line, strlen(line));
	char *answer = read_until_line(r->fd, tag);
	char *ok = xasprintf("%sOK", tag);
	if (strstr(answer, ok) == NULL)
		fail_msg("raw IMAP: '%s' failed: %s", cmd, answer);
	free(ok);
	free(line);
	free(tag);
	free(cmd);
	return answer;
}

static void raw_open(struct raw *r)
{
	r->fd = tcp_connect(srv.imap_port);
	r->tag = 0;
	free(read_until_line(r->fd, "* OK"));
	free(raw_cmd(r, "LOGIN troopk troopk-secret"));
}

static void raw_close(struct raw *r)
{
	free(raw_cmd(r, "LOGOUT"));
	close(r->fd);
}

/* APPEND with LITERAL+ (Dovecot offers it); flags and date may be NULL. */
static void raw_append(struct raw *r, const char *folder, const char *flags, const char *date,
                       const char *msg, size_t len)
{
	char *tag = xasprintf("t%d ", ++r->tag);
	char *head = xasprintf("%sAPPEND \"%s\"%s%s%s%s%s%s {%zu+}\r\n", tag, folder,
	                       flags ? " (" : "", flags ? flags : "", flags ? ")" : "",
	                       date ? " \"" : "", date ? date : "", date ? "\"" : "", len);
	send_all(r->fd, head, strlen(head));
	send_all(r->fd, msg, len);
	send_all(r->fd, "\r\n", 2);
	char *answer = read_until_line(r->fd, tag);
	char *ok = xasprintf("%sOK", tag);
	if (strstr(answer, ok) == NULL)
		fail_msg("raw APPEND failed: %s", answer);
	free(ok);
	free(answer);
	free(head);
	free(tag);
}

static void raw_create(const char *folder)
{
	struct raw r;
	raw_open(&r);
	free(raw_cmd(&r, "CREATE \"%s\"", folder));
	raw_close(&r);
}

/* ---- collecting fetched messages ------------------------------------------------------- */

struct fetched {
	size_t count;
	uint32_t uids[256];
	int64_t dates[256];
	char *raws[256];
	size_t lens[256];
	size_t stop_after; /* non-zero: return 7 after this many */
	size_t total;      /* for the big fetch: count only */
	size_t bytes;
	uint32_t last_uid;
	int out_of_order;
};

static int collect(const struct imap_message *m, void *ctx)
{
	struct fetched *f = ctx;
	if (f->count < 256) {
		f->uids[f->count] = m->uid;
		f->dates[f->count] = m->internal_date;
		f->raws[f->count] = xmalloc(m->len ? m->len : 1);
		memcpy(f->raws[f->count], m->raw, m->len);
		f->lens[f->count] = m->len;
	}
	if (m->uid <= f->last_uid)
		f->out_of_order = 1;
	f->last_uid = m->uid;
	f->count++;
	f->bytes += m->len;
	if (f->stop_after && f->count == f->stop_after)
		return 7;
	return 0;
}

static void fetched_free(struct fetched *f)
{
	for (size_t i = 0; i < f->count && i < 256; i++)
		free(f->raws[i]);
	memset(f, 0, sizeof(*f));
}

/* ---- tests without a server ------------------------------------------------------------- */

static void test_url_parse(void **state)
{
	static const struct {
		const char *url;
		int ok;
		const char *host;
		uint16_t port;
		enum imap_tls tls;
	} cases[] = {
		{"imaps://mail.ct.gov", 1, "mail.ct.gov", 993, IMAP_TLS_IMPLICIT},
		{"imap://mail.ct.gov", 1, "mail.ct.gov", 143, IMAP_TLS_STARTTLS},
		{"IMAPS://Mail.CT.gov:1993", 1, "Mail.CT.gov", 1993, IMAP_TLS_IMPLICIT},
		{"imap://127.0.0.1:10143", 1, "127.0.0.1", 10143, IMAP_TLS_STARTTLS},
		{"imaps://[::1]:993", 1, "::1", 993, IMAP_TLS_IMPLICIT},
		{"imaps://[2001:db8::7]", 1, "2001:db8::7", 993, IMAP_TLS_IMPLICIT},
		{"imaps://mail.ct.gov/", 1, "mail.ct.gov", 993, IMAP_TLS_IMPLICIT},
		{"imaps://mail_1.ct.gov:65535", 1, "mail_1.ct.gov", 65535, IMAP_TLS_IMPLICIT},
		{"imaps://", 0, NULL, 0, 0},
		{"imaps://:993", 0, NULL, 0, 0},
		{"imaps://host:", 0, NULL, 0, 0},
		{"imaps://host:0", 0, NULL, 0, 0},
		{"imaps://host:65536", 0, NULL, 0, 0},
		{"imaps://host:99999999999999999999", 0, NULL, 0, 0},
		{"imaps://host:12a", 0, NULL, 0, 0},
		{"imaps://user@host", 0, NULL, 0, 0},
		{"imaps://host/INBOX", 0, NULL, 0, 0},
		{"imaps://host?x=1", 0, NULL, 0, 0},
		{"imaps://[::1", 0, NULL, 0, 0},
		{"imaps://[]:993", 0, NULL, 0, 0},
		{"imaps://[zz::1]", 0, NULL, 0, 0},
		{"pop3://host", 0, NULL, 0, 0},
		{"http://host", 0, NULL, 0, 0},
		{"host:993", 0, NULL, 0, 0},
		{"", 0, NULL, 0, 0},
		{NULL, 0, NULL, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *host = NULL;
		uint16_t port = 0;
		enum imap_tls tls = IMAP_TLS_NONE;
		int r = imap_url_parse(cases[i].url, &host, &port, &tls);
		if (cases[i].ok) {
			if (r != 0)
				fail_msg("'%s' refused", cases[i].url);
			assert_string_equal(host, cases[i].host);
			assert_int_equal(port, cases[i].port);
			assert_int_equal(tls, cases[i].tls);
		} else {
			if (r != -1)
				fail_msg("'%s' accepted", cases[i].url ? cases[i].url : "(null)");
			assert_null(host);
		}
		free(host);
	}
}

/* A listening socket that never accepts: TCP completes, no greeting ever comes. */
static void test_silent_server_times_out(void **state)
{
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 4), 0);
	socklen_t len = sizeof(sa);
	getsockname(ls, (struct sockaddr *)&sa, &len);

	struct imap_account a = {.host = "127.0.0.1", .port = ntohs(sa.sin_port),
	                         .tls = IMAP_TLS_NONE, .username = "x", .secret = "y",
	                         .timeout = 2};
	char *err;
	double t0 = now_s();
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_NETWORK);
	double spent = now_s() - t0;
	assert_true(spent >= 1.5 && spent < 6);
	free(err);
	a.tls = IMAP_TLS_IMPLICIT; /* the TLS handshake waits too, and gives up too */
	t0 = now_s();
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_NETWORK);
	assert_true(now_s() - t0 < 6);
	free(err);
	close(ls);
}

/* A scripted IMAP server in a thread, for what Dovecot never does: no STARTTLS, no XOAUTH2,
 * NUL bytes in a literal, FETCH answers out of UID order, unsolicited FETCH, and the
 * "N:*" rule answered literally. */
enum fake_mode { FAKE_BARE, FAKE_FETCH };

struct fake {
	int ls;
	uint16_t port;
	enum fake_mode mode;
	int saw_login;
	int fetches;
};

static const char fake_nul_body[] = "Subject: nul\r\n\r\nA\0B\0\r\n";

static void fake_reply(struct fake *f, int c, const char *tag, const char *line)
{
	struct buf out;
	buf_init(&out, 1 << 16);
	unsigned first = 0;
	if (strstr(line, "LOGIN") != NULL || strstr(line, "AUTHENTICATE") != NULL)
		f->saw_login = 1;
	if (strstr(line, "CAPABILITY") != NULL) {
		buf_addf(&out, "* CAPABILITY IMAP4rev1 AUTH=PLAIN%s\r\n",
		         f->mode == FAKE_FETCH ? " IDLE" : "");
	} else if (strstr(line, "SELECT") != NULL && f->mode == FAKE_FETCH) {
		buf_addstr(&out, "* 3 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\n* OK [UIDNEXT 8] ok\r\n");
	} else if (sscanf(line, "%*s UID SEARCH UID %u:*", &first) == 1) {
		/* UIDs 5 and 7 exist; "N:*" with N above them still matches the last one */
		buf_addstr(&out, first <= 5 ? "* SEARCH 7 5\r\n" : "* SEARCH 7\r\n");
	} else if (strstr(line, "UID FETCH") != NULL) {
		f->fetches++;
		/* flag news about another message, then the answers in the wrong order */
		buf_addstr(&out, "* 1 FETCH (FLAGS (\\Seen))\r\n");
		buf_addf(&out, "* 3 FETCH (UID 7 INTERNALDATE \"01-Jan-2020 12:00:00 -0500\" "
		         "BODY[] {%zu}\r\n", sizeof(fake_nul_body) - 1);
		buf_add(&out, fake_nul_body, sizeof(fake_nul_body) - 1);
		buf_addstr(&out, ")\r\n* 2 FETCH (UID 5 INTERNALDATE \" 2-Jan-2020 00:00:00 +0000\" "
		           "BODY[] {6}\r\nfive\r\n)\r\n");
	} else if (strstr(line, "LOGOUT") != NULL) {
		buf_addstr(&out, "* BYE\r\n");
	}
	buf_addf(&out, "%s OK done\r\n", tag);
	send(c, out.data, out.len, MSG_NOSIGNAL);
	buf_free(&out);
}

static void *fake_serve(void *arg)
{
	struct fake *f = arg;
	int c = accept(f->ls, NULL, NULL);
	if (c < 0)
		return NULL;
	const char *greet = "* OK fake ready\r\n";
	send(c, greet, strlen(greet), MSG_NOSIGNAL);
	char line[1024];
	size_t used = 0;
	for (;;) {
		ssize_t n = recv(c, line + used, sizeof(line) - 1 - used, 0);
		if (n <= 0)
			break;
		used += (size_t)n;
		line[used] = '\0';
		char *eol;
		while ((eol = strstr(line, "\r\n")) != NULL) {
			*eol = '\0';
			char tag[64] = "";
			sscanf(line, "%63s", tag);
			fake_reply(f, c, tag, line);
			size_t rest = used - (size_t)(eol + 2 - line);
			memmove(line, eol + 2, rest + 1);
			used = rest;
		}
	}
	close(c);
	return NULL;
}

static void fake_start(struct fake *f, enum fake_mode mode, pthread_t *th)
{
	memset(f, 0, sizeof(*f));
	f->mode = mode;
	f->ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(f->ls, 1), 0);
	socklen_t len = sizeof(sa);
	getsockname(f->ls, (struct sockaddr *)&sa, &len);
	f->port = ntohs(sa.sin_port);
	assert_int_equal(pthread_create(th, NULL, fake_serve, f), 0);
}

static void fake_stop(struct fake *f, pthread_t th)
{
	pthread_join(th, NULL);
	close(f->ls);
}

static void test_starttls_not_offered_refused(void **state)
{
	struct fake f;
	pthread_t th;
	fake_start(&f, FAKE_BARE, &th);
	struct imap_account a = {.host = "127.0.0.1", .port = f.port, .tls = IMAP_TLS_STARTTLS,
	                         .username = "troopk", .secret = "troopk-secret", .timeout = 5};
	char *err;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_string_equal(err, "127.0.0.1: the server does not offer STARTTLS; refusing to "
	                    "continue without TLS");
	free(err);
	fake_stop(&f, th);
	assert_false(f.saw_login);
}

static void test_xoauth2_not_offered(void **state)
{
	struct fake f;
	pthread_t th;
	fake_start(&f, FAKE_BARE, &th);
	struct imap_account a = {.host = "127.0.0.1", .port = f.port, .tls = IMAP_TLS_NONE,
	                         .username = "troopk", .auth = IMAP_AUTH_XOAUTH2,
	                         .secret = "tok", .timeout = 5};
	char *err;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_SERVER);
	assert_string_equal(err, "127.0.0.1: the server does not offer AUTH=XOAUTH2");
	free(err);
	fake_stop(&f, th);
	assert_false(f.saw_login);
}

static void test_fetch_quirks_fake(void **state)
{
	struct fake f;
	pthread_t th;
	fake_start(&f, FAKE_FETCH, &th);
	struct imap_account a = {.host = "127.0.0.1", .port = f.port, .tls = IMAP_TLS_NONE,
	                         .username = "troopk", .secret = "troopk-secret", .timeout = 5};
	struct imap_session *s = connect_ok(&a);
	struct imap_folder_status st;
	char *err = NULL;
	assert_int_equal(imap_select(s, "INBOX", 0, &st, &err), IMAP_OK);
	assert_int_equal(st.uidvalidity, 42);
	assert_int_equal(st.uidnext, 8);
	assert_int_equal(st.exists, 3);
	struct fetched got = {0};
	assert_int_equal(imap_fetch_since(s, 1, 500, collect, &got, &err), IMAP_OK);
	assert_int_equal(got.count, 2); /* the unsolicited FETCH is no message */
	assert_int_equal(got.uids[0], 5);
	assert_int_equal(got.uids[1], 7); /* UID order, whatever order the server used */
	assert_int_equal(got.lens[0], 6);
	assert_memory_equal(got.raws[0], "five\r\n", 6);
	assert_int_equal(got.lens[1], sizeof(fake_nul_body) - 1); /* NULs kept */
	assert_memory_equal(got.raws[1], fake_nul_body, sizeof(fake_nul_body) - 1);
	assert_int_equal(got.dates[1], 1577898000);
	assert_int_equal(got.dates[0], 1577923200);
	fetched_free(&got);
	/* UID 7 answers "UID SEARCH UID 8:*": not new, and no FETCH is sent for it */
	int before = f.fetches;
	assert_int_equal(imap_fetch_since(s, 8, 500, collect, &got, &err), IMAP_OK);
	assert_int_equal(got.count, 0);
	assert_int_equal(f.fetches, before);
	assert_null(err);
	imap_close(&s);
	fake_stop(&f, th);
}

/* ---- connections and authentication ------------------------------------------------------ */

static void test_plain_login_select(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_plain();
	struct imap_session *s = connect_ok(&a);
	struct imap_folder_status st = {0};
	char *err = NULL;
	assert_int_equal(imap_select(s, "INBOX", 0, &st, &err), IMAP_OK);
	assert_true(st.uidvalidity > 0);
	assert_true(st.uidnext >= 1);
	assert_true(imap_has_idle(s));
	assert_int_equal(imap_noop(s, &err), IMAP_OK);
	/* EXAMINE too */
	struct imap_folder_status st2 = {0};
	assert_int_equal(imap_select(s, "INBOX", 1, &st2, &err), IMAP_OK);
	assert_int_equal(st2.uidvalidity, st.uidvalidity);
	assert_null(err);
	imap_close(&s);
	assert_null(s);
	imap_close(&s); /* harmless twice */
}

static void test_wrong_password(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_plain();
	a.secret = "not-the-password";
	char *err;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_AUTH);
	assert_non_null(strstr(err, "LOGIN as troopk"));
	assert_null(strstr(err, "not-the-password")); /* never a secret in a message */
	free(err);
	a.username = "nobody-here";
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_AUTH);
	free(err);
}

static void test_connection_refused(void **state)
{
	NEED_SERVER();
	/* the SMTP sink's implicit-TLS port speaks no IMAP; a closed port refuses */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(ls, (struct sockaddr *)&sa, sizeof(sa));
	socklen_t len = sizeof(sa);
	getsockname(ls, (struct sockaddr *)&sa, &len);
	close(ls); /* nothing listens there now */
	struct imap_account a = account_plain();
	a.port = ntohs(sa.sin_port);
	char *err;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_NETWORK);
	assert_non_null(strstr(err, "cannot connect"));
	free(err);
	/* TLS to a plain IMAP port: the handshake fails */
	a = account_tls();
	a.port = srv.imap_port;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_NETWORK);
	free(err);
}

static void test_implicit_tls_with_ca(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_tls();
	struct imap_session *s = connect_ok(&a);
	struct imap_folder_status st;
	char *err = NULL;
	assert_int_equal(imap_select(s, "INBOX", 1, &st, &err), IMAP_OK);
	imap_close(&s);
	/* "localhost" is in the certificate as a DNS name (and is sent as SNI) */
	a.host = "localhost";
	s = connect_ok(&a);
	imap_close(&s);
}

static void test_implicit_tls_untrusted(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_tls();
	char *err;
	a.ca_file = NULL; /* the system store does not know the test CA */
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_string_equal(err, "certificate of 127.0.0.1: not trusted (issuer unknown)");
	free(err);
	char *other = env_get("TLS_OTHER_CA"); /* another CA than the one that signed */
	a.ca_file = other;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_non_null(strstr(err, "not trusted (issuer unknown)"));
	free(err);
	free(other);
	a.ca_file = "/nonexistent/ca.pem";
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_non_null(strstr(err, "/nonexistent/ca.pem"));
	free(err);
}

static void test_implicit_tls_wrong_host(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_tls();
	a.port = srv.imaps_wrong_port;
	char *err;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_string_equal(err, "certificate is for wronghost.example, not 127.0.0.1");
	free(err);
	a.host = "localhost";
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_string_equal(err, "certificate is for wronghost.example, not localhost");
	free(err);
	/* untrusted and for another host: both said */
	a.ca_file = NULL;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_non_null(strstr(err, "issuer unknown"));
	assert_non_null(strstr(err, "wronghost.example"));
	free(err);
}

static void test_starttls(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_plain();
	a.tls = IMAP_TLS_STARTTLS;
	a.ca_file = srv.ca_file;
	struct imap_session *s = connect_ok(&a);
	struct imap_folder_status st;
	char *err = NULL;
	assert_int_equal(imap_select(s, "INBOX", 0, &st, &err), IMAP_OK);
	imap_close(&s);
	/* the same checks as implicit TLS, before the password goes out */
	a.ca_file = NULL;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_non_null(strstr(err, "not trusted (issuer unknown)"));
	free(err);
	a.ca_file = srv.ca_file;
	a.port = srv.imap_wrong_port;
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_TLS);
	assert_string_equal(err, "certificate is for wronghost.example, not 127.0.0.1");
	free(err);
}

static void test_xoauth2(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_tls();
	a.auth = IMAP_AUTH_XOAUTH2;
	a.secret = srv.token;
	struct imap_session *s = connect_ok(&a);
	struct imap_folder_status st;
	char *err = NULL;
	assert_int_equal(imap_select(s, "INBOX", 1, &st, &err), IMAP_OK);
	imap_close(&s);
	a.secret = "tok-revoked-or-made-up";
	assert_int_equal(connect_err(&a, &err), IMAP_ERR_AUTH);
	assert_non_null(strstr(err, "XOAUTH2"));
	assert_null(strstr(err, "tok-revoked"));
	free(err);
}

/* ---- fetch ------------------------------------------------------------------------------- */

#define N_MESSAGES 50

/* Message i: CRLF lines, sizes from tiny to 200 KB, 8-bit bytes, IMAP-looking text, one
 * with NUL bytes. */
static char *make_message(int i, size_t *len_r)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	buf_addf(&b, "From: Person %d <p%d@example.org>\r\nTo: TroopKCTL@ct.gov\r\n"
	         "Subject: message %d {5}\r\nMessage-ID: <m%d@test.example>\r\n\r\n", i, i, i, i);
	if (i == 7) {
		static const char nul[] = "before NUL:\0:after\r\n\0\0\r\nend\r\n";
		buf_add(&b, nul, sizeof(nul) - 1);
	} else if (i == 8) {
		buf_addstr(&b, "caf\xc3\xa9 \xff\xfe raw 8-bit\r\n)\r\n* 3 EXISTS\r\nt1 OK fake\r\n{12}\r\n");
	} else {
		size_t lines = (size_t)(i % 10 == 9 ? 4000 : i * 3);
		for (size_t k = 0; k < lines; k++)
			buf_addf(&b, "line %zu of message %d: the quick brown fox\r\n", k, i);
	}
	return buf_steal(&b, len_r);
}

static struct imap_session *session_on(const char *folder, struct imap_folder_status *st)
{
	struct imap_account a = account_plain();
	struct imap_session *s = connect_ok(&a);
	char *err = NULL;
	if (imap_select(s, folder, 0, st, &err) != IMAP_OK)
		fail_msg("select %s: %s", folder, err);
	return s;
}

static void test_append_fetch_exact(void **state)
{
	NEED_SERVER();
	raw_create("t-fetch");
	struct imap_account a = account_tls();
	struct imap_session *s = connect_ok(&a);
	char *err = NULL;
	time_t t0 = time(NULL);
	char *msgs[N_MESSAGES];
	size_t lens[N_MESSAGES];
	for (int i = 0; i < N_MESSAGES; i++) {
		msgs[i] = make_message(i, &lens[i]);
		if (imap_append(s, "t-fetch", msgs[i], lens[i], &err) != IMAP_OK)
			fail_msg("append %d: %s", i, err);
	}
	time_t t1 = time(NULL);
	struct imap_folder_status st;
	assert_int_equal(imap_select(s, "t-fetch", 0, &st, &err), IMAP_OK);
	assert_int_equal(st.exists, N_MESSAGES);
	assert_int_equal(st.uidnext, N_MESSAGES + 1);

	struct fetched f = {0};
	assert_int_equal(imap_fetch_since(s, 1, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, N_MESSAGES);
	/* Dovecot keeps NULs on disk but, as RFC 3501 forbids NUL in a literal, sends each as
	 * 0x80 in BODY[] (only BINARY[] would carry them; see test_fetch_quirks_fake for NULs
	 * from a server reaching the callback) */
	for (size_t k = 0; k < lens[7]; k++)
		if (msgs[7][k] == '\0')
			msgs[7][k] = (char)0x80;
	for (int i = 0; i < N_MESSAGES; i++) {
		assert_int_equal(f.uids[i], (uint32_t)i + 1);
		assert_int_equal(f.lens[i], lens[i]);
		assert_memory_equal(f.raws[i], msgs[i], lens[i]);
		assert_true(f.dates[i] >= (int64_t)t0 - 2 && f.dates[i] <= (int64_t)t1 + 2);
	}
	fetched_free(&f);

	/* nothing new: "UID FETCH 51:*" would return message 50 (RFC 3501 "*" rule) */
	struct raw r;
	raw_open(&r);
	free(raw_cmd(&r, "SELECT t-fetch"));
	char *answer = raw_cmd(&r, "UID SEARCH UID %u:*", st.uidnext);
	assert_non_null(strstr(answer, "* SEARCH 50"));
	free(answer);
	raw_close(&r);
	assert_int_equal(imap_fetch_since(s, st.uidnext, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 0);
	assert_int_equal(imap_fetch_since(s, st.uidnext + 1000, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 0);

	/* from the middle */
	assert_int_equal(imap_fetch_since(s, 45, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 6);
	assert_int_equal(f.uids[0], 45);
	assert_int_equal(f.uids[5], 50);
	fetched_free(&f);

	/* (imap_append set \Seen on these; that fetching leaves \Seen alone is test_mark_seen's) */
	assert_null(err);
	for (int i = 0; i < N_MESSAGES; i++)
		free(msgs[i]);
	imap_close(&s);
}

static void test_fetch_chunks(void **state)
{
	NEED_SERVER();
	raw_create("t-chunk");
	struct raw r;
	raw_open(&r);
	for (int i = 0; i < 40; i++) {
		size_t len;
		char *m = make_message(i, &len);
		raw_append(&r, "t-chunk", NULL, NULL, m, len);
		free(m);
	}
	/* holes in the UIDs: expunge every third */
	free(raw_cmd(&r, "SELECT t-chunk"));
	free(raw_cmd(&r, "UID STORE 3,6,9,12,15,18,21,24,27,30,33,36,39 +FLAGS.SILENT (\\Deleted)"));
	free(raw_cmd(&r, "EXPUNGE"));
	raw_close(&r);

	struct imap_folder_status st;
	struct imap_session *s = session_on("t-chunk", &st);
	char *err = NULL;
	assert_int_equal(st.exists, 40 - 13);
	struct fetched f = {0};
	assert_int_equal(imap_fetch_since(s, 1, 7, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 27);
	assert_false(f.out_of_order);
	for (size_t i = 0; i < f.count; i++)
		assert_true(f.uids[i] % 3 != 0);
	fetched_free(&f);
	/* chunk of one; from a UID that was expunged */
	assert_int_equal(imap_fetch_since(s, 30, 1, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 7); /* 31 32 34 35 37 38 40 */
	assert_int_equal(f.uids[0], 31);
	assert_int_equal(f.uids[6], 40);
	fetched_free(&f);
	/* a callback's non-zero return stops the fetch and comes back */
	f.stop_after = 10;
	assert_int_equal(imap_fetch_since(s, 1, 7, collect, &f, &err), 7);
	assert_int_equal(f.count, 10);
	fetched_free(&f);
	/* the session is still in step */
	assert_int_equal(imap_noop(s, &err), IMAP_OK);
	assert_null(err);
	imap_close(&s);
}

static void test_internal_date_zone(void **state)
{
	NEED_SERVER();
	raw_create("t-date");
	struct raw r;
	raw_open(&r);
	const char m[] = "Subject: dated\r\n\r\nbody\r\n";
	raw_append(&r, "t-date", "\\Seen", "01-Jan-2020 12:00:00 -0500", m, sizeof(m) - 1);
	raw_append(&r, "t-date", NULL, "29-Feb-2024 23:59:59 +0530", m, sizeof(m) - 1);
	raw_append(&r, "t-date", NULL, " 1-Jul-1999 00:00:00 +0000", m, sizeof(m) - 1);
	raw_close(&r);
	struct imap_folder_status st;
	struct imap_session *s = session_on("t-date", &st);
	struct fetched f = {0};
	char *err = NULL;
	assert_int_equal(imap_fetch_since(s, 1, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 3);
	assert_int_equal(f.dates[0], 1577898000);  /* 2020-01-01T17:00:00Z */
	assert_int_equal(f.dates[1], 1709231399);  /* 2024-02-29T18:29:59Z */
	assert_int_equal(f.dates[2], 930787200);   /* 1999-07-01T00:00:00Z */
	fetched_free(&f);
	imap_close(&s);
}

/* ---- folders, flags, move ---------------------------------------------------------------- */

static void test_select_missing_folder(void **state)
{
	NEED_SERVER();
	struct imap_account a = account_plain();
	struct imap_session *s = connect_ok(&a);
	struct imap_folder_status st;
	char *err = NULL;
	assert_int_equal(imap_select(s, "No Such Folder", 0, &st, &err), IMAP_ERR_FOLDER);
	assert_non_null(strstr(err, "No Such Folder"));
	xfree(&err);
	assert_int_equal(imap_select(s, "bad\xff" "utf8", 0, &st, &err), IMAP_ERR_FOLDER);
	xfree(&err);
	/* the session is still good */
	assert_int_equal(imap_select(s, "INBOX", 0, &st, &err), IMAP_OK);
	/* APPEND to a missing folder: TRYCREATE */
	assert_int_equal(imap_append(s, "No Such Folder", "x\r\n", 3, &err), IMAP_ERR_FOLDER);
	xfree(&err);
	imap_close(&s);
}

static void test_folder_names_utf7(void **state)
{
	NEED_SERVER();
	/* "Éléments 📨 & co" in modified UTF-7 */
	raw_create("&AMk-l&AOk-ments &2D3c6A- &- co");
	struct imap_account a = account_plain();
	struct imap_session *s = connect_ok(&a);
	char *err = NULL;
	const char *name = "\xc3\x89l\xc3\xa9ments \xf0\x9f\x93\xa8 & co";
	assert_int_equal(imap_append(s, name, "Subject: x\r\n\r\ny\r\n", 18, &err), IMAP_OK);
	struct imap_folder_status st;
	if (imap_select(s, name, 0, &st, &err) != IMAP_OK)
		fail_msg("%s", err);
	assert_int_equal(st.exists, 1);
	imap_close(&s);
}

/* Whether message uid of folder has flag, asked on a connection of its own.  The message
 * must exist: a FETCH answer without it fails the test rather than read as "no flag". */
static int flags_of(uint32_t uid, const char *folder, const char *flag)
{
	struct raw r;
	raw_open(&r);
	free(raw_cmd(&r, "EXAMINE \"%s\"", folder));
	char *answer = raw_cmd(&r, "UID FETCH %u (UID FLAGS)", uid);
	/* the untagged "* N FETCH (...)" line of this UID */
	char *want = xasprintf("UID %u ", uid), *want_end = xasprintf("UID %u)", uid);
	char *line = NULL;
	for (char *p = answer; p != NULL && *p != '\0'; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		size_t n = strcspn(p, "\r\n");
		char *l = xstrndup(p, n);
		if (strncmp(l, "* ", 2) == 0 && strstr(l, " FETCH (") != NULL &&
		    (strstr(l, want) != NULL || strstr(l, want_end) != NULL)) {
			line = l;
			break;
		}
		free(l);
	}
	if (line == NULL)
		fail_msg("%s: no FETCH answer for UID %u: %s", folder, uid, answer);
	const char *flags = strstr(line, "FLAGS (");
	if (flags == NULL)
		fail_msg("%s UID %u: no FLAGS in %s", folder, uid, line);
	int has = 0;
	const char *f = flags + strlen("FLAGS (");
	while (*f != '\0' && *f != ')') {
		size_t n = strcspn(f, " )");
		if (n == strlen(flag) && strncmp(f, flag, n) == 0)
			has = 1;
		f += n;
		if (*f == ' ')
			f++;
	}
	free(line);
	free(want);
	free(want_end);
	free(answer);
	raw_close(&r);
	return has;
}

static void test_mark_seen(void **state)
{
	NEED_SERVER();
	raw_create("t-seen");
	struct raw r;
	raw_open(&r);
	const char m[] = "Subject: unseen\r\n\r\nbody\r\n";
	raw_append(&r, "t-seen", NULL, NULL, m, sizeof(m) - 1);
	raw_append(&r, "t-seen", NULL, NULL, m, sizeof(m) - 1);
	raw_close(&r);
	struct imap_folder_status st;
	struct imap_session *s = session_on("t-seen", &st);
	struct fetched f = {0};
	char *err = NULL;
	assert_int_equal(imap_fetch_since(s, 1, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 2);
	fetched_free(&f);
	assert_false(flags_of(1, "t-seen", "\\Seen")); /* fetch peeked */
	assert_int_equal(imap_mark_seen(s, 2, &err), IMAP_OK);
	assert_true(flags_of(2, "t-seen", "\\Seen"));
	assert_false(flags_of(1, "t-seen", "\\Seen"));
	/* a UID that does not exist is no error in IMAP */
	assert_int_equal(imap_mark_seen(s, 999, &err), IMAP_OK);
	assert_null(err);
	imap_close(&s);
	/* imap_append sets \Seen */
	struct imap_account a = account_plain();
	s = connect_ok(&a);
	assert_int_equal(imap_append(s, "t-seen", m, sizeof(m) - 1, &err), IMAP_OK);
	imap_close(&s);
	assert_true(flags_of(3, "t-seen", "\\Seen"));
}

static void test_move_to_sent(void **state)
{
	NEED_SERVER();
	raw_create("t-move");
	struct raw r;
	raw_open(&r);
	const char m[] = "Subject: to be moved\r\nMessage-ID: <move-me@test>\r\n\r\nbody\r\n";
	raw_append(&r, "t-move", NULL, NULL, m, sizeof(m) - 1);
	raw_append(&r, "t-move", NULL, NULL, m, sizeof(m) - 1);
	char *before = raw_cmd(&r, "STATUS Sent (MESSAGES)");
	raw_close(&r);
	unsigned sent_before = 0;
	const char *p = strstr(before, "MESSAGES ");
	assert_non_null(p);
	sent_before = (unsigned)atoi(p + 9);
	free(before);

	struct imap_folder_status st;
	struct imap_session *s = session_on("t-move", &st);
	char *err = NULL;
	assert_int_equal(imap_move(s, 1, "Sent", &err), IMAP_OK);
	struct fetched f = {0};
	assert_int_equal(imap_fetch_since(s, 1, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.uids[0], 2);
	fetched_free(&f);
	assert_int_equal(imap_move(s, 2, "No Such Folder", &err), IMAP_ERR_FOLDER);
	xfree(&err);
	assert_int_equal(imap_select(s, "Sent", 1, &st, &err), IMAP_OK);
	assert_int_equal(st.exists, sent_before + 1);
	assert_int_equal(imap_fetch_since(s, st.uidnext - 1, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 1);
	assert_int_equal(f.lens[0], sizeof(m) - 1);
	assert_memory_equal(f.raws[0], m, sizeof(m) - 1);
	fetched_free(&f);
	imap_close(&s);
}

/* ---- IDLE -------------------------------------------------------------------------------- */

static void test_idle_new_mail(void **state)
{
	NEED_SERVER();
	raw_create("t-idle");
	struct imap_folder_status st;
	struct imap_account a = account_tls();
	struct imap_session *s = connect_ok(&a);
	char *err = NULL;
	assert_int_equal(imap_select(s, "t-idle", 0, &st, &err), IMAP_OK);
	assert_int_equal(st.exists, 0);
	assert_int_equal(imap_idle_start(s, &err), IMAP_OK);
	assert_true(imap_idle_fd(s) >= 0);
	/* commands are refused while idling */
	assert_int_equal(imap_noop(s, &err), IMAP_ERR_SERVER);
	xfree(&err);

	struct imap_account b = account_plain();
	struct imap_session *other = connect_ok(&b);
	const char m[] = "Subject: new\r\n\r\nwake up\r\n";
	double t0 = now_s();
	assert_int_equal(imap_append(other, "t-idle", m, sizeof(m) - 1, &err), IMAP_OK);
	assert_int_equal(imap_idle_wait(s, 10000, &err), 1);
	assert_true(now_s() - t0 < 5);
	assert_int_equal(imap_idle_done(s, &err), IMAP_OK);
	struct fetched f = {0};
	assert_int_equal(imap_fetch_since(s, st.uidnext, 500, collect, &f, &err), IMAP_OK);
	assert_int_equal(f.count, 1);
	fetched_free(&f);
	/* again: the server's words may already sit in libetpan's buffer */
	assert_int_equal(imap_idle_start(s, &err), IMAP_OK);
	assert_int_equal(imap_append(other, "t-idle", m, sizeof(m) - 1, &err), IMAP_OK);
	assert_int_equal(imap_idle_wait(s, 10000, &err), 1);
	assert_int_equal(imap_idle_done(s, &err), IMAP_OK);
	assert_null(err);
	imap_close(&other);
	imap_close(&s);
}

static void test_idle_timeout(void **state)
{
	NEED_SERVER();
	struct imap_folder_status st;
	struct imap_session *s = session_on("INBOX", &st);
	char *err = NULL;
	assert_int_equal(imap_idle_start(s, &err), IMAP_OK);
	double t0 = now_s();
	assert_int_equal(imap_idle_wait(s, 1500, &err), 0);
	double spent = now_s() - t0;
	assert_true(spent >= 1.4 && spent < 3);
	assert_int_equal(imap_idle_done(s, &err), IMAP_OK);
	assert_int_equal(imap_noop(s, &err), IMAP_OK);
	/* closing while idling ends IDLE first */
	assert_int_equal(imap_idle_start(s, &err), IMAP_OK);
	assert_null(err);
	imap_close(&s);
	/* IDLE without a selected folder is refused, not a crash inside libetpan */
	struct imap_account a = account_plain();
	s = connect_ok(&a);
	assert_int_equal(imap_idle_start(s, &err), IMAP_ERR_SERVER);
	xfree(&err);
	imap_close(&s);
}

/* ---- the server dies ------------------------------------------------------------------- */

/* Last: stops the servers. */
static void test_server_killed(void **state)
{
	NEED_SERVER();
	struct imap_folder_status st;
	struct imap_session *plain = session_on("t-fetch", &st);
	struct imap_account a = account_tls();
	struct imap_session *tls = connect_ok(&a);
	char *err = NULL;
	assert_int_equal(imap_select(tls, "t-fetch", 1, &st, &err), IMAP_OK);
	struct imap_session *idler = session_on("INBOX", &st);
	assert_int_equal(imap_idle_start(idler, &err), IMAP_OK);

	/* stop.sh stops the Dovecot masters, but the session processes of open connections live
	 * on; kill this instance's (doveadm who lists them) as a crash would */
	char *conf = env_get("DOVECOT_CONF");
	char *cmd = xasprintf("for p in $(doveadm -c %s who -1 2>/dev/null | "
	                      "awk 'NR > 1 && $2 == \"imap\" {print $3}'); do kill -9 $p; done; "
	                      "sh tests/servers/stop.sh %s dovecot >/dev/null 2>&1", conf, srv.dir);
	free(conf);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	srv.up = 0;

	double t0 = now_s();
	assert_int_equal(imap_noop(plain, &err), IMAP_ERR_NETWORK);
	xfree(&err);
	struct fetched f = {0};
	assert_int_equal(imap_fetch_since(tls, 1, 7, collect, &f, &err), IMAP_ERR_NETWORK);
	assert_int_equal(f.count, 0);
	xfree(&err);
	assert_int_equal(imap_idle_wait(idler, 10000, &err), 1); /* the hang-up wakes it */
	assert_int_equal(imap_idle_done(idler, &err), IMAP_ERR_NETWORK);
	xfree(&err);
	/* after a network error the session refuses everything */
	assert_int_equal(imap_noop(plain, &err), IMAP_ERR_NETWORK);
	assert_non_null(strstr(err, "reconnect"));
	xfree(&err);
	imap_close(&plain);
	imap_close(&tls);
	imap_close(&idler);
	assert_true(now_s() - t0 < 5); /* no waiting for timeouts */
	struct imap_account p = account_plain();
	assert_int_equal(connect_err(&p, &err), IMAP_ERR_NETWORK);
	xfree(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_parse),
		cmocka_unit_test(test_silent_server_times_out),
		cmocka_unit_test(test_starttls_not_offered_refused),
		cmocka_unit_test(test_xoauth2_not_offered),
		cmocka_unit_test(test_fetch_quirks_fake),
		cmocka_unit_test(test_plain_login_select),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_implicit_tls_with_ca),
		cmocka_unit_test(test_implicit_tls_untrusted),
		cmocka_unit_test(test_implicit_tls_wrong_host),
		cmocka_unit_test(test_starttls),
		cmocka_unit_test(test_xoauth2),
		cmocka_unit_test(test_append_fetch_exact),
		cmocka_unit_test(test_fetch_chunks),
		cmocka_unit_test(test_internal_date_zone),
		cmocka_unit_test(test_select_missing_folder),
		cmocka_unit_test(test_folder_names_utf7),
		cmocka_unit_test(test_mark_seen),
		cmocka_unit_test(test_move_to_sent),
		cmocka_unit_test(test_idle_new_mail),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_server_killed),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
