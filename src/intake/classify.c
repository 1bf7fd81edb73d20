/* classify.c — two judgements of a message in its mailbox, kept apart: who wrote it (a person
 * or a machine: RFC 3834, RFC 2369/2919, the families of automated senders and
 * auto-responders), and whether the message itself allows an automatic reply (RFC 5230 4.6:
 * the troop must be a recipient; Precedence and X-Auto-Response-Suppress ask for none).  A
 * person whose mail allows no reply (Bcc'd, via a list or a redirect, a gateway's Precedence:
 * bulk) is still a person: routed, flagged, on the response clock, in the reports.  The order
 * of the checks is the order of docs/autoreply.md, so the reason given is the first that
 * applies. */
#include "classify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Local parts that only machines send from (Sieve vacation's list, RFC 5230 4.5). */
static const char *const robot_exact[] = {
	"mailer-daemon", "postmaster", "listserv", "majordomo", "mailer", "uucp",
};
static const char *const robot_prefix[] = {"owner-"};
static const char *const robot_suffix[] = {"-request", "-owner", "-relay", "-bounces",
                                           "-bounce"};
/* Words that, spelt with or without separators, mark a sender nobody may answer:
 * no.reply@, DoNotReply.CTDMV@, ctalert-noreply@, do.not.reply@, no-reply-ctjudicial@. */
static const char *const robot_words[] = {
	"noreply", "donotreply", "donotrespond", "noresponse", "mailerdaemon",
};
/* The first word of a bulk sender's bounce address (bounces+123-abc@, bounce-42@). */
static const char *const robot_first_words[] = {"bounce", "bounces"};

/* A local part (without its "+detail") split at its separators (- . _), lower-cased.
 * Returns the number of words. */
static size_t local_words(const char *local, char words[][64], size_t max)
{
	size_t len = strlen(local);
	size_t n = 0, w = 0;
	for (size_t i = 0; i <= len && n < max; i++) {
		char c = local[i];
		if (c == '-' || c == '.' || c == '_' || c == '\0') {
			if (w > 0) {
				words[n][w] = '\0';
				n++;
				w = 0;
			}
			continue;
		}
		if (w + 1 < sizeof(words[0]))
			words[n][w++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	return n;
}

/* 1 when some run of consecutive words, run together, is one of the robot words. */
static int has_robot_run(char words[][64], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char run[128] = "";
		size_t len = 0;
		for (size_t j = i; j < n && len < sizeof(run) - 1; j++) {
			len += (size_t)snprintf(run + len, sizeof(run) - len, "%s", words[j]);
			for (size_t k = 0; k < sizeof(robot_words) / sizeof(*robot_words); k++)
				if (strcmp(run, robot_words[k]) == 0)
					return 1;
		}
	}
	return 0;
}

int classify_is_robot_address(const char *addr)
{
	if (addr == NULL || addr[0] == '\0')
		return 0;
	const char *at = strrchr(addr, '@');
	size_t n = at ? (size_t)(at - addr) : strlen(addr);
	/* A "+detail" is the sender's own tag (list-bounces+troopk=ct.gov@, noreply+alerts@);
	 * SRS's bounces+SRS=...@ is a forwarder rewriting a person's envelope (Microsoft 365
	 * forwarding a resident's mail), not a bulk sender's. */
	const char *plus = memchr(addr, '+', n);
	if (plus != NULL && strncasecmp(plus + 1, "srs", 3) == 0)
		return 0;
	if (plus != NULL)
		n = (size_t)(plus - addr);
	char local[256];
	if (n >= sizeof(local))
		n = sizeof(local) - 1;
	memcpy(local, addr, n);
	local[n] = '\0';
	for (size_t i = 0; i < sizeof(robot_exact) / sizeof(*robot_exact); i++)
		if (strcasecmp(local, robot_exact[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(robot_prefix) / sizeof(*robot_prefix); i++)
		if (str_has_prefix_nocase(local, robot_prefix[i]))
			return 1;
	for (size_t i = 0; i < sizeof(robot_suffix) / sizeof(*robot_suffix); i++)
		if (str_has_suffix_nocase(local, robot_suffix[i]))
			return 1;
	char words[16][64];
	size_t nw = local_words(local, words, 16);
	for (size_t i = 0; nw > 0 && i < sizeof(robot_first_words) / sizeof(*robot_first_words); i++)
		if (strcmp(words[0], robot_first_words[i]) == 0)
			return 1;
	return has_robot_run(words, nw);
}

int classify_is_auto_submitted(const char *value)
{
	if (value == NULL)
		return 0;
	/* RFC 3834: "no" may carry parameters and comments: "no; x=1", "no (a person)". */
	size_t n = strspn(value, " \t");
	if (strncasecmp(value + n, "no", 2) != 0)
		return 1;
	char next = value[n + 2];
	return !(next == '\0' || next == ';' || next == ' ' || next == '\t' || next == '(');
}

/* 1 when a comma/space/semicolon separated header value holds word (any case). */
static int value_has_word(const char *value, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = value; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',' || *p == ';')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != ',' && *p != ';')
			p++;
		if ((size_t)(p - start) == n && strncasecmp(start, word, n) == 0)
			return 1;
	}
	return 0;
}

static int machine(struct classification *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int machine(struct classification *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	r->kind = "machine";
	r->reply_allowed = 0;
	snprintf(r->no_reply, sizeof(r->no_reply), "machine (%s)", r->reason);
	return 1;
}

static int no_reply(struct classification *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int no_reply(struct classification *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->no_reply, sizeof(r->no_reply), fmt, ap);
	va_end(ap);
	r->reply_allowed = 0;
	return 1;
}

static int addressed_to_troop(const struct parsed_message *msg,
                              const struct mailbox_config *mailbox)
{
	for (size_t i = 0; i < msg->recipients.count; i++)
		if (mailbox_owns_address(mailbox, msg->recipients.items[i]))
			return 1;
	return 0;
}

/* An auto-responder's own header.  Exchange puts X-MS-Exchange-Inbox-Rules-Loop, naming the
 * mailbox whose rule acted, both on a rule's reply (from that mailbox) and on a person's
 * message a rule redirected unchanged (from the person): only the first is a machine's. */
static int is_autoresponder(const struct parsed_message *msg, const char *from)
{
	static const char loop[] = "x-ms-exchange-inbox-rules-loop: ";
	static const char apple[] = "x-apple-action: ";
	const char *a = msg->autoresponder;
	if (a == NULL)
		return 0;
	if (strncmp(a, loop, sizeof(loop) - 1) == 0)
		return strcasecmp(a + sizeof(loop) - 1, from) == 0;
	/* iCloud marks its vacation replies so, and nothing else of the kind. */
	if (strncmp(a, apple, sizeof(apple) - 1) == 0)
		return strstr(a, "vacation") != NULL;
	return 1;
}

/* HCL (Lotus) Notes writes its return receipts as plain mail from the reader's own address:
 * "Return Receipt", "Your document: ... was received by: ... at: ...". */
static int is_notes_receipt(const struct parsed_message *msg)
{
	return msg->subject != NULL && strcasecmp(msg->subject, "Return Receipt") == 0 &&
	       msg->text != NULL && strstr(msg->text, "Your document:") != NULL &&
	       strstr(msg->text, "was received by:") != NULL;
}

/* A DMARC aggregate report, by the subject RFC 7489 7.2.1.1 prescribes ("Report Domain: D
 * Submitter: S Report-ID: I"): some reporters send from an ordinary address and nothing else
 * marks them. */
static int is_dmarc_report(const struct parsed_message *msg)
{
	const char *s = msg->subject ? msg->subject : "";
	return strncasecmp(s, "Report Domain:", 14) == 0 && strcasestr(s, "Submitter:") != NULL;
}

/* Who wrote it: returns 1 (with the reason set) at the first sign of a machine. */
static int judge_writer(const struct parsed_message *msg, const struct mailbox_config *mailbox,
                        struct classification *r)
{
	const char *from = msg->from.addr ? msg->from.addr : "";
	if (msg->has_return_path && msg->return_path[0] == '\0')
		return machine(r, "return-path: <>");
	if (r->reply_to[0] == '\0')
		return machine(r, "no sender address");
	if (mailbox_owns_address(mailbox, r->reply_to) || mailbox_owns_address(mailbox, from))
		return machine(r, "sender is the troop's own address");
	if (classify_is_robot_address(r->reply_to))
		return machine(r, "automated sender: %s", r->reply_to);
	if (classify_is_robot_address(from))
		return machine(r, "automated sender: %s", from);
	if (msg->list_header != NULL) {
		char name[64];
		snprintf(name, sizeof(name), "%s", msg->list_header);
		return machine(r, "%s", str_lower(name));
	}
	if (classify_is_auto_submitted(msg->auto_submitted))
		return machine(r, "auto-submitted: %.100s", msg->auto_submitted);
	if (is_autoresponder(msg, from))
		return machine(r, "auto-reply header: %s", msg->autoresponder);
	if (msg->precedence != NULL && value_has_word(msg->precedence, "auto_reply"))
		return machine(r, "auto-reply header: precedence: auto_reply");
	if (msg->is_report)
		return machine(r, "multipart/report");
	if (msg->is_calendar_reply)
		return machine(r, "calendar reply");
	if (is_notes_receipt(msg))
		return machine(r, "return receipt (HCL Notes)");
	if (is_dmarc_report(msg))
		return machine(r, "dmarc aggregate report");
	return 0;
}

/* Whether a person's message allows an automatic reply: returns 1 (with the reason set) at
 * the first that forbids one. */
static int judge_reply(const struct parsed_message *msg, const struct mailbox_config *mailbox,
                       struct classification *r)
{
	/* RFC 5230 4.6: Bcc'd, sent to a list the troop is on, redirected: someone else was
	 * written to, and an automatic answer would surprise (and may expose the troop). */
	if (!addressed_to_troop(msg, mailbox))
		return no_reply(r, "not addressed to the troop (Bcc, a list or a redirect)");
	if (msg->precedence != NULL) {
		static const char *const bulk[] = {"junk", "bulk", "list"};
		for (size_t i = 0; i < sizeof(bulk) / sizeof(*bulk); i++)
			if (value_has_word(msg->precedence, bulk[i]))
				return no_reply(r, "precedence: %s", bulk[i]);
	}
	/* Microsoft's request: All, or OOF (out-of-office replies), or AutoReply (every
	 * automatic reply but the out-of-office one): liaison's is an automatic reply. */
	if (msg->x_auto_response_suppress != NULL &&
	    (value_has_word(msg->x_auto_response_suppress, "all") ||
	     value_has_word(msg->x_auto_response_suppress, "oof") ||
	     value_has_word(msg->x_auto_response_suppress, "autoreply")))
		return no_reply(r, "x-auto-response-suppress: %.100s", msg->x_auto_response_suppress);
	return 0;
}

/* 1 when addr's domain is that of the troop's address or of one of its aliases. */
static int in_troop_domain(const struct mailbox_config *mailbox, const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	if (at == NULL)
		return 0;
	const char *own = mailbox->address ? strrchr(mailbox->address, '@') : NULL;
	if (own != NULL && strcasecmp(at, own) == 0)
		return 1;
	for (size_t i = 0; i < mailbox->aliases.count; i++) {
		const char *alias = strrchr(mailbox->aliases.items[i], '@');
		if (alias != NULL && strcasecmp(at, alias) == 0)
			return 1;
	}
	return 0;
}

/* Mail with the troop's address in From is the troop's own only when its own server sent it:
 * a Return-Path in the troop's domain, a DMARC pass for that domain recorded by the receiving
 * server, or no Return-Path at all (a copy saved into the mailbox, never delivered: every
 * delivered message gets one).  Anyone can write From: TroopKCTL@ct.gov. */
static int sent_by_troop(const struct parsed_message *msg, const struct mailbox_config *mailbox)
{
	if (!msg->has_return_path)
		return 1;
	if (msg->return_path[0] != '\0' && in_troop_domain(mailbox, msg->return_path))
		return 1;
	const char *ar = msg->authentication_results;
	if (ar != NULL && strcasestr(ar, "dmarc=pass") != NULL) {
		const char *hf = strcasestr(ar, "header.from=");
		const char *own = mailbox->address ? strrchr(mailbox->address, '@') : NULL;
		size_t n = own ? strlen(own + 1) : 0;
		if (hf != NULL && own != NULL && strncasecmp(hf + 12, own + 1, n) == 0 &&
		    strchr(" \t;()", hf[12 + n]) != NULL)
			return 1;
	}
	return 0;
}

void classify_message(const struct parsed_message *msg, const struct mailbox_config *mailbox,
                      const char *folder, struct classification *r)
{
	const char *from = msg->from.addr ? msg->from.addr : "";
	r->reason[0] = '\0';
	r->no_reply[0] = '\0';
	r->kind = "person";
	r->reply_allowed = 1;
	r->suspicious = 0;
	/* Answer the envelope sender, never Reply-To: a stranger can point Reply-To anywhere. */
	r->reply_to = msg->has_return_path ? msg->return_path : from;

	int sent = folder != NULL && mailbox->sent_folder != NULL &&
	           strcmp(folder, mailbox->sent_folder) == 0;
	int claims_troop = mailbox_owns_address(mailbox, from);
	if (sent || (claims_troop && sent_by_troop(msg, mailbox))) {
		r->direction = "out";
		r->reply_allowed = 0;
		snprintf(r->no_reply, sizeof(r->no_reply), "outgoing");
		return;
	}
	r->direction = "in";
	if (claims_troop) {
		r->suspicious = 1;
		machine(r, "claims the troop's address, from outside its server (return-path: %.80s)",
		        msg->return_path);
		return;
	}
	if (!judge_writer(msg, mailbox, r))
		judge_reply(msg, mailbox, r);
}
