/* template.c — render NAME.LANG.txt with {{variables}}, values flattened to one line. */
#include "template.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "charset.h"
#include "util.h"

#define VALUE_MAX 200
#define TEMPLATE_MAX (64u << 10)
/* A saved reply's first line when it names the reply. */
#define TITLE_PREFIX "# title:"
/* A saved reply's name: enough for "referral-follow-up-housing"; a file name anywhere. */
#define SAVED_NAME_MAX 64

/* Characters that end or break a line (C0 and C1 controls, NEL U+0085 among them, DEL, the
 * Unicode line and paragraph separators) or separate words: a value keeps its words on one
 * line, so each run of them becomes one space. */
static int is_break(uint32_t c)
{
	return c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

/* Invisible marks that change how the text around them is shown: the bidirectional
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the LRM, RLM and ALM
 * marks reverse what follows in the reader's client (a forged "call 1-1-9"), and a BOM
 * (U+FEFF) hides a break between words.  Dropped, not spaced: they stand for no character. */
static int is_invisible_format(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
	       c == 0x200f || c == 0x061c || c == 0xfeff;
}

/* The code point of the valid UTF-8 sequence at s and its length in *len_r. */
static uint32_t utf8_next(const unsigned char *s, size_t *len_r)
{
	if (s[0] < 0x80) {
		*len_r = 1;
		return s[0];
	}
	size_t n = charset_utf8_len(s[0]);
	uint32_t c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3f);
	*len_r = n;
	return c;
}

char *template_clean_value(const char *value)
{
	/* Invalid bytes become U+FFFD, as mime.c reads mail: the reader sees that something
	 * was there, and no byte can join its neighbours into a character nobody wrote. */
	char *valid = charset_clean_utf8(value ? value : "");
	struct buf b;
	buf_init(&b, SIZE_MAX);
	int space = 0;
	size_t len;
	for (const unsigned char *s = (const unsigned char *)valid; *s; s += len) {
		uint32_t c = utf8_next(s, &len);
		if (is_break(c)) {
			space = b.len > 0;
			continue;
		}
		if (is_invisible_format(c))
			continue;
		/* Stop before a character that would pass the limit: never cut inside one. */
		if (b.len + space + len > VALUE_MAX)
			break;
		if (space)
			buf_add(&b, " ", 1);
		space = 0;
		buf_add(&b, s, len);
	}
	free(valid);
	return buf_steal(&b, NULL);
}

/* Renders the file at path into out; a saved reply's title line is left out. */
static int render_file(const char *path, const struct template_var *vars, size_t n_vars,
                       int saved, struct buf *out, char **error_r)
{
	char *text = NULL;
	size_t len = 0;
	if (file_read_all(path, TEMPLATE_MAX, &text, &len, error_r) < 0)
		return -1;
	int rc = 0;
	const char *p = text;
	if (saved && strncmp(p, TITLE_PREFIX, strlen(TITLE_PREFIX)) == 0)
		p += strcspn(p, "\n") + (strchr(p, '\n') != NULL);
	for (;;) {
		const char *open = strstr(p, "{{");
		if (open == NULL) {
			buf_addstr(out, p);
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		const char *close = strstr(open + 2, "}}");
		if (close == NULL) {
			*error_r = xasprintf("%s: '{{' without '}}'", path);
			rc = -1;
			break;
		}
		size_t n = (size_t)(close - open - 2);
		size_t i;
		for (i = 0; i < n_vars; i++)
			if (strlen(vars[i].name) == n && strncmp(vars[i].name, open + 2, n) == 0)
				break;
		if (i == n_vars) {
			*error_r = xasprintf("%s: unknown variable {{%.*s}}", path, (int)n, open + 2);
			rc = -1;
			break;
		}
		char *clean = template_clean_value(vars[i].value);
		buf_addstr(out, clean);
		free(clean);
		p = close + 2;
	}
	free(text);
	return rc;
}

static int render_one(const char *dir, const char *name, const char *lang,
                      const struct template_var *vars, size_t n_vars, struct buf *out,
                      char **error_r)
{
	char *path = xasprintf("%s/%s.%s.txt", dir, name, lang);
	int rc = render_file(path, vars, n_vars, 0, out, error_r);
	free(path);
	return rc;
}

int template_render(const char *dir, const char *name, const char *lang,
                    const struct template_var *vars, size_t n_vars, char **text_r,
                    char **error_r)
{
	struct buf out;
	buf_init(&out, SIZE_MAX);
	int both = strcmp(lang, "both") == 0;
	if (render_one(dir, name, both ? "en" : lang, vars, n_vars, &out, error_r) < 0 ||
	    (both && (buf_addstr(&out, TEMPLATE_BOTH_SEPARATOR) < 0 ||
	              render_one(dir, name, "es", vars, n_vars, &out, error_r) < 0))) {
		buf_free(&out);
		return -1;
	}
	*text_r = buf_steal(&out, NULL);
	return 0;
}

/* Every text liaison sends, with the variables it is given (autoreply.c, ops_reply.c): a
 * variable a template names and its sender does not give is an error found here, before
 * anything is sent. */
static const struct template_var autoreply_vars[] = {
	{"troop", "K"}, {"ref", "K-2026-00001"}, {"subject", "test"}, {"category", "test"},
	{"mailbox", "K"},
};
static const struct template_var referral_vars[] = {
	{"troop", "K"}, {"ref", "K-2026-00001"}, {"service_name", "test"},
	{"service_phone", "test"}, {"service_url", "test"}, {"service_description", "test"},
};
static const struct {
	const char *name, *lang;
	const struct template_var *vars;
	size_t n_vars;
} sent_texts[] = {
	{"autoreply", "en", autoreply_vars, 5},
	{"autoreply", "es", autoreply_vars, 5},
	{"autoreply-urgent", "en", autoreply_vars, 5},
	{"autoreply-urgent", "es", autoreply_vars, 5},
	{"urgent-notice", "en", autoreply_vars, 5},
	{"referral", "en", referral_vars, 6},
	{"referral", "es", referral_vars, 6},
};

int template_check(const char *dir, struct strlist *problems)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof(sent_texts) / sizeof(*sent_texts); i++) {
		char *text = NULL, *error = NULL;
		if (template_render(dir, sent_texts[i].name, sent_texts[i].lang, sent_texts[i].vars,
		                    sent_texts[i].n_vars, &text, &error) < 0) {
			strlist_add(problems, error);
			free(error);
			bad++;
		}
		free(text);
	}
	return bad;
}

/* ---- saved replies --------------------------------------------------------------------- */

int template_saved_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > SAVED_NAME_MAX || name[0] == '-' || name[0] == '_')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

static int known_lang(const char *lang)
{
	return strcmp(lang, "en") == 0 || strcmp(lang, "es") == 0;
}

/* "NAME.LANG.txt" with a good NAME and a known LANG: 1 with NAME in name_r and LANG (static)
 * in *lang_r. */
static int saved_file_name(const char *file, char name_r[SAVED_NAME_MAX + 1],
                           const char **lang_r)
{
	size_t n = strlen(file);
	if (n < 8 || n - 7 > SAVED_NAME_MAX || strcmp(file + n - 4, ".txt") != 0 ||
	    file[n - 7] != '.')
		return 0;
	const char *lang = strncmp(file + n - 6, "en", 2) == 0 ? "en"
	                 : strncmp(file + n - 6, "es", 2) == 0 ? "es" : NULL;
	memcpy(name_r, file, n - 7);
	name_r[n - 7] = '\0';
	*lang_r = lang;
	return lang != NULL && template_saved_name_ok(name_r);
}

/* The title of the saved reply at path, or NULL (none, or unreadable: rendering says why). */
static char *saved_title(const char *path)
{
	char *text = NULL, *error = NULL;
	size_t len = 0;
	if (file_read_all(path, TEMPLATE_MAX, &text, &len, &error) < 0) {
		free(error);
		return NULL;
	}
	char *title = NULL;
	if (strncmp(text, TITLE_PREFIX, strlen(TITLE_PREFIX)) == 0) {
		text[strcspn(text, "\n")] = '\0';
		title = template_clean_value(text + strlen(TITLE_PREFIX));
	}
	free(text);
	return title;
}

struct saved_entry {
	char name[SAVED_NAME_MAX + 1];
	const char *lang;
	char *title;
	char troop;
};

struct saved_set {
	struct saved_entry *v;
	size_t n;
};

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The folder of troop's saved replies ('\0': the shared one).  Returns a new string. */
static char *saved_folder(const char *dir, char troop)
{
	return troop ? xasprintf("%s/saved/%c", dir, troop) : xasprintf("%s/saved", dir);
}

/* Adds the saved replies of troop's folder ('\0': the shared one) to set; a folder that does
 * not exist holds none. */
static int saved_read(const char *dir, char troop, struct saved_set *set, char **error_r)
{
	char *folder = saved_folder(dir, troop);
	DIR *d = opendir(folder);
	if (d == NULL) {
		int missing = errno == ENOENT || errno == ENOTDIR;
		if (!missing)
			*error_r = xasprintf("%s: %s", folder, strerror(errno));
		free(folder);
		return missing ? 0 : -1;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		struct saved_entry entry = {.troop = troop};
		char *path = xasprintf("%s/%s", folder, e->d_name);
		if (saved_file_name(e->d_name, entry.name, &entry.lang) && is_file(path)) {
			entry.title = saved_title(path);
			set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
			set->v[set->n++] = entry;
		}
		free(path);
	}
	closedir(d);
	free(folder);
	return 0;
}

static void saved_set_free(struct saved_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i].title);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static int saved_has_name(const struct saved_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0)
			return 1;
	return 0;
}

static int saved_order(const void *a, const void *b)
{
	const struct saved_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->lang, y->lang);
}

/* troop's saved replies in order: its own, and the shared ones it has no name of. */
static int saved_for_troop(const char *dir, char troop, struct saved_set *set, char **error_r)
{
	struct saved_set shared = {0};
	if ((troop != '\0' && saved_read(dir, troop, set, error_r) < 0) ||
	    saved_read(dir, '\0', &shared, error_r) < 0) {
		saved_set_free(&shared);
		saved_set_free(set);
		return -1;
	}
	size_t own = set->n;
	for (size_t i = 0; i < shared.n; i++) {
		struct saved_set mine = {set->v, own};
		if (saved_has_name(&mine, shared.v[i].name)) {
			free(shared.v[i].title);
			continue;
		}
		set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
		set->v[set->n++] = shared.v[i];
	}
	free(shared.v); /* the titles moved to set or were freed */
	if (set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), saved_order);
	return 0;
}

int template_saved_list(const char *dir, char troop, template_saved_cb *cb, void *ctx,
                        char **error_r)
{
	struct saved_set set = {0};
	if (saved_for_troop(dir, troop, &set, error_r) < 0)
		return -1;
	for (size_t i = 0; i < set.n; i++) {
		struct template_saved saved = {set.v[i].name, set.v[i].lang, set.v[i].title,
		                               set.v[i].troop};
		if (cb(&saved, ctx) != 0)
			break;
	}
	saved_set_free(&set);
	return 0;
}

/* The file of name in lang as troop has it, or NULL when it has none (a new string). */
static char *saved_path(const char *dir, char troop, const char *name, const char *lang)
{
	char *own = saved_folder(dir, troop);
	char *en = xasprintf("%s/%s.en.txt", own, name), *es = xasprintf("%s/%s.es.txt", own, name);
	int troop_has = troop != '\0' && (is_file(en) || is_file(es));
	free(en);
	free(es);
	char *folder = troop_has ? own : saved_folder(dir, '\0');
	char *path = xasprintf("%s/%s.%s.txt", folder, name, lang);
	if (folder != own)
		free(folder);
	free(own);
	if (!is_file(path))
		xfree(&path);
	return path;
}

int template_saved_render(const char *dir, char troop, const char *name, const char *lang,
                          const struct template_var *vars, size_t n_vars, char **text_r,
                          char **error_r)
{
	if (!template_saved_name_ok(name) || !known_lang(lang))
		return 0;
	char *path = saved_path(dir, troop, name, lang);
	if (path == NULL)
		return 0;
	struct buf out;
	buf_init(&out, SIZE_MAX);
	int rc = render_file(path, vars, n_vars, 1, &out, error_r);
	free(path);
	if (rc < 0) {
		buf_free(&out);
		return -1;
	}
	*text_r = buf_steal(&out, NULL);
	return 1;
}

/* What ops_saved.c gives every saved reply. */
static const struct template_var saved_vars[] = {
	{"ref", "K-2026-00001"}, {"first_name", "test"}, {"liaison_name", "test"},
};

/* Renders every saved reply of one folder into problems. */
static int saved_check_folder(const char *dir, char troop, struct strlist *problems,
                              size_t *checked)
{
	struct saved_set set = {0};
	char *error = NULL;
	int bad = 0;
	if (saved_read(dir, troop, &set, &error) < 0) {
		strlist_add(problems, error);
		free(error);
		return 1;
	}
	char *folder = saved_folder(dir, troop);
	for (size_t i = 0; i < set.n; i++) {
		char *path = xasprintf("%s/%s.%s.txt", folder, set.v[i].name, set.v[i].lang);
		struct buf out;
		buf_init(&out, SIZE_MAX);
		if (render_file(path, saved_vars, sizeof(saved_vars) / sizeof(*saved_vars), 1, &out,
		                &error) < 0) {
			strlist_add(problems, error);
			xfree(&error);
			bad++;
		}
		buf_free(&out);
		free(path);
		++*checked;
	}
	free(folder);
	saved_set_free(&set);
	return bad;
}

int template_saved_check(const char *dir, struct strlist *problems, size_t *checked_r)
{
	*checked_r = 0;
	int bad = saved_check_folder(dir, '\0', problems, checked_r);
	for (char troop = 'A'; troop <= 'Z'; troop++)
		bad += saved_check_folder(dir, troop, problems, checked_r);
	return bad;
}
