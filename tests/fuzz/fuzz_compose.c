/* libFuzzer target: composition, the path whose every header must be taken by a strict SMTP
 * server and read back as written.  The input is NUL-separated fields: subject, display name,
 * recipient address, the answered Message-ID, body, then the References ids.  Whatever they
 * hold, the message composed from them must have
 *   - CRLF line ends only, no bare CR or LF anywhere, no line over 998 bytes (RFC 5322 2.1.1);
 *   - header lines that are "Name:" or a fold holding more than white space, and only the
 *     headers compose writes, each once (nothing injected);
 *   - a Subject that mime.c reads back as given (CR and LF as spaces, invalid UTF-8 as U+FFFD,
 *     trimmed), and an In-Reply-To that is the answered id or nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "compose.h"
#include "mime.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REFS_MAX 300 /* more than compose keeps (10), as many as a hostile thread may carry */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	mime_global_init();
	return 0;
}

static const char *const known[] = {
	"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
	"Auto-Submitted", "X-Auto-Response-Suppress", "MIME-Version", "Content-Type",
	"Content-Transfer-Encoding",
};

/* Checks the line rules on raw; aborts on the first broken one. */
static void check_lines(const char *raw, size_t len)
{
	unsigned seen[sizeof(known) / sizeof(*known)] = {0};
	int in_header = 1;
	for (size_t start = 0; start < len;) {
		const char *eol = memchr(raw + start, '\n', len - start);
		if (eol == NULL || eol == raw + start || eol[-1] != '\r')
			abort(); /* a line without CRLF, or a bare LF */
		const char *line = raw + start;
		size_t n = (size_t)(eol - 1 - line);
		if (memchr(line, '\r', n) != NULL || n > 998)
			abort();
		if (in_header && n == 0) {
			in_header = 0;
		} else if (in_header && (line[0] == ' ' || line[0] == '\t')) {
			if (strspn(line, " \t") >= n)
				abort(); /* a fold of white space only */
		} else if (in_header) {
			const char *colon = memchr(line, ':', n);
			if (colon == NULL)
				abort();
			size_t name = (size_t)(colon - line), i;
			for (i = 0; i < sizeof(known) / sizeof(*known); i++)
				if (strlen(known[i]) == name && strncasecmp(known[i], line, name) == 0)
					break;
			if (i == sizeof(known) / sizeof(*known) || ++seen[i] > 1)
				abort(); /* a header compose does not write, or one twice */
		}
		start = (size_t)(eol + 1 - raw);
	}
	if (in_header)
		abort(); /* no end of the header */
}

/* The subject as mime.c must read it back (new string). */
static char *subject_expected(const char *subject)
{
	char *flat = xstrdup(subject);
	for (char *p = flat; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	char *clean = charset_clean_utf8(flat);
	free(flat);
	return str_trim(clean);
}

/* What compose can write as it is: printable ASCII but for "<" and ">", 995 bytes at most;
 * and what mime.c then reads as an id: "@" with something either side. */
static int id_readable(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 995)
		return 0;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>')
			return 0;
	const char *at = strchr(id, '@');
	return at != NULL && at != id && at[1] != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* fields: one copy, each NUL-terminated (an input without a last NUL gets one) */
	char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *field[5] = {"", "", "", "", ""};
	struct strlist refs = {0};
	size_t f = 0;
	for (char *p = copy; p <= copy + size && f < 5 + REFS_MAX; f++) {
		if (f < 5)
			field[f] = p;
		else
			strlist_add(&refs, p);
		p += strlen(p) + 1;
	}
	struct outgoing out = {
		.from_name = field[1][0] ? field[1] : NULL,
		.from_addr = "troopkctl@ct.gov",
		.to_addr = field[2],
		.subject = field[0],
		.message_id = "liaison.0123456789abcdef0123456789abcdef@ct.gov",
		.in_reply_to = field[3][0] ? field[3] : NULL,
		.references = &refs,
		.auto_submitted = "auto-replied",
		.body = field[4],
		.date = 1795000000,
	};
	size_t len = 0;
	char *raw = compose_message(&out, &len);
	if (strlen(raw) != len)
		abort();
	check_lines(raw, len);

	struct parsed_message *msg = NULL;
	mime_parse(raw, len, NULL, &msg);
	if (msg->quarantine_reason != NULL)
		abort();
	char *want = subject_expected(out.subject);
	if (strcmp(msg->subject, want) != 0)
		abort();
	free(want);
	/* (mime.c drops an In-Reply-To equal to the message's own id) */
	int answerable = out.in_reply_to != NULL && id_readable(out.in_reply_to) &&
	                 strcmp(out.in_reply_to, out.message_id) != 0;
	if (msg->in_reply_to != NULL
	        ? out.in_reply_to == NULL || strcmp(msg->in_reply_to, out.in_reply_to) != 0
	        : answerable)
		abort();
	parsed_message_free(&msg);
	free(raw);
	strlist_free(&refs);
	free(copy);
	return 0;
}
