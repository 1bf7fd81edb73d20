/* route_model.c — load a routing model, score a message, name what made the score.  See
 * route_model.h. */
#include "route_model.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A model is written by route_train.c: tens of thousands of features, a few MB at most. */
#define MODEL_MAX_FILE (64u << 20)

struct route_model {
	size_t n_categories;
	char **categories;
	double *bias;
	double *threshold;
	double scale[2];       /* the power, and the least count (route_feature_value) */
	size_t n_features;
	size_t cap;
	char **names;
	float *weights;        /* n_features rows of n_categories */
	/* open addressing on the features' hashes: a hash and its row side by side, so a
	 * look-up touches one cache line (scoring looks up every feature of every message) */
	struct slot {
		uint64_t hash;     /* 0: empty */
		uint32_t row;
	} *table;
	size_t table_cap;
};

struct parser {
	const char *name;
	unsigned line;
	char *error;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (p->error == NULL)
		p->error = xasprintf("%s:%u: %s", p->name, p->line, msg);
	free(msg);
	return -1;
}

/* A number as route_train.c writes it ("-0.1234", "12.5", "0"): read by hand, since strtod
 * took most of the time of loading a model (six numbers on each of some 17,000 lines, at
 * every start of import, poll and web).  Anything else (an exponent, many digits) is
 * strtod's.  Returns 0, or -1 when s holds no number. */
static int read_number(const char *s, char **end_r, double *v)
{
	const char *p = s;
	int negative = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	uint64_t digits = 0;
	int n = 0, scale = 0, any = 0;
	for (; *p >= '0' && *p <= '9'; p++, any = 1) {
		if (n < 17) {
			digits = digits * 10 + (uint64_t)(*p - '0');
			n++;
		} else {
			n = 99;
		}
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, any = 1) {
			if (n < 17) {
				digits = digits * 10 + (uint64_t)(*p - '0');
				n++;
				scale++;
			} else {
				n = 99;
			}
		}
	}
	if (!any || n > 17 || *p == 'e' || *p == 'E' || *p == 'x' || *p == 'X' || *p == 'n' ||
	    *p == 'N' || *p == 'i' || *p == 'I') {
		errno = 0;
		*v = strtod(s, end_r);
		return *end_r == s || errno != 0 || !isfinite(*v) ? -1 : 0;
	}
	static const double tens[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	                              1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
	*v = (double)digits / tens[scale];
	if (negative)
		*v = -*v;
	*end_r = (char *)p;
	return 0;
}

/* No weight, bias or scale route_train.c writes comes near this: a larger one is a damaged
 * or hostile file, and would overflow the sums (a non-finite score sets and holds back
 * anything). */
#define NUMBER_MAX 1e4

/* n numbers separated by spaces into out, each within NUMBER_MAX. */
static int parse_numbers(struct parser *p, const char *s, double *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		while (*s == ' ')
			s++;
		char *end;
		double v;
		if (read_number(s, &end, &v) < 0)
			return fail(p, "expected %zu numbers, found %zu", n, i);
		if (!(fabs(v) <= NUMBER_MAX))
			return fail(p, "a number out of range: %g", v);
		out[i] = v;
		s = end;
	}
	while (*s == ' ')
		s++;
	if (*s != '\0')
		return fail(p, "more than %zu numbers", n);
	return 0;
}

static int parse_categories(struct parser *p, struct route_model *m, char *s)
{
	for (char *save = NULL, *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (m->n_categories == ROUTE_MODEL_MAX_CATEGORIES)
			return fail(p, "more than %d categories", ROUTE_MODEL_MAX_CATEGORIES);
		for (size_t c = 0; c < m->n_categories; c++)
			if (strcmp(m->categories[c], tok) == 0)
				return fail(p, "category %s given twice", tok);
		m->categories = xrealloc(m->categories, (m->n_categories + 1) * sizeof(char *));
		m->categories[m->n_categories++] = xstrdup(tok);
	}
	if (m->n_categories == 0)
		return fail(p, "no categories");
	m->bias = xcalloc(m->n_categories, sizeof(double));
	m->threshold = xcalloc(m->n_categories, sizeof(double));
	for (size_t i = 0; i < m->n_categories; i++)
		m->threshold[i] = 0.5;
	return 0;
}

static void table_put(struct route_model *m, uint64_t h, uint32_t row)
{
	size_t j = (size_t)h & (m->table_cap - 1);
	while (m->table[j].hash != 0)
		j = (j + 1) & (m->table_cap - 1);
	m->table[j].hash = h;
	m->table[j].row = row;
}

static long table_find(const struct route_model *m, uint64_t h)
{
	if (m->table_cap == 0)
		return -1;
	size_t j = (size_t)h & (m->table_cap - 1);
	while (m->table[j].hash != 0) {
		if (m->table[j].hash == h)
			return m->table[j].row;
		j = (j + 1) & (m->table_cap - 1);
	}
	return -1;
}

/* Doubles the feature table (or makes it), putting back what it held. */
static void table_grow(struct route_model *m)
{
	size_t old_cap = m->table_cap;
	struct slot *old = m->table;
	m->table_cap = old_cap ? old_cap * 2 : 8192;
	m->table = xcalloc(m->table_cap, sizeof(*m->table));
	for (size_t j = 0; j < old_cap; j++)
		if (old[j].hash != 0)
			table_put(m, old[j].hash, old[j].row);
	free(old);
}

static int parse_feature(struct parser *p, struct route_model *m, char *line)
{
	char *tab = strchr(line, '\t');
	if (tab == NULL || tab == line)
		return fail(p, "expected FEATURE<TAB>WEIGHTS");
	*tab = '\0';
	double w[ROUTE_MODEL_MAX_CATEGORIES];
	if (parse_numbers(p, tab + 1, w, m->n_categories) < 0)
		return -1;
	uint64_t h = route_feature_hash(line, strlen(line));
	/* at most 70 % full: short probes, and a table half the size of one kept half empty */
	if (10 * (m->n_features + 1) > 7 * m->table_cap)
		table_grow(m);
	if (table_find(m, h) >= 0)
		return fail(p, "feature '%s' given twice (or two features share a hash)", line);
	if (m->n_features == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 4096;
		m->names = xrealloc(m->names, m->cap * sizeof(*m->names));
		m->weights = xrealloc(m->weights, m->cap * m->n_categories * sizeof(*m->weights));
	}
	table_put(m, h, (uint32_t)m->n_features);
	m->names[m->n_features] = xstrdup(line);
	for (size_t c = 0; c < m->n_categories; c++)
		m->weights[m->n_features * m->n_categories + c] = (float)w[c];
	m->n_features++;
	return 0;
}

static int parse_line(struct parser *p, struct route_model *m, char *line, int *have_bias,
                      int *have_scale, int *have_threshold)
{
	if (*line == '\0' || *line == '#')
		return 0;
	if (strncmp(line, "categories ", 11) == 0) {
		if (m->n_categories > 0)
			return fail(p, "categories given twice");
		return parse_categories(p, m, line + 11);
	}
	if (m->n_categories == 0)
		return fail(p, "the categories line must come first");
	if (strncmp(line, "bias ", 5) == 0) {
		*have_bias = 1;
		return parse_numbers(p, line + 5, m->bias, m->n_categories);
	}
	if (strncmp(line, "scale ", 6) == 0) {
		*have_scale = 1;
		if (parse_numbers(p, line + 6, m->scale, 2) < 0)
			return -1;
		if (m->scale[0] < 0 || m->scale[0] > 4 || m->scale[1] < 0)
			return fail(p, "scale: a power from 0 to 4 and a least count of 0 or more");
		return 0;
	}
	if (strncmp(line, "threshold ", 10) == 0) {
		*have_threshold = 1;
		if (parse_numbers(p, line + 10, m->threshold, m->n_categories) < 0)
			return -1;
		for (size_t c = 0; c < m->n_categories; c++)
			if (m->threshold[c] <= 0 || m->threshold[c] >= 1)
				return fail(p, "a threshold is a probability between 0 and 1");
		return 0;
	}
	return parse_feature(p, m, line);
}

int route_model_parse(const char *name, const char *text, size_t len,
                      struct route_model **model_r, char **error_r)
{
	*model_r = NULL;
	struct parser p = {.name = name};
	struct route_model *m = xcalloc(1, sizeof(*m));
	char *copy = xstrndup(text, len);
	int have_bias = 0, have_scale = 0, have_threshold = 0;
	if (memchr(text, '\0', len) != NULL) {
		/* a model is text: a NUL would silently end it early */
		const char *nul = memchr(text, '\0', len);
		for (const char *q = text; q < nul; q++)
			p.line += *q == '\n';
		p.line++;
		fail(&p, "NUL byte in the file");
		*error_r = p.error;
		free(copy);
		route_model_free(&m);
		return -1;
	}
	int rc = 0;
	for (char *line = copy, *next; line != NULL && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		p.line++;
		size_t n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (p.line == 1) {
			if (strcmp(line, ROUTE_MODEL_MAGIC) != 0)
				rc = fail(&p, "not a routing model (the first line must be '%s')",
				          ROUTE_MODEL_MAGIC);
			continue;
		}
		rc = parse_line(&p, m, line, &have_bias, &have_scale, &have_threshold);
	}
	free(copy);
	if (rc == 0 && p.line == 0)
		rc = fail(&p, "empty file");
	if (rc == 0 && (m->n_categories == 0 || !have_bias || !have_scale || !have_threshold))
		rc = fail(&p, "a model needs its categories, bias, scale and threshold lines");
	if (rc < 0) {
		*error_r = p.error;
		route_model_free(&m);
		return -1;
	}
	*model_r = m;
	return 0;
}

int route_model_load(const char *path, struct route_model **model_r, char **error_r)
{
	char *data = NULL;
	size_t len = 0;
	if (file_read_all(path, MODEL_MAX_FILE, &data, &len, error_r) < 0)
		return -1;
	int rc = route_model_parse(path, data, len, model_r, error_r);
	free(data);
	return rc;
}

void route_model_free(struct route_model **model)
{
	struct route_model *m = *model;
	if (m == NULL)
		return;
	for (size_t c = 0; c < m->n_categories; c++)
		free(m->categories[c]);
	free(m->categories);
	free(m->bias);
	free(m->threshold);
	for (size_t i = 0; i < m->n_features; i++)
		free(m->names[i]);
	free(m->names);
	free(m->weights);
	free(m->table);
	free(m);
	*model = NULL;
}

size_t route_model_category_count(const struct route_model *model)
{
	return model->n_categories;
}

const char *route_model_category(const struct route_model *model, size_t i)
{
	return model->categories[i];
}

double route_model_threshold(const struct route_model *model, size_t i)
{
	return model->threshold[i];
}

size_t route_model_feature_count(const struct route_model *model)
{
	return model->n_features;
}

double route_feature_value(size_t count, double scale, double least)
{
	double n = (double)count < least ? least : (double)count;
	return n > 0 && scale != 0 ? pow(n, -scale) : 1.0;
}

void route_model_score(const struct route_model *model, const struct route_features *f,
                       double *p)
{
	size_t nc = model->n_categories;
	double sum[ROUTE_MODEL_MAX_CATEGORIES] = {0};
	for (size_t i = 0; i < f->count; i++) {
		long row = table_find(model, f->hashes[i]);
		if (row < 0)
			continue;
		const float *w = model->weights + (size_t)row * nc;
		for (size_t c = 0; c < nc; c++)
			sum[c] += w[c];
	}
	double x = route_feature_value(f->count, model->scale[0], model->scale[1]);
	for (size_t c = 0; c < nc; c++) {
		p[c] = 1.0 / (1.0 + exp(-(model->bias[c] + x * sum[c])));
		/* bounded weights cannot make one, but a score that is no number sets nothing */
		if (!isfinite(p[c]))
			p[c] = 0;
	}
}

size_t route_model_explain(const struct route_model *model, const struct route_features *f,
                           size_t i, size_t k, struct strlist *names, double *weights)
{
	/* the k largest positive weights, by insertion into a short sorted list */
	long rows[16];
	size_t n = 0;
	if (k > 16)
		k = 16;
	for (size_t j = 0; j < f->count; j++) {
		long row = table_find(model, f->hashes[j]);
		if (row < 0)
			continue;
		double w = model->weights[(size_t)row * model->n_categories + i];
		if (w <= 0)
			continue;
		size_t at = n;
		while (at > 0 && model->weights[(size_t)rows[at - 1] * model->n_categories + i] < w)
			at--;
		if (at >= k)
			continue;
		if (n < k)
			n++;
		memmove(rows + at + 1, rows + at, (n - 1 - at) * sizeof(*rows));
		rows[at] = row;
	}
	for (size_t j = 0; j < n; j++) {
		strlist_add(names, model->names[rows[j]]);
		weights[j] = model->weights[(size_t)rows[j] * model->n_categories + i];
	}
	return n;
}
