/* mbox_line.c — what an mbox line is: a separator ("From " sender date) with its date, or a
 * "From " line the writer quoted (see mbox_line.h).  Pure functions; import.c reads the file. */
#include "mbox_line.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"

static int has_from_prefix(const char *s, size_t len)
{
	return len >= 5 && memcmp(s, "From ", 5) == 0;
}

/* ^>+From : quoted by the writer.  Removing one '>' is right for both flavours under the
 * per-file rule: a file with any ^>>+From line is mboxrd (so those lines lose one '>'), and for
 * ^>From lines mboxrd and mboxo agree.  So no pre-scan of the file is needed. */
int mbox_line_is_quoted_from(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] == '>')
		i++;
	return i > 0 && has_from_prefix(s + i, len - i);
}

/* The most words a separator's date may have: weekday, month, day, time, two zones, year, a
 * zone, "remote from HOST". */
#define SEPARATOR_WORDS 11

struct word {
	const char *s;
	size_t n;
};

static int word_is(const struct word *w, const char *s)
{
	return w->n == strlen(s) && memcmp(w->s, s, w->n) == 0;
}

/* The index of w in names (count 3-letter names, any case), or -1. */
static int word_name3(const struct word *w, const char *names, int count)
{
	if (w->n != 3)
		return -1;
	for (int i = 0; i < count; i++)
		if (strncasecmp(w->s, names + 3 * i, 3) == 0)
			return i;
	return -1;
}

/* w is min to max digits: its value. */
static int word_number(const struct word *w, size_t min, size_t max, int *v_r)
{
	if (w->n < min || w->n > max)
		return -1;
	int v = 0;
	for (size_t i = 0; i < w->n; i++) {
		if (!isdigit((unsigned char)w->s[i]))
			return -1;
		v = v * 10 + (w->s[i] - '0');
	}
	*v_r = v;
	return 0;
}

/* "hh:mm:ss" or "hh:mm", two digits each, as asctime() writes them. */
static int word_time(const struct word *w, int *hh_r, int *mm_r, int *ss_r)
{
	const char *s = w->s;
	if ((w->n != 5 && w->n != 8) || s[2] != ':' || (w->n == 8 && s[5] != ':'))
		return -1;
	for (size_t i = 0; i < w->n; i++)
		if (i % 3 != 2 && !isdigit((unsigned char)s[i]))
			return -1;
	*hh_r = (s[0] - '0') * 10 + (s[1] - '0');
	*mm_r = (s[3] - '0') * 10 + (s[4] - '0');
	*ss_r = w->n == 8 ? (s[6] - '0') * 10 + (s[7] - '0') : 0;
	return *hh_r <= 23 && *mm_r <= 59 && *ss_r <= 60 ? 0 : -1;
}

enum { ZONE_NONE, ZONE_NUMERIC, ZONE_NAMED };

/* "+hhmm" or "-hhmm" (ZONE_NUMERIC, *offset_r its seconds east of UTC), a name of one to five
 * letters such as "EST", "MET" or "DST" (ZONE_NAMED), or neither. */
static int word_zone(const struct word *w, long *offset_r)
{
	if (w->n == 5 && (w->s[0] == '+' || w->s[0] == '-')) {
		const struct word digits = { w->s + 1, 4 };
		int v;
		if (word_number(&digits, 4, 4, &v) < 0 || v / 100 > 23 || v % 100 > 59)
			return ZONE_NONE;
		long off = (long)(v / 100) * 3600 + (long)(v % 100) * 60;
		*offset_r = w->s[0] == '-' ? -off : off;
		return ZONE_NUMERIC;
	}
	if (w->n < 1 || w->n > 5)
		return ZONE_NONE;
	for (size_t i = 0; i < w->n; i++)
		if (!isalpha((unsigned char)w->s[i]))
			return ZONE_NONE;
	return ZONE_NAMED;
}

/* Takes w[*i] as a zone if it is one; the first numeric zone sets *offset_r. */
static int take_zone(const struct word *w, int n, int *i, long *offset_r, int *have_offset)
{
	long offset;
	int z = *i < n ? word_zone(&w[*i], &offset) : ZONE_NONE;
	if (z == ZONE_NONE)
		return 0;
	if (z == ZONE_NUMERIC && !*have_offset) {
		*offset_r = offset;
		*have_offset = 1;
	}
	(*i)++;
	return 1;
}

/* The date of a separator, and nothing after it but what writers put there:
 * "Www Mmm dd hh:mm[:ss] [ZONE [ZONE]] yyyy [ZONE] [remote from HOST]".  That is asctime()
 * as mutt, Python's mailbox, Postfix and procmail write it (Dovecot and Thunderbird pad the
 * day with a zero), Gmail's export with "+0000" before the year, old Unix's "MET DST", and
 * UUCP's tail.  A numeric zone is applied; a named one says too little ("IST" is three
 * zones), and the time is then taken as UTC, as without a zone: the same result on every
 * machine.  Returns 0 with *t_r for a real calendar date (not 31 February), else -1.  Any
 * four-digit year is one, as for Dovecot: liaison's own production mbox dates a message by
 * its Date header, which may be older than 1970. */
static int separator_date(const struct word *w, int n, int64_t *t_r)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int mon, day, hh, mm, ss, year, have_offset = 0, i = 4;
	long offset = 0;
	if (n < 5 || word_name3(&w[0], days, 7) < 0 || (mon = word_name3(&w[1], months, 12)) < 0 ||
	    word_number(&w[2], 1, 2, &day) < 0 || word_time(&w[3], &hh, &mm, &ss) < 0)
		return -1;
	if (take_zone(w, n, &i, &offset, &have_offset))
		(void)take_zone(w, n, &i, &offset, &have_offset);
	if (i >= n || word_number(&w[i], 4, 4, &year) < 0)
		return -1;
	i++;
	(void)take_zone(w, n, &i, &offset, &have_offset);
	if (i < n && !(n - i == 3 && word_is(&w[i], "remote") && word_is(&w[i + 1], "from")))
		return -1;
	/* not 31 February, nor 23:59:60 (a second of the next day) */
	struct cal_date date = { year, mon + 1, day };
	int64_t t;
	if (calendar_utc_time(date, hh, mm, ss, &t) < 0)
		return -1;
	*t_r = t - offset;
	return 0;
}

/* Splits s..end at spaces and tabs into at most max words: their number, or -1 if more. */
static int split_words(const char *s, const char *end, struct word *w, int max)
{
	int n = 0;
	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s == end)
			return n;
		if (n == max)
			return -1;
		w[n].s = s;
		while (s < end && *s != ' ' && *s != '\t')
			s++;
		w[n].n = (size_t)(s - w[n].s);
		n++;
	}
}

static int date_after(const char *s, const char *end, int64_t *t_r)
{
	struct word w[SEPARATOR_WORDS];
	int n = split_words(s, end, w, SEPARATOR_WORDS);
	return n > 0 && separator_date(w, n, t_r) == 0;
}

/* 1 when line (newline included) separates mbox messages, with its date in *t_r: "From ",
 * the envelope sender, then the date of separator_date.  The sender is one word, or a
 * "quoted local part"@domain that may hold spaces (Dovecot reads those too), or nothing:
 * "From  Mon Jan ..." is how some writers put an empty sender.  Any other line starting with
 * "From " (a body's "From here on...", a bare "From alice@example.org") is not one. */
int mbox_line_is_separator(const char *line, size_t len, int64_t *t_r)
{
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > MBOX_SEPARATOR_MAX || !has_from_prefix(line, len))
		return 0;
	const char *sender = line + 5, *end = line + len, *s = sender;
	if (date_after(sender, end, t_r))
		return 1;
	int quoted = 0;
	for (; s < end && (quoted || (*s != ' ' && *s != '\t')); s++) {
		if (quoted && *s == '\\' && s + 1 < end)
			s++;
		else if (*s == '"')
			quoted = !quoted;
	}
	return s > sender && !quoted && date_after(s, end, t_r);
}
