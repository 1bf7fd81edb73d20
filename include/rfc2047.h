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

/* RFC 5322 2.1.1: a line of a header MUST NOT pass 998 bytes (without its CRLF) and SHOULD
 * NOT pass 78. */
#define HEADER_LINE_MAX 998
#define HEADER_LINE_SOFT_MAX 78

/* Makes utf8 (the text of an unstructured header such as Subject, without the name) safe to
 * write after "Name: ".  Every CR and LF in it becomes a space first, so nothing it holds can
 * start another header line.  Text that is then printable ASCII (tabs allowed) and holds no
 * "=?" is kept as it is, folded (CRLF inserted before white space) so that a line passes
 * HEADER_LINE_SOFT_MAX only when one word with the white space before it does, the first
 * line counting the header name (header_name_len characters) and ": " before it.  Other
 * text, and text with a word that no line of HEADER_LINE_MAX can hold, is returned as UTF-8
 * encoded words, "Q" or "B" whichever is shorter (bytes that are not valid UTF-8 become
 * U+FFFD first), folded with CRLF and one space between words so that no line is longer than
 * 76 characters (RFC 2047 section 2); when even one word does not fit after a long name,
 * the value starts with the fold.  Either way readers (mime.c among them) read back the
 * text as given, CR and LF as spaces.
 * Returns a new string (caller frees).  utf8 must not be NULL. */
char *rfc2047_encode_header_text(const char *utf8, size_t header_name_len);

/* The same for a display name (an RFC 5322 phrase, to be followed by " <address>"): when it
 * fits on the first line unfolded, ASCII words without specials are kept as they are, and
 * with specials ("Troop K (CTL)") inside one quoted string; else, and for text with a quote
 * or a backslash or that rfc2047_encode_header_text would encode, it becomes folded encoded
 * words of the restricted "Q" set RFC 2047 5(3) allows in a phrase.  (A folded phrase is
 * valid, but GMime, and so mime.c, reads its CRLF into the name.)
 * Returns a new string (caller frees).  utf8 must not be NULL. */
char *rfc2047_encode_phrase(const char *utf8, size_t header_name_len);

#endif
