/* Unit tests: who wrote it and whether to answer, on the table of tests/fixtures/judging:
 * messages written as real systems and people write them (Exchange and Gmail out-of-office,
 * bounces of every MTA, lists, calendar replies, receipts, ticket systems, no-reply senders,
 * Bcc'd and redirected mail, Spanish), each parsed by mime.c and judged by classify.c against
 * its expected writer, reply decision and reason (tests/fixtures/judging/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "classify.h"
#include "mime.h"
#include "test_helpers.h"

#define DIR "tests/fixtures/judging"

static struct mailbox_config troop_k(void)
{
	return test_troop_k("troopk.ctl@ct.gov");
}

/* Judges one row "file writer reply reason"; returns 1 when the program agrees. */
static int judge_row(const struct mailbox_config *box, char *line, size_t *persons,
                     size_t *machines)
{
	char *save = NULL;
	char *file = strtok_r(line, "\t", &save), *writer = strtok_r(NULL, "\t", &save);
	char *reply = strtok_r(NULL, "\t", &save), *reason = strtok_r(NULL, "\t\r\n", &save);
	if (file == NULL || writer == NULL || reply == NULL || reason == NULL)
		fail_msg("a row of expected.tsv is not 'file writer reply reason'");
	char *path = xasprintf("%s/%s", DIR, file), *raw = NULL, *error = NULL;
	size_t len = 0;
	if (file_read_all(path, 1 << 20, &raw, &len, &error) < 0)
		fail_msg("%s", error);
	struct parsed_message *msg = NULL;
	struct mime_limits limits;
	mime_limits_default(&limits);
	mime_parse(raw, len, &limits, &msg);
	struct classification c;
	classify_message(msg, box, "INBOX", &c);
	int want_reply = strcmp(reply, "yes") == 0;
	/* A machine's reason is its writer's; a person's that of the reply refused. */
	const char *got_reason = strcmp(c.kind, "machine") == 0 ? c.reason : c.no_reply;
	int ok = strcmp(c.direction, "in") == 0 && strcmp(c.kind, writer) == 0 &&
	         c.reply_allowed == want_reply &&
	         (strcmp(reason, "-") == 0 ? got_reason[0] == '\0' : strstr(got_reason, reason) != NULL);
	if (!ok)
		print_message("BAD %s: want %s, reply %s, '%s'; got %s %s, reply %s, '%s'\n", file,
		              writer, reply, reason, c.direction, c.kind, c.reply_allowed ? "yes" : "no",
		              got_reason);
	*(strcmp(writer, "person") == 0 ? persons : machines) += 1;
	parsed_message_free(&msg);
	free(raw);
	free(path);
	return ok;
}

static void test_table(void **state)
{
	char *tsv = NULL, *error = NULL;
	size_t len = 0;
	if (file_read_all(DIR "/expected.tsv", 1 << 20, &tsv, &len, &error) < 0)
		fail_msg("%s (run from the repository root)", error);
	struct mailbox_config box = troop_k();
	size_t rows = 0, bad = 0, persons = 0, machines = 0;
	char *save = NULL;
	for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (rows++ == 0)
			continue; /* the header */
		char copy[1024];
		snprintf(copy, sizeof(copy), "%s", line);
		bad += !judge_row(&box, copy, &persons, &machines);
	}
	print_message("%zu messages judged: %zu persons, %zu machines, %zu wrong\n", rows - 1,
	              persons, machines, bad);
	/* The table must hold enough of both to mean something. */
	assert_true(persons >= 40 && machines >= 40);
	assert_int_equal(bad, 0);
	strlist_free(&box.aliases);
	free(tsv);
}

int main(void)
{
	mime_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mime_global_deinit();
	return rc;
}
