/* report_render.c — the reports as JSON, text and CSV. */
#include "csv.h"
#include "report_render.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "util.h"

const char *const report_metric_names[RM_COUNT] = {
	"emails_received", "emails_answered", "threads_opened", "threads_closed", "referrals",
	"events", "unable", "visited", "reportable", "median_seconds", "p90_seconds",
};

const char *const report_metric_labels[RM_COUNT] = {
	"Emails received", "Emails answered", "Threads opened", "Threads closed", "Referrals",
	"Events", "Unable to fulfil", "Places visited", "Reportable disclosures",
	"Median time to first answer", "90th percentile time to first answer",
};

int64_t report_metric_value(struct report_stats *s, enum report_metric m)
{
	int64_t median, p90;
	switch (m) {
	case RM_RECEIVED: return s->received;
	case RM_ANSWERED: return s->answered;
	case RM_OPENED: return s->opened;
	case RM_CLOSED: return s->closed;
	case RM_REFERRALS: return s->referrals_total;
	case RM_EVENTS: return s->events_total;
	case RM_UNABLE: return (int64_t)s->n_unable;
	case RM_VISITED: return (int64_t)s->n_visits;
	case RM_REPORTABLE: return (int64_t)s->n_reportable;
	case RM_MEDIAN: report_stats_times(s, &median, &p90); return median;
	case RM_P90: report_stats_times(s, &median, &p90); return p90;
	case RM_COUNT: break;
	}
	return 0;
}

/* --- JSON ------------------------------------------------------------------------------ */

static json_t *seconds_json(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *counts_json(const struct report_counts *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < c->count; i++)
		json_object_set_new(o, c->items[i].key, json_integer(c->items[i].n));
	return o;
}

static json_t *items_json(const struct report_event_item *items, size_t n, const char *field)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)items[i].id,
		                                   "date", items[i].date, "place", items[i].place,
		                                   field, items[i].text));
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *stats_json(struct report_stats *s)
{
	int64_t median, p90;
	report_stats_times(s, &median, &p90);
	json_t *o = json_object();
	json_object_set_new(o, "emails_received", json_integer(s->received));
	json_object_set_new(o, "emails_answered", json_integer(s->answered));
	json_object_set_new(o, "response", json_pack("{s:I, s:I, s:o, s:o}",
	    "answered", (json_int_t)s->n_times, "unanswered", (json_int_t)s->unanswered,
	    "median_seconds", seconds_json(median), "p90_seconds", seconds_json(p90)));
	json_object_set_new(o, "threads_opened", json_integer(s->opened));
	json_object_set_new(o, "threads_closed", json_integer(s->closed));
	json_object_set_new(o, "referrals", counts_json(&s->referrals));
	json_object_set_new(o, "referrals_total", json_integer(s->referrals_total));
	json_object_set_new(o, "events", counts_json(&s->events));
	json_object_set_new(o, "events_total", json_integer(s->events_total));
	json_object_set_new(o, "events_attended", counts_json(&s->attended));
	json_object_set_new(o, "events_attended_total", json_integer(s->attended_total));
	json_object_set_new(o, "unable", items_json(s->unable, s->n_unable, "narrative"));
	json_object_set_new(o, "visited", counts_json(&s->visited));
	json_object_set_new(o, "visits", items_json(s->visits, s->n_visits, "visited"));
	json_t *rep = json_array();
	for (size_t i = 0; i < s->n_reportable; i++) {
		const struct report_disclosure *d = &s->reportable[i];
		json_array_append_new(rep, json_pack("{s:s, s:o, s:s, s:o, s:o}", "ref", d->ref,
		    "subject", str_or_null(d->subject), "status", d->status, "rms_number", str_or_null(d->rms_number),
		    "not_reportable_reason", str_or_null(d->not_reportable_reason)));
	}
	json_object_set_new(o, "reportable", rep);
	return o;
}

static json_t *time_json(int64_t t)
{
	char buf[32];
	time_format_utc(t, buf, sizeof(buf));
	return json_string(buf);
}

/* Today's figures less the submitted ones, metric by metric (those that changed). */
static json_t *since_json(struct report_row *row)
{
	json_t *o = json_object();
	for (int m = 0; m < RM_COUNT; m++) {
		int64_t now = report_metric_value(&row->stats, (enum report_metric)m);
		int64_t then = report_metric_value(row->as_submitted, (enum report_metric)m);
		if (now != then)
			json_object_set_new(o, report_metric_names[m],
			                    now < 0 || then < 0 ? json_null() : json_integer(now - then));
	}
	return o;
}

json_t *report_monthly_json(struct report_monthly *r)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		json_t *o = stats_json(&row->stats);
		json_object_set_new(o, "officer", json_string(row->officer));
		json_object_set_new(o, "troops", str_or_null(row->troops));
		json_object_set_new(o, "submitted", json_boolean(row->submitted));
		json_object_set_new(o, "submitted_by", str_or_null(row->submitted_by));
		json_object_set_new(o, "submitted_at",
		                    row->submitted_by ? time_json(row->submitted_at) : json_null());
		json_object_set_new(o, "figures", json_string(row->stored ? "submitted" : "live"));
		json_object_set_new(o, "since_submitted",
		                    row->as_submitted ? since_json(row) : json_null());
		json_array_append_new(rows, o);
	}
	char troop[2] = {r->troop, '\0'};
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "month", r->month,
	                 "from", time_json(r->from), "to", time_json(r->to),
	                 "officer", str_or_null(r->officer), "troop", str_or_null(r->troop ? troop : NULL),
	                 "officers", rows, "total", stats_json(&r->total));
}

static json_t *change_json(struct report_stats *cur, struct report_stats *prev)
{
	json_t *o = json_object();
	for (int m = 0; m < RM_COUNT; m++) {
		int64_t c = report_metric_value(cur, (enum report_metric)m);
		int64_t p = report_metric_value(prev, (enum report_metric)m);
		json_t *v;
		if (c < 0 || p < 0)
			v = json_pack("{s:o, s:o, s:n, s:n}", "current", seconds_json(c),
			              "previous", seconds_json(p), "absolute", "percent");
		else
			v = json_pack("{s:I, s:I, s:I, s:o}", "current", (json_int_t)c,
			              "previous", (json_int_t)p, "absolute", (json_int_t)(c - p),
			              "percent", p == 0 ? json_null()
			                                : json_real(round(1000.0 * (double)(c - p) /
			                                                  (double)p) / 10.0));
		json_object_set_new(o, report_metric_names[m], v);
	}
	return o;
}

json_t *report_quarterly_json(struct report_quarterly *r)
{
	json_t *troops = json_array();
	json_t *total = NULL;
	for (size_t i = 0; i < r->n_troops; i++) {
		struct report_troop *t = &r->troops[i];
		json_t *cur = stats_json(&t->current);
		json_t *weeks = json_array();
		for (int w = 0; w < r->n_weeks; w++)
			json_array_append_new(weeks, json_integer(t->current.weeks[w]));
		json_object_set_new(cur, "weeks", weeks);
		json_object_set_new(cur, "categories", counts_json(&t->current.categories));
		json_t *buckets = json_object();
		for (int b = 0; b < REPORT_RT_BUCKETS; b++)
			json_object_set_new(buckets, report_rt_bucket_names[b],
			                    json_integer(t->current.rt_buckets[b]));
		json_object_set_new(cur, "response_times", buckets);
		char name[2] = {t->troop, '\0'};
		json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "troop",
		                      t->troop ? json_string(name) : json_null(), "current", cur,
		                      "previous", stats_json(&t->previous),
		                      "change", change_json(&t->current, &t->previous));
		if (t->troop)
			json_array_append_new(troops, o);
		else
			total = o;
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "quarter", r->quarter,
	                 "previous_quarter", r->previous, "from", time_json(r->from),
	                 "to", time_json(r->to), "troops", troops,
	                 "total", total ? total : json_null());
}

/* --- Text ------------------------------------------------------------------------------ */

/* The header's lines, as on the printed page. */
static void heading_text(FILE *out, const struct report_heading *h)
{
	if (h->agency)
		fprintf(out, "%s\n", h->agency);
	fprintf(out, "%s\n%s\nPeriod: %s\n%s\n", h->program, h->title, h->period, h->generated);
	if (h->partial)
		fprintf(out, "%s\n", h->partial);
}

/* Counts by key; with meta, the keys are services, named as [service] names them. */
static void counts_text(FILE *out, const char *label, const struct report_counts *c,
                        const struct report_meta *services)
{
	fprintf(out, "  %-22s", label);
	if (c->count == 0)
		fputs(" -", out);
	for (size_t i = 0; i < c->count; i++) {
		char *key = services ? report_service_name(services, c->items[i].key)
		                     : xstrdup(c->items[i].key);
		fprintf(out, "%s %s %" PRId64, i ? "," : "", key, c->items[i].n);
		free(key);
	}
	fputc('\n', out);
}

static void stats_text(FILE *out, struct report_stats *s, const struct report_meta *meta)
{
	int64_t median, p90;
	report_stats_times(s, &median, &p90);
	char a[32], b[32];
	report_duration_text(median, a, sizeof(a));
	report_duration_text(p90, b, sizeof(b));
	fprintf(out, "  %-22s %" PRId64 " received, %" PRId64 " answered\n", "emails", s->received,
	        s->answered);
	fprintf(out, "  %-22s median %s, 90th percentile %s (%zu answered, %" PRId64 " not yet)\n",
	        "time to first answer", a, b, s->n_times, s->unanswered);
	fprintf(out, "  %-22s %" PRId64 " opened, %" PRId64 " closed\n", "threads", s->opened,
	        s->closed);
	counts_text(out, "referrals", &s->referrals, meta);
	counts_text(out, "events", &s->events, NULL);
	counts_text(out, "events attended", &s->attended, NULL);
	for (size_t i = 0; i < s->n_unable; i++)
		fprintf(out, "    unable #%" PRId64 " %s %s: %s\n", s->unable[i].id, s->unable[i].date,
		        s->unable[i].place, s->unable[i].text);
	counts_text(out, "visited", &s->visited, NULL);
	for (size_t i = 0; i < s->n_visits; i++)
		fprintf(out, "    #%" PRId64 " %s %s (%s)\n", s->visits[i].id, s->visits[i].date,
		        s->visits[i].place, s->visits[i].text);
	fprintf(out, "  %-22s %zu\n", "reportable", s->n_reportable);
	for (size_t i = 0; i < s->n_reportable; i++) {
		const struct report_disclosure *d = &s->reportable[i];
		fprintf(out, "    %s \"%s\" %s: %s%s\n", d->ref, d->subject ? d->subject : "(confidential)",
		        d->status,
		        d->rms_number ? "RMS " : d->not_reportable_reason ? "not reportable: "
		                                                          : "RMS report pending",
		        d->rms_number ? d->rms_number : d->not_reportable_reason ? d->not_reportable_reason
		                                                               : "");
	}
}

/* "submitted by X on DATE", and which figures follow. */
static void submitted_text(FILE *out, struct report_row *row, const struct report_meta *meta)
{
	if (!row->submitted) {
		fputc('\n', out);
		return;
	}
	if (row->submitted_by == NULL) {
		fputs(" - submitted\n", out);
		return;
	}
	char day[11];
	calendar_format(calendar_date_of(row->submitted_at, NULL), day);
	fprintf(out, " - submitted by %s on %s\n", report_user_name(meta, row->submitted_by), day);
	if (row->stored) {
		fputs("  figures as submitted (--live shows today's)\n", out);
		return;
	}
	if (row->as_submitted == NULL) {
		fputs("  today's figures (submitted before figures were kept)\n", out);
		return;
	}
	fputs("  today's figures; since submitted:", out);
	int changed = 0;
	for (int m = 0; m < RM_COUNT; m++) {
		int64_t now = report_metric_value(&row->stats, (enum report_metric)m);
		int64_t then = report_metric_value(row->as_submitted, (enum report_metric)m);
		if (now == then)
			continue;
		if (now < 0 || then < 0)
			fprintf(out, "%s %s now %s", changed++ ? "," : "", report_metric_labels[m],
			        now < 0 ? "none" : "some");
		else
			fprintf(out, "%s %s %+" PRId64, changed++ ? "," : "", report_metric_labels[m],
			        now - then);
	}
	fputs(changed ? "\n" : " no change\n", out);
}

void report_monthly_text(FILE *out, struct report_monthly *r, const struct report_meta *meta)
{
	struct report_heading h;
	report_heading_monthly(meta, r, &h);
	fprintf(out, "Monthly report %s\n", r->month);
	heading_text(out, &h);
	report_heading_free(&h);
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		char *name = report_row_name(meta, row);
		fprintf(out, "\n%s", name);
		free(name);
		if (strcmp(row->officer, "unassigned") != 0) {
			if (strcmp(report_user_name(meta, row->officer), row->officer) != 0)
				fprintf(out, " [%s]", row->officer);
			if (row->troops)
				fprintf(out, " (troop %s)", row->troops);
		}
		submitted_text(out, row, meta);
		stats_text(out, &row->stats, meta);
	}
	if (r->n_rows > 1) {
		fputs("\nTotal\n", out);
		stats_text(out, &r->total, meta);
	}
}

void report_quarterly_text(FILE *out, struct report_quarterly *r, const struct report_meta *meta)
{
	struct report_heading h;
	report_heading_quarterly(meta, r, &h);
	fprintf(out, "Quarterly report %s (against %s)\n", r->quarter, r->previous);
	heading_text(out, &h);
	report_heading_free(&h);
	for (size_t i = 0; i < r->n_troops; i++) {
		struct report_troop *t = &r->troops[i];
		if (t->troop)
			fprintf(out, "\ntroop %c\n", t->troop);
		else
			fputs("\nall troops\n", out);
		stats_text(out, &t->current, meta);
		fprintf(out, "  %-22s", "change");
		for (int m = 0; m < RM_COUNT; m++) {
			int64_t c = report_metric_value(&t->current, (enum report_metric)m);
			int64_t p = report_metric_value(&t->previous, (enum report_metric)m);
			if (c < 0 || p < 0)
				continue;
			fprintf(out, " %s %+" PRId64, report_metric_labels[m], c - p);
			if (p)
				fprintf(out, " (%+.1f%%)", 100.0 * (double)(c - p) / (double)p);
			fputc(m == RM_COUNT - 1 ? ' ' : ';', out);
		}
		fputc('\n', out);
	}
}

/* --- CSV ------------------------------------------------------------------------------- */

static void csv_field(FILE *out, const char *s)
{
	csv_write_field(out, s);
}

static void csv_int(FILE *out, int64_t v)
{
	if (v >= 0)
		fprintf(out, "%" PRId64, v);
}

static int64_t count_of(const struct report_counts *c, const char *key)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->items[i].key, key) == 0)
			return c->items[i].n;
	return 0;
}

void report_monthly_csv(FILE *out, struct report_monthly *r, const struct report_meta *meta)
{
	/* name last: the columns before it keep the places scripts read them at */
	fputs("month,officer,troops,submitted,emails_received,emails_answered,responses,"
	      "median_seconds,p90_seconds,unanswered,threads_opened,threads_closed,referrals,"
	      "ctl_events,community_contacts,unable,visited,reportable,events_attended,"
	      "submitted_by,submitted_at,figures,name\n", out);
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		struct report_stats *s = &row->stats;
		int64_t median, p90;
		report_stats_times(s, &median, &p90);
		fprintf(out, "%s,", r->month);
		csv_field(out, row->officer);
		fputc(',', out);
		csv_field(out, row->troops);
		fprintf(out, ",%s,%" PRId64 ",%" PRId64 ",%zu,", row->submitted ? "yes" : "no",
		        s->received, s->answered, s->n_times);
		csv_int(out, median);
		fputc(',', out);
		csv_int(out, p90);
		fprintf(out, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
		        ",%zu,%zu,%zu,%" PRId64, s->unanswered, s->opened, s->closed,
		        s->referrals_total, count_of(&s->events, "CTL Event"),
		        count_of(&s->events, "Community Contact"), s->n_unable, s->n_visits,
		        s->n_reportable, s->attended_total);
		char at[32] = "";
		if (row->submitted_by)
			time_format_utc(row->submitted_at, at, sizeof(at));
		fputc(',', out);
		csv_field(out, row->submitted_by);
		fprintf(out, ",%s,%s,", at, row->stored ? "submitted" : "live");
		char *name = report_row_name(meta, row);
		csv_field(out, name);
		free(name);
		fputc('\n', out);
	}
}

void report_quarterly_csv(FILE *out, struct report_quarterly *r)
{
	fputs("quarter,troop", out);
	for (int m = 0; m < RM_COUNT; m++)
		fprintf(out, ",%s,%s_previous,%s_change", report_metric_names[m],
		        report_metric_names[m], report_metric_names[m]);
	fputc('\n', out);
	for (size_t i = 0; i < r->n_troops; i++) {
		struct report_troop *t = &r->troops[i];
		fprintf(out, "%s,%s", r->quarter, t->troop ? (char[2]){t->troop, '\0'} : "all");
		for (int m = 0; m < RM_COUNT; m++) {
			int64_t c = report_metric_value(&t->current, (enum report_metric)m);
			int64_t p = report_metric_value(&t->previous, (enum report_metric)m);
			fputc(',', out);
			csv_int(out, c);
			fputc(',', out);
			csv_int(out, p);
			fputc(',', out);
			if (c >= 0 && p >= 0)
				fprintf(out, "%" PRId64, c - p);
		}
		fputc('\n', out);
	}
}
