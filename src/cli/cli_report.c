/* cli_report.c — liaison report monthly|quarterly|due: the reports (report.c computes,
 * report_render.c and report_html.c write).  Every report printed is audited. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops_report.h"
#include "report_pdf.h"
#include "report_render.h"
#include "util.h"

static const char usage_all[] =
    "report monthly --month YYYY-MM [--officer NAME | --troop K] [--live]\n"
    "               [--format text|csv|json|html|pdf | --json] [--out FILE]\n"
    "               [--paper letter|a4]\n"
    "       report monthly --month YYYY-MM --submit [--officer NAME]\n"
    "       report quarterly --quarter YYYYQn [--format text|csv|json|html|pdf | --json]\n"
    "               [--out FILE] [--paper letter|a4]\n"
    "       report due [--month YYYY-MM] [--json]";

enum format { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_HTML, FMT_PDF };

static int parse_format(const char *s, enum format *f_r)
{
	static const char *const names[] = {"text", "csv", "json", "html", "pdf"};
	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*f_r = (enum format)i;
			return 0;
		}
	return -1;
}

static const char *format_name(enum format f)
{
	return f == FMT_CSV ? "csv" : f == FMT_JSON ? "json" : f == FMT_HTML ? "html"
	     : f == FMT_PDF ? "pdf" : "text";
}

/* Where and how a report is written: --out (a PDF needs one: it is no terminal's) and
 * --paper. */
struct output {
	enum format format;
	const char *path;
	enum report_paper paper;
	FILE *file;
};

static int output_option(struct output *o, int opt, const char *arg)
{
	if (opt == 'O') {
		o->path = arg;
		return 0;
	}
	return report_paper_parse(arg, &o->paper);
}

/* The stream to write to; NULL with a message when --out cannot be created. */
static FILE *output_open(struct output *o)
{
	if (o->path == NULL)
		return o->file = stdout;
	o->file = fopen(o->path, o->format == FMT_PDF ? "wb" : "w");
	if (o->file == NULL)
		fprintf(stderr, "liaison: report: %s: %s\n", o->path, strerror(errno));
	return o->file;
}

/* Closes --out; exit code: a failed write (disk full) is a failure. */
static int output_close(struct output *o, int rc)
{
	if (o->file != NULL && o->file != stdout && fclose(o->file) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "liaison: report: %s: %s\n", o->path, strerror(errno));
		rc = EXIT_FAIL;
	}
	o->file = NULL;
	return rc;
}

static void json_out(FILE *out, json_t *value)
{
	json_dumpf(value, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(value);
}

static struct report_meta meta_of(const struct cli *cli)
{
	struct report_meta meta = {cli->config, (int64_t)time(NULL)};
	return meta;
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
	struct output o = {FMT_TEXT, NULL, REPORT_PAPER_LETTER, NULL};
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
		{"out", required_argument, NULL, 'O'},
		{"paper", required_argument, NULL, 'P'},
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
		case 'O':
		case 'P':
			if (output_option(&o, opt, optarg) < 0)
				return cli_usage(usage_all);
			break;
		default: return cli_usage(usage_all);
		}
	}
	if (optind != argc || month == NULL || (officer && troop_arg) ||
	    (troop_arg && (strlen(troop_arg) != 1 || !isalpha((unsigned char)troop_arg[0]))) ||
	    (submit && (troop_arg || live || format_given || o.path)) ||
	    (format == FMT_PDF && o.path == NULL))
		return cli_usage(usage_all);
	o.format = format;
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
	rc = EXIT_OK;
	if (orc == OPS_OK && output_open(&o) == NULL)
		rc = EXIT_FAIL;
	else if (orc == OPS_OK) {
		struct report_meta meta = meta_of(cli);
		switch (format) {
		case FMT_TEXT: report_monthly_text(o.file, r, &meta); break;
		case FMT_CSV: report_monthly_csv(o.file, r, &meta); break;
		case FMT_JSON: json_out(o.file, report_monthly_json(r)); break;
		case FMT_HTML: report_monthly_html(o.file, r, &meta); break;
		case FMT_PDF:
			if (report_monthly_pdf(o.file, r, &meta, o.paper, &error) < 0)
				orc = OPS_FAILED;
			break;
		}
	}
	report_monthly_free(&r);
	rc = output_close(&o, rc);
	if (rc != EXIT_OK) {
		free(error);
		return rc;
	}
	return cli_ops_exit("report", orc, error);
}

static int report_quarterly(struct cli *cli, int argc, char **argv)
{
	const char *quarter = NULL;
	struct output o = {FMT_TEXT, NULL, REPORT_PAPER_LETTER, NULL};
	enum format format = FMT_TEXT;
	static const struct option options[] = {
		{"quarter", required_argument, NULL, 'q'},
		{"format", required_argument, NULL, 'f'},
		{"json", no_argument, NULL, 'j'},
		{"out", required_argument, NULL, 'O'},
		{"paper", required_argument, NULL, 'P'},
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
		case 'O':
		case 'P':
			if (output_option(&o, opt, optarg) < 0)
				return cli_usage(usage_all);
			break;
		default: return cli_usage(usage_all);
		}
	}
	if (optind != argc || quarter == NULL || (format == FMT_PDF && o.path == NULL))
		return cli_usage(usage_all);
	o.format = format;
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	struct report_quarterly *r = NULL;
	int orc = ops_report_quarterly(cli->store, &cli->actor, quarter, format_name(format), &r,
	                               &error);
	rc = EXIT_OK;
	if (orc == OPS_OK && output_open(&o) == NULL)
		rc = EXIT_FAIL;
	else if (orc == OPS_OK) {
		struct report_meta meta = meta_of(cli);
		switch (format) {
		case FMT_TEXT: report_quarterly_text(o.file, r, &meta); break;
		case FMT_CSV: report_quarterly_csv(o.file, r); break;
		case FMT_JSON: json_out(o.file, report_quarterly_json(r)); break;
		case FMT_HTML: report_quarterly_html(o.file, r, &meta); break;
		case FMT_PDF:
			if (report_quarterly_pdf(o.file, r, &meta, o.paper, &error) < 0)
				orc = OPS_FAILED;
			break;
		}
	}
	report_quarterly_free(&r);
	rc = output_close(&o, rc);
	if (rc != EXIT_OK) {
		free(error);
		return rc;
	}
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
