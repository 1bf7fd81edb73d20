/* template.h — the texts liaison sends, from files in the templates folder:
 * NAME.LANG.txt (e.g. autoreply.es.txt) with {{variables}}. */
#ifndef LIAISON_TEMPLATE_H
#define LIAISON_TEMPLATE_H

#include <stddef.h>

#include "util.h"

struct template_var {
	const char *name;
	const char *value; /* UTF-8; cleaned on insertion (see template_render) */
};

/* Renders dir/NAME.LANG.txt; lang "both" renders the English and the Spanish text one after
 * the other.  Each value is inserted on one line: control characters (C0 and C1: CR, LF,
 * tab, NEL...), DEL and the Unicode line and paragraph separators (U+2028, U+2029) become
 * spaces, runs of spaces one; bidirectional embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069), the LRM, RLM and ALM marks and U+FEFF are removed; each
 * byte that is not valid UTF-8 becomes U+FFFD; and it is cut at 200 bytes on a character
 * boundary, so a hostile subject can neither forge lines of the text nor reverse it.  Values
 * are never themselves expanded.
 * Returns 0 with *text_r (caller frees), or -1 with *error_r naming the file (missing file,
 * unknown or unterminated variable). */
int template_render(const char *dir, const char *name, const char *lang,
                    const struct template_var *vars, size_t n_vars, char **text_r,
                    char **error_r);

/* Renders every text liaison sends (the auto-replies and their urgent variants in English
 * and Spanish, the coordinator's notice, the referral texts) with the variables its sender
 * gives, adding one line to problems for each that fails (missing file, unknown or
 * unterminated variable).  Returns the number of problems. */
int template_check(const char *dir, struct strlist *problems);

/* The value as template_render would insert it.  Returns a new string. */
char *template_clean_value(const char *value);

#endif
