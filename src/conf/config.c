/* config.c — read liaison.conf with inih, validating every key and reporting every bad line
 * as FILE:LINE: so an administrator can fix them all in one go. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "config_value.h"
#include "log.h"
#include "pattern.h"
#include "secrets.h"

struct key;

struct parse_state {
	struct config *config;
	const char *path;
	char *dir;           /* the config file's folder: relative paths are taken from there */
	FILE *file;
	int line;            /* the line inih is handling: counted by our reader */
	int section_line;    /* the line of the last [section] header read */
	struct buf errors;
	char *section;       /* the current section's name, for "[mailbox K]" state */
	/* The current section's key table and the struct its keys fill (NULL in a bad or
	 * unknown section, reported with its header), and its name in messages ("mailbox", "K"). */
	const struct key *keys;
	size_t n_keys;
	void *base;
	const char *kind, *id;
	int seen_liaison;
	int seen_smtp;
	int seen_web;
};

__attribute__((format(printf, 3, 4)))
static void report(struct parse_state *st, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	buf_addf(&st->errors, "%s:%d: %s\n", st->path, line, msg);
	free(msg);
}

static void start_section(struct parse_state *st, const char *section);

/* Hands inih an empty line in place of one already reported. */
static void strncpy_blank(char *str)
{
	str[0] = '\n';
	str[1] = '\0';
}

/* inih stops reporting syntax errors after the first; checking the form here lets every
 * bad line be named. */
static int line_is_ini(const char *line)
{
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '\n' || *p == '\r' || *p == ';' || *p == '#')
		return 1;
	if (*p == '[')
		return strchr(p, ']') != NULL;
	return strchr(p, '=') != NULL || strchr(p, ':') != NULL;
}

/* inih gives the handler no line number, so the reader counts lines itself; it also catches
 * lines longer than inih's buffer, which inih would otherwise split into two. */
static char *reader_count_lines(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, st->file);
	if (n < 0) {
		free(line);
		return NULL;
	}
	st->line++;
	if (n >= num) {
		report(st, st->line, "line longer than %d characters", num - 1);
		strncpy_blank(str);
	} else if (!line_is_ini(line)) {
		report(st, st->line, "not an INI line (expected [section], key = value or a comment)");
		strncpy_blank(str);
	} else {
		memcpy(str, line, (size_t)n + 1);
		const char *open = line + strspn(line, " \t");
		if (*open == '[') {
			/* Start the section here, not on its first key: inih never calls the
			 * handler for a section without keys, and an empty [mailbox K] given
			 * twice is still an error worth naming. */
			char *name = xstrndup(open + 1, (size_t)(strchr(open, ']') - open - 1));
			st->section_line = st->line;
			start_section(st, name);
			free(name);
		}
	}
	free(line);
	return str;
}

static char *resolve_path(const struct parse_state *st, const char *value)
{
	if (value[0] == '/')
		return xstrdup(value);
	return xasprintf("%s/%s", st->dir, value);
}

static void split_list(const char *value, struct strlist *list, int lower)
{
	char *copy = xstrdup(value);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
		strlist_add_unique(list, lower ? str_lower(tok) : tok);
	free(copy);
}

static void set_string(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* "categories = a, b, c": every entry is checked, so one bad word does not hide the next. */
static void parse_categories(struct parse_state *st, void *base, const char *value)
{
	struct strlist *list = &((struct config *)base)->categories;
	strlist_free(list);
	char *copy = xstrdup(value);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (!conf_valid_category(tok))
			report(st, st->line, "categories: '%s' is not a category (1 to %d letters, "
			       "digits, '-', '_' or '.')", tok, CONF_CATEGORY_MAX);
		else if (strlist_contains(list, tok))
			report(st, st->line, "categories: '%s' given twice", tok);
		else
			strlist_add(list, tok);
	}
	free(copy);
	if (list->count == 0 && value[strspn(value, ", \t")] == '\0')
		report(st, st->line, "categories: empty list");
}

/* [liaison] timezone: an IANA name the time zone database knows. */
static void parse_timezone(struct parse_state *st, void *base, const char *value)
{
	struct config *c = base;
	if (!conf_valid_zone_name(value))
		report(st, st->line, "timezone: '%s' is not an IANA zone name", value);
	else if (!calendar_zone_known(value))
		report(st, st->line, "timezone: '%s' is not a zone of the time zone database "
		       "(e.g. America/New_York)", value);
	else
		set_string(&c->timezone, value);
}

/* [liaison] respond_within: whole business days, "2" or "2d" (a business day, not 24 hours). */
static void parse_respond_within(struct parse_state *st, void *base, const char *value)
{
	struct config *c = base;
	if (conf_parse_days(value, 0, 30, &c->respond_within) < 0)
		report(st, st->line, "respond_within: '%s' is not a number of business days "
		       "0..30 (e.g. 2)", value);
}

static void parse_rms_pattern(struct parse_state *st, void *base, const char *value)
{
	struct config *c = base;
	char *why = NULL;
	if (value[0] == '\0')
		report(st, st->line, "rms_pattern: empty (leave it out to accept any number)");
	else if (pattern_whole_check(value, &why) < 0)
		report(st, st->line, "rms_pattern: '%s': %s", value, why);
	else
		set_string(&c->rms_pattern, value);
	free(why);
}

static void parse_troop(struct parse_state *st, void *base, const char *value)
{
	struct mailbox_config *m = base;
	if (strlen(value) != 1 || !isalpha((unsigned char)value[0]))
		report(st, st->line, "troop: '%s' is not a single letter", value);
	else
		m->troop = (char)toupper((unsigned char)value[0]);
}

/* [mailbox] address: kept as written (for From) and lower-cased (for matching). */
static void parse_address(struct parse_state *st, void *base, const char *value)
{
	struct mailbox_config *m = base;
	if (!conf_valid_address(value)) {
		report(st, st->line, "address: '%s' is not an e-mail address", value);
		return;
	}
	set_string(&m->address_as_written, value);
	set_string(&m->address, value);
	str_lower(m->address);
}

/* [mailbox] aliases: every address is checked, so one bad one does not hide the next. */
static void parse_aliases(struct parse_state *st, void *base, const char *value)
{
	struct mailbox_config *m = base;
	struct strlist list = {0};
	split_list(value, &list, 1);
	for (size_t i = 0; i < list.count; i++) {
		if (!conf_valid_address(list.items[i]))
			report(st, st->line, "aliases: '%s' is not an e-mail address", list.items[i]);
		else
			strlist_add_unique(&m->aliases, list.items[i]);
	}
	strlist_free(&list);
}

static void parse_folders(struct parse_state *st, void *base, const char *value)
{
	struct mailbox_config *m = base;
	strlist_free(&m->folders);
	split_list(value, &m->folders, 0);
	if (m->folders.count == 0)
		report(st, st->line, "folders: empty list");
}

static const char *const role_names[] = {"ctl", "coordinator", "records", "admin"};

const char *config_role_name(enum user_role role)
{
	return role >= ROLE_CTL && role <= ROLE_ADMIN ? role_names[role] : "?";
}

static void parse_role(struct parse_state *st, void *base, const char *value)
{
	struct user_config *u = base;
	for (size_t i = 0; i < sizeof(role_names) / sizeof(*role_names); i++)
		if (strcmp(value, role_names[i]) == 0) {
			u->role = (enum user_role)i;
			return;
		}
	report(st, st->line, "role: '%s' is not ctl, coordinator, records or admin", value);
}

/* [user] troops: "K, L" or "KL", kept as upper-case letters ("KL"). */
static void parse_troops(struct parse_state *st, void *base, const char *value)
{
	struct user_config *u = base;
	struct buf letters;
	buf_init(&letters, 64);
	int ok = 1;
	for (const char *p = value; *p; p++) {
		if (*p == ',' || *p == ' ')
			continue;
		char t = (char)toupper((unsigned char)*p);
		if (!isalpha((unsigned char)*p) || buf_add(&letters, &t, 1) < 0)
			ok = 0;
	}
	if (!ok || letters.len == 0)
		report(st, st->line, "troops: '%s' is not a list of troop letters (e.g. K, L)", value);
	else
		set_string(&u->troops, letters.data);
	buf_free(&letters);
}

/* The kinds of value a key takes.  A bad value is reported as "KEY: 'VALUE' is not WHAT",
 * WHAT from the key's row; KEY_CUSTOM keys check and report for themselves. */
enum key_type {
	/* the string kinds first: free_keys frees these */
	KEY_STRING,      /* any text (char *) */
	KEY_CHECKED,     /* text that the row's valid() accepts (char *) */
	KEY_PATH,        /* a path, taken from the configuration's folder when relative (char *) */
	KEY_SECRET_FILE, /* a KEY_PATH to a password_file that secrets.c accepts (char *) */
	KEY_BOOL,        /* yes/true or no/false (int) */
	KEY_TLS,         /* implicit, starttls or none (enum config_tls) */
	KEY_DURATION,    /* "7d", "24h", "30m", "60s" or seconds, min..max (int64_t or unsigned) */
	KEY_NUMBER,      /* a whole number min..max (int64_t or unsigned) */
	KEY_SIZE,        /* "100M", "64k", "1G" or bytes, not 0 (size_t) */
	KEY_CUSTOM,      /* the row's parse() reads, checks, reports and stores */
};

/* One row of a section's key table (as Postfix's CONFIG_*_TABLEs). */
struct key {
	const char *name;
	enum key_type type;
	size_t offset;      /* of the field in the section's struct */
	size_t size;        /* of the field (the numbers are int64_t or unsigned) */
	long long min, max; /* KEY_DURATION, KEY_NUMBER; max 0: no upper limit */
	const char *what;   /* for "KEY: 'VALUE' is not WHAT" */
	int (*valid)(const char *value);                                     /* KEY_CHECKED */
	void (*parse)(struct parse_state *st, void *base, const char *value); /* KEY_CUSTOM */
};

#define FIELD(type, member) .offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define DAY 86400

static void parse_log_level(struct parse_state *st, void *base, const char *value)
{
	if (log_level_parse(value, &((struct config *)base)->log_level) < 0)
		report(st, st->line, "log_level: '%s' is not debug, info, warning or error", value);
}

#define C struct config
static const struct key liaison_keys[] = {
	{"database", KEY_PATH, FIELD(C, database)},
	{"templates", KEY_PATH, FIELD(C, templates)},
	{"timezone", KEY_CUSTOM, .parse = parse_timezone},
	{"routes", KEY_PATH, FIELD(C, routes)},
	{"autoreply_window", KEY_DURATION, FIELD(C, autoreply_window), .min = DAY,
	 .what = "a duration of at least 1d (e.g. 7d)"},
	{"autoreply_domain_limit", KEY_NUMBER, FIELD(C, autoreply_domain_limit), .min = 1,
	 .max = 100000, .what = "a number of auto-replies an hour 1..100000"},
	{"respond_within", KEY_CUSTOM, .parse = parse_respond_within},
	{"backfill_cutoff", KEY_DURATION, FIELD(C, backfill_cutoff),
	 .what = "a duration (e.g. 24h)"},
	{"poll_interval", KEY_DURATION, FIELD(C, poll_interval), .min = 1,
	 .what = "a duration (e.g. 60s)"},
	{"backoff_max", KEY_DURATION, FIELD(C, backoff_max), .min = 1,
	 .what = "a duration (e.g. 5m)"},
	{"urgent_notify", KEY_CHECKED, FIELD(C, urgent_notify), .valid = conf_valid_address,
	 .what = "an e-mail address"},
	{"allow_disposal", KEY_BOOL, FIELD(C, allow_disposal), .what = "yes or no"},
	{"bates_prefix", KEY_CHECKED, FIELD(C, bates_prefix), .valid = conf_valid_bates_prefix,
	 .what = "1 to 32 letters, digits, '-', '_' or '.' (e.g. CSP-CTL-)"},
	{"agency", KEY_STRING, FIELD(C, agency)},
	{"program", KEY_STRING, FIELD(C, program)},
	{"log_level", KEY_CUSTOM, .parse = parse_log_level},
	{"categories", KEY_CUSTOM, .parse = parse_categories},
	{"rms_pattern", KEY_CUSTOM, .parse = parse_rms_pattern},
	{"retention_transitory", KEY_DURATION, FIELD(C, retention_transitory), .min = DAY,
	 .what = "a duration of at least 1d (e.g. 730d)"},
	{"retention_correspondence", KEY_DURATION, FIELD(C, retention_correspondence),
	 .min = DAY, .what = "a duration of at least 1d (e.g. 730d)"},
	{"retention_case", KEY_DURATION, FIELD(C, retention_case), .min = DAY,
	 .what = "a duration of at least 1d (e.g. 730d)"},
	{"anchor_notify", KEY_CHECKED, FIELD(C, anchor_notify), .valid = conf_valid_address,
	 .what = "an e-mail address"},
	{"max_message_size", KEY_SIZE, FIELD(C, limits.max_message_bytes),
	 .what = "a size (e.g. 100M)"},
	{"max_header_size", KEY_SIZE, FIELD(C, limits.max_header_bytes),
	 .what = "a size (e.g. 1M)"},
	{"max_mime_depth", KEY_NUMBER, FIELD(C, limits.max_depth), .min = 1, .max = 1000,
	 .what = "a number from 1 to 1000"},
	{"max_mime_parts", KEY_NUMBER, FIELD(C, limits.max_parts), .min = 1, .max = 1000000,
	 .what = "a number from 1 to 1000000"},
};
#undef C

#define S struct smtp_config
static const struct key smtp_keys[] = {
	{"url", KEY_CHECKED, FIELD(S, url), .valid = conf_valid_smtp_url,
	 .what = "an smtp:// or smtps:// URL"},
	{"tls", KEY_TLS, FIELD(S, tls), .what = "implicit, starttls or none"},
	{"ca_file", KEY_PATH, FIELD(S, ca_file)},
	{"username", KEY_STRING, FIELD(S, username)},
	{"password_file", KEY_SECRET_FILE, FIELD(S, password_file)},
	{"token_command", KEY_STRING, FIELD(S, token_command)},
	{"oauth2", KEY_STRING, FIELD(S, oauth2)},
	{"timeout", KEY_DURATION, FIELD(S, timeout), .min = 1, .max = 3600,
	 .what = "a duration from 1s to 1h"},
};
#undef S

/* [web]: the console. */
#define W struct web_config
static void parse_mfa(struct parse_state *st, void *base, const char *value)
{
	if (strcmp(value, "required") != 0 && strcmp(value, "optional") != 0)
		report(st, st->line, "mfa: '%s' is not required or optional", value);
	else
		((W *)base)->mfa_required = value[0] == 'r';
}

/* /metrics has no sign-in: only this machine may ask (a scraper elsewhere goes through a
 * proxy that authenticates it). */
static int valid_metrics_listen(const char *value)
{
	return conf_valid_listen(value) && conf_listen_is_loopback(value);
}

static const struct key web_keys[] = {
	{"listen", KEY_CHECKED, FIELD(W, listen), .valid = conf_valid_listen,
	 .what = "an address and port (127.0.0.1:8025, [::1]:8025)"},
	{"tls_cert", KEY_PATH, FIELD(W, tls_cert)},
	{"tls_key", KEY_SECRET_FILE, FIELD(W, tls_key)},
	{"mfa", KEY_CUSTOM, .parse = parse_mfa},
	{"trusted_header", KEY_CHECKED, FIELD(W, trusted_header), .valid = conf_valid_header_name,
	 .what = "a header name (letters, digits and '-')"},
	{"trusted_secret_header", KEY_CHECKED, FIELD(W, trusted_secret_header),
	 .valid = conf_valid_header_name, .what = "a header name (letters, digits and '-')"},
	{"trusted_secret_file", KEY_SECRET_FILE, FIELD(W, trusted_secret_file)},
	{"session_idle", KEY_DURATION, FIELD(W, session_idle), .min = 60, .max = 7 * 86400,
	 .what = "a duration from 1m to 7d"},
	{"session_max", KEY_DURATION, FIELD(W, session_max), .min = 300, .max = 30 * 86400,
	 .what = "a duration from 5m to 30d"},
	{"max_connections", KEY_NUMBER, FIELD(W, max_connections), .min = 1, .max = 10000,
	 .what = "a number from 1 to 10000"},
	{"connection_timeout", KEY_DURATION, FIELD(W, connection_timeout), .min = 1, .max = 3600,
	 .what = "a duration from 1s to 1h"},
	{"max_body", KEY_SIZE, FIELD(W, max_body), .what = "a size (1M, 512k)"},
	{"connection_memory", KEY_SIZE, FIELD(W, connection_memory), .what = "a size (64k)"},
	{"threads", KEY_NUMBER, FIELD(W, threads), .min = 1, .max = 64,
	 .what = "a number from 1 to 64"},
	{"metrics_listen", KEY_CHECKED, FIELD(W, metrics_listen), .valid = valid_metrics_listen,
	 .what = "a loopback address and port (127.0.0.1:9187, [::1]:9187): /metrics is unauthenticated"},
};
#undef W

#define M struct mailbox_config
static const struct key mailbox_keys[] = {
	{"troop", KEY_CUSTOM, .parse = parse_troop},
	{"address", KEY_CUSTOM, .parse = parse_address},
	{"aliases", KEY_CUSTOM, .parse = parse_aliases},
	{"imap", KEY_CHECKED, FIELD(M, imap_url), .valid = conf_valid_imap_url,
	 .what = "an imap:// or imaps:// URL"},
	{"username", KEY_STRING, FIELD(M, username)},
	{"password_file", KEY_SECRET_FILE, FIELD(M, password_file)},
	{"folders", KEY_CUSTOM, .parse = parse_folders},
	{"sent_folder", KEY_STRING, FIELD(M, sent_folder)},
	{"tls", KEY_TLS, FIELD(M, tls), .what = "implicit, starttls or none"},
	{"ca_file", KEY_PATH, FIELD(M, ca_file)},
	{"token_command", KEY_STRING, FIELD(M, token_command)},
	{"oauth2", KEY_STRING, FIELD(M, oauth2)},
	{"mark_seen", KEY_BOOL, FIELD(M, mark_seen), .what = "yes or no"},
	{"move_to", KEY_STRING, FIELD(M, move_to)},
	{"display_name", KEY_STRING, FIELD(M, display_name)},
	{"urgent_notify", KEY_CHECKED, FIELD(M, urgent_notify), .valid = conf_valid_address,
	 .what = "an e-mail address"},
	{"autoreply", KEY_BOOL, FIELD(M, autoreply), .what = "yes or no"},
};
#undef M

/* [oauth2 NAME]: where tokens come from. */
#define O struct oauth2_config
static void parse_oauth2_flow(struct parse_state *st, void *base, const char *value)
{
	if (strcmp(value, "client_credentials") == 0)
		((O *)base)->flow = OAUTH2_CLIENT_CREDENTIALS;
	else if (strcmp(value, "device") == 0)
		((O *)base)->flow = OAUTH2_DEVICE;
	else if (strcmp(value, "service_account") == 0)
		((O *)base)->flow = OAUTH2_SERVICE_ACCOUNT;
	else
		report(st, st->line, "flow: '%s' is not client_credentials, device or service_account",
		       value);
}

/* A Microsoft Entra tenant: a GUID or a domain (contoso.onmicrosoft.com), or one of
 * Microsoft's words (organizations). */
static int valid_tenant(const char *value)
{
	if (value[0] == '\0' || strlen(value) > 253)
		return 0;
	for (const char *p = value; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return 0;
	return 1;
}

static const struct key oauth2_keys[] = {
	{"flow", KEY_CUSTOM, .parse = parse_oauth2_flow},
	{"tenant", KEY_CHECKED, FIELD(O, tenant), .valid = valid_tenant,
	 .what = "a tenant ID or domain (letters, digits, '-' and '.')"},
	{"token_url", KEY_CHECKED, FIELD(O, token_url), .valid = conf_valid_oauth2_url,
	 .what = "an https:// URL (http:// only on loopback)"},
	{"device_authorization_url", KEY_CHECKED, FIELD(O, device_authorization_url),
	 .valid = conf_valid_oauth2_url, .what = "an https:// URL (http:// only on loopback)"},
	{"client_id", KEY_STRING, FIELD(O, client_id)},
	{"client_secret_file", KEY_SECRET_FILE, FIELD(O, client_secret_file)},
	{"client_certificate", KEY_PATH, FIELD(O, client_certificate)},
	{"client_key", KEY_SECRET_FILE, FIELD(O, client_key)},
	{"scope", KEY_STRING, FIELD(O, scope)},
	{"refresh_token_file", KEY_PATH, FIELD(O, refresh_token_file)},
	{"key_file", KEY_PATH, FIELD(O, key_file)},
	{"ca_file", KEY_PATH, FIELD(O, ca_file)},
};
#undef O

static const struct key user_keys[] = {
	{"role", KEY_CUSTOM, .parse = parse_role},
	{"troops", KEY_CUSTOM, .parse = parse_troops},
	{"email", KEY_CHECKED, FIELD(struct user_config, email), .valid = conf_valid_address,
	 .what = "an e-mail address"},
	{"display_name", KEY_STRING, FIELD(struct user_config, display_name)},
};

static const struct key service_keys[] = {
	{"name", KEY_STRING, FIELD(struct service_config, name)},
	{"phone", KEY_STRING, FIELD(struct service_config, phone)},
	{"url", KEY_STRING, FIELD(struct service_config, url)},
	{"description", KEY_STRING, FIELD(struct service_config, description)},
};

#define N_KEYS(table) (sizeof(table) / sizeof(*(table)))

/* Stores a number in a field of key->size bytes (int64_t or unsigned). */
static void store_number(const struct key *key, void *field, long long n)
{
	if (key->size == sizeof(int64_t))
		*(int64_t *)field = n;
	else
		*(unsigned *)field = (unsigned)n;
}

/* Reads value into the field key describes in base (the section's struct). */
static void set_key(struct parse_state *st, const struct key *key, void *base, const char *value)
{
	void *field = (char *)base + key->offset;
	int ok = 1;
	switch (key->type) {
	case KEY_STRING:
		set_string(field, value);
		break;
	case KEY_CHECKED:
		if ((ok = key->valid(value)) != 0)
			set_string(field, value);
		break;
	case KEY_PATH:
	case KEY_SECRET_FILE: {
		free(*(char **)field);
		*(char **)field = resolve_path(st, value);
		char *problem = key->type == KEY_SECRET_FILE ? secret_file_problem(key->name, *(char **)field) : NULL;
		if (problem != NULL) /* "password_file PATH: ..." */
			report(st, st->line, "%s", problem);
		free(problem);
		break;
	}
	case KEY_BOOL:
		ok = conf_parse_yes_no(value, field) == 0;
		break;
	case KEY_TLS:
		ok = conf_parse_tls(value, field) == 0;
		break;
	case KEY_DURATION: {
		int64_t t;
		ok = conf_parse_duration(value, &t) == 0 && t >= key->min &&
		     (key->max == 0 || t <= key->max);
		if (ok)
			store_number(key, field, t);
		break;
	}
	case KEY_NUMBER: {
		long long n;
		ok = conf_parse_number(value, key->min, key->max, &n) == 0;
		if (ok)
			store_number(key, field, n);
		break;
	}
	case KEY_SIZE: {
		size_t n;
		ok = conf_parse_size(value, &n) == 0 && n > 0;
		if (ok)
			*(size_t *)field = n;
		break;
	}
	case KEY_CUSTOM:
		key->parse(st, base, value);
		break;
	}
	if (!ok)
		report(st, st->line, "%s: '%s' is not %s", key->name, value, key->what);
}

/* From here on, keys go to table and fill base; messages name the section [kind id]. */
#define ENTER(st, table, b, k, i) \
	((st)->keys = (table), (st)->n_keys = N_KEYS(table), (st)->base = (b), (st)->kind = (k), \
	 (st)->id = (i))

static void start_section(struct parse_state *st, const char *section)
{
	struct config *c = st->config;
	set_string(&st->section, section);
	st->keys = NULL;
	st->base = NULL;
	st->id = NULL;
	if (strncmp(section, "user ", 5) == 0 || strncmp(section, "service ", 8) == 0) {
		int is_user = section[0] == 'u';
		char *name = str_trim(xstrdup(section + (is_user ? 5 : 8)));
		if (!conf_valid_name(name))
			report(st, st->section_line, "[%s %s]: a name is letters, digits, '-', '_' or '.'",
			       is_user ? "user" : "service", name);
		else if (is_user && strcmp(name, "unassigned") == 0)
			report(st, st->section_line, "[user unassigned]: the reports use that name for "
			       "threads nobody was assigned; choose another");
		else if (is_user ? config_find_user(c, name) != NULL
		                 : config_find_service(c, name) != NULL)
			report(st, st->section_line, "[%s %s] given twice", is_user ? "user" : "service",
			       name);
		else if (is_user) {
			c->users = xrealloc(c->users, (c->n_users + 1) * sizeof(*c->users));
			struct user_config *u = &c->users[c->n_users++];
			memset(u, 0, sizeof(*u));
			u->name = xstrdup(name);
			u->line = st->section_line;
			u->role = (enum user_role)-1;
			ENTER(st, user_keys, u, "user", u->name);
		} else {
			c->services = xrealloc(c->services, (c->n_services + 1) * sizeof(*c->services));
			struct service_config *sv = &c->services[c->n_services++];
			memset(sv, 0, sizeof(*sv));
			sv->id = xstrdup(name);
			sv->line = st->section_line;
			ENTER(st, service_keys, sv, "service", sv->id);
		}
		free(name);
		return;
	}
	if (strcmp(section, "smtp") == 0) {
		if (st->seen_smtp)
			report(st, st->section_line, "[smtp] given twice");
		ENTER(st, smtp_keys, &c->smtp, "smtp", NULL);
		st->seen_smtp = 1;
		return;
	}
	if (strcmp(section, "web") == 0) {
		if (st->seen_web)
			report(st, st->section_line, "[web] given twice");
		ENTER(st, web_keys, &c->web, "web", NULL);
		st->seen_web = 1;
		return;
	}
	if (strcmp(section, "liaison") == 0) {
		if (st->seen_liaison)
			report(st, st->section_line, "[liaison] given twice");
		ENTER(st, liaison_keys, c, "liaison", NULL);
		st->seen_liaison = 1;
		return;
	}
	if (strncmp(section, "oauth2 ", 7) == 0) {
		char *name = str_trim(xstrdup(section + 7));
		if (!conf_valid_name(name)) {
			report(st, st->section_line, "[oauth2 %s]: a name is letters, digits, '-', '_' or '.'",
			       name);
		} else if (config_find_oauth2(c, name) != NULL) {
			report(st, st->section_line, "[oauth2 %s] given twice", name);
		} else {
			c->oauth2s = xrealloc(c->oauth2s, (c->n_oauth2s + 1) * sizeof(*c->oauth2s));
			struct oauth2_config *o = &c->oauth2s[c->n_oauth2s++];
			memset(o, 0, sizeof(*o));
			o->name = xstrdup(name);
			o->line = st->section_line;
			ENTER(st, oauth2_keys, o, "oauth2", o->name);
		}
		free(name);
		return;
	}
	if (strncmp(section, "mailbox ", 8) == 0) {
		char *name = str_trim(xstrdup(section + 8));
		if (!conf_valid_name(name)) {
			report(st, st->section_line, "[mailbox %s]: a name is letters, digits, '-', '_' or '.'",
			       name);
		} else if (config_find_mailbox(c, name) != NULL) {
			report(st, st->section_line, "[mailbox %s] given twice", name);
		} else {
			c->mailboxes = xrealloc(c->mailboxes, (c->n_mailboxes + 1) * sizeof(*c->mailboxes));
			struct mailbox_config *m = &c->mailboxes[c->n_mailboxes++];
			memset(m, 0, sizeof(*m));
			m->name = xstrdup(name);
			m->line = st->section_line;
			m->autoreply = 1;
			ENTER(st, mailbox_keys, m, "mailbox", m->name);
		}
		free(name);
		return;
	}
	report(st, st->section_line, "unknown section [%s]", section);
}

static int handle_line(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	if (st->section == NULL || strcmp(section, st->section) != 0)
		start_section(st, section);
	if (name == NULL) /* a section header alone (INI_CALL_HANDLER_ON_NEW_SECTION builds) */
		return 1;
	if (st->keys == NULL) {
		if (section[0] == '\0')
			report(st, st->line, "'%s' outside of any section", name);
		/* keys of an unknown or bad section were reported with its header */
		return 1;
	}
	for (size_t i = 0; i < st->n_keys; i++)
		if (strcmp(name, st->keys[i].name) == 0) {
			set_key(st, &st->keys[i], st->base, value);
			return 1;
		}
	if (st->id != NULL)
		report(st, st->line, "unknown key '%s' in [%s %s]", name, st->kind, st->id);
	else
		report(st, st->line, "unknown key '%s' in [%s]", name, st->kind);
	return 1;
}

/* The troop letters of the mailboxes, "K, L" (in buf), for messages. */
static const char *known_troops(const struct config *c, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < c->n_mailboxes && n + 4 < size; i++)
		if (c->mailboxes[i].troop != '\0')
			n += (size_t)snprintf(buf + n, size - n, "%s%c", n ? ", " : "",
			                      c->mailboxes[i].troop);
	return n ? buf : "none";
}

/* [web]: TLS needs both files; plain HTTP only on loopback; a trusted header only with the
 * proxy's secret. */
static void check_web(struct parse_state *st)
{
	const struct web_config *w = &st->config->web;
	if ((w->tls_cert == NULL) != (w->tls_key == NULL))
		report(st, 1, "[web] needs both tls_cert and tls_key for HTTPS (or neither)");
	if (w->tls_cert == NULL && w->listen != NULL && !conf_listen_is_loopback(w->listen))
		report(st, 1, "[web] listen = %s is not a loopback address: plain HTTP only on "
		       "127.0.0.1 or [::1]; set tls_cert and tls_key, or put Apache or nginx in front",
		       w->listen);
	if (w->trusted_header != NULL && w->trusted_secret_file == NULL)
		report(st, 1, "[web] trusted_header needs trusted_secret_file (the secret the proxy "
		       "sends in %s)", w->trusted_secret_header ? w->trusted_secret_header
		                                                 : "X-Liaison-Proxy-Secret");
}

/* A mailbox or [smtp] takes one way to authenticate, and an oauth2 it names exists. */
static void check_credentials(struct parse_state *st, const char *where, int line,
                              const char *password_file, const char *token_command,
                              const char *oauth2)
{
	int ways = (password_file != NULL) + (token_command != NULL) + (oauth2 != NULL);
	if (ways > 1)
		report(st, line, "%s has %s%s%s: choose one", where,
		       password_file ? "password_file" : "token_command",
		       ways == 3 ? ", token_command" : "",
		       oauth2 ? " and oauth2" : " and token_command");
	if (oauth2 != NULL && config_find_oauth2(st->config, oauth2) == NULL)
		report(st, line, "%s: oauth2 = %s, but there is no [oauth2 %s]", where, oauth2, oauth2);
}

/* 1 when url's host is this machine (127.0.0.0/8, [::1], localhost). */
static int url_host_is_loopback(const char *url)
{
	const char *host = strstr(url, "://");
	host = host != NULL ? host + 3 : url;
	size_t n = strcspn(host, ":/");
	if (host[0] == '[')
		return strncmp(host, "[::1]", 5) == 0;
	if (n == 9 && strncasecmp(host, "localhost", 9) == 0)
		return 1;
	if (strncmp(host, "127.", 4) != 0)
		return 0;
	for (size_t i = 4; i < n; i++)
		if (!isdigit((unsigned char)host[i]) && host[i] != '.')
			return 0;
	return 1;
}

/* A bearer token is as good as a password to whoever reads it: never over plain text to
 * another machine. */
static void check_token_over_tls(struct parse_state *st, const char *where, int line,
                                 const char *url, enum config_tls tls, const char *oauth2)
{
	if (oauth2 != NULL && url != NULL && tls == CONFIG_TLS_NONE && !url_host_is_loopback(url))
		report(st, line, "%s has tls = none and oauth2: the token would cross the network in "
		       "the clear to %s; use TLS", where, url);
}

/* Points each mailbox and [smtp] at the [oauth2 NAME] it names: the sections are all read
 * (the array no longer moves). */
static void link_oauth2(struct config *c)
{
	if (c->smtp.oauth2 != NULL)
		c->smtp.oauth2_section = config_find_oauth2(c, c->smtp.oauth2);
	for (size_t i = 0; i < c->n_mailboxes; i++)
		if (c->mailboxes[i].oauth2 != NULL)
			c->mailboxes[i].oauth2_section = config_find_oauth2(c, c->mailboxes[i].oauth2);
}

/* An [oauth2 NAME] names its endpoint, its client, and for client credentials one way for
 * the application to prove itself; the files it keeps default to the database's folder. */
static void check_oauth2(struct parse_state *st, struct oauth2_config *o)
{
	struct config *c = st->config;
	if (o->tenant != NULL && o->token_url == NULL)
		o->token_url = xasprintf("https://login.microsoftonline.com/%s/oauth2/v2.0/token",
		                         o->tenant);
	if (o->tenant != NULL && o->device_authorization_url == NULL)
		o->device_authorization_url =
		    xasprintf("https://login.microsoftonline.com/%s/oauth2/v2.0/devicecode", o->tenant);
	if (o->tenant != NULL && o->scope == NULL)
		o->scope = xstrdup(o->flow == OAUTH2_DEVICE
		    ? "https://outlook.office.com/IMAP.AccessAsUser.All "
		      "https://outlook.office.com/SMTP.Send offline_access"
		    : "https://outlook.office365.com/.default");
	if (o->token_url == NULL)
		report(st, o->line, "[oauth2 %s] has no token_url (or tenant)", o->name);
	if (o->flow == OAUTH2_SERVICE_ACCOUNT) {
		if (o->client_key == NULL)
			report(st, o->line, "[oauth2 %s] has flow = service_account but no client_key (the "
			       "service account's key file)", o->name);
		if (o->client_secret_file != NULL)
			report(st, o->line, "[oauth2 %s]: a service account signs with client_key; "
			       "client_secret_file is not used", o->name);
		if (o->scope == NULL)
			report(st, o->line, "[oauth2 %s] has no scope (Gmail's is https://mail.google.com/)",
			       o->name);
	} else if ((o->client_certificate == NULL) != (o->client_key == NULL)) {
		report(st, o->line, "[oauth2 %s] needs both client_certificate and client_key (or "
		       "neither)", o->name);
	}
	if (o->client_secret_file != NULL && o->client_certificate != NULL)
		report(st, o->line, "[oauth2 %s] has both client_secret_file and client_certificate: "
		       "choose one", o->name);
	if (o->flow == OAUTH2_SERVICE_ACCOUNT && o->client_id == NULL)
		; /* the JSON key file names its client_email: checked when it is read */
	else if (o->client_id == NULL)
		report(st, o->line, "[oauth2 %s] has no client_id", o->name);
	if (o->flow == OAUTH2_CLIENT_CREDENTIALS && o->client_secret_file == NULL &&
	    o->client_certificate == NULL)
		report(st, o->line, "[oauth2 %s] needs client_secret_file or client_certificate and "
		       "client_key (or flow = device, for a refresh token from `liaison oauth2 login`)",
		       o->name);
	if (o->flow != OAUTH2_CLIENT_CREDENTIALS && o->client_certificate != NULL)
		report(st, o->line, "[oauth2 %s]: client_certificate is for flow = client_credentials "
		       "only", o->name);
	if (o->flow == OAUTH2_DEVICE && o->device_authorization_url == NULL)
		report(st, o->line, "[oauth2 %s] has flow = device but no device_authorization_url "
		       "(or tenant)", o->name);
	if (c->database != NULL) {
		char *copy = xstrdup(c->database);
		const char *dir = dirname(copy);
		if (o->refresh_token_file == NULL)
			o->refresh_token_file = xasprintf("%s/oauth2-%s.token", dir, o->name);
		if (o->key_file == NULL)
			o->key_file = xasprintf("%s/oauth2.key", dir);
		free(copy);
	}
	/* Two sections sealing into one file would overwrite each other's grant. */
	for (const struct oauth2_config *other = c->oauth2s; o->flow == OAUTH2_DEVICE && other < o;
	     other++)
		if (other->flow == OAUTH2_DEVICE && other->refresh_token_file != NULL &&
		    o->refresh_token_file != NULL &&
		    strcmp(other->refresh_token_file, o->refresh_token_file) == 0)
			report(st, o->line, "[oauth2 %s] has the refresh_token_file of [oauth2 %s]: each "
			       "needs its own", o->name, other->name);
}

static void check_complete(struct parse_state *st)
{
	struct config *c = st->config;
	char troops[64];
	if (!st->seen_liaison)
		report(st, 1, "no [liaison] section");
	if (c->database == NULL && st->seen_liaison)
		report(st, 1, "[liaison] has no database");
	check_credentials(st, "[smtp]", 1, c->smtp.password_file, c->smtp.token_command,
	                  c->smtp.oauth2);
	if (c->smtp.oauth2 != NULL && c->smtp.username == NULL)
		report(st, 1, "[smtp] has oauth2 but no username (the mailbox address it sends as)");
	check_token_over_tls(st, "[smtp]", 1, c->smtp.url, c->smtp.tls, c->smtp.oauth2);
	for (size_t i = 0; i < c->n_oauth2s; i++)
		check_oauth2(st, &c->oauth2s[i]);
	link_oauth2(c);
	check_web(st);
	for (size_t i = 0; i < c->n_users; i++) {
		struct user_config *u = &c->users[i];
		if ((int)u->role < 0)
			report(st, u->line, "[user %s] has no role", u->name);
		else if (u->role == ROLE_CTL && u->troops == NULL)
			report(st, u->line, "[user %s] is a ctl without troops", u->name);
		for (const char *t = u->role == ROLE_CTL && u->troops ? u->troops : ""; *t; t++)
			if (config_find_troop(c, *t) == NULL)
				report(st, u->line, "[user %s] works troop %c, which no [mailbox] has "
				       "(troops: %s)", u->name, *t, known_troops(c, troops, sizeof(troops)));
	}
	for (size_t i = 0; i < c->n_services; i++)
		if (c->services[i].name == NULL)
			report(st, c->services[i].line, "[service %s] has no name", c->services[i].id);
	for (size_t i = 0; i < c->n_mailboxes; i++) {
		struct mailbox_config *m = &c->mailboxes[i];
		if (m->troop == '\0')
			report(st, m->line, "[mailbox %s] has no troop", m->name);
		if (m->address == NULL)
			report(st, m->line, "[mailbox %s] has no address", m->name);
		if (m->folders.count == 0)
			strlist_add(&m->folders, "INBOX");
		char where[80];
		snprintf(where, sizeof(where), "[mailbox %s]", m->name);
		check_credentials(st, where, m->line, m->password_file, m->token_command, m->oauth2);
		check_token_over_tls(st, where, m->line, m->imap_url, m->tls, m->oauth2);
		for (size_t j = 0; j < i; j++)
			if (m->address && c->mailboxes[j].address &&
			    strcmp(m->address, c->mailboxes[j].address) == 0)
				report(st, m->line, "[mailbox %s] has the address of [mailbox %s]", m->name,
				       c->mailboxes[j].name);
	}
}

/* Reads path; with keep, the configuration is handed back even when it has errors (as far
 * as it could be read), for `liaison check` to go on checking what it names. */
static int load(const char *path, int keep, struct config **config_r, char **errors_r)
{
	struct parse_state st = {0};
	struct config *c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	mime_limits_default(&c->limits);
	c->autoreply_window = 7 * 86400;
	c->autoreply_domain_limit = 100;
	c->backfill_cutoff = 86400;
	c->respond_within = 2;
	c->poll_interval = 60;
	c->retention_transitory = 90 * 86400LL;
	c->retention_correspondence = 730 * 86400LL;
	c->retention_case = 3650 * 86400LL;
	c->backoff_max = 300;
	c->log_level = LOG_LEVEL_INFO;
	c->smtp.timeout = 30;
	c->web.session_idle = 30 * 60;
	c->web.session_max = 12 * 3600;
	c->web.max_connections = 64;
	c->web.connection_timeout = 30;
	c->web.max_body = 1024 * 1024;
	c->web.connection_memory = 64 * 1024;
	c->web.threads = 2;
	st.config = c;
	st.path = path;
	buf_init(&st.errors, 1 << 20);

	st.file = fopen(path, "r");
	if (st.file == NULL) {
		*errors_r = xasprintf("%s: %s\n", path, strerror(errno));
		config_free(&c);
		return -1;
	}
	char *copy = xstrdup(path);
	char *real = realpath(dirname(copy), NULL);
	st.dir = real ? real : xstrdup(".");
	free(copy);

	int rc = ini_parse_stream(reader_count_lines, &st, handle_line, &st);
	if (rc > 0 && st.errors.len == 0) /* a syntax error the reader's check let through */
		report(&st, rc, "not an INI line");
	fclose(st.file);
	if (c->templates == NULL)
		c->templates = xasprintf("%s/templates", st.dir);
	if (c->timezone == NULL)
		c->timezone = xstrdup("America/New_York");
	if (c->bates_prefix == NULL)
		c->bates_prefix = xstrdup("CTL-");
	if (c->program == NULL)
		c->program = xstrdup("Community Trust Liaison Program");
	if (c->routes == NULL)
		c->routes = xasprintf("%s/routes.conf", st.dir);
	if (c->web.listen == NULL)
		c->web.listen = xstrdup("127.0.0.1:8025");
	if (c->web.trusted_secret_header == NULL)
		c->web.trusted_secret_header = xstrdup("X-Liaison-Proxy-Secret");
	check_complete(&st);

	free(st.dir);
	free(st.section);
	if (st.errors.len > 0) {
		*errors_r = buf_steal(&st.errors, NULL);
		if (keep)
			*config_r = c;
		else
			config_free(&c);
		return -1;
	}
	buf_free(&st.errors);
	*config_r = c;
	return 0;
}

int config_load(const char *path, struct config **config_r, char **errors_r)
{
	return load(path, 0, config_r, errors_r);
}

int config_load_all(const char *path, struct config **config_r, char **errors_r)
{
	*config_r = NULL;
	return load(path, 1, config_r, errors_r);
}

/* Frees the strings the table's plain keys hold in base (the custom keys' are freed by
 * config_free itself). */
static void free_keys(const struct key *keys, size_t n_keys, void *base)
{
	for (size_t i = 0; i < n_keys; i++)
		if (keys[i].type <= KEY_SECRET_FILE)
			free(*(char **)((char *)base + keys[i].offset));
}

void config_free(struct config **config)
{
	struct config *c = *config;
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n_mailboxes; i++) {
		struct mailbox_config *m = &c->mailboxes[i];
		free_keys(mailbox_keys, N_KEYS(mailbox_keys), m);
		free(m->name);
		free(m->address);
		free(m->address_as_written);
		strlist_free(&m->aliases);
		strlist_free(&m->folders);
	}
	free(c->mailboxes);
	for (size_t i = 0; i < c->n_users; i++) {
		free_keys(user_keys, N_KEYS(user_keys), &c->users[i]);
		free(c->users[i].name);
		free(c->users[i].troops);
	}
	free(c->users);
	for (size_t i = 0; i < c->n_services; i++) {
		free_keys(service_keys, N_KEYS(service_keys), &c->services[i]);
		free(c->services[i].id);
	}
	free(c->services);
	for (size_t i = 0; i < c->n_oauth2s; i++) {
		free_keys(oauth2_keys, N_KEYS(oauth2_keys), &c->oauth2s[i]);
		free(c->oauth2s[i].name);
	}
	free(c->oauth2s);
	free_keys(liaison_keys, N_KEYS(liaison_keys), c);
	free_keys(smtp_keys, N_KEYS(smtp_keys), &c->smtp);
	free_keys(web_keys, N_KEYS(web_keys), &c->web);
	strlist_free(&c->categories);
	free(c->rms_pattern);
	free(c->path);
	free(c->timezone);
	free(c);
	*config = NULL;
}
