/* template.c — render NAME.LANG.txt with {{variables}}, values flattened to one line. */
#include "template.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define VALUE_MAX 200
#define TEMPLATE_MAX (64u << 10)

char *template_clean_value(const char *value)
{
	const unsigned char *s = (const unsigned char *)(value ? value : "");
	struct buf b;
	buf_init(&b, SIZE_MAX);
	int space = 0;
	for (; *s; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == ' ') {
			space = b.len > 0;
			continue;
		}
		/* Stop before a character that would pass the limit (UTF-8 lead byte). */
		size_t char_len = *s < 0x80 ? 1 : *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : *s >= 0xc0 ? 2 : 1;
		if (b.len + space + char_len > VALUE_MAX)
			break;
		if (space)
			buf_add(&b, " ", 1);
		space = 0;
		buf_add(&b, s, 1);
		/* Copy the rest of a multi-byte character whole. */
		for (size_t i = 1; i < char_len && s[1] >= 0x80 && s[1] < 0xc0; i++)
			buf_add(&b, ++s, 1);
	}
	return buf_steal(&b, NULL);
}

static int render_one(const char *dir, const char *name, const char *lang,
                      const struct template_var *vars, size_t n_vars, struct buf *out,
                      char **error_r)
{
	char *path = xasprintf("%s/%s.%s.txt", dir, name, lang);
	char *text = NULL;
	size_t len = 0;
	if (file_read_all(path, TEMPLATE_MAX, &text, &len, error_r) < 0) {
		free(path);
		return -1;
	}
	int rc = 0;
	const char *p = text;
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
	    (both && (buf_addstr(&out, "\n-- -- -- -- -- -- -- -- -- -- -- -- --\n\n") < 0 ||
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
