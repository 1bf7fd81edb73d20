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

/* Between the English and the Spanish text of a "both" rendering. */
#define TEMPLATE_BOTH_SEPARATOR "\n-- -- -- -- -- -- -- -- -- -- -- -- --\n\n"

/* Saved replies: texts a liaison starts a reply from, in the templates folder under saved/:
 * saved/NAME.LANG.txt for every troop, saved/T/NAME.LANG.txt for troop T only (T its upper-
 * case letter).  A troop's folder that holds NAME in any language replaces the shared NAME
 * for that troop, so its English and Spanish texts never come from two different versions.
 * LANG is en or es.  A first line "# title: TEXT" is the reply's title, not its text. */
struct template_saved {
	const char *name, *lang;
	const char *title;   /* the title line's TEXT (one line, cleaned like a value), or NULL */
	char troop;          /* the troop whose own folder holds it; '\0' for the shared folder */
};
typedef int template_saved_cb(const struct template_saved *saved, void *ctx);

/* 1 when name may name a saved reply: 1 to 64 ASCII letters, digits, '-' and '_', the first
 * a letter or digit; no '/' and no '.', so it never leads out of the folder. */
int template_saved_name_ok(const char *name);

/* Calls cb for each saved reply troop may use, by name then language; files whose name is
 * not NAME.en.txt or NAME.es.txt with a good NAME are not saved replies.  A non-zero return
 * from cb stops.  Returns 0 (no saved/ folder: none), or -1 with *error_r. */
int template_saved_list(const char *dir, char troop, template_saved_cb *cb, void *ctx,
                        char **error_r);

/* Renders saved reply name in lang (en or es) as troop has it, without its title line;
 * values are inserted as template_render does.  Returns 1 with *text_r (caller frees), 0 when
 * troop has no such saved reply in that language (or name is not a good name), or -1 with
 * *error_r naming the file (unreadable, unknown or unterminated variable). */
int template_saved_render(const char *dir, char troop, const char *name, const char *lang,
                          const struct template_var *vars, size_t n_vars, char **text_r,
                          char **error_r);

/* Renders every saved reply of every troop's folder and the shared one with the variables
 * ops_saved.c gives (ref, first_name, liaison_name), adding one line to problems for each
 * that fails.  Returns the number of problems; *checked_r the number of files rendered. */
int template_saved_check(const char *dir, struct strlist *problems, size_t *checked_r);

#endif
