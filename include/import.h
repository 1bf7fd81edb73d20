/* import.h — read messages from local sources: a Maildir, an mbox (mboxrd or mboxo), a .eml
 * file or a folder of .eml files.  Knows nothing of the store or of parsing: it hands out raw
 * bytes with a stable source key, and ingest.c does the rest. */
#ifndef LIAISON_IMPORT_H
#define LIAISON_IMPORT_H

#include <stddef.h>
#include <stdint.h>

enum import_kind { IMPORT_MAILDIR, IMPORT_MBOX, IMPORT_EML, IMPORT_EML_DIR };

struct import_source;

/* One message read from a source.  All fields are owned by the source and valid until the
 * next import_source_next call. */
struct import_item {
	const char *raw;      /* the message bytes exactly as stored (mbox: "From " line removed and
	                         ">From " quoting undone per the detected mboxrd/mboxo format) */
	size_t len;
	const char *source;   /* stable key of this message in its source, unique within it:
	                         "<abs path of Maildir>/<file name up to the first ':'>" (no new/ or
	                         cur/, so moving new/ -> cur/ and flag changes keep it),
	                         "<abs mbox path>#<1-based ordinal>" (ordinals count every message,
	                         errors included), or "<abs .eml path>" (in a folder of .eml files:
	                         "<abs folder path>/<file name>") */
	int64_t internal_date;/* Unix time when it arrived: Maildir or .eml file mtime, or the
	                         date of the mbox separator line (UTC unless the line carries a
	                         +hhmm zone) */
};

/* Opens path, detecting what it is: a folder with cur/ and new/ is a Maildir; another folder
 * is a folder of .eml files (its entries not starting with '.'; subfolders skipped); a
 * regular file whose first non-empty line is an mbox separator is an mbox; any other regular
 * file is one .eml message (an empty one too: a 0-byte message the caller can quarantine).
 * path itself may be a symbolic link (the administrator's choice: it is followed, and keys
 * use the real path); nothing inside it is followed.  Returns 0, or -1 with *error_r (caller
 * frees) naming the path: missing ("PATH: No such file or directory"), unreadable, a folder
 * holding no message files, a Maildir whose cur/ or new/ is a symbolic link, or not a file or
 * folder (a FIFO, a device...).  max_message is the largest message it will hand out (larger
 * ones are reported as errors by _next). */
int import_source_open(const char *path, size_t max_message, struct import_source **src_r,
                       char **error_r);
enum import_kind import_source_kind(const struct import_source *src);

/* Reads the next message.  Returns 1 with *item filled, 0 at the end, or -1 with *error_r
 * (caller frees) for a problem with one message (unreadable file, truncated mbox, too large,
 * an entry of a Maildir or .eml folder that is a symbolic link (never followed, wherever it
 * points) or not a regular file (FIFO, socket, device)): the caller counts it and may call
 * _next again to go on with the rest.  Maildir messages come
 * in new/ then cur/, each in file-name order (delivery time), dotfiles skipped; a message
 * renamed by another client while we read is looked for again in cur/ at the end, and one
 * deleted meanwhile is skipped silently.  mbox in file order: a message starts at a separator
 * line ("From ", a sender, an asctime date: "From a@b.c Sat Dec  5 10:00:00 2026", with the
 * zones and "remote from" tail writers add) at the start of the file or after an empty line,
 * and that empty line (like one at the end of the file) is the separator's, not the
 * message's; any other "From " line is body text; ^>+From lines lose one '>'.  An
 * mbox message is truncated (an error) when the file does not end with a newline or ends
 * while that message is still in its header block; after an mbox read error _next returns 0.
 * A folder of .eml files comes in name order. */
int import_source_next(struct import_source *src, struct import_item *item, char **error_r);

/* Closes and frees *src, setting it to NULL. */
void import_source_close(struct import_source **src);

#endif
