/* outbox_notice.c — one notice to the coordinator for the messages that failed after two
 * days of retries (see outbox_notice.h). */
#include "outbox_notice.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "outbox_about.h"
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

/* A set of row ids (few: the messages of an outage). */
struct ids {
	int64_t *v; /* owned */
	size_t n;
};

static void ids_add(struct ids *ids, int64_t id)
{
	ids->v = xrealloc(ids->v, (ids->n + 1) * sizeof(*ids->v));
	ids->v[ids->n++] = id;
}

static int ids_has(const struct ids *ids, int64_t id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (ids->v[i] == id)
			return 1;
	return 0;
}

struct gather {
	const struct config *config;
	struct ids told;                      /* listed by a notice, whatever its status */
	struct ids waiting;                   /* listed by the notice still queued */
	int64_t waiting_id;                   /* that notice, or 0 */
	struct strlist lines;                 /* newest first, as the rows come */
	size_t n_new;                         /* of those, the ones no notice listed yet */
	const struct mailbox_config *mailbox; /* the troop mailbox the notice is sent from */
	int64_t mailbox_id;
};

/* The ids a notice lists: its body lines LINE_PREFIX ID (quoted-printable keeps a line's
 * start as it is). */
static void listed_ids(const struct outbox_row *row, struct ids *ids)
{
	const char *body = memmem(row->raw, row->len, "\r\n\r\n", 4);
	const char *end = row->raw + row->len;
	static const char mark[] = "\n" LINE_PREFIX;
	for (const char *p = body; p != NULL && p < end;) {
		p = memmem(p, (size_t)(end - p), mark, sizeof(mark) - 1);
		if (p == NULL)
			break;
		p += sizeof(mark) - 1;
		int64_t id = 0;
		while (p < end && *p >= '0' && *p <= '9' && id < INT64_MAX / 10)
			id = id * 10 + (*p++ - '0');
		if (id > 0)
			ids_add(ids, id);
	}
}

static int find_notices(const struct outbox_row *row, void *p)
{
	struct gather *g = p;
	if (!outbox_notice_is_failure_notice(row))
		return 0;
	listed_ids(row, &g->told);
	if (strcmp(row->status, "queued") == 0 && g->waiting_id == 0) {
		g->waiting_id = row->id;
		listed_ids(row, &g->waiting);
	}
	return 0;
}

/* A row failed after every retry: a refusal (5xx) or a person's cancel says something else. */
static int gave_up(const struct outbox_row *row)
{
	return row->last_error != NULL &&
	       strncmp(row->last_error, OUTBOX_GAVE_UP, sizeof(OUTBOX_GAVE_UP) - 1) == 0 &&
	       !outbox_notice_is_failure_notice(row);
}

static int gather_row(const struct outbox_row *row, void *p)
{
	struct gather *g = p;
	if (!gave_up(row))
		return 0;
	int is_new = !ids_has(&g->told, row->id);
	if (!is_new && !ids_has(&g->waiting, row->id))
		return 0;
	g->n_new += is_new;
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

/* Queues the notice, or gives the waiting one the longer list in its place (it was never
 * accepted by a server: nothing of it went out).  *id_r: the notice's row. */
static int queue_notice(struct store *store, struct gather *g, const char *to, int64_t now,
                        int64_t *id_r, char **error_r)
{
	struct strlist oldest_first = {0};
	for (size_t i = g->lines.count; i > 0; i--)
		strlist_add(&oldest_first, g->lines.items[i - 1]);
	char *body = NULL;
	int rc = outbox_notice_render(g->config->templates, &oldest_first, &body, error_r);
	strlist_free(&oldest_first);
	if (rc < 0)
		return -1;
	struct troop_message tm = {
		.kind = "notice",
		.to = to,
		.subject = OUTBOX_NOTICE_SUBJECT,
		.body = body,
		.auto_submitted = "auto-generated",
		.now = now,
	};
	char msgid[COMPOSE_MSGID_SIZE];
	size_t len = 0;
	char *raw = outbox_compose_troop_message(g->mailbox, &tm, msgid, &len);
	rc = 0;
	if (g->waiting_id != 0)
		rc = store_outbox_requeue_raw(store, g->waiting_id, msgid, raw, len);
	if (rc == 1) {
		*id_r = g->waiting_id;
		rc = 0;
	} else if (rc == 0) {
		struct outbox_new row = {
			.kind = "notice",
			.mailbox_id = g->mailbox_id,
			.recipient = to,
			.correspondent = to,
			.envelope_from = g->mailbox->address,
			.message_id = msgid,
			.raw = raw,
			.len = len,
			.now = now,
		};
		rc = store_outbox_add(store, &row, id_r);
	}
	if (rc < 0)
		*error_r = xasprintf("outbox notice: %s", store_error(store));
	free(raw);
	free(body);
	return rc;
}

int outbox_notice_failed(struct store *store, const struct config *config, size_t gave_up_now,
                         int64_t now, char **error_r)
{
	struct gather g = {.config = config};
	int rc = -1;
	if (store_outbox_list_unthreaded_notices(store, find_notices, &g) < 0 ||
	    store_outbox_list_failed_with(store, OUTBOX_GAVE_UP, gather_row, &g) < 0) {
		*error_r = xasprintf("outbox notice: %s", store_error(store));
		goto out;
	}
	const char *to = config->urgent_notify;
	if (to == NULL && g.mailbox != NULL)
		to = g.mailbox->urgent_notify;
	int64_t id = 0;
	if (g.n_new == 0) {
		rc = 0;
	} else if (to == NULL || g.mailbox == NULL) {
		/* Nothing records that it was said: say it when it happens, not on every run. */
		if (gave_up_now > 0)
			log_warn("outbox: %zu messages failed after retrying for two days; no "
			         "urgent_notify is configured to tell", g.n_new);
		rc = 0;
	} else if (queue_notice(store, &g, to, now, &id, error_r) == 0) {
		char about[160];
		struct outbox_row row = {.id = id, .kind = "notice", .mailbox = g.mailbox->name};
		log_warn("%s: queued, the notice of %zu messages that failed after retrying for two "
		         "days", outbox_row_about(&row, about, sizeof(about)), g.lines.count);
		rc = 0;
	}
out:
	strlist_free(&g.lines);
	free(g.told.v);
	free(g.waiting.v);
	return rc;
}
