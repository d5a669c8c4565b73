/* Reading a tt table into a chart (struct gp_chart, gnuplot.h): one reader
 * per kind of tt-plot, from the header read to the chart filled in.  A
 * reader names the bad cell and exits (die_at, as every tool), and warns of
 * what it leaves out; its chart points into memory kept until
 * gp_free_kept. */
#ifndef TT_GNUPLOT_INPUT_H
#define TT_GNUPLOT_INPUT_H
#include <stddef.h>

#include "csvread.h"
#include "joined.h"
#include "gnuplot.h"
#include "group.h"

/* a line chart's legend stays readable; small multiples stay a page */
enum { GP_MAX_SERIES = 12, GP_MAX_PANELS = 64 };

/* forest --sort */
enum gp_sort { GP_SORT_ESTIMATE, GP_SORT_LABEL, GP_SORT_N, GP_SORT_INPUT };

struct gp_input {
	/* the table, its header read */
	struct csv_reader *r;
	const struct csv_header *h;
	const char *file;
	/* the options (tt-plot(1)); time, value and date are always set */
	const char *time, *value;	/* -t, -v */
	const char *group_spec;		/* -g, NULL: the default groups */
	int all;			/* --all */
	const char *term;		/* --term, NULL: the kind's default */
	const char *event_year, *facet;	/* line: --event-year, --facet, or NULL */
	int log_y;			/* line: --log */
	int band_uniform;		/* event: --band uniform */
	int fit_model;			/* prepost: -1 by the data, 0 linear, 1 poisson */
	struct event_window window;	/* prepost: --pre, --post, --drop-event */
	enum gp_sort sort;		/* forest */
	const char *date, *key;		/* step: --date; --key (NULL: iso3 if present) */
	/* the group columns and the groups, set by the reader */
	int *gcols;
	size_t ng;
	struct group_table *groups;
};

/* Each reads the rest of in->r into c (gp_chart_init first). */
void gp_read_line(struct gp_input *in, struct gp_chart *c);
void gp_read_prepost(struct gp_input *in, struct gp_chart *c);
void gp_read_event(struct gp_input *in, struct gp_chart *c);
void gp_read_forest(struct gp_input *in, struct gp_chart *c);
void gp_read_bar(struct gp_input *in, struct gp_chart *c);
void gp_read_step(struct gp_input *in, struct gp_chart *c);
void gp_read_synth(struct gp_input *in, struct gp_chart *c);

/* Keeps p (malloc'd, or NULL) until gp_free_kept, and returns it: what a
 * chart points to lives until the end of the run. */
void *gp_keep(void *p);
void gp_free_kept(void);

#endif
