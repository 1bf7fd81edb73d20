/* html.c — HTML to readable text for bodies that come only as HTML.
 *
 * Not an HTML parser: one forward pass that drops tags, comments and the contents of
 * script/style/title, turns block elements into line breaks, decodes entities and collapses
 * white space.  Every input byte is looked at a bounded number of times (entity names are
 * read at most 32 bytes ahead), so hostile input costs linear time. */
#include "mime.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

struct out {
	char *p;
	size_t len;
	size_t cap;
	int pending_nl;  /* line breaks owed before the next text (at most 2: one blank line) */
	int pending_sp;  /* a space owed before the next text */
	int in_pre;      /* inside <pre>: white space is kept */
};

static void out_reserve(struct out *o, size_t extra)
{
	if (o->cap - o->len > extra)
		return;
	size_t cap = o->cap ? o->cap : 256;
	while (cap - o->len <= extra)
		cap *= 2;
	o->p = xrealloc(o->p, cap);
	o->cap = cap;
}

/* Emits the break or space owed by markup before the text that follows; nothing at the
 * start so the result needs no leading trim. */
static void out_flush(struct out *o)
{
	out_reserve(o, 2);
	if (o->len > 0 && o->pending_nl > 0) {
		/* newlines already written (inside <pre>) count towards the break */
		int have = 0;
		while (have < 2 && (size_t)have < o->len && o->p[o->len - 1 - (size_t)have] == '\n')
			have++;
		for (int n = o->pending_nl - have; n > 0; n--)
			o->p[o->len++] = '\n';
	} else if (o->len > 0 && o->pending_sp && o->p[o->len - 1] != '\n' && o->p[o->len - 1] != ' ') {
		o->p[o->len++] = ' ';
	}
	o->pending_nl = 0;
	o->pending_sp = 0;
}

static void out_byte(struct out *o, char c)
{
	out_flush(o);
	out_reserve(o, 1);
	o->p[o->len++] = c;
}

static void out_cp(struct out *o, uint32_t cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	out_flush(o);
	out_reserve(o, 4);
	char *d = o->p + o->len;
	if (cp < 0x80) {
		d[0] = (char)cp;
		o->len += 1;
	} else if (cp < 0x800) {
		d[0] = (char)(0xC0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3F));
		o->len += 2;
	} else if (cp < 0x10000) {
		d[0] = (char)(0xE0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		o->len += 3;
	} else {
		d[0] = (char)(0xF0 | (cp >> 18));
		d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		d[3] = (char)(0x80 | (cp & 0x3F));
		o->len += 4;
	}
}

static void out_space(struct out *o)
{
	if (o->in_pre) {
		out_byte(o, ' ');
		return;
	}
	o->pending_sp = 1;
}

static void out_breaks(struct out *o, int n)
{
	if (o->pending_nl < n)
		o->pending_nl = n;
	o->pending_sp = 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
	{"nbsp", 0xA0}, {"copy", 0xA9}, {"reg", 0xAE}, {"trade", 0x2122},
	{"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"bull", 0x2022},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
	{"laquo", 0xAB}, {"raquo", 0xBB}, {"euro", 0x20AC}, {"pound", 0xA3}, {"cent", 0xA2},
	{"deg", 0xB0}, {"middot", 0xB7}, {"iexcl", 0xA1}, {"iquest", 0xBF}, {"ordf", 0xAA},
	{"ordm", 0xBA}, {"sect", 0xA7}, {"para", 0xB6}, {"times", 0xD7}, {"divide", 0xF7},
	{"aacute", 0xE1}, {"eacute", 0xE9}, {"iacute", 0xED}, {"oacute", 0xF3}, {"uacute", 0xFA},
	{"Aacute", 0xC1}, {"Eacute", 0xC9}, {"Iacute", 0xCD}, {"Oacute", 0xD3}, {"Uacute", 0xDA},
	{"agrave", 0xE0}, {"egrave", 0xE8}, {"igrave", 0xEC}, {"ograve", 0xF2}, {"ugrave", 0xF9},
	{"Agrave", 0xC0}, {"Egrave", 0xC8}, {"acirc", 0xE2}, {"ecirc", 0xEA}, {"icirc", 0xEE},
	{"ocirc", 0xF4}, {"ucirc", 0xFB}, {"auml", 0xE4}, {"euml", 0xEB}, {"iuml", 0xEF},
	{"ouml", 0xF6}, {"uuml", 0xFC}, {"Auml", 0xC4}, {"Ouml", 0xD6}, {"Uuml", 0xDC},
	{"ntilde", 0xF1}, {"Ntilde", 0xD1}, {"atilde", 0xE3}, {"otilde", 0xF5}, {"ccedil", 0xE7},
	{"Ccedil", 0xC7}, {"szlig", 0xDF}, {"aring", 0xE5}, {"Aring", 0xC5}, {"aelig", 0xE6},
	{"oslash", 0xF8}, {"yacute", 0xFD}, {"yuml", 0xFF},
};

/* HTML maps numeric references in 0x80-0x9F through windows-1252 (&#150; is a dash). */
static const uint16_t c1_map[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Decodes the entity at s[0] == '&'.  Returns the bytes consumed, or 0 when it is not one
 * (the '&' is then text, as in "a & b" or a URL's "?x=1&y=2"). */
static size_t entity_decode(struct out *o, const unsigned char *s, size_t n)
{
	size_t i = 1;
	if (i < n && s[i] == '#') {
		int hex = 0;
		i++;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			hex = 1;
			i++;
		}
		size_t start = i;
		uint32_t cp = 0;
		int overflow = 0;
		for (; i < n; i++) {
			unsigned d;
			if (s[i] >= '0' && s[i] <= '9')
				d = s[i] - '0';
			else if (hex && s[i] >= 'a' && s[i] <= 'f')
				d = s[i] - 'a' + 10;
			else if (hex && s[i] >= 'A' && s[i] <= 'F')
				d = s[i] - 'A' + 10;
			else
				break;
			if (cp > 0x10FFFF)
				overflow = 1;
			else
				cp = cp * (hex ? 16 : 10) + d;
		}
		if (i == start)
			return 0;
		if (overflow)
			cp = 0xFFFD;
		if (cp >= 0x80 && cp <= 0x9F)
			cp = c1_map[cp - 0x80];
		if (cp == 0xA0)
			out_space(o);
		else
			out_cp(o, cp);
		if (i < n && s[i] == ';')
			i++;
		return i;
	}
	while (i < n && i < 32 && is_alnum(s[i]))
		i++;
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	size_t len = i - 1;
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		if (strlen(entities[k].name) == len && memcmp(entities[k].name, s + 1, len) == 0) {
			if (entities[k].cp == 0xA0)
				out_space(o);
			else
				out_cp(o, entities[k].cp);
			return i + 1;
		}
	}
	return 0;
}

/* Returns the offset just past the '>' that ends the tag starting at s[0] == '<', skipping
 * quoted attribute values (only after '=', so a stray apostrophe cannot swallow the page). */
static size_t tag_end(const unsigned char *s, size_t n)
{
	size_t i = 1;
	while (i < n) {
		if (s[i] == '>')
			return i + 1;
		if (s[i] == '=') {
			i++;
			while (i < n && is_space(s[i]))
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				const unsigned char *q = memchr(s + i + 1, s[i], n - i - 1);
				if (q == NULL)
					return n;
				i = (size_t)(q - s) + 1;
			}
			continue;
		}
		i++;
	}
	return n;
}

/* Returns the offset past the end tag </name ...> at or after s, or n when there is none. */
static size_t skip_element(const unsigned char *s, size_t n, size_t from, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = from; i + 1 < n; i++) {
		const unsigned char *lt = memchr(s + i, '<', n - i);
		if (lt == NULL)
			return n;
		i = (size_t)(lt - s);
		if (i + 2 + nl <= n && s[i + 1] == '/' && strncasecmp((const char *)s + i + 2, name, nl) == 0 &&
		    (i + 2 + nl == n || !is_alnum(s[i + 2 + nl])))
			return i + tag_end(s + i, n - i);
	}
	return n;
}

/* What a tag does to the text around it. */
enum tag_kind { TAG_NONE, TAG_SPACE, TAG_LINE, TAG_PARA, TAG_BR, TAG_SKIP, TAG_PRE };

static enum tag_kind tag_classify(const char *name)
{
	static const char *const para[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6",
	                                   "blockquote", "table", NULL};
	static const char *const line[] = {"div", "li", "tr", "ul", "ol", "dl", "dt", "dd", "hr",
	                                   "section", "article", "header", "footer", "address",
	                                   "center", "form", "fieldset", "figure", "figcaption",
	                                   "caption", "main", "nav", "aside", "body", NULL};
	static const char *const skip[] = {"script", "style", "title", "template", NULL};
	if (strcmp(name, "br") == 0)
		return TAG_BR;
	if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
		return TAG_SPACE;
	if (strcmp(name, "pre") == 0)
		return TAG_PRE;
	for (size_t i = 0; para[i] != NULL; i++)
		if (strcmp(name, para[i]) == 0)
			return TAG_PARA;
	for (size_t i = 0; line[i] != NULL; i++)
		if (strcmp(name, line[i]) == 0)
			return TAG_LINE;
	for (size_t i = 0; skip[i] != NULL; i++)
		if (strcmp(name, skip[i]) == 0)
			return TAG_SKIP;
	return TAG_NONE;
}

/* Handles markup starting at s[0] == '<'; returns the bytes consumed, or 0 when the '<' is
 * plain text ("a < b"). */
static size_t markup(struct out *o, const unsigned char *s, size_t n)
{
	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		for (size_t i = 4; i + 2 < n; i++) {
			const unsigned char *dash = memchr(s + i, '-', n - i);
			if (dash == NULL)
				break;
			i = (size_t)(dash - s);
			if (i + 2 < n && s[i + 1] == '-' && s[i + 2] == '>')
				return i + 3;
		}
		return n; /* an unclosed comment hides the rest, as in browsers */
	}
	if (n >= 2 && (s[1] == '!' || s[1] == '?'))
		return tag_end(s, n);

	size_t i = 1;
	int closing = 0;
	if (i < n && s[i] == '/') {
		closing = 1;
		i++;
	}
	if (i >= n || !is_alpha(s[i]))
		return 0;
	char name[16];
	size_t nl = 0;
	for (; i < n && is_alnum(s[i]); i++)
		if (nl < sizeof(name) - 1)
			name[nl++] = (char)(s[i] | 0x20);
	name[nl] = '\0';
	size_t end = tag_end(s, n);

	switch (tag_classify(name)) {
	case TAG_SPACE:
		out_space(o);
		break;
	case TAG_LINE:
		out_breaks(o, 1);
		break;
	case TAG_PARA:
		out_breaks(o, 2);
		break;
	case TAG_BR:
		/* each <br> is one more line break; more than two still make one blank line */
		o->pending_nl = o->pending_nl < 2 ? o->pending_nl + 1 : 2;
		o->pending_sp = 0;
		break;
	case TAG_PRE:
		out_breaks(o, 2);
		o->in_pre = !closing;
		break;
	case TAG_SKIP:
		if (!closing)
			end = skip_element(s, n, end, name);
		break;
	case TAG_NONE:
		break;
	}
	return end;
}

char *html_to_text(const char *html, size_t len)
{
	const unsigned char *s = (const unsigned char *)html;
	struct out o = {0};
	out_reserve(&o, len / 2 + 16);
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c == '<') {
			size_t used = markup(&o, s + i, len - i);
			if (used > 0) {
				i += used;
				continue;
			}
		} else if (c == '&') {
			size_t used = entity_decode(&o, s + i, len - i);
			if (used > 0) {
				i += used;
				continue;
			}
		} else if (is_space(c)) {
			if (o.in_pre && c == '\n')
				out_byte(&o, '\n');
			else if (!(o.in_pre && c == '\r'))
				out_space(&o);
			i++;
			continue;
		} else if (c == 0) {
			out_cp(&o, 0xFFFD); /* a NUL never ends the text early */
			i++;
			continue;
		}
		out_byte(&o, (char)c);
		i++;
	}
	/* drop trailing white space; the pending breaks and spaces were never written */
	while (o.len > 0 && is_space((unsigned char)o.p[o.len - 1]))
		o.len--;
	out_reserve(&o, 1);
	o.p[o.len] = '\0';
	return o.p;
}
