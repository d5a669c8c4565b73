/* The page: the terminal by the output's extension, the size (pixels, or
 * lengths at a resolution), and the script's header, which sets the terminal
 * and names the output. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gnuplot.h"

int gp_terminal_for_path(const char *path, enum gp_terminal *term)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (!dot || strchr(dot, '/'))
		return -1;
	if (strcasecmp(dot, ".png") == 0)
		*term = GP_TERM_PNG;
	else if (strcasecmp(dot, ".svg") == 0)
		*term = GP_TERM_SVG;
	else if (strcasecmp(dot, ".pdf") == 0)
		*term = GP_TERM_PDF;
	else
		return -1;
	return 0;
}

static int parse_side(const char *s, char **end)
{
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, end, 10);
	if (errno || v < 1 || v > GP_MAX_SIDE)
		return -1;
	return (int)v;
}

int gp_parse_size(const char *text, int *width, int *height)
{
	char *end;
	int w, h;

	if ((w = parse_side(text, &end)) < 0)
		return -1;
	if (*end != 'x' && *end != 'X' && *end != ',')
		return -1;
	if ((h = parse_side(end + 1, &end)) < 0 || *end)
		return -1;
	*width = w;
	*height = h;
	return 0;
}

/* one side: a number with an optional unit, in pixels at dpi */
static int parse_length(const char *s, double dpi, char **end)
{
	double v, px;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtod(s, end);
	if (errno || !isfinite(v))
		return -1;
	if (strncmp(*end, "cm", 2) == 0)
		px = v / 2.54 * dpi, *end += 2;
	else if (strncmp(*end, "mm", 2) == 0)
		px = v / 25.4 * dpi, *end += 2;
	else if (strncmp(*end, "in", 2) == 0)
		px = v * dpi, *end += 2;
	else if (strncmp(*end, "px", 2) == 0)
		px = v, *end += 2;
	else
		px = v;
	px = floor(px + 0.5);
	if (px < 1 || px > GP_MAX_SIDE)
		return -1;
	return (int)px;
}

int gp_parse_page_size(const char *text, double dpi, int *width, int *height)
{
	char *end;
	int w, h;

	if (!(dpi > 0))
		dpi = 96;
	if ((w = parse_length(text, dpi, &end)) < 0)
		return -1;
	if (*end != 'x' && *end != 'X' && *end != ',')
		return -1;
	if ((h = parse_length(end + 1, dpi, &end)) < 0 || *end)
		return -1;
	*width = w;
	*height = h;
	return 0;
}

static void page_size(const struct gp_page *page, int *w, int *h)
{
	*w = page->width > 0 ? page->width : GP_DEFAULT_WIDTH;
	*h = page->height > 0 ? page->height : GP_DEFAULT_HEIGHT;
}

/* The font and the line width: 10 pt and 1 at 96 dpi and scale 1 */
static void write_terminal(FILE *out, const struct gp_page *page)
{
	static const char white[] = "background '#ffffff'";
	double scale = page->font_scale > 0 ? page->font_scale : 1;
	double dpi = page->dpi > 0 ? page->dpi : 96;
	double screen = scale * dpi / 96;	/* png, svg: text in pixels */
	char font[64], lw[80];
	int w, h;

	page_size(page, &w, &h);
	snprintf(font, sizeof font, "font 'sans,%.4g'", 10 * screen);
	/* cairo draws points at a size of their own: pointscale keeps them in
	 * step (the svg terminal scales them with the line width) */
	snprintf(lw, sizeof lw, screen != 1 ? " linewidth %.4g" : "", screen);
	if (page->term == GP_TERM_PNG && screen != 1)
		snprintf(lw, sizeof lw, " linewidth %.4g pointscale %.4g", screen, screen);
	switch (page->term) {
	case GP_TERM_PNG:
		fprintf(out, "set terminal pngcairo size %d,%d noenhanced %s%s %s\n",
			w, h, font, lw, white);
		break;
	case GP_TERM_SVG:
		fprintf(out, "set terminal svg size %d,%d fixed noenhanced %s%s %s\n",
			w, h, font, lw, white);
		break;
	case GP_TERM_PDF:
		snprintf(font, sizeof font, "font 'sans,%.4g'", 10 * scale);
		snprintf(lw, sizeof lw, scale != 1 ? " linewidth %.4g pointscale %.4g" : "",
			 scale, scale);
		fprintf(out, "set terminal pdfcairo size %.4gin,%.4gin noenhanced %s%s\n",
			w / dpi, h / dpi, font, lw);
		break;
	case GP_TERM_DUMB:
		fprintf(out, "set terminal dumb size %d,%d noenhanced\n",
			w / 10 < 40 ? 40 : w / 10, h / 20 < 12 ? 12 : h / 20);
		break;
	}
}

void gp_write_header(FILE *out, const struct gp_page *page)
{
	fputs("# gnuplot script written by tt (gnuplot 5.4 or later); "
	      "data inline\n", out);
	fputs("set encoding utf8\n", out);
	write_terminal(out, page);
	if (page->output) {
		char *q = gp_quote_path(page->output);
		fprintf(out, "set output %s\n", q);
		free(q);
	}
}
