/* web_saved.c — the troops' saved replies, maintained by the coordinator: the list per troop
 * (the shared folder, and each troop's own and the shared ones it uses) with their languages;
 * one saved reply's title and text to edit or delete; a new one in English or Spanish.  Paths:
 * GET /saved, GET /saved/new, GET /saved/SCOPE/NAME.LANG (SCOPE "shared" or a troop letter),
 * POST /saved/put and /saved/delete.  The rights, the checks, the file and the audit entry are
 * ops_saved.c's. */
#include "web_saved.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_saved.h"
#include "web_html.h"

/* A saved reply's name as one row: its title and which languages it has. */
struct saved_entry {
	char name[65];
	char *title;       /* owned; the first language's title */
	int en, es;
	char origin;       /* the folder it comes from: a troop, or '\0' for the shared one */
};

struct catalog {
	struct saved_entry *v;
	size_t n, cap;
};

static int collect(const struct template_saved *s, void *p)
{
	struct catalog *cat = p;
	struct saved_entry *last = cat->n ? &cat->v[cat->n - 1] : NULL;
	if (last == NULL || strcmp(last->name, s->name) != 0) {
		if (cat->n == cat->cap) {
			cat->cap = cat->cap ? 2 * cat->cap : 16;
			cat->v = xrealloc(cat->v, cat->cap * sizeof(*cat->v));
		}
		last = &cat->v[cat->n++];
		memset(last, 0, sizeof(*last));
		snprintf(last->name, sizeof(last->name), "%s", s->name);
		last->origin = s->troop;
	}
	if (last->title == NULL && s->title != NULL)
		last->title = xstrdup(s->title);
	if (strcmp(s->lang, "en") == 0)
		last->en = 1;
	else
		last->es = 1;
	return 0;
}

static void catalog_free(struct catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++)
		free(cat->v[i].title);
	free(cat->v);
	memset(cat, 0, sizeof(*cat));
}

/* "shared" or "K": a folder in a URL. */
static const char *scope_name(char troop, char out[2])
{
	if (troop == '\0')
		return "shared";
	out[0] = troop;
	out[1] = '\0';
	return out;
}

/* A URL's or form's scope: 1 with *troop_r, or 0 when it names none. */
static int scope_parse(const char *s, char *troop_r)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "shared") == 0) {
		*troop_r = '\0';
		return 1;
	}
	if (strlen(s) == 1 && s[0] >= 'A' && s[0] <= 'Z') {
		*troop_r = s[0];
		return 1;
	}
	return 0;
}

static const char *lang_title(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "Spanish (español)" : "English";
}

static void language_cell(struct buf *b, const struct saved_entry *e, const char *lang, int has)
{
	char s[2];
	const char *scope = scope_name(e->origin, s);
	html(b, "<td><a href=\"/saved/%U/%U.%R\">%R %R</a></td>", scope, e->name, lang,
	     has ? "Edit" : "Add", strcmp(lang, "es") == 0 ? "Spanish" : "English");
}

/* One folder's table: the shared one (troop '\0'), or what troop uses. */
static void scope_table(struct web_ctx *c, char troop)
{
	struct buf *b = &c->res->body;
	struct catalog cat = {0};
	char *error = NULL;
	char s[2];
	const char *scope = scope_name(troop, s);
	if (troop)
		html(b, "<section aria-labelledby=\"scope-%s\"><h2 id=\"scope-%s\">Troop %c</h2>"
		        "<p class=\"hint\">What troop %c's liaisons are offered: its own saved replies, "
		        "and the shared ones it has no version of.</p>", scope, scope, troop, troop);
	else
		html(b, "<section aria-labelledby=\"scope-shared\"><h2 id=\"scope-shared\">Shared by "
		        "every troop</h2>");
	if (ops_saved_catalog(&c->actor, troop, collect, &cat, &error) != OPS_OK) {
		html(b, "<p role=\"alert\">%s</p></section>", error);
		free(error);
		catalog_free(&cat);
		return;
	}
	if (cat.n == 0) {
		html(b, "<p class=\"empty\">None yet.</p></section>");
		return;
	}
	html(b, "<div class=\"scroll\" role=\"region\" aria-label=\"Saved replies: %s\" "
	        "tabindex=\"0\"><table class=\"saved\" data-scope=\"%s\"><caption "
	        "class=\"visually-hidden\">Saved replies: %s</caption><thead><tr>"
	        "<th scope=\"col\">Name</th><th scope=\"col\">Title</th><th scope=\"col\">English"
	        "</th><th scope=\"col\">Spanish</th>%R</tr></thead><tbody>",
	     troop ? "troop" : "shared", scope, troop ? "troop" : "shared",
	     troop ? "<th scope=\"col\">From</th>" : "");
	for (size_t i = 0; i < cat.n; i++) {
		const struct saved_entry *e = &cat.v[i];
		html(b, "<tr data-name=\"%s\"><th scope=\"row\">%s</th><td class=\"title\">%s</td>",
		     e->name, e->name, e->title ? e->title : "");
		language_cell(b, e, "en", e->en);
		language_cell(b, e, "es", e->es);
		if (troop)
			html(b, "<td class=\"origin\">%R</td>",
			     e->origin ? "this troop's own" : "shared");
		html(b, "</tr>");
	}
	html(b, "</tbody></table></div></section>");
	catalog_free(&cat);
}

static const char *done_text(const char *done)
{
	return done == NULL ? NULL
	     : strcmp(done, "created") == 0 ? "Saved reply created."
	     : strcmp(done, "replaced") == 0 ? "Saved reply changed."
	     : strcmp(done, "deleted") == 0 ? "Saved reply deleted."
	     : NULL;
}

/* 1 when the actor may maintain saved replies; else the page is ops's refusal. */
static int may_edit(struct web_ctx *c)
{
	char *error = NULL;
	int orc = ops_may_edit_saved(&c->actor, &error);
	if (orc != OPS_OK)
		web_ops_error(c, orc, error);
	free(error);
	return orc == OPS_OK;
}

void web_saved_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	if (!may_edit(c))
		return;
	web_page_begin(c, "Saved replies", "saved");
	struct buf *b = &c->res->body;
	html(b, "<h1>Saved replies</h1>");
	const char *done = done_text(web_query(c->req, "done"));
	if (done != NULL)
		html(b, "<p class=\"done\" role=\"status\">%s</p>", done);
	html(b, "<p>The texts a liaison starts a reply from, in English and Spanish. A troop's own "
	        "version of a name replaces the shared one for that troop, in both languages. "
	        "<a href=\"/saved/new\">New saved reply</a></p>");
	scope_table(c, '\0');
	const struct config *config = c->config;
	for (size_t i = 0; i < config->n_mailboxes; i++) {
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			seen |= config->mailboxes[j].troop == config->mailboxes[i].troop;
		if (!seen)
			scope_table(c, config->mailboxes[i].troop);
	}
	web_page_end(c);
}

/* The form that creates (is_new) or changes a saved reply; error (may be NULL) said above it
 * with what was typed kept. */
static void edit_form(struct web_ctx *c, char troop, const char *name, const char *lang,
                      const char *title, const char *text, int is_new, const char *error)
{
	struct buf *b = &c->res->body;
	char s[2];
	const char *scope = scope_name(troop, s);
	if (error != NULL)
		html(b, "<p role=\"alert\">Not saved: %s</p>", error);
	html(b, "<form method=\"post\" action=\"/saved/put\" class=\"saved-edit\">");
	web_csrf_field(c);
	if (is_new) {
		html(b, "<div class=\"row\"><label>For <select name=\"scope\">"
		        "<option value=\"shared\"%R>every troop (shared)</option>",
		     troop ? "" : " selected");
		for (size_t i = 0; i < c->config->n_mailboxes; i++) {
			char t = c->config->mailboxes[i].troop;
			html(b, "<option value=\"%c\"%R>troop %c only</option>", t,
			     troop == t ? " selected" : "", t);
		}
		html(b, "</select></label><label>Language <select name=\"lang\">"
		        "<option value=\"en\"%R>English</option><option value=\"es\"%R>Spanish (español)"
		        "</option></select></label></div>"
		        "<label for=\"saved-name\">Name</label><input type=\"text\" id=\"saved-name\" "
		        "name=\"name\" value=\"%s\" required maxlength=\"64\" "
		        "pattern=\"[A-Za-z0-9][A-Za-z0-9_\\-]*\" aria-describedby=\"name-hint\">"
		        "<p class=\"hint\" id=\"name-hint\">Letters, digits, '-' and '_' (the same name "
		        "in the other language is the same reply).</p>",
		     lang && strcmp(lang, "es") == 0 ? "" : " selected",
		     lang && strcmp(lang, "es") == 0 ? " selected" : "", name ? name : "");
	} else {
		html(b, "<input type=\"hidden\" name=\"scope\" value=\"%s\"><input type=\"hidden\" "
		        "name=\"name\" value=\"%s\"><input type=\"hidden\" name=\"lang\" value=\"%s\">",
		     scope, name, lang);
	}
	html(b, "<label for=\"saved-title\">Title (what a liaison picks it by)</label>"
	        "<input type=\"text\" id=\"saved-title\" name=\"title\" value=\"%s\" "
	        "maxlength=\"%d\"><label for=\"saved-text\">Text</label>"
	        "<textarea id=\"saved-text\" name=\"text\" rows=\"14\" required "
	        "aria-describedby=\"vars-hint\">%s</textarea>"
	        "<p class=\"hint\" id=\"vars-hint\">Filled in for each thread: {{first_name}} the "
	        "correspondent's first name (else \"neighbor\" / \"vecino/a\"), {{ref}} the thread's "
	        "reference, {{liaison_name}} the liaison's name.</p>"
	        "<div class=\"actions-row\"><button type=\"submit\">%R</button> "
	        "<a href=\"/saved\">Back to the saved replies</a></div></form>",
	     title ? title : "", OPS_SAVED_TITLE_MAX, text ? text : "",
	     is_new ? "Create the saved reply" : "Save the changes");
}

static void new_page(struct web_ctx *c)
{
	char troop = '\0';
	scope_parse(web_query(c->req, "scope"), &troop);
	web_page_begin(c, "New saved reply", "saved");
	html(&c->res->body, "<h1>New saved reply</h1>");
	edit_form(c, troop, NULL, web_query(c->req, "lang"), NULL, NULL, 1, NULL);
	web_page_end(c);
}

/* GET /saved/new and /saved/SCOPE/NAME.LANG. */
void web_saved_get(struct web_ctx *c, const char *rest)
{
	if (!may_edit(c))
		return;
	if (strcmp(rest, "new") == 0) {
		new_page(c);
		return;
	}
	char scope[8], name[65], lang[3];
	int used = 0;
	char troop = '\0';
	if (sscanf(rest, "%7[^/]/%64[^.].%2[a-z]%n", scope, name, lang, &used) != 3 ||
	    rest[used] != '\0' || !scope_parse(scope, &troop)) {
		web_not_found(c);
		return;
	}
	char *title = NULL, *text = NULL, *error = NULL;
	int orc = ops_saved_source(&c->actor, troop, name, lang, &title, &text, &error);
	if (orc != OPS_OK && orc != OPS_NOT_FOUND) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	int exists = orc == OPS_OK;
	free(error);
	char heading[160];
	if (troop)
		snprintf(heading, sizeof(heading), "%s, %s, troop %c", name, lang_title(lang), troop);
	else
		snprintf(heading, sizeof(heading), "%s, %s, shared", name, lang_title(lang));
	web_page_begin(c, heading, "saved");
	struct buf *b = &c->res->body;
	html(b, "<h1>Saved reply %s</h1>", heading);
	const char *done = done_text(web_query(c->req, "done"));
	if (done != NULL)
		html(b, "<p class=\"done\" role=\"status\">%s</p>", done);
	if (!exists)
		html(b, "<p>There is no %s text of this saved reply in this folder yet: write it "
		        "here.</p>", lang_title(lang));
	edit_form(c, troop, name, lang, title, text, 0, NULL);
	if (exists) {
		char s[2];
		html(b, "<form method=\"post\" action=\"/saved/delete\" class=\"saved-delete\">");
		web_csrf_field(c);
		html(b, "<h2>Delete</h2><input type=\"hidden\" name=\"scope\" value=\"%s\">"
		        "<input type=\"hidden\" name=\"name\" value=\"%s\"><input type=\"hidden\" "
		        "name=\"lang\" value=\"%s\"><button type=\"submit\" class=\"secondary\">Delete "
		        "the %s text of %s</button></form>",
		     scope_name(troop, s), name, lang, lang_title(lang), name);
	}
	free(title);
	free(text);
	web_page_end(c);
}

static const char *field(struct web_ctx *c, const char *name)
{
	const char *v = web_form(c->req, name);
	return v ? v : "";
}

/* Back to the saved reply (put) or the list (delete), with what was done. */
static void back(struct web_ctx *c, char troop, const char *name, const char *lang,
                 const char *done)
{
	char s[2];
	char *to = name ? xasprintf("/saved/%s/%s.%s?done=%s", scope_name(troop, s), name, lang, done)
	                : xasprintf("/saved?done=%s", done);
	web_redirect(c->res, to);
	free(to);
}

/* POST /saved/put (scope, name, lang, title, text) and /saved/delete (scope, name, lang). */
void web_saved_action(struct web_ctx *c, const char *rest)
{
	char troop = '\0';
	if (!scope_parse(web_form(c->req, "scope"), &troop)) {
		web_ops_error(c, OPS_INVALID, "choose every troop or one troop for the saved reply");
		return;
	}
	const char *name = field(c, "name"), *lang = field(c, "lang");
	char *error = NULL;
	int orc;
	if (strcmp(rest, "put") == 0) {
		int created = 0;
		orc = ops_saved_put(c->store, &c->actor, troop, name, lang, field(c, "title"),
		                    field(c, "text"), &created, &error);
		if (orc == OPS_OK) {
			back(c, troop, name, lang, created ? "created" : "replaced");
		} else if (orc == OPS_INVALID) {
			/* the whole form again (every field may be corrected), with what was typed
			 * and what is wrong with it */
			c->res->status = 400;
			web_page_begin(c, "Saved reply not saved", "saved");
			html(&c->res->body, "<h1>Saved reply not saved</h1>");
			edit_form(c, troop, name, lang, field(c, "title"), field(c, "text"), 1, error);
			web_page_end(c);
		} else {
			web_ops_error(c, orc, error);
		}
	} else if (strcmp(rest, "delete") == 0) {
		orc = ops_saved_delete(c->store, &c->actor, troop, name, lang, &error);
		if (orc == OPS_OK)
			back(c, troop, NULL, NULL, "deleted");
		else
			web_ops_error(c, orc, error);
	} else {
		web_not_found(c);
	}
	free(error);
}
