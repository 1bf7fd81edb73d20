/* smtp.c — SMTP with libcurl: STARTTLS required unless tls = none, certificates verified,
 * the reply code read with CURLINFO_RESPONSE_CODE and the server's words kept for the
 * outbox (4xx: try later; 5xx: refused). */
#include "smtp.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct upload {
	const char *data;
	size_t left;
	smtp_before_end_cb *before_end;
	void *ctx;
};

static size_t read_upload(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct upload *u = userdata;
	size_t n = size * nmemb < u->left ? size * nmemb : u->left;
	if (n == u->left && u->before_end != NULL) {
		/* These are the last bytes (libcurl, knowing the size, may never ask again): the
		 * end of DATA follows them.  Said a little early, which errs on the safe side. */
		smtp_before_end_cb *cb = u->before_end;
		u->before_end = NULL;
		if (cb(u->ctx) != 0)
			return CURL_READFUNC_ABORT;
	}
	memcpy(ptr, u->data, n);
	u->data += n;
	u->left -= n;
	return n;
}

/* Keeps the server's last refusal (4xx or 5xx line): curl's own error text names the code,
 * not the server's words, and the 221 to QUIT comes after it. */
static int debug_keep_reply(CURL *curl, curl_infotype type, char *data, size_t size, void *userp)
{
	struct buf *last = userp;
	if (type != CURLINFO_HEADER_IN || size < 3 || (data[0] != '4' && data[0] != '5'))
		return 0;
	buf_reset(last);
	buf_add(last, data, size < 512 ? size : 512);
	str_trim(last->data);
	last->len = strlen(last->data);
	return 0;
}

void smtp_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void smtp_global_deinit(void)
{
	curl_global_cleanup();
}

/* One conversation with the server as configured: timeouts, STARTTLS or implicit TLS,
 * certificates checked, AUTH (password or XOAUTH2), and the server's refusals kept in
 * last. */
struct session {
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	struct buf last;
};

static int session_open(struct session *ss, const struct smtp_config *smtp, const char *secret,
                        struct smtp_outcome *out)
{
	memset(out, 0, sizeof(*out));
	memset(ss, 0, sizeof(*ss));
	if ((smtp->password_file || smtp->token_command || smtp->oauth2) && secret == NULL) {
		/* Never without the login configured: the server would refuse every message as
		 * unauthenticated (5xx), which is not the messages' fault. */
		out->text = xstrdup("no password or token to log in with");
		out->auth_refused = 1;
		return -1;
	}
	ss->curl = curl_easy_init();
	if (ss->curl == NULL) {
		out->text = xstrdup("cannot start libcurl");
		return -1;
	}
	buf_init(&ss->last, 1024);
	CURL *curl = ss->curl;
	curl_easy_setopt(curl, CURLOPT_URL, smtp->url);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, ss->errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)smtp->timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)smtp->timeout);
	/* smtps:// is implicit TLS; smtp:// must upgrade with STARTTLS unless told otherwise. */
	if (smtp->tls != CONFIG_TLS_NONE)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (smtp->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, smtp->ca_file);
	if (smtp->username && secret) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, smtp->username);
		if (smtp->token_command || smtp->oauth2)
			curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, secret);
		else
			curl_easy_setopt(curl, CURLOPT_PASSWORD, secret);
	}
	curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, debug_keep_reply);
	curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &ss->last);
	curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L); /* feeds the debug callback only */
	return 0;
}

static void session_close(struct session *ss)
{
	curl_easy_cleanup(ss->curl);
	buf_free(&ss->last);
}

int smtp_send(const struct smtp_config *smtp, const char *secret, const char *envelope_from,
              const char *recipient, const char *raw, size_t len,
              smtp_before_end_cb *before_end, void *ctx, struct smtp_outcome *out)
{
	struct session ss;
	if (session_open(&ss, smtp, secret, out) < 0)
		return -1;
	struct upload up = {raw, len, before_end, ctx};
	char *from = xasprintf("<%s>", envelope_from ? envelope_from : "");
	char *to = xasprintf("<%s>", recipient);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	CURL *curl = ss.curl;
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);

	CURLcode rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->code);
	out->auth_refused = rc == CURLE_LOGIN_DENIED;
	if (rc == CURLE_OK && out->code == 0)
		out->code = 250; /* curl succeeded only if the server accepted the data */
	if (rc != CURLE_OK && out->code == 250)
		out->code = 0;   /* failed after a 250 to an earlier command: not accepted */
	if (ss.last.len > 0 && out->code >= 400)
		out->text = xstrdup(ss.last.data);
	else if (rc != CURLE_OK)
		out->text = xasprintf("%s", ss.errbuf[0] ? ss.errbuf : curl_easy_strerror(rc));
	else
		out->text = xstrdup("250 accepted");

	curl_slist_free_all(rcpt);
	session_close(&ss);
	free(from);
	free(to);
	return rc == CURLE_OK && out->code == 250 ? 0 : -1;
}

int smtp_check(const struct smtp_config *smtp, const char *secret, struct smtp_outcome *out)
{
	struct session ss;
	if (session_open(&ss, smtp, secret, out) < 0)
		return -1;
	/* No MAIL FROM, no RCPT: after EHLO, STARTTLS and AUTH, one NOOP, then QUIT. */
	curl_easy_setopt(ss.curl, CURLOPT_CUSTOMREQUEST, "NOOP");
	curl_easy_setopt(ss.curl, CURLOPT_NOBODY, 1L);
	CURLcode rc = curl_easy_perform(ss.curl);
	curl_easy_getinfo(ss.curl, CURLINFO_RESPONSE_CODE, &out->code);
	out->auth_refused = rc == CURLE_LOGIN_DENIED;
	if (rc == CURLE_OK)
		out->text = xasprintf("%ld to NOOP after EHLO%s%s", out->code,
		                      smtp->tls == CONFIG_TLS_NONE ? "" : ", TLS",
		                      smtp->username && secret ? ", AUTH" : "");
	else if (ss.last.len > 0)
		out->text = xstrdup(ss.last.data);
	else
		out->text = xasprintf("%s", ss.errbuf[0] ? ss.errbuf : curl_easy_strerror(rc));
	session_close(&ss);
	return rc == CURLE_OK ? 0 : -1;
}

void smtp_outcome_clear(struct smtp_outcome *out)
{
	xfree(&out->text);
	out->code = 0;
	out->auth_refused = 0;
}
