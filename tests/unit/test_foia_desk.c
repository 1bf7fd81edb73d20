/* Unit tests: what the console's FOIA desk added to ops and the store — the records office's
 * saved searches (who may save, list, run and delete; a name taken; bad filters; the audit),
 * a search's filters from days, the legal clock in business days, adding ticked messages to a
 * request, the preview of a message as it will be produced, and the exemptions' list.
 *
 * One database for the group: troop K's two messages (one with a telephone number). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <time.h>

#include "calendar.h"
#include "import_run.h"
#include "ops.h"
#include "ops_foia.h"
#include "ops_foia_exemptions.h"
#include "ops_list.h"
#include "ops_saved_search.h"
#include "test_helpers.h"

#define PHONE "860-555-0142"

static struct {
	char *dir, *db, *config_path;
	struct config *config;
	struct store *store;
} fx;

static const char config_text[] =
    "[liaison]\ndatabase = %s\ntimezone = America/New_York\nroutes = %s/config/routes.conf\n"
    "\n[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\n"
    "\n[user admin]\nrole = admin\n\n[user coordinator]\nrole = coordinator\n"
    "\n[user records]\nrole = records\n\n[user reyes]\nrole = ctl\ntroops = K\n";

static struct actor as(const char *name)
{
	struct actor a;
	char *error = NULL;
	assert_int_equal(ops_actor(fx.config, name, &a, &error), OPS_OK);
	return a;
}

/* Writes text as NAME.eml and imports it into mailbox K. */
static void import_text(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s.eml", fx.dir, name);
	test_write_file(path, text);
	struct import_result result = {0};
	char *error = NULL;
	char *paths[] = {path};
	assert_int_equal(import_run(fx.store, fx.config, NULL, config_find_mailbox(fx.config, "K"),
	                            "INBOX", paths, 1, &result, &error), 0);
	assert_int_equal(result.counts.imported, 1);
	strlist_free(&result.errors);
	free(path);
}

static void import_message(const char *name, const char *from, const char *subject,
                           const char *body)
{
	char *text = xasprintf("From: %s\r\nTo: TroopKCTL@ct.gov\r\nSubject: %s\r\nMessage-ID: "
	                       "<%s@people.example>\r\nDate: Tue, 10 Nov 2026 09:00:00 -0500\r\n\r\n"
	                       "%s\r\n", from, subject, name, body);
	import_text(name, text);
	free(text);
}

/* A message with an attachment whose name holds a person's name. */
static void import_with_attachment(void)
{
	import_text("statement",
	    "From: Ana Lopez <lopez@people.example>\r\nTo: TroopKCTL@ct.gov\r\n"
	    "Subject: My statement\r\nMessage-ID: <statement@people.example>\r\n"
	    "Date: Wed, 11 Nov 2026 09:00:00 -0500\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nAttached, as promised.\r\n"
	    "--b\r\nContent-Type: text/plain\r\n"
	    "Content-Disposition: attachment; filename=\"Ana Lopez statement.txt\"\r\n\r\n"
	    "I saw it.\r\n--b--\r\n");
}

static int setup_group(void **state)
{
	mime_global_init();
	fx.dir = test_tmpdir();
	fx.db = xasprintf("%s/desk.db", fx.dir);
	fx.config_path = xasprintf("%s/liaison.conf", fx.dir);
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	char *conf = xasprintf(config_text, fx.db, cwd);
	int loaded = test_config_load(fx.config_path, conf, &fx.config);
	free(conf);
	if (loaded < 0)
		return -1;
	char *error = NULL;
	assert_int_equal(store_open(fx.db, STORE_OPEN_INIT, &fx.store, &error), 0);
	import_message("okafor", "Tunde Okafor <okafor@people.example>", "Loud music on Maple Street",
	               "Music all night on Maple Street. Call me at " PHONE ".");
	import_message("lopez", "Ana Lopez <lopez@people.example>", "What I saw on Maple Street",
	               "I saw the car on Maple Street.");
	import_with_attachment();
	return 0;
}

static int teardown_group(void **state)
{
	store_close(&fx.store);
	config_free(&fx.config);
	return 0;
}

/* ---- saved searches ---- */

struct saved_seen {
	int n;
	char name[64], query[64], since[11], until[11], saved_by[32];
	int attachment;
};

static int saved_seen(const struct saved_search_row *r, void *p)
{
	struct saved_seen *s = p;
	s->n++;
	snprintf(s->name, sizeof(s->name), "%s", r->name);
	snprintf(s->query, sizeof(s->query), "%s", r->query ? r->query : "(null)");
	snprintf(s->since, sizeof(s->since), "%s", r->since_day ? r->since_day : "");
	snprintf(s->until, sizeof(s->until), "%s", r->until_day ? r->until_day : "");
	snprintf(s->saved_by, sizeof(s->saved_by), "%s", r->saved_by);
	s->attachment = r->has_attachment;
	return 0;
}

struct audit_count {
	const char *action;
	int n;
};

static int audit_counted(const struct audit_row *r, void *p)
{
	struct audit_count *c = p;
	c->n += strcmp(r->action, c->action) == 0;
	return 0;
}

/* How many entries of the trail record action. */
static int audit_count(const char *action)
{
	struct audit_count c = {action, 0};
	assert_int_equal(store_audit_list(fx.store, 0, NULL, audit_counted, &c), 0);
	return c.n;
}

static void test_saved_searches(void **state)
{
	struct actor records = as("records"), coordinator = as("coordinator"), reyes = as("reyes");
	struct saved_search_row s = {.name = "Maple since Nov", .query = "maple", .mailbox = "",
	                             .since_day = "2026-11-01", .until_day = "2026-11-30",
	                             .has_attachment = 1};
	int64_t id = 0, id2 = 0;
	char *error = NULL;
	int saves = audit_count("search-save");
	assert_int_equal(ops_saved_search_save(fx.store, &records, &s, &id, &error), OPS_OK);
	assert_true(id > 0);
	assert_int_equal(audit_count("search-save"), saves + 1);
	/* the name is taken */
	assert_int_equal(ops_saved_search_save(fx.store, &records, &s, &id2, &error), OPS_INVALID);
	assert_non_null(strstr(error, "saved already"));
	free(error), error = NULL;
	/* the coordinator reads but does not save; a liaison does neither */
	assert_int_equal(ops_saved_search_save(fx.store, &coordinator, &s, &id2, &error),
	                 OPS_REFUSED);
	free(error), error = NULL;
	struct saved_seen seen = {0};
	assert_int_equal(ops_saved_searches(fx.store, &reyes, 0, saved_seen, &seen, &error),
	                 OPS_REFUSED);
	free(error), error = NULL;
	assert_int_equal(ops_saved_searches(fx.store, &coordinator, 0, saved_seen, &seen, &error),
	                 OPS_OK);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.name, "Maple since Nov");
	assert_string_equal(seen.query, "maple");
	assert_string_equal(seen.since, "2026-11-01");
	assert_string_equal(seen.until, "2026-11-30");
	assert_string_equal(seen.saved_by, "records");
	assert_int_equal(seen.attachment, 1);
	/* one by its number, and one that is not */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(ops_saved_searches(fx.store, &coordinator, id, saved_seen, &seen, &error),
	                 OPS_OK);
	assert_int_equal(seen.n, 1);
	assert_int_equal(ops_saved_searches(fx.store, &coordinator, id + 100, saved_seen, &seen,
	                                    &error), OPS_NOT_FOUND);
	free(error), error = NULL;
	/* bad filters and names are refused before anything is written */
	struct saved_search_row bad = {.name = "bad day", .since_day = "2026-02-30"};
	assert_int_equal(ops_saved_search_save(fx.store, &records, &bad, &id2, &error), OPS_INVALID);
	free(error), error = NULL;
	bad = (struct saved_search_row){.name = "bad way", .direction = "sideways"};
	assert_int_equal(ops_saved_search_save(fx.store, &records, &bad, &id2, &error), OPS_INVALID);
	free(error), error = NULL;
	bad = (struct saved_search_row){.name = ""};
	assert_int_equal(ops_saved_search_save(fx.store, &records, &bad, &id2, &error), OPS_INVALID);
	free(error), error = NULL;
	assert_int_equal(audit_count("search-save"), saves + 1);
	/* deleted by records staff only, once */
	assert_int_equal(ops_saved_search_delete(fx.store, &coordinator, id, &error), OPS_REFUSED);
	free(error), error = NULL;
	int deletes = audit_count("search-delete");
	assert_int_equal(ops_saved_search_delete(fx.store, &records, id, &error), OPS_OK);
	assert_int_equal(audit_count("search-delete"), deletes + 1);
	assert_int_equal(ops_saved_search_delete(fx.store, &records, id, &error), OPS_NOT_FOUND);
	free(error), error = NULL;
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(ops_saved_searches(fx.store, &records, 0, saved_seen, &seen, &error),
	                 OPS_OK);
	assert_int_equal(seen.n, 0);
}

static void test_filter_days(void **state)
{
	struct saved_search_row s = {.query = "", .from = "ann@example.org", .since_day = "2026-11-25",
	                             .until_day = "2026-11-25", .direction = "in"};
	struct search_filter f;
	char *error = NULL;
	assert_int_equal(ops_search_filter_from(&s, &f, &error), OPS_OK);
	assert_null(f.query); /* empty is no filter */
	assert_string_equal(f.from, "ann@example.org");
	/* the day's start and, whole, the next day's start in New York (EST, UTC-5) */
	assert_int_equal(f.since, 1795582800);
	assert_int_equal(f.until, 1795582800 + 86400);
}

/* ---- the legal clock ---- */

static void test_days_left(void **state)
{
	struct actor records = as("records");
	int64_t monday = 1796050800;   /* 2026-11-30 10:00 in New York */
	int64_t friday = monday + 4 * 86400;
	assert_int_equal(ops_foia_days_left(&records, "2026-12-02", monday), 2);
	assert_int_equal(ops_foia_days_left(&records, "2026-12-02", monday + 2 * 86400), 0);
	assert_int_equal(ops_foia_days_left(&records, "2026-12-02", friday), -2);
	/* over Thanksgiving: from Wednesday 11-25, Thursday does not count */
	assert_int_equal(ops_foia_days_left(&records, "2026-12-02", monday - 5 * 86400), 4);
	assert_int_equal(ops_foia_days_left(&records, "not a day", monday), 0);
}

/* ---- a request's set, and the preview ---- */

struct ids {
	int64_t v[8];
	size_t n;
	char sha[8][SHA256_HEX_SIZE];
};

static int hit_id(const struct search_row *r, void *p)
{
	struct ids *ids = p;
	if (ids->n < 8)
		ids->v[ids->n++] = r->id;
	return 0;
}

static int item_sha(const struct foia_item_row *r, void *p)
{
	struct ids *ids = p;
	snprintf(ids->sha[ids->n++], SHA256_HEX_SIZE, "%s", r->sha256);
	return 0;
}

static int no_request(const struct foia_row *r, void *p) { return 0; }
static int no_decision(const struct decision_row *r, void *p) { return 0; }

static void joined_has(const struct redacted *r, const char *want, int yes)
{
	char *s = redacted_join(r);
	if ((strstr(s, want) != NULL) != yes)
		fail_msg("\"%s\" %s \"%s\"", s, yes ? "lacks" : "has", want);
	free(s);
}

static void test_request_set_and_preview(void **state)
{
	struct actor records = as("records"), coordinator = as("coordinator"), reyes = as("reyes");
	char ref[32];
	char *error = NULL;
	assert_int_equal(ops_foia_new(fx.store, &records, "A reporter", NULL, "Maple Street",
	                              "2026-11-25", ref, sizeof(ref), &error), OPS_OK);
	struct search_filter f = {.query = "maple"};
	struct ids hits = {0};
	size_t total = 0, added = 0;
	assert_int_equal(ops_search(fx.store, &records, &f, hit_id, &hits, &total, &error), OPS_OK);
	assert_int_equal(hits.n, 2);
	/* ticked: one, then both (one new) */
	assert_int_equal(ops_foia_add_messages(fx.store, &records, ref, hits.v, 1, &added, &error),
	                 OPS_OK);
	assert_int_equal(added, 1);
	assert_int_equal(ops_foia_add_messages(fx.store, &records, ref, hits.v, 2, &added, &error),
	                 OPS_OK);
	assert_int_equal(added, 1);
	assert_int_equal(ops_foia_add_messages(fx.store, &records, ref, hits.v, 0, &added, &error),
	                 OPS_INVALID);
	free(error), error = NULL;
	assert_int_equal(ops_foia_add_messages(fx.store, &coordinator, ref, hits.v, 2, &added,
	                                       &error), OPS_REFUSED);
	free(error), error = NULL;
	int64_t none[] = {hits.v[0] + hits.v[1] + 1000};
	assert_int_equal(ops_foia_add_messages(fx.store, &records, ref, none, 1, &added, &error),
	                 OPS_FAILED);
	assert_int_equal(added, 0);
	free(error), error = NULL;
	struct ids set = {0};
	assert_int_equal(ops_foia_show(fx.store, &records, ref, no_request, item_sha, no_decision,
	                               &set, &error), OPS_OK);
	assert_int_equal(set.n, 2);

	/* the preview: the phone number redacted as the production will, the text kept whole */
	struct foia_redaction phone = {.preset = "phone", .exemption = "1-210(b)(2)"};
	struct foia_redacted done;
	const char *okafor = NULL, *lopez = NULL;
	struct foia_preview p;
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(ops_foia_preview(fx.store, &coordinator, ref, set.sha[i], &p, &error),
		                 OPS_OK);
		if (strstr(p.original, PHONE))
			okafor = set.sha[i];
		else
			lopez = set.sha[i];
		ops_foia_preview_clear(&p);
	}
	assert_non_null(okafor);
	assert_non_null(lopez);
	assert_int_equal(ops_foia_redact(fx.store, &records, ref, okafor, &phone, &done, &error),
	                 OPS_OK);
	ops_foia_redacted_clear(&done);
	int reads = audit_count("foia-read");
	assert_int_equal(ops_foia_preview(fx.store, &records, ref, okafor, &p, &error), OPS_OK);
	assert_int_equal(audit_count("foia-read"), reads + 1);
	assert_int_equal(p.redactions, 1);
	assert_null(p.withheld);
	assert_non_null(strstr(p.original, PHONE));
	joined_has(&p.text, PHONE, 0);
	joined_has(&p.text, "[REDACTED 1-210(b)(2)]", 1);
	joined_has(&p.fields[FOIA_FIELD_FROM], "okafor@people.example", 1);
	joined_has(&p.fields[FOIA_FIELD_SUBJECT], "Loud music on Maple Street", 1);
	size_t labels = 0;
	for (size_t i = 0; i < p.text.n; i++)
		labels += p.text.pieces[i].is_label;
	assert_int_equal(labels, 1);
	ops_foia_preview_clear(&p);
	/* withheld whole: said, with its exemption */
	char *said = NULL;
	assert_int_equal(ops_foia_withhold(fx.store, &records, ref, lopez, "1-210(b)(3)(A)", "witness",
	                                   &said, &error), OPS_OK);
	free(said);
	assert_int_equal(ops_foia_preview(fx.store, &records, ref, lopez, &p, &error), OPS_OK);
	assert_string_equal(p.withheld, "1-210(b)(3)(A)");
	ops_foia_preview_clear(&p);
	/* an attachment's name is drawn on the page, redacted like the rest */
	struct search_filter promised = {.query = "promised"};
	struct ids one = {0};
	assert_int_equal(ops_search(fx.store, &records, &promised, hit_id, &one, &total, &error),
	                 OPS_OK);
	assert_int_equal(one.n, 1);
	assert_int_equal(ops_foia_add_messages(fx.store, &records, ref, one.v, 1, &added, &error),
	                 OPS_OK);
	struct foia_redaction name = {.text = "Ana Lopez", .exemption = "1-210(b)(3)(A)"};
	assert_int_equal(ops_foia_redact(fx.store, &records, ref, "<statement@people.example>",
	                                 &name, &done, &error), OPS_OK);
	ops_foia_redacted_clear(&done);
	assert_int_equal(ops_foia_preview(fx.store, &records, ref, "<statement@people.example>", &p,
	                                  &error), OPS_OK);
	assert_int_equal(p.n_attachments, 1);
	assert_string_equal(p.attachments[0].content_type, "text/plain");
	joined_has(&p.attachments[0].name, "Ana Lopez", 0);
	joined_has(&p.attachments[0].name, "[REDACTED 1-210(b)(3)(A)] statement.txt", 1);
	joined_has(&p.fields[FOIA_FIELD_FROM], "Ana Lopez", 0);
	ops_foia_preview_clear(&p);
	/* a liaison may not; a message outside the set is no message of the request */
	assert_int_equal(ops_foia_preview(fx.store, &reyes, ref, okafor, &p, &error), OPS_REFUSED);
	free(error), error = NULL;
	assert_int_equal(ops_foia_preview(fx.store, &records, "FOIA-1999-0001", okafor, &p, &error),
	                 OPS_NOT_FOUND);
	free(error), error = NULL;
	char other[32];
	assert_int_equal(ops_foia_new(fx.store, &records, "Another", NULL, "nothing", "2026-11-25",
	                              other, sizeof(other), &error), OPS_OK);
	assert_int_equal(ops_foia_preview(fx.store, &records, other, okafor, &p, &error),
	                 OPS_INVALID);
	free(error), error = NULL;
}

/* ---- the exemptions ---- */

static void test_exemptions(void **state)
{
	size_t n = 0;
	const struct foia_exemption *e = ops_foia_exemptions(&n);
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strncmp(e[i].citation, "1-210(b)(", 9), 0);
		assert_true(strlen(e[i].name) > 10);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(e[i].citation, e[j].citation);
	}
	assert_non_null(strstr(ops_foia_exemption_name("1-210(b)(3)(G)"), "sexual assault"));
	assert_non_null(strstr(ops_foia_exemption_name("1-210(b)(3)(H)"), "uncorroborated"));
	assert_null(ops_foia_exemption_name("1-210(b)(99)"));
	assert_null(ops_foia_exemption_name(NULL));
	assert_non_null(strstr(ops_foia_review_hint("noise,sexual-assault", 0), "(3)(G)"));
	assert_non_null(strstr(ops_foia_review_hint(NULL, 1), "confidential"));
	assert_null(ops_foia_review_hint("noise", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saved_searches),
		cmocka_unit_test(test_filter_days),
		cmocka_unit_test(test_days_left),
		cmocka_unit_test(test_request_set_and_preview),
		cmocka_unit_test(test_exemptions),
	};
	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
