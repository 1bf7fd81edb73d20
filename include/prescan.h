/* prescan.h — a linear look at a raw message before the MIME parser sees it.
 *
 * GMime's parser can be made to spend seconds or overflow the stack by a message that is
 * small enough to accept: it checks every line against every open boundary (100,000 nested
 * multiparts cost seconds, though it stops at 1024 levels) and recurses once per address
 * group (a 160 KB "To: a:a:a:..." overflows the stack).  These scans follow the header
 * block, the boundary declarations and delimiter lines, and the address groups, each byte a
 * bounded number of times, so such a message is quarantined before GMime parses its body.
 * They also find the two flaws in a header block that GMime would mishandle, which
 * prescan_repair_raw mends. */
#ifndef LIAISON_PRESCAN_H
#define LIAISON_PRESCAN_H

#include <stddef.h>

/* GMime's address parser recurses once per "name:" group, even nested ones (which RFC 5322
 * does not allow): "To: a:a:a:..." 80,000 times overflows an 8 MiB stack.  Real mail has
 * one or two groups; past this many group colons in one header the message is refused
 * before GMime sees it (64 levels need a few kilobytes of stack). */
#define PRESCAN_ADDRESS_GROUPS_MAX 64

/* What the scans found.  Start it zeroed ({0}). */
struct prescan {
	size_t header_end;     /* bytes of the top-level header block */
	unsigned header_lines; /* "name: value" lines in it */
	int needs_blank;       /* the block runs into the body without a blank line */
	int header_nul;        /* NUL bytes inside the block */
	int too_deep;          /* more boundaries open at once than max_depth */
	int too_many;          /* more delimiter lines than max_parts */
	int group_bomb;        /* an address header nests groups past PRESCAN_ADDRESS_GROUPS_MAX */
};

/* Finds the end of the top-level header block of the len bytes at raw (an mbox "From " line
 * before it counts as part of it), counts its header lines and looks for NULs in it.  Stops
 * early once past max_header_bytes, so header_end > max_header_bytes means "too large".
 * A block that runs into the body is ended at the first line that has no colon (GMime would
 * drop such lines as broken headers) and needs_blank is set. */
void prescan_scan_headers(const char *raw, size_t len, size_t max_header_bytes,
                          struct prescan *ps);

/* Follows boundary declarations and delimiter lines through the whole message the way GMime's
 * parser does, closely enough to bound its work, and counts the group colons of every address
 * header (forwarded messages are parsed too).  Sets too_deep, too_many or group_bomb, stopping
 * at the first.  "boundary=" in a body counts too, which can only make the estimate larger;
 * exact counts need the parsed structure. */
void prescan_scan_structure(const char *raw, size_t len, unsigned max_depth, unsigned max_parts,
                            struct prescan *ps);

/* Returns 1 when raw must be mended by prescan_repair_raw before it is parsed, else 0. */
int prescan_needs_repair(const struct prescan *ps);

/* Returns a new copy of raw (caller frees; its length in *len_r) with each NUL in the header
 * block as U+FFFD and a blank line where the block runs into the body, so GMime neither cuts
 * a header short nor eats body lines. */
char *prescan_repair_raw(const char *raw, size_t len, const struct prescan *ps, size_t *len_r);

/* The length of the header block, without the blank line prescan_repair_raw may have added,
 * in the data_len bytes handed to the parser: raw itself (data_len == raw_len) or its repaired
 * copy. */
size_t prescan_header_len(const struct prescan *ps, size_t raw_len, size_t data_len);

#endif
