/* ops_report.c — who may read and submit which report, and the audit of each (report.c
 * computes the figures). */
#include "ops_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

/* The scope a liaison may read: its own report or its troops'; others read every one. */
static int monthly_allowed(const struct actor *a, const char *officer, char troop,
                           char **error_r)
{
	if (officer && config_find_user(a->config, officer) == NULL) {
		*error_r = xasprintf("%s is not a [user] of the configuration", officer);
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
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", object, store_error(store));
		return OPS_FAILED;
	}
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
	char scope[8] = "all";
	if (q->troop)
		snprintf(scope, sizeof(scope), "troop %c", q->troop);
	char *object = xasprintf("monthly %s", r->month);
	char *details = xasprintf("%s%s, %s", officer ? "officer " : "", officer ? officer : scope,
	                          q->format);
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

int ops_report_submit(struct store *store, const struct actor *a, const char *officer,
                      const char *month, int *recorded_r, char **error_r)
{
	int y, m;
	if (report_parse_month(month, &y, &m) < 0) {
		*error_r = xasprintf("'%s' is not a month (YYYY-MM)", month ? month : "");
		return OPS_INVALID;
	}
	int rc = submit_allowed(a, officer, error_r);
	if (rc != OPS_OK)
		return rc;
	char *object = xasprintf("%s %s", officer, month);
	if (store_begin(store) < 0) {
		*error_r = xasprintf("%s: %s", object, store_error(store));
		free(object);
		return OPS_FAILED;
	}
	int src = store_report_submit(store, officer, month, a->user->name, (int64_t)time(NULL));
	rc = ops_commit_audited(store, a, "report-submit", object,
	                        src > 0 ? "submitted" : "already submitted", src, error_r);
	free(object);
	if (rc == OPS_OK)
		*recorded_r = src > 0;
	return rc;
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
