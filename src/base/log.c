/* log.c — levels, stderr or syslog.  Callers never pass message bodies or secrets. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

static enum log_level min_level = LOG_LEVEL_INFO;
static int to_syslog;

void log_setup(enum log_level level, int use_syslog)
{
	min_level = level;
	to_syslog = use_syslog;
	if (use_syslog)
		openlog("liaison", LOG_PID, LOG_MAIL);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warning", "error"};
	static const int priorities[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
	if (level < min_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	if (to_syslog) {
		vsyslog(priorities[level], fmt, ap);
	} else {
		fprintf(stderr, "liaison: %s: ", names[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
