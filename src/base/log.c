/* log.c — levels, one line per message on stderr; under systemd with the syslog priority
 * prefix journald reads ("<3>"), so `journalctl -p warning` works.  Callers never pass
 * message bodies or secrets. */
#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const level_names[] = {"debug", "info", "warning", "error"};
/* syslog(3) priorities: LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR */
static const int syslog_priorities[] = {7, 6, 4, 3};

/* what -v (info) or -vv (debug) asked for; ERROR when nothing was asked: the lower wins */
static enum log_level command_line_level = LOG_LEVEL_ERROR;
/* read by every thread, set again on a reload */
static atomic_int min_level = LOG_LEVEL_INFO;
static int to_journal;
static int copy_fd = -1; /* LIAISON_LOG_COPY: every line appended there too */

/* systemd sets JOURNAL_STREAM=DEV:INODE for a service whose stderr is the journal; a child
 * whose stderr was redirected elsewhere keeps the variable, so the file itself is compared. */
static int stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (stream == NULL || sscanf(stream, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) != 0)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_set_configured_level(enum log_level level)
{
	atomic_store(&min_level, level < command_line_level ? level : command_line_level);
}

void log_start(int verbosity)
{
	command_line_level = verbosity >= 2 ? LOG_LEVEL_DEBUG
	                   : verbosity == 1 ? LOG_LEVEL_INFO : LOG_LEVEL_ERROR;
	/* until the configuration is read (and for commands that read none): the default */
	log_set_configured_level(LOG_LEVEL_INFO);
	to_journal = stderr_is_journal();
	/* The test suite's log check reads every line any liaison process wrote, wherever a
	 * test sent its stderr.  O_APPEND: one line per write, whole, from every process. */
	const char *copy = getenv("LIAISON_LOG_COPY");
	if (copy != NULL && copy[0] != '\0' && copy_fd < 0)
		copy_fd = open(copy, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

int log_level_parse(const char *name, enum log_level *level_r)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(*level_names); i++)
		if (strcmp(name, level_names[i]) == 0) {
			*level_r = (enum log_level)i;
			return 0;
		}
	return -1;
}

const char *log_level_name(enum log_level level)
{
	return level >= LOG_LEVEL_DEBUG && level <= LOG_LEVEL_ERROR ? level_names[level] : "?";
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	int shown = (int)level >= atomic_load(&min_level);
	/* the copy takes every level, so the suite's check sees the debug lines too */
	if (!shown && copy_fd < 0)
		return;
	/* One write per line, so the poller's threads never interleave halves of lines. */
	char line[2048];
	int n = to_journal ? snprintf(line, sizeof(line), "<%d>%s: ", syslog_priorities[level],
	                              level_names[level])
	                   : snprintf(line, sizeof(line), "liaison: %s: ", level_names[level]);
	size_t start = (size_t)n;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + start, sizeof(line) - start - 1, fmt, ap);
	va_end(ap);
	size_t len = strlen(line);
	/* A value from a stranger (a subject, a server's answer) cannot start a forged line. */
	for (size_t i = start; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = ' ';
	line[len++] = '\n';
	if (shown)
		fwrite(line, 1, len, stderr);
	if (copy_fd >= 0 && write(copy_fd, line, len) < 0) {
		/* a copy that cannot be written is not worth stopping for */
	}
}
