/* web_html.h — building HTML where every value is escaped unless it is marked raw.
 *
 * html(b, fmt, ...) appends fmt with its conversions: %s a string escaped for text and
 * attribute values (& < > " ' become entities; NULL prints nothing), %R a string taken as it
 * is (only for HTML this program wrote itself), %U a string percent-encoded for a URL path or
 * query value, %d an int, %lld a long long, %zu a size_t, %c a char (escaped), %% a percent
 * sign.  Any other conversion is a programming error and aborts. */
#ifndef LIAISON_WEB_HTML_H
#define LIAISON_WEB_HTML_H

#include <stddef.h>

#include "util.h"

void html(struct buf *b, const char *fmt, ...);
/* Appends s escaped (len bytes; invalid UTF-8 and control characters other than tab and
 * newline become U+FFFD, so nothing a stranger wrote can break the page). */
void html_text(struct buf *b, const char *s, size_t len);

/* A stranger's text cut to at most max bytes on a character's boundary, with "…" when cut
 * (new string): a 480 KB subject must not make a list or a heading unusable. */
char *html_cut(const char *s, size_t max);

#endif
