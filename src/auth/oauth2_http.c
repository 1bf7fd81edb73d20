/* oauth2_http.c — one form POST to an OAuth2 endpoint with libcurl (see oauth2_http.h). */
#include "oauth2_http.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ANSWER_MAX (1u << 20) /* a token answer is a few kilobytes */
#define TIMEOUT 30            /* seconds for the whole request */

struct answer {
	struct buf body;
	int too_big;
};

static size_t keep_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct answer *a = userdata;
	size_t n = size * nmemb;
	if (buf_add(&a->body, data, n) < 0) {
		a->too_big = 1;
		return 0; /* aborts the transfer */
	}
	return n;
}

/* name=value&... with both URL-encoded; wiped by the caller (it holds secrets). */
static char *form_encode(CURL *curl, const struct oauth2_field *fields, int n)
{
	struct buf form;
	buf_init_secret(&form, 1u << 20);
	for (int i = 0; i < n; i++) {
		char *name = curl_easy_escape(curl, fields[i].name, 0);
		char *value = curl_easy_escape(curl, fields[i].value, 0);
		if (i > 0)
			buf_add(&form, "&", 1);
		buf_add(&form, name, strlen(name));
		buf_add(&form, "=", 1);
		buf_add(&form, value, strlen(value));
		explicit_bzero(value, strlen(value));
		curl_free(name);
		curl_free(value);
	}
	return buf_steal(&form, NULL);
}

int oauth2_http_post(const char *url, const char *ca_file, const struct oauth2_field *fields,
                     int n, long *status_r, char **body_r, char **error_r)
{
	CURL *curl = curl_easy_init();
	if (curl == NULL) {
		*error_r = xstrdup("cannot start libcurl");
		return -1;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	struct answer a = {0};
	buf_init_secret(&a.body, ANSWER_MAX);
	char *form = form_encode(curl, fields, n);
	struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url);
	/* http only reaches here for a loopback address (the configuration refuses the rest) */
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect would carry the secret away */
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "liaison");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a);
	CURLcode rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status_r);
	explicit_bzero(form, strlen(form));
	free(form);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	if (rc != CURLE_OK) {
		/* curl's own words for a connection that failed carry how many milliseconds it
		 * took: the general ones keep the message the same from one try to the next (the
		 * poller logs a failure once, until its text changes). */
		int general = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
		              rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING ||
		              rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR;
		*error_r = a.too_big ? xasprintf("%s answered more than %u bytes", url, ANSWER_MAX)
		    : xasprintf("%s: %s", url, errbuf[0] && !general ? errbuf : curl_easy_strerror(rc));
		buf_free(&a.body);
		return -1;
	}
	*body_r = buf_steal(&a.body, NULL);
	return 0;
}
