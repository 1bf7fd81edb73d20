/* pdf.h — production pages as PDF, drawn with cairo and pango in DejaVu fonts.  pdf.c is
 * the only user of cairo and pango.
 *
 * Text is given as runs, each in one style, and flows onto US Letter pages; every page is
 * stamped with the request id and its own Bates number.  Output is deterministic: the same
 * runs and stamp give the same bytes. */
#ifndef LIAISON_PDF_H
#define LIAISON_PDF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum pdf_style {
	PDF_TEXT,     /* proportional: header values */
	PDF_LABEL,    /* bold: "From:" */
	PDF_TITLE,    /* larger bold: the first line of a page or a slip sheet */
	PDF_BODY,     /* monospaced: the message text, as the sender laid it out */
	PDF_REDACTED, /* white on a black box: the label standing where text was redacted */
};

struct pdf_run {
	const char *text;   /* UTF-8 (stray bytes are shown as U+FFFD) */
	enum pdf_style style;
};

struct pdf_stamp {
	const char *request;      /* "FOIA-2026-0007" */
	const char *bates_prefix; /* "CSP-CTL-" */
	int64_t first;            /* the Bates number of the first page */
	int64_t created_at;       /* the document's creation date (Unix time) */
};

/* Formats a Bates number: prefix and at least six digits. */
void pdf_bates_format(const char *prefix, int64_t number, char *out, size_t size);

/* The renderer the pages are drawn with ("cairo 1.16.0 pango 1.50.12 DejaVu Sans DejaVu Sans
 * Mono"): a production's pages depend on it. */
const char *pdf_renderer_version(void);

/* 0 when the DejaVu fonts are installed, else -1 with *error_r naming the package. */
int pdf_check_fonts(char **error_r);

struct pdf_doc;
int pdf_open(const char *path, const struct pdf_stamp *stamp, struct pdf_doc **doc_r,
             char **error_r);
/* Lays the runs out after what was written before, breaking pages as needed. */
void pdf_write(struct pdf_doc *doc, const struct pdf_run *runs, size_t n);
/* What is written next starts on a new page. */
void pdf_page_break(struct pdf_doc *doc);
/* The Bates number of the page the next text will be on. */
int64_t pdf_next_number(const struct pdf_doc *doc);
/* Finishes the file: 0 with *last_r the last page's Bates number, or -1 with *error_r (the
 * file could not be written).  Frees *doc either way. */
int pdf_close(struct pdf_doc **doc, int64_t *last_r, char **error_r);

/* A free-form document (the reports: report_pdf.c): pages of any size on which the caller
 * places text boxes, filled rectangles and lines, in points from the page's top left corner.
 * Text is DejaVu Sans, wrapped at words (within a word too long for its box); measuring
 * needs no page, so a caller can lay a page out before drawing it.  Output is deterministic
 * for the same calls and creation date. */
struct pdf_canvas;
enum pdf_align { PDF_ALIGN_LEFT, PDF_ALIGN_RIGHT, PDF_ALIGN_CENTER };
/* Writes the PDF to out (left open: the caller's) as it is drawn.  Returns 0 with *canvas_r,
 * or -1 with *error_r. */
int pdf_canvas_open(FILE *out, double width, double height, const char *title,
                    int64_t created_at, struct pdf_canvas **canvas_r, char **error_r);
/* Ends the page being drawn (if any) and starts the next. */
void pdf_canvas_page(struct pdf_canvas *c);
/* The height of text (UTF-8; stray bytes become U+FFFD) set size points high, bold or not,
 * in a box width wide; with draw, also draws it with its top at (x, y), aligned in the box. */
double pdf_canvas_text(struct pdf_canvas *c, double x, double y, double width, const char *text,
                       double size, int bold, enum pdf_align align, int draw);
/* A rectangle filled with the colour (r, g, b each 0..1). */
void pdf_canvas_fill(struct pdf_canvas *c, double x, double y, double width, double height,
                     double r, double g, double b);
/* A line, width points wide, in grey (0 black .. 1 white). */
void pdf_canvas_line(struct pdf_canvas *c, double x1, double y1, double x2, double y2,
                     double width, double grey);
/* Finishes the document (at least one page).  0, or -1 with *error_r (out could not be
 * written).  Frees *canvas either way. */
int pdf_canvas_close(struct pdf_canvas **canvas, char **error_r);

#endif
