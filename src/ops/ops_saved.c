/* ops_saved.c — saved replies filled in for a thread: which the actor may use, and the text
 * with the thread's reference, the correspondent's first name and the liaison's name.  The
 * files and their layout are template.c's; the rights, the names and the values are here. */
#include "ops_saved.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Longer than any first name, shorter than a sentence pasted into a name field. */
#define FIRST_NAME_MAX 40

/* What a greeting says when the name is unknown: a neutral word, not a guess. */
static const char *neutral_word(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "vecino/a" : "neighbor";
}

/* A courtesy title: what follows it is a family name, too formal to greet with. */
static int is_title(const char *word)
{
	static const char *const titles[] = {
		"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "madam", "officer",
		"sr", "sra", "srta", "don", "dona", "do\xc3\xb1" "a", "lic", "ing",
	};
	for (size_t i = 0; i < sizeof(titles) / sizeof(*titles); i++)
		if (strcasecmp(word, titles[i]) == 0)
			return 1;
	return 0;
}

/* "ANA" as "Ana"; a word with any lower-case or non-ASCII letter stays as written. */
static void ascii_capitalize(char *word)
{
	for (const char *p = word; *p; p++)
		if (islower((unsigned char)*p) || (unsigned char)*p >= 0x80)
			return;
	for (char *p = word + 1; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* The first word of a name: after the comma of "Family, Given", quotes and spaces trimmed,
 * trailing punctuation dropped.  Returns a new string, possibly empty. */
static char *first_word(const char *name)
{
	const char *comma = strchr(name, ',');
	const char *p = comma ? comma + 1 : name;
	p += strspn(p, " \t\"'");
	size_t n = strcspn(p, " \t\"',");
	while (n > 0 && strchr(".;:!?", p[n - 1]) != NULL)
		n--;
	return xstrndup(p, n);
}

static int has_letter(const char *word)
{
	for (const char *p = word; *p; p++)
		if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
			return 1;
	return 0;
}

char *ops_saved_first_name(const char *display_name)
{
	if (display_name == NULL || strchr(display_name, '@') != NULL)
		return NULL;
	char *word = first_word(display_name);
	size_t n = strlen(word);
	/* "J" or "J." alone is an initial; "Mr Smith" leaves only a family name */
	if (n < 2 || n > FIRST_NAME_MAX || !has_letter(word) || is_title(word) ||
	    (n == 2 && word[1] == '.')) {
		free(word);
		return NULL;
	}
	ascii_capitalize(word);
	return word;
}

/* ---- the thread's values --------------------------------------------------------------- */

/* The language of the correspondent's latest message, as ingest recorded it. */
static int keep_language(const struct message_row *r, void *p)
{
	const char **lang = p;
	if (r->direction != NULL && strcmp(r->direction, "in") == 0 && r->language != NULL)
		*lang = strcmp(r->language, "es") == 0 ? "es"
		      : strcmp(r->language, "en") == 0 ? "en" : "both";
	return 0;
}

static int thread_language(struct store *store, const struct ops_thread *t, const char **lang_r,
                           char **error_r)
{
	*lang_r = "both"; /* nothing recorded: both, as the auto-reply does when unsure */
	struct message_filter f = {.thread_ref = t->ref};
	if (store_messages_list(store, &f, keep_language, lang_r) < 0) {
		*error_r = xasprintf("%s: %s", t->ref, store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

/* The liaison's name as signed: the user's display name, else the troop's. */
static char *liaison_name(const struct actor *a, char troop)
{
	if (a->user->display_name != NULL)
		return xstrdup(a->user->display_name);
	const struct mailbox_config *m = config_find_troop(a->config, troop);
	return m && m->display_name ? xstrdup(m->display_name) : xasprintf("Troop %c CTL", troop);
}

/* Saved reply name in lang (en or es) filled in; 1, 0 (none in lang) or -1 as
 * template_saved_render. */
static int render_in(const struct actor *a, const struct ops_thread *t, const char *name,
                     const char *lang, char **text_r, char **error_r)
{
	char *first = ops_saved_first_name(t->correspondent_name);
	char *signer = liaison_name(a, t->troop);
	const struct template_var vars[] = {
		{"ref", t->ref},
		{"first_name", first ? first : neutral_word(lang)},
		{"liaison_name", signer},
	};
	int found = template_saved_render(a->config->templates, t->troop, name, lang, vars,
	                                  sizeof(vars) / sizeof(*vars), text_r, error_r);
	free(first);
	free(signer);
	return found;
}

/* lang "both": the English and the Spanish text, or the one there is. */
static int render_both(const struct actor *a, const struct ops_thread *t, const char *name,
                       char **text_r, char **error_r)
{
	char *en = NULL, *es = NULL;
	int found_en = render_in(a, t, name, "en", &en, error_r);
	int found_es = found_en < 0 ? -1 : render_in(a, t, name, "es", &es, error_r);
	if (found_en > 0 && found_es > 0)
		*text_r = xasprintf("%s%s%s", en, TEMPLATE_BOTH_SEPARATOR, es);
	else if (found_en > 0 || found_es > 0)
		*text_r = xstrdup(found_en > 0 ? en : es);
	free(en);
	free(es);
	return found_en < 0 || found_es < 0 ? -1 : found_en > 0 || found_es > 0;
}

/* ---- the operations -------------------------------------------------------------------- */

int ops_saved_list(struct store *store, const struct actor *actor, const char *ref,
                   template_saved_cb *cb, void *ctx, char **error_r)
{
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	if (template_saved_list(actor->config->templates, t.troop, cb, ctx, error_r) < 0)
		rc = OPS_FAILED;
	ops_thread_free(&t);
	return rc;
}

/* OPS_OK when name and lang may name a saved reply; else OPS_INVALID with *error_r. */
static int check_request(const char *ref, const char *name, const char *lang, char **error_r)
{
	if (!template_saved_name_ok(name)) {
		*error_r = xasprintf("'%s' is not the name of a saved reply (letters, digits, '-' and "
		                     "'_'; liaison saved-replies %s lists them)", name, ref);
		return OPS_INVALID;
	}
	if (lang != NULL && strcmp(lang, "en") != 0 && strcmp(lang, "es") != 0) {
		*error_r = xasprintf("'%s' is not a language of saved replies: en, es", lang);
		return OPS_INVALID;
	}
	return OPS_OK;
}

int ops_saved_render(struct store *store, const struct actor *actor, const char *ref,
                     const char *name, const char *lang, char **text_r, char **error_r)
{
	int rc = check_request(ref, name, lang, error_r);
	if (rc != OPS_OK)
		return rc;
	struct ops_thread t;
	if ((rc = ops_load_for_change(store, actor, ref, &t, error_r)) != OPS_OK)
		return rc;
	if (lang == NULL)
		rc = thread_language(store, &t, &lang, error_r);
	/* the text names the correspondent: a read of the thread */
	if (rc == OPS_OK && t.confidential)
		rc = ops_note_read(store, actor, t.ref, error_r);
	if (rc == OPS_OK) {
		int found = strcmp(lang, "both") == 0 ? render_both(actor, &t, name, text_r, error_r)
		                                      : render_in(actor, &t, name, lang, text_r, error_r);
		if (found == 0)
			*error_r = xasprintf("troop %c has no saved reply '%s'%s%s (liaison saved-replies "
			                     "%s lists them)", t.troop, name,
			                     strcmp(lang, "both") == 0 ? "" : " in ",
			                     strcmp(lang, "both") == 0 ? "" : lang, t.ref);
		rc = found > 0 ? OPS_OK : found == 0 ? OPS_NOT_FOUND : OPS_FAILED;
	}
	ops_thread_free(&t);
	return rc;
}
