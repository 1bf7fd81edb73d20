/* mime_parts.c — the structure of a parsed message: part count and depth, the body text
 * (plain preferred, else HTML made text), and every other leaf listed and hashed as an
 * attachment (see mime_private.h; the text rules are at the top of mime.c). */
#include "mime_private.h"

#include <string.h>

#include "base64.h"
#include "charset.h"
#include "hash.h"
#include "rfc2047.h"

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
		char *prepared = mime_header_raw_prepared(h);
		char *value = NULL;
		if (disposition) {
			GMimeContentDisposition *d = g_mime_content_disposition_parse(mime_parser_options, prepared);
			if (d != NULL) {
				value = filename_clean(g_mime_content_disposition_get_parameter(d, param));
				g_object_unref(d);
			}
		} else {
			GMimeContentType *ct = g_mime_content_type_parse(mime_parser_options, prepared);
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
	MimeHashSink *sink = mime_hash_sink_new();
	if (content != NULL)
		g_mime_data_wrapper_write_to_stream(content, GMIME_STREAM(sink));
	mime_hash_sink_finish(&sink, &a->size, a->sha256);
}

static void attachment_add_message(struct walk *w, GMimeObject *obj, GMimeMessage *inner)
{
	struct mime_attachment *a = attachment_new(w);
	a->filename = part_filename(obj);
	if (a->filename == NULL && inner != NULL) {
		/* no file name: the forwarded message's subject, decoded like ours */
		GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(inner));
		GMimeHeader *h = g_mime_header_list_get_header(hl, "Subject");
		char *subject = h ? mime_header_text(h) : NULL;
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
	MimeHashSink *sink = mime_hash_sink_new();
	if (inner != NULL)
		g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, GMIME_STREAM(sink));
	mime_hash_sink_finish(&sink, &a->size, a->sha256);
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

void mime_structure_read(struct parsed_message *msg, GMimeMessage *message,
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
		mime_quarantine(msg, xasprintf("nesting deeper than %u levels", limits->max_depth));
		return;
	}
	if (w.too_many) {
		mime_quarantine(msg, xasprintf("more than %u parts", limits->max_parts));
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
