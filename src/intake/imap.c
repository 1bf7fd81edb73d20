/* imap.c — the IMAP client (libetpan): connect, have the server certificate verified
 * (tls_verify.c, GnuTLS), authenticate, select, fetch by UID in bounded chunks, IDLE, APPEND,
 * flag and move.  With imap_fetch.c (UID listing and fetching) the only files that include
 * libetpan, through imap_private.h; URL and folder-name text rules are in imap_url.c.  See
 * imap.h for the contract. */
#include "imap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imap_private.h"
#include "log.h"
#include "tls_verify.h"
#include "util.h"

#define IMAP_DEFAULT_TIMEOUT 60     /* seconds, when the account says 0 */
#define IMAP_MAX_REPLY_SHOWN 200    /* bytes of a server reply quoted in an error */

/* ---- errors ---------------------------------------------------------------------------- */

/* libetpan has no strerror; these name its codes for logs. */
static const char *imap_etpan_error_name(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_BAD_STATE: return "command in the wrong state";
	case MAILIMAP_ERROR_STREAM: return "connection lost or timed out";
	case MAILIMAP_ERROR_PARSE: return "unparsable server response";
	case MAILIMAP_ERROR_CONNECTION_REFUSED: return "cannot connect";
	case MAILIMAP_ERROR_MEMORY: return "out of memory in libetpan";
	case MAILIMAP_ERROR_FATAL: return "server closed the session (BYE)";
	case MAILIMAP_ERROR_PROTOCOL: return "protocol error";
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION: return "server refused the connection";
	case MAILIMAP_ERROR_SSL: return "TLS handshake failed";
	case MAILIMAP_ERROR_INVAL: return "invalid argument";
	case MAILIMAP_ERROR_SASL: return "SASL error";
	case MAILIMAP_ERROR_NEEDS_MORE_DATA: return "truncated response";
	default: return "libetpan error";
	}
}

/* 1 when r means the server answered the command with NO or BAD: the session is still in
 * step and usable.  Every other error leaves it out of step. */
static int imap_error_is_reply(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_APPEND: case MAILIMAP_ERROR_NOOP: case MAILIMAP_ERROR_LOGOUT:
	case MAILIMAP_ERROR_CAPABILITY: case MAILIMAP_ERROR_CHECK: case MAILIMAP_ERROR_CLOSE:
	case MAILIMAP_ERROR_EXPUNGE: case MAILIMAP_ERROR_COPY: case MAILIMAP_ERROR_UID_COPY:
	case MAILIMAP_ERROR_MOVE: case MAILIMAP_ERROR_UID_MOVE: case MAILIMAP_ERROR_CREATE:
	case MAILIMAP_ERROR_DELETE: case MAILIMAP_ERROR_EXAMINE: case MAILIMAP_ERROR_FETCH:
	case MAILIMAP_ERROR_UID_FETCH: case MAILIMAP_ERROR_LIST: case MAILIMAP_ERROR_LOGIN:
	case MAILIMAP_ERROR_LSUB: case MAILIMAP_ERROR_RENAME: case MAILIMAP_ERROR_SEARCH:
	case MAILIMAP_ERROR_UID_SEARCH: case MAILIMAP_ERROR_SELECT: case MAILIMAP_ERROR_STATUS:
	case MAILIMAP_ERROR_STORE: case MAILIMAP_ERROR_UID_STORE: case MAILIMAP_ERROR_SUBSCRIBE:
	case MAILIMAP_ERROR_UNSUBSCRIBE: case MAILIMAP_ERROR_STARTTLS:
	case MAILIMAP_ERROR_EXTENSION: case MAILIMAP_ERROR_CUSTOM_COMMAND:
		return 1;
	default:
		return 0;
	}
}

/* The server's last response text, made safe for a log line (it is the server's words). */
static char *imap_reply_text(const struct imap_session *s)
{
	const char *text = s->imap != NULL ? s->imap->imap_response : NULL;
	if (text == NULL || *text == '\0')
		return xstrdup("(no text)");
	size_t n = strlen(text);
	if (n > IMAP_MAX_REPLY_SHOWN)
		n = IMAP_MAX_REPLY_SHOWN;
	char *out = xstrndup(text, n);
	for (char *p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return out;
}

/* Grades a libetpan failure of the command described by what: a NO/BAD reply becomes
 * reply_grade with the server's text; anything else is a network error and the session is
 * marked broken (libetpan is out of step after a stream or parse error). */
int imap_fail(struct imap_session *s, int r, enum imap_error reply_grade,
              const char *what, char **error_r)
{
	if (imap_error_is_reply(r)) {
		char *text = imap_reply_text(s);
		error_replace(error_r, "%s: %s: server said: %s", s->host, what, text);
		free(text);
		return reply_grade;
	}
	s->broken = 1;
	error_replace(error_r, "%s: %s: %s", s->host, what, imap_etpan_error_name(r));
	return IMAP_ERR_NETWORK;
}

/* Refuses commands on a session that cannot take them. */
int imap_check_ready(struct imap_session *s, char **error_r)
{
	if (s == NULL || s->imap == NULL) {
		error_replace(error_r, "IMAP: no session");
		return IMAP_ERR_NETWORK;
	}
	if (s->broken) {
		error_replace(error_r, "%s: the connection failed earlier; reconnect", s->host);
		return IMAP_ERR_NETWORK;
	}
	if (s->idling) {
		error_replace(error_r, "%s: IDLE in progress; end it first", s->host);
		return IMAP_ERR_SERVER;
	}
	return IMAP_OK;
}

static int imap_has_capability(struct imap_session *s, const char *name)
{
	return s->imap->imap_connection_info != NULL &&
	       s->imap->imap_connection_info->imap_capability != NULL &&
	       mailimap_has_extension(s->imap, (char *)name);
}

/* Asks CAPABILITY; libetpan keeps the answer in imap_connection_info for mailimap_has_*. */
static int imap_refresh_capabilities(struct imap_session *s, char **error_r)
{
	struct mailimap_capability_data *caps = NULL;
	int r = mailimap_capability(s->imap, &caps);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, IMAP_ERR_SERVER, "CAPABILITY", error_r);
	mailimap_capability_data_free(caps); /* a copy; the session keeps its own */
	return IMAP_OK;
}

/* ---- folder names (the encoding itself is in imap_url.c) -------------------------------- */

static int imap_encode_folder_or_fail(struct imap_session *s, const char *folder,
                                      char **encoded_r, char **error_r)
{
	*encoded_r = folder != NULL ? imap_folder_encode(folder) : NULL;
	if (*encoded_r == NULL || **encoded_r == '\0') {
		free(*encoded_r);
		*encoded_r = NULL;
		error_replace(error_r, "%s: folder name is empty, too long or not UTF-8", s->host);
		return IMAP_ERR_FOLDER;
	}
	return IMAP_OK;
}

/* A command on a folder: the session can take it, and the folder's name as sent (*mbox_r,
 * caller frees). */
static int imap_ready_for_folder(struct imap_session *s, const char *folder, char **mbox_r,
                                 char **error_r)
{
	int ret = imap_check_ready(s, error_r);
	return ret != IMAP_OK ? ret : imap_encode_folder_or_fail(s, folder, mbox_r, error_r);
}

/* ---- TLS: SNI and certificate verification ---------------------------------------------- */

static int imap_host_is_ip(const char *host)
{
	unsigned char addr[16];
	return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

/* Called by libetpan before the handshake. */
static void imap_tls_setup(struct mailstream_ssl_context *ctx, void *data)
{
	struct imap_session *s = data;
	/* RFC 6066: SNI carries DNS names only, never an address literal */
	if (!imap_host_is_ip(s->host))
		mailstream_ssl_set_server_name(ctx, s->host);
}

/* Checks the server's chain against the trust store and its name against the host we
 * dialled (tls_verify.c).  Runs right after the handshake, before any credential leaves. */
static int imap_verify_peer(struct imap_session *s, const char *ca_file, char **error_r)
{
	carray *chain = mailstream_get_certificate_chain(s->imap->imap_stream);
	size_t n = chain != NULL ? carray_count(chain) : 0;
	struct tls_der *der = xcalloc(n > 0 ? n : 1, sizeof(*der));
	for (size_t i = 0; i < n; i++) {
		MMAPString *one = carray_get(chain, (unsigned)i);
		der[i].data = (const unsigned char *)one->str;
		der[i].len = one->len;
	}
	int r = tls_verify_chain(der, n, s->host, ca_file, error_r);
	free(der);
	if (chain != NULL)
		mailstream_certificate_chain_free(chain);
	return r == 0 ? IMAP_OK : IMAP_ERR_TLS;
}

/* ---- connect and authenticate ------------------------------------------------------------ */

/* libetpan writes to sockets without MSG_NOSIGNAL (and GnuTLS sessions it opens lack
 * GNUTLS_NO_SIGNAL), so a server that vanishes would kill the process with SIGPIPE.  The
 * write then fails with EPIPE and the command with a stream error, which we grade.  Only
 * the default disposition is replaced: a handler the program installed stays. */
static void imap_ignore_sigpipe_once(void)
{
	struct sigaction old;
	if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
		struct sigaction ign;
		memset(&ign, 0, sizeof(ign));
		ign.sa_handler = SIG_IGN;
		sigemptyset(&ign.sa_mask);
		(void)sigaction(SIGPIPE, &ign, NULL);
	}
}
static pthread_once_t imap_sigpipe_once = PTHREAD_ONCE_INIT;

static int imap_authenticate(struct imap_session *s, const struct imap_account *account,
                             char **error_r)
{
	const char *user = account->username != NULL ? account->username : "";
	const char *secret = account->secret != NULL ? account->secret : "";
	int r;

	if (account->auth == IMAP_AUTH_XOAUTH2) {
		if (!mailimap_has_authentication(s->imap, "XOAUTH2")) {
			error_replace(error_r, "%s: the server does not offer AUTH=XOAUTH2", s->host);
			return IMAP_ERR_SERVER; /* not the token's fault: no new one will help */
		}
		r = mailimap_oauth2_authenticate(s->imap, user, secret);
		if (r != MAILIMAP_NO_ERROR)
			return imap_fail(s, r, IMAP_ERR_AUTH, "XOAUTH2 authentication", error_r);
		return IMAP_OK;
	}
	if (imap_has_capability(s, "LOGINDISABLED")) {
		error_replace(error_r, "%s: the server refuses LOGIN on this connection "
		               "(LOGINDISABLED); use TLS", s->host);
		return IMAP_ERR_AUTH;
	}
	r = mailimap_login(s->imap, user, secret);
	if (r != MAILIMAP_NO_ERROR) {
		char *what = xasprintf("LOGIN as %s", user);
		int ret = imap_fail(s, r, IMAP_ERR_AUTH, what, error_r);
		free(what);
		return ret;
	}
	return IMAP_OK;
}

int imap_connect(const struct imap_account *account, struct imap_session **session_r,
                 char **error_r)
{
	int r, ret;

	*session_r = NULL;
	if (account == NULL || account->host == NULL || account->host[0] == '\0') {
		error_replace(error_r, "IMAP: no host");
		return IMAP_ERR_NETWORK;
	}
	pthread_once(&imap_sigpipe_once, imap_ignore_sigpipe_once);

	struct imap_session *s = xcalloc(1, sizeof(*s));
	s->host = xstrdup(account->host);
	s->imap = mailimap_new(0, NULL);
	if (s->imap == NULL) {
		error_replace(error_r, "%s: out of memory", s->host);
		ret = IMAP_ERR_NETWORK;
		goto fail;
	}
	/* used by libetpan for the TCP connect, the TLS handshake and every read and write */
	mailimap_set_timeout(s->imap, account->timeout > 0 ? account->timeout : IMAP_DEFAULT_TIMEOUT);

	uint16_t port = account->port;
	if (port == 0)
		port = account->tls == IMAP_TLS_IMPLICIT ? 993 : 143;
	if (account->tls == IMAP_TLS_IMPLICIT)
		r = mailimap_ssl_connect_with_callback(s->imap, s->host, port, imap_tls_setup, s);
	else
		r = mailimap_socket_connect(s->imap, s->host, port);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		/* also a TLS handshake that failed or timed out: a restarting server looks the same,
		 * so it is graded as a network error and retried */
		s->broken = 1;
		error_replace(error_r, "%s port %u: %s", s->host, (unsigned)port,
		               imap_etpan_error_name(r));
		ret = IMAP_ERR_NETWORK;
		goto fail;
	}
	int preauth = r == MAILIMAP_NO_ERROR_AUTHENTICATED;

	if (account->tls == IMAP_TLS_IMPLICIT) {
		ret = imap_verify_peer(s, account->ca_file, error_r);
		if (ret != IMAP_OK)
			goto fail;
	} else if (account->tls == IMAP_TLS_STARTTLS) {
		/* a PREAUTH greeting forbids STARTTLS: we would talk in clear (a known attack) */
		if (preauth) {
			error_replace(error_r, "%s: the server pre-authenticated the connection "
			               "before STARTTLS; refusing to continue without TLS", s->host);
			ret = IMAP_ERR_TLS;
			goto fail;
		}
		ret = imap_refresh_capabilities(s, error_r);
		if (ret != IMAP_OK)
			goto fail;
		if (!imap_has_capability(s, "STARTTLS")) {
			error_replace(error_r, "%s: the server does not offer STARTTLS; refusing to "
			               "continue without TLS", s->host);
			ret = IMAP_ERR_TLS;
			goto fail;
		}
		r = mailimap_socket_starttls_with_callback(s->imap, imap_tls_setup, s);
		if (r != MAILIMAP_NO_ERROR) {
			ret = imap_fail(s, r, IMAP_ERR_TLS, "STARTTLS", error_r);
			if (ret == IMAP_ERR_NETWORK)
				ret = IMAP_ERR_TLS; /* the handshake failed: retrying soon will not mend it */
			goto fail;
		}
		/* bytes read before the handshake but after the OK were sent in clear and must not
		 * be taken as protected (CVE-2020-15953, STARTTLS response injection) */
		if (s->imap->imap_stream->read_buffer_len != 0) {
			error_replace(error_r, "%s: the server sent data in clear after accepting "
			               "STARTTLS; refusing the connection", s->host);
			ret = IMAP_ERR_TLS;
			goto fail;
		}
		ret = imap_verify_peer(s, account->ca_file, error_r);
		if (ret != IMAP_OK)
			goto fail;
	}

	/* from here on the stream is the one the session keeps */
	imap_stream_eof_is_error(s);
	/* what the server said before TLS is forgotten; ask again over the secured channel */
	ret = imap_refresh_capabilities(s, error_r);
	if (ret != IMAP_OK)
		goto fail;
	if (!preauth) {
		ret = imap_authenticate(s, account, error_r);
		if (ret != IMAP_OK)
			goto fail;
		/* the capabilities grow after login (MOVE, UIDPLUS, IDLE on some servers) */
		ret = imap_refresh_capabilities(s, error_r);
		if (ret != IMAP_OK)
			goto fail;
	}
	*session_r = s;
	return IMAP_OK;

fail:
	s->broken = 1; /* no LOGOUT on a half-made session */
	imap_close(&s);
	return ret;
}

void imap_close(struct imap_session **session)
{
	struct imap_session *s = *session;
	if (s == NULL)
		return;
	if (s->imap != NULL) {
		if (!s->broken && s->imap->imap_stream != NULL) {
			if (s->idling)
				(void)mailimap_idle_done(s->imap);
			(void)mailimap_logout(s->imap);
		}
		mailimap_free(s->imap); /* closes the stream if logout did not */
	}
	imap_stream_free(s);
	free(s->host);
	free(s);
	*session = NULL;
}

int imap_has_idle(struct imap_session *session)
{
	return session != NULL && session->imap != NULL && imap_has_capability(session, "IDLE");
}

/* ---- select ------------------------------------------------------------------------------ */

int imap_select(struct imap_session *session, const char *folder, int read_only,
                struct imap_folder_status *status_r, char **error_r)
{
	char *mbox;
	int ret = imap_ready_for_folder(session, folder, &mbox, error_r);
	if (ret != IMAP_OK)
		return ret;

	int r = read_only ? mailimap_examine(session->imap, mbox)
	                  : mailimap_select(session->imap, mbox);
	free(mbox);
	if (r != MAILIMAP_NO_ERROR) {
		char *what = xasprintf("%s %s", read_only ? "EXAMINE" : "SELECT", folder);
		ret = imap_fail(session, r, IMAP_ERR_FOLDER, what, error_r);
		free(what);
		return ret;
	}
	struct mailimap_selection_info *info = session->imap->imap_selection_info;
	if (info == NULL || info->sel_uidvalidity == 0) {
		/* without UIDVALIDITY no UID can be trusted across sessions (RFC 3501 2.3.1.1) */
		error_replace(error_r, "%s: %s: the server gave no UIDVALIDITY", session->host,
		               folder);
		return IMAP_ERR_FOLDER;
	}
	status_r->uidvalidity = info->sel_uidvalidity;
	status_r->uidnext = info->sel_uidnext;
	status_r->exists = info->sel_exists;
	return IMAP_OK;
}

/* ---- IDLE -------------------------------------------------------------------------------- */

int imap_idle_start(struct imap_session *session, char **error_r)
{
	int ret = imap_check_ready(session, error_r);
	if (ret != IMAP_OK)
		return ret;
	/* mailimap_idle dereferences the selection without checking it */
	if (session->imap->imap_selection_info == NULL ||
	    session->imap->imap_state != MAILIMAP_STATE_SELECTED) {
		error_replace(error_r, "%s: IDLE needs a selected folder", session->host);
		return IMAP_ERR_SERVER;
	}
	if (!imap_has_idle(session)) {
		error_replace(error_r, "%s: the server does not offer IDLE", session->host);
		return IMAP_ERR_SERVER;
	}
	int r = mailimap_idle(session->imap);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(session, r, IMAP_ERR_SERVER, "IDLE", error_r);
	session->idling = 1;
	return IMAP_OK;
}

int imap_idle_wait(struct imap_session *session, int timeout_ms, char **error_r)
{
	if (session == NULL || session->imap == NULL || session->broken || !session->idling) {
		error_replace(error_r, "%s: not idling", session != NULL ? session->host : "IMAP");
		return IMAP_ERR_SERVER;
	}
	/* libetpan may have read the server's words together with its "+ idling": poll() on
	 * the socket would not see them */
	if (session->imap->imap_stream->read_buffer_len > 0)
		return 1;
	int fd = mailimap_idle_get_fd(session->imap);
	if (fd < 0) {
		session->broken = 1;
		error_replace(error_r, "%s: IDLE: no socket", session->host);
		return IMAP_ERR_NETWORK;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int left = timeout_ms;
		if (timeout_ms > 0) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			int64_t spent = (int64_t)(now.tv_sec - start.tv_sec) * 1000 +
			                (now.tv_nsec - start.tv_nsec) / 1000000;
			left = spent >= timeout_ms ? 0 : (int)(timeout_ms - spent);
		}
		int r = poll(&pfd, 1, left);
		if (r > 0)
			return 1; /* data, or hang-up: imap_idle_done will tell which */
		if (r == 0)
			return 0;
		if (errno != EINTR) {
			session->broken = 1;
			error_replace(error_r, "%s: IDLE: poll: %s", session->host, strerror(errno));
			return IMAP_ERR_NETWORK;
		}
	}
}

int imap_idle_done(struct imap_session *session, char **error_r)
{
	if (session == NULL || session->imap == NULL || session->broken) {
		error_replace(error_r, "%s: the connection failed earlier; reconnect",
		               session != NULL ? session->host : "IMAP");
		return IMAP_ERR_NETWORK;
	}
	if (!session->idling)
		return IMAP_OK;
	session->idling = 0;
	/* reads everything the server said while idling (EXISTS, EXPUNGE) then the tagged OK */
	int r = mailimap_idle_done(session->imap);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(session, r, IMAP_ERR_SERVER, "IDLE DONE", error_r);
	return IMAP_OK;
}

int imap_idle_fd(struct imap_session *session)
{
	if (session == NULL || session->imap == NULL || session->imap->imap_stream == NULL)
		return -1;
	return mailimap_idle_get_fd(session->imap);
}

/* ---- small commands ---------------------------------------------------------------------- */

int imap_noop(struct imap_session *session, char **error_r)
{
	int ret = imap_check_ready(session, error_r);
	if (ret != IMAP_OK)
		return ret;
	int r = mailimap_noop(session->imap);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(session, r, IMAP_ERR_SERVER, "NOOP", error_r);
	return IMAP_OK;
}

/* A flag list holding one system flag, or NULL. */
static struct mailimap_flag_list *imap_flag_list_one(struct mailimap_flag *(*make)(void))
{
	struct mailimap_flag_list *list = mailimap_flag_list_new_empty();
	struct mailimap_flag *flag = make();
	if (list == NULL || flag == NULL || mailimap_flag_list_add(list, flag) != MAILIMAP_NO_ERROR) {
		if (flag != NULL)
			mailimap_flag_free(flag);
		if (list != NULL)
			mailimap_flag_list_free(list);
		return NULL;
	}
	return list;
}

int imap_append(struct imap_session *session, const char *folder, const char *raw, size_t len,
                char **error_r)
{
	char *mbox;
	int ret = imap_ready_for_folder(session, folder, &mbox, error_r);
	if (ret != IMAP_OK)
		return ret;
	struct mailimap_flag_list *flags = imap_flag_list_one(mailimap_flag_new_seen);
	if (flags == NULL) {
		free(mbox);
		error_replace(error_r, "%s: out of memory", session->host);
		return IMAP_ERR_NETWORK;
	}
	/* note: libetpan turns a bare CR or LF into CRLF while sending, as IMAP requires */
	int r = mailimap_append(session->imap, mbox, flags, NULL, raw, len);
	mailimap_flag_list_free(flags);
	free(mbox);
	if (r != MAILIMAP_NO_ERROR) {
		int trycreate = session->imap->imap_response_info != NULL &&
		                session->imap->imap_response_info->rsp_trycreate;
		char *what = xasprintf("APPEND to %s", folder);
		ret = imap_fail(session, r, trycreate ? IMAP_ERR_FOLDER : IMAP_ERR_SERVER, what,
		                error_r);
		free(what);
		return ret;
	}
	return IMAP_OK;
}

/* UID STORE uid +FLAGS.SILENT (flag). */
static int imap_add_flag(struct imap_session *s, uint32_t uid,
                         struct mailimap_flag *(*make)(void), const char *name, char **error_r)
{
	struct mailimap_flag_list *flags = imap_flag_list_one(make);
	struct mailimap_store_att_flags *store =
		flags != NULL ? mailimap_store_att_flags_new_add_flags_silent(flags) : NULL;
	struct mailimap_set *set = mailimap_set_new_single(uid);
	if (store == NULL || set == NULL) {
		if (store != NULL)
			mailimap_store_att_flags_free(store); /* frees flags */
		else if (flags != NULL)
			mailimap_flag_list_free(flags);
		if (set != NULL)
			mailimap_set_free(set);
		error_replace(error_r, "%s: out of memory", s->host);
		return IMAP_ERR_NETWORK;
	}
	int r = mailimap_uid_store(s->imap, set, store);
	mailimap_store_att_flags_free(store);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		char *what = xasprintf("UID STORE %u +FLAGS (%s)", uid, name);
		int ret = imap_fail(s, r, IMAP_ERR_SERVER, what, error_r);
		free(what);
		return ret;
	}
	return IMAP_OK;
}

int imap_mark_seen(struct imap_session *session, uint32_t uid, char **error_r)
{
	int ret = imap_check_ready(session, error_r);
	if (ret != IMAP_OK)
		return ret;
	return imap_add_flag(session, uid, mailimap_flag_new_seen, "\\Seen", error_r);
}

int imap_move(struct imap_session *session, uint32_t uid, const char *folder, char **error_r)
{
	char *mbox;
	int ret = imap_ready_for_folder(session, folder, &mbox, error_r);
	if (ret != IMAP_OK)
		return ret;
	struct mailimap_set *set = mailimap_set_new_single(uid);
	if (set == NULL) {
		free(mbox);
		error_replace(error_r, "%s: out of memory", session->host);
		return IMAP_ERR_NETWORK;
	}
	int has_move = imap_has_capability(session, "MOVE");
	int r = has_move ? mailimap_uid_move(session->imap, set, mbox)
	                 : mailimap_uid_copy(session->imap, set, mbox);
	free(mbox);
	if (r != MAILIMAP_NO_ERROR) {
		int trycreate = session->imap->imap_response_info != NULL &&
		                session->imap->imap_response_info->rsp_trycreate;
		char *what = xasprintf("UID %s %u to %s", has_move ? "MOVE" : "COPY", uid, folder);
		ret = imap_fail(session, r, trycreate ? IMAP_ERR_FOLDER : IMAP_ERR_SERVER, what,
		                error_r);
		free(what);
		mailimap_set_free(set);
		return ret;
	}
	if (!has_move) {
		ret = imap_add_flag(session, uid, mailimap_flag_new_deleted, "\\Deleted", error_r);
		if (ret == IMAP_OK) {
			if (imap_has_capability(session, "UIDPLUS")) {
				r = mailimap_uid_expunge(session->imap, set);
				if (r != MAILIMAP_NO_ERROR) {
					char *what = xasprintf("UID EXPUNGE %u", uid);
					ret = imap_fail(session, r, IMAP_ERR_SERVER, what, error_r);
					free(what);
				}
			} else {
				/* a plain EXPUNGE would also remove what others marked \Deleted in a
				 * shared mailbox: leave the original flagged for them to expunge */
				log_warn("%s: no MOVE or UIDPLUS: UID %u copied to %s and flagged "
				         "\\Deleted, not expunged", session->host, uid, folder);
			}
		}
	}
	mailimap_set_free(set);
	return ret;
}
