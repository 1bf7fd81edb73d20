/* report_snapshot.c — a submitted monthly report's figures, kept as JSON text and read back
 * (jansson, as the report renderers). */
#include "report_snapshot.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Version of the text's layout: a later layout must still read this one. */
#define SNAPSHOT_VERSION 1

static json_t *counts_json(const struct report_counts *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < c->count; i++)
		json_object_set_new(o, c->items[i].key, json_integer(c->items[i].n));
	return o;
}

static json_t *items_json(const struct report_event_item *items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)items[i].id,
		                                   "date", items[i].date, "place", items[i].place,
		                                   "text", items[i].text));
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

char *report_snapshot_encode(const struct report_stats *s)
{
	json_t *times = json_array();
	for (size_t i = 0; i < s->n_times; i++)
		json_array_append_new(times, json_integer(s->times[i]));
	json_t *rep = json_array();
	for (size_t i = 0; i < s->n_reportable; i++) {
		const struct report_disclosure *d = &s->reportable[i];
		json_array_append_new(rep, json_pack("{s:s, s:s, s:o, s:o, s:o}", "ref", d->ref,
		    "status", d->status, "rms_number", str_or_null(d->rms_number),
		    "not_reportable_reason", str_or_null(d->not_reportable_reason),
		    "subject", str_or_null(d->subject)));
	}
	json_t *o = json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	                      "s:o, s:o}",
	    "version", SNAPSHOT_VERSION, "received", (json_int_t)s->received,
	    "answered", (json_int_t)s->answered, "opened", (json_int_t)s->opened,
	    "closed", (json_int_t)s->closed, "unanswered", (json_int_t)s->unanswered,
	    "times", times, "referrals", counts_json(&s->referrals),
	    "events", counts_json(&s->events), "attended", counts_json(&s->attended),
	    "visited", counts_json(&s->visited), "categories", counts_json(&s->categories),
	    "unable", items_json(s->unable, s->n_unable), "visits", items_json(s->visits, s->n_visits),
	    "reportable", rep);
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	char *out = xstrdup(text);
	free(text);
	return out;
}

static json_int_t int_of(json_t *o, const char *key, int *ok)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		*ok = 0;
	return json_integer_value(v);
}

/* Counts read back; *total_r (when not NULL) is their sum. */
static void counts_of(json_t *o, const char *key, struct report_counts *c, int64_t *total_r,
                      int *ok)
{
	json_t *obj = json_object_get(o, key);
	if (!json_is_object(obj)) {
		*ok = 0;
		return;
	}
	/* Plain iteration (not jansson's foreach macros, which cppcheck cannot follow). */
	for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
		json_int_t n = json_integer_value(json_object_iter_value(it));
		report_counts_add(c, json_object_iter_key(it), n);
		if (total_r)
			*total_r += n;
	}
}

static const char *text_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void items_of(json_t *o, const char *key, struct report_event_item **items, size_t *n,
                     int *ok)
{
	json_t *a = json_object_get(o, key);
	if (!json_is_array(a)) {
		*ok = 0;
		return;
	}
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *v = json_array_get(a, i);
		*items = xrealloc(*items, (*n + 1) * sizeof(**items));
		struct report_event_item *it = &(*items)[(*n)++];
		it->id = json_integer_value(json_object_get(v, "id"));
		it->date = xstrdup(text_of(v, "date") ? text_of(v, "date") : "");
		it->place = xstrdup(text_of(v, "place") ? text_of(v, "place") : "");
		it->text = xstrdup(text_of(v, "text") ? text_of(v, "text") : "");
	}
}

int report_snapshot_decode(const char *text, struct report_stats *s)
{
	memset(s, 0, sizeof(*s));
	json_t *o = text ? json_loads(text, 0, NULL) : NULL;
	int ok = json_is_object(o) && int_of(o, "version", &ok) == SNAPSHOT_VERSION;
	if (!ok) {
		json_decref(o);
		return -1;
	}
	s->received = int_of(o, "received", &ok);
	s->answered = int_of(o, "answered", &ok);
	s->opened = int_of(o, "opened", &ok);
	s->closed = int_of(o, "closed", &ok);
	s->unanswered = int_of(o, "unanswered", &ok);
	json_t *times = json_object_get(o, "times");
	if (!json_is_array(times))
		ok = 0;
	for (size_t i = 0; i < json_array_size(times); i++)
		report_stats_add_time(s, json_integer_value(json_array_get(times, i)));
	counts_of(o, "referrals", &s->referrals, &s->referrals_total, &ok);
	counts_of(o, "events", &s->events, &s->events_total, &ok);
	counts_of(o, "attended", &s->attended, &s->attended_total, &ok);
	counts_of(o, "visited", &s->visited, NULL, &ok);
	counts_of(o, "categories", &s->categories, NULL, &ok);
	items_of(o, "unable", &s->unable, &s->n_unable, &ok);
	items_of(o, "visits", &s->visits, &s->n_visits, &ok);
	json_t *rep = json_object_get(o, "reportable");
	if (!json_is_array(rep))
		ok = 0;
	for (size_t i = 0; i < json_array_size(rep); i++) {
		json_t *v = json_array_get(rep, i);
		s->reportable = xrealloc(s->reportable, (s->n_reportable + 1) * sizeof(*s->reportable));
		struct report_disclosure *d = &s->reportable[s->n_reportable++];
		d->ref = xstrdup(text_of(v, "ref") ? text_of(v, "ref") : "");
		d->status = xstrdup(text_of(v, "status") ? text_of(v, "status") : "");
		d->rms_number = xstrdup(text_of(v, "rms_number"));
		d->not_reportable_reason = xstrdup(text_of(v, "not_reportable_reason"));
		d->subject = xstrdup(text_of(v, "subject"));
	}
	json_decref(o);
	if (!ok) {
		report_stats_free(s);
		return -1;
	}
	return 0;
}

int report_monthly_use_submitted(struct report_monthly *r, int live, char **error_r)
{
	int replaced = 0;
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		if (row->figures == NULL)
			continue;
		struct report_stats stored;
		if (report_snapshot_decode(row->figures, &stored) < 0) {
			*error_r = xasprintf("the stored figures of %s's report for %s cannot be read",
			                     row->officer, r->month);
			return -1;
		}
		if (live) {
			row->as_submitted = xmalloc(sizeof(*row->as_submitted));
			*row->as_submitted = stored;
			continue;
		}
		report_stats_free(&row->stats);
		row->stats = stored;
		row->stored = 1;
		replaced = 1;
	}
	/* The total is the sum of the rows as shown: submitted figures and today's together. */
	if (replaced) {
		report_stats_free(&r->total);
		for (size_t i = 0; i < r->n_rows; i++)
			report_stats_merge(&r->total, &r->rows[i].stats);
	}
	return 0;
}
