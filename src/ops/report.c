/* report.c — the monthly and quarterly reports: facts read from the store (store.c) are
 * attributed and counted here, over plain structs (report.h says what counts where). */
#include "report.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "util.h"

const char *const report_rt_bucket_names[REPORT_RT_BUCKETS] = {
	"under 1 h", "1-4 h", "4-24 h", "1-2 days", "2-7 days", "7 days or more",
};

/* --- Arithmetic ------------------------------------------------------------------------ */

int report_percentile(const int64_t *sorted, size_t n, int p, int64_t *value_r)
{
	if (n == 0 || p < 1 || p > 100)
		return -1;
	/* ceil(p × n / 100) without floating point. */
	size_t rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	*value_r = sorted[rank - 1];
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

void report_stats_times(struct report_stats *s, int64_t *median_r, int64_t *p90_r)
{
	if (s->n_times > 1)
		qsort(s->times, s->n_times, sizeof(*s->times), cmp_i64);
	if (report_percentile(s->times, s->n_times, 50, median_r) < 0)
		*median_r = -1;
	if (report_percentile(s->times, s->n_times, 90, p90_r) < 0)
		*p90_r = -1;
}

static int parse_digits(const char *s, int n, int *v_r)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*v_r = v;
	return 0;
}

int report_parse_month(const char *s, int *year_r, int *month_r)
{
	if (s == NULL || strlen(s) != 7 || s[4] != '-' || parse_digits(s, 4, year_r) < 0 ||
	    parse_digits(s + 5, 2, month_r) < 0 || *month_r < 1 || *month_r > 12 || *year_r < 1970)
		return -1;
	return 0;
}

int report_parse_quarter(const char *s, int *year_r, int *quarter_r)
{
	if (s == NULL || strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q') ||
	    parse_digits(s, 4, year_r) < 0 || s[5] < '1' || s[5] > '4' || *year_r < 1970)
		return -1;
	*quarter_r = s[5] - '0';
	return 0;
}

void report_previous_quarter(int year, int quarter, int *year_r, int *quarter_r)
{
	*year_r = quarter == 1 ? year - 1 : year;
	*quarter_r = quarter == 1 ? 4 : quarter - 1;
}

void report_previous_month(int year, int month, int *year_r, int *month_r)
{
	*year_r = month == 1 ? year - 1 : year;
	*month_r = month == 1 ? 12 : month - 1;
}

int report_window(int year, int month, int months, int64_t *from_r, int64_t *to_r)
{
	int end_month = month - 1 + months;
	struct cal_date a = {year, month, 1};
	struct cal_date b = {year + end_month / 12, end_month % 12 + 1, 1};
	/* calendar_time_of: mktime with tm_isdst = -1, in the configured zone. */
	*from_r = calendar_time_of(a, 0, 0);
	*to_r = calendar_time_of(b, 0, 0);
	return *from_r < 0 || *to_r < 0 ? -1 : 0;
}

/* --- Counting -------------------------------------------------------------------------- */

void report_counts_add(struct report_counts *c, const char *key, int64_t n)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->items[i].key, key) == 0) {
			c->items[i].n += n;
			return;
		}
	if (c->count == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->items = xrealloc(c->items, c->cap * sizeof(*c->items));
	}
	c->items[c->count].key = xstrdup(key);
	c->items[c->count].n = n;
	c->count++;
}

static void counts_free(struct report_counts *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].key);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static void items_free(struct report_event_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].date);
		free(items[i].place);
		free(items[i].text);
	}
	free(items);
}

void report_stats_free(struct report_stats *s)
{
	free(s->times);
	counts_free(&s->referrals);
	counts_free(&s->events);
	counts_free(&s->attended);
	counts_free(&s->visited);
	counts_free(&s->categories);
	items_free(s->unable, s->n_unable);
	items_free(s->visits, s->n_visits);
	for (size_t i = 0; i < s->n_reportable; i++) {
		free(s->reportable[i].ref);
		free(s->reportable[i].status);
		free(s->reportable[i].rms_number);
		free(s->reportable[i].not_reportable_reason);
		free(s->reportable[i].subject);
	}
	free(s->reportable);
	memset(s, 0, sizeof(*s));
}

void report_stats_add_time(struct report_stats *s, int64_t seconds)
{
	if (s->n_times == s->cap_times) {
		s->cap_times = s->cap_times ? s->cap_times * 2 : 32;
		s->times = xrealloc(s->times, s->cap_times * sizeof(*s->times));
	}
	s->times[s->n_times++] = seconds;
	static const int64_t limits[REPORT_RT_BUCKETS - 1] = {3600, 4 * 3600, 86400, 2 * 86400,
	                                                      7 * 86400};
	int b = 0;
	while (b < REPORT_RT_BUCKETS - 1 && seconds >= limits[b])
		b++;
	s->rt_buckets[b]++;
}

static void add_item_of(struct report_event_item **items, size_t *n, int64_t id,
                        const char *date, const char *place, const char *text)
{
	*items = xrealloc(*items, (*n + 1) * sizeof(**items));
	struct report_event_item *it = &(*items)[(*n)++];
	it->id = id;
	it->date = xstrdup(date);
	it->place = xstrdup(place);
	it->text = xstrdup(text ? text : "");
}

static void add_item(struct report_event_item **items, size_t *n, const struct event_row *e,
                     const char *text)
{
	add_item_of(items, n, e->id, e->date, e->place, text);
}

static void counts_merge(struct report_counts *dst, const struct report_counts *src)
{
	for (size_t i = 0; i < src->count; i++)
		report_counts_add(dst, src->items[i].key, src->items[i].n);
}

void report_stats_merge(struct report_stats *d, const struct report_stats *s)
{
	d->received += s->received;
	d->answered += s->answered;
	d->opened += s->opened;
	d->closed += s->closed;
	d->unanswered += s->unanswered;
	for (size_t i = 0; i < s->n_times; i++)
		report_stats_add_time(d, s->times[i]);
	counts_merge(&d->referrals, &s->referrals);
	d->referrals_total += s->referrals_total;
	counts_merge(&d->events, &s->events);
	d->events_total += s->events_total;
	counts_merge(&d->attended, &s->attended);
	d->attended_total += s->attended_total;
	counts_merge(&d->visited, &s->visited);
	counts_merge(&d->categories, &s->categories);
	for (size_t i = 0; i < s->n_unable; i++)
		add_item_of(&d->unable, &d->n_unable, s->unable[i].id, s->unable[i].date,
		            s->unable[i].place, s->unable[i].text);
	for (size_t i = 0; i < s->n_visits; i++)
		add_item_of(&d->visits, &d->n_visits, s->visits[i].id, s->visits[i].date,
		            s->visits[i].place, s->visits[i].text);
	for (size_t i = 0; i < s->n_reportable; i++) {
		const struct report_disclosure *x = &s->reportable[i];
		d->reportable = xrealloc(d->reportable, (d->n_reportable + 1) * sizeof(*d->reportable));
		struct report_disclosure *y = &d->reportable[d->n_reportable++];
		y->ref = xstrdup(x->ref);
		y->status = xstrdup(x->status);
		y->rms_number = xstrdup(x->rms_number);
		y->not_reportable_reason = xstrdup(x->not_reportable_reason);
		y->subject = xstrdup(x->subject);
	}
	for (int w = 0; w < REPORT_MAX_WEEKS; w++)
		d->weeks[w] += s->weeks[w];
}

/* Where a fact goes: up to two stats (an officer's or troop's, and the total). */
struct sink {
	struct report_stats *one, *total;
};
/* Maps the troop and the attributed user (NULL: unassigned) of a fact to its stats; a
 * NULL sink.one drops the fact (out of scope). */
typedef struct sink route_fn(void *ctx, char troop, const char *who);

struct collect {
	route_fn *route;
	void *ctx;
	int64_t from, to;
	char from_day[11], to_day[11]; /* events: [from_day, to_day) as "YYYY-MM-DD" */
	struct cal_date first_day;     /* weeks count from it */
	int weeks;                     /* 0: no weekly volume */
};

static int in_window(const struct collect *c, int64_t t)
{
	return t >= c->from && t < c->to;
}

static int mail_cb(const struct report_mail_row *row, void *p)
{
	struct collect *c = p;
	struct sink k = c->route(c->ctx, row->troop, row->assignee);
	struct report_stats *targets[2] = {k.one, k.one ? k.total : NULL};
	int week = -1;
	if (c->weeks && !row->response) {
		struct cal_date d = calendar_date_of(row->date, NULL);
		int64_t days = (calendar_time_of(d, 12, 0) - calendar_time_of(c->first_day, 12, 0) +
		                43200) / 86400; /* noon to noon: a DST day is 23 or 25 hours */
		if (days >= 0 && days / 7 < c->weeks)
			week = (int)(days / 7);
	}
	for (int i = 0; i < 2; i++) {
		if (targets[i] == NULL)
			continue;
		if (row->response)
			targets[i]->answered++;
		else
			targets[i]->received++;
		if (week >= 0)
			targets[i]->weeks[week]++;
	}
	return 0;
}

static void add_disclosure(struct report_stats *s, const struct thread_row *t)
{
	s->reportable = xrealloc(s->reportable, (s->n_reportable + 1) * sizeof(*s->reportable));
	struct report_disclosure *d = &s->reportable[s->n_reportable++];
	d->ref = xstrdup(t->ref);
	d->status = xstrdup(t->status);
	d->rms_number = xstrdup(t->rms_number);
	d->not_reportable_reason = xstrdup(t->not_reportable_reason);
	d->subject = t->confidential ? NULL : xstrdup(t->subject);
}

static int thread_cb(const struct thread_row *t, void *p)
{
	struct collect *c = p;
	struct sink k = c->route(c->ctx, t->troop, t->assignee);
	struct report_stats *targets[2] = {k.one, k.one ? k.total : NULL};
	for (int i = 0; i < 2; i++) {
		struct report_stats *s = targets[i];
		if (s == NULL)
			continue;
		if (in_window(c, t->first_at)) {
			s->opened++;
			report_counts_add(&s->categories, t->category ? t->category : "none", 1);
			if (t->reportable)
				add_disclosure(s, t);
		}
		if (t->first_in_at != 0 && in_window(c, t->first_in_at)) {
			if (t->first_response_at != 0)
				report_stats_add_time(s, t->first_response_at - t->first_in_at);
			else
				s->unanswered++;
		}
		if (t->closed_at != 0 && in_window(c, t->closed_at))
			s->closed++;
	}
	return 0;
}

static int referral_cb(const struct report_referral_row *r, void *p)
{
	struct collect *c = p;
	struct sink k = c->route(c->ctx, r->troop, r->user);
	struct report_stats *targets[2] = {k.one, k.one ? k.total : NULL};
	for (int i = 0; i < 2; i++)
		if (targets[i]) {
			report_counts_add(&targets[i]->referrals, r->service, 1);
			targets[i]->referrals_total++;
		}
	return 0;
}

/* Credits a done event to each user of its attended_by but the primary unit, once each
 * (a name given twice is one attendance). */
static void credit_attendees(struct collect *c, const struct event_row *e)
{
	char *list = xstrdup(e->attended_by), *save = NULL;
	struct strlist seen = {0};
	for (char *u = strtok_r(list, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
		if ((e->primary_unit && strcmp(u, e->primary_unit) == 0) || strlist_contains(&seen, u))
			continue;
		strlist_add(&seen, u);
		struct sink k = c->route(c->ctx, e->troop, u);
		struct report_stats *targets[2] = {k.one, k.one ? k.total : NULL};
		for (int i = 0; i < 2; i++)
			if (targets[i]) {
				report_counts_add(&targets[i]->attended, e->subtype ? e->subtype : "none", 1);
				targets[i]->attended_total++;
			}
	}
	strlist_free(&seen);
	free(list);
}

static int event_cb(const struct event_row *e, void *p)
{
	struct collect *c = p;
	if (e->date == NULL || strncmp(e->date, c->from_day, 10) < 0 ||
	    strncmp(e->date, c->to_day, 10) >= 0)
		return 0;
	if (strcmp(e->status, "done") != 0 && strcmp(e->status, "unable") != 0)
		return 0;
	struct sink k = c->route(c->ctx, e->troop, e->primary_unit);
	struct report_stats *targets[2] = {k.one, k.one ? k.total : NULL};
	for (int i = 0; i < 2; i++) {
		struct report_stats *s = targets[i];
		if (s == NULL)
			continue;
		report_counts_add(&s->events, e->subtype ? e->subtype : "none", 1);
		s->events_total++;
		if (strcmp(e->status, "unable") == 0)
			add_item(&s->unable, &s->n_unable, e, e->narrative);
		if (e->visited && e->visited[0]) {
			report_counts_add(&s->visited, e->visited, 1);
			add_item(&s->visits, &s->n_visits, e, e->visited);
		}
	}
	if (strcmp(e->status, "done") == 0 && e->attended_by && e->attended_by[0])
		credit_attendees(c, e);
	return 0;
}

static int collect_all(struct store *store, struct collect *c, char **error_r)
{
	struct cal_date a = calendar_date_of(c->from, NULL), b = calendar_date_of(c->to, NULL);
	calendar_format(a, c->from_day);
	calendar_format(b, c->to_day);
	c->first_day = a;
	if (store_report_mail(store, c->from, c->to, mail_cb, c) < 0 ||
	    store_report_threads(store, c->from, c->to, thread_cb, c) < 0 ||
	    store_report_referrals(store, c->from, c->to, referral_cb, c) < 0 ||
	    store_events_list(store, 0, NULL, event_cb, c) < 0) {
		*error_r = xasprintf("report: %s", store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

/* --- Monthly --------------------------------------------------------------------------- */

struct monthly_ctx {
	struct report_monthly *r;
	const struct config *config;
};

static struct report_row *row_add(struct report_monthly *r, const char *officer,
                                  const char *troops)
{
	r->rows = xrealloc(r->rows, (r->n_rows + 1) * sizeof(*r->rows));
	struct report_row *row = &r->rows[r->n_rows++];
	memset(row, 0, sizeof(*row));
	row->officer = xstrdup(officer);
	row->troops = xstrdup(troops);
	return row;
}

static struct report_row *row_find(struct report_monthly *r, const char *officer, char troop)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		if (strcmp(row->officer, officer) != 0)
			continue;
		if (strcmp(officer, "unassigned") != 0 || row->troops[0] == troop)
			return row;
	}
	return NULL;
}

static struct sink monthly_route(void *p, char troop, const char *who)
{
	struct monthly_ctx *m = p;
	struct report_monthly *r = m->r;
	struct sink none = {NULL, NULL};
	if (r->troop && troop != r->troop)
		return none;
	if (r->officer && (who == NULL || strcmp(who, r->officer) != 0))
		return none;
	const char *name = who ? who : "unassigned";
	struct report_row *row = row_find(r, name, troop);
	if (row == NULL) {
		char t[2] = {troop, '\0'};
		const struct user_config *u = who ? config_find_user(m->config, who) : NULL;
		row = row_add(r, name, who == NULL ? t : u && u->role == ROLE_CTL ? u->troops : NULL);
	}
	struct sink k = {&row->stats, &r->total};
	return k;
}

static int submitted_cb(const char *officer, const char *by, int64_t at, const char *figures,
                        void *p)
{
	struct report_monthly *r = p;
	for (size_t i = 0; i < r->n_rows; i++)
		if (strcmp(r->rows[i].officer, officer) == 0) {
			struct report_row *row = &r->rows[i];
			row->submitted = 1;
			row->submitted_by = xstrdup(by);
			row->submitted_at = at;
			row->figures = xstrdup(figures);
		}
	return 0;
}

/* Liaisons first in configuration order, then other users by name, then unassigned. */
static int row_rank(const struct report_row *row)
{
	if (strcmp(row->officer, "unassigned") == 0)
		return 2;
	return row->troops ? 0 : 1;
}

static const struct config *sort_config;

static int row_cmp(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;
	int rx = row_rank(x), ry = row_rank(y);
	if (rx != ry)
		return rx - ry;
	if (rx == 0) {
		const struct user_config *ux = config_find_user(sort_config, x->officer);
		const struct user_config *uy = config_find_user(sort_config, y->officer);
		if (ux && uy && ux != uy)
			return ux < uy ? -1 : 1;
	}
	if (rx == 2)
		return (unsigned char)x->troops[0] - (unsigned char)y->troops[0];
	return strcmp(x->officer, y->officer);
}

int report_monthly_build(struct store *store, const struct config *config, const char *month,
                         const char *officer, char troop, struct report_monthly **report_r,
                         char **error_r)
{
	int y, m;
	if (report_parse_month(month, &y, &m) < 0) {
		*error_r = xasprintf("'%s' is not a month (YYYY-MM)", month ? month : "");
		return OPS_INVALID;
	}
	struct report_monthly *r = xcalloc(1, sizeof(*r));
	snprintf(r->month, sizeof(r->month), "%04d-%02d", y, m);
	r->officer = officer;
	r->troop = troop;
	struct collect c = {.route = monthly_route};
	if (report_window(y, m, 1, &r->from, &r->to) < 0) {
		*error_r = xasprintf("cannot place %s in the local time zone", r->month);
		report_monthly_free(&r);
		return OPS_INVALID;
	}
	c.from = r->from;
	c.to = r->to;
	/* Every liaison in scope has a row, and every troop its unassigned row, even empty:
	 * a missing report shows as zeros, not as nobody. */
	if (officer) {
		const struct user_config *u = config_find_user(config, officer);
		row_add(r, officer, u && u->role == ROLE_CTL ? u->troops : NULL);
	} else {
		for (size_t i = 0; i < config->n_users; i++) {
			const struct user_config *u = &config->users[i];
			if (u->role == ROLE_CTL && (!troop || (u->troops && strchr(u->troops, troop))))
				row_add(r, u->name, u->troops);
		}
		for (size_t i = 0; i < config->n_mailboxes; i++) {
			char t[2] = {config->mailboxes[i].troop, '\0'};
			if (!troop || t[0] == troop)
				row_add(r, "unassigned", t);
		}
	}
	struct monthly_ctx mc = {r, config};
	c.ctx = &mc;
	int rc = collect_all(store, &c, error_r);
	if (rc == OPS_OK && store_report_submissions(store, r->month, submitted_cb, r) < 0) {
		*error_r = xasprintf("report: %s", store_error(store));
		rc = OPS_FAILED;
	}
	if (rc != OPS_OK) {
		report_monthly_free(&r);
		return rc;
	}
	sort_config = config;
	qsort(r->rows, r->n_rows, sizeof(*r->rows), row_cmp);
	sort_config = NULL;
	*report_r = r;
	return OPS_OK;
}

void report_monthly_free(struct report_monthly **rp)
{
	struct report_monthly *r = *rp;
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_rows; i++) {
		free(r->rows[i].officer);
		free(r->rows[i].troops);
		free(r->rows[i].submitted_by);
		free(r->rows[i].figures);
		if (r->rows[i].as_submitted) {
			report_stats_free(r->rows[i].as_submitted);
			free(r->rows[i].as_submitted);
		}
		report_stats_free(&r->rows[i].stats);
	}
	free(r->rows);
	report_stats_free(&r->total);
	free(r);
	*rp = NULL;
}

/* --- Quarterly ------------------------------------------------------------------------- */

struct quarterly_ctx {
	struct report_quarterly *r;
	int previous;
};

static struct sink quarterly_route(void *p, char troop, const char *who)
{
	struct quarterly_ctx *q = p;
	struct report_quarterly *r = q->r;
	struct report_troop *total = &r->troops[r->n_troops - 1];
	struct sink k = {NULL, NULL};
	for (size_t i = 0; i + 1 < r->n_troops; i++)
		if (r->troops[i].troop == troop) {
			k.one = q->previous ? &r->troops[i].previous : &r->troops[i].current;
			k.total = q->previous ? &total->previous : &total->current;
		}
	return k;
}

int report_quarterly_build(struct store *store, const struct config *config,
                           const char *quarter, struct report_quarterly **report_r,
                           char **error_r)
{
	int y, q, py, pq;
	if (report_parse_quarter(quarter, &y, &q) < 0) {
		*error_r = xasprintf("'%s' is not a quarter (YYYYQn)", quarter ? quarter : "");
		return OPS_INVALID;
	}
	report_previous_quarter(y, q, &py, &pq);
	struct report_quarterly *r = xcalloc(1, sizeof(*r));
	snprintf(r->quarter, sizeof(r->quarter), "%04dQ%d", y, q);
	snprintf(r->previous, sizeof(r->previous), "%04dQ%d", py, pq);
	if (report_window(y, (q - 1) * 3 + 1, 3, &r->from, &r->to) < 0 ||
	    report_window(py, (pq - 1) * 3 + 1, 3, &r->prev_from, &r->prev_to) < 0) {
		*error_r = xasprintf("cannot place %s in the local time zone", r->quarter);
		report_quarterly_free(&r);
		return OPS_INVALID;
	}
	r->n_troops = config->n_mailboxes + 1;
	r->troops = xcalloc(r->n_troops, sizeof(*r->troops));
	for (size_t i = 0; i < config->n_mailboxes; i++)
		r->troops[i].troop = config->mailboxes[i].troop;
	struct quarterly_ctx qc = {r, 0};
	struct collect c = {.route = quarterly_route, .ctx = &qc, .from = r->from, .to = r->to};
	struct cal_date a = calendar_date_of(r->from, NULL);
	struct cal_date b = calendar_date_of(r->to, NULL);
	int64_t days = (calendar_time_of(b, 12, 0) - calendar_time_of(a, 12, 0) + 43200) / 86400;
	r->n_weeks = (int)((days + 6) / 7);
	if (r->n_weeks > REPORT_MAX_WEEKS)
		r->n_weeks = REPORT_MAX_WEEKS;
	c.weeks = r->n_weeks;
	int rc = collect_all(store, &c, error_r);
	if (rc == OPS_OK) {
		struct collect p = {.route = quarterly_route, .ctx = &qc, .from = r->prev_from,
		                    .to = r->prev_to};
		qc.previous = 1;
		rc = collect_all(store, &p, error_r);
	}
	if (rc != OPS_OK) {
		report_quarterly_free(&r);
		return rc;
	}
	*report_r = r;
	return OPS_OK;
}

void report_quarterly_free(struct report_quarterly **rp)
{
	struct report_quarterly *r = *rp;
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_troops; i++) {
		report_stats_free(&r->troops[i].current);
		report_stats_free(&r->troops[i].previous);
	}
	free(r->troops);
	free(r);
	*rp = NULL;
}

/* --- Submission and what is due -------------------------------------------------------- */

static int due_cb(const char *officer, const char *by, int64_t at, const char *figures,
                  void *p)
{
	strlist_add(p, officer);
	return 0;
}

int report_due_build(struct store *store, const struct config *config, const char *month,
                     int64_t now, struct report_due *due, char **error_r)
{
	memset(due, 0, sizeof(*due));
	int y, m;
	if (month) {
		if (report_parse_month(month, &y, &m) < 0) {
			*error_r = xasprintf("'%s' is not a month (YYYY-MM)", month);
			return OPS_INVALID;
		}
	} else {
		struct cal_date today = calendar_date_of(now, NULL);
		report_previous_month(today.year, today.month, &y, &m);
	}
	snprintf(due->month, sizeof(due->month), "%04d-%02d", y, m);
	struct cal_date d = {m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 7};
	calendar_format(d, due->due);
	char today[11];
	calendar_format(calendar_date_of(now, NULL), today);
	due->overdue = strcmp(today, due->due) > 0;
	struct strlist done = {0};
	if (store_report_submissions(store, due->month, due_cb, &done) < 0) {
		*error_r = xasprintf("report: %s", store_error(store));
		strlist_free(&done);
		return OPS_FAILED;
	}
	for (size_t i = 0; i < config->n_users; i++) {
		const struct user_config *u = &config->users[i];
		if (u->role != ROLE_CTL)
			continue;
		strlist_add(strlist_contains(&done, u->name) ? &due->submitted : &due->missing, u->name);
	}
	strlist_free(&done);
	return OPS_OK;
}

void report_due_free(struct report_due *due)
{
	strlist_free(&due->missing);
	strlist_free(&due->submitted);
}
