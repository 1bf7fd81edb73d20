/* cli_foia.c — liaison foia new|list|show|add|remove|close and liaison hold add|release|list
 * (ops_foia.c holds their rules). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "calendar.h"
#include "cli.h"
#include "ops_foia.h"
#include "ops_foia_exemptions.h"
#include "pdf.h"
#include "production.h"
#include "util.h"

static const char foia_usage[] =
    "foia new --requester TEXT --received YYYY-MM-DD --description TEXT [--contact ADDR]\n"
    "       liaison foia list [--open|--overdue] [--json] | foia show REQ [--json]\n"
    "       liaison foia add REQ [QUERY] [search filters] | foia remove REQ MESSAGE\n"
    "       liaison foia close REQ | foia review REQ [--json] | foia export REQ --out DIR\n"
    "                           [--allow-redacted-text-elsewhere]\n"
    "       liaison foia withhold REQ MESSAGE --exemption CITATION --reason TEXT\n"
    "       liaison foia redact REQ MESSAGE (--text STRING | --pattern PCRE2 |\n"
    "                           --preset phone|address|email) --exemption CITATION [--reason TEXT]\n"
    "       liaison foia unredact REQ NUMBER | foia unwithhold REQ MESSAGE\n"
    "       (MESSAGE: a SHA-256, 8 or more of its first hex digits, or a Message-ID)";
static const char hold_usage[] =
    "hold add NAME --reason TEXT [--all] [QUERY] [search filters] | hold release NAME | "
    "hold list [--json]";

static struct cal_date today(void)
{
	return calendar_date_of((int64_t)time(NULL), NULL);
}

static int foia_new(struct cli *cli, int argc, char **argv)
{
	const char *requester = NULL, *received = NULL, *description = NULL, *contact = NULL;
	static const struct option options[] = {
		{"requester", required_argument, NULL, 'r'},
		{"received", required_argument, NULL, 'd'},
		{"description", required_argument, NULL, 'D'},
		{"contact", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'r': requester = optarg; break;
		case 'd': received = optarg; break;
		case 'D': description = optarg; break;
		case 'c': contact = optarg; break;
		default: return cli_usage(foia_usage);
		}
	}
	if (optind != argc)
		return cli_usage(foia_usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char ref[32], *error = NULL;
	int orc = ops_foia_new(cli->store, &cli->actor, requester, contact, description, received,
	                       ref, sizeof(ref), &error);
	if (orc == OPS_OK)
		printf("%s\n", ref);
	return cli_ops_exit("foia", orc, error);
}

struct list_ctx {
	json_t *array;
	size_t count;
	int overdue_only;
	struct cal_date today;
};

static int list_request(const struct foia_row *r, void *p)
{
	struct list_ctx *c = p;
	struct cal_date due;
	calendar_parse(r->due, &due);
	/* Business days left until the due date (negative: overdue). */
	int left = calendar_business_days_between(c->today, due);
	int open = strcmp(r->status, "open") == 0;
	if (c->overdue_only && !(open && calendar_compare(c->today, due) > 0))
		return 0;
	c->count++;
	if (c->array) {
		json_array_append_new(c->array, json_pack(
		    "{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:I, s:s}",
		    "ref", r->ref, "requester", r->requester, "contact", cli_json_str(r->contact),
		    "description", r->description, "received", r->received, "due", r->due,
		    "status", r->status, "business_days_left", open ? json_integer(left) : json_null(),
		    "messages", (json_int_t)r->items, "created_by", r->created_by));
		return 0;
	}
	printf("%-15s %-6s received %s  due %s  %-14s %4lld messages  %s\n", r->ref, r->status,
	       r->received, r->due, open ? (left < 0 ? "OVERDUE" : "") : "", (long long)r->items,
	       r->requester);
	return 0;
}

static int foia_list(struct cli *cli, int argc, char **argv)
{
	int json = 0, open_only = 0, overdue = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--open") == 0)
			open_only = 1;
		else if (strcmp(argv[i], "--overdue") == 0)
			overdue = 1;
		else
			return cli_usage(foia_usage);
	}
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	struct list_ctx c = {json ? json_array() : NULL, 0, overdue, today()};
	if (!json)
		printf("%-15s %-6s %-19s %-14s %-14s %13s  %s\n", "REQUEST", "STATUS", "RECEIVED",
		       "DUE", "", "MESSAGES", "REQUESTER");
	int orc = ops_foia_list(cli->store, &cli->actor, open_only || overdue ? "open" : NULL,
	                        list_request, &c, &error);
	if (orc != OPS_OK) {
		json_decref(c.array);
		return cli_ops_exit("foia", orc, error);
	}
	cli_list_end(c.array, c.count, "request");
	return EXIT_OK;
}

struct show_ctx {
	struct list_ctx list; /* the request as `foia list --json` shows it */
	json_t *items, *decisions;
};

static int show_item(const struct foia_item_row *m, void *p)
{
	json_t *items = ((struct show_ctx *)p)->items;
	json_array_append_new(items, json_pack("{s:s, s:o, s:o, s:o, s:o}", "sha256", m->sha256,
	    "message_id", cli_json_str(m->message_id), "date", cli_json_time(m->date),
	    "from", cli_json_str(m->from_addr), "subject", cli_json_str(m->subject)));
	return 0;
}

static int show_decision(const struct decision_row *d, void *p)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:o, s:s, s:o, s:s, s:o}", "type", d->type,
	    "number", (json_int_t)d->id, "sha256", d->sha256, "message_id",
	    cli_json_str(d->message_id), "exemption", d->exemption, "reason", cli_json_str(d->reason),
	    "decided_by", d->decided_by, "decided_at", cli_json_time(d->decided_at));
	if (d->kind != NULL) {
		json_object_set_new(o, "kind", json_string(d->kind));
		json_object_set_new(o, "value", cli_json_str(d->value));
		json_object_set_new(o, "preset", cli_json_str(d->preset));
		json_object_set_new(o, "passages", d->passages < 0 ? json_null()
		                                                   : json_integer(d->passages));
	}
	json_object_set_new(o, "revoked_by", cli_json_str(d->revoked_by));
	json_object_set_new(o, "revoked_at", d->revoked_at ? cli_json_time(d->revoked_at)
	                                                   : json_null());
	json_array_append_new(((struct show_ctx *)p)->decisions, o);
	return 0;
}

static const char *str_of(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* The decisions as text: what, on which message, who and when, and revoked when it was. */
static void print_decisions(json_t *decisions)
{
	if (json_array_size(decisions) > 0)
		printf("\ndecisions:\n");
	for (size_t i = 0; i < json_array_size(decisions); i++) {
		json_t *d = json_array_get(decisions, i);
		json_t *passages = json_object_get(d, "passages");
		int redaction = strcmp(str_of(d, "type"), "redaction") == 0;
		char what[64] = "withheld whole";
		if (redaction && json_is_integer(passages))
			snprintf(what, sizeof(what), "%lld passage%s",
			         (long long)json_integer_value(passages),
			         json_integer_value(passages) == 1 ? "" : "s");
		else if (redaction)
			snprintf(what, sizeof(what), "passages not counted");
		printf("%-11s %3lld  %.12s <%s>  %s by %s  under %s\n", str_of(d, "type"),
		       (long long)json_integer_value(json_object_get(d, "number")), str_of(d, "sha256"),
		       str_of(d, "message_id"), str_of(d, "decided_at"), str_of(d, "decided_by"),
		       str_of(d, "exemption"));
		if (redaction && json_is_string(json_object_get(d, "preset")))
			printf("                 %s: preset %s\n", what, str_of(d, "preset"));
		else if (redaction)
			printf("                 %s: %s \"%s\"\n", what, str_of(d, "kind"),
			       str_of(d, "value"));
		else
			printf("                 %s\n", what);
		if (str_of(d, "reason")[0] != '\0')
			printf("                 reason: %s\n", str_of(d, "reason"));
		if (json_is_string(json_object_get(d, "revoked_by")))
			printf("                 REVOKED %s by %s: no longer applies\n",
			       str_of(d, "revoked_at"), str_of(d, "revoked_by"));
	}
}

static int show_request(const struct foia_row *r, void *p)
{
	struct show_ctx *c = p;
	list_request(r, &c->list);
	return 1;
}

static int foia_show(struct cli *cli, int argc, char **argv)
{
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc != 2 && !json)
		return cli_usage(foia_usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	json_t *one = json_array(), *items = json_array(), *decisions = json_array();
	struct show_ctx c = {{one, 0, 0, today()}, items, decisions};
	int orc = ops_foia_show(cli->store, &cli->actor, argv[1], show_request, show_item,
	                        show_decision, &c, &error);
	if (orc != OPS_OK) {
		json_decref(one);
		json_decref(items);
		json_decref(decisions);
		return cli_ops_exit("foia", orc, error);
	}
	json_t *request = json_incref(json_array_get(one, 0));
	json_decref(one);
	json_object_set_new(request, "items", items);
	json_object_set_new(request, "decisions", decisions);
	if (json) {
		cli_print_json(request);
		return EXIT_OK;
	}
	printf("%s  %s\nrequester: %s\nreceived %s, due %s\n%s\n\n",
	       json_string_value(json_object_get(request, "ref")),
	       json_string_value(json_object_get(request, "status")),
	       json_string_value(json_object_get(request, "requester")),
	       json_string_value(json_object_get(request, "received")),
	       json_string_value(json_object_get(request, "due")),
	       json_string_value(json_object_get(request, "description")));
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *m = json_array_get(items, i);
		printf("%.12s  %-30.30s  %s\n", json_string_value(json_object_get(m, "sha256")),
		       json_string_value(json_object_get(m, "from")),
		       json_string_value(json_object_get(m, "subject")));
	}
	print_decisions(decisions);
	json_decref(request);
	return EXIT_OK;
}

/* foia add REQ [QUERY] [filters] / hold add NAME --reason TEXT [QUERY] [filters] */
static int add_matching(struct cli *cli, int argc, char **argv, int hold)
{
	const char *reason = NULL;
	int all = 0;
	/* --reason and --all belong to hold add; take them out before the search filters are
	 * read. */
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (hold && strcmp(argv[i], "--reason") == 0 && i + 1 < argc) {
			reason = argv[++i];
			continue;
		}
		if (hold && strcmp(argv[i], "--all") == 0) {
			all = 1;
			continue;
		}
		args[n++] = argv[i];
	}
	struct search_filter f;
	int json = 0, npos = 0;
	char *pos[2];
	int parsed = cli_search_parse(cli, n, args, &f, &json, NULL, pos, 2, &npos);
	free(args);
	if (parsed == -2)
		return EXIT_USAGE;
	if (parsed < 0 || npos < 1)
		return cli_usage(hold ? hold_usage : foia_usage);
	f.query = npos == 2 ? pos[1] : NULL;
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	size_t count = 0;
	int orc = hold ? ops_hold_add(cli->store, &cli->actor, pos[0], reason, &f, all, &count, &error)
	               : ops_foia_add(cli->store, &cli->actor, pos[0], &f, &count, &error);
	if (orc == OPS_OK)
		printf("%s: %zu message%s %s\n", pos[0], count, count == 1 ? "" : "s",
		       hold ? "placed on hold" : "added");
	return cli_ops_exit(hold ? "hold" : "foia", orc, error);
}

/* foia withhold|redact REQ MESSAGE [options] */
static int foia_decide(struct cli *cli, int argc, char **argv, int redact)
{
	const char *exemption = NULL, *reason = NULL, *text = NULL, *pattern = NULL, *preset = NULL;
	static const struct option options[] = {
		{"exemption", required_argument, NULL, 'e'},
		{"reason", required_argument, NULL, 'r'},
		{"text", required_argument, NULL, 't'},
		{"pattern", required_argument, NULL, 'p'},
		{"preset", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'e': exemption = optarg; break;
		case 'r': reason = optarg; break;
		case 't': text = optarg; break;
		case 'p': pattern = optarg; break;
		case 's': preset = optarg; break;
		default: return cli_usage(foia_usage);
		}
	}
	if (optind != argc - 2 || (!redact && (text || pattern || preset)))
		return cli_usage(foia_usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL, *done = NULL;
	if (!redact) {
		int orc = ops_foia_withhold(cli->store, &cli->actor, argv[optind], argv[optind + 1],
		                            exemption, reason, &done, &error);
		if (orc == OPS_OK)
			printf("%s\n", done);
		free(done);
		return cli_ops_exit("foia", orc, error);
	}
	struct foia_redaction want = {text, pattern, preset, exemption, reason};
	struct foia_redacted got;
	int orc = ops_foia_redact(cli->store, &cli->actor, argv[optind], argv[optind + 1], &want,
	                          &got, &error);
	if (orc == OPS_OK) {
		printf("%s\n", got.done);
		for (size_t i = 0; i < got.addresses.count; i++)
			printf("also seen with this name: %s (redact with --preset email or --text "
			       "ADDRESS)\n", got.addresses.items[i]);
		for (size_t i = 0; i < got.forms.count; i++)
			printf("also written: %s (not hidden by this redaction: redact with --text "
			       "\"%s\")\n", got.forms.items[i], got.forms.items[i]);
	}
	ops_foia_redacted_clear(&got);
	return cli_ops_exit("foia", orc, error);
}

/* foia unredact REQ NUMBER | foia unwithhold REQ MESSAGE */
static int foia_revoke(struct cli *cli, int argc, char **argv, int redaction)
{
	if (argc != 3)
		return cli_usage(foia_usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL, *done = NULL;
	int orc = redaction
	    ? ops_foia_unredact(cli->store, &cli->actor, argv[1], argv[2], &done, &error)
	    : ops_foia_unwithhold(cli->store, &cli->actor, argv[1], argv[2], &done, &error);
	if (orc == OPS_OK)
		printf("%s\n", done);
	free(done);
	return cli_ops_exit("foia", orc, error);
}

struct review_ctx {
	json_t *array;
	size_t count;
};

static int print_review(const struct review_row *r, void *p)
{
	struct review_ctx *c = p;
	const char *hint = ops_foia_review_hint(r->categories, r->confidential);
	if (hint == NULL)
		return 0;
	c->count++;
	if (c->array) {
		json_array_append_new(c->array, json_pack("{s:s, s:o, s:o, s:s, s:b, s:i}",
		    "sha256", r->sha256, "thread", cli_json_str(r->thread_ref),
		    "subject", cli_json_str(r->subject), "hint", hint, "withheld", r->withheld,
		    "redactions", r->redactions));
		return 0;
	}
	printf("%.12s  %-13s %s%s  %s\n", r->sha256, r->thread_ref ? r->thread_ref : "-",
	       r->withheld ? "[withheld] " : "", r->redactions ? "[redacted] " : "", hint);
	return 0;
}

static int foia_review(struct cli *cli, int argc, char **argv)
{
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if (argc != 2 && !json)
		return cli_usage(foia_usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	struct review_ctx c = {json ? json_array() : NULL, 0};
	int orc = ops_foia_review(cli->store, &cli->actor, argv[1], print_review, &c, &error);
	if (orc != OPS_OK) {
		json_decref(c.array);
		return cli_ops_exit("foia", orc, error);
	}
	cli_list_end(c.array, c.count, "suggestion");
	return EXIT_OK;
}

/* liaison foia export REQ --out DIR */
static int foia_export(struct cli *cli, int argc, char **argv)
{
	const char *ref = NULL, *out = NULL;
	int allow_elsewhere = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--allow-redacted-text-elsewhere") == 0)
			allow_elsewhere = 1;
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strncmp(argv[i], "--out=", 6) == 0)
			out = argv[i] + 6;
		else if (ref == NULL && argv[i][0] != '-')
			ref = argv[i];
		else
			return cli_usage(foia_usage);
	}
	if (ref == NULL || out == NULL || out[0] == '\0')
		return cli_usage(foia_usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct production_summary sum;
	char *error = NULL;
	int orc = production_export(cli->store, &cli->actor, ref, out, allow_elsewhere, &sum, &error);
	if (orc != OPS_OK)
		return cli_ops_exit("foia export", orc, error);
	char first[64], last[64];
	pdf_bates_format(cli->config->bates_prefix, sum.bates_first, first, sizeof(first));
	pdf_bates_format(cli->config->bates_prefix, sum.bates_last, last, sizeof(last));
	printf("%s: %lld message%s produced (%lld redacted), %lld attachment%s, %lld withheld\n",
	       ref, (long long)sum.messages, sum.messages == 1 ? "" : "s", (long long)sum.redacted,
	       (long long)sum.attachments, sum.attachments == 1 ? "" : "s", (long long)sum.withheld);
	if (sum.bates_last >= sum.bates_first)
		printf("pages %s to %s%s\n", first, last,
		       sum.again ? " (the same production as before: same numbers, same bytes)" : "");
	printf("written to %s; check it with: cd %s && sha256sum -c SHA256SUMS\n", out, out);
	if (sum.unredacted_elsewhere > 0)
		printf("warning: %lld message%s produced whole as you allowed, though holding what "
		       "is redacted or withheld elsewhere (named above)\n",
		       (long long)sum.unredacted_elsewhere, sum.unredacted_elsewhere == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_foia(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(foia_usage);
	const char *sub = argv[1];
	char *error = NULL;
	int orc;
	if (strcmp(sub, "new") == 0)
		return foia_new(cli, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return foia_list(cli, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return foia_show(cli, argc - 1, argv + 1);
	if (strcmp(sub, "add") == 0)
		return add_matching(cli, argc - 1, argv + 1, 0);
	if (strcmp(sub, "withhold") == 0 || strcmp(sub, "redact") == 0)
		return foia_decide(cli, argc - 1, argv + 1, sub[0] == 'r');
	if (strcmp(sub, "unwithhold") == 0 || strcmp(sub, "unredact") == 0)
		return foia_revoke(cli, argc - 1, argv + 1, sub[2] == 'r');
	if (strcmp(sub, "review") == 0)
		return foia_review(cli, argc - 1, argv + 1);
	if (strcmp(sub, "export") == 0)
		return foia_export(cli, argc - 1, argv + 1);
	if (strcmp(sub, "remove") == 0 && argc == 4) {
		int rc = cli_open_as(cli);
		if (rc != EXIT_OK)
			return rc;
		char *done = NULL;
		orc = ops_foia_remove(cli->store, &cli->actor, argv[2], argv[3], &done, &error);
		if (orc == OPS_OK)
			printf("%s\n", done);
		free(done);
		return cli_ops_exit("foia", orc, error);
	}
	if (strcmp(sub, "close") == 0 && argc == 3) {
		int rc = cli_open_as(cli);
		if (rc != EXIT_OK)
			return rc;
		orc = ops_foia_close(cli->store, &cli->actor, argv[2], &error);
		if (orc == OPS_OK)
			printf("%s: closed; its responsive set is final and no longer held\n", argv[2]);
		return cli_ops_exit("foia", orc, error);
	}
	return cli_usage(foia_usage);
}

struct holds_ctx {
	json_t *array; /* NULL for text */
	size_t count;
};

static int print_hold(const struct hold_row *h, void *p)
{
	struct holds_ctx *c = p;
	c->count++;
	if (c->array) {
		json_array_append_new(c->array, json_pack("{s:s, s:s, s:s, s:o, s:I, s:I}", "name",
		    h->name, "reason", h->reason, "placed_by", h->placed_by,
		    "placed_at", cli_json_time(h->placed_at), "held", (json_int_t)h->active,
		    "released", (json_int_t)h->released));
		return 0;
	}
	char at[32];
	time_format_local(h->placed_at, at, sizeof(at));
	printf("%-24s %-16s  %-12s %5lld %8lld  %s\n", h->name, at, h->placed_by,
	       (long long)h->active, (long long)h->released, h->reason);
	return 0;
}

int cmd_hold(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return add_matching(cli, argc - 1, argv + 1, 1);
	int rc;
	char *error = NULL;
	if (argc == 3 && strcmp(argv[1], "release") == 0) {
		if ((rc = cli_open_as(cli)) != EXIT_OK)
			return rc;
		size_t n = 0;
		int orc = ops_hold_release(cli->store, &cli->actor, argv[2], &n, &error);
		if (orc == OPS_OK)
			printf("%s: %zu message%s released\n", argv[2], n, n == 1 ? "" : "s");
		return cli_ops_exit("hold", orc, error);
	}
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if ((argc == 2 || json) && strcmp(argv[1], "list") == 0) {
		if ((rc = cli_open_as(cli)) != EXIT_OK)
			return rc;
		struct holds_ctx c = {json ? json_array() : NULL, 0};
		if (!json)
			printf("%-24s %-16s  %-12s %5s %8s  %s\n", "NAME", "PLACED", "BY", "HELD",
			       "RELEASED", "REASON");
		int orc = ops_holds_list(cli->store, &cli->actor, print_hold, &c, &error);
		if (orc != OPS_OK) {
			json_decref(c.array);
			return cli_ops_exit("hold", orc, error);
		}
		cli_list_end(c.array, c.count, "hold");
		return EXIT_OK;
	}
	return cli_usage(hold_usage);
}
