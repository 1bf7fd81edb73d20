/* redact.h — burning in redactions.  The spans that a message's redactions (literal texts or
 * PCRE2 patterns, found by route.c) match in a piece of its text are replaced, before
 * anything is rendered or written, by a label naming the exemption: the redacted words never
 * reach a renderer or a file. */
#ifndef LIAISON_REDACT_H
#define LIAISON_REDACT_H

#include <stddef.h>

struct redaction {
	const char *kind;      /* "text" or "pattern" */
	const char *value;
	const char *exemption; /* e.g. "1-210(b)(3)(G)" */
};

struct redactor;

/* Compiles the redactions (n may be 0: nothing is redacted).  Returns 0 with *redactor_r, or
 * -1 with *error_r. */
int redactor_new(const struct redaction *redactions, size_t n, struct redactor **redactor_r,
                 char **error_r);
void redactor_free(struct redactor **redactor);

/* A piece of redacted text: text as it was, or the label that stands where text was. */
struct redact_piece {
	char *text;
	int is_label;
};
struct redacted {
	struct redact_piece *pieces;
	size_t n;
	size_t labels;   /* how many spans were replaced */
};

/* Redacts text (NULL is ""; with a redactor it is normalized first, see redact.c), adding to found[i] the spans redaction i matched (found may be
 * NULL; it has one counter per redaction).  Overlapping spans become one label naming each
 * exemption once.  Returns 0, or -1 with *error_r when a pattern could not be searched to
 * the end (then nothing may be produced from this text). */
int redactor_apply(const struct redactor *redactor, const char *text, struct redacted *out,
                   size_t *found, char **error_r);
/* The pieces as one string, labels inline (for CSV fields).  Caller frees. */
char *redacted_join(const struct redacted *r);
void redacted_clear(struct redacted *r);
/* The redactor applied and joined in one step: a new string, or NULL with *error_r. */
char *redact_string(const struct redactor *redactor, const char *text, size_t *found,
                    char **error_r);

#endif
