/* csv.h — one CSV field, RFC 4180 quoting, safe to open in a spreadsheet. */
#ifndef LIAISON_CSV_H
#define LIAISON_CSV_H

#include <stdio.h>

/* Writes s (NULL: nothing) as one field: quoted when it holds a comma, a quote or a line
 * break (quotes doubled).  A field that a spreadsheet would run as a formula (starting with
 * =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises:
 * exports leave this office, and a correspondent chose much of the text. */
void csv_write_field(FILE *out, const char *s);

#endif
