/* name_addresses.h — the e-mail addresses seen with a person's name in mail, so that
 * redacting a name can suggest redacting the addresses that would still identify them. */
#ifndef LIAISON_NAME_ADDRESSES_H
#define LIAISON_NAME_ADDRESSES_H

#include "util.h"

/* Adds addr (lower-cased, once) to found when every word of name is a word of the display
 * name of an address-header entry, in any order or case: "Tunde Okafor" goes with
 * "Okafor, Tunde <t.okafor@example.net>".  Returns 1 when they go together, else 0. */
int name_addresses_in_mailbox(const char *name, const char *display, const char *addr,
                               struct strlist *found);
/* Adds the addresses written right next to name in text, before or after it, with at most a
 * few spaces and brackets between: "Tunde Okafor <t@example.org>", "Tunde Okafor
 * (t@example.org)", "t@example.org (Tunde Okafor)". */
void name_addresses_in_text(const char *name, const char *text, struct strlist *found);

#endif
