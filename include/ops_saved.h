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

#endif
