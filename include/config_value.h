/* config_value.h — what the values of liaison.conf mean: durations, sizes, numbers, yes/no,
 * addresses, names.  Pure functions (no file, no messages): config.c's key tables say which
 * key takes which, and report what is wrong. */
#ifndef LIAISON_CONFIG_VALUE_H
#define LIAISON_CONFIG_VALUE_H

#include <stddef.h>
#include <stdint.h>

/* How to secure a connection: tls = in [imap] and [smtp]. */
enum config_tls {
	CONFIG_TLS_DEFAULT,  /* by the URL: imaps/smtps implicit, imap/smtp STARTTLS */
	CONFIG_TLS_IMPLICIT,
	CONFIG_TLS_STARTTLS,
	CONFIG_TLS_NONE,     /* plain text: only when set explicitly (tests, loopback) */
};

/* The longest category (categories = ..., and what routing rules set). */
#define CONF_CATEGORY_MAX 64

/* Each parse returns 0 with the value in *..._r, or -1 (and leaves *..._r alone). */
/* "100M", "64k", "1G" or a plain number of bytes. */
int conf_parse_size(const char *value, size_t *size_r);
/* "7d", "24h", "30m", "60s" or plain seconds. */
int conf_parse_duration(const char *value, int64_t *seconds_r);
/* yes or true, no or false. */
int conf_parse_yes_no(const char *value, int *flag_r);
/* implicit, starttls or none. */
int conf_parse_tls(const char *value, enum config_tls *tls_r);
/* A whole number from min to max. */
int conf_parse_number(const char *value, long long min, long long max, long long *n_r);
/* Whole days from min to max, "2" or "2d" (business days: not a duration of 24 hours). */
int conf_parse_days(const char *value, int min, int max, int *days_r);

/* Each check returns 1 when the value will do, else 0. */
/* An address liaison can write in a header: one '@', no space, control character, '<', '>'
 * or ','. */
int conf_valid_address(const char *addr);
/* A category: 1 to CONF_CATEGORY_MAX letters, digits, '-', '_' or '.'. */
int conf_valid_category(const char *name);
/* The form of an IANA time zone name (America/New_York): letters, digits, '_', '+', '-' and
 * '/', not starting with '/' and without "..".  Whether the zone exists is calendar.c's. */
int conf_valid_zone_name(const char *value);
/* A bates_prefix: 1 to 32 letters, digits, '-', '_' or '.', not starting with '.'. */
int conf_valid_bates_prefix(const char *value);
/* An imap:// or imaps:// URL; an smtp:// or smtps:// URL. */
int conf_valid_imap_url(const char *value);
int conf_valid_smtp_url(const char *value);
/* An OAuth2 endpoint: an https:// URL, or http:// on loopback (127.0.0.1, [::1], localhost:
 * a token must never cross a network in the clear). */
int conf_valid_oauth2_url(const char *value);
/* A listen address: IPv4 "a.b.c.d:PORT" or "[IPv6]:PORT", port 0..65535 (0: any free port,
 * which liaison web prints when it starts: for tests). */
int conf_valid_listen(const char *value);
/* Splits "host:port" or "[v6]:port" into the host (into host_r, without brackets) and the
 * port.  Returns 0, or -1 when value is not of that form. */
int conf_listen_split(const char *value, char *host_r, size_t size, unsigned *port_r);
/* 1 when a valid listen address is on loopback (127.0.0.0/8 or [::1]). */
int conf_listen_is_loopback(const char *value);
/* An HTTP header name: 1 to 64 letters, digits and '-'. */
int conf_valid_header_name(const char *value);
/* The NAME of [mailbox NAME], [user NAME], [service NAME]: 1 to 64 letters, digits, '-', '_'
 * or '.'. */
int conf_valid_name(const char *name);

#endif
