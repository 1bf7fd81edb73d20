/* web_export.c — a request's production in the console: the export runs in a thread of its
 * own (with its own store connection: a page never waits for it), its progress is read by
 * the page's script from /records/job/ID, and the package comes as one .zip with the
 * package's folder inside.  Packages live in "productions" beside the database (0700), each
 * export in a new folder named for the request and its Bates range.
 *
 * Jobs live in this server's memory: a restart forgets them (the packages stay, and the list
 * of past productions shows them).  Who may export, and everything an export records and
 * audits, is production_export's (ops rules); this file only runs it and shows it. */
#include "web_export.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "ops_foia.h"
#include "pdf.h"
#include "production.h"
#include "store.h"
#include "web_html.h"
#include "web_records_form.h"
#include "web_reauth.h"
#include "zip.h"

/* Jobs kept for their pages: the newest this many (a finished one older than that is
 * forgotten; its package stays on disk and in the list). */
#define JOBS_KEPT 64

enum job_state { JOB_RUNNING, JOB_ZIPPING, JOB_DONE, JOB_FAILED };

struct export_job {
	int64_t id;
	char ref[32];
	const struct config *config;
	const struct user_config *user;  /* the configuration's: lives as long as the server */
	int allow_elsewhere;
	char *folder;                    /* owned: the productions folder */
	/* below: guarded by jobs_lock */
	enum job_state state;
	int recorded;                    /* the production is recorded (its Bates range taken,
	                                    audited): a failure after this left a package */
	int64_t done, total;
	char *name;                      /* owned: the package's folder name, once placed */
	char *error;                     /* owned: what failed */
	struct strlist elsewhere;        /* messages that stopped it, one line each */
	struct production_summary sum;
};

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_idle = PTHREAD_COND_INITIALIZER; /* jobs_running fell to 0 */
static struct export_job *jobs[JOBS_KEPT];
static int64_t jobs_next = 1;
static int jobs_running; /* threads that still use the configuration (web_export_wait) */

/* ---- where packages go ---------------------------------------------------------------- */

/* "productions" beside the database (new string). */
static char *productions_folder(const struct config *config)
{
	const char *slash = strrchr(config->database, '/');
	if (slash == NULL)
		return xstrdup("productions");
	return xasprintf("%.*s/productions", (int)(slash - config->database), config->database);
}

/* The folder name of a production: the request and its Bates range, a Bates prefix's other
 * characters as '_' ("FOIA-2026-0001-CTL000001-CTL000012"). */
static char *package_name(const char *bates_prefix, const char *ref,
                          const struct production_summary *sum)
{
	char first[64], last[64];
	pdf_bates_format(bates_prefix, sum->bates_first, first, sizeof(first));
	pdf_bates_format(bates_prefix, sum->bates_last, last, sizeof(last));
	char *name = sum->bates_last >= sum->bates_first ? xasprintf("%s-%s-%s", ref, first, last)
	                                                 : xasprintf("%s-no-pages", ref);
	for (char *p = name; *p; p++)
		if (!production_name_safe((char[]){*p, '\0'}))
			*p = '_';
	return name;
}

/* ---- the job, in its thread ----------------------------------------------------------- */

static void job_progress(int64_t done, int64_t total, void *p)
{
	struct export_job *job = p;
	pthread_mutex_lock(&jobs_lock);
	job->done = done;
	job->total = total;
	pthread_mutex_unlock(&jobs_lock);
}

/* Moves the placed package at tmp to its own name in the folder (a second export of the same
 * range gets "-2", "-3", ...): the new name, or NULL with *error_r. */
static char *package_rename(struct export_job *job, const char *tmp, char **error_r)
{
	char *base = package_name(job->config->bates_prefix, job->ref, &job->sum);
	for (int n = 1; n < 1000; n++) {
		char *name = n == 1 ? xstrdup(base) : xasprintf("%s-%d", base, n);
		char *path = xasprintf("%s/%s", job->folder, name);
		char *zip = xasprintf("%s.zip", path);
		int taken = access(zip, F_OK) == 0;
		int rc = taken ? -1 : renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
		int saved = taken ? EEXIST : errno;
		free(path);
		free(zip);
		if (rc == 0) {
			free(base);
			return name;
		}
		free(name);
		if (saved != EEXIST && saved != ENOTEMPTY) {
			*error_r = xasprintf("%s: %s", tmp, strerror(saved));
			break;
		}
	}
	if (*error_r == NULL)
		*error_r = xasprintf("%s: too many packages of that name", base);
	free(base);
	return NULL;
}

/* The package folder name as one .zip beside it (written under .partial, then renamed). */
static int package_zip(const char *folder, const char *name, char **error_r)
{
	char *dir = xasprintf("%s/%s", folder, name);
	char *partial = xasprintf("%s/%s.zip.partial", folder, name);
	char *final = xasprintf("%s/%s.zip", folder, name);
	unlink(partial); /* a leftover of a server that stopped while zipping */
	struct zip *z = NULL;
	int rc = zip_open(partial, &z, error_r);
	if (rc == 0 && zip_add_tree(z, name, dir, error_r) < 0) {
		zip_abandon(&z);
		rc = -1;
	}
	if (rc == 0)
		rc = zip_close(&z, error_r);
	if (rc == 0 && rename(partial, final) < 0) {
		*error_r = xasprintf("%s: %s", final, strerror(errno));
		unlink(partial);
		rc = -1;
	}
	free(dir);
	free(partial);
	free(final);
	return rc;
}

static void job_finish(struct export_job *job, enum job_state state, char *name, char *error)
{
	pthread_mutex_lock(&jobs_lock);
	job->state = state;
	job->name = name;
	job->error = error;
	pthread_mutex_unlock(&jobs_lock);
}

static void *job_run(void *p)
{
	struct export_job *job = p;
	struct store *store = NULL;
	char *error = NULL;
	/* hidden until renamed for its Bates range; the PID, since job numbers start again at
	 * each start of the server */
	char *tmp = xasprintf("%s/.%s-job-%ld-%lld", job->folder, job->ref, (long)getpid(),
	                      (long long)job->id);
	struct strlist elsewhere = {0};
	int rc = store_open(job->config->database, STORE_OPEN_EXISTING, &store, &error) < 0
	         ? OPS_FAILED : OPS_OK;
	if (rc == OPS_OK && mkdir(job->folder, 0700) < 0 && errno != EEXIST) {
		error = xasprintf("%s: %s", job->folder, strerror(errno));
		rc = OPS_FAILED;
	}
	if (rc == OPS_OK) {
		struct actor actor = {job->config, job->user};
		struct production_watch watch = {job_progress, job, &elsewhere};
		struct production_summary sum;
		rc = production_export_watched(store, &actor, job->ref, tmp, job->allow_elsewhere,
		                               &watch, &sum, &error);
		pthread_mutex_lock(&jobs_lock);
		job->sum = sum;
		for (size_t i = 0; i < elsewhere.count; i++)
			strlist_add(&job->elsewhere, elsewhere.items[i]);
		if (rc == OPS_OK) {
			job->state = JOB_ZIPPING;
			job->recorded = 1;
		}
		pthread_mutex_unlock(&jobs_lock);
	}
	store_close(&store);
	strlist_free(&elsewhere);
	char *name = rc == OPS_OK ? package_rename(job, tmp, &error) : NULL;
	if (name != NULL && package_zip(job->folder, name, &error) < 0) {
		/* the production stands (recorded, audited): say where its package is */
		char *where = xasprintf("%s; the package is on the server as %s/%s", error,
		                        job->folder, name);
		free(error);
		error = where;
		free(name);
		name = NULL;
	} else if (name == NULL && rc == OPS_OK) {
		char *where = xasprintf("%s; the package is on the server as %s", error, tmp);
		free(error);
		error = where;
	}
	if (name == NULL)
		log_warn("web: export of %s failed: %s", job->ref, error ? error : "");
	job_finish(job, name != NULL ? JOB_DONE : JOB_FAILED, name, name != NULL ? NULL : error);
	if (name != NULL)
		free(error);
	free(tmp);
	pthread_mutex_lock(&jobs_lock);
	if (--jobs_running == 0)
		pthread_cond_broadcast(&jobs_idle);
	pthread_mutex_unlock(&jobs_lock);
	return NULL;
}

static void job_free(struct export_job *job)
{
	free(job->folder);
	free(job->name);
	free(job->error);
	strlist_free(&job->elsewhere);
	free(job);
}

void web_export_wait(void)
{
	pthread_mutex_lock(&jobs_lock);
	if (jobs_running > 0)
		log_info("web: waiting for %d export%s to finish", jobs_running,
		         jobs_running == 1 ? "" : "s");
	while (jobs_running > 0)
		pthread_cond_wait(&jobs_idle, &jobs_lock);
	for (int i = 0; i < JOBS_KEPT; i++) {
		if (jobs[i] != NULL)
			job_free(jobs[i]);
		jobs[i] = NULL;
	}
	pthread_mutex_unlock(&jobs_lock);
}

/* Keeps job in the table (the oldest finished one makes room): 0, or -1 when every kept job
 * is still running. */
static int job_keep(struct export_job *job)
{
	int slot = -1;
	for (int i = 0; i < JOBS_KEPT && slot < 0; i++)
		if (jobs[i] == NULL)
			slot = i;
	for (int i = 0; i < JOBS_KEPT && slot < 0; i++)
		if (jobs[i]->state == JOB_DONE || jobs[i]->state == JOB_FAILED)
			if (slot < 0 || jobs[i]->id < jobs[slot]->id)
				slot = i;
	if (slot < 0)
		return -1;
	if (jobs[slot] != NULL)
		job_free(jobs[slot]);
	job->id = jobs_next++;
	jobs[slot] = job;
	return 0;
}

/* Starts the export of ref by the actor: the job's number, or 0 with *error_r. */
static int64_t job_start(struct web_ctx *c, const char *ref, int allow_elsewhere,
                         char **error_r)
{
	struct export_job *job = xcalloc(1, sizeof(*job));
	snprintf(job->ref, sizeof(job->ref), "%s", ref);
	job->config = c->config;
	job->user = c->actor.user;
	job->allow_elsewhere = allow_elsewhere;
	job->folder = productions_folder(c->config);
	pthread_mutex_lock(&jobs_lock);
	int kept = job_keep(job);
	if (kept == 0)
		jobs_running++;
	pthread_mutex_unlock(&jobs_lock);
	if (kept < 0) {
		job_free(job);
		*error_r = xasprintf("%d exports are running already: try again when one is done",
		                     JOBS_KEPT);
		return 0;
	}
	pthread_t thread;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&thread, &attr, job_run, job);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		pthread_mutex_lock(&jobs_lock);
		jobs_running--;
		pthread_mutex_unlock(&jobs_lock);
		job_finish(job, JOB_FAILED, NULL, xasprintf("no thread for the export: %s",
		                                            strerror(rc)));
		*error_r = xstrdup("the export could not be started: the server is out of threads");
		return 0;
	}
	return job->id;
}

/* A copy of job id as the actor may see it (their own), under the lock; 0 when none. */
struct job_view {
	int64_t id, done, total;
	enum job_state state;
	int recorded;
	char ref[32];
	char *name, *error, *elsewhere;
	struct production_summary sum;
};

static int job_view(struct web_ctx *c, int64_t id, struct job_view *v)
{
	memset(v, 0, sizeof(*v));
	pthread_mutex_lock(&jobs_lock);
	for (int i = 0; i < JOBS_KEPT; i++) {
		const struct export_job *j = jobs[i];
		if (j == NULL || j->id != id || strcmp(j->user->name, c->actor.user->name) != 0)
			continue;
		v->id = id;
		v->done = j->done;
		v->total = j->total;
		v->state = j->state;
		v->recorded = j->recorded;
		snprintf(v->ref, sizeof(v->ref), "%s", j->ref);
		v->name = j->name ? xstrdup(j->name) : NULL;
		v->error = j->error ? xstrdup(j->error) : NULL;
		v->elsewhere = j->elsewhere.count ? strlist_join(&j->elsewhere, "\n") : NULL;
		v->sum = j->sum;
	}
	pthread_mutex_unlock(&jobs_lock);
	return v->id != 0;
}

static void job_view_clear(struct job_view *v)
{
	free(v->name);
	free(v->error);
	free(v->elsewhere);
}

/* What the job is doing, in words (new string). */
static char *job_words(const struct job_view *v)
{
	switch (v->state) {
	case JOB_RUNNING:
		return v->total ? xasprintf("Producing: %lld of %lld message%s done", (long long)v->done,
		                            (long long)v->total, v->total == 1 ? "" : "s")
		                : xstrdup("Reading the request's decisions");
	case JOB_ZIPPING:
		return xstrdup("Writing the .zip");
	case JOB_DONE:
		return xasprintf("Done: %lld message%s produced (%lld redacted), %lld withheld",
		                 (long long)v->sum.messages, v->sum.messages == 1 ? "" : "s",
		                 (long long)v->sum.redacted,
		                 (long long)v->sum.withheld);
	case JOB_FAILED:
		break;
	}
	return xstrdup("The export failed");
}

/* ---- pages ---------------------------------------------------------------------------- */

static int64_t number_of(const char *s)
{
	char *end = NULL;
	long long n = s ? strtoll(s, &end, 10) : 0;
	return s && *s && end && *end == '\0' && n > 0 ? (int64_t)n : 0;
}

static void json_string(struct buf *b, const char *s)
{
	buf_add(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_addf(b, "\\%c", *p);
		else if (*p < 0x20)
			buf_addf(b, "\\u%04x", *p);
		else
			buf_add(b, p, 1);
	}
	buf_add(b, "\"", 1);
}

/* GET /records/job/ID: {"state", "done", "total", "text"} for the page's script. */
void web_export_job(struct web_ctx *c, const char *rest)
{
	struct job_view v;
	if (!job_view(c, number_of(rest), &v)) {
		web_plain(c->res, 404, "No such export of yours.");
		return;
	}
	static const char *const states[] = {"running", "zipping", "done", "failed"};
	char *words = job_words(&v);
	struct buf *b = &c->res->body;
	c->res->content_type = "application/json";
	buf_addf(b, "{\"state\":\"%s\",\"done\":%lld,\"total\":%lld,\"text\":", states[v.state],
	         (long long)v.done, (long long)v.total);
	json_string(b, words);
	buf_addstr(b, "}\n");
	free(words);
	job_view_clear(&v);
}

/* The job's section: a progress bar the script moves, then the download or the failure. */
static void job_section(struct web_ctx *c, const char *ref, int64_t id)
{
	struct buf *b = &c->res->body;
	struct job_view v;
	if (!job_view(c, id, &v) || strcmp(v.ref, ref) != 0) {
		job_view_clear(&v);
		return;
	}
	char *words = job_words(&v);
	html(b, "<section class=\"export-job\" aria-labelledby=\"job-h\"><h2 id=\"job-h\">This "
	        "export</h2>");
	if (v.state == JOB_RUNNING || v.state == JOB_ZIPPING) {
		html(b, "<progress id=\"export-progress\" max=\"%lld\" value=\"%lld\" "
		        "aria-labelledby=\"export-status\"></progress>"
		        "<p id=\"export-status\" role=\"status\" aria-live=\"polite\" data-job=\"%lld\">"
		        "%s</p><p class=\"hint\">You may leave this page: the export goes on, and its "
		        "package appears below when it is done. <a href=\"/records/export/%U?job=%lld\">"
		        "See where it is now</a></p>",
		     (long long)(v.total ? v.total : 1), (long long)v.done, (long long)id, words, ref,
		     (long long)id);
	} else if (v.state == JOB_DONE) {
		html(b, "<p id=\"export-status\" role=\"status\" data-state=\"done\">%s.</p>"
		        "<p><a class=\"download\" href=\"/records/export/%U/%U.zip\" download>Download "
		        "%s.zip</a> — unzip it, then check it with <code>sha256sum -c SHA256SUMS</code> "
		        "in its folder.</p>", words, ref, v.name, v.name);
	} else {
		if (v.recorded)
			html(b, "<div role=\"alert\" class=\"error\" id=\"export-status\" "
			        "data-state=\"failed\"><p>The production was recorded (it is listed "
			        "below), but its .zip could not be made: %s. Ask the administrator for "
			        "the package; exporting again would record another production.</p>",
			     v.error ? v.error : "");
		else
			html(b, "<div role=\"alert\" class=\"error\" id=\"export-status\" "
			        "data-state=\"failed\"><p>The export stopped, and nothing was produced: "
			        "%s</p>", v.error ? v.error : "");
		if (v.elsewhere != NULL)
			html(b, "<pre class=\"named\">%s</pre><p>To produce them whole anyway, export "
			        "again with “Produce them whole anyway” ticked.</p>", v.elsewhere);
		html(b, "</div>");
	}
	html(b, "</section>");
	free(words);
	job_view_clear(&v);
}

struct list_ctx {
	struct web_ctx *c;
	const char *ref;
	const char *folder;
	int may_download;
	struct strlist zips;  /* the request's packages in the folder */
	int rows;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .zip files of the request in the folder, sorted. */
static void zips_find(struct list_ctx *l)
{
	DIR *d = opendir(l->folder);
	if (d == NULL)
		return;
	size_t n = strlen(l->ref);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, l->ref, n) == 0 && e->d_name[n] == '-' && len > 4 &&
		    strcmp(e->d_name + len - 4, ".zip") == 0 && production_name_safe(e->d_name))
			strlist_add(&l->zips, e->d_name);
	}
	closedir(d);
	if (l->zips.count > 1)
		qsort(l->zips.items, l->zips.count, sizeof(*l->zips.items), name_cmp);
}

static int production_row(const struct production_row *r, void *p)
{
	struct list_ctx *l = p;
	struct buf *b = &l->c->res->body;
	char first[64], last[64], when[17];
	pdf_bates_format(r->bates_prefix, r->bates_first, first, sizeof(first));
	pdf_bates_format(r->bates_prefix, r->bates_last, last, sizeof(last));
	time_format_local(r->produced_at, when, sizeof(when));
	int pages = r->bates_last >= r->bates_first;
	html(b, "<tr><td>%s</td><td>%s</td><td>%lld</td><td>%s</td><td><time>%s</time></td><td>",
	     pages ? first : "—", pages ? last : "—",
	     (long long)(pages ? r->bates_last - r->bates_first + 1 : 0), r->produced_by, when);
	struct production_summary range = {.bates_first = r->bates_first,
	                                   .bates_last = r->bates_last};
	/* the prefix the production was numbered with, which the configuration may since have
	 * changed */
	char *base = package_name(r->bates_prefix, l->ref, &range);
	size_t n = strlen(base);
	int any = 0;
	for (size_t i = 0; l->may_download && i < l->zips.count; i++) {
		const char *z = l->zips.items[i];
		if (strncmp(z, base, n) != 0 || (z[n] != '.' && z[n] != '-'))
			continue;
		html(b, "%R<a href=\"/records/export/%U/%U\" download>%s</a>", any ? "<br>" : "",
		     l->ref, z, z);
		any = 1;
	}
	if (!any)
		html(b, "%s", l->may_download ? "no package here" : "—");
	html(b, "</td></tr>");
	free(base);
	l->rows++;
	return 0;
}

static void productions_table(struct web_ctx *c, const char *ref, int may_download)
{
	struct buf *b = &c->res->body;
	struct list_ctx l = {.c = c, .ref = ref, .may_download = may_download};
	char *folder = productions_folder(c->config);
	l.folder = folder;
	zips_find(&l);
	html(b, "<section aria-labelledby=\"past-h\"><h2 id=\"past-h\">Past productions</h2>"
	        "<div class=\"table-wrap\"><table class=\"productions\"><caption>Productions of %s, "
	        "oldest first</caption><thead><tr><th scope=\"col\">First page</th>"
	        "<th scope=\"col\">Last page</th><th scope=\"col\">Pages</th>"
	        "<th scope=\"col\">Produced by</th><th scope=\"col\">First made</th>"
	        "<th scope=\"col\">Package</th></tr></thead><tbody>", ref);
	char *error = NULL;
	int rc = production_list(c->store, &c->actor, ref, production_row, &l, &error);
	if (rc != OPS_OK)
		html(b, "<tr><td colspan=\"6\" role=\"alert\">%s</td></tr>", error);
	else if (l.rows == 0)
		html(b, "<tr><td colspan=\"6\">None yet.</td></tr>");
	html(b, "</tbody></table></div></section>");
	free(error);
	free(folder);
	strlist_free(&l.zips);
}

/* GET /records/export/REF/NAME.zip: the package, for those who may export. */
static void download(struct web_ctx *c, const char *ref, const char *name)
{
	char *error = NULL;
	char *folder = productions_folder(c->config);
	int fd = -1;
	uint64_t size = 0;
	/* the right, the name and the audit entry are production.c's */
	int rc = production_package_open(c->store, &c->actor, ref, folder, name, &fd, &size,
	                                 &error);
	if (rc != OPS_OK) {
		web_ops_error(c, rc, error);
	} else {
		/* sent from the file: a package may be far larger than a page's buffer */
		buf_reset(&c->res->body);
		c->res->file_fd = fd;
		c->res->file_size = size;
		c->res->content_type = "application/zip";
		char *disposition = xasprintf("attachment; filename=\"%s\"", name);
		web_add_header(c->res, "Content-Disposition", disposition);
		free(disposition);
	}
	free(error);
	free(folder);
}

/* The request's reference and what follows it in rest ("REF" or "REF/NAME"). */
static int split_ref(const char *rest, char *ref, size_t size, const char **tail_r)
{
	const char *slash = strchr(rest, '/');
	size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
	if (n == 0 || n >= size)
		return -1;
	memcpy(ref, rest, n);
	ref[n] = '\0';
	*tail_r = slash ? slash + 1 : NULL;
	return production_name_safe(ref) ? 0 : -1;
}

void web_export_get(struct web_ctx *c, const char *rest)
{
	char ref[32];
	const char *tail = NULL;
	if (split_ref(rest, ref, sizeof(ref), &tail) < 0) {
		web_not_found(c);
		return;
	}
	if (tail != NULL) {
		download(c, ref, tail);
		return;
	}
	char *error = NULL;
	int64_t id;
	int rc = ops_foia_lookup(c->store, &c->actor, ref, &id, &error);
	if (rc != OPS_OK) {
		web_ops_error(c, rc, error);
		free(error);
		return;
	}
	int may_export = ops_foia_may_change(&c->actor, &error) == OPS_OK;
	free(error);
	char title[64];
	snprintf(title, sizeof(title), "Production of %s", ref);
	web_records_begin(c, title, NULL);
	struct buf *b = &c->res->body;
	html(b, "<h1>Production of %s</h1><p><a href=\"/records/foia/%U\">Back to the request</a></p>",
	     ref, ref);
	int64_t job = number_of(web_query(c->req, "job"));
	if (job != 0)
		job_section(c, ref, job);
	if (may_export) {
		html(b, "<section aria-labelledby=\"export-h\"><h2 id=\"export-h\">Export</h2>"
		        "<p>Writes the package (natives, PDFs with Bates numbers and redactions burned "
		        "in, load files, the withholding log, SHA256SUMS) and offers it as one .zip. The "
		        "same decisions give the same Bates numbers again.</p>"
		        "<form method=\"post\" action=\"/records/export/%U\" class=\"export\">", ref);
		web_csrf_field(c);
		html(b, "<p><input type=\"checkbox\" id=\"allow_elsewhere\" name=\"allow_elsewhere\" "
		        "value=\"1\"> <label for=\"allow_elsewhere\">Produce them whole anyway: "
		        "messages that hold text redacted or withheld in another message of the "
		        "request</label></p><button type=\"submit\">Export a production</button>"
		        "</form></section>");
	} else {
		html(b, "<p class=\"hint\">Only records staff export productions and download "
		        "their packages.</p>");
	}
	productions_table(c, ref, may_export);
	web_page_script(c, "export.js");
	web_records_end(c);
}

void web_export_action(struct web_ctx *c, const char *rest)
{
	char ref[32];
	const char *tail = NULL;
	if (split_ref(rest, ref, sizeof(ref), &tail) < 0 || tail != NULL) {
		web_not_found(c);
		return;
	}
	char *error = NULL;
	int64_t id;
	/* the right first: a coordinator is refused, never asked for a password */
	int rc = ops_foia_may_change(&c->actor, &error);
	if (rc == OPS_OK)
		rc = ops_foia_lookup(c->store, &c->actor, ref, &id, &error);
	if (rc != OPS_OK) {
		web_ops_error(c, rc, error);
		free(error);
		return;
	}
	if (!web_reauth_check(c, "Export a production"))
		return;
	const char *allow = web_form(c->req, "allow_elsewhere");
	int64_t job = job_start(c, ref, allow != NULL && strcmp(allow, "1") == 0, &error);
	if (job == 0) {
		web_ops_error(c, OPS_FAILED, error);
		free(error);
		return;
	}
	char *ref_enc = web_url_encode(ref);
	char *to = xasprintf("/records/export/%s?job=%lld", ref_enc, (long long)job);
	web_redirect(c->res, to);
	free(to);
	free(ref_enc);
}
