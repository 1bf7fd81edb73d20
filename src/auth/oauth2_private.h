/* oauth2_private.h — what oauth2.c shares with oauth2_device.c: one request to the provider
 * and its answer, and sealing a refresh token. */
#ifndef LIAISON_OAUTH2_PRIVATE_H
#define LIAISON_OAUTH2_PRIVATE_H

#include <stdint.h>

#include "config.h"
#include "oauth2_http.h"

#define REFRESH_LOCK_WAIT 60 /* seconds for another process's refresh before giving up */

/* The fields of a provider's JSON answer liaison reads (RFC 6749 §5.1 and §5.2, RFC 8628
 * §3.2); absent ones are NULL or 0.  Wipe with oauth2_answer_clear. */
struct oauth2_answer {
	long status;                  /* the HTTP status */
	char *access_token, *refresh_token;
	int64_t expires_in;
	char *error, *error_description;
	char *device_code, *user_code, *verification_uri, *verification_uri_complete;
	int64_t interval;
};

/* POSTs fields to url (o's ca_file) and reads the JSON answer, whatever its status.  -1 with
 * *error_r (naming o) when no answer came or it is not JSON. */
int oauth2_post(const struct oauth2_config *o, const char *url, const struct oauth2_field *fields,
                int n, struct oauth2_answer *answer, char **error_r);
void oauth2_answer_clear(struct oauth2_answer *answer);

/* "[oauth2 NAME]: URL refused ...: invalid_grant (its description)" for an error answer. */
char *oauth2_refusal(const struct oauth2_config *o, const char *url,
                     const struct oauth2_answer *answer);

/* The client secret of o's client_secret_file into *secret_r (wipe it with free_secret), or
 * NULL when o has none.  0, or -1 with *error_r naming the section. */
int oauth2_client_secret(const struct oauth2_config *o, char **secret_r, char **error_r);

/* Seals refresh_token into o's refresh_token_file with its key_file.  0, or -1 with *error_r. */
int oauth2_keep_refresh_token(const struct oauth2_config *o, const char *refresh_token,
                              char **error_r);

#endif
