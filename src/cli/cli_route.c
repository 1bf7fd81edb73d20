/* cli_route.c — liaison route: the routing model's commands.
 *
 *   route eval [--rules FILE] [--targets] [--json] FILE.jsonl...
 *       how the rules (and their model) route labelled messages: per category recall and
 *       precision, look-alikes marked urgent or sensitive, and every miss
 *   route train --out FILE [--from-store] [--category NAME]... [--recall R] [FILE.jsonl...]
 *       a model from labelled messages (and the agency's corrections)
 *   route explain REF | --file MESSAGE.eml [--rules FILE]
 *       the rules and the model's strongest features behind each category
 *
 * Labelled messages are JSON Lines: {"id", "subject", "body", "categories": [...],
 * "lookalike": true|false} (tests/routing/README.md). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mime.h"
#include "ops_list.h"
#include "ops_route.h"
#include "route.h"
#include "route_model.h"
#include "route_train.h"

static const char usage[] =
    "route eval [--rules FILE] [--targets] [--json] FILE.jsonl...\n"
    "       route train --out FILE [--from-store] [--category NAME]... [--recall R] [FILE.jsonl...]\n"
    "       route explain REF | --file MESSAGE.eml [--rules FILE]";

/* A labelled file is written by people: a few MB at most. */
#define LABELLED_MAX_FILE (64u << 20)

/* The categories of a disclosure: a look-alike given one was "marked sensitive". */
static const char *const disclosures[] = {"hate-crime", "domestic-violence", "sexual-assault",
                                          "child-abuse"};
/* The targets of issue 14, for --targets: recall per category, and at most these shares of
 * look-alikes marked urgent and sensitive. */
static const struct {
	const char *category;
	double recall;
} recall_targets[] = {{"emergency", 0.95}, {"hate-crime", 0.90}, {"domestic-violence", 0.90},
                      {"sexual-assault", 0.90}, {"child-abuse", 0.90}};
#define LOOKALIKE_URGENT_MAX 0.05
#define LOOKALIKE_SENSITIVE_MAX 0.10

struct labelled {
	char *id, *subject, *text, *source;
	struct strlist categories;
	int lookalike;
};

struct labelled_set {
	struct labelled *items;
	size_t count, cap;
};

static struct labelled *labelled_new(struct labelled_set *set)
{
	if (set->count == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 512;
		set->items = xrealloc(set->items, set->cap * sizeof(*set->items));
	}
	struct labelled *l = &set->items[set->count++];
	memset(l, 0, sizeof(*l));
	return l;
}

static void labelled_set_free(struct labelled_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		struct labelled *l = &set->items[i];
		free(l->id);
		free(l->subject);
		free(l->text);
		free(l->source);
		strlist_free(&l->categories);
	}
	free(set->items);
	memset(set, 0, sizeof(*set));
}

/* A category as a rules file names one (route_is_name), short enough for the training
 * report's name. */
static int is_category_name(const char *s)
{
	return route_is_name(s) && strlen(s) < sizeof(((struct route_train_category *)0)->name);
}

/* One line of a labelled file; 0, or -1 after saying what is wrong with FILE:LINE. */
static int read_labelled_line(const char *path, unsigned line, const char *text,
                              int for_training, struct labelled_set *set)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	const char *why = NULL;
	json_t *cats = o ? json_object_get(o, "categories") : NULL;
	json_t *body = o ? json_object_get(o, "body") : NULL;
	if (body == NULL && o != NULL)
		body = json_object_get(o, "text");
	if (o == NULL)
		why = jerr.text;
	else if (!json_is_object(o))
		why = "not a JSON object";
	else if (!json_is_string(body))
		why = "no \"body\" string";
	else if (!json_is_array(cats))
		why = "no \"categories\" list";
	if (why != NULL) {
		cli_error("route", "%s:%u: %s", path, line, why);
		json_decref(o);
		return -1;
	}
	struct labelled *l = labelled_new(set);
	const char *id = json_string_value(json_object_get(o, "id"));
	l->source = xasprintf("%s:%u", path, line);
	l->id = xstrdup(id ? id : l->source);
	const char *subject = json_string_value(json_object_get(o, "subject"));
	l->subject = xstrdup(subject ? subject : "");
	l->text = xstrdup(json_string_value(body));
	l->lookalike = json_is_true(json_object_get(o, "lookalike"));
	if (l->lookalike && for_training)
		strlist_add(&l->categories, ROUTE_MODEL_LOOKALIKE);
	size_t i;
	json_t *c;
	int bad = 0;
	json_array_foreach(cats, i, c) {
		if (!json_is_string(c) || !is_category_name(json_string_value(c))) {
			bad = 1;
			continue;
		}
		strlist_add_unique(&l->categories, json_string_value(c));
	}
	json_decref(o);
	if (bad) {
		/* a category the model file could not hold: said, not trained on */
		cli_error("route", "%s:%u: a category is a name of letters, digits, '-', '_' and '.'",
		          path, line);
		return -1;
	}
	return 0;
}

/* for_training: a look-alike is labelled ROUTE_MODEL_LOOKALIKE, for the model to learn. */
static int read_labelled(const char *path, int for_training, struct labelled_set *set)
{
	char *data = NULL, *error = NULL;
	size_t len = 0;
	if (file_read_all(path, LABELLED_MAX_FILE, &data, &len, &error) < 0) {
		cli_error("route", "%s", error);
		free(error);
		return -1;
	}
	int rc = 0;
	unsigned line = 0;
	for (char *p = data, *next; p != NULL && p < data + len && rc == 0; p = next) {
		next = strchr(p, '\n');
		if (next != NULL)
			*next++ = '\0';
		line++;
		if (p[strspn(p, " \t\r")] != '\0')
			rc = read_labelled_line(path, line, p, for_training, set);
	}
	free(data);
	return rc;
}

static int load_rules(struct cli *cli, const char *path, struct route_rules **rules_r)
{
	if (path == NULL) {
		int rc = cli_load_config(cli);
		if (rc != EXIT_OK)
			return rc;
		path = cli->config->routes;
	}
	char *error = NULL;
	if (route_rules_load(path, rules_r, &error) < 0) {
		fputs(error, stderr);
		free(error);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---- eval -------------------------------------------------------------------------------- */

struct tally {
	char name[64];
	size_t support, found, predicted;
};

static struct tally *tally_of(struct tally *t, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	if (*n == 64)
		return NULL;
	memset(&t[*n], 0, sizeof(t[*n]));
	snprintf(t[*n].name, sizeof(t[*n].name), "%s", name);
	return &t[(*n)++];
}

static int is_disclosure(const char *category)
{
	for (size_t i = 0; i < sizeof(disclosures) / sizeof(*disclosures); i++)
		if (strcmp(category, disclosures[i]) == 0)
			return 1;
	return 0;
}

static double ratio(size_t a, size_t b)
{
	return b ? (double)a / (double)b : NAN;
}

static int route_eval(struct cli *cli, const char *rules_path, int targets, int json,
                      char **files, int n_files)
{
	struct labelled_set set = {0};
	for (int i = 0; i < n_files; i++)
		if (read_labelled(files[i], 0, &set) < 0) {
			labelled_set_free(&set);
			return EXIT_USAGE;
		}
	struct route_rules *rules = NULL;
	int rc = load_rules(cli, rules_path, &rules);
	if (rc != EXIT_OK) {
		labelled_set_free(&set);
		return rc;
	}
	struct tally t[64] = {0};
	size_t nt = 0;
	/* the categories in a fixed order: the targets' first, then as met */
	for (size_t i = 0; i < sizeof(recall_targets) / sizeof(*recall_targets); i++)
		tally_of(t, &nt, recall_targets[i].category);
	size_t lookalikes = 0, lookalike_urgent = 0, lookalike_sensitive = 0;
	struct buf misses, alarms;
	buf_init(&misses, SIZE_MAX);
	buf_init(&alarms, SIZE_MAX);
	json_t *jmisses = json_array(), *jalarms = json_array();
	for (size_t i = 0; i < set.count; i++) {
		const struct labelled *l = &set.items[i];
		struct route_result r;
		route_match(rules, l->subject, l->text, &r);
		struct strlist missed = {0}, extra = {0};
		for (size_t c = 0; c < l->categories.count; c++) {
			struct tally *x = tally_of(t, &nt, l->categories.items[c]);
			if (x == NULL)
				continue;
			x->support++;
			if (strlist_contains(&r.categories, l->categories.items[c]))
				x->found++;
			else
				strlist_add(&missed, l->categories.items[c]);
		}
		int urgent = 0, sensitive = 0;
		for (size_t c = 0; c < r.categories.count; c++) {
			struct tally *x = tally_of(t, &nt, r.categories.items[c]);
			if (x != NULL)
				x->predicted++;
			urgent |= strcmp(r.categories.items[c], "emergency") == 0;
			sensitive |= is_disclosure(r.categories.items[c]);
			if (!strlist_contains(&l->categories, r.categories.items[c]))
				strlist_add(&extra, r.categories.items[c]);
		}
		if (l->lookalike) {
			lookalikes++;
			lookalike_urgent += urgent;
			lookalike_sensitive += sensitive;
			if (urgent || sensitive) {
				char *what = strlist_join(&extra, ",");
				char *why = strlist_join(&r.rules, ",");
				buf_addf(&alarms, "  %-12s %s (by %s)\n", l->id, what, why);
				json_array_append_new(jalarms, json_pack("{s:s, s:s, s:s}", "id", l->id,
				                                         "categories", what, "rules", why));
				free(what);
				free(why);
			}
		}
		if (missed.count > 0) {
			char *what = strlist_join(&missed, ",");
			buf_addf(&misses, "  %-12s %-40s %.60s\n", l->id, what,
			         l->subject[0] ? l->subject : "(no subject)");
			json_array_append_new(jmisses, json_pack("{s:s, s:s}", "id", l->id, "missed", what));
			free(what);
		}
		strlist_free(&missed);
		strlist_free(&extra);
		route_result_clear(&r);
	}
	int met = 1;
	for (size_t i = 0; i < sizeof(recall_targets) / sizeof(*recall_targets); i++) {
		const struct tally *x = &t[i];
		met &= x->support > 0 && ratio(x->found, x->support) >= recall_targets[i].recall;
	}
	met &= lookalikes == 0 || (ratio(lookalike_urgent, lookalikes) <= LOOKALIKE_URGENT_MAX &&
	                           ratio(lookalike_sensitive, lookalikes) <= LOOKALIKE_SENSITIVE_MAX);
	const struct route_model *model = route_rules_model(rules);
	if (json) {
		json_t *cats = json_object();
		for (size_t i = 0; i < nt; i++)
			json_object_set_new(cats, t[i].name, json_pack("{s:I, s:I, s:I}",
			    "support", (json_int_t)t[i].support, "found", (json_int_t)t[i].found,
			    "predicted", (json_int_t)t[i].predicted));
		cli_print_json(json_pack("{s:I, s:o, s:I, s:I, s:I, s:o, s:o, s:b}",
		    "messages", (json_int_t)set.count, "categories", cats,
		    "lookalikes", (json_int_t)lookalikes, "lookalikes_urgent", (json_int_t)lookalike_urgent,
		    "lookalikes_sensitive", (json_int_t)lookalike_sensitive, "misses", jmisses,
		    "false_alarms", jalarms, "targets_met", met));
	} else {
		json_decref(jmisses);
		json_decref(jalarms);
		printf("%zu labelled messages; rules %zu%s\n", set.count, route_rules_count(rules),
		       model ? ", and the routing model" : ", no model");
		printf("%-22s %8s %6s %7s %10s %10s\n", "CATEGORY", "SUPPORT", "FOUND", "RECALL",
		       "PREDICTED", "PRECISION");
		for (size_t i = 0; i < nt; i++) {
			if (t[i].support == 0 && t[i].predicted == 0)
				continue;
			printf("%-22s %8zu %6zu %7.3f %10zu %10.3f\n", t[i].name, t[i].support, t[i].found,
			       ratio(t[i].found, t[i].support), t[i].predicted,
			       ratio(t[i].found, t[i].predicted));
		}
		printf("look-alikes: %zu; marked urgent %zu (%.1f %%), marked sensitive %zu (%.1f %%)\n",
		       lookalikes, lookalike_urgent, 100 * ratio(lookalike_urgent, lookalikes),
		       lookalike_sensitive, 100 * ratio(lookalike_sensitive, lookalikes));
		printf("misses (a category the message has and routing did not find):\n%s",
		       misses.len ? misses.data : "  none\n");
		printf("look-alikes marked urgent or sensitive:\n%s", alarms.len ? alarms.data : "  none\n");
		if (targets)
			printf("targets (recall >= 0.95 emergency, >= 0.90 hate-crime, domestic-violence, "
			       "sexual-assault, child-abuse; look-alikes urgent <= 5 %%, sensitive <= 10 %%): "
			       "%s\n", met ? "met" : "MISSED");
	}
	buf_free(&misses);
	buf_free(&alarms);
	route_rules_free(&rules);
	labelled_set_free(&set);
	return targets && !met ? EXIT_FAIL : EXIT_OK;
}

/* ---- train ------------------------------------------------------------------------------- */

static int add_correction(const struct route_correction *c, void *p)
{
	struct labelled_set *set = p;
	struct labelled *l = labelled_new(set);
	l->id = xstrdup(c->thread_ref);
	l->source = xasprintf("the store, %s", c->thread_ref);
	l->subject = xstrdup(c->subject ? c->subject : "");
	l->text = xstrdup(c->text ? c->text : "");
	for (size_t i = 0; i < c->categories->count; i++)
		strlist_add(&l->categories, c->categories->items[i]);
	return 0;
}

/* Writes text to path through a new temporary file beside it (a reader never sees half a
 * model), mode 0600: a model trained on the store holds words of confidential mail. */
static int write_model(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	int ok = fd >= 0 && fd_write_all(fd, text, strlen(text)) == 0;
	if (fd >= 0)
		ok &= close(fd) == 0;
	if (ok)
		ok = rename(tmp, path) == 0;
	if (!ok) {
		cli_error("route", "cannot write %s: %m", path);
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

static int route_train_cmd(struct cli *cli, const char *out, int from_store,
                           const struct strlist *categories, double recall, char **files,
                           int n_files)
{
	struct labelled_set set = {0};
	int rc = EXIT_OK;
	for (int i = 0; i < n_files && rc == EXIT_OK; i++)
		if (read_labelled(files[i], 1, &set) < 0)
			rc = EXIT_USAGE;
	size_t from_files = set.count, corrected = 0;
	if (rc == EXIT_OK && from_store) {
		rc = cli_open_as(cli);
		char *error = NULL;
		int orc = rc == EXIT_OK ? ops_route_corrections(cli->store, &cli->actor, add_correction,
		                                                &set, &corrected, &error)
		                        : OPS_OK;
		if (orc != OPS_OK)
			rc = cli_ops_exit("route", orc, error);
	}
	if (rc != EXIT_OK) {
		labelled_set_free(&set);
		return rc;
	}
	struct route_example *ex = xcalloc(set.count + 1, sizeof(*ex));
	for (size_t i = 0; i < set.count; i++)
		ex[i] = (struct route_example){set.items[i].subject, set.items[i].text,
		                               &set.items[i].categories, set.items[i].source};
	struct route_train_options o;
	route_train_defaults(&o);
	if (categories->count > 0)
		o.categories = categories;
	if (recall > 0)
		o.target_recall = recall;
	struct route_train_report report;
	char *error = NULL;
	char *model = route_train(ex, set.count, &o, &report, &error);
	free(ex);
	labelled_set_free(&set);
	if (model == NULL) {
		cli_error("route", "%s", error);
		free(error);
		return EXIT_USAGE;
	}
	rc = write_model(out, model) < 0 ? EXIT_FAIL : EXIT_OK;
	free(model);
	if (rc != EXIT_OK)
		return rc;
	printf("%s: %zu examples (%zu from files, %zu corrected threads from the store), "
	       "%zu features\n", out, report.examples, from_files, corrected, report.features);
	printf("%-22s %9s %9s %9s %12s\n", "CATEGORY", "POSITIVES", "THRESHOLD", "CV-RECALL",
	       "CV-PRECISION");
	for (size_t c = 0; c < report.n_categories; c++) {
		const struct route_train_category *x = &report.categories[c];
		printf("%-22s %9zu %9.3f %9.3f %12.3f\n", x->name, x->positives, x->threshold,
		       x->cv_recall, x->cv_precision);
	}
	return EXIT_OK;
}

/* ---- explain ----------------------------------------------------------------------------- */

/* The strongest features shown per category. */
#define EXPLAIN_FEATURES 6

static void explain_message(const struct route_rules *rules, const char *label,
                            const char *subject, const char *text)
{
	struct route_result r;
	route_match(rules, subject, text, &r);
	char *names = strlist_join(&r.rules, ", ");
	char *cats = strlist_join(&r.categories, ", ");
	printf("%s\n  subject:    %s\n  categories: %s\n  priority:   %s%s%s\n  by:         %s\n",
	       label, subject && *subject ? subject : "(none)", *cats ? cats : "none",
	       route_priority_name(r.priority), r.confidential ? ", confidential" : "",
	       r.reportable ? ", reportable" : "", *names ? names : "no rule");
	for (size_t i = 0; i < r.vetoed.count; i++)
		printf("  held back:  %s\n", r.vetoed.items[i]);
	free(names);
	free(cats);
	route_result_clear(&r);
	const struct route_model *model = route_rules_model(rules);
	if (model == NULL) {
		printf("  (no routing model: the rules file has no [model] section)\n");
		return;
	}
	struct route_features f;
	route_features_make(subject, text, &f);
	double p[ROUTE_MODEL_MAX_CATEGORIES];
	route_model_score(model, &f, p);
	printf("  the model (probability, the threshold it is set at, the words that weigh most):\n");
	for (size_t c = 0; c < route_model_category_count(model); c++) {
		double threshold = route_model_threshold(model, c);
		printf("    %-20s %.3f %s %.3f", route_model_category(model, c), p[c],
		       p[c] >= threshold ? ">=" : "< ", threshold);
		struct strlist top = {0};
		double w[EXPLAIN_FEATURES];
		size_t n = route_model_explain(model, &f, c, EXPLAIN_FEATURES, &top, w);
		/* a word or two by their stems as written in the model; letter groups said so */
		for (size_t i = 0; i < n; i++)
			printf("%s%s\"%s\" %+.2f", i ? ", " : "  ",
			       top.items[i][0] == 'c' ? "letters " : "", top.items[i] + 2, w[i]);
		printf("\n");
		strlist_free(&top);
	}
	route_features_free(&f);
}

struct explain_ctx {
	const struct route_rules *rules;
	int content;
	size_t explained;
};

static int explain_thread(const struct ops_thread_item *item, void *p)
{
	struct explain_ctx *c = p;
	c->content = item->content;
	return 0;
}

static int explain_stored(const struct message_row *row, void *p)
{
	struct explain_ctx *c = p;
	if (strcmp(row->direction, "in") != 0 || strcmp(row->kind, "person") != 0)
		return 0;
	char *label = xasprintf("message %lld from %s", (long long)row->id, row->from_addr);
	explain_message(c->rules, label, row->subject, row->text);
	free(label);
	c->explained++;
	return 0;
}

static int route_explain(struct cli *cli, const char *rules_path, const char *file,
                         const char *ref)
{
	if (file != NULL) {
		char *raw = NULL, *error = NULL;
		size_t len = 0;
		if (file_read_all(file, 256u << 20, &raw, &len, &error) < 0) {
			cli_error("route", "%s", error);
			free(error);
			return EXIT_USAGE;
		}
		struct route_rules *rules = NULL;
		int rc = load_rules(cli, rules_path, &rules);
		if (rc == EXIT_OK) {
			struct mime_limits limits;
			mime_limits_default(&limits);
			struct parsed_message *msg = NULL;
			mime_parse(raw, len, &limits, &msg);
			explain_message(rules, file, msg->subject, msg->text);
			parsed_message_free(&msg);
		}
		free(raw);
		route_rules_free(&rules);
		return rc;
	}
	int rc = cli_open_as(cli);
	struct route_rules *rules = NULL;
	if (rc == EXIT_OK)
		rc = load_rules(cli, rules_path, &rules);
	if (rc != EXIT_OK)
		return rc;
	struct explain_ctx c = {rules, 0, 0};
	char *error = NULL;
	int orc = ops_show(cli->store, &cli->actor, ref, explain_thread, explain_stored, &c, &error);
	route_rules_free(&rules);
	if (orc != OPS_OK)
		return cli_ops_exit("route", orc, error);
	if (!c.content) {
		cli_error("route", "refused: %s is confidential", ref);
		return EXIT_FAIL;
	}
	if (c.explained == 0)
		printf("%s has no message from a person: routing never read it\n", ref);
	return EXIT_OK;
}

int cmd_route(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(usage);
	const char *what = argv[1];
	const char *rules_path = NULL, *out = NULL, *file = NULL;
	int targets = 0, json = 0, from_store = 0;
	double recall = 0;
	struct strlist categories = {0};
	static const struct option options[] = {
		{"rules", required_argument, NULL, 'r'},
		{"targets", no_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"out", required_argument, NULL, 'o'},
		{"from-store", no_argument, NULL, 's'},
		{"category", required_argument, NULL, 'c'},
		{"recall", required_argument, NULL, 'R'},
		{"file", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'r': rules_path = optarg; break;
		case 't': targets = 1; break;
		case 'j': json = 1; break;
		case 'o': out = optarg; break;
		case 's': from_store = 1; break;
		case 'c': strlist_add_unique(&categories, optarg); break;
		case 'R': {
			char *end;
			recall = strtod(optarg, &end);
			if (*end != '\0' || !(recall > 0 && recall < 1)) {
				cli_error("route", "--recall: a share between 0 and 1, like 0.95");
				strlist_free(&categories);
				return EXIT_USAGE;
			}
			break;
		}
		case 'f': file = optarg; break;
		default: strlist_free(&categories); return cli_usage(usage);
		}
	}
	char **rest = argv + optind;
	int n_rest = argc - optind;
	if (categories.count > ROUTE_MODEL_MAX_CATEGORIES) {
		cli_error("route", "--category: at most %d categories in a model",
		          ROUTE_MODEL_MAX_CATEGORIES);
		strlist_free(&categories);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < categories.count; i++)
		if (!is_category_name(categories.items[i])) {
			cli_error("route", "--category '%s': use letters, digits, '-', '_' and '.'",
			          categories.items[i]);
			strlist_free(&categories);
			return EXIT_USAGE;
		}
	int rc;
	if (strcmp(what, "eval") == 0 && n_rest > 0 && !out && !from_store && !file)
		rc = route_eval(cli, rules_path, targets, json, rest, n_rest);
	else if (strcmp(what, "train") == 0 && out != NULL && (n_rest > 0 || from_store) && !file)
		rc = route_train_cmd(cli, out, from_store, &categories, recall, rest, n_rest);
	else if (strcmp(what, "explain") == 0 && (file != NULL) != (n_rest == 1) && n_rest <= 1 &&
	         !out && !from_store) {
		if (n_rest == 1)
			ops_ref_canonical(rest[0]);
		rc = route_explain(cli, rules_path, file, n_rest == 1 ? rest[0] : NULL);
	} else
		rc = cli_usage(usage);
	strlist_free(&categories);
	return rc;
}
