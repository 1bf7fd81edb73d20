/* clock.h — the response clock: a thread's first answer written by a person is due within
 * respond_within Connecticut business days (calendar.h) of the date its first incoming
 * message from a person arrived, in the program's time zone (cli.c sets TZ from the
 * configuration).
 *
 * What counts as an answer is decided when a message is filed (ingest.c,
 * store_thread_clock): an outgoing message (Sent folder, from the troop address, or a reply
 * sent by `liaison reply`) without an Auto-Submitted header and not one of liaison's own
 * auto-replies or notices in the outbox.  Pure functions; nothing here allocates. */
#ifndef LIAISON_CLOCK_H
#define LIAISON_CLOCK_H

#include <stdint.h>

#include "calendar.h"

/* The day by which the first answer is due: respond_within business days after the local
 * date of first_in_at (0: no incoming message yet, the date returned is invalid {0,0,0}). */
struct cal_date clock_due(int64_t first_in_at, int respond_within);

/* 1 when the first answer is late: answered on a local date after the due date, or not
 * answered, not closed, and now's local date is after the due date; 0 otherwise (also when
 * the thread has no incoming message from a person). */
int clock_overdue(int64_t first_in_at, int64_t first_response_at, int closed,
                  int respond_within, int64_t now);

#endif
