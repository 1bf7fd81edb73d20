/* route_train.c — train the routing model.  See route_train.h.
 *
 * Each example is the set of its features (route_features.h), each present feature worth 1.
 * Each category's regression is fitted by stochastic gradient descent with AdaGrad steps and
 * a little L2 weight decay, positives weighted up to balance the classes; the same fixed
 * shuffles every run.  Its threshold is the highest probability that still finds
 * target_recall of the positives when every example is scored by a model that did not see
 * it (five folds), so the figure the threshold is set by is an honest one. */
#include "route_train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPOCHS 30
#define RATE 0.3
/* L2 weight decay: without it a word as common as "been" or "on" took weights of 2 and
 * more, and a one-line message about a streetlight read as five kinds of danger.  1e-2 gave
 * the best development-set figures of 1e-5 to 1e-1 and kept ordinary short mail ordinary. */
#define DECAY 1e-2
/* Each present feature is worth count^-SCALE (route_model.h): a long message's many ordinary
 * words do not outweigh its few telling ones, nor a short message's few fall short.  0.5
 * (the vector's length made 1) found more on the development set than 0 or 1. */
#define SCALE 0.5
/* ...but a note of a few words is worth no more than one of SCALE_LEAST features: with every
 * feature of "Question c. Text." worth a third, two stray letters made it an emergency. */
#define SCALE_LEAST 32
#define FOLDS 5
/* A weight this small changes no decision: left out of the file. */
#define WEIGHT_MIN 1e-3
/* The threshold stays within these: a category set at 2 % probability is noise, one at
 * 60 % misses what a liaison must see. */
#define THRESHOLD_MIN 0.002
#define THRESHOLD_MAX 0.5
#define THRESHOLD_STEP 0.005
#define PRECISION_FLOOR 0.8

struct vocab {
	uint64_t *hash;
	uint32_t *index;
	size_t cap;
	size_t count;
	char **names;
	size_t *df;
};

struct sample {
	uint32_t *features;
	size_t n;
	double x;      /* each present feature's value: all of the message's features, counted
	                  before any is dropped, to the power -scale (route_model.h) */
};

void route_train_defaults(struct route_train_options *options)
{
	memset(options, 0, sizeof(*options));
	options->min_positives = 20;
	options->target_recall = 0.95;
	options->min_examples = 5;
}

static uint64_t next_random(uint64_t *state)
{
	/* xorshift64*: the same sequence on every machine */
	uint64_t x = *state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 2685821657736338717ULL;
}

static void shuffle(size_t *order, size_t n, uint64_t seed)
{
	uint64_t state = seed | 1;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(next_random(&state) % i);
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

static void vocab_grow(struct vocab *v)
{
	size_t cap = v->cap ? v->cap * 2 : 1 << 14;
	uint64_t *hash = xcalloc(cap, sizeof(*hash));
	uint32_t *index = xcalloc(cap, sizeof(*index));
	for (size_t i = 0; i < v->cap; i++) {
		if (v->hash[i] == 0)
			continue;
		size_t j = (size_t)v->hash[i] & (cap - 1);
		while (hash[j] != 0)
			j = (j + 1) & (cap - 1);
		hash[j] = v->hash[i];
		index[j] = v->index[i];
	}
	free(v->hash);
	free(v->index);
	v->hash = hash;
	v->index = index;
	v->cap = cap;
	v->names = xrealloc(v->names, cap / 2 * sizeof(*v->names));
	v->df = xrealloc(v->df, cap / 2 * sizeof(*v->df));
}

static uint32_t vocab_add(struct vocab *v, uint64_t h, const char *name)
{
	if (2 * (v->count + 1) > v->cap)
		vocab_grow(v);
	size_t j = (size_t)h & (v->cap - 1);
	while (v->hash[j] != 0) {
		if (v->hash[j] == h) {
			v->df[v->index[j]]++;
			return v->index[j];
		}
		j = (j + 1) & (v->cap - 1);
	}
	v->hash[j] = h;
	v->index[j] = (uint32_t)v->count;
	v->names[v->count] = xstrdup(name);
	v->df[v->count] = 1;
	return (uint32_t)v->count++;
}

static void vocab_free(struct vocab *v)
{
	for (size_t i = 0; i < v->count; i++)
		free(v->names[i]);
	free(v->names);
	free(v->df);
	free(v->hash);
	free(v->index);
}

/* Fits one category on the examples listed in order[0..n) (the others are held out).
 * w has n_features entries, zeroed by the caller. */
static void fit(const struct sample *samples, const unsigned char *labels, const size_t *train,
                size_t n, size_t n_features, double *w, double *bias, uint64_t seed)
{
	size_t positives = 0;
	for (size_t i = 0; i < n; i++)
		positives += labels[train[i]];
	double pos_weight = positives > 0 && positives < n ? sqrt((double)(n - positives) / positives)
	                                                   : 1.0;
	double *g2 = xcalloc(n_features, sizeof(*g2));
	double b = 0, b_g2 = 0;
	size_t *order = xmalloc(n * sizeof(*order));
	memcpy(order, train, n * sizeof(*order));
	for (int epoch = 0; epoch < EPOCHS; epoch++) {
		shuffle(order, n, seed + (uint64_t)epoch * 7919);
		for (size_t k = 0; k < n; k++) {
			const struct sample *s = &samples[order[k]];
			double x = s->x;
			double z = 0;
			for (size_t f = 0; f < s->n; f++)
				z += w[s->features[f]];
			z = b + x * z;
			double p = 1.0 / (1.0 + exp(-z));
			int y = labels[order[k]];
			double g = (p - y) * (y ? pos_weight : 1.0);
			for (size_t f = 0; f < s->n; f++) {
				uint32_t j = s->features[f];
				double gj = g * x + DECAY * w[j];
				g2[j] += gj * gj;
				w[j] -= RATE * gj / sqrt(g2[j] + 1e-8);
			}
			b_g2 += g * g;
			b -= RATE * g / sqrt(b_g2 + 1e-8);
		}
	}
	*bias = b;
	free(order);
	free(g2);
}

static double predict(const struct sample *s, const double *w, double bias)
{
	double z = 0;
	for (size_t f = 0; f < s->n; f++)
		z += w[s->features[f]];
	z = bias + s->x * z;
	return 1.0 / (1.0 + exp(-z));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sets the threshold t with its out-of-fold recall and precision; returns the precision (1
 * when nothing is scored at or above t). */
static double settle_threshold(const double *oof, const unsigned char *labels, size_t n,
                               double t, struct route_train_category *rc)
{
	size_t tp = 0, predicted = 0, positives = 0;
	for (size_t i = 0; i < n; i++) {
		positives += labels[i];
		if (oof[i] >= t) {
			predicted++;
			tp += labels[i];
		}
	}
	rc->threshold = t;
	rc->cv_recall = positives ? (double)tp / positives : 0;
	rc->cv_precision = predicted ? (double)tp / predicted : 1;
	return rc->cv_precision;
}

/* The look-alike category holds rules back: its threshold is the lowest at which it is right
 * this often out of fold (a wrong veto hides a disclosure). */
#define LOOKALIKE_PRECISION 0.95

static void precision_threshold(const double *oof, const unsigned char *labels, size_t n,
                                struct route_train_category *rc)
{
	double best = 0.99;
	for (double t = 0.98; t >= THRESHOLD_MAX; t -= 0.01) {
		if (settle_threshold(oof, labels, n, t, rc) < LOOKALIKE_PRECISION)
			break;
		best = t;
	}
	settle_threshold(oof, labels, n, best, rc);
}

/* The threshold from out-of-fold probabilities: the highest that finds target of the
 * positives; then, recall first, lower while the category stays right PRECISION_FLOOR of
 * the time, for the positives written in ways the training set has few of. */
static void choose_threshold(const double *oof, const unsigned char *labels, size_t n,
                             double target, struct route_train_category *rc)
{
	size_t positives = 0;
	for (size_t i = 0; i < n; i++)
		positives += labels[i];
	double *pos = xmalloc((positives + 1) * sizeof(*pos));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (labels[i])
			pos[k++] = oof[i];
	qsort(pos, k, sizeof(*pos), cmp_double);
	/* the lowest positive scores that may be missed: (1 - target) of them */
	size_t may_miss = (size_t)floor((1.0 - target) * (double)k);
	double t = k > 0 ? pos[may_miss] * 0.999 : THRESHOLD_MAX;
	free(pos);
	if (t < THRESHOLD_MIN)
		t = THRESHOLD_MIN;
	if (t > THRESHOLD_MAX)
		t = THRESHOLD_MAX;
	struct route_train_category lower = *rc;
	while (t - THRESHOLD_STEP >= THRESHOLD_MIN &&
	       settle_threshold(oof, labels, n, t - THRESHOLD_STEP, &lower) >= PRECISION_FLOOR)
		t -= THRESHOLD_STEP;
	settle_threshold(oof, labels, n, t, rc);
}

static int cmp_name(const void *a, const void *b, void *names)
{
	char **n = names;
	return strcmp(n[*(const uint32_t *)a], n[*(const uint32_t *)b]);
}

static void pick_categories(const struct route_example *examples, size_t n,
                            const struct route_train_options *o, struct strlist *out)
{
	if (o->categories != NULL) {
		for (size_t i = 0; i < o->categories->count && out->count < ROUTE_MODEL_MAX_CATEGORIES;
		     i++)
			strlist_add_unique(out, o->categories->items[i]);
		return;
	}
	struct strlist all = {0};
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; examples[i].categories && c < examples[i].categories->count; c++)
			strlist_add_unique(&all, examples[i].categories->items[c]);
	for (size_t c = 0; c < all.count; c++) {
		size_t positives = 0;
		for (size_t i = 0; i < n; i++)
			positives += examples[i].categories &&
			             strlist_contains(examples[i].categories, all.items[c]);
		if (positives >= o->min_positives && out->count < ROUTE_MODEL_MAX_CATEGORIES)
			strlist_add(out, all.items[c]);
	}
	strlist_free(&all);
}

char *route_train(const struct route_example *examples, size_t n,
                  const struct route_train_options *o, struct route_train_report *report,
                  char **error_r)
{
	memset(report, 0, sizeof(*report));
	struct strlist categories = {0};
	pick_categories(examples, n, o, &categories);
	if (categories.count == 0 || n < FOLDS) {
		*error_r = xasprintf("nothing to train: no category has %zu examples among %zu",
		                     o->min_positives, n);
		strlist_free(&categories);
		return NULL;
	}
	/* features of every example, then only those seen in min_examples of them */
	struct vocab v = {0};
	struct sample *all = xcalloc(n, sizeof(*all));
	for (size_t i = 0; i < n; i++) {
		struct route_features f;
		route_features_make(examples[i].subject, examples[i].text, &f);
		all[i].features = xmalloc((f.count + 1) * sizeof(uint32_t));
		all[i].x = route_feature_value(f.count, SCALE, SCALE_LEAST);
		for (size_t j = 0; j < f.count; j++)
			all[i].features[all[i].n++] = vocab_add(&v, f.hashes[j], route_feature_name(&f, j));
		route_features_free(&f);
	}
	uint32_t *keep = xmalloc((v.count + 1) * sizeof(*keep)); /* old index -> new + 1, 0 dropped */
	size_t kept = 0;
	uint32_t *kept_old = xmalloc((v.count + 1) * sizeof(*kept_old));
	for (size_t j = 0; j < v.count; j++) {
		keep[j] = v.df[j] >= o->min_examples ? (uint32_t)++kept : 0;
		if (keep[j])
			kept_old[kept - 1] = (uint32_t)j;
	}
	for (size_t i = 0; i < n; i++) {
		size_t m = 0;
		for (size_t j = 0; j < all[i].n; j++)
			if (keep[all[i].features[j]])
				all[i].features[m++] = keep[all[i].features[j]] - 1;
		all[i].n = m;
	}

	size_t nc = categories.count;
	double *weights = xcalloc(kept * nc + 1, sizeof(*weights));
	double *bias = xcalloc(nc, sizeof(*bias));
	unsigned char *labels = xmalloc(n);
	size_t *order = xmalloc(n * sizeof(*order));
	size_t *train = xmalloc(n * sizeof(*train));
	double *oof = xmalloc(n * sizeof(*oof));
	double *w = xmalloc((kept + 1) * sizeof(*w));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	shuffle(order, n, 0x5eed);
	for (size_t c = 0; c < nc; c++) {
		struct route_train_category *rc = &report->categories[c];
		snprintf(rc->name, sizeof(rc->name), "%s", categories.items[c]);
		for (size_t i = 0; i < n; i++) {
			labels[i] = examples[i].categories &&
			            strlist_contains(examples[i].categories, categories.items[c]);
			rc->positives += labels[i];
		}
		for (size_t fold = 0; fold < FOLDS; fold++) {
			size_t m = 0;
			for (size_t k = 0; k < n; k++)
				if (k % FOLDS != fold)
					train[m++] = order[k];
			memset(w, 0, (kept + 1) * sizeof(*w));
			double b;
			fit(all, labels, train, m, kept, w, &b, 1000 * c + fold + 1);
			for (size_t k = fold; k < n; k += FOLDS)
				oof[order[k]] = predict(&all[order[k]], w, b);
		}
		if (strcmp(rc->name, ROUTE_MODEL_LOOKALIKE) == 0)
			precision_threshold(oof, labels, n, rc);
		else
			choose_threshold(oof, labels, n, o->target_recall, rc);
		memset(w, 0, (kept + 1) * sizeof(*w));
		fit(all, labels, order, n, kept, w, &bias[c], 1000 * c + 99);
		for (size_t j = 0; j < kept; j++)
			weights[j * nc + c] = w[j];
	}

	/* the file: features in name order, the negligible left out */
	struct buf out;
	buf_init(&out, SIZE_MAX);
	buf_addf(&out, "%s\n# trained by `liaison route train` on %zu examples\ncategories",
	         ROUTE_MODEL_MAGIC, n);
	for (size_t c = 0; c < nc; c++)
		buf_addf(&out, " %s", categories.items[c]);
	buf_addstr(&out, "\nbias");
	for (size_t c = 0; c < nc; c++)
		buf_addf(&out, " %.6g", bias[c]);
	buf_addf(&out, "\nscale %.6g %.6g", (double)SCALE, (double)SCALE_LEAST);
	buf_addstr(&out, "\nthreshold");
	for (size_t c = 0; c < nc; c++)
		buf_addf(&out, " %.4f", report->categories[c].threshold);
	buf_addstr(&out, "\n");
	uint32_t *sorted = xmalloc((kept + 1) * sizeof(*sorted));
	for (size_t j = 0; j < kept; j++)
		sorted[j] = (uint32_t)j;
	char **kept_names = xmalloc((kept + 1) * sizeof(*kept_names));
	for (size_t j = 0; j < kept; j++)
		kept_names[j] = v.names[kept_old[j]];
	qsort_r(sorted, kept, sizeof(*sorted), cmp_name, kept_names);
	for (size_t k = 0; k < kept; k++) {
		size_t j = sorted[k];
		int any = 0;
		for (size_t c = 0; c < nc; c++)
			any |= fabs(weights[j * nc + c]) >= WEIGHT_MIN;
		if (!any)
			continue;
		buf_addf(&out, "%s\t", kept_names[j]);
		for (size_t c = 0; c < nc; c++) {
			double x = weights[j * nc + c];
			buf_addf(&out, c ? " %.4g" : "%.4g", fabs(x) >= WEIGHT_MIN ? x : 0.0);
		}
		buf_addstr(&out, "\n");
		report->features++;
	}
	report->examples = n;
	report->n_categories = nc;

	free(sorted);
	free(kept_names);
	for (size_t i = 0; i < n; i++)
		free(all[i].features);
	free(all);
	free(keep);
	free(kept_old);
	free(weights);
	free(bias);
	free(labels);
	free(order);
	free(train);
	free(oof);
	free(w);
	vocab_free(&v);
	strlist_free(&categories);
	return buf_steal(&out, NULL);
}
