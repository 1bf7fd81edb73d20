/* outbox_about.h — how a log line names an outbox row. */
#ifndef LIAISON_OUTBOX_ABOUT_H
#define LIAISON_OUTBOX_ABOUT_H

#include <stddef.h>

#include "store.h"

/* The row, its kind, mailbox and thread, never the recipient (`liaison outbox show ID` shows
 * it to those who may see it; a log is read by more people), written to buf (size bytes) and
 * returned. */
const char *outbox_row_about(const struct outbox_row *row, char *buf, size_t size);

#endif
