/* The parts every chart kind builds from (gnuplot_int.h): numbers as the
 * tables write them, titles and line styles, the event line, hover texts,
 * the data lines of a series or a band, and the margins. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvwrite.h"
#include "gnuplot.h"
#include "gnuplot_int.h"
#include "strbuf.h"

/* Numbers as the tables write them (format_number), so a chart's script
 * says what the table said: the shortest text that reads back as the same
 * double, or `digits` significant digits where a reader sees the number
 * (hover texts, tic labels).  The text starts with a digit or '-', never
 * with a letter as every end marker does; a NaN, which no caller draws, is
 * gnuplot's NaN. */
const char *gpc_digits(char buf[32], double v, int digits)
{
	if (isnan(v))
		return strcpy(buf, "NaN");
	format_number(buf, v, digits);
	return buf;
}

const char *gpc_num(char buf[32], double v)
{
	return gpc_digits(buf, v, 0);
}

double gpc_rounded(double v, int digits)
{
	char buf[32];

	return strtod(gpc_digits(buf, v, digits), NULL);
}

/* " title '...'" or " notitle" */
void gpc_put_title(FILE *out, const char *name)
{
	if (!name || !*name) {
		fputs(" notitle", out);
		return;
	}
	fputs(" title ", out);
	gp_put_quoted(out, name);
}

/* linetype k cycles through the colours; after that the dash pattern
 * changes, so that many series stay apart */
void gpc_put_linestyle(FILE *out, size_t k)
{
	fprintf(out, " lt %zu dt %zu", k % NCOLOURS + 1, k / NCOLOURS % 5 + 1);
}

void gpc_write_event_line(FILE *out, const struct gp_chart *c)
{
	char b[32];

	if (!isfinite(c->event_x))
		return;
	fprintf(out, "set arrow 1 from first %s, graph 0 to first %s, graph 1 "
		"nohead dt 2 lw 1.5 lc rgb '#555555' front\n",
		gpc_num(b, c->event_x), b);
	if (c->event_label && *c->event_label) {
		fputs("set label 1 ", out);
		gp_put_quoted(out, c->event_label);
		fprintf(out, " at first %s, graph 1 left offset character 0.5,-1 "
			"front\n", b);
	}
}

/* ---- hover texts (svg) ---------------------------------------------------- */

/* A hover text as a data field: in double quotes, which a data line cannot
 * escape, so a " inside s (xasprintf's, kept) becomes '.  Numbers to 6
 * digits: for reading. */
char *gpc_hover_text(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '"')
			*p = '\'';
	return s;
}

void gpc_hover_point(struct lines *l, double x, double y, const char *text)
{
	char bx[32], by[32];

	gpc_lines_printf(l, "%s %s \"%s\"", gpc_num(bx, x), gpc_num(by, y), text);
}

/* "label, x: y" for each point of a series that can be placed */
size_t gpc_hover_series(struct lines *l, const struct gp_series *s)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n; i++) {
		char bx[32], by[32], *t;
		if (!isfinite(s->x[i]) || !isfinite(s->y[i]))
			continue;
		t = gpc_hover_text(xasprintf("%s%s%s: %s", s->name && *s->name ? s->name : "",
					     s->name && *s->name ? ", " : "",
					     gpc_digits(bx, s->x[i], 10), gpc_digits(by, s->y[i], 6)));
		gpc_hover_point(l, s->x[i], s->y[i], t);
		free(t);
		kept++;
	}
	return kept;
}

/* The plot clause of a hover block: its points are the visible markers
 * (gnuplot's svg terminal wraps each in a group that fix_svg gives a
 * <title>); `style` names colour, point type and size. */
void gpc_put_hover_clause(FILE *out, const char *block, const char *style)
{
	fprintf(out, ", \\\n    $%s using 1:2:3 with labels hypertext point %s notitle",
		block, style);
}

/* ---- chart data ------------------------------------------------------------- */

/* x y per point; a run of points that cannot be placed becomes one blank
 * line (a gap in the line), none at the ends.  Returns the points kept. */
size_t gpc_series_lines(struct lines *l, const double *x, const double *y,
			   size_t n)
{
	char bx[32], by[32];
	size_t kept = 0;
	int gap = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i])) {
			gap = kept > 0;
			continue;
		}
		if (gap)
			gpc_lines_printf(l, "%s", "");
		gap = 0;
		gpc_lines_printf(l, "%s %s", gpc_num(bx, x[i]), gpc_num(by, y[i]));
		kept++;
	}
	return kept;
}

static void widen(double x, double *lo, double *hi, int *whole)
{
	if (x < *lo)
		*lo = x;
	if (x > *hi)
		*hi = x;
	*whole &= x == floor(x);
}

/* The x range ends at the first and last point plus a small margin, not
 * at the next tic (2010..2022 would become 2008..2024), so that no point
 * sits on the frame; a little room above the highest point and below the
 * lowest, except where that room would reach below 0 for values that are
 * not negative (counts): there the axis starts at a tic at or above 0.
 * Whole numbers (years) spanning less than 10 get a tic each, where gnuplot
 * would label 2001.2, 2001.4, ...  A single x or a single y value would be
 * an empty range, which gnuplot widens with a warning (to 40 years around
 * one year): give it one of our own. */
void gpc_write_margins(FILE *out, const struct gp_chart *c)
{
	double lo = INFINITY, hi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	int whole = 1, ywhole = 1;
	char a[32], b[32];

	for (size_t i = 0; i < c->nseries; i++)
		for (size_t j = 0; j < c->series[i].n; j++)
			if (isfinite(c->series[i].x[j]) && isfinite(c->series[i].y[j])) {
				widen(c->series[i].x[j], &lo, &hi, &whole);
				widen(c->series[i].y[j], &ylo, &yhi, &ywhole);
			}
	for (size_t i = 0; c->kind == GP_EVENT && i < c->nrows; i++)
		if (isfinite(c->rows[i].rel_year) && isfinite(c->rows[i].estimate))
			widen(c->rows[i].rel_year, &lo, &hi, &whole);

	if (lo == hi)
		fprintf(out, "set xrange [%s:%s]\n", gpc_num(a, lo - 1), gpc_num(b, hi + 1));
	else
		fputs("set autoscale xfix\n", out);
	/* an event chart's line inside the frame, not over the tic labels */
	if (c->kind == GP_EVENT && isfinite(c->event_x) && lo < hi &&
	    (c->event_x < lo || c->event_x > hi)) {
		double pad = 0.05 * (fmax(hi, c->event_x) - fmin(lo, c->event_x));
		if (c->event_x < lo)
			fprintf(out, "set xrange [%s:*]\n", gpc_num(a, c->event_x - pad));
		else
			fprintf(out, "set xrange [*:%s]\n", gpc_num(a, c->event_x + pad));
	}
	fprintf(out, "set offsets graph 0.03, graph 0.03, graph 0.05, %s\n",
		c->kind != GP_EVENT && !c->log_y && ylo <= yhi && ylo >= 0 &&
		ylo - 0.03 * (yhi - ylo) < 0 ? "0" : "graph 0.03");
	if (ylo == yhi && c->kind != GP_EVENT && !c->log_y) {
		double d = ylo != 0 ? fabs(ylo) / 2 : 1;
		double bottom = ylo >= 0 && ylo - d < 0 ? 0 : ylo - d;
		fprintf(out, "set yrange [%s:%s]\n", gpc_num(a, bottom), gpc_num(b, yhi + d));
	}
	if (whole && lo <= hi && hi - lo < 10)
		fputs("set xtics 1\n", out);
}

/* The band of a series: "x lo hi" where all three are finite */
size_t gpc_band_lines(struct lines *l, const struct gp_series *s, const double *lo,
			 const double *hi)
{
	char bx[32], bl[32], bh[32];
	size_t kept = 0;
	int gap = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (!isfinite(s->x[i]) || !isfinite(lo[i]) || !isfinite(hi[i])) {
			gap = kept > 0;
			continue;
		}
		if (gap)
			gpc_lines_printf(l, "%s", "");
		gap = 0;
		gpc_lines_printf(l, "%s %s %s", gpc_num(bx, s->x[i]), gpc_num(bl, lo[i]), gpc_num(bh, hi[i]));
		kept++;
	}
	return kept;
}
