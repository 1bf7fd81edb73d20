/* textfold.c — fold text for matching (GLib's Unicode tables), keeping where each folded byte
 * came from.  See textfold.h.
 *
 * One character at a time, not g_utf8_normalize over the whole text: a character's full
 * compatibility decomposition is its NFKD (reordering marks changes nothing here, since
 * every mark is dropped), and folding each on its own is what keeps the map back to the
 * original exact. */
#include "textfold.h"

#include <glib.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* What a character folds to is at most one decomposition of single characters, each
 * lower-cased: G_UNICHAR_MAX_DECOMPOSITION_LENGTH of at most 6 bytes each. */
#define FOLD_MAX_BYTES (G_UNICHAR_MAX_DECOMPOSITION_LENGTH * 6)

struct fold_out {
	struct buf text;
	size_t *origin;
	size_t cap;
};

static void out_add(struct fold_out *o, const char *bytes, size_t n, size_t from)
{
	if (o->text.len + n + 1 > o->cap) {
		o->cap = 2 * (o->text.len + n + 1);
		o->origin = xrealloc(o->origin, o->cap * sizeof(*o->origin));
	}
	for (size_t i = 0; i < n; i++)
		o->origin[o->text.len + i] = from;
	buf_add(&o->text, bytes, n);
}

/* Dropped: they change how a letter looks (accents) or nothing visible at all. */
static int is_dropped(gunichar c)
{
	GUnicodeType t = g_unichar_type(c);
	return t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK ||
	       t == G_UNICODE_FORMAT;
}

/* Typographic apostrophes, as phones and word processors write "don’t": one "'". */
static int is_apostrophe(gunichar c)
{
	return c == 0x2018 || c == 0x2019 || c == 0x02bc;
}

/* Appends the folded form of c, which came from offset from of the original. */
static void fold_char(struct fold_out *o, gunichar c, size_t from)
{
	if (c == 0)
		c = ' '; /* the folded text is a C string */
	if (is_apostrophe(c))
		c = '\'';
	gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	gsize n = g_unichar_fully_decompose(c, TRUE, parts, G_UNICHAR_MAX_DECOMPOSITION_LENGTH);
	char bytes[FOLD_MAX_BYTES];
	size_t len = 0;
	for (gsize i = 0; i < n; i++)
		if (!is_dropped(parts[i]))
			len += (size_t)g_unichar_to_utf8(g_unichar_tolower(parts[i]), bytes + len);
	out_add(o, bytes, len, from);
}

void textfold_make(const char *text, size_t len, struct textfold *fold_r)
{
	struct fold_out o = {.cap = len + 1};
	buf_init(&o.text, SIZE_MAX);
	o.origin = xcalloc(o.cap, sizeof(*o.origin));
	for (size_t i = 0; i < len;) {
		unsigned char b = (unsigned char)text[i];
		if (b < 0x80) {
			/* ASCII, most of any text: its own decomposition, nothing dropped; only the
			 * capitals and NUL change (what fold_char does, without GLib's tables) */
			char folded = b == 0 ? ' ' : (b >= 'A' && b <= 'Z') ? (char)(b + 32) : (char)b;
			out_add(&o, &folded, 1, i);
			i++;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(text + i, (gssize)(len - i));
		size_t step = 1;
		if (c == (gunichar)-1 || c == (gunichar)-2)
			c = 0xfffd; /* a stray byte stands for one character, as elsewhere */
		else
			step = (size_t)(g_utf8_next_char(text + i) - (text + i));
		fold_char(&o, c, i);
		i += step;
	}
	out_add(&o, "", 0, len); /* room for origin[len] */
	o.origin[o.text.len] = len;
	fold_r->text = buf_steal(&o.text, &fold_r->len);
	fold_r->origin = o.origin;
}

void textfold_origin(const struct textfold *fold, size_t start, size_t end, size_t *start_r,
                     size_t *end_r)
{
	*start_r = fold->origin[start];
	/* The end of the character that gave the span's last byte: the next origin that differs
	 * (several folded bytes may come from one character: "ﬁ" gives "fi"). */
	size_t last = fold->origin[end - 1];
	size_t i = end;
	while (i < fold->len && fold->origin[i] == last)
		i++;
	*end_r = fold->origin[i];
}

void textfold_free(struct textfold *fold)
{
	free(fold->text);
	free(fold->origin);
	memset(fold, 0, sizeof(*fold));
}
