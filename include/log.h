/* log.h — the one place liaison logs: levels, stderr or syslog.  Never log message bodies
 * or secrets. */
#ifndef LIAISON_LOG_H
#define LIAISON_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Messages below level are dropped.  use_syslog sends them to syslog(3) instead of stderr. */
void log_setup(enum log_level level, int use_syslog);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
