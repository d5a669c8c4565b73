/* Charts through gnuplot: one quoting helper for every string that reaches
 * gnuplot, complete scripts with the data inline, and running gnuplot from a
 * constant command line with no shell.
 *
 * Script generation is separate from running it, so `tt-plot --script`
 * prints exactly what would run.  A script is a header (terminal, output
 * file) followed by a chart (style, data blocks, plot command):
 *
 *	struct gp_page page = { GP_TERM_SVG, 800, 500, "out.svg" };
 *	gp_write_header(stdout, &page);		// --script
 *	err = gp_write_chart(stdout, &chart);
 *
 *	err = gp_write_chart(memstream, &chart);	// run it
 *	status = gnuplot_run(text, &page, &message);
 *
 * Nothing here prints or exits, but gp_draw, a tool's run of gnuplot;
 * errors come back as text for the tool. */
#ifndef TT_GNUPLOT_H
#define TT_GNUPLOT_H
#include <stddef.h>
#include <stdio.h>

/* ---- quoting ------------------------------------------------------------ */

/* Returns a malloc'd gnuplot string expression that evaluates to `text`
 * (NULL reads as ""), with every byte below 0x20 and DEL replaced by a space
 * (a newline would end the command even inside quotes).  The result is made
 * of single-quoted pieces, which gnuplot never subjects to backquote command
 * substitution or @macro expansion, and in which backslashes are ordinary
 * characters.  An inner ' is written doubled ('d''Ivoire'), except where
 * gnuplot 5.4's scanner cannot read a doubled quote (a ' at the start of the
 * text or right after another '): there the piece is closed and a ' is
 * concatenated as "\047" ('a'''."\047".'b' for a''b).  A \U+ is split
 * after its backslash ('\'.'U+'), as gnuplot 6 documents \U+XXXX escapes in
 * single quotes.  Every place the chart code puts one (set title, xlabel,
 * ylabel, label, output; plot ... title; tic lists) takes a string
 * expression.  Enhanced-text markup (^ _ @ & ~ { }) is left alone: every
 * terminal is set `noenhanced`, so it shows as written. */
char *gp_quote(const char *text);
void gp_put_quoted(FILE *out, const char *text);

/* A file name for `set output`: a relative name that does not start with a
 * plain character gets "./" in front, so that gnuplot never sees a name
 * starting with '|' (it would open a pipe to a shell command), '<' or '~'. */
char *gp_quote_path(const char *path);

/* A malloc'd copy of s[0..len) with every byte that is not valid UTF-8
 * replaced by U+FFFD, so that gnuplot's SVG stays well-formed XML: text
 * from the data and the options passes here before it is quoted. */
char *gp_clean_text(const char *s, size_t len);

/* ---- inline data blocks ------------------------------------------------- */

/* gnuplot ends a data block at the first line that *starts with* the end
 * marker (5.4 compares the first strlen(marker) bytes).  Returns a malloc'd
 * marker "EOD", "EOD1", "EOD2", ... that no line starts with, also after
 * leading blanks (in case a later gnuplot lets the marker be indented). */
char *gp_end_marker(const char *const *lines, size_t n);

/* Writes `$name << MARKER`, the lines (control bytes replaced by spaces),
 * and the marker.  `name` must be a plain identifier chosen by the caller. */
void gp_put_datablock(FILE *out, const char *name,
		      const char *const *lines, size_t n);

/* ---- output pages -------------------------------------------------------- */

enum gp_terminal { GP_TERM_DUMB, GP_TERM_PNG, GP_TERM_SVG, GP_TERM_PDF };

enum { GP_DEFAULT_WIDTH = 800, GP_DEFAULT_HEIGHT = 500, GP_MAX_SIDE = 20000 };

struct gp_page {
	enum gp_terminal term;
	int width, height;	/* pixels; 0 = default.  pdf: 96 px per inch;
				 * dumb: 10 px per column, 20 px per row */
	const char *output;	/* file name; NULL: dumb on stdout */
	/* 0 = default.  font_scale multiplies the font (10 pt) and the line
	 * widths; dpi (default 96) is the resolution the pixel size was
	 * computed at: png and svg scale their text and lines by dpi/96, so
	 * that a 2400x1500 chart at 254 dpi reads as an 800x500 one at 96;
	 * pdf takes its size in inches as pixels / dpi */
	double font_scale, dpi;
};

/* .png pngcairo, .svg svg, .pdf pdfcairo (extension case-insensitive);
 * returns -1 for anything else */
int gp_terminal_for_path(const char *path, enum gp_terminal *term);

/* "WxH" (also "W,H"), each 1..GP_MAX_SIDE; returns -1 when malformed */
int gp_parse_size(const char *text, int *width, int *height);

/* "WxH" with a unit on each side or none: px (default), cm, mm or in,
 * converted to pixels at `dpi` (e.g. "24cm,15cm" at 254 dpi: 2400x1500);
 * each side 1..GP_MAX_SIDE pixels; returns -1 when malformed */
int gp_parse_page_size(const char *text, double dpi, int *width, int *height);

/* `set encoding`, `set terminal`, and `set output` naming page->output */
void gp_write_header(FILE *out, const struct gp_page *page);

/* ---- charts -------------------------------------------------------------- */

enum gp_kind { GP_LINE, GP_PREPOST, GP_EVENT, GP_FOREST, GP_BAR, GP_STEP,
	       GP_SYNTH };

/* One line on a chart.  Points with a non-finite x or y leave a gap. */
struct gp_series {
	const char *name;	/* legend text; NULL or "" for none */
	const double *x, *y;
	size_t n;
};

/* One row of an estimates table (tt-trend, tt-prepost, tt-event). */
struct gp_estimate {
	const char *label;	/* forest and bar: the group / category */
	double rel_year;	/* event: x position */
	double estimate, conf_low, conf_high;	/* NaN where missing */
};

struct gp_segment { double x0, y0, x1, y1; };	/* any NaN: not drawn */


struct gp_chart {
	enum gp_kind kind;
	const char *title, *xlabel, *ylabel;	/* NULL or "" for none */
	/* line, step: every series; prepost: series[0] */
	const struct gp_series *series;
	size_t nseries;
	/* line: a shaded band behind series i from band_lo[i][j] to
	 * band_hi[i][j] at its x[j], e.g. a confidence interval (NULL arrays
	 * or entries: none; a non-finite bound leaves a gap) */
	const double *const *band_lo, *const *band_hi;
	/* event, forest, bar */
	const struct gp_estimate *rows;
	size_t nrows;
	/* prepost, event: dashed vertical line (NaN: none), with an optional
	 * text at its top */
	double event_x;
	const char *event_label;
	/* prepost: fitted pre- and post-event segments */
	struct gp_segment fit_pre, fit_post;
	/* event: legend text of the shaded band (NULL: "confidence interval") */
	const char *band_label;
	/* forest: the estimate axis (NaN: fitted to the data, with 0); intervals
	 * reaching past it are cut at the frame */
	double range_lo, range_hi;

	/* ---- additions: all zero / NULL / NaN by gp_chart_init ---- */
	/* svg only: every data point carries a hover text ("label, x: y"),
	 * drawn `with labels hypertext` and turned into <title> elements by
	 * gnuplot_run (gnuplot_output.c: fix_svg) */
	int hover;
	/* line: the y axis logarithmic (values <= 0 must be NaN already) */
	int log_y;
	/* line: dashed grey vertical lines at these x, labelled with the x;
	 * series_event[i] (NULL: none; NaN: none): a dotted vertical line in
	 * series i's colour */
	const double *event_years;
	size_t nevent_years;
	const double *series_event;
	/* line: small multiples, one panel per name (npanels > 0): series i
	 * goes into panel[i]; the panels share the x range, each has its own
	 * y range and title */
	const size_t *panel;
	const char *const *panel_names;
	size_t npanels;
	/* prepost: the fitted curves (n > 0 replaces fit_pre and fit_post),
	 * and the pre-period fit carried past the event as a dashed line (the
	 * counterfactual); count: the y axis starts at 0 */
	struct gp_series curve_pre, curve_post, counterfactual;
	const char *fit_label;	/* NULL: "segmented fit" */
	int count;
	/* forest: n per row (NULL: none); the pooled row (NULL: none), drawn
	 * as a diamond under the others; sort: 0 by estimate (largest on
	 * top), 1 as given (first on top) */
	const double *row_n;
	const struct gp_estimate *pooled;
	double pooled_n;
	int keep_order;
	/* event: rows with rel_year < 0 (pre) and >= 0 (post) drawn in two
	 * colours; rows with an estimate but no interval as points apart */
};

/* Sets kind, clears the rest; event_x and the segments become NaN, except
 * that an event chart's line sits at rel_year -0.5 (between the reference
 * period -1 and the first treated period 0). */
void gp_chart_init(struct gp_chart *chart, enum gp_kind kind);

/* Writes the style, the data blocks, the plot command and `unset output`.
 * line: one line per series, legend by series name; prepost: series[0],
 * event line, fitted segments; event: estimate over rel_year with a shaded
 * band conf_low..conf_high and a zero line, rows sorted by rel_year; forest:
 * one row per group, sorted by estimate (largest at the top), point with
 * horizontal error bar, zero line, labels as y tics; bar: one bar per row
 * (label, estimate), with error bars where both limits are given; step:
 * cumulative counts `with steps`, one line per series; synth: two panels
 * (multiplot) sharing the x axis: on top series[0], the treated unit, and
 * series[1], its synthetic control (dashed), with the event line; below,
 * the treated unit's gap series[2] in front of every placebo's gap
 * series[3..] in light grey (their names are not shown: one legend entry
 * says "placebos"), around a zero line; the title heads the whole figure,
 * the x label the lower panel, the y label the upper one.
 * Rows or points that cannot be placed (non-finite) are left out, and so is
 * a series with no point left.  Returns NULL, or a static message when there
 * is nothing to plot (what was written is then not a chart: do not run it). */
const char *gp_write_chart(FILE *out, const struct gp_chart *chart);

/* header + chart */
const char *gp_write_script(FILE *out, const struct gp_chart *chart,
			    const struct gp_page *page);

/* ---- running gnuplot ----------------------------------------------------- */

enum gp_status {
	GP_OK = 0,
	GP_NO_GNUPLOT,	/* the gnuplot binary is not installed */
	GP_FAILED,	/* gnuplot reported an error or wrote nothing */
	GP_SYSTEM	/* creating, writing or renaming a file; fork; pipe */
};

/* Runs `gnuplot -d /dev/stdin` (no shell; -d skips ~/.gnuplot; reading a
 * file, gnuplot stops at the first error) and feeds it the header for `page`
 * plus `chart_script` through a pipe, collecting its standard error.
 * With page->output, gnuplot runs in the output's directory writing a
 * temporary file whose name we choose (".tt-plot-PID-N.tmp"), which is
 * renamed over page->output only when gnuplot succeeded, and removed
 * otherwise; an SVG has "]]>" escaped (gnuplot leaves it, which is not
 * well-formed XML) and a PDF's creation date fixed, so the same data give
 * the same bytes.  A GP_TERM_DUMB page with an output file gets its text
 * chart there in the same way (so a caller can check writing it); with no
 * output, gnuplot draws a dumb chart on our standard output.  gnuplot's
 * error text names
 * "/dev/stdin" line N: line N of what gp_write_script writes for the same
 * page.  Returns a gp_status; *message (may be NULL) receives a malloc'd
 * text: the error, or on GP_OK gnuplot's warnings if it printed any. */
int gnuplot_run(const char *chart_script, const struct gp_page *page,
		char **message);

/* A tool's run (tt-plot): gnuplot_run, and a failure ends the run (exit
 * status 1) with gnuplot's message, its warnings are passed on as
 * "gnuplot: ...".  With no page->output, gnuplot writes the text chart into
 * a private directory under $TMPDIR (or /tmp) and it is copied to standard
 * output through csvwrite.h's out_raw, so that a write error there is
 * reported as for every tool's output.  What it allocates is kept until
 * gp_free_kept (gnuplot_input.h). */
void gp_draw(const struct gp_page *page, const char *chart_script);

#endif
