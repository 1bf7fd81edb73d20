/* Unit tests: classify.c — every skip rule of docs/autoreply.md, in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "classify.h"
#include "test_helpers.h"

struct fields {
	const char *return_path;   /* NULL: no Return-Path header; "" for <> */
	const char *from;
	const char *to;            /* one recipient */
	const char *list_header;
	const char *auto_submitted;
	const char *precedence;
	const char *xars;
	int is_report;
};

static struct parsed_message *make(const struct fields *f)
{
	struct parsed_message *m = xcalloc(1, sizeof(*m));
	m->has_return_path = f->return_path != NULL;
	m->return_path = xstrdup(f->return_path);
	m->from.addr = xstrdup(f->from ? f->from : "");
	if (f->to)
		strlist_add(&m->recipients, f->to);
	m->list_header = xstrdup(f->list_header);
	m->auto_submitted = xstrdup(f->auto_submitted);
	m->precedence = xstrdup(f->precedence);
	m->x_auto_response_suppress = xstrdup(f->xars);
	m->is_report = f->is_report;
	m->subject = xstrdup("");
	m->text = xstrdup("");
	return m;
}

static struct mailbox_config troop_k(void)
{
	struct mailbox_config m = {0};
	m.name = "K";
	m.troop = 'K';
	m.address = "troopkctl@ct.gov";
	strlist_add(&m.aliases, "ctl.k@ct.gov");
	m.sent_folder = "Sent";
	return m;
}

struct rule_case {
	struct fields f;
	const char *kind;
	const char *reason; /* prefix of the reason; "" for a person: no reason at all */
};

#define BOX "troopkctl@ct.gov"
#define PERSON "maria@gmail.com"

static void test_rules(void **state)
{
	static const struct rule_case cases[] = {
		{{PERSON, PERSON, BOX}, "person", ""},
		{{NULL, PERSON, BOX}, "person", ""},
		{{"", PERSON, BOX}, "machine", "return-path: <>"},
		{{NULL, "", BOX}, "machine", "no sender address"},
		{{"ctl.k@ct.gov", PERSON, BOX}, "machine", "sender is the troop's own address"},
		{{"MAILER-DAEMON@mx.example.com", NULL, BOX}, "machine", "automated sender"},
		{{"postmaster@x.org", PERSON, BOX}, "machine", "automated sender"},
		{{"owner-watch@lists.org", PERSON, BOX}, "machine", "automated sender"},
		{{"watch-request@lists.org", PERSON, BOX}, "machine", "automated sender"},
		{{"watch-owner@lists.org", PERSON, BOX}, "machine", "automated sender"},
		{{"x-relay@lists.org", PERSON, BOX}, "machine", "automated sender"},
		{{"bounces@x.com", "no-reply@x.com", BOX}, "machine", "automated sender: no-reply@x.com"},
		{{"bounces@x.com", "DoNotReply@x.com", BOX}, "machine", "automated sender"},
		{{"LISTSERV@x.com", PERSON, BOX}, "machine", "automated sender"},
		{{PERSON, PERSON, BOX, "List-Id"}, "machine", "list-id"},
		{{PERSON, PERSON, BOX, "List-Unsubscribe"}, "machine", "list-unsubscribe"},
		{{PERSON, PERSON, BOX, NULL, "auto-replied"}, "machine", "auto-submitted: auto-replied"},
		{{PERSON, PERSON, BOX, NULL, "auto-generated"}, "machine", "auto-submitted: auto-generated"},
		{{PERSON, PERSON, BOX, NULL, "no"}, "person", ""},
		{{PERSON, PERSON, BOX, NULL, "No"}, "person", ""},
		{{PERSON, PERSON, BOX, NULL, NULL, "bulk"}, "machine", "precedence: bulk"},
		{{PERSON, PERSON, BOX, NULL, NULL, "JUNK"}, "machine", "precedence: junk"},
		{{PERSON, PERSON, BOX, NULL, NULL, "list"}, "machine", "precedence: list"},
		{{PERSON, PERSON, BOX, NULL, NULL, "auto_reply"}, "machine", "precedence: auto_reply"},
		{{PERSON, PERSON, BOX, NULL, NULL, "first-class"}, "person", ""},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, "All"}, "machine", "x-auto-response-suppress"},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, "DR, OOF"}, "machine", "x-auto-response-suppress"},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, "DR, RN"}, "person", ""},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, NULL, 1}, "machine", "multipart/report"},
		{{PERSON, PERSON, "someone-else@ct.gov"}, "machine", "troop address not in"},
		{{PERSON, PERSON, NULL}, "machine", "troop address not in"},
		{{PERSON, PERSON, "CTL.K@ct.gov"}, "person", ""},
		/* The first rule that applies is the one reported. */
		{{"", "no-reply@x.com", BOX, "List-Id"}, "machine", "return-path: <>"},
	};
	struct mailbox_config box = troop_k();
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct parsed_message *m = make(&cases[i].f);
		struct classification c;
		classify_message(m, &box, "INBOX", &c);
		assert_string_equal(c.direction, "in");
		/* an empty prefix would match any reason: a person's reason is checked to be "" */
		int reason_ok = cases[i].reason[0] == '\0'
		    ? c.reason[0] == '\0'
		    : strncmp(c.reason, cases[i].reason, strlen(cases[i].reason)) == 0;
		if (strcmp(c.kind, cases[i].kind) != 0 || !reason_ok)
			fail_msg("case %zu: expected %s '%s', got %s '%s'", i, cases[i].kind,
			         cases[i].reason, c.kind, c.reason);
		parsed_message_free(&m);
	}
	strlist_free(&box.aliases);
}

static void test_reply_target_never_reply_to(void **state)
{
	struct mailbox_config box = troop_k();
	struct fields f = {"envelope@x.org", "from@x.org", BOX};
	struct parsed_message *m = make(&f);
	struct classification c;
	classify_message(m, &box, "INBOX", &c);
	assert_string_equal(c.reply_to, "envelope@x.org");
	parsed_message_free(&m);
	struct fields g = {NULL, "from@x.org", BOX};
	m = make(&g);
	classify_message(m, &box, "INBOX", &c);
	assert_string_equal(c.reply_to, "from@x.org");
	parsed_message_free(&m);
	strlist_free(&box.aliases);
}

static void test_direction(void **state)
{
	struct mailbox_config box = troop_k();
	struct fields ours = {NULL, "troopkctl@ct.gov", PERSON};
	struct parsed_message *m = make(&ours);
	struct classification c;
	classify_message(m, &box, "INBOX", &c);
	assert_string_equal(c.direction, "out");
	assert_string_equal(c.kind, "person");
	parsed_message_free(&m);

	struct fields alias = {NULL, "ctl.k@ct.gov", PERSON};
	m = make(&alias);
	classify_message(m, &box, NULL, &c);
	assert_string_equal(c.direction, "out");
	parsed_message_free(&m);

	/* A liaison's own address in the Sent folder is still the troop writing. */
	struct fields sent = {NULL, "tpr.reyes@ct.gov", PERSON};
	m = make(&sent);
	classify_message(m, &box, "Sent", &c);
	assert_string_equal(c.direction, "out");
	classify_message(m, &box, "INBOX", &c);
	assert_string_equal(c.direction, "in");
	parsed_message_free(&m);
	strlist_free(&box.aliases);
}

static void test_robot_addresses(void **state)
{
	assert_true(classify_is_robot_address("mailer-daemon@x"));
	assert_true(classify_is_robot_address("MAILER-DAEMON"));
	assert_true(classify_is_robot_address("majordomo@x"));
	assert_true(classify_is_robot_address("uucp@x"));
	assert_true(classify_is_robot_address("mailer@x"));
	assert_false(classify_is_robot_address("mailerx@x"));
	assert_false(classify_is_robot_address("owner@x"));
	assert_false(classify_is_robot_address("requester@x"));
	assert_false(classify_is_robot_address(""));
	assert_false(classify_is_robot_address(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_reply_target_never_reply_to),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_robot_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
