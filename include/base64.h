/* base64.h — base64 (RFC 4648) as mail needs it: a decoder that forgives sloppy mailers, and
 * a plain encoder for the encoded words we write. */
#ifndef LIAISON_BASE64_H
#define LIAISON_BASE64_H

#include <stddef.h>

/* Characters base64_encode writes for n bytes, without the NUL. */
#define BASE64_ENCODED_LEN(n) (((n) + 2) / 3 * 4)

/* Returns the 6-bit value of a base64 digit ('A'-'Z', 'a'-'z', '0'-'9', '+', '/'), or -1 for
 * any other byte ('=' included). */
int base64_decode_digit(unsigned char c);

/* Decodes the n bytes at s in place, skipping what is not base64.  Unlike GMime's decoder it
 * keeps a last group that lost its padding, and restarts after '=' (glued-together blocks), so
 * a sloppy mailer's text keeps its last characters.  Returns the decoded length (at most n). */
size_t base64_decode_lenient(unsigned char *s, size_t n);

/* Writes the base64 of the n bytes at in to out, padded with '=', without line breaks, and a
 * NUL; out must hold BASE64_ENCODED_LEN(n) + 1 bytes.  Returns the length written (without
 * the NUL). */
size_t base64_encode(const void *in, size_t n, char *out);

#endif
