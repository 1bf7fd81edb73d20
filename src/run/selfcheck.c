/* selfcheck.c — liaison check: every part of a configuration checked and every problem
 * reported at once, as `postfix check` does; with connect, each server logged in to. */
#include "selfcheck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "credential.h"
#include "imap.h"
#include "mailbox_imap.h"
#include "oauth2.h"
#include "outbox_notice.h"
#include "route.h"
#include "route_model.h"
#include "secrets.h"
#include "smtp.h"
#include "store.h"
#include "template.h"
#include "util.h"
#include "verify.h"

struct run {
	selfcheck_cb *report;
	void *ctx;
	int problems;
};

static void say(struct run *r, enum selfcheck_level level, const char *part, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void say(struct run *r, enum selfcheck_level level, const char *part, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	if (level == SELFCHECK_PROBLEM)
		r->problems++;
	r->report(level, part, text, r->ctx);
	free(text);
}

/* One problem per line of a multi-line error ("FILE:LINE: what\n..."). */
static void say_lines(struct run *r, const char *part, const char *lines)
{
	char *copy = xstrdup(lines);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		say(r, SELFCHECK_PROBLEM, part, "%s", line);
	free(copy);
}

static void check_routes(struct run *r, const struct config *c)
{
	struct route_rules *rules = NULL;
	char *errors = NULL;
	if (route_rules_load(c->routes, &rules, &errors) < 0) {
		say_lines(r, "routes", errors);
		free(errors);
		return;
	}
	say(r, SELFCHECK_OK, "routes", "%s: %zu rules, every pattern compiles", c->routes,
	    route_rules_count(rules));
	const struct route_model *model = route_rules_model(rules);
	if (model != NULL)
		say(r, SELFCHECK_OK, "routes", "the routing model: %zu categories, %zu features",
		    route_model_category_count(model), route_model_feature_count(model));
	else
		say(r, SELFCHECK_WARNING, "routes", "%s has no [model]: routing by the rules alone "
		    "misses most disclosures written without their words (docs/routing.md)", c->routes);
	route_rules_free(&rules);
}

static void check_templates(struct run *r, const struct config *c)
{
	struct strlist problems = {0};
	if (template_check(c->templates, &problems) == 0)
		say(r, SELFCHECK_OK, "templates", "%s: every text renders with the variables it is given",
		    c->templates);
	for (size_t i = 0; i < problems.count; i++)
		say(r, SELFCHECK_PROBLEM, "templates", "%s", problems.items[i]);
	strlist_free(&problems);
	/* The coordinator's notice of messages that failed after two days of retries: needed
	 * on the worst day, so checked before it. */
	struct strlist sample = {0};
	strlist_add(&sample, "- outbox 1 (autoreply), thread K-2026-0001, to someone@example.org: "
	            "gave up after 50 attempts");
	char *text = NULL, *error = NULL;
	if (outbox_notice_render(c->templates, &sample, &text, &error) == 0)
		say(r, SELFCHECK_OK, "templates", "%s: the notice of failed messages renders",
		    OUTBOX_NOTICE_TEMPLATE);
	else
		say(r, SELFCHECK_PROBLEM, "templates", "%s", error);
	free(text);
	free(error);
	strlist_free(&sample);
	/* Saved replies apart: the poller needs none of them, a liaison each one she picks. */
	size_t saved = 0;
	if (template_saved_check(c->templates, &problems, &saved) == 0 && saved > 0)
		say(r, SELFCHECK_OK, "templates", "%s/saved: %zu saved replies render", c->templates,
		    saved);
	for (size_t i = 0; i < problems.count; i++)
		say(r, SELFCHECK_PROBLEM, "templates", "%s", problems.items[i]);
	strlist_free(&problems);
}

/* A password file must be readable now (its mode was checked with the configuration).  A
 * token command runs only with --connect: it may ask a provider for a token. */
static void check_secret(struct run *r, const char *who, const char *password_file)
{
	if (password_file == NULL)
		return;
	char *error = NULL;
	char *secret = config_read_secret(password_file, NULL, &error);
	if (secret == NULL) {
		say(r, SELFCHECK_PROBLEM, "secrets", "%s: %s", who, error);
		free(error);
		return;
	}
	if (secret[0] == '\0')
		say(r, SELFCHECK_PROBLEM, "secrets", "%s: password_file %s is empty", who, password_file);
	else
		say(r, SELFCHECK_OK, "secrets", "%s: password_file %s is readable by its owner only",
		    who, password_file);
	free_secret(&secret);
}

static void check_database(struct run *r, const struct config *c)
{
	if (c->database == NULL)
		return;
	struct stat st;
	if (stat(c->database, &st) < 0) {
		say(r, SELFCHECK_PROBLEM, "database", "%s: %s (run 'liaison init')", c->database,
		    strerror(errno));
		return;
	}
	struct strlist warnings = {0};
	verify_database_modes(c->database, &warnings);
	for (size_t i = 0; i < warnings.count; i++)
		say(r, SELFCHECK_WARNING, "database", "%s", warnings.items[i]);
	strlist_free(&warnings);
	struct store *store = NULL;
	char *error = NULL;
	if (store_open(c->database, STORE_OPEN_EXISTING, &store, &error) < 0) {
		say(r, SELFCHECK_PROBLEM, "database", "%s", error);
		free(error);
		return;
	}
	char *problems = NULL;
	int rc = store_quick_check(store, &problems);
	if (rc < 0)
		say(r, SELFCHECK_PROBLEM, "database", "%s: %s", c->database, store_error(store));
	else if (rc > 0)
		say_lines(r, "database", problems);
	else
		say(r, SELFCHECK_OK, "database", "%s: schema %d, quick_check ok", c->database,
		    store_schema_version(store));
	free(problems);
	store_close(&store);
}

/* An [oauth2] section's own files, without asking its provider (--connect does). */
static void check_oauth2(struct run *r, const struct oauth2_config *o)
{
	char *what = NULL, *error = NULL;
	char part[80];
	snprintf(part, sizeof(part), "oauth2 %s", o->name);
	int rc = oauth2_check_local(o, &what, &error);
	if (what == NULL) {
		say(r, rc > 0 ? SELFCHECK_WARNING : SELFCHECK_PROBLEM, part, "%s", error);
		free(error);
		return;
	}
	const char *flow = o->flow == OAUTH2_DEVICE ? "refresh token"
	                 : o->flow == OAUTH2_SERVICE_ACCOUNT ? "service account" : "client credentials";
	say(r, rc > 0 ? SELFCHECK_WARNING : SELFCHECK_OK, part, "%s to %s: %s", flow, o->token_url,
	    what);
	free(what);
}

/* How a login went, for the report: ", XOAUTH2 with [oauth2 m365] (client certificate, token
 * valid 59 min)"; "" for a password. */
static void describe_login(struct buf *b, const struct credential *cr, const char *section)
{
	if (cr->oauth2 != NULL) {
		int64_t left = cr->expires_at - (int64_t)time(NULL);
		buf_addf(b, ", XOAUTH2 with [oauth2 %s] (%s, token valid %lld min %02lld s)", section,
		         cr->how, (long long)(left > 0 ? left / 60 : 0),
		         (long long)(left > 0 ? left % 60 : 0));
	} else if (cr->bearer) {
		buf_addf(b, ", XOAUTH2 with the token_command's token");
	}
}

/* Logs in to m's IMAP server and examines each folder it is to watch. */
static void connect_imap(struct run *r, const struct mailbox_config *m)
{
	struct credential cr;
	char *error = NULL;
	struct imap_session *s = NULL;
	char part[128];
	snprintf(part, sizeof(part), "imap %s", m->name);
	if (mailbox_imap_connect(m, &s, &cr, &error) != IMAP_OK) {
		say(r, SELFCHECK_PROBLEM, part, "%s: %s", m->imap_url, error ? error : "cannot connect");
		goto out;
	}
	struct buf folders;
	buf_init(&folders, SIZE_MAX);
	describe_login(&folders, &cr, m->oauth2);
	int ok = 1;
	for (size_t i = 0; i < m->folders.count + (m->sent_folder != NULL); i++) {
		const char *folder = i < m->folders.count ? m->folders.items[i] : m->sent_folder;
		struct imap_folder_status status;
		if (imap_select(s, folder, 1, &status, &error) != IMAP_OK) {
			say(r, SELFCHECK_PROBLEM, part, "%s: folder %s: %s", m->imap_url, folder, error);
			xfree(&error);
			ok = 0;
			continue;
		}
		buf_addf(&folders, ", %s %u messages", folder, status.exists);
	}
	if (ok)
		say(r, SELFCHECK_OK, part, "%s: logged in as %s%s%s", m->imap_url, cr.user,
		    imap_has_idle(s) ? " (IDLE)" : "", folders.len ? folders.data : "");
	buf_free(&folders);
out:
	imap_close(&s);
	credential_clear(&cr);
	free(error);
}

static void connect_smtp(struct run *r, const struct config *c)
{
	if (c->smtp.url == NULL)
		return;
	struct credential cr;
	char *error = NULL;
	if (credential_for_smtp(&c->smtp, &cr, &error) < 0) {
		say(r, SELFCHECK_PROBLEM, "smtp", "%s: %s", c->smtp.url, error);
		free(error);
		return;
	}
	struct smtp_outcome out;
	int ok = smtp_check(&c->smtp, cr.secret, &out) == 0;
	if (!ok && out.auth_refused && credential_refused(&cr)) {
		credential_clear(&cr);
		smtp_outcome_clear(&out);
		if (credential_for_smtp(&c->smtp, &cr, &error) < 0) {
			say(r, SELFCHECK_PROBLEM, "smtp", "%s: %s", c->smtp.url, error);
			free(error);
			return;
		}
		ok = smtp_check(&c->smtp, cr.secret, &out) == 0;
	}
	struct buf login;
	buf_init(&login, SIZE_MAX);
	describe_login(&login, &cr, c->smtp.oauth2);
	if (ok)
		say(r, SELFCHECK_OK, "smtp", "%s: %s%s; nothing sent", c->smtp.url, out.text,
		    login.len ? login.data : "");
	else
		say(r, SELFCHECK_PROBLEM, "smtp", "%s: %s", c->smtp.url, out.text);
	buf_free(&login);
	smtp_outcome_clear(&out);
	credential_clear(&cr);
}

int selfcheck_run(const char *config_path, int connect, selfcheck_cb *report, void *ctx)
{
	struct run r = {report, ctx, 0};
	struct config *c = NULL;
	char *errors = NULL;
	if (config_load_all(config_path, &c, &errors) < 0)
		say_lines(&r, "config", errors);
	else
		say(&r, SELFCHECK_OK, "config", "%s: %zu mailboxes, %zu users, timezone %s",
		    c->path, c->n_mailboxes, c->n_users, c->timezone);
	free(errors);
	if (c == NULL)
		return r.problems;
	if (c->agency == NULL)
		say(&r, SELFCHECK_WARNING, "config", "agency is not set in [liaison]: the reports' "
		    "header names no agency (e.g. agency = Connecticut State Police)");
	check_routes(&r, c);
	check_templates(&r, c);
	for (size_t i = 0; i < c->n_mailboxes; i++) {
		char who[128];
		snprintf(who, sizeof(who), "[mailbox %s]", c->mailboxes[i].name);
		check_secret(&r, who, c->mailboxes[i].password_file);
	}
	check_secret(&r, "[smtp]", c->smtp.password_file);
	for (size_t i = 0; i < c->n_oauth2s; i++)
		check_oauth2(&r, &c->oauth2s[i]);
	check_database(&r, c);
	if (connect && r.problems > 0)
		say(&r, SELFCHECK_WARNING, "connect", "not connecting: mend the problems above first");
	else if (connect) {
		for (size_t i = 0; i < c->n_mailboxes; i++)
			if (c->mailboxes[i].imap_url != NULL)
				connect_imap(&r, &c->mailboxes[i]);
		connect_smtp(&r, c);
	}
	config_free(&c);
	return r.problems;
}
