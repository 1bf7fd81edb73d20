/* outbox_notice.c — one notice to the coordinator for the messages that failed after two
 * days of retries (see outbox_notice.h). */
#include "outbox_notice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "outbox_queue.h"
#include "template.h"

/* Each listed message is a body line starting so; a waiting notice is read back by it. */
#define LINE_PREFIX "- outbox "

int outbox_notice_is_failure_notice(const struct outbox_row *row)
{
	if (strcmp(row->kind, "notice") != 0 || row->thread_id != 0 || row->raw == NULL)
		return 0;
	static const char subject[] = "\nSubject: " OUTBOX_NOTICE_SUBJECT "\r";
	const char *end = memmem(row->raw, row->len, "\r\n\r\n", 4);
	size_t header_len = end ? (size_t)(end - row->raw) + 2 : row->len;
	return memmem(row->raw, header_len, subject, sizeof(subject) - 1) != NULL;
}

int outbox_notice_render(const char *templates, const struct strlist *lines, char **text_r,
                         char **error_r)
{
	char count[24];
	snprintf(count, sizeof(count), "%zu", lines->count);
	const struct template_var vars[] = {{"count", count}};
	char *head = NULL;
	if (template_render(templates, OUTBOX_NOTICE_TEMPLATE, "en", vars, 1, &head, error_r) < 0)
		return -1;
	char *list = strlist_join(lines, "\n");
	*text_r = xasprintf("%s\n%s\n", head, list);
	free(head);
	free(list);
	return 0;
}

/* What the notice says of one row: what it was, its thread and recipient (hidden for a
 * confidential thread: the notice is mail), and the server's last words. */
static char *describe(const struct outbox_row *row)
{
	char *error = template_clean_value(row->last_error ? row->last_error : "");
	char *line = xasprintf(LINE_PREFIX "%lld (%s), thread %s, to %s: %s", (long long)row->id,
	                       row->kind, row->thread_ref ? row->thread_ref : "(none)",
	                       row->thread_confidential ? "(confidential thread)" : row->recipient,
	                       error);
	free(error);
	return line;
}

struct gather {
	struct strlist lines;
	const struct mailbox_config *mailbox; /* the troop mailbox the notice is sent from */
	int64_t mailbox_id;
	const struct config *config;
	int64_t waiting_id;                   /* a notice of failures still queued, or 0 */
	char *waiting_raw;                    /* owned: its bytes */
	size_t waiting_len;
};

static int gather_row(const struct outbox_row *row, void *p)
{
	struct gather *g = p;
	if (strcmp(row->status, "failed") != 0 || outbox_notice_is_failure_notice(row))
		return 0;
	char *line = describe(row);
	strlist_add_unique(&g->lines, line);
	free(line);
	const struct mailbox_config *m = config_find_mailbox(g->config, row->mailbox);
	if (g->mailbox == NULL && m != NULL) {
		g->mailbox = m;
		g->mailbox_id = row->mailbox_id;
	}
	return 0;
}

static int find_waiting(const struct outbox_row *row, void *p)
{
	struct gather *g = p;
	if (g->waiting_id != 0 || !outbox_notice_is_failure_notice(row))
		return 0;
	g->waiting_id = row->id;
	g->waiting_raw = xmalloc(row->len + 1);
	memcpy(g->waiting_raw, row->raw, row->len);
	g->waiting_raw[row->len] = '\0';
	g->waiting_len = row->len;
	return 0;
}

/* The ids a waiting notice listed: its body lines LINE_PREFIX ID (quoted-printable keeps a
 * line's start as it is). */
static void waiting_ids(const struct gather *g, int64_t **ids, size_t *n)
{
	const char *body = strstr(g->waiting_raw, "\r\n\r\n");
	for (const char *p = body; p != NULL; p = strstr(p + 1, "\n" LINE_PREFIX)) {
		if (strncmp(p, "\n" LINE_PREFIX, sizeof(LINE_PREFIX)) != 0)
			continue;
		long long id = strtoll(p + sizeof(LINE_PREFIX), NULL, 10);
		if (id > 0) {
			*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
			(*ids)[(*n)++] = id;
		}
	}
}

static int queue_notice(struct store *store, struct gather *g, const char *to, int64_t now,
                        char **error_r)
{
	char *body = NULL;
	if (outbox_notice_render(g->config->templates, &g->lines, &body, error_r) < 0)
		return -1;
	struct troop_message tm = {
		.kind = "notice",
		.to = to,
		.subject = OUTBOX_NOTICE_SUBJECT,
		.body = body,
		.auto_submitted = "auto-generated",
		.now = now,
	};
	if (store_begin(store) < 0) {
		*error_r = xasprintf("outbox notice: %s", store_error(store));
		free(body);
		return -1;
	}
	char *why = g->waiting_id ? xasprintf("replaced by a notice that also lists the messages "
	                                      "failed since (not sent)") : NULL;
	int rc = 0;
	if (g->waiting_id != 0 && store_outbox_cancel(store, g->waiting_id, why) < 0) {
		*error_r = xasprintf("outbox notice: %s", store_error(store));
		rc = -1;
	}
	if (rc == 0)
		rc = outbox_queue_troop_message(store, g->mailbox, g->mailbox_id, &tm, error_r);
	if (rc == 0 && store_commit(store) < 0) {
		*error_r = xasprintf("outbox notice: %s", store_error(store));
		rc = -1;
	}
	if (rc < 0)
		store_rollback(store);
	free(why);
	free(body);
	return rc;
}

int outbox_notice_failed(struct store *store, const struct config *config, const int64_t *ids,
                         size_t n_ids, int64_t now, char **error_r)
{
	struct gather g = {.config = config};
	int64_t *all = NULL;
	size_t n = 0;
	int rc = -1;
	if (store_outbox_list(store, "queued", find_waiting, &g) < 0)
		goto store_error;
	if (g.waiting_id != 0)
		waiting_ids(&g, &all, &n);
	all = xrealloc(all, (n + n_ids + 1) * sizeof(*all));
	memcpy(all + n, ids, n_ids * sizeof(*ids));
	n += n_ids;
	for (size_t i = 0; i < n; i++)
		if (store_outbox_get(store, all[i], gather_row, &g) < 0)
			goto store_error;
	const char *to = config->urgent_notify;
	if (to == NULL && g.mailbox != NULL)
		to = g.mailbox->urgent_notify;
	if (g.lines.count == 0) {
		rc = 0;
	} else if (to == NULL || g.mailbox == NULL) {
		log_warn("outbox: %zu messages failed after retrying for two days; no urgent_notify "
		         "is configured to tell", g.lines.count);
		rc = 0;
	} else if (queue_notice(store, &g, to, now, error_r) == 0) {
		log_warn("outbox: %zu messages failed after retrying for two days; the notice to %s "
		         "is queued", g.lines.count, to);
		rc = 0;
	}
	goto out;
store_error:
	*error_r = xasprintf("outbox notice: %s", store_error(store));
out:
	strlist_free(&g.lines);
	free(g.waiting_raw);
	free(all);
	return rc;
}
