/* tt-plot: charts of tt tables through gnuplot.
 *
 * Each chart kind reads its table into a struct gp_chart
 * (tools/lib/gnuplot.h); the library writes the gnuplot script, which is
 * printed (--script) or fed to gnuplot.  Every string that reaches gnuplot
 * (labels from the data and the options, the file name) passes the
 * library's quoting helper; here text is only made valid UTF-8, so that an
 * SVG stays well-formed.  The data never reach a shell. */
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "estimates.h"
#include "glm.h"
#include "gnuplot.h"
#include "group.h"
#include "joined.h"
#include "number.h"
#include "options.h"
#include "regress.h"
#include "strlist.h"

enum {
	O_OUTPUT, O_SCRIPT, O_TITLE, O_XLABEL, O_YLABEL, O_SIZE,
	O_TERM, O_BAND, O_DATE, O_KEY, O_XRANGE, O_SORT, O_LOG, O_EVENT_YEAR,
	O_FONT_SCALE, O_DPI, O_FIT, O_FACET,
};

static const struct tt_opt options[] = {
	[O_OUTPUT] = { "output", 'o', "FILE", "write the chart to FILE, by its extension .png, .svg or .pdf (default: text on standard output)" },
	[O_SCRIPT] = { "script", 0, NULL, "print the complete gnuplot script instead of running gnuplot" },
	[O_TITLE] = { "title", 0, "TEXT", "chart title (default none)" },
	[O_XLABEL] = { "xlabel", 0, "TEXT", "x axis label; '' for none (default depends on KIND)" },
	[O_YLABEL] = { "ylabel", 0, "TEXT", "y axis label; '' for none (default depends on KIND)" },
	[O_SIZE] = { "size", 0, "WxH", "chart size, in pixels or with units cm, mm, in on each side (e.g. 24cm,15cm); default 800x500, forest and bar grow with their rows" },
	[O_TERM] = { "term", 0, "TERM", "event, forest, bar, line of estimates: the term to draw (event: att; others: the first term)" },
	[O_BAND] = { "band", 0, "TYPE", "event: pointwise (conf_low..conf_high, default) or uniform (band_low..band_high)" },
	[O_DATE] = { "date", 0, "COL", "step: the events' date column (default 'ratified')" },
	[O_KEY] = { "key", 'k', "COL", "step: the unit column, each unit counted once per series (default 'iso3' if present)" },
	[O_XRANGE] = { "xrange", 0, "LO:HI", "forest: the estimate axis; intervals past it are cut at the frame (default: fitted to the data)" },
	[O_SORT] = { "sort", 0, "ORDER", "forest: estimate (largest on top, default), label (A on top), n (largest on top) or input (first on top)" },
	[O_LOG] = { "log", 0, NULL, "line: a logarithmic y axis (values <= 0 are left out, with a note)" },
	[O_EVENT_YEAR] = { "event-year", 0, "LIST", "line: dashed lines at these years (comma-separated), or a column holding each series' event year (e.g. event_year)" },
	[O_FONT_SCALE] = { "font-scale", 0, "F", "text and line widths times F (default 1)" },
	[O_DPI] = { "dpi", 0, "N", "resolution for --size in cm, mm or in; png and svg scale text with it (default 96)" },
	[O_FIT] = { "fit", 0, "MODEL", "prepost: linear or poisson (default: poisson when every value is a whole number >= 0, a count)" },
	[O_FACET] = { "facet", 0, "COL", "line: small multiples, one panel per value of COL (at most 64), each with at most 12 series" },
	{ NULL, 0, NULL, NULL },
};

enum { MAX_SERIES = 12, MAX_PANELS = 64 };	/* a line chart's legend stays readable */
enum sort_order { SORT_ESTIMATE, SORT_LABEL, SORT_N, SORT_INPUT };

static const char *size_arg, *event_year_arg, *facet_arg;
static int log_y, fit_model = -1;	/* -1 auto, 0 linear, 1 poisson */
static enum sort_order sort_order;
static double font_scale, dpi;

static const char *output_arg, *term_arg, *date_arg = "ratified", *key_arg;
static const char *label_arg[3];	/* --title, --xlabel, --ylabel; NULL: default */
static int script_only, band_uniform, width, height;
static double range_lo = NAN, range_hi = NAN;
static unsigned given;			/* bit per option of ours */

static void handle(int idx, const char *arg)
{
	given |= 1u << idx;
	switch (idx) {
	case O_OUTPUT: output_arg = arg; break;
	case O_SCRIPT: script_only = 1; break;
	case O_TITLE: case O_XLABEL: case O_YLABEL: label_arg[idx - O_TITLE] = arg; break;
	case O_SIZE: size_arg = arg; break;	/* read once --dpi is known */
	case O_SORT:
		if (strcmp(arg, "estimate") == 0)
			sort_order = SORT_ESTIMATE;
		else if (strcmp(arg, "label") == 0)
			sort_order = SORT_LABEL;
		else if (strcmp(arg, "n") == 0)
			sort_order = SORT_N;
		else if (strcmp(arg, "input") == 0)
			sort_order = SORT_INPUT;
		else
			die_usage("option --sort: '%s' is not estimate, label, n or input", arg);
		break;
	case O_LOG: log_y = 1; break;
	case O_EVENT_YEAR: event_year_arg = arg; break;
	case O_FACET: facet_arg = arg; break;
	case O_FONT_SCALE: case O_DPI: {
		double v;
		if (parse_number(arg, strlen(arg), &v) != NUM_OK || !(v > 0) ||
		    v > (idx == O_DPI ? 10000 : 100))
			die_usage("option --%s: '%s' is not a number above 0 and at most %d",
				  options[idx].lname, arg, idx == O_DPI ? 10000 : 100);
		*(idx == O_DPI ? &dpi : &font_scale) = v;
		break;
	}
	case O_FIT:
		if (strcmp(arg, "linear") != 0 && strcmp(arg, "poisson") != 0)
			die_usage("option --fit: '%s' is not linear or poisson", arg);
		fit_model = strcmp(arg, "poisson") == 0;
		break;
	case O_TERM: term_arg = arg; break;
	case O_BAND:
		if (strcmp(arg, "uniform") != 0 && strcmp(arg, "pointwise") != 0)
			die_usage("option --band: '%s' is not pointwise or uniform", arg);
		band_uniform = strcmp(arg, "uniform") == 0;
		break;
	case O_DATE: date_arg = arg; break;
	case O_KEY: key_arg = arg; break;
	case O_XRANGE: {
		const char *colon = strchr(arg, ':');
		if (*arg == '\0') {            /* '' keeps the default */
			range_lo = range_hi = NAN;
			break;
		}
		char *lo = colon ? xstrndup(arg, (size_t)(colon - arg)) : NULL;
		if (!colon || parse_number(lo, strlen(lo), &range_lo) != NUM_OK ||
		    parse_number(colon + 1, strlen(colon + 1), &range_hi) != NUM_OK ||
		    !(range_lo < range_hi))
			die_usage("option --xrange: '%s' is not LO:HI with LO < HI", arg);
		free(lo);
		break;
	}
	}
}

static const struct tool tool = {
	"tt-plot", "KIND [OPTION]... [FILE]...",
	"Draw a chart of a tt table with gnuplot.  KIND is one of\n"
	"  line     a long table: one line per group over time\n"
	"  prepost  a joined table of one group: the series, the event, the segmented fit\n"
	"  event    tt-event's estimates: effect by rel_year with its band\n"
	"  forest   an estimates table: one term per group, with its interval\n"
	"  bar      one bar per group: value (or estimate) with its interval if given\n"
	"  step     an events table: cumulative count of units by the year of their date\n"
	"  synth    tt-synth --detail: the unit against its synthetic control; its gap\n"
	"           against every placebo's\n"
	"Groups: -g, else the columns before term (or rel_year) of an estimates table,\n"
	"else those of iso3,indicator present; step: instrument if present.",
	C_DELIM | C_NA | C_GROUP | C_ALL | C_TIME | C_VALUE | C_MAXG, options, handle,
};

/* ---- what everything here allocates lives until the end ----------------- */

static void **kept;
static size_t nkept, capkept;

static void *keep(void *p)
{
	kept = xgrow(kept, &capkept, nkept + 1, sizeof *kept);
	kept[nkept++] = p;
	return p;
}

static void release_all(void)
{
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
}

/* ---- text --------------------------------------------------------------- */

/* every text from the data or the options, before it is quoted */
static char *clean_text(const char *s, size_t len)
{
	return keep(gp_clean_text(s, len));
}

static int field_is(const struct csv_row *row, int col, const char *s)
{
	return row->len[col] == strlen(s) && memcmp(row->f[col], s, row->len[col]) == 0;
}

/* ---- the input ------------------------------------------------------------ */

struct input {
	struct csv_reader *r;
	const struct csv_header *h;
	const char *file;
	int *gcols;
	size_t ng;
	struct group_table *groups;
};


/* -g or --all; else an estimates table's leading columns; else, when a
 * fallback column is named (step: instrument), that column if the table has
 * it and none otherwise; else those of iso3,indicator present. */
static void find_groups(struct input *in, const char *fallback)
{
	int lead = estimates_lead_columns(in->h, opt.time);

	if (opt.groups || opt.all || (lead < 0 && !fallback)) {
		in->gcols = col_groups(in->h, in->file, opt.groups, opt.all, &in->ng);
	} else if (lead >= 0) {
		in->gcols = xmalloc((size_t)(lead ? lead : 1) * sizeof *in->gcols);
		for (int k = 0; k < lead; k++)
			in->gcols[k] = k;
		in->ng = (size_t)lead;
	} else {
		int c = col_find(in->h, fallback);
		in->gcols = xmalloc(sizeof *in->gcols);
		in->ng = c >= 0;
		in->gcols[0] = c;
	}
	keep(in->gcols);
	in->groups = group_new(in->gcols, in->ng);
}

/* The legend or tic text of each group: the values of the group columns
 * that differ between the groups, joined by ", " (all of them when there is
 * only one group); NULL for every group when there are no group columns. */
static const char **group_labels_but(struct group_table *g, int skip);

static const char **group_labels(struct group_table *g)
{
	return group_labels_but(g, -1);
}

/* the same, leaving out group column number `skip` (-1: none) */
static const char **group_labels_but(struct group_table *g, int skip)
{
	size_t n = group_count(g), nc = group_ncols(g);
	const char **label = keep(xcalloc(n ? n : 1, sizeof *label));
	int *varies = xcalloc(nc ? nc : 1, sizeof *varies);
	int any = 0;

	for (size_t k = 0; k < nc; k++)
		for (size_t i = 1; i < n && !varies[k] && (int)k != skip; i++) {
			size_t l0, li;
			const char *v0 = group_key(g, 0, k, &l0), *vi = group_key(g, i, k, &li);
			varies[k] = l0 != li || memcmp(v0, vi, l0) != 0;
			any |= varies[k];
		}
	for (size_t i = 0; i < n && nc > 0; i++) {
		char *s = NULL;
		size_t len = 0, cap = 0;
		for (size_t k = 0; k < nc; k++) {
			size_t l;
			const char *v = group_key(g, i, k, &l);
			if ((any && !varies[k]) || (int)k == skip)
				continue;
			s = xgrow(s, &cap, len + l + 3, 1);
			if (len) {
				memcpy(s + len, ", ", 2);
				len += 2;
			}
			memcpy(s + len, v, l);
			len += l;
		}
		label[i] = clean_text(s ? s : "", len);
		free(s);
	}
	free(varies);
	return label;
}

/* a group in messages */
static const char *group_name(struct group_table *g, size_t i)
{
	return group_ncols(g) ? group_label(g, i) : "the input";
}

/* prepost and event draw one group: say which ones there are, and how to
 * keep one (tt-select -w COL=VALUE for each group column). */
static void require_one_group(const struct input *in, const char *kind)
{
	size_t n = group_count(in->groups);
	char hint[512] = "", *p = hint;
	size_t room = sizeof hint;

	if (n <= 1)
		return;
	for (size_t k = 0; k < in->ng; k++) {
		size_t l;
		const char *v = group_key(in->groups, 0, k, &l);
		int w = snprintf(p, room, " -w %s=%.*s", in->h->name[in->gcols[k]],
				 (int)(l > 40 ? 40 : l), v);
		if (w < 0 || (size_t)w >= room)
			break;
		p += w;
		room -= (size_t)w;
	}
	die_at(in->file, 0, 0, "%s charts draw one group; the input has %zu "
	       "(the first is \"%s\"): keep one first, e.g. tt-select%s",
	       kind, n, group_label(in->groups, 0), hint);
}

static double time_of(const struct input *in, const struct csv_row *row, int tcol)
{
	double t;

	if (cell_number(in->h, row, tcol, &t))
		die_at(row->file, row->line, tcol + 1, "column \"%s\": the time is missing",
		       in->h->name[tcol]);
	return t;
}

/* ---- points of a series ---------------------------------------------------- */

struct point {
	double x, y;
	size_t order;
	double lo, hi;          /* line of an estimates table: its interval */
};

struct points {
	struct point *p;
	size_t n, cap;
};

static void points_add(struct points *s, double x, double y)
{
	s->p = xgrow(s->p, &s->cap, s->n + 1, sizeof *s->p);
	s->p[s->n] = (struct point){ x, y, s->n, NAN, NAN };
	s->n++;
}

static int by_x(const void *a, const void *b)
{
	const struct point *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->order > q->order) - (p->order < q->order);
}

/* Sorted by x into the series' arrays; warns (once) when an x repeats. */
static void points_to_series(struct points *s, struct gp_series *out,
			     const char *who, const char *xname)
{
	double *x = keep(xmalloc((s->n ? s->n : 1) * sizeof *x));
	double *y = keep(xmalloc((s->n ? s->n : 1) * sizeof *y));

	xqsort(s->p, s->n, sizeof *s->p, by_x);
	for (size_t i = 0; i < s->n; i++) {
		x[i] = s->p[i].x;
		y[i] = s->p[i].y;
	}
	for (size_t i = 1; i < s->n; i++)
		if (x[i] == x[i - 1]) {
			warn("%s: several rows at %s %g (is a group column missing?)",
			     who, xname, x[i]);
			break;
		}
	out->x = x;
	out->y = y;
	out->n = s->n;
}

/* the intervals of sorted points (points_to_series first) */
static void points_band(const struct points *s, const double **lo, const double **hi)
{
	double *l = keep(xmalloc((s->n ? s->n : 1) * sizeof *l));
	double *h = keep(xmalloc((s->n ? s->n : 1) * sizeof *h));

	for (size_t i = 0; i < s->n; i++) {
		l[i] = s->p[i].lo;
		h[i] = s->p[i].hi;
	}
	*lo = l;
	*hi = h;
}

/* ---- line -------------------------------------------------------------------- */

static void build_estimates_line(struct input *in, struct gp_chart *c);
static double cell_or_nan(const struct input *in, const struct csv_row *row, int col);

/* An estimates table led by the time column (tt-panel --model index) has
 * no value column: build_estimates_line draws its estimate. */
static int estimates_line(const struct csv_header *h)
{
	return strcmp(opt.value, "value") == 0 && col_find(h, "value") < 0 &&
	       col_find(h, "estimate") >= 0;
}

/* A gap in the times breaks the line: where two neighbouring points lie
 * more than 1.5 times the series' smallest step apart (2008 and 2011 in
 * yearly data), a missing point goes between them, so the years between
 * are not drawn as if interpolated. */
static void break_gaps(struct gp_series *s)
{
	double step = INFINITY, *x, *y;
	size_t n = 0, prev = SIZE_MAX;

	for (size_t i = 0; i < s->n; i++) {
		if (!isfinite(s->x[i]))
			continue;
		if (prev != SIZE_MAX && s->x[i] > s->x[prev])
			step = fmin(step, s->x[i] - s->x[prev]);
		prev = i;
	}
	if (!isfinite(step))
		return;
	x = keep(xmalloc(2 * s->n * sizeof *x));
	y = keep(xmalloc(2 * s->n * sizeof *y));
	prev = SIZE_MAX;
	for (size_t i = 0; i < s->n; i++) {
		if (isfinite(s->x[i])) {
			if (prev != SIZE_MAX && s->x[i] - s->x[prev] > 1.5 * step) {
				x[n] = (s->x[i] + s->x[prev]) / 2;
				y[n++] = NAN;
			}
			prev = i;
		}
		x[n] = s->x[i];
		y[n++] = s->y[i];
	}
	s->x = x;
	s->y = y;
	s->n = n;
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

/* more than MAX_SERIES lines are not a chart anyone can read */
static void check_series_count(const struct input *in, size_t n)
{
	if (n <= MAX_SERIES)
		return;
	die_at(in->file, 0, 0, "a line chart draws at most %d series; the input has %zu "
	       "(the first is \"%s\"): keep fewer first, e.g. tt-select -w, or draw small "
	       "multiples with --facet COL", MAX_SERIES, n, group_label(in->groups, 0));
}

/* --facet: the panel of a group, by the value of its first row */
static size_t facet_of(const struct input *in, struct strlist *panels,
		       const struct csv_row *row, int fcol)
{
	int k = strlist_find(panels, row->f[fcol], row->len[fcol]);

	if (k >= 0)
		return (size_t)k;
	if (panels->n == MAX_PANELS)
		die_at(row->file, row->line, fcol + 1, "column \"%s\": more than %d values: "
		       "small multiples draw at most %d panels (keep fewer first, e.g. "
		       "tt-select -w)", in->h->name[fcol], MAX_PANELS, MAX_PANELS);
	strlist_push(panels, row->f[fcol], row->len[fcol]);
	return panels->n - 1;
}

/* the facet column's place among the group columns (-1: not one) */
static int facet_group_column(const struct input *in, int fcol)
{
	for (size_t k = 0; fcol >= 0 && k < in->ng; k++)
		if (in->gcols[k] == fcol)
			return (int)k;
	return -1;
}

/* Panels named by their values; each holds at most MAX_SERIES series. */
static void set_panels(const struct input *in, struct gp_chart *c, size_t *panel,
		       size_t nseries, struct strlist *panels)
{
	size_t *count = xcalloc(panels->n ? panels->n : 1, sizeof *count);
	const char **names = keep(xcalloc(panels->n ? panels->n : 1, sizeof *names));

	for (size_t i = 0; i < nseries; i++)
		if (++count[panel[i]] > MAX_SERIES)
			die_at(in->file, 0, 0, "panel \"%s\" would draw more than %d series: "
			       "a panel draws at most %d (facet by another column, or keep "
			       "fewer first)", panels->v[panel[i]], MAX_SERIES, MAX_SERIES);
	for (size_t p = 0; p < panels->n; p++)
		names[p] = clean_text(panels->v[p], panels->len[p]);
	free(count);
	c->panel = keep(panel);
	c->panel_names = names;
	c->npanels = panels->n;
	strlist_free(panels);
}

/* --event-year: a list of numbers, or else a column */
static int event_years_list(struct gp_chart *c)
{
	struct strlist l = { 0 };
	double *v;

	strlist_split(&l, event_year_arg);
	v = keep(xcalloc(l.n ? l.n : 1, sizeof *v));
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

static void build_line(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, opt.time, "time column");
	int vcol, ecol = -1;
	struct points *acc = NULL;
	struct gp_series *series;
	const char **label;
	struct csv_row *row;
	size_t nacc = 0, cap = 0, *panel = NULL;
	double *event = NULL;
	int fcol = -1;
	struct strlist panels = { 0 };

	if (estimates_line(h)) {
		build_estimates_line(in, c);
		return;
	}
	vcol = col_require(h, in->file, opt.value, "value column");
	if (event_year_arg && !event_years_list(c))
		ecol = col_require(h, in->file, event_year_arg, "event year column");
	if (facet_arg)
		fcol = col_require(h, in->file, facet_arg, "facet column");
	find_groups(in, NULL);
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
			event[g] = cell_or_nan(in, row, ecol);
		/* a missing value is a gap in the line; without a time it
		 * has no place, and no gap to make */
		if (cell_number(h, row, vcol, &y)) {
			if (!is_missing(row->f[tcol], row->len[tcol]))
				points_add(&acc[g], time_of(in, row, tcol), NAN);
			continue;
		}
		t = time_of(in, row, tcol);
		points_add(&acc[g], t, y);
	}
	label = group_labels_but(in->groups, facet_group_column(in, fcol));
	series = keep(xcalloc(nacc ? nacc : 1, sizeof *series));
	for (size_t g = 0; g < nacc; g++) {
		points_to_series(&acc[g], &series[g], group_name(in->groups, g), h->name[tcol]);
		free(acc[g].p);
		series[g].name = label[g];
		break_gaps(&series[g]);
	}
	if (fcol >= 0)
		set_panels(in, c, panel, nacc, &panels);
	free(acc);
	if (log_y)
		drop_nonpositive(series, nacc);
	if (ecol >= 0)
		c->series_event = keep(event);
	else
		free(event);
	c->series = series;
	c->nseries = nacc;
	c->xlabel = h->name[tcol];
	c->ylabel = h->name[vcol];
}

/* ---- prepost ------------------------------------------------------------------ */

struct its_obs {
	double rel, post, y;
	size_t order;
};

static int by_rel(const void *a, const void *b)
{
	const struct its_obs *p = a, *q = b;

	if (p->rel != q->rel)
		return p->rel < q->rel ? -1 : 1;
	return (p->order > q->order) - (p->order < q->order);
}

/* A fitted value to 12 significant digits: far below what a chart can
 * show, and the script no longer carries the last bits of rounding noise
 * (37.500000000000185), which may differ between machines. */
static double drawn(double y)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%.12g", y);
	return strtod(buf, NULL);
}

/* A curve of the linear predictor b0 + b1 r (+ b2 + b3 r after) over
 * rel_year lo..hi, exp'd on the Poisson scale: 2 points for a line, 24
 * for a curve. */
static void fit_curve(struct gp_series *s, const double b[4], int post, double lo,
		      double hi, double event_x, int poisson)
{
	size_t n = poisson && hi > lo ? 24 : 2;
	double *x = keep(xmalloc(n * sizeof *x)), *y = keep(xmalloc(n * sizeof *y));

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

/* log E[y] = b0 + b1 r + b2 D + b3 D r by Poisson regression (glm.h) */
static int poisson_its(const double *rel, const double *post, const double *y, size_t n,
		       double b[4])
{
	double *X = xmalloc(4 * (n ? n : 1) * sizeof *X);
	struct glm_fit fit;
	int rc;

	for (size_t i = 0; i < n; i++) {
		X[4 * i] = 1;
		X[4 * i + 1] = rel[i];
		X[4 * i + 2] = post[i];
		X[4 * i + 3] = post[i] * rel[i];
	}
	rc = glm_fit_dense(GLM_POISSON, y, X, n, 4, NULL, 0, &fit);
	free(X);
	if (rc == GLM_OK)
		for (int k = 0; k < 4; k++)
			b[k] = fit.aliased[k] ? 0 : fit.coef[k];
	glm_fit_free(&fit);
	return rc;
}

/* The segmented regression y = b0 + b1 r + b2 D + b3 D r of tt-prepost
 * (regress.h its()), or its Poisson form for a count; only the
 * coefficients are drawn, so the lag and level do not matter.  The curves
 * span the observed pre and post rel_years; the pre-event one carried on
 * over the post years is the counterfactual. */
static void fit_segments(struct its_obs *o, size_t n, double event_x, struct gp_chart *c,
			 const char *who, int poisson)
{
	double *rel = xmalloc(3 * (n ? n : 1) * sizeof *rel), *post = rel + n, *y = post + n;
	double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY }, b[4];
	size_t count[2] = { 0, 0 };
	struct its_fit fit;
	int rc;

	xqsort(o, n, sizeof *o, by_rel);
	for (size_t i = 0; i < n; i++) {
		int side = o[i].post == 1;
		rel[i] = o[i].rel;
		post[i] = o[i].post;
		y[i] = o[i].y;
		lo[side] = fmin(lo[side], o[i].rel);
		hi[side] = fmax(hi[side], o[i].rel);
		count[side]++;
	}
	rc = its(rel, post, y, n, 0, 0.95, &fit);
	if (rc != REGRESS_OK && rc != REGRESS_CONSTANT_Y && rc != REGRESS_NO_DF) {
		free(rel);
		if (rc == REGRESS_TOO_FEW)
			warn("%s: %zu pre and %zu post observations: no segmented fit "
			     "(it needs 3 on each side)", who, count[0], count[1]);
		else
			warn("%s: no segmented fit: %s", who, regress_status_str(rc));
		return;
	}
	b[0] = fit.b[ITS_INTERCEPT].estimate;
	b[1] = fit.b[ITS_PRE_SLOPE].estimate;
	b[2] = fit.b[ITS_LEVEL].estimate;
	b[3] = fit.b[ITS_SLOPE].estimate;
	if (poisson) {
		int prc = poisson_its(rel, post, y, n, b);
		if (prc != GLM_OK) {
			warn("%s: no Poisson fit (%s): the linear fit is drawn", who,
			     glm_status_str(prc));
			poisson = 0;
			b[0] = fit.b[ITS_INTERCEPT].estimate;
			b[1] = fit.b[ITS_PRE_SLOPE].estimate;
			b[2] = fit.b[ITS_LEVEL].estimate;
			b[3] = fit.b[ITS_SLOPE].estimate;
		}
	}
	free(rel);
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

static void build_prepost(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, opt.time, "time column");
	int vcol = col_require(h, in->file, opt.value, "value column");
	struct event_cols ec = event_cols_find(h, in->file, opt.time);
	struct points pts = { 0 };
	struct its_obs *o = NULL;
	struct gp_series *series = keep(xcalloc(1, sizeof *series));
	double event_x = NAN;
	long event_line = 0;
	size_t n = 0, cap = 0;
	struct csv_row *row;

	find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		double t, y, rel, post;
		int missing;

		group_of(in->groups, row);
		missing = cell_number(h, row, vcol, &y);
		if (missing && is_missing(row->f[tcol], row->len[tcol]))
			continue;
		t = time_of(in, row, tcol);
		points_add(&pts, t, missing ? NAN : y);
		if (event_of_row(h, row, &ec, &rel, &post))
			continue;
		if (event_line && t - rel != event_x)
			die_at(row->file, row->line, 0, "the event falls in %g here but in %g "
			       "on line %ld: a prepost chart draws one event", t - rel, event_x,
			       event_line);
		if (!event_line) {
			event_x = t - rel;
			event_line = row->line;
		}
		if (missing)
			continue;
		o = xgrow(o, &cap, n + 1, sizeof *o);
		o[n] = (struct its_obs){ rel, post, y, n };
		n++;
	}
	require_one_group(in, "prepost");
	if (group_count(in->groups) == 1) {
		series->name = group_labels(in->groups)[0];
		points_to_series(&pts, series, group_name(in->groups, 0), h->name[tcol]);
		free(pts.p);
		break_gaps(series);
	} else {
		free(pts.p);
	}
	if (event_line) {
		char *label = keep(xmalloc(48));
		snprintf(label, 48, "event %g", event_x);
		c->event_x = event_x;
		c->event_label = label;
		c->count = all_counts(o, n);
		fit_segments(o, n, event_x, c, group_name(in->groups, 0),
			     fit_model < 0 ? c->count : fit_model);
	} else if (group_count(in->groups) == 1) {
		warn("%s: no row has an event (rel_year or event_year): no event line, no fit",
		     group_name(in->groups, 0));
	}
	free(o);
	c->series = series;
	c->nseries = group_count(in->groups) == 1;
	c->xlabel = h->name[tcol];
	c->ylabel = h->name[vcol];
}

/* ---- estimates tables: event, forest, bar --------------------------------------- */

/* The rows of one term (and the columns they come from). */
struct term_rows {
	int term_col;		/* -1: the table has no term column */
	const char *term;	/* the term drawn (NULL: every row) */
	struct strlist seen;	/* every term in the input */
	int first_seen;		/* term is the first one seen, by default */
};

/* 1 when the row is of the term to draw; the first term seen is taken
 * when none was asked for. */
static int term_matches(struct term_rows *t, const struct csv_row *row)
{
	const char *s;
	size_t len;

	if (t->term_col < 0)
		return 1;
	s = row->f[t->term_col];
	len = row->len[t->term_col];
	if (strlist_find(&t->seen, s, len) < 0)
		strlist_push(&t->seen, s, len);
	if (!t->term) {
		t->term = t->seen.v[0];
		t->first_seen = 1;
	}
	return field_is(row, t->term_col, t->term);
}

static char *join_terms(const struct strlist *l, size_t most)
{
	char *s = NULL;
	size_t len = 0, cap = 0;

	for (size_t i = 0; i < l->n && i < most; i++) {
		s = xgrow(s, &cap, len + l->len[i] + 8, 1);
		len += (size_t)sprintf(s + len, "%s%s", i ? ", " : "", l->v[i]);
	}
	if (l->n > most)
		len += (size_t)sprintf(s + len, ", ...");
	return keep(s ? s : xstrdup(""));
}

/* After the rows: the term asked for must exist; a term taken by default
 * from several is named in a note. */
static void check_term(const struct input *in, struct term_rows *t, size_t matched,
		       const char *kind)
{
	if (t->term_col < 0)
		return;
	if (t->seen.n == 0)
		die_at(in->file, 0, 0, "nothing to plot: the table has no rows");
	if (matched == 0)
		die_at(in->file, 0, 0, "no row has term \"%s\"; the terms are: %s",
		       t->term, join_terms(&t->seen, 20));
	if (t->first_seen && t->seen.n > 1)
		warn("%s of term \"%s\", the first of %zu terms (%s): choose one with --term",
		     kind, t->term, t->seen.n, join_terms(&t->seen, 8));
}

static void term_rows_init(struct term_rows *t, const struct input *in, const char *dflt)
{
	memset(t, 0, sizeof *t);
	t->term_col = col_find(in->h, "term");
	t->term = term_arg ? term_arg : dflt;
	if (t->term_col < 0 && term_arg)
		col_require(in->h, in->file, "term", "term column");
}

/* Keeps the term (it points into the strlist) past strlist_free. */
static void term_rows_done(struct term_rows *t)
{
	if (t->term && t->term != term_arg)
		t->term = keep(xstrdup(t->term));
	strlist_free(&t->seen);
}

static double cell_or_nan(const struct input *in, const struct csv_row *row, int col)
{
	double v;

	if (col < 0 || cell_number(in->h, row, col, &v))
		return NAN;
	return v;
}

/* Rows whose estimate (or value, `what`) is missing are named in one note,
 * the first ten by label, or by rel_year when they have no label. */
static void note_left_out(const struct gp_estimate *e, size_t n, const char *what)
{
	char buf[512] = "";
	size_t len = 0, count = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isnan(e[i].estimate) || count++ >= 10 || len >= sizeof buf - 80)
			continue;
		if (e[i].label)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\"%.60s\"",
						len ? ", " : "", e[i].label);
		else
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%g",
						len ? ", " : "", e[i].rel_year);
	}
	if (count)
		warn("left out, no %s (%zu): %s%s%s", what, count,
		     e[0].label ? "" : "rel_year ", buf, count > 10 ? ", ..." : "");
}

/* ---- event ---- */

struct event_row {
	struct gp_estimate e;
	long line;
};

static int by_rel_year(const void *a, const void *b)
{
	const struct event_row *p = a, *q = b;

	if (p->e.rel_year != q->e.rel_year)
		return p->e.rel_year < q->e.rel_year ? -1 : 1;
	return (p->line > q->line) - (p->line < q->line);
}

/* rel_year twice means two series in one (a group column left out) */
static void check_rel_years(const struct input *in, struct event_row *r, size_t n)
{
	xqsort(r, n, sizeof *r, by_rel_year);
	for (size_t i = 1; i < n; i++)
		if (r[i].e.rel_year == r[i - 1].e.rel_year)
			die_at(in->file, r[i].line, 0, "rel_year %g also on line %ld: an event "
			       "chart draws one estimate per rel_year (is a group column missing?)",
			       r[i].e.rel_year, r[i - 1].line);
}

static void build_event(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int rcol = col_require(h, in->file, "rel_year", "column");
	int ecol = col_require(h, in->file, "estimate", "column");
	int lcol, hcol;
	struct term_rows t;
	struct event_row *rows = NULL;
	struct gp_estimate *est;
	size_t n = 0, cap = 0;
	struct csv_row *row;

	if (band_uniform) {
		lcol = col_require(h, in->file, "band_low", "uniform band column");
		hcol = col_require(h, in->file, "band_high", "uniform band column");
	} else {
		lcol = col_find(h, "conf_low");
		hcol = col_find(h, "conf_high");
	}
	term_rows_init(&t, in, "att");
	find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		double rel;

		if (!term_matches(&t, row) || cell_number(h, row, rcol, &rel))
			continue;
		group_of(in->groups, row);
		rows = xgrow(rows, &cap, n + 1, sizeof *rows);
		rows[n].e = (struct gp_estimate){ NULL, rel, cell_or_nan(in, row, ecol),
						  cell_or_nan(in, row, lcol),
						  cell_or_nan(in, row, hcol) };
		rows[n++].line = row->line;
	}
	check_term(in, &t, n, "event chart");
	require_one_group(in, "event");
	check_rel_years(in, rows, n);
	est = keep(xcalloc(n ? n : 1, sizeof *est));
	for (size_t i = 0; i < n; i++)
		est[i] = rows[i].e;
	free(rows);
	note_left_out(est, n, "estimate");
	c->rows = est;
	c->nrows = n;
	c->band_label = band_uniform ? "uniform (sup-t) band" : "confidence interval";
	c->xlabel = h->name[rcol];
	term_rows_done(&t);
	c->ylabel = t.term ? t.term : h->name[ecol];
}

/* ---- line of an estimates table: estimate over time, conf band ---- */

/* One term (--term, else the first) of each group: estimate over the time
 * column, conf_low..conf_high as a shaded band. */
static void build_estimates_line(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, opt.time, "time column");
	int ecol = col_find(h, "estimate"), lcol = col_find(h, "conf_low");
	int hcol = col_find(h, "conf_high");
	struct points *acc = NULL;
	struct gp_series *series;
	const char **label;
	struct csv_row *row;
	size_t nacc = 0, cap = 0, matched = 0;
	struct term_rows t;

	if (facet_arg)
		die_usage("option --facet draws a long table (a value column), not an "
			  "estimates table");
	if (event_year_arg && !event_years_list(c))
		die_usage("option --event-year: an estimates table takes years "
			  "(e.g. 2003,2008), not a column");
	term_rows_init(&t, in, NULL);
	find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		size_t g;
		struct point *p;

		if (!term_matches(&t, row))
			continue;
		matched++;
		g = group_of(in->groups, row);
		if (g == nacc) {
			acc = xgrow(acc, &cap, nacc + 1, sizeof *acc);
			memset(&acc[nacc++], 0, sizeof *acc);
		}
		points_add(&acc[g], time_of(in, row, tcol), cell_or_nan(in, row, ecol));
		p = &acc[g].p[acc[g].n - 1];
		p->lo = cell_or_nan(in, row, lcol);
		p->hi = cell_or_nan(in, row, hcol);
	}
	check_term(in, &t, matched, "line chart");
	label = group_labels(in->groups);
	series = keep(xcalloc(nacc ? nacc : 1, sizeof *series));
	const double **lo = keep(xcalloc(nacc ? nacc : 1, sizeof *lo));
	const double **hi = keep(xcalloc(nacc ? nacc : 1, sizeof *hi));
	for (size_t g = 0; g < nacc; g++) {
		points_to_series(&acc[g], &series[g], group_name(in->groups, g), h->name[tcol]);
		points_band(&acc[g], &lo[g], &hi[g]);
		free(acc[g].p);
		series[g].name = label[g];
		if (log_y)	/* a bound <= 0 has no place either: no band there */
			for (size_t j = 0; j < series[g].n; j++)
				if (lo[g][j] <= 0 || hi[g][j] <= 0)
					((double *)lo[g])[j] = ((double *)hi[g])[j] = NAN;
	}
	free(acc);
	check_series_count(in, nacc);
	if (log_y)
		drop_nonpositive(series, nacc);
	c->band_lo = lo;
	c->band_hi = hi;
	c->series = series;
	c->nseries = nacc;
	c->xlabel = h->name[tcol];
	term_rows_done(&t);
	c->ylabel = t.term ? t.term : h->name[ecol];
}

/* ---- forest and bar: one row per group ---- */

struct group_row {
	struct gp_estimate e;
	long line;
	int seen;
};

/* Reads one row per group of the term drawn: value column vcol, interval
 * columns lcol and hcol (or -1).  Returns the rows, by group. */
static struct gp_estimate *read_group_rows(struct input *in, struct term_rows *t,
					   int vcol, int lcol, int hcol, const char *kind,
					   size_t *nrows)
{
	struct group_row *rows = NULL;
	struct gp_estimate *est;
	const char **label;
	size_t n = 0, cap = 0, matched = 0;
	struct csv_row *row;

	while (csv_next(in->r, &row)) {
		size_t g;

		if (!term_matches(t, row))
			continue;
		matched++;
		g = group_of(in->groups, row);
		if (g == n) {
			rows = xgrow(rows, &cap, n + 1, sizeof *rows);
			memset(&rows[n++], 0, sizeof *rows);
		} else if (in->ng == 0) {
			die_at(row->file, row->line, 0, "another row like line %ld: with no "
			       "group columns %s charts draw one row (name them with -g)",
			       rows[g].line, kind);
		} else {
			die_at(row->file, row->line, 0, "group \"%s\" also on line %ld: %s "
			       "charts draw one row per group (keep one first, e.g. one year "
			       "with tt-select --from Y --to Y, or name more group columns "
			       "with -g)", group_label(in->groups, g), rows[g].line, kind);
		}
		rows[g].e = (struct gp_estimate){ NULL, NAN, cell_or_nan(in, row, vcol),
						  cell_or_nan(in, row, lcol),
						  cell_or_nan(in, row, hcol) };
		rows[g].line = row->line;
	}
	check_term(in, t, matched, kind);
	label = group_labels(in->groups);
	est = keep(xcalloc(n ? n : 1, sizeof *est));
	for (size_t i = 0; i < n; i++) {
		est[i] = rows[i].e;
		est[i].label = label[i] ? label[i] : "";
	}
	free(rows);
	note_left_out(est, n, in->h->name[vcol]);
	*nrows = n;
	return est;
}

/* ---- forest ---- */

/* The rows of one term, by group index (a group may lack the term). */
struct forest_set {
	struct group_row *rows;
	const char **name;	/* from the name column, NULL: none */
	double *n;
	size_t cap;
	size_t matched;
};

struct forest_cols {
	int est, lo, hi, name, n;
};

static void forest_put(struct input *in, struct forest_set *s, const struct csv_row *row,
		       const struct forest_cols *fc, size_t g)
{
	if (g >= s->cap) {
		size_t old = s->cap;
		s->cap = g + 16;
		s->rows = xrealloc(s->rows, s->cap * sizeof *s->rows);
		s->name = xrealloc(s->name, s->cap * sizeof *s->name);
		s->n = xrealloc(s->n, s->cap * sizeof *s->n);
		memset(s->rows + old, 0, (s->cap - old) * sizeof *s->rows);
		memset(s->name + old, 0, (s->cap - old) * sizeof *s->name);
	}
	if (s->rows[g].seen)
		die_at(row->file, row->line, 0, "group \"%s\" also on line %ld: forest "
		       "charts draw one row per group (keep one first, e.g. one year "
		       "with tt-select --from Y --to Y, or name more group columns "
		       "with -g)", group_label(in->groups, g), s->rows[g].line);
	s->rows[g] = (struct group_row){ { NULL, NAN, cell_or_nan(in, row, fc->est),
					   cell_or_nan(in, row, fc->lo),
					   cell_or_nan(in, row, fc->hi) }, row->line, 1 };
	s->name[g] = fc->name >= 0 && !is_missing(row->f[fc->name], row->len[fc->name])
		? clean_text(row->f[fc->name], row->len[fc->name]) : NULL;
	s->n[g] = cell_or_nan(in, row, fc->n);
	s->matched++;
}

static void forest_set_free(struct forest_set *s)
{
	free(s->rows);
	free(s->name);
	free(s->n);
}

/* A pooled row: its first group column reads ALL (tt-prepost --pooled),
 * all or pooled. */
static int is_pooled_row(const struct input *in, const struct csv_row *row)
{
	int c;

	if (in->ng == 0)
		return 0;
	c = in->gcols[0];
	return (row->len[c] == 3 && strncasecmp(row->f[c], "all", 3) == 0) ||
	       (row->len[c] == 6 && strncasecmp(row->f[c], "pooled", 6) == 0);
}

struct pooled_row {
	char *term;
	struct gp_estimate e;
	double n;
};

/* the pooled row of the term drawn: its term, or pooled_TERM (tt-prepost
 * --pooled writes pooled_diff beside the groups' diff) */
static void pick_pooled(struct gp_chart *c, struct pooled_row *p, size_t np, const char *term)
{
	for (int pass = 0; pass < 2 && !c->pooled; pass++)
		for (size_t i = 0; i < np && !c->pooled; i++) {
			const char *want = p[i].term;
			if (pass == 1 && strncmp(want, "pooled_", 7) == 0)
				want += 7;
			if (term && strcmp(want, term) == 0 && isfinite(p[i].e.estimate)) {
				struct gp_estimate *e = keep(xmalloc(sizeof *e));
				*e = p[i].e;
				c->pooled = e;
				c->pooled_n = p[i].n;
			}
		}
	for (size_t i = 0; i < np; i++)
		free(p[i].term);
	free(p);
}

struct forest_item {
	struct gp_estimate e;
	double n;
	size_t order;
};

static int by_label(const void *a, const void *b)
{
	const struct forest_item *p = a, *q = b;
	int c = strcmp(p->e.label, q->e.label);

	return c ? c : (p->order > q->order) - (p->order < q->order);
}

/* largest n first, a missing n last */
static int by_n(const void *a, const void *b)
{
	const struct forest_item *p = a, *q = b;

	if (p->n != q->n && !(isnan(p->n) && isnan(q->n))) {
		if (isnan(p->n) || isnan(q->n))
			return isnan(p->n) ? 1 : -1;
		return p->n > q->n ? -1 : 1;
	}
	return (p->order > q->order) - (p->order < q->order);
}

/* --sort: estimate is the chart's own order; the others are the rows'
 * order from the top, which the chart keeps */
static void forest_order(struct gp_estimate *est, double *rn, size_t n, struct gp_chart *c)
{
	struct forest_item *it;

	c->keep_order = sort_order != SORT_ESTIMATE;
	if (sort_order == SORT_ESTIMATE || sort_order == SORT_INPUT || n == 0)
		return;
	it = xmalloc(n * sizeof *it);
	for (size_t i = 0; i < n; i++)
		it[i] = (struct forest_item){ est[i], rn[i], i };
	xqsort(it, n, sizeof *it, sort_order == SORT_LABEL ? by_label : by_n);
	for (size_t i = 0; i < n; i++) {
		est[i] = it[i].e;
		rn[i] = it[i].n;
	}
	free(it);
}

static void build_forest(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	struct forest_cols fc = { col_require(h, in->file, "estimate", "column"),
				  col_find(h, "conf_low"), col_find(h, "conf_high"), -1, -1 };
	static const char *const names[] = { "country", "name", "un_name" };
	struct forest_set set[2];	/* the term asked (or first seen); diff */
	struct pooled_row *pooled = NULL;
	size_t npooled = 0, cap_pooled = 0, n, use;
	struct term_rows t;
	struct csv_row *row;
	const char **label;
	struct gp_estimate *est;
	double *rn;

	memset(set, 0, sizeof set);
	if (fc.lo < 0 || fc.hi < 0)
		fc.lo = fc.hi = -1;
	for (size_t i = 0; i < 3 && fc.name < 0; i++)
		fc.name = col_find(h, names[i]);
	fc.n = col_find(h, "n_treated") >= 0 ? col_find(h, "n_treated") : col_find(h, "n");
	term_rows_init(&t, in, NULL);
	find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		int m, diff;

		if (is_pooled_row(in, row)) {
			pooled = xgrow(pooled, &cap_pooled, npooled + 1, sizeof *pooled);
			pooled[npooled++] = (struct pooled_row){
				t.term_col >= 0 ? xstrndup(row->f[t.term_col], row->len[t.term_col])
						: xstrdup(""),
				{ "pooled", NAN, cell_or_nan(in, row, fc.est),
				  cell_or_nan(in, row, fc.lo), cell_or_nan(in, row, fc.hi) },
				cell_or_nan(in, row, fc.n) };
			continue;
		}
		m = term_matches(&t, row);
		diff = !term_arg && t.term_col >= 0 && field_is(row, t.term_col, "diff");
		if (!m && !diff)
			continue;
		size_t g = group_of(in->groups, row);
		if (in->ng == 0 && set[m ? 0 : 1].matched)
			die_at(row->file, row->line, 0, "another row like line %ld: with no "
			       "group columns forest charts draw one row (name them with -g)",
			       set[m ? 0 : 1].rows[0].line);
		if (m)
			forest_put(in, &set[0], row, &fc, g);
		if (diff)
			forest_put(in, &set[1], row, &fc, g);
	}
	/* a tt-prepost table: the difference, not the first term (mean_pre) */
	use = set[1].matched && !(t.term && strcmp(t.term, "diff") == 0) ? 1 : 0;
	if (use == 1) {
		t.term = "diff";
		t.first_seen = 0;
	} else {
		check_term(in, &t, set[0].matched, "forest");
	}
	label = group_labels(in->groups);
	n = group_count(in->groups);
	est = keep(xcalloc(n ? n : 1, sizeof *est));
	rn = keep(xcalloc(n ? n : 1, sizeof *rn));
	{
		size_t k = 0;
		for (size_t g = 0; g < n && g < set[use].cap; g++) {
			if (!set[use].rows[g].seen)
				continue;
			est[k] = set[use].rows[g].e;
			est[k].label = set[use].name[g] ? set[use].name[g]
							: label[g] ? label[g] : "";
			rn[k++] = set[use].n[g];
		}
		n = k;
	}
	forest_set_free(&set[0]);
	forest_set_free(&set[1]);
	note_left_out(est, n, h->name[fc.est]);
	term_rows_done(&t);
	pick_pooled(c, pooled, npooled, t.term);
	forest_order(est, rn, n, c);
	c->rows = est;
	c->nrows = n;
	c->row_n = fc.n >= 0 ? rn : NULL;
	c->xlabel = t.term ? t.term : h->name[fc.est];
}

/* bar: the value column, or estimate in an estimates table */
static void build_bar(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int vcol, lcol = col_find(h, "conf_low"), hcol = col_find(h, "conf_high");
	struct term_rows t;

	if (strcmp(opt.value, "value") == 0 && col_find(h, "value") < 0 &&
	    col_find(h, "estimate") >= 0)
		vcol = col_find(h, "estimate");
	else
		vcol = col_require(h, in->file, opt.value, "value column");
	if (lcol < 0 || hcol < 0)
		lcol = hcol = -1;
	term_rows_init(&t, in, NULL);
	find_groups(in, NULL);
	if (in->ng == 0)
		die_at(in->file, 1, 0, "a bar chart needs group columns to name its bars "
		       "(-g COLS; the default is those of iso3,indicator present)");
	c->rows = read_group_rows(in, &t, vcol, lcol, hcol, "bar", &c->nrows);
	term_rows_done(&t);
	c->ylabel = t.term ? t.term : h->name[vcol];
}

/* ---- step ----------------------------------------------------------------------- */

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
static void check_units(const struct input *in, struct dated *d, size_t n, int kcol)
{
	xqsort(d, n, sizeof *d, by_series_key);
	for (size_t i = 1; i < n; i++)
		if (d[i].series == d[i - 1].series && d[i].keylen == d[i - 1].keylen &&
		    memcmp(d[i].key, d[i - 1].key, d[i].keylen) == 0)
			die_at(in->file, d[i].line, kcol + 1, "key \"%s\" also on line %ld%s%s: "
			       "a step chart counts each unit once per series", d[i].key,
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
	struct gp_series *s = keep(xcalloc(nseries ? nseries : 1, sizeof *s));
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
		double *x = keep(xmalloc(years * sizeof *x));
		double *y = keep(xcalloc(years, sizeof *y));
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

static void build_step(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int dcol = col_require(h, in->file, date_arg, "date column");
	int kcol = key_arg ? col_require(h, in->file, key_arg, "key column")
			   : col_find(h, "iso3");
	struct dated *d = NULL;
	size_t n = 0, cap = 0, undated = 0;
	struct csv_row *row;

	find_groups(in, "instrument");
	while (csv_next(in->r, &row)) {
		int year;

		/* a series of undated rows only would be a flat line at 0 */
		if (is_missing(row->f[dcol], row->len[dcol])) {
			undated++;
			continue;
		}
		if (!parse_date(row->f[dcol], row->len[dcol], &year, NULL, NULL))
			die_at(row->file, row->line, dcol + 1, "column \"%s\": \"%s\" is not a "
			       "date (YYYY-MM-DD, YYYY-MM or YYYY)", h->name[dcol], row->f[dcol]);
		d = xgrow(d, &cap, n + 1, sizeof *d);
		d[n] = (struct dated){ group_of(in->groups, row), year, NULL, 0, row->line };
		if (kcol >= 0) {
			d[n].key = keep(xstrndup(row->f[kcol], row->len[kcol]));
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
	step_series(d, n, c, group_labels(in->groups), group_count(in->groups));
	free(d);
	c->xlabel = "year";
	c->ylabel = "cumulative count";
}

/* ---- synth: tt-synth --detail ------------------------------------------------------ */

/* The groups: -g, --all, or the columns before the time column (tt-synth
 * writes the unit and its --by columns there). */
static void synth_groups(struct input *in, int tcol)
{
	if (opt.groups || opt.all) {
		find_groups(in, NULL);
		return;
	}
	in->gcols = keep(xmalloc((size_t)(tcol ? tcol : 1) * sizeof *in->gcols));
	for (int k = 0; k < tcol; k++)
		in->gcols[k] = k;
	in->ng = (size_t)tcol;
	in->groups = group_new(in->gcols, in->ng);
}

/* the y label: the indicator among the group columns, else "value" */
static const char *synth_ylabel(const struct input *in)
{
	for (size_t k = 0; k < in->ng && group_count(in->groups); k++)
		if (strcmp(in->h->name[in->gcols[k]], "indicator") == 0) {
			size_t len;
			const char *v = group_key(in->groups, 0, k, &len);
			return clean_text(v, len);
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

static void synth_row(struct input *in, struct synth_read *s, const struct csv_row *row,
		      int tcol, int ecol, int dcol, int term)
{
	double y = cell_or_nan(in, row, ecol);

	if (field_is(row, term, "event")) {
		s->event = time_of(in, row, tcol);
	} else if (field_is(row, term, "treated")) {
		points_add(&s->treated, time_of(in, row, tcol), y);
	} else if (field_is(row, term, "synthetic")) {
		points_add(&s->synthetic, time_of(in, row, tcol), y);
	} else if (field_is(row, term, "gap")) {
		points_add(&s->gap, time_of(in, row, tcol), y);
	} else if (field_is(row, term, "placebo_gap") && dcol >= 0) {
		int j = strlist_find(&s->donors, row->f[dcol], row->len[dcol]);
		if (j < 0) {
			strlist_push(&s->donors, row->f[dcol], row->len[dcol]);
			j = (int)s->donors.n - 1;
			s->placebo = xgrow(s->placebo, &s->cap_placebo, s->donors.n,
					   sizeof *s->placebo);
			memset(&s->placebo[j], 0, sizeof *s->placebo);
		}
		points_add(&s->placebo[j], time_of(in, row, tcol), y);
	}
}

static void build_synth(struct input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int tcol = col_require(h, in->file, opt.time, "time column");
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
	require_one_group(in, "synth");
	if (s.treated.n == 0 || s.synthetic.n == 0 || s.gap.n == 0)
		die_at(in->file, 0, 0, "synth charts draw the rows treated, synthetic and gap "
		       "that tt-synth --detail writes; the input lacks %s (run tt-synth with "
		       "--detail)", s.treated.n == 0 ? "treated" : s.synthetic.n == 0 ?
		       "synthetic" : "gap");
	const char *who = group_name(in->groups, 0);
	const char *label = group_labels(in->groups)[0];
	struct gp_series *series = keep(xcalloc(3 + s.donors.n, sizeof *series));
	points_to_series(&s.treated, &series[0], who, h->name[tcol]);
	points_to_series(&s.synthetic, &series[1], who, h->name[tcol]);
	points_to_series(&s.gap, &series[2], who, h->name[tcol]);
	series[0].name = series[2].name = label ? label : "treated";
	series[1].name = "synthetic control";
	free(s.treated.p);
	free(s.synthetic.p);
	free(s.gap.p);
	for (size_t j = 0; j < s.donors.n; j++) {
		points_to_series(&s.placebo[j], &series[3 + j], s.donors.v[j], h->name[tcol]);
		free(s.placebo[j].p);
	}
	if (isnan(s.event))
		warn("%s: no row has term event: no event line", who);
	else {
		char *text = keep(xmalloc(48));
		snprintf(text, 48, "event %g", s.event);
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

/* ---- the chart kinds -------------------------------------------------------------- */

static const struct kind {
	const char *name;
	enum gp_kind gp;
	unsigned opts;		/* which of our kind-specific options it takes */
	void (*build)(struct input *, struct gp_chart *);
} kinds[] = {
	{ "line", GP_LINE, 1u << O_LOG | 1u << O_EVENT_YEAR | 1u << O_FACET, build_line },
	{ "prepost", GP_PREPOST, 1u << O_FIT, build_prepost },
	{ "event", GP_EVENT, 1u << O_TERM | 1u << O_BAND, build_event },
	{ "forest", GP_FOREST, 1u << O_TERM | 1u << O_XRANGE | 1u << O_SORT, build_forest },
	{ "bar", GP_BAR, 1u << O_TERM, build_bar },
	{ "step", GP_STEP, 1u << O_DATE | 1u << O_KEY, build_step },
	{ "synth", GP_SYNTH, 0, build_synth },
};

static const struct kind *find_kind(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(name, kinds[i].name) == 0)
			return &kinds[i];
	die_usage("unknown chart kind '%s' (line, prepost, event, forest, bar, step or synth)", name);
}

static void check_options(const struct kind *k, struct gp_page *page)
{
	static const int specific[] = { O_TERM, O_BAND, O_DATE, O_KEY, O_XRANGE, O_SORT,
					O_LOG, O_EVENT_YEAR, O_FIT, O_FACET };

	for (size_t i = 0; i < sizeof specific / sizeof specific[0]; i++) {
		unsigned bit = 1u << specific[i];
		if ((given & bit) && !(k->opts & bit))
			die_usage("option --%s does not apply to %s charts",
				  options[specific[i]].lname, k->name);
	}
	if (output_arg && gp_terminal_for_path(output_arg, &page->term) != 0)
		die_usage("option --output: '%s' does not end in .png, .svg or .pdf", output_arg);
	if (size_arg && gp_parse_page_size(size_arg, dpi, &width, &height) != 0)
		die_usage("option --size: '%s' is not WxH, each side a number with an "
			  "optional unit (px, cm, mm, in) and 1 to %d pixels (e.g. 800x500, "
			  "24cm,15cm)", size_arg, GP_MAX_SIDE);
	page->output = output_arg;
	page->width = width;
	page->height = height;
	page->font_scale = font_scale;
	page->dpi = dpi;
}

/* Without --size, a forest grows with its rows and a bar chart with its
 * bars, so that every label keeps room to be read. */
static void fit_page(const struct gp_chart *c, struct gp_page *page)
{
	size_t n = 0;
	double px = dpi > 0 ? dpi / 96 : 1;

	if (given & 1u << O_SIZE)
		return;
	for (size_t i = 0; i < c->nrows; i++)
		n += isfinite(c->rows[i].estimate) != 0;
	if (c->pooled)		/* the pooled row and the blank row above it */
		n += 2;
	if (c->kind == GP_FOREST && 120 + 18 * n > GP_DEFAULT_HEIGHT)
		page->height = (int)(120 + 18 * (n < 1000 ? n : 1000));
	if (c->kind == GP_BAR && 160 + 22 * n > GP_DEFAULT_WIDTH)
		page->width = (int)(160 + 22 * (n < 800 ? n : 800));
	if (c->kind == GP_SYNTH)	/* two panels */
		page->height = 760;
	if (c->npanels > 1) {	/* small multiples: about 280x210 a panel */
		size_t cols = 1, rows;
		while (cols * cols < c->npanels)
			cols++;
		rows = (c->npanels + cols - 1) / cols;
		page->width = (int)(cols * 280 > GP_DEFAULT_WIDTH ? cols * 280 : GP_DEFAULT_WIDTH);
		page->height = (int)(rows * 210 + 40 > GP_DEFAULT_HEIGHT ? rows * 210 + 40
					: GP_DEFAULT_HEIGHT);
	}
	/* --dpi without --size: the default size, at that resolution */
	if (px != 1) {
		double w = (page->width ? page->width : GP_DEFAULT_WIDTH) * px;
		double h = (page->height ? page->height : GP_DEFAULT_HEIGHT) * px;
		page->width = (int)fmin(floor(w + 0.5), GP_MAX_SIDE);
		page->height = (int)fmin(floor(h + 0.5), GP_MAX_SIDE);
	}
}

/* --title, --xlabel, --ylabel replace the kind's defaults; '' removes */
static void set_labels(struct gp_chart *c)
{
	const char **text[] = { &c->title, &c->xlabel, &c->ylabel };

	for (int i = 0; i < 3; i++) {
		if (label_arg[i])
			*text[i] = label_arg[i];
		if (*text[i])
			*text[i] = clean_text(*text[i], strlen(*text[i]));
	}
}

static char *chart_text(const struct gp_chart *c, const char *file)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *err;

	if (!f)
		die(EXIT_DATA, "out of memory");
	err = gp_write_chart(f, c);
	if (fclose(f) != 0)
		die(EXIT_DATA, "out of memory");
	keep(text);
	if (err)
		die_at(file, 0, 0, "%s", err);
	return text;
}

static void print_script(const struct gp_page *page, const char *chart)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die(EXIT_DATA, "out of memory");
	gp_write_header(f, page);
	if (fclose(f) != 0)
		die(EXIT_DATA, "out of memory");
	out_raw(text, len);
	out_raw(chart, strlen(chart));
	free(text);
}

static void draw(const struct gp_page *page, const char *chart)
{
	char *message = NULL;
	int status = gnuplot_run(chart, page, &message);

	keep(message);
	if (status != GP_OK)
		die(EXIT_DATA, "%s", message ? message : "gnuplot failed");
	if (message)
		warn("gnuplot: %s", message);
}

/* Copies a file to standard output through the CSV writer, which reports
 * a full disk and ends quietly on a closed pipe. */
static int copy_out(const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");
	int bad;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		out_raw(buf, n);
	bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

/* The text chart (no -o): gnuplot writes it into a private directory and
 * we copy it out, so that a write error on standard output is ours to
 * see, as with every tool. */
static void draw_text(struct gp_page *page, const char *chart)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = keep(xmalloc(strlen(tmp && *tmp ? tmp : "/tmp") + 32));
	char *file;
	int copied;

	sprintf(dir, "%s/tt-plot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die(EXIT_DATA, "cannot make a temporary directory in %s: %s",
		    tmp && *tmp ? tmp : "/tmp", strerror(errno));
	file = keep(xmalloc(strlen(dir) + 16));
	sprintf(file, "%s/chart.txt", dir);
	page->output = file;
	{
		char *message = NULL;
		int status = gnuplot_run(chart, page, &message);

		keep(message);
		if (status != GP_OK) {
			rmdir(dir);
			die(EXIT_DATA, "%s", message ? message : "gnuplot failed");
		}
		if (message)
			warn("gnuplot: %s", message);
	}
	copied = copy_out(file);
	unlink(file);
	rmdir(dir);
	if (copied != 0)
		die(EXIT_DATA, "cannot read the chart gnuplot wrote: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	int first = opts_parse(argc, argv, &tool);
	struct gp_page page = { GP_TERM_DUMB, 0, 0, NULL, 0, 0 };
	struct gp_chart chart;
	const struct kind *k;
	struct input in = { 0 };
	char *text;

	if (first >= argc)
		die_usage("no chart kind given (line, prepost, event, forest, bar, step or synth)");
	k = find_kind(argv[first]);
	check_options(k, &page);
	in.r = csv_open(argv + first + 1, argc - first - 1, opt.delim);
	if (csv_read_header(in.r) != 0)
		return EXIT_DATA;
	in.h = csv_header(in.r);
	in.file = csv_first_file(in.r);

	gp_chart_init(&chart, k->gp);
	chart.range_lo = range_lo;
	chart.range_hi = range_hi;
	chart.hover = page.term == GP_TERM_SVG && page.output;
	chart.log_y = log_y;
	k->build(&in, &chart);
	set_labels(&chart);
	fit_page(&chart, &page);
	text = chart_text(&chart, in.file);
	if (script_only)
		print_script(&page, text);
	else if (page.output)
		draw(&page, text);
	else
		draw_text(&page, text);

	group_free(in.groups);
	csv_close(in.r);
	release_all();
	return out_close();
}
