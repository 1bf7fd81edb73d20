/* qr.c — a QR code as SVG through libqrencode (the one file that includes qrencode.h). */
#include "qr.h"

#include <qrencode.h>
#include <string.h>

#include "util.h"

/* ISO/IEC 18004 asks for a light margin of 4 modules round the symbol: scanners find the
 * finder patterns by it. */
#define QUIET 4
/* Pixels a module is drawn at by default (the viewBox lets CSS scale it). */
#define MODULE_PX 4

static void add_escaped(struct buf *b, const char *text)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': buf_addstr(b, "&amp;"); break;
		case '<': buf_addstr(b, "&lt;"); break;
		case '>': buf_addstr(b, "&gt;"); break;
		case '"': buf_addstr(b, "&quot;"); break;
		default: buf_add(b, p, 1);
		}
	}
}

/* One subpath per run of dark modules on a row: fewer bytes than a square each. */
static void add_row(struct buf *b, const QRcode *code, int y)
{
	const unsigned char *row = code->data + (size_t)y * (size_t)code->width;
	for (int x = 0; x < code->width;) {
		if (!(row[x] & 1)) {
			x++;
			continue;
		}
		int n = 1;
		while (x + n < code->width && (row[x + n] & 1))
			n++;
		buf_addf(b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, n, n);
		x += n;
	}
}

char *qr_svg(const char *text, const char *title)
{
	if (text == NULL || text[0] == '\0')
		return NULL;
	/* level M (15 % of the symbol may be lost): a screen photographed by a phone */
	QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (code == NULL)
		return NULL;
	int size = code->width + 2 * QUIET;
	struct buf b;
	/* a path is at most a run per dark module: 24 bytes each */
	buf_init(&b, 4096 + 3 * strlen(title ? title : "") + (size_t)size * (size_t)size * 24);
	buf_addf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 %d %d\" "
	             "width=\"%d\" height=\"%d\" role=\"img\" shape-rendering=\"crispEdges\">"
	             "<title>", size, size, size * MODULE_PX, size * MODULE_PX);
	add_escaped(&b, title ? title : "QR code");
	buf_addf(&b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	         size, size);
	for (int y = 0; y < code->width; y++)
		add_row(&b, code, y);
	buf_addstr(&b, "\"/></svg>\n");
	QRcode_free(code);
	return buf_steal(&b, NULL);
}
