/* clock.c — when a thread's first answer is due, and whether it was late. */
#include "clock.h"

#include <stddef.h>

struct cal_date clock_due(int64_t first_in_at, int respond_within)
{
	if (first_in_at <= 0)
		return (struct cal_date){0, 0, 0};
	return calendar_add_business_days(calendar_date_of(first_in_at, NULL), respond_within);
}

int clock_overdue(int64_t first_in_at, int64_t first_response_at, int closed,
                  int respond_within, int64_t now)
{
	struct cal_date due = clock_due(first_in_at, respond_within);
	if (!calendar_is_valid(due))
		return 0;
	/* A whole due day is allowed: late means a later date, not a later hour. */
	if (first_response_at > 0)
		return calendar_compare(calendar_date_of(first_response_at, NULL), due) > 0;
	/* A thread closed without a written answer was dealt with another way (a call). */
	return !closed && calendar_compare(calendar_date_of(now, NULL), due) > 0;
}
