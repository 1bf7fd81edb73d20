/* Unit tests: outbox_notice.c — the notice's text, and how a waiting notice is recognised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "outbox_notice.h"
#include "outbox_queue.h"
#include "test_helpers.h"

static void test_render_lists_every_line(void **state)
{
	struct strlist lines = {0};
	strlist_add(&lines, "- outbox 3 (autoreply), thread K-2026-0001, to a@example.org: gave up");
	strlist_add(&lines, "- outbox 9 (notice), thread K-2026-0002, to (confidential thread): x");
	char *text = NULL, *error = NULL;
	if (outbox_notice_render("templates", &lines, &text, &error) < 0)
		fail_msg("%s", error);
	assert_non_null(strstr(text, "Messages not sent: 2\n"));
	assert_non_null(strstr(text, "\n- outbox 3 (autoreply)"));
	assert_non_null(strstr(text, "\n- outbox 9 (notice)"));
	assert_non_null(strstr(text, "liaison outbox retry ID"));
	free(text);
	strlist_free(&lines);
	/* a missing template is named */
	assert_int_equal(outbox_notice_render("/nonexistent", &lines, &text, &error), -1);
	assert_non_null(strstr(error, OUTBOX_NOTICE_TEMPLATE));
	free(error);
}

/* row as outbox_queue_troop_message would store it, with subject and body */
static char *compose(const char *subject, const char *body, size_t *len)
{
	struct mailbox_config m = {.troop = 'K', .address = "TroopKCTL@ct.gov"};
	struct troop_message tm = {.kind = "notice", .to = "coordinator@ct.gov", .subject = subject,
	                           .body = body, .auto_submitted = "auto-generated",
	                           .now = 1772442000};
	char msgid[COMPOSE_MSGID_SIZE];
	return outbox_compose_troop_message(&m, &tm, msgid, len);
}

static void test_recognised_by_kind_thread_and_subject(void **state)
{
	size_t len = 0;
	char *raw = compose(OUTBOX_NOTICE_SUBJECT, "- outbox 1 (autoreply)\n", &len);
	struct outbox_row row = {.kind = "notice", .raw = raw, .len = len};
	assert_true(outbox_notice_is_failure_notice(&row));
	row.thread_id = 7; /* an urgent notice has its thread */
	assert_false(outbox_notice_is_failure_notice(&row));
	row.thread_id = 0;
	row.kind = "autoreply";
	assert_false(outbox_notice_is_failure_notice(&row));
	free(raw);
	/* another subject, even with the marker in its body, is not one */
	raw = compose("Daily digest", "Subject: " OUTBOX_NOTICE_SUBJECT "\n", &len);
	struct outbox_row other = {.kind = "notice", .raw = raw, .len = len};
	assert_false(outbox_notice_is_failure_notice(&other));
	free(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_lists_every_line),
		cmocka_unit_test(test_recognised_by_kind_thread_and_subject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
