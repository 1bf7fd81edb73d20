/* ops_report.c — who may read and submit which report, and the audit of each (report.c
 * computes the figures). */
#include "ops_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "report_snapshot.h"
#include "util.h"

/* The scope a liaison may read: its own report or its troops'; others read every one. */
static int monthly_allowed(const struct actor *a, const char *officer, char troop,
                           char **error_r)
{
	if (officer && config_find_user(a->config, officer) == NULL) {
		*error_r = ops_unknown_user(a->config, officer);
		return OPS_INVALID;
	}
	if (troop && config_find_troop(a->config, troop) == NULL) {
		*error_r = xasprintf("there is no troop %c", troop);
		return OPS_INVALID;
	}
	if (a->user->role != ROLE_CTL)
		return OPS_OK;
	if (officer && strcmp(officer, a->user->name) != 0) {
		*error_r = xasprintf("refused: a liaison sees only its own monthly report (not %s's)",
		                     officer);
		return OPS_REFUSED;
	}
	if (troop && !ops_sees_troop(a, troop)) {
		*error_r = xasprintf("refused: troop %c is not one of your troops", troop);
		return OPS_REFUSED;
	}
	return OPS_OK;
}

/* A report is a read of the threads it counts: audited, in its own transaction. */
static int audit_read(struct store *store, const struct actor *a, const char *object,
                      const char *details, char **error_r)
{
	if (ops_begin(store, object, error_r) != OPS_OK)
		return OPS_FAILED;
	return ops_commit_audited(store, a, "report", object, details, 0, error_r);
}

int ops_report_monthly(struct store *store, const struct actor *a,
                       const struct ops_monthly_query *q, struct report_monthly **report_r,
                       char **error_r)
{
	const char *officer = q->officer;
	/* A liaison asking for neither an officer nor a troop means its own report. */
	if (!officer && !q->troop && a->user->role == ROLE_CTL)
		officer = a->user->name;
	int rc = monthly_allowed(a, officer, q->troop, error_r);
	if (rc != OPS_OK)
		return rc;
	struct report_monthly *r = NULL;
	rc = report_monthly_build(store, a->config, q->month, officer, q->troop, &r, error_r);
	if (rc != OPS_OK)
		return rc;
	/* A submitted report reads as it was submitted; --live today's, beside it. */
	if (report_monthly_use_submitted(r, q->live, error_r) < 0) {
		report_monthly_free(&r);
		return OPS_FAILED;
	}
	char scope[8] = "all";
	if (q->troop)
		snprintf(scope, sizeof(scope), "troop %c", q->troop);
	char *object = xasprintf("monthly %s", r->month);
	char *details = xasprintf("%s%s, %s%s", officer ? "officer " : "", officer ? officer : scope,
	                          q->format, q->live ? ", live" : "");
	rc = audit_read(store, a, object, details, error_r);
	free(object);
	free(details);
	if (rc != OPS_OK) {
		report_monthly_free(&r);
		return rc;
	}
	*report_r = r;
	return OPS_OK;
}

int ops_report_quarterly(struct store *store, const struct actor *a, const char *quarter,
                         const char *format, struct report_quarterly **report_r,
                         char **error_r)
{
	if (a->user->role == ROLE_CTL) {
		*error_r = xstrdup("refused: the quarterly report is for the coordinator, records "
		                   "and admin");
		return OPS_REFUSED;
	}
	struct report_quarterly *r = NULL;
	int rc = report_quarterly_build(store, a->config, quarter, &r, error_r);
	if (rc != OPS_OK)
		return rc;
	char *object = xasprintf("quarterly %s", r->quarter);
	rc = audit_read(store, a, object, format, error_r);
	free(object);
	if (rc != OPS_OK) {
		report_quarterly_free(&r);
		return rc;
	}
	*report_r = r;
	return OPS_OK;
}

/* A liaison submits its own report; the coordinator and admin anyone's; records none. */
static int submit_allowed(const struct actor *a, const char *officer, char **error_r)
{
	const struct user_config *u = config_find_user(a->config, officer);
	if (u == NULL || u->role != ROLE_CTL) {
		*error_r = xasprintf("%s is not a liaison (a [user] with role ctl)", officer);
		return OPS_INVALID;
	}
	if (a->user->role == ROLE_RECORDS ||
	    (a->user->role == ROLE_CTL && strcmp(a->user->name, officer) != 0)) {
		*error_r = xasprintf("refused: %s may not submit %s's report", a->user->name, officer);
		return OPS_REFUSED;
	}
	return OPS_OK;
}

int ops_report_may_submit(const struct actor *a, const char *officer)
{
	char *error = NULL;
	int rc = submit_allowed(a, officer, &error);
	free(error);
	return rc == OPS_OK;
}

/* "YYYY-MM-DD" of a time, in the configured zone. */
static void local_day(int64_t t, char out[11])
{
	calendar_format(calendar_date_of(t, NULL), out);
}

/* A month is submitted once it is over: its figures are final only then. */
static int month_over(const struct actor *a, const char *month, int64_t now, char **error_r)
{
	char today[11];
	local_day(now, today);
	if (strncmp(month, today, 7) < 0)
		return OPS_OK;
	*error_r = xasprintf("refused: %s is not over (today is %s, %s): a monthly report is "
	                     "submitted after its month ends", month, today,
	                     a->config->timezone ? a->config->timezone : "local time");
	return OPS_REFUSED;
}

int ops_report_submit(struct store *store, const struct actor *a, const char *officer,
                      const char *month, int64_t now, struct report_monthly **report_r,
                      char **error_r)
{
	int y, m;
	if (report_parse_month(month, &y, &m) < 0) {
		*error_r = xasprintf("'%s' is not a month (YYYY-MM)", month ? month : "");
		return OPS_INVALID;
	}
	int rc = submit_allowed(a, officer, error_r);
	if (rc == OPS_OK)
		rc = month_over(a, month, now, error_r);
	if (rc != OPS_OK)
		return rc;
	char *object = xasprintf("%s %s", officer, month);
	/* The figures are computed inside the transaction that stores them. */
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", object, store_error(store));
		free(object);
		return OPS_FAILED;
	}
	struct report_monthly *r = NULL;
	rc = report_monthly_build(store, a->config, month, officer, '\0', &r, error_r);
	if (rc == OPS_OK && r->rows[0].submitted) {
		char day[11];
		local_day(r->rows[0].submitted_at, day);
		*error_r = xasprintf("refused: %s's report for %s was already submitted by %s on %s; "
		                     "its figures stay as submitted (report monthly --live shows "
		                     "today's)", officer, r->month, r->rows[0].submitted_by, day);
		rc = OPS_REFUSED;
	}
	if (rc != OPS_OK) {
		store_rollback(store);
		report_monthly_free(&r);
		free(object);
		return rc;
	}
	struct report_row *row = &r->rows[0];
	char *figures = report_snapshot_encode(&row->stats);
	int src = store_report_submit(store, officer, r->month, a->user->name, now, figures);
	free(figures);
	if (src == 0) {
		store_rollback(store);
		*error_r = xasprintf("%s's report for %s was submitted meanwhile", officer, r->month);
		report_monthly_free(&r);
		free(object);
		return OPS_CONFLICT;
	}
	char *details = xasprintf("submitted with its figures: %lld received, %lld answered, "
	                          "%lld opened, %lld closed, %lld events, %lld attended",
	                          (long long)row->stats.received, (long long)row->stats.answered,
	                          (long long)row->stats.opened, (long long)row->stats.closed,
	                          (long long)row->stats.events_total,
	                          (long long)row->stats.attended_total);
	rc = ops_commit_audited(store, a, "report-submit", object, details, src, error_r);
	free(details);
	free(object);
	if (rc != OPS_OK) {
		report_monthly_free(&r);
		return rc;
	}
	row->submitted = 1;
	row->submitted_by = xstrdup(a->user->name);
	row->submitted_at = now;
	row->stored = 1;
	*report_r = r;
	return OPS_OK;
}

/* Whether the actor sees liaison u in the list of reports due: a liaison those sharing one
 * of its troops, everyone else all. */
static int sees_liaison(const struct actor *a, const struct user_config *u)
{
	if (a->user->role != ROLE_CTL)
		return 1;
	for (const char *t = u->troops; t && *t; t++)
		if (ops_sees_troop(a, *t))
			return 1;
	return 0;
}

static void keep_seen(const struct actor *a, struct strlist *l)
{
	struct strlist kept = {0};
	for (size_t i = 0; i < l->count; i++) {
		const struct user_config *u = config_find_user(a->config, l->items[i]);
		if (u && sees_liaison(a, u))
			strlist_add(&kept, l->items[i]);
	}
	strlist_free(l);
	*l = kept;
}

int ops_report_due(struct store *store, const struct actor *a, const char *month, int64_t now,
                   struct report_due *due, char **error_r)
{
	int rc = report_due_build(store, a->config, month, now, due, error_r);
	if (rc != OPS_OK)
		return rc;
	keep_seen(a, &due->missing);
	keep_seen(a, &due->submitted);
	return OPS_OK;
}
