/* ops_result.h — what every operation returns (ops.h and the helpers below it, such as
 * ops_vocab.h, share it; a header of its own so that they need not include each other). */
#ifndef LIAISON_OPS_RESULT_H
#define LIAISON_OPS_RESULT_H

/* Results: 0 done; OPS_REFUSED the actor may not (the message says why); OPS_INVALID the
 * request is wrong (bad value, missing RMS number); OPS_NOT_FOUND what it names does not
 * exist (no such thread, message, request, event); OPS_CONFLICT it changed meanwhile (another
 * user or the poller got there first: look again); OPS_UNCONFIRMED the request is allowed but
 * needs the actor to confirm a warning first (the message says what and how: a reply that
 * seems to ask about immigration status); OPS_FAILED a store error. */
enum {
	OPS_OK = 0,
	OPS_FAILED = -1,
	OPS_REFUSED = -2,
	OPS_INVALID = -3,
	OPS_NOT_FOUND = -4,
	OPS_CONFLICT = -5,
	OPS_UNCONFIRMED = -6,
};

#endif
