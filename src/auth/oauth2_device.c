/* oauth2_device.c — `liaison oauth2 login NAME`: the device authorization grant (RFC 8628).
 * An administrator signs in on any browser with the code printed here; the refresh token the
 * provider then hands out is sealed on disk, and the poller and the sender live on it. */
#include "oauth2.h"
#include "oauth2_private.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "oauth2_vault.h"
#include "util.h"

#define DEFAULT_INTERVAL 5 /* seconds between polls when the provider names none (§3.2) */
#define DEFAULT_EXPIRY 900 /* of a code whose answer has no expires_in */

/* A confidential client's secret, when it has one (Google's device clients do). */
static int add_secret(const struct oauth2_config *o, struct oauth2_field *f, int *n,
                      char **secret, char **error_r)
{
	if (oauth2_client_secret(o, secret, error_r) < 0)
		return -1;
	if (*secret != NULL)
		f[(*n)++] = (struct oauth2_field){"client_secret", *secret};
	return 0;
}

/* Asks for a device code and a user code (§3.1). */
static int start(const struct oauth2_config *o, struct oauth2_answer *a, char **error_r)
{
	struct oauth2_field f[3] = {{"client_id", o->client_id}};
	int n = 1;
	char *secret = NULL;
	if (o->scope != NULL)
		f[n++] = (struct oauth2_field){"scope", o->scope};
	int rc = add_secret(o, f, &n, &secret, error_r);
	if (rc == 0)
		rc = oauth2_post(o, o->device_authorization_url, f, n, a, error_r);
	free_secret(&secret);
	if (rc == 0 && (a->status != 200 || a->device_code == NULL || a->user_code == NULL ||
	                a->verification_uri == NULL)) {
		*error_r = a->error != NULL || a->status != 200
		    ? oauth2_refusal(o, o->device_authorization_url, a)
		    : xasprintf("[oauth2 %s]: %s answered without a device_code, user_code and "
		                "verification_uri", o->name, o->device_authorization_url);
		rc = -1;
	}
	return rc;
}

/* One poll of the token endpoint (§3.4): 1 signed in (the answer holds the tokens), 0 not
 * yet, -1 failed. */
static int poll_once(const struct oauth2_config *o, const char *device_code, int64_t *interval,
                     struct oauth2_answer *a, char **error_r)
{
	struct oauth2_field f[4] = {
	    {"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
	    {"device_code", device_code},
	    {"client_id", o->client_id},
	};
	int n = 3;
	char *secret = NULL;
	int rc = add_secret(o, f, &n, &secret, error_r);
	if (rc < 0)
		return -1;
	char *error = NULL;
	rc = oauth2_post(o, o->token_url, f, n, a, &error);
	free_secret(&secret);
	if (rc < 0) {
		/* No answer (the network, the provider restarting): the code is still good until
		 * it expires; try again at the next interval (RFC 8628 §3.5). */
		log_warn("%s; trying again", error);
		free(error);
		return 0;
	}
	if (a->status == 200 && a->access_token != NULL)
		return 1;
	if (a->error != NULL && strcmp(a->error, "authorization_pending") == 0)
		return 0;
	if (a->error != NULL && strcmp(a->error, "slow_down") == 0) {
		*interval += 5; /* §3.5: and for every later request */
		return 0;
	}
	if (a->error != NULL && (strcmp(a->error, "access_denied") == 0 ||
	                         strcmp(a->error, "authorization_declined") == 0 /* Entra */))
		*error_r = xasprintf("[oauth2 %s]: the sign-in was declined", o->name);
	else if (a->error != NULL && strcmp(a->error, "expired_token") == 0)
		*error_r = xasprintf("[oauth2 %s]: the code expired before anyone signed in: run "
		                     "`liaison oauth2 login %s` again", o->name, o->name);
	else
		*error_r = oauth2_refusal(o, o->token_url, a);
	return -1;
}

int oauth2_device_login(const struct oauth2_config *o, FILE *out, char **error_r)
{
	if (o->device_authorization_url == NULL) {
		*error_r = xasprintf("[oauth2 %s] has no device_authorization_url (or tenant)", o->name);
		return -1;
	}
	struct oauth2_answer code;
	if (start(o, &code, error_r) < 0) {
		oauth2_answer_clear(&code);
		return -1;
	}
	int64_t interval = code.interval > 0 ? code.interval : DEFAULT_INTERVAL;
	int64_t expires_at = time(NULL) + (code.expires_in > 0 ? code.expires_in : DEFAULT_EXPIRY);
	fprintf(out, "To let liaison use the mail of [oauth2 %s], sign in as the mailbox's account:\n"
	             "  open   %s\n"
	             "  enter  %s\n", o->name, code.verification_uri, code.user_code);
	if (code.verification_uri_complete != NULL)
		fprintf(out, "  (or open %s)\n", code.verification_uri_complete);
	fprintf(out, "Waiting for the sign-in (the code is good for %lld minutes)...\n",
	        (long long)((expires_at - time(NULL) + 59) / 60));
	fflush(out);
	int rc = 0;
	struct oauth2_answer token = {0};
	while (rc == 0) {
		if (time(NULL) + interval > expires_at) {
			*error_r = xasprintf("[oauth2 %s]: the code expired before anyone signed in: run "
			                     "`liaison oauth2 login %s` again", o->name, o->name);
			rc = -1;
			break;
		}
		sleep((unsigned)interval);
		oauth2_answer_clear(&token);
		rc = poll_once(o, code.device_code, &interval, &token, error_r);
	}
	if (rc == 1 && token.refresh_token == NULL) {
		*error_r = xasprintf("[oauth2 %s]: signed in, but the provider gave no refresh token: "
		                     "add offline_access to scope", o->name);
		rc = -1;
	}
	if (rc == 1) {
		int lock = oauth2_vault_lock(o->refresh_token_file, REFRESH_LOCK_WAIT, error_r);
		rc = lock < 0 ? -1 : oauth2_keep_refresh_token(o, token.refresh_token, error_r);
		if (lock >= 0)
			oauth2_vault_unlock(lock);
	}
	if (rc == 0) {
		fprintf(out, "Signed in. The refresh token is sealed in %s (key %s).\n",
		        o->refresh_token_file, o->key_file);
		oauth2_cache_clear(); /* the next token comes from the new grant */
	}
	oauth2_answer_clear(&token);
	oauth2_answer_clear(&code);
	return rc == 0 ? 0 : -1;
}
