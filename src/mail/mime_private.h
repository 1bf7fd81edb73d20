/* mime_private.h — what the MIME module's files share (src/mail/mime*.c: the entry points,
 * mime_headers.c, mime_parts.c, mime_sink.c).  They are the only files that include GMime. */
#ifndef LIAISON_MIME_PRIVATE_H
#define LIAISON_MIME_PRIVATE_H

#include <gmime/gmime.h>

#include "mime.h"

/* The parser options of mime_global_init: loose addresses and parameters, strict RFC 2047. */
extern GMimeParserOptions *mime_parser_options;

/* Sets msg's quarantine reason unless it has one (takes reason). */
void mime_quarantine(struct parsed_message *msg, char *reason);

/* mime_headers.c: every header the program reads, into msg. */
void mime_headers_read(struct parsed_message *msg, GMimeMessage *message);
/* A structured header's raw value as UTF-8 with each run of encoded words made one UTF-8
 * word, ready for GMime's parsers (new string). */
char *mime_header_raw_prepared(GMimeHeader *h);
/* An unstructured header (Subject) as display text: encoded words decoded, charset rules
 * applied (new string). */
char *mime_header_text(GMimeHeader *h);

/* mime_parts.c: counts parts and depth against limits (quarantining past them), picks the
 * body text, and lists and hashes every attachment (keeping its bytes when keep_content). */
void mime_structure_read(struct parsed_message *msg, GMimeMessage *message,
                         const struct mime_limits *limits, int keep_content);

/* mime_sink.c: a GMime stream that hashes and counts what is written to it, so an
 * attachment's SHA-256 and size come from streaming it, never from a copy. */
typedef struct MimeHashSink MimeHashSink;
/* The stream's GType, registered once (mime_global_init calls it before any thread parses). */
GType mime_hash_sink_get_type(void);
MimeHashSink *mime_hash_sink_new(void);
/* Writes the digest of everything written so far and the byte count, and drops the sink. */
void mime_hash_sink_finish(MimeHashSink **sink, uint64_t *size_r, char hex_r[SHA256_HEX_SIZE]);

#endif
