/* credential.h — what a mailbox or [smtp] logs in with: the password of its password_file,
 * the bearer token its token_command prints, or a token of its [oauth2 NAME]; and what to do
 * when the server refuses it (an OAuth2 token: drop it and try once more with a new one).
 * Read at every connection, so a rotated password or a fresh token is used. */
#ifndef LIAISON_CREDENTIAL_H
#define LIAISON_CREDENTIAL_H

#include <stdint.h>

#include "config.h"

struct credential {
	char *secret;          /* the password or bearer token: credential_clear wipes it */
	int bearer;            /* 1: an OAuth2 bearer token (XOAUTH2), 0: a password */
	const char *how;       /* "password", "token_command", or the [oauth2] flow ("client
	                          certificate") */
	int64_t expires_at;    /* an [oauth2] token's expiry (Unix time), else 0: unknown */
	int64_t renew_at;      /* when a connection using it should log in again, else 0 */
	const struct oauth2_config *oauth2; /* borrowed, or NULL */
	const char *user;      /* the login name (borrowed) */
};

/* The credential of mailbox m (user: its username, else its address) or of [smtp].  A
 * mailbox or [smtp] without any credential gives a credential without a secret.  0, or -1
 * with *error_r (an [oauth2] error names its section). */
int credential_for_mailbox(const struct mailbox_config *m, struct credential *cr, char **error_r);
int credential_for_smtp(const struct smtp_config *smtp, struct credential *cr, char **error_r);

/* The server refused cr.  Returns 1 when asking for a new token and trying once more makes
 * sense (an [oauth2] token: the cached one is dropped), 0 when it does not (a password, a
 * token_command's token). */
int credential_refused(const struct credential *cr);

/* Wipes and frees the secret. */
void credential_clear(struct credential *cr);

#endif
