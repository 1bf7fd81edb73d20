/* cli_threads.c — liaison threads and liaison show: the contact threads and their messages. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "cli.h"
#include "clock.h"
#include "util.h"

static const char *const statuses[] = {"new", "open", "waiting", "closed"};

/* "YYYY-MM-DD" when the first answer is due, or null without an incoming message. */
static json_t *due_json(const struct thread_row *t, int respond_within)
{
	struct cal_date due = clock_due(t->first_in_at, respond_within);
	if (!calendar_is_valid(due))
		return json_null();
	char day[11];
	calendar_format(due, day);
	return json_string(day);
}

static json_t *thread_json(const struct thread_row *t, int respond_within)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:s, s:o, "
	                 "s:b, s:b, s:o, s:o}",
	    "ref", t->ref, "mailbox", t->mailbox, "status", t->status, "kind", t->kind,
	    "correspondent", cli_json_str(t->correspondent),
	    "correspondent_name", cli_json_str(t->correspondent_name),
	    "subject", cli_json_str(t->subject), "message_count", (json_int_t)t->message_count,
	    "first", cli_json_time(t->first_at), "last", cli_json_time(t->last_at),
	    "category", cli_json_str(t->category), "priority", t->priority,
	    "assignee", cli_json_str(t->assignee), "confidential", t->confidential,
	    "reportable", t->reportable, "rms_number", cli_json_str(t->rms_number),
	    "not_reportable_reason", cli_json_str(t->not_reportable_reason));
	json_object_set_new(j, "first_response", cli_json_time(t->first_response_at));
	json_object_set_new(j, "suspicious", json_boolean(t->suspicious));
	json_object_set_new(j, "response_due", due_json(t, respond_within));
	return j;
}

/* What a user who may not read a confidential thread sees of it: its reference, and
 * "confidential". */
static struct thread_row masked(const struct thread_row *t)
{
	struct thread_row m = *t;
	m.correspondent = "confidential";
	m.correspondent_name = NULL;
	m.subject = "confidential";
	return m;
}

struct list_ctx {
	json_t *array; /* NULL for text output */
	size_t count;
	const struct actor *actor;
	int overdue;         /* only threads whose first answer is late */
	int64_t now;
};

static int list_thread(const struct thread_row *row, void *p)
{
	struct list_ctx *ctx = p;
	if (!ops_sees_troop(ctx->actor, row->troop))
		return 0;
	int respond_within = ctx->actor->config->respond_within;
	if (ctx->overdue && !clock_overdue(row->first_in_at, row->first_response_at,
	                                   strcmp(row->status, "closed") == 0, respond_within,
	                                   ctx->now))
		return 0;
	struct thread_row hidden;
	const struct thread_row *t = row;
	if (!ops_sees_content(ctx->actor, row->troop, row->confidential, row->assignee)) {
		hidden = masked(row);
		t = &hidden;
	}
	ctx->count++;
	if (ctx->array != NULL) {
		json_array_append_new(ctx->array, thread_json(t, respond_within));
		return 0;
	}
	char last[32];
	cli_format_time(t->last_at, last, sizeof(last));
	printf("%-13s %-8s %-7s %-7s %3lld  %-16s  %-32.32s  %s\n", t->ref, t->mailbox, t->status,
	       t->kind, (long long)t->message_count, last,
	       t->correspondent[0] ? t->correspondent : "-", t->subject);
	return 0;
}

int cmd_threads(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "threads [--mailbox NAME] [--status new|open|waiting|closed] "
	                            "[--overdue] [--json]";
	struct thread_filter filter = {0};
	int json = 0, overdue = 0;
	static const struct option options[] = {
		{"mailbox", required_argument, NULL, 'm'},
		{"status", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"overdue", no_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "m:s:", options, NULL)) != -1) {
		switch (opt) {
		case 'o': overdue = 1; break;
		case 'm': filter.mailbox = optarg; break;
		case 's': filter.status = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	if (filter.status != NULL) {
		int known = 0;
		for (size_t i = 0; i < sizeof(statuses) / sizeof(*statuses); i++)
			known |= strcmp(filter.status, statuses[i]) == 0;
		if (!known)
			return cli_usage(usage);
	}
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	if (filter.mailbox && !config_find_mailbox(cli->config, filter.mailbox)) {
		cli_error("threads", "no [mailbox %s] in %s", filter.mailbox, cli->config->path);
		return EXIT_USAGE;
	}
	struct list_ctx ctx = {json ? json_array() : NULL, 0, &cli->actor, overdue,
	                       (int64_t)time(NULL)};
	if (!json)
		printf("%-13s %-8s %-7s %-7s %3s  %-16s  %-32s  %s\n", "REF", "MAILBOX", "STATUS", "KIND",
		       "MSG", "LAST", "CORRESPONDENT", "SUBJECT");
	if (store_threads_list(cli->store, &filter, list_thread, &ctx) < 0) {
		json_decref(ctx.array);
		cli_error("threads", "%s", store_error(cli->store));
		return EXIT_FAIL;
	}
	cli_list_end(ctx.array, ctx.count, "thread");
	return EXIT_OK;
}

struct show_ctx {
	struct store *store;
	json_t *messages; /* NULL for text output */
	int failed;
	unsigned attachments; /* numbered across the thread, as `liaison attachment` takes them */
};

static int add_attachment(const struct attachment_row *a, void *p)
{
	json_t *array = p;
	json_array_append_new(array, json_pack("{s:o, s:s, s:I, s:s}",
	    "filename", cli_json_str(a->filename), "content_type", a->content_type,
	    "size", (json_int_t)a->size, "sha256", a->sha256));
	return 0;
}

static int show_message(const struct message_row *m, void *p)
{
	struct show_ctx *ctx = p;
	json_t *attachments = json_array();
	if (store_attachments_list(ctx->store, m->id, add_attachment, attachments) < 0) {
		json_decref(attachments);
		ctx->failed = 1;
		return 1;
	}
	for (size_t i = 0; i < json_array_size(attachments); i++)
		json_object_set_new(json_array_get(attachments, i), "number",
		                    json_integer(++ctx->attachments));
	if (ctx->messages != NULL) {
		json_array_append_new(ctx->messages, json_pack(
		    "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}",
		    "message_id", cli_json_str(m->message_id), "direction", cli_json_str(m->direction),
		    "from", cli_json_str(m->from_addr), "from_name", cli_json_str(m->from_name),
		    "to", cli_json_str(m->to_text), "date", cli_json_time(m->date),
		    "subject", cli_json_str(m->subject), "text", cli_json_str(m->text),
		    "attachments", attachments, "sha256", m->sha256, "mailbox", cli_json_str(m->mailbox)));
		return 0;
	}
	char date[32];
	cli_format_time(m->date, date, sizeof(date));
	printf("\n--- %s %s  %s\nFrom: %s%s%s%s\nTo: %s\nSubject: %s\nMessage-ID: <%s>\n"
	       "SHA-256: %s\n",
	       strcmp(m->direction ? m->direction : "in", "out") == 0 ? ">>" : "<<",
	       m->direction ? m->direction : "-", date, m->from_name ? m->from_name : "",
	       m->from_name ? " <" : "", m->from_addr, m->from_name ? ">" : "", m->to_text, m->subject,
	       m->message_id ? m->message_id : "", m->sha256);
	for (size_t i = 0; i < json_array_size(attachments); i++) {
		json_t *a = json_array_get(attachments, i);
		const char *name = json_string_value(json_object_get(a, "filename"));
		printf("Attachment %lld: %s (%s, %lld bytes)\n",
		       (long long)json_integer_value(json_object_get(a, "number")),
		       name ? name : "(no name)",
		       json_string_value(json_object_get(a, "content_type")),
		       (long long)json_integer_value(json_object_get(a, "size")));
	}
	printf("\n%s\n", m->text ? m->text : "");
	json_decref(attachments);
	return 0;
}

struct show_thread_ctx {
	json_t *thread;
	int respond_within;
};

static int show_thread(const struct thread_row *t, void *p)
{
	struct show_thread_ctx *c = p;
	c->thread = thread_json(t, c->respond_within);
	return 1;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "show REF [--json]";
	int json = 0;
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'j')
			return cli_usage(usage);
		json = 1;
	}
	if (optind != argc - 1)
		return cli_usage(usage);
	const char *ref = argv[optind];
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct ops_thread t;
	char *error = NULL;
	int orc = ops_thread_load(cli->store, &cli->actor, ref, &t, &error);
	if (orc != OPS_OK)
		return cli_ops_exit("show", orc, error);
	int content = ops_sees_content(&cli->actor, t.troop, t.confidential, t.assignee);
	int confidential = t.confidential;
	ops_thread_free(&t);
	if (!content) {
		/* Others see that it exists, and no more. */
		if (json)
			cli_print_json(json_pack("{s:s, s:b}", "ref", ref, "confidential", 1));
		else
			printf("%s  confidential\n", ref);
		return EXIT_OK;
	}
	/* Every read of a confidential thread is audited, before it is shown. */
	if (confidential && ops_note_read(cli->store, &cli->actor, ref, &error) != OPS_OK)
		return cli_ops_exit("show", OPS_FAILED, error);

	struct show_thread_ctx found = {NULL, cli->config->respond_within};
	struct thread_filter filter = {.ref = ref};
	if (store_threads_list(cli->store, &filter, show_thread, &found) < 0) {
		cli_error("show", "%s", store_error(cli->store));
		return EXIT_FAIL;
	}
	json_t *thread = found.thread;
	if (thread == NULL) {
		cli_error("show", "no thread %s", ref);
		return EXIT_FAIL;
	}
	struct show_ctx ctx = {cli->store, json ? json_array() : NULL, 0, 0};
	if (!json) {
		printf("%s  %s  %s  %s\nCorrespondent: %s\nSubject: %s\nMessages: %lld\n",
		       ref, json_string_value(json_object_get(thread, "mailbox")),
		       json_string_value(json_object_get(thread, "status")),
		       json_string_value(json_object_get(thread, "kind")),
		       json_string_value(json_object_get(thread, "correspondent")),
		       json_string_value(json_object_get(thread, "subject")),
		       (long long)json_integer_value(json_object_get(thread, "message_count")));
		if (json_is_true(json_object_get(thread, "suspicious")))
			printf("SUSPICIOUS: a message here claims the troop's own address but did not come "
			       "from its mail server\n");
	}
	struct message_filter mf = {.thread_ref = ref, .with_text = 1};
	if (store_messages_list(cli->store, &mf, show_message, &ctx) < 0 || ctx.failed) {
		json_decref(thread);
		json_decref(ctx.messages);
		cli_error("show", "%s", store_error(cli->store));
		return EXIT_FAIL;
	}
	if (json) {
		json_object_set_new(thread, "messages", ctx.messages);
		cli_print_json(thread);
	} else {
		json_decref(thread);
	}
	return EXIT_OK;
}
