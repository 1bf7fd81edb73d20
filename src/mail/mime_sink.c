/* mime_sink.c — a GMime stream that hashes and counts what is written to it (see
 * mime_private.h). */
#include "mime_private.h"

#include "hash.h"

struct MimeHashSink {
	GMimeStream parent;
	struct sha256_stream *sha;
	uint64_t size;
};

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
GType mime_hash_sink_get_type(void)
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

MimeHashSink *mime_hash_sink_new(void)
{
	MimeHashSink *sink = g_object_new(mime_hash_sink_get_type(), NULL);
	g_mime_stream_construct(GMIME_STREAM(sink), 0, -1);
	return sink;
}

/* Writes the digest of everything written so far and drops the sink. */
void mime_hash_sink_finish(MimeHashSink **sink, uint64_t *size_r, char hex_r[SHA256_HEX_SIZE])
{
	*size_r = (*sink)->size;
	sha256_stream_finish(&(*sink)->sha, hex_r);
	g_object_unref(*sink);
	*sink = NULL;
}
