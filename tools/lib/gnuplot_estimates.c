/* Charts of an estimates table through gnuplot: event, forest and bar. */
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
		gpc_lines_printf(&d->est, "%s", "");
		gpc_lines_printf(&d->band, "%s", "");
	}
	d->gap = 0;
	gpc_num(bx, e->rel_year);
	gpc_lines_printf(&d->est, "%s %s", bx, gpc_num(bl, e->estimate));
	gpc_lines_printf(&d->band, "%s %s %s", bx, gpc_num(bl, e->conf_low), gpc_num(bh, e->conf_high));
	d->n++;
}

/* The estimates before the event (rel_year < 0) and after it in two
 * colours, each with its band; a row without an interval is a point of its
 * own, joined to nothing. */
/* The plot clause of the hover block $tt_h, whose rows are x y "text"
 * colour: each marker in its row's colour (gpc_put_hover_clause's points
 * share one). */
static void put_hover_coloured(FILE *out)
{
	fputs(", \\\n    $tt_h using 1:2:3:4 with labels hypertext point pt 7 "
	      "ps 0.7 lc rgb variable notitle", out);
}

const char *gpc_write_event(FILE *out, const struct gp_chart *c)
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
			gpc_lines_printf(&alone, "%s %s", gpc_num(bx, e->rel_year), gpc_num(by, e->estimate));
		}
		if (c->hover) {
			/* the marker in its side's colour, black when alone */
			char hx[32], he[32], hl[32], hh[32];
			char *t = has_interval(e)
				? gpc_hover_text(xasprintf("rel_year %s: %s [%s, %s]",
					     gpc_digits(hx, e->rel_year, 10), gpc_digits(he, e->estimate, 6),
					     gpc_digits(hl, e->conf_low, 6), gpc_digits(hh, e->conf_high, 6)))
				: gpc_hover_text(xasprintf("rel_year %s: %s (no interval)",
					     gpc_digits(hx, e->rel_year, 10), gpc_digits(he, e->estimate, 6)));
			gpc_lines_printf(&hover, "%s %s \"%s\" %s", gpc_num(bx, e->rel_year),
				     gpc_num(by, e->estimate), t,
				     !has_interval(e) ? "0x000000" : post ? "0xD55E00" : "0x0072B2");
			free(t);
		}
	}
	free(r);
	if (n == 0) {
		for (int k = 0; k < 2; k++) {
			gpc_lines_free(&side[k].est);
			gpc_lines_free(&side[k].band);
		}
		gpc_lines_free(&alone);
		gpc_lines_free(&hover);
		return "nothing to plot: no row has a finite rel_year and estimate";
	}
	{
		size_t nalone = alone.n, nhover = hover.n;
		for (int k = 0; k < 2; k++)
			if (side[k].n) {
				gpc_lines_put(out, k ? "tt_post" : "tt_pre", &side[k].est);
				gpc_lines_put(out, k ? "tt_band_post" : "tt_band_pre", &side[k].band);
			} else {
				gpc_lines_free(&side[k].est);
			}
		if (nalone)
			gpc_lines_put(out, "tt_alone", &alone);
		if (nhover)
			gpc_lines_put(out, "tt_h", &hover);
		gpc_write_event_line(out, c);
		gpc_write_margins(out, c);
		fputs("set xzeroaxis lt -1 lc rgb '#555555' lw 1\n", out);
		fputs("set yrange [*<0:0<*]\n", out);
		fputs("plot", out);
		for (int k = 0; k < 2; k++) {
			if (!side[k].n)
				continue;
			fprintf(out, " $tt_band_%s using 1:2:3 with filledcurves lc %d "
				"fs transparent solid 0.2 noborder", k ? "post" : "pre", k + 1);
			gpc_put_title(out, band_titled ? NULL : c->band_label ? c->band_label
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
			put_hover_coloured(out);
		fputs("\n", out);
		for (int k = 0; k < 2; k++)
			gpc_lines_free(&side[k].band);
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
	struct lines pooled_cut;	/* the pooled row past the axis: an arrow */
	int pooled_heads;		/* it is cut on both sides */
};

/* A row whose estimate lies past --xrange with nothing of its interval
 * inside: a short arrow at that side of the frame (returns 1). */
static int edge_arrow(struct forest_blocks *b, const struct gp_chart *c,
		      const struct gp_estimate *e, size_t y)
{
	double span = c->range_hi - c->range_lo, from, to;
	char bf[32], bd[32];
	int side;

	if (!isfinite(span))
		return 0;
	side = e->estimate > c->range_hi ? 2 : e->estimate < c->range_lo ? 1 : 0;
	if (!side || (has_interval(e) && (side == 2 ? e->conf_low < c->range_hi
						  : e->conf_high > c->range_lo)))
		return 0;
	to = side == 2 ? c->range_hi : c->range_lo;
	from = side == 2 ? to - 0.05 * span : to + 0.05 * span;
	gpc_lines_printf(&b->cut[side], "%s %zu %s 0", gpc_num(bf, from), y,
			 gpc_num(bd, to - from));
	return 1;
}

static void forest_row(struct forest_blocks *b, const struct gp_chart *c,
		       const struct gp_estimate *e, double n, size_t y)
{
	char bx[32], bl[32], bh[32];
	double lo, hi;
	int cut;

	gpc_num(bx, e->estimate);
	if (edge_arrow(b, c, e, y)) {
		/* beyond the axis: an arrow at the frame says where */
	} else if (!has_interval(e)) {
		gpc_lines_printf(&b->noci, "%s %zu", bx, y);
	} else if ((cut = cut_interval(c, e, &lo, &hi)) == 0) {
		gpc_lines_printf(&b->ci, "%s %zu %s %s", bx, y, gpc_num(bl, lo), gpc_num(bh, hi));
	} else {
		/* a vector whose head is at the cut side (both: heads) */
		double from = cut == 1 ? hi : lo, to = cut == 1 ? lo : hi;
		gpc_lines_printf(&b->cut[cut], "%s %zu %s 0", gpc_num(bl, from), y, gpc_num(bh, to - from));
		if (isfinite(c->range_lo) && e->estimate >= c->range_lo &&
		    e->estimate <= c->range_hi)
			gpc_lines_printf(&b->pts, "%s %zu", bx, y);
	}
	if (c->hover) {
		char ns[48] = "", he[32], hl[32], hh[32], *t;
		if (isfinite(n))
			snprintf(ns, sizeof ns, ", n = %s", gpc_digits(he, n, 10));
		t = has_interval(e)
			? gpc_hover_text(xasprintf("%s: %s [%s, %s]%s", e->label ? e->label : "",
				     gpc_digits(he, e->estimate, 6), gpc_digits(hl, e->conf_low, 6),
				     gpc_digits(hh, e->conf_high, 6), ns))
			: gpc_hover_text(xasprintf("%s: %s (no CI)%s", e->label ? e->label : "",
				     gpc_digits(he, e->estimate, 6), ns));
		/* the marker in the row's colour: black without an interval
		 * and for the pooled row (y 1 under the rule) */
		gpc_lines_printf(&b->hover, "%s %zu \"%s\" %s", bx, y, t,
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

	if (isfinite(c->range_lo) && isfinite(c->range_hi) &&
	    (e->estimate < c->range_lo || e->estimate > c->range_hi)) {
		/* its centre is off the axis: no diamond, a black arrow */
		struct forest_blocks t;
		int side = e->estimate > c->range_hi ? 2 : 1;
		memset(&t, 0, sizeof t);
		if (!edge_arrow(&t, c, e, y)) {
			double lo, hi;
			int cut = cut_interval(c, e, &lo, &hi);
			double from = cut == 1 ? hi : lo, to = cut == 1 ? lo : hi;
			gpc_lines_printf(&t.cut[side], "%s %zu %s 0", gpc_num(bl, from), y,
					 gpc_num(bh, to - from));
			b->pooled_heads = cut == 3;
		}
		b->pooled_cut = t.cut[side];
		return;
	}
	gpc_num(bx, e->estimate);
	if (has_interval(e)) {
		/* cut flat at the frame, as far as it shows */
		double lo = e->conf_low, hi = e->conf_high;
		if (isfinite(c->range_lo) && isfinite(c->range_hi)) {
			lo = fmax(lo, c->range_lo);
			hi = fmin(hi, c->range_hi);
		}
		gpc_num(bl, lo);
		gpc_num(bh, hi);
		gpc_lines_printf(&b->pooled, "%s %zu", bl, y);
		gpc_lines_printf(&b->pooled, "%s %zu.25", bx, y);
		gpc_lines_printf(&b->pooled, "%s %zu", bh, y);
		gpc_lines_printf(&b->pooled, "%s %zu.75", bx, y - 1);
		gpc_lines_printf(&b->pooled, "%s %zu", bl, y);
	} else {
		gpc_lines_printf(&b->pooled, "%s %zu", bx, y);
	}
}

static void forest_tics(FILE *out, const struct gp_chart *c, struct ranked *r, size_t n,
			size_t first)
{
	char b[32];
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
		fprintf(out, "set y2tics %s('n = %s' %zu)\n", any_n ? "add " : "",
			gpc_digits(b, v, 10), first + i);
		any_n = 1;
	}
	if (c->pooled) {
		char *label = percent_doubled(c->pooled->label ? c->pooled->label : "pooled");
		fprintf(out, "set ytics add (");
		gp_put_quoted(out, label);
		fputs(" 1)\n", out);
		free(label);
		if (isfinite(c->pooled_n)) {
			fprintf(out, "set y2tics %s('n = %s' 1)\n", any_n ? "add " : "",
				gpc_digits(b, c->pooled_n, 10));
			any_n = 1;
		}
	}
	if (any_n)
		fputs("set link y2\nset y2tics scale 0 nomirror\n", out);
}

enum { FOREST_TALL = 25 };	/* rows from which the axis is labelled on top too */

const char *gpc_write_forest(FILE *out, const struct gp_chart *c)
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
				gpc_lines_free(&p.cut[k]);
			gpc_lines_free(&p.ci);
			gpc_lines_free(&p.pts);
			gpc_lines_free(&p.noci);
		}
	}
	key = b.noci.n > 0 || pooled;
	{
		size_t nci = b.ci.n, ncut[4], npts = b.pts.n, nnoci = b.noci.n, nh = b.hover.n;
		size_t npool = b.pooled.n, npcut = b.pooled_cut.n;
		const char *sep = "";
		for (int k = 1; k < 4; k++) {
			char name[32];
			ncut[k] = b.cut[k].n;
			snprintf(name, sizeof name, "tt_cut%d", k);
			if (ncut[k])
				gpc_lines_put(out, name, &b.cut[k]);
		}
		if (nci)
			gpc_lines_put(out, "tt_est", &b.ci);
		if (npts)
			gpc_lines_put(out, "tt_pts", &b.pts);
		if (nnoci)
			gpc_lines_put(out, "tt_noci", &b.noci);
		if (npool)
			gpc_lines_put(out, "tt_pooled", &b.pooled);
		if (npcut)
			gpc_lines_put(out, "tt_pooled_cut", &b.pooled_cut);
		if (nh)
			gpc_lines_put(out, "tt_h", &b.hover);
		fputs(key ? "set key below\n" : "set key off\n", out);
		fputs("set grid noytics xtics\n", out);
		fputs("set yzeroaxis lt -1 lc rgb '#555555' lw 1\n", out);
		if (isfinite(c->range_lo) && isfinite(c->range_hi)) {
			char lo[32], hi[32];
			fprintf(out, "set xrange [%s:%s]\n", gpc_num(lo, c->range_lo),
				gpc_num(hi, c->range_hi));
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
		if (npcut) {
			fprintf(out, "%s $tt_pooled_cut using 1:2:3:4 with vectors %s filled "
				"size screen 0.012,25 lc rgb '#000000' lw 3 title 'pooled'", sep,
				b.pooled_heads ? "heads" : "head");
			sep = ", \\\n   ";
		}
		if (nh)
			put_hover_coloured(out);
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

const char *gpc_write_bar(FILE *out, const struct gp_chart *c)
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
		gpc_lines_printf(&bars, "%zu %s", i, gpc_num(bx, e->estimate));
		if (has_interval(e))
			gpc_lines_printf(&err, "%zu %s %s %s", i, bx,
				     gpc_num(bl, e->conf_low), gpc_num(bh, e->conf_high));
	}
	gpc_lines_put(out, "tt_bar", &bars);
	with_err = err.n > 0;
	gpc_lines_put(out, "tt_err", &err);
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

