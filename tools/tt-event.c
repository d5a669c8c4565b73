/* tt-event: event study and staggered difference-in-differences after
 * Callaway & Sant'Anna (2021), with inference clustered by unit (bootstrap,
 * multiplier bootstrap or did's analytic influence functions) and
 * randomization inference.
 *
 * Reads a table joined by tt-join (one row per unit and year, the unit's
 * event year in every row), splits it by the --by columns (default
 * indicator), hands each part to did_estimate (tools/lib/did.h) and writes
 * the estimates table with rel_year before term and the sup-t band after
 * method.  Every part is estimated before anything is written, so a part
 * that cannot be estimated fails the run with no table. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "did.h"
#include "did_notes.h"
#include "diag.h"
#include "estimates.h"
#include "group.h"
#include "number.h"
#include "options.h"
#include "strbuf.h"

static const char *unit_arg = "iso3", *by_arg, *cohort_arg = "event_year";
static int window_lo = DID_WINDOW_ALL_LO, window_hi = DID_WINDOW_ALL_HI;
static const char *window_text;
static int control = DID_CONTROL_NOTYET;        /* enum did_control */
static int base = DID_BASE_VARYING;             /* enum did_base */
static long reps = 999;
static int se_method = DID_SE_BOOTSTRAP;        /* enum did_se */
/* chosen by the placebo calibration (tt-event(1), "Choosing the defaults");
 * the method column names K only when it differs from this */
#define MIN_TREATED_DEFAULT 3
static long min_treated = MIN_TREATED_DEFAULT, permutations;
static unsigned long seed = 1;
static int balance, detail;

/* "A:B", either end may be left out */
static void parse_window(const struct tt_opt *o, const char *arg)
{
	const char *colon = strchr(arg, ':');
	long v[2] = { DID_WINDOW_ALL_LO, DID_WINDOW_ALL_HI };
	const char *part[2];
	size_t len[2];

	(void)o;
	if (!colon || strchr(colon + 1, ':'))
		die_usage("option --window: '%s' is not A:B (relative years, e.g. -5:5)", arg);
	part[0] = arg;
	len[0] = (size_t)(colon - arg);
	part[1] = colon + 1;
	len[1] = strlen(colon + 1);
	for (int i = 0; i < 2; i++) {
		double x;
		if (len[i] == 0)
			continue;
		if (parse_number(part[i], len[i], &x) != NUM_OK || x != floor(x) ||
		    fabs(x) > 1000000)
			die_usage("option --window: '%.*s' is not a whole number of years",
				  (int)len[i], part[i]);
		v[i] = (long)x;
	}
	if (v[0] > v[1])
		die_usage("option --window: the start %ld is after the end %ld", v[0], v[1]);
	window_lo = (int)v[0];
	window_hi = (int)v[1];
	window_text = arg;
}

static void set_seed(const struct tt_opt *o, const char *arg)
{
	seed = (unsigned long)opt_long(o->lname, arg, 0, 4294967295L);
}

/* the words of --control, --base and --se, and the values they stand for */
static const char *const controls[] = { "never", "notyet", NULL };
static const int control_of[] = { DID_CONTROL_NEVER, DID_CONTROL_NOTYET };
static const char *const bases[] = { "varying", "universal", NULL };    /* enum did_base's */
static const char *const se_words[] = { "analytic", "multiplier", "bootstrap", NULL };
static const int se_of[] = { DID_SE_ANALYTIC, DID_SE_MULTIPLIER, DID_SE_BOOTSTRAP };

static const struct tool tool = {
	"tt-event", "[OPTION]... [FILE]...",
	"Event study and staggered difference-in-differences (Callaway & Sant'Anna) on a table\n"
	"joined by tt-join: ATT(g,t) per cohort and year, aggregated by relative year (term att)\n"
	"and overall (att_simple, att_dynamic, att_group), a pre-trend test (pretrend),\n"
	"standard errors, confidence intervals and sup-t bands clustered by unit (--se), and\n"
	"randomization p-values (--permute).",
	C_TABLE | C_TIME | C_VALUE | C_LEVEL | C_MAXG, (const struct tt_opt[]){
		OPT_STRING("group", 'g', "COLS", unit_arg, "the column(s) naming the unit, e.g. the country (default 'iso3')"),
		OPT_STRING("by", 0, "COLS", by_arg, "a separate analysis per value of these columns (default 'indicator' when present; '' for none)"),
		OPT_STRING("cohort", 0, "COL", cohort_arg, "the unit's event year; empty or 0 = never treated (default 'event_year')"),
		OPT_CALLBACK("window", 0, "A:B", parse_window, "relative years to report, A or B may be left out (default all)"),
		OPT_CHOICE_MAP("control", 0, "WHICH", control, controls, control_of, "never: never-treated units; notyet: also those treated later (default notyet)"),
		OPT_CHOICE("base", 0, "WHICH", base, bases, "varying or universal base year of the pre-treatment effects (default varying)"),
		OPT_LONG("reps", 0, "N", reps, 0, 1000000, "bootstrap replications, 0 for none (default 999)"),
		OPT_CALLBACK("seed", 0, "S", set_seed, "seed of the bootstrap's random numbers (default 1)"),
		OPT_FLAG("balance", 0, balance, "first drop units missing any year with data (R did's default)"),
		OPT_FLAG("detail", 0, detail, "add rows att_cohort and att_gt, and the columns cohort,year"),
		OPT_CHOICE_MAP("se", 0, "METHOD", se_method, se_words, se_of, "standard errors: analytic, multiplier or bootstrap (default bootstrap)"),
		OPT_LONG("min-treated", 0, "K", min_treated, 1, 1000000, "cells on fewer than K treated units: no standard error, left out of the aggregates (default 3)"),
		OPT_LONG("permute", 0, "N", permutations, 1, 10000000, "randomization inference: N permutations of the cohorts across units, column p_perm"),
		OPT_END(),
	},
};

/* ------------------------------------------------------------------ */
/* Reading                                                              */

struct obs {
	size_t unit;            /* index in the unit table */
	int year;
	double y;               /* NaN: missing */
	const char *file;
	long line;
};

struct unit {
	size_t part;            /* the --by group */
	int cohort;             /* DID_NEVER when never treated */
	int local;              /* index in its part's panel */
	size_t n_values;
	const char *file;       /* where its cohort was first read */
	long line;
};

/* one --by group: its rows, its units, and what did_estimate made of them */
struct part {
	struct obs *o;
	size_t n, cap;
	size_t *units;          /* unit table indexes; sorted by key before use */
	size_t n_units, cap_units;
	struct did_result res;
	int failed;
};

struct columns {
	int *by, *unit;
	size_t n_by, n_unit;
	int time, value, cohort;
};

struct input {
	struct columns c;
	struct group_table *parts, *units;
	struct part *part;
	size_t n_parts, cap_parts;
	struct unit *unit;
	size_t n_units, cap_units;
};

static struct columns find_columns(const struct csv_header *h, const char *file)
{
	struct columns c;

	c.unit = col_require_list(h, file, unit_arg, "unit column", &c.n_unit);
	if (c.n_unit == 0)
		die_usage("option --group: no column named");
	c.by = col_by(h, file, by_arg, c.unit, c.n_unit, &c.n_by);
	c.time = col_require(h, file, opt.time, "time column");
	c.value = col_require(h, file, opt.value, "value column");
	c.cohort = col_find(h, cohort_arg);
	if (c.cohort < 0)
		die_at(file, 1, 0, "cohort column \"%s\" not found (join the event dates "
		       "first: tt-join -e EVENTS, or name the column with --cohort)", cohort_arg);
	return c;
}

/* a row's cohort: its event year, never treated when missing or 0 */
static int row_cohort(const struct csv_header *h, const struct csv_row *row, int col)
{
	long g;
	if (cell_year(h, row, col, 1000000, &g))
		return DID_NEVER;
	return g == 0 ? DID_NEVER : (int)g;
}

/* unit u as messages name it, "AFG" or "AFG, north" (group_label's form:
 * its unit columns, which follow the --by columns in the key) */
static char *unit_name(const struct input *in, size_t u)
{
	struct strbuf b = { 0 };
	size_t *keys = xmalloc((in->c.n_unit ? in->c.n_unit : 1) * sizeof *keys);

	for (size_t k = 0; k < in->c.n_unit; k++)
		keys[k] = in->c.n_by + k;
	group_label_add(&b, in->units, u, keys, in->c.n_unit, 1);
	free(keys);
	return sb_take(&b);
}

static void add_unit(struct input *in, size_t part, const struct csv_row *row, int cohort)
{
	struct part *p = &in->part[part];

	in->unit = xgrow(in->unit, &in->cap_units, in->n_units + 1, sizeof *in->unit);
	in->unit[in->n_units] = (struct unit){ part, cohort, -1, 0, row->file, row->line };
	p->units = xgrow(p->units, &p->cap_units, p->n_units + 1, sizeof *p->units);
	p->units[p->n_units++] = in->n_units++;
}

static void read_input(struct csv_reader *r, struct input *in)
{
	const struct csv_header *h = csv_header(r);
	struct csv_row *row;
	size_t nk = in->c.n_by + in->c.n_unit;
	int *keys = xmalloc(nk * sizeof *keys);

	memcpy(keys, in->c.by, in->c.n_by * sizeof *keys);
	memcpy(keys + in->c.n_by, in->c.unit, in->c.n_unit * sizeof *keys);
	in->parts = group_new(in->c.by, in->c.n_by);
	in->units = group_new(keys, nk);
	free(keys);
	while (csv_next(r, &row)) {
		size_t b = group_of(in->parts, row), u = group_of(in->units, row);
		int cohort = row_cohort(h, row, in->c.cohort);
		int year = (int)cell_time(h, row, in->c.time, 1000000);
		double y;

		if (b == in->n_parts) {
			in->part = xgrow(in->part, &in->cap_parts, b + 1, sizeof *in->part);
			memset(&in->part[in->n_parts++], 0, sizeof *in->part);
		}
		if (u == in->n_units)
			add_unit(in, b, row, cohort);
		else if (in->unit[u].cohort != cohort)
			die_cohort(h, row, in->c.cohort, unit_name(in, u), cohort,
				   (struct cohort_seen){ in->unit[u].cohort, in->unit[u].file,
							 in->unit[u].line }, DID_NEVER);
		if (cell_number(h, row, in->c.value, &y))
			y = NAN;
		else
			in->unit[u].n_values++;
		struct part *p = &in->part[b];
		p->o = xgrow(p->o, &p->cap, p->n + 1, sizeof *p->o);
		p->o[p->n++] = (struct obs){ u, year, y, row->file, row->line };
	}
}

/* ------------------------------------------------------------------ */
/* Checks and the panel of one part                                     */

/* A (unit, year) pair twice is an error naming both lines, whether or
 * not the values are missing: the panel would be ambiguous. */
static void check_duplicates(const struct input *in, const struct part *p,
			     const struct csv_header *h)
{
	size_t first = 0, worst = unit_year_repeat(p->o, p->n, sizeof *p->o,
						  offsetof(struct obs, unit), offsetof(struct obs, year), &first);

	if (worst == p->n)
		return;
	const struct obs *a = &p->o[first], *b = &p->o[worst];
	die_unit_year_twice(h, b->file, b->line, in->c.time, unit_name(in, b->unit),
			    b->year, a->file, a->line);
}

static const struct input *sort_in;

/* units ordered by their key, so that the bootstrap's draws do not depend
 * on the order of the rows */
static int by_key(const void *a, const void *b)
{
	size_t u = *(const size_t *)a, v = *(const size_t *)b;
	size_t nk = group_ncols(sort_in->units);

	for (size_t k = 0; k < nk; k++) {
		size_t lu, lv;
		const char *pu = group_key(sort_in->units, u, k, &lu);
		const char *pv = group_key(sort_in->units, v, k, &lv);
		int c = memcmp(pu, pv, lu < lv ? lu : lv);
		if (c)
			return c;
		if (lu != lv)
			return lu < lv ? -1 : 1;
	}
	return 0;
}

struct panel_buf {
	int *unit, *year, *cohort;
	double *y;
	struct did_panel p;
};

static void build_panel(struct input *in, struct part *p, struct panel_buf *b)
{
	sort_in = in;
	xqsort(p->units, p->n_units, sizeof *p->units, by_key);
	b->cohort = xmalloc((p->n_units + 1) * sizeof *b->cohort);
	for (size_t i = 0; i < p->n_units; i++) {
		in->unit[p->units[i]].local = (int)i;
		b->cohort[i] = in->unit[p->units[i]].cohort;
	}
	b->unit = xmalloc((p->n + 1) * sizeof *b->unit);
	b->year = xmalloc((p->n + 1) * sizeof *b->year);
	b->y = xmalloc((p->n + 1) * sizeof *b->y);
	for (size_t i = 0; i < p->n; i++) {
		b->unit[i] = in->unit[p->o[i].unit].local;
		b->year[i] = p->o[i].year;
		b->y[i] = p->o[i].y;
	}
	b->p = (struct did_panel){ p->n, b->unit, b->year, b->y, p->n_units, b->cohort };
}

static void free_panel(struct panel_buf *b)
{
	free(b->unit);
	free(b->year);
	free(b->cohort);
	free(b->y);
}

/* ------------------------------------------------------------------ */
/* Progress on a terminal                                               */

struct progress {
	struct timespec start;
	const char *label;
	int shown, width;
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Shown only when the bootstrap, timed on its first replicates, looks like
 * taking more than about a second; one line, rewritten in place. */
static void progress(int done, int total, void *ctx)
{
	struct progress *pr = ctx;
	double t = seconds_since(&pr->start);

	if (!pr->shown && (done <= 0 || t * total / done < 1.0 || done == total))
		return;
	pr->shown = 1;
	int n = fprintf(stderr, "\r%s: %s%sbootstrap %d of %d (%.0f s left)", progname,
			pr->label, *pr->label ? ": " : "", done, total,
			ceil(t * (total - done) / done));
	if (n > pr->width)
		pr->width = n;
	else
		fprintf(stderr, "%*s", pr->width - n, "");
	fflush(stderr);
}

static void progress_end(const struct progress *pr)
{
	if (pr->shown) {
		fprintf(stderr, "\r%*s\r", pr->width, "");
		fflush(stderr);
	}
}

static const char *label_of(const struct input *in, size_t b)
{
	return in->c.n_by ? group_label(in->parts, b) : "";
}

/* the notes on part b (did_notes.h), its units named by their columns;
 * 1 when it has no estimates */
static int note_part(const struct input *in, size_t b, const struct did_options *o,
		     const int *cohort)
{
	const struct part *p = &in->part[b];
	char **name = xmalloc((p->n_units + 1) * sizeof *name);
	size_t *n_values = xmalloc((p->n_units + 1) * sizeof *n_values);

	for (size_t i = 0; i < p->n_units; i++) {
		name[i] = unit_name(in, p->units[i]);
		n_values[i] = in->unit[p->units[i]].n_values;
	}
	struct did_notes n = { &p->res, o, p->n_units, (const char *const *)name, cohort,
			       n_values, window_text, detail,
			       in->c.n_by ? group_label(in->parts, b) : NULL };
	did_notes(&n);
	int failed = did_explain_failure(&n);
	for (size_t i = 0; i < p->n_units; i++)
		free(name[i]);
	free(name);
	free(n_values);
	return failed;
}

/* ------------------------------------------------------------------ */
/* Estimating                                                           */

static int estimate_part(struct input *in, size_t b, const struct did_options *o0,
			 const struct csv_header *h)
{
	struct part *p = &in->part[b];
	struct did_options o = *o0;
	struct panel_buf pb;
	struct progress pr = { .label = label_of(in, b) };

	check_duplicates(in, p, h);
	build_panel(in, p, &pb);
	if (isatty(2)) {
		pr.label = xstrdup(pr.label);
		o.progress = progress;
		o.progress_ctx = &pr;
		clock_gettime(CLOCK_MONOTONIC, &pr.start);
	}
	did_estimate(&pb.p, &o, &p->res);
	progress_end(&pr);
	if (o.progress)
		free((char *)pr.label);
	p->failed = note_part(in, b, &o, pb.cohort);
	free_panel(&pb);
	return p->failed;
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */

static char method[192];

static void set_method(void)
{
	size_t n = (size_t)snprintf(method, sizeof method, "cs-did(%s,%s%s",
				    control == DID_CONTROL_NEVER ? "never" : "notyet",
				    base == DID_BASE_VARYING ? "varying" : "universal",
				    balance ? ",balanced" : "");
	int seeded = 0;

	if (se_method == DID_SE_ANALYTIC)
		n += (size_t)snprintf(method + n, sizeof method - n, ",analytic");
	else if (reps > 0) {
		n += (size_t)snprintf(method + n, sizeof method - n, ",%s=%ld,seed=%lu",
				      se_method == DID_SE_BOOTSTRAP ? "bootstrap" : "multiplier",
				      reps, seed);
		seeded = 1;
	}
	if (min_treated != MIN_TREATED_DEFAULT)
		n += (size_t)snprintf(method + n, sizeof method - n, ",min-treated=%ld", min_treated);
	if (permutations > 0) {
		n += (size_t)snprintf(method + n, sizeof method - n, ",permute=%ld", permutations);
		if (!seeded)
			n += (size_t)snprintf(method + n, sizeof method - n, ",seed=%lu", seed);
	}
	snprintf(method + n, sizeof method - n, ")");
}

static struct estimates_row from_estimate(const char *term, const struct did_estimate *e)
{
	struct estimates_row r = estimates_row(term, method);
	r.inf = e->inf;
	r.n = (long long)e->n;
	return r;
}

/* the trailing cells after method */
struct trail {
	double band_lo, band_hi, cohort, year, n_treated, n_control, p_perm;
};

static struct trail trail_of(const struct did_estimate *e, int band)
{
	struct trail t = { NAN, NAN, NAN, NAN, (double)e->n_treated, (double)e->n_control,
			   e->p_perm };
	if (band) {
		t.band_lo = e->band_low;
		t.band_hi = e->band_high;
	}
	return t;
}

/* by columns, rel_year, the row, band_low,band_high[,cohort,year],
 * n_treated,n_control[,p_perm] */
static void write_row(const struct input *in, size_t b, double rel,
		      const struct estimates_row *r, const struct trail *t)
{
	double cells[7];
	size_t n = 0;

	cells[n++] = t->band_lo;
	cells[n++] = t->band_hi;
	if (detail) {
		cells[n++] = t->cohort;
		cells[n++] = t->year;
	}
	cells[n++] = t->n_treated;
	cells[n++] = t->n_control;
	if (permutations > 0)
		cells[n++] = t->p_perm;
	group_write_key(in->parts, b);
	out_num(rel);
	estimates_write(r, cells);
}

static void write_part(const struct input *in, size_t b)
{
	const struct did_result *r = &in->part[b].res;
	struct trail t;

	for (size_t e = 0; e < r->n_events; e++) {
		const struct did_event *ev = &r->events[e];
		struct estimates_row row = from_estimate("att", &ev->est);
		t = trail_of(&ev->est, 1);
		write_row(in, b, ev->rel_year, &row, &t);
	}
	static const char *const terms[] = { "att_simple", "att_dynamic", "att_group" };
	const struct did_estimate *overall[] = { &r->simple, &r->dynamic, &r->group };
	for (int i = 0; i < 3; i++) {
		struct estimates_row row = from_estimate(terms[i], overall[i]);
		t = trail_of(overall[i], 0);
		write_row(in, b, NAN, &row, &t);
	}
	struct estimates_row row = estimates_row("pretrend", method);
	row.inf.statistic = r->pretrend.statistic;
	row.inf.df = r->pretrend.df > 0 ? r->pretrend.df : NAN;
	row.inf.p_value = r->pretrend.p_value;
	row.n = (long long)r->n_units;
	t = (struct trail){ NAN, NAN, NAN, NAN, (double)r->pretrend.n_treated,
			    (double)r->pretrend.n_control, r->pretrend.p_perm };
	write_row(in, b, NAN, &row, &t);
	if (!detail)
		return;
	for (size_t g = 0; g < r->n_groups; g++) {
		const struct did_group *gr = &r->groups[g];
		row = from_estimate("att_cohort", &gr->est);
		t = trail_of(&gr->est, 1);
		t.cohort = gr->cohort;
		write_row(in, b, NAN, &row, &t);
	}
	for (size_t k = 0; k < r->n_cells; k++) {
		const struct did_cell *c = &r->cells[k];
		if (c->rel_year < window_lo || c->rel_year > window_hi)
			continue;
		row = from_estimate("att_gt", &c->est);
		t = trail_of(&c->est, 1);
		t.cohort = c->cohort;
		t.year = c->year;
		write_row(in, b, c->rel_year, &row, &t);
	}
}

static void write_table(const struct input *in, const struct csv_header *h)
{
	static const char *const lead[] = { "rel_year", NULL };
	const char *trail[8];
	size_t n = 0;

	trail[n++] = "band_low";
	trail[n++] = "band_high";
	if (detail) {
		trail[n++] = "cohort";
		trail[n++] = "year";
	}
	trail[n++] = "n_treated";
	trail[n++] = "n_control";
	if (permutations > 0)
		trail[n++] = "p_perm";
	trail[n] = NULL;
	set_method();
	estimates_header(h, in->c.by, in->c.n_by, lead, trail);
	for (size_t b = 0; b < in->n_parts; b++)
		write_part(in, b);
}

static void free_input(struct input *in)
{
	for (size_t b = 0; b < in->n_parts; b++) {
		free(in->part[b].o);
		free(in->part[b].units);
		did_result_free(&in->part[b].res);
	}
	free(in->part);
	free(in->unit);
	free(in->c.by);
	free(in->c.unit);
	group_free(in->parts);
	group_free(in->units);
}

int main(int argc, char **argv)
{
	struct csv_reader *r = tt_start(argc, argv, &tool);
	struct input in = { 0 };
	struct did_options o;
	int failed = 0;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	in.c = find_columns(csv_header(r), csv_first_file(r));
	read_input(r, &in);

	did_options_init(&o);
	o.control = control;
	o.base = base;
	o.window_lo = window_lo;
	o.window_hi = window_hi;
	o.balance = balance;
	o.reps = (int)reps;
	o.se = se_method;
	o.min_treated = (int)min_treated;
	o.permute = (int)permutations;
	o.seed = seed;
	o.level = opt.level;
	if (in.n_parts == 0)
		die_at(csv_first_file(r), 0, 0, "no rows below the header: nothing to estimate");
	for (size_t b = 0; b < in.n_parts; b++)
		failed |= estimate_part(&in, b, &o, csv_header(r));
	if (!failed)
		write_table(&in, csv_header(r));
	free_input(&in);
	csv_close(r);
	if (failed)
		return EXIT_DATA;
	return out_close();
}
