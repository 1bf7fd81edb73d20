/* route_model.h — the routing model: a second signal beside the rules, one logistic
 * regression per category over a message's features (route_features.h), trained by
 * `liaison route train` (route_train.h) from labelled messages and shipped as a text file
 * beside the rules (config/routes.model).
 *
 * A rule says exactly what it matched and an agency can edit it; the model finds what
 * people write in words no rule foresaw ("he forced himself on me", "se quiere matar").  A
 * category is set when a rule or the model finds it.  Every weight is named by its feature,
 * so route_model_explain says which words made a score.
 *
 * The file (one per model, UTF-8, lines):
 *   liaison-route-model 1
 *   categories NAME...                 the categories it scores, in this order
 *   bias NUMBER...                     one per category
 *   scale POWER LEAST                  each feature present is worth count^-POWER, count
 *                                      being the message's features but at least LEAST (0:
 *                                      each is worth 1)
 *   threshold NUMBER...                the probability at which each is set
 *   # comments, and blank lines, anywhere after the first line
 *   FEATURE<TAB>NUMBER...              a feature's weight for each category */
#ifndef LIAISON_ROUTE_MODEL_H
#define LIAISON_ROUTE_MODEL_H

#include <stddef.h>

#include "route_features.h"
#include "util.h"

#define ROUTE_MODEL_MAGIC "liaison-route-model 1"
#define ROUTE_MODEL_MAX_CATEGORIES 32
/* The model's category for a harmless message that reads like danger (labelled "lookalike"
 * in training): it sets nothing, and holds back a rule the model does not agree with
 * (route.c, model_vetoes). */
#define ROUTE_MODEL_LOOKALIKE "look-alike"

struct route_model;

/* What each present feature is worth in a message of count features (scale: the power, least:
 * the least count; route_train.c says why). */
double route_feature_value(size_t count, double scale, double least);

/* Reads a model file.  Returns 0 with *model_r, or -1 with *error_r (caller frees) naming
 * the file and line of what is wrong. */
int route_model_load(const char *path, struct route_model **model_r, char **error_r);
/* The same from text in memory (name is used in errors). */
int route_model_parse(const char *name, const char *text, size_t len,
                      struct route_model **model_r, char **error_r);
void route_model_free(struct route_model **model);

size_t route_model_category_count(const struct route_model *model);
const char *route_model_category(const struct route_model *model, size_t i);
double route_model_threshold(const struct route_model *model, size_t i);
size_t route_model_feature_count(const struct route_model *model);

/* The probability of each category for features f, into p[route_model_category_count]. */
void route_model_score(const struct route_model *model, const struct route_features *f,
                       double *p);

/* The (at most) k features of f that raise category i's score the most, strongest first:
 * their names into *names (added), their weights into weights[k].  Returns how many. */
size_t route_model_explain(const struct route_model *model, const struct route_features *f,
                           size_t i, size_t k, struct strlist *names, double *weights);

#endif
