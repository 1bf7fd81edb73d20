/* store_fts.c — the search index's tokenizer, "word_family": SQLite's unicode61 (case and
 * accents folded, "Desalojo" is "desalojo") with every word indexed twice at one position:
 * as written, and by its stem in the text's language (Spanish when lang.h says so, else
 * English), marked with the language so a stem never meets a word as written or a stem of the
 * other language.  A bare query word is looked up by both its stems, so `eviction` finds
 * "evicted" in English mail and `golpes` finds "golpeó" in Spanish; a word inside double
 * quotes is looked up as written (the exact phrase), and a prefix query (`evict*`) by the
 * words as written.
 *
 * One language per text, not both stems of every word: "trooper" stemmed as Spanish is
 * "troop", and every "Troop K" would be found.  SQLite calls the tokenizer with the text of
 * a quoted string already unquoted, one call per string, so sp_fts_query puts EXACT_MARK at
 * the start of each quoted string first. */
#include "store_private.h"

#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "stem.h"
#include "util.h"

/* unicode61 yields none of these inside a token: a stem can never equal a word as written,
 * and the mark before a query word is a separator to unicode61. */
static const char stem_marks[2] = {'~', '^'}; /* STEM_ENGLISH, STEM_SPANISH */
#define EXACT_MARK '='
/* A stem longer than this is indexed as written: no word is, a run of letters may be. */
#define STEM_MAX 128

struct family_tokenizer {
	fts5_tokenizer words;      /* unicode61's methods */
	Fts5Tokenizer *words_inst;
	struct stemmer *stemmers[2];
};

struct family_call {
	struct family_tokenizer *tok;
	void *ctx;
	int (*emit)(void *ctx, int flags, const char *token, int len, int start, int end);
	const char *text;
	int mode;
	int language;  /* a document's: its stems' language; -1 in a query: both */
	int exact;     /* a query's quoted string (sp_fts_query marked it): words as written */
};

static void family_delete(Fts5Tokenizer *p)
{
	struct family_tokenizer *tok = (struct family_tokenizer *)p;
	if (tok == NULL)
		return;
	if (tok->words_inst != NULL)
		tok->words.xDelete(tok->words_inst);
	stemmer_free(&tok->stemmers[0]);
	stemmer_free(&tok->stemmers[1]);
	free(tok);
}

static int family_create(void *api_ptr, const char **args, int n_args, Fts5Tokenizer **out)
{
	(void)args;
	(void)n_args;
	fts5_api *api = api_ptr;
	struct family_tokenizer *tok = calloc(1, sizeof(*tok));
	if (tok == NULL)
		return SQLITE_NOMEM;
	void *words_data = NULL;
	int rc = api->xFindTokenizer(api, "unicode61", &words_data, &tok->words);
	if (rc == SQLITE_OK) {
		const char *words_args[] = {"remove_diacritics", "2"};
		rc = tok->words.xCreate(words_data, words_args, 2, &tok->words_inst);
	}
	if (rc == SQLITE_OK) {
		tok->stemmers[0] = stemmer_new(STEM_ENGLISH);
		tok->stemmers[1] = stemmer_new(STEM_SPANISH);
		if (tok->stemmers[0] == NULL || tok->stemmers[1] == NULL)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_OK) {
		family_delete((Fts5Tokenizer *)tok);
		return rc;
	}
	*out = (Fts5Tokenizer *)tok;
	return SQLITE_OK;
}

/* Emits the word's stem in one language at its position, with flags (colocated with the word
 * in a document; in a query, the first of the alternatives or colocated with it). */
static int emit_stem(struct family_call *c, int language, const char *word, int len, int start,
                     int end, int flags)
{
	char marked[STEM_MAX + 1];
	size_t n;
	const char *stem = stemmer_stem(c->tok->stemmers[language], word, (size_t)len, &n);
	if (n > STEM_MAX) /* indexed as written only; a query looks for it so */
		return flags & FTS5_TOKEN_COLOCATED ? SQLITE_OK
		                                    : c->emit(c->ctx, flags, word, len, start, end);
	marked[0] = stem_marks[language];
	memcpy(marked + 1, stem, n);
	return c->emit(c->ctx, flags, marked, (int)n + 1, start, end);
}

static int on_word(void *p, int flags, const char *word, int len, int start, int end)
{
	struct family_call *c = p;
	if (c->mode & FTS5_TOKENIZE_QUERY) {
		if (c->exact || (c->mode & FTS5_TOKENIZE_PREFIX))
			return c->emit(c->ctx, flags, word, len, start, end);
		int rc = emit_stem(c, STEM_ENGLISH, word, len, start, end, flags);
		return rc == SQLITE_OK ? emit_stem(c, STEM_SPANISH, word, len, start, end,
		                                   FTS5_TOKEN_COLOCATED)
		                       : rc;
	}
	int rc = c->emit(c->ctx, flags, word, len, start, end);
	return rc == SQLITE_OK ? emit_stem(c, c->language, word, len, start, end,
	                                   FTS5_TOKEN_COLOCATED)
	                       : rc;
}

static int family_tokenize(Fts5Tokenizer *p, void *ctx, int mode, const char *text, int len,
                           int (*emit)(void *, int, const char *, int, int, int))
{
	struct family_tokenizer *tok = (struct family_tokenizer *)p;
	struct family_call c = {tok, ctx, emit, text, mode, -1, 0};
	if (mode & FTS5_TOKENIZE_QUERY) {
		/* SQLite tokenizes each string or bareword of a query in a call of its own */
		c.exact = len > 0 && text[0] == EXACT_MARK;
	} else {
		/* lang.h reads a NUL-terminated text; the column's may not be */
		char *copy = xstrndup(text, (size_t)len);
		c.language = strcmp(lang_detect(NULL, copy), "es") == 0 ? STEM_SPANISH : STEM_ENGLISH;
		free(copy);
	}
	return tok->words.xTokenize(tok->words_inst, &c, mode, text, len, on_word);
}

int sp_fts_register(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	(void)sqlite3_step(s);
	sqlite3_finalize(s);
	if (api == NULL)
		return -1;
	static fts5_tokenizer methods = {family_create, family_delete, family_tokenize};
	return api->xCreateTokenizer(api, "word_family", api, &methods, NULL) == SQLITE_OK ? 0 : -1;
}

/* Where the string that opens at q (a '"') ends: the byte after its closing quote ("" inside
 * is a quote character), or the end of the query. */
static const char *string_end(const char *q)
{
	for (q++; *q; q++) {
		if (*q != '"')
			continue;
		if (q[1] != '"')
			return q + 1;
		q++;
	}
	return q;
}

char *sp_fts_query(const char *query)
{
	struct buf out;
	buf_init(&out, SIZE_MAX);
	int braces = 0;
	for (const char *p = query; *p;) {
		if (*p == '{' || *p == '}')
			braces += *p == '{' ? 1 : braces > 0 ? -1 : 0;
		if (*p != '"') {
			buf_add(&out, p++, 1);
			continue;
		}
		/* A quoted string: its words as written (the mark after its quote; the tokenizer
		 * reads the mark at the start of the string), unless it names a column
		 * ("subject":x, {"subject" body}:x). */
		const char *end = string_end(p);
		const char *after = end + strspn(end, " \t");
		buf_add(&out, p, 1);
		if (braces == 0 && *after != ':')
			buf_add(&out, (const char[]){EXACT_MARK}, 1);
		buf_add(&out, p + 1, (size_t)(end - p - 1));
		p = end;
	}
	return buf_steal(&out, NULL);
}

int store_search_index_check(struct store *store)
{
	sqlite3_stmt *s = sp_query(store, "INSERT INTO messages_fts (messages_fts, rank) "
	                                  "VALUES ('integrity-check', 1)");
	if (s == NULL)
		return -1;
	int rc = sqlite3_step(s);
	int result = 0;
	if (rc != SQLITE_DONE) {
		/* FTS5 says SQLITE_CORRUPT_VTAB when the index and the table disagree; anything
		 * else (busy, out of memory) is a check that could not run */
		result = (sqlite3_extended_errcode(store->db) & 0xff) == SQLITE_CORRUPT ? 1 : -1;
		sp_set_error(store, "the search index");
	}
	sqlite3_finalize(s);
	return result;
}
