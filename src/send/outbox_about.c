/* outbox_about.c — how a log line names an outbox row (outbox_about.h). */
#include "outbox_about.h"

#include <stdio.h>

const char *outbox_row_about(const struct outbox_row *row, char *buf, size_t size)
{
	snprintf(buf, size, "outbox %lld (%s; mailbox %s%s%s)", (long long)row->id, row->kind,
	         row->mailbox ? row->mailbox : "?", row->thread_ref ? ", thread " : "",
	         row->thread_ref ? row->thread_ref : "");
	return buf;
}
