/* tt-synth: the synthetic control of one country's event (Abadie, Diamond
 * & Hainmueller 2010, outcome only), with placebo-in-space inference.
 *
 * Reads a table joined by tt-join (one row per unit and year, the unit's
 * event year in every row), or any long table with --unit and
 * --event-year.  For each --by part (default: indicator) and each treated
 * unit (--unit, or every one with --all) it builds the panel of the years
 * the treated unit has a value, keeps the donors with a value in all of
 * them, and hands it to synth_estimate (tools/lib/synth.h).  Every part is
 * estimated before anything is written. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "estimates.h"
#include "group.h"
#include "number.h"
#include "options.h"
#include "strbuf.h"
#include "strlist.h"
#include "synth.h"
#include "synth_notes.h"

#define NO_EVENT (-1000000)     /* cohort of a unit never treated */
#define YEAR_MIN (-100000)
#define YEAR_MAX 100000

static const char *unit_col = "iso3", *by_arg, *cohort_arg = "event_year";
static const char *unit_arg, *donors_arg;
static long event_arg = NO_EVENT, from_year = YEAR_MIN, to_year = YEAR_MAX;
static int all_units, detail;

static const struct tool tool = {
	"tt-synth", "--unit NAME | --all [OPTION]... [FILE]...",
	"Synthetic control for one unit's event (Abadie, Diamond & Hainmueller 2010) on a table\n"
	"joined by tt-join: donor weights on the simplex fitted to the years before the event,\n"
	"the gap treated - synthetic per year, RMSPE before and after, and the post/pre RMSPE\n"
	"ratio with its placebo-in-space p-value (each donor treated in turn).",
	C_TABLE | C_TIME | C_VALUE | C_MAXG, (const struct tt_opt[]){
		OPT_STRING("group", 'g', "COL", unit_col, "the column naming the unit, e.g. the country (default 'iso3')"),
		OPT_STRING("by", 0, "COLS", by_arg, "a separate analysis per value of these columns (default 'indicator' when present; '' for none)"),
		OPT_STRING("unit", 0, "NAME", unit_arg, "the treated unit (a value of the unit column)"),
		OPT_FLAG("all", 0, all_units, "every treated unit with enough years, in turn"),
		OPT_LONG("event-year", 0, "Y", event_arg, YEAR_MIN + 1, YEAR_MAX - 1, "the treated unit's event year (with --unit; default its event_year cell)"),
		OPT_STRING("cohort", 0, "COL", cohort_arg, "the column of event years; empty = never treated (default 'event_year')"),
		OPT_STRING("donors", 0, "LIST", donors_arg, "only these units may be donors (comma-separated)"),
		OPT_LONG("from", 0, "Y", from_year, YEAR_MIN + 1, YEAR_MAX - 1, "use the years from Y on"),
		OPT_LONG("to", 0, "Y", to_year, YEAR_MIN + 1, YEAR_MAX - 1, "use the years up to Y"),
		OPT_FLAG("detail", 0, detail, "add rows event, treated, synthetic, placebo_gap, placebo_ratio (what tt-plot synth draws)"),
		OPT_END(),
	},
};

/* ------------------------------------------------------------------ */
/* Reading                                                              */

struct obs {
	size_t unit;
	long year;
	double y;               /* NaN: missing */
	const char *file;
	long line;
};

struct unit {
	size_t part;
	long cohort;            /* NO_EVENT when never treated */
	const char *file;       /* its first row */
	long line;
};

struct part {
	struct obs *o;
	size_t n, cap;
	size_t *units;          /* unit table indexes, in order of appearance */
	size_t n_units, cap_units;
};

struct input {
	int *by, unit, time, value, cohort;
	size_t n_by;
	struct group_table *parts, *units;
	struct part *part;
	size_t n_parts, cap_parts;
	struct unit *unit_v;
	size_t n_units, cap_units_v;
};

static void find_columns(struct input *in, const struct csv_header *h, const char *file)
{
	size_t n;
	int *u = col_require_list(h, file, unit_col, "unit column", &n);
	if (n != 1) {
		free(u);
		die_usage("option --group: tt-synth takes one unit column, not %zu", n);
	}
	in->unit = u[0];
	free(u);
	in->by = col_by(h, file, by_arg, &in->unit, 1, &in->n_by);
	in->time = col_require(h, file, opt.time, "time column");
	in->value = col_require(h, file, opt.value, "value column");
	in->cohort = col_find(h, cohort_arg);
	if (in->cohort < 0 && event_arg == NO_EVENT)
		die_at(file, 1, 0, "cohort column \"%s\" not found (join the event dates first: "
		       "tt-join -e EVENTS, or give --unit NAME --event-year Y)", cohort_arg);
}

static const char *unit_name(const struct input *in, size_t u, size_t *len)
{
	return group_key(in->units, u, in->n_by, len);
}

static void add_row(struct input *in, const struct csv_header *h, const struct csv_row *row)
{
	size_t b = group_of(in->parts, row), u = group_of(in->units, row);
	long year = cell_time(h, row, in->time, YEAR_MAX - 1), cohort = NO_EVENT;

	if (in->cohort >= 0 &&
	    (cell_year(h, row, in->cohort, YEAR_MAX - 1, &cohort) || cohort == 0))
		cohort = NO_EVENT;
	if (b == in->n_parts) {
		in->part = xgrow(in->part, &in->cap_parts, b + 1, sizeof *in->part);
		memset(&in->part[in->n_parts++], 0, sizeof *in->part);
	}
	struct part *p = &in->part[b];
	if (u == in->n_units) {
		in->unit_v = xgrow(in->unit_v, &in->cap_units_v, u + 1, sizeof *in->unit_v);
		in->unit_v[in->n_units++] = (struct unit){ b, cohort, row->file, row->line };
		p->units = xgrow(p->units, &p->cap_units, p->n_units + 1, sizeof *p->units);
		p->units[p->n_units++] = u;
	} else if (in->cohort >= 0 && in->unit_v[u].cohort != cohort) {
		const struct unit *un = &in->unit_v[u];
		size_t len;
		const char *name = unit_name(in, u, &len);

		die_cohort(h, row, in->cohort, cell_shown_n(name, len), cohort,
			   (struct cohort_seen){ un->cohort, un->file, un->line }, NO_EVENT);
	}
	if (year < from_year || year > to_year)
		return;
	double y;
	if (cell_number(h, row, in->value, &y))
		y = NAN;
	p->o = xgrow(p->o, &p->cap, p->n + 1, sizeof *p->o);
	p->o[p->n++] = (struct obs){ u, year, y, row->file, row->line };
}

static void read_input(struct csv_reader *r, struct input *in)
{
	struct csv_row *row;
	size_t nk = in->n_by + 1;
	int *keys = xmalloc(nk * sizeof *keys);

	memcpy(keys, in->by, in->n_by * sizeof *keys);
	keys[in->n_by] = in->unit;
	in->parts = group_new(in->by, in->n_by);
	in->units = group_new(keys, nk);
	free(keys);
	while (csv_next(r, &row))
		add_row(in, csv_header(r), row);
}

/* ------------------------------------------------------------------ */
/* The panel of one part: units by years                                */

struct panel {
	long *years;            /* distinct years with rows, sorted */
	size_t n_years;
	double *v;              /* [n_units * n_years], unit in part order */
	size_t n_units;
};

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static size_t year_index(const struct panel *pn, long year)
{
	const long *p = bsearch(&year, pn->years, pn->n_years, sizeof *p, cmp_long);
	return (size_t)(p - pn->years);
}

/* local index of each unit of the part */
static size_t *local_index(const struct input *in, const struct part *p)
{
	size_t *loc = xmalloc((in->n_units + 1) * sizeof *loc);
	for (size_t i = 0; i < p->n_units; i++)
		loc[p->units[i]] = i;
	return loc;
}

static void build_panel(const struct input *in, const struct part *p,
			const struct csv_header *h, struct panel *pn)
{
	size_t n = 0, *loc = local_index(in, p);
	const struct obs **seen;

	pn->years = xmalloc((p->n + 1) * sizeof *pn->years);
	for (size_t i = 0; i < p->n; i++)
		pn->years[i] = p->o[i].year;
	xqsort(pn->years, p->n, sizeof *pn->years, cmp_long);
	for (size_t i = 0; i < p->n; i++)
		if (n == 0 || pn->years[i] != pn->years[n - 1])
			pn->years[n++] = pn->years[i];
	pn->n_years = n;
	pn->n_units = p->n_units;
	pn->v = xmalloc((p->n_units * n + 1) * sizeof *pn->v);
	seen = xcalloc(p->n_units * n + 1, sizeof *seen);
	for (size_t i = 0; i < p->n_units * n; i++)
		pn->v[i] = NAN;
	for (size_t i = 0; i < p->n; i++) {
		const struct obs *o = &p->o[i];
		size_t k = loc[o->unit] * n + year_index(pn, o->year);
		if (seen[k]) {
			size_t len;
			const char *name = unit_name(in, o->unit, &len);
			die_unit_year_twice(h, o->file, o->line, in->time, cell_shown_n(name, len),
					    o->year, seen[k]->file, seen[k]->line);
		}
		seen[k] = o;
		pn->v[k] = o->y;
	}
	free(seen);
	free(loc);
}

static void free_panel(struct panel *pn)
{
	free(pn->years);
	free(pn->v);
}

/* ------------------------------------------------------------------ */
/* Messages                                                             */

/* "PHL" or "PHL, prosecution": the unit, then its --by columns (the key
 * holds them first) */
static char *case_label(const struct input *in, size_t u)
{
	struct strbuf b = { 0 };
	size_t *keys = xmalloc((in->n_by + 1) * sizeof *keys);

	keys[0] = in->n_by;
	for (size_t k = 0; k < in->n_by; k++)
		keys[k + 1] = k;
	group_label_add(&b, in->units, u, keys, in->n_by + 1, 1);
	free(keys);
	return sb_take(&b);
}

/* ------------------------------------------------------------------ */
/* One treated unit                                                     */

struct result {
	size_t part, unit;      /* the treated unit */
	long event;
	size_t T, T0, J;
	long *years;            /* [T] */
	double *y;              /* [T] */
	size_t *donor;          /* [J] local indexes */
	struct synth_result r;
};

static struct result *results;
static size_t n_results, cap_results;
static struct strlist donor_list;

/* the part's units at these local indexes, for sb_list */
struct named { const struct input *in; const struct part *p; const size_t *local; };

static void unit_item(struct strbuf *b, size_t i, const void *ctx)
{
	const struct named *u = ctx;
	size_t len;
	const char *name = unit_name(u->in, u->p->units[u->local[i]], &len);
	sb_puts(b, cell_shown_n(name, len));
}

/* "A, B, C": the units of the part at these local indexes */
static char *unit_list(const struct input *in, const struct part *p, const size_t *local,
		       size_t n)
{
	struct named u = { in, p, local };
	return sb_list(n, 0, unit_item, &u);
}

static void note_units(const char *label, const struct input *in, const struct part *p,
		       const size_t *local, size_t n, const char *what)
{
	char *list = unit_list(in, p, local, n);
	warn("%s: %zu unit%s %s: %s", label, n, n == 1 ? "" : "s", what, list);
	free(list);
}

/* The donors: other units never treated or treated after the last year
 * used, named in --donors if given, with a value in every year used.
 * Candidates lacking a year go to gap[]. */
static size_t pick_donors(const struct input *in, const struct part *p, const struct panel *pn,
			  size_t treated, const size_t *cols, size_t T, size_t *donor,
			  size_t *gap, size_t *n_gap)
{
	size_t J = 0;
	long last = pn->years[cols[T - 1]];

	*n_gap = 0;
	for (size_t i = 0; i < p->n_units; i++) {
		const struct unit *u = &in->unit_v[p->units[i]];
		size_t len;
		const char *name = unit_name(in, p->units[i], &len);
		if (i == treated)
			continue;
		if (donors_arg && strlist_find(&donor_list, name, len) < 0)
			continue;
		if (u->cohort != NO_EVENT && u->cohort <= last)
			continue;
		int complete = 1;
		for (size_t t = 0; t < T && complete; t++)
			complete = !isnan(pn->v[i * pn->n_years + cols[t]]);
		if (complete)
			donor[J++] = i;
		else
			gap[(*n_gap)++] = i;
	}
	return J;
}

static int estimate_case(const struct input *in, size_t b, const struct panel *pn,
			 size_t treated)
{
	const struct part *p = &in->part[b];
	size_t u = p->units[treated];
	const struct unit *un = &in->unit_v[u];
	long event = event_arg != NO_EVENT ? event_arg : in->unit_v[u].cohort;
	char *label = case_label(in, u);
	struct synth_case c = { label, un->file, un->line, all_units };
	size_t *cols = xmalloc((pn->n_years + 1) * sizeof *cols), T = 0, T0 = 0;
	int failed = 1;

	if (event == NO_EVENT) {
		warn_at(in->unit_v[u].file, in->unit_v[u].line, in->cohort + 1,
			"%s: no event year: the unit is not treated (give its year with "
			"--event-year, or pick a unit that has one)", label);
		free(cols);
		free(label);
		return 1;
	}
	for (size_t t = 0; t < pn->n_years; t++)
		if (!isnan(pn->v[treated * pn->n_years + t])) {
			cols[T++] = t;
			T0 += pn->years[t] < event;
		}
	if (T0 < SYNTH_MIN_PRE) {
		synth_refuse(&c, "%zu year%s with a value before the event (%ld): the weights "
			     "need at least %d", T0, T0 == 1 ? "" : "s", event, SYNTH_MIN_PRE);
		goto out;
	}
	if (T == T0) {
		synth_refuse(&c, "no year with a value from the event year %ld on (the last is "
			     "%ld): nothing to compare", event, pn->years[cols[T - 1]]);
		goto out;
	}
	size_t *donor = xmalloc((p->n_units + 1) * sizeof *donor), n_gap;
	size_t *gap = xmalloc((p->n_units + 1) * sizeof *gap);
	size_t J = pick_donors(in, p, pn, treated, cols, T, donor, gap, &n_gap);
	char *lacking = unit_list(in, p, gap, n_gap), *pool = unit_list(in, p, donor, J);
	int too_few = synth_explain_donors(&c, J, pool, n_gap, lacking, pn->years[cols[0]],
					   pn->years[cols[T - 1]], donors_arg != NULL);
	free(lacking);
	free(pool);
	free(gap);
	if (too_few) {
		free(donor);
		goto out;
	}
	double *y = xmalloc(T * sizeof *y), *X = xmalloc(J * T * sizeof *X);
	long *years = xmalloc(T * sizeof *years);
	for (size_t t = 0; t < T; t++) {
		years[t] = pn->years[cols[t]];
		y[t] = pn->v[treated * pn->n_years + cols[t]];
		for (size_t j = 0; j < J; j++)
			X[j * T + t] = pn->v[donor[j] * pn->n_years + cols[t]];
	}
	struct synth_panel sp = { T, T0, J, y, X };
	struct result res = { b, u, event, T, T0, J, years, y, donor, { 0 } };
	int st = synth_estimate(&sp, &res.r);
	free(X);
	if (st != SYNTH_OK) {
		synth_explain_status(&c, st, y[0], years[0], years[T0 - 1]);
		synth_result_free(&res.r);
		free(y);
		free(years);
		free(donor);
		goto out;
	}
	synth_warn_result(label, &res.r);
	results = xgrow(results, &cap_results, n_results + 1, sizeof *results);
	results[n_results++] = res;
	failed = 0;
out:
	free(cols);
	free(label);
	return failed;
}

/* the treated unit's years with a value before its event */
static size_t pre_years(const struct panel *pn, size_t i, long event)
{
	size_t n = 0;
	for (size_t t = 0; t < pn->n_years && pn->years[t] < event; t++)
		n += !isnan(pn->v[i * pn->n_years + t]);
	return n;
}

/* --unit: the unit in this part, or exit naming it */
static size_t find_unit(const struct input *in, const struct part *p, size_t b)
{
	for (size_t i = 0; i < p->n_units; i++) {
		size_t len;
		const char *name = unit_name(in, p->units[i], &len);
		if (len == strlen(unit_arg) && memcmp(name, unit_arg, len) == 0)
			return i;
	}
	if (in->n_by)
		warn("%s: no rows of unit %s", group_label(in->parts, b), cell_shown(unit_arg));
	else
		warn("no rows of unit %s", cell_shown(unit_arg));
	return SIZE_MAX;
}

static int estimate_part(const struct input *in, size_t b, const struct csv_header *h)
{
	const struct part *p = &in->part[b];
	struct panel pn;
	int failed = 0;

	build_panel(in, p, h, &pn);
	if (!all_units) {
		size_t i = find_unit(in, p, b);
		failed = i == SIZE_MAX || estimate_case(in, b, &pn, i);
	} else {
		size_t *few = xmalloc((p->n_units + 1) * sizeof *few), n_few = 0;
		size_t *late = xmalloc((p->n_units + 1) * sizeof *late), n_late = 0;
		for (size_t i = 0; i < p->n_units; i++) {
			long g = in->unit_v[p->units[i]].cohort;
			if (g == NO_EVENT || pn.n_years == 0 || g > pn.years[pn.n_years - 1])
				continue;
			if (pre_years(&pn, i, g) < SYNTH_MIN_PRE)
				few[n_few++] = i;
			else if (pre_years(&pn, i, YEAR_MAX) == pre_years(&pn, i, g))
				late[n_late++] = i;
			else
				estimate_case(in, b, &pn, i);
		}
		const char *label = in->n_by ? group_label(in->parts, b) : "--all";
		char what[128];
		if (n_few) {
			snprintf(what, sizeof what, "with fewer than %d years with a value before "
				 "the event, left out", SYNTH_MIN_PRE);
			note_units(label, in, p, few, n_few, what);
		}
		if (n_late)
			note_units(label, in, p, late, n_late, "without a value from the event "
				   "year on, left out");
		free(few);
		free(late);
	}
	free_panel(&pn);
	return failed;
}

static void check_donor_names(const struct input *in)
{
	for (size_t k = 0; k < donor_list.n; k++) {
		int found = 0;
		for (size_t u = 0; u < in->n_units && !found; u++) {
			size_t len;
			const char *name = unit_name(in, u, &len);
			found = len == donor_list.len[k] && memcmp(name, donor_list.v[k], len) == 0;
		}
		if (!found)
			die(EXIT_DATA, "option --donors: no rows of unit %s",
			    cell_shown(donor_list.v[k]));
	}
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

static const struct input *out_in;

static void row_start(const struct result *res, double year, const char *donor, size_t dlen)
{
	size_t len;
	const char *name = unit_name(out_in, res->unit, &len);
	out_field(name, len);
	for (size_t k = 0; k < out_in->n_by; k++) {
		const char *v = group_key(out_in->units, res->unit, k, &len);
		out_field(v, len);
	}
	if (isnan(year))
		out_empty();
	else
		out_int((long long)year);     /* a year, whatever -p says */
	if (donor)
		out_field(donor, dlen);
	else
		out_empty();
}

static void put(const struct result *res, double year, size_t donor, const char *term,
		double estimate, long long n, const char *method)
{
	struct estimates_row r = estimates_row(term, method);
	r.inf.estimate = estimate;
	r.n = n;
	if (donor == SIZE_MAX) {
		row_start(res, year, NULL, 0);
	} else {
		size_t len;
		const char *name = unit_name(out_in, out_in->part[res->part].units[donor], &len);
		row_start(res, year, name, len);
	}
	estimates_write(&r, NULL);
}

static void write_detail(const struct result *res, const char *method)
{
	const struct synth_result *r = &res->r;
	put(res, (double)res->event, SIZE_MAX, "event", NAN, -1, NULL);
	for (size_t t = 0; t < res->T; t++)
		put(res, (double)res->years[t], SIZE_MAX, "treated", res->y[t], 1, NULL);
	for (size_t t = 0; t < res->T; t++)
		put(res, (double)res->years[t], SIZE_MAX, "synthetic", r->synthetic[t],
		    (long long)res->J, method);
	for (size_t j = 0; j < res->J; j++)
		for (size_t t = 0; t < res->T; t++)
			put(res, (double)res->years[t], res->donor[j], "placebo_gap",
			    r->placebo_gap[j * res->T + t], (long long)res->J - 1, method);
	for (size_t j = 0; j < res->J; j++)
		put(res, NAN, res->donor[j], "placebo_ratio",
		    isinf(r->placebo_ratio[j]) ? NAN : r->placebo_ratio[j],
		    (long long)res->J - 1, method);
}

static void write_result(const struct result *res)
{
	const struct synth_result *r = &res->r;
	char method[64], placebo[64];
	size_t *order = xmalloc(res->J * sizeof *order);

	snprintf(method, sizeof method, "synth(donors=%zu)", res->J);
	snprintf(placebo, sizeof placebo, "placebo-in-space(donors=%zu)", res->J);
	for (size_t t = 0; t < res->T; t++)
		put(res, (double)res->years[t], SIZE_MAX, "gap", r->gap[t], (long long)res->J, method);
	synth_order(r->w, res->J, order);
	for (size_t k = 0; k < res->J && r->w[order[k]] > 1e-6; k++)
		put(res, NAN, res->donor[order[k]], "weight", r->w[order[k]],
		    (long long)res->T0, method);
	free(order);
	put(res, NAN, SIZE_MAX, "rmspe_pre", r->rmspe_pre, (long long)res->T0, method);
	put(res, NAN, SIZE_MAX, "rmspe_post", r->rmspe_post, (long long)(res->T - res->T0), method);
	struct estimates_row row = estimates_row("ratio", placebo);
	row.inf.estimate = r->ratio;
	if (!isnan(r->ratio)) {
		row.inf.statistic = (double)(1 + r->n_as_extreme);
		row.inf.p_value = r->p_value;
	}
	row.n = (long long)res->J + 1;
	row_start(res, NAN, NULL, 0);
	estimates_write(&row, NULL);
	if (detail)
		write_detail(res, method);
}

static void write_table(const struct input *in, const struct csv_header *h)
{
	const char *lead[] = { h->name[in->time], "donor", NULL };
	int *g = xmalloc((in->n_by + 1) * sizeof *g);

	g[0] = in->unit;
	memcpy(g + 1, in->by, in->n_by * sizeof *g);
	out_in = in;
	estimates_header(h, g, in->n_by + 1, lead, NULL);
	free(g);
	for (size_t i = 0; i < n_results; i++)
		write_result(&results[i]);
}

static void free_all(struct input *in)
{
	for (size_t i = 0; i < n_results; i++) {
		synth_result_free(&results[i].r);
		free(results[i].years);
		free(results[i].y);
		free(results[i].donor);
	}
	free(results);
	for (size_t b = 0; b < in->n_parts; b++) {
		free(in->part[b].o);
		free(in->part[b].units);
	}
	free(in->part);
	free(in->unit_v);
	free(in->by);
	group_free(in->parts);
	group_free(in->units);
	strlist_free(&donor_list);
}

static void check_usage(void)
{
	if (!unit_arg && !all_units)
		die_usage("name the treated unit with --unit NAME, or use --all");
	if (unit_arg && all_units)
		die_usage("--unit and --all cannot be used together");
	if (event_arg != NO_EVENT && !unit_arg)
		die_usage("--event-year needs --unit");
	if (from_year > to_year)
		die_usage("option --from: %ld is after --to %ld", from_year, to_year);
	if (donors_arg)
		strlist_split(&donor_list, donors_arg);
}

int main(int argc, char **argv)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, &tool);
	check_usage();
	struct csv_reader *r = csv_open(argv + first, argc - first, opt.delim);
	struct input in = { 0 };
	int failed = 0;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	find_columns(&in, csv_header(r), csv_first_file(r));
	read_input(r, &in);
	if (in.n_parts == 0)
		die_at(csv_first_file(r), 0, 0, "no rows below the header: nothing to estimate");
	if (donors_arg)
		check_donor_names(&in);
	for (size_t b = 0; b < in.n_parts; b++)
		failed |= estimate_part(&in, b, csv_header(r));
	if (all_units && n_results == 0) {
		warn("no treated unit could be estimated");
		failed = 1;
	}
	if (!failed)
		write_table(&in, csv_header(r));
	free_all(&in);
	csv_close(r);
	if (failed)
		return EXIT_DATA;
	return out_close();
}
