/* test_helpers.h — small helpers shared by the unit tests. */
#ifndef LIAISON_TEST_HELPERS_H
#define LIAISON_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

/* A new temporary folder (caller frees the string; the folder is left for inspection). */
static inline char *test_tmpdir(void)
{
	char tmpl[] = "/tmp/liaison-unit.XXXXXX";
	char *dir = mkdtemp(tmpl);
	return dir ? xstrdup(dir) : NULL;
}

static inline void test_write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		abort();
	fputs(content, f);
	fclose(f);
}

/* Writes text as the configuration file path and loads it into *config_r, then sets the
 * process's zone to the configured one, as the program does (dates are the zone's).
 * Returns 0, or -1 with the configuration's errors on stderr. */
static inline int test_config_load(const char *path, const char *text, struct config **config_r)
{
	test_write_file(path, text);
	char *errors = NULL;
	if (config_load(path, config_r, &errors) < 0) {
		fprintf(stderr, "%s", errors);
		free(errors);
		return -1;
	}
	setenv("TZ", (*config_r)->timezone, 1);
	tzset();
	return 0;
}

/* Troop K's mailbox (troopkctl@ct.gov, Sent folder "Sent") with one alias; free its aliases
 * with strlist_free. */
static inline struct mailbox_config test_troop_k(const char *alias)
{
	struct mailbox_config m = {0};
	m.name = "K";
	m.troop = 'K';
	m.address = "troopkctl@ct.gov";
	strlist_add(&m.aliases, alias);
	m.sent_folder = "Sent";
	return m;
}

#endif
