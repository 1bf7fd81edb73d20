/* cli_report.c — liaison report monthly|quarterly|due: the reports (report.c computes,
 * report_render.c and report_html.c write).  Every report printed is audited. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops_report.h"
#include "report_render.h"
#include "util.h"

static const char usage_all[] =
    "report monthly --month YYYY-MM [--officer NAME | --troop K] [--live]\n"
    "               [--format text|csv|json|html | --json]\n"
    "       report monthly --month YYYY-MM --submit [--officer NAME]\n"
    "       report quarterly --quarter YYYYQn [--format text|csv|json|html | --json]\n"
    "       report due [--month YYYY-MM] [--json]";

enum format { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_HTML };

static int parse_format(const char *s, enum format *f_r)
{
	static const char *const names[] = {"text", "csv", "json", "html"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*f_r = (enum format)i;
			return 0;
		}
	return -1;
}

static const char *format_name(enum format f)
{
	return f == FMT_CSV ? "csv" : f == FMT_JSON ? "json" : f == FMT_HTML ? "html" : "text";
}

/* --submit prints one line: what was stored. */
static int report_submit(struct cli *cli, const char *month, const char *officer)
{
	char *error = NULL;
	struct report_monthly *r = NULL;
	int orc = ops_report_submit(cli->store, &cli->actor, officer, month, (int64_t)time(NULL),
	                            &r, &error);
	if (orc == OPS_OK) {
		const struct report_stats *s = &r->rows[0].stats;
		printf("%s's report for %s submitted by %s, its figures stored: %lld received, "
		       "%lld answered, %lld threads opened, %lld closed, %lld events, %lld attended\n",
		       officer, r->month, cli->actor.user->name, (long long)s->received,
		       (long long)s->answered, (long long)s->opened, (long long)s->closed,
		       (long long)s->events_total, (long long)s->attended_total);
	}
	report_monthly_free(&r);
	return cli_ops_exit("report", orc, error);
}

static int report_monthly(struct cli *cli, int argc, char **argv)
{
	const char *month = NULL, *officer = NULL, *troop_arg = NULL;
	enum format format = FMT_TEXT;
	int submit = 0, live = 0, format_given = 0;
	static const struct option options[] = {
		{"month", required_argument, NULL, 'm'},
		{"officer", required_argument, NULL, 'o'},
		{"troop", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"json", no_argument, NULL, 'j'},
		{"submit", no_argument, NULL, 's'},
		{"live", no_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'm': month = optarg; break;
		case 'o': officer = optarg; break;
		case 't': troop_arg = optarg; break;
		case 'f':
			if (parse_format(optarg, &format) < 0)
				return cli_usage(usage_all);
			format_given = 1;
			break;
		case 'j': format = FMT_JSON; format_given = 1; break;
		case 's': submit = 1; break;
		case 'l': live = 1; break;
		default: return cli_usage(usage_all);
		}
	}
	if (optind != argc || month == NULL || (officer && troop_arg) ||
	    (troop_arg && (strlen(troop_arg) != 1 || !isalpha((unsigned char)troop_arg[0]))) ||
	    (submit && (troop_arg || live || format_given)))
		return cli_usage(usage_all);
	char troop = troop_arg ? (char)toupper((unsigned char)troop_arg[0]) : '\0';
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	/* Without --officer, --submit names the actor's own report. */
	if (submit)
		return report_submit(cli, month, officer ? officer : cli->actor.user->name);
	char *error = NULL;
	struct ops_monthly_query q = {month, officer, troop, format_name(format), live};
	struct report_monthly *r = NULL;
	int orc = ops_report_monthly(cli->store, &cli->actor, &q, &r, &error);
	if (orc == OPS_OK) {
		switch (format) {
		case FMT_TEXT: report_monthly_text(stdout, r); break;
		case FMT_CSV: report_monthly_csv(stdout, r); break;
		case FMT_JSON: cli_print_json(report_monthly_json(r)); break;
		case FMT_HTML: report_monthly_html(stdout, r); break;
		}
	}
	report_monthly_free(&r);
	return cli_ops_exit("report", orc, error);
}

static int report_quarterly(struct cli *cli, int argc, char **argv)
{
	const char *quarter = NULL;
	enum format format = FMT_TEXT;
	static const struct option options[] = {
		{"quarter", required_argument, NULL, 'q'},
		{"format", required_argument, NULL, 'f'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'q': quarter = optarg; break;
		case 'j': format = FMT_JSON; break;
		case 'f':
			if (parse_format(optarg, &format) < 0)
				return cli_usage(usage_all);
			break;
		default: return cli_usage(usage_all);
		}
	}
	if (optind != argc || quarter == NULL)
		return cli_usage(usage_all);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	struct report_quarterly *r = NULL;
	int orc = ops_report_quarterly(cli->store, &cli->actor, quarter, format_name(format), &r,
	                               &error);
	if (orc == OPS_OK) {
		switch (format) {
		case FMT_TEXT: report_quarterly_text(stdout, r); break;
		case FMT_CSV: report_quarterly_csv(stdout, r); break;
		case FMT_JSON: cli_print_json(report_quarterly_json(r)); break;
		case FMT_HTML: report_quarterly_html(stdout, r); break;
		}
	}
	report_quarterly_free(&r);
	return cli_ops_exit("report", orc, error);
}

static json_t *strlist_json(const struct strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->count; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

static int report_due(struct cli *cli, int argc, char **argv)
{
	const char *month = NULL;
	int as_json = 0;
	static const struct option options[] = {
		{"month", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'm': month = optarg; break;
		case 'j': as_json = 1; break;
		default: return cli_usage(usage_all);
		}
	}
	if (optind != argc)
		return cli_usage(usage_all);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	struct report_due due;
	int orc = ops_report_due(cli->store, &cli->actor, month, (int64_t)time(NULL), &due, &error);
	if (orc != OPS_OK)
		return cli_ops_exit("report", orc, error);
	if (as_json) {
		cli_print_json(json_pack("{s:s, s:s, s:b, s:o, s:o}", "month", due.month, "due", due.due,
		                         "overdue", due.overdue, "missing", strlist_json(&due.missing),
		                         "submitted", strlist_json(&due.submitted)));
	} else {
		printf("monthly reports for %s, due %s%s: ", due.month, due.due,
		       due.overdue ? " (overdue)" : "");
		if (due.missing.count == 0)
			printf("none missing\n");
		for (size_t i = 0; i < due.missing.count; i++)
			printf("%s%s", i ? ", " : "missing ", due.missing.items[i]);
		if (due.missing.count)
			putchar('\n');
	}
	report_due_free(&due);
	return EXIT_OK;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(usage_all);
	if (strcmp(argv[1], "monthly") == 0)
		return report_monthly(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "quarterly") == 0)
		return report_quarterly(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "due") == 0)
		return report_due(cli, argc - 1, argv + 1);
	return cli_usage(usage_all);
}
