/* ops_foia_exemptions.h — the Connecticut Freedom of Information Act's exemptions from
 * disclosure that a records office applies to a liaison program's mail (Conn. Gen. Stat.
 * § 1-210(b)), with a short name each: the one list the review desk offers, and the hints a
 * request's review suggests by routing category.  Names are reminders, not legal advice: the
 * statute's words decide. */
#ifndef LIAISON_OPS_FOIA_EXEMPTIONS_H
#define LIAISON_OPS_FOIA_EXEMPTIONS_H

#include <stddef.h>

struct foia_exemption {
	const char *citation;  /* as recorded on a decision: "1-210(b)(3)(G)" */
	const char *name;      /* short: "name and address of a victim of sexual assault ..." */
};

/* The exemptions, in the statute's order; *n_r how many.  Static. */
const struct foia_exemption *ops_foia_exemptions(size_t *n_r);
/* The short name of citation, or NULL when it is not in the list (the command line takes
 * any citation). */
const char *ops_foia_exemption_name(const char *citation);
/* The exemption a message of a request's set likely needs, from its thread's routing
 * categories (comma-separated) and confidentiality: a static line for review, or NULL when
 * nothing suggests one. */
const char *ops_foia_review_hint(const char *categories, int confidential);

#endif
