/* cli_threads.c — liaison threads and liaison show: the contact threads and their messages. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "cli.h"
#include "ops_list.h"
#include "util.h"

/* The thread as JSON: its row, when its first answer is due, and its suggested referrals. */
static json_t *thread_json(const struct ops_thread_item *item)
{
	const struct thread_row *t = item->row;
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
	json_object_set_new(j, "response_due", item->due[0] ? json_string(item->due) : json_null());
	json_object_set_new(j, "overdue", json_boolean(item->overdue));
	json_t *suggested = json_array();
	for (size_t i = 0; item->suggested && i < item->suggested->count; i++)
		json_array_append_new(suggested, json_string(item->suggested->items[i]));
	json_object_set_new(j, "suggested_referrals", suggested);
	return j;
}

/* "UCR-": urgent, confidential, reportable, suspicious ("S"); "-" when none. */
static void flag_letters(const struct thread_row *t, char out[6])
{
	size_t n = 0;
	if (strcmp(t->priority, "urgent") == 0)
		out[n++] = 'U';
	if (t->confidential)
		out[n++] = 'C';
	if (t->reportable)
		out[n++] = 'R';
	if (t->suspicious)
		out[n++] = 'S';
	if (n == 0)
		out[n++] = '-';
	out[n] = '\0';
}

static void print_suggested(const struct strlist *suggested, const char *indent)
{
	if (suggested == NULL || suggested->count == 0)
		return;
	char *joined = strlist_join(suggested, ", ");
	printf("%ssuggested referrals: %s\n", indent, joined);
	free(joined);
}

struct list_ctx {
	json_t *array; /* NULL for text output */
	size_t count;
};

static int list_thread(const struct ops_thread_item *item, void *p)
{
	struct list_ctx *ctx = p;
	const struct thread_row *t = item->row;
	ctx->count++;
	if (ctx->array != NULL) {
		json_array_append_new(ctx->array, thread_json(item));
		return 0;
	}
	char last[32], flags[6], due[16];
	time_format_local(t->last_at, last, sizeof(last));
	flag_letters(t, flags);
	snprintf(due, sizeof(due), "%s%s", item->due[0] ? item->due : "-", item->overdue ? "!" : "");
	printf("%-13s %-8s %-7s %-12.12s %-18.18s %-4s %-11s %-16s  %-28.28s  %s\n", t->ref,
	       t->mailbox, t->status, t->assignee ? t->assignee : "-",
	       t->category ? t->category : "-", flags, due, last,
	       t->correspondent[0] ? t->correspondent : "-", t->subject);
	print_suggested(item->suggested, "              ");
	return 0;
}

int cmd_threads(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "threads [--mailbox NAME] [--status new|open|waiting|closed] [--all]\n"
	    "       [--mine | --assignee USER | --unassigned] [--urgent] [--overdue]\n"
	    "       [--flag confidential|reportable|urgent|suspicious] [--category C] [--person]\n"
	    "       [--json]";
	struct ops_thread_query q = {0};
	int json = 0;
	static const struct option options[] = {
		{"mailbox", required_argument, NULL, 'm'},
		{"status", required_argument, NULL, 's'},
		{"all", no_argument, NULL, 'a'},
		{"mine", no_argument, NULL, 'M'},
		{"assignee", required_argument, NULL, 'A'},
		{"unassigned", no_argument, NULL, 'n'},
		{"urgent", no_argument, NULL, 'u'},
		{"flag", required_argument, NULL, 'f'},
		{"category", required_argument, NULL, 'c'},
		{"person", no_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"overdue", no_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "m:s:", options, NULL)) != -1) {
		switch (opt) {
		case 'o': q.overdue = 1; break;
		case 'm': q.mailbox = optarg; break;
		case 's': q.status = optarg; break;
		case 'a': q.all = 1; break;
		case 'M': q.mine = 1; break;
		case 'A': q.assignee = optarg; break;
		case 'n': q.unassigned = 1; break;
		case 'u': q.urgent = 1; break;
		case 'f': q.flag = optarg; break;
		case 'c': q.category = optarg; break;
		case 'p': q.person = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	q.suggestions = 1;
	struct list_ctx ctx = {json ? json_array() : NULL, 0};
	if (!json)
		printf("%-13s %-8s %-7s %-12s %-18s %-4s %-11s %-16s  %-28s  %s\n", "REF", "MAILBOX",
		       "STATUS", "ASSIGNEE", "CATEGORY", "FLAG", "DUE", "LAST", "CORRESPONDENT",
		       "SUBJECT");
	char *error = NULL;
	int orc = ops_threads_list(cli->store, &cli->actor, &q, list_thread, &ctx, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("threads", orc, error);
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

struct show_thread_ctx {
	struct show_ctx *messages;
	json_t *thread;
	int content;
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
	struct show_ctx *ctx = ((struct show_thread_ctx *)p)->messages;
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
		    "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}",
		    "id", (json_int_t)m->id, "message_id", cli_json_str(m->message_id),
		    "direction", cli_json_str(m->direction),
		    "from", cli_json_str(m->from_addr), "from_name", cli_json_str(m->from_name),
		    "to", cli_json_str(m->to_text), "date", cli_json_time(m->date),
		    "subject", cli_json_str(m->subject), "text", cli_json_str(m->text),
		    "attachments", attachments, "sha256", m->sha256, "mailbox", cli_json_str(m->mailbox)));
		return 0;
	}
	char date[32];
	time_format_local(m->date, date, sizeof(date));
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

static int show_thread(const struct ops_thread_item *item, void *p)
{
	struct show_thread_ctx *c = p;
	c->content = item->content;
	if (c->messages->messages != NULL) {
		c->thread = thread_json(item);
		return 0;
	}
	const struct thread_row *t = item->row;
	if (!item->content) {
		/* Others see that it exists, and no more. */
		printf("%s  confidential\n", t->ref);
		return 0;
	}
	const char *flag_words = t->confidential && t->reportable ? "confidential, reportable"
	                       : t->confidential ? "confidential" : t->reportable ? "reportable" : "-";
	printf("%s  %s  %s  %s\nCorrespondent: %s%s%s%s\nSubject: %s\nMessages: %lld\n"
	       "Assignee: %s\nCategory: %s\nPriority: %s\nFlags: %s\nResponse due: %s%s\n",
	       t->ref, t->mailbox, t->status, t->kind,
	       t->correspondent_name ? t->correspondent_name : "", t->correspondent_name ? " <" : "",
	       t->correspondent, t->correspondent_name ? ">" : "", t->subject,
	       (long long)t->message_count, t->assignee ? t->assignee : "nobody",
	       t->category ? t->category : "-", t->priority, flag_words, item->due[0] ? item->due : "-", item->overdue ? " (OVERDUE)" : "");
	if (t->rms_number)
		printf("RMS number: %s\n", t->rms_number);
	print_suggested(item->suggested, "");
	if (t->suspicious)
		printf("SUSPICIOUS: a message here claims the troop's own address but did not come "
		       "from its mail server\n");
	return 0;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	char *ref = NULL;
	int json = 0;
	if (cli_ref_json_args(argc, argv, &ref, &json) < 0)
		return cli_usage("show REF [--json]");
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct show_ctx ctx = {cli->store, json ? json_array() : NULL, 0, 0};
	struct show_thread_ctx tc = {&ctx, NULL, 0};
	char *error = NULL;
	int orc = ops_show(cli->store, &cli->actor, ref, show_thread, show_message, &tc, &error);
	if (orc != OPS_OK || ctx.failed) {
		json_decref(tc.thread);
		json_decref(ctx.messages);
		if (orc == OPS_OK)
			error = xasprintf("%s", store_error(cli->store));
		return cli_ops_exit("show", orc == OPS_OK ? OPS_FAILED : orc, error);
	}
	if (json) {
		if (tc.content)
			json_object_set_new(tc.thread, "messages", ctx.messages);
		else
			json_decref(ctx.messages);
		cli_print_json(tc.thread);
	}
	return EXIT_OK;
}
