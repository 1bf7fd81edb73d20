/* ops_inbox.h — the inbox views of the web console, for the actor's troops: Unassigned, Mine,
 * All open, Urgent, Reportable awaiting an RMS number, Overdue (the first answer is late by
 * the business-day clock), Closed.  Each page is masked like every listing (ops_list.h) and
 * paged by keyset: the next page starts after the last thread shown. */
#ifndef LIAISON_OPS_INBOX_H
#define LIAISON_OPS_INBOX_H

#include <stdint.h>

#include "ops.h"
#include "ops_list.h"

enum ops_view {
	OPS_VIEW_UNASSIGNED,
	OPS_VIEW_MINE,
	OPS_VIEW_ALL,
	OPS_VIEW_URGENT,
	OPS_VIEW_REPORTABLE,
	OPS_VIEW_OVERDUE,
	OPS_VIEW_CLOSED,
	OPS_VIEW_COUNT
};
/* "unassigned", "mine", ... (for URLs) and "Unassigned", "Mine", ... (for people). */
const char *ops_view_name(enum ops_view view);
const char *ops_view_title(enum ops_view view);
/* 0 with *view_r for a view's name, else -1. */
int ops_view_parse(const char *name, enum ops_view *view_r);

struct ops_inbox_query {
	enum ops_view view;
	char troop;               /* one of the actor's troops, or '\0': all of them */
	const char *category;     /* NULL: any */
	const char *status;       /* NULL: any */
	int64_t before_last_at, before_id; /* the last thread of the previous page; 0: first */
	int limit;                /* threads a page (0: 50) */
	int64_t now;              /* the instant "overdue" is judged at */
};

/* One page of q->view: cb for each thread, newest activity first (item->row->preview the
 * start of its newest message, NULL when masked; item->row->seen_at when the actor last
 * opened it); *more_r 1 when another page follows.
 * OPS_REFUSED for a troop that is not the actor's. */
int ops_inbox_page(struct store *store, const struct actor *actor,
                   const struct ops_inbox_query *q, ops_thread_cb *cb, void *ctx, int *more_r,
                   char **error_r);
/* Notes that the actor opened the thread (row, as a listing or ops_show handed it) at now:
 * what comes after shows as new to them.  Not audited (it is no read of content). */
int ops_thread_mark_seen(struct store *store, const struct actor *actor, const struct thread_row *row,
                         int64_t now, char **error_r);
/* How many threads each view holds under q's troop, category and status filters. */
int ops_inbox_counts(struct store *store, const struct actor *actor,
                     const struct ops_inbox_query *q, int64_t counts_r[OPS_VIEW_COUNT],
                     char **error_r);

#endif
