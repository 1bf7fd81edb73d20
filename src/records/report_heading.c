/* report_heading.c — a report's header, labels, durations and names as people read them
 * (see report_heading.h). */
#include "report_heading.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "util.h"

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
};

/* The local date of t: the configured zone is the process's (cli.c sets TZ). */
static struct cal_date day_of(int64_t t)
{
	return calendar_date_of(t, NULL);
}

/* "6 December 2026" */
static void day_text(struct cal_date d, char *out, size_t size)
{
	snprintf(out, size, "%d %s %d", d.day, month_names[(d.month + 11) % 12], d.year);
}

/* The last day of [from, to): the day of its last second. */
static struct cal_date last_day(int64_t to)
{
	return day_of(to - 1);
}

static void common(const struct report_meta *meta, int64_t from, int64_t to,
                   struct report_heading *h)
{
	const struct config *c = meta->config;
	h->agency = c && c->agency ? xstrdup(c->agency) : NULL;
	h->program = xstrdup(c && c->program ? c->program : "Community Trust Liaison Program");
	time_t t = (time_t)meta->generated;
	struct tm tm;
	localtime_r(&t, &tm);
	char when[64];
	strftime(when, sizeof(when), "%H:%M %Z", &tm);
	char day[48];
	day_text(day_of(meta->generated), day, sizeof(day));
	h->generated = xasprintf("Generated %s at %s", day, when);
	h->partial = NULL;
	if (meta->generated < from) {
		/* a period asked for ahead: nothing in it has happened */
		char starts[48];
		day_text(day_of(from), starts, sizeof(starts));
		h->partial = xasprintf("Not begun: the period starts %s; there are no figures yet",
		                       starts);
	} else if (meta->generated < to) {
		char upto[48], ends[48];
		day_text(day_of(meta->generated), upto, sizeof(upto));
		day_text(last_day(to), ends, sizeof(ends));
		h->partial = xasprintf("Partial period: figures to %s; the period ends %s", upto, ends);
	}
}

void report_heading_monthly(const struct report_meta *meta, const struct report_monthly *r,
                            struct report_heading *h)
{
	memset(h, 0, sizeof(*h));
	common(meta, r->from, r->to, h);
	struct cal_date a = day_of(r->from), b = last_day(r->to);
	h->period = xasprintf("%d\u2013%d %s %d", a.day, b.day, month_names[a.month - 1], a.year);
	if (r->officer)
		h->title = xasprintf("Monthly report: %s", report_user_name(meta, r->officer));
	else if (r->troop)
		h->title = xasprintf("Monthly report: troop %c", r->troop);
	else
		h->title = xstrdup("Monthly report: all liaisons and troops");
}

void report_heading_quarterly(const struct report_meta *meta, const struct report_quarterly *r,
                              struct report_heading *h)
{
	memset(h, 0, sizeof(*h));
	common(meta, r->from, r->to, h);
	struct cal_date a = day_of(r->from), b = last_day(r->to);
	h->period = xasprintf("Q%d %d: %d %s \u2013 %d %s %d", (a.month - 1) / 3 + 1, a.year, a.day,
	                      month_names[a.month - 1], b.day, month_names[b.month - 1], b.year);
	h->title = xstrdup("Quarterly summary: all troops");
}

void report_heading_free(struct report_heading *h)
{
	xfree(&h->agency);
	xfree(&h->program);
	xfree(&h->title);
	xfree(&h->period);
	xfree(&h->generated);
	xfree(&h->partial);
}

void report_quarter_label(const char *quarter, char *out, size_t size)
{
	int year, q;
	char end;
	if (sscanf(quarter, "%4dQ%1d%c", &year, &q, &end) == 2 && q >= 1 && q <= 4)
		snprintf(out, size, "Q%d %d", q, year);
	else
		snprintf(out, size, "%s", quarter);
}

void report_duration_text(int64_t s, char *out, size_t size)
{
	if (s < 0)
		snprintf(out, size, "\u2013");
	else if (s < 3600) /* whole minutes, as the larger units are; an answer within a minute
	                      is "1 min", not "0 min" */
		snprintf(out, size, "%d min", s > 0 && s < 60 ? 1 : (int)(s / 60));
	else if (s < 86400)
		snprintf(out, size, "%d h %d min", (int)(s / 3600), (int)(s % 3600 / 60));
	else
		snprintf(out, size, "%d d %d h", (int)(s / 86400), (int)(s % 86400 / 3600));
}

const char *report_user_name(const struct report_meta *meta, const char *login)
{
	const struct user_config *u = meta && meta->config ? config_find_user(meta->config, login)
	                                                    : NULL;
	return u && u->display_name ? u->display_name : login;
}

char *report_row_name(const struct report_meta *meta, const struct report_row *row)
{
	/* one unassigned row per troop: each says which, so no two rows read the same */
	if (strcmp(row->officer, "unassigned") == 0)
		return row->troops && row->troops[0] ? xasprintf("Unassigned, troop %s", row->troops)
		                                     : xstrdup("Unassigned");
	return xstrdup(report_user_name(meta, row->officer));
}

char *report_service_name(const struct report_meta *meta, const char *id)
{
	const struct service_config *s = meta && meta->config ? config_find_service(meta->config, id)
	                                                       : NULL;
	return xstrdup(s && s->name ? s->name : id);
}

char *report_key_label(const char *key)
{
	if (strcmp(key, "none") == 0)
		return xstrdup("No category");
	char *s = xstrdup(key);
	/* "community-group": words joined; "1-4 h": a range, kept */
	for (char *p = s; *p; p++)
		if ((*p == '-' || *p == '_') && p > s && isalpha((unsigned char)p[-1]) &&
		    isalpha((unsigned char)p[1]))
			*p = ' ';
	s[0] = (char)toupper((unsigned char)s[0]);
	return s;
}

/* A bar's label is at most this many characters, so that it fits its place beside the bar on
 * one line (the tables give names whole). */
#define BAR_LABEL_CHARS 28

/* The byte offset of character n of s (UTF-8), or its length when it has fewer. */
static size_t char_offset(const char *s, size_t n)
{
	size_t i = 0;
	for (size_t chars = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue; /* a continuation byte: the same character */
		if (chars++ == n)
			return i;
	}
	return i;
}

/* label in at most BAR_LABEL_CHARS characters: a longer one keeps its start and its end
 * around "…" (a surname or a number at the end tells two similar names apart); takes and
 * returns a new string. */
static char *bar_label(char *label)
{
	size_t len = strlen(label), chars = 0;
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)label[i] & 0xc0) != 0x80;
	if (chars <= BAR_LABEL_CHARS)
		return label;
	size_t head = (BAR_LABEL_CHARS - 1) / 2, tail = BAR_LABEL_CHARS - 1 - head;
	size_t head_end = char_offset(label, head), tail_start = char_offset(label, chars - tail);
	char *cut = xasprintf("%.*s\u2026%s", (int)head_end, label, label + tail_start);
	free(label);
	return cut;
}

static void bars_alloc(struct report_bars *b, size_t n)
{
	b->n = n;
	b->labels = xcalloc(n + 1, sizeof(*b->labels));
	b->values = xcalloc(n + 1, sizeof(*b->values));
}

void report_bars_officers(const struct report_meta *meta, const struct report_monthly *r,
                          struct report_bars *b)
{
	bars_alloc(b, r->n_rows);
	for (size_t i = 0; i < r->n_rows; i++) {
		b->labels[i] = bar_label(report_row_name(meta, &r->rows[i]));
		b->values[i] = r->rows[i].stats.received;
	}
}

void report_bars_weeks(const struct report_quarterly *r, struct report_bars *b)
{
	const struct report_stats *all = &r->troops[r->n_troops - 1].current;
	bars_alloc(b, (size_t)r->n_weeks);
	for (int w = 0; w < r->n_weeks; w++) {
		char day[11];
		calendar_format(calendar_add_days(calendar_date_of(r->from, NULL), 7 * w), day);
		b->labels[w] = xasprintf("Week %d (from %s)", w + 1, day);
		b->values[w] = all->weeks[w];
	}
}

void report_bars_counts(const struct report_counts *c, struct report_bars *b)
{
	bars_alloc(b, c->count);
	for (size_t i = 0; i < c->count; i++) {
		b->labels[i] = bar_label(report_key_label(c->items[i].key));
		b->values[i] = c->items[i].n;
	}
}

void report_bars_response(const struct report_stats *s, struct report_bars *b)
{
	bars_alloc(b, REPORT_RT_BUCKETS);
	for (size_t i = 0; i < REPORT_RT_BUCKETS; i++) {
		b->labels[i] = report_key_label(report_rt_bucket_names[i]);
		b->values[i] = s->rt_buckets[i];
	}
}

void report_bars_free(struct report_bars *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->labels[i]);
	xfree(&b->labels);
	xfree(&b->values);
	b->n = 0;
}
