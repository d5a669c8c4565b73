/* Inside the gnuplot layer: what gnuplot.c (data lines) and gnuplot_parts.c
 * give the chart files (gnuplot_line.c, gnuplot_estimates.c,
 * gnuplot_chart.c), and what gnuplot_input.c gives the readers of each kind
 * (gnuplot_input_*.c).  Not for the tools: they use gnuplot.h and
 * gnuplot_input.h. */
#ifndef TT_GNUPLOT_INT_H
#define TT_GNUPLOT_INT_H
#include <stddef.h>
#include <stdio.h>

#include "csvread.h"
#include "estimates.h"
#include "gnuplot.h"
#include "gnuplot_input.h"
#include "group.h"
#include "strlist.h"

/* the house palette's size (gnuplot_chart.c); linetype k % NCOLOURS + 1 */
enum { NCOLOURS = 8 };

/* A list of data lines that the chart builders fill, then write as one
 * data block (gp_put_datablock) and free. */
struct lines {
	char **v;
	size_t n, cap;
};

void gpc_lines_printf(struct lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gpc_lines_free(struct lines *l);
void gpc_lines_put(FILE *out, const char *name, struct lines *l);

/* v as the tables write it (format_number: the shortest text that reads
 * back as v), in buf; "NaN" for NaN */
const char *gpc_num(char buf[32], double v);
/* v to `digits` significant digits (format_number's -p form), for text a
 * reader sees: hover texts, tic labels */
const char *gpc_digits(char buf[32], double v, int digits);
/* v rounded to `digits` significant digits: gpc_digits read back */
double gpc_rounded(double v, int digits);

/* " title '...'" or " notitle"; " lt K dt D" of the k-th series */
void gpc_put_title(FILE *out, const char *name);
void gpc_put_linestyle(FILE *out, size_t k);
/* the dashed event line at c->event_x with its label */
void gpc_write_event_line(FILE *out, const struct gp_chart *c);

/* hover texts (svg): a data field with no ", a point "x y \"text\"",
 * "label, x: y" for each point of a series, and the plot clause */
char *gpc_hover_text(char *s);
void gpc_hover_point(struct lines *l, double x, double y, const char *text);
size_t gpc_hover_series(struct lines *l, const struct gp_series *s);
void gpc_put_hover_clause(FILE *out, const char *block, const char *style);

/* "x y" per point, a blank line per gap; "x lo hi" of a band */
size_t gpc_series_lines(struct lines *l, const double *x, const double *y, size_t n);
size_t gpc_band_lines(struct lines *l, const struct gp_series *s, const double *lo,
		      const double *hi);
/* x range and offsets fitted to the chart's points */
void gpc_write_margins(FILE *out, const struct gp_chart *c);

/* each kind's part of the script; NULL or a static message */
const char *gpc_write_line(FILE *out, const struct gp_chart *c);
const char *gpc_write_step(FILE *out, const struct gp_chart *c);
const char *gpc_write_prepost(FILE *out, const struct gp_chart *c);
const char *gpc_write_synth(FILE *out, const struct gp_chart *c);
const char *gpc_write_event(FILE *out, const struct gp_chart *c);
const char *gpc_write_forest(FILE *out, const struct gp_chart *c);
const char *gpc_write_bar(FILE *out, const struct gp_chart *c);

/* The runner's chart file before its rename (gnuplot_output.c): an SVG's
 * hover titles and "]]>" fixed, a PDF's creation date.  Returns -1 (with a
 * malloc'd *message) when the file is missing, empty or unreadable, or
 * cannot be written back. */
int gpr_finish_file(const char *tmp, enum gp_terminal term, char **message);

/* ---- the readers (gnuplot_input*.c) share gnuplot_input.c's helpers ---- */

/* gp_clean_text, kept */
char *gpi_clean_text(const char *s, size_t len);
/* the cell is exactly s */
int gpi_field_is(const struct csv_row *row, int col, const char *s);

/* -g or --all; else an estimates table's leading columns; else, when a
 * fallback column is named (step: instrument), that column if the table has
 * it and none otherwise; else those of iso3,indicator present. */
void gpi_find_groups(struct gp_input *in, const char *fallback);
/* The legend or tic text of each group: the values of the group columns
 * that differ between the groups, joined by ", " (all of them when there is
 * only one group); NULL for every group when there are no group columns.
 * _but leaves out group column number `skip` (-1: none). */
const char **gpi_group_labels(struct group_table *g);
const char **gpi_group_labels_but(struct group_table *g, int skip);
/* a group in messages */
const char *gpi_group_name(struct group_table *g, size_t i);
/* prepost, event and synth draw one group: else exits, naming them */
void gpi_require_one_group(const struct gp_input *in, const char *kind);
/* the row's time; exits when it is missing */
double gpi_time_of(const struct gp_input *in, const struct csv_row *row, int tcol);

/* the points of a series, in the order read */
struct point {
	double x, y;
	size_t order;
	double lo, hi;          /* line of an estimates table: its interval */
};

struct points {
	struct point *p;
	size_t n, cap;
};

void gpi_points_add(struct points *s, double x, double y);
/* Sorted by x into the series' arrays; warns (once) when an x repeats. */
void gpi_points_to_series(struct points *s, struct gp_series *out, const char *who,
			  const char *xname);
/* the intervals of sorted points (gpi_points_to_series first) */
void gpi_points_band(const struct points *s, const double **lo, const double **hi);
/* a missing point where the times leave a gap (more than 1.5 steps) */
void gpi_break_gaps(struct gp_series *s);

/* The rows of one term of an estimates table (estimates.h: estimates_terms,
 * estimates_term_matches) with tt-plot's --term and messages.  The term:
 * --term, else dflt (NULL: the first term seen). */
void gpi_term_rows_init(struct estimates_terms *t, const struct gp_input *in,
			const char *dflt);
/* after the rows: the term exists; a term taken by default is noted */
void gpi_check_term(const struct gp_input *in, struct estimates_terms *t,
		    size_t matched, const char *kind);
/* keeps the term past the list of terms seen */
void gpi_term_rows_done(struct estimates_terms *t, const struct gp_input *in);
/* one note naming the rows with no estimate (or value, `what`) */
void gpi_note_left_out(const struct gp_estimate *e, size_t n, const char *what);

#endif
