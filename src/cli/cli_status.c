/* cli_status.c — liaison status [--json] without a thread reference: the health of the
 * installation (ops_health.h) as a Nagios/Icinga plugin reports it — a first line
 * "LIAISON LEVEL - summary | perfdata", then the details — and the plugin's exit codes: 0 OK,
 * 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the configuration cannot be read, so nothing can be
 * judged).  A usage error exits 2 as with every command: a mistyped check shows as CRITICAL,
 * never as a quiet OK.  `liaison status REF STATE` is cli_ops.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops_health.h"
#include "util.h"

/* The summary: the problems, or "all is well" with the main figures. */
static char *summary(const struct health_report *r)
{
	if (r->problems.count > 0)
		return strlist_join(&r->problems, "; ");
	size_t watched = 0;
	for (size_t i = 0; i < r->n_folders; i++)
		watched += r->folders[i].reported;
	return xasprintf("%zu folders watched, outbox %lld queued, no thread overdue", watched,
	                 (long long)r->outbox.queued);
}

/* Nagios perfdata: 'label'=value[UOM];warn;crit (a range "10:" alerts below 10). */
static void print_perfdata(const struct health_report *r)
{
	size_t down = 0;
	for (size_t i = 0; i < r->n_folders; i++)
		down += r->folders[i].reported && r->folders[i].state == FOLDER_BACKOFF;
	int64_t oldest = r->outbox.oldest_queued_at ? r->now - r->outbox.oldest_queued_at : 0;
	printf("folders_backoff=%zu;1 outbox_queued=%lld outbox_oldest_queued=%llds;3600 "
	       "outbox_failed_24h=%lld;1 outbox_uncertain=%lld;1 threads_overdue=%lld;1 "
	       "db_size=%lldB", down, (long long)r->outbox.queued, (long long)oldest,
	       (long long)r->outbox.failed_since, (long long)r->outbox.uncertain,
	       (long long)r->overdue, (long long)r->db_bytes);
	if (r->disk_free_percent >= 0)
		printf(" disk_free=%.1f%%;10:;5:;0;100", r->disk_free_percent);
	printf("\n");
}

/* "12s ago", "3h ago", "never". */
static void age_text(int64_t now, int64_t t, char *out, size_t size)
{
	if (t == 0) {
		snprintf(out, size, "never");
		return;
	}
	int64_t s = now - t;
	if (s < 120)
		snprintf(out, size, "%llds ago", (long long)s);
	else if (s < 2 * 3600)
		snprintf(out, size, "%lldm ago", (long long)(s / 60));
	else if (s < 2 * 86400)
		snprintf(out, size, "%lldh ago", (long long)(s / 3600));
	else
		snprintf(out, size, "%lldd ago", (long long)(s / 86400));
}

static void print_folder(const struct health_report *r, const struct health_folder *f)
{
	char synced[32], since[32], at[32];
	age_text(r->now, f->last_sync, synced, sizeof(synced));
	if (!f->reported) {
		printf("  %s/%s: -, %s\n", f->mailbox, f->folder, f->problem ? f->problem : "");
		return;
	}
	age_text(r->now, f->state_since, since, sizeof(since));
	printf("  %s/%s: %s since %s, last sync %s, %llu waiting, %llu reconnects%s\n", f->mailbox,
	       f->folder, folder_state_name(f->state), since, synced,
	       (unsigned long long)f->waiting, (unsigned long long)f->reconnects,
	       f->configured ? "" : " (no longer configured)");
	if (f->state == FOLDER_BACKOFF) {
		time_format_local(f->retry_at, at, sizeof(at));
		printf("    backing off until %s: %s\n", at, f->reason ? f->reason : "no reason given");
	}
}

static void print_text(const struct config *config, const struct health_report *r)
{
	char *sum = summary(r);
	printf("LIAISON %s - %s | ", health_level_name(r->level), sum);
	free(sum);
	print_perfdata(r);
	char at[32];
	if (!r->poller_expected)
		printf("poller: not needed (no mailbox has imap)\n");
	else if (r->poller_file <= 0)
		printf("poller: not running (no readable status file)\n");
	else {
		char written[32];
		age_text(r->now, r->poller_written, written, sizeof(written));
		time_format_local(r->poller_started, at, sizeof(at));
		printf("poller: %s, pid %lld, started %s, status written %s\n",
		       r->poller_running ? "running" : "NOT running", (long long)r->poller_pid, at,
		       written);
		printf("store: %s%s\n", r->store_failing ? "FAILING: " : "ok",
		       r->store_failing && r->store_reason ? r->store_reason : "");
	}
	if (r->n_folders > 0)
		printf("folders:\n");
	for (size_t i = 0; i < r->n_folders; i++)
		print_folder(r, &r->folders[i]);
	if (r->db_read) {
		char oldest[32];
		age_text(r->now, r->outbox.oldest_queued_at, oldest, sizeof(oldest));
		printf("outbox: %lld queued (oldest %s), %lld sending, %lld sent, %lld failed "
		       "(%lld in the last 24 h), %lld uncertain\n",
		       (long long)r->outbox.queued,
		       r->outbox.oldest_queued_at ? oldest : "-", (long long)r->outbox.sending,
		       (long long)r->outbox.sent, (long long)r->outbox.failed,
		       (long long)r->outbox.failed_since, (long long)r->outbox.uncertain);
		printf("threads overdue: %lld\n", (long long)r->overdue);
	} else {
		printf("outbox, threads overdue: not read: %s\n", r->db_error ? r->db_error : "?");
	}
	printf("database: %s, %.1f MiB with its -wal file\n", config->database,
	       (double)r->db_bytes / (1024.0 * 1024.0));
	if (r->disk_free_percent >= 0)
		printf("disk: %.1f%% free (%.1f GiB of %.1f GiB)\n", r->disk_free_percent,
		       (double)r->disk_free / (1024.0 * 1024.0 * 1024.0),
		       (double)r->disk_size / (1024.0 * 1024.0 * 1024.0));
}

static json_t *folder_json(const struct health_report *r, const struct health_folder *f)
{
	json_t *o = json_pack("{s:s, s:s, s:b, s:b, s:s, s:o}", "mailbox", f->mailbox, "folder",
	                      f->folder, "configured", f->configured, "reported", f->reported,
	                      "level", health_level_name(f->level), "problem",
	                      cli_json_str(f->problem));
	if (!f->reported)
		return o;
	json_object_set_new(o, "state", json_string(folder_state_name(f->state)));
	json_object_set_new(o, "since", cli_json_time(f->state_since));
	json_object_set_new(o, "reason", cli_json_str(f->reason));
	json_object_set_new(o, "last_sync", cli_json_time(f->last_sync));
	json_object_set_new(o, "last_sync_age", f->last_sync
	                        ? json_integer((json_int_t)(r->now - f->last_sync)) : json_null());
	json_object_set_new(o, "retry_at", f->state == FOLDER_BACKOFF ? cli_json_time(f->retry_at)
	                                                              : json_null());
	json_object_set_new(o, "waiting", json_integer((json_int_t)f->waiting));
	json_object_set_new(o, "reconnects", json_integer((json_int_t)f->reconnects));
	return o;
}

static void print_json(const struct config *config, const struct health_report *r)
{
	char *sum = summary(r);
	json_t *problems = json_array();
	for (size_t i = 0; i < r->problems.count; i++)
		json_array_append_new(problems, json_string(r->problems.items[i]));
	json_t *folders = json_array();
	for (size_t i = 0; i < r->n_folders; i++)
		json_array_append_new(folders, folder_json(r, &r->folders[i]));
	json_t *poller = json_pack("{s:b, s:b, s:b, s:o, s:o, s:o, s:b, s:o}", "expected",
	    r->poller_expected, "status_file", r->poller_file > 0, "running", r->poller_running,
	    "pid", r->poller_pid ? json_integer((json_int_t)r->poller_pid) : json_null(),
	    "started", cli_json_time(r->poller_started), "written", cli_json_time(r->poller_written),
	    "store_failing", r->store_failing, "store_reason", cli_json_str(r->store_reason));
	json_t *outbox = json_null();
	if (r->db_read)
		outbox = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
		    "queued", (json_int_t)r->outbox.queued, "sending", (json_int_t)r->outbox.sending,
		    "sent", (json_int_t)r->outbox.sent, "failed", (json_int_t)r->outbox.failed,
		    "failed_24h", (json_int_t)r->outbox.failed_since,
		    "uncertain", (json_int_t)r->outbox.uncertain,
		    "autoreplies_sent", (json_int_t)r->outbox.autoreplies_sent,
		    "oldest_queued_age", r->outbox.oldest_queued_at
		        ? json_integer((json_int_t)(r->now - r->outbox.oldest_queued_at)) : json_null());
	json_t *disk = r->disk_free_percent < 0 ? json_null()
	    : json_pack("{s:I, s:I, s:f}", "free_bytes", (json_int_t)r->disk_free,
	                "size_bytes", (json_int_t)r->disk_size, "free_percent", r->disk_free_percent);
	json_t *root = json_pack("{s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "level", health_level_name(r->level), "exit", (int)r->level, "summary", sum,
	    "problems", problems, "at", cli_json_time(r->now), "poller", poller,
	    "folders", folders, "outbox", outbox,
	    "threads_overdue", r->db_read ? json_integer((json_int_t)r->overdue) : json_null(),
	    "database", json_pack("{s:s, s:I, s:b, s:b, s:o}", "path", config->database,
	                          "bytes", (json_int_t)r->db_bytes, "read", r->db_read,
	                          "busy", r->db_busy, "error", cli_json_str(r->db_error)),
	    "disk", disk);
	free(sum);
	cli_print_json(root);
}

int cli_status_health(struct cli *cli, int json)
{
	if (cli_load_config(cli) != EXIT_OK) {
		printf("LIAISON UNKNOWN - the configuration cannot be read (its errors are on "
		       "stderr)\n");
		return HEALTH_UNKNOWN;
	}
	struct health_report r;
	ops_health_check(cli->config, NULL, (int64_t)time(NULL), &r);
	if (json)
		print_json(cli->config, &r);
	else
		print_text(cli->config, &r);
	int level = (int)r.level;
	ops_health_clear(&r);
	return level;
}
