/* web_notice.c — notices carried over a redirect, per session (see web_notice.h). */
#include "web_notice.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "web_html.h"

/* Enough for every signed-in user's few notices between a POST and its page. */
#define NOTICES_KEPT 256
#define NOTICE_KEY_MAX 32

struct notice {
	int64_t session_id;   /* 0: a free place */
	uint64_t made;        /* the order notices were made in, to drop the oldest */
	char key[NOTICE_KEY_MAX];
	char *text;
};

static pthread_mutex_t notices_lock = PTHREAD_MUTEX_INITIALIZER;
static struct notice notices[NOTICES_KEPT];
static uint64_t notices_made;

static struct notice *find(int64_t session_id, const char *key)
{
	for (size_t i = 0; i < NOTICES_KEPT; i++)
		if (notices[i].session_id == session_id && strcmp(notices[i].key, key) == 0)
			return &notices[i];
	return NULL;
}

void web_notice_set(struct web_ctx *c, const char *key, const char *text)
{
	if (c->session_id == 0 || strlen(key) >= NOTICE_KEY_MAX)
		return;
	pthread_mutex_lock(&notices_lock);
	struct notice *n = find(c->session_id, key);
	if (n == NULL) { /* a free place, else the oldest notice's */
		n = &notices[0];
		for (size_t i = 0; i < NOTICES_KEPT; i++) {
			if (notices[i].session_id == 0) {
				n = &notices[i];
				break;
			}
			if (notices[i].made < n->made)
				n = &notices[i];
		}
	}
	free(n->text);
	n->session_id = c->session_id;
	n->made = ++notices_made;
	snprintf(n->key, sizeof(n->key), "%s", key);
	n->text = xstrdup(text);
	pthread_mutex_unlock(&notices_lock);
}

char *web_notice_take(struct web_ctx *c, const char *key)
{
	if (c->session_id == 0)
		return NULL;
	pthread_mutex_lock(&notices_lock);
	struct notice *n = find(c->session_id, key);
	char *text = NULL;
	if (n != NULL) {
		text = n->text;
		memset(n, 0, sizeof(*n));
	}
	pthread_mutex_unlock(&notices_lock);
	return text;
}

void web_notice_show(struct web_ctx *c, const char *key)
{
	char *text = web_notice_take(c, key);
	if (text != NULL)
		html(&c->res->body, "<p class=\"done\" role=\"status\">%s</p>", text);
	free(text);
}
