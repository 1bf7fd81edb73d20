/* imap.h — an IMAP client session: connect (implicit TLS, STARTTLS or, only when asked,
 * plain), verify the server certificate and host name, authenticate (LOGIN or XOAUTH2),
 * select a folder, fetch new messages by UID, IDLE, APPEND, flag and move.
 *
 * imap.c is the only user of libetpan.  libetpan's GnuTLS build verifies no certificate, so
 * imap.c sets SNI and has the chain checked against the system trust store or the mailbox's
 * CA file, and the host name, by tls_verify.c before any credential is sent.  After any protocol or stream
 * error the session is unusable: close it and connect again. */
#ifndef LIAISON_IMAP_H
#define LIAISON_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "imap_url.h" /* enum imap_tls, imap_url_parse */

enum imap_auth { IMAP_AUTH_PASSWORD, IMAP_AUTH_XOAUTH2 };

struct imap_account {
	const char *host;
	uint16_t port;
	enum imap_tls tls;
	const char *ca_file;      /* PEM file of trusted CAs, or NULL for the system store */
	const char *username;
	enum imap_auth auth;
	const char *secret;       /* the password, or the OAuth2 bearer token */
	unsigned timeout;         /* seconds for connect and for each command */
};

/* Errors are graded so the poller can act: a bad certificate or rejected credentials will not
 * mend by retrying soon; a network error may. */
enum imap_error {
	IMAP_OK = 0,
	IMAP_ERR_NETWORK = -1,    /* connect, timeout, stream or protocol error: reconnect */
	IMAP_ERR_TLS = -2,        /* certificate not trusted or for another host */
	IMAP_ERR_AUTH = -3,       /* the server refused the credentials */
	IMAP_ERR_FOLDER = -4,     /* no such folder, or it cannot be selected */
	IMAP_ERR_SERVER = -5,     /* the server answered NO/BAD to a command */
};

struct imap_session;

/* Connects, secures and authenticates.  Returns IMAP_OK with *session_r, or an error with
 * *error_r (caller frees) saying what failed in words for a log ("certificate for
 * wronghost.example does not match 127.0.0.1"). */
int imap_connect(const struct imap_account *account, struct imap_session **session_r,
                 char **error_r);
/* Logs out (best effort) and frees *session, setting it to NULL. */
void imap_close(struct imap_session **session);

/* 1 when the server announced IDLE. */
int imap_has_idle(struct imap_session *session);

struct imap_folder_status {
	uint32_t uidvalidity;
	uint32_t uidnext;         /* 0 when the server did not say */
	uint32_t exists;
};

/* Selects folder read-write (EXAMINE when read_only).  Returns IMAP_OK with *status_r. */
int imap_select(struct imap_session *session, const char *folder, int read_only,
                struct imap_folder_status *status_r, char **error_r);

/* One fetched message, valid during the callback only. */
struct imap_message {
	uint32_t uid;
	int64_t internal_date;    /* Unix time */
	const char *raw;          /* BODY.PEEK[] bytes exactly as the server sent them */
	size_t len;
};
/* Called for each message in UID order; a non-zero return stops the fetch (returned). */
typedef int imap_message_cb(const struct imap_message *message, void *ctx);

/* Fetches every message with UID >= first_uid of the selected folder, at most max_messages
 * per round trip (UID FETCH first:* with BODY.PEEK[] and INTERNALDATE, in UID ranges), never
 * changing flags.  Returns IMAP_OK, a callback's non-zero value, or an error. */
int imap_fetch_since(struct imap_session *session, uint32_t first_uid, unsigned max_messages,
                     imap_message_cb *cb, void *ctx, char **error_r);

/* IDLE: start, wait up to timeout_ms for the server to say something (new mail, expunge),
 * then end.  imap_idle_wait returns 1 when the server spoke, 0 on timeout, <0 on error.
 * The caller re-issues IDLE before 29 minutes (RFC 2177). */
int imap_idle_start(struct imap_session *session, char **error_r);
int imap_idle_wait(struct imap_session *session, int timeout_ms, char **error_r);
int imap_idle_done(struct imap_session *session, char **error_r);
/* The socket, for poll() together with other descriptors while idling. */
int imap_idle_fd(struct imap_session *session);

/* NOOP (polling servers without IDLE; keeps the connection alive). */
int imap_noop(struct imap_session *session, char **error_r);

/* APPENDs raw to folder with the \Seen flag.  Returns IMAP_OK. */
int imap_append(struct imap_session *session, const char *folder, const char *raw, size_t len,
                char **error_r);
/* Sets \Seen on uid in the selected folder. */
int imap_mark_seen(struct imap_session *session, uint32_t uid, char **error_r);
/* Moves uid of the selected folder to folder (MOVE, else COPY + \Deleted + UID EXPUNGE). */
int imap_move(struct imap_session *session, uint32_t uid, const char *folder, char **error_r);

#endif
