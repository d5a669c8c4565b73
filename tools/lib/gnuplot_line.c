/* Charts of series through gnuplot: line (also in small multiples), step,
 * prepost and synth.  Helpers shared by the chart files: gnuplot_int.h. */
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
#include "gnuplot_int.h"
#include "strbuf.h"


/* line: the event years (grey, labelled at the top) and each series' own
 * event (dotted, in the series' colour) */
static void write_line_events(FILE *out, const struct gp_chart *c, const int *has)
{
	char b[32];
	size_t k = 0;

	for (size_t j = 0; j < c->nevent_years; j++) {
		if (!isfinite(c->event_years[j]))
			continue;
		gpc_num(b, c->event_years[j]);
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
				"nohead dt 3 lw 1.5 lt %zu front\n", gpc_num(b, c->series_event[i]),
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

		has[i] = gpc_series_lines(&l, s->x, s->y, s->n) > 0;
		nplotted += (size_t)has[i];
		snprintf(name, sizeof name, "tt_s%zu", i);
		gpc_lines_put(out, name, &l);
		if (has[i] && c->band_lo && c->band_hi && c->band_lo[i] && c->band_hi[i] &&
		    gpc_band_lines(&l, s, c->band_lo[i], c->band_hi[i]) > 0) {
			has[i] = 2;
			snprintf(name, sizeof name, "tt_b%zu", i);
			gpc_lines_put(out, name, &l);
		}
		if (has[i] && hover) {
			gpc_hover_series(&l, s);
			snprintf(name, sizeof name, "tt_h%zu", i);
			gpc_lines_put(out, name, &l);
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
		gpc_put_linestyle(out, k);
		gpc_put_title(out, c->series[i].name);
		if (hover) {
			char block[40], style[40];
			snprintf(block, sizeof block, "tt_h%zu", i);
			snprintf(style, sizeof style, "lt %zu", k % NCOLOURS + 1);
			gpc_put_hover_clause(out, block, style);
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
		gpc_write_margins(out, &one);
		/* the room the offsets give a chart of its own */
		fprintf(out, "set xrange [%s:%s]\n",
			gpc_num(a, lo == hi ? lo - 1 : lo - 0.03 * (hi - lo)),
			gpc_num(b, lo == hi ? hi + 1 : hi + 0.03 * (hi - lo)));
		fprintf(out, "set xtics %s\n", gpc_num(a, step));
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
		gpc_write_margins(out, c);
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

const char *gpc_write_line(FILE *out, const struct gp_chart *c)
{
	return write_series_plot(out, c, "linespoints");
}

const char *gpc_write_step(FILE *out, const struct gp_chart *c)
{
	return write_series_plot(out, c, "steps");
}

static int segment_lines(struct lines *l, const struct gp_segment *g)
{
	char a[32], b[32];

	if (!isfinite(g->x0) || !isfinite(g->y0) ||
	    !isfinite(g->x1) || !isfinite(g->y1))
		return 0;
	gpc_lines_printf(l, "%s %s", gpc_num(a, g->x0), gpc_num(b, g->y0));
	gpc_lines_printf(l, "%s %s", gpc_num(a, g->x1), gpc_num(b, g->y1));
	return 1;
}

/* A fitted curve's block; a two-point segment when there is no curve. */
static int fit_lines(struct lines *l, const struct gp_series *curve,
		     const struct gp_segment *g)
{
	if (curve->n > 0)
		return gpc_series_lines(l, curve->x, curve->y, curve->n) > 0;
	return segment_lines(l, g);
}

const char *gpc_write_prepost(FILE *out, const struct gp_chart *c)
{
	const struct gp_series *s = c->nseries ? &c->series[0] : NULL;
	const char *fit = c->fit_label ? c->fit_label : "segmented fit";
	struct lines l = { 0 };
	int pre, post, cf, hover = 0;

	if (!s || gpc_series_lines(&l, s->x, s->y, s->n) == 0) {
		gpc_lines_free(&l);
		return "nothing to plot: the series has no point with finite x and y";
	}
	gpc_lines_put(out, "tt_s0", &l);
	pre = fit_lines(&l, &c->curve_pre, &c->fit_pre);
	gpc_lines_put(out, "tt_pre", &l);
	post = fit_lines(&l, &c->curve_post, &c->fit_post);
	gpc_lines_put(out, "tt_post", &l);
	cf = c->counterfactual.n > 0 &&
	     gpc_series_lines(&l, c->counterfactual.x, c->counterfactual.y, c->counterfactual.n) > 0;
	if (cf)
		gpc_lines_put(out, "tt_cf", &l);
	if (c->hover) {
		hover = gpc_hover_series(&l, s) > 0;
		gpc_lines_put(out, "tt_h0", &l);
	}
	gpc_write_event_line(out, c);
	gpc_write_margins(out, c);
	if (c->count)
		fputs("set yrange [0:*]\n", out);

	fputs("plot $tt_s0 using 1:2 with linespoints lt 1", out);
	gpc_put_title(out, s->name);
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
		gpc_put_hover_clause(out, "tt_h0", "lt 1");
	fputs("\n", out);
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
			gpc_lines_printf(l, "%s", "");
		gpc_series_lines(l, s->x, s->y, s->n);
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
	gpc_write_event_line(out, &line);
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
			gpc_num(b, c->event_x));
	else
		fprintf(out, " at first %s, graph 1 left offset character 0.5,-1 front\n",
			gpc_num(b, c->event_x));
}

const char *gpc_write_synth(FILE *out, const struct gp_chart *c)
{
	struct gp_chart panel = *c;
	struct lines l = { 0 };
	size_t nplacebo;
	int has[3] = { 0, 0, 0 };

	for (size_t i = 0; i < 3 && i < c->nseries; i++) {
		char name[16];
		snprintf(name, sizeof name, "tt_s%zu", i);
		has[i] = gpc_series_lines(&l, c->series[i].x, c->series[i].y, c->series[i].n) > 0;
		gpc_lines_put(out, name, &l);
	}
	nplacebo = placebo_lines(&l, c);
	gpc_lines_put(out, "tt_placebo", &l);
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
	gpc_write_margins(out, &panel);
	fputs("plot $tt_s0 using 1:2 with linespoints lt 1", out);
	gpc_put_title(out, c->series[0].name);
	if (has[1]) {
		fputs(", \\\n    $tt_s1 using 1:2 with lines lt 2 dt 2 lw 2.5", out);
		gpc_put_title(out, c->series[1].name);
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
	gpc_write_margins(out, &panel);
	fputs("plot ", out);
	if (nplacebo)
		fprintf(out, "$tt_placebo using 1:2 with lines lc rgb '#c4c4c4' lw 1 "
			"title 'placebos: each donor as if treated (%zu)', \\\n    ", nplacebo);
	fputs("$tt_s2 using 1:2 with linespoints lt 1", out);
	gpc_put_title(out, c->series[2].name);
	fputs("\nunset multiplot\n", out);
	return NULL;
}

