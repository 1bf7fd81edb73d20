/* classify.c — person or machine (RFC 3834, RFC 5230 section 4.6, RFC 2369/2919), and the
 * direction of a message in its mailbox.  The order of the checks is the order of
 * docs/autoreply.md, so the reason given is the first that applies. */
#include "classify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Local parts that only machines send from (Sieve vacation's list plus no-reply forms). */
static const char *const robot_exact[] = {
	"mailer-daemon", "postmaster", "listserv", "majordomo", "mailer", "uucp",
	"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
};
static const char *const robot_prefix[] = {"owner-"};
static const char *const robot_suffix[] = {"-request", "-owner", "-relay"};

int classify_is_robot_address(const char *addr)
{
	if (addr == NULL || addr[0] == '\0')
		return 0;
	const char *at = strrchr(addr, '@');
	size_t n = at ? (size_t)(at - addr) : strlen(addr);
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
	return 0;
}

int classify_is_auto_submitted(const char *value)
{
	return value != NULL && strcasecmp(value, "no") != 0 && !str_has_prefix_nocase(value, "no;") &&
	       !str_has_prefix_nocase(value, "no ");
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

/* Returns 1 (with the reason set) at the first rule that marks a machine. */
static int judge(const struct parsed_message *msg, const struct mailbox_config *mailbox,
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
	if (msg->precedence != NULL) {
		static const char *const bulk[] = {"junk", "bulk", "list", "auto_reply"};
		for (size_t i = 0; i < sizeof(bulk) / sizeof(*bulk); i++)
			if (value_has_word(msg->precedence, bulk[i]))
				return machine(r, "precedence: %s", bulk[i]);
	}
	if (msg->x_auto_response_suppress != NULL &&
	    (value_has_word(msg->x_auto_response_suppress, "all") ||
	     value_has_word(msg->x_auto_response_suppress, "oof")))
		return machine(r, "x-auto-response-suppress: %.100s", msg->x_auto_response_suppress);
	if (msg->is_report)
		return machine(r, "multipart/report");
	if (!addressed_to_troop(msg, mailbox))
		return machine(r, "troop address not in To/Cc/Bcc/Resent-*");
	return 0;
}

void classify_message(const struct parsed_message *msg, const struct mailbox_config *mailbox,
                      const char *folder, struct classification *r)
{
	const char *from = msg->from.addr ? msg->from.addr : "";
	r->reason[0] = '\0';
	r->kind = "person";
	/* Answer the envelope sender, never Reply-To: a stranger can point Reply-To anywhere. */
	r->reply_to = msg->has_return_path ? msg->return_path : from;

	int sent = folder != NULL && mailbox->sent_folder != NULL &&
	           strcmp(folder, mailbox->sent_folder) == 0;
	if (sent || mailbox_owns_address(mailbox, from)) {
		r->direction = "out";
		return;
	}
	r->direction = "in";
	judge(msg, mailbox, r);
}
