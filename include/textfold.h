/* textfold.h — text folded for matching words as a reader sees them: case, accents and
 * compatibility forms ignored ("SITUACIÓN", "situacion", "Situación" written with a
 * combining accent and "ｓｉｔｕａｃｉóｎ" in full-width letters all fold to "situacion"),
 * with the way back from a span of the folded text to the bytes of the original.
 *
 * Used by ops_policy.c, whose patterns are written in folded form (lower case, no accents)
 * and must report the phrase as the liaison wrote it. */
#ifndef LIAISON_TEXTFOLD_H
#define LIAISON_TEXTFOLD_H

#include <stddef.h>

struct textfold {
	char *text;      /* owned: the folded text, UTF-8, NUL-terminated (a NUL in the original
	                    becomes a space) */
	size_t len;
	size_t *origin;  /* owned: len + 1 entries; origin[i] is the offset in the original of the
	                    character that gave byte i, origin[len] the original's length */
};

/* Folds len bytes of text (UTF-8; a byte that is not part of valid UTF-8 becomes U+FFFD):
 * each character is decomposed with its compatibility forms (NFKD: "ﬁ" is "fi", a
 * no-break space a space), its combining marks (accents, tildes, cedillas) and format
 * characters (soft hyphen, zero-width space, bidirectional marks) are dropped, the rest is
 * lower-cased, and the typographic apostrophes (U+2018, U+2019, U+02BC) become "'".
 * Fills *fold_r (free with textfold_free). */
void textfold_make(const char *text, size_t len, struct textfold *fold_r);

/* The span [*start_r, *end_r) of the original that gave the folded span [start, end)
 * (start < end <= fold->len): whole characters of the original. */
void textfold_origin(const struct textfold *fold, size_t start, size_t end, size_t *start_r,
                     size_t *end_r);

void textfold_free(struct textfold *fold);

#endif
