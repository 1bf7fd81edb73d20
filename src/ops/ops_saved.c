/* ops_saved.c — saved replies filled in for a thread: which the actor may use, and the text
 * with the thread's reference, the correspondent's first name and the liaison's name.  The
 * files and their layout are template.c's; the rights, the names and the values are here. */
#include "ops_saved.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "charset.h"
#include "log.h"
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

/* ---- maintaining them ------------------------------------------------------------------ */

/* The first line of a file that names the reply (template.c reads it so). */
#define TITLE_LINE "# title:"

/* What ops_saved_render gives every saved reply (render_in): a template is checked with these
 * before it is written, so a liaison never meets one that does not render. */
static const struct template_var check_vars[] = {
	{"ref", "K-2026-00001"}, {"first_name", "Ana"}, {"liaison_name", "Tpr. Reyes"},
};

int ops_may_edit_saved(const struct actor *actor, char **error_r)
{
	if (actor->user->role == ROLE_COORDINATOR || actor->user->role == ROLE_ADMIN)
		return OPS_OK;
	*error_r = xstrdup("refused: saved replies are maintained by the coordinator and admins");
	return OPS_REFUSED;
}

/* The rights, the troop, and (when name is not NULL) the name and language. */
static int check_target(const struct actor *actor, char troop, const char *name,
                        const char *lang, char **error_r)
{
	int rc = ops_may_edit_saved(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	if (troop != '\0' && config_find_troop(actor->config, troop) == NULL) {
		*error_r = xasprintf("troop %c has no mailbox in the configuration", troop);
		return OPS_INVALID;
	}
	if (name == NULL)
		return OPS_OK;
	if (lang == NULL) {
		*error_r = xstrdup("a saved reply's language is en or es");
		return OPS_INVALID;
	}
	return check_request(troop ? (char[]){troop, '\0'} : "shared", name, lang, error_r);
}

/* templates/saved, or its troop folder; a new string. */
static char *folder_of(const struct actor *actor, char troop)
{
	return troop ? xasprintf("%s/saved/%c", actor->config->templates, troop)
	             : xasprintf("%s/saved", actor->config->templates);
}

/* "K/name.es" or "shared/name.es": what the audit trail names. */
static char *object_of(char troop, const char *name, const char *lang)
{
	return troop ? xasprintf("saved %c/%s.%s", troop, name, lang)
	             : xasprintf("saved shared/%s.%s", name, lang);
}

int ops_saved_catalog(const struct actor *actor, char troop, template_saved_cb *cb, void *ctx,
                      char **error_r)
{
	int rc = check_target(actor, troop, NULL, NULL, error_r);
	if (rc != OPS_OK)
		return rc;
	return template_saved_list(actor->config->templates, troop, cb, ctx, error_r) < 0
	           ? OPS_FAILED : OPS_OK;
}

int ops_saved_source(const struct actor *actor, char troop, const char *name, const char *lang,
                     char **title_r, char **text_r, char **error_r)
{
	*title_r = *text_r = NULL;
	int rc = check_target(actor, troop, name, lang, error_r);
	if (rc != OPS_OK)
		return rc;
	char *folder = folder_of(actor, troop);
	char *path = xasprintf("%s/%s.%s.txt", folder, name, lang);
	free(folder);
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		char *object = object_of(troop, name, lang);
		*error_r = xasprintf("no %s", object);
		free(object);
		free(path);
		return OPS_NOT_FOUND;
	}
	char *data = NULL;
	size_t len = 0;
	rc = file_read_all(path, 2 * OPS_SAVED_TEXT_MAX, &data, &len, error_r) < 0 ? OPS_FAILED
	                                                                          : OPS_OK;
	free(path);
	if (rc != OPS_OK)
		return rc;
	const char *text = data;
	if (strncmp(data, TITLE_LINE, strlen(TITLE_LINE)) == 0) {
		size_t n = strcspn(data, "\n");
		const char *t = data + strlen(TITLE_LINE);
		t += strspn(t, " \t");
		*title_r = xstrndup(t, (size_t)(data + n - t));
		text = data + n + (data[n] == '\n');
	}
	*text_r = xstrdup(text);
	free(data);
	return OPS_OK;
}

/* The file's contents from the form's title and text, or NULL with *error_r (OPS_INVALID). */
static char *saved_contents(const char *title, const char *text, char **error_r)
{
	size_t title_len = title ? strlen(title) : 0;
	if (title_len > OPS_SAVED_TITLE_MAX || (title && strpbrk(title, "\r\n") != NULL)) {
		*error_r = xasprintf("a title is one line of at most %d bytes", OPS_SAVED_TITLE_MAX);
		return NULL;
	}
	size_t len = text ? strlen(text) : 0;
	if (len == 0 || text[strspn(text, " \t\r\n")] == '\0' || len > OPS_SAVED_TEXT_MAX) {
		*error_r = xasprintf("a saved reply needs a text of at most %d KiB",
		                     OPS_SAVED_TEXT_MAX / 1024);
		return NULL;
	}
	int high = 0, nul = 0;
	if (!charset_check_utf8((const unsigned char *)text, len, &high, &nul) || nul ||
	    (title && !charset_check_utf8((const unsigned char *)title, title_len, &high, &nul))) {
		*error_r = xstrdup("a saved reply is UTF-8 text without NUL bytes");
		return NULL;
	}
	if (strncmp(text, TITLE_LINE, strlen(TITLE_LINE)) == 0) {
		*error_r = xstrdup("the text may not start with '" TITLE_LINE "': put the title in the "
		                   "title field");
		return NULL;
	}
	/* a browser's form sends CRLF: the files are written with LF, as the others are */
	char *body = xstrndup(text, len);
	charset_normalize_newlines(body, &len);
	int trailing = len > 0 && body[len - 1] == '\n';
	char *contents = title_len
	    ? xasprintf(TITLE_LINE " %s\n%s%s", title, body, trailing ? "" : "\n")
	    : xasprintf("%s%s", body, trailing ? "" : "\n");
	free(body);
	return contents;
}

/* Writes contents to a new temporary file in folder (made when missing) that
 * template_render can read as NAME.LANG.txt: "folder/.new-XXXXXX.LANG.txt", a name no saved
 * reply may have (template.h), so a crash leaves nothing a liaison is offered.  Returns the
 * path (caller frees), or NULL with *error_r. */
static char *write_temporary(const char *folder, const char *lang, const char *contents,
                             char **error_r)
{
	char *parent = xstrdup(folder);
	char *slash = strrchr(parent, '/');
	if (slash != NULL)
		*slash = '\0';
	if ((mkdir(parent, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(folder, 0755) < 0 && errno != EEXIST)) {
		*error_r = xasprintf("%s: %s", folder, strerror(errno));
		free(parent);
		return NULL;
	}
	free(parent);
	char *path = xasprintf("%s/.new-XXXXXX.%s.txt", folder, lang);
	int fd = mkstemps(path, 7);
	if (fd < 0) {
		*error_r = xasprintf("%s: %s", folder, strerror(errno));
		free(path);
		return NULL;
	}
	size_t len = strlen(contents);
	int ok = fchmod(fd, 0644) == 0 && write(fd, contents, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) < 0)
		ok = 0;
	if (!ok) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/* The temporary file rendered as ops_saved_render would render it. */
static int check_renders(const char *folder, const char *temporary, const char *lang,
                         char **error_r)
{
	const char *base = temporary + strlen(folder) + 1;
	size_t n = strlen(base) - strlen(".xx.txt");
	char *name = xstrndup(base, n);
	char *text = NULL, *error = NULL;
	int rc = template_render(folder, name, lang, check_vars,
	                         sizeof(check_vars) / sizeof(*check_vars), &text, &error);
	free(name);
	free(text);
	if (rc == 0)
		return OPS_OK;
	/* the message names the temporary file: say what is wrong in the text instead */
	const char *why = error ? strstr(error, ": ") : NULL;
	*error_r = xasprintf("the text does not render%s (the variables are {{ref}}, "
	                     "{{first_name}} and {{liaison_name}})", why ? why : "");
	free(error);
	return OPS_INVALID;
}

/* Where the file a change replaces waits until the change's audit entry is committed: put
 * back if it is not (a name no saved reply may have, like write_temporary's).  New string. */
static char *kept_name(const char *folder, const char *name, const char *lang)
{
	return xasprintf("%s/.old-%s.%s.txt", folder, name, lang);
}

int ops_saved_put(struct store *store, const struct actor *actor, char troop, const char *name,
                  const char *lang, const char *title, const char *text, int *created_r,
                  char **error_r)
{
	*created_r = 0;
	int rc = check_target(actor, troop, name, lang, error_r);
	if (rc != OPS_OK)
		return rc;
	char *contents = saved_contents(title && title[0] ? title : NULL, text, error_r);
	if (contents == NULL)
		return OPS_INVALID;
	char *folder = folder_of(actor, troop);
	char *temporary = write_temporary(folder, lang, contents, error_r);
	char *path = xasprintf("%s/%s.%s.txt", folder, name, lang);
	char *object = object_of(troop, name, lang);
	rc = temporary ? check_renders(folder, temporary, lang, error_r) : OPS_FAILED;
	if (rc == OPS_OK)
		rc = ops_begin(store, object, error_r);
	if (rc == OPS_OK) {
		struct stat st;
		*created_r = stat(path, &st) < 0;
		char *details = xasprintf("%s, %zu bytes", *created_r ? "created" : "replaced",
		                          strlen(contents));
		/* renamed inside the transaction, the old text kept aside until the audit entry is
		 * committed: no change without its entry */
		char *kept = kept_name(folder, name, lang);
		unlink(kept);
		if (!*created_r && link(path, kept) < 0) {
			*error_r = xasprintf("%s: %s", kept, strerror(errno));
			store_rollback(store);
			rc = OPS_FAILED;
		} else if (rename(temporary, path) < 0) {
			*error_r = xasprintf("%s: %s", path, strerror(errno));
			store_rollback(store);
			rc = OPS_FAILED;
		} else {
			rc = ops_commit_audited(store, actor, "saved-reply-put", object, details, 0,
			                        error_r);
			if (rc != OPS_OK && (*created_r ? unlink(path) : rename(kept, path)) < 0)
				log_error("%s: could not be put back after a failed audit entry: %s", path,
				          strerror(errno));
		}
		unlink(kept);
		free(kept);
		free(details);
	}
	if (temporary && rc != OPS_OK)
		unlink(temporary);
	free(temporary);
	free(path);
	free(object);
	free(folder);
	free(contents);
	return rc;
}

int ops_saved_delete(struct store *store, const struct actor *actor, char troop,
                     const char *name, const char *lang, char **error_r)
{
	int rc = check_target(actor, troop, name, lang, error_r);
	if (rc != OPS_OK)
		return rc;
	char *folder = folder_of(actor, troop);
	char *path = xasprintf("%s/%s.%s.txt", folder, name, lang);
	char *object = object_of(troop, name, lang);
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		*error_r = xasprintf("no %s", object);
		rc = OPS_NOT_FOUND;
	} else if ((rc = ops_begin(store, object, error_r)) == OPS_OK) {
		/* moved aside, and deleted once the audit entry is committed (put back if not) */
		char *kept = kept_name(folder, name, lang);
		if (rename(path, kept) < 0) {
			*error_r = xasprintf("%s: %s", path, strerror(errno));
			store_rollback(store);
			rc = OPS_FAILED;
		} else {
			rc = ops_commit_audited(store, actor, "saved-reply-delete", object, "deleted", 0,
			                        error_r);
			if (rc != OPS_OK && rename(kept, path) < 0)
				log_error("%s: could not be put back after a failed audit entry: %s", path,
				          strerror(errno));
			unlink(kept);
		}
		free(kept);
	}
	free(folder);
	free(path);
	free(object);
	return rc;
}
