/* import.c — read raw messages from a Maildir, an mbox, a .eml file or a folder of .eml files.
 * Hands out bytes and a stable source key; parsing and storing are ingest.c's business. */
#include "import.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mbox_line.h"
#include "util.h"

#define IMPORT_CHUNK_SIZE (64 * 1024)

/* Maildir phases: new/, cur/, then messages that moved while we were reading (see
 * maildir_rescan_moved). */
enum { PHASE_NEW, PHASE_CUR, PHASE_MOVED, PHASE_COUNT };

/* Reads an mbox line by line through one fixed chunk, so a multi-gigabyte file never sits in
 * memory; a line longer than the cap keeps only its start (enough to classify it). */
struct line_reader {
	int fd;
	char *chunk;
	size_t pos, len;
	int eof;
	struct buf line;
	int line_long;    /* the line passed line.max: the rest was dropped */
	int line_newline; /* the line ended with '\n' (not cut by the end of the file) */
};

struct import_source {
	enum import_kind kind;
	char *abs_path; /* realpath of what was opened */
	size_t max_message;
	int done;

	/* The message handed out last: file kinds read into data, mbox into msg. */
	char *data;
	size_t data_cap;
	struct buf msg;
	struct buf key;

	/* Maildir and folder of .eml: sorted names per phase, read through directory fds so
	 * each message costs one openat/fstat/read. */
	struct strlist names[PHASE_COUNT];
	int dir_fd[2]; /* new/ and cur/ (a folder of .eml: the folder, in [0]) */
	int phase;
	size_t index;
	struct strlist vanished; /* Maildir base names gone between listing and reading */

	/* mbox */
	struct line_reader rd;
	unsigned long ordinal;
	int have_from;      /* a separator line was read: it opens the next message */
	int from_partial;   /* ... and the file ended inside it */
	int64_t from_date;  /* its date */
};

/* What file_read_message found. */
enum { READ_GONE, READ_OK, READ_SKIP };

static int phase_fd(const struct import_source *src, int phase)
{
	return src->dir_fd[phase == PHASE_MOVED ? PHASE_CUR : phase];
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_sort(struct strlist *l)
{
	if (l->count > 1)
		qsort(l->items, l->count, sizeof(*l->items), cmp_names);
}

/* Maildir unique names end at ':' ("<unique>:2,<flags>"); flag changes only touch the rest. */
static size_t maildir_base_len(const char *name)
{
	const char *colon = strchr(name, ':');
	return colon != NULL ? (size_t)(colon - name) : strlen(name);
}

/* Lists the entries of dir_fd a message could be in: everything but dotfiles and folders
 * (d_type when the file system gives it, so 20,000 files cost no stat).  Links, FIFOs and
 * devices are listed on purpose: file_read_message refuses each by name, so an administrator
 * sees it counted as unreadable rather than silently left out.  dir_fd stays open. */
static int dir_list_names(int dir_fd, const char *display, struct strlist *out, char **error_r)
{
	int fd = dup(dir_fd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (dir == NULL) {
		*error_r = xasprintf("%s: %s", display, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* fdopendir shares the offset of dir_fd's duplicate: start from the top. */
	rewinddir(dir);
	for (;;) {
		errno = 0;
		const struct dirent *de = readdir(dir);
		if (de == NULL)
			break;
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_DIR)
			continue;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			/* a link to a folder is not a folder: it is listed, and refused */
			if (fstatat(dir_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISDIR(st.st_mode))
				continue;
		}
		strlist_add(out, de->d_name);
	}
	int err = errno;
	closedir(dir);
	if (err != 0) {
		*error_r = xasprintf("%s: %s", display, strerror(err));
		return -1;
	}
	names_sort(out);
	return 0;
}

/* Links and special files.  Nothing inside a source folder is read through a symbolic link,
 * wherever it points: not a Maildir's cur/ or new/, not a message in them, not a file of a
 * folder of .eml files.  No mail program makes one there (Maildir delivery renames, Dovecot
 * copies by hard link), and a link is how a file from elsewhere, a password file say, would
 * be stored as mail and handed out by `liaison raw`; letting links that stay inside pass
 * would take resolving them, the very step that can be raced.  Each is refused by name as
 * unreadable and the run goes on.  O_NOFOLLOW on an openat() relative to the folder's
 * descriptor checks and opens in one step, and the type is checked on what was opened
 * (fstat; an lstat before the open could be raced): a FIFO, socket or device is refused.
 * O_NONBLOCK keeps a FIFO from hanging the reader, O_NOCTTY a terminal from becoming ours;
 * only root can make a device node.  A PATH named on the command line is the administrator's
 * choice and is followed.  A hard link is the file itself and is read: Maildirs have them,
 * and protected_hardlinks keeps a user from linking a file he could not write. */
#define OPEN_MESSAGE_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)

static const char *file_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISDIR(mode))
		return "a folder";
	return S_ISREG(mode) ? "a regular file" : "a special file";
}

/* The error for name in dir_fd that open() refused with err: a link or special file is named
 * for what it is (a socket fails with ENXIO, which would say nothing), else strerror. */
static char *open_error(int dir_fd, const char *name, const char *display, int err)
{
	struct stat st;
	if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISREG(st.st_mode) ||
	    S_ISDIR(st.st_mode))
		return xasprintf("%s: %s", display, strerror(err));
	if (!S_ISLNK(st.st_mode))
		return xasprintf("%s: %s, not a regular file: not read", display,
		                 file_kind(st.st_mode));
	char target[PATH_MAX];
	ssize_t n = readlinkat(dir_fd, name, target, sizeof(target));
	if (n <= 0 || (size_t)n >= sizeof(target))
		return xasprintf("%s: a symbolic link: not followed", display);
	return xasprintf("%s: a symbolic link (to %.*s): not followed", display, (int)n, target);
}

/* Opens the folder name in dir_fd, never through a link (see above). */
static int open_dir_at(int dir_fd, const char *name, const char *display, char **error_r)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		char *where = xasprintf("%s/%s", display, name);
		*error_r = open_error(dir_fd, name, where, errno);
		free(where);
	}
	return fd;
}

static void data_reserve(struct import_source *src, size_t size)
{
	if (size + 1 > src->data_cap) {
		src->data_cap = size + 1;
		src->data = xrealloc(src->data, src->data_cap);
	}
}

/* Reads one message file into src->data: one open, one fstat, reads of exactly its size.
 * Returns READ_OK, READ_GONE (no such file any more), READ_SKIP (a folder), or -1 with
 * *error_r (a link, a special file, too large, unreadable). */
static int file_read_message(struct import_source *src, int dir_fd, const char *name,
                             const char *display, struct import_item *item, char **error_r)
{
	int fd = openat(dir_fd, name, OPEN_MESSAGE_FLAGS);
	if (fd < 0) {
		if (errno == ENOENT)
			return READ_GONE;
		*error_r = open_error(dir_fd, name, display, errno);
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0) {
		*error_r = xasprintf("%s: %s", display, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return READ_SKIP;
	}
	if (!S_ISREG(st.st_mode)) {
		*error_r = xasprintf("%s: %s, not a regular file: not read", display,
		                     file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > src->max_message) {
		*error_r = xasprintf("%s: %lld bytes, larger than the limit of %zu", display,
		                     (long long)st.st_size, src->max_message);
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size, len = 0;
	data_reserve(src, size);
	/* A file that shrank while we read it is taken as it now is; one that grew, as it was. */
	while (len < size) {
		ssize_t n = read(fd, src->data + len, size - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*error_r = xasprintf("%s: %s", display, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	src->data[len] = '\0';
	item->raw = src->data;
	item->len = len;
	item->internal_date = (int64_t)st.st_mtime;
	return READ_OK;
}

/* ---- Maildir and folder of .eml ---------------------------------------------------------- */

static const char *const maildir_sub[PHASE_COUNT] = { "new", "cur", "cur" };

static int maildir_open(struct import_source *src, const char *display, char **error_r)
{
	int top = open(src->abs_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0) {
		*error_r = xasprintf("%s: %s", display, strerror(errno));
		return -1;
	}
	int rc = -1;
	src->dir_fd[PHASE_NEW] = open_dir_at(top, "new", display, error_r);
	if (src->dir_fd[PHASE_NEW] < 0)
		goto out;
	src->dir_fd[PHASE_CUR] = open_dir_at(top, "cur", display, error_r);
	if (src->dir_fd[PHASE_CUR] < 0)
		goto out;
	for (int p = PHASE_NEW; p <= PHASE_CUR; p++) {
		char *where = xasprintf("%s/%s", display, maildir_sub[p]);
		rc = dir_list_names(src->dir_fd[p], where, &src->names[p], error_r);
		free(where);
		if (rc < 0)
			goto out;
	}
	rc = 0;
out:
	close(top);
	return rc;
}

/* A message renamed by another client (new/ to cur/, or a flag change) between our listing
 * and our read is looked for once more in cur/ by its base name, after everything else: one
 * extra listing and a sorted lookup, whatever the number of moves. */
static void maildir_rescan_moved(struct import_source *src)
{
	if (src->vanished.count == 0)
		return;
	names_sort(&src->vanished);
	struct strlist now = { 0 };
	char *ignored = NULL;
	if (dir_list_names(phase_fd(src, PHASE_MOVED), src->abs_path, &now, &ignored) < 0) {
		/* cur/ unreadable now: the messages count as deleted, a later run takes them. */
		free(ignored);
		return;
	}
	for (size_t i = 0; i < now.count; i++) {
		const char *name = now.items[i];
		char *base = xstrndup(name, maildir_base_len(name));
		if (bsearch(&base, src->vanished.items, src->vanished.count,
		            sizeof(*src->vanished.items), cmp_names) != NULL)
			strlist_add(&src->names[PHASE_MOVED], name);
		free(base);
	}
	strlist_free(&now);
}

static int dir_next(struct import_source *src, struct import_item *item, char **error_r)
{
	for (;;) {
		while (src->phase < PHASE_COUNT && src->index >= src->names[src->phase].count) {
			src->phase++;
			src->index = 0;
			if (src->kind == IMPORT_MAILDIR && src->phase == PHASE_MOVED)
				maildir_rescan_moved(src);
		}
		if (src->phase >= PHASE_COUNT)
			return 0;
		const char *name = src->names[src->phase].items[src->index++];
		int maildir = src->kind == IMPORT_MAILDIR;
		char *display = maildir ? xasprintf("%s/%s/%s", src->abs_path,
		                                    maildir_sub[src->phase], name)
		                        : xasprintf("%s/%s", src->abs_path, name);
		int rc = file_read_message(src, phase_fd(src, src->phase), name, display, item,
		                           error_r);
		free(display);
		if (rc < 0)
			return -1;
		if (rc == READ_SKIP)
			continue;
		if (rc == READ_GONE) {
			if (maildir && src->phase != PHASE_MOVED) {
				char *base = xstrndup(name, maildir_base_len(name));
				strlist_add(&src->vanished, base);
				free(base);
			} else if (!maildir) {
				/* A folder of .eml files is not shared with a mail client: a file
				 * gone under us is worth telling. */
				*error_r = xasprintf("%s/%s: vanished while importing",
				                     src->abs_path, name);
				return -1;
			}
			continue;
		}
		buf_reset(&src->key);
		size_t keep = maildir ? maildir_base_len(name) : strlen(name);
		if (buf_addstr(&src->key, src->abs_path) < 0 || buf_add(&src->key, "/", 1) < 0 ||
		    buf_add(&src->key, name, keep) < 0) {
			*error_r = xasprintf("%s/%s: source key too long", src->abs_path, name);
			return -1;
		}
		item->source = src->key.data;
		return 1;
	}
}

static int eml_dir_open(struct import_source *src, const char *display, char **error_r)
{
	src->dir_fd[PHASE_NEW] = open(src->abs_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src->dir_fd[PHASE_NEW] < 0) {
		*error_r = xasprintf("%s: %s", display, strerror(errno));
		return -1;
	}
	if (dir_list_names(src->dir_fd[PHASE_NEW], display, &src->names[PHASE_NEW], error_r) < 0)
		return -1;
	if (src->names[PHASE_NEW].count == 0) {
		*error_r = xasprintf("%s: not a Maildir (no cur/ and new/) and holds no message "
		                     "files", display);
		return -1;
	}
	return 0;
}

/* ---- single .eml -------------------------------------------------------------------------- */

static int eml_next(struct import_source *src, struct import_item *item, char **error_r)
{
	if (src->done)
		return 0;
	src->done = 1;
	int rc = file_read_message(src, AT_FDCWD, src->abs_path, src->abs_path, item, error_r);
	if (rc < 0)
		return -1;
	if (rc != READ_OK) {
		*error_r = xasprintf("%s: vanished while importing", src->abs_path);
		return -1;
	}
	item->source = src->abs_path;
	return 1;
}

/* ---- mbox --------------------------------------------------------------------------------- */

static int is_blank_line(const char *s, size_t len)
{
	return (len == 1 && s[0] == '\n') || (len == 2 && s[0] == '\r' && s[1] == '\n');
}


/* ---- mbox line reader --------------------------------------------------------------------- */

static void line_reader_init(struct line_reader *r, int fd, size_t max_line)
{
	r->fd = fd;
	r->chunk = xmalloc(IMPORT_CHUNK_SIZE);
	r->pos = r->len = 0;
	r->eof = 0;
	buf_init(&r->line, max_line);
	r->line_long = 0;
	r->line_newline = 0;
}

static void line_reader_free(struct line_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->chunk);
	r->chunk = NULL;
	buf_free(&r->line);
}

/* Reads the next line, newline included, into r->line.  Returns 1, 0 at the end of the
 * file, -1 with *error_r on a read error. */
static int line_reader_next(struct line_reader *r, const char *display, char **error_r)
{
	buf_reset(&r->line);
	r->line_long = 0;
	r->line_newline = 0;
	int got_any = 0;
	for (;;) {
		if (r->pos == r->len) {
			if (r->eof)
				return got_any;
			ssize_t n = read(r->fd, r->chunk, IMPORT_CHUNK_SIZE);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				*error_r = xasprintf("%s: %s", display, strerror(errno));
				return -1;
			}
			if (n == 0) {
				r->eof = 1;
				return got_any;
			}
			r->pos = 0;
			r->len = (size_t)n;
		}
		const char *start = r->chunk + r->pos;
		const char *nl = memchr(start, '\n', r->len - r->pos);
		size_t take = nl != NULL ? (size_t)(nl - start) + 1 : r->len - r->pos;
		got_any = 1;
		if (!r->line_long && buf_add(&r->line, start, take) < 0)
			r->line_long = 1;
		r->pos += take;
		if (nl != NULL) {
			r->line_newline = 1;
			return 1;
		}
	}
}

/* Looks at the first non-empty line without moving the file offset: an mbox starts with a
 * separator (a header line would have a colon right after its name). */
static int file_looks_like_mbox(int fd, const char *display, int *mbox_r, char **error_r)
{
	char chunk[4096];
	off_t off = 0;
	for (;;) {
		ssize_t n = pread(fd, chunk, sizeof(chunk), off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*error_r = xasprintf("%s: %s", display, strerror(errno));
			return -1;
		}
		if (n == 0) {
			*mbox_r = 0;
			return 0;
		}
		size_t i = 0, got = (size_t)n;
		while (i < got) {
			if (chunk[i] == '\n')
				i++;
			else if (chunk[i] == '\r' && i + 1 < got && chunk[i + 1] == '\n')
				i += 2;
			else
				break;
		}
		/* A '\r' at the very end of a full chunk may start a "\r\n": read on from it. */
		if (i < got && !(chunk[i] == '\r' && i + 1 == got && got == sizeof(chunk))) {
			char head[MBOX_SEPARATOR_MAX + 3];
			ssize_t h;
			do
				h = pread(fd, head, sizeof(head), off + (off_t)i);
			while (h < 0 && errno == EINTR);
			if (h < 0) {
				*error_r = xasprintf("%s: %s", display, strerror(errno));
				return -1;
			}
			const char *nl = memchr(head, '\n', (size_t)h);
			size_t line_len = nl != NULL ? (size_t)(nl - head) + 1 : (size_t)h;
			int64_t ignored;
			*mbox_r = mbox_line_is_separator(head, line_len, &ignored);
			return 0;
		}
		off += (off_t)i;
	}
}

/* ---- mbox messages ------------------------------------------------------------------------ */

static void mbox_take_separator(struct import_source *src, int64_t date)
{
	src->have_from = 1;
	src->from_partial = !src->rd.line_newline;
	src->from_date = date;
}

static void mbox_open(struct import_source *src, int fd)
{
	/* A line this long makes its message too large even after unquoting: keep no more. */
	size_t max_line = src->max_message < SIZE_MAX - 2 ? src->max_message + 2 : SIZE_MAX;
	line_reader_init(&src->rd, fd, max_line);
}

/* A message starts at a separator line (mbox_is_separator) that opens the file or follows an
 * empty line; that empty line belongs to the separator, as does the one that ends the file.
 * Every other line is the message's, a "From " line without a valid date too: a body that
 * says "From here on..." after a paragraph break is not cut.  The empty line is required
 * although mutt and Dovecot read without it: every writer (mutt, Dovecot, Python's mailbox,
 * Thunderbird, Postfix) puts one there, so it is one more thing a body line must match.
 *
 * What no reader can do: in a file whose writer did not quote ^From lines ("mboxo" without
 * quoting), a body holding an empty line and then a well-formed separator (a stranger's
 * "From TroopKCTL@ct.gov Sat Dec  5 10:00:00 2026") looks exactly like two messages, and is
 * cut there.  Writers that quote such lines (Postfix's local delivery, procmail, Python's
 * mailbox, Thunderbird) leave none in their files.  Otherwise both parts are stored and
 * counted, the second as a message of its own, judged by its own headers like any mail.  Content-Length is not honoured as mutt can: it is a
 * header the sender writes too, so trusting it only moves the trust to another line of his,
 * and a length that happens to land on a separator would fold the next real messages into
 * his.
 *
 * A message is truncated when the file ends without a final newline, or ends while the
 * message is still in its header block (no empty line after it at all).  Oversized or
 * truncated messages are errors for that message; the next call goes on with the one after. */
static int mbox_next(struct import_source *src, struct import_item *item, char **error_r)
{
	struct line_reader *r = &src->rd;
	int64_t date;
	if (src->done)
		return 0;
	if (!src->have_from) {
		/* First message: the file was detected as starting, after empty lines, with a
		 * separator. */
		int rc;
		do
			rc = line_reader_next(r, src->abs_path, error_r);
		while (rc == 1 && is_blank_line(r->line.data, r->line.len));
		if (rc <= 0) {
			src->done = 1;
			return rc;
		}
		if (r->line_long || !mbox_line_is_separator(r->line.data, r->line.len, &date)) {
			src->done = 1;
			*error_r = xasprintf("%s: no longer starts with a \"From \" separator line",
			                     src->abs_path);
			return -1;
		}
		mbox_take_separator(src, date);
	}

	unsigned long ordinal = ++src->ordinal;
	date = src->from_date;
	/* why it is truncated, if it is */
	const char *truncated = src->from_partial ? "the file ends inside its \"From \" line" : NULL;
	int oversize = 0, in_header = 1;
	char blank[2];
	size_t blank_len = 0; /* an empty line held back: separator or message? */
	src->have_from = 0;
	buf_reset(&src->msg);

	for (;;) {
		int rc = line_reader_next(r, src->abs_path, error_r);
		if (rc < 0) {
			src->done = 1;
			return -1;
		}
		if (rc == 0) {
			src->done = 1;
			break;
		}
		const char *line = r->line.data;
		size_t len = r->line.len;
		if (!r->line_newline)
			truncated = "the file does not end with a newline";
		if (is_blank_line(line, len)) {
			if (blank_len > 0) {
				if (!oversize && buf_add(&src->msg, blank, blank_len) < 0)
					oversize = 1;
				in_header = 0;
			}
			memcpy(blank, line, len);
			blank_len = len;
			continue;
		}
		int64_t next_date;
		if (blank_len > 0 && !r->line_long && mbox_line_is_separator(line, len, &next_date)) {
			mbox_take_separator(src, next_date);
			break;
		}
		if (blank_len > 0) {
			if (!oversize && buf_add(&src->msg, blank, blank_len) < 0)
				oversize = 1;
			in_header = 0;
			blank_len = 0;
		}
		if (mbox_line_is_quoted_from(line, len)) {
			line++;
			len--;
		}
		if (r->line_long || (!oversize && buf_add(&src->msg, line, len) < 0))
			oversize = 1;
	}
	if (truncated == NULL && src->done && in_header && blank_len == 0)
		truncated = "the file ends inside its header block";
	if (truncated != NULL) {
		*error_r = xasprintf("%s#%lu: truncated message: %s", src->abs_path, ordinal,
		                     truncated);
		return -1;
	}
	if (oversize) {
		*error_r = xasprintf("%s#%lu: message larger than the limit of %zu bytes",
		                     src->abs_path, ordinal, src->max_message);
		return -1;
	}
	buf_reset(&src->key);
	if (buf_addf(&src->key, "%s#%lu", src->abs_path, ordinal) < 0) {
		*error_r = xasprintf("%s#%lu: source key too long", src->abs_path, ordinal);
		return -1;
	}
	if (src->msg.data == NULL)
		buf_add(&src->msg, "", 0); /* a 0-byte message still gets a valid pointer */
	item->raw = src->msg.data;
	item->len = src->msg.len;
	item->source = src->key.data;
	item->internal_date = date;
	return 1;
}

/* ---- open / next / close ------------------------------------------------------------------ */

/* cur/ or new/ as a folder, or as a link of any kind: a Maildir with a linked cur/ is still
 * recognised as one, so that maildir_open refuses it by name. */
static int maildir_sub_present(int dir_fd, const char *name)
{
	struct stat st;
	return fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode));
}

static int is_maildir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int yes = maildir_sub_present(fd, "cur") && maildir_sub_present(fd, "new");
	close(fd);
	return yes;
}

static struct import_source *source_new(size_t max_message)
{
	struct import_source *src = xcalloc(1, sizeof(*src));
	src->max_message = max_message;
	src->dir_fd[0] = src->dir_fd[1] = -1;
	src->rd.fd = -1;
	buf_init(&src->msg, max_message);
	/* Keys are paths plus a short suffix: PATH_MAX bounds them. */
	buf_init(&src->key, PATH_MAX + NAME_MAX + 64);
	return src;
}

int import_source_open(const char *path, size_t max_message, struct import_source **src_r,
                       char **error_r)
{
	*src_r = NULL;
	struct stat st;
	/* stat, not lstat: a PATH named by the administrator may be a link (see OPEN_MESSAGE_FLAGS
	 * for what happens to links inside it). */
	if (stat(path, &st) < 0) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	char *abs = realpath(path, NULL);
	if (abs == NULL) {
		*error_r = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	struct import_source *src = source_new(max_message);
	src->abs_path = xstrdup(abs);
	free(abs);
	int rc = -1;
	if (S_ISDIR(st.st_mode)) {
		if (is_maildir(src->abs_path)) {
			src->kind = IMPORT_MAILDIR;
			rc = maildir_open(src, path, error_r);
		} else {
			src->kind = IMPORT_EML_DIR;
			rc = eml_dir_open(src, path, error_r);
		}
	} else if (S_ISREG(st.st_mode)) {
		/* A FIFO swapped in since the stat must neither hang us nor be read. */
		int fd = open(src->abs_path, OPEN_MESSAGE_FLAGS);
		int mbox = 0;
		if (fd < 0) {
			*error_r = open_error(AT_FDCWD, src->abs_path, path, errno);
		} else if (fstat(fd, &st) < 0) {
			*error_r = xasprintf("%s: %s", path, strerror(errno));
			close(fd);
		} else if (!S_ISREG(st.st_mode)) {
			*error_r = xasprintf("%s: %s, not a regular file: not read", path,
			                     file_kind(st.st_mode));
			close(fd);
		} else if (file_looks_like_mbox(fd, path, &mbox, error_r) < 0) {
			close(fd);
		} else if (mbox) {
			src->kind = IMPORT_MBOX;
			mbox_open(src, fd);
			rc = 0;
		} else {
			/* Read on the first _next, like every other message file. */
			close(fd);
			src->kind = IMPORT_EML;
			rc = 0;
		}
	} else {
		*error_r = xasprintf("%s: %s, not a Maildir, an mbox, a .eml file or a folder of "
		                     ".eml files", path, file_kind(st.st_mode));
	}
	if (rc < 0) {
		import_source_close(&src);
		return -1;
	}
	*src_r = src;
	return 0;
}

enum import_kind import_source_kind(const struct import_source *src)
{
	return src->kind;
}

int import_source_next(struct import_source *src, struct import_item *item, char **error_r)
{
	switch (src->kind) {
	case IMPORT_MAILDIR:
	case IMPORT_EML_DIR:
		return dir_next(src, item, error_r);
	case IMPORT_MBOX:
		return mbox_next(src, item, error_r);
	case IMPORT_EML:
		return eml_next(src, item, error_r);
	}
	return 0;
}

void import_source_close(struct import_source **srcp)
{
	struct import_source *src = *srcp;
	if (src == NULL)
		return;
	for (int p = 0; p < PHASE_COUNT; p++)
		strlist_free(&src->names[p]);
	for (int i = 0; i < 2; i++)
		if (src->dir_fd[i] >= 0)
			close(src->dir_fd[i]);
	strlist_free(&src->vanished);
	line_reader_free(&src->rd);
	buf_free(&src->msg);
	buf_free(&src->key);
	free(src->data);
	free(src->abs_path);
	free(src);
	*srcp = NULL;
}
