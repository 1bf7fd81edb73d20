/* ops_vocab.c — which categories, services and RMS numbers a liaison may record. */
#include "ops_vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pattern.h"
#include "route.h"

void ops_vocab_categories(const struct config *config, struct strlist *categories)
{
	for (size_t i = 0; i < config->categories.count; i++)
		strlist_add_unique(categories, config->categories.items[i]);
	struct route_rules *rules = NULL;
	char *errors = NULL;
	/* The rules are checked where they are used (poll, import, check); here a broken file
	 * only narrows the list to the configured words. */
	if (route_rules_load(config->routes, &rules, &errors) < 0) {
		if (errors != NULL)
			errors[strcspn(errors, "\n")] = '\0';
		log_warn("categories: the routing rules %s could not be read: %s", config->routes,
		         errors ? errors : "");
		free(errors);
		return;
	}
	route_rules_categories(rules, categories);
	route_rules_free(&rules);
}

int ops_vocab_check_category(const struct config *config, const char *category,
                             char **error_r)
{
	struct strlist known = {0};
	ops_vocab_categories(config, &known);
	int rc = OPS_OK;
	if (!strlist_contains(&known, category)) {
		char *list = known.count ? strlist_join(&known, ", ") : xstrdup("none configured");
		*error_r = xasprintf("'%s' is not a category; categories: %s (the routing rules' and "
		                     "categories = in [liaison] of %s)", category, list, config->path);
		free(list);
		rc = OPS_INVALID;
	}
	strlist_free(&known);
	return rc;
}

char *ops_vocab_services(const struct config *config)
{
	if (config->n_services == 0)
		return xstrdup("none");
	struct strlist ids = {0};
	for (size_t i = 0; i < config->n_services; i++)
		strlist_add(&ids, config->services[i].id);
	char *list = strlist_join(&ids, ", ");
	strlist_free(&ids);
	return list;
}

/* Printable ASCII only: the number is copied into the records system by hand and shown in
 * every listing, so no control character and nothing a terminal would interpret. */
static int rms_printable(const char *rms)
{
	size_t n = strlen(rms);
	if (n == 0 || n > OPS_RMS_MAX)
		return 0;
	for (const char *p = rms; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return 1;
}

int ops_vocab_check_rms(const struct config *config, const char *rms, char **error_r)
{
	if (!rms_printable(rms)) {
		*error_r = xasprintf("an RMS number is 1 to %d printable ASCII characters%s%s",
		                     OPS_RMS_MAX, config->rms_pattern ? " matching " : "",
		                     config->rms_pattern ? config->rms_pattern : "");
		return OPS_INVALID;
	}
	if (config->rms_pattern == NULL)
		return OPS_OK;
	char *why = NULL;
	int rc = pattern_whole_match(config->rms_pattern, rms, &why);
	if (rc < 0) {
		*error_r = xasprintf("RMS number '%s': rms_pattern %s: %s", rms, config->rms_pattern,
		                     why);
		free(why);
		return OPS_FAILED;
	}
	if (rc == 0) {
		*error_r = xasprintf("'%s' is not an RMS number of the expected form %s (rms_pattern "
		                     "in %s)", rms, config->rms_pattern, config->path);
		return OPS_INVALID;
	}
	return OPS_OK;
}
