/* Unit tests: zip.c — the CRC-32, and archives that unzip reads back byte for byte: names
 * and folders in order, an empty file, an empty folder, a file larger than the copy buffer,
 * and the refusals (an existing archive, a symbolic link). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_helpers.h"
#include "zip.h"

static void test_crc32(void **state)
{
	/* the check value of CRC-32/ISO-HDLC (the catalogue of parametrised CRC algorithms) */
	assert_int_equal(zip_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(zip_crc32(0, "", 0), 0);
	/* continued over pieces, the same as at once */
	uint32_t c = zip_crc32(0, "12345", 5);
	assert_int_equal(zip_crc32(c, "6789", 4), 0xcbf43926u);
}

/* The output of a shell command (caller frees), and its exit status. */
static char *run(const char *cmd, int *status_r)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct buf b;
	buf_init(&b, 64 << 20);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(buf_add(&b, chunk, n), 0);
	*status_r = pclose(p);
	buf_add(&b, "", 1);
	return buf_steal(&b, NULL);
}

static void test_data_entries(void **state)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/a.zip", dir);
	struct zip *z = NULL;
	char *error = NULL;
	assert_int_equal(zip_open(path, &z, &error), 0);
	assert_int_equal(zip_add_data(z, "P/", "", 0, 1796000000, &error), 0);
	assert_int_equal(zip_add_data(z, "P/hello.txt", "hello\n", 6, 1796000000, &error), 0);
	assert_int_equal(zip_add_data(z, "P/empty", "", 0, 1796000000, &error), 0);
	assert_int_equal(zip_close(&z, &error), 0);
	assert_null(z);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	int status;
	char *cmd = xasprintf("unzip -t '%s' 2>&1", path);
	char *out = run(cmd, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "No errors detected"));
	free(cmd), free(out);
	/* names, in the order written; the empty file is there with no bytes */
	cmd = xasprintf("unzip -Z1 '%s'", path);
	out = run(cmd, &status);
	assert_int_equal(status, 0);
	assert_string_equal(out, "P/\nP/hello.txt\nP/empty\n");
	free(cmd), free(out);
	cmd = xasprintf("unzip -p '%s' P/hello.txt", path);
	out = run(cmd, &status);
	assert_string_equal(out, "hello\n");
	free(cmd), free(out);
	cmd = xasprintf("unzip -Zl '%s' P/empty", path);
	out = run(cmd, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, " 0 "));
	free(cmd), free(out);

	/* a second archive over the first is refused: it is always made new */
	assert_int_equal(zip_open(path, &z, &error), -1);
	assert_non_null(strstr(error, "File exists"));
	free(error);
	free(path);
	free(dir);
}

/* A tree like a package: files sorted, an empty folder kept, a file of several copy buffers
 * (3 MiB of varied bytes) read back identical, and unzip then sha256sum -c passing. */
static void test_tree(void **state)
{
	char *dir = test_tmpdir();
	char *pkg = xasprintf("%s/FOIA-2026-0001-CTL000001", dir);
	assert_int_equal(mkdir(pkg, 0700), 0);
	char *p = xasprintf("%s/pdf", pkg);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/natives", pkg);
	assert_int_equal(mkdir(p, 0700), 0); /* stays empty */
	free(p);
	p = xasprintf("%s/pdf/b.pdf", pkg);
	test_write_file(p, "%PDF-1.5 b\n");
	free(p);
	p = xasprintf("%s/pdf/a.pdf", pkg);
	test_write_file(p, "%PDF-1.5 a\n");
	free(p);
	p = xasprintf("%s/README.txt", pkg);
	test_write_file(p, "");
	free(p);
	p = xasprintf("%s/large.bin", pkg);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < 3u << 20; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		fputc((int)(x & 0xff), f);
	}
	fclose(f);
	free(p);
	int status;
	char *cmd = xasprintf("cd '%s' && sha256sum README.txt large.bin pdf/a.pdf pdf/b.pdf "
	                      "> SHA256SUMS", pkg);
	free(run(cmd, &status));
	assert_int_equal(status, 0);
	free(cmd);

	char *path = xasprintf("%s/p.zip", dir);
	struct zip *z = NULL;
	char *error = NULL;
	assert_int_equal(zip_open(path, &z, &error), 0);
	assert_int_equal(zip_add_tree(z, "FOIA-2026-0001-CTL000001", pkg, &error), 0);
	assert_int_equal(zip_close(&z, &error), 0);

	cmd = xasprintf("unzip -Z1 '%s'", path);
	char *out = run(cmd, &status);
	assert_int_equal(status, 0);
	assert_string_equal(out, "FOIA-2026-0001-CTL000001/\n"
	                         "FOIA-2026-0001-CTL000001/README.txt\n"
	                         "FOIA-2026-0001-CTL000001/SHA256SUMS\n"
	                         "FOIA-2026-0001-CTL000001/large.bin\n"
	                         "FOIA-2026-0001-CTL000001/natives/\n"
	                         "FOIA-2026-0001-CTL000001/pdf/\n"
	                         "FOIA-2026-0001-CTL000001/pdf/a.pdf\n"
	                         "FOIA-2026-0001-CTL000001/pdf/b.pdf\n");
	free(cmd), free(out);
	char *out_dir = xasprintf("%s/out", dir);
	cmd = xasprintf("unzip -q '%s' -d '%s' && cd '%s/FOIA-2026-0001-CTL000001' && "
	                "sha256sum -c SHA256SUMS && test -d natives && cmp large.bin '%s/large.bin'",
	                path, out_dir, out_dir, pkg);
	out = run(cmd, &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "large.bin: OK"));
	free(cmd), free(out);
	free(out_dir);

	/* a symbolic link in the tree is refused, and nothing is left behind */
	p = xasprintf("%s/link", pkg);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	free(p);
	char *path2 = xasprintf("%s/q.zip", dir);
	assert_int_equal(zip_open(path2, &z, &error), 0);
	assert_int_equal(zip_add_tree(z, "X", pkg, &error), -1);
	assert_non_null(strstr(error, "link"));
	free(error);
	error = NULL;
	assert_int_equal(zip_close(&z, &error), -1);
	free(error);
	assert_int_equal(access(path2, F_OK), -1);
	free(path2);
	free(path);
	free(pkg);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_data_entries),
		cmocka_unit_test(test_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
