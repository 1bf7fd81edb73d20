/* ops_event.c — engagement events: request, decision, outcome; the rules and the record. */
#include "ops_event.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "calendar.h"
#include "csv.h"
#include "util.h"

/* An event copied out of the store (the row's strings are borrowed). */
struct event_copy {
	struct event_row e;
	char *s[20];
	int n, found;
};

static const char *keep(struct event_copy *c, const char *v)
{
	char *d = xstrdup(v);
	if (d != NULL && c->n < (int)(sizeof(c->s) / sizeof(*c->s)))
		c->s[c->n++] = d;
	return d;
}

static int copy_event(const struct event_row *r, void *p)
{
	struct event_copy *c = p;
	c->found = 1;
	c->e = *r;
	c->e.thread_ref = keep(c, r->thread_ref);
	c->e.requested_by = keep(c, r->requested_by);
	c->e.date = keep(c, r->date);
	c->e.place = keep(c, r->place);
	c->e.kind = keep(c, r->kind);
	c->e.duration = keep(c, r->duration);
	c->e.contact = keep(c, r->contact);
	c->e.media_consent = keep(c, r->media_consent);
	c->e.status = keep(c, r->status);
	c->e.decided_by = keep(c, r->decided_by);
	c->e.deny_reason = keep(c, r->deny_reason);
	c->e.subtype = keep(c, r->subtype);
	c->e.primary_unit = keep(c, r->primary_unit);
	c->e.attended_by = keep(c, r->attended_by);
	c->e.visited = keep(c, r->visited);
	c->e.notes = keep(c, r->notes);
	c->e.narrative = keep(c, r->narrative);
	c->e.closed_by = keep(c, r->closed_by);
	return 1;
}

static void event_copy_free(struct event_copy *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->s[i]);
	c->n = 0;
}

/* Loads event id for a change by the actor: records staff change nothing, a liaison only
 * events of its troops. */
static int load_event(struct store *store, const struct actor *a, int64_t id,
                      struct event_copy *c, char **error_r)
{
	memset(c, 0, sizeof(*c));
	if (a->user->role == ROLE_RECORDS) {
		*error_r = xstrdup("refused: records staff read events and change nothing");
		return OPS_REFUSED;
	}
	if (store_events_list(store, id, NULL, copy_event, c) < 0) {
		*error_r = xasprintf("event %lld: %s", (long long)id, store_error(store));
		return OPS_FAILED;
	}
	if (!c->found) {
		*error_r = xasprintf("no event %lld", (long long)id);
		return OPS_NOT_FOUND;
	}
	if (!ops_sees_troop(a, c->e.troop)) {
		*error_r = xasprintf("refused: event %lld is of troop %c, not one of yours (%s)",
		                     (long long)id, c->e.troop,
		                     a->user->troops ? a->user->troops : "none");
		event_copy_free(c);
		return OPS_REFUSED;
	}
	return OPS_OK;
}

/* Writes the event (new when id_r), the thread's history and the audit entry together. */
/* was: the status the event had when loaded (NULL for a new event). */
static int commit_event(struct store *store, const struct actor *a, struct event_row *e,
                        const char *was, int64_t *id_r, const char *action,
                        const char *details, char **error_r)
{
	int64_t now = (int64_t)time(NULL);
	if (ops_begin(store, "event", error_r) != OPS_OK)
		return OPS_FAILED;
	int src = id_r ? store_event_add(store, e, &e->id) : store_event_update(store, e, was);
	if (src == 0 && id_r == NULL) {
		store_rollback(store);
		*error_r = xasprintf("event %lld changed meanwhile (it is no longer %s): look again",
		                     (long long)e->id, was);
		return OPS_CONFLICT;
	}
	if (src >= 0 && e->thread_id) {
		char *what = xasprintf("event %lld: %s", (long long)e->id, details);
		src = store_history_add(store, e->thread_id, now, a->user->name, action, what);
		free(what);
	}
	char object[32];
	snprintf(object, sizeof(object), "event %lld", (long long)e->id);
	char *audit_details = e->thread_ref ? xasprintf("%s; thread %s", details, e->thread_ref)
	                                    : xstrdup(details);
	int rc = ops_commit_audited(store, a, action, object, audit_details, src < 0 ? -1 : 0,
	                            error_r);
	free(audit_details);
	if (rc == OPS_OK && id_r)
		*id_r = e->id;
	return rc;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (local time), a real date and time. */
static int valid_when(const char *s)
{
	char day[11];
	size_t n = strlen(s);
	if (n != 10 && n != 16)
		return 0;
	memcpy(day, s, 10);
	day[10] = '\0';
	struct cal_date d;
	if (calendar_parse(day, &d) < 0)
		return 0;
	if (n == 10)
		return 1;
	const char *t = s + 10;
	return t[0] == 'T' && isdigit((unsigned char)t[1]) && isdigit((unsigned char)t[2]) &&
	       t[3] == ':' && isdigit((unsigned char)t[4]) && isdigit((unsigned char)t[5]) &&
	       atoi(t + 1) < 24 && atoi(t + 4) < 60;
}

static int text_ok(const char *s, size_t max)
{
	return s != NULL && s[strspn(s, " \t")] != '\0' && strlen(s) <= max &&
	       strpbrk(s, "\r\n") == NULL;
}

struct events_ctx {
	const struct actor *actor;
	store_event_cb *cb;
	void *ctx;
};

static int event_one(const struct event_row *row, void *p)
{
	struct events_ctx *c = p;
	if (!ops_sees_troop(c->actor, row->troop))
		return 0;
	if (!row->thread_confidential ||
	    ops_sees_content(c->actor, row->troop, 1, row->thread_assignee))
		return c->cb(row, c->ctx);
	/* An event of a confidential thread says where and with whom: shown like the thread. */
	struct event_row masked = *row;
	masked.place = "confidential";
	masked.contact = NULL;
	masked.notes = NULL;
	masked.narrative = NULL;
	masked.deny_reason = NULL;
	masked.attended_by = NULL;
	return c->cb(&masked, c->ctx);
}

int ops_events_list(struct store *store, const struct actor *actor, const char *month,
                    const char *format, store_event_cb *cb, void *ctx, char **error_r)
{
	struct events_ctx c = {actor, cb, ctx};
	if (store_events_list(store, 0, month, event_one, &c) < 0) {
		*error_r = xasprintf("events: %s", store_error(store));
		return OPS_FAILED;
	}
	int csv = strcmp(format, "csv") == 0;
	return audit_append(store, actor->user->name, csv ? "events-export" : "events",
	                    month ? month : "all", format, error_r) < 0 ? OPS_FAILED : OPS_OK;
}

int ops_event_request(struct store *store, const struct actor *a,
                      const struct event_request *req, int64_t *id_r, char **error_r)
{
	if (a->user->role == ROLE_RECORDS) {
		*error_r = xstrdup("refused: records staff read events and change nothing");
		return OPS_REFUSED;
	}
	if (req->date == NULL || !valid_when(req->date)) {
		*error_r = xstrdup("--date is YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)");
		return OPS_INVALID;
	}
	if (!text_ok(req->place, 200) || !text_ok(req->kind, 100)) {
		*error_r = xstrdup("--place (up to 200 characters) and --kind (up to 100) are needed, "
		                   "on one line");
		return OPS_INVALID;
	}
	if (req->private_meeting && (!text_ok(req->duration, 100) || !text_ok(req->contact, 200))) {
		*error_r = xstrdup("a private meeting needs the dispatch notice: --duration (expected) "
		                   "and --contact (how to reach the liaison); the place is --place");
		return OPS_INVALID;
	}
	const char *consent = req->media_consent;
	if (consent && strcmp(consent, "yes") != 0 && strcmp(consent, "no") != 0) {
		*error_r = xstrdup("--media-consent is yes or no");
		return OPS_INVALID;
	}
	if (req->media && consent == NULL) {
		*error_r = xstrdup("media involvement needs the community group's consent: "
		                   "--media-consent yes|no");
		return OPS_INVALID;
	}
	struct event_row e = {
		.requested_by = a->user->name,
		.requested_at = (int64_t)time(NULL),
		.date = req->date,
		.place = req->place,
		.kind = req->kind,
		.private_meeting = req->private_meeting,
		.duration = req->private_meeting ? req->duration : NULL,
		.contact = req->private_meeting ? req->contact : NULL,
		.media = req->media,
		.media_consent = req->media ? consent : NULL,
	};
	struct ops_thread t = {0};
	int rc;
	if (req->ref != NULL) {
		rc = ops_thread_load(store, a, req->ref, &t, error_r);
		if (rc != OPS_OK)
			return rc;
		e.thread_id = t.id;
		e.thread_ref = t.ref;
		e.troop = t.troop;
	} else {
		char troop = req->troop;
		const char *mine = a->user->troops;
		if (troop == '\0' && a->user->role == ROLE_CTL && mine && strlen(mine) == 1)
			troop = mine[0];
		if (troop == '\0' || config_find_troop(a->config, troop) == NULL) {
			*error_r = xstrdup("an event on its own needs --troop K (a troop with a mailbox)");
			return OPS_INVALID;
		}
		if (!ops_sees_troop(a, troop)) {
			*error_r = xasprintf("refused: troop %c is not one of your troops (%s)", troop,
			                     mine);
			return OPS_REFUSED;
		}
		e.troop = troop;
	}
	char *details = xasprintf("requested: %s, %s, %s%s%s", e.kind, e.date, e.place,
	                          e.private_meeting ? ", private" : "",
	                          e.media ? (strcmp(consent, "yes") == 0 ? ", media (consent)"
	                                                                 : ", media (no consent)")
	                                  : "");
	rc = commit_event(store, a, &e, NULL, id_r, "event-request", details, error_r);
	free(details);
	ops_thread_free(&t);
	return rc;
}

int ops_event_may_decide(const struct actor *a)
{
	return a->user->role == ROLE_COORDINATOR || a->user->role == ROLE_ADMIN;
}

int ops_event_decide(struct store *store, const struct actor *a, int64_t id, int approve,
                     const char *reason, char **error_r)
{
	if (!ops_event_may_decide(a)) {
		*error_r = xstrdup("refused: only the coordinator approves or denies event requests");
		return OPS_REFUSED;
	}
	if (!approve && !text_ok(reason, 500)) {
		*error_r = xstrdup("a denial needs --reason TEXT");
		return OPS_INVALID;
	}
	struct event_copy c;
	int rc = load_event(store, a, id, &c, error_r);
	if (rc != OPS_OK)
		return rc;
	if (strcmp(c.e.status, "requested") != 0) {
		*error_r = xasprintf("event %lld is %s, not waiting for a decision", (long long)id,
		                     c.e.status);
		event_copy_free(&c);
		return OPS_INVALID;
	}
	const char *was = c.e.status;
	c.e.status = approve ? "approved" : "denied";
	c.e.decided_by = a->user->name;
	c.e.decided_at = (int64_t)time(NULL);
	c.e.deny_reason = approve ? NULL : reason;
	char *details = approve ? xstrdup("approved") : xasprintf("denied: %s", reason);
	rc = commit_event(store, a, &c.e, was, NULL, approve ? "event-approve" : "event-deny", details,
	                  error_r);
	free(details);
	event_copy_free(&c);
	return rc;
}

static int known_visit(const char *v)
{
	static const char *const kinds[] = {"school", "business", "faith", "community-group"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strcmp(v, kinds[i]) == 0)
			return 1;
	return 0;
}

int ops_event_done(struct store *store, const struct actor *a, int64_t id,
                   const struct event_outcome *o, char **error_r)
{
	const char *primary = o->primary ? o->primary : a->user->name;
	const struct user_config *unit = config_find_user(a->config, primary);
	if (unit == NULL) {
		*error_r = ops_unknown_user(a->config, primary);
		return OPS_INVALID;
	}
	if (o->visited && !known_visit(o->visited)) {
		*error_r = xstrdup("--visited is school, business, faith or community-group");
		return OPS_INVALID;
	}
	if (o->notes && strlen(o->notes) > 2000) {
		*error_r = xstrdup("--notes is at most 2000 characters");
		return OPS_INVALID;
	}
	if (o->attended_by) {
		char *list = xstrdup(o->attended_by), *save = NULL;
		for (char *u = strtok_r(list, ",", &save); u; u = strtok_r(NULL, ",", &save))
			if (config_find_user(a->config, u) == NULL) {
				*error_r = xasprintf("--attended-by: '%s' is not a [user]", u);
				free(list);
				return OPS_INVALID;
			}
		free(list);
	}
	const char *consent = o->media_consent;
	if (consent && strcmp(consent, "yes") != 0 && strcmp(consent, "no") != 0) {
		*error_r = xstrdup("--media-consent is yes or no");
		return OPS_INVALID;
	}
	struct event_copy c;
	int rc = load_event(store, a, id, &c, error_r);
	if (rc != OPS_OK)
		return rc;
	if (strcmp(c.e.status, "approved") != 0) {
		*error_r = xasprintf("event %lld is %s: only an approved event is done",
		                     (long long)id, c.e.status);
		event_copy_free(&c);
		return OPS_INVALID;
	}
	/* CAD logs what happened: an event is done on its day or after, never before (the
	 * day in the configured zone, as the event's date is written). */
	char today[11];
	calendar_format(calendar_date_of((int64_t)time(NULL), NULL), today);
	if (strncmp(c.e.date, today, 10) > 0) {
		*error_r = xasprintf("refused: event %lld is on %.10s; it cannot be marked done "
		                     "before then (today is %s)", (long long)id, c.e.date, today);
		event_copy_free(&c);
		return OPS_REFUSED;
	}
	/* CAD convention: a liaison as primary unit makes it a CTL Event; anyone else a
	 * Community Contact. */
	c.e.subtype = unit->role == ROLE_CTL ? EVENT_CTL : EVENT_CONTACT;
	const char *was = c.e.status;
	c.e.status = "done";
	c.e.primary_unit = primary;
	c.e.attended_by = o->attended_by;
	c.e.notes = o->notes;
	c.e.visited = o->visited;
	if (consent)
		c.e.media_consent = consent;
	c.e.closed_by = a->user->name;
	c.e.closed_at = (int64_t)time(NULL);
	char *details = xasprintf("done: %s, primary unit %s%s%s", c.e.subtype, primary,
	                          o->visited ? ", visited " : "", o->visited ? o->visited : "");
	rc = commit_event(store, a, &c.e, was, NULL, "event-done", details, error_r);
	free(details);
	event_copy_free(&c);
	return rc;
}

int ops_event_unable(struct store *store, const struct actor *a, int64_t id,
                     const char *narrative, char **error_r)
{
	if (!text_ok(narrative, 2000)) {
		*error_r = xstrdup("unable to fulfil needs --narrative TEXT (e.g. \"Denied due to "
		                   "staffing shortage\")");
		return OPS_INVALID;
	}
	struct event_copy c;
	int rc = load_event(store, a, id, &c, error_r);
	if (rc != OPS_OK)
		return rc;
	if (strcmp(c.e.status, "requested") != 0 && strcmp(c.e.status, "approved") != 0) {
		*error_r = xasprintf("event %lld is already %s", (long long)id, c.e.status);
		event_copy_free(&c);
		return OPS_INVALID;
	}
	const char *was = c.e.status;
	c.e.status = "unable";
	c.e.subtype = EVENT_UNABLE;
	c.e.primary_unit = a->user->name;
	c.e.narrative = narrative;
	c.e.closed_by = a->user->name;
	c.e.closed_at = (int64_t)time(NULL);
	char *details = xasprintf("unable to fulfil: %s", narrative);
	rc = commit_event(store, a, &c.e, was, NULL, "event-unable", details, error_r);
	free(details);
	event_copy_free(&c);
	return rc;
}

/* ---- the CAD export -------------------------------------------------------------------- */

const char *ops_user_display_name(const struct config *config, const char *user)
{
	const struct user_config *u = user ? config_find_user(config, user) : NULL;
	return u && u->display_name ? u->display_name : user ? user : "";
}

char *ops_user_display_names(const struct config *config, const char *users)
{
	if (users == NULL)
		return NULL;
	struct buf b;
	buf_init(&b, 64 * 1024);
	char *list = xstrdup(users), *save = NULL;
	for (char *u = strtok_r(list, ",", &save); u; u = strtok_r(NULL, ",", &save))
		if ((b.len && buf_addstr(&b, "; ") < 0) ||
		    buf_addstr(&b, ops_user_display_name(config, u)) < 0)
			break;
	free(list);
	char *out = xstrdup(b.len ? b.data : "");
	buf_free(&b);
	return out;
}

struct csv_ctx {
	const struct config *config;
	FILE *out;
	size_t rows;
};

/* A CSV field, quoted when it needs to be (RFC 4180). */
static void csv_field(FILE *out, const char *s, int last)
{
	csv_write_field(out, s);
	fputc(last ? '\n' : ',', out);
}

/* The CAD narrative: why it could not be done, or the notes of what was done. */
static const char *narrative_of(const struct event_row *e)
{
	return e->narrative ? e->narrative : e->notes ? e->notes : e->deny_reason;
}

static int csv_event(const struct event_row *e, void *p)
{
	struct csv_ctx *c = p;
	/* CAD records what happened: events done or unable to fulfil. */
	if (e->subtype == NULL)
		return 0;
	char troop[2] = {e->troop, '\0'};
	char *attended_names = ops_user_display_names(c->config, e->attended_by);
	csv_field(c->out, EVENT_CALL_TYPE, 0);
	csv_field(c->out, e->subtype, 0);
	csv_field(c->out, e->date, 0);
	csv_field(c->out, e->place, 0);
	csv_field(c->out, e->primary_unit, 0);
	csv_field(c->out, narrative_of(e), 0);
	csv_field(c->out, e->thread_ref, 0);
	/* Added after the original columns, so CAD imports keyed on position still work. */
	csv_field(c->out, troop, 0);
	csv_field(c->out, ops_user_display_name(c->config, e->primary_unit), 0);
	csv_field(c->out, e->attended_by, 0);
	csv_field(c->out, attended_names, 1);
	free(attended_names);
	c->rows++;
	return 0;
}

int ops_events_csv(struct store *store, const struct actor *actor, const char *month,
                   FILE *out, size_t *rows_r, char **error_r)
{
	struct csv_ctx c = {actor->config, out, 0};
	fputs("call_type,sub_type,date_time,location,primary_unit,narrative,thread_ref,"
	      "troop,primary_unit_name,attended_by,attended_by_names\n", out);
	int rc = ops_events_list(store, actor, month, "csv", csv_event, &c, error_r);
	*rows_r = c.rows;
	return rc;
}
