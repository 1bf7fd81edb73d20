/* Unit tests: the rule layer (ops) itself — every role against every operation and listing,
 * with the refusal each must give, and what each listing lets each role see.  The command
 * line's tests run the same rules through the program; these hold ops to them directly, as
 * the web console will use it.
 *
 * Each case runs on a fresh copy of one database: troop K's threads K1 (a person's, nobody
 * assigned) and K2 (confidential, assigned to reyes), troop L's L1, a reply reyes queued on
 * K1 (outbox 1) and an event reyes requested on K1 (event 1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <time.h>

#include "calendar.h"
#include "import_run.h"
#include "ops.h"
#include "ops_audit.h"
#include "ops_event.h"
#include "ops_foia.h"
#include "ops_list.h"
#include "ops_message.h"
#include "ops_outbox.h"
#include "ops_report.h"
#include "ops_retention.h"
#include "ops_saved.h"
#include "digest.h"
#include "test_helpers.h"

enum role { ADMIN, COORDINATOR, RECORDS, REYES, WALSH, BELL, N_ROLES };
static const char *const role_names[N_ROLES] = {"admin", "coordinator", "records",
                                                "reyes", "walsh", "bell"};

struct fixture {
	char *dir, *template_db, *db, *config_path;
	struct config *config;
	struct store *store;
	char k1[32], k2[32], l1[32];
	char foia[32], today[11];
};
static struct fixture fx;

static const char config_text[] =
    "[liaison]\n"
    "database = %s\n"
    "timezone = America/New_York\n"
    "routes = %s/config/routes.conf\n"
    "categories = community-meeting\n"
    "templates = %s/templates\n"
    "\n[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\n"
    "\n[mailbox L]\ntroop = L\naddress = TroopLCTL@ct.gov\n"
    "\n[service 211]\nname = 2-1-1\nphone = 2-1-1\n"
    "\n[user admin]\nrole = admin\n"
    "\n[user coordinator]\nrole = coordinator\n"
    "\n[user records]\nrole = records\n"
    "\n[user reyes]\nrole = ctl\ntroops = K\ndisplay_name = Tpr. Ana Reyes\n"
    "\n[user walsh]\nrole = ctl\ntroops = K\n"
    "\n[user bell]\nrole = ctl\ntroops = L\n";

static void write_message(const char *path, const char *from, const char *to,
                          const char *subject, const char *id)
{
	char *text = xasprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\n"
	                       "Date: Tue, 03 Mar 2026 10:00:00 -0500\r\n\r\n"
	                       "Hello, I would like to talk about the neighbourhood meeting.\r\n",
	                       from, to, subject, id);
	test_write_file(path, text);
	free(text);
}

static struct actor as(enum role role)
{
	struct actor a;
	char *error = NULL;
	assert_int_equal(ops_actor(fx.config, role_names[role], &a, &error), OPS_OK);
	return a;
}

static void import_one(const char *mailbox, const char *path)
{
	struct import_result result = {0};
	char *error = NULL;
	char *paths[] = {(char *)path};
	assert_int_equal(import_run(fx.store, fx.config, NULL, config_find_mailbox(fx.config, mailbox),
	                            "INBOX", paths, 1, &result, &error), 0);
	assert_int_equal(result.counts.imported, 1);
	strlist_free(&result.errors);
}

static int first_ref(const struct ops_thread_item *item, void *p)
{
	char (*refs)[32] = p;
	/* newest first: K2 was filed after K1 */
	for (int i = 0; i < 3; i++)
		if (refs[i][0] == '\0') {
			snprintf(refs[i], 32, "%s", item->row->ref);
			break;
		}
	return 0;
}

/* Saved replies: "hello" for every troop in English and Spanish, replaced in troop K by its
 * own (English only); "shared-only" for every troop. */
static void write_saved_replies(void)
{
	static const char *const folders[] = {"templates", "templates/saved",
	                                      "templates/saved/K"};
	for (size_t i = 0; i < 3; i++) {
		char *dir = xasprintf("%s/%s", fx.dir, folders[i]);
		assert_int_equal(mkdir(dir, 0700), 0);
		free(dir);
	}
	static const struct {
		const char *file, *text;
	} files[] = {
		{"hello.en.txt", "# title: Hello\nHello {{first_name}}, about {{ref}}.\n"
		                 "{{liaison_name}}\n"},
		{"hello.es.txt", "# title: Hola\nHola, {{first_name}}: sobre {{ref}}.\n"
		                 "{{liaison_name}}\n"},
		{"shared-only.en.txt", "Shared text for {{ref}}.\n"},
		{"K/hello.en.txt", "# title: Hello from K\nTroop K says hello, {{first_name}}.\n"
		                   "{{liaison_name}}\n"},
		{"K/notes.txt", "not a saved reply"},
		{"bad.name.en.txt", "not a saved reply either"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char *path = xasprintf("%s/templates/saved/%s", fx.dir, files[i].file);
		test_write_file(path, files[i].text);
		free(path);
	}
}

/* The template database every case copies. */
static int setup_group(void **state)
{
	mime_global_init();
	fx.dir = test_tmpdir();
	fx.template_db = xasprintf("%s/template.db", fx.dir);
	fx.db = xasprintf("%s/case.db", fx.dir);
	fx.config_path = xasprintf("%s/liaison.conf", fx.dir);
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd))); /* the tests run from the top of the tree */
	char *conf = xasprintf(config_text, fx.template_db, cwd, fx.dir);
	write_saved_replies();
	int loaded = test_config_load(fx.config_path, conf, &fx.config);
	free(conf);
	if (loaded < 0)
		return -1;
	char *error = NULL;
	assert_int_equal(store_open(fx.template_db, STORE_OPEN_INIT, &fx.store, &error), 0);
	char *p = xasprintf("%s/k1.eml", fx.dir);
	write_message(p, "\"Ann Smith\" <ann@example.org>", "TroopKCTL@ct.gov", "Meeting", "k1@x");
	import_one("K", p);
	free(p);
	p = xasprintf("%s/k2.eml", fx.dir);
	write_message(p, "bo@example.org", "TroopKCTL@ct.gov", "Private matter", "k2@x");
	import_one("K", p);
	free(p);
	p = xasprintf("%s/l1.eml", fx.dir);
	write_message(p, "cy@example.org", "TroopLCTL@ct.gov", "Question", "l1@x");
	import_one("L", p);
	free(p);
	struct actor admin = as(ADMIN);
	char refs[3][32] = {"", "", ""};
	struct ops_thread_query all = {.all = 1};
	assert_int_equal(ops_threads_list(fx.store, &admin, &all, first_ref, refs, &error), OPS_OK);
	/* newest activity first: L1, K2, K1 */
	snprintf(fx.l1, sizeof(fx.l1), "%s", refs[0]);
	snprintf(fx.k2, sizeof(fx.k2), "%s", refs[1]);
	snprintf(fx.k1, sizeof(fx.k1), "%s", refs[2]);
	assert_true(fx.k1[0] == 'K' && fx.k2[0] == 'K' && fx.l1[0] == 'L');
	int changed = 0;
	assert_int_equal(ops_assign(fx.store, &admin, fx.k2, "reyes", 0, &changed, &error), OPS_OK);
	assert_int_equal(ops_flag(fx.store, &admin, fx.k2, "confidential", 1, &error), OPS_OK);
	struct actor reyes = as(REYES);
	char *to = NULL;
	assert_int_equal(ops_reply(fx.store, &reyes, fx.k1, "Thank you.", NULL, &to, &error),
	                 OPS_OK);
	free(to);
	struct event_request req = {.ref = fx.k1, .date = "2026-03-20", .place = "Library",
	                            .kind = "community meeting"};
	int64_t id = 0;
	assert_int_equal(ops_event_request(fx.store, &reyes, &req, &id, &error), OPS_OK);
	assert_int_equal(id, 1);
	/* FOIA-YEAR-0001, received today (never a day after it: a future receipt is refused). */
	char day[11];
	calendar_format(calendar_date_of((int64_t)time(NULL), NULL), day);
	assert_int_equal(ops_foia_new(fx.store, &admin, "A reporter", NULL, "meetings", day,
	                              fx.foia, sizeof(fx.foia), &error), OPS_OK);
	size_t added = 0;
	struct search_filter all_k1 = {.query = "neighbourhood", .mailbox = "K"};
	assert_int_equal(ops_foia_add(fx.store, &admin, fx.foia, &all_k1, &added, &error), OPS_OK);
	assert_int_equal(added, 2);
	snprintf(fx.today, sizeof(fx.today), "%s", day);
	store_close(&fx.store);
	(void)state;
	return 0;
}

static int teardown_group(void **state)
{
	config_free(&fx.config);
	free(fx.dir);
	free(fx.template_db);
	free(fx.db);
	free(fx.config_path);
	mime_global_deinit();
	(void)state;
	return 0;
}

/* A fresh copy of the template for one case. */
static void fresh_store(void)
{
	char *data = NULL;
	size_t len = 0;
	char *error = NULL;
	assert_int_equal(file_read_all(fx.template_db, 64 << 20, &data, &len, &error), 0);
	unlink(fx.db);
	FILE *f = fopen(fx.db, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	free(data);
	assert_int_equal(store_open(fx.db, STORE_OPEN_EXISTING, &fx.store, &error), 0);
}

static int count_thread(const struct ops_thread_item *i, void *p) { (void)i; ++*(int *)p; return 0; }
static int count_message(const struct message_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_history(const struct history_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_hit(const struct search_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_outbox(const struct outbox_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_audit(const struct audit_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_event(const struct event_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_due(const struct retention_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_foia(const struct foia_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_item(const struct foia_item_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_decision(const struct decision_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_hold(const struct hold_row *r, void *p) { (void)r; ++*(int *)p; return 0; }
static int count_saved(const struct template_saved *r, void *p) { (void)r; ++*(int *)p; return 0; }
static void no_mismatch(const char *a, const char *b, const char *c, void *p)
{
	(void)a, (void)b, (void)c, (void)p;
}

/* --- the operations, each as one call of ops --------------------------------------------- */

typedef int op_fn(const struct actor *a, char **error_r);

static int op_threads(const struct actor *a, char **e)
{
	int n = 0;
	struct ops_thread_query q = {.all = 1};
	return ops_threads_list(fx.store, a, &q, count_thread, &n, e);
}
static int op_show_k1(const struct actor *a, char **e)
{
	int n = 0;
	return ops_show(fx.store, a, fx.k1, count_thread, count_message, &n, e);
}
static int op_show_k2(const struct actor *a, char **e)
{
	int n = 0;
	return ops_show(fx.store, a, fx.k2, count_thread, count_message, &n, e);
}
static int op_history_k2(const struct actor *a, char **e)
{
	int n = 0;
	return ops_history_list(fx.store, a, fx.k2, count_history, &n, e);
}
static int op_messages(const struct actor *a, char **e)
{
	int n = 0;
	struct message_filter f = {0};
	return ops_messages_list(fx.store, a, &f, count_message, &n, e);
}
static int op_search(const struct actor *a, char **e)
{
	int n = 0;
	size_t total = 0;
	struct search_filter f = {.query = "neighbourhood"};
	return ops_search(fx.store, a, &f, count_hit, &n, &total, e);
}
static int op_outbox(const struct actor *a, char **e)
{
	int n = 0;
	return ops_outbox_list(fx.store, a, NULL, count_outbox, &n, e);
}
static int op_outbox_show(const struct actor *a, char **e)
{
	int n = 0;
	return ops_outbox_show(fx.store, a, 1, count_outbox, &n, e);
}
static int op_outbox_cancel(const struct actor *a, char **e)
{
	return ops_outbox_cancel(fx.store, a, 1, e);
}
static int op_outbox_retry(const struct actor *a, char **e)
{
	return ops_outbox_retry(fx.store, a, 1, e);
}
static int op_audit(const struct actor *a, char **e)
{
	int n = 0;
	return ops_audit_list(fx.store, a, 0, NULL, count_audit, &n, e);
}
static int op_verify(const struct actor *a, char **e)
{
	struct verify_result r;
	int rc = ops_verify(fx.store, a, no_mismatch, NULL, &r, e);
	if (rc == OPS_OK)
		free(r.audit_problem);
	return rc;
}
static int op_retention_due(const struct actor *a, char **e)
{
	int n = 0;
	size_t count = 0;
	return ops_retention_due(fx.store, a, (int64_t)time(NULL), count_due, &n, &count, e);
}
static int op_retention_dispose(const struct actor *a, char **e)
{
	int64_t t = 0, m = 0;
	return ops_retention_dispose(fx.store, a, "RC-1", (int64_t)time(NULL), &t, &m, e);
}
static int op_events(const struct actor *a, char **e)
{
	int n = 0;
	return ops_events_list(fx.store, a, NULL, "text", count_event, &n, e);
}
static int op_event_approve(const struct actor *a, char **e)
{
	return ops_event_decide(fx.store, a, 1, 1, NULL, e);
}
static int op_event_request(const struct actor *a, char **e)
{
	struct event_request req = {.ref = fx.k1, .date = "2026-04-02", .place = "School",
	                            .kind = "presentation"};
	int64_t id = 0;
	return ops_event_request(fx.store, a, &req, &id, e);
}
static int op_digest(const struct actor *a, char **e)
{
	char *text = NULL;
	int items = 0;
	int rc = digest_read(fx.store, a, 'K', (int64_t)time(NULL), &text, &items, e);
	free(text);
	return rc;
}
static int op_assign_k1(const struct actor *a, char **e)
{
	int changed = 0;
	return ops_assign(fx.store, a, fx.k1, "walsh", 0, &changed, e);
}
static int op_take_k1(const struct actor *a, char **e)
{
	int changed = 0;
	return ops_take(fx.store, a, fx.k1, 0, &changed, e);
}
static int op_take_k2(const struct actor *a, char **e)
{
	int changed = 0;
	return ops_take(fx.store, a, fx.k2, 0, &changed, e);
}
static int op_status_k1(const struct actor *a, char **e)
{
	return ops_status(fx.store, a, fx.k1, "waiting", e);
}
static int op_category_k1(const struct actor *a, char **e)
{
	return ops_category(fx.store, a, fx.k1, "community-meeting", e);
}
static int op_flag_k1(const struct actor *a, char **e)
{
	return ops_flag(fx.store, a, fx.k1, "urgent", 1, e);
}
static int op_note_k1(const struct actor *a, char **e)
{
	return ops_note(fx.store, a, fx.k1, "Called back.", e);
}
static int op_note_k2(const struct actor *a, char **e)
{
	return ops_note(fx.store, a, fx.k2, "Called back.", e);
}
static int op_close_k1(const struct actor *a, char **e)
{
	return ops_close(fx.store, a, fx.k1, NULL, NULL, e);
}
static int op_reply_k1(const struct actor *a, char **e)
{
	char *to = NULL;
	int rc = ops_reply(fx.store, a, fx.k1, "We will call you.", NULL, &to, e);
	free(to);
	return rc;
}
static int op_reply_k2(const struct actor *a, char **e)
{
	char *to = NULL;
	int rc = ops_reply(fx.store, a, fx.k2, "We will call you.", NULL, &to, e);
	free(to);
	return rc;
}
static int op_preview_k2(const struct actor *a, char **e)
{
	char *raw = NULL, *to = NULL;
	int rc = ops_reply_preview(fx.store, a, fx.k2, "We will call you.", &raw, &to, e);
	free(raw);
	free(to);
	return rc;
}
static int op_saved_list_k1(const struct actor *a, char **e)
{
	int n = 0;
	return ops_saved_list(fx.store, a, fx.k1, count_saved, &n, e);
}
static int op_saved_render_k2(const struct actor *a, char **e)
{
	char *text = NULL;
	int rc = ops_saved_render(fx.store, a, fx.k2, "hello", "en", &text, e);
	free(text);
	return rc;
}
static int op_refer_k1(const struct actor *a, char **e)
{
	return ops_refer(fx.store, a, fx.k1, "211", NULL, 0, e);
}
static int op_foia_new(const struct actor *a, char **e)
{
	char ref[32];
	return ops_foia_new(fx.store, a, "A reporter", "r@news.example", "all mail about meetings",
	                    "2026-03-04", ref, sizeof(ref), e);
}
static int op_foia_list(const struct actor *a, char **e)
{
	int n = 0;
	return ops_foia_list(fx.store, a, NULL, count_foia, &n, e);
}
static int op_foia_show(const struct actor *a, char **e)
{
	int n = 0;
	return ops_foia_show(fx.store, a, fx.foia, count_foia, count_item, count_decision, &n, e);
}
static int op_foia_add(const struct actor *a, char **e)
{
	size_t added = 0;
	struct search_filter f = {.query = "neighbourhood"};
	return ops_foia_add(fx.store, a, fx.foia, &f, &added, e);
}
static int op_foia_withhold(const struct actor *a, char **e)
{
	char *done = NULL;
	int rc = ops_foia_withhold(fx.store, a, fx.foia, "k1@x", "1-210(b)(3)(G)", "an ongoing case",
	                           &done, e);
	free(done);
	return rc;
}
static int op_foia_remove(const struct actor *a, char **e)
{
	char *done = NULL;
	int rc = ops_foia_remove(fx.store, a, fx.foia, "k2@x", &done, e);
	free(done);
	return rc;
}
static int op_foia_close(const struct actor *a, char **e)
{
	return ops_foia_close(fx.store, a, fx.foia, e);
}
static int op_hold_add(const struct actor *a, char **e)
{
	size_t placed = 0;
	struct search_filter f = {.query = "neighbourhood", .mailbox = "K"};
	return ops_hold_add(fx.store, a, "smith-v-state", "litigation", &f, 0, &placed, e);
}
static int op_holds(const struct actor *a, char **e)
{
	int n = 0;
	return ops_holds_list(fx.store, a, count_hold, &n, e);
}
static int op_raw(const struct actor *a, char **e)
{
	char *raw = NULL;
	size_t len = 0;
	int rc = ops_message_raw(fx.store, a, "k1@x", &raw, &len, e);
	free(raw);
	return rc;
}
static int op_report_monthly_mine(const struct actor *a, char **e)
{
	struct report_monthly *r = NULL;
	struct ops_monthly_query q = {.month = "2026-03", .format = "text"};
	int rc = ops_report_monthly(fx.store, a, &q, &r, e);
	report_monthly_free(&r);
	return rc;
}
static int op_report_monthly_reyes(const struct actor *a, char **e)
{
	struct report_monthly *r = NULL;
	struct ops_monthly_query q = {.month = "2026-03", .officer = "reyes", .format = "text"};
	int rc = ops_report_monthly(fx.store, a, &q, &r, e);
	report_monthly_free(&r);
	return rc;
}
static int op_report_quarterly(const struct actor *a, char **e)
{
	struct report_quarterly *r = NULL;
	int rc = ops_report_quarterly(fx.store, a, "2026Q1", "text", &r, e);
	report_quarterly_free(&r);
	return rc;
}
static int op_report_submit_reyes(const struct actor *a, char **e)
{
	struct report_monthly *r = NULL;
	int rc = ops_report_submit(fx.store, a, "reyes", "2020-01", (int64_t)time(NULL), &r, e);
	report_monthly_free(&r);
	return rc;
}

/* Expected results per role, in role_names' order.  R refused (and says "refused"), N not
 * found, I invalid (a request wrong whoever makes it). */
#define OK OPS_OK
#define R OPS_REFUSED
#define N OPS_NOT_FOUND
#define I OPS_INVALID
struct matrix_case {
	const char *what;
	op_fn *run;
	int want[N_ROLES]; /* admin, coordinator, records, reyes, walsh, bell */
};
static const struct matrix_case matrix[] = {
	/* listings: everyone gets the part they may see */
	{"threads", op_threads, {OK, OK, OK, OK, OK, OK}},
	{"show K1", op_show_k1, {OK, OK, OK, OK, OK, R}},
	{"show K2 (confidential: masked, not refused)", op_show_k2, {OK, OK, OK, OK, OK, R}},
	{"history K2 (confidential)", op_history_k2, {OK, OK, OK, OK, R, R}},
	{"messages", op_messages, {OK, OK, OK, OK, OK, OK}},
	{"search", op_search, {OK, OK, OK, OK, OK, OK}},
	{"outbox", op_outbox, {OK, OK, OK, OK, OK, OK}},
	{"outbox show 1", op_outbox_show, {OK, OK, OK, OK, OK, N}},
	{"events", op_events, {OK, OK, OK, OK, OK, OK}},
	{"digest K", op_digest, {OK, OK, OK, OK, OK, R}},
	{"audit", op_audit, {OK, OK, OK, R, R, R}},
	{"verify", op_verify, {OK, OK, OK, R, R, R}},
	{"retention due", op_retention_due, {OK, OK, OK, R, R, R}},
	{"report quarterly", op_report_quarterly, {OK, OK, OK, R, R, R}},
	/* operations */
	{"outbox cancel 1 (reyes's reply)", op_outbox_cancel, {OK, OK, R, OK, R, N}},
	{"outbox retry 1 (queued)", op_outbox_retry, {I, I, R, R, R, N}},
	{"assign K1 walsh", op_assign_k1, {OK, OK, R, OK, OK, R}},
	{"take K1", op_take_k1, {OK, OK, R, OK, OK, R}},
	{"take K2 (reyes's, confidential)", op_take_k2, {R, R, R, OK, R, R}},
	{"status K1", op_status_k1, {OK, OK, R, OK, OK, R}},
	{"category K1", op_category_k1, {OK, OK, R, OK, OK, R}},
	{"flag K1", op_flag_k1, {OK, OK, R, OK, OK, R}},
	{"note K1", op_note_k1, {OK, OK, R, OK, OK, R}},
	{"note K2 (confidential)", op_note_k2, {OK, OK, R, OK, R, R}},
	{"close K1", op_close_k1, {OK, OK, R, OK, OK, R}},
	{"reply K1", op_reply_k1, {OK, OK, R, OK, OK, R}},
	{"reply K2 (confidential)", op_reply_k2, {OK, OK, R, OK, R, R}},
	{"reply preview K2 (confidential)", op_preview_k2, {OK, OK, R, OK, R, R}},
	{"saved replies K1", op_saved_list_k1, {OK, OK, R, OK, OK, R}},
	{"saved reply K2 (confidential)", op_saved_render_k2, {OK, OK, R, OK, R, R}},
	{"refer K1", op_refer_k1, {OK, OK, R, OK, OK, R}},
	{"event request", op_event_request, {OK, OK, R, OK, OK, R}},
	{"event approve 1", op_event_approve, {OK, OK, R, R, R, R}},
	{"report monthly (one's own, or everyone's)", op_report_monthly_mine, {OK, OK, OK, OK, OK, OK}},
	{"report monthly reyes", op_report_monthly_reyes, {OK, OK, OK, OK, R, R}},
	{"report submit reyes 2020-01", op_report_submit_reyes, {OK, OK, R, OK, R, R}},
	/* records: the coordinator reads requests and holds, records staff and admins work them */
	{"foia list", op_foia_list, {OK, OK, OK, R, R, R}},
	{"foia show", op_foia_show, {OK, OK, OK, R, R, R}},
	{"hold list", op_holds, {OK, OK, OK, R, R, R}},
	{"raw", op_raw, {OK, OK, OK, R, R, R}},
	{"foia new", op_foia_new, {OK, R, OK, R, R, R}},
	{"foia add", op_foia_add, {OK, R, OK, R, R, R}},
	{"foia withhold", op_foia_withhold, {OK, R, OK, R, R, R}},
	{"foia remove", op_foia_remove, {OK, R, OK, R, R, R}},
	{"foia close", op_foia_close, {OK, R, OK, R, R, R}},
	{"hold add", op_hold_add, {OK, R, OK, R, R, R}},
	/* disposal is off in this configuration: refused to all, for that reason or the role's */
	{"retention dispose", op_retention_dispose, {R, R, R, R, R, R}},
};

static void test_matrix(void **state)
{
	(void)state;
	int failures = 0;
	for (size_t i = 0; i < sizeof(matrix) / sizeof(*matrix); i++) {
		for (int role = 0; role < N_ROLES; role++) {
			fresh_store();
			struct actor a = as((enum role)role);
			char *error = NULL;
			int rc = matrix[i].run(&a, &error);
			int want = matrix[i].want[role];
			int reason_ok = rc == OK || (error != NULL &&
			                (rc != R || strstr(error, "refused") != NULL));
			if (rc != want || !reason_ok) {
				fprintf(stderr, "%s as %s: got %d, want %d (%s)\n", matrix[i].what,
				        role_names[role], rc, want, error ? error : "no message");
				failures++;
			}
			free(error);
			store_close(&fx.store);
		}
	}
	assert_int_equal(failures, 0);
}

/* What each role sees of the threads: its troops', the confidential one masked unless it
 * may read it; and a liaison's category filter never matches a masked thread. */
struct seen {
	int threads, masked;
};
static int note_seen(const struct ops_thread_item *item, void *p)
{
	struct seen *s = p;
	s->threads++;
	if (!item->content) {
		s->masked++;
		assert_string_equal(item->row->subject, "confidential");
		assert_string_equal(item->row->correspondent, "confidential");
	}
	return 0;
}

static void test_visibility(void **state)
{
	(void)state;
	/* threads seen, of them masked; messages seen */
	static const int want[N_ROLES][3] = {
		{3, 0, 4}, {3, 0, 4}, {3, 0, 4}, {2, 0, 3}, {2, 1, 3}, {1, 0, 1},
	};
	fresh_store();
	for (int role = 0; role < N_ROLES; role++) {
		struct actor a = as((enum role)role);
		char *error = NULL;
		struct seen s = {0};
		struct ops_thread_query q = {.all = 1};
		assert_int_equal(ops_threads_list(fx.store, &a, &q, note_seen, &s, &error), OPS_OK);
		assert_int_equal(s.threads, want[role][0]);
		assert_int_equal(s.masked, want[role][1]);
		int messages = 0;
		struct message_filter f = {0};
		assert_int_equal(ops_messages_list(fx.store, &a, &f, count_message, &messages, &error),
		                 OPS_OK);
		(void)messages; /* the reply is queued, not yet a stored message */
		int outbox = 0;
		assert_int_equal(ops_outbox_list(fx.store, &a, NULL, count_outbox, &outbox, &error),
		                 OPS_OK);
		assert_int_equal(outbox, role == BELL ? 0 : 1);
	}
	/* A category filter finds nothing in a thread masked to the actor. */
	struct actor admin = as(ADMIN);
	char *error = NULL;
	assert_int_equal(ops_category(fx.store, &admin, fx.k2, "community-meeting", &error), OPS_OK);
	struct ops_thread_query by_category = {.all = 1, .category = "community-meeting"};
	struct seen walsh = {0}, reyes = {0};
	struct actor w = as(WALSH), r = as(REYES);
	assert_int_equal(ops_threads_list(fx.store, &w, &by_category, note_seen, &walsh, &error),
	                 OPS_OK);
	assert_int_equal(ops_threads_list(fx.store, &r, &by_category, note_seen, &reyes, &error),
	                 OPS_OK);
	assert_int_equal(walsh.threads, 0);
	assert_int_equal(reyes.threads, 1);
	/* A bad filter names the valid choices. */
	struct ops_thread_query bad = {.flag = "sparkly"};
	assert_int_equal(ops_threads_list(fx.store, &r, &bad, note_seen, &reyes, &error),
	                 OPS_INVALID);
	assert_non_null(strstr(error, "confidential, reportable, urgent, suspicious"));
	free(error);
	store_close(&fx.store);
}

/* Taking: another's thread only with force; one's own is nothing to record; a thread ref in
 * any case; a missing thread is not found. */
static void test_take(void **state)
{
	(void)state;
	fresh_store();
	struct actor reyes = as(REYES), walsh = as(WALSH);
	char *error = NULL;
	int changed = -1;
	assert_int_equal(ops_take(fx.store, &reyes, fx.k1, 0, &changed, &error), OPS_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(ops_take(fx.store, &reyes, fx.k1, 0, &changed, &error), OPS_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(ops_take(fx.store, &walsh, fx.k1, 0, &changed, &error), OPS_REFUSED);
	assert_non_null(strstr(error, "--force"));
	free(error);
	error = NULL;
	char lower[32];
	snprintf(lower, sizeof(lower), "%s", fx.k1);
	lower[0] = 'k';
	assert_int_equal(ops_take(fx.store, &walsh, lower, 1, &changed, &error), OPS_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(ops_take(fx.store, &walsh, "K-2026-99999", 0, &changed, &error),
	                 OPS_NOT_FOUND);
	free(error);
	store_close(&fx.store);
}

/* A thread changed between an operation's reading and its writing is a conflict. */
static void test_conflict(void **state)
{
	(void)state;
	fresh_store();
	struct actor reyes = as(REYES), walsh = as(WALSH);
	char *error = NULL;
	struct ops_thread seen;
	assert_int_equal(ops_load_for_change(fx.store, &reyes, fx.k1, &seen, &error), OPS_OK);
	assert_int_equal(ops_thread_unchanged(fx.store, &seen, &error), OPS_OK);
	int changed = 0;
	assert_int_equal(ops_take(fx.store, &walsh, fx.k1, 0, &changed, &error), OPS_OK);
	assert_int_equal(ops_thread_unchanged(fx.store, &seen, &error), OPS_CONFLICT);
	assert_non_null(strstr(error, "changed meanwhile"));
	assert_non_null(strstr(error, "walsh"));
	free(error);
	ops_thread_free(&seen);
	store_close(&fx.store);
}

/* The store tells an event decided meanwhile (0) from a database error (-1); and the thread
 * reference lookup tells "no such thread" (0) from one. */
static void test_store_results(void **state)
{
	(void)state;
	fresh_store();
	struct event_row e = {.id = 1, .status = "approved", .decided_by = "walsh"};
	assert_int_equal(store_event_update(fx.store, &e, "denied"), 0);    /* it is requested */
	assert_int_equal(store_event_update(fx.store, &e, "requested"), 1);
	assert_int_equal(store_event_update(fx.store, &e, "requested"), 0); /* approved now */
	char ref[32] = "";
	assert_int_equal(store_thread_ref(fx.store, 1, ref, sizeof(ref)), 1);
	assert_string_equal(ref, fx.k1);
	assert_int_equal(store_thread_ref(fx.store, 999999, ref, sizeof(ref)), 0);
	store_close(&fx.store);
}

/* --- replies: the immigration-status check, what the composer saw, the preview --------- */

static int keep_last_history(const struct history_row *r, void *p)
{
	char **last = p;
	free(*last);
	*last = xstrdup(r->details ? r->details : "");
	return 0;
}
static int keep_last_audit(const struct audit_row *r, void *p)
{
	char **last = p;
	free(*last);
	*last = xasprintf("%s %s %s", r->action, r->object ? r->object : "",
	                  r->details ? r->details : "");
	return 0;
}
static int keep_max_message(const struct message_row *r, void *p)
{
	int64_t *max = p;
	if (r->id > *max)
		*max = r->id;
	return 0;
}
static int keep_first_raw(const struct outbox_row *r, void *p)
{
	char **raw = p;
	if (*raw == NULL)
		*raw = xstrndup(r->raw, r->len);
	return 0;
}

static int outbox_rows(void)
{
	struct actor admin = as(ADMIN);
	char *error = NULL;
	int n = 0;
	assert_int_equal(ops_outbox_list(fx.store, &admin, NULL, count_outbox, &n, &error), OPS_OK);
	return n;
}

/* The newest message of thread ref, as a composer showing it would see. */
static int64_t newest_message(const char *ref)
{
	struct actor admin = as(ADMIN);
	char *error = NULL;
	struct message_filter f = {.thread_ref = ref};
	int64_t max = 0;
	assert_int_equal(ops_messages_list(fx.store, &admin, &f, keep_max_message, &max, &error),
	                 OPS_OK);
	assert_true(max > 0);
	return max;
}

/* A reply that asks about immigration status waits for the liaison's confirmation: nothing
 * queued or audited until then; confirmed, the phrases are in its history and audit entry. */
static void test_reply_policy(void **state)
{
	(void)state;
	fresh_store();
	struct actor reyes = as(REYES), admin = as(ADMIN);
	char *error = NULL, *to = NULL, *history = NULL, *audit = NULL;
	int before = outbox_rows();
	const char *body = "Thank you. Are you documented? ¿Tiene papeles?";
	struct ops_reply_options o = {0};
	assert_int_equal(ops_reply(fx.store, &reyes, fx.k1, body, &o, &to, &error),
	                 OPS_UNCONFIRMED);
	assert_non_null(strstr(error, "'Are you documented'"));
	assert_non_null(strstr(error, "'Tiene papeles'"));
	assert_non_null(strstr(error, "--confirm-policy"));
	free(error);
	error = NULL;
	assert_int_equal(outbox_rows(), before);
	assert_int_equal(ops_audit_list(fx.store, &admin, 0, NULL, keep_last_audit, &audit, &error),
	                 OPS_OK);
	assert_null(strstr(audit, "documented"));
	o.policy_confirmed = 1;
	assert_int_equal(ops_reply(fx.store, &reyes, fx.k1, body, &o, &to, &error), OPS_OK);
	assert_string_equal(to, "ann@example.org");
	assert_int_equal(outbox_rows(), before + 1);
	const char *recorded = "to ann@example.org; policy warning confirmed: 'Are you documented' "
	                       "(asks-documented); 'Tiene papeles' (asks-papers)";
	assert_int_equal(ops_history_list(fx.store, &admin, fx.k1, keep_last_history, &history,
	                                  &error), OPS_OK);
	assert_string_equal(history, recorded);
	assert_int_equal(ops_audit_list(fx.store, &admin, 0, NULL, keep_last_audit, &audit, &error),
	                 OPS_OK);
	char *want = xasprintf("reply %s %s", fx.k1, recorded);
	assert_string_equal(audit, want);
	free(want);
	free(audit);
	free(history);
	free(to);
	store_close(&fx.store);
}

static int reply_seen(const struct actor *a, int64_t seen, int64_t seen_outbox, char **error_r)
{
	struct ops_reply_options o = {.seen_message_id = seen, .seen_outbox_id = seen_outbox};
	char *to = NULL;
	int rc = ops_reply(fx.store, a, fx.k1, "We will call you.", &o, &to, error_r);
	free(to);
	return rc;
}

/* A reply written from a view of the thread is refused when the thread got news the view did
 * not show: a colleague's queued reply (unless shown), a message that came in; never the
 * writer's own reply or liaison's automatic mail. */
static void test_reply_seen(void **state)
{
	(void)state;
	fresh_store();
	struct actor reyes = as(REYES), walsh = as(WALSH);
	char *error = NULL;
	int64_t seen = newest_message(fx.k1);
	int before = outbox_rows();
	/* reyes's reply (outbox 1) is queued: news to walsh, not to reyes */
	assert_int_equal(reply_seen(&walsh, seen, 0, &error), OPS_CONFLICT);
	assert_non_null(strstr(error, "a reply by reyes, queued (outbox 1)"));
	free(error);
	error = NULL;
	assert_int_equal(outbox_rows(), before);
	assert_int_equal(reply_seen(&walsh, seen, 1, &error), OPS_OK);
	assert_int_equal(reply_seen(&reyes, seen, 0, &error), OPS_CONFLICT); /* walsh's now */
	free(error);
	error = NULL;
	assert_int_equal(reply_seen(&reyes, seen, before + 1, &error), OPS_OK);
	/* Ann writes again */
	char *p = xasprintf("%s/k1-again.eml", fx.dir);
	test_write_file(p, "From: \"Ann Smith\" <ann@example.org>\r\nTo: TroopKCTL@ct.gov\r\n"
	                   "Subject: Re: Meeting\r\nMessage-ID: <k1-again@x>\r\n"
	                   "In-Reply-To: <k1@x>\r\nReferences: <k1@x>\r\n"
	                   "Date: Wed, 04 Mar 2026 10:00:00 -0500\r\n\r\nOne more thing.\r\n");
	import_one("K", p);
	free(p);
	int64_t newest = newest_message(fx.k1);
	assert_true(newest > seen);
	before = outbox_rows();
	assert_int_equal(reply_seen(&reyes, seen, 99, &error), OPS_CONFLICT);
	char *want = xasprintf("a message from ann@example.org (message %lld)", (long long)newest);
	assert_non_null(strstr(error, want));
	assert_non_null(strstr(error, "liaison show"));
	free(want);
	free(error);
	error = NULL;
	assert_int_equal(outbox_rows(), before);
	assert_int_equal(reply_seen(&reyes, newest, 99, &error), OPS_OK);
	assert_int_equal(reply_seen(&reyes, 0, 0, &error), OPS_OK); /* not checked */
	store_close(&fx.store);
}

/* Removes the Message-ID and Date lines of a message: what a preview and the queued message
 * may differ in. */
static char *without_id_and_date(const char *raw, int *removed_r)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	*removed_r = 0;
	for (const char *line = raw; *line;) {
		const char *end = strstr(line, "\r\n");
		end = end ? end + 2 : line + strlen(line);
		if (str_has_prefix_nocase(line, "Message-ID:") || str_has_prefix_nocase(line, "Date:"))
			++*removed_r;
		else
			buf_add(&b, line, (size_t)(end - line));
		line = end;
	}
	return buf_steal(&b, NULL);
}

/* The preview is the message queued, byte for byte, but for its Message-ID and Date. */
static void test_reply_preview(void **state)
{
	(void)state;
	fresh_store();
	struct actor reyes = as(REYES), admin = as(ADMIN);
	char *error = NULL, *raw = NULL, *to = NULL, *queued = NULL;
	const char *body = "Dear Ann,\n\nThank you. We can meet on Thursday at the library; "
	                   "señora Pérez will be there too. A long line that is folded "
	                   "by quoted-printable at seventy-six characters, as sent.\n";
	int before = outbox_rows();
	assert_int_equal(ops_reply_preview(fx.store, &reyes, fx.k1, body, &raw, &to, &error),
	                 OPS_OK);
	assert_string_equal(to, "ann@example.org");
	assert_int_equal(outbox_rows(), before); /* nothing queued */
	free(to);
	assert_int_equal(ops_reply(fx.store, &reyes, fx.k1, body, NULL, &to, &error), OPS_OK);
	assert_int_equal(ops_outbox_list(fx.store, &admin, NULL, keep_first_raw, &queued, &error),
	                 OPS_OK);
	assert_non_null(queued);
	assert_string_not_equal(raw, queued); /* a new Message-ID each time */
	int removed_preview = 0, removed_queued = 0;
	char *a = without_id_and_date(raw, &removed_preview);
	char *b = without_id_and_date(queued, &removed_queued);
	assert_int_equal(removed_preview, 2);
	assert_int_equal(removed_queued, 2);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "Subject: Re: [CTL "));
	assert_non_null(strstr(a, "In-Reply-To: <k1@x>"));
	free(a);
	free(b);
	free(raw);
	free(queued);
	free(to);
	/* an empty text is refused as ops_reply refuses it */
	assert_int_equal(ops_reply_preview(fx.store, &reyes, fx.k1, " \n", &raw, &to, &error),
	                 OPS_INVALID);
	free(error);
	error = NULL;
	/* a confidential thread's preview shows its correspondent: a read, audited */
	assert_int_equal(ops_reply_preview(fx.store, &reyes, fx.k2, body, &raw, &to, &error),
	                 OPS_OK);
	char *audit = NULL;
	assert_int_equal(ops_audit_list(fx.store, &admin, 0, NULL, keep_last_audit, &audit, &error),
	                 OPS_OK);
	char *want = xasprintf("read-confidential %s ", fx.k2);
	assert_string_equal(audit, want);
	free(want);
	free(audit);
	free(raw);
	free(to);
	store_close(&fx.store);
}

/* --- saved replies ---------------------------------------------------------------------- */

static int note_saved(const struct template_saved *r, void *p)
{
	struct buf *b = p;
	buf_addf(b, "%s.%s(%c:%s) ", r->name, r->lang, r->troop ? r->troop : '*',
	         r->title ? r->title : "-");
	return 0;
}

/* Each troop sees its own saved replies and the shared ones it has not replaced. */
static void test_saved_list(void **state)
{
	(void)state;
	fresh_store();
	struct actor reyes = as(REYES), bell = as(BELL);
	char *error = NULL;
	struct buf b;
	buf_init(&b, SIZE_MAX);
	assert_int_equal(ops_saved_list(fx.store, &reyes, fx.k1, note_saved, &b, &error), OPS_OK);
	assert_string_equal(b.data, "hello.en(K:Hello from K) shared-only.en(*:-) ");
	buf_reset(&b);
	assert_int_equal(ops_saved_list(fx.store, &bell, fx.l1, note_saved, &b, &error), OPS_OK);
	assert_string_equal(b.data, "hello.en(*:Hello) hello.es(*:Hola) shared-only.en(*:-) ");
	buf_free(&b);
	store_close(&fx.store);
}

static char *saved(const struct actor *a, const char *ref, const char *name, const char *lang,
                   int want)
{
	char *text = NULL, *error = NULL;
	int rc = ops_saved_render(fx.store, a, ref, name, lang, &text, &error);
	if (rc != want)
		fprintf(stderr, "%s %s: %d (%s)\n", name, lang ? lang : "-", rc, error ? error : "");
	assert_int_equal(rc, want);
	if (rc != OPS_OK) {
		assert_non_null(error);
		free(error);
	}
	return text;
}

/* A saved reply filled in for the thread: the troop's own text, the correspondent's first
 * name or a neutral word, the reference and the liaison's name; never a path from a name. */
static void test_saved_render(void **state)
{
	(void)state;
	fresh_store();
	struct actor reyes = as(REYES), bell = as(BELL), admin = as(ADMIN);
	char *text = saved(&reyes, fx.k1, "hello", "en", OPS_OK);
	assert_string_equal(text, "Troop K says hello, Ann.\nTpr. Ana Reyes\n");
	free(text);
	/* troop K's "hello" replaces the shared one: no Spanish for K */
	assert_null(saved(&reyes, fx.k1, "hello", "es", OPS_NOT_FOUND));
	assert_null(saved(&reyes, fx.k1, "nothing", "en", OPS_NOT_FOUND));
	/* the language of the correspondent's message when none is given */
	text = saved(&reyes, fx.k1, "hello", NULL, OPS_OK);
	assert_non_null(strstr(text, "Troop K says hello, Ann."));
	free(text);
	/* troop L has the shared one; the thread's correspondent has no name (cy@example.org) and
	 * bell no display name */
	text = saved(&bell, fx.l1, "hello", "es", OPS_OK);
	char *want = xasprintf("Hola, vecino/a: sobre %s.\nTroop L CTL\n", fx.l1);
	assert_string_equal(text, want);
	free(want);
	free(text);
	text = saved(&bell, fx.l1, "hello", "en", OPS_OK);
	assert_non_null(strstr(text, "Hello neighbor, about"));
	free(text);
	/* names that are not names; languages that are not ours */
	static const char *const bad[] = {"../hello", "saved/hello", "..", ".hello", "",
	                                  "hello.en", "-x", "h ello", "hello%00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_null(saved(&reyes, fx.k1, bad[i], "en", OPS_INVALID));
	assert_null(saved(&reyes, fx.k1, "hello", "fr", OPS_INVALID));
	assert_null(saved(&reyes, fx.k1, "hello", "../en", OPS_INVALID));
	/* the confidential thread: its assignee may, and the read is audited */
	text = saved(&reyes, fx.k2, "hello", "en", OPS_OK);
	assert_string_equal(text, "Troop K says hello, neighbor.\nTpr. Ana Reyes\n");
	free(text);
	char *error = NULL, *audit = NULL;
	assert_int_equal(ops_audit_list(fx.store, &admin, 0, NULL, keep_last_audit, &audit, &error),
	                 OPS_OK);
	want = xasprintf("read-confidential %s ", fx.k2);
	assert_string_equal(audit, want);
	free(want);
	free(audit);
	store_close(&fx.store);
}

/* The first name to greet by, or none. */
static void test_first_name(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"Ann Smith", "Ann"}, {"Ana María López", "Ana"}, {"López, Ana", "Ana"},
		{"\"ANA LOPEZ\"", "Ana"}, {"JOSÉ PÉREZ", "JOSÉ"}, {"  'María'  ", "María"},
		{"Jo", "Jo"}, {"J. Smith", NULL}, {"J", NULL}, {"Mr Smith", NULL},
		{"Sra. López", NULL}, {"Doña Rosa", NULL}, {"ann@example.org", NULL}, {"", NULL},
		{"1234", NULL}, {"Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL}, {NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = ops_saved_first_name(cases[i][0]);
		if (cases[i][1] == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_store_results),
		cmocka_unit_test(test_reply_policy),
		cmocka_unit_test(test_reply_seen),
		cmocka_unit_test(test_reply_preview),
		cmocka_unit_test(test_saved_list),
		cmocka_unit_test(test_saved_render),
		cmocka_unit_test(test_first_name),
	};
	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
