/* Unit tests: qr.c — the SVG of a QR code read back module by module: a symbol of a QR
 * size (21 + 4k modules) inside a quiet zone of 4, the three finder patterns at their
 * corners, the timing patterns, a size that grows with the text, the title escaped, one
 * path, and NULL for what cannot be a QR code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "qr.h"
#include "test_helpers.h"

#define MAX_SIZE 200

struct grid {
	int size;  /* of the viewBox, quiet zone included */
	unsigned char dark[MAX_SIZE][MAX_SIZE];
};

/* Reads the viewBox and paints every "Mx yhNv1h-Nz" run of the path into g. */
static void read_svg(const char *svg, struct grid *g)
{
	memset(g, 0, sizeof(*g));
	const char *vb = strstr(svg, "viewBox=\"0 0 ");
	assert_non_null(vb);
	assert_int_equal(sscanf(vb, "viewBox=\"0 0 %d", &g->size), 1);
	assert_true(g->size > 0 && g->size <= MAX_SIZE);
	const char *d = strstr(svg, " d=\"");
	assert_non_null(d);
	d += 4;
	int x, y, n, back, used;
	while (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &back, &used) == 4) {
		assert_int_equal(n, back);
		assert_true(x >= 0 && y >= 0 && x + n <= g->size && y < g->size);
		for (int i = 0; i < n; i++)
			g->dark[y][x + i] = 1;
		d += used;
	}
	assert_int_equal(*d, '"'); /* nothing else in the path */
}

/* A finder pattern with its top-left corner at (x, y): a dark 7x7 ring, a light ring, a
 * dark 3x3 centre. */
static void assert_finder(const struct grid *g, int x, int y)
{
	for (int j = 0; j < 7; j++)
		for (int i = 0; i < 7; i++) {
			int ring = i == 0 || i == 6 || j == 0 || j == 6;
			int centre = i >= 2 && i <= 4 && j >= 2 && j <= 4;
			if (g->dark[y + j][x + i] != (ring || centre))
				fail_msg("finder at %d,%d: module %d,%d wrong", x, y, i, j);
		}
}

static int count_dark(const struct grid *g)
{
	int n = 0;
	for (int y = 0; y < g->size; y++)
		for (int x = 0; x < g->size; x++)
			n += g->dark[y][x];
	return n;
}

static void test_symbol(void **state)
{
	char *svg = qr_svg("otpauth://totp/liaison:reyes?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	                   "&issuer=liaison", "Scan this with your authenticator app");
	assert_non_null(svg);
	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(svg, "role=\"img\""));
	assert_non_null(strstr(svg, "<title>Scan this with your authenticator app</title>"));
	assert_non_null(strstr(svg, "</svg>"));
	/* one path: the dark modules */
	const char *path = strstr(svg, "<path");
	assert_non_null(path);
	assert_null(strstr(path + 1, "<path"));

	struct grid g;
	read_svg(svg, &g);
	int modules = g.size - 8;
	assert_true(modules >= 21 && (modules - 21) % 4 == 0); /* versions 1..40 */
	/* the quiet zone: 4 light modules on every side */
	for (int i = 0; i < g.size; i++)
		for (int q = 0; q < 4; q++) {
			assert_false(g.dark[q][i] || g.dark[g.size - 1 - q][i]);
			assert_false(g.dark[i][q] || g.dark[i][g.size - 1 - q]);
		}
	assert_finder(&g, 4, 4);
	assert_finder(&g, 4 + modules - 7, 4);
	assert_finder(&g, 4, 4 + modules - 7);
	/* the timing pattern: row 6 between the finders alternates, dark first */
	for (int i = 8; i < modules - 8; i++)
		assert_int_equal(g.dark[4 + 6][4 + i], i % 2 == 0);
	/* about half the symbol is dark (the mask chosen evens it out) */
	int dark = count_dark(&g);
	assert_true(dark > modules * modules * 3 / 10 && dark < modules * modules * 7 / 10);
	free(svg);
}

static void test_grows_with_text(void **state)
{
	struct grid small, large;
	char *a = qr_svg("x", NULL);
	char long_text[1001];
	memset(long_text, 'a', 1000);
	long_text[1000] = '\0';
	char *b = qr_svg(long_text, NULL);
	assert_non_null(a);
	assert_non_null(b);
	read_svg(a, &small);
	read_svg(b, &large);
	assert_int_equal(small.size, 21 + 8);
	assert_true(large.size > 21 + 8 + 40);
	assert_non_null(strstr(a, "<title>QR code</title>"));
	free(a);
	free(b);
}

static void test_title_escaped(void **state)
{
	char *svg = qr_svg("x", "<script>\"a\" & b</script>");
	assert_non_null(svg);
	assert_non_null(strstr(svg, "<title>&lt;script&gt;&quot;a&quot; &amp; b&lt;/script&gt;</title>"));
	assert_null(strstr(svg, "<script>"));
	free(svg);
}

static void test_refused(void **state)
{
	assert_null(qr_svg("", NULL));
	assert_null(qr_svg(NULL, NULL));
	/* more than version 40 holds at level M */
	char *huge = xcalloc(1, 5001);
	memset(huge, 'a', 5000);
	assert_null(qr_svg(huge, NULL));
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symbol),
		cmocka_unit_test(test_grows_with_text),
		cmocka_unit_test(test_title_escaped),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
