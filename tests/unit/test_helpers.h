/* test_helpers.h — small helpers shared by the unit tests. */
#ifndef LIAISON_TEST_HELPERS_H
#define LIAISON_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#endif
