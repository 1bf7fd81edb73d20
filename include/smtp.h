/* smtp.h — hand one message to the SMTP server.  smtp.c is the only user of libcurl. */
#ifndef LIAISON_SMTP_H
#define LIAISON_SMTP_H

#include <stddef.h>

#include "config.h"

struct smtp_outcome {
	long code;        /* the server's last reply code: 250 sent; 4xx try later; 5xx refused;
	                     0 when no server answered (network, TLS: try later) */
	char *text;       /* the server's words, or curl's when the server said nothing; caller
	                     frees */
	int auth_refused; /* the server refused the login (535): about the credentials, not the
	                     message */
};

/* Call once at start-up (curl_global_init), and smtp_global_deinit at the end. */
void smtp_global_init(void);
void smtp_global_deinit(void);

/* Sends raw (CRLF lines) from envelope_from ("" for the null sender <>) to recipient.
 * secret is the password or, with token_command or oauth2, the XOAUTH2 bearer token (NULL
 * without authentication).
 * Returns 0 when the server accepted it (250), -1 otherwise; outcome is filled either way. */
/* before_end (may be NULL) is called once, when the whole message has been read and only
 * the end of DATA remains to be written: until then the server cannot accept it.  When it
 * returns non-zero the transfer is aborted before the end of DATA (the server then cannot
 * accept the message). */
typedef int smtp_before_end_cb(void *ctx);
int smtp_send(const struct smtp_config *smtp, const char *secret, const char *envelope_from,
              const char *recipient, const char *raw, size_t len,
              smtp_before_end_cb *before_end, void *ctx, struct smtp_outcome *outcome);
/* Connects as smtp_send would (TLS as configured, certificates checked, AUTH with secret
 * when a username is set), sends one NOOP and QUIT: nothing is sent to anybody.  Returns 0
 * when every step succeeded, -1 otherwise; outcome says what the server answered. */
int smtp_check(const struct smtp_config *smtp, const char *secret, struct smtp_outcome *outcome);
void smtp_outcome_clear(struct smtp_outcome *outcome);

#endif
