/* name_addresses.c — addresses seen with a name: in address headers (display names) and
 * written next to it in text.  ASCII case-insensitive; bytes past ASCII are word letters. */
#include "name_addresses.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* At most this many spaces, quotes and brackets between a name and its address. */
#define NEAR_GAP 4

static void add_lower(struct strlist *found, const char *addr, size_t len);

static int word_char(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

static int addr_char(unsigned char c)
{
	return isalnum(c) || (c != 0 && strchr("._%+-", c) != NULL);
}

static int gap_char(char c)
{
	return c != '\0' && strchr(" \t\r\n\"'<>()[]:,", c) != NULL;
}

/* 1 when the word text[0..len) is a word of s, whatever the case. */
static int has_word(const char *s, const char *word, size_t len)
{
	for (const char *p = s; *p;) {
		while (*p && !word_char((unsigned char)*p))
			p++;
		const char *start = p;
		while (*p && word_char((unsigned char)*p))
			p++;
		if ((size_t)(p - start) == len && strncasecmp(start, word, len) == 0)
			return 1;
	}
	return 0;
}

int name_addresses_in_mailbox(const char *name, const char *display, const char *addr,
                              struct strlist *found)
{
	if (name == NULL || display == NULL || addr == NULL || strchr(addr, '@') == NULL)
		return 0;
	size_t words = 0;
	for (const char *p = name; *p;) {
		while (*p && !word_char((unsigned char)*p))
			p++;
		const char *start = p;
		while (*p && word_char((unsigned char)*p))
			p++;
		if (p == start)
			break;
		if (!has_word(display, start, (size_t)(p - start)))
			return 0;
		words++;
	}
	if (words > 0)
		add_lower(found, addr, strlen(addr));
	return words > 0;
}

static void add_lower(struct strlist *found, const char *addr, size_t len)
{
	char *low = str_lower(xstrndup(addr, len));
	strlist_add_unique(found, low);
	free(low);
}

/* The length of the address that starts at p ("local@domain.tld"), or 0. */
static size_t address_at(const char *p)
{
	size_t i = 0;
	while (addr_char((unsigned char)p[i]))
		i++;
	if (i == 0 || p[i] != '@')
		return 0;
	size_t at = i++;
	int dot = 0;
	while (addr_char((unsigned char)p[i]) && p[i] != '_' && p[i] != '%' && p[i] != '+') {
		dot |= p[i] == '.' && i > at + 1;
		i++;
	}
	while (i > at + 1 && (p[i - 1] == '.' || p[i - 1] == '-'))
		i--; /* a sentence's full stop is not the domain's */
	return dot && i > at + 1 && strchr(p + at + 1, '.') < p + i ? i : 0;
}

/* The address after name_end, past a small gap. */
static void address_after(const char *name_end, struct strlist *found)
{
	const char *p = name_end;
	for (int gap = 0; gap < NEAR_GAP && gap_char(*p); gap++)
		p++;
	size_t len = address_at(p);
	if (len > 0)
		add_lower(found, p, len);
}

/* The address that ends before name_start, past a small gap. */
static void address_before(const char *text, const char *name_start, struct strlist *found)
{
	const char *end = name_start;
	for (int gap = 0; gap < NEAR_GAP && end > text && gap_char(end[-1]); gap++)
		end--;
	const char *start = end;
	while (start > text && (addr_char((unsigned char)start[-1]) || start[-1] == '@'))
		start--;
	size_t len = start < end ? address_at(start) : 0;
	if (len > 0 && start + len == end)
		add_lower(found, start, len);
}

void name_addresses_in_text(const char *name, const char *text, struct strlist *found)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || text == NULL)
		return;
	for (const char *p = strcasestr(text, name); p != NULL; p = strcasestr(p + n, name)) {
		address_before(text, p, found);
		address_after(p + n, found);
	}
}
