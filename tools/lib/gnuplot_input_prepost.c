/* Reading a table into a chart: prepost, one group's series with its
 * event and the segmented fit of tt-prepost (linear, or Poisson for a
 * count) and the counterfactual. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "diag.h"
#include "glm.h"
#include "gnuplot.h"
#include "gnuplot_input.h"
#include "gnuplot_int.h"
#include "group.h"
#include "joined.h"
#include "number.h"
#include "regress.h"
#include "strlist.h"

/* A fitted value to 12 significant digits: far below what a chart can
 * show, and the script no longer carries the last bits of rounding noise
 * (37.500000000000185), which may differ between machines. */
static double drawn(double y)
{
	return gpc_rounded(y, 12);
}

/* A curve of the linear predictor b0 + b1 r (+ b2 + b3 r after) over
 * rel_year lo..hi, exp'd on the Poisson scale: 2 points for a line, 24
 * for a curve. */
static void fit_curve(struct gp_series *s, const double b[4], int post, double lo,
		      double hi, double event_x, int poisson)
{
	size_t n = poisson && hi > lo ? 24 : 2;
	double *x = gp_keep(xmalloc(n * sizeof *x)), *y = gp_keep(xmalloc(n * sizeof *y));

	for (size_t i = 0; i < n; i++) {
		double r = i + 1 == n ? hi : lo + (hi - lo) * (double)i / (double)(n - 1);
		double eta = b[0] + b[1] * r + (post ? b[2] + b[3] * r : 0);
		x[i] = drawn(event_x + r);
		y[i] = drawn(poisson ? exp(eta) : eta);
	}
	s->x = x;
	s->y = y;
	s->n = n;
}

/* The segmented regression y = b0 + b1 r + b2 D + b3 D r of tt-prepost,
 * fitted by the same code on the same rows in the same order (regress.h
 * its_obs_fit), or its Poisson form for a count (glm.h poisson_its); only
 * the coefficients are drawn, so the lag and level do not matter.  The
 * curves span the observed pre and post rel_years; the pre-event one
 * carried on over the post years is the counterfactual. */
static void fit_segments(struct its_obs *o, size_t n, double event_x, struct gp_chart *c,
			 const char *who, int poisson)
{
	double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY }, b[ITS_TERMS];
	size_t count[2] = { 0, 0 };
	struct its_fit fit;
	int rc;

	its_obs_sort(o, n);
	for (size_t i = 0; i < n; i++) {
		int side = o[i].post == 1;
		lo[side] = fmin(lo[side], o[i].rel);
		hi[side] = fmax(hi[side], o[i].rel);
		count[side]++;
	}
	rc = its_obs_fit(o, n, 0, 0.95, &fit);
	if (rc != REGRESS_OK && rc != REGRESS_CONSTANT_Y && rc != REGRESS_NO_DF) {
		if (rc == REGRESS_TOO_FEW)
			warn("%s: %zu pre and %zu post observations: no segmented fit "
			     "(it needs 3 on each side)", who, count[0], count[1]);
		else
			warn("%s: no segmented fit: %s", who, regress_status_str(rc));
		return;
	}
	for (int k = 0; k < ITS_TERMS; k++)     /* b0 .. b3: ITS_INTERCEPT .. ITS_SLOPE */
		b[k] = fit.b[k].estimate;
	if (poisson) {
		double pb[ITS_TERMS];
		int prc = poisson_its(o, n, pb);

		if (prc != GLM_OK) {
			warn("%s: no Poisson fit (%s): the linear fit is drawn", who,
			     glm_status_str(prc));
			poisson = 0;
		} else {
			for (int k = 0; k < ITS_TERMS; k++)
				b[k] = isnan(pb[k]) ? 0 : pb[k];    /* aliased: left out */
		}
	}
	if (!poisson) {
		c->fit_pre = (struct gp_segment){
			event_x + lo[0], drawn(b[0] + b[1] * lo[0]),
			event_x + hi[0], drawn(b[0] + b[1] * hi[0]) };
		c->fit_post = (struct gp_segment){
			event_x + lo[1], drawn(b[0] + b[2] + (b[1] + b[3]) * lo[1]),
			event_x + hi[1], drawn(b[0] + b[2] + (b[1] + b[3]) * hi[1]) };
	} else {
		fit_curve(&c->curve_pre, b, 0, lo[0], hi[0], event_x, 1);
		fit_curve(&c->curve_post, b, 1, lo[1], hi[1], event_x, 1);
		c->fit_label = "segmented fit (Poisson)";
	}
	/* from the last pre year on, so the dashed line leaves the fit */
	fit_curve(&c->counterfactual, b, 0, hi[0], hi[1], event_x, poisson);
}

/* a count: every value a whole number >= 0 */
static int all_counts(const struct its_obs *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (o[i].y < 0 || o[i].y != floor(o[i].y))
			return 0;
	return n > 0;
}

void gp_read_prepost(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, in->time, "time column");
	int vcol = col_require(h, in->file, in->value, "value column");
	struct event_cols ec = event_cols_find(h, in->file, in->time);
	struct points pts = { 0 };
	struct its_obs *o = NULL;
	struct gp_series *series = gp_keep(xcalloc(1, sizeof *series));
	double event_x = NAN;
	long event_line = 0;
	size_t n = 0, cap = 0;
	struct csv_row *row;

	gpi_find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		double t, y, rel, post;
		int missing;

		group_of(in->groups, row);
		missing = cell_number(h, row, vcol, &y);
		if (missing && is_missing(row->f[tcol], row->len[tcol]))
			continue;
		t = gpi_time_of(in, row, tcol);
		if (event_of_row(h, row, &ec, &rel, &post)) {
			gpi_points_add(&pts, t, missing ? NAN : y);
			continue;
		}
		if (event_line && t - rel != event_x)
			die_at(row->file, row->line, 0, "the event falls in %g here but in %g "
			       "on line %ld: a prepost chart draws one event", t - rel, event_x,
			       event_line);
		if (!event_line) {
			event_x = t - rel;
			event_line = row->line;
		}
		/* the rows tt-prepost compares, with the same --pre, --post and
		 * --drop-event: the chart shows the fit that tool reports */
		if (!event_window_keeps(&in->window, rel))
			continue;
		gpi_points_add(&pts, t, missing ? NAN : y);
		if (missing)
			continue;
		if (its_obs_add(&o, &n, &cap, rel, post, y))
			die_at(row->file, row->line, 0, ITS_OBS_FULL);
	}
	gpi_require_one_group(in, "prepost");
	if (group_count(in->groups) == 1) {
		series->name = gpi_group_labels(in->groups)[0];
		gpi_points_to_series(&pts, series, gpi_group_name(in->groups, 0), h->name[tcol]);
		free(pts.p);
		gpi_break_gaps(series);
	} else {
		free(pts.p);
	}
	if (event_line) {
		char *label = gp_keep(xmalloc(48)), b[32];
		snprintf(label, 48, "event %s", gpc_num(b, event_x));
		c->event_x = event_x;
		c->event_label = label;
		c->count = all_counts(o, n);
		fit_segments(o, n, event_x, c, gpi_group_name(in->groups, 0),
			     in->fit_model < 0 ? c->count : in->fit_model);
	} else if (group_count(in->groups) == 1) {
		warn("%s: no row has an event (rel_year or event_year): no event line, no fit",
		     gpi_group_name(in->groups, 0));
	}
	free(o);
	c->series = series;
	c->nseries = group_count(in->groups) == 1;
	c->xlabel = h->name[tcol];
	c->ylabel = h->name[vcol];
}
