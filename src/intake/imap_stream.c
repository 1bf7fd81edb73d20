/* imap_stream.c — the end of the server's stream as an error: libetpan's low-level read
 * answers 0 when the server closes the connection, and its literal parser (a message body)
 * then reads 0 bytes again and again, for ever, at full CPU.  The session's stream gets a
 * copy of its driver whose read turns 0 into -1, which every libetpan parser takes as a
 * stream error: the command fails, the session is broken, the poller reconnects. */
#include "imap_private.h"

#include <stdlib.h>

#include "util.h"

struct imap_eof_driver {
	mailstream_low_driver driver;         /* first: the stream points here */
	const mailstream_low_driver *inner;   /* the driver that really reads (socket or TLS) */
};

static ssize_t imap_eof_read(mailstream_low *low, void *buf, size_t count)
{
	const struct imap_eof_driver *d = (const struct imap_eof_driver *)low->driver;
	ssize_t n = d->inner->mailstream_read(low, buf, count);
	return n == 0 && count > 0 ? -1 : n;
}

void imap_stream_eof_is_error(struct imap_session *s)
{
	mailstream *stream = s->imap != NULL ? s->imap->imap_stream : NULL;
	if (stream == NULL || stream->low == NULL || s->eof_driver != NULL)
		return;
	struct imap_eof_driver *d = xmalloc(sizeof(*d));
	d->inner = stream->low->driver;
	d->driver = *stream->low->driver;
	d->driver.mailstream_read = imap_eof_read;
	stream->low->driver = &d->driver;
	s->eof_driver = d;
}

void imap_stream_free(struct imap_session *s)
{
	free(s->eof_driver);
	s->eof_driver = NULL;
}
