/* Unit tests: the operations behind the coordinator's screens — saved replies written and
 * deleted (rights, every check, the file as written, the audit entry, nothing left behind on a
 * refusal), the program view's counts and who may have them, the audit search's filters, the
 * CAD CSV and who may decide events.
 *
 * One database and one templates folder for the whole group: troop K's thread (a person's,
 * dated March 2025, so overdue on any day this runs), troop L's, and three events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include "import_run.h"
#include "ops.h"
#include "ops_audit.h"
#include "ops_event.h"
#include "ops_list.h"
#include "ops_program.h"
#include "ops_saved.h"
#include "test_helpers.h"

struct fixture {
	char *dir, *db, *config_path, *saved;
	struct config *config;
	struct store *store;
	char k1[32];
};
static struct fixture fx;

static const char config_text[] =
    "[liaison]\n"
    "database = %s\n"
    "timezone = America/New_York\n"
    "routes = %s/config/routes.conf\n"
    "templates = %s/templates\n"
    "\n[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\n"
    "\n[mailbox L]\ntroop = L\naddress = TroopLCTL@ct.gov\n"
    "\n[user admin]\nrole = admin\n"
    "\n[user coordinator]\nrole = coordinator\n"
    "\n[user records]\nrole = records\n"
    "\n[user reyes]\nrole = ctl\ntroops = K\ndisplay_name = Tpr. Ana Reyes\n"
    "\n[user bell]\nrole = ctl\ntroops = L\n";

static struct actor as(const char *name)
{
	struct actor a;
	char *error = NULL;
	assert_int_equal(ops_actor(fx.config, name, &a, &error), OPS_OK);
	return a;
}

static void import_one(const char *mailbox, const char *name, const char *from, const char *to)
{
	char *path = xasprintf("%s/%s.eml", fx.dir, name);
	char *text = xasprintf("From: %s\r\nTo: %s\r\nSubject: About %s\r\nMessage-ID: <%s@x>\r\n"
	                       "Date: Mon, 03 Mar 2025 10:00:00 -0500\r\n\r\nHello.\r\n",
	                       from, to, name, name);
	test_write_file(path, text);
	struct import_result result = {0};
	char *error = NULL;
	char *paths[] = {path};
	assert_int_equal(import_run(fx.store, fx.config, NULL, config_find_mailbox(fx.config, mailbox),
	                            "INBOX", paths, 1, &result, &error), 0);
	assert_int_equal(result.counts.imported, 1);
	strlist_free(&result.errors);
	free(text);
	free(path);
}

static int keep_ref(const struct ops_thread_item *item, void *p)
{
	if (item->row->troop == 'K')
		snprintf(p, 32, "%s", item->row->ref);
	return 0;
}

static int64_t request(const char *user, char troop, const char *date)
{
	struct actor a = as(user);
	struct event_request req = {.troop = troop, .date = date, .place = "Library, 2nd floor",
	                            .kind = "community-group"};
	int64_t id = 0;
	char *error = NULL;
	assert_int_equal(ops_event_request(fx.store, &a, &req, &id, &error), OPS_OK);
	return id;
}

static int setup_group(void **state)
{
	mime_global_init();
	fx.dir = test_tmpdir();
	fx.db = xasprintf("%s/c.db", fx.dir);
	fx.config_path = xasprintf("%s/liaison.conf", fx.dir);
	char *templates = xasprintf("%s/templates", fx.dir);
	fx.saved = xasprintf("%s/templates/saved", fx.dir);
	assert_int_equal(mkdir(templates, 0700), 0);
	assert_int_equal(mkdir(fx.saved, 0700), 0);
	char *hello = xasprintf("%s/hello.en.txt", fx.saved);
	test_write_file(hello, "# title: Hello\nHello {{first_name}}.\n");
	free(hello);
	free(templates);
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	char *conf = xasprintf(config_text, fx.db, cwd, fx.dir);
	int loaded = test_config_load(fx.config_path, conf, &fx.config);
	free(conf);
	if (loaded < 0)
		return -1;
	char *error = NULL;
	assert_int_equal(store_open(fx.db, STORE_OPEN_INIT, &fx.store, &error), 0);
	import_one("K", "k1", "\"Ana Díaz\" <ana@example.org>", "TroopKCTL@ct.gov");
	import_one("L", "l1", "cy@example.org", "TroopLCTL@ct.gov");
	struct actor admin = as("admin");
	struct ops_thread_query all = {.all = 1};
	assert_int_equal(ops_threads_list(fx.store, &admin, &all, keep_ref, fx.k1, &error), OPS_OK);
	assert_int_equal(fx.k1[0], 'K');
	request("reyes", 'K', "2025-03-10");
	request("reyes", 'K', "2025-03-12");
	request("bell", 'L', "2025-03-05");
	return 0;
}

static int teardown_group(void **state)
{
	store_close(&fx.store);
	config_free(&fx.config);
	free(fx.db);
	free(fx.config_path);
	free(fx.saved);
	free(fx.dir);
	return 0;
}

/* ---- saved replies ---------------------------------------------------------------------- */

static char *read_saved(const char *rel)
{
	char *path = xasprintf("%s/%s", fx.saved, rel);
	char *data = NULL;
	size_t len = 0;
	char *error = NULL;
	int rc = file_read_all(path, 1 << 20, &data, &len, &error);
	free(error);
	free(path);
	return rc < 0 ? NULL : data;
}

/* No temporary file is ever left in a folder (a refusal, a failure or a success). */
static void assert_no_leftovers(const char *folder)
{
	DIR *d = opendir(folder);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		assert_false(strncmp(e->d_name, ".new-", 5) == 0);
	closedir(d);
}

static int count_row(const struct audit_row *r, void *p)
{
	(void)r;
	++*(int64_t *)p;
	return 0;
}

static int64_t audit_count(const char *action)
{
	struct audit_query q = {.action = action, .limit = 1000};
	int64_t n = 0;
	struct actor admin = as("admin");
	char *error = NULL;
	assert_int_equal(ops_audit_search(fx.store, &admin, &q, count_row, &n, &error), OPS_OK);
	return n;
}

static void test_saved_put(void **state)
{
	struct actor coordinator = as("coordinator");
	char *error = NULL;
	int created = 0;
	int64_t before = audit_count("saved-reply-put");
	assert_int_equal(ops_saved_put(fx.store, &coordinator, 'K', "visita", "es", "Visita",
	                               "Hola, {{first_name}}:\r\nSoy {{liaison_name}} ({{ref}}).",
	                               &created, &error), OPS_OK);
	assert_int_equal(created, 1);
	char *text = read_saved("K/visita.es.txt");
	assert_non_null(text);
	assert_string_equal(text, "# title: Visita\nHola, {{first_name}}:\nSoy {{liaison_name}} ({{ref}}).\n");
	free(text);
	assert_int_equal(audit_count("saved-reply-put"), before + 1);

	/* a liaison is offered it on its troop's thread, filled in */
	struct actor reyes = as("reyes");
	char *rendered = NULL;
	assert_int_equal(ops_saved_render(fx.store, &reyes, fx.k1, "visita", "es", &rendered, &error),
	                 OPS_OK);
	char *want = xasprintf("Hola, Ana:\nSoy Tpr. Ana Reyes (%s).\n", fx.k1);
	assert_string_equal(rendered, want);
	free(want);
	free(rendered);

	/* replaced, and read back as written */
	assert_int_equal(ops_saved_put(fx.store, &coordinator, 'K', "visita", "es", "",
	                               "Hola de nuevo.\n", &created, &error), OPS_OK);
	assert_int_equal(created, 0);
	char *title = NULL, *body = NULL;
	assert_int_equal(ops_saved_source(&coordinator, 'K', "visita", "es", &title, &body, &error),
	                 OPS_OK);
	assert_null(title);
	assert_string_equal(body, "Hola de nuevo.\n");
	free(body);
	assert_int_equal(ops_saved_source(&coordinator, '\0', "hello", "en", &title, &body, &error),
	                 OPS_OK);
	assert_string_equal(title, "Hello");
	assert_string_equal(body, "Hello {{first_name}}.\n");
	free(title);
	free(body);
	char *kfolder = xasprintf("%s/K", fx.saved);
	assert_no_leftovers(kfolder);
	assert_no_leftovers(fx.saved);
	free(kfolder);
}

static void test_saved_refusals(void **state)
{
	struct actor coordinator = as("coordinator");
	int created = 0;
	int64_t before = audit_count("saved-reply-put");
	static const struct {
		char troop;
		const char *name, *lang, *title, *text, *why;
	} cases[] = {
		{'K', "../escape", "en", "", "Hi.", "not the name of a saved reply"},
		{'K', "has.dot", "en", "", "Hi.", "not the name of a saved reply"},
		{'K', "ok", "fr", "", "Hi.", "not a language of saved replies"},
		{'Q', "ok", "en", "", "Hi.", "troop Q has no mailbox"},
		{'K', "ok", "en", "two\nlines", "Hi.", "one line"},
		{'K', "ok", "en", "", "   \n", "needs a text"},
		{'K', "ok", "en", "", "# title: sneaky\nHi.", "may not start with"},
		{'K', "ok", "en", "", "Hi {{name}}.", "unknown variable {{name}}"},
		{'K', "ok", "en", "", "Hi {{first_name.", "without '}}'"},
		{'K', "ok", "en", "", "caf\xe9", "UTF-8"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *error = NULL;
		assert_int_equal(ops_saved_put(fx.store, &coordinator, cases[i].troop, cases[i].name,
		                               cases[i].lang, cases[i].title, cases[i].text, &created,
		                               &error), OPS_INVALID);
		if (strstr(error, cases[i].why) == NULL)
			fail_msg("case %zu: '%s' does not say '%s'", i, error, cases[i].why);
		free(error);
	}
	/* past the size limit */
	char *big = xcalloc(OPS_SAVED_TEXT_MAX + 2, 1);
	memset(big, 'a', OPS_SAVED_TEXT_MAX + 1);
	char *error = NULL;
	assert_int_equal(ops_saved_put(fx.store, &coordinator, 'K', "big", "en", "", big, &created,
	                               &error), OPS_INVALID);
	free(error);
	free(big);
	/* nobody but the coordinator and admins */
	static const char *const others[] = {"reyes", "records", "bell"};
	for (size_t i = 0; i < 3; i++) {
		struct actor a = as(others[i]);
		assert_int_equal(ops_saved_put(fx.store, &a, 'K', "ok", "en", "", "Hi.", &created, &error),
		                 OPS_REFUSED);
		free(error);
		error = NULL;
		assert_int_equal(ops_saved_delete(fx.store, &a, '\0', "hello", "en", &error), OPS_REFUSED);
		free(error);
		error = NULL;
	}
	char *ok = read_saved("K/ok.en.txt");
	assert_null(ok);
	assert_int_equal(audit_count("saved-reply-put"), before);
	char *kfolder = xasprintf("%s/K", fx.saved);
	assert_no_leftovers(kfolder);
	free(kfolder);
}

static void test_saved_delete(void **state)
{
	struct actor admin = as("admin");
	int created = 0;
	char *error = NULL;
	assert_int_equal(ops_saved_put(fx.store, &admin, '\0', "bye", "en", "Bye", "Bye.", &created,
	                               &error), OPS_OK);
	int64_t before = audit_count("saved-reply-delete");
	assert_int_equal(ops_saved_delete(fx.store, &admin, '\0', "bye", "en", &error), OPS_OK);
	assert_null(read_saved("bye.en.txt"));
	assert_int_equal(audit_count("saved-reply-delete"), before + 1);
	assert_int_equal(ops_saved_delete(fx.store, &admin, '\0', "bye", "en", &error), OPS_NOT_FOUND);
	free(error);
}

/* ---- the program view ------------------------------------------------------------------- */

static void test_program_counts(void **state)
{
	struct actor coordinator = as("coordinator");
	struct ops_program_row *rows = NULL;
	size_t n = 0;
	char *error = NULL;
	/* 2026-12-07: the March 2025 threads are long overdue */
	assert_int_equal(ops_program_counts(fx.store, &coordinator, 1796601600, &rows, &n, &error),
	                 OPS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].troop, 'K');
	assert_int_equal(rows[0].fresh, 1);
	assert_int_equal(rows[0].unassigned, 1);
	assert_int_equal(rows[0].urgent, 0);
	assert_int_equal(rows[0].overdue, 1);
	assert_int_equal(rows[0].event_requests, 2);
	assert_int_equal(rows[1].troop, 'L');
	assert_int_equal(rows[1].event_requests, 1);
	free(rows);
	static const char *const refused[] = {"reyes", "records"};
	for (size_t i = 0; i < 2; i++) {
		struct actor a = as(refused[i]);
		assert_int_equal(ops_program_counts(fx.store, &a, 0, &rows, &n, &error), OPS_REFUSED);
		assert_null(rows);
		free(error);
		error = NULL;
	}
}

/* ---- the audit search ------------------------------------------------------------------- */

struct seen {
	int n;
	int64_t last_id;
	int bad;
	const char *user, *action;
};

static int check_row(const struct audit_row *r, void *p)
{
	struct seen *s = p;
	if ((s->user && strcmp(r->user, s->user) != 0) || (s->action && strcmp(r->action, s->action) != 0) ||
	    (s->last_id && r->id >= s->last_id))
		s->bad++;
	s->last_id = r->id;
	s->n++;
	return 0;
}

static void test_audit_search(void **state)
{
	struct actor coordinator = as("coordinator");
	char *error = NULL;
	struct audit_query q = {.user = "reyes", .limit = 100};
	struct seen s = {.user = "reyes"};
	assert_int_equal(ops_audit_search(fx.store, &coordinator, &q, check_row, &s, &error), OPS_OK);
	assert_int_equal(s.n, 2); /* the two event requests */
	assert_int_equal(s.bad, 0);
	struct audit_query one = {.action = "event-request", .limit = 1};
	struct seen first = {.action = "event-request"};
	assert_int_equal(ops_audit_search(fx.store, &coordinator, &one, check_row, &first, &error),
	                 OPS_OK);
	assert_int_equal(first.n, 1);
	/* the next page starts below the last entry shown */
	one.before_id = first.last_id;
	one.limit = 100;
	struct seen rest = {.action = "event-request"};
	assert_int_equal(ops_audit_search(fx.store, &coordinator, &one, check_row, &rest, &error),
	                 OPS_OK);
	assert_int_equal(rest.n, 2);
	assert_int_equal(rest.bad, 0);
	/* a window in the future holds nothing */
	struct audit_query later = {.from = (int64_t)1 << 40, .limit = 100};
	struct seen none = {0};
	assert_int_equal(ops_audit_search(fx.store, &coordinator, &later, check_row, &none, &error),
	                 OPS_OK);
	assert_int_equal(none.n, 0);
	struct strlist actions = {0};
	assert_int_equal(ops_audit_actions(fx.store, &coordinator, &actions, &error), OPS_OK);
	assert_true(strlist_contains(&actions, "event-request"));
	strlist_free(&actions);
	struct actor reyes = as("reyes");
	assert_int_equal(ops_audit_search(fx.store, &reyes, &q, check_row, &s, &error), OPS_REFUSED);
	free(error);
}

/* ---- events ----------------------------------------------------------------------------- */

static void test_events_csv(void **state)
{
	struct actor coordinator = as("coordinator"), reyes = as("reyes");
	assert_true(ops_event_may_decide(&coordinator));
	assert_false(ops_event_may_decide(&reyes));
	char *error = NULL;
	assert_int_equal(ops_event_unable(fx.store, &coordinator, 1, "Denied due to staffing, sorry",
	                                  &error), OPS_OK);
	char *data = NULL;
	size_t len = 0, rows = 0;
	FILE *out = open_memstream(&data, &len);
	assert_int_equal(ops_events_csv(fx.store, &reyes, "2025-03", out, &rows, &error), OPS_OK);
	fclose(out);
	assert_int_equal(rows, 1);
	assert_string_equal(data,
	    "call_type,sub_type,date_time,location,primary_unit,narrative,thread_ref,troop,"
	    "primary_unit_name,attended_by,attended_by_names\n"
	    "Community Engagement Activity,CTL Unable to Fulfill,2025-03-10,\"Library, 2nd floor\","
	    "coordinator,\"Denied due to staffing, sorry\",,K,coordinator,,\n");
	free(data);
	/* the decision is the coordinator's only */
	assert_int_equal(ops_event_decide(fx.store, &reyes, 2, 1, NULL, &error), OPS_REFUSED);
	free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saved_put),
		cmocka_unit_test(test_saved_refusals),
		cmocka_unit_test(test_saved_delete),
		cmocka_unit_test(test_program_counts),
		cmocka_unit_test(test_audit_search),
		cmocka_unit_test(test_events_csv),
	};
	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
