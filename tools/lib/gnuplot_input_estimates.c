/* Reading an estimates table into a chart: event (the estimate by
 * rel_year with its band), forest (one term per group, a pooled row) and
 * bar (one value or estimate per group). */
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
static void check_rel_years(const struct gp_input *in, struct event_row *r, size_t n)
{
	xqsort(r, n, sizeof *r, by_rel_year);
	for (size_t i = 1; i < n; i++)
		if (r[i].e.rel_year == r[i - 1].e.rel_year)
			die_at(in->file, r[i].line, 0, "rel_year %g also on line %ld: an event "
			       "chart draws one estimate per rel_year (is a group column missing?)",
			       r[i].e.rel_year, r[i - 1].line);
}

void gp_read_event(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int rcol = col_require(h, in->file, "rel_year", "column");
	int ecol = col_require(h, in->file, "estimate", "column");
	int lcol, hcol;
	struct estimates_terms t;
	struct event_row *rows = NULL;
	struct gp_estimate *est;
	size_t n = 0, cap = 0;
	struct csv_row *row;

	if (in->band_uniform) {
		lcol = col_require(h, in->file, "band_low", "uniform band column");
		hcol = col_require(h, in->file, "band_high", "uniform band column");
	} else {
		lcol = col_find(h, "conf_low");
		hcol = col_find(h, "conf_high");
	}
	gpi_term_rows_init(&t, in, "att");
	gpi_find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		double rel;

		if (!estimates_term_matches(&t, row) || cell_number(h, row, rcol, &rel))
			continue;
		group_of(in->groups, row);
		rows = xgrow(rows, &cap, n + 1, sizeof *rows);
		rows[n].e = (struct gp_estimate){ NULL, rel, estimates_cell(in->h, row, ecol),
						  estimates_cell(in->h, row, lcol),
						  estimates_cell(in->h, row, hcol) };
		rows[n++].line = row->line;
	}
	gpi_check_term(in, &t, n, "event chart");
	gpi_require_one_group(in, "event");
	check_rel_years(in, rows, n);
	est = gp_keep(xcalloc(n ? n : 1, sizeof *est));
	for (size_t i = 0; i < n; i++)
		est[i] = rows[i].e;
	free(rows);
	gpi_note_left_out(est, n, "estimate");
	c->rows = est;
	c->nrows = n;
	c->band_label = in->band_uniform ? "uniform (sup-t) band" : "confidence interval";
	c->xlabel = h->name[rcol];
	gpi_term_rows_done(&t, in);
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
static struct gp_estimate *read_group_rows(struct gp_input *in, struct estimates_terms *t,
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

		if (!estimates_term_matches(t, row))
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
		rows[g].e = (struct gp_estimate){ NULL, NAN, estimates_cell(in->h, row, vcol),
						  estimates_cell(in->h, row, lcol),
						  estimates_cell(in->h, row, hcol) };
		rows[g].line = row->line;
	}
	gpi_check_term(in, t, matched, kind);
	label = gpi_group_labels(in->groups);
	est = gp_keep(xcalloc(n ? n : 1, sizeof *est));
	for (size_t i = 0; i < n; i++) {
		est[i] = rows[i].e;
		est[i].label = label[i] ? label[i] : "";
	}
	free(rows);
	gpi_note_left_out(est, n, in->h->name[vcol]);
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

static void forest_put(struct gp_input *in, struct forest_set *s, const struct csv_row *row,
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
	s->rows[g] = (struct group_row){ { NULL, NAN, estimates_cell(in->h, row, fc->est),
					   estimates_cell(in->h, row, fc->lo),
					   estimates_cell(in->h, row, fc->hi) }, row->line, 1 };
	s->name[g] = fc->name >= 0 && !is_missing(row->f[fc->name], row->len[fc->name])
		? gpi_clean_text(row->f[fc->name], row->len[fc->name]) : NULL;
	s->n[g] = estimates_cell(in->h, row, fc->n);
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
static int is_pooled_row(const struct gp_input *in, const struct csv_row *row)
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
				struct gp_estimate *e = gp_keep(xmalloc(sizeof *e));
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
static void forest_order(const struct gp_input *in, struct gp_estimate *est, double *rn,
			 size_t n, struct gp_chart *c)
{
	struct forest_item *it;

	c->keep_order = in->sort != GP_SORT_ESTIMATE;
	if (in->sort == GP_SORT_ESTIMATE || in->sort == GP_SORT_INPUT || n == 0)
		return;
	it = xmalloc(n * sizeof *it);
	for (size_t i = 0; i < n; i++)
		it[i] = (struct forest_item){ est[i], rn[i], i };
	xqsort(it, n, sizeof *it, in->sort == GP_SORT_LABEL ? by_label : by_n);
	for (size_t i = 0; i < n; i++) {
		est[i] = it[i].e;
		rn[i] = it[i].n;
	}
	free(it);
}

void gp_read_forest(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	struct forest_cols fc = { col_require(h, in->file, "estimate", "column"),
				  col_find(h, "conf_low"), col_find(h, "conf_high"), -1, -1 };
	static const char *const names[] = { "country", "name", "un_name" };
	struct forest_set set[2];	/* the term asked (or first seen); diff */
	struct pooled_row *pooled = NULL;
	size_t npooled = 0, cap_pooled = 0, n, use;
	struct estimates_terms t;
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
	gpi_term_rows_init(&t, in, NULL);
	gpi_find_groups(in, NULL);
	while (csv_next(in->r, &row)) {
		int m, diff;

		if (is_pooled_row(in, row)) {
			pooled = xgrow(pooled, &cap_pooled, npooled + 1, sizeof *pooled);
			pooled[npooled++] = (struct pooled_row){
				t.term_col >= 0 ? xstrndup(row->f[t.term_col], row->len[t.term_col])
						: xstrdup(""),
				{ "pooled", NAN, estimates_cell(in->h, row, fc.est),
				  estimates_cell(in->h, row, fc.lo), estimates_cell(in->h, row, fc.hi) },
				estimates_cell(in->h, row, fc.n) };
			continue;
		}
		m = estimates_term_matches(&t, row);
		diff = !in->term && t.term_col >= 0 && gpi_field_is(row, t.term_col, "diff");
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
		gpi_check_term(in, &t, set[0].matched, "forest");
	}
	label = gpi_group_labels(in->groups);
	n = group_count(in->groups);
	est = gp_keep(xcalloc(n ? n : 1, sizeof *est));
	rn = gp_keep(xcalloc(n ? n : 1, sizeof *rn));
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
	gpi_note_left_out(est, n, h->name[fc.est]);
	gpi_term_rows_done(&t, in);
	pick_pooled(c, pooled, npooled, t.term);
	forest_order(in, est, rn, n, c);
	c->rows = est;
	c->nrows = n;
	c->row_n = fc.n >= 0 ? rn : NULL;
	c->xlabel = t.term ? t.term : h->name[fc.est];
}

/* ---- bar ---- */

/* bar: the value column, or estimate in an estimates table */
void gp_read_bar(struct gp_input *in, struct gp_chart *c)
{
	const struct csv_header *h = in->h;
	int vcol, lcol = col_find(h, "conf_low"), hcol = col_find(h, "conf_high");
	struct estimates_terms t;

	if (strcmp(in->value, "value") == 0 && col_find(h, "value") < 0 &&
	    col_find(h, "estimate") >= 0)
		vcol = col_find(h, "estimate");
	else
		vcol = col_require(h, in->file, in->value, "value column");
	if (lcol < 0 || hcol < 0)
		lcol = hcol = -1;
	gpi_term_rows_init(&t, in, NULL);
	gpi_find_groups(in, NULL);
	if (in->ng == 0)
		die_at(in->file, 1, 0, "a bar chart needs group columns to name its bars "
		       "(-g COLS; the default is those of iso3,indicator present)");
	c->rows = read_group_rows(in, &t, vcol, lcol, hcol, "bar", &c->nrows);
	gpi_term_rows_done(&t, in);
	c->ylabel = t.term ? t.term : h->name[vcol];
}
