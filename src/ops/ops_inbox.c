/* ops_inbox.c — the inbox views of the web console: which threads each view holds for the
 * actor, their counts, and one page at a time (see ops_inbox.h). */
#include "ops_inbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

static const char *const view_names[OPS_VIEW_COUNT] = {
	"unassigned", "mine", "all", "urgent", "reportable", "overdue", "closed",
};
static const char *const view_titles[OPS_VIEW_COUNT] = {
	"Unassigned", "Mine", "All open", "Urgent", "Reportable, no RMS number", "Overdue",
	"Closed",
};

const char *ops_view_name(enum ops_view view)
{
	return view_names[view];
}

const char *ops_view_title(enum ops_view view)
{
	return view_titles[view];
}

int ops_view_parse(const char *name, enum ops_view *view_r)
{
	for (int v = 0; v < OPS_VIEW_COUNT; v++)
		if (name != NULL && strcmp(name, view_names[v]) == 0) {
			*view_r = (enum ops_view)v;
			return 0;
		}
	return -1;
}

/* The store filter of a view for the actor; troop (a letter) narrows to one of theirs. */
static int view_filter(const struct actor *a, const struct ops_inbox_query *q,
                       enum ops_view view, char troops[64], struct inbox_filter *f,
                       char **error_r)
{
	const char *visible = ops_visible_troops(a);
	snprintf(troops, 64, "%s", visible ? visible : "");
	if (q->troop != '\0') {
		if (!ops_sees_troop(a, q->troop)) {
			*error_r = xasprintf("troop %c is not one of yours", q->troop);
			return OPS_REFUSED;
		}
		snprintf(troops, 64, "%c", q->troop);
	}
	memset(f, 0, sizeof(*f));
	f->troops = visible || q->troop ? troops : NULL;
	f->category = q->category;
	f->status = q->status;
	f->person = view != OPS_VIEW_CLOSED;
	switch (view) {
	case OPS_VIEW_UNASSIGNED: f->unassigned = 1; break;
	case OPS_VIEW_MINE: f->assignee = a->user->name; break;
	case OPS_VIEW_ALL: break;
	case OPS_VIEW_URGENT: f->urgent = 1; break;
	case OPS_VIEW_REPORTABLE: f->reportable_awaiting = 1; break;
	case OPS_VIEW_OVERDUE: f->awaiting_answer = 1; break;
	case OPS_VIEW_CLOSED: f->closed = 1; break;
	case OPS_VIEW_COUNT: break;
	}
	if (q->status != NULL && strcmp(q->status, "closed") == 0 && view != OPS_VIEW_CLOSED)
		f->status = NULL; /* open views never hold a closed thread: the filter is moot */
	return OPS_OK;
}

struct page_ctx {
	const struct actor *actor;
	enum ops_view view;
	ops_thread_cb *cb;
	void *ctx;
	int64_t now;
	int wanted, handed;
	int more;
	int64_t counted;
};

/* Overdue is a business-day rule (clock.c), not a column: it is decided here per row. */
static int late(const struct page_ctx *c, const struct thread_row *row)
{
	return clock_overdue(row->first_in_at, row->first_response_at,
	                     strcmp(row->status, "closed") == 0, c->actor->config->respond_within,
	                     c->now);
}

static int page_row(const struct thread_row *row, void *p)
{
	struct page_ctx *c = p;
	if (c->view == OPS_VIEW_OVERDUE && !late(c, row))
		return 0;
	if (c->handed == c->wanted) {
		c->more = 1;
		return 1;
	}
	struct ops_thread_item item;
	struct thread_row hidden;
	ops_thread_item_make(c->actor, row, c->now, &hidden, &item);
	static const struct strlist none = {0};
	item.suggested = &none;
	c->handed++;
	return c->cb(&item, c->ctx);
}

int ops_inbox_page(struct store *store, const struct actor *actor,
                   const struct ops_inbox_query *q, ops_thread_cb *cb, void *ctx, int *more_r,
                   char **error_r)
{
	char troops[64];
	struct inbox_filter f;
	int rc = view_filter(actor, q, q->view, troops, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	f.seen_by = actor->user->name;
	f.before_last_at = q->before_last_at;
	f.before_id = q->before_id;
	int wanted = q->limit > 0 ? q->limit : 50;
	/* one row more than the page says whether there is a next one; overdue filters rows
	 * after the query, so it reads on until the page is full */
	f.limit = q->view == OPS_VIEW_OVERDUE ? 0 : wanted + 1;
	struct page_ctx c = {actor, q->view, cb, ctx, q->now, wanted, 0, 0, 0};
	if (store_inbox_list(store, &f, page_row, &c) < 0) {
		*error_r = xasprintf("inbox: %s", store_error(store));
		return OPS_FAILED;
	}
	*more_r = c.more;
	return OPS_OK;
}

static int count_late(const struct thread_row *row, void *p)
{
	struct page_ctx *c = p;
	c->counted += late(c, row);
	return 0;
}

int ops_inbox_counts(struct store *store, const struct actor *actor,
                     const struct ops_inbox_query *q, int64_t counts_r[OPS_VIEW_COUNT],
                     char **error_r)
{
	char troops[64];
	struct inbox_filter f;
	int rc = view_filter(actor, q, OPS_VIEW_ALL, troops, &f, error_r);
	if (rc != OPS_OK)
		return rc;
	f.status = q->status; /* store_inbox_counts applies it to each view as it should */
	struct inbox_counts n;
	if (store_inbox_counts(store, &f, actor->user->name, &n) < 0) {
		*error_r = xasprintf("inbox: %s", store_error(store));
		return OPS_FAILED;
	}
	counts_r[OPS_VIEW_UNASSIGNED] = n.unassigned;
	counts_r[OPS_VIEW_MINE] = n.mine;
	counts_r[OPS_VIEW_ALL] = n.all;
	counts_r[OPS_VIEW_URGENT] = n.urgent;
	counts_r[OPS_VIEW_REPORTABLE] = n.reportable;
	counts_r[OPS_VIEW_CLOSED] = n.closed;
	/* overdue is a rule decided per row (the business-day clock): the threads awaiting an
	 * answer, without the preview and the order a page needs */
	if ((rc = view_filter(actor, q, OPS_VIEW_OVERDUE, troops, &f, error_r)) != OPS_OK)
		return rc;
	struct page_ctx c = {actor, OPS_VIEW_OVERDUE, NULL, NULL, q->now, 0, 0, 0, 0};
	if (store_inbox_each(store, &f, count_late, &c) < 0) {
		*error_r = xasprintf("inbox: %s", store_error(store));
		return OPS_FAILED;
	}
	counts_r[OPS_VIEW_OVERDUE] = c.counted;
	return OPS_OK;
}

int ops_thread_mark_seen(struct store *store, const struct actor *actor, const struct thread_row *row,
                         int64_t now, char **error_r)
{
	if (!ops_sees_troop(actor, row->troop)) {
		*error_r = xasprintf("%s is not a thread of your troops", row->ref);
		return OPS_REFUSED;
	}
	if (store_thread_seen_set(store, actor->user->name, row->id, now) < 0) {
		*error_r = xasprintf("%s: %s", row->ref, store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}
