/* pdf.c — production pages with cairo (PDF surface) and pango (layout, DejaVu fonts). */
#include "pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"

/* US Letter, in points; 0.75 in margins, the stamp in the bottom margin. */
#define PAGE_W 612.0
#define PAGE_H 792.0
#define MARGIN 54.0
#define TEXT_BOTTOM (PAGE_H - 58.0)
#define STAMP_Y (PAGE_H - 34.0)
/* Text is laid out in blocks of about this many bytes, cut at line ends, so that a huge
 * message never becomes one huge layout. */
#define BLOCK_BYTES 8192

#define FONT_SANS "DejaVu Sans"
#define FONT_MONO "DejaVu Sans Mono"

struct pdf_doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pango;
	PangoFontDescription *font;
	struct pdf_stamp stamp;
	char *request, *prefix, *path;
	int page_open;      /* a page has been started and not yet shown */
	int break_pending;  /* the next line starts a new page */
	int64_t number;     /* Bates number of the current page (0: none yet) */
	double y;           /* where the next line goes on the current page */
	/* the block being gathered: text and its attributes */
	struct buf block;
	PangoAttrList *attrs;
};

void pdf_bates_format(const char *prefix, int64_t number, char *out, size_t size)
{
	snprintf(out, size, "%s%06lld", prefix, (long long)number);
}

/* 1 when pango resolves family to a font of that family (not a fallback). */
static int family_present(PangoFontMap *map, PangoContext *ctx, const char *family)
{
	PangoFontDescription *want = pango_font_description_from_string(family);
	PangoFont *font = pango_font_map_load_font(map, ctx, want);
	int ok = 0;
	if (font != NULL) {
		PangoFontDescription *got = pango_font_describe(font);
		const char *name = pango_font_description_get_family(got);
		ok = name != NULL && strcasecmp(name, family) == 0;
		pango_font_description_free(got);
		g_object_unref(font);
	}
	pango_font_description_free(want);
	return ok;
}

const char *pdf_renderer_version(void)
{
	static char version[128];
	if (version[0] == '\0')
		snprintf(version, sizeof(version), "cairo %s pango %s " FONT_SANS " " FONT_MONO,
		         cairo_version_string(), pango_version_string());
	return version;
}

int pdf_check_fonts(char **error_r)
{
	PangoFontMap *map = pango_cairo_font_map_get_default();
	PangoContext *ctx = pango_font_map_create_context(map);
	int ok = family_present(map, ctx, FONT_SANS) && family_present(map, ctx, FONT_MONO);
	g_object_unref(ctx);
	if (!ok) {
		*error_r = xstrdup("the DejaVu fonts are not installed (Debian package "
		                   "fonts-dejavu-core); productions are drawn only in them");
		return -1;
	}
	return 0;
}

/* The document's dates (its creation, not the clock's), title and creator. */
static void set_metadata(cairo_surface_t *surface, const char *title, int64_t created_at)
{
	char date[32];
	time_t t = (time_t)created_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "liaison");
}

/* A layout context without hinting: glyph positions then do not depend on the machine's
 * font settings. */
static PangoContext *unhinted_context(cairo_t *cr)
{
	PangoContext *ctx = pango_cairo_create_context(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	return ctx;
}

int pdf_open(const char *path, const struct pdf_stamp *stamp, struct pdf_doc **doc_r,
             char **error_r)
{
	cairo_surface_t *surface = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		*error_r = xasprintf("%s: %s", path, cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return -1;
	}
	/* fixed metadata: a second export of the same production is byte-identical */
	set_metadata(surface, stamp->request, stamp->created_at);

	struct pdf_doc *d = xcalloc(1, sizeof(*d));
	d->surface = surface;
	d->cr = cairo_create(surface);
	d->pango = unhinted_context(d->cr);
	d->font = pango_font_description_from_string(FONT_SANS " 9.5");
	d->stamp = *stamp;
	d->request = xstrdup(stamp->request);
	d->prefix = xstrdup(stamp->bates_prefix);
	d->path = xstrdup(path);
	d->stamp.request = d->request;
	d->stamp.bates_prefix = d->prefix;
	buf_init(&d->block, SIZE_MAX);
	d->attrs = pango_attr_list_new();
	*doc_r = d;
	return 0;
}

static void show_text(struct pdf_doc *d, const char *text, const char *font, double x, double y,
                      int align_right)
{
	PangoLayout *l = pango_layout_new(d->pango);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, text, -1);
	if (align_right) {
		int w, h;
		pango_layout_get_size(l, &w, &h);
		x -= (double)w / PANGO_SCALE;
	}
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
}

static void page_start(struct pdf_doc *d)
{
	if (d->page_open)
		cairo_show_page(d->cr);
	d->number = d->number == 0 ? d->stamp.first : d->number + 1;
	d->page_open = 1;
	d->break_pending = 0;
	d->y = MARGIN;
	char bates[64];
	pdf_bates_format(d->prefix, d->number, bates, sizeof(bates));
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	cairo_set_line_width(d->cr, 0.5);
	cairo_move_to(d->cr, MARGIN, STAMP_Y - 6);
	cairo_line_to(d->cr, PAGE_W - MARGIN, STAMP_Y - 6);
	cairo_stroke(d->cr);
	show_text(d, d->request, FONT_SANS " Bold 9", MARGIN, STAMP_Y, 0);
	show_text(d, bates, FONT_SANS " Bold 9", PAGE_W - MARGIN, STAMP_Y, 1);
}

/* Places the gathered block's lines on the pages. */
static void block_flush(struct pdf_doc *d)
{
	if (d->block.len == 0)
		return;
	PangoLayout *l = pango_layout_new(d->pango);
	pango_layout_set_font_description(l, d->font);
	pango_layout_set_width(l, (int)((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, d->block.data, (int)d->block.len);
	pango_layout_set_attributes(l, d->attrs);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double height = (double)logical.height / PANGO_SCALE;
		double above = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
		if (!d->page_open || d->break_pending || d->y + height > TEXT_BOTTOM)
			page_start(d);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		cairo_move_to(d->cr, MARGIN + (double)logical.x / PANGO_SCALE, d->y + above);
		pango_cairo_show_layout_line(d->cr, pango_layout_iter_get_line_readonly(it));
		d->y += height;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	pango_attr_list_unref(d->attrs);
	d->attrs = pango_attr_list_new();
	buf_reset(&d->block);
}

static void attr_add(struct pdf_doc *d, PangoAttribute *a, size_t start, size_t end)
{
	a->start_index = (guint)start;
	a->end_index = (guint)end;
	pango_attr_list_insert(d->attrs, a);
}

static void style_apply(struct pdf_doc *d, enum pdf_style style, size_t start, size_t end)
{
	switch (style) {
	case PDF_LABEL:
		attr_add(d, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
		break;
	case PDF_TITLE:
		attr_add(d, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
		attr_add(d, pango_attr_size_new(12 * PANGO_SCALE), start, end);
		break;
	case PDF_BODY:
		attr_add(d, pango_attr_family_new(FONT_MONO), start, end);
		attr_add(d, pango_attr_size_new(9 * PANGO_SCALE), start, end);
		break;
	case PDF_REDACTED:
		attr_add(d, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start, end);
		attr_add(d, pango_attr_background_new(0, 0, 0), start, end);
		attr_add(d, pango_attr_foreground_new(0xffff, 0xffff, 0xffff), start, end);
		break;
	case PDF_TEXT:
	default:
		break;
	}
}

/* Appends text in one style; flushes the block at a line end once it is big enough. */
static void block_add(struct pdf_doc *d, const char *text, size_t len, enum pdf_style style)
{
	while (len > 0) {
		size_t take = len;
		if (d->block.len + len > BLOCK_BYTES && style != PDF_REDACTED) {
			const char *nl = memchr(text, '\n', len);
			if (nl != NULL)
				take = (size_t)(nl - text) + 1;
		}
		size_t start = d->block.len;
		buf_add(&d->block, text, take);
		style_apply(d, style, start, d->block.len);
		text += take;
		len -= take;
		if (d->block.len >= BLOCK_BYTES && d->block.data[d->block.len - 1] == '\n') {
			/* the line end belongs to this block: drop it, the next block is a new line */
			d->block.len--;
			d->block.data[d->block.len] = '\0';
			block_flush(d);
		}
	}
}

void pdf_write(struct pdf_doc *d, const struct pdf_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (runs[i].text == NULL)
			continue;
		size_t len = strlen(runs[i].text);
		/* pango draws nothing of a string that is not UTF-8 */
		if (g_utf8_validate(runs[i].text, (gssize)len, NULL)) {
			block_add(d, runs[i].text, len, runs[i].style);
		} else {
			gchar *valid = g_utf8_make_valid(runs[i].text, (gssize)len);
			block_add(d, valid, strlen(valid), runs[i].style);
			g_free(valid);
		}
	}
	block_flush(d);
}

void pdf_page_break(struct pdf_doc *d)
{
	block_flush(d);
	if (d->page_open)
		d->break_pending = 1;
}

int64_t pdf_next_number(const struct pdf_doc *d)
{
	if (d->page_open && !d->break_pending)
		return d->number;
	return d->number == 0 ? d->stamp.first : d->number + 1;
}

int pdf_close(struct pdf_doc **doc, int64_t *last_r, char **error_r)
{
	struct pdf_doc *d = *doc;
	block_flush(d);
	if (!d->page_open)
		page_start(d); /* never an empty file: at least the stamped page */
	cairo_show_page(d->cr);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	cairo_status_t status = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	int rc = 0;
	if (status != CAIRO_STATUS_SUCCESS) {
		*error_r = xasprintf("%s: %s", d->path, cairo_status_to_string(status));
		rc = -1;
	}
	*last_r = d->number;
	g_object_unref(d->pango);
	pango_font_description_free(d->font);
	pango_attr_list_unref(d->attrs);
	buf_free(&d->block);
	free(d->request);
	free(d->prefix);
	free(d->path);
	free(d);
	*doc = NULL;
	return rc;
}

/* --- The free-form canvas (report_pdf.c) ------------------------------------------------- */

struct pdf_canvas {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pango;
	FILE *out;
	int write_failed;
	int page_open;
};

static cairo_status_t canvas_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct pdf_canvas *c = closure;
	if (fwrite(data, 1, len, c->out) != len) {
		c->write_failed = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

int pdf_canvas_open(FILE *out, double width, double height, const char *title,
                    int64_t created_at, struct pdf_canvas **canvas_r, char **error_r)
{
	struct pdf_canvas *c = xcalloc(1, sizeof(*c));
	c->out = out;
	c->surface = cairo_pdf_surface_create_for_stream(canvas_write, c, width, height);
	if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS) {
		*error_r = xasprintf("PDF: %s", cairo_status_to_string(cairo_surface_status(c->surface)));
		cairo_surface_destroy(c->surface);
		free(c);
		return -1;
	}
	set_metadata(c->surface, title, created_at);
	c->cr = cairo_create(c->surface);
	c->pango = unhinted_context(c->cr);
	/* sizes in PDF points (pango's default is 96 dots an inch) */
	pango_cairo_context_set_resolution(c->pango, 72);
	*canvas_r = c;
	return 0;
}

void pdf_canvas_page(struct pdf_canvas *c)
{
	if (c->page_open)
		cairo_show_page(c->cr);
	c->page_open = 1;
}

double pdf_canvas_text(struct pdf_canvas *c, double x, double y, double width, const char *text,
                       double size, int bold, enum pdf_align align, int draw)
{
	PangoLayout *l = pango_layout_new(c->pango);
	PangoFontDescription *fd = pango_font_description_from_string(FONT_SANS);
	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align == PDF_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
	                              : align == PDF_ALIGN_CENTER ? PANGO_ALIGN_CENTER
	                                                          : PANGO_ALIGN_LEFT);
	if (g_utf8_validate(text, -1, NULL)) {
		pango_layout_set_text(l, text, -1);
	} else {
		gchar *valid = g_utf8_make_valid(text, -1);
		pango_layout_set_text(l, valid, -1);
		g_free(valid);
	}
	/* a word cut to fit its box is cut plainly: a hyphen would read as part of a figure */
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	if (draw) {
		cairo_set_source_rgb(c->cr, 0, 0, 0);
		cairo_move_to(c->cr, x, y);
		pango_cairo_show_layout(c->cr, l);
	}
	pango_font_description_free(fd);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

void pdf_canvas_fill(struct pdf_canvas *c, double x, double y, double width, double height,
                     double r, double g, double b)
{
	cairo_set_source_rgb(c->cr, r, g, b);
	cairo_rectangle(c->cr, x, y, width, height);
	cairo_fill(c->cr);
}

void pdf_canvas_line(struct pdf_canvas *c, double x1, double y1, double x2, double y2,
                     double width, double grey)
{
	cairo_set_source_rgb(c->cr, grey, grey, grey);
	cairo_set_line_width(c->cr, width);
	cairo_move_to(c->cr, x1, y1);
	cairo_line_to(c->cr, x2, y2);
	cairo_stroke(c->cr);
}

int pdf_canvas_close(struct pdf_canvas **canvas, char **error_r)
{
	struct pdf_canvas *c = *canvas;
	if (c == NULL)
		return 0;
	if (!c->page_open)
		pdf_canvas_page(c);
	cairo_show_page(c->cr);
	cairo_destroy(c->cr);
	cairo_surface_finish(c->surface);
	cairo_status_t status = cairo_surface_status(c->surface);
	cairo_surface_destroy(c->surface);
	g_object_unref(c->pango);
	int rc = 0;
	if (status != CAIRO_STATUS_SUCCESS || c->write_failed) {
		*error_r = xasprintf("PDF: %s", c->write_failed ? "cannot write the file"
		                                                : cairo_status_to_string(status));
		rc = -1;
	}
	free(c);
	*canvas = NULL;
	return rc;
}
