/* route_train.h — training the routing model (route_model.h) from labelled messages: one
 * logistic regression per category, its threshold chosen on five-fold cross-validation for
 * the recall asked (a missed emergency costs a person, a false one a glance).
 *
 * Deterministic: the same examples in the same order give the same model, byte for byte, so
 * the shipped config/routes.model can be checked against its training files. */
#ifndef LIAISON_ROUTE_TRAIN_H
#define LIAISON_ROUTE_TRAIN_H

#include <stddef.h>

#include "route_model.h"
#include "util.h"

struct route_example {
	const char *subject;
	const char *text;
	const struct strlist *categories; /* every category that applies; none is a message of
	                                     no category (a look-alike, a thank-you) */
	const char *source;               /* where it came from, for the report: "FILE:LINE" */
};

struct route_train_options {
	/* Categories to train; NULL: every category with at least min_positives examples. */
	const struct strlist *categories;
	size_t min_positives;
	/* The cross-validated recall each threshold is set for, e.g. 0.95. */
	double target_recall;
	/* A feature must occur in this many examples to be learnt from (5: a word a few people
	 * used teaches nothing but their messages; the model is a third the size, and found as
	 * much on the development set as with 2). */
	size_t min_examples;
};

struct route_train_category {
	char name[64];
	size_t positives;
	double threshold;
	double cv_recall, cv_precision; /* out of fold, at the threshold */
};

struct route_train_report {
	size_t examples;
	size_t features;       /* kept in the model */
	size_t n_categories;
	struct route_train_category categories[ROUTE_MODEL_MAX_CATEGORIES];
};

void route_train_defaults(struct route_train_options *options);

/* Trains on n examples.  Returns the model's text (caller frees; route_model_parse reads it)
 * and fills *report, or NULL with *error_r (no category has enough examples). */
char *route_train(const struct route_example *examples, size_t n,
                  const struct route_train_options *options, struct route_train_report *report,
                  char **error_r);

#endif
