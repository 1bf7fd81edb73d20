/* loadfile.c — manifest.csv, production.dat and SHA256SUMS of a production. */
#include "loadfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "hash.h"

static const char *const field_names[LOAD_FIELDS] = {
	"BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "TYPE", "MESSAGEID", "DATESENT", "FROM",
	"TO", "SUBJECT", "CUSTODIANS", "SHA256", "NATIVEPATH", "PDFPATH", "PRODUCED",
};

/* Concordance's quote (U+00FE) and separator (U+0014). */
#define DAT_QUOTE "\xc3\xbe"
#define DAT_SEPARATOR "\x14"

static FILE *create(const char *dir, const char *name, char **error_r)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wx");
	if (f == NULL)
		*error_r = xasprintf("%s: %s", path, strerror(errno));
	free(path);
	return f;
}

/* A .dat value: the quote and separator characters and line breaks cannot be escaped in the
 * format, so they become spaces (the manifest keeps the exact text). */
static void dat_field(FILE *out, const char *s)
{
	fputs(DAT_QUOTE, out);
	for (; s != NULL && *s; s++) {
		if (*s == '\r' || *s == '\n' || *s == '\x14')
			fputc(' ', out);
		else if (strncmp(s, DAT_QUOTE, 2) == 0)
			fputc(' ', out), s++;
		else
			fputc(*s, out);
	}
	fputs(DAT_QUOTE, out);
}

void loadfiles_row(struct loadfiles *lf, const char *const *fields)
{
	for (int i = 0; i < LOAD_FIELDS; i++) {
		if (i > 0) {
			fputc(',', lf->csv);
			fputs(DAT_SEPARATOR, lf->dat);
		}
		csv_write_field(lf->csv, fields[i]);
		dat_field(lf->dat, fields[i]);
	}
	fputs("\r\n", lf->csv);
	fputs("\r\n", lf->dat);
}

int loadfiles_open(const char *dir, struct loadfiles *lf, char **error_r)
{
	lf->csv = create(dir, "manifest.csv", error_r);
	if (lf->csv == NULL)
		return -1;
	lf->dat = create(dir, "production.dat", error_r);
	if (lf->dat == NULL) {
		fclose(lf->csv);
		lf->csv = NULL;
		return -1;
	}
	fputs("\xef\xbb\xbf", lf->dat);
	loadfiles_row(lf, field_names);
	return 0;
}

int loadfiles_close(struct loadfiles *lf, char **error_r)
{
	int bad = 0;
	if (lf->csv != NULL && (ferror(lf->csv) | fclose(lf->csv)) != 0)
		bad = 1;
	if (lf->dat != NULL && (ferror(lf->dat) | fclose(lf->dat)) != 0)
		bad = 1;
	lf->csv = lf->dat = NULL;
	if (bad) {
		*error_r = xasprintf("writing the load files: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int hash_file(const char *path, char hex_r[SHA256_HEX_SIZE], char **error_r)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	struct sha256_stream *h = sha256_stream_new();
	char block[1 << 16];
	ssize_t n;
	while ((n = read(fd, block, sizeof(block))) > 0)
		sha256_stream_update(h, block, (size_t)n);
	int saved = errno;
	close(fd);
	sha256_stream_finish(&h, hex_r);
	if (n < 0) {
		*error_r = xasprintf("%s: %s", path, strerror(saved));
		return -1;
	}
	return 0;
}

static int path_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int loadfile_write_sums(const char *dir, struct strlist *files, char sums_hash_r[65],
                        char **error_r)
{
	qsort(files->items, files->count, sizeof(*files->items), path_order);
	FILE *out = create(dir, "SHA256SUMS", error_r);
	if (out == NULL)
		return -1;
	for (size_t i = 0; i < files->count; i++) {
		char *path = xasprintf("%s/%s", dir, files->items[i]);
		char hex[SHA256_HEX_SIZE];
		int rc = hash_file(path, hex, error_r);
		free(path);
		if (rc < 0) {
			fclose(out);
			return -1;
		}
		fprintf(out, "%s  %s\n", hex, files->items[i]);
	}
	if ((ferror(out) | fclose(out)) != 0) {
		*error_r = xasprintf("%s/SHA256SUMS: %s", dir, strerror(errno));
		return -1;
	}
	char *path = xasprintf("%s/SHA256SUMS", dir);
	int rc = hash_file(path, sums_hash_r, error_r);
	free(path);
	return rc;
}
