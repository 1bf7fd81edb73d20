/* oauth2.c — OAuth2 bearer tokens: the cache, and one request per flow (see oauth2.h).
 *
 * The cache holds one entry per section (and per user, for a service account, which acts for
 * each mailbox's user in turn).  An entry's request lock makes the threads that need a token
 * of one section at the same moment wait for one request instead of each sending their own;
 * a failed request is remembered for a backoff, so that the provider is not asked by every
 * connection of every folder in a loop. */
#include "oauth2.h"
#include "oauth2_private.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "oauth2_jwt.h"
#include "oauth2_vault.h"
#include "secrets.h"
#include "util.h"

#define RENEW_MIN 10          /* seconds: renew at least this long before expiry */
#define RENEW_MAX 300         /* ... and at most this long: 5 minutes of a 60-90 minute token */
#define BACKOFF_MAX 300.0     /* seconds between requests to a provider that keeps failing */
#define DEFAULT_LIFE 3600     /* an answer without expires_in (RFC 6749 only recommends it) */
#define KEY_FILE_MAX (1u << 20) /* a key or a service account's key file is a few KB */
#define TEXT_MAX 300          /* of a provider's error_description in our messages */
#define CERT_WARN (30 * 86400) /* a certificate this close to its expiry: a warning */

struct entry {
	struct entry *next;
	char *key;                     /* the section's settings (and the user, for a service
	                                  account): a reload that changes a section, or two
	                                  configurations in one process, never share a token */
	char *unsealed_refresh;        /* a rotated refresh token that could not be sealed yet:
	                                  used (and sealed again) at the next refresh */
	pthread_mutex_t request;       /* held while asking the provider */
	char *access_token;            /* NULL: none cached */
	int64_t obtained_at, expires_at;
	const char *flow;
	char *failure;                 /* the last request's error while backing off, or NULL */
	int64_t retry_at;
	double backoff;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *cache;

static const char *flow_name(const struct oauth2_config *o)
{
	switch (o->flow) {
	case OAUTH2_DEVICE:
		return "refresh token";
	case OAUTH2_SERVICE_ACCOUNT:
		return "service account";
	case OAUTH2_CLIENT_CREDENTIALS:
		break;
	}
	return o->client_certificate != NULL ? "client certificate" : "client secret";
}

static char *entry_key(const struct oauth2_config *o, const char *user)
{
#define F(x) ((x) != NULL ? (x) : "")
	return xasprintf("%s\n%d\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s", o->name, (int)o->flow,
	                 F(o->token_url), F(o->client_id), F(o->client_secret_file),
	                 F(o->client_certificate), F(o->client_key), F(o->scope),
	                 F(o->refresh_token_file), F(o->key_file), F(o->ca_file),
	                 F(o->device_authorization_url),
	                 o->flow == OAUTH2_SERVICE_ACCOUNT ? F(user) : "");
#undef F
}

static struct entry *entry_for(const struct oauth2_config *o, const char *user)
{
	char *key = entry_key(o, user);
	pthread_mutex_lock(&cache_lock);
	struct entry *e = cache;
	while (e != NULL && strcmp(e->key, key) != 0)
		e = e->next;
	if (e == NULL) {
		e = xcalloc(1, sizeof(*e));
		e->key = key;
		key = NULL;
		pthread_mutex_init(&e->request, NULL);
		e->next = cache;
		cache = e;
	}
	pthread_mutex_unlock(&cache_lock);
	free(key);
	return e;
}

int64_t oauth2_renew_at(int64_t obtained_at, int64_t expires_at)
{
	int64_t margin = (expires_at - obtained_at) / 4;
	if (margin < RENEW_MIN)
		margin = RENEW_MIN;
	if (margin > RENEW_MAX)
		margin = RENEW_MAX;
	int64_t at = expires_at - margin;
	return at > obtained_at ? at : obtained_at;
}

/* --- Talking to the provider ----------------------------------------------------------- */

static char *json_text(json_t *root, const char *key)
{
	const char *s = json_string_value(json_object_get(root, key));
	return s != NULL ? xstrdup(s) : NULL;
}

static int64_t json_seconds(json_t *root, const char *key)
{
	json_t *v = json_object_get(root, key);
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_string(v)) /* some providers (old Azure AD v1) send "3599" */
		return strtoll(json_string_value(v), NULL, 10);
	return 0;
}

int oauth2_post(const struct oauth2_config *o, const char *url, const struct oauth2_field *fields,
                int n, struct oauth2_answer *a, char **error_r)
{
	memset(a, 0, sizeof(*a));
	char *body = NULL, *error = NULL;
	if (oauth2_http_post(url, o->ca_file, fields, n, &a->status, &body, &error) < 0) {
		*error_r = xasprintf("[oauth2 %s]: %s", o->name, error);
		free(error);
		return -1;
	}
	json_error_t jerr;
	json_t *root = json_loads(body, 0, &jerr);
	free_secret(&body);
	if (!json_is_object(root)) {
		*error_r = xasprintf("[oauth2 %s]: %s answered HTTP %ld without a JSON object", o->name,
		                     url, a->status);
		json_decref(root);
		return -1;
	}
	a->access_token = json_text(root, "access_token");
	a->refresh_token = json_text(root, "refresh_token");
	a->expires_in = json_seconds(root, "expires_in");
	a->error = json_text(root, "error");
	a->error_description = json_text(root, "error_description");
	a->device_code = json_text(root, "device_code");
	a->user_code = json_text(root, "user_code");
	a->verification_uri = json_text(root, "verification_uri");
	if (a->verification_uri == NULL) /* Google's name for it */
		a->verification_uri = json_text(root, "verification_url");
	a->verification_uri_complete = json_text(root, "verification_uri_complete");
	a->interval = json_seconds(root, "interval");
	/* The object held the tokens too: wipe its strings before jansson frees them. */
	const char *key;
	json_t *value;
	json_object_foreach(root, key, value)
		if (json_is_string(value))
			explicit_bzero((char *)json_string_value(value), json_string_length(value));
	json_decref(root);
	return 0;
}

void oauth2_answer_clear(struct oauth2_answer *a)
{
	free_secret(&a->access_token);
	free_secret(&a->refresh_token);
	free_secret(&a->device_code);
	free(a->error);
	free(a->error_description);
	free(a->user_code);
	free(a->verification_uri);
	free(a->verification_uri_complete);
	memset(a, 0, sizeof(*a));
}

/* The provider's words, shortened and without control characters (they go to a log). */
static char *plain_text(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (strlen(t) > TEXT_MAX)
		memcpy(t + TEXT_MAX - 3, "...", 4);
	return t;
}

char *oauth2_refusal(const struct oauth2_config *o, const char *url,
                     const struct oauth2_answer *a)
{
	char *error = plain_text(a->error ? a->error : "no error code");
	char *description = a->error_description ? plain_text(a->error_description) : NULL;
	char *hint = NULL;
	if (a->error != NULL && strcmp(a->error, "invalid_client") == 0)
		hint = xstrdup(o->client_certificate
		    ? ": check client_id, client_certificate (is it the one uploaded to the "
		      "application?) and client_key"
		    : ": check client_id and client_secret_file (has the secret expired?)");
	else if (a->error != NULL && strcmp(a->error, "invalid_grant") == 0 &&
	         o->flow == OAUTH2_DEVICE)
		hint = xasprintf(": the refresh token was revoked or has expired: run `liaison oauth2 "
		                 "login %s` again", o->name);
	else if (a->error != NULL && strcmp(a->error, "invalid_scope") == 0)
		hint = xstrdup(": check scope");
	char *text = xasprintf("[oauth2 %s]: %s refused the request (HTTP %ld, %s%s%s)%s", o->name,
	                       url, a->status, error, description ? ": " : "",
	                       description ? description : "", hint ? hint : "");
	free(error);
	free(description);
	free(hint);
	return text;
}

int oauth2_keep_refresh_token(const struct oauth2_config *o, const char *refresh_token,
                              char **error_r)
{
	char *error = NULL;
	if (oauth2_vault_seal(o->key_file, o->refresh_token_file, refresh_token,
	                      strlen(refresh_token), &error) < 0) {
		*error_r = xasprintf("[oauth2 %s]: cannot keep the refresh token: %s", o->name, error);
		free(error);
		return -1;
	}
	return 0;
}

/* The whole of a key file, or NULL with *error_r.  file_read_all allocates it once, at the
 * file's size: no copy is left behind in freed memory.  The caller wipes it. */
static char *read_key_file(const char *path, size_t *len_r, char **error_r)
{
	char *data = NULL;
	if (file_read_all(path, KEY_FILE_MAX, &data, len_r, error_r) < 0)
		return NULL;
	if (*len_r == 0) {
		*error_r = xasprintf("%s: empty", path);
		free(data);
		return NULL;
	}
	return data;
}

int oauth2_client_secret(const struct oauth2_config *o, char **secret_r, char **error_r)
{
	*secret_r = NULL;
	if (o->client_secret_file == NULL)
		return 0;
	char *error = NULL;
	if ((*secret_r = config_read_secret(o->client_secret_file, NULL, &error)) == NULL) {
		*error_r = xasprintf("[oauth2 %s]: client_secret_file %s", o->name, error);
		free(error);
		return -1;
	}
	return 0;
}

/* A service account's key file: PEM as it is, or Google's JSON key file, whose private_key,
 * private_key_id and client_email are taken from it. */
struct sa_key {
	char *pem;
	size_t len;
	char *key_id, *email;
};

static int read_service_account_key(const struct oauth2_config *o, struct sa_key *k,
                                    char **error_r)
{
	memset(k, 0, sizeof(*k));
	char *error = NULL;
	char *text = read_key_file(o->client_key, &k->len, &error);
	if (text == NULL) {
		*error_r = xasprintf("[oauth2 %s]: client_key %s", o->name, error);
		free(error);
		return -1;
	}
	if (text[strspn(text, " \t\r\n")] != '{') {
		k->pem = text;
		return 0;
	}
	json_error_t jerr;
	json_t *root = json_loadb(text, k->len, 0, &jerr);
	explicit_bzero(text, k->len);
	free(text);
	const char *pem = json_string_value(json_object_get(root, "private_key"));
	if (pem == NULL) {
		*error_r = xasprintf("[oauth2 %s]: client_key %s is neither a PEM key nor a service "
		                     "account's JSON key file (no private_key)", o->name, o->client_key);
		json_decref(root);
		return -1;
	}
	k->pem = xstrdup(pem);
	k->len = strlen(pem);
	k->key_id = json_text(root, "private_key_id");
	k->email = json_text(root, "client_email");
	explicit_bzero((char *)pem, k->len);
	json_decref(root);
	return 0;
}

static void sa_key_clear(struct sa_key *k)
{
	if (k->pem != NULL)
		explicit_bzero(k->pem, k->len);
	free(k->pem);
	free(k->key_id);
	free(k->email);
}

/* The token request of o's flow; answer filled.  For a refresh token the caller holds the
 * vault's lock. */
static int request(const struct oauth2_config *o, const char *user, const char *unsealed_refresh,
                   struct oauth2_answer *answer, char **error_r)
{
	struct oauth2_field f[8];
	int n = 0;
	char *secret = NULL, *assertion = NULL, *refresh = NULL, *error = NULL;
	struct sa_key sa = {0};
	int rc = -1;
	int64_t now = time(NULL);
	switch (o->flow) {
	case OAUTH2_SERVICE_ACCOUNT: {
		if (read_service_account_key(o, &sa, error_r) < 0)
			goto out;
		const char *issuer = o->client_id ? o->client_id : sa.email;
		if (issuer == NULL) {
			*error_r = xasprintf("[oauth2 %s]: no client_id, and client_key has no client_email",
			                     o->name);
			goto out;
		}
		struct oauth2_jwt jwt = {sa.pem, sa.len, o->client_key, NULL, sa.key_id, issuer, user,
		                         o->token_url, o->scope, now};
		if ((assertion = oauth2_jwt_sign(&jwt, &error)) == NULL)
			break;
		f[n++] = (struct oauth2_field){"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"};
		f[n++] = (struct oauth2_field){"assertion", assertion};
		break;
	}
	case OAUTH2_DEVICE: {
		size_t len;
		int missing = 0;
		refresh = unsealed_refresh != NULL
		    ? xstrdup(unsealed_refresh)
		    : oauth2_vault_open(o->key_file, o->refresh_token_file, &len, &missing, &error);
		if (refresh == NULL && missing) {
			*error_r = xasprintf("[oauth2 %s]: no refresh token yet (%s): run `liaison oauth2 "
			                     "login %s`", o->name, o->refresh_token_file, o->name);
			goto out;
		}
		if (refresh == NULL)
			break;
		f[n++] = (struct oauth2_field){"grant_type", "refresh_token"};
		f[n++] = (struct oauth2_field){"refresh_token", refresh};
		f[n++] = (struct oauth2_field){"client_id", o->client_id};
		break;
	}
	case OAUTH2_CLIENT_CREDENTIALS:
		f[n++] = (struct oauth2_field){"grant_type", "client_credentials"};
		f[n++] = (struct oauth2_field){"client_id", o->client_id};
		if (o->client_certificate != NULL) {
			size_t len;
			char *pem = read_key_file(o->client_key, &len, &error);
			if (pem == NULL)
				break;
			struct oauth2_jwt jwt = {pem, len, o->client_key, o->client_certificate, NULL,
			                         o->client_id, o->client_id, o->token_url, NULL, now};
			assertion = oauth2_jwt_sign(&jwt, &error);
			explicit_bzero(pem, len);
			free(pem);
			if (assertion == NULL)
				break;
			f[n++] = (struct oauth2_field){"client_assertion_type",
			                               "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"};
			f[n++] = (struct oauth2_field){"client_assertion", assertion};
		}
		break;
	}
	if (error != NULL) {
		*error_r = xasprintf("[oauth2 %s]: %s", o->name, error);
		goto out;
	}
	/* A confidential client's secret goes with every grant that has no assertion (Google's
	 * device clients have one too). */
	if (oauth2_client_secret(o, &secret, error_r) < 0)
		goto out;
	if (secret != NULL)
		f[n++] = (struct oauth2_field){"client_secret", secret};
	/* A service account's scope is in its signed grant (Google documents no form field). */
	if (o->scope != NULL && o->flow != OAUTH2_SERVICE_ACCOUNT)
		f[n++] = (struct oauth2_field){"scope", o->scope};
	rc = oauth2_post(o, o->token_url, f, n, answer, error_r);
out:
	free(error);
	free_secret(&secret);
	free_secret(&assertion);
	free_secret(&refresh);
	sa_key_clear(&sa);
	return rc;
}

/* Asks the provider for a new token: the answer's token into e, and a rotated refresh token
 * sealed before the lock is let go (another process would otherwise refresh with the spent
 * one, and a rotating provider then revokes the grant).  Should sealing fail (a full disk, a
 * folder the service may not write), the new refresh token is kept in memory and sealed at
 * the next refresh: losing it would lose the grant. */
static int renew(const struct oauth2_config *o, const char *user, struct entry *e, char **error_r)
{
	struct oauth2_answer a = {0};
	int lock = -1;
	if (o->flow == OAUTH2_DEVICE) {
		lock = oauth2_vault_lock(o->refresh_token_file, REFRESH_LOCK_WAIT, error_r);
		if (lock < 0) {
			char *why = *error_r;
			*error_r = xasprintf("[oauth2 %s]: %s", o->name, why);
			free(why);
			return -1;
		}
	}
	int rc = request(o, user, e->unsealed_refresh, &a, error_r);
	if (rc == 0 && (a.status != 200 || a.access_token == NULL)) {
		*error_r = a.error != NULL || a.status != 200
		    ? oauth2_refusal(o, o->token_url, &a)
		    : xasprintf("[oauth2 %s]: %s answered without an access_token", o->name, o->token_url);
		rc = -1;
	}
	if (rc == 0 && a.refresh_token != NULL && o->flow == OAUTH2_DEVICE) {
		char *error = NULL;
		free_secret(&e->unsealed_refresh);
		if (oauth2_keep_refresh_token(o, a.refresh_token, &error) < 0) {
			log_error("%s (kept in memory; sealed at the next refresh)", error);
			e->unsealed_refresh = a.refresh_token;
			a.refresh_token = NULL;
			free(error);
		}
	}
	if (lock >= 0)
		oauth2_vault_unlock(lock);
	if (rc == 0) {
		free_secret(&e->access_token);
		e->access_token = a.access_token;
		a.access_token = NULL;
		e->obtained_at = time(NULL);
		e->expires_at = e->obtained_at + (a.expires_in > 0 ? a.expires_in : DEFAULT_LIFE);
		e->flow = flow_name(o);
	}
	oauth2_answer_clear(&a);
	return rc;
}

int oauth2_get_token(const struct oauth2_config *o, const char *user,
                     struct oauth2_token *token_r, char **error_r)
{
	struct entry *e = entry_for(o, user);
	pthread_mutex_lock(&e->request);
	int64_t now = time(NULL);
	int rc = 0;
	if (e->access_token != NULL && now < oauth2_renew_at(e->obtained_at, e->expires_at)) {
		/* cached, with life enough left */
	} else if (e->failure != NULL && now < e->retry_at) {
		*error_r = xstrdup(e->failure);
		rc = -1;
	} else if (renew(o, user, e, error_r) == 0) {
		xfree(&e->failure);
		e->backoff = 0;
	} else {
		free(e->failure);
		e->failure = xstrdup(*error_r);
		e->backoff = e->backoff == 0 ? 1 : e->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX
		                                                               : e->backoff * 2;
		e->retry_at = now + (int64_t)e->backoff;
		rc = -1;
	}
	if (rc == 0) {
		token_r->access_token = xstrdup(e->access_token);
		token_r->obtained_at = e->obtained_at;
		token_r->expires_at = e->expires_at;
		token_r->flow = e->flow;
	}
	pthread_mutex_unlock(&e->request);
	return rc;
}

void oauth2_token_refused(const struct oauth2_config *o, const char *user,
                          const char *access_token)
{
	struct entry *e = entry_for(o, user);
	pthread_mutex_lock(&e->request);
	/* Only that token: another thread may have a new one already. */
	if (e->access_token != NULL && strcmp(e->access_token, access_token) == 0)
		free_secret(&e->access_token);
	pthread_mutex_unlock(&e->request);
}

int oauth2_check_local(const struct oauth2_config *o, char **what_r, char **error_r)
{
	char *error = NULL;
	*what_r = NULL;
	char *secret = NULL;
	if (oauth2_client_secret(o, &secret, error_r) < 0)
		return -1;
	free_secret(&secret);
	if (o->flow == OAUTH2_DEVICE) {
		size_t len;
		int missing = 0;
		char *refresh = oauth2_vault_open(o->key_file, o->refresh_token_file, &len, &missing,
		                                  &error);
		if (refresh == NULL) {
			*error_r = missing ? xasprintf("[oauth2 %s]: no refresh token yet (%s): run "
			                               "`liaison oauth2 login %s`", o->name,
			                               o->refresh_token_file, o->name)
			                   : xasprintf("[oauth2 %s]: %s", o->name, error);
			free(error);
			return missing ? 1 : -1;
		}
		free_secret(&refresh);
		*what_r = xasprintf("refresh token sealed in %s", o->refresh_token_file);
		return 0;
	}
	if (o->client_key != NULL) {
		/* A signature proves the key reads, and that it is the certificate's. */
		struct sa_key k = {0};
		if (o->flow == OAUTH2_SERVICE_ACCOUNT) {
			if (read_service_account_key(o, &k, error_r) < 0)
				return -1;
		} else if ((k.pem = read_key_file(o->client_key, &k.len, &error)) == NULL) {
			*error_r = xasprintf("[oauth2 %s]: client_key %s", o->name, error);
			free(error);
			return -1;
		}
		struct oauth2_jwt jwt = {k.pem, k.len, o->client_key, o->client_certificate, k.key_id,
		                         o->client_id ? o->client_id : k.email ? k.email : "check",
		                         "check", o->token_url, NULL, time(NULL)};
		char *signed_jwt = oauth2_jwt_sign(&jwt, &error);
		sa_key_clear(&k);
		if (signed_jwt == NULL) {
			*error_r = xasprintf("[oauth2 %s]: %s", o->name, error);
			free(error);
			return -1;
		}
		free_secret(&signed_jwt);
	}
	if (o->client_certificate != NULL) {
		char *hex = oauth2_certificate_thumbprint(o->client_certificate, &error);
		if (hex == NULL) {
			*error_r = xasprintf("[oauth2 %s]: %s", o->name, error);
			free(error);
			return -1;
		}
		int64_t not_after = oauth2_certificate_not_after(o->client_certificate, &error);
		if (not_after < 0) {
			free(hex);
			*error_r = xasprintf("[oauth2 %s]: %s", o->name, error);
			free(error);
			return -1;
		}
		char day[32];
		time_format_utc(not_after, day, sizeof(day));
		day[10] = '\0'; /* the date is enough */
		int64_t left = not_after - (int64_t)time(NULL);
		if (left <= 0) {
			*error_r = xasprintf("[oauth2 %s]: client_certificate %s expired on %s: make a new "
			                     "one and upload it to the application", o->name,
			                     o->client_certificate, day);
			free(hex);
			return -1;
		}
		*what_r = xasprintf("client certificate %s, thumbprint %s, expires %s%s",
		                    o->client_certificate, hex, day,
		                    left < CERT_WARN ? " (soon: make and upload the next one now)" : "");
		free(hex);
		return left < CERT_WARN ? 1 : 0;
	}
	*what_r = xstrdup(o->flow == OAUTH2_SERVICE_ACCOUNT ? "service account key reads"
	                                                     : "client secret readable");
	return 0;
}

void oauth2_token_clear(struct oauth2_token *t)
{
	free_secret(&t->access_token);
}

void oauth2_cache_clear(void)
{
	/* The entries stay (another thread may be waiting on one's lock); their tokens go. */
	pthread_mutex_lock(&cache_lock);
	for (struct entry *e = cache; e != NULL; e = e->next) {
		pthread_mutex_lock(&e->request);
		free_secret(&e->access_token);
		xfree(&e->failure);
		e->backoff = 0;
		pthread_mutex_unlock(&e->request);
	}
	pthread_mutex_unlock(&cache_lock);
}
