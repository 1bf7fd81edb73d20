/* route_features.c — a message's features for the routing model.  See route_features.h.
 *
 * Kinds, each name starting with its letter and a space:
 *   "w STEM"        a word, by its stem ("w golp" for golpea, golpeó, golpes)
 *   "b STEM STEM"   two neighbouring words, by their stems ("b forc himself")
 *   "c GRAM"        four letters of a word as written, "_" marking its ends ("c _sui")
 * Words are runs of letters and digits; an apostrophe inside a word is dropped ("don't" is
 * "dont").  Messages detected as Spanish are stemmed as Spanish, the rest as English. */
#include "route_features.h"

#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "stem.h"
#include "textfold.h"

/* A word longer than this is noise (a URL's path, base64): its letter groups still count,
 * it is neither stemmed nor paired. */
#define WORD_MAX 40
#define GRAM 4

uint64_t route_feature_hash(const char *name, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211ULL;
	}
	return h != 0 ? h : 1;
}

static void seen_grow(struct route_features *f)
{
	size_t cap = f->seen_cap ? f->seen_cap * 2 : 1024;
	uint64_t *seen = xcalloc(cap, sizeof(*seen));
	for (size_t i = 0; i < f->seen_cap; i++) {
		uint64_t h = f->seen[i];
		if (h == 0)
			continue;
		size_t j = (size_t)h & (cap - 1);
		while (seen[j] != 0)
			j = (j + 1) & (cap - 1);
		seen[j] = h;
	}
	free(f->seen);
	f->seen = seen;
	f->seen_cap = cap;
}

/* Adds the feature kind+" "+a[+" "+b] once (its name too unless f->hashes_only). */
static void add(struct route_features *f, char kind, const char *a, size_t alen, const char *b,
                size_t blen)
{
	char name[2 + 2 * WORD_MAX + 2];
	size_t n = 0;
	name[n++] = kind;
	name[n++] = ' ';
	memcpy(name + n, a, alen);
	n += alen;
	if (b != NULL) {
		name[n++] = ' ';
		memcpy(name + n, b, blen);
		n += blen;
	}
	uint64_t h = route_feature_hash(name, n);
	if (2 * (f->count + 1) > f->seen_cap)
		seen_grow(f);
	size_t j = (size_t)h & (f->seen_cap - 1);
	while (f->seen[j] != 0) {
		if (f->seen[j] == h)
			return;
		j = (j + 1) & (f->seen_cap - 1);
	}
	f->seen[j] = h;
	if (f->count == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->offsets = xrealloc(f->offsets, f->cap * sizeof(*f->offsets));
		f->hashes = xrealloc(f->hashes, f->cap * sizeof(*f->hashes));
	}
	f->offsets[f->count] = f->names.len;
	f->hashes[f->count] = h;
	f->count++;
	if (!f->hashes_only) {
		buf_add(&f->names, name, n);
		buf_add(&f->names, "", 1);
	}
}

static void add_grams(struct route_features *f, const char *word, size_t len)
{
	char padded[WORD_MAX + 2];
	if (len > WORD_MAX)
		len = WORD_MAX;
	padded[0] = '_';
	memcpy(padded + 1, word, len);
	padded[len + 1] = '_';
	size_t n = len + 2;
	if (n < GRAM) {
		add(f, 'c', padded, n, NULL, 0);
		return;
	}
	for (size_t i = 0; i + GRAM <= n; i++) {
		/* whole characters only: no gram starts inside one */
		if (((unsigned char)padded[i] & 0xC0) == 0x80)
			continue;
		add(f, 'c', padded + i, GRAM, NULL, 0);
	}
}

/* The stems of the words of one message: most words recur ("the", "que", "he"), and Snowball
 * is the costliest step of a word.  Direct-mapped by the word's hash; a slot is used only
 * when its word is the same word. */
#define STEM_CACHE 256
struct stem_slot {
	unsigned char word_len, stem_len;
	char word[WORD_MAX], stem[WORD_MAX];
};
struct stem_cache {
	unsigned char used[STEM_CACHE]; /* zeroed per message; the slots need not be */
	struct stem_slot slots[STEM_CACHE];
};

static const char *stem_cached(struct stem_cache *cache, struct stemmer *stemmer,
                               const char *word, size_t len, size_t *stem_len_r)
{
	size_t i = route_feature_hash(word, len) & (STEM_CACHE - 1);
	struct stem_slot *slot = &cache->slots[i];
	if (cache->used[i] && slot->word_len == len && memcmp(slot->word, word, len) == 0) {
		*stem_len_r = slot->stem_len;
		return slot->stem;
	}
	size_t n = len;
	const char *stem = stemmer != NULL ? stemmer_stem(stemmer, word, len, &n) : word;
	if (n > WORD_MAX)
		n = WORD_MAX;
	cache->used[i] = 1;
	slot->word_len = (unsigned char)len;
	memcpy(slot->word, word, len);
	slot->stem_len = (unsigned char)n;
	memcpy(slot->stem, stem, n);
	*stem_len_r = n;
	return slot->stem;
}

static int is_word_byte(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b >= 0x80;
}

static void make(const char *subject, const char *text, const char *language, int hashes_only,
                 struct route_features *f)
{
	memset(f, 0, sizeof(*f));
	buf_init(&f->names, SIZE_MAX);
	f->hashes_only = hashes_only;
	struct buf joined;
	buf_init(&joined, SIZE_MAX);
	if (subject != NULL)
		buf_add(&joined, subject, strnlen(subject, ROUTE_FEATURES_MAX_TEXT));
	buf_add(&joined, "\n", 1);
	if (text != NULL)
		buf_add(&joined, text, strnlen(text, ROUTE_FEATURES_MAX_TEXT));
	struct textfold fold;
	textfold_make(joined.data, joined.len, &fold);
	buf_free(&joined);

	if (language == NULL)
		language = lang_detect(subject, text);
	struct stemmer *stemmer = stemmer_new(strcmp(language, "es") == 0 ? STEM_SPANISH
	                                                                  : STEM_ENGLISH);
	struct stem_cache *cache = xmalloc(sizeof(*cache));
	memset(cache->used, 0, sizeof(cache->used));
	char word[WORD_MAX + 1], prev[WORD_MAX + 1];
	size_t prev_len = 0;
	const char *s = fold.text;
	size_t i = 0;
	while (i < fold.len) {
		if (!is_word_byte((unsigned char)s[i]) && s[i] != '\'') {
			/* a sentence's end breaks the pairs; a space or a comma does not */
			if (s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == '\n')
				prev_len = 0;
			i++;
			continue;
		}
		size_t len = 0, long_len = 0;
		while (i < fold.len && (is_word_byte((unsigned char)s[i]) || s[i] == '\'')) {
			if (s[i] != '\'') {
				if (len < WORD_MAX)
					word[len++] = s[i];
				long_len++;
			}
			i++;
		}
		if (len == 0)
			continue;
		add_grams(f, word, len);
		if (long_len > WORD_MAX) {
			prev_len = 0;
			continue;
		}
		size_t stem_len;
		const char *stem = stem_cached(cache, stemmer, word, len, &stem_len);
		char cur[WORD_MAX + 1];
		memcpy(cur, stem, stem_len);
		add(f, 'w', cur, stem_len, NULL, 0);
		if (prev_len > 0)
			add(f, 'b', prev, prev_len, cur, stem_len);
		memcpy(prev, cur, stem_len);
		prev_len = stem_len;
	}
	free(cache);
	stemmer_free(&stemmer);
	textfold_free(&fold);
}

void route_features_make(const char *subject, const char *text, struct route_features *f)
{
	make(subject, text, NULL, 0, f);
}

void route_features_hashes(const char *subject, const char *text, const char *language,
                           struct route_features *f)
{
	make(subject, text, language, 1, f);
}

void route_features_free(struct route_features *f)
{
	buf_free(&f->names);
	free(f->offsets);
	free(f->hashes);
	free(f->seen);
	memset(f, 0, sizeof(*f));
}
