/* secrets.c — checking a password_file when the configuration is read, and reading the
 * secret (a password_file's first line, or a token_command's output) when it is needed. */
#include "secrets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

char *secret_file_problem(const char *key, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return xasprintf("%s %s: %s", key, path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return xasprintf("%s %s: not a regular file", key, path);
	if (sb.st_mode & (S_IRWXG | S_IRWXO))
		return xasprintf("%s %s is readable by group or others (mode %03o); "
		                 "chmod 600 it", key, path, (unsigned)(sb.st_mode & 0777));
	return NULL;
}

char *config_read_secret(const char *password_file, const char *token_command, char **error_r)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = NULL;
	int from_command = password_file == NULL;
	if (from_command && token_command == NULL) {
		*error_r = xstrdup("neither password_file nor token_command is set");
		return NULL;
	}
	f = from_command ? popen(token_command, "r") : fopen(password_file, "r");
	if (f == NULL) {
		*error_r = xasprintf("%s: %s", from_command ? token_command : password_file,
		                     strerror(errno));
		return NULL;
	}
	ssize_t n = getline(&line, &cap, f);
	int status = from_command ? pclose(f) : fclose(f);
	if (n <= 0 || (from_command && status != 0)) {
		/* getline's buffer is not a string after a failed read: wipe it whole. */
		if (line != NULL)
			explicit_bzero(line, cap);
		free(line);
		*error_r = from_command
		    ? xasprintf("token_command '%s' failed (status %d) or printed nothing",
		                token_command, status)
		    : xasprintf("%s: empty", password_file);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}
