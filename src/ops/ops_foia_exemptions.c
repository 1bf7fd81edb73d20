/* ops_foia_exemptions.c — the § 1-210(b) exemptions a police liaison program's mail may fall
 * under, and the review's hints (see ops_foia_exemptions.h).  The wording follows the
 * statute (Conn. Gen. Stat. § 1-210(b), as amended through 2024); subdivisions about other
 * agencies' records (test questions, appraisals, collective bargaining, ...) are left out. */
#include "ops_foia_exemptions.h"

#include <string.h>

static const struct foia_exemption exemptions[] = {
	{"1-210(b)(1)", "preliminary drafts or notes (public interest in withholding clearly "
	                "outweighs disclosure)"},
	{"1-210(b)(2)", "personnel, medical or similar files: invasion of personal privacy"},
	{"1-210(b)(3)(A)", "identity of an informant, or of a witness whose safety would be "
	                   "endangered"},
	{"1-210(b)(3)(B)", "identity of a minor witness"},
	{"1-210(b)(3)(C)", "signed statements of witnesses"},
	{"1-210(b)(3)(D)", "information for a prospective law enforcement action, if prejudicial "
	                   "to it"},
	{"1-210(b)(3)(E)", "investigatory techniques not otherwise known to the public"},
	{"1-210(b)(3)(F)", "arrest records of a juvenile"},
	{"1-210(b)(3)(G)", "name and address of a victim of sexual assault, voyeurism, risk of "
	                   "injury to a minor or family violence"},
	{"1-210(b)(3)(H)", "uncorroborated allegations subject to destruction (§ 1-216)"},
	{"1-210(b)(4)", "strategy and negotiations on pending claims or litigation"},
	{"1-210(b)(10)", "exempt by federal or state law, or privileged (attorney-client, "
	                 "doctor-patient, clergy-penitent, ...)"},
	{"1-210(b)(11)", "names or addresses of students without consent"},
	{"1-210(b)(12)", "information obtained by illegal means"},
	{"1-210(b)(13)", "a whistle-blower's identity or an investigation under § 4-61dd"},
	{"1-210(b)(14)", "tax returns"},
	{"1-210(b)(17)", "educational records protected by FERPA"},
	{"1-210(b)(19)", "reasonable grounds to believe disclosure may result in a safety risk"},
	{"1-210(b)(27)", "visual image of a homicide victim: unwarranted invasion of privacy"},
};

const struct foia_exemption *ops_foia_exemptions(size_t *n_r)
{
	*n_r = sizeof(exemptions) / sizeof(*exemptions);
	return exemptions;
}

const char *ops_foia_exemption_name(const char *citation)
{
	for (size_t i = 0; citation != NULL && i < sizeof(exemptions) / sizeof(*exemptions); i++)
		if (strcmp(exemptions[i].citation, citation) == 0)
			return exemptions[i].name;
	return NULL;
}

/* Hints for records staff by the routing category, not legal advice: a sexual assault
 * victim's identity is (3)(G); a child's abuse is risk of injury to a minor (§ 53-21, under
 * (3)(G) too) and a minor witness (3)(B); family violence is (3)(G), and a witness in danger
 * (3)(A). */
const char *ops_foia_review_hint(const char *categories, int confidential)
{
	if (categories && strstr(categories, "sexual-assault"))
		return "1-210(b)(3)(G): identity of a victim of sexual assault";
	if (categories && strstr(categories, "child-abuse"))
		return "1-210(b)(3)(G)/(B): a child victim (risk of injury) or a minor witness";
	if (categories && strstr(categories, "domestic-violence"))
		return "1-210(b)(3)(G)/(A): a family-violence victim; a witness whose safety is at risk";
	if (confidential)
		return "confidential thread: review every page";
	return NULL;
}
