/* test_import.c — import.c against fixtures built in a fresh temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "import.h"
#include "util.h"

#define MAX_MESSAGE (1024 * 1024)

/* One result of import_source_next, copied out since the item is only valid until the next
 * call. */
struct result {
	int rc;
	char *raw;
	size_t len;
	char *source;
	int64_t date;
	char *error;
};

struct run {
	enum import_kind kind;
	struct result r[32];
	size_t count; /* results up to and including the final 0 */
};

static char *tmp_root;

static char *fixture_path(const char *rel)
{
	return xasprintf("%s/%s", tmp_root, rel);
}

static void write_file(const char *rel, const void *data, size_t len, int64_t mtime)
{
	char *path = fixture_path(rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	if (mtime > 0) {
		struct timeval tv[2] = { { (time_t)mtime, 0 }, { (time_t)mtime, 0 } };
		assert_int_equal(utimes(path, tv), 0);
	}
	free(path);
}

static void write_str(const char *rel, const char *s, int64_t mtime)
{
	write_file(rel, s, strlen(s), mtime);
}

static void make_dir(const char *rel)
{
	char *path = fixture_path(rel);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
}

/* The absolute, symlink-free form of a fixture path (the temp folder may sit under a link). */
static char *abs_fixture(const char *rel)
{
	char *path = fixture_path(rel);
	char *abs = realpath(path, NULL);
	assert_non_null(abs);
	free(path);
	return abs;
}

static void run_steps(struct import_source *src, struct run *run)
{
	run->kind = import_source_kind(src);
	run->count = 0;
	for (;;) {
		assert_true(run->count < 32);
		struct result *res = &run->r[run->count++];
		struct import_item item = { 0 };
		char *error = NULL;
		memset(res, 0, sizeof(*res));
		res->rc = import_source_next(src, &item, &error);
		if (res->rc == 1) {
			assert_null(error);
			assert_non_null(item.raw);
			res->raw = xmalloc(item.len + 1);
			memcpy(res->raw, item.raw, item.len);
			res->raw[item.len] = '\0';
			res->len = item.len;
			res->source = xstrdup(item.source);
			res->date = item.internal_date;
		} else if (res->rc < 0) {
			assert_non_null(error);
			res->error = error;
		} else {
			assert_int_equal(res->rc, 0);
			assert_null(error);
			/* and it stays at the end */
			assert_int_equal(import_source_next(src, &item, &error), 0);
			return;
		}
	}
}

static void import_all(const char *rel, size_t max, struct run *run)
{
	char *path = fixture_path(rel);
	struct import_source *src = NULL;
	char *error = NULL;
	int rc = import_source_open(path, max, &src, &error);
	if (rc < 0)
		fail_msg("open %s: %s", path, error);
	free(path);
	run_steps(src, run);
	import_source_close(&src);
	assert_null(src);
}

static void run_free(struct run *run)
{
	for (size_t i = 0; i < run->count; i++) {
		free(run->r[i].raw);
		free(run->r[i].source);
		free(run->r[i].error);
	}
	run->count = 0;
}

static void assert_message(const struct result *res, const char *expected)
{
	assert_int_equal(res->rc, 1);
	assert_int_equal(res->len, strlen(expected));
	assert_memory_equal(res->raw, expected, res->len);
}

static void assert_mbox_key(const struct result *res, const char *rel, unsigned ordinal)
{
	char *abs = abs_fixture(rel);
	char *key = xasprintf("%s#%u", abs, ordinal);
	assert_string_equal(res->source, key);
	free(key);
	free(abs);
}

static int setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	char *templ = xasprintf("%s/liaison-import-XXXXXX", base != NULL ? base : "/tmp");
	assert_non_null(mkdtemp(templ));
	tmp_root = templ;
	return 0;
}

static int remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (d != NULL) {
			const struct dirent *de;
			while ((de = readdir(d)) != NULL) {
				if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
					continue;
				char *child = xasprintf("%s/%s", path, de->d_name);
				remove_tree(child);
				free(child);
			}
			closedir(d);
		}
		return rmdir(path);
	}
	return unlink(path);
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(tmp_root);
	xfree(&tmp_root);
	return 0;
}

/* ---- Maildir ---------------------------------------------------------------------------- */

static void make_maildir(const char *rel)
{
	char *d;
	make_dir(rel);
	d = xasprintf("%s/cur", rel);
	make_dir(d);
	free(d);
	d = xasprintf("%s/new", rel);
	make_dir(d);
	free(d);
	d = xasprintf("%s/tmp", rel);
	make_dir(d);
	free(d);
}

static void test_maildir_order_and_keys(void **state)
{
	(void)state;
	make_maildir("md");
	write_str("md/new/200.x.host", "Subject: new 200\n\nb\n", 1700000200);
	write_str("md/new/100.y.host", "Subject: new 100\n\nb\n", 1700000100);
	write_str("md/new/.hidden", "x", 0);
	write_str("md/cur/300.w.host:2,", "Subject: cur 300\n\nb\n", 1700000300);
	write_str("md/cur/050.z.host:2,S", "Subject: cur 050\n\nb\n", 1700000050);
	make_dir("md/cur/subfolder");
	write_str("md/tmp/999.t.host", "Subject: in tmp\n\nb\n", 0);

	struct run run;
	import_all("md", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_MAILDIR);
	assert_int_equal(run.count, 5);
	assert_message(&run.r[0], "Subject: new 100\n\nb\n");
	assert_message(&run.r[1], "Subject: new 200\n\nb\n");
	assert_message(&run.r[2], "Subject: cur 050\n\nb\n");
	assert_message(&run.r[3], "Subject: cur 300\n\nb\n");
	assert_int_equal(run.r[4].rc, 0);
	assert_int_equal(run.r[0].date, 1700000100);
	assert_int_equal(run.r[2].date, 1700000050);

	char *abs = abs_fixture("md");
	char *key = xasprintf("%s/100.y.host", abs);
	assert_string_equal(run.r[0].source, key);
	char *key_z = xasprintf("%s/050.z.host", abs);
	assert_string_equal(run.r[2].source, key_z);

	/* A client reads 100.y (new/ -> cur/ with flags) and flags 050.z: keys do not move. */
	char *from = fixture_path("md/new/100.y.host");
	char *to = fixture_path("md/cur/100.y.host:2,RS");
	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);
	from = fixture_path("md/cur/050.z.host:2,S");
	to = fixture_path("md/cur/050.z.host:2,FS");
	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);

	struct run again;
	import_all("md", MAX_MESSAGE, &again);
	assert_int_equal(again.count, 5);
	assert_message(&again.r[0], "Subject: new 200\n\nb\n");
	assert_message(&again.r[1], "Subject: cur 050\n\nb\n");
	assert_string_equal(again.r[1].source, key_z);
	assert_message(&again.r[2], "Subject: new 100\n\nb\n");
	assert_string_equal(again.r[2].source, key);
	assert_int_equal(again.r[2].date, 1700000100);
	free(key);
	free(key_z);
	free(abs);
	run_free(&run);
	run_free(&again);
}

/* A client renames or deletes messages between our listing (at open) and our reads. */
static void test_maildir_moved_while_importing(void **state)
{
	(void)state;
	make_maildir("live");
	write_str("live/new/1.a.host", "Subject: one\n\nb\n", 0);
	write_str("live/new/2.b.host", "Subject: two\n\nb\n", 0);
	write_str("live/cur/3.c.host:2,", "Subject: three\n\nb\n", 0);

	char *path = fixture_path("live");
	struct import_source *src = NULL;
	char *error = NULL;
	assert_int_equal(import_source_open(path, MAX_MESSAGE, &src, &error), 0);
	free(path);

	char *from = fixture_path("live/new/1.a.host");
	char *to = fixture_path("live/cur/1.a.host:2,S");
	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);
	char *gone = fixture_path("live/cur/3.c.host:2,");
	assert_int_equal(unlink(gone), 0);
	free(gone);

	struct run run;
	run_steps(src, &run);
	import_source_close(&src);
	assert_int_equal(run.count, 3);
	assert_message(&run.r[0], "Subject: two\n\nb\n");
	assert_message(&run.r[1], "Subject: one\n\nb\n");
	char *abs = abs_fixture("live");
	char *key = xasprintf("%s/1.a.host", abs);
	assert_string_equal(run.r[1].source, key);
	free(key);
	free(abs);
	assert_int_equal(run.r[2].rc, 0);
	run_free(&run);
}

static void test_maildir_empty_and_oversize(void **state)
{
	(void)state;
	make_maildir("md2");
	struct run run;
	import_all("md2", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_MAILDIR);
	assert_int_equal(run.count, 1);
	assert_int_equal(run.r[0].rc, 0);
	run_free(&run);

	write_str("md2/cur/1.big:2,", "Subject: big\n\n0123456789012345678901234567890123456789\n", 0);
	write_str("md2/cur/2.small:2,", "Subject: s\n\nb\n", 0);
	import_all("md2", 30, &run);
	assert_int_equal(run.count, 3);
	assert_int_equal(run.r[0].rc, -1);
	assert_non_null(strstr(run.r[0].error, "1.big:2,"));
	assert_non_null(strstr(run.r[0].error, "limit"));
	assert_message(&run.r[1], "Subject: s\n\nb\n");
	run_free(&run);
}

/* ---- mbox ------------------------------------------------------------------------------- */

static void test_mboxrd_unquoting(void **state)
{
	(void)state;
	const char *mbox =
		"From alice@example.org Mon Jan  5 14:03:00 2026\n"
		"Subject: one\n"
		"\n"
		">From the start of a line\n"
		">>From quoted twice\n"
		">>>From three\n"
		"> From not quoted (space)\n"
		"\n"
		"From bob@example.org Tue Jan  6 09:00:00 2026\n"
		"Subject: two\n"
		"\n"
		"body two\n"
		"\n";
	write_str("rd.mbox", mbox, 1600000000);
	struct run run;
	import_all("rd.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_MBOX);
	assert_int_equal(run.count, 3);
	assert_message(&run.r[0], "Subject: one\n"
	                          "\n"
	                          "From the start of a line\n"
	                          ">From quoted twice\n"
	                          ">>From three\n"
	                          "> From not quoted (space)\n");
	assert_message(&run.r[1], "Subject: two\n\nbody two\n");
	assert_mbox_key(&run.r[0], "rd.mbox", 1);
	assert_mbox_key(&run.r[1], "rd.mbox", 2);
	assert_int_equal(run.r[0].date, 1767621780);
	assert_int_equal(run.r[1].date, 1767621780 + 86400 - 5 * 3600 - 3 * 60);
	assert_int_equal(run.r[2].rc, 0);
	run_free(&run);
}

static void test_mboxo_unquoting(void **state)
{
	(void)state;
	/* No ^>>+From line: mboxo (or mboxrd, the same here): one level comes off. */
	const char *mbox =
		"From alice@example.org Mon Jan  5 14:03:00 2026\n"
		"Subject: o\n"
		"\n"
		">From here on\n"
		"text >From mid-line stays\n"
		"\n"
		"\n"
		"From carol Mon Jan  5 14:04:00 2026\n"
		"Subject: p\n"
		"\n"
		"last line without separator\n";
	write_str("o.mbox", mbox, 0);
	struct run run;
	import_all("o.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 3);
	/* the message's own blank last line stays; only the separator's goes */
	assert_message(&run.r[0], "Subject: o\n\nFrom here on\ntext >From mid-line stays\n\n");
	assert_message(&run.r[1], "Subject: p\n\nlast line without separator\n");
	run_free(&run);
}

static void test_mbox_crlf(void **state)
{
	(void)state;
	const char *mbox =
		"From a@example.org Mon Jan  5 14:03:00 2026\r\n"
		"Subject: crlf one\r\n"
		"\r\n"
		">From quoted\r\n"
		"body\r\n"
		"\r\n"
		"From b@example.org Mon Jan  5 14:03:00 2026\r\n"
		"Subject: crlf two\r\n"
		"\r\n"
		"body\r\n"
		"\r\n";
	write_str("crlf.mbox", mbox, 0);
	struct run run;
	import_all("crlf.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_MBOX);
	assert_int_equal(run.count, 3);
	assert_message(&run.r[0], "Subject: crlf one\r\n\r\nFrom quoted\r\nbody\r\n");
	assert_message(&run.r[1], "Subject: crlf two\r\n\r\nbody\r\n");
	assert_int_equal(run.r[0].date, 1767621780);
	run_free(&run);
}

static void test_mbox_from_in_body(void **state)
{
	(void)state;
	/* Leading empty lines, then a "From " line that follows no empty line: body text. */
	const char *mbox =
		"\n\n"
		"From a Mon Jan  5 14:03:00 2026\n"
		"Subject: s\n"
		"\n"
		"line\n"
		"From here it is still the body\n"
		"\n"
		"From b Mon Jan  5 14:03:00 2026\n"
		"Subject: t\n"
		"\n"
		"x\n";
	write_str("body.mbox", mbox, 0);
	struct run run;
	import_all("body.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 3);
	assert_message(&run.r[0], "Subject: s\n\nline\nFrom here it is still the body\n");
	assert_message(&run.r[1], "Subject: t\n\nx\n");
	run_free(&run);
}

static void test_mbox_truncated(void **state)
{
	(void)state;
	const char *good =
		"From a Mon Jan  5 14:03:00 2026\n"
		"Subject: one\n"
		"\n"
		"b1\n"
		"\n"
		"From b Mon Jan  5 14:03:00 2026\n"
		"Subject: two\n"
		"\n"
		"b2\n"
		"\n";
	struct run run;

	/* the file stops in the middle of a header line */
	char *cut = xasprintf("%sFrom c Mon Jan  5 14:03:00 2026\nSubject: thr", good);
	write_str("cut.mbox", cut, 0);
	free(cut);
	import_all("cut.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 4);
	assert_message(&run.r[0], "Subject: one\n\nb1\n");
	assert_message(&run.r[1], "Subject: two\n\nb2\n");
	assert_int_equal(run.r[2].rc, -1);
	assert_non_null(strstr(run.r[2].error, "cut.mbox#3"));
	assert_non_null(strstr(run.r[2].error, "truncated"));
	assert_int_equal(run.r[3].rc, 0);
	run_free(&run);

	/* the file stops at a line end, but inside the header block */
	char *hdr = xasprintf("%sFrom c Mon Jan  5 14:03:00 2026\nSubject: three\nTo: x\n", good);
	write_str("hdr.mbox", hdr, 0);
	free(hdr);
	import_all("hdr.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 4);
	assert_int_equal(run.r[1].rc, 1);
	assert_int_equal(run.r[2].rc, -1);
	assert_non_null(strstr(run.r[2].error, "hdr.mbox#3"));
	assert_non_null(strstr(run.r[2].error, "header block"));
	run_free(&run);

	/* the body lacks its final newline */
	char *nonl = xasprintf("%sFrom c Mon Jan  5 14:03:00 2026\nSubject: three\n\nbody", good);
	write_str("nonl.mbox", nonl, 0);
	free(nonl);
	import_all("nonl.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 4);
	assert_int_equal(run.r[2].rc, -1);
	assert_non_null(strstr(run.r[2].error, "newline"));
	run_free(&run);

	/* a header-only last message followed by the separator's empty line is whole */
	char *whole = xasprintf("%sFrom c Mon Jan  5 14:03:00 2026\nSubject: three\n\n", good);
	write_str("whole.mbox", whole, 0);
	free(whole);
	import_all("whole.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 4);
	assert_message(&run.r[2], "Subject: three\n");
	run_free(&run);
}

static void test_mbox_oversize_then_continue(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, SIZE_MAX);
	buf_addstr(&b, "From a Mon Jan  5 14:03:00 2026\nSubject: small\n\nok\n\n");
	buf_addstr(&b, "From b Mon Jan  5 14:03:00 2026\nSubject: big\n\n");
	for (int i = 0; i < 50; i++)
		buf_addstr(&b, "0123456789012345678901234567890123456789\n");
	/* one line longer than the limit on its own */
	buf_addstr(&b, "\nFrom c Mon Jan  5 14:03:00 2026\nSubject: long line\n\n");
	for (int i = 0; i < 300; i++)
		buf_addstr(&b, "xxxxxxxxxx");
	buf_addstr(&b, "\n\nFrom d Mon Jan  5 14:03:00 2026\nSubject: after\n\nfine\n");
	write_file("big.mbox", b.data, b.len, 0);
	buf_free(&b);

	struct run run;
	import_all("big.mbox", 200, &run);
	assert_int_equal(run.count, 5);
	assert_message(&run.r[0], "Subject: small\n\nok\n");
	assert_int_equal(run.r[1].rc, -1);
	assert_non_null(strstr(run.r[1].error, "big.mbox#2"));
	assert_non_null(strstr(run.r[1].error, "limit"));
	assert_int_equal(run.r[2].rc, -1);
	assert_non_null(strstr(run.r[2].error, "big.mbox#3"));
	assert_message(&run.r[3], "Subject: after\n\nfine\n");
	assert_mbox_key(&run.r[3], "big.mbox", 4);
	assert_int_equal(run.r[4].rc, 0);
	run_free(&run);
}

/* Lines cross the reader's 64 KiB chunks, one line is longer than a chunk: every message
 * comes back byte for byte. */
static void test_mbox_across_chunks(void **state)
{
	(void)state;
	enum { COUNT = 120 };
	struct buf file, expect[COUNT];
	buf_init(&file, SIZE_MAX);
	for (int i = 0; i < COUNT; i++) {
		buf_init(&expect[i], SIZE_MAX);
		buf_addf(&expect[i], "Subject: message %d\n\n", i);
		for (int j = 0; j < (i * 7) % 90; j++)
			buf_addf(&expect[i], "line %d of %d with some text %*s\n", j, i, (i + j) % 60, "");
		if (i == 77)
			for (int k = 0; k < 7000; k++)
				buf_addstr(&expect[i], "0123456789");
		buf_addstr(&expect[i], "\nlast\n");
		buf_addf(&file, "From sender%d Mon Jan  5 14:03:00 2026\n", i);
		buf_add(&file, expect[i].data, expect[i].len);
		buf_addstr(&file, "\n");
	}
	write_file("chunks.mbox", file.data, file.len, 0);
	assert_true(file.len > 3 * 64 * 1024);
	buf_free(&file);

	struct import_source *src = NULL;
	char *error = NULL;
	char *path = fixture_path("chunks.mbox");
	assert_int_equal(import_source_open(path, MAX_MESSAGE, &src, &error), 0);
	free(path);
	for (int i = 0; i < COUNT; i++) {
		struct import_item item;
		assert_int_equal(import_source_next(src, &item, &error), 1);
		assert_int_equal(item.len, expect[i].len);
		assert_memory_equal(item.raw, expect[i].data, item.len);
		buf_free(&expect[i]);
	}
	struct import_item item;
	assert_int_equal(import_source_next(src, &item, &error), 0);
	import_source_close(&src);
}

#define T_MON_JAN_5 1767621780 /* Mon Jan  5 14:03:00 2026 UTC */

/* Which "From " lines separate messages, and the date each gives: what mutt, Python's
 * mailbox, Postfix, Dovecot, Thunderbird and Gmail's export write is one; prose, a bare
 * address and impossible dates are not, and stay in the body. */
static void test_mbox_separator_forms(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		int64_t date; /* 0: not a separator */
	} cases[] = {
		{ "From alice@example.org Mon Jan  5 14:03:00 2026", T_MON_JAN_5 }, /* asctime */
		{ "From alice@example.org  Mon Jan  5 14:03:00 2026", T_MON_JAN_5 }, /* Postfix */
		{ "From alice@example.org  Mon Jan 05 14:03:00 2026", T_MON_JAN_5 }, /* Dovecot */
		{ "From - Mon Jan 05 14:03:00 2026", T_MON_JAN_5 },                  /* Thunderbird */
		{ "From 1821456789012345678@xxx Mon Jan 05 14:03:00 +0000 2026", T_MON_JAN_5 },
		{ "From b Mon Jan 5 14:03:00 2026 +0100", T_MON_JAN_5 - 3600 },
		{ "From b Mon Jan  5 09:03:00 -0500 2026", T_MON_JAN_5 },
		{ "From c Mon Jan  5 14:03 EST 2026", T_MON_JAN_5 }, /* named zones: UTC */
		{ "From c Mon Jan  5 14:03:00 MET DST 2026", T_MON_JAN_5 },
		{ "From c Mon Jan  5 14:03:00 2026 UTC", T_MON_JAN_5 },
		{ "From uucp!alice Mon Jan  5 14:03:00 2026 remote from gateway", T_MON_JAN_5 },
		{ "From \"odd sender\"@example.org Mon Jan  5 14:03:00 2026", T_MON_JAN_5 },
		{ "From   Mon Jan  5 14:03:00 2026", T_MON_JAN_5 }, /* empty sender */
		{ "From MAILER-DAEMON mon JAN  5 14:03:00 2026", T_MON_JAN_5 },
		{ "From d Wed Dec 31 23:59:59 2025", 1767225599 },
		{ "From d Wed Dec 31 23:59:59 1969", -1 }, /* a real instant, not an error */
		{ "From d Sun Jan  5 14:03:00 1969", -31139820 },
		{ "From e@example.org", 0 },
		{ "From here on, the meeting is in the library.", 0 },
		{ "From TroopKCTL@ct.gov about Saturday", 0 },
		{ "From 10am to noon Mon Jan  5 14:03:00 2026", 0 },
		{ "From f Mon Feb 31 10:00:00 2026", 0 },
		{ "From g Mon Jan  5 24:00:00 2026", 0 },
		{ "From g Mon Jan  5 14:3:00 2026", 0 },
		{ "From g Mon Jan  5 14:03:00 26", 0 },
		{ "From g Mon Jan  5 2026", 0 },
		{ "From g Mon Foo  5 14:03:00 2026", 0 },
		{ "From g Mon Jan  5 14:03:00 +2500 2026", 0 },
		{ "From g Mon Jan  5 14:03:00 2026 and then we talked", 0 },
		{ "From g Mon Jan  5 14:03:00 2026 remote", 0 },
		{ "From \"unterminated Mon Jan  5 14:03:00 2026", 0 },
		{ "Fromage Mon Jan  5 14:03:00 2026", 0 },
	};
	const char *first = "From a Mon Jan  5 14:03:00 2026\nSubject: one\n\nbody\n\n";
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *mbox = xasprintf("%s%s\nSubject: two\n\nb\n", first, cases[i].line);
		write_str("forms.mbox", mbox, 1500000000);
		free(mbox);
		struct run run;
		import_all("forms.mbox", MAX_MESSAGE, &run);
		if (cases[i].date != 0) {
			if (run.count != 3)
				fail_msg("\"%s\" should separate messages", cases[i].line);
			assert_message(&run.r[0], "Subject: one\n\nbody\n");
			assert_message(&run.r[1], "Subject: two\n\nb\n");
			if (run.r[1].date != cases[i].date)
				fail_msg("\"%s\": date %lld, not %lld", cases[i].line,
				         (long long)run.r[1].date, (long long)cases[i].date);
		} else {
			if (run.count != 2)
				fail_msg("\"%s\" should stay in the body", cases[i].line);
			char *body = xasprintf("Subject: one\n\nbody\n\n%s\nSubject: two\n\nb\n",
			                       cases[i].line);
			assert_message(&run.r[0], body);
			free(body);
		}
		run_free(&run);
	}

	/* a separator-like line longer than any separator is body text */
	struct buf b;
	buf_init(&b, SIZE_MAX);
	buf_addstr(&b, first);
	buf_addstr(&b, "From ");
	for (int i = 0; i < 110; i++)
		buf_addstr(&b, "xxxxxxxxxx");
	buf_addstr(&b, " Mon Jan  5 14:03:00 2026\nSubject: two\n\nb\n");
	write_file("long.mbox", b.data, b.len, 0);
	buf_free(&b);
	struct run run;
	import_all("long.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 2);
	run_free(&run);
}

/* The cases.  A body line "From here on..." after a paragraph break does not cut the
 * message; neither does a forged separator that the writer quoted, as every writer we know
 * does.  In a file whose writer did not quote, a well-formed separator after an empty line
 * is one: mboxo cannot tell (see mbox_next); both parts are then kept. */
static void test_mbox_body_from_lines(void **state)
{
	(void)state;
	const char *body =
		"From: stranger@example.net\n"
		"To: TroopKCTL@ct.gov\n"
		"Subject: minutes\n"
		"\n"
		"The meeting went well.\n"
		"\n"
		"From here on, we meet in the library.\n"
		"\n"
		"From TroopKCTL@ct.gov we have heard nothing yet.\n"
		"\n"
		"From 10am to noon on Saturday.\n";
	char *mbox = xasprintf("From stranger@example.net Mon Jan  5 14:03:00 2026\n%s", body);
	write_str("prose.mbox", mbox, 0);
	free(mbox);
	struct run run;
	import_all("prose.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_MBOX);
	assert_int_equal(run.count, 2);
	assert_message(&run.r[0], body);
	run_free(&run);

	/* the forged outgoing message, quoted by the writer: one message, restored as sent */
	const char *head =
		"From: stranger@example.net\n"
		"To: TroopKCTL@ct.gov\n"
		"Subject: hello\n"
		"\n"
		"hi\n"
		"\n";
	const char *tail =
		"From TroopKCTL@ct.gov Sat Dec  5 10:00:00 2026\n"
		"From: TroopKCTL@ct.gov\n"
		"To: victim@example.org\n"
		"Subject: your case is closed\n"
		"\n"
		"fake\n";
	char *as_sent = xasprintf("%s%s", head, tail);
	char *quoted = xasprintf("%s>%s", head, tail);
	mbox = xasprintf("From stranger@example.net Sat Dec  5 09:00:00 2026\n%s", quoted);
	write_str("quoted.mbox", mbox, 0);
	free(mbox);
	import_all("quoted.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 2);
	assert_message(&run.r[0], as_sent);
	run_free(&run);

	/* ... and unquoted: indistinguishable from two messages.  Both parts are stored. */
	mbox = xasprintf("From stranger@example.net Sat Dec  5 09:00:00 2026\n%s", as_sent);
	write_str("unquoted.mbox", mbox, 0);
	free(mbox);
	import_all("unquoted.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 3);
	assert_message(&run.r[0], "From: stranger@example.net\nTo: TroopKCTL@ct.gov\n"
	                          "Subject: hello\n\nhi\n");
	assert_message(&run.r[1], "From: TroopKCTL@ct.gov\nTo: victim@example.org\n"
	                          "Subject: your case is closed\n\nfake\n");
	assert_int_equal(run.r[1].date, 1796464800);
	run_free(&run);
	free(as_sent);
	free(quoted);
}

/* What Python's mailbox.mbox writes (From_ quoting of every ^From line, an empty line after
 * each message) and what Thunderbird writes ("From - " and a zero-padded day): every message
 * back as it was given to the writer. */
static void test_mbox_writers(void **state)
{
	(void)state;
	const char *python =
		"From MAILER-DAEMON Sat Dec  5 10:00:00 2026\n"
		"From: alice@example.org\n"
		"Subject: one\n"
		"\n"
		">From here on, we meet in the library.\n"
		"\n"
		">From TroopKCTL@ct.gov Sat Dec  5 10:00:00 2026\n"
		"From: TroopKCTL@ct.gov\n"
		"\n"
		"From MAILER-DAEMON Sat Dec  5 10:00:01 2026\n"
		"From: bob@example.org\n"
		"Subject: two\n"
		"\n"
		"last\n"
		"\n";
	write_str("python.mbox", python, 0);
	struct run run;
	import_all("python.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 3);
	assert_message(&run.r[0], "From: alice@example.org\nSubject: one\n\n"
	                          "From here on, we meet in the library.\n\n"
	                          "From TroopKCTL@ct.gov Sat Dec  5 10:00:00 2026\n"
	                          "From: TroopKCTL@ct.gov\n");
	assert_message(&run.r[1], "From: bob@example.org\nSubject: two\n\nlast\n");
	assert_int_equal(run.r[0].date, 1796464800);
	assert_int_equal(run.r[1].date, 1796464801);
	run_free(&run);

	const char *thunderbird =
		"From - Sat Dec 05 10:00:00 2026\n"
		"X-Mozilla-Status: 0001\n"
		"X-Mozilla-Status2: 00000000\n"
		"From: carol@example.org\n"
		"Subject: tb one\n"
		"\n"
		">From the desk of the chief\n"
		"\n"
		"From - Sat Dec 05 10:00:00 2026\n"
		"X-Mozilla-Status: 0001\n"
		"From: dave@example.org\n"
		"Subject: tb two\n"
		"\n"
		"x\n"
		"\n";
	write_str("tb.mbox", thunderbird, 0);
	import_all("tb.mbox", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 3);
	assert_message(&run.r[0], "X-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n"
	                          "From: carol@example.org\nSubject: tb one\n\n"
	                          "From the desk of the chief\n");
	assert_int_equal(run.r[0].date, 1796464800);
	assert_int_equal(run.r[1].date, 1796464800);
	run_free(&run);
}

/* A file whose first line starts with "From " but is no separator is not an mbox: it is one
 * message, kept whole (no line of it taken for a separator and dropped). */
static void test_mbox_detection_needs_separator(void **state)
{
	(void)state;
	const char *text = "From the desk of the chief\nSubject: x\n\nbody\n";
	write_str("desk.eml", text, 0);
	struct run run;
	import_all("desk.eml", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_EML);
	assert_int_equal(run.count, 2);
	assert_message(&run.r[0], text);
	run_free(&run);
}

/* ---- .eml ------------------------------------------------------------------------------- */

static void test_eml_file(void **state)
{
	(void)state;
	write_str("one.eml", "Subject: hello\nFrom: a@example.org\n\nbody\n", 1600000000);
	struct run run;
	import_all("one.eml", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_EML);
	assert_int_equal(run.count, 2);
	assert_message(&run.r[0], "Subject: hello\nFrom: a@example.org\n\nbody\n");
	char *abs = abs_fixture("one.eml");
	assert_string_equal(run.r[0].source, abs);
	free(abs);
	assert_int_equal(run.r[0].date, 1600000000);
	run_free(&run);
}

static void test_eml_empty(void **state)
{
	(void)state;
	write_file("empty.eml", "", 0, 0);
	struct run run;
	import_all("empty.eml", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_EML);
	assert_int_equal(run.count, 2);
	assert_int_equal(run.r[0].rc, 1);
	assert_int_equal(run.r[0].len, 0);
	assert_int_equal(run.r[1].rc, 0);
	run_free(&run);
}

static void test_eml_folder(void **state)
{
	(void)state;
	make_dir("emls");
	write_str("emls/b.eml", "Subject: b\n\nb\n", 0);
	write_str("emls/a.eml", "Subject: a\n\na\n", 0);
	write_str("emls/c.txt", "Subject: c\n\nc\n", 0);
	write_str("emls/.DS_Store", "junk", 0);
	make_dir("emls/cur");
	write_str("emls/cur/zz.eml", "Subject: skipped\n\n", 0);
	struct run run;
	import_all("emls", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_EML_DIR);
	assert_int_equal(run.count, 4);
	assert_message(&run.r[0], "Subject: a\n\na\n");
	assert_message(&run.r[1], "Subject: b\n\nb\n");
	assert_message(&run.r[2], "Subject: c\n\nc\n");
	char *abs = abs_fixture("emls/a.eml");
	assert_string_equal(run.r[0].source, abs);
	free(abs);
	run_free(&run);
}

/* ---- links and special files ------------------------------------------------------------- */

/* Stands in for /etc/passwd: a file outside every source folder whose bytes must never be
 * handed out. */
#define SECRET "root:x:0:0:SECRET-OUTSIDE-BYTES:/root:/bin/bash\n"

static void make_link(const char *target, const char *rel)
{
	char *path = fixture_path(rel);
	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static void make_fifo(const char *rel)
{
	char *path = fixture_path(rel);
	assert_int_equal(mkfifo(path, 0600), 0);
	free(path);
}

/* The outside file, and its absolute path for links to point at. */
static char *make_secret(void)
{
	write_str("passwd", SECRET, 0);
	return fixture_path("passwd");
}

static void assert_no_secret(const struct run *run)
{
	for (size_t i = 0; i < run->count; i++)
		if (run->r[i].rc == 1)
			assert_null(strstr(run->r[i].raw, "SECRET-OUTSIDE-BYTES"));
}

static void assert_error_names(const struct result *res, const char *name, const char *what)
{
	assert_int_equal(res->rc, -1);
	if (strstr(res->error, name) == NULL || strstr(res->error, what) == NULL)
		fail_msg("error \"%s\" should name %s and say %s", res->error, name, what);
}

/* Every entry that is a link (out of the folder, into it, dangling, to a folder) or a FIFO is
 * refused by name; the regular messages around them are read; nothing outside is. */
static void test_maildir_links_and_fifo(void **state)
{
	(void)state;
	char *secret = make_secret();
	make_maildir("lk");
	write_str("lk/cur/1.ok.host:2,S", "Subject: ok\n\nb\n", 0);
	make_link(secret, "lk/cur/2.out.host:2,");
	make_link("1.ok.host:2,S", "lk/cur/3.in.host:2,");
	make_link("no-such-file", "lk/cur/4.dangling.host:2,");
	make_fifo("lk/cur/5.fifo.host:2,");
	make_link("../new", "lk/cur/6.dirlink.host:2,");
	make_link("../../passwd", "lk/new/7.out.host");
	write_str("lk/new/8.ok.host", "Subject: new ok\n\nb\n", 0);
	free(secret);

	/* a FIFO that hung the reader would end the test here */
	alarm(30);
	struct run run;
	import_all("lk", MAX_MESSAGE, &run);
	alarm(0);
	assert_int_equal(run.count, 9);
	assert_error_names(&run.r[0], "lk/new/7.out.host", "symbolic link");
	assert_non_null(strstr(run.r[0].error, "../../passwd")); /* says where it pointed */
	assert_message(&run.r[1], "Subject: new ok\n\nb\n");
	assert_message(&run.r[2], "Subject: ok\n\nb\n");
	assert_error_names(&run.r[3], "lk/cur/2.out.host:2,", "symbolic link");
	assert_error_names(&run.r[4], "lk/cur/3.in.host:2,", "symbolic link");
	assert_error_names(&run.r[5], "lk/cur/4.dangling.host:2,", "symbolic link");
	assert_error_names(&run.r[6], "lk/cur/5.fifo.host:2,", "FIFO");
	assert_error_names(&run.r[7], "lk/cur/6.dirlink.host:2,", "symbolic link");
	assert_int_equal(run.r[8].rc, 0);
	assert_no_secret(&run);
	run_free(&run);
}

/* A Maildir whose cur/ or new/ is a link is refused as a whole, by name. */
static void test_maildir_linked_subfolder(void **state)
{
	(void)state;
	make_dir("elsewhere");
	write_str("elsewhere/1.x.host:2,", "Subject: " SECRET "\nb\n", 0);
	const char *cases[][2] = {
		{ "lc1", "cur" }, /* cur/ points at a folder outside */
		{ "lc2", "new" }, /* new/ does */
		{ "lc3", "cur" }, /* cur/ points nowhere */
	};
	for (size_t i = 0; i < 3; i++) {
		const char *top = cases[i][0], *sub = cases[i][1];
		make_dir(top);
		char *rel = xasprintf("%s/tmp", top);
		make_dir(rel);
		free(rel);
		rel = xasprintf("%s/%s", top, strcmp(sub, "cur") == 0 ? "new" : "cur");
		make_dir(rel);
		free(rel);
		rel = xasprintf("%s/%s", top, sub);
		make_link(i == 2 ? "../no-such-folder" : "../elsewhere", rel);
		free(rel);

		char *path = fixture_path(top);
		struct import_source *src = NULL;
		char *error = NULL;
		assert_int_equal(import_source_open(path, MAX_MESSAGE, &src, &error), -1);
		assert_null(src);
		char *name = xasprintf("%s/%s", top, sub);
		if (strstr(error, name) == NULL || strstr(error, "symbolic link") == NULL)
			fail_msg("error \"%s\" should name %s as a symbolic link", error, name);
		free(name);
		free(error);
		free(path);
	}
}

/* A folder of .eml files: the same rule. */
static void test_eml_folder_links_and_fifo(void **state)
{
	(void)state;
	char *secret = make_secret();
	make_dir("el");
	write_str("el/a.eml", "Subject: a\n\na\n", 0);
	make_link(secret, "el/b.eml");
	make_link("a.eml", "el/c.eml");
	make_link("gone.eml", "el/d.eml");
	make_fifo("el/e.eml");
	make_link("..", "el/f");
	free(secret);
	alarm(30);
	struct run run;
	import_all("el", MAX_MESSAGE, &run);
	alarm(0);
	assert_int_equal(run.kind, IMPORT_EML_DIR);
	assert_int_equal(run.count, 7);
	assert_message(&run.r[0], "Subject: a\n\na\n");
	assert_error_names(&run.r[1], "el/b.eml", "symbolic link");
	assert_error_names(&run.r[2], "el/c.eml", "symbolic link");
	assert_error_names(&run.r[3], "el/d.eml", "symbolic link");
	assert_error_names(&run.r[4], "el/e.eml", "FIFO");
	assert_error_names(&run.r[5], "el/f", "symbolic link");
	assert_int_equal(run.r[6].rc, 0);
	assert_no_secret(&run);
	run_free(&run);

	/* a folder holding nothing but links is a folder of unreadable entries, not "empty" */
	make_dir("onlylinks");
	make_link("../passwd", "onlylinks/x.eml");
	import_all("onlylinks", MAX_MESSAGE, &run);
	assert_int_equal(run.count, 2);
	assert_error_names(&run.r[0], "onlylinks/x.eml", "symbolic link");
	run_free(&run);
}

/* A PATH named on the command line may be a link (followed: the administrator chose it); a
 * FIFO named there is refused without hanging. */
static void test_path_given_as_link(void **state)
{
	(void)state;
	make_maildir("real-md");
	write_str("real-md/cur/1.a.host:2,", "Subject: via link\n\nb\n", 0);
	make_link("real-md", "md-link");
	struct run run;
	import_all("md-link", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_MAILDIR);
	assert_int_equal(run.count, 2);
	assert_message(&run.r[0], "Subject: via link\n\nb\n");
	char *abs = abs_fixture("real-md");
	char *key = xasprintf("%s/1.a.host", abs);
	assert_string_equal(run.r[0].source, key); /* keyed by the real path */
	free(key);
	free(abs);
	run_free(&run);

	write_str("real.eml", "Subject: one\n\nb\n", 0);
	make_link("real.eml", "eml-link");
	import_all("eml-link", MAX_MESSAGE, &run);
	assert_int_equal(run.kind, IMPORT_EML);
	assert_message(&run.r[0], "Subject: one\n\nb\n");
	run_free(&run);

	make_fifo("named.fifo");
	char *path = fixture_path("named.fifo");
	struct import_source *src = NULL;
	char *error = NULL;
	alarm(30);
	assert_int_equal(import_source_open(path, MAX_MESSAGE, &src, &error), -1);
	alarm(0);
	assert_non_null(strstr(error, "named.fifo"));
	assert_non_null(strstr(error, "FIFO"));
	free(error);
	free(path);
}

/* ---- errors at open ----------------------------------------------------------------------- */

static void test_missing_path(void **state)
{
	(void)state;
	char *path = fixture_path("no-such-thing");
	struct import_source *src = NULL;
	char *error = NULL;
	assert_int_equal(import_source_open(path, MAX_MESSAGE, &src, &error), -1);
	assert_null(src);
	char *expected = xasprintf("%s: No such file or directory", path);
	assert_string_equal(error, expected);
	free(expected);
	free(error);
	free(path);
}

static void test_folder_of_nothing(void **state)
{
	(void)state;
	make_dir("nothing");
	make_dir("nothing/sub");
	make_dir("nothing/cur"); /* cur/ without new/ is no Maildir */
	write_str("nothing/.hidden", "x", 0);
	char *path = fixture_path("nothing");
	struct import_source *src = NULL;
	char *error = NULL;
	assert_int_equal(import_source_open(path, MAX_MESSAGE, &src, &error), -1);
	assert_null(src);
	assert_non_null(error);
	assert_true(strncmp(error, path, strlen(path)) == 0);
	free(error);
	free(path);

	make_dir("bare");
	path = fixture_path("bare");
	error = NULL;
	assert_int_equal(import_source_open(path, MAX_MESSAGE, &src, &error), -1);
	assert_true(strncmp(error, path, strlen(path)) == 0);
	free(error);
	free(path);

	/* neither a file nor a folder */
	error = NULL;
	assert_int_equal(import_source_open("/dev/null", MAX_MESSAGE, &src, &error), -1);
	assert_non_null(strstr(error, "/dev/null"));
	free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_maildir_order_and_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maildir_moved_while_importing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maildir_empty_and_oversize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mboxrd_unquoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mboxo_unquoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_from_in_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_oversize_then_continue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_across_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_separator_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_body_from_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbox_detection_needs_separator, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eml_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eml_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eml_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maildir_links_and_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_maildir_linked_subfolder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eml_folder_links_and_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_given_as_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_of_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
