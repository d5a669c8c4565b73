/* Inside the gnuplot layer: what gnuplot.c gives the chart files
 * (gnuplot_line.c, gnuplot_estimates.c, gnuplot_chart.c) and the runner
 * (gnuplot_run.c).  Not for the tools: they use gnuplot.h. */
#ifndef TT_GNUPLOT_INT_H
#define TT_GNUPLOT_INT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "gnuplot.h"

/* the house palette's size (gnuplot_chart.c); linetype k % NCOLOURS + 1 */
enum { NCOLOURS = 8 };

/* a malloc'd string from a printf format */
char *gpc_format_va(const char *fmt, va_list ap);

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

/* shortest "%.Ng" that reads back as v, in buf */
const char *gpc_num(char buf[32], double v);

/* " title '...'" or " notitle"; " lt K dt D" of the k-th series */
void gpc_put_title(FILE *out, const char *name);
void gpc_put_linestyle(FILE *out, size_t k);
/* the dashed event line at c->event_x with its label */
void gpc_write_event_line(FILE *out, const struct gp_chart *c);

/* hover texts (svg): a data field with no ", a point "x y \"text\"",
 * "label, x: y" for each point of a series, and the plot clause */
char *gpc_hover_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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

#endif
