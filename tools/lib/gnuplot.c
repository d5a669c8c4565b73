/* Charts through gnuplot: quoting, script generation, running it through a
 * pipe.  What gnuplot 5.4 does with the text we send, and so what we guard
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
#include "gnuplot.h"
#include "strbuf.h"

/* a malloc'd string from a printf format */
static char *format_va(const char *fmt, va_list ap)
{
	va_list again;
	char *s;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	return s;
}

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

/* A list of data lines that the chart builders fill. */
struct lines {
	char **v;
	size_t n, cap;
};

static void lines_printf(struct lines *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = format_va(fmt, ap);
	va_end(ap);
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void lines_put(FILE *out, const char *name, struct lines *l)
{
	gp_put_datablock(out, name, (const char *const *)l->v, l->n);
	lines_free(l);
}

/* Shortest "%.Ng" that reads back as the same double; it starts with a
 * digit or '-', never with a letter as every end marker does. */
static const char *num(char buf[32], double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
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
	char font[64], lw[40];
	int w, h;

	page_size(page, &w, &h);
	snprintf(font, sizeof font, "font 'sans,%.4g'", 10 * screen);
	snprintf(lw, sizeof lw, screen != 1 ? " linewidth %.4g" : "", screen);
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
		snprintf(lw, sizeof lw, scale != 1 ? " linewidth %.4g" : "", scale);
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

/* ---- style ------------------------------------------------------------------ */

/* Okabe & Ito's colour-blind-safe palette; yellow last, it is faint on white */
static const char *const palette[] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7",
	"#E69F00", "#56B4E9", "#000000", "#F0E442",
};
enum { NCOLOURS = sizeof palette / sizeof palette[0] };
static const int point_types[NCOLOURS] = { 7, 5, 9, 13, 11, 7, 5, 9 };

static void write_style(FILE *out)
{
	fputs("# house style: plain report look\n"
	      "set border 3 lc rgb '#555555'\n"
	      "set tics nomirror out scale 0.5\n"
	      "set grid lc rgb '#d9d9d9' lw 1 dt solid\n"
	      /* below the chart, where it hides no data; `height 1` keeps
	       * it clear of the x label (gnuplot 5.4 sets them touching) */
	      "set key below Left reverse nobox samplen 2.5 height 1\n"
	      "set style fill solid 0.85 noborder\n", out);
	for (int i = 0; i < NCOLOURS; i++)
		fprintf(out, "set linetype %d lc rgb '%s' lw 2 pt %d ps 0.7\n",
			i + 1, palette[i], point_types[i]);
	fprintf(out, "set linetype cycle %d\n", NCOLOURS);
}

static void write_labels(FILE *out, const struct gp_chart *c)
{
	static const char *const what[] = { "title", "xlabel", "ylabel" };
	const char *text[] = { c->title, c->xlabel, c->ylabel };

	for (int i = 0; i < 3; i++) {
		if (!text[i] || !*text[i])
			continue;
		fprintf(out, "set %s ", what[i]);
		gp_put_quoted(out, text[i]);
		putc('\n', out);
	}
}

/* " title '...'" or " notitle" */
static void put_title(FILE *out, const char *name)
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
static void put_linestyle(FILE *out, size_t k)
{
	fprintf(out, " lt %zu dt %zu", k % NCOLOURS + 1, k / NCOLOURS % 5 + 1);
}

static void write_event_line(FILE *out, const struct gp_chart *c)
{
	char b[32];

	if (!isfinite(c->event_x))
		return;
	fprintf(out, "set arrow 1 from first %s, graph 0 to first %s, graph 1 "
		"nohead dt 2 lw 1.5 lc rgb '#555555' front\n",
		num(b, c->event_x), b);
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
static char *hover_text(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = format_va(fmt, ap);
	va_end(ap);
	for (char *p = s; *p; p++)
		if (*p == '"')
			*p = '\'';
	return s;
}

static void hover_point(struct lines *l, double x, double y, const char *text)
{
	char bx[32], by[32];

	lines_printf(l, "%s %s \"%s\"", num(bx, x), num(by, y), text);
}

/* "label, x: y" for each point of a series that can be placed */
static size_t hover_series(struct lines *l, const struct gp_series *s)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n; i++) {
		char *t;
		if (!isfinite(s->x[i]) || !isfinite(s->y[i]))
			continue;
		t = hover_text("%s%s%.10g: %.6g", s->name && *s->name ? s->name : "",
			       s->name && *s->name ? ", " : "", s->x[i], s->y[i]);
		hover_point(l, s->x[i], s->y[i], t);
		free(t);
		kept++;
	}
	return kept;
}

/* The plot clause of a hover block: its points are the visible markers
 * (gnuplot's svg terminal wraps each in a group that fix_svg gives a
 * <title>); `style` names colour, point type and size. */
static void put_hover_clause(FILE *out, const char *block, const char *style)
{
	fprintf(out, ", \\\n    $%s using 1:2:3 with labels hypertext point %s notitle",
		block, style);
}

/* ---- chart data ------------------------------------------------------------- */

/* x y per point; a run of points that cannot be placed becomes one blank
 * line (a gap in the line), none at the ends.  Returns the points kept. */
static size_t series_lines(struct lines *l, const double *x, const double *y,
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
			lines_printf(l, "%s", "");
		gap = 0;
		lines_printf(l, "%s %s", num(bx, x[i]), num(by, y[i]));
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
static void write_margins(FILE *out, const struct gp_chart *c)
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
		fprintf(out, "set xrange [%s:%s]\n", num(a, lo - 1), num(b, hi + 1));
	else
		fputs("set autoscale xfix\n", out);
	fprintf(out, "set offsets graph 0.03, graph 0.03, graph 0.05, %s\n",
		c->kind != GP_EVENT && !c->log_y && ylo <= yhi && ylo >= 0 &&
		ylo - 0.03 * (yhi - ylo) < 0 ? "0" : "graph 0.03");
	if (ylo == yhi && c->kind != GP_EVENT && !c->log_y) {
		double d = ylo != 0 ? fabs(ylo) / 2 : 1;
		double bottom = ylo >= 0 && ylo - d < 0 ? 0 : ylo - d;
		fprintf(out, "set yrange [%s:%s]\n", num(a, bottom), num(b, yhi + d));
	}
	if (whole && lo <= hi && hi - lo < 10)
		fputs("set xtics 1\n", out);
}

/* The band of a series: "x lo hi" where all three are finite */
static size_t band_lines(struct lines *l, const struct gp_series *s, const double *lo,
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
			lines_printf(l, "%s", "");
		gap = 0;
		lines_printf(l, "%s %s %s", num(bx, s->x[i]), num(bl, lo[i]), num(bh, hi[i]));
		kept++;
	}
	return kept;
}

/* One data block per series ($tt_s0, $tt_s1, ...; its band $tt_b0, ...),
 * then one plot clause per series that has points, its band first. */
/* line: the event years (grey, labelled at the top) and each series' own
 * event (dotted, in the series' colour) */
static void write_line_events(FILE *out, const struct gp_chart *c, const int *has)
{
	char b[32];
	size_t k = 0;

	for (size_t j = 0; j < c->nevent_years; j++) {
		if (!isfinite(c->event_years[j]))
			continue;
		num(b, c->event_years[j]);
		fprintf(out, "set arrow from first %s, graph 0 to first %s, graph 1 "
			"nohead dt 2 lw 1.5 lc rgb '#555555' front\n", b, b);
		fprintf(out, "set label '%s' at first %s, graph 1 left offset character "
			"0.5,-1 front\n", b, b);
	}
	for (size_t i = 0; c->series_event && i < c->nseries; i++) {
		if (!has[i])
			continue;
		if (isfinite(c->series_event[i]))
			fprintf(out, "set arrow from first %s, graph 0 to first %s, graph 1 "
				"nohead dt 3 lw 1.5 lt %zu front\n", num(b, c->series_event[i]),
				b, k % NCOLOURS + 1);
		k++;
	}
}

/* One data block per series ($tt_s0, $tt_s1, ...; its band $tt_b0, ...;
 * its hover texts $tt_h0, ...).  has[i]: 0 no point, 1 points, 2 and a
 * band.  Returns the number of series with points. */
static size_t write_series_blocks(FILE *out, const struct gp_chart *c, int *has, int hover)
{
	size_t nplotted = 0;

	for (size_t i = 0; i < c->nseries; i++) {
		const struct gp_series *s = &c->series[i];
		struct lines l = { 0 };
		char name[40];

		has[i] = series_lines(&l, s->x, s->y, s->n) > 0;
		nplotted += (size_t)has[i];
		snprintf(name, sizeof name, "tt_s%zu", i);
		lines_put(out, name, &l);
		if (has[i] && c->band_lo && c->band_hi && c->band_lo[i] && c->band_hi[i] &&
		    band_lines(&l, s, c->band_lo[i], c->band_hi[i]) > 0) {
			has[i] = 2;
			snprintf(name, sizeof name, "tt_b%zu", i);
			lines_put(out, name, &l);
		}
		if (has[i] && hover) {
			hover_series(&l, s);
			snprintf(name, sizeof name, "tt_h%zu", i);
			lines_put(out, name, &l);
		}
	}
	return nplotted;
}

/* The plot command of the series with has[i] and (with panels) panel[i]
 * == p: each its band first, then its line, then its hover points. */
static void write_series_clauses(FILE *out, const struct gp_chart *c, const int *has,
				 const char *with, int hover, size_t p)
{
	size_t k = 0;

	fputs("plot", out);
	for (size_t i = 0; i < c->nseries; i++) {
		if (!has[i] || (c->npanels && c->panel[i] != p))
			continue;
		if (has[i] == 2) {
			fprintf(out, "%s $tt_b%zu using 1:2:3 with filledcurves lc %zu "
				"fs transparent solid 0.15 noborder notitle", k ? ", \\\n   " : "",
				i, k % NCOLOURS + 1);
			fputs(", \\\n   ", out);
		} else if (k) {
			fputs(", \\\n   ", out);
		}
		fprintf(out, " $tt_s%zu using 1:2 with %s", i, with);
		put_linestyle(out, k);
		put_title(out, c->series[i].name);
		if (hover) {
			char block[40], style[40];
			snprintf(block, sizeof block, "tt_h%zu", i);
			snprintf(style, sizeof style, "lt %zu", k % NCOLOURS + 1);
			put_hover_clause(out, block, style);
		}
		k++;
	}
	fputs("\n", out);
}

/* Small multiples: a grid of panels (as square as it goes), each titled,
 * on one x range; the legend only where a panel has several series. */
static void write_panels(FILE *out, const struct gp_chart *c, const int *has,
			 const char *with, int hover)
{
	size_t cols = 1, rows, used = 0;
	double lo = INFINITY, hi = -INFINITY, step = 1;
	char a[32], b[32];
	int *full = xcalloc(c->npanels ? c->npanels : 1, sizeof *full);

	/* a panel with no point takes no place */
	for (size_t i = 0; i < c->nseries; i++)
		if (has[i] && c->panel[i] < c->npanels && !full[c->panel[i]]) {
			full[c->panel[i]] = 1;
			used++;
		}
	while (cols * cols < used)
		cols++;
	rows = (used + cols - 1) / cols;
	for (size_t i = 0; i < c->nseries; i++)
		for (size_t j = 0; j < c->series[i].n; j++)
			if (isfinite(c->series[i].x[j]) && isfinite(c->series[i].y[j])) {
				lo = fmin(lo, c->series[i].x[j]);
				hi = fmax(hi, c->series[i].x[j]);
			}
	/* about four tics a panel, at 1, 2, 5, 10, 20, ... */
	for (int k = 0; isfinite(hi - lo) && (hi - lo) / step > 4 && k < 60; k++)
		step *= k % 3 == 1 ? 2.5 : 2;
	fputs("unset title\n", out);
	fprintf(out, "set multiplot layout %zu,%zu", rows, cols);
	if (c->title && *c->title) {
		fputs(" title ", out);
		gp_put_quoted(out, c->title);
	}
	fputs("\n", out);
	for (size_t p = 0; p < c->npanels; p++) {
		struct gp_chart one = *c;
		struct gp_series *mine = xcalloc(c->nseries, sizeof *mine);
		size_t m = 0;

		for (size_t i = 0; i < c->nseries; i++)
			if (has[i] && c->panel[i] == p)
				mine[m++] = c->series[i];
		one.series = mine;
		one.nseries = m;
		if (m == 0) {
			free(mine);
			continue;
		}
		/* what the panel before set for itself */
		fputs("unset arrow\nunset label\nset autoscale y\nset xtics autofreq\n", out);
		{
			int *own = xcalloc(c->nseries, sizeof *own);
			for (size_t i = 0; i < c->nseries; i++)
				own[i] = has[i] && c->panel[i] == p;
			write_line_events(out, c, own);
			free(own);
		}
		fputs("set title ", out);
		gp_put_quoted(out, c->panel_names[p] ? c->panel_names[p] : "");
		fputs("\n", out);
		write_margins(out, &one);
		/* the room the offsets give a chart of its own */
		fprintf(out, "set xrange [%s:%s]\n",
			num(a, lo == hi ? lo - 1 : lo - 0.03 * (hi - lo)),
			num(b, lo == hi ? hi + 1 : hi + 0.03 * (hi - lo)));
		fprintf(out, "set xtics %s\n", num(a, step));
		fputs(m > 1 ? "set key below\n" : "set key off\n", out);
		write_series_clauses(out, c, has, with, hover, p);
		free(mine);
	}
	fputs("unset multiplot\n", out);
	free(full);
}

static const char *write_series_plot(FILE *out, const struct gp_chart *c,
				     const char *with)
{
	int *has = xcalloc(c->nseries ? c->nseries : 1, sizeof *has);
	int hover = c->hover && c->kind == GP_LINE;

	if (write_series_blocks(out, c, has, hover) == 0) {
		free(has);
		return "nothing to plot: no series has a point with finite x and y";
	}
	if (!c->npanels || !c->panel)
		write_margins(out, c);
	if (c->kind == GP_STEP)
		fputs("set yrange [0:*]\n", out);
	if (c->log_y)
		fputs("set logscale y\n", out);
	if (!c->npanels || !c->panel)
		write_line_events(out, c, has);
	if (c->npanels && c->panel)
		write_panels(out, c, has, with, hover);
	else
		write_series_clauses(out, c, has, with, hover, 0);
	free(has);
	return NULL;
}

static const char *write_line(FILE *out, const struct gp_chart *c)
{
	return write_series_plot(out, c, "linespoints");
}

static const char *write_step(FILE *out, const struct gp_chart *c)
{
	return write_series_plot(out, c, "steps");
}

static int segment_lines(struct lines *l, const struct gp_segment *g)
{
	char a[32], b[32];

	if (!isfinite(g->x0) || !isfinite(g->y0) ||
	    !isfinite(g->x1) || !isfinite(g->y1))
		return 0;
	lines_printf(l, "%s %s", num(a, g->x0), num(b, g->y0));
	lines_printf(l, "%s %s", num(a, g->x1), num(b, g->y1));
	return 1;
}

/* A fitted curve's block; a two-point segment when there is no curve. */
static int fit_lines(struct lines *l, const struct gp_series *curve,
		     const struct gp_segment *g)
{
	if (curve->n > 0)
		return series_lines(l, curve->x, curve->y, curve->n) > 0;
	return segment_lines(l, g);
}

static const char *write_prepost(FILE *out, const struct gp_chart *c)
{
	const struct gp_series *s = c->nseries ? &c->series[0] : NULL;
	const char *fit = c->fit_label ? c->fit_label : "segmented fit";
	struct lines l = { 0 };
	int pre, post, cf, hover = 0;

	if (!s || series_lines(&l, s->x, s->y, s->n) == 0) {
		lines_free(&l);
		return "nothing to plot: the series has no point with finite x and y";
	}
	lines_put(out, "tt_s0", &l);
	pre = fit_lines(&l, &c->curve_pre, &c->fit_pre);
	lines_put(out, "tt_pre", &l);
	post = fit_lines(&l, &c->curve_post, &c->fit_post);
	lines_put(out, "tt_post", &l);
	cf = c->counterfactual.n > 0 &&
	     series_lines(&l, c->counterfactual.x, c->counterfactual.y, c->counterfactual.n) > 0;
	if (cf)
		lines_put(out, "tt_cf", &l);
	if (c->hover) {
		hover = hover_series(&l, s) > 0;
		lines_put(out, "tt_h0", &l);
	}
	write_event_line(out, c);
	write_margins(out, c);
	if (c->count)
		fputs("set yrange [0:*]\n", out);

	fputs("plot $tt_s0 using 1:2 with linespoints lt 1", out);
	put_title(out, s->name);
	if (pre) {
		fputs(", \\\n    $tt_pre using 1:2 with lines lt 2 lw 2.5 title ", out);
		gp_put_quoted(out, fit);
	}
	if (post) {
		fputs(", \\\n    $tt_post using 1:2 with lines lt 2 lw 2.5", out);
		if (pre) {
			fputs(" notitle", out);
		} else {
			fputs(" title ", out);
			gp_put_quoted(out, fit);
		}
	}
	if (cf)
		fputs(", \\\n    $tt_cf using 1:2 with lines lt 2 lw 1.5 dt 2 "
		      "title 'pre-event trend continued'", out);
	if (hover)
		put_hover_clause(out, "tt_h0", "lt 1");
	fputs("\n", out);
	return NULL;
}

/* ---- estimates charts ------------------------------------------------------- */

struct ranked {
	const struct gp_estimate *row;
	double key;
	size_t order;	/* input position: ties keep it */
};

static int by_key(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The rows whose `key` (and estimate) is finite, sorted by key if asked. */
static struct ranked *rank_rows(const struct gp_chart *c, int use_rel_year,
				int sort, size_t *n)
{
	struct ranked *r = xcalloc(c->nrows, sizeof *r);
	size_t m = 0;

	for (size_t i = 0; i < c->nrows; i++) {
		const struct gp_estimate *e = &c->rows[i];
		double key = use_rel_year ? e->rel_year : e->estimate;
		if (!isfinite(key) || !isfinite(e->estimate))
			continue;
		r[m].row = e;
		r[m].key = key;
		r[m].order = i;
		m++;
	}
	if (sort)
		xqsort(r, m, sizeof *r, by_key);
	*n = m;
	return r;
}

static int has_interval(const struct gp_estimate *e)
{
	return isfinite(e->conf_low) && isfinite(e->conf_high);
}

/* One side of an event chart: the rows with an interval (a blank line
 * where a row without one, or the other side, breaks them). */
struct event_side {
	struct lines est, band;
	size_t n;
	int gap;
};

static void event_side_add(struct event_side *d, const struct gp_estimate *e)
{
	char bx[32], bl[32], bh[32];

	if (d->gap) {
		lines_printf(&d->est, "%s", "");
		lines_printf(&d->band, "%s", "");
	}
	d->gap = 0;
	num(bx, e->rel_year);
	lines_printf(&d->est, "%s %s", bx, num(bl, e->estimate));
	lines_printf(&d->band, "%s %s %s", bx, num(bl, e->conf_low), num(bh, e->conf_high));
	d->n++;
}

/* The estimates before the event (rel_year < 0) and after it in two
 * colours, each with its band; a row without an interval is a point of its
 * own, joined to nothing. */
static const char *write_event(FILE *out, const struct gp_chart *c)
{
	char bx[32], by[32];
	struct event_side side[2];
	struct lines alone = { 0 }, hover = { 0 };
	size_t n;
	struct ranked *r = rank_rows(c, 1, 1, &n);
	int band_titled = 0;
	static const char *const names[2] = { "before the event", "after the event" };

	memset(side, 0, sizeof side);
	for (size_t i = 0; i < n; i++) {
		const struct gp_estimate *e = r[i].row;
		int post = e->rel_year >= 0;
		if (has_interval(e)) {
			event_side_add(&side[post], e);
		} else {
			side[0].gap = side[0].n > 0;
			side[1].gap = side[1].n > 0;
			lines_printf(&alone, "%s %s", num(bx, e->rel_year), num(by, e->estimate));
		}
		if (c->hover) {
			/* the marker in its side's colour, black when alone */
			char *t = has_interval(e)
				? hover_text("rel_year %.10g: %.6g [%.6g, %.6g]", e->rel_year,
					     e->estimate, e->conf_low, e->conf_high)
				: hover_text("rel_year %.10g: %.6g (no interval)", e->rel_year,
					     e->estimate);
			lines_printf(&hover, "%s %s \"%s\" %s", num(bx, e->rel_year),
				     num(by, e->estimate), t,
				     !has_interval(e) ? "0x000000" : post ? "0xD55E00" : "0x0072B2");
			free(t);
		}
	}
	free(r);
	if (n == 0) {
		for (int k = 0; k < 2; k++) {
			lines_free(&side[k].est);
			lines_free(&side[k].band);
		}
		lines_free(&alone);
		lines_free(&hover);
		return "nothing to plot: no row has a finite rel_year and estimate";
	}
	{
		size_t nalone = alone.n, nhover = hover.n;
		for (int k = 0; k < 2; k++)
			if (side[k].n) {
				lines_put(out, k ? "tt_post" : "tt_pre", &side[k].est);
				lines_put(out, k ? "tt_band_post" : "tt_band_pre", &side[k].band);
			} else {
				lines_free(&side[k].est);
			}
		if (nalone)
			lines_put(out, "tt_alone", &alone);
		if (nhover)
			lines_put(out, "tt_h", &hover);
		write_event_line(out, c);
		write_margins(out, c);
		fputs("set xzeroaxis lt -1 lc rgb '#555555' lw 1\n", out);
		fputs("set yrange [*<0:0<*]\n", out);
		fputs("plot", out);
		for (int k = 0; k < 2; k++) {
			if (!side[k].n)
				continue;
			fprintf(out, " $tt_band_%s using 1:2:3 with filledcurves lc %d "
				"fs transparent solid 0.2 noborder", k ? "post" : "pre", k + 1);
			put_title(out, band_titled ? NULL : c->band_label ? c->band_label
				  : "confidence interval");
			band_titled = 1;
			fputs(", \\\n   ", out);
		}
		for (int k = 0, any = 0; k < 2; k++) {
			if (!side[k].n)
				continue;
			fprintf(out, "%s $tt_%s using 1:2 with linespoints lt %d title '%s'",
				any ? ", \\\n   " : "", k ? "post" : "pre", k + 1, names[k]);
			any = 1;
		}
		if (nalone)
			fprintf(out, "%s $tt_alone using 1:2 with points pt 6 ps 1 "
				"lc rgb '#000000' title 'no interval'",
				side[0].n || side[1].n ? ", \\\n   " : "");
		if (nhover)
			fputs(", \\\n    $tt_h using 1:2:3:4 with labels hypertext point pt 7 "
			      "ps 0.7 lc rgb variable notitle", out);
		fputs("\n", out);
		for (int k = 0; k < 2; k++)
			lines_free(&side[k].band);
	}
	return NULL;
}

/* Tic labels one `set Xtics` command each, so no line needs continuing. */
/* gnuplot reads a tic label as a printf format: "50% rise" must reach it
 * as "50%% rise" */
static char *percent_doubled(const char *s)
{
	struct strbuf b = { 0 };
	for (; *s; s++) {
		if (*s == '%')
			sb_addc(&b, '%');
		sb_addc(&b, *s);
	}
	return sb_take(&b);
}

static void write_tic_labels(FILE *out, const char *axis, struct ranked *r,
			     size_t n, int first_pos)
{
	for (size_t i = 0; i < n; i++) {
		char *label = percent_doubled(r[i].row->label ? r[i].row->label : "");
		fprintf(out, "set %s %s(", axis, i ? "add " : "");
		gp_put_quoted(out, label);
		fprintf(out, " %zu)\n", (size_t)first_pos + i);
		free(label);
	}
}

/* A forest row's interval cut at the estimate axis: 0 inside, or the
 * sides past it (1 left, 2 right, 3 both), lo and hi set to what shows. */
static int cut_interval(const struct gp_chart *c, const struct gp_estimate *e,
			double *lo, double *hi)
{
	int cut = 0;

	*lo = e->conf_low;
	*hi = e->conf_high;
	if (!isfinite(c->range_lo) || !isfinite(c->range_hi))
		return 0;
	if (*lo < c->range_lo) {
		*lo = c->range_lo;
		cut |= 1;
	}
	if (*hi > c->range_hi) {
		*hi = c->range_hi;
		cut |= 2;
	}
	return cut;
}

/* The blocks of a forest: rows with an interval inside the axis, those cut
 * at it (by side: an arrow head where cut), rows without an interval, the
 * pooled row's diamond, the hover texts. */
struct forest_blocks {
	struct lines ci, cut[4], pts, noci, pooled, hover;
};

static void forest_row(struct forest_blocks *b, const struct gp_chart *c,
		       const struct gp_estimate *e, double n, size_t y)
{
	char bx[32], bl[32], bh[32];
	double lo, hi;
	int cut;

	num(bx, e->estimate);
	if (!has_interval(e)) {
		lines_printf(&b->noci, "%s %zu", bx, y);
	} else if ((cut = cut_interval(c, e, &lo, &hi)) == 0) {
		lines_printf(&b->ci, "%s %zu %s %s", bx, y, num(bl, lo), num(bh, hi));
	} else {
		/* a vector whose head is at the cut side (both: heads) */
		double from = cut == 1 ? hi : lo, to = cut == 1 ? lo : hi;
		lines_printf(&b->cut[cut], "%s %zu %s 0", num(bl, from), y, num(bh, to - from));
		if (isfinite(c->range_lo) && e->estimate >= c->range_lo &&
		    e->estimate <= c->range_hi)
			lines_printf(&b->pts, "%s %zu", bx, y);
	}
	if (c->hover) {
		char ns[48] = "", *t;
		if (isfinite(n))
			snprintf(ns, sizeof ns, ", n = %.10g", n);
		t = has_interval(e)
			? hover_text("%s: %.6g [%.6g, %.6g]%s", e->label ? e->label : "",
				     e->estimate, e->conf_low, e->conf_high, ns)
			: hover_text("%s: %.6g (no CI)%s", e->label ? e->label : "",
				     e->estimate, ns);
		/* the marker in the row's colour: black without an interval
		 * and for the pooled row (y 1 under the rule) */
		lines_printf(&b->hover, "%s %zu \"%s\" %s", bx, y, t,
			     has_interval(e) && !(c->pooled && y == 1) ? "0x0072B2" : "0x000000");
		free(t);
	}
}

/* the pooled row: a diamond from conf_low to conf_high (a large diamond
 * point when it has no interval) */
static void forest_pooled(struct forest_blocks *b, const struct gp_chart *c, size_t y)
{
	const struct gp_estimate *e = c->pooled;
	char bx[32], bl[32], bh[32];

	num(bx, e->estimate);
	if (has_interval(e)) {
		num(bl, e->conf_low);
		num(bh, e->conf_high);
		lines_printf(&b->pooled, "%s %zu", bl, y);
		lines_printf(&b->pooled, "%s %zu.25", bx, y);
		lines_printf(&b->pooled, "%s %zu", bh, y);
		lines_printf(&b->pooled, "%s %zu.75", bx, y - 1);
		lines_printf(&b->pooled, "%s %zu", bl, y);
	} else {
		lines_printf(&b->pooled, "%s %zu", bx, y);
	}
}

static void forest_tics(FILE *out, const struct gp_chart *c, struct ranked *r, size_t n,
			size_t first)
{
	int any_n = 0;

	for (size_t i = 0; i < n; i++) {
		char *label = percent_doubled(r[i].row->label ? r[i].row->label : "");
		fprintf(out, "set ytics %s(", i ? "add " : "");
		gp_put_quoted(out, label);
		fprintf(out, " %zu)\n", first + i);
		free(label);
	}
	for (size_t i = 0; c->row_n && i < n; i++) {
		double v = c->row_n[r[i].row - c->rows];
		if (!isfinite(v))
			continue;
		fprintf(out, "set y2tics %s('n = %.10g' %zu)\n", any_n ? "add " : "", v, first + i);
		any_n = 1;
	}
	if (c->pooled) {
		char *label = percent_doubled(c->pooled->label ? c->pooled->label : "pooled");
		fprintf(out, "set ytics add (");
		gp_put_quoted(out, label);
		fputs(" 1)\n", out);
		free(label);
		if (isfinite(c->pooled_n)) {
			fprintf(out, "set y2tics %s('n = %.10g' 1)\n", any_n ? "add " : "",
				c->pooled_n);
			any_n = 1;
		}
	}
	if (any_n)
		fputs("set link y2\nset y2tics scale 0 nomirror\n", out);
}

enum { FOREST_TALL = 25 };	/* rows from which the axis is labelled on top too */

static const char *write_forest(FILE *out, const struct gp_chart *c)
{
	struct forest_blocks b;
	size_t n, first, top;
	struct ranked *r = rank_rows(c, 0, !c->keep_order, &n);
	int pooled = c->pooled && isfinite(c->pooled->estimate), key;
	static const char *const cut_style[4] = { "", "head", "head", "heads" };

	if (n == 0 && !pooled) {
		free(r);
		return "nothing to plot: no row has a finite estimate";
	}
	memset(&b, 0, sizeof b);
	/* y = first..top from the smallest estimate up: the largest sits on
	 * top (or the first row given, in input order); the pooled row at 1,
	 * under a blank row */
	first = pooled ? 3 : 1;
	top = first + (n ? n : 1) - 1;
	if (c->keep_order)	/* the first row on top */
		for (size_t i = 0; i < n / 2; i++) {
			struct ranked t = r[i];
			r[i] = r[n - 1 - i];
			r[n - 1 - i] = t;
		}
	for (size_t i = 0; i < n; i++)
		forest_row(&b, c, r[i].row, c->row_n ? c->row_n[r[i].row - c->rows] : NAN,
			   first + i);
	if (pooled) {
		forest_pooled(&b, c, 1);
		if (c->hover) {
			struct forest_blocks p;
			memset(&p, 0, sizeof p);
			p.hover = b.hover;
			forest_row(&p, c, c->pooled, c->pooled_n, 1);
			b.hover = p.hover;
			for (int k = 0; k < 4; k++)
				lines_free(&p.cut[k]);
			lines_free(&p.ci);
			lines_free(&p.pts);
			lines_free(&p.noci);
		}
	}
	key = b.noci.n > 0 || pooled;
	{
		size_t nci = b.ci.n, ncut[4], npts = b.pts.n, nnoci = b.noci.n, nh = b.hover.n;
		size_t npool = b.pooled.n;
		const char *sep = "";
		for (int k = 1; k < 4; k++) {
			char name[16];
			ncut[k] = b.cut[k].n;
			snprintf(name, sizeof name, "tt_cut%d", k);
			if (ncut[k])
				lines_put(out, name, &b.cut[k]);
		}
		if (nci)
			lines_put(out, "tt_est", &b.ci);
		if (npts)
			lines_put(out, "tt_pts", &b.pts);
		if (nnoci)
			lines_put(out, "tt_noci", &b.noci);
		if (npool)
			lines_put(out, "tt_pooled", &b.pooled);
		if (nh)
			lines_put(out, "tt_h", &b.hover);
		fputs(key ? "set key below\n" : "set key off\n", out);
		fputs("set grid noytics xtics\n", out);
		fputs("set yzeroaxis lt -1 lc rgb '#555555' lw 1\n", out);
		if (isfinite(c->range_lo) && isfinite(c->range_hi)) {
			char lo[32], hi[32];
			fprintf(out, "set xrange [%s:%s]\n", num(lo, c->range_lo),
				num(hi, c->range_hi));
		} else {
			fputs("set xrange [*<0:0<*]\n", out);
		}
		fprintf(out, "set yrange [0.5:%zu.5]\n", top);
		fputs("set ytics scale 0\n", out);
		if (n + (size_t)pooled >= FOREST_TALL)
			fputs("set link x2\nset x2tics out scale 0.5\n", out);
		forest_tics(out, c, r, n, first);
		if (pooled)
			fputs("set arrow from graph 0, first 2 to graph 1, first 2 nohead "
			      "lc rgb '#bbbbbb' lw 1\n", out);
		fputs("plot", out);
		if (nci) {
			fputs(" $tt_est using 1:2:3:4 with xerrorbars lt 1 notitle", out);
			sep = ", \\\n   ";
		}
		for (int k = 1; k < 4; k++)
			if (ncut[k]) {
				fprintf(out, "%s $tt_cut%d using 1:2:3:4 with vectors %s filled "
					"size screen 0.012,25 lt 1 notitle", sep, k, cut_style[k]);
				sep = ", \\\n   ";
			}
		if (npts) {
			fprintf(out, "%s $tt_pts using 1:2 with points lt 1 notitle", sep);
			sep = ", \\\n   ";
		}
		if (nnoci) {
			fprintf(out, "%s $tt_noci using 1:2 with points pt 6 ps 1.2 "
				"lc rgb '#000000' title 'no CI'", sep);
			sep = ", \\\n   ";
		}
		if (npool) {
			if (npool > 1)
				fprintf(out, "%s $tt_pooled using 1:2 with filledcurves closed "
					"lc rgb '#000000' fs solid 1.0 title 'pooled'", sep);
			else
				fprintf(out, "%s $tt_pooled using 1:2 with points pt 13 ps 2 "
					"lc rgb '#000000' title 'pooled (no CI)'", sep);
			sep = ", \\\n   ";
		}
		if (nh)
			fputs(", \\\n    $tt_h using 1:2:3:4 with labels hypertext point pt 7 "
			      "ps 0.7 lc rgb variable notitle", out);
		fputs("\n", out);
	}
	free(r);
	return NULL;
}

static int long_labels(struct ranked *r, size_t n)
{
	if (n > 8)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (r[i].row->label && strlen(r[i].row->label) > 12)
			return 1;
	return 0;
}

static const char *write_bar(FILE *out, const struct gp_chart *c)
{
	char bx[32], bl[32], bh[32];
	struct lines bars = { 0 }, err = { 0 };
	size_t n;
	int with_err;
	struct ranked *r = rank_rows(c, 0, 0, &n);

	if (n == 0) {
		free(r);
		return "nothing to plot: no row has a finite value";
	}
	for (size_t i = 0; i < n; i++) {
		const struct gp_estimate *e = r[i].row;
		lines_printf(&bars, "%zu %s", i, num(bx, e->estimate));
		if (has_interval(e))
			lines_printf(&err, "%zu %s %s %s", i, bx,
				     num(bl, e->conf_low), num(bh, e->conf_high));
	}
	lines_put(out, "tt_bar", &bars);
	with_err = err.n > 0;
	lines_put(out, "tt_err", &err);
	fputs("set key off\n", out);
	fputs("set grid noxtics ytics\n", out);
	fputs("set xzeroaxis lt -1 lc rgb '#555555' lw 1\n", out);
	fprintf(out, "set xrange [-0.6:%zu.6]\n", n - 1);
	fputs("set yrange [*<0:0<*]\n", out);
	fputs("set boxwidth 0.7\n", out);
	/* gnuplot sizes the right margin by the last tic label unrotated */
	fputs("set rmargin 4\n", out);
	fprintf(out, "set xtics scale 0%s\n",
		long_labels(r, n) ? " rotate by 45 right" : "");
	write_tic_labels(out, "xtics", r, n, 0);
	fputs("plot $tt_bar using 1:2 with boxes lt 1 notitle", out);
	if (with_err)
		fputs(", \\\n    $tt_err using 1:2:3:4 with yerrorbars "
		      "lc rgb '#000000' lw 1.5 pt 7 ps 0.4 notitle", out);
	fputs("\n", out);
	free(r);
	return NULL;
}

/* ---- synth: the treated unit and its synthetic control, then the gaps ---------- */

static int has_point(const struct gp_series *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (isfinite(s->x[i]) && isfinite(s->y[i]))
			return 1;
	return 0;
}

/* every placebo's gap in one block, a blank line between them (a break in
 * the line); returns how many have points */
static size_t placebo_lines(struct lines *l, const struct gp_chart *c)
{
	size_t n = 0;

	for (size_t i = 3; i < c->nseries; i++) {
		const struct gp_series *s = &c->series[i];
		if (!has_point(s))
			continue;
		if (n++)
			lines_printf(l, "%s", "");
		series_lines(l, s->x, s->y, s->n);
	}
	return n;
}

/* The event line; its text on the side with room: an event in the last
 * years (often the last year of the data) would push it past the frame. */
static void synth_event(FILE *out, const struct gp_chart *c)
{
	struct gp_chart line = *c;
	double lo = INFINITY, hi = -INFINITY;
	char b[32];

	line.event_label = NULL;
	write_event_line(out, &line);
	if (!isfinite(c->event_x) || !c->event_label || !*c->event_label)
		return;
	for (size_t i = 0; i < c->series[0].n; i++)
		if (isfinite(c->series[0].x[i])) {
			lo = fmin(lo, c->series[0].x[i]);
			hi = fmax(hi, c->series[0].x[i]);
		}
	fputs("set label 1 ", out);
	gp_put_quoted(out, c->event_label);
	if (c->event_x > lo + 0.6 * (hi - lo))
		fprintf(out, " at first %s, graph 1 right offset character -0.5,-1 front\n",
			num(b, c->event_x));
	else
		fprintf(out, " at first %s, graph 1 left offset character 0.5,-1 front\n",
			num(b, c->event_x));
}

static const char *write_synth(FILE *out, const struct gp_chart *c)
{
	struct gp_chart panel = *c;
	struct lines l = { 0 };
	size_t nplacebo;
	int has[3] = { 0, 0, 0 };

	for (size_t i = 0; i < 3 && i < c->nseries; i++) {
		char name[16];
		snprintf(name, sizeof name, "tt_s%zu", i);
		has[i] = series_lines(&l, c->series[i].x, c->series[i].y, c->series[i].n) > 0;
		lines_put(out, name, &l);
	}
	nplacebo = placebo_lines(&l, c);
	lines_put(out, "tt_placebo", &l);
	if (!has[0] || !has[2])
		return "nothing to plot: the treated series or its gaps have no point "
		       "with finite x and y";

	/* the title heads the figure, the x label the lower panel; the same
	 * margins keep the two panels' years one above the other */
	fputs("unset title\nunset xlabel\nset lmargin 10\nset rmargin 4\n"
	      "set multiplot layout 2,1", out);
	if (c->title && *c->title) {
		fputs(" title ", out);
		gp_put_quoted(out, c->title);
	}
	fputs("\n", out);
	synth_event(out, c);
	panel.nseries = 2;
	write_margins(out, &panel);
	fputs("plot $tt_s0 using 1:2 with linespoints lt 1", out);
	put_title(out, c->series[0].name);
	if (has[1]) {
		fputs(", \\\n    $tt_s1 using 1:2 with lines lt 2 dt 2 lw 2.5", out);
		put_title(out, c->series[1].name);
	}
	fputs("\n", out);

	fputs("unset label 1\nset autoscale y\n", out);
	if (c->xlabel && *c->xlabel) {
		fputs("set xlabel ", out);
		gp_put_quoted(out, c->xlabel);
		fputs("\n", out);
	}
	fputs("set ylabel 'gap: treated - synthetic'\n", out);
	fputs("set xzeroaxis lt -1 lc rgb '#555555' lw 1\n", out);
	panel.series = c->series + 2;
	panel.nseries = c->nseries - 2;
	write_margins(out, &panel);
	fputs("plot ", out);
	if (nplacebo)
		fprintf(out, "$tt_placebo using 1:2 with lines lc rgb '#c4c4c4' lw 1 "
			"title 'placebos: each donor as if treated (%zu)', \\\n    ", nplacebo);
	fputs("$tt_s2 using 1:2 with linespoints lt 1", out);
	put_title(out, c->series[2].name);
	fputs("\nunset multiplot\n", out);
	return NULL;
}

/* ---- charts ------------------------------------------------------------------- */

void gp_chart_init(struct gp_chart *c, enum gp_kind kind)
{
	const struct gp_segment none = { NAN, NAN, NAN, NAN };

	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->event_x = kind == GP_EVENT ? -0.5 : NAN;
	c->fit_pre = c->fit_post = none;
	c->pooled_n = NAN;
	c->range_lo = c->range_hi = NAN;
}

const char *gp_write_chart(FILE *out, const struct gp_chart *c)
{
	const char *err = "unknown chart kind";

	write_style(out);
	write_labels(out, c);
	switch (c->kind) {
	case GP_LINE:    err = write_line(out, c); break;
	case GP_PREPOST: err = write_prepost(out, c); break;
	case GP_EVENT:   err = write_event(out, c); break;
	case GP_FOREST:  err = write_forest(out, c); break;
	case GP_BAR:     err = write_bar(out, c); break;
	case GP_STEP:    err = write_step(out, c); break;
	case GP_SYNTH:   err = write_synth(out, c); break;
	}
	/* closing the output finishes the file (a PDF is written on close) */
	fputs("unset output\n", out);
	return err;
}

const char *gp_write_script(FILE *out, const struct gp_chart *c,
			    const struct gp_page *page)
{
	gp_write_header(out, page);
	return gp_write_chart(out, c);
}

/* ---- running gnuplot -------------------------------------------------------- */

static char *msgf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = format_va(fmt, ap);
	va_end(ap);
	return s;
}

/* Where the output goes: its directory (gnuplot runs there) and the
 * temporary file we let gnuplot write. */
struct target {
	char *dir;	/* NULL: dumb on stdout */
	char *tmp_name;	/* within dir, plain characters only */
	char *tmp_path;	/* dir/tmp_name, for us */
};

static void target_free(struct target *t)
{
	free(t->dir);
	free(t->tmp_name);
	free(t->tmp_path);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Creates the temporary file (mode 0666 less umask, as the chart itself
 * would get), so that no one else can take the name before gnuplot opens it. */
static int target_open(struct target *t, const char *output, char **message)
{
	static unsigned serial;
	const char *base = strrchr(output, '/');
	int err = EEXIST;

	base = base ? base + 1 : output;
	if (!*base) {
		*message = msgf("%s: not a file name", output);
		return -1;
	}
	t->dir = dir_of(output);
	for (int tries = 0; tries < 100; tries++) {
		int fd;
		free(t->tmp_name);
		free(t->tmp_path);
		t->tmp_name = msgf(".tt-plot-%ld-%u.tmp", (long)getpid(), serial++);
		t->tmp_path = msgf("%s/%s", t->dir, t->tmp_name);
		fd = open(t->tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		err = errno;
		if (err != EEXIST)
			break;
	}
	*message = msgf("cannot create a file in %s: %s", t->dir, strerror(err));
	free(t->tmp_path);
	t->tmp_path = NULL;
	return -1;
}

static int set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);
	return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static int make_pipe(int fd[2])
{
	if (pipe(fd) != 0)
		return -1;
	if (set_cloexec(fd[0]) != 0 || set_cloexec(fd[1]) != 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	return 0;
}

/* What the child tells us when it could not get as far as gnuplot. */
struct child_report {
	int step;	/* 'c' chdir, 'd' descriptors, 'e' exec */
	int err;
};

static void child_fail(int report_fd, int step)
{
	struct child_report r = { step, errno };
	ssize_t n = write(report_fd, &r, sizeof r);
	(void)n;
	_exit(127);
}

/* In the child, between fork and exec: async-signal-safe calls only.
 * The pipe ends are first copied above 2, in case the tool runs with a
 * standard descriptor closed and pipe() handed out 0, 1 or 2. */
static void child_exec(const char *dir, int in_fd, int err_fd, int report_fd,
		       int stdout_to_err)
{
	static char *const argv[] = { "gnuplot", "-d", "/dev/stdin", NULL };

	report_fd = fcntl(report_fd, F_DUPFD_CLOEXEC, 3);
	in_fd = fcntl(in_fd, F_DUPFD_CLOEXEC, 3);
	err_fd = fcntl(err_fd, F_DUPFD_CLOEXEC, 3);
	if (report_fd < 0)
		_exit(127);
	if (in_fd < 0 || err_fd < 0)
		child_fail(report_fd, 'd');
	if (dir && chdir(dir) != 0)
		child_fail(report_fd, 'c');
	if (dup2(in_fd, 0) < 0 || dup2(err_fd, 2) < 0 ||
	    (stdout_to_err && dup2(err_fd, 1) < 0))
		child_fail(report_fd, 'd');
	execvp(argv[0], argv);
	child_fail(report_fd, 'e');
}

/* Sends the script while collecting stderr, so that neither side can block
 * the other on a full pipe.  A gnuplot that stopped early closes its end:
 * we stop writing (SIGPIPE is ignored around this) and keep reading. */
static void exchange(int in_fd, int err_fd, const char *script, size_t len,
		     struct strbuf *err_text)
{
	size_t sent = 0;
	struct pollfd p[2];

	fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
	if (len == 0) {
		close(in_fd);
		in_fd = -1;
	}
	while (in_fd >= 0 || err_fd >= 0) {
		p[0].fd = in_fd;
		p[0].events = POLLOUT;
		p[1].fd = err_fd;
		p[1].events = POLLIN;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (in_fd >= 0 && p[0].revents) {
			ssize_t n = write(in_fd, script + sent, len - sent);
			if (n > 0)
				sent += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
			    sent == len) {
				close(in_fd);
				in_fd = -1;
			}
		}
		if (err_fd >= 0 && p[1].revents) {
			char buf[4096];
			ssize_t n = read(err_fd, buf, sizeof buf);
			if (n > 0 && err_text->len < 65536)
				sb_add(err_text, buf, (size_t)n);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(err_fd);
				err_fd = -1;
			}
		}
	}
	if (in_fd >= 0)
		close(in_fd);
	if (err_fd >= 0)
		close(err_fd);
}

/* gnuplot's messages without the blank lines around them */
static char *trimmed_copy(const struct strbuf *t)
{
	const char *s = t->s ? t->s : "";
	size_t n;

	s += strspn(s, "\r\n");
	n = strlen(s);
	while (n > 0 && strchr("\r\n ", s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Reads the child's report: nothing (EOF) means gnuplot is running. */
static int read_report(int fd, struct child_report *r)
{
	ssize_t n;

	do
		n = read(fd, r, sizeof *r);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof *r;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static char *report_message(const struct child_report *r, const char *dir)
{
	if (r->step == 'c')
		return msgf("cannot enter %s: %s", dir, strerror(r->err));
	if (r->step == 'e' && r->err == ENOENT)
		return msgf("gnuplot is not installed: it comes with the Debian "
			    "package gnuplot-nox (apt-get install gnuplot-nox)");
	return msgf("cannot run gnuplot: %s", strerror(r->err));
}

struct run {
	int status;	/* wait status, or -1 */
	int started;	/* gnuplot was exec'd */
	struct strbuf err;
	char *message;	/* set when it did not start */
	int code;	/* gp_status when it did not start */
};

static void close_all(int *fd, int n)
{
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

/* fd[0], fd[1]: gnuplot's stdin; fd[2], fd[3]: its stderr; fd[4], fd[5]:
 * the child's report.  Every end is close-on-exec; the child dups its own. */
static int make_pipes(int fd[6])
{
	for (int i = 0; i < 6; i++)
		fd[i] = -1;
	for (int i = 0; i < 6; i += 2)
		if (make_pipe(fd + i) != 0) {
			close_all(fd, 6);
			return -1;
		}
	return 0;
}

static void not_started(struct run *run, int code, char *message)
{
	run->code = code;
	run->message = message;
}

/* gnuplot runs in the C.UTF-8 locale whatever ours is: in "C" or "POSIX"
 * its `set encoding utf8` warns ("iconv failed to convert degree sign"),
 * and the same data should give the same chart for every user.  The
 * variable is set around fork (setenv is not safe between fork and exec)
 * and put back at once; tt never calls setlocale, so only gnuplot sees it. */
static pid_t fork_in_utf8_locale(void)
{
	const char *was = getenv("LC_ALL");
	char *saved = was ? xstrdup(was) : NULL;
	pid_t pid;
	int err;

	setenv("LC_ALL", "C.UTF-8", 1);
	pid = fork();
	if (pid == 0)
		return 0;	/* the child goes on to exec at once */
	err = errno;
	if (saved)
		setenv("LC_ALL", saved, 1);
	else
		unsetenv("LC_ALL");
	free(saved);
	errno = err;
	return pid;
}

/* An interrupted run (SIGINT, SIGTERM, SIGHUP) leaves no temporary file
 * and no gnuplot behind; the chart file itself only ever appears whole,
 * by rename.  (SIGKILL cannot be caught: its temporary file stays.) */
static const char *volatile cleanup_path;
static volatile pid_t cleanup_pid;
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction cleanup_old[3];

static void on_cleanup_signal(int sig)
{
	if (cleanup_pid > 0)
		kill(cleanup_pid, SIGTERM);
	if (cleanup_path)
		unlink(cleanup_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cleanup_arm(const char *path)
{
	struct sigaction sa = { 0 };

	cleanup_path = path;
	cleanup_pid = 0;
	sa.sa_handler = on_cleanup_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(cleanup_signals[i], &sa, &cleanup_old[i]);
}

static void cleanup_disarm(void)
{
	for (int i = 0; i < 3; i++)
		sigaction(cleanup_signals[i], &cleanup_old[i], NULL);
	cleanup_path = NULL;
	cleanup_pid = 0;
}

static void run_gnuplot(const char *script, size_t len, const struct target *t,
			struct run *run)
{
	int fd[6];
	struct child_report r;
	struct sigaction ign = { 0 }, old;
	pid_t pid;

	if (make_pipes(fd) != 0) {
		not_started(run, GP_SYSTEM,
			    msgf("cannot make a pipe: %s", strerror(errno)));
		return;
	}
	fflush(stdout);		/* gnuplot may write to the same stdout */
	fflush(stderr);
	pid = fork_in_utf8_locale();
	if (pid < 0) {
		not_started(run, GP_SYSTEM,
			    msgf("cannot start gnuplot: %s", strerror(errno)));
		close_all(fd, 6);
		return;
	}
	if (pid == 0)
		child_exec(t->dir, fd[0], fd[3], fd[5], t->dir != NULL);
	cleanup_pid = pid;
	close(fd[0]);
	close(fd[3]);
	close(fd[5]);
	if (read_report(fd[4], &r)) {
		close(fd[1]);
		close(fd[2]);
		close(fd[4]);
		wait_child(pid);
		not_started(run, r.step == 'e' && r.err == ENOENT ?
			    GP_NO_GNUPLOT : GP_SYSTEM, report_message(&r, t->dir));
		return;
	}
	close(fd[4]);
	run->started = 1;
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	exchange(fd[1], fd[2], script, len, &run->err);
	sigaction(SIGPIPE, &old, NULL);
	run->status = wait_child(pid);
	cleanup_pid = 0;
}

/* ---- after gnuplot: the file it wrote ---------------------------------------- */

static int read_file(const char *path, struct strbuf *t)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(t, buf, n);
	n = (size_t)ferror(f);
	fclose(f);
	if (!t->s)
		sb_add(t, "", 0);
	return n ? -1 : 0;
}

static int write_file(const char *path, const char *s, size_t len)
{
	FILE *f = fopen(path, "wb");
	int bad;

	if (!f)
		return -1;
	bad = fwrite(s, 1, len, f) != len;
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}

/* Rewrites `from` as `to` everywhere, from the text `done` has not copied. */
static void replace_all(struct strbuf *out, const char **p, const char *from,
			const char *to, int *changed)
{
	const char *hit;

	while ((hit = strstr(*p, from)) != NULL) {
		sb_add(out, *p, (size_t)(hit - *p));
		sb_add(out, to, strlen(to));
		*p = hit + strlen(from);
		*changed = 1;
	}
}

/* gnuplot's svg hover groups (`with labels hypertext`) call a script that
 * the file does not hold, and keep their text in an attribute:
 *   <g onmousemove="gnuplot_svg.showHypertext(evt,'TEXT')"
 *    onmouseout="gnuplot_svg.hideHypertext()"><title> </title>
 * becomes <g class="tt-hover"><title>TEXT</title>, which a browser shows on
 * hover with no script, also inlined in an HTML page.  TEXT has < and &
 * escaped by gnuplot and no " (hover_text), so it reads the same as
 * element content.  The plot groups' <title>gnuplot_plot_N</title> and the
 * document's <title>Gnuplot</title> would show as tooltips over every line
 * and everywhere on the chart: they go. */
static void svg_titles(struct strbuf *t, int *changed)
{
	static const char open[] = "<g onmousemove=\"gnuplot_svg.showHypertext(evt,'";
	static const char close[] = "')\" onmouseout=\"gnuplot_svg.hideHypertext()\">"
		"<title> </title>";
	static const char plot[] = "><title>gnuplot_plot_";
	struct strbuf out = { 0 };
	const char *p = t->s;
	int any = 0;

	for (;;) {
		const char *a = strstr(p, open), *b = a ? strstr(a, close) : NULL;
		const char *g = strstr(p, plot), *root = strstr(p, "<title>Gnuplot</title>");
		const char *first = a && b ? a : NULL;

		if (g && (!first || g < first) && (!root || g < root)) {
			const char *end = strstr(g, "</title>");
			if (!end)
				break;
			sb_add(&out, p, (size_t)(g - p) + 1);
			p = end + 8;
		} else if (root && (!first || root < first)) {
			sb_add(&out, p, (size_t)(root - p));
			p = root + 22;
		} else if (first) {
			sb_add(&out, p, (size_t)(a - p));
			sb_puts(&out, "<g class=\"tt-hover\"><title>");
			sb_add(&out, a + sizeof open - 1, (size_t)(b - a) - (sizeof open - 1));
			sb_add(&out, "</title>", 8);
			p = b + sizeof close - 1;
		} else {
			break;
		}
		any = 1;
	}
	if (!any) {
		free(out.s);
		return;
	}
	sb_add(&out, p, strlen(p));
	free(t->s);
	*t = out;
	*changed = 1;
}

/* gnuplot's svg terminal escapes < and & in text but not >, so a label
 * holding "]]>" makes the file ill-formed XML; its output has no CDATA. */
static void fix_svg(struct strbuf *t, int *changed)
{
	struct strbuf out = { 0 };
	const char *p;
	int escaped = 0;

	svg_titles(t, changed);
	p = t->s;
	replace_all(&out, &p, "]]>", "]]&gt;", &escaped);
	if (!escaped) {
		free(out.s);
		return;
	}
	sb_add(&out, p, strlen(p));
	free(t->s);
	*t = out;
	*changed = 1;
}

/* cairo 1.16 stamps the PDF with the time of day and ignores
 * SOURCE_DATE_EPOCH; overwrite the 14 digits in place (same length, so the
 * cross-reference offsets stay right). */
static void fix_pdf(struct strbuf *t, int *changed)
{
	static const char key[] = "/CreationDate (D:";
	const size_t klen = sizeof key - 1;

	for (size_t off = 0; off + klen + 14 <= t->len; off++) {
		char *digits = t->s + off + klen;
		if (memcmp(t->s + off, key, klen) != 0)
			continue;
		if (strspn(digits, "0123456789") < 14)
			return;
		memcpy(digits, "20000101000000", 14);
		*changed = 1;
		return;
	}
}

/* Returns -1 (with *message) when the file is missing, empty or unreadable. */
static int finish_file(const char *tmp, enum gp_terminal term, char **message)
{
	struct strbuf t = { 0 };
	int changed = 0;

	if (read_file(tmp, &t) != 0 || t.len == 0) {
		*message = msgf("gnuplot wrote no chart");
		free(t.s);
		return -1;
	}
	if (term == GP_TERM_SVG)
		fix_svg(&t, &changed);
	else if (term == GP_TERM_PDF)
		fix_pdf(&t, &changed);
	if (changed && write_file(tmp, t.s, t.len) != 0) {
		*message = msgf("cannot write %s: %s", tmp, strerror(errno));
		free(t.s);
		return -1;
	}
	free(t.s);
	return 0;
}

static char *failure_message(const struct run *run)
{
	char *text = trimmed_copy(&run->err);
	char *m;

	if (WIFSIGNALED(run->status))
		m = msgf("gnuplot was killed by signal %d%s%s", WTERMSIG(run->status),
			 *text ? ":\n" : "", text);
	else
		m = msgf("gnuplot failed (exit status %d)%s%s",
			 WIFEXITED(run->status) ? WEXITSTATUS(run->status) : -1,
			 *text ? ":\n" : "", text);
	free(text);
	return m;
}

static int succeeded(const struct run *run)
{
	return run->status >= 0 && WIFEXITED(run->status) &&
	       WEXITSTATUS(run->status) == 0;
}

static void set_message(char **message, char *m)
{
	if (message)
		*message = m;
	else
		free(m);
}

int gnuplot_run(const char *chart_script, const struct gp_page *page,
		char **message)
{
	struct target t = { 0 };
	struct gp_page tmp_page = *page;
	struct run run = { .status = -1 };
	struct strbuf script = { 0 };
	char *m = NULL;
	FILE *f;
	int code = GP_OK;

	if (message)
		*message = NULL;
	if (page->output) {
		if (target_open(&t, page->output, &m) != 0) {
			set_message(message, m);
			target_free(&t);
			return GP_SYSTEM;
		}
		tmp_page.output = t.tmp_name;
	} else {
		tmp_page.output = NULL;
		tmp_page.term = GP_TERM_DUMB;
	}

	/* the header names our temporary file; the line count matches the
	 * --script output, so gnuplot's line numbers point into it */
	{
		char *buf = NULL;
		size_t len = 0;
		f = open_memstream(&buf, &len);
		if (!f) {
			set_message(message, msgf("out of memory"));
			if (t.tmp_path)
				unlink(t.tmp_path);
			target_free(&t);
			return GP_SYSTEM;
		}
		gp_write_header(f, &tmp_page);
		fputs(chart_script, f);
		fclose(f);
		script.s = buf;
		script.len = len;
	}

	cleanup_arm(t.tmp_path);
	run_gnuplot(script.s, script.len, &t, &run);
	free(script.s);

	if (!run.started) {
		code = run.code;
		m = run.message;
	} else if (!succeeded(&run)) {
		code = GP_FAILED;
		m = failure_message(&run);
	} else if (t.tmp_path && finish_file(t.tmp_path, page->term, &m) != 0) {
		code = GP_FAILED;
	} else if (t.tmp_path && rename(t.tmp_path, page->output) != 0) {
		code = GP_SYSTEM;
		m = msgf("cannot rename %s to %s: %s", t.tmp_path, page->output,
			 strerror(errno));
	} else {
		m = trimmed_copy(&run.err);	/* warnings, if any */
		if (!*m) {
			free(m);
			m = NULL;
		}
	}
	if (code != GP_OK && t.tmp_path)
		unlink(t.tmp_path);
	cleanup_disarm();
	free(run.err.s);
	target_free(&t);
	set_message(message, m);
	return code;
}
