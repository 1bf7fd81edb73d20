/* ops_saved.h — saved replies: the texts a liaison starts a reply from, per troop, in English
 * and Spanish (templates/saved/, template.h), filled in for one thread.  The liaison edits
 * and sends the result with ops_reply, which checks it like any other text. */
#ifndef LIAISON_OPS_SAVED_H
#define LIAISON_OPS_SAVED_H

#include "ops.h"
#include "template.h"

/* Calls cb for each saved reply the actor may use on thread ref (those of its troop: the
 * troop's own and the shared ones it has not replaced), by name then language.  The actor must
 * be one who may reply on the thread (ops_load_for_change).  Returns 0, OPS_REFUSED,
 * OPS_NOT_FOUND, or OPS_FAILED (the folder could not be read) with *error_r. */
int ops_saved_list(struct store *store, const struct actor *actor, const char *ref,
                   template_saved_cb *cb, void *ctx, char **error_r);

/* Saved reply name of the thread's troop, filled in for thread ref: {{ref}} the thread's
 * reference, {{first_name}} the correspondent's first name (ops_saved_first_name) or, when
 * there is none to use, the neutral word of the language ("neighbor", "vecino/a"),
 * {{liaison_name}} the actor's display_name (else the troop's mailbox display name, else
 * "Troop K CTL").  lang is "en" or "es", or NULL for the language of the correspondent's
 * latest message as it was recorded ("both" renders the English and the Spanish text one after
 * the other, or the one the troop has).  On a confidential thread the rendering (it names the
 * correspondent) is audited as a read.  Returns 0 with *text_r (caller frees), or with
 * *error_r OPS_INVALID (a name that is not a saved reply's name, such as one with '/' or '..';
 * a language other than en or es), OPS_REFUSED, OPS_NOT_FOUND (no such thread, or no such
 * saved reply for the troop in that language) or OPS_FAILED. */
int ops_saved_render(struct store *store, const struct actor *actor, const char *ref,
                     const char *name, const char *lang, char **text_r, char **error_r);

/* The first name in a display name, to greet someone by: "Ana" of "Ana María López", of
 * "López, Ana" and of "\"ANA LOPEZ\"" (a word all in ASCII capitals is written "Ana"; one
 * with other letters, "JOSÉ", stays as written); NULL when there is none to trust — no name,
 * an address, an initial ("J. Smith"), a title first ("Mr Smith", "Sra. López": the rest is a
 * family name), a word without letters or longer than 40 bytes.  Returns a new string or
 * NULL. */
char *ops_saved_first_name(const char *display_name);

/* ---- maintaining them (the coordinator and admins) ------------------------------------- */

/* The size a saved reply's text may have: a reply, not a document (a template file is read up
 * to 64 KiB, title line included). */
#define OPS_SAVED_TEXT_MAX (32 * 1024)
/* A title is one line a liaison picks the reply by. */
#define OPS_SAVED_TITLE_MAX 200

/* OPS_OK when the actor may write saved replies (the coordinator, admins); else OPS_REFUSED
 * with *error_r. */
int ops_may_edit_saved(const struct actor *actor, char **error_r);

/* Calls cb for each saved reply troop uses (its own, and the shared ones it has not replaced:
 * saved->troop tells which), by name then language; troop '\0': the shared folder's.  For
 * those ops_may_edit_saved allows.  OPS_INVALID for a troop without a mailbox. */
int ops_saved_catalog(const struct actor *actor, char troop, template_saved_cb *cb, void *ctx,
                      char **error_r);

/* The title (NULL when the file has none) and text of saved reply name in lang as the folder
 * of troop ('\0': shared) holds it, unrendered.  *title_r and *text_r: caller frees.
 * OPS_NOT_FOUND when that folder has no such file; OPS_INVALID, OPS_REFUSED as below. */
int ops_saved_source(const struct actor *actor, char troop, const char *name, const char *lang,
                     char **title_r, char **text_r, char **error_r);

/* Writes saved reply name in lang (en or es) into the folder of troop ('\0': the shared one,
 * else a troop with a mailbox), as "# title: TITLE" (when title is not empty) and text (line
 * ends made LF, a final newline added).  OPS_INVALID, with nothing written: a name
 * template_saved_name_ok refuses, another language, a title of more than one line or of more
 * than OPS_SAVED_TITLE_MAX bytes, an empty text or one past OPS_SAVED_TEXT_MAX, text that is
 * not UTF-8 or holds a NUL, a text that would read as a title line, or a template that does
 * not render with the variables ops_saved_render gives ({{ref}}, {{first_name}},
 * {{liaison_name}}).  The file is replaced at once (a temporary file renamed over it: a
 * reader sees the old text or the new, never half) and the audit trail records it
 * ("saved-reply-put"); *created_r 1 when there was no such file.  A troop's first file of
 * a name replaces the shared one of that name for the troop in both languages (template.h). */
int ops_saved_put(struct store *store, const struct actor *actor, char troop, const char *name,
                  const char *lang, const char *title, const char *text, int *created_r,
                  char **error_r);

/* Removes saved reply name in lang from the folder of troop ('\0': shared), audited
 * ("saved-reply-delete").  OPS_NOT_FOUND when there is no such file. */
int ops_saved_delete(struct store *store, const struct actor *actor, char troop,
                     const char *name, const char *lang, char **error_r);

#endif
