/* Charts through gnuplot, the base of the layer: quoting, data blocks, pages
 * (the terminal line) and the helpers the chart files share (gnuplot_int.h);
 * the charts are in gnuplot_line.c and gnuplot_estimates.c, their script in
 * gnuplot_chart.c, the runner in gnuplot_run.c.  What gnuplot 5.4 does with the text we send, and so what we guard
 * against here (checked against the real program by tests/unit/test_gnuplot.c):
 *
 * - Before a command line is scanned, @name is replaced by the string
 *   variable `name` unless it is inside quotes; the macro pass counts every
 *   ' and " it sees, whichever kind of quote it is in.
 * - The scanner replaces `command` by the command's output, unquoted and in
 *   double quotes, never inside single quotes; in single quotes a backslash
 *   is an ordinary character and '' stands for ', but only when the '' comes
 *   right after a character other than ': a ' at the start of a string, or
 *   two in a row, ends the string there instead.
 * - A newline ends a command even inside quotes.
 * - `set output '|cmd'` opens a pipe to a shell command.
 * - `$name << EOD` takes lines until one *starts with* EOD.
 * - Enhanced text (^ _ @ & ~ { }) applies to single-quoted text too, unless
 *   the terminal is noenhanced, which all of ours are. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "csvwrite.h"
#include "gnuplot.h"
#include "gnuplot_int.h"
#include "strbuf.h"
#include "utf8.h"

/* ---- quoting -------------------------------------------------------------- */

static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

char *gp_quote(const char *text)
{
	struct strbuf t = { 0 };
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	int piece_empty = 1;	/* nothing since the piece's opening quote */
	int after_quote = 0;	/* the last content byte was a ' */

	sb_addc(&t, '\'');
	for (; *p; p++) {
		if (*p == '\\' && p[1] == 'U' && p[2] == '+') {
			/* gnuplot 6 documents \U+XXXX escapes in single
			 * quotes too: split the piece so none forms */
			sb_add(&t, "\\'.'", 4);
			piece_empty = 1;
			after_quote = 0;
		} else if (*p != '\'') {
			sb_addc(&t, is_control(*p) ? ' ' : (char)*p);
			piece_empty = after_quote = 0;
		} else if (!piece_empty && !after_quote) {
			sb_add(&t, "''", 2);
			after_quote = 1;
		} else {
			/* the scanner would end the string here: close the
			 * piece and concatenate the quote from octal */
			sb_add(&t, "'.\"\\047\".'", 10);
			piece_empty = 1;
			after_quote = 0;
		}
	}
	sb_addc(&t, '\'');
	return sb_take(&t);
}

void gp_put_quoted(FILE *out, const char *text)
{
	char *q = gp_quote(text);
	fputs(q, out);
	free(q);
}

static int plain_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/';
}

char *gp_quote_path(const char *path)
{
	char *dotted, *q;

	if (plain_start(path[0]))
		return gp_quote(path);
	dotted = xmalloc(strlen(path) + 3);
	strcpy(dotted, "./");
	strcat(dotted, path);
	q = gp_quote(dotted);
	free(dotted);
	return q;
}

char *gp_clean_text(const char *s, size_t len)
{
	char *out = xmalloc(3 * len + 1);
	size_t o = 0;

	while (len > 0) {
		size_t ok = utf8_invalid_at(s, len);
		memcpy(out + o, s, ok);
		o += ok;
		s += ok;
		len -= ok;
		if (len > 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			s++;
			len--;
		}
	}
	out[o] = '\0';
	return out;
}

/* ---- data blocks ------------------------------------------------------------- */

/* gnuplot's own test: the line's first strlen(marker) bytes */
static int starts_with(const char *line, const char *marker)
{
	return strncmp(line, marker, strlen(marker)) == 0;
}

static int marker_clashes(const char *marker, const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i];
		if (starts_with(l, marker))
			return 1;
		l += strspn(l, " \t");
		if (starts_with(l, marker))
			return 1;
	}
	return 0;
}

char *gp_end_marker(const char *const *lines, size_t n)
{
	char marker[32] = "EOD";

	/* each line rules out at most one marker of each length, so this ends */
	for (unsigned long k = 1; marker_clashes(marker, lines, n); k++)
		snprintf(marker, sizeof marker, "EOD%lu", k);
	return xstrdup(marker);
}

void gp_put_datablock(FILE *out, const char *name,
		      const char *const *lines, size_t n)
{
	char **clean = xcalloc(n, sizeof *clean);
	char *marker;

	/* the marker is checked against the lines as gnuplot will read them */
	for (size_t i = 0; i < n; i++) {
		clean[i] = xstrdup(lines[i]);
		for (char *p = clean[i]; *p; p++)
			if (is_control((unsigned char)*p))
				*p = ' ';
	}
	marker = gp_end_marker((const char *const *)clean, n);
	fprintf(out, "$%s << %s\n", name, marker);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\n", clean[i]);
		free(clean[i]);
	}
	fprintf(out, "%s\n", marker);
	free(marker);
	free(clean);
}


void gpc_lines_printf(struct lines *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void gpc_lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void gpc_lines_put(FILE *out, const char *name, struct lines *l)
{
	gp_put_datablock(out, name, (const char *const *)l->v, l->n);
	gpc_lines_free(l);
}

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

/* ---- pages ------------------------------------------------------------------ */

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
 * escape, so a " inside becomes '.  Numbers to 6 digits: for reading. */
char *gpc_hover_text(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
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
		t = gpc_hover_text("%s%s%s: %s", s->name && *s->name ? s->name : "",
			       s->name && *s->name ? ", " : "", gpc_digits(bx, s->x[i], 10),
			       gpc_digits(by, s->y[i], 6));
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

/* One data block per series ($tt_s0, $tt_s1, ...; its band $tt_b0, ...),
 * then one plot clause per series that has points, its band first. */
