/* mime.c — parse one raw message with GMime into the project's own types.
 *
 * The only file that includes GMime; what needs no GMime lives beside it: charset.c (text in
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
#include "mime.h"

#include <gmime/gmime.h>
#include <string.h>

#include "base64.h"
#include "charset.h"
#include "msgid.h"
#include "prescan.h"
#include "rfc2047.h"


static GMimeParserOptions *parser_options;

void mime_limits_default(struct mime_limits *limits)
{
	limits->max_depth = 32;
	limits->max_parts = 1000;
	limits->max_header_bytes = 1024 * 1024;
	limits->max_message_bytes = 100 * 1024 * 1024;
}

/* ---- a GMime stream that hashes and counts what is written to it ---------------------- */

typedef struct {
	GMimeStream parent;
	struct sha256_stream *sha;
	uint64_t size;
} MimeHashSink;

typedef struct {
	GMimeStreamClass parent_class;
} MimeHashSinkClass;

static gpointer hash_sink_parent_class;

static ssize_t hash_sink_write(GMimeStream *stream, const char *buf, size_t len)
{
	MimeHashSink *sink = (MimeHashSink *)stream;
	sha256_stream_update(sink->sha, buf, len);
	sink->size += len;
	stream->position += (gint64)len;
	return (ssize_t)len;
}

static ssize_t hash_sink_read(GMimeStream *stream, char *buf, size_t len)
{
	return -1;
}

static int hash_sink_noop(GMimeStream *stream)
{
	return 0;
}

static gboolean hash_sink_eos(GMimeStream *stream)
{
	return TRUE;
}

static gint64 hash_sink_seek(GMimeStream *stream, gint64 offset, GMimeSeekWhence whence)
{
	return -1;
}

static gint64 hash_sink_tell(GMimeStream *stream)
{
	return stream->position;
}

static gint64 hash_sink_length(GMimeStream *stream)
{
	return -1;
}

static GMimeStream *hash_sink_substream(GMimeStream *stream, gint64 start, gint64 end)
{
	return NULL;
}

static void hash_sink_finalize(GObject *object)
{
	MimeHashSink *sink = (MimeHashSink *)object;
	if (sink->sha != NULL) {
		char hex[SHA256_HEX_SIZE];
		sha256_stream_finish(&sink->sha, hex);
	}
	G_OBJECT_CLASS(hash_sink_parent_class)->finalize(object);
}

static void hash_sink_class_init(gpointer klass, gpointer data)
{
	GMimeStreamClass *stream_class = GMIME_STREAM_CLASS(klass);
	hash_sink_parent_class = g_type_class_peek_parent(klass);
	G_OBJECT_CLASS(klass)->finalize = hash_sink_finalize;
	stream_class->read = hash_sink_read;
	stream_class->write = hash_sink_write;
	stream_class->flush = hash_sink_noop;
	stream_class->close = hash_sink_noop;
	stream_class->eos = hash_sink_eos;
	stream_class->reset = hash_sink_noop;
	stream_class->seek = hash_sink_seek;
	stream_class->tell = hash_sink_tell;
	stream_class->length = hash_sink_length;
	stream_class->substream = hash_sink_substream;
}

static void hash_sink_instance_init(GTypeInstance *instance, gpointer klass)
{
	MimeHashSink *sink = (MimeHashSink *)instance;
	sink->sha = sha256_stream_new();
	sink->size = 0;
}

/* Registered by hand rather than with G_DEFINE_TYPE so cppcheck reads it without GLib's
 * macro configuration. */
static GType hash_sink_get_type(void)
{
	static gsize type_id = 0;
	if (g_once_init_enter(&type_id)) {
		static const GTypeInfo info = {
			.class_size = sizeof(MimeHashSinkClass),
			.class_init = hash_sink_class_init,
			.instance_size = sizeof(MimeHashSink),
			.instance_init = hash_sink_instance_init,
		};
		GType type = g_type_register_static(GMIME_TYPE_STREAM, "LiaisonHashSink", &info, 0);
		g_once_init_leave(&type_id, type);
	}
	return (GType)type_id;
}

static MimeHashSink *hash_sink_new(void)
{
	MimeHashSink *sink = g_object_new(hash_sink_get_type(), NULL);
	g_mime_stream_construct(GMIME_STREAM(sink), 0, -1);
	return sink;
}

/* Writes the digest of everything written so far and drops the sink. */
static void hash_sink_finish(MimeHashSink **sink, uint64_t *size_r, char hex_r[SHA256_HEX_SIZE])
{
	*size_r = (*sink)->size;
	sha256_stream_finish(&(*sink)->sha, hex_r);
	g_object_unref(*sink);
	*sink = NULL;
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

static void quarantine(struct parsed_message *msg, char *reason)
{
	if (msg->quarantine_reason == NULL)
		msg->quarantine_reason = reason;
	else
		free(reason);
}

/* ---- headers -------------------------------------------------------------------------- */

/* A structured header's raw value as UTF-8 with each run of encoded words made one UTF-8
 * word, ready for GMime's parsers (new string). */
static char *header_raw_prepared(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	char *u = charset_convert_header(raw ? raw : "");
	char *n = rfc2047_reencode_words(u);
	if (n == NULL)
		return u;
	free(u);
	return n;
}

/* Unfolded, trimmed, UTF-8 raw value of a header (new string). */
static char *header_plain(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	char *u = charset_convert_header(raw ? raw : "");
	char *unfolded = g_mime_utils_header_unfold(u);
	free(u);
	char *v = xstrdup(unfolded);
	g_free(unfolded);
	return str_trim(v);
}

/* RFC 2047-decoded UTF-8 value of an unstructured header, CR/LF folded to spaces. */
static char *header_text(GMimeHeader *h)
{
	const char *raw = g_mime_header_get_raw_value(h);
	char *u = charset_convert_header(raw ? raw : "");
	char *unfolded = g_mime_utils_header_unfold(u);
	free(u);
	char *v = rfc2047_decode_text(unfolded);
	if (v == NULL)
		v = xstrdup(unfolded);
	g_free(unfolded);
	for (char *p = v; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return str_trim(v);
}

struct addr_ctx {
	struct parsed_message *msg;
	GHashTable *seen;        /* recipients already listed */
	size_t to_cap;
	int from_done;
};

/* Calls fn on each mailbox of an address header (group members included). */
static void addresses_each(GMimeHeader *h, void (*fn)(struct addr_ctx *, InternetAddressMailbox *),
                           struct addr_ctx *ctx)
{
	char *u = header_raw_prepared(h);
	InternetAddressList *list = internet_address_list_parse(parser_options, u);
	free(u);
	if (list == NULL)
		return;
	int n = internet_address_list_length(list);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			fn(ctx, INTERNET_ADDRESS_MAILBOX(ia));
		} else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
				internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
			int m = members ? internet_address_list_length(members) : 0;
			for (int j = 0; j < m; j++) {
				InternetAddress *member = internet_address_list_get_address(members, j);
				if (INTERNET_ADDRESS_IS_MAILBOX(member))
					fn(ctx, INTERNET_ADDRESS_MAILBOX(member));
			}
		}
	}
	g_object_unref(list);
}

static char *mailbox_addr(InternetAddressMailbox *mb)
{
	const char *addr = internet_address_mailbox_get_addr(mb);
	char *a = charset_clean_utf8(addr ? addr : "");
	return str_lower(str_trim(a));
}

static char *mailbox_name(InternetAddressMailbox *mb)
{
	const char *name = internet_address_get_name(INTERNET_ADDRESS(mb));
	if (name == NULL)
		return NULL;
	char *n = str_trim(charset_clean_utf8(name));
	char *decoded = rfc2047_decode_text(n); /* words GMime's strict mode left alone */
	if (decoded != NULL) {
		free(n);
		n = str_trim(decoded);
	}
	for (char *p = n; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	if (*n == '\0')
		xfree(&n);
	return n;
}

static void recipient_add(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	char *addr = mailbox_addr(mb);
	if (*addr != '\0' && !g_hash_table_contains(ctx->seen, addr)) {
		strlist_add(&ctx->msg->recipients, addr);
		g_hash_table_add(ctx->seen, ctx->msg->recipients.items[ctx->msg->recipients.count - 1]);
	}
	free(addr);
}

static void to_add(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	struct parsed_message *msg = ctx->msg;
	if (msg->n_to == ctx->to_cap) {
		ctx->to_cap = ctx->to_cap ? ctx->to_cap * 2 : 4;
		msg->to = xrealloc(msg->to, ctx->to_cap * sizeof(*msg->to));
	}
	msg->to[msg->n_to].name = mailbox_name(mb);
	msg->to[msg->n_to].addr = mailbox_addr(mb);
	msg->n_to++;
	recipient_add(ctx, mb);
}

static void from_set(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	struct parsed_message *msg = ctx->msg;
	if (ctx->from_done)
		return; /* only the first mailbox */
	ctx->from_done = 1;
	free(msg->from.addr);
	msg->from.addr = mailbox_addr(mb);
	msg->from.name = mailbox_name(mb);
}

static void return_path_set(struct addr_ctx *ctx, InternetAddressMailbox *mb)
{
	struct parsed_message *msg = ctx->msg;
	if (msg->return_path == NULL)
		msg->return_path = mailbox_addr(mb);
}

/* Return-Path: "<>" (the null sender) is "", an address is lower-cased, anything else is
 * taken between its angle brackets as written. */
static void return_path_read(struct parsed_message *msg, GMimeHeader *h, struct addr_ctx *ctx)
{
	char *v = header_plain(h);
	msg->has_return_path = 1;
	const char *lt = strchr(v, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (lt != NULL && gt != NULL) {
		const char *p = lt + 1;
		while (p < gt && (*p == ' ' || *p == '\t'))
			p++;
		if (p == gt) {
			msg->return_path = xstrdup("");
			free(v);
			return;
		}
	}
	if (*v == '\0') {
		msg->return_path = xstrdup("");
		free(v);
		return;
	}
	addresses_each(h, return_path_set, ctx);
	if (msg->return_path == NULL) {
		if (lt != NULL && gt != NULL)
			msg->return_path = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		else
			msg->return_path = xstrdup(v);
		str_lower(str_trim(msg->return_path));
	}
	/* qmail writes its null sender (a bounce) as <#@[]>. */
	if (strcmp(msg->return_path, "#@[]") == 0)
		msg->return_path[0] = '\0';
	free(v);
}

static int name_is(const char *name, const char *want)
{
	return g_ascii_strcasecmp(name, want) == 0;
}

/* Headers that auto-responders without RFC 3834 put on what they send: Outlook's rules
 * (the loop-detection header Exchange adds to a rule's reply), vacation programs, ticket
 * systems. */
static int is_autoresponder_header(const char *name)
{
	static const char *const names[] = {
		"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-MS-Exchange-Inbox-Rules-Loop",
		"X-ServiceNow-Generated", "X-Auto-Reply", "X-Autogenerated", "X-Apple-Action",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (name_is(name, names[i]))
			return 1;
	return 0;
}

/* "name: value", lower-cased and cut short, or NULL when the value says no. */
static char *autoresponder_field(const char *name, GMimeHeader *h)
{
	char *v = header_plain(h);
	char *field = NULL;
	if (g_ascii_strcasecmp(v, "no") != 0 && g_ascii_strcasecmp(v, "false") != 0 &&
	    g_ascii_strcasecmp(v, "0") != 0) {
		field = xasprintf("%s: %.80s", name, v);
		str_lower(field);
		char *clean = charset_clean_utf8(field);
		free(field);
		field = clean;
	}
	free(v);
	return field;
}

static void headers_read(struct parsed_message *msg, GMimeMessage *message)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(message));
	int n = g_mime_header_list_get_count(hl);
	GMimeHeader *h_msgid = NULL, *h_irt = NULL, *h_refs = NULL, *h_ti = NULL, *h_rp = NULL;
	GMimeHeader *h_from = NULL, *h_subject = NULL;
	GPtrArray *h_to = g_ptr_array_new(), *h_cc = g_ptr_array_new(), *h_rcpt = g_ptr_array_new();
	struct addr_ctx ctx = {msg, g_hash_table_new(g_str_hash, g_str_equal), 0, 0};

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		if (name == NULL)
			continue;
		if (name_is(name, "Message-ID")) {
			if (h_msgid == NULL)
				h_msgid = h;
		} else if (name_is(name, "In-Reply-To")) {
			if (h_irt == NULL)
				h_irt = h;
		} else if (name_is(name, "References")) {
			if (h_refs == NULL)
				h_refs = h;
		} else if (name_is(name, "Thread-Index")) {
			if (h_ti == NULL)
				h_ti = h;
		} else if (name_is(name, "Return-Path")) {
			if (h_rp == NULL)
				h_rp = h;
		} else if (name_is(name, "From")) {
			if (h_from == NULL)
				h_from = h;
		} else if (name_is(name, "Subject")) {
			if (h_subject == NULL)
				h_subject = h;
		} else if (name_is(name, "To")) {
			g_ptr_array_add(h_to, h);
		} else if (name_is(name, "Cc")) {
			g_ptr_array_add(h_cc, h);
		} else if (name_is(name, "Bcc") || name_is(name, "Resent-To") ||
		           name_is(name, "Resent-Cc") || name_is(name, "Resent-Bcc")) {
			g_ptr_array_add(h_rcpt, h);
		} else if (name_is(name, "Auto-Submitted")) {
			if (msg->auto_submitted == NULL)
				msg->auto_submitted = header_plain(h);
		} else if (name_is(name, "Precedence")) {
			if (msg->precedence == NULL)
				msg->precedence = header_plain(h);
		} else if (name_is(name, "X-Auto-Response-Suppress")) {
			if (msg->x_auto_response_suppress == NULL)
				msg->x_auto_response_suppress = header_plain(h);
		} else if (name_is(name, "Authentication-Results")) {
			if (msg->authentication_results == NULL)
				msg->authentication_results = header_plain(h);
		} else if (name_is(name, "Content-Language")) {
			if (msg->content_language == NULL)
				msg->content_language = header_plain(h);
		} else if (str_has_prefix_nocase(name, "List-")) {
			if (msg->list_header == NULL)
				msg->list_header = charset_clean_utf8(name);
		} else if (msg->autoresponder == NULL && is_autoresponder_header(name)) {
			msg->autoresponder = autoresponder_field(name, h);
		}
	}

	if (h_msgid != NULL) {
		char *v = header_plain(h_msgid);
		msg->message_id = msgid_parse(v);
		free(v);
	}
	if (h_irt != NULL) {
		char *v = header_plain(h_irt);
		msg->in_reply_to = msgid_first(v);
		free(v);
	}
	if (msg->in_reply_to != NULL && msg->message_id != NULL &&
	    strcmp(msg->in_reply_to, msg->message_id) == 0)
		xfree(&msg->in_reply_to); /* a message cannot answer itself */
	char *refs = h_refs ? header_plain(h_refs) : NULL;
	msgid_references(refs, msg->message_id, msg->in_reply_to, &msg->references);
	free(refs);
	if (h_ti != NULL) {
		char *v = header_plain(h_ti);
		msg->thread_index = msgid_thread_index(v);
		free(v);
	}
	if (h_rp != NULL)
		return_path_read(msg, h_rp, &ctx);
	if (h_from != NULL)
		addresses_each(h_from, from_set, &ctx);
	if (h_subject != NULL) {
		free(msg->subject);
		msg->subject = header_text(h_subject);
	}
	for (guint i = 0; i < h_to->len; i++)
		addresses_each(g_ptr_array_index(h_to, i), to_add, &ctx);
	for (guint i = 0; i < h_cc->len; i++)
		addresses_each(g_ptr_array_index(h_cc, i), to_add, &ctx);
	for (guint i = 0; i < h_rcpt->len; i++)
		addresses_each(g_ptr_array_index(h_rcpt, i), recipient_add, &ctx);

	GDateTime *date = g_mime_message_get_date(message);
	msg->date = date ? g_date_time_to_unix(date) : 0;

	/* GMime files Content-* headers under the top-level part, not the message */
	if (msg->content_language == NULL && message->mime_part != NULL) {
		GMimeHeaderList *phl = g_mime_object_get_header_list(message->mime_part);
		GMimeHeader *h = g_mime_header_list_get_header(phl, "Content-Language");
		if (h != NULL)
			msg->content_language = header_plain(h);
	}

	g_hash_table_destroy(ctx.seen);
	g_ptr_array_free(h_to, TRUE);
	g_ptr_array_free(h_cc, TRUE);
	g_ptr_array_free(h_rcpt, TRUE);
}

/* ---- structure ------------------------------------------------------------------------ */

struct walk {
	const struct mime_limits *limits;
	struct parsed_message *msg;
	unsigned parts;
	int too_deep;
	int too_many;
	GMimePart *body;
	GPtrArray *alternatives; /* text parts that are the body in another form */
	size_t att_cap;
	int keep_content;        /* keep each attachment's decoded bytes */
};

/* Counts every part and the nesting under obj (depth = containers above it). */
static void walk_count(struct walk *w, GMimeObject *obj, unsigned depth)
{
	if (w->too_deep || w->too_many)
		return;
	if (++w->parts > w->limits->max_parts) {
		w->too_many = 1;
		return;
	}
	if (depth > w->limits->max_depth) {
		w->too_deep = 1;
		return;
	}
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	if (ct != NULL && g_mime_content_type_is_type(ct, "text", "calendar")) {
		const char *method = g_mime_content_type_get_parameter(ct, "method");
		if (method != NULL && g_ascii_strcasecmp(method, "REPLY") == 0)
			w->msg->is_calendar_reply = 1;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n && !w->too_deep && !w->too_many; i++)
			walk_count(w, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (inner != NULL && inner->mime_part != NULL)
			walk_count(w, inner->mime_part, depth + 1);
	}
}

static int is_attachment(GMimeObject *obj)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);
	return d != NULL && g_mime_content_disposition_is_attachment(d);
}

/* The body text part under obj: text/plain or text/html that is not an attachment; in a
 * multipart/alternative text/plain wins and every alternative's text part is recorded so
 * it is not listed as an attachment; elsewhere the first one found.  *html_r tells which.
 * Forwarded messages never hold the body.  Depth was bounded by walk_count. */
static GMimePart *body_find(GMimeObject *obj, int *html_r, GPtrArray *alternatives)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "encrypted"))
			return NULL;
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
			GMimePart *best = NULL;
			int best_html = 1;
			for (int i = 0; i < n; i++) {
				int html = 0;
				GMimePart *p = body_find(g_mime_multipart_get_part(mp, i), &html, alternatives);
				if (p == NULL)
					continue;
				g_ptr_array_add(alternatives, p);
				if (best == NULL || (best_html && !html)) {
					best = p;
					best_html = html;
				}
			}
			*html_r = best_html;
			return best;
		}
		for (int i = 0; i < n; i++) {
			GMimePart *p = body_find(g_mime_multipart_get_part(mp, i), html_r, alternatives);
			if (p != NULL)
				return p;
		}
		return NULL;
	}
	if (!GMIME_IS_PART(obj) || ct == NULL || is_attachment(obj))
		return NULL;
	if (g_mime_content_type_is_type(ct, "text", "plain")) {
		*html_r = 0;
		return GMIME_PART(obj);
	}
	if (g_mime_content_type_is_type(ct, "text", "html")) {
		*html_r = 1;
		return GMIME_PART(obj);
	}
	return NULL;
}

/* The decoded text of a part as UTF-8 with LF line ends (new string). */
static char *part_text(GMimePart *part, int html)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	if (content == NULL)
		return xstrdup("");
	GMimeStream *src = g_mime_data_wrapper_get_stream(content);
	gint64 hint = src ? g_mime_stream_length(src) : 0;
	/* decoded text is never longer than its encoded form: one allocation */
	GByteArray *bytes = g_byte_array_sized_new(hint > 0 && hint < (1 << 30) ? (guint)hint : 0);
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
	if (src != NULL && g_mime_data_wrapper_get_encoding(content) == GMIME_CONTENT_ENCODING_BASE64) {
		g_mime_stream_reset(src);
		g_mime_stream_write_to_stream(src, mem);
		g_byte_array_set_size(bytes, (guint)base64_decode_lenient(bytes->data, bytes->len));
	} else {
		g_mime_data_wrapper_write_to_stream(content, mem);
	}
	const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	size_t len;
	char *text = charset_convert_text(charset, bytes->data, bytes->len, &len);
	g_object_unref(mem);
	charset_normalize_newlines(text, &len);
	/* a multipart's last line break belongs to the delimiter: drop trailing space so the
	 * same text reads the same in any structure */
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\t' ||
	                   text[len - 1] == '\r'))
		text[--len] = '\0';
	if (html) {
		char *plain = html_to_text(text, len);
		free(text);
		return plain;
	}
	return text;
}

static struct mime_attachment *attachment_new(struct walk *w)
{
	struct parsed_message *msg = w->msg;
	if (msg->n_attachments == w->att_cap) {
		w->att_cap = w->att_cap ? w->att_cap * 2 : 4;
		msg->attachments = xrealloc(msg->attachments, w->att_cap * sizeof(*msg->attachments));
	}
	struct mime_attachment *a = &msg->attachments[msg->n_attachments++];
	memset(a, 0, sizeof(*a));
	return a;
}

static char *content_type_of(GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *s = charset_clean_utf8(mime ? mime : "application/octet-stream");
	g_free(mime);
	return str_lower(s);
}

static char *filename_clean(const char *name)
{
	if (name == NULL || *name == '\0')
		return NULL;
	char *n = charset_clean_utf8(name);
	char *decoded = rfc2047_decode_text(n); /* words GMime's strict mode left alone */
	if (decoded != NULL) {
		free(n);
		n = decoded;
	}
	for (char *p = n; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	if (*n == '\0')
		xfree(&n);
	return n;
}

/* One parameter of a Content-Disposition (disposition) or Content-Type header, decoded.
 * GMime decodes RFC 2231 and 2047 itself; a value holding encoded words is parsed again from
 * the prepared raw header, where GMime's decoder would lose text (see rfc2047.h). */
static char *part_param(GMimeObject *obj, int disposition, const char *param)
{
	const char *header = disposition ? "Content-Disposition" : "Content-Type";
	GMimeHeader *h = g_mime_header_list_get_header(g_mime_object_get_header_list(obj), header);
	const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
	if (raw != NULL && strstr(raw, "=?") != NULL) {
		char *prepared = header_raw_prepared(h);
		char *value = NULL;
		if (disposition) {
			GMimeContentDisposition *d = g_mime_content_disposition_parse(parser_options, prepared);
			if (d != NULL) {
				value = filename_clean(g_mime_content_disposition_get_parameter(d, param));
				g_object_unref(d);
			}
		} else {
			GMimeContentType *ct = g_mime_content_type_parse(parser_options, prepared);
			if (ct != NULL) {
				value = filename_clean(g_mime_content_type_get_parameter(ct, param));
				g_object_unref(ct);
			}
		}
		free(prepared);
		if (value != NULL)
			return value;
	}
	return filename_clean(disposition ? g_mime_object_get_content_disposition_parameter(obj, param)
	                                  : g_mime_object_get_content_type_parameter(obj, param));
}

/* The file name the way g_mime_part_get_filename looks for it: the disposition's filename,
 * else the content type's name. */
static char *part_filename(GMimeObject *obj)
{
	char *name = part_param(obj, 1, "filename");
	return name != NULL ? name : part_param(obj, 0, "name");
}

/* Takes the decoded bytes written to mem as the attachment's content, size and hash. */
static void attachment_keep(struct mime_attachment *a, GMimeStream *mem)
{
	GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	a->size = bytes->len;
	a->content = xmalloc(bytes->len + 1);
	if (bytes->len > 0)
		memcpy(a->content, bytes->data, bytes->len);
	a->content[bytes->len] = '\0';
	sha256_hex(a->content, bytes->len, a->sha256);
	g_object_unref(mem);
}

static void attachment_add_part(struct walk *w, GMimePart *part)
{
	struct mime_attachment *a = attachment_new(w);
	a->filename = part_filename(GMIME_OBJECT(part));
	a->content_type = content_type_of(GMIME_OBJECT(part));
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	if (w->keep_content) {
		GMimeStream *mem = g_mime_stream_mem_new();
		if (content != NULL)
			g_mime_data_wrapper_write_to_stream(content, mem);
		attachment_keep(a, mem);
		return;
	}
	MimeHashSink *sink = hash_sink_new();
	if (content != NULL)
		g_mime_data_wrapper_write_to_stream(content, GMIME_STREAM(sink));
	hash_sink_finish(&sink, &a->size, a->sha256);
}

static void attachment_add_message(struct walk *w, GMimeObject *obj, GMimeMessage *inner)
{
	struct mime_attachment *a = attachment_new(w);
	a->filename = part_filename(obj);
	if (a->filename == NULL && inner != NULL) {
		/* no file name: the forwarded message's subject, decoded like ours */
		GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(inner));
		GMimeHeader *h = g_mime_header_list_get_header(hl, "Subject");
		char *subject = h ? header_text(h) : NULL;
		if (subject != NULL && *subject != '\0')
			a->filename = subject;
		else
			free(subject);
	}
	a->content_type = content_type_of(obj);
	if (w->keep_content) {
		GMimeStream *mem = g_mime_stream_mem_new();
		if (inner != NULL)
			g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
		attachment_keep(a, mem);
		return;
	}
	MimeHashSink *sink = hash_sink_new();
	if (inner != NULL)
		g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, GMIME_STREAM(sink));
	hash_sink_finish(&sink, &a->size, a->sha256);
}

static int is_alternative(struct walk *w, GMimePart *part)
{
	for (guint i = 0; i < w->alternatives->len; i++)
		if (g_ptr_array_index(w->alternatives, i) == part)
			return 1;
	return 0;
}

/* Lists every leaf but the body and its alternatives, forwarded messages walked. */
static void walk_attachments(struct walk *w, GMimeObject *obj)
{
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n; i++)
			walk_attachments(w, g_mime_multipart_get_part(mp, i));
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		attachment_add_message(w, obj, inner);
		if (inner != NULL && inner->mime_part != NULL)
			walk_attachments(w, inner->mime_part);
	} else if (GMIME_IS_PART(obj)) {
		GMimePart *part = GMIME_PART(obj);
		if (part != w->body && !is_alternative(w, part))
			attachment_add_part(w, part);
	}
}

static void structure_read(struct parsed_message *msg, GMimeMessage *message,
                           const struct mime_limits *limits, int keep_content)
{
	GMimeObject *root = message->mime_part;
	if (root == NULL)
		return;
	GMimeContentType *ct = g_mime_object_get_content_type(root);
	msg->is_report = ct != NULL && g_mime_content_type_is_type(ct, "multipart", "report");

	struct walk w = {limits, msg, 0, 0, 0, NULL, NULL, 0, keep_content};
	walk_count(&w, root, 0);
	if (w.too_deep) {
		quarantine(msg, xasprintf("nesting deeper than %u levels", limits->max_depth));
		return;
	}
	if (w.too_many) {
		quarantine(msg, xasprintf("more than %u parts", limits->max_parts));
		return;
	}
	w.alternatives = g_ptr_array_new();
	int html = 0;
	w.body = body_find(root, &html, w.alternatives);
	if (w.body != NULL) {
		free(msg->text);
		msg->text = part_text(w.body, html);
	}
	walk_attachments(&w, root);
	g_ptr_array_free(w.alternatives, TRUE);
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
	parser_options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
	g_mime_parser_options_set_allow_addresses_without_domain(parser_options, TRUE);
	g_mime_parser_options_set_address_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
	/* loose RFC 2047 makes GMime scan to the end of a header for every unterminated "=?"
	 * (a 500 KB Subject took 20 s); we decode the loose cases ourselves, in linear time */
	g_mime_parser_options_set_rfc2047_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_STRICT);
	/* register the sink type now, not racing in the first parses */
	g_type_ensure(hash_sink_get_type());
}

void mime_global_deinit(void)
{
	if (parser_options != NULL)
		g_mime_parser_options_free(parser_options);
	parser_options = NULL;
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
	GMimeMessage *message = g_mime_parser_construct_message(parser, parser_options);
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
		quarantine(msg, xstrdup("empty message"));
		return;
	}
	/* GMime's memory streams count in guint: 4 GiB is a hard ceiling whatever the limit */
	size_t max_bytes = limits->max_message_bytes < G_MAXUINT ? limits->max_message_bytes : G_MAXUINT - 1;
	if (len > max_bytes) {
		quarantine(msg, xasprintf("message larger than %zu bytes", max_bytes));
		return;
	}
	struct prescan ps = {0};
	prescan_scan_headers(raw, len, limits->max_header_bytes, &ps);
	if (ps.header_end > limits->max_header_bytes) {
		quarantine(msg, xasprintf("header block larger than %zu bytes", limits->max_header_bytes));
		return;
	}
	if (ps.header_lines == 0) {
		quarantine(msg, xstrdup("not a message: no header lines"));
		return;
	}
	prescan_scan_structure(raw, len, limits->max_depth, limits->max_parts, &ps);
	if (ps.group_bomb) {
		quarantine(msg, xasprintf("address header with more than %d groups",
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
		quarantine(msg, ps.too_deep ? xasprintf("nesting deeper than %u levels", limits->max_depth)
		                            : xasprintf("more than %u parts", limits->max_parts));
		data_len = prescan_header_len(&ps, len, data_len);
	}

	GByteArray *array;
	GMimeStream *stream;
	GMimeMessage *message = gmime_parse(data, data_len, &array, &stream);
	if (message == NULL) {
		quarantine(msg, xstrdup("not a message: GMime could not parse it"));
	} else {
		headers_read(msg, message);
		if (msg->quarantine_reason == NULL)
			structure_read(msg, message, limits, keep_content);
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
