/* route_features.h — what the routing model reads of a message: its words by family (the
 * Snowball stem in the message's language), pairs of neighbouring words, and the letter
 * groups of each word (so "sucidio" and "suicidio", "boyfreind" and "boyfriend" share most
 * of theirs).  Case and accents are folded first (textfold.h).
 *
 * The same message always gives the same features, in the same order: training
 * (route_train.c) and scoring (route_model.c) must see one text alike. */
#ifndef LIAISON_ROUTE_FEATURES_H
#define LIAISON_ROUTE_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Only the start of a long message is read: what a person asks is there, and the time
 * routing takes is bounded whatever arrives. */
#define ROUTE_FEATURES_MAX_TEXT (16u * 1024)

/* A message's distinct features: names[i] (NUL-terminated, in names.data at offsets[i]) and
 * hashes[i], its route_feature_hash. */
struct route_features {
	struct buf names;
	size_t *offsets;
	uint64_t *hashes;
	size_t count;
	size_t cap;
	/* open-addressing set of hashes seen, to keep each feature once */
	uint64_t *seen;
	size_t seen_cap;
	int hashes_only;  /* route_features_hashes: no names kept */
};

/* Fills f (route_features_free frees it) from a message's subject and text (UTF-8, either
 * may be NULL). */
void route_features_make(const char *subject, const char *text, struct route_features *f);
/* The same features for scoring alone: their hashes, no names (route_feature_name may not be
 * called).  language is lang_detect's answer for the same subject and text when the caller
 * has it already (the same features either way), or NULL. */
void route_features_hashes(const char *subject, const char *text, const char *language,
                           struct route_features *f);
void route_features_free(struct route_features *f);

static inline const char *route_feature_name(const struct route_features *f, size_t i)
{
	return f->names.data + f->offsets[i];
}

/* The 64-bit hash under which a model stores a feature name (FNV-1a; never 0). */
uint64_t route_feature_hash(const char *name, size_t len);

#endif
