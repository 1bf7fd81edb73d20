/* prescan.c — a linear look at a raw message before the MIME parser sees it (prescan.h). */
#include "prescan.h"

#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "util.h"

/* GMime's own nesting cap: boundaries opened deeper change nothing in what it does, so the
 * stack of them stops growing there whatever max_depth says. */
#define GMIME_MAX_LEVEL 1024

struct line {
	const char *s;
	size_t len;  /* without the CR LF */
	size_t next; /* offset of the following line */
};

static int line_at(const char *raw, size_t len, size_t pos, struct line *l)
{
	if (pos >= len)
		return 0;
	const char *nl = memchr(raw + pos, '\n', len - pos);
	size_t end = nl ? (size_t)(nl - raw) : len;
	l->s = raw + pos;
	l->next = nl ? end + 1 : len;
	if (end > pos && raw[end - 1] == '\r')
		end--;
	l->len = end - pos;
	return 1;
}

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}


void prescan_scan_headers(const char *raw, size_t len, size_t max_header_bytes,
                          struct prescan *ps)
{
	struct line l;
	size_t pos = 0;
	/* an mbox "From " line before the headers is skipped by GMime; keep it in the block */
	if (len >= 5 && memcmp(raw, "From ", 5) == 0 && line_at(raw, len, 0, &l))
		pos = l.next;
	while (line_at(raw, len, pos, &l)) {
		if (l.len == 0)
			break;
		if (l.s[0] == ' ' || l.s[0] == '\t') {
			if (ps->header_lines == 0)
				break;
		} else if (memchr(l.s, ':', l.len) != NULL) {
			ps->header_lines++;
		} else {
			ps->needs_blank = ps->header_lines > 0;
			break;
		}
		pos = l.next;
		if (pos > max_header_bytes)
			break;
	}
	ps->header_end = pos;
	ps->header_nul = memchr(raw, 0, pos) != NULL;
}

struct bstack {
	char **b;      /* open boundaries, innermost last; "" for one we cannot read */
	size_t *blen;
	size_t n;
	size_t cap;
};

static void bstack_pop_to(struct bstack *st, size_t n)
{
	while (st->n > n) {
		st->n--;
		free(st->b[st->n]);
	}
}

/* If the '=' at line offset eq ends a boundary parameter name, returns its value (new
 * string, "" when unreadable, e.g. RFC 2231 continuations); else NULL. */
static char *boundary_param_at(const struct line *l, size_t eq)
{
	size_t k = eq;
	int ext = 0;
	while (k > 0 && is_wsp(l->s[k - 1]))
		k--;
	if (k > 0 && l->s[k - 1] == '*') {
		ext = 1;
		k--;
	}
	while (k > 0 && l->s[k - 1] >= '0' && l->s[k - 1] <= '9')
		k--;
	if (k > 0 && l->s[k - 1] == '*') {
		ext = 1;
		k--;
	}
	if (k < 8 || !str_ascii_ncaseeq(l->s + k - 8, "boundary", 8))
		return NULL;
	if (k > 8) {
		char p = l->s[k - 9];
		if (p != ';' && !is_wsp(p))
			return NULL;
	}
	if (ext)
		return xstrdup("");
	size_t v = eq + 1;
	while (v < l->len && is_wsp(l->s[v]))
		v++;
	/* the value is never longer than the rest of the line */
	char *value = xmalloc(l->len - v + 1);
	size_t n = 0;
	if (v < l->len && l->s[v] == '"') {
		for (v++; v < l->len && l->s[v] != '"'; v++) {
			if (l->s[v] == '\\' && v + 1 < l->len)
				v++;
			value[n++] = l->s[v];
		}
	} else {
		size_t e = v;
		while (e < l->len && l->s[e] != ';' && !is_wsp(l->s[e]))
			e++;
		memcpy(value, l->s + v, e - v);
		n = e - v;
	}
	value[n] = '\0';
	return value;
}

/* Headers that GMime or we parse as address lists. */
static int is_address_header(const char *name, size_t len)
{
	static const char *const names[] = {
		"from", "sender", "reply-to", "to", "cc", "bcc", "resent-from", "resent-sender",
		"resent-reply-to", "resent-to", "resent-cc", "resent-bcc", "return-path",
		"disposition-notification-to", "mail-followup-to", "mail-reply-to", "errors-to",
		"return-receipt-to", NULL};
	for (size_t i = 0; names[i] != NULL; i++)
		if (strlen(names[i]) == len && str_ascii_ncaseeq(name, names[i], len))
			return 1;
	return 0;
}

struct group_count {
	int active;    /* inside an address header (its first line or a continuation) */
	int quoted;
	int bracket;   /* inside a [domain literal], where IPv6 colons live */
	unsigned colons;
};

/* Counts the group colons of address headers anywhere in the message (forwarded messages
 * are parsed by GMime too), outside quoted strings and domain literals. */
static void group_count_line(struct group_count *gc, const struct line *l)
{
	size_t i = 0;
	if (l->len > 0 && (l->s[0] == ' ' || l->s[0] == '\t')) {
		if (!gc->active)
			return;
	} else {
		const char *colon = memchr(l->s, ':', l->len);
		size_t nl = colon ? (size_t)(colon - l->s) : 0;
		while (nl > 0 && is_wsp(l->s[nl - 1]))
			nl--;
		memset(gc, 0, sizeof(*gc));
		if (colon == NULL || !is_address_header(l->s, nl))
			return;
		gc->active = 1;
		i = (size_t)(colon - l->s) + 1;
	}
	for (; i < l->len; i++) {
		char c = l->s[i];
		if (gc->quoted) {
			if (c == '\\')
				i++;
			else if (c == '"')
				gc->quoted = 0;
		} else if (c == '"') {
			gc->quoted = 1;
		} else if (c == '[') {
			gc->bracket = 1;
		} else if (c == ']') {
			gc->bracket = 0;
		} else if (c == ':' && !gc->bracket) {
			gc->colons++;
		}
	}
}

void prescan_scan_structure(const char *raw, size_t len, unsigned max_depth, unsigned max_parts,
                            struct prescan *ps)
{
	struct bstack st = {0};
	struct group_count gc = {0};
	size_t delimiters = 0;
	size_t pos = 0;
	struct line l;
	while (!ps->too_deep && !ps->too_many && !ps->group_bomb && line_at(raw, len, pos, &l)) {
		pos = l.next;
		group_count_line(&gc, &l);
		if (gc.colons > PRESCAN_ADDRESS_GROUPS_MAX)
			ps->group_bomb = 1;
		if (l.len >= 2 && l.s[0] == '-' && l.s[1] == '-' && st.n > 0) {
			for (size_t k = st.n; k-- > 0;) {
				size_t bl = st.blen[k];
				if (bl == 0 || l.len < 2 + bl || memcmp(l.s + 2, st.b[k], bl) != 0)
					continue;
				const char *rest = l.s + 2 + bl;
				size_t rl = l.len - 2 - bl;
				int final = rl >= 2 && rest[0] == '-' && rest[1] == '-';
				size_t w = final ? 2 : 0;
				while (w < rl && is_wsp(rest[w]))
					w++;
				if (!final && w < rl)
					continue; /* "--boundaryX" is not our delimiter */
				if (final) {
					bstack_pop_to(&st, k);
				} else {
					bstack_pop_to(&st, k + 1);
					if (++delimiters > max_parts)
						ps->too_many = 1;
				}
				break;
			}
			continue;
		}
		const char *eq = l.len > 8 ? memchr(l.s + 8, '=', l.len - 8) : NULL;
		while (eq != NULL) {
			size_t off = (size_t)(eq - l.s);
			char *b = boundary_param_at(&l, off);
			if (b != NULL) {
				if (st.n >= max_depth || st.n >= GMIME_MAX_LEVEL) {
					free(b);
					ps->too_deep = st.n >= max_depth;
					break;
				}
				if (st.n == st.cap) {
					st.cap = st.cap ? st.cap * 2 : 8;
					st.b = xrealloc(st.b, st.cap * sizeof(*st.b));
					st.blen = xrealloc(st.blen, st.cap * sizeof(*st.blen));
				}
				st.blen[st.n] = strlen(b);
				st.b[st.n++] = b;
			}
			eq = off + 1 < l.len ? memchr(l.s + off + 1, '=', l.len - off - 1) : NULL;
		}
	}
	bstack_pop_to(&st, 0);
	free(st.b);
	free(st.blen);
}

int prescan_needs_repair(const struct prescan *ps)
{
	return ps->needs_blank || ps->header_nul;
}

char *prescan_repair_raw(const char *raw, size_t len, const struct prescan *ps, size_t *len_r)
{
	size_t nuls = 0;
	for (size_t i = 0; i < ps->header_end; i++)
		nuls += raw[i] == '\0';
	/* each NUL grows into the replacement, one "\n" may be added, and a NUL ends the copy */
	char *out = xmalloc(len + nuls * (CHARSET_REPLACEMENT_LEN - 1) + 2);
	size_t w = 0;
	for (size_t i = 0; i < ps->header_end; i++) {
		if (raw[i] == '\0') {
			memcpy(out + w, CHARSET_REPLACEMENT, CHARSET_REPLACEMENT_LEN);
			w += CHARSET_REPLACEMENT_LEN;
		} else {
			out[w++] = raw[i];
		}
	}
	if (ps->needs_blank)
		out[w++] = '\n';
	memcpy(out + w, raw + ps->header_end, len - ps->header_end);
	w += len - ps->header_end;
	out[w] = '\0';
	*len_r = w;
	return out;
}

size_t prescan_header_len(const struct prescan *ps, size_t raw_len, size_t data_len)
{
	/* the repair only grows the header block (NULs) and adds the blank line after it */
	size_t n = ps->header_end + (data_len - raw_len);
	if (ps->needs_blank)
		n -= 1;
	return n;
}
