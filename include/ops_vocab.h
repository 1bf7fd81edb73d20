/* ops_vocab.h — the words a liaison may write into a thread's record: its category (the
 * routing rules' categories and the configured list), a referral's service ([service]
 * sections) and an RMS incident number (rms_pattern).  A free-typed word would split the
 * reports ("servces" next to "services") and carry whatever was typed into every listing. */
#ifndef LIAISON_OPS_VOCAB_H
#define LIAISON_OPS_VOCAB_H

#include "config.h"
#include "ops_result.h"
#include "util.h"

/* The categories a thread may have: the configured list, then the routing rules' (read
 * from config->routes; a rule file that cannot be read adds none and is logged), each once.
 * Adds them to categories (caller frees). */
void ops_vocab_categories(const struct config *config, struct strlist *categories);

/* OPS_OK when category is in the vocabulary, else OPS_INVALID with *error_r listing the
 * valid ones. */
int ops_vocab_check_category(const struct config *config, const char *category,
                             char **error_r);

/* The [service] names, "2-1-1, victim-advocate" ("none" when there are none).  Returns a
 * new string. */
char *ops_vocab_services(const struct config *config);

/* OPS_OK when rms is an RMS number: 1 to OPS_RMS_MAX printable ASCII characters and, when
 * rms_pattern is set, matching it whole; else OPS_INVALID with *error_r showing what is
 * expected (or OPS_FAILED when the pattern could not be matched). */
#define OPS_RMS_MAX 32
int ops_vocab_check_rms(const struct config *config, const char *rms, char **error_r);

#endif
