/* stem.h — word families: the Snowball stemmers (libstemmer) for English and Spanish, so
 * "evicted", "eviction" and "evicting" are one word to search and to routing, and
 * "golpea", "golpeó" and "golpes" another.
 *
 * A stemmer is not thread-safe: each thread (each database connection, each routing call)
 * makes its own; making one costs a few small allocations. */
#ifndef LIAISON_STEM_H
#define LIAISON_STEM_H

#include <stddef.h>

enum stem_language { STEM_ENGLISH, STEM_SPANISH };

struct stemmer;

/* NULL only when out of memory. */
struct stemmer *stemmer_new(enum stem_language language);
void stemmer_free(struct stemmer **stemmer);

/* The stem of word (len bytes of lower-case UTF-8 without accents, as textfold.h and
 * SQLite's unicode61 make them).  The result is the stemmer's, valid until its next call;
 * its length is in *len_r.  A word the stemmer cannot take (out of memory) is its own stem. */
const char *stemmer_stem(struct stemmer *stemmer, const char *word, size_t len, size_t *len_r);

#endif
