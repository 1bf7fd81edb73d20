/* Unit tests: classify.c — who wrote a message and whether it may be answered, every rule
 * of docs/autoreply.md, in order. */
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
	return test_troop_k("ctl.k@ct.gov");
}

struct rule_case {
	struct fields f;
	const char *kind;
	const char *reason;   /* prefix of the writer's reason; "" for a person: no reason */
	const char *no_reply; /* prefix of why no auto-reply; "" when one is allowed */
};

#define BOX "troopkctl@ct.gov"
#define PERSON "maria@gmail.com"

/* Who wrote it and whether it may be answered, judged apart: a person whose mail asks for no
 * automatic answer (Bcc'd, Precedence: bulk, X-Auto-Response-Suppress) is still a person. */
static void test_rules(void **state)
{
	static const struct rule_case cases[] = {
		{{PERSON, PERSON, BOX}, "person", "", ""},
		{{NULL, PERSON, BOX}, "person", "", ""},
		{{"", PERSON, BOX}, "machine", "return-path: <>", "machine (return-path: <>)"},
		{{NULL, "", BOX}, "machine", "no sender address", "machine"},
		{{"ctl.k@ct.gov", PERSON, BOX}, "machine", "sender is the troop's own address", "machine"},
		{{"MAILER-DAEMON@mx.example.com", NULL, BOX}, "machine", "automated sender", "machine"},
		{{"postmaster@x.org", PERSON, BOX}, "machine", "automated sender", "machine"},
		{{"owner-watch@lists.org", PERSON, BOX}, "machine", "automated sender", "machine"},
		{{"watch-request@lists.org", PERSON, BOX}, "machine", "automated sender", "machine"},
		{{"watch-owner@lists.org", PERSON, BOX}, "machine", "automated sender", "machine"},
		{{"x-relay@lists.org", PERSON, BOX}, "machine", "automated sender", "machine"},
		{{"envelope@x.com", "no-reply@x.com", BOX}, "machine", "automated sender: no-reply@x.com",
		 "machine"},
		{{"bounces@x.com", "DoNotReply@x.com", BOX}, "machine", "automated sender: bounces@x.com",
		 "machine"},
		{{"LISTSERV@x.com", PERSON, BOX}, "machine", "automated sender", "machine"},
		{{PERSON, PERSON, BOX, "List-Id"}, "machine", "list-id", "machine (list-id)"},
		{{PERSON, PERSON, BOX, "List-Unsubscribe"}, "machine", "list-unsubscribe", "machine"},
		{{PERSON, PERSON, BOX, NULL, "auto-replied"}, "machine", "auto-submitted: auto-replied",
		 "machine"},
		{{PERSON, PERSON, BOX, NULL, "auto-generated"}, "machine",
		 "auto-submitted: auto-generated", "machine"},
		{{PERSON, PERSON, BOX, NULL, "no"}, "person", "", ""},
		{{PERSON, PERSON, BOX, NULL, "No"}, "person", "", ""},
		/* RFC 3834 allows a comment and parameters after "no". */
		{{PERSON, PERSON, BOX, NULL, "no (sent by a person)"}, "person", "", ""},
		{{PERSON, PERSON, BOX, NULL, "no; owner-email=a@b"}, "person", "", ""},
		{{PERSON, PERSON, BOX, NULL, "notification"}, "machine", "auto-submitted: notification",
		 "machine"},
		/* A gateway's Precedence stamp on a person's mail asks for no reply, no more. */
		{{PERSON, PERSON, BOX, NULL, NULL, "bulk"}, "person", "", "precedence: bulk"},
		{{PERSON, PERSON, BOX, NULL, NULL, "JUNK"}, "person", "", "precedence: junk"},
		{{PERSON, PERSON, BOX, NULL, NULL, "list"}, "person", "", "precedence: list"},
		{{PERSON, PERSON, BOX, NULL, NULL, "auto_reply"}, "machine",
		 "auto-reply header: precedence: auto_reply", "machine"},
		{{PERSON, PERSON, BOX, NULL, NULL, "first-class"}, "person", "", ""},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, "All"}, "person", "", "x-auto-response-suppress"},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, "DR, OOF"}, "person", "",
		 "x-auto-response-suppress"},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, "AutoReply"}, "person", "",
		 "x-auto-response-suppress"},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, "DR, RN"}, "person", "", ""},
		{{PERSON, PERSON, BOX, NULL, NULL, NULL, NULL, 1}, "machine", "multipart/report",
		 "machine"},
		/* Bcc'd, a list, a redirect (RFC 5230 4.6): a person, not answered. */
		{{PERSON, PERSON, "someone-else@ct.gov"}, "person", "", "not addressed to the troop"},
		{{PERSON, PERSON, NULL}, "person", "", "not addressed to the troop"},
		{{PERSON, PERSON, "CTL.K@ct.gov"}, "person", "", ""},
		/* The first rule that applies is the one reported. */
		{{"", "no-reply@x.com", BOX, "List-Id"}, "machine", "return-path: <>", "machine"},
		{{PERSON, PERSON, NULL, NULL, NULL, "bulk"}, "person", "", "not addressed to the troop"},
	};
	struct mailbox_config box = troop_k();
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct parsed_message *m = make(&cases[i].f);
		struct classification c;
		classify_message(m, &box, "INBOX", &c);
		assert_string_equal(c.direction, "in");
		/* an empty prefix would match anything: an empty expectation is checked to be "" */
		int reason_ok = cases[i].reason[0] == '\0'
		    ? c.reason[0] == '\0'
		    : strncmp(c.reason, cases[i].reason, strlen(cases[i].reason)) == 0;
		int reply_ok = cases[i].no_reply[0] == '\0'
		    ? c.reply_allowed && c.no_reply[0] == '\0'
		    : !c.reply_allowed &&
		      strncmp(c.no_reply, cases[i].no_reply, strlen(cases[i].no_reply)) == 0;
		if (strcmp(c.kind, cases[i].kind) != 0 || !reason_ok || !reply_ok)
			fail_msg("case %zu: expected %s '%s' / '%s', got %s '%s' / %d '%s'", i,
			         cases[i].kind, cases[i].reason, cases[i].no_reply, c.kind, c.reason,
			         c.reply_allowed, c.no_reply);
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

/* The troop's own address in From is the troop only when its own server sent it. */
static void test_spoofed_troop_address(void **state)
{
	struct mailbox_config box = troop_k();
	static const struct {
		const char *return_path, *from, *auth;
		const char *direction;
		int suspicious;
	} cases[] = {
		{"attacker@evil.example", "troopkctl@ct.gov", NULL, "in", 1},
		{"attacker@evil.example", "CTL.K@ct.gov", NULL, "in", 1},
		{"", "troopkctl@ct.gov", NULL, "in", 1},
		{"attacker@evil.example", "troopkctl@ct.gov",
		 "mx.ct.gov; spf=fail smtp.mailfrom=evil.example; dmarc=fail header.from=ct.gov", "in", 1},
		{"attacker@evil.example", "troopkctl@ct.gov",
		 "mx.ct.gov; dmarc=pass header.from=ct.gov.evil.example", "in", 1},
		{"troopkctl@ct.gov", "troopkctl@ct.gov", NULL, "out", 0},
		{"bounces-4@ct.gov", "troopkctl@ct.gov", NULL, "out", 0},
		{"prvs=123=troopkctl@ct.gov", "troopkctl@ct.gov", NULL, "out", 0},
		{NULL, "troopkctl@ct.gov", NULL, "out", 0},
		{"relay@mailgw.example", "troopkctl@ct.gov",
		 "mx.ct.gov; spf=pass smtp.mailfrom=mailgw.example; dmarc=pass (p=reject) header.from=ct.gov",
		 "out", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct fields f = {cases[i].return_path, cases[i].from, PERSON};
		struct parsed_message *m = make(&f);
		m->authentication_results = xstrdup(cases[i].auth);
		struct classification c;
		classify_message(m, &box, "INBOX", &c);
		if (strcmp(c.direction, cases[i].direction) != 0 || c.suspicious != cases[i].suspicious ||
		    (c.suspicious && (strcmp(c.kind, "machine") != 0 || c.reply_allowed ||
		                      strstr(c.reason, "claims the troop's address") == NULL)))
			fail_msg("case %zu: got %s %s suspicious=%d reply=%d '%s'", i, c.direction, c.kind,
			         c.suspicious, c.reply_allowed, c.reason);
		parsed_message_free(&m);
	}
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
	/* The no-reply families, however spelt (the list, and more of the kind). */
	static const char *const robots[] = {
		"no.reply@x", "DoNotReply.CTDMV@ct.gov", "ctalert-noreply@ct.gov",
		"noreply+alerts@x", "do.not.reply@x", "no-reply-ctjudicial@jud.ct.gov",
		"bounces+123-abc@em.example", "noreply-dmarc-support@google.com", "no_reply@x",
		"NoReply@x", "do-not-reply@x", "donotrespond@x", "alerts.noreply@x",
		"bounce-42-x@mail.example", "mailer.daemon@x", "Do_Not_Reply@x",
	};
	for (size_t i = 0; i < sizeof(robots) / sizeof(*robots); i++)
		if (!classify_is_robot_address(robots[i]))
			fail_msg("%s is not taken for an automated sender", robots[i]);
	/* People whose names only look like it. */
	static const char *const people[] = {
		"nora@x", "noel.rivera@x", "norbert.reply@x", "replyto.nowhere@x", "bouncer.joe@x",
		"mailerjones@x", "juno.reply@x", "no.replyguy@x", "donna.notreply@x", "nonoreply@x",
		"reply@x", "bounty+hunter@x",
	};
	for (size_t i = 0; i < sizeof(people) / sizeof(*people); i++)
		if (classify_is_robot_address(people[i]))
			fail_msg("%s is taken for an automated sender", people[i]);
}

static void test_auto_submitted(void **state)
{
	assert_false(classify_is_auto_submitted(NULL));
	assert_false(classify_is_auto_submitted("no"));
	assert_false(classify_is_auto_submitted(" No "));
	assert_false(classify_is_auto_submitted("no (comment)"));
	assert_false(classify_is_auto_submitted("no(comment)"));
	assert_false(classify_is_auto_submitted("no; x=y"));
	assert_true(classify_is_auto_submitted("auto-replied"));
	assert_true(classify_is_auto_submitted("auto-generated"));
	assert_true(classify_is_auto_submitted("notify"));
	assert_true(classify_is_auto_submitted("nope"));
	assert_true(classify_is_auto_submitted(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_reply_target_never_reply_to),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_spoofed_troop_address),
		cmocka_unit_test(test_robot_addresses),
		cmocka_unit_test(test_auto_submitted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
