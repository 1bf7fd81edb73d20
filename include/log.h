/* log.h — the one place liaison logs: levels, one line each, to stderr (which systemd hands
 * to the journal).  Never log message bodies, passwords or tokens; name the mailbox/folder,
 * thread or outbox row a line is about. */
#ifndef LIAISON_LOG_H
#define LIAISON_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Starts logging at the default level (info), or lower as the command line asks: verbosity
 * 1 (-v) is info, 2 or more (-vv) debug.  Under systemd (JOURNAL_STREAM names this process's
 * stderr) each line starts with its syslog priority, "<4>", so the journal records levels;
 * elsewhere lines read "liaison: warning: ...". */
void log_start(int verbosity);
/* The configuration's log_level: messages below it are dropped, unless the command line
 * asked for more (the lower of the two wins).  Callable again when the configuration is
 * read again (SIGHUP). */
void log_set_configured_level(enum log_level level);
/* "debug", "info", "warning" or "error" into *level_r; -1 for anything else. */
int log_level_parse(const char *name, enum log_level *level_r);
/* The level's name as log_level_parse takes it. */
const char *log_level_name(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
