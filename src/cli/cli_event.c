/* cli_event.c — liaison event request|approve|deny|done|unable and liaison events: the
 * engagement events (ops_event.c holds their rules). */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "ops_event.h"
#include "util.h"

static const char usage_all[] =
    "event request REF|--thread - --date ISO --place TEXT --kind TEXT [--troop K]\n"
    "               [--private --duration TEXT --contact TEXT] [--media --media-consent yes|no]\n"
    "       event approve ID | event deny ID --reason TEXT\n"
    "       event done ID [--primary USER] [--attended-by USER]... [--notes TEXT]\n"
    "               [--visited school|business|faith|community-group] [--media-consent yes|no]\n"
    "       event unable ID --narrative TEXT";

static int event_request(struct cli *cli, int argc, char **argv)
{
	struct event_request req = {0};
	const char *thread = NULL, *troop = NULL;
	static const struct option options[] = {
		{"thread", required_argument, NULL, 'T'},
		{"date", required_argument, NULL, 'd'},
		{"place", required_argument, NULL, 'p'},
		{"kind", required_argument, NULL, 'k'},
		{"troop", required_argument, NULL, 't'},
		{"private", no_argument, NULL, 'P'},
		{"duration", required_argument, NULL, 'D'},
		{"contact", required_argument, NULL, 'c'},
		{"media", no_argument, NULL, 'm'},
		{"media-consent", required_argument, NULL, 'M'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'T': thread = optarg; break;
		case 'd': req.date = optarg; break;
		case 'p': req.place = optarg; break;
		case 'k': req.kind = optarg; break;
		case 't': troop = optarg; break;
		case 'P': req.private_meeting = 1; break;
		case 'D': req.duration = optarg; break;
		case 'c': req.contact = optarg; break;
		case 'm': req.media = 1; break;
		case 'M': req.media_consent = optarg; break;
		default: return cli_usage(usage_all);
		}
	}
	/* The thread is the one argument, or --thread REF, or --thread - for none. */
	if (optind == argc - 1 && thread == NULL)
		thread = argv[optind];
	else if (optind != argc || thread == NULL)
		return cli_usage(usage_all);
	if (troop && (strlen(troop) != 1 || !isalpha((unsigned char)troop[0])))
		return cli_usage(usage_all);
	req.ref = strcmp(thread, "-") == 0 ? NULL : thread;
	req.troop = troop ? (char)toupper((unsigned char)troop[0]) : '\0';
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int64_t id = 0;
	int orc = ops_event_request(cli->store, &cli->actor, &req, &id, &error);
	if (orc == OPS_OK)
		printf("event %lld requested (the coordinator approves or denies it)\n", (long long)id);
	return cli_ops_exit("event", orc, error);
}

static int event_decide(struct cli *cli, int argc, char **argv, int approve)
{
	const char *reason = NULL;
	static const struct option options[] = {
		{"reason", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	int64_t id;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'r' || approve)
			return cli_usage(usage_all);
		reason = optarg;
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) < 0 || (!approve && !reason))
		return cli_usage(usage_all);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int orc = ops_event_decide(cli->store, &cli->actor, id, approve, reason, &error);
	if (orc == OPS_OK)
		printf("event %lld %s\n", (long long)id, approve ? "approved" : "denied");
	return cli_ops_exit("event", orc, error);
}

static int event_done(struct cli *cli, int argc, char **argv)
{
	struct event_outcome o = {0};
	struct buf attended;
	buf_init(&attended, 4096);
	static const struct option options[] = {
		{"primary", required_argument, NULL, 'p'},
		{"attended-by", required_argument, NULL, 'a'},
		{"notes", required_argument, NULL, 'n'},
		{"visited", required_argument, NULL, 'v'},
		{"media-consent", required_argument, NULL, 'M'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	int64_t id;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'p': o.primary = optarg; break;
		case 'a':
			/* Repeated, or one comma-separated list. */
			if ((attended.len && buf_addstr(&attended, ",") < 0) ||
			    buf_addstr(&attended, optarg) < 0) {
				buf_free(&attended);
				return cli_usage(usage_all);
			}
			break;
		case 'n': o.notes = optarg; break;
		case 'v': o.visited = optarg; break;
		case 'M': o.media_consent = optarg; break;
		default: buf_free(&attended); return cli_usage(usage_all);
		}
	}
	/* Further bare names after the ID are more --attended-by users. */
	if (optind >= argc || cli_parse_id(argv[optind], &id) < 0) {
		buf_free(&attended);
		return cli_usage(usage_all);
	}
	for (int i = optind + 1; i < argc; i++)
		if ((attended.len && buf_addstr(&attended, ",") < 0) || buf_addstr(&attended, argv[i]) < 0) {
			buf_free(&attended);
			return cli_usage(usage_all);
		}
	o.attended_by = attended.len ? attended.data : NULL;
	int rc = cli_open_as(cli);
	if (rc == EXIT_OK) {
		char *error = NULL;
		int orc = ops_event_done(cli->store, &cli->actor, id, &o, &error);
		if (orc == OPS_OK)
			printf("event %lld done, primary unit %s%s%s\n", (long long)id,
			       o.primary ? o.primary : cli->actor.user->name,
			       o.attended_by ? ", attended by " : "", o.attended_by ? o.attended_by : "");
		rc = cli_ops_exit("event", orc, error);
	}
	buf_free(&attended);
	return rc;
}

static int event_unable(struct cli *cli, int argc, char **argv)
{
	const char *narrative = NULL;
	static const struct option options[] = {
		{"narrative", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	int64_t id;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'n')
			return cli_usage(usage_all);
		narrative = optarg;
	}
	if (optind != argc - 1 || cli_parse_id(argv[optind], &id) < 0 || narrative == NULL)
		return cli_usage(usage_all);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int orc = ops_event_unable(cli->store, &cli->actor, id, narrative, &error);
	if (orc == OPS_OK)
		printf("event %lld marked unable to fulfil\n", (long long)id);
	return cli_ops_exit("event", orc, error);
}

int cmd_event(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(usage_all);
	const char *verb = argv[1];
	argc--;
	argv++;
	if (strcmp(verb, "request") == 0)
		return event_request(cli, argc, argv);
	if (strcmp(verb, "approve") == 0)
		return event_decide(cli, argc, argv, 1);
	if (strcmp(verb, "deny") == 0)
		return event_decide(cli, argc, argv, 0);
	if (strcmp(verb, "done") == 0)
		return event_done(cli, argc, argv);
	if (strcmp(verb, "unable") == 0)
		return event_unable(cli, argc, argv);
	return cli_usage(usage_all);
}

/* --- liaison events -------------------------------------------------------------------- */

struct events_ctx {
	const struct actor *actor;
	json_t *array;
	size_t count;
};

/* One event as ops hands it (masked already where its thread is confidential). */
static int list_event(const struct event_row *e, void *p)
{
	struct events_ctx *c = p;
	c->count++;
	char troop[2] = {e->troop, '\0'};
	const struct config *config = c->actor->config;
	if (c->array) {
		json_array_append_new(c->array, json_pack(
		    "{s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:o, s:o, s:b, s:o, s:o, s:o, "
		    "s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		    "id", (json_int_t)e->id, "call_type", EVENT_CALL_TYPE,
		    "subtype", cli_json_str(e->subtype), "status", e->status, "troop", troop,
		    "date", e->date, "place", e->place, "kind", e->kind,
		    "thread", cli_json_str(e->thread_ref), "private", e->private_meeting,
		    "duration", cli_json_str(e->duration), "contact", cli_json_str(e->contact),
		    "media", e->media, "media_consent", cli_json_str(e->media_consent),
		    "requested_by", cli_json_str(e->requested_by),
		    "decided_by", cli_json_str(e->decided_by),
		    "deny_reason", cli_json_str(e->deny_reason),
		    "primary_unit", cli_json_str(e->primary_unit),
		    "attended_by", cli_json_str(e->attended_by), "visited", cli_json_str(e->visited),
		    "notes", cli_json_str(e->notes), "narrative", cli_json_str(e->narrative),
		    "closed", cli_json_time(e->closed_at)));
		json_t *o = json_array_get(c->array, json_array_size(c->array) - 1);
		char *attended_names = ops_user_display_names(config, e->attended_by);
		json_object_set_new(o, "primary_unit_name", e->primary_unit
		                    ? json_string(ops_user_display_name(config, e->primary_unit))
		                    : json_null());
		json_object_set_new(o, "attended_by_names", cli_json_str(attended_names));
		free(attended_names);
		return 0;
	}
	printf("%-5lld %-16s %-9s %-5s %-24.24s %-22s %-10s %s\n", (long long)e->id, e->date,
	       e->status, troop, e->kind, e->subtype ? e->subtype : "-",
	       e->primary_unit ? e->primary_unit : "-", e->thread_ref ? e->thread_ref : "-");
	return 0;
}

int cmd_events(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "events [--month YYYY-MM] [--json|--csv]";
	const char *month = NULL;
	int json = 0, csv = 0;
	static const struct option options[] = {
		{"month", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{"csv", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'm': month = optarg; break;
		case 'j': json = 1; break;
		case 'c': csv = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc || (json && csv))
		return cli_usage(usage);
	if (month) {
		char day[11];
		struct cal_date d;
		snprintf(day, sizeof(day), "%.7s-01", month);
		if (strlen(month) != 7 || calendar_parse(day, &d) < 0)
			return cli_usage(usage);
	}
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	if (csv) {
		size_t rows = 0;
		int orc = ops_events_csv(cli->store, &cli->actor, month, stdout, &rows, &error);
		return orc == OPS_OK ? EXIT_OK : cli_ops_exit("events", orc, error);
	}
	struct events_ctx c = {&cli->actor, json ? json_array() : NULL, 0};
	if (!json)
		printf("%-5s %-16s %-9s %-5s %-24s %-22s %-10s %s\n", "ID", "DATE", "STATUS", "TROOP",
		       "KIND", "SUB-TYPE", "PRIMARY", "THREAD");
	int orc = ops_events_list(cli->store, &cli->actor, month, json ? "json" : "text",
	                          list_event, &c, &error);
	if (orc != OPS_OK) {
		json_decref(c.array);
		return cli_ops_exit("events", orc, error);
	}
	cli_list_end(c.array, c.count, "event");
	return EXIT_OK;
}
