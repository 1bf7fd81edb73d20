/* imap_private.h — what the IMAP client's files share (imap.c, imap_fetch.c); they are the
 * only files that include libetpan. */
#ifndef LIAISON_IMAP_PRIVATE_H
#define LIAISON_IMAP_PRIVATE_H

#include <libetpan/libetpan.h>

#include "imap.h"

struct imap_session {
	mailimap *imap;
	char *host;
	int broken;   /* a stream or protocol error happened: only imap_close is useful now */
	int idling;
	void *eof_driver; /* owned: imap_stream.c's read wrapper, used by imap->imap_stream */
};

/* A failed libetpan call r: a server NO/BAD is reply_grade with the server's text; anything
 * else is a network error and the session is marked broken.  Returns the imap_error, with
 * *error_r "HOST: WHAT: why". */
int imap_fail(struct imap_session *s, int r, enum imap_error reply_grade, const char *what,
              char **error_r);

/* IMAP_OK when the session can take a command (connected, not broken, not in IDLE), else
 * the error with *error_r. */
int imap_check_ready(struct imap_session *s, char **error_r);

/* Makes the end of the server's stream an error for every libetpan read of s (libetpan's
 * literal parser would otherwise wait for the rest for ever, at full CPU).  Call once the
 * stream is final (after any TLS handshake). */
void imap_stream_eof_is_error(struct imap_session *s);

/* Frees what imap_stream_eof_is_error made; call after mailimap_free. */
void imap_stream_free(struct imap_session *s);

#endif
