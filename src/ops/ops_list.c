/* ops_list.c — what each person may see of threads, messages, history and search hits. */
#include "ops_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit.h"
#include "calendar.h"
#include "clock.h"

#define MASK "confidential"

static const char *const statuses[] = {"new", "open", "waiting", "closed"};
static const char *const flags[] = {"confidential", "reportable", "urgent", "suspicious"};

static int one_of(const char *value, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(value, list[i]) == 0)
			return 1;
	return 0;
}

/* The configured spelling of a mailbox named in any case (config_find_mailbox takes any
 * case), or NULL. */
static const char *mailbox_name(const struct config *config, const char *name)
{
	const struct mailbox_config *m = config_find_mailbox(config, name);
	return m ? m->name : NULL;
}

static char *mailbox_choices(const struct config *config)
{
	struct strlist names = {0};
	for (size_t i = 0; i < config->n_mailboxes; i++)
		strlist_add(&names, config->mailboxes[i].name);
	char *joined = strlist_join(&names, ", ");
	strlist_free(&names);
	return joined;
}

static int check_query(const struct actor *a, const struct ops_thread_query *q,
                       const char **mailbox_r, char **error_r)
{
	*mailbox_r = NULL;
	if (q->status && !one_of(q->status, statuses, sizeof(statuses) / sizeof(*statuses))) {
		*error_r = xasprintf("'%s' is not a status: new, open, waiting, closed", q->status);
		return OPS_INVALID;
	}
	if (q->flag && !one_of(q->flag, flags, sizeof(flags) / sizeof(*flags))) {
		*error_r = xasprintf("'%s' is not a flag: confidential, reportable, urgent, suspicious",
		                     q->flag);
		return OPS_INVALID;
	}
	if ((q->mine != 0) + (q->assignee != NULL) + (q->unassigned != 0) > 1) {
		*error_r = xstrdup("give one of --mine, --assignee USER, --unassigned");
		return OPS_INVALID;
	}
	if (q->assignee && config_find_user(a->config, q->assignee) == NULL) {
		*error_r = ops_unknown_user(a->config, q->assignee);
		return OPS_INVALID;
	}
	if (q->mailbox && (*mailbox_r = mailbox_name(a->config, q->mailbox)) == NULL) {
		char *choices = mailbox_choices(a->config);
		*error_r = xasprintf("no [mailbox %s] in %s (mailboxes: %s)", q->mailbox,
		                     a->config->path, choices);
		free(choices);
		return OPS_INVALID;
	}
	return OPS_OK;
}

static int has_flag(const struct thread_row *t, const char *flag)
{
	if (strcmp(flag, "confidential") == 0)
		return t->confidential;
	if (strcmp(flag, "reportable") == 0)
		return t->reportable;
	if (strcmp(flag, "urgent") == 0)
		return strcmp(t->priority, "urgent") == 0;
	return t->suspicious;
}

/* The filters on who works it; a confidential thread the actor may not read matches no
 * filter on what it is about, so a filter cannot tell its category. */
static int matches(const struct actor *a, const struct ops_thread_query *q,
                   const struct thread_row *t, int content)
{
	if (q->status == NULL && !q->all && strcmp(t->status, "closed") == 0)
		return 0;
	if (q->mine && (t->assignee == NULL || strcmp(t->assignee, a->user->name) != 0))
		return 0;
	if (q->assignee && (t->assignee == NULL || strcmp(t->assignee, q->assignee) != 0))
		return 0;
	if (q->unassigned && t->assignee != NULL)
		return 0;
	if (q->urgent && strcmp(t->priority, "urgent") != 0)
		return 0;
	if (q->flag && !has_flag(t, q->flag))
		return 0;
	if (q->person && strcmp(t->kind, "person") != 0)
		return 0;
	if (q->category && (!content || t->category == NULL || strcasecmp(t->category, q->category)))
		return 0;
	return 1;
}

struct list_ctx {
	struct store *store;
	const struct actor *actor;
	const struct ops_thread_query *q;
	ops_thread_cb *cb;
	void *ctx;
	int64_t now;
	int failed;
};

void ops_thread_item_make(const struct actor *a, const struct thread_row *row, int64_t now,
                          struct thread_row *hidden, struct ops_thread_item *item)
{
	memset(item, 0, sizeof(*item));
	item->row = row;
	item->content = ops_sees_content(a, row->troop, row->confidential, row->assignee);
	if (!item->content) {
		*hidden = *row;
		hidden->correspondent = MASK;
		hidden->correspondent_name = NULL;
		hidden->subject = MASK;
		hidden->category = row->category ? MASK : NULL;
		hidden->preview = NULL;
		item->row = hidden;
	}
	struct cal_date due = clock_due(row->first_in_at, a->config->respond_within);
	if (calendar_is_valid(due))
		calendar_format(due, item->due);
	item->overdue = clock_overdue(row->first_in_at, row->first_response_at,
	                              strcmp(row->status, "closed") == 0, a->config->respond_within,
	                              now);
}

/* Hands one thread to the caller as the actor may see it. */
static int hand_over(struct list_ctx *c, const struct thread_row *row)
{
	struct ops_thread_item item;
	struct thread_row hidden;
	ops_thread_item_make(c->actor, row, c->now, &hidden, &item);
	struct strlist suggested = {0};
	if (c->q->suggestions && item.content &&
	    store_thread_suggestions(c->store, row->id, &suggested) < 0) {
		c->failed = 1;
		return 1;
	}
	item.suggested = &suggested;
	int stop = c->cb(&item, c->ctx);
	strlist_free(&suggested);
	return stop;
}

static int list_one(const struct thread_row *row, void *p)
{
	struct list_ctx *c = p;
	if (!ops_sees_troop(c->actor, row->troop))
		return 0;
	int content = ops_sees_content(c->actor, row->troop, row->confidential, row->assignee);
	if (!matches(c->actor, c->q, row, content))
		return 0;
	if (c->q->overdue &&
	    !clock_overdue(row->first_in_at, row->first_response_at,
	                   strcmp(row->status, "closed") == 0, c->actor->config->respond_within,
	                   c->now))
		return 0;
	return hand_over(c, row);
}

int ops_threads_list(struct store *store, const struct actor *actor,
                     const struct ops_thread_query *q, ops_thread_cb *cb, void *ctx,
                     char **error_r)
{
	const char *mailbox = NULL;
	int rc = check_query(actor, q, &mailbox, error_r);
	if (rc != OPS_OK)
		return rc;
	struct thread_filter filter = {.mailbox = mailbox, .status = q->status};
	struct list_ctx c = {store, actor, q, cb, ctx, (int64_t)time(NULL), 0};
	if (store_threads_list(store, &filter, list_one, &c) < 0 || c.failed) {
		*error_r = xasprintf("threads: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

/* The thread, when the actor may see it, and whether they may read it (a confidential read
 * audited). */
static int open_thread(struct store *store, const struct actor *actor, const char *ref,
                       struct ops_thread *t, int *content_r, char **error_r)
{
	int rc = ops_thread_load(store, actor, ref, t, error_r);
	if (rc != OPS_OK)
		return rc;
	*content_r = ops_sees_content(actor, t->troop, t->confidential, t->assignee);
	if (*content_r && t->confidential && ops_note_read(store, actor, t->ref, error_r) != OPS_OK) {
		ops_thread_free(t);
		return OPS_FAILED;
	}
	return OPS_OK;
}

struct show_ctx {
	struct list_ctx list;
	int found;
};

static int show_one(const struct thread_row *row, void *p)
{
	struct show_ctx *c = p;
	c->found = 1;
	return hand_over(&c->list, row) || 1;
}

int ops_show(struct store *store, const struct actor *actor, const char *ref,
             ops_thread_cb *thread_cb, store_message_cb *message_cb, void *ctx, char **error_r)
{
	struct ops_thread t;
	int content = 0;
	int rc = open_thread(store, actor, ref, &t, &content, error_r);
	if (rc != OPS_OK)
		return rc;
	const struct ops_thread_query q = {.all = 1, .suggestions = 1};
	struct show_ctx c = {{store, actor, &q, thread_cb, ctx, (int64_t)time(NULL), 0}, 0};
	struct thread_filter filter = {.ref = t.ref};
	if (store_threads_list(store, &filter, show_one, &c) < 0 || c.list.failed || !c.found) {
		*error_r = xasprintf("%s: %s", t.ref, store_error(store));
		rc = OPS_FAILED;
	} else if (content) {
		struct message_filter mf = {.thread_ref = t.ref, .with_text = 1};
		if (store_messages_list(store, &mf, message_cb, ctx) < 0) {
			*error_r = xasprintf("%s: %s", t.ref, store_error(store));
			rc = OPS_FAILED;
		}
	}
	ops_thread_free(&t);
	return rc;
}

int ops_history_list(struct store *store, const struct actor *actor, const char *ref,
                     store_history_cb *cb, void *ctx, char **error_r)
{
	struct ops_thread t;
	int content = 0;
	int rc = open_thread(store, actor, ref, &t, &content, error_r);
	if (rc != OPS_OK)
		return rc;
	/* The history holds the notes, which may say what a victim said: the content rule. */
	if (!content) {
		*error_r = xasprintf("refused: %s is confidential", t.ref);
		rc = OPS_REFUSED;
	} else if (store_history_list(store, t.id, cb, ctx) < 0) {
		*error_r = xasprintf("%s: %s", t.ref, store_error(store));
		rc = OPS_FAILED;
	}
	ops_thread_free(&t);
	return rc;
}

struct messages_ctx {
	const struct actor *actor;
	store_message_cb *cb;
	void *ctx;
};

static int message_one(const struct message_row *row, void *p)
{
	struct messages_ctx *c = p;
	if (!ops_sees_troop(c->actor, row->troop))
		return 0;
	if (ops_sees_content(c->actor, row->troop, row->thread_confidential, row->thread_assignee))
		return c->cb(row, c->ctx);
	/* A confidential thread's messages: that they exist, not who or what. */
	struct message_row hidden = *row;
	hidden.from_addr = MASK;
	hidden.from_name = NULL;
	hidden.subject = MASK;
	hidden.to_text = "";
	hidden.text = NULL;
	hidden.categories = NULL;
	hidden.rules = NULL;
	return c->cb(&hidden, c->ctx);
}

int ops_messages_list(struct store *store, const struct actor *actor,
                      const struct message_filter *filter, store_message_cb *cb, void *ctx,
                      char **error_r)
{
	struct message_filter f = *filter;
	struct ops_thread t = {0};
	if (f.thread_ref != NULL) {
		int rc = ops_thread_load(store, actor, f.thread_ref, &t, error_r);
		if (rc != OPS_OK)
			return rc;
		f.thread_ref = t.ref;
	}
	if (f.mailbox != NULL && (f.mailbox = mailbox_name(actor->config, f.mailbox)) == NULL) {
		char *choices = mailbox_choices(actor->config);
		*error_r = xasprintf("no [mailbox %s] in %s (mailboxes: %s)", filter->mailbox,
		                     actor->config->path, choices);
		free(choices);
		ops_thread_free(&t);
		return OPS_INVALID;
	}
	struct messages_ctx c = {actor, cb, ctx};
	int rc = OPS_OK;
	if (store_messages_list(store, &f, message_one, &c) < 0) {
		*error_r = xasprintf("messages: %s", store_error(store));
		rc = OPS_FAILED;
	}
	ops_thread_free(&t);
	return rc;
}

struct search_ctx {
	const struct actor *actor;
	store_search_cb *cb;
	void *ctx;
};

static int hit_one(const struct search_row *row, void *p)
{
	struct search_ctx *c = p;
	if (ops_sees_content(c->actor, row->troop, row->thread_confidential, row->thread_assignee))
		return c->cb(row, c->ctx);
	/* A hit in a confidential thread: that it exists, not who or what. */
	struct search_row hidden = *row;
	hidden.from_addr = MASK;
	hidden.subject = MASK;
	hidden.snippet = "";
	return c->cb(&hidden, c->ctx);
}

int ops_search(struct store *store, const struct actor *actor, struct search_filter *f,
               store_search_cb *cb, void *ctx, size_t *total_r, char **error_r)
{
	/* A liaison's search never even counts another troop's mail. */
	f->troops = ops_visible_troops(actor);
	if (f->mailbox != NULL && (f->mailbox = mailbox_name(actor->config, f->mailbox)) == NULL) {
		char *choices = mailbox_choices(actor->config);
		*error_r = xasprintf("no such [mailbox] in %s (mailboxes: %s)", actor->config->path,
		                     choices);
		free(choices);
		return OPS_INVALID;
	}
	struct search_ctx c = {actor, cb, ctx};
	*total_r = 0;
	if (store_search(store, f, hit_one, &c, total_r) < 0) {
		/* Mostly a query FTS5 cannot read: the user's to fix. */
		*error_r = xasprintf("%s (see README: Search syntax)", store_error(store));
		return OPS_INVALID;
	}
	char *details = ops_describe_search(f, *total_r);
	int rc = audit_append(store, actor->user->name, "search", f->query ? f->query : "", details,
	                      error_r) < 0 ? OPS_FAILED : OPS_OK;
	free(details);
	return rc;
}
