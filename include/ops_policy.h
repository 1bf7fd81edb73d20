/* ops_policy.h — directive H.2.a (docs/policy.md, P7): liaisons never ask about immigration
 * status.  Finds, in the text of a reply a liaison is about to send, the phrases that ask
 * about it in English or Spanish — whether someone is documented, legal or a citizen; for
 * papers, a green card, a visa or a social security number; how someone entered the country;
 * where someone was born — and the words that name status at all, so the composer can show
 * them and the liaison confirm or rewrite before anything is queued (ops_reply).
 *
 * Matching ignores case, accents and compatibility forms ("SITUACIÓN", "situacion"), any run
 * of spaces or line breaks between words, and the typographic apostrophe ("don’t").  Lines
 * quoted from the correspondent's message ("> ...") are the correspondent's words, not the
 * liaison's, and are not searched.  A phrase inside a reassurance ("we never ask about
 * immigration status", "sin importar su situación migratoria", "even if you are
 * undocumented") is not a hit.  A false alarm only asks the liaison to confirm; a miss lets a
 * question go out, so the rules lean to warning: they are written to the phrases in
 * tests/unit/test_policy.c, and a phrase they do not know is not found. */
#ifndef LIAISON_OPS_POLICY_H
#define LIAISON_OPS_POLICY_H

#include <stddef.h>

#include "ops_result.h"

struct policy_hit {
	char *phrase;          /* owned: the words as written in the text */
	size_t offset, length; /* where they are in the text, in bytes */
	const char *rule;      /* static: the rule's name ("asks-papers") */
	const char *why;       /* static: what the rule finds, for the liaison ("asks for papers,
	                          a green card, a visa or other proof of status") */
};

struct policy_hits {
	struct policy_hit *v;  /* owned: in the order of the text, never overlapping */
	size_t n;
};

/* Searches text (UTF-8; NULL is "") for the phrases.  Returns the number of hits (0: none)
 * with *hits_r filled (free with ops_policy_hits_free, also after 0), or OPS_FAILED with
 * *error_r and *hits_r empty when the text could not be searched to its end (a match limit):
 * the caller must not take that for "no phrase". */
int ops_policy_check(const char *text, struct policy_hits *hits_r, char **error_r);

/* The hits in words: "'are you documented' (asks whether someone is documented, legal, a
 * citizen or an immigrant); 'tus papeles' (...)" for the liaison with explain, "'are you
 * documented' (asks-documented); ..." for the record without.  Each phrase is put on one
 * line and cut at 80 bytes on a character boundary.  Returns a new string ("" for no hits). */
char *ops_policy_describe(const struct policy_hits *hits, int explain);

void ops_policy_hits_free(struct policy_hits *hits);

#endif
