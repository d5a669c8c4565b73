/* Reading a table into a chart: line (a long table's series, or an
 * estimates table's estimate over time with its band; small multiples),
 * step (cumulative counts of dated units) and synth (tt-synth --detail). */
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
#include "gnuplot.h"
#include "gnuplot_input.h"
#include "gnuplot_int.h"
#include "group.h"
#include "number.h"
#include "strlist.h"

/* ---- line ---- */

/* An estimates table led by the time column (tt-panel --model index) has
 * no value column: read_estimates_line draws its estimate. */
static int estimates_line(const struct gp_input *in)
{
	return strcmp(in->value, "value") == 0 && col_find(in->h, "value") < 0 &&
	       col_find(in->h, "estimate") >= 0;
}

/* --log: values <= 0 have no place on the axis; they leave a gap */
static void drop_nonpositive(struct gp_series *s, size_t ns)
{
	size_t dropped = 0;

	for (size_t i = 0; i < ns; i++) {
		double *y = (double *)s[i].y;
		for (size_t j = 0; j < s[i].n; j++)
			if (y[j] <= 0) {
				y[j] = NAN;
				dropped++;
			}
	}
	if (dropped)
		warn("%zu value%s <= 0 left out: a log axis cannot show %s", dropped,
		     dropped == 1 ? "" : "s", dropped == 1 ? "it" : "them");
}

/* more than GP_MAX_SERIES lines are not a chart anyone can read */
static void check_series_count(const struct gp_input *in, size_t n)
{
	if (n <= GP_MAX_SERIES)
		return;
	die_at(in->file, 0, 0, "a line chart draws at most %d series; the input has %zu "
	       "(the first is \"%s\"): keep fewer first, e.g. tt-select -w, or draw small "
	       "multiples with --facet COL", GP_MAX_SERIES, n, group_label(in->groups, 0));
}

/* --facet: the panel of a group, by the value of its first row */
static size_t facet_of(const struct gp_input *in, struct strlist *panels,
		       const struct csv_row *row, int fcol)
{
	int k = strlist_find(panels, row->f[fcol], row->len[fcol]);

	if (k >= 0)
		return (size_t)k;
	if (panels->n == GP_MAX_PANELS)
		die_at(row->file, row->line, fcol + 1, "column \"%s\": more than %d values: "
		       "small multiples draw at most %d panels (keep fewer first, e.g. "
		       "tt-select -w)", in->h->name[fcol], GP_MAX_PANELS, GP_MAX_PANELS);
	strlist_push(panels, row->f[fcol], row->len[fcol]);
	return panels->n - 1;
}

/* the facet column's place among the group columns (-1: not one) */
static int facet_group_column(const struct gp_input *in, int fcol)
{
	for (size_t k = 0; fcol >= 0 && k < in->ng; k++)
		if (in->gcols[k] == fcol)
			return (int)k;
	return -1;
}

/* Panels named by their values; each holds at most GP_MAX_SERIES series. */
static void set_panels(const struct gp_input *in, struct gp_chart *c, size_t *panel,
		       size_t nseries, struct strlist *panels)
{
	size_t *count = xcalloc(panels->n ? panels->n : 1, sizeof *count);
	const char **names = gp_keep(xcalloc(panels->n ? panels->n : 1, sizeof *names));

	for (size_t i = 0; i < nseries; i++)
		if (++count[panel[i]] > GP_MAX_SERIES)
			die_at(in->file, 0, 0, "panel \"%s\" would draw more than %d series: "
			       "a panel draws at most %d (facet by another column, or keep "
			       "fewer first)", panels->v[panel[i]], GP_MAX_SERIES, GP_MAX_SERIES);
	for (size_t p = 0; p < panels->n; p++)
		names[p] = gpi_clean_text(panels->v[p], panels->len[p]);
	free(count);
	c->panel = gp_keep(panel);
	c->panel_names = names;
	c->npanels = panels->n;
	strlist_free(panels);
}

/* --event-year: a list of numbers, or else a column */
static int event_years_list(const struct gp_input *in, struct gp_chart *c)
{
	struct strlist l = { 0 };
	double *v;

	strlist_split(&l, in->event_year);
	v = gp_keep(xcalloc(l.n ? l.n : 1, sizeof *v));
	for (size_t i = 0; i < l.n; i++)
		if (parse_number(l.v[i], l.len[i], &v[i]) != NUM_OK) {
			if (i > 0)
				die_usage("option --event-year: '%s' is not a number", l.v[i]);
			strlist_free(&l);
			return 0;
		}
	c->event_years = v;
	c->nevent_years = l.n;
	strlist_free(&l);
	return 1;
}

/* ---- line of an estimates table: estimate over time, conf band ---- */

/* One term (--term, else the first) of each group: estimate over the time
 * column, conf_low..conf_high as a shaded band. */
static void read_estimates_line(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, in->time, "time column");
	int ecol = col_find(h, "estimate"), lcol = col_find(h, "conf_low");
	int hcol = col_find(h, "conf_high");
	struct points *acc = NULL;
	struct gp_series *series;
	const char **label;
	struct csv_row *row;
	size_t nacc = 0, cap = 0, matched = 0;
	struct estimates_terms t;

	if (in->facet)
		die_usage("option --facet draws a long table (a value column), not an "
			  "estimates table");
	if (in->event_year && !event_years_list(in, c))
		die_usage("option --event-year: an estimates table takes years "
			  "(e.g. 2003,2008), not a column");
	gpi_term_rows_init(&t, in, NULL);
	gpi_find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		size_t g;
		struct point *p;

		if (!estimates_term_matches(&t, row))
			continue;
		matched++;
		g = group_of(in->groups, row);
		if (g == nacc) {
			acc = xgrow(acc, &cap, nacc + 1, sizeof *acc);
			memset(&acc[nacc++], 0, sizeof *acc);
		}
		gpi_points_add(&acc[g], gpi_time_of(in, row, tcol), estimates_cell(in->h, row, ecol));
		p = &acc[g].p[acc[g].n - 1];
		p->lo = estimates_cell(in->h, row, lcol);
		p->hi = estimates_cell(in->h, row, hcol);
	}
	gpi_check_term(in, &t, matched, "line chart");
	label = gpi_group_labels(in->groups);
	series = gp_keep(xcalloc(nacc ? nacc : 1, sizeof *series));
	const double **lo = gp_keep(xcalloc(nacc ? nacc : 1, sizeof *lo));
	const double **hi = gp_keep(xcalloc(nacc ? nacc : 1, sizeof *hi));
	for (size_t g = 0; g < nacc; g++) {
		gpi_points_to_series(&acc[g], &series[g], gpi_group_name(in->groups, g), h->name[tcol]);
		gpi_points_band(&acc[g], &lo[g], &hi[g]);
		free(acc[g].p);
		series[g].name = label[g];
		if (in->log_y)	/* a bound <= 0 has no place either: no band there */
			for (size_t j = 0; j < series[g].n; j++)
				if (lo[g][j] <= 0 || hi[g][j] <= 0)
					((double *)lo[g])[j] = ((double *)hi[g])[j] = NAN;
	}
	free(acc);
	check_series_count(in, nacc);
	if (in->log_y)
		drop_nonpositive(series, nacc);
	c->band_lo = lo;
	c->band_hi = hi;
	c->series = series;
	c->nseries = nacc;
	c->xlabel = h->name[tcol];
	gpi_term_rows_done(&t, in);
	c->ylabel = t.term ? t.term : h->name[ecol];
}

void gp_read_line(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, in->time, "time column");
	int vcol, ecol = -1;
	struct points *acc = NULL;
	struct gp_series *series;
	const char **label;
	struct csv_row *row;
	size_t nacc = 0, cap = 0, *panel = NULL;
	double *event = NULL;
	int fcol = -1;
	struct strlist panels = { 0 };

	if (estimates_line(in)) {
		read_estimates_line(in, c);
		return;
	}
	vcol = col_require(h, in->file, in->value, "value column");
	if (in->event_year && !event_years_list(in, c))
		ecol = col_require(h, in->file, in->event_year, "event year column");
	if (in->facet)
		fcol = col_require(h, in->file, in->facet, "facet column");
	gpi_find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		size_t g = group_of(in->groups, row);
		double t, y;

		if (g == nacc) {
			acc = xgrow(acc, &cap, nacc + 1, sizeof *acc);
			memset(&acc[nacc++], 0, sizeof *acc);
			event = xrealloc(event, nacc * sizeof *event);
			event[g] = NAN;
			if (fcol >= 0) {
				panel = xrealloc(panel, nacc * sizeof *panel);
				panel[g] = facet_of(in, &panels, row, fcol);
			} else {
				check_series_count(in, nacc);
			}
		}
		if (ecol >= 0 && isnan(event[g]))
			event[g] = estimates_cell(in->h, row, ecol);
		/* a missing value is a gap in the line; without a time it
		 * has no place, and no gap to make */
		if (cell_number(h, row, vcol, &y)) {
			if (!is_missing(row->f[tcol], row->len[tcol]))
				gpi_points_add(&acc[g], gpi_time_of(in, row, tcol), NAN);
			continue;
		}
		t = gpi_time_of(in, row, tcol);
		gpi_points_add(&acc[g], t, y);
	}
	label = gpi_group_labels_but(in->groups, facet_group_column(in, fcol));
	series = gp_keep(xcalloc(nacc ? nacc : 1, sizeof *series));
	for (size_t g = 0; g < nacc; g++) {
		gpi_points_to_series(&acc[g], &series[g], gpi_group_name(in->groups, g), h->name[tcol]);
		free(acc[g].p);
		series[g].name = label[g];
		gpi_break_gaps(&series[g]);
	}
	if (fcol >= 0)
		set_panels(in, c, panel, nacc, &panels);
	free(acc);
	if (in->log_y)
		drop_nonpositive(series, nacc);
	if (ecol >= 0)
		c->series_event = gp_keep(event);
	else
		free(event);
	c->series = series;
	c->nseries = nacc;
	c->xlabel = h->name[tcol];
	c->ylabel = h->name[vcol];
}

/* ---- step ---- */

struct dated {
	size_t series;
	int year;
	const char *key;	/* kept */
	size_t keylen;
	long line;
};

static int by_series_key(const void *a, const void *b)
{
	const struct dated *p = a, *q = b;
	size_t m = p->keylen < q->keylen ? p->keylen : q->keylen;
	int c;

	if (p->series != q->series)
		return p->series < q->series ? -1 : 1;
	if ((c = memcmp(p->key, q->key, m)) != 0)
		return c;
	if (p->keylen != q->keylen)
		return p->keylen < q->keylen ? -1 : 1;
	return (p->line > q->line) - (p->line < q->line);
}

/* A unit counted twice would inflate the count: as tt-join, refuse it. */
static void check_units(const struct gp_input *in, struct dated *d, size_t n, int kcol)
{
	xqsort(d, n, sizeof *d, by_series_key);
	for (size_t i = 1; i < n; i++)
		if (d[i].series == d[i - 1].series && d[i].keylen == d[i - 1].keylen &&
		    memcmp(d[i].key, d[i - 1].key, d[i].keylen) == 0)
			die_at(in->file, d[i].line, kcol + 1, "key \"%s\" also on line %ld%s%s: "
			       "a step chart counts each unit once per series",
			       cell_shown_n(d[i].key, d[i].keylen),
			       d[i - 1].line, in->ng ? " in series " : "",
			       in->ng ? group_label(in->groups, d[i].series) : "");
}

/* Cumulative counts per series, one point per year: the count at the end
 * of year Y is drawn from Y to Y + 1, so a line rises at the year of each
 * date.  The points run from the year before the first date (count 0) to
 * the year after the last, which closes the last year's step. */
static void step_series(struct dated *d, size_t n, struct gp_chart *c,
			const char **label, size_t nseries)
{
	int first = d[0].year, last = d[0].year;
	struct gp_series *s = gp_keep(xcalloc(nseries ? nseries : 1, sizeof *s));
	size_t years;

	for (size_t i = 1; i < n; i++) {
		if (d[i].year < first)
			first = d[i].year;
		if (d[i].year > last)
			last = d[i].year;
	}
	first--;
	last++;
	years = (size_t)(last - first) + 1;
	for (size_t k = 0; k < nseries; k++) {
		double *x = gp_keep(xmalloc(years * sizeof *x));
		double *y = gp_keep(xcalloc(years, sizeof *y));
		for (size_t j = 0; j < years; j++)
			x[j] = first + (double)j;
		for (size_t i = 0; i < n; i++)
			if (d[i].series == k)
				y[d[i].year - first]++;
		for (size_t j = 1; j < years; j++)
			y[j] += y[j - 1];
		s[k] = (struct gp_series){ label[k], x, y, years };
	}
	c->series = s;
	c->nseries = nseries;
}

void gp_read_step(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int dcol = col_require(h, in->file, in->date, "date column");
	int kcol = in->key ? col_require(h, in->file, in->key, "key column")
			   : col_find(h, "iso3");
	struct dated *d = NULL;
	size_t n = 0, cap = 0, undated = 0;
	struct csv_row *row;

	gpi_find_groups(in, "instrument");
	while (csv_next(in->r, &row)) {
		int year;

		/* a series of undated rows only would be a flat line at 0 */
		if (!cell_date(h, row, dcol, &year)) {
			undated++;
			continue;
		}
		d = xgrow(d, &cap, n + 1, sizeof *d);
		d[n] = (struct dated){ group_of(in->groups, row), year, NULL, 0, row->line };
		if (kcol >= 0) {
			d[n].key = gp_keep(xstrndup(row->f[kcol], row->len[kcol]));
			d[n].keylen = row->len[kcol];
		}
		n++;
	}
	if (n == 0) {
		free(d);
		die_at(in->file, 0, 0, "nothing to plot: no row has a date in column \"%s\"",
		       h->name[dcol]);
	}
	if (kcol >= 0)
		check_units(in, d, n, kcol);
	if (undated)
		warn("%zu row%s without a date in column \"%s\" not counted", undated,
		     undated == 1 ? "" : "s", h->name[dcol]);
	step_series(d, n, c, gpi_group_labels(in->groups), group_count(in->groups));
	free(d);
	c->xlabel = "year";
	c->ylabel = "cumulative count";
}

/* ---- synth: tt-synth --detail ---- */

/* The groups: -g, --all, or the columns before the time column (tt-synth
 * writes the unit and its --by columns there). */
static void synth_groups(struct gp_input *in, int tcol)
{
	if (in->group_spec || in->all) {
		gpi_find_groups(in, NULL);
		return;
	}
	in->gcols = gp_keep(xmalloc((size_t)(tcol ? tcol : 1) * sizeof *in->gcols));
	for (int k = 0; k < tcol; k++)
		in->gcols[k] = k;
	in->ng = (size_t)tcol;
	in->groups = group_new(in->gcols, in->ng);
}

/* the y label: the indicator among the group columns, else "value" */
static const char *synth_ylabel(const struct gp_input *in)
{
	for (size_t k = 0; k < in->ng && group_count(in->groups); k++)
		if (strcmp(in->h->name[in->gcols[k]], "indicator") == 0) {
			size_t len;
			const char *v = group_key(in->groups, 0, k, &len);
			return gpi_clean_text(v, len);
		}
	return "value";
}

struct synth_read {
	struct points treated, synthetic, gap;
	struct strlist donors;
	struct points *placebo;
	size_t cap_placebo;
	double event;
};

static void synth_row(struct gp_input *in, struct synth_read *s, const struct csv_row *row,
		      int tcol, int ecol, int dcol, int term)
{
	double y = estimates_cell(in->h, row, ecol);

	if (gpi_field_is(row, term, "event")) {
		s->event = gpi_time_of(in, row, tcol);
	} else if (gpi_field_is(row, term, "treated")) {
		gpi_points_add(&s->treated, gpi_time_of(in, row, tcol), y);
	} else if (gpi_field_is(row, term, "synthetic")) {
		gpi_points_add(&s->synthetic, gpi_time_of(in, row, tcol), y);
	} else if (gpi_field_is(row, term, "gap")) {
		gpi_points_add(&s->gap, gpi_time_of(in, row, tcol), y);
	} else if (gpi_field_is(row, term, "placebo_gap") && dcol >= 0) {
		int j = strlist_find(&s->donors, row->f[dcol], row->len[dcol]);
		if (j < 0) {
			strlist_push(&s->donors, row->f[dcol], row->len[dcol]);
			j = (int)s->donors.n - 1;
			s->placebo = xgrow(s->placebo, &s->cap_placebo, s->donors.n,
					   sizeof *s->placebo);
			memset(&s->placebo[j], 0, sizeof *s->placebo);
		}
		gpi_points_add(&s->placebo[j], gpi_time_of(in, row, tcol), y);
	}
}

void gp_read_synth(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, in->time, "time column");
	int term = col_require(h, in->file, "term", "column");
	int ecol = col_require(h, in->file, "estimate", "column");
	int dcol = col_find(h, "donor");
	struct synth_read s = { .event = NAN };
	struct csv_row *row;

	synth_groups(in, tcol);
	while (csv_next(in->r, &row)) {
		group_of(in->groups, row);
		synth_row(in, &s, row, tcol, ecol, dcol, term);
	}
	gpi_require_one_group(in, "synth");
	if (s.treated.n == 0 || s.synthetic.n == 0 || s.gap.n == 0)
		die_at(in->file, 0, 0, "synth charts draw the rows treated, synthetic and gap "
		       "that tt-synth --detail writes; the input lacks %s (run tt-synth with "
		       "--detail)", s.treated.n == 0 ? "treated" : s.synthetic.n == 0 ?
		       "synthetic" : "gap");
	const char *who = gpi_group_name(in->groups, 0);
	const char *label = gpi_group_labels(in->groups)[0];
	struct gp_series *series = gp_keep(xcalloc(3 + s.donors.n, sizeof *series));
	gpi_points_to_series(&s.treated, &series[0], who, h->name[tcol]);
	gpi_points_to_series(&s.synthetic, &series[1], who, h->name[tcol]);
	gpi_points_to_series(&s.gap, &series[2], who, h->name[tcol]);
	series[0].name = series[2].name = label ? label : "treated";
	series[1].name = "synthetic control";
	free(s.treated.p);
	free(s.synthetic.p);
	free(s.gap.p);
	for (size_t j = 0; j < s.donors.n; j++) {
		gpi_points_to_series(&s.placebo[j], &series[3 + j],
				     cell_shown_n(s.donors.v[j], s.donors.len[j]), h->name[tcol]);
		free(s.placebo[j].p);
	}
	if (isnan(s.event))
		warn("%s: no row has term event: no event line", who);
	else {
		char *text = gp_keep(xmalloc(48)), b[32];
		snprintf(text, 48, "event %s", gpc_num(b, s.event));
		c->event_x = s.event;
		c->event_label = text;
	}
	c->series = series;
	c->nseries = 3 + s.donors.n;
	c->xlabel = h->name[tcol];
	c->ylabel = synth_ylabel(in);
	free(s.placebo);
	strlist_free(&s.donors);
}
