/* libFuzzer target: redaction, the path that must never leave a redacted word on a page.
 * The input's first line is a literal to redact (letters, digits and spaces kept), the rest
 * the text.  Whatever the text, redacting it must work, and redacting the result again must
 * change nothing: no match of the literal, or of the phone preset, is left behind. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	if (nl == NULL)
		return 0;
	size_t nlen = (size_t)((const uint8_t *)nl - data);
	/* letters and digits, words one space apart, trimmed: as the literal is matched */
	char *needle = malloc(nlen + 1);
	size_t k = 0;
	for (size_t i = 0; i < nlen && k < 40; i++) {
		if (isalnum(data[i]))
			needle[k++] = (char)data[i];
		else if (data[i] == ' ' && k > 0 && needle[k - 1] != ' ')
			needle[k++] = ' ';
	}
	while (k > 0 && needle[k - 1] == ' ')
		k--;
	needle[k] = '\0';
	/* a needle the label itself holds would match its own label again */
	int usable = 0;
	for (size_t i = 0; i < k; i++)
		usable |= isalnum((unsigned char)needle[i]) != 0;
	const char *label = "REDACTED x";
	if (usable && strcasestr(label, needle) != NULL)
		usable = 0;
	size_t tlen = size - nlen - 1;
	char *text = malloc(tlen + 1);
	memcpy(text, nl + 1, tlen);
	text[tlen] = '\0'; /* an embedded NUL ends the text, as in a C string field */
	if (usable) {
		struct redaction r[] = {
			{"text", needle, "x"},
			{"pattern", "(?<!\\d)(?:\\(\\d{3}\\)\\s?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}(?!\\d)", "x"},
		};
		struct redactor *rd = NULL;
		char *error = NULL;
		if (redactor_new(r, 2, &rd, &error) == 0) {
			char *once = redact_string(rd, text, NULL, &error);
			if (once != NULL) {
				size_t found[2] = {0, 0};
				char *twice = redact_string(rd, once, found, &error);
				/* the labels are not matched (see above), so a second pass finds nothing */
				if (twice != NULL && (found[0] != 0 || found[1] != 0 || strcmp(once, twice) != 0))
					abort();
				free(twice);
			}
			free(once);
			redactor_free(&rd);
		}
		free(error);
	}
	free(text);
	free(needle);
	return 0;
}
