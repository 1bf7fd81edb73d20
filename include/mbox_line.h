/* mbox_line.h — the two lines of an mbox that are not plain message text: the separator
 * that starts a message ("From sender date", with the date it carries) and a "From " line in
 * a body that the writer quoted (">From ", ">>From ").  Pure functions on one line. */
#ifndef LIAISON_MBOX_LINE_H
#define LIAISON_MBOX_LINE_H

#include <stddef.h>
#include <stdint.h>

/* The longest line taken as a separator: "From ", a 256-byte envelope sender (RFC 5321's
 * longest path) and a date with zones and a "remote from" tail fit with room to spare; a
 * longer line is body text. */
#define MBOX_SEPARATOR_MAX 1024

/* 1 when line (len bytes, newline included or not) separates mbox messages, with its date as
 * UTC seconds in *t_r; else 0.  The sender is one word, a "quoted local part"@domain that may
 * hold spaces, or nothing ("From  Mon Jan ..."); the date is asctime()'s form with the zones
 * and tails real writers add (see separator_date in mbox_line.c). */
int mbox_line_is_separator(const char *line, size_t len, int64_t *t_r);

/* 1 when line is ">From ", ">>From ", ...: a body line the writer quoted, which loses one
 * '>' when read back (right for mboxrd and mboxo alike); else 0. */
int mbox_line_is_quoted_from(const char *line, size_t len);

#endif
