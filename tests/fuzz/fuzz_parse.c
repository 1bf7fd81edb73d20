/* libFuzzer target: the parse path every stranger's mail takes — GMime parsing, the text and
 * attachment walk, classification, subject handling, and what the routing model reads of the
 * text (case folding, stems, letter groups).  `make fuzz` builds and runs it. */
#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "mime.h"
#include "route_features.h"
#include "thread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	if (!initialised) {
		mime_global_init();
		initialised = 1;
	}
	struct mime_limits limits;
	mime_limits_default(&limits);
	struct parsed_message *msg = NULL;
	mime_parse((const char *)data, size, &limits, &msg);

	struct mailbox_config box = {.name = "K", .troop = 'K', .address = "troopkctl@ct.gov",
	                             .sent_folder = "Sent"};
	struct classification cls;
	classify_message(msg, &box, "INBOX", &cls);
	int reply;
	char *base = thread_base_subject(msg->subject, &reply);
	char ref[THREAD_REF_SIZE];
	thread_find_subject_tag(msg->subject, ref);
	free(base);
	struct route_features f;
	route_features_make(msg->subject, msg->text, &f);
	route_features_free(&f);
	parsed_message_free(&msg);
	return 0;
}
