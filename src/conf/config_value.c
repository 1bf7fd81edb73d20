/* config_value.c — what the values of liaison.conf mean (see config_value.h). */
#include "config_value.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* An address liaison can write in a header: composed messages rely on it holding no control
 * character (and on the 199-character line limit, which keeps it short). */
int conf_valid_address(const char *addr)
{
	const char *at = strchr(addr, '@');
	if (at == NULL || at == addr || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (const char *p = addr; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p) || *p == '<' ||
		    *p == '>' || *p == ',')
			return 0;
	return 1;
}

/* Parses "100M", "64k", "1G" or a plain number of bytes. */
int conf_parse_size(const char *value, size_t *size_r)
{
	char *end = NULL;
	errno = 0;
	unsigned long long n = strtoull(value, &end, 10);
	if (errno != 0 || end == value || value[0] == '-')
		return -1;
	unsigned long long mult = 1;
	switch (toupper((unsigned char)*end)) {
	case '\0': break;
	case 'K': mult = 1024ULL; end++; break;
	case 'M': mult = 1024ULL * 1024; end++; break;
	case 'G': mult = 1024ULL * 1024 * 1024; end++; break;
	default: return -1;
	}
	if (*end != '\0' || n > SIZE_MAX / mult)
		return -1;
	*size_r = (size_t)(n * mult);
	return 0;
}

/* Parses "7d", "24h", "30m", "60s" or plain seconds. */
int conf_parse_duration(const char *value, int64_t *seconds_r)
{
	char *end = NULL;
	errno = 0;
	long long n = strtoll(value, &end, 10);
	if (errno != 0 || end == value || n < 0)
		return -1;
	long long mult = 1;
	switch (*end) {
	case '\0': break;
	case 's': mult = 1; end++; break;
	case 'm': mult = 60; end++; break;
	case 'h': mult = 3600; end++; break;
	case 'd': mult = 86400; end++; break;
	default: return -1;
	}
	if (*end != '\0' || n > INT64_MAX / mult)
		return -1;
	*seconds_r = n * mult;
	return 0;
}

int conf_parse_yes_no(const char *value, int *flag_r)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
		*flag_r = 1;
	else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0)
		*flag_r = 0;
	else
		return -1;
	return 0;
}

int conf_parse_tls(const char *value, enum config_tls *tls_r)
{
	if (strcmp(value, "implicit") == 0)
		*tls_r = CONFIG_TLS_IMPLICIT;
	else if (strcmp(value, "starttls") == 0)
		*tls_r = CONFIG_TLS_STARTTLS;
	else if (strcmp(value, "none") == 0)
		*tls_r = CONFIG_TLS_NONE;
	else
		return -1;
	return 0;
}

int conf_parse_number(const char *value, long long min, long long max, long long *n_r)
{
	char *end = NULL;
	errno = 0;
	long long n = strtoll(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < min || n > max)
		return -1;
	*n_r = n;
	return 0;
}

int conf_parse_days(const char *value, int min, int max, int *days_r)
{
	char *end = NULL;
	long days = strtol(value, &end, 10);
	if (end == value || (*end != '\0' && strcmp(end, "d") != 0) || days < min || days > max)
		return -1;
	*days_r = (int)days;
	return 0;
}

int conf_valid_zone_name(const char *value)
{
	int ok = value[0] != '\0' && strstr(value, "..") == NULL && value[0] != '/';
	for (const char *p = value; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("_+-/", *p) != NULL;
	return ok;
}

/* A category is what routing rules may set too: a name, so it prints and searches plainly. */
int conf_valid_category(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > CONF_CATEGORY_MAX)
		return 0;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("-_.", *p) == NULL)
			return 0;
	return 1;
}

/* [liaison] bates_prefix: it names files of a production, so letters, digits, '-', '_' and
 * '.' only. */
int conf_valid_bates_prefix(const char *value)
{
	int ok = value[0] != '\0' && strlen(value) <= 32 && value[0] != '.';
	for (const char *p = value; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("-_.", *p) != NULL;
	return ok;
}

int conf_valid_imap_url(const char *value)
{
	return strncmp(value, "imap://", 7) == 0 || strncmp(value, "imaps://", 8) == 0;
}

int conf_valid_smtp_url(const char *value)
{
	return strncmp(value, "smtp://", 7) == 0 || strncmp(value, "smtps://", 8) == 0;
}

int conf_valid_oauth2_url(const char *value)
{
	static const char *const loopback[] = {"http://127.", "http://[::1]", "http://localhost"};
	if (strncmp(value, "https://", 8) == 0)
		return value[8] != '\0' && strpbrk(value, " \t\r\n") == NULL;
	for (size_t i = 0; i < sizeof(loopback) / sizeof(*loopback); i++) {
		size_t n = strlen(loopback[i]);
		/* the host must end there or at a port or path: not http://127.evil.example */
		if (strncmp(value, loopback[i], n) == 0) {
			const char *rest = value + n;
			if (i == 0)
				rest += strspn(rest, "0123456789.");
			return (*rest == '\0' || *rest == ':' || *rest == '/') &&
			       strpbrk(value, " \t\r\n") == NULL;
		}
	}
	return 0;
}

int conf_valid_name(const char *name)
{
	if (name[0] == '\0' || strlen(name) > 64)
		return 0;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return 0;
	return 1;
}

int conf_listen_split(const char *value, char *host_r, size_t size, unsigned *port_r)
{
	const char *colon;
	const char *host = value;
	size_t n;
	if (value[0] == '[') {
		const char *close = strchr(value, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		host = value + 1;
		n = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(value, ':');
		if (colon == NULL)
			return -1;
		n = (size_t)(colon - value);
	}
	if (n == 0 || n >= size)
		return -1;
	memcpy(host_r, host, n);
	host_r[n] = '\0';
	long long port;
	if (conf_parse_number(colon + 1, 0, 65535, &port) < 0)
		return -1;
	*port_r = (unsigned)port;
	return 0;
}

int conf_valid_listen(const char *value)
{
	char host[64];
	unsigned port;
	unsigned char addr[16];
	if (conf_listen_split(value, host, sizeof(host), &port) < 0)
		return 0;
	return inet_pton(value[0] == '[' ? AF_INET6 : AF_INET, host, addr) == 1;
}

int conf_listen_is_loopback(const char *value)
{
	char host[64];
	unsigned port;
	if (!conf_valid_listen(value) || conf_listen_split(value, host, sizeof(host), &port) < 0)
		return 0;
	return value[0] == '[' ? strcmp(host, "::1") == 0 : strncmp(host, "127.", 4) == 0;
}

int conf_valid_header_name(const char *value)
{
	size_t n = strlen(value);
	if (n == 0 || n > 64)
		return 0;
	for (const char *p = value; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
	return 1;
}
