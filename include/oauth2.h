/* oauth2.h — OAuth2 bearer tokens for IMAP and SMTP (XOAUTH2), from an [oauth2 NAME]:
 * client credentials with a secret or a certificate (RFC 6749 §4.4, RFC 7523 client
 * assertion: Microsoft 365), a refresh token kept sealed on disk after `liaison oauth2 login`
 * (the device flow, RFC 8628), or a service account's signed grant for the mailbox's user
 * (RFC 7523 §2.1: Google Workspace's domain-wide delegation).
 *
 * Tokens are kept in this process's memory with their expiry, shared by every connection that
 * names the same section, and asked for again before they expire; a refresh token the
 * provider rotates is sealed again before the new access token is used.  A token or secret is
 * never logged, never written in the clear, and never part of an error message.  Thread-safe.
 * See docs/oauth2.md. */
#ifndef LIAISON_OAUTH2_H
#define LIAISON_OAUTH2_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"

struct oauth2_token {
	char *access_token;       /* the bearer token: wipe with oauth2_token_clear */
	int64_t obtained_at;      /* Unix time the provider issued it */
	int64_t expires_at;       /* Unix time it expires (obtained_at + expires_in) */
	const char *flow;         /* "client secret", "client certificate", "refresh token" or
	                             "service account" */
};

/* A token of section o for user (the mailbox's login: the subject a service account acts for;
 * ignored by the other flows) that has more than its renewal margin of life left (see
 * oauth2_renew_at): the cached one, else a new one from the provider.  After a failed request
 * to the provider, calls within the backoff that follows fail at once with the same error
 * (many connections share a section: the provider is not hammered).  Returns 0 with *token_r,
 * or -1 with *error_r, which names the section ("[oauth2 m365]: the provider refused the
 * client's credentials (invalid_client: ...)"). */
int oauth2_get_token(const struct oauth2_config *o, const char *user,
                     struct oauth2_token *token_r, char **error_r);

/* A server refused access_token: it leaves the cache, so that the next oauth2_get_token asks
 * the provider (once: a second refusal goes to the caller's backoff). */
void oauth2_token_refused(const struct oauth2_config *o, const char *user,
                          const char *access_token);

/* When a connection that authenticated with a token issued at obtained_at and expiring at
 * expires_at should authenticate again: a quarter of its life before it expires, at most
 * 5 minutes and at least 10 seconds before. */
int64_t oauth2_renew_at(int64_t obtained_at, int64_t expires_at);

/* Wipes and frees token->access_token. */
void oauth2_token_clear(struct oauth2_token *token);

/* `liaison oauth2 login NAME`: the device flow.  Asks the provider for a code, prints the
 * address and the code for an administrator to `out`, waits (the provider's interval) until
 * they have signed in, and seals the refresh token in o->refresh_token_file with the key in
 * o->key_file (created, 0600, when missing).  0, or -1 with *error_r. */
int oauth2_device_login(const struct oauth2_config *o, FILE *out, char **error_r);

/* What `liaison check` can tell without asking the provider: the secret file is readable,
 * the key and the certificate are a pair (a test signature), the sealed refresh token opens
 * with its key.  Returns 0 with *what_r ("client certificate, thumbprint 3F2A...": the caller
 * frees); 1 for a warning: with *error_r when a device section has no refresh token yet
 * (`oauth2 login` comes after the configuration is written), with *what_r when the client
 * certificate expires within 30 days; or -1 with *error_r naming the section (an expired
 * certificate among the reasons). */
int oauth2_check_local(const struct oauth2_config *o, char **what_r, char **error_r);

/* Forgets every cached token and failure (a new sign-in, a reload that changed a section). */
void oauth2_cache_clear(void);

#endif
