/* stem.c — the one file that speaks to libstemmer.  See stem.h. */
#include "stem.h"

#include <libstemmer.h>
#include <stdlib.h>

struct stemmer {
	struct sb_stemmer *sb;
};

struct stemmer *stemmer_new(enum stem_language language)
{
	struct sb_stemmer *sb = sb_stemmer_new(language == STEM_SPANISH ? "spanish" : "english",
	                                       "UTF_8");
	if (sb == NULL)
		return NULL;
	struct stemmer *s = malloc(sizeof(*s));
	if (s == NULL) {
		sb_stemmer_delete(sb);
		return NULL;
	}
	s->sb = sb;
	return s;
}

void stemmer_free(struct stemmer **stemmer)
{
	if (*stemmer == NULL)
		return;
	sb_stemmer_delete((*stemmer)->sb);
	free(*stemmer);
	*stemmer = NULL;
}

const char *stemmer_stem(struct stemmer *stemmer, const char *word, size_t len, size_t *len_r)
{
	/* Snowball takes an int length; no word is that long, but a run of letters may be. */
	if (len > 256) {
		*len_r = len;
		return word;
	}
	const sb_symbol *stem = sb_stemmer_stem(stemmer->sb, (const sb_symbol *)word, (int)len);
	if (stem == NULL) {
		*len_r = len;
		return word;
	}
	*len_r = (size_t)sb_stemmer_length(stemmer->sb);
	return (const char *)stem;
}
