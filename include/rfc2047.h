/* rfc2047.h — MIME encoded words ("=?charset?B?text?="): a tolerant decoder for the header
 * text we read, and an encoder for the header text we write. */
#ifndef LIAISON_RFC2047_H
#define LIAISON_RFC2047_H

#include <stddef.h>

/* Decodes the RFC 2047 encoded words in s (UTF-8, e.g. an unfolded header value), loosely:
 * a word may touch the text around it, as many mailers write it, and its charset is read by
 * the rules of charset.h (unknown or lying charsets by best guess, bad bytes as U+FFFD).  A
 * run of words separated only by white space (CR and LF included) loses that white space,
 * and words of one charset are joined before conversion (mailers split multibyte characters
 * across them).  Linear time whatever s holds.
 * Returns a new string (caller frees), or NULL when s holds no "=?" (nothing to decode). */
char *rfc2047_decode_text(const char *s);

/* Like rfc2047_decode_text, but each run of encoded words becomes one UTF-8 "B" encoded word
 * instead of text, and the rest of s is kept as it is: what a structured-header parser (of
 * addresses or parameters) can then decode without losing text, while the quoting and
 * punctuation around the words keep their meaning.
 * Returns a new string (caller frees), or NULL when s holds no "=?". */
char *rfc2047_reencode_words(const char *s);

/* Makes utf8 (the text of an unstructured header such as Subject, without the name) safe to
 * write after "Name: ".  Every CR and LF in it becomes a space first, so nothing it holds can
 * start another header line.  Text that is then pure ASCII and holds no "=?" is returned as it
 * is.  Other text is returned as UTF-8 encoded words, "Q" or "B" whichever is shorter (bytes
 * that are not valid UTF-8 become U+FFFD first), folded with CRLF and one space between words
 * so that no line is longer than 76 characters, the first line counting the header name
 * (header_name_len characters) and ": " before it; when even one word does not fit after a
 * long name, the value starts with the fold.
 * Returns a new string (caller frees).  utf8 must not be NULL. */
char *rfc2047_encode_header_text(const char *utf8, size_t header_name_len);

#endif
