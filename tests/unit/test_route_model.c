/* Unit tests: the routing model — features (route_features.c), the model file and scoring
 * (route_model.c), training (route_train.c), and the model in a rules file's [model]
 * section (route.c): its categories with the rules' flags, the look-alike veto, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "route.h"
#include "route_features.h"
#include "route_model.h"
#include "route_train.h"
#include "test_helpers.h"

static int has_feature(const struct route_features *f, const char *name)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(route_feature_name(f, i), name) == 0)
			return 1;
	return 0;
}

static void test_features(void **state)
{
	(void)state;
	struct route_features f;
	/* English: word families, pairs within a sentence, letter groups, case and accents */
	route_features_make("EVICTED", "They evicted us. He forced himself on me, twice twice.", &f);
	assert_true(has_feature(&f, "w evict"));
	assert_true(has_feature(&f, "b forc himself"));
	assert_true(has_feature(&f, "c _for"));
	assert_true(has_feature(&f, "c ced_"));
	/* no pair across a sentence's end */
	assert_false(has_feature(&f, "b us he"));
	/* each feature once */
	size_t twice = 0;
	for (size_t i = 0; i < f.count; i++)
		twice += strcmp(route_feature_name(&f, i), "w twice") == 0;
	assert_int_equal(twice, 1);
	size_t n = f.count;
	route_features_free(&f);
	/* the same text, the same features */
	route_features_make("EVICTED", "They evicted us. He forced himself on me, twice twice.", &f);
	assert_int_equal(f.count, n);
	route_features_free(&f);

	/* Spanish, stemmed as Spanish; accents and case folded; an apostrophe joins */
	route_features_make(NULL, "Mi esposo la GOLPEA todas las noches y no la deja salir de la "
	                          "casa, tengo miedo por ella y por sus niños, ayúdenme por favor", &f);
	assert_true(has_feature(&f, "w golpe"));
	assert_true(has_feature(&f, "c _ayu"));
	assert_true(has_feature(&f, "c nino"));
	route_features_free(&f);
	route_features_make(NULL, "I don't know", &f);
	assert_true(has_feature(&f, "w dont"));
	route_features_free(&f);

	/* nothing at all is no feature, not a crash */
	route_features_make(NULL, NULL, &f);
	assert_int_equal(f.count, 0);
	route_features_free(&f);
}

static void expect_parse_error(const char *text, const char *want)
{
	struct route_model *m = NULL;
	char *error = NULL;
	assert_int_equal(route_model_parse("m.model", text, strlen(text), &m, &error), -1);
	assert_null(m);
	assert_non_null(error);
	if (strstr(error, want) == NULL)
		fprintf(stderr, "want '%s' in '%s'\n", want, error);
	assert_non_null(strstr(error, want));
	free(error);
}

static void test_model_file(void **state)
{
	(void)state;
	static const char good[] =
	    "liaison-route-model 1\n"
	    "# a comment\n"
	    "categories fruit look-alike\n"
	    "bias -2 -3\n"
	    "scale 0 0\n"
	    "threshold 0.5 0.9\n"
	    "\n"
	    "w banana\t3 0\n"
	    "b ripe banana\t1.5 -1\n"
	    "w fake\t0 6\n";
	struct route_model *m = NULL;
	char *error = NULL;
	assert_int_equal(route_model_parse("m.model", good, strlen(good), &m, &error), 0);
	assert_int_equal(route_model_category_count(m), 2);
	assert_string_equal(route_model_category(m, 0), "fruit");
	assert_int_equal(route_model_feature_count(m), 3);
	struct route_features f;
	route_features_make(NULL, "a ripe banana", &f);
	double p[2];
	route_model_score(m, &f, p);
	/* -2 + 3 + 1.5 */
	assert_true(p[0] > 0.92 && p[0] < 0.93);
	assert_true(p[1] < 0.05);
	struct strlist names = {0};
	double w[4];
	assert_int_equal(route_model_explain(m, &f, 0, 4, &names, w), 2);
	assert_string_equal(names.items[0], "w banana");
	assert_string_equal(names.items[1], "b ripe banana");
	assert_true(w[0] == 3.0 && w[1] == 1.5);
	strlist_free(&names);
	route_features_free(&f);
	route_model_free(&m);

	expect_parse_error("categories a\n", "m.model:1: not a routing model");
	expect_parse_error("liaison-route-model 1\nbias 1\n", "m.model:2: the categories line must come first");
	expect_parse_error("liaison-route-model 1\ncategories a b\nbias 1\n", "m.model:3: expected 2 numbers, found 1");
	expect_parse_error("liaison-route-model 1\ncategories a\nbias 1\nthreshold 1.5\n", "m.model:4: a threshold is a probability");
	expect_parse_error("liaison-route-model 1\ncategories a\nbias 1\nthreshold 0.5\nw x 1\n", "m.model:5: expected FEATURE<TAB>WEIGHTS");
	expect_parse_error("liaison-route-model 1\ncategories a\nbias x\n", "m.model:3: expected 1 numbers, found 0");
	expect_parse_error("liaison-route-model 1\ncategories a\n", "a model needs its categories, bias, scale and threshold lines");
	expect_parse_error("liaison-route-model 1\ncategories a\nbias 0\nthreshold 0.5\n", "a model needs its categories, bias, scale and threshold lines");
	expect_parse_error("liaison-route-model 1\ncategories a\nbias 0\nscale 0 0\nthreshold 0.5\nw x\t1\nw x\t2\n", "m.model:7: feature 'w x' given twice");
	expect_parse_error("liaison-route-model 1\ncategories a a\n", "m.model:2: category a given twice");
	/* a weight no training writes, a scale that would make scores no number */
	expect_parse_error("liaison-route-model 1\ncategories a\nbias 0\nscale 0 0\nthreshold 0.5\nw x\t1e39\n", "m.model:6: a number out of range");
	expect_parse_error("liaison-route-model 1\ncategories a\nbias nan\n", "m.model:3: expected 1 numbers");
	expect_parse_error("liaison-route-model 1\ncategories a\nbias 0\nscale -1000 1\n", "m.model:4: scale: a power from 0 to 4");
	static const char nul[] = "liaison-route-model 1\ncategories a\nbias 0\0scale 0 0\n";
	struct route_model *m2 = NULL;
	assert_int_equal(route_model_parse("m.model", nul, sizeof(nul) - 1, &m2, &error), -1);
	assert_non_null(strstr(error, "m.model:3: NUL byte"));
	free(error);
}

/* A toy corpus: fruit when a message speaks of bananas or mangos (in many sentences), a
 * look-alike when it speaks of a banana costume.  Deterministic. */
#define TOY 60
struct toy {
	char text[160];
	struct strlist categories;
};

static void toy_make(struct toy *t, struct route_example *ex)
{
	static const char *const fruit[] = {"I ate a ripe banana today", "mango and banana smoothie",
	                                    "the mango was sweet", "bananas on sale", "a green mango"};
	static const char *const other[] = {"the bus was late again", "my car needs new tyres",
	                                    "rain all week long", "a letter from the school",
	                                    "the library opens at nine"};
	static const char *const costume[] = {"a banana costume for the parade",
	                                      "he wore a banana costume to the party"};
	for (int i = 0; i < TOY; i++) {
		memset(&t[i].categories, 0, sizeof(t[i].categories));
		if (i % 3 == 0) {
			snprintf(t[i].text, sizeof(t[i].text), "%s, number %d", fruit[i % 5], i);
			strlist_add(&t[i].categories, "fruit");
		} else if (i % 3 == 1) {
			snprintf(t[i].text, sizeof(t[i].text), "%s, number %d", other[i % 5], i);
		} else {
			snprintf(t[i].text, sizeof(t[i].text), "%s, number %d", costume[i % 2], i);
			strlist_add(&t[i].categories, ROUTE_MODEL_LOOKALIKE);
		}
		ex[i] = (struct route_example){"", t[i].text, &t[i].categories, "toy"};
	}
}

static char *toy_train(struct route_train_report *report)
{
	static struct toy t[TOY];
	struct route_example ex[TOY];
	toy_make(t, ex);
	struct route_train_options o;
	route_train_defaults(&o);
	o.min_positives = 5;
	char *error = NULL;
	char *model = route_train(ex, TOY, &o, report, &error);
	assert_non_null(model);
	for (int i = 0; i < TOY; i++)
		strlist_free(&t[i].categories);
	return model;
}

static void test_train(void **state)
{
	(void)state;
	struct route_train_report report;
	char *a = toy_train(&report);
	char *b = toy_train(&report);
	/* the same examples, the same model, byte for byte */
	assert_string_equal(a, b);
	assert_int_equal(report.examples, TOY);
	assert_int_equal(report.n_categories, 2);
	assert_int_equal(report.categories[0].positives, TOY / 3);
	assert_true(report.categories[0].cv_recall >= 0.9);
	struct route_model *m = NULL;
	char *error = NULL;
	assert_int_equal(route_model_parse("toy", a, strlen(a), &m, &error), 0);
	struct route_features f;
	double p[2];
	route_features_make(NULL, "a mango for lunch", &f);
	route_model_score(m, &f, p);
	assert_true(p[0] >= route_model_threshold(m, 0));
	route_features_free(&f);
	route_features_make(NULL, "the bus again", &f);
	route_model_score(m, &f, p);
	assert_true(p[0] < route_model_threshold(m, 0));
	route_features_free(&f);
	route_model_free(&m);
	free(a);
	free(b);

	/* nothing to learn from is said so */
	struct strlist none = {0};
	struct route_example one = {"", "text", &none, "x"};
	struct route_train_options o;
	route_train_defaults(&o);
	assert_null(route_train(&one, 1, &o, &report, &error));
	assert_non_null(strstr(error, "nothing to train"));
	free(error);
}

/* A rules file with a [model] section: the model's category carries its rules' flags; a
 * look-alike holds back a rule the model does not agree with. */
static void test_rules_with_model(void **state)
{
	(void)state;
	struct route_train_report report;
	char *model = toy_train(&report);
	char *dir = test_tmpdir();
	char *model_path = xasprintf("%s/toy.model", dir);
	test_write_file(model_path, model);
	free(model);
	char *rules_path = xasprintf("%s/routes.conf", dir);
	test_write_file(rules_path,
	                "[rule fruit-word]\n"
	                "pattern = \\bbanana\\b\n"
	                "category = fruit\n"
	                "priority = urgent\n"
	                "confidential = yes\n"
	                "referral = grocer\n"
	                "[model]\n"
	                "file = toy.model\n");
	struct route_rules *rules = NULL;
	char *errors = NULL;
	assert_int_equal(route_rules_load(rules_path, &rules, &errors), 0);
	assert_non_null(route_rules_model(rules));

	/* found by the model alone: its category, with the rule's priority, flag and referral */
	struct route_result r;
	route_match(rules, "lunch", "a sweet mango", &r);
	assert_true(strlist_contains(&r.categories, "fruit"));
	assert_true(strlist_contains(&r.rules, "model:fruit"));
	assert_false(strlist_contains(&r.categories, ROUTE_MODEL_LOOKALIKE));
	assert_int_equal(r.priority, ROUTE_URGENT);
	assert_true(r.confidential);
	assert_true(strlist_contains(&r.referrals, "grocer"));
	route_result_clear(&r);

	/* the rule's word in a look-alike: held back, and said so */
	route_match(rules, "", "he wore a banana costume to the party", &r);
	assert_false(strlist_contains(&r.categories, "fruit"));
	assert_int_equal(r.vetoed.count, 1);
	assert_non_null(strstr(r.vetoed.items[0], "fruit-word (look-alike"));
	assert_true(strlist_contains(&r.rules, "held:fruit-word"));
	assert_int_equal(r.priority, ROUTE_NORMAL);
	route_result_clear(&r);

	/* nothing of either */
	route_match(rules, "", "the library opens at nine", &r);
	assert_int_equal(r.categories.count, 0);
	route_result_clear(&r);
	route_rules_free(&rules);

	/* a model category no rule sets, a missing model file, a second [model]: each named */
	test_write_file(rules_path, "[rule other]\npattern = x\ncategory = other\n[model]\nfile = toy.model\n");
	assert_int_equal(route_rules_load(rules_path, &rules, &errors), -1);
	assert_non_null(strstr(errors, ":4: [model]: the model's category fruit is set by no rule"));
	free(errors);
	test_write_file(rules_path, "[rule fruit]\npattern = x\ncategory = fruit\n[model]\nfile = none.model\n");
	assert_int_equal(route_rules_load(rules_path, &rules, &errors), -1);
	assert_non_null(strstr(errors, "routes.conf:5: [model]: "));
	assert_non_null(strstr(errors, "none.model"));
	free(errors);
	test_write_file(rules_path, "[model]\nfile = toy.model\ncolour = red\n[model]\n"
	                            "[rule fruit]\npattern = x\ncategory = fruit\n");
	assert_int_equal(route_rules_load(rules_path, &rules, &errors), -1);
	assert_non_null(strstr(errors, ":3: [model]: unknown key 'colour' (file)"));
	assert_non_null(strstr(errors, ":4: [model] given twice (first at line 1)"));
	free(errors);
	free(rules_path);
	free(model_path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_model_file),
		cmocka_unit_test(test_train),
		cmocka_unit_test(test_rules_with_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
