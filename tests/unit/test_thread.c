/* Unit tests: thread.c — the four attachment steps of docs/threading.md, against a real
 * store in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <time.h>

#include "thread.h"
#include "test_helpers.h"

#define DAY 86400
#define T0 1772000000 /* 2026-02-25 */

struct fixture {
	char *dir;
	struct store *store;
	struct mailbox_config k, l;
	int64_t k_id, l_id;
	int n; /* messages filed, for unique SHA-256 values */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = test_tmpdir();
	char *path = xasprintf("%s/t.db", f->dir);
	char *error = NULL;
	if (store_open(path, STORE_OPEN_INIT, &f->store, &error) < 0)
		fail_msg("%s", error);
	free(path);
	f->k = (struct mailbox_config){.name = "K", .troop = 'K', .address = "troopkctl@ct.gov"};
	f->l = (struct mailbox_config){.name = "L", .troop = 'L', .address = "troopl@ct.gov"};
	assert_int_equal(store_mailbox_ensure(f->store, "K", 'K', f->k.address, &f->k_id), 0);
	assert_int_equal(store_mailbox_ensure(f->store, "L", 'L', f->l.address, &f->l_id), 0);
	setenv("TZ", "America/New_York", 1);
	tzset();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(&f->store);
	free(f->dir);
	free(f);
	return 0;
}

struct spec {
	const char *id, *irt, *refs; /* refs: space separated */
	const char *from, *to, *subject, *thread_index;
	int machine;
	int64_t date;
};

/* Stores and files one message; returns its thread id and writes how it was found. */
static int64_t file_in(struct fixture *f, const struct mailbox_config *box, int64_t box_id,
                       const struct spec *s, const char **how_r, char *ref_r)
{
	struct parsed_message *m = xcalloc(1, sizeof(*m));
	m->message_id = xstrdup(s->id);
	m->in_reply_to = xstrdup(s->irt);
	if (s->refs) {
		char *copy = xstrdup(s->refs), *save = NULL;
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
			strlist_add(&m->references, t);
		free(copy);
	}
	if (s->irt)
		strlist_add_unique(&m->references, s->irt);
	m->from.addr = xstrdup(s->from);
	m->to = xcalloc(1, sizeof(*m->to));
	m->to[0].addr = xstrdup(s->to);
	m->n_to = 1;
	strlist_add(&m->recipients, s->to);
	m->subject = xstrdup(s->subject);
	m->thread_index = xstrdup(s->thread_index);
	m->text = xstrdup("");
	m->date = s->date;

	char sha[SHA256_HEX_SIZE];
	char seed[32];
	snprintf(seed, sizeof(seed), "%d", ++f->n);
	sha256_hex(seed, strlen(seed), sha);
	int64_t message_id;
	assert_int_equal(store_message_add(f->store, seed, strlen(seed), sha, m, T0, &message_id), 0);
	struct classification c;
	classify_message(m, box, "INBOX", &c);
	if (s->machine)
		c.kind = "machine";
	struct thread_filing filing;
	assert_int_equal(thread_file_message(f->store, box, box_id, m, &c, s->date, &filing), 0);
	struct placement_new p = {.message_id = message_id, .mailbox_id = box_id,
	                          .thread_id = filing.thread_id, .direction = c.direction,
	                          .kind = c.kind, .date = s->date};
	assert_int_equal(store_placement_add(f->store, &p), 0);
	if (how_r)
		*how_r = filing.how;
	if (ref_r && filing.created)
		snprintf(ref_r, THREAD_REF_SIZE, "%s", filing.ref);
	parsed_message_free(&m);
	return filing.thread_id;
}

#define K(f, s, how) file_in(f, &f->k, f->k_id, s, how, NULL)
#define BOX "troopkctl@ct.gov"
#define MARIA "maria@gmail.com"

static void test_references(void **state)
{
	struct fixture *f = *state;
	const char *how;
	struct spec a = {"a@x", NULL, NULL, MARIA, BOX, "Help", NULL, 0, T0};
	struct spec b = {"b@ct.gov", "a@x", "a@x", BOX, MARIA, "RE: Help", NULL, 0, T0 + 3600};
	struct spec c = {"c@x", "b@ct.gov", "a@x b@ct.gov", MARIA, BOX, "totally new subject", NULL, 0, T0 + 7200};
	int64_t ta = K(f, &a, &how);
	assert_string_equal(how, "new");
	assert_int_equal(K(f, &b, &how), ta);
	assert_string_equal(how, "references");
	assert_int_equal(K(f, &c, &how), ta);
}

static void test_reply_before_original(void **state)
{
	struct fixture *f = *state;
	const char *how;
	struct spec reply = {"r2@x", "o2@x", "o2@x", MARIA, BOX, "Re: Question", NULL, 0, T0 + 100};
	struct spec orig = {"o2@x", NULL, NULL, MARIA, BOX, "Different", NULL, 0, T0};
	int64_t t = K(f, &reply, &how);
	assert_int_equal(K(f, &orig, &how), t);
	assert_string_equal(how, "references");
	/* Siblings answering a root we never saw share the thread when one person wrote both
	 * (JWZ's empty container)... */
	struct spec s1 = {"s1@x", "missing@x", "missing@x", "p@a.org", BOX, "One", NULL, 0, T0};
	struct spec s2 = {"s2@x", "missing@x", "missing@x", "p@a.org", BOX, "Two", NULL, 0, T0};
	int64_t ts = K(f, &s1, NULL);
	assert_int_equal(K(f, &s2, NULL), ts);
	/* ...but another person answering the same root is another conversation. */
	struct spec s3 = {"s3@x", "missing@x", "missing@x", "q@b.org", BOX, "Three", NULL, 0, T0};
	assert_int_not_equal(K(f, &s3, &how), ts);
	assert_string_equal(how, "new");
}

static void test_subject_tag_needs_participant(void **state)
{
	struct fixture *f = *state;
	char ref[THREAD_REF_SIZE] = "";
	struct spec a = {"t1@x", NULL, NULL, MARIA, BOX, "Vandalism", NULL, 0, T0};
	int64_t t = file_in(f, &f->k, f->k_id, &a, NULL, ref);
	assert_string_equal(ref, "K-2026-00001");
	char subject[96];
	snprintf(subject, sizeof(subject), "More details [CTL %s]", ref);
	const char *how;
	struct spec tagged = {"t2@x", NULL, NULL, MARIA, BOX, subject, NULL, 0, T0 + 40 * DAY};
	assert_int_equal(K(f, &tagged, &how), t);
	assert_string_equal(how, "subject-tag");
	/* A stranger who copies the tag does not get into Maria's thread. */
	struct spec stranger = {"t3@x", NULL, NULL, "evil@x.org", BOX, subject, NULL, 0, T0 + DAY};
	assert_int_not_equal(K(f, &stranger, &how), t);
	assert_string_equal(how, "new");
}

static void test_thread_index(void **state)
{
	struct fixture *f = *state;
	const char *how;
	struct spec a = {"i1@x", NULL, NULL, "p@outlook.com", BOX, "Flyer", "01d9aabbccddeeff00112233445566778899aabbccdd", 0, T0};
	struct spec b = {"i2@x", NULL, NULL, "p@outlook.com", BOX, "x", "01d9aabbccddeeff00112233445566778899aabbccdd", 0, T0 + 60 * DAY};
	int64_t t = K(f, &a, &how);
	assert_int_equal(K(f, &b, &how), t);
	assert_string_equal(how, "thread-index");
	/* Another person in the same Outlook conversation (a reply to all of a troop's message)
	 * has a conversation of their own. */
	struct spec c = {"i3@x", NULL, NULL, "other@outlook.com", BOX, "x", "01d9aabbccddeeff00112233445566778899aabbccdd", 0, T0 + 61 * DAY};
	assert_int_not_equal(K(f, &c, &how), t);
	assert_string_equal(how, "new");
}

static void test_subject_window(void **state)
{
	struct fixture *f = *state;
	const char *how;
	struct spec a = {"w1@x", NULL, NULL, MARIA, BOX, "Complaint about a traffic stop", NULL, 0, T0};
	struct spec b = {"w2@x", NULL, NULL, MARIA, BOX, "RE: Re: AW: complaint  about a traffic stop", NULL, 0, T0 + 20 * DAY};
	struct spec late = {"w3@x", NULL, NULL, MARIA, BOX, "Re: Complaint about a traffic stop", NULL, 0, T0 + 51 * DAY};
	struct spec other = {"w4@x", NULL, NULL, "jose@yahoo.com", BOX, "Re: Complaint about a traffic stop", NULL, 0, T0 + DAY};
	int64_t t = K(f, &a, &how);
	assert_int_equal(K(f, &b, &how), t);
	assert_string_equal(how, "subject");
	/* No reply by any sign: a new conversation, even with the same subject. */
	struct spec again = {"w5@x", NULL, NULL, MARIA, BOX, "Complaint about a traffic stop", NULL, 0, T0 + 21 * DAY};
	assert_int_not_equal(K(f, &again, &how), t);
	/* A reply that names a parent not seen yet waits for it, not for a look-alike subject:
	 * the liaison's reply in Sent may be fetched before the INBOX message it answers. */
	struct spec early = {"w6@ct.gov", "unseen@x", "unseen@x", BOX, MARIA, "RE: Complaint about a traffic stop", NULL, 0, T0 + 22 * DAY};
	int64_t te = K(f, &early, &how);
	assert_int_not_equal(te, t);
	struct spec parent = {"unseen@x", NULL, NULL, MARIA, BOX, "Complaint about a traffic stop", NULL, 0, T0 + 21 * DAY};
	assert_int_equal(K(f, &parent, &how), te);
	assert_string_equal(how, "references");
	/* 31 days after the thread's last message: a new conversation. */
	assert_int_not_equal(K(f, &late, &how), t);
	assert_int_not_equal(K(f, &other, &how), t);
	/* Machine mail never threads by subject: every newsletter issue looks the same. */
	struct spec n1 = {"n1@x", NULL, NULL, "news@town.example", BOX, "Your monthly update", NULL, 1, T0};
	struct spec n2 = {"n2@x", NULL, NULL, "news@town.example", BOX, "Your monthly update", NULL, 1, T0 + DAY};
	assert_int_not_equal(K(f, &n1, NULL), K(f, &n2, NULL));
}

static void test_troop_writes_first(void **state)
{
	struct fixture *f = *state;
	const char *how;
	struct spec out = {"o@ct.gov", NULL, NULL, BOX, "ana@icloud.com", "Your event on May 3", NULL, 0, T0};
	struct spec back = {"back@x", NULL, NULL, "ana@icloud.com", BOX, "Re: Your event on May 3", NULL, 0, T0 + DAY};
	int64_t t = K(f, &out, &how);
	assert_int_equal(K(f, &back, &how), t);
	assert_string_equal(how, "subject");
}

static void test_mailboxes_never_merge(void **state)
{
	struct fixture *f = *state;
	struct spec a = {"m1@x", NULL, NULL, MARIA, BOX, "Hi", NULL, 0, T0};
	struct spec b = {"m2@x", "m1@x", "m1@x", MARIA, "troopl@ct.gov", "Re: Hi", NULL, 0, T0 + 1};
	char ref[THREAD_REF_SIZE] = "";
	int64_t tk = K(f, &a, NULL);
	int64_t tl = file_in(f, &f->l, f->l_id, &b, NULL, ref);
	assert_int_not_equal(tk, tl);
	assert_string_equal(ref, "L-2026-00001");
}

static void test_reference_numbering(void **state)
{
	struct fixture *f = *state;
	char r1[THREAD_REF_SIZE] = "", r2[THREAD_REF_SIZE] = "", r3[THREAD_REF_SIZE] = "";
	struct spec a = {"n-a@x", NULL, NULL, "a@a.org", BOX, "A", NULL, 0, T0};
	struct spec b = {"n-b@x", NULL, NULL, "b@a.org", BOX, "B", NULL, 0, T0};
	/* 2027-01-01 03:00 UTC is still 2026 in Connecticut. */
	struct spec c = {"n-c@x", NULL, NULL, "c@a.org", BOX, "C", NULL, 0, 1798772400};
	file_in(f, &f->k, f->k_id, &a, NULL, r1);
	file_in(f, &f->k, f->k_id, &b, NULL, r2);
	file_in(f, &f->k, f->k_id, &c, NULL, r3);
	assert_string_equal(r1, "K-2026-00001");
	assert_string_equal(r2, "K-2026-00002");
	assert_string_equal(r3, "K-2026-00003");
	struct spec d = {"n-d@x", NULL, NULL, "d@a.org", BOX, "D", NULL, 0, 1798772400 + 6 * 3600};
	file_in(f, &f->k, f->k_id, &d, NULL, r1);
	assert_string_equal(r1, "K-2027-00001");
}

struct subject_case {
	const char *in, *out;
	int reply;
};

static void test_base_subject(void **state)
{
	static const struct subject_case cases[] = {
		{"Help", "help", 0},
		{"Re: Help", "help", 1},
		{"RE: Re: AW: RV: Fwd: FW: help", "help", 1},
		{"Re[2]: Help", "help", 1},
		{"Re : Help", "help", 1},
		{"[watch] Meeting minutes", "meeting minutes", 0},
		{"Re: [CTL K-2026-00042] Help  me\tnow", "help me now", 1},
		{"[CTL K-2026-00042] Re: Help", "help", 1},
		{"Auto: Your message", "your message", 1},
		{"Reunion tonight", "reunion tonight", 0},
		{"Ayuda con comida", "ayuda con comida", 0},
		{"", "", 0},
		{NULL, "", 0},
		{"[unclosed tag", "[unclosed tag", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int reply = -1;
		char *base = thread_base_subject(cases[i].in, &reply);
		if (strcmp(base, cases[i].out) != 0 || reply != cases[i].reply)
			fail_msg("case %zu: '%s' gave '%s', expected '%s'", i,
			         cases[i].in ? cases[i].in : "(null)", base, cases[i].out);
		free(base);
	}
}

static void test_subject_tag(void **state)
{
	char ref[THREAD_REF_SIZE];
	assert_true(thread_find_subject_tag("Re: [CTL K-2026-00042] Help", ref));
	assert_string_equal(ref, "K-2026-00042");
	assert_true(thread_find_subject_tag("x [ctl k-2026-00042]", ref));
	assert_string_equal(ref, "K-2026-00042");
	assert_false(thread_find_subject_tag("[CTL K-2026-0042] short", ref));
	assert_false(thread_find_subject_tag("[CTL K-2026-00042 unclosed", ref));
	assert_false(thread_find_subject_tag("K-2026-00042", ref));
	assert_false(thread_find_subject_tag(NULL, ref));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_before_original, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subject_tag_needs_participant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subject_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_troop_writes_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mailboxes_never_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reference_numbering, setup, teardown),
		cmocka_unit_test(test_base_subject),
		cmocka_unit_test(test_subject_tag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
