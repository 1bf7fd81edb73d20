/* csv.c — CSV fields for the exports (CAD events, reports). */
#include "csv.h"

#include <string.h>

void csv_write_field(FILE *out, const char *s)
{
	if (s == NULL)
		return;
	int formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}
