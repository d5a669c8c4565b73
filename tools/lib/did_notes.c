#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "diag.h"
#include "did_notes.h"
#include "strbuf.h"

/* More countries than the world has: a real panel's notes name every
 * unit, a synthetic one's stay readable. */
enum { MAX_NAMED = 250 };

static void note(const struct did_notes *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(const struct did_notes *n, const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb = { 0 };

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	char *msg = sb_take(&sb);
	if (n->label)
		warn("%s: %s", n->label, msg);
	else
		warn("%s", msg);
	free(msg);
}

struct named { const struct did_notes *n; const int *local; };

static void unit_item(struct strbuf *b, size_t i, const void *ctx)
{
	const struct named *u = ctx;
	sb_puts(b, u->n->name[u->local[i]]);
}

static void note_units(const struct did_notes *n, const int *local, size_t k,
		       const char *what)
{
	struct named u = { n, local };
	char *list = sb_list(k, MAX_NAMED, unit_item, &u);
	note(n, "%zu unit%s %s: %s", k, k == 1 ? "" : "s", what, list);
	free(list);
}

/* units whose every value is missing, and units treated after the data end */
static void note_units_by_rule(const struct did_notes *n)
{
	const struct did_result *r = n->r;
	int *sel = xmalloc((n->n_units + 1) * sizeof *sel);
	size_t k = 0;
	char what[128];

	for (size_t i = 0; i < n->n_units; i++)
		if (n->n_values[i] == 0)
			sel[k++] = (int)i;
	if (k)
		note_units(n, sel, k, "without any value, left out");
	if (r->n_years < 2) {
		free(sel);
		return;
	}
	k = 0;
	for (size_t i = 0; i < n->n_units; i++)
		if (n->n_values[i] && n->cohort[i] != DID_NEVER && n->cohort[i] > r->last_year)
			sel[k++] = (int)i;
	snprintf(what, sizeof what, "with an event after the last year with data (%d), "
		 "counted as never treated", r->last_year);
	if (k)
		note_units(n, sel, k, what);
	free(sel);
}

/* cohorts of one unit: their effects rest on a single country */
static void note_small_cohorts(const struct did_notes *n)
{
	const struct did_result *r = n->r;
	int *dropped = xcalloc(n->n_units + 1, sizeof *dropped);

	for (size_t i = 0; i < r->n_dropped_early; i++)
		dropped[r->dropped_early[i]] = 1;
	for (size_t i = 0; i < r->n_dropped_unbalanced; i++)
		dropped[r->dropped_unbalanced[i]] = 1;
	for (size_t k = 0; k < r->n_cells; k++) {
		int g = r->cells[k].cohort, count = 0, who = -1;
		if (k > 0 && r->cells[k - 1].cohort == g)
			continue;
		for (size_t i = 0; i < n->n_units; i++)
			if (n->cohort[i] == g && n->n_values[i] && !dropped[i]) {
				count++;
				who = (int)i;
			}
		if (count == 1)
			note(n, "cohort %d has a single unit (%s): its effects rest on it alone",
			     g, n->name[who]);
	}
	free(dropped);
}

static void note_empty_cells(const struct did_notes *n)
{
	const struct did_result *r = n->r;
	const struct did_cell *first = NULL;
	size_t k = 0;

	for (size_t i = 0; i < r->n_cells; i++)
		if (isnan(r->cells[i].est.inf.estimate)) {
			if (!first)
				first = &r->cells[i];
			k++;
		}
	if (!first)
		return;
	note(n, "%zu of %zu ATT(g,t) cannot be estimated and are left out (the first: "
	     "cohort %d, year %d, %s)%s", k, r->n_cells, first->cohort, first->year,
	     did_cell_empty_str(first->empty), n->detail ? "" : "; --detail lists them");
}

/* Resampling units cannot vary a mean over one unit: a cell with a single
 * treated (or control) unit loses that side's variance in the bootstrap,
 * all of it when both sides are single; the influence functions likewise
 * see no variance on a side of one. */
static void note_single_cells(const struct did_notes *n)
{
	const struct did_result *r = n->r;
	int lo = n->o->window_lo, hi = n->o->window_hi;
	size_t k = 0, used = 0;

	for (size_t i = 0; i < r->n_cells; i++) {
		const struct did_cell *c = &r->cells[i];
		int e = c->rel_year;
		if (isnan(c->est.inf.estimate) || c->reference || c->thin)
			continue;
		if (!((e >= lo && e <= hi) || (e >= 0 && e <= hi)))
			continue;
		used++;
		k += c->n_treated == 1 || c->n_control == 1;
	}
	if (!k)
		return;
	if (n->o->se == DID_SE_BOOTSTRAP)
		note(n, "%zu of %zu ATT(g,t) rest on a single treated or control unit: "
		     "resampling countries cannot measure their uncertainty, so their standard "
		     "errors are left empty, and so are those of the estimates built on them",
		     k, used);
	else
		note(n, "%zu of %zu ATT(g,t) rest on a single treated or control unit: "
		     "their standard errors cannot be estimated and are left empty, and so are "
		     "those of the estimates built on them", k, used);
}

/* cells below --min-treated, by cohort: "cohort 2003 in 2004, 2005; ..." */
static void note_thin(const struct did_notes *n)
{
	const struct did_result *r = n->r;
	struct strbuf t = { 0 };
	int last = 0;

	if (r->n_thin == 0)
		return;
	for (size_t k = 0; k < r->n_cells; k++) {
		const struct did_cell *c = &r->cells[k];
		if (!c->thin)
			continue;
		if (c->cohort != last)
			sb_printf(&t, "%scohort %d in %d", last ? "; " : "", c->cohort, c->year);
		else
			sb_printf(&t, ", %d", c->year);
		last = c->cohort;
	}
	char *list = sb_take(&t);
	note(n, "%zu ATT(g,t) rest on fewer than %ld treated units (--min-treated): "
	     "no standard error, left out of every aggregate: %s", r->n_thin,
	     (long)n->o->min_treated, list);
	free(list);
}

void did_notes(const struct did_notes *n)
{
	const struct did_result *r = n->r;
	char what[128];

	note_units_by_rule(n);
	if (r->n_dropped_early) {
		snprintf(what, sizeof what, "treated in or before the first year with data (%d), dropped",
			 r->first_year);
		note_units(n, r->dropped_early, r->n_dropped_early, what);
	}
	if (r->n_dropped_unbalanced)
		note_units(n, r->dropped_unbalanced, r->n_dropped_unbalanced,
			   "missing some year, dropped (--balance)");
	if (r->status != DID_OK)
		return;
	if (n->o->min_treated < 2)
		note_small_cohorts(n);
	note_empty_cells(n);
	note_thin(n);
	if (r->n_events == 0 && r->n_thin)
		return;         /* did_explain_failure says why there is nothing */
	if (n->o->reps > 0 || n->o->se == DID_SE_ANALYTIC)
		note_single_cells(n);
	if (r->perm_exact)
		note(n, "p_perm: all %d assignments of the cohorts to the units enumerated, "
		     "so the p-values are exact", r->n_perm + 1);
	if ((r->warnings & DID_WNOPRE) && n->o->window_lo < 0)
		note(n, "%s", did_warning_str(DID_WNOPRE));
	if (r->warnings & DID_WNOPOST)
		note(n, "%s", did_warning_str(DID_WNOPOST));
	if (r->warnings & DID_WSINGULAR)
		note(n, "the bootstrap covariance of the pre-treatment effects is singular: "
		     "the pre-trend test uses its rank, df %d", r->pretrend.df);
	if (r->warnings & DID_WBOOTNAN)
		note(n, "%s", did_warning_str(DID_WBOOTNAN));
}

/* the relative years the cells span, for a message */
static void rel_range(const struct did_result *r, int *lo, int *hi)
{
	*lo = INT_MAX;
	*hi = INT_MIN;
	for (size_t k = 0; k < r->n_cells; k++) {
		if (isnan(r->cells[k].est.inf.estimate))
			continue;
		if (r->cells[k].rel_year < *lo)
			*lo = r->cells[k].rel_year;
		if (r->cells[k].rel_year > *hi)
			*hi = r->cells[k].rel_year;
	}
}

int did_explain_failure(const struct did_notes *n)
{
	const struct did_result *r = n->r;
	int lo, hi;

	switch (r->status) {
	case DID_OK:
		break;
	case DID_ENONEVER:
		note(n, "no never-treated units to serve as controls (try --control notyet)");
		return 1;
	case DID_ENOCELL:
		if (r->n_never == 0 && r->n_cells && r->cells[0].cohort == r->cells[r->n_cells - 1].cohort)
			note(n, "every unit is treated in %d and none is never treated: "
			     "there is no one to compare with", r->cells[0].cohort);
		else
			note(n, "%s", did_strerror(r->status));
		return 1;
	case DID_ENOYEARS:
		note(n, "fewer than two years with values: nothing to compare");
		return 1;
	default:
		note(n, "%s", did_strerror(r->status));
		return 1;
	}
	if (r->n_events == 0 && (r->n_thin > 0 || !n->window_text)) {
		note(n, "every ATT(g,t) in the window rests on fewer than %ld treated units "
		     "(--min-treated): nothing to aggregate", (long)n->o->min_treated);
		return 1;
	}
	if (r->n_events == 0) {
		rel_range(r, &lo, &hi);
		note(n, "no relative year of the data lies inside the window %s "
		     "(the data have %d to %d)", n->window_text, lo, hi);
		return 1;
	}
	return 0;
}
