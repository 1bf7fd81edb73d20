/* poll_status.c — the poller's published state: DATABASE.poll-status, JSON (jansson). */
#include "poll_status.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define STATUS_MAX (4u << 20)  /* far beyond thousands of folders; a bigger file is not ours */

static const char *const state_names[] = {"connecting", "syncing", "idle", "polling",
                                          "backoff", "stopped"};

const char *folder_state_name(enum folder_state state)
{
	return (unsigned)state < sizeof(state_names) / sizeof(state_names[0]) ? state_names[state]
	                                                                       : "unknown";
}

static enum folder_state state_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (name && strcmp(name, state_names[i]) == 0)
			return (enum folder_state)i;
	return FOLDER_STOPPED;
}

char *poll_status_path(const char *database)
{
	return xasprintf("%s.poll-status", database);
}

static json_t *folder_json(const struct folder_status *f)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "mailbox", f->mailbox,
	                      "folder", f->folder, "state", folder_state_name(f->state),
	                      "last_sync", (json_int_t)f->last_sync,
	                      "state_since", (json_int_t)f->state_since,
	                      "retry_at", (json_int_t)f->retry_at,
	                      "reconnects", (json_int_t)f->reconnects,
	                      "waiting", (json_int_t)f->waiting);
	json_object_set_new(o, "reason", f->reason ? json_string(f->reason) : json_null());
	return o;
}

/* The file is padded with spaces (which JSON ignores) to whole STATUS_PAGEs and one more, so
 * that a later state, a little longer, still fits in the blocks it already has. */
#define STATUS_PAGE 4096u

static char *status_text(const struct poll_status *status, size_t *len_r)
{
	json_t *folders = json_array();
	for (size_t i = 0; i < status->n_folders; i++)
		json_array_append_new(folders, folder_json(&status->folders[i]));
	json_t *root = json_pack("{s:i, s:I, s:I, s:I, s:b, s:o}", "version", 1,
	                         "pid", (json_int_t)status->pid, "started",
	                         (json_int_t)status->started, "written", (json_int_t)status->written,
	                         "store_failing", status->store_failing, "folders", folders);
	json_object_set_new(root, "store_reason",
	                    status->store_reason ? json_string(status->store_reason) : json_null());
	char *json = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(root);
	if (json == NULL)
		return NULL;
	size_t len = strlen(json);
	size_t padded = (len / STATUS_PAGE + 2) * STATUS_PAGE;
	char *text = xmalloc(padded);
	memcpy(text, json, len);
	memset(text + len, ' ', padded - len - 1);
	text[padded - 1] = '\n';
	free(json);
	*len_r = padded;
	return text;
}

/* The disk is full (the very case the file must report): the new state is written over the
 * old file in place, into the blocks it already holds, when it fits.  Not atomic: a reader
 * may, for that instant, find a file it cannot parse, and read it again. */
static int write_in_place(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0)
		return -1;
	int rc = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size >= len) {
		/* Pad to the old size: the file neither grows nor shrinks. */
		size_t size = (size_t)st.st_size;
		char *padded = xmalloc(size);
		memcpy(padded, text, len);
		memset(padded + len, ' ', size - len);
		padded[size - 1] = '\n';
		rc = pwrite(fd, padded, size, 0) == (ssize_t)size ? 0 : -1;
		free(padded);
	}
	close(fd);
	return rc;
}

int poll_status_write(const char *database, const struct poll_status *status, char **error_r)
{
	size_t len = 0;
	char *text = status_text(status, &len);
	char *path = poll_status_path(database);
	char *tmp = xasprintf("%s.tmp", path);
	int rc = -1;
	int fd = text ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
	if (fd < 0 || fd_write_all(fd, text, len) < 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		fd = -1;
		unlink(tmp);
		if (text != NULL && (err == ENOSPC || err == EDQUOT) &&
		    write_in_place(path, text, len) == 0)
			rc = 0;
		else
			*error_r = xasprintf("%s: %s", tmp, text ? strerror(err) : "cannot encode");
	} else if (close(fd) < 0 || (fd = -1, rename(tmp, path) < 0)) {
		fd = -1;
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		unlink(tmp);
	} else {
		rc = 0;
	}
	free(text);
	free(tmp);
	free(path);
	return rc;
}

static char *dup_or_null(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

static int64_t integer(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

int poll_status_read(const char *database, struct poll_status *status_r, char **error_r)
{
	memset(status_r, 0, sizeof(*status_r));
	char *path = poll_status_path(database);
	char *data = NULL;
	size_t len = 0;
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	if (file_read_all(path, STATUS_MAX, &data, &len, error_r) < 0) {
		free(path);
		return -1;
	}
	json_error_t jerr;
	json_t *root = json_loadb(data, len, 0, &jerr);
	free(data);
	json_t *folders = json_object_get(root, "folders");
	if (root == NULL || !json_is_array(folders)) {
		*error_r = xasprintf("%s: not a poller's status file (%s)", path,
		                     root ? "no folders" : jerr.text);
		json_decref(root);
		free(path);
		return -1;
	}
	free(path);
	status_r->pid = integer(root, "pid");
	status_r->started = integer(root, "started");
	status_r->written = integer(root, "written");
	status_r->store_failing = json_is_true(json_object_get(root, "store_failing"));
	status_r->store_reason = dup_or_null(root, "store_reason");
	status_r->n_folders = json_array_size(folders);
	status_r->folders = xcalloc(status_r->n_folders + 1, sizeof(*status_r->folders));
	for (size_t i = 0; i < status_r->n_folders; i++) {
		json_t *o = json_array_get(folders, i);
		struct folder_status *f = &status_r->folders[i];
		f->mailbox = dup_or_null(o, "mailbox");
		f->folder = dup_or_null(o, "folder");
		if (f->mailbox == NULL)
			f->mailbox = xstrdup("?");
		if (f->folder == NULL)
			f->folder = xstrdup("?");
		f->state = state_from_name(json_string_value(json_object_get(o, "state")));
		f->reason = dup_or_null(o, "reason");
		f->last_sync = integer(o, "last_sync");
		f->state_since = integer(o, "state_since");
		f->retry_at = integer(o, "retry_at");
		f->reconnects = (uint64_t)integer(o, "reconnects");
		f->waiting = (uint64_t)integer(o, "waiting");
	}
	json_decref(root);
	return 1;
}

void poll_status_clear(struct poll_status *status)
{
	for (size_t i = 0; i < status->n_folders; i++) {
		free(status->folders[i].mailbox);
		free(status->folders[i].folder);
		free(status->folders[i].reason);
	}
	free(status->folders);
	free(status->store_reason);
	memset(status, 0, sizeof(*status));
}
