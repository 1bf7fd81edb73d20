/* production_pages.h — the pages of one produced message, shared by production.c (what is
 * produced, Bates numbers, files, load files, logs) and production_pages.c (how it is
 * drawn).  Private to the FOIA production: no other module includes it. */
#ifndef LIAISON_PRODUCTION_PAGES_H
#define LIAISON_PRODUCTION_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "mime.h"
#include "pdf.h"
#include "redact.h"

struct red {
	int64_t message_id;
	char *kind, *value, *exemption, *reason, *decided_by;
	int64_t decided_at;
	size_t found;          /* spans it matched in its message */
};

struct item {
	int64_t id, date, size;
	char *sha256, *message_id, *subject, *from_text, *to_text, *custodians;
	char *wh_exemption, *wh_reason, *wh_by;
	int disposed;
	struct red *reds;      /* into production.reds */
	size_t n_reds;
};

struct slip {
	char beg[64], end[64], native[96];
	char *name;               /* the file name as produced */
};

struct message_out {
	const struct item *it;
	struct slip *slips;       /* one per attachment drawn */
	size_t n_slips;
	struct redactor *rd;      /* NULL when the message has no redaction */
	struct parsed_message *parsed;
	char *text;
	char beg[64], end[64], pdf_rel[96], native_rel[96], date[40];
	/* the fields as produced: redacted when the message is */
	char *message_id, *from, *to, *subject, *custodians;
};

/* Draws the message's pages into doc: its headers, how it is produced, its attachments, its
 * text, with m->rd's redactions burned in.  Records in it->reds[].found how many spans each
 * redaction matched.  Returns 0, or -1 with *error_r. */
int production_message_pages(struct message_out *m, struct pdf_doc *doc, char **error_r);

/* Draws the slip sheet of attachment i of m (m->slips[i] filled: name, Bates start, native
 * file when produced natively). */
void production_slip_page(const struct message_out *m, size_t i, struct pdf_doc *doc);

#endif
