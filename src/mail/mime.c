/* mime.c — parse one raw message with GMime into the project's own types.
 *
 * The MIME module is this file (the entry points and the result), mime_headers.c,
 * mime_parts.c and mime_sink.c, sharing mime_private.h; they are the only files that include
 * GMime.  What needs no GMime lives beside them: charset.c (text in
 * any charset to UTF-8), rfc2047.c (encoded words), prescan.c (the look at the raw bytes
 * before parsing), base64.c and msgid.c (Message-ID, References, Thread-Index values to
 * ids).  The order of work in mime_parse:
 *   1. limits that need no parsing (empty, too large, header block too large);
 *   2. a linear pre-scan of the raw bytes that follows the boundary declarations and
 *      delimiter lines, so a message nested or split past the limits is quarantined before
 *      GMime sees its body (GMime itself stops at 1024 levels, but checks every line against
 *      every open boundary, so 100,000 nested multiparts would cost seconds), and that
 *      refuses address headers with nested groups (GMime recurses once per group and a
 *      160 KB "To: a:a:a:..." overflows the stack);
 *   3. GMime parses straight from the caller's buffer (no copy; leaf contents stay
 *      substreams of it), with strict RFC 2047 (its loose mode rescans to the end of the
 *      header for every unterminated "=?": quadratic);
 *   4. our own walk counts parts and depth again, exactly, then picks the body and
 *      hashes every other leaf by streaming its decoded content through SHA-256.
 *
 * Text decisions, kept here so the tests and the callers agree:
 *   - NUL bytes in a body become U+FFFD (visible, never a silent cut); CRLF and lone CR
 *     become LF, and trailing white space is dropped.
 *   - body text, raw 8-bit header bytes and encoded words are read by the charset rules of
 *     charset.h (UTF-8 when valid, else windows-1252, for missing or latin-1 labels; iconv
 *     with U+FFFD for each bad byte otherwise);
 *   - RFC 2047 words are decoded by rfc2047.c, loosely, with the same charset rules (see
 *     encoded_words_rewrite in rfc2047.c for the GMime bugs this avoids);
 *   - a message/rfc822 part is listed as an attachment of its own (content type
 *     message/rfc822, named by its filename, else by the inner Subject; hashed over the
 *     inner message as GMime writes it, which for an unmodified parse is the bytes received),
 *     and its inner leaf parts are listed after it;
 *   - a header block that runs straight into the body without a blank line is ended at the
 *     first line that has no colon (GMime would drop such lines as broken headers);
 *   - a quarantined message keeps whatever headers could be read safely, but no text and
 *     no attachments. */
#include "mime_private.h"

#include <string.h>

#include "charset.h"
#include "prescan.h"

GMimeParserOptions *mime_parser_options;

void mime_limits_default(struct mime_limits *limits)
{
	limits->max_depth = 32;
	limits->max_parts = 1000;
	limits->max_header_bytes = 1024 * 1024;
	limits->max_message_bytes = 100 * 1024 * 1024;
}

/* ---- the result ----------------------------------------------------------------------- */

static struct parsed_message *parsed_message_new(void)
{
	struct parsed_message *msg = xcalloc(1, sizeof(*msg));
	msg->from.addr = xstrdup("");
	msg->subject = xstrdup("");
	msg->text = xstrdup("");
	return msg;
}

static void address_free(struct mime_address *a)
{
	xfree(&a->name);
	xfree(&a->addr);
}

void parsed_message_free(struct parsed_message **msgp)
{
	struct parsed_message *msg = *msgp;
	if (msg == NULL)
		return;
	free(msg->message_id);
	free(msg->in_reply_to);
	strlist_free(&msg->references);
	free(msg->thread_index);
	free(msg->return_path);
	address_free(&msg->from);
	for (size_t i = 0; i < msg->n_to; i++)
		address_free(&msg->to[i]);
	free(msg->to);
	strlist_free(&msg->recipients);
	free(msg->subject);
	free(msg->auto_submitted);
	free(msg->precedence);
	free(msg->x_auto_response_suppress);
	free(msg->list_header);
	free(msg->autoresponder);
	free(msg->authentication_results);
	free(msg->content_language);
	free(msg->text);
	for (size_t i = 0; i < msg->n_attachments; i++) {
		free(msg->attachments[i].filename);
		free(msg->attachments[i].content_type);
		free(msg->attachments[i].content);
	}
	free(msg->attachments);
	free(msg->quarantine_reason);
	free(msg);
	*msgp = NULL;
}

void mime_quarantine(struct parsed_message *msg, char *reason)
{
	if (msg->quarantine_reason == NULL)
		msg->quarantine_reason = reason;
	else
		free(reason);
}

/* ---- entry points --------------------------------------------------------------------- */

/* The converter charset.c uses: GMime's knows MIME charset names iconv does not (Outlook's
 * "ks_c_5601-1987" for one) and caches descriptors. */
static iconv_t gmime_iconv_to_utf8(const char *charset)
{
	return g_mime_iconv_open("UTF-8", charset);
}

void mime_global_init(void)
{
	static const char *fallback[] = {"UTF-8", "windows-1252", NULL};
	g_mime_init();
	charset_set_iconv(gmime_iconv_to_utf8, g_mime_iconv_close);
	mime_parser_options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(mime_parser_options, fallback);
	g_mime_parser_options_set_allow_addresses_without_domain(mime_parser_options, TRUE);
	g_mime_parser_options_set_address_compliance_mode(mime_parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(mime_parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	/* loose RFC 2047 makes GMime scan to the end of a header for every unterminated "=?"
	 * (a 500 KB Subject took 20 s); we decode the loose cases ourselves, in linear time */
	g_mime_parser_options_set_rfc2047_compliance_mode(mime_parser_options, GMIME_RFC_COMPLIANCE_STRICT);
	/* register the sink type now, not racing in the first parses */
	g_type_ensure(mime_hash_sink_get_type());
}

void mime_global_deinit(void)
{
	if (mime_parser_options != NULL)
		g_mime_parser_options_free(mime_parser_options);
	mime_parser_options = NULL;
	charset_set_iconv(NULL, NULL);
	g_mime_shutdown();
}


/* Parses data with GMime without copying it; returns the message or NULL. */
static GMimeMessage *gmime_parse(const char *data, size_t len, GByteArray **array_r,
                                 GMimeStream **stream_r)
{
	/* the stream borrows the caller's bytes: GMime only reads them, and the array is
	 * handed back unfreed by g_byte_array_free(..., FALSE) */
	GByteArray *array = g_byte_array_new_take((guint8 *)data, len);
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(array);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_persist_stream(parser, TRUE);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *message = g_mime_parser_construct_message(parser, mime_parser_options);
	g_object_unref(parser);
	*array_r = array;
	*stream_r = stream;
	return message;
}

static void parse(const char *raw, size_t len, const struct mime_limits *limits,
                  int keep_content, struct parsed_message **msg_r)
{
	struct mime_limits defaults;
	if (limits == NULL) {
		mime_limits_default(&defaults);
		limits = &defaults;
	}
	struct parsed_message *msg = parsed_message_new();
	*msg_r = msg;
	if (len == 0 || raw == NULL) {
		mime_quarantine(msg, xstrdup("empty message"));
		return;
	}
	/* GMime's memory streams count in guint: 4 GiB is a hard ceiling whatever the limit */
	size_t max_bytes = limits->max_message_bytes < G_MAXUINT ? limits->max_message_bytes : G_MAXUINT - 1;
	if (len > max_bytes) {
		mime_quarantine(msg, xasprintf("message larger than %zu bytes", max_bytes));
		return;
	}
	struct prescan ps = {0};
	prescan_scan_headers(raw, len, limits->max_header_bytes, &ps);
	if (ps.header_end > limits->max_header_bytes) {
		mime_quarantine(msg, xasprintf("header block larger than %zu bytes", limits->max_header_bytes));
		return;
	}
	if (ps.header_lines == 0) {
		mime_quarantine(msg, xstrdup("not a message: no header lines"));
		return;
	}
	prescan_scan_structure(raw, len, limits->max_depth, limits->max_parts, &ps);
	if (ps.group_bomb) {
		mime_quarantine(msg, xasprintf("address header with more than %d groups",
		                          PRESCAN_ADDRESS_GROUPS_MAX));
		return;
	}

	char *repaired = NULL;
	const char *data = raw;
	size_t data_len = len;
	if (prescan_needs_repair(&ps)) {
		repaired = prescan_repair_raw(raw, len, &ps, &data_len);
		data = repaired;
	}
	if (ps.too_deep || ps.too_many) {
		/* read the headers only, so the quarantine still shows who sent what */
		mime_quarantine(msg, ps.too_deep ? xasprintf("nesting deeper than %u levels", limits->max_depth)
		                            : xasprintf("more than %u parts", limits->max_parts));
		data_len = prescan_header_len(&ps, len, data_len);
	}

	GByteArray *array;
	GMimeStream *stream;
	GMimeMessage *message = gmime_parse(data, data_len, &array, &stream);
	if (message == NULL) {
		mime_quarantine(msg, xstrdup("not a message: GMime could not parse it"));
	} else {
		mime_headers_read(msg, message);
		if (msg->quarantine_reason == NULL)
			mime_structure_read(msg, message, limits, keep_content);
		g_object_unref(message);
	}
	g_object_unref(stream);
	g_byte_array_free(array, FALSE);
	free(repaired);
}

void mime_parse(const char *raw, size_t len, const struct mime_limits *limits,
                struct parsed_message **msg_r)
{
	parse(raw, len, limits, 0, msg_r);
}

void mime_parse_with_content(const char *raw, size_t len, const struct mime_limits *limits,
                             struct parsed_message **msg_r)
{
	parse(raw, len, limits, 1, msg_r);
}
