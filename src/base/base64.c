/* base64.c — lenient base64 decoding and plain encoding (see base64.h). */
#include "base64.h"

#include <stdint.h>

int base64_decode_digit(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t base64_decode_lenient(unsigned char *s, size_t n)
{
	size_t w = 0;
	uint32_t acc = 0;
	int have = 0;
	for (size_t r = 0; r < n; r++) {
		int d = base64_decode_digit(s[r]);
		if (d >= 0) {
			acc = (acc << 6) | (uint32_t)d;
			if (++have == 4) {
				s[w++] = (unsigned char)(acc >> 16);
				s[w++] = (unsigned char)(acc >> 8);
				s[w++] = (unsigned char)acc;
				have = 0;
				acc = 0;
			}
		} else if (s[r] == '=') {
			if (have == 2)
				s[w++] = (unsigned char)(acc >> 4);
			else if (have == 3) {
				s[w++] = (unsigned char)(acc >> 10);
				s[w++] = (unsigned char)(acc >> 2);
			}
			have = 0;
			acc = 0;
		}
	}
	if (have == 2)
		s[w++] = (unsigned char)(acc >> 4);
	else if (have == 3) {
		s[w++] = (unsigned char)(acc >> 10);
		s[w++] = (unsigned char)(acc >> 2);
	}
	return w;
}

size_t base64_encode(const void *in, size_t n, char *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = in;
	size_t w = 0;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		out[w++] = digits[v >> 18];
		out[w++] = digits[(v >> 12) & 63];
		out[w++] = digits[(v >> 6) & 63];
		out[w++] = digits[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
		out[w++] = digits[v >> 18];
		out[w++] = digits[(v >> 12) & 63];
		out[w++] = i + 1 < n ? digits[(v >> 6) & 63] : '=';
		out[w++] = '=';
	}
	out[w] = '\0';
	return w;
}
