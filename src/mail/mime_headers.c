/* mime_headers.c — the headers of a parsed message: addresses (From, To, Cc, Return-Path),
 * Subject, Message-ID and References, the auto-responder and list headers, language (see
 * mime_private.h; the text rules are at the top of mime.c). */
#include "mime_private.h"

#include <string.h>

#include "charset.h"
#include "msgid.h"
#include "rfc2047.h"

/* A structured header's raw value as UTF-8 with each run of encoded words made one UTF-8
 * word, ready for GMime's parsers (new string). */
char *mime_header_raw_prepared(GMimeHeader *h)
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
char *mime_header_text(GMimeHeader *h)
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
	char *u = mime_header_raw_prepared(h);
	InternetAddressList *list = internet_address_list_parse(mime_parser_options, u);
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

void mime_headers_read(struct parsed_message *msg, GMimeMessage *message)
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
		msg->subject = mime_header_text(h_subject);
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
