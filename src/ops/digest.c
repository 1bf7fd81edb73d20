/* digest.c — what needs the liaisons' attention today, by troop. */
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calendar.h"
#include "clock.h"
#include "compose.h"
#include "outbox_queue.h"
#include "util.h"

enum { SEC_NEW, SEC_UNASSIGNED, SEC_URGENT, SEC_OVERDUE, SEC_RMS, SEC_COUNT };

static const char *const section_titles[SEC_COUNT] = {
	"New today", "Unassigned", "Urgent", "Overdue, not answered",
	"Reportable, waiting for an RMS number",
};

struct digest_ctx {
	char troop;
	int respond_within;
	int64_t now;
	struct cal_date today;
	struct buf sections[SEC_COUNT];
	int counts[SEC_COUNT];
};

static void add_line(struct digest_ctx *c, int sec, const struct thread_row *t)
{
	/* The digest goes by mail: a confidential thread never shows more than its reference. */
	const char *subject = t->confidential ? "confidential" : t->subject;
	buf_addf(&c->sections[sec], "  %-13s %-7s %-12s %s\n", t->ref, t->status,
	         t->assignee ? t->assignee : "-", subject && subject[0] ? subject : "(no subject)");
	c->counts[sec]++;
}

static int collect(const struct thread_row *t, void *p)
{
	struct digest_ctx *c = p;
	if (t->troop != c->troop || strcmp(t->kind, "person") != 0)
		return 0;
	int closed = strcmp(t->status, "closed") == 0;
	if (calendar_compare(calendar_date_of(t->first_at, NULL), c->today) == 0)
		add_line(c, SEC_NEW, t);
	if (closed)
		return 0;
	if (t->assignee == NULL)
		add_line(c, SEC_UNASSIGNED, t);
	if (strcmp(t->priority, "urgent") == 0)
		add_line(c, SEC_URGENT, t);
	/* Overdue and still unanswered: what someone can act on today. */
	if (t->first_response_at == 0 &&
	    clock_overdue(t->first_in_at, t->first_response_at, 0, c->respond_within, c->now))
		add_line(c, SEC_OVERDUE, t);
	if (t->reportable && t->rms_number == NULL && t->not_reportable_reason == NULL)
		add_line(c, SEC_RMS, t);
	return 0;
}

int digest_read(struct store *store, const struct actor *actor, char troop, int64_t now,
                char **text_r, int *items_r, char **error_r)
{
	int rc = digest_build(store, actor, troop, now, text_r, items_r, error_r);
	if (rc != OPS_OK)
		return rc;
	/* Reading it is a read of the troop's threads: audited like a report. */
	char object[2] = {troop, '\0'};
	if (audit_append(store, actor->user->name, "digest", object, "printed", error_r) < 0) {
		free(*text_r);
		*text_r = NULL;
		return OPS_FAILED;
	}
	return OPS_OK;
}

void digest_troops(const struct actor *actor, char *troops_r, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < actor->config->n_mailboxes && n + 1 < size; i++) {
		char t = actor->config->mailboxes[i].troop;
		if (ops_sees_troop(actor, t) && memchr(troops_r, t, n) == NULL)
			troops_r[n++] = t;
	}
	troops_r[n] = '\0';
}

int digest_build(struct store *store, const struct actor *actor, char troop, int64_t now,
                 char **text_r, int *items_r, char **error_r)
{
	const struct mailbox_config *m = config_find_troop(actor->config, troop);
	if (m == NULL) {
		*error_r = xasprintf("no mailbox of troop %c in %s", troop, actor->config->path);
		return OPS_INVALID;
	}
	if (!ops_sees_troop(actor, troop)) {
		*error_r = xasprintf("refused: troop %c is not one of your troops (%s)", troop,
		                     actor->user->troops ? actor->user->troops : "none");
		return OPS_REFUSED;
	}
	struct digest_ctx c = {.troop = troop, .respond_within = actor->config->respond_within,
	                       .now = now, .today = calendar_date_of(now, NULL)};
	for (int i = 0; i < SEC_COUNT; i++)
		buf_init(&c.sections[i], SIZE_MAX);
	struct thread_filter filter = {.mailbox = m->name};
	int rc = store_threads_list(store, &filter, collect, &c);
	struct buf out;
	buf_init(&out, SIZE_MAX);
	char day[11];
	calendar_format(c.today, day);
	buf_addf(&out, "CTL digest, troop %c, %s (first answers due within %d business days)\n",
	         troop, day, c.respond_within);
	int items = 0;
	for (int i = 0; i < SEC_COUNT; i++) {
		buf_addf(&out, "\n%s: %d\n", section_titles[i], c.counts[i]);
		if (c.sections[i].data)
			buf_addstr(&out, c.sections[i].data);
		items += c.counts[i];
		buf_free(&c.sections[i]);
	}
	if (rc < 0) {
		buf_free(&out);
		*error_r = xasprintf("digest: %s", store_error(store));
		return OPS_FAILED;
	}
	*text_r = buf_steal(&out, NULL);
	*items_r = items;
	return OPS_OK;
}


struct earlier_ctx {
	const char *troop;
	int64_t until;     /* the next midnight: a clock set back must not see tomorrow's */
	int64_t at;
};

static int find_earlier(const struct audit_row *row, void *p)
{
	struct earlier_ctx *c = p;
	if (row->at < c->until && strcmp(row->action, DIGEST_SENT_ACTION) == 0 &&
	    strcmp(row->object, c->troop) == 0)
		c->at = row->at;
	return 0;
}

/* When the troop's digest was last queued today (local day), or 0: the audit trail is the
 * record of every digest queued. */
static int queued_today(struct store *store, char troop, int64_t now, int64_t *at_r)
{
	char object[2] = {troop, '\0'};
	struct cal_date today = calendar_date_of(now, NULL);
	struct earlier_ctx c = {object, calendar_time_of(calendar_add_days(today, 1), 0, 0), 0};
	int64_t midnight = calendar_time_of(today, 0, 0);
	if (store_audit_list(store, midnight, NULL, find_earlier, &c) < 0)
		return -1;
	*at_r = c.at;
	return 0;
}

int digest_send(struct store *store, const struct actor *actor, char troop, int64_t now,
                int again, int *sent_r, int64_t *earlier_r, char **error_r)
{
	*sent_r = 0;
	*earlier_r = 0;
	if (actor->user->role == ROLE_RECORDS) {
		*error_r = xstrdup("refused: records staff read threads and send nothing");
		return OPS_REFUSED;
	}
	char *text = NULL;
	int items = 0;
	int rc = digest_build(store, actor, troop, now, &text, &items, error_r);
	if (rc != OPS_OK)
		return rc;
	const struct config *config = actor->config;
	const struct mailbox_config *m = config_find_troop(config, troop);
	char day[11];
	calendar_format(calendar_date_of(now, NULL), day);
	char *subject = xasprintf("CTL digest troop %c %s: %d item%s", troop, day, items,
	                          items == 1 ? "" : "s");
	char object[2] = {troop, '\0'};
	int64_t mailbox_id = 0;
	int sent = 0;
	if (store_begin(store) < 0)
		goto fail;
	/* Once a day: a second run (cron retried, two people) would fill the liaisons' inboxes
	 * with the same list.  Checked inside the transaction, so two at once queue one. */
	if (!again) {
		if (queued_today(store, troop, now, earlier_r) < 0)
			goto fail;
		if (*earlier_r != 0) {
			store_rollback(store);
			free(subject);
			free(text);
			return OPS_OK;
		}
	}
	if (store_mailbox_ensure(store, m->name, m->troop, m->address, &mailbox_id) < 0)
		goto fail;
	for (size_t i = 0; i < config->n_users; i++) {
		const struct user_config *u = &config->users[i];
		if (u->role != ROLE_CTL || u->email == NULL || u->troops == NULL ||
		    strchr(u->troops, troop) == NULL)
			continue;
		/* A colleague's server may bounce it back to the troop, where someone reads it:
		 * the troop address is the sender. */
		struct troop_message tm = {
			.kind = "notice",
			.to = u->email,
			.subject = subject,
			.body = text,
			.auto_submitted = "auto-generated",
			.now = now,
		};
		char *queue_error = NULL;
		if (outbox_queue_troop_message(store, m, mailbox_id, &tm, &queue_error) < 0) {
			free(queue_error);
			goto fail;
		}
		sent++;
	}
	char *details = xasprintf("%d item%s to %d liaison%s", items, items == 1 ? "" : "s", sent,
	                          sent == 1 ? "" : "s");
	rc = audit_append(store, actor->user->name, DIGEST_SENT_ACTION, object, details, error_r);
	free(details);
	if (rc < 0) {
		store_rollback(store);
		rc = OPS_FAILED;
	} else if (store_commit(store) < 0) {
		goto fail;
	} else {
		*sent_r = sent;
		rc = OPS_OK;
	}
	free(subject);
	free(text);
	return rc;
fail:
	*error_r = xasprintf("digest: %s", store_error(store));
	store_rollback(store);
	free(subject);
	free(text);
	return OPS_FAILED;
}
