/* production.c — liaison foia export: natives, mbox, PDFs with Bates numbers and burned-in
 * redactions, load files, the withholding log and SHA256SUMS, in a package (package.c) that
 * appears whole or not at all. */
#include "production.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "hash.h"
#include "loadfile.h"
#include "mime.h"
#include "ops_foia.h"
#include "package.h"
#include "pdf.h"
#include "production_pages.h"
#include "redact.h"
#include "util.h"

/* Changing how a package is laid out or drawn changes this, so that a new version never
 * claims an earlier production's Bates numbers for different pages. */
#define PRODUCTION_FORMAT "liaison production 1"

struct production {
	struct store *store;
	const struct actor *actor;
	const struct config *config;
	const char *ref;
	int64_t request_id;
	struct item *items;
	size_t n_items, cap_items;
	struct red *reds;
	size_t n_reds, cap_reds;
	struct redactor *all;       /* every redaction of the request */
	struct redactor *elsewhere; /* its text redactions, to find them in messages produced
	                               whole */
	size_t *elsewhere_found;
	size_t n_elsewhere;
	struct strlist kept_ids;    /* Message-IDs of the messages withheld or redacted */
	int allow_elsewhere;        /* produce such messages whole anyway */
	char fingerprint[SHA256_HEX_SIZE];
	int64_t next;          /* the next Bates number to give */
	int64_t produced_at;
	struct package pkg;    /* the directory being filled */
	struct loadfiles load;
	FILE *mbox, *log;
	struct production_summary *sum;
	const struct production_watch *watch; /* or NULL */
};

/* ---- loading ---------------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int item_loaded(const struct export_item_row *r, void *p)
{
	struct production *pr = p;
	if (pr->n_items == pr->cap_items) {
		pr->cap_items = pr->cap_items ? 2 * pr->cap_items : 64;
		pr->items = xrealloc(pr->items, pr->cap_items * sizeof(*pr->items));
	}
	pr->items[pr->n_items++] = (struct item){
		.id = r->id, .date = r->date, .size = r->size,
		.sha256 = xstrdup(r->sha256), .message_id = dup_or_null(r->message_id),
		.subject = dup_or_null(r->subject), .from_text = dup_or_null(r->from_text),
		.to_text = dup_or_null(r->to_text), .custodians = dup_or_null(r->custodians),
		.wh_exemption = dup_or_null(r->withheld_exemption),
		.wh_reason = dup_or_null(r->withheld_reason), .wh_by = dup_or_null(r->withheld_by),
		.disposed = r->disposed,
	};
	return 0;
}

static int red_loaded(const struct redaction_row *r, void *p)
{
	struct production *pr = p;
	if (pr->n_reds == pr->cap_reds) {
		pr->cap_reds = pr->cap_reds ? 2 * pr->cap_reds : 16;
		pr->reds = xrealloc(pr->reds, pr->cap_reds * sizeof(*pr->reds));
	}
	pr->reds[pr->n_reds++] = (struct red){
		.message_id = r->message_id, .kind = xstrdup(r->kind), .value = xstrdup(r->value),
		.exemption = xstrdup(r->exemption), .reason = dup_or_null(r->reason),
		.decided_by = xstrdup(r->decided_by), .decided_at = r->decided_at,
	};
	return 0;
}

/* Points each item at its redactions (both lists come ordered: reds by message row). */
static void reds_attach(struct production *pr)
{
	for (size_t i = 0; i < pr->n_items; i++) {
		struct item *it = &pr->items[i];
		size_t lo = 0, hi = pr->n_reds;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (pr->reds[mid].message_id < it->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		it->reds = pr->reds + lo;
		while (lo + it->n_reds < pr->n_reds && pr->reds[lo + it->n_reds].message_id == it->id)
			it->n_reds++;
	}
}

static void production_free(struct production *pr)
{
	for (size_t i = 0; i < pr->n_items; i++) {
		struct item *it = &pr->items[i];
		free(it->sha256), free(it->message_id), free(it->subject), free(it->from_text);
		free(it->to_text), free(it->custodians), free(it->wh_exemption), free(it->wh_reason);
		free(it->wh_by);
	}
	free(pr->items);
	for (size_t i = 0; i < pr->n_reds; i++) {
		struct red *r = &pr->reds[i];
		free(r->kind), free(r->value), free(r->exemption), free(r->reason), free(r->decided_by);
	}
	free(pr->reds);
	package_free(&pr->pkg);
	redactor_free(&pr->all);
	redactor_free(&pr->elsewhere);
	free(pr->elsewhere_found);
	strlist_free(&pr->kept_ids);
}

/* What the whole request redacts or withholds, to find it again in messages produced whole:
 * every redaction (for the log's fields), the text redactions (a victim's name in her own
 * earlier message, or in a reply quoting it), and the Message-IDs of the messages withheld or
 * redacted (a copy of one with other headers is stored as another message). */
static int elsewhere_prepare(struct production *pr, char **error_r)
{
	struct redaction *all = xcalloc(pr->n_reds ? pr->n_reds : 1, sizeof(*all));
	struct redaction *texts = xcalloc(pr->n_reds ? pr->n_reds : 1, sizeof(*texts));
	for (size_t i = 0; i < pr->n_reds; i++) {
		struct redaction r = {pr->reds[i].kind, pr->reds[i].value, pr->reds[i].exemption};
		all[i] = r;
		if (strcmp(r.kind, "text") == 0)
			texts[pr->n_elsewhere++] = r;
	}
	int rc = 0;
	if (pr->n_reds > 0)
		rc = redactor_new(all, pr->n_reds, &pr->all, error_r);
	if (rc == 0 && pr->n_elsewhere > 0) {
		rc = redactor_new(texts, pr->n_elsewhere, &pr->elsewhere, error_r);
		pr->elsewhere_found = xcalloc(pr->n_elsewhere, sizeof(size_t));
	}
	free(all);
	free(texts);
	for (size_t i = 0; i < pr->n_items; i++) {
		const struct item *it = &pr->items[i];
		if ((it->wh_exemption != NULL || it->n_reds > 0) && it->message_id != NULL)
			strlist_add_unique(&pr->kept_ids, it->message_id);
	}
	return rc;
}

/* Says on stderr, and to a watcher, that a message would be produced whole with what is
 * withheld or redacted elsewhere (line: taken), and counts it. */
static void elsewhere_say(struct production *pr, char *line)
{
	fprintf(stderr, "liaison: %s\n", line);
	if (pr->watch != NULL && pr->watch->elsewhere != NULL)
		strlist_add(pr->watch->elsewhere, line);
	free(line);
	pr->sum->unredacted_elsewhere++;
}

/* Says on stderr (never repeating the text) when a message about to be produced whole holds
 * a text redacted from another message, in its fields, text, attachments or raw bytes, or is
 * another copy of a withheld or redacted message; counts it. */
static int elsewhere_check(struct production *pr, const struct item *it, const char *text,
                           const struct parsed_message *parsed, const char *raw, size_t len,
                           char **error_r)
{
	/* named as every other command names a message: its Bates number is provisional until
	 * the export goes through, and no other command knows it */
	if (it->message_id != NULL && strlist_contains(&pr->kept_ids, it->message_id)) {
		char *line = xasprintf("%s: message <%s> (%.12s) is another copy (Message-ID <%s>) "
		                       "of a message withheld or redacted in %s", pr->ref,
		                       it->message_id, it->sha256, it->message_id, pr->ref);
		elsewhere_say(pr, line);
		return 0;
	}
	if (pr->elsewhere == NULL)
		return 0;
	memset(pr->elsewhere_found, 0, pr->n_elsewhere * sizeof(size_t));
	/* the raw bytes as text (NULs would end it early), and every attachment decoded */
	char *raw_text = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		raw_text[i] = raw[i] != '\0' ? raw[i] : ' ';
	raw_text[len] = '\0';
	struct strlist fields = {0};
	const char *named[] = {it->subject, it->from_text, it->to_text, it->message_id, text};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		strlist_add(&fields, named[i] ? named[i] : "");
	for (size_t i = 0; parsed != NULL && i < parsed->n_attachments; i++) {
		strlist_add(&fields, parsed->attachments[i].filename ? parsed->attachments[i].filename : "");
		const char *content = parsed->attachments[i].content;
		if (content != NULL && memchr(content, '\0', (size_t)parsed->attachments[i].size) == NULL)
			strlist_add(&fields, content);
	}
	int rc = 0;
	for (size_t i = 0; i <= fields.count && rc == 0; i++) {
		char *s = redact_string(pr->elsewhere, i < fields.count ? fields.items[i] : raw_text,
		                        pr->elsewhere_found, error_r);
		rc = s != NULL ? 0 : -1;
		free(s);
	}
	strlist_free(&fields);
	free(raw_text);
	size_t hits = 0;
	for (size_t i = 0; i < pr->n_elsewhere; i++)
		hits += pr->elsewhere_found[i];
	if (rc == 0 && hits > 0)
		elsewhere_say(pr, xasprintf("%s: message <%s> (%.12s) would be produced whole but "
		                            "holds text redacted from another message", pr->ref,
		                            it->message_id ? it->message_id : "", it->sha256));
	return rc;
}

/* Everything that decides the package's pages and bytes, hashed: the same fingerprint is
 * the same production. */
static void fingerprint(struct production *pr)
{
	struct sha256_stream *h = sha256_stream_new();
	struct buf b;
	buf_init(&b, SIZE_MAX);
	const struct mime_limits *l = &pr->config->limits;
	buf_addf(&b, "%s\n%s\n%s\n%s\n%s\nlimits %u %u %zu %zu\n", PRODUCTION_FORMAT, pr->ref,
	         pr->config->bates_prefix, pr->config->timezone, pdf_renderer_version(),
	         l->max_depth, l->max_parts, l->max_header_bytes, l->max_message_bytes);
	for (size_t i = 0; i < pr->n_items; i++) {
		const struct item *it = &pr->items[i];
		buf_addf(&b, "item %s %d %zu:%s\n", it->sha256, it->disposed,
		         strlen(it->custodians ? it->custodians : ""), it->custodians ? it->custodians : "");
		if (it->wh_exemption != NULL)
			buf_addf(&b, "withheld %zu:%s %zu:%s %s\n", strlen(it->wh_exemption),
			         it->wh_exemption, strlen(it->wh_reason ? it->wh_reason : ""),
			         it->wh_reason ? it->wh_reason : "", it->wh_by);
		for (size_t j = 0; j < it->n_reds; j++) {
			const struct red *r = &it->reds[j];
			buf_addf(&b, "redact %s %zu:%s %zu:%s %zu:%s %s\n", r->kind, strlen(r->value),
			         r->value, strlen(r->exemption), r->exemption,
			         strlen(r->reason ? r->reason : ""), r->reason ? r->reason : "",
			         r->decided_by);
		}
		sha256_stream_update(h, b.data, b.len);
		buf_reset(&b);
	}
	sha256_stream_update(h, b.data, b.len);
	buf_free(&b);
	sha256_stream_finish(&h, pr->fingerprint);
}

/* ---- files -------------------------------------------------------------------------------- */

/* mboxrd: a From_ line of the message's date, lines starting ">*From " quoted once more,
 * a blank line after each message. */
static void mbox_append(FILE *mbox, const struct item *it, const char *raw, size_t len)
{
	char date[40];
	time_t t = (time_t)it->date;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL || strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm) == 0)
		snprintf(date, sizeof(date), "Thu Jan  1 00:00:00 1970");
	fprintf(mbox, "From MAILER-DAEMON %s\n", date);
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(raw + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - raw) + 1 : len;
		size_t q = at;
		while (q < end && raw[q] == '>')
			q++;
		if (end - q >= 5 && memcmp(raw + q, "From ", 5) == 0)
			fputc('>', mbox);
		fwrite(raw + at, 1, end - at, mbox);
		at = end;
	}
	if (len == 0 || raw[len - 1] != '\n')
		fputc('\n', mbox);
	fputc('\n', mbox);
}

/* The file name extension of an attachment: its own when short and plain, else by type. */
static void attachment_extension(const struct mime_attachment *a, char *out, size_t size)
{
	const char *dot = a->filename ? strrchr(a->filename, '.') : NULL;
	size_t n = dot ? strlen(dot + 1) : 0;
	int ok = n > 0 && n <= 10;
	for (size_t i = 0; ok && i < n; i++)
		ok = (dot[1 + i] >= 'a' && dot[1 + i] <= 'z') || (dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ||
		     (dot[1 + i] >= '0' && dot[1 + i] <= '9');
	if (ok) {
		snprintf(out, size, "%s", dot + 1);
		str_lower(out);
	} else if (a->content_type != NULL && strcmp(a->content_type, "message/rfc822") == 0) {
		snprintf(out, size, "eml");
	} else if (a->content_type != NULL && strcmp(a->content_type, "text/plain") == 0) {
		snprintf(out, size, "txt");
	} else {
		snprintf(out, size, "bin");
	}
}

static void format_date(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t == 0 || localtime_r(&tt, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
		snprintf(out, size, "%s", t == 0 ? "" : "?");
}

static void bates(const struct production *pr, int64_t n, char *out, size_t size)
{
	pdf_bates_format(pr->config->bates_prefix, n, out, size);
}

/* ---- one message ---------------------------------------------------------------------- */

static void log_row(struct production *pr, const char *bates_range, const char *message_id,
                    const char *sha256, const char *date, const char *action,
                    const char *exemption, const char *reason, const char *decided_by)
{
	const char *f[] = {bates_range, message_id, sha256, date, action, exemption, reason,
	                   decided_by};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (i > 0)
			fputc(',', pr->log);
		csv_write_field(pr->log, f[i]);
	}
	fputs("\r\n", pr->log);
}

/* Checks the stored bytes against the recorded SHA-256: a mismatch stops the export. */
static int bytes_check(const struct item *it, const char *raw, size_t len, char **error_r)
{
	char hex[SHA256_HEX_SIZE];
	sha256_hex(raw, len, hex);
	if (strcmp(hex, it->sha256) != 0) {
		*error_r = xasprintf("message %s (Message-ID <%s>): its stored bytes hash to %s, not "
		                     "the recorded SHA-256; nothing was produced (run liaison verify)",
		                     it->sha256, it->message_id ? it->message_id : "", hex);
		return -1;
	}
	return 0;
}

/* The header fields as produced (redacted for a redacted message). */
static int fields_prepare(struct message_out *m, char **error_r)
{
	const struct item *it = m->it;
	const char *src[] = {it->message_id, it->from_text, it->to_text, it->subject, it->custodians};
	char **dst[] = {&m->message_id, &m->from, &m->to, &m->subject, &m->custodians};
	for (size_t i = 0; i < 5; i++) {
		*dst[i] = redact_string(m->rd, src[i] ? src[i] : "", NULL, error_r);
		if (*dst[i] == NULL)
			return -1;
	}
	return 0;
}

static void message_out_free(struct message_out *m)
{
	for (size_t i = 0; i < m->n_slips; i++)
		free(m->slips[i].name);
	free(m->slips);
	redactor_free(&m->rd);
	parsed_message_free(&m->parsed);
	free(m->text), free(m->message_id), free(m->from), free(m->to), free(m->subject);
	free(m->custodians);
}

/* One slip sheet per attachment (natively in natives/ unless its message is redacted); each
 * slip's Bates range is taken as drawn (a long file name may take a second page). */
static int attachment_slips(struct production *pr, struct message_out *m, struct pdf_doc *doc,
                            char **error_r)
{
	size_t n_att = m->parsed ? m->parsed->n_attachments : 0;
	m->slips = xcalloc(n_att ? n_att : 1, sizeof(*m->slips));
	for (size_t i = 0; i < n_att; i++) {
		const struct mime_attachment *a = &m->parsed->attachments[i];
		struct slip *sl = &m->slips[i];
		pdf_page_break(doc);
		bates(pr, pdf_next_number(doc), sl->beg, sizeof(sl->beg));
		sl->name = redact_string(m->rd, a->filename ? a->filename : "(no name)", NULL, error_r);
		if (sl->name == NULL)
			return -1;
		m->n_slips++;
		if (m->rd == NULL) {
			char ext[16];
			attachment_extension(a, ext, sizeof(ext));
			snprintf(sl->native, sizeof(sl->native), "natives/%s.%s", sl->beg, ext);
			if (package_write(&pr->pkg, sl->native, a->content, (size_t)a->size, error_r) < 0)
				return -1;
		}
		production_slip_page(m, i, doc);
		bates(pr, pdf_next_number(doc), sl->end, sizeof(sl->end));
		pr->sum->attachments++;
	}
	return 0;
}

static void range_format(const char *beg, const char *end, char *out, size_t size)
{
	if (strcmp(beg, end) == 0)
		snprintf(out, size, "%s", beg);
	else
		snprintf(out, size, "%s-%s", beg, end);
}

/* The load-file rows of a message and its attachments, and its log rows. */
static int message_rows(struct production *pr, struct message_out *m, char **error_r)
{
	const struct item *it = m->it;
	const char *family_end = m->n_slips ? m->slips[m->n_slips - 1].end : m->end;
	const char *row[LOAD_FIELDS] = {
		[LOAD_BEGBATES] = m->beg, [LOAD_ENDBATES] = m->end, [LOAD_BEGATTACH] = m->beg,
		[LOAD_ENDATTACH] = family_end, [LOAD_TYPE] = "message",
		[LOAD_MESSAGE_ID] = m->message_id, [LOAD_DATE] = m->date, [LOAD_FROM] = m->from,
		[LOAD_TO] = m->to, [LOAD_SUBJECT] = m->subject, [LOAD_CUSTODIANS] = m->custodians,
		[LOAD_SHA256] = m->rd ? "" : it->sha256, [LOAD_NATIVE] = m->native_rel,
		[LOAD_PDF] = m->pdf_rel,
		[LOAD_PRODUCED] = m->rd ? "redacted PDF only" : "native and PDF",
	};
	loadfiles_row(&pr->load, row);
	for (size_t i = 0; i < m->n_slips; i++) {
		const struct slip *sl = &m->slips[i];
		const char *arow[LOAD_FIELDS] = {
			[LOAD_BEGBATES] = sl->beg, [LOAD_ENDBATES] = sl->end, [LOAD_BEGATTACH] = m->beg,
			[LOAD_ENDATTACH] = family_end, [LOAD_TYPE] = "attachment",
			[LOAD_MESSAGE_ID] = m->message_id, [LOAD_DATE] = m->date, [LOAD_FROM] = m->from,
			[LOAD_TO] = m->to, [LOAD_SUBJECT] = sl->name, [LOAD_CUSTODIANS] = m->custodians,
			[LOAD_SHA256] = m->rd ? "" : m->parsed->attachments[i].sha256,
			[LOAD_NATIVE] = sl->native, [LOAD_PDF] = m->pdf_rel,
			[LOAD_PRODUCED] = m->rd ? "slip sheet only: its message is redacted"
			                        : "native, slip sheet in the PDF",
		};
		loadfiles_row(&pr->load, arow);
	}
	if (m->rd == NULL)
		return 0;
	char range[140];
	range_format(m->beg, m->end, range, sizeof(range));
	for (size_t j = 0; j < it->n_reds; j++) {
		const struct red *r = &it->reds[j];
		char *reason = redact_string(m->rd, r->reason ? r->reason : "", NULL, error_r);
		if (reason == NULL)
			return -1;
		char action[80];
		snprintf(action, sizeof(action), "redacted (%zu passage%s)", r->found,
		         r->found == 1 ? "" : "s");
		log_row(pr, range, m->message_id, "", m->date, action, r->exemption, reason,
		        r->decided_by);
		free(reason);
	}
	for (size_t i = 0; i < m->n_slips; i++) {
		char slip_range[140];
		range_format(m->slips[i].beg, m->slips[i].end, slip_range, sizeof(slip_range));
		log_row(pr, slip_range, m->message_id, "", m->date,
		        "attachment not produced: its message is redacted; review by hand", "", "",
		        "liaison");
	}
	if (m->parsed != NULL && m->parsed->quarantine_reason != NULL)
		log_row(pr, range, m->message_id, "", m->date,
		        "parts could not be read for the redacted copy; review the original by hand",
		        "", "", "liaison");
	return 0;
}

/* A redaction that matched nothing in its message is said loudly: a misspelt name would
 * leave the real one on the page.  (The log shows "0 passages" too.) */
static void redactions_found(const struct message_out *m)
{
	for (size_t j = 0; j < m->it->n_reds; j++) {
		const struct red *r = &m->it->reds[j];
		if (r->found == 0)
			fprintf(stderr, "liaison: warning: a %s redaction under %s of %s (message %.12s) "
			        "matched nothing in it: check it against the message\n", r->kind,
			        r->exemption, m->beg, m->it->sha256);
	}
}

/* Renders the message's PDF (its pages, then a slip per attachment), writes its natives, and
 * then its rows, whose Bates ranges are known only once it is drawn. */
static int message_produce(struct production *pr, const struct item *it, char **error_r)
{
	struct message_out m = {.it = it};
	char *raw = NULL;
	size_t len = 0;
	int found = store_message_content(pr->store, it->id, &raw, &len, &m.text);
	if (found < 0) {
		*error_r = xasprintf("message %s: %s", it->sha256, store_error(pr->store));
		return -1;
	}
	format_date(it->date, m.date, sizeof(m.date));
	if (found == 0) {
		/* disposed under the records schedule: only its tombstone is left */
		char *mid = redact_string(pr->all, it->message_id, NULL, error_r);
		if (mid == NULL)
			return -1;
		log_row(pr, "", mid, it->sha256, m.date,
		        "not produced: disposed under the records schedule", "", "", "");
		free(mid);
		pr->sum->withheld++;
		return 0;
	}
	int rc = bytes_check(it, raw, len, error_r);
	if (rc == 0 && it->n_reds > 0) {
		struct redaction *rs = xcalloc(it->n_reds, sizeof(*rs));
		for (size_t j = 0; j < it->n_reds; j++)
			rs[j] = (struct redaction){it->reds[j].kind, it->reds[j].value, it->reds[j].exemption};
		rc = redactor_new(rs, it->n_reds, &m.rd, error_r);
		free(rs);
	}
	if (rc == 0) {
		mime_parse_with_content(raw, len, &pr->config->limits, &m.parsed);
		rc = fields_prepare(&m, error_r);
	}
	int64_t first = pr->next, last = 0;
	bates(pr, first, m.beg, sizeof(m.beg));
	snprintf(m.pdf_rel, sizeof(m.pdf_rel), "pdf/%s.pdf", m.beg);
	if (m.rd == NULL)
		snprintf(m.native_rel, sizeof(m.native_rel), "natives/%s.eml", m.beg);
	if (rc == 0 && m.rd == NULL)
		rc = elsewhere_check(pr, it, m.text, m.parsed, raw, len, error_r);
	struct pdf_doc *doc = NULL;
	if (rc == 0) {
		char *path = package_path(&pr->pkg, m.pdf_rel);
		struct pdf_stamp stamp = {pr->ref, pr->config->bates_prefix, first, pr->produced_at};
		rc = pdf_open(path, &stamp, &doc, error_r);
		free(path);
	}
	if (rc == 0)
		rc = production_message_pages(&m, doc, error_r);
	if (rc == 0 && m.rd != NULL)
		redactions_found(&m);
	/* the message's own pages end where the first slip sheet begins */
	bates(pr, doc ? pdf_next_number(doc) : first, m.end, sizeof(m.end));
	if (rc == 0)
		rc = attachment_slips(pr, &m, doc, error_r);
	if (doc != NULL) {
		char *close_error = NULL;
		if (pdf_close(&doc, &last, &close_error) < 0 && rc == 0) {
			*error_r = close_error;
			rc = -1;
		} else {
			free(close_error);
		}
	}
	if (rc == 0)
		package_list(&pr->pkg, m.pdf_rel);
	if (rc == 0 && m.rd == NULL) {
		rc = package_write(&pr->pkg, m.native_rel, raw, len, error_r);
		mbox_append(pr->mbox, it, raw, len);
	}
	if (rc == 0)
		rc = message_rows(pr, &m, error_r);
	if (rc == 0) {
		pr->next = last + 1;
		pr->sum->messages++;
		pr->sum->redacted += m.rd != NULL;
	}
	message_out_free(&m);
	free(raw);
	return rc;
}

/* ---- the package -------------------------------------------------------------------------- */

static int readme_write(struct production *pr, char **error_r)
{
	char first[64], last[64];
	bates(pr, pr->sum->bates_first, first, sizeof(first));
	bates(pr, pr->sum->bates_last, last, sizeof(last));
	char *text = xasprintf(
	    "Production for public-records request %s\r\n"
	    "\r\n"
	    "Pages %s to %s.  Messages produced: %lld (of which %lld redacted), attachments: %lld,\r\n"
	    "withheld: %lld.\r\n"
	    "\r\n"
	    "natives/             each message produced whole, as its original bytes (.eml), and its\r\n"
	    "                     attachments, each named by the Bates number of its slip sheet\r\n"
	    "pdf/                 one PDF per message, named by its first Bates number; redactions\r\n"
	    "                     are burned in, and a redacted message is produced only this way\r\n"
	    "production.mbox      the messages produced whole, as one mbox (mboxrd)\r\n"
	    "manifest.csv         one row per message and attachment: Bates range, Message-ID,\r\n"
	    "                     date, from, to, subject, mailboxes, SHA-256, files\r\n"
	    "production.dat       the same rows as a Concordance load file\r\n"
	    "withholding-log.csv  every message withheld and every redaction, with the exemption\r\n"
	    "                     claimed, the reason and who decided\r\n"
	    "SHA256SUMS           the SHA-256 of every other file\r\n"
	    "\r\n"
	    "To check that nothing was changed since it was produced:  sha256sum -c SHA256SUMS\r\n"
	    "The SHA-256 of each native message is also the one recorded when it was received.\r\n",
	    pr->ref, pr->sum->bates_last >= pr->sum->bates_first ? first : "(none)",
	    pr->sum->bates_last >= pr->sum->bates_first ? last : "(none)",
	    (long long)pr->sum->messages, (long long)pr->sum->redacted,
	    (long long)pr->sum->attachments, (long long)pr->sum->withheld);
	int rc = package_write(&pr->pkg, "README.txt", text, strlen(text), error_r);
	free(text);
	return rc;
}

static int package_start(struct production *pr, const char *out_dir, char **error_r)
{
	static const char *const subdirs[] = {"natives", "pdf", NULL};
	int rc = package_begin(&pr->pkg, out_dir, subdirs, error_r);
	if (rc != PACKAGE_OK)
		return rc == PACKAGE_EXISTS ? OPS_INVALID : OPS_FAILED;
	if (loadfiles_open(pr->pkg.dir, &pr->load, error_r) < 0)
		return OPS_FAILED;
	package_list(&pr->pkg, "manifest.csv");
	package_list(&pr->pkg, "production.dat");
	pr->mbox = package_fopen(&pr->pkg, "production.mbox", error_r);
	pr->log = pr->mbox ? package_fopen(&pr->pkg, "withholding-log.csv", error_r) : NULL;
	if (pr->log == NULL)
		return OPS_FAILED;
	const char *header[] = {"BATES", "MESSAGEID", "SHA256", "DATE", "ACTION", "EXEMPTION",
	                        "REASON", "DECIDEDBY"};
	for (size_t i = 0; i < sizeof(header) / sizeof(header[0]); i++)
		fprintf(pr->log, "%s%s", i ? "," : "", header[i]);
	fputs("\r\n", pr->log);
	return OPS_OK;
}

static void progress(const struct production *pr, size_t done)
{
	if (pr->watch != NULL && pr->watch->progress != NULL)
		pr->watch->progress((int64_t)done, (int64_t)pr->n_items, pr->watch->ctx);
}

static int package_fill(struct production *pr, char **error_r)
{
	progress(pr, 0);
	for (size_t i = 0; i < pr->n_items; i++) {
		if (i > 0)
			progress(pr, i);
		const struct item *it = &pr->items[i];
		if (it->wh_exemption != NULL) {
			char date[40];
			format_date(it->date, date, sizeof(date));
			char *mid = redact_string(pr->all, it->message_id, NULL, error_r);
			char *reason = mid ? redact_string(pr->all, it->wh_reason, NULL, error_r) : NULL;
			if (reason != NULL)
				log_row(pr, "", mid, it->sha256, date, "withheld", it->wh_exemption, reason,
				        it->wh_by);
			free(mid);
			if (reason == NULL)
				return -1;
			free(reason);
			pr->sum->withheld++;
			continue;
		}
		if (message_produce(pr, it, error_r) < 0)
			return -1;
	}
	progress(pr, pr->n_items);
	if (pr->sum->unredacted_elsewhere > 0 && !pr->allow_elsewhere) {
		/* the command line lists them on stderr first; a watcher shows its own list */
		int listed = pr->watch != NULL && pr->watch->elsewhere != NULL;
		*error_r = xasprintf("%lld message%s would be produced whole with what is withheld or "
		                     "redacted elsewhere in %s (%s): redact or withhold them too, or %s",
		                     (long long)pr->sum->unredacted_elsewhere,
		                     pr->sum->unredacted_elsewhere == 1 ? "" : "s", pr->ref,
		                     listed ? "named below" : "listed above",
		                     listed ? "allow them to be produced whole"
		                            : "export with --allow-redacted-text-elsewhere");
		return -1;
	}
	pr->sum->bates_last = pr->next - 1;
	int rc = loadfiles_close(&pr->load, error_r);
	if (rc == 0)
		rc = package_fclose(&pr->mbox, "production.mbox", error_r);
	if (rc == 0)
		rc = package_fclose(&pr->log, "withholding-log.csv", error_r);
	if (rc == 0)
		rc = readme_write(pr, error_r);
	return rc;
}

/* Records the production (a new one takes its Bates range for good) and audits it. */
static int production_record(struct production *pr, int again, const char *sums_hash,
                             char **error_r)
{
	if (store_begin(pr->store) < 0) {
		*error_r = xasprintf("%s: %s", pr->ref, store_error(pr->store));
		return OPS_FAILED;
	}
	int rc = 0;
	if (!again) {
		int64_t next = 0;
		rc = store_bates_next(pr->store, pr->config->bates_prefix, &next);
		if (rc == 0 && next != pr->sum->bates_first) {
			store_rollback(pr->store);
			*error_r = xasprintf("another production took Bates numbers from %lld meanwhile; "
			                     "export again", (long long)pr->sum->bates_first);
			return OPS_FAILED;
		}
		if (rc == 0)
			rc = store_production_add(pr->store, pr->request_id, pr->fingerprint,
			                          pr->config->bates_prefix, pr->sum->bates_first,
			                          pr->sum->bates_last, pr->actor->user->name,
			                          pr->produced_at);
	}
	char first[64], last[64];
	bates(pr, pr->sum->bates_first, first, sizeof(first));
	bates(pr, pr->sum->bates_last, last, sizeof(last));
	char *details = xasprintf("%s pages %s to %s: %lld messages (%lld redacted), %lld attachments, "
	                          "%lld withheld, %lld produced whole holding text redacted "
	                          "elsewhere; SHA256SUMS %s",
	                          again ? "again," : "new,", first, last,
	                          (long long)pr->sum->messages, (long long)pr->sum->redacted,
	                          (long long)pr->sum->attachments, (long long)pr->sum->withheld,
	                          (long long)pr->sum->unredacted_elsewhere, sums_hash);
	rc = ops_commit_audited(pr->store, pr->actor, "foia-export", pr->ref, details, rc, error_r);
	free(details);
	return rc;
}

int production_list(struct store *store, const struct actor *actor, const char *ref,
                    store_production_cb *cb, void *ctx, char **error_r)
{
	int64_t request_id = 0;
	int rc = ops_foia_lookup(store, actor, ref, &request_id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (store_productions_list(store, request_id, cb, ctx) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	return OPS_OK;
}

int production_export(struct store *store, const struct actor *actor, const char *ref,
                      const char *out_dir, int allow_elsewhere,
                      struct production_summary *summary, char **error_r)
{
	return production_export_watched(store, actor, ref, out_dir, allow_elsewhere, NULL, summary,
	                                 error_r);
}

int production_export_watched(struct store *store, const struct actor *actor, const char *ref,
                              const char *out_dir, int allow_elsewhere,
                              const struct production_watch *watch,
                              struct production_summary *summary, char **error_r)
{
	memset(summary, 0, sizeof(*summary));
	int rc = ops_foia_may_change(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	struct production pr = {.store = store, .actor = actor, .config = actor->config,
	                        .ref = ref, .sum = summary, .allow_elsewhere = allow_elsewhere,
	                        .watch = watch};
	rc = ops_foia_lookup(store, actor, ref, &pr.request_id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (pdf_check_fonts(error_r) < 0)
		return OPS_FAILED;
	if (store_foia_export_items(store, pr.request_id, item_loaded, &pr) < 0 ||
	    store_foia_redactions(store, pr.request_id, red_loaded, &pr) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		production_free(&pr);
		return OPS_FAILED;
	}
	reds_attach(&pr);
	if (elsewhere_prepare(&pr, error_r) < 0) {
		production_free(&pr);
		return OPS_FAILED;
	}
	fingerprint(&pr);
	int64_t first = 0, recorded_last = 0;
	int again = store_production_find(store, pr.request_id, pr.fingerprint, &first,
	                                  &recorded_last, &pr.produced_at);
	if (again == 0) {
		pr.produced_at = (int64_t)time(NULL);
		again = store_bates_next(store, actor->config->bates_prefix, &first) < 0 ? -1 : 0;
	}
	if (again < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		production_free(&pr);
		return OPS_FAILED;
	}
	summary->again = again;
	summary->bates_first = pr.next = first;

	rc = package_start(&pr, out_dir, error_r);
	if (rc == OPS_OK && package_fill(&pr, error_r) < 0)
		rc = OPS_FAILED;
	char sums_hash[SHA256_HEX_SIZE] = "";
	if (rc == OPS_OK && package_seal(&pr.pkg, pr.produced_at, sums_hash, error_r) < 0)
		rc = OPS_FAILED;
	/* the same production must come out the same: never two pages with one number */
	if (rc == OPS_OK && again && summary->bates_last != recorded_last) {
		*error_r = xasprintf("%s: this export ends at page %lld, but the same production was "
		                     "recorded as ending at %lld (were fonts or libraries changed?); "
		                     "nothing was produced", ref, (long long)summary->bates_last,
		                     (long long)recorded_last);
		rc = OPS_FAILED;
	}
	/* into place first (never over anything), then recorded: a package that is not there is
	 * never recorded, and one whose record fails is taken away again */
	if (rc == OPS_OK) {
		int prc = package_place(&pr.pkg, error_r);
		if (prc != PACKAGE_OK)
			rc = prc == PACKAGE_EXISTS ? OPS_INVALID : OPS_FAILED;
	}
	if (rc == OPS_OK)
		rc = production_record(&pr, again, sums_hash, error_r);
	if (rc != OPS_OK) {
		if (pr.mbox)
			fclose(pr.mbox);
		if (pr.log)
			fclose(pr.log);
		char *ignored = NULL;
		loadfiles_close(&pr.load, &ignored);
		free(ignored);
		package_remove(&pr.pkg);
	}
	production_free(&pr);
	return rc;
}

int production_name_safe(const char *s)
{
	if (s[0] == '\0' || s[0] == '.')
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return strstr(s, "..") == NULL;
}

/* A package's name: the request's reference, '-', the rest, ".zip"; a safe name throughout. */
static int package_file_name_ok(const char *ref, const char *name)
{
	size_t n = strlen(ref), len = strlen(name);
	return strncmp(name, ref, n) == 0 && name[n] == '-' && len >= n + 6 &&
	       strcmp(name + len - 4, ".zip") == 0 && production_name_safe(name);
}

int production_package_open(struct store *store, const struct actor *actor, const char *ref,
                            const char *folder, const char *name, int *fd_r, uint64_t *size_r,
                            char **error_r)
{
	*fd_r = -1;
	int64_t id;
	int rc = ops_foia_lookup(store, actor, ref, &id, error_r);
	if (rc == OPS_OK)
		rc = ops_foia_may_change(actor, error_r);
	if (rc != OPS_OK)
		return rc;
	if (!package_file_name_ok(ref, name)) {
		*error_r = xasprintf("%s has no package %s", ref, name);
		return OPS_NOT_FOUND;
	}
	char *path = xasprintf("%s/%s", folder, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	free(path);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		*error_r = xasprintf("%s has no package %s", ref, name);
		return OPS_NOT_FOUND;
	}
	rc = ops_begin(store, ref, error_r);
	if (rc == OPS_OK) {
		char *details = xasprintf("package %s (%lld bytes)", name, (long long)st.st_size);
		rc = ops_commit_audited(store, actor, "foia-download", ref, details, 0, error_r);
		free(details);
	}
	if (rc != OPS_OK) {
		close(fd);
		return rc;
	}
	*fd_r = fd;
	*size_r = (uint64_t)st.st_size;
	return OPS_OK;
}
