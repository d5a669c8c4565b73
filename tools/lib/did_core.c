/* Callaway & Sant'Anna staggered DiD, the core: the panel, the cells,
 * the aggregation plans and the evaluation of every statistic.  See
 * did_work.h for the files of the estimator and did.h for the definitions.
 *
 * The whole estimator is written as a function of unit multiplicities m_i:
 * the point estimate is m_i = 1 for every unit, a bootstrap replicate is a
 * multinomial draw of the m_i.  Everything that does not depend on m is
 * built once (the panel as a units x years matrix, the list of cells with
 * their base years and control cohorts, the aggregation lists); a replicate
 * is then a few passes over preallocated arrays:
 *   1. per class (never treated, each cohort) the sums of m_i * Y_it over
 *      units observed every year, and per (t,b) pair the sums of
 *      m_i * (Y_it - Y_ib) over the other units observed at t and b;
 *   2. each ATT(g,t) from those class sums;
 *   3. the aggregations, weighted by the class totals of m_i.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

#include "alloc.h"
#include "describe.h"
#include "did.h"
#include "did_work.h"

void did_options_init(struct did_options *o)
{
	memset(o, 0, sizeof *o);
	o->control = DID_CONTROL_NOTYET;
	o->base = DID_BASE_VARYING;
	o->window_lo = DID_WINDOW_ALL_LO;
	o->window_hi = DID_WINDOW_ALL_HI;
	o->reps = 999;
	o->se = DID_SE_BOOTSTRAP;
	o->min_treated = 1;
	o->permute = 0;
	o->seed = 1;
	o->level = 0.95;
}

const char *did_strerror(int status)
{
	switch (status) {
	case DID_OK: return "success";
	case DID_EINPUT: return "unit index out of range";
	case DID_EDUPLICATE: return "a unit has two observations for the same year";
	case DID_EOPTIONS: return "invalid options (window start after end, negative replications, or level outside (0,1))";
	case DID_ENOYEARS: return "fewer than two years with data";
	case DID_ENOCOHORT: return "no treated units left (every event is missing, after the last year, or in or before the first year)";
	case DID_ENONEVER: return "no never-treated units to serve as controls (try control notyet)";
	case DID_ENOCELL: return "no ATT(g,t) can be estimated: no cell has both treated and control units";
	}
	return "unknown error";
}

const char *did_warning_str(unsigned bit)
{
	switch (bit) {
	case DID_WEMPTYCELL: return "some ATT(g,t) have no treated or no control units and are left out";
	case DID_WSMALLCOHORT: return "a cohort has a single unit";
	case DID_WWINDOW: return "no relative year of the data lies inside the window";
	case DID_WNOPRE: return "no pre-treatment effects: no pre-trend test";
	case DID_WSINGULAR: return "the bootstrap covariance of the pre-treatment effects is singular; the test uses its rank as df";
	case DID_WBOOTNAN: return "some bootstrap replicates left an estimate undefined; its standard error uses the others";
	case DID_WDROPEARLY: return "units treated in or before the first year were dropped";
	case DID_WUNBALANCED: return "units missing some year were dropped to balance the panel";
	case DID_WNOPOST: return "no post-treatment effect inside the window: no overall estimates";
	case DID_WNOVARIATION: return "some estimates rest on a single unit on one side: their standard errors are left empty";
	case DID_WTHIN: return "some ATT(g,t) rest on fewer treated units than the minimum: no standard error, left out of the aggregates";
	}
	return "unknown warning";
}

const char *did_cell_empty_str(enum did_cell_empty why)
{
	switch (why) {
	case DID_CELL_OK: return "ok";
	case DID_CELL_NOTREATED: return "no unit of the cohort observed in both years";
	case DID_CELL_NOCONTROL: return "no control unit observed in both years";
	}
	return "unknown";
}

/* index of year v in the sorted list, or -1 */
static int year_index(const int *years, size_t T, int v)
{
	const int *p = bsearch(&v, years, T, sizeof *years, compare_int);
	return p ? (int)(p - years) : -1;
}

/* ------------------------------------------------------------------ */
/* Preparing the panel                                                  */

int did_check_options(const struct did_options *o)
{
	if (o->window_lo > o->window_hi || o->reps < 0 || o->permute < 0 ||
	    o->min_treated < 1)
		return DID_EOPTIONS;
	if (!(o->level > 0 && o->level < 1))
		return DID_EOPTIONS;
	return DID_OK;
}

/* The sorted distinct years of the rows with an outcome. */
static int collect_years(const struct did_panel *p, struct did_work *w,
			 struct did_result *r)
{
	int *ys = xmalloc((p->n_obs + 1) * sizeof *ys);
	size_t n = 0;

	for (size_t i = 0; i < p->n_obs; i++) {
		if (p->unit[i] < 0 || (size_t)p->unit[i] >= p->n_units) {
			r->bad_obs = i;
			free(ys);
			return DID_EINPUT;
		}
		if (!isnan(p->y[i]))
			ys[n++] = p->year[i];
	}
	size_t T = sort_unique_int(ys, n);
	w->years = ys;
	w->T = T;
	if (T < 2)
		return DID_ENOYEARS;
	r->n_years = T;
	r->first_year = ys[0];
	r->last_year = ys[T - 1];
	return DID_OK;
}

/* The caller's units x years matrix of row numbers (+1, 0 = none);
 * finds duplicates. */
static int index_rows(const struct did_panel *p, const struct did_work *w,
		      size_t *rowof, struct did_result *r)
{
	for (size_t i = 0; i < p->n_obs; i++) {
		if (isnan(p->y[i]))
			continue;
		int ti = year_index(w->years, w->T, p->year[i]);
		size_t *slot = &rowof[(size_t)p->unit[i] * w->T + (size_t)ti];
		if (*slot) {
			r->bad_obs = *slot - 1;
			r->bad_obs2 = i;
			return DID_EDUPLICATE;
		}
		*slot = i + 1;
	}
	return DID_OK;
}

/* Decides per caller unit: -1 not used, else its cohort year (0 never). */
static void classify_units(const struct did_panel *p, const struct did_work *w,
			   const size_t *rowof, int balance, int *gof,
			   struct did_result *r)
{
	r->dropped_early = xmalloc((p->n_units + 1) * sizeof(int));
	r->dropped_unbalanced = xmalloc((p->n_units + 1) * sizeof(int));
	for (size_t u = 0; u < p->n_units; u++) {
		size_t seen = 0;
		for (size_t t = 0; t < w->T; t++)
			seen += rowof[u * w->T + t] != 0;
		int g = p->cohort[u];
		gof[u] = -1;
		if (seen == 0) {
			r->n_unobserved++;
			continue;
		}
		if (g != DID_NEVER && g > w->years[w->T - 1])
			g = DID_NEVER;
		if (g != DID_NEVER && g <= w->years[0]) {
			r->dropped_early[r->n_dropped_early++] = (int)u;
			continue;
		}
		if (balance && seen < w->T) {
			r->dropped_unbalanced[r->n_dropped_unbalanced++] = (int)u;
			continue;
		}
		gof[u] = g;
	}
	if (r->n_dropped_early)
		r->warnings |= DID_WDROPEARLY;
	if (r->n_dropped_unbalanced)
		r->warnings |= DID_WUNBALANCED;
}

/* Cohort classes: 0 the never treated, 1..G the event years ascending. */
static int build_classes(const struct did_panel *p, struct did_work *w,
			 const int *gof, struct did_result *r)
{
	int *gs = xmalloc((p->n_units + 1) * sizeof *gs);
	size_t n = 0, U = 0;

	for (size_t u = 0; u < p->n_units; u++) {
		if (gof[u] < 0)
			continue;
		U++;
		if (gof[u] != DID_NEVER)
			gs[n++] = gof[u];
	}
	size_t G = sort_unique_int(gs, n);
	w->U = U;
	w->G = G;
	w->C = G + 1;
	w->gyear = xcalloc(w->C, sizeof *w->gyear);
	w->gbase = xcalloc(w->C, sizeof *w->gbase);
	for (size_t c = 1; c < w->C; c++) {
		w->gyear[c] = gs[c - 1];
		int b = 0;
		while ((size_t)b + 1 < w->T && w->years[b + 1] < w->gyear[c])
			b++;
		w->gbase[c] = b;
	}
	free(gs);
	r->n_units = U;
	if (G == 0)
		return DID_ENOCOHORT;
	return DID_OK;
}

static int class_of_year(const struct did_work *w, int g)
{
	if (g == DID_NEVER)
		return 0;
	int lo = 1, hi = (int)w->G;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (w->gyear[mid] == g)
			return mid;
		if (w->gyear[mid] < g)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The units x years outcome matrix, each unit centred on its own mean so
 * that class sums of levels do not swamp the differences that matter. */
static void build_matrix(const struct did_panel *p, struct did_work *w,
			 const size_t *rowof, const int *gof, struct did_result *r)
{
	size_t T = w->T, k = 0;
	size_t count[2] = { 0, 0 };

	w->ymat = xmallocarray(xmul(w->U, T) + 1, sizeof *w->ymat);
	w->cls = xmalloc((w->U + 1) * sizeof *w->cls);
	w->id = xmalloc((w->U + 1) * sizeof *w->id);
	w->complete = xmalloc(w->U + 1);
	for (size_t u = 0; u < p->n_units; u++) {
		if (gof[u] < 0)
			continue;
		double *row = w->ymat + k * T, sum = 0;
		size_t seen = 0;
		for (size_t t = 0; t < T; t++) {
			size_t i = rowof[u * T + t];
			row[t] = i ? p->y[i - 1] : NAN;
			if (i) {
				sum += row[t];
				seen++;
			}
		}
		for (size_t t = 0; t < T; t++)
			row[t] -= sum / (double)seen;
		w->cls[k] = class_of_year(w, gof[u]);
		w->id[k] = (int)u;
		w->complete[k] = seen == T;
		count[w->cls[k] == 0]++;
		k++;
	}
	r->n_never = count[1];
}

/* Every ATT(g,t) with its base year and its not-yet-treated controls. */
static void plan_cells(struct did_work *w, const struct did_options *o)
{
	size_t T = w->T, n = 0;

	w->cells = xmallocarray(xmul(w->G, T) + 1, sizeof *w->cells);
	w->pair_of = xmallocarray(xmul(T, T), sizeof *w->pair_of);
	for (size_t i = 0; i < T * T; i++)
		w->pair_of[i] = -1;
	w->P = 0;
	for (int c = 1; c < (int)w->C; c++) {
		for (int ti = 0; ti < (int)T; ti++) {
			struct cell_plan *cp = &w->cells[n];
			int post = w->years[ti] >= w->gyear[c];
			cp->cls = c;
			cp->ti = ti;
			if (post || o->base == DID_BASE_UNIVERSAL)
				cp->bi = w->gbase[c];
			else if (ti == 0)
				continue;       /* varying: no cell for the first year */
			else
				cp->bi = ti - 1;
			/* not yet treated at max(t, b): the cohorts g' > that
			 * year, a suffix of the classes (cell loop skips c) */
			int late = w->years[ti > cp->bi ? ti : cp->bi];
			int from = 1;
			while (from < (int)w->C && w->gyear[from] <= late)
				from++;
			if (o->control == DID_CONTROL_NEVER)
				from = (int)w->C;
			cp->ctrl_from = from;
			cp->pair = -1;
			if (ti != cp->bi) {
				int *slot = &w->pair_of[ti * (int)T + cp->bi];
				if (*slot < 0)
					*slot = (int)w->P++;
				cp->pair = *slot;
			}
			n++;
		}
	}
	w->n_cells = n;
}

/* Per unit with gaps: (pair, Y_t - Y_b) for every pair it is observed on. */
static void plan_gaps(struct did_work *w)
{
	size_t T = w->T, cap = 0, n = 0, k = 0;

	w->inc_unit = xmalloc((w->U + 1) * sizeof *w->inc_unit);
	w->inc_start = xmalloc((w->U + 2) * sizeof *w->inc_start);
	w->inc_pair = NULL;
	w->inc_d = NULL;
	size_t dcap = 0;
	for (size_t u = 0; u < w->U; u++) {
		if (w->complete[u])
			continue;
		const double *row = w->ymat + u * T;
		w->inc_unit[k] = u;
		w->inc_start[k++] = n;
		for (size_t ti = 0; ti < T; ti++)
			for (size_t bi = 0; bi < T; bi++) {
				int pr = w->pair_of[ti * T + bi];
				if (pr < 0 || isnan(row[ti]) || isnan(row[bi]))
					continue;
				w->inc_pair = xgrow(w->inc_pair, &cap, n + 1, sizeof *w->inc_pair);
				w->inc_d = xgrow(w->inc_d, &dcap, n + 1, sizeof *w->inc_d);
				w->inc_pair[n] = pr;
				w->inc_d[n++] = row[ti] - row[bi];
			}
	}
	w->inc_start[k] = n;
	w->n_inc = k;
}

static void alloc_scratch(struct did_work *w)
{
	size_t C = w->C;
	w->Yc = xcalloc(xmul(C, w->T), sizeof *w->Yc);
	w->Nc = xcalloc(C, sizeof *w->Nc);
	w->Mc = xcalloc(C, sizeof *w->Mc);
	w->Pc = xcalloc(xmul(C, w->P) + 1, sizeof *w->Pc);
	w->Qc = xcalloc(xmul(C, w->P) + 1, sizeof *w->Qc);
	w->tr_n = xcalloc(w->n_cells + 1, sizeof *w->tr_n);
	w->ct_n = xcalloc(w->n_cells + 1, sizeof *w->ct_n);
	w->tr_mean = xcalloc(w->n_cells + 1, sizeof *w->tr_mean);
	w->ct_mean = xcalloc(w->n_cells + 1, sizeof *w->ct_mean);
	w->mult = xcalloc(w->U + 1, sizeof *w->mult);
}

/* ------------------------------------------------------------------ */
/* One evaluation of everything for given multiplicities                */

static void class_sums(struct did_work *w)
{
	size_t T = w->T;

	memset(w->Yc, 0, w->C * T * sizeof *w->Yc);
	memset(w->Nc, 0, w->C * sizeof *w->Nc);
	memset(w->Mc, 0, w->C * sizeof *w->Mc);
	for (size_t u = 0; u < w->U; u++) {
		int m = w->mult[u];
		if (m == 0)
			continue;
		int c = w->cls[u];
		w->Mc[c] += m;
		if (!w->complete[u])
			continue;
		w->Nc[c] += m;
		const double *row = w->ymat + u * T;
		double *acc = w->Yc + (size_t)c * T;
		for (size_t t = 0; t < T; t++)
			acc[t] += m * row[t];
	}
	if (w->n_inc == 0)
		return;
	memset(w->Pc, 0, w->C * w->P * sizeof *w->Pc);
	memset(w->Qc, 0, w->C * w->P * sizeof *w->Qc);
	for (size_t k = 0; k < w->n_inc; k++) {
		size_t u = w->inc_unit[k];
		int m = w->mult[u];
		if (m == 0)
			continue;
		size_t base = (size_t)w->cls[u] * w->P;
		for (size_t e = w->inc_start[k]; e < w->inc_start[k + 1]; e++) {
			w->Pc[base + (size_t)w->inc_pair[e]] += m * w->inc_d[e];
			w->Qc[base + (size_t)w->inc_pair[e]] += m;
		}
	}
}

/* sum of m_i (Y_it - Y_ib) and of m_i over class c's units seen at t, b */
static void class_diff(const struct did_work *w, int c,
		       const struct cell_plan *cp, double *s, double *n)
{
	const double *acc = w->Yc + (size_t)c * w->T;
	*s = acc[cp->ti] - acc[cp->bi];
	*n = w->Nc[c];
	if (w->n_inc) {
		size_t k = (size_t)c * w->P + (size_t)cp->pair;
		*s += w->Pc[k];
		*n += w->Qc[k];
	}
}

static void cells_eval(struct did_work *w, double *att)
{
	for (size_t k = 0; k < w->n_cells; k++) {
		const struct cell_plan *cp = &w->cells[k];
		double st, nt, sc, nc, s, n;
		if (cp->pair < 0) {
			att[k] = 0;
			w->tr_n[k] = w->Mc[cp->cls];
			w->ct_n[k] = 0;
			continue;
		}
		class_diff(w, cp->cls, cp, &st, &nt);
		class_diff(w, 0, cp, &sc, &nc);
		for (int c = cp->ctrl_from; c < (int)w->C; c++) {
			if (c == cp->cls)
				continue;
			class_diff(w, c, cp, &s, &n);
			sc += s;
			nc += n;
		}
		w->tr_n[k] = nt;
		w->ct_n[k] = nc;
		w->tr_mean[k] = nt > 0 ? st / nt : NAN;
		w->ct_mean[k] = nc > 0 ? sc / nc : NAN;
		att[k] = nt > 0 && nc > 0 ? st / nt - sc / nc : NAN;
		if (nt < (double)w->mask_below)
			att[k] = NAN;   /* a permutation's own min_treated rule */
	}
}

/* size-weighted mean of cells; a cohort absent from the draw weighs 0 */
static double weighted_cells(const struct did_work *w, const double *att,
			     const size_t *idx, size_t n)
{
	double s = 0, m = 0;
	for (size_t i = 0; i < n; i++) {
		double mk = w->Mc[w->cells[idx[i]].cls];
		if (mk == 0 || (w->skip_nan && isnan(att[idx[i]])))
			continue;
		s += mk * att[idx[i]];
		m += mk;
	}
	return m > 0 ? s / m : NAN;
}

static void aggregate(const struct did_work *w, double *out)
{
	const double *att = out;
	double *ev = out + w->k_ev, *grp = out + w->k_grp;

	for (size_t e = 0; e < w->ev.n; e++)
		ev[e] = weighted_cells(w, att, w->ev.idx + w->ev.start[e],
				       w->ev.start[e + 1] - w->ev.start[e]);
	double gs = 0, gm = 0;
	for (size_t g = 0; g < w->grp.n; g++) {
		size_t a = w->grp.start[g], b = w->grp.start[g + 1];
		double mk = w->Mc[w->cells[w->grp.idx[a]].cls], s = 0;
		size_t n = 0;
		for (size_t i = a; i < b; i++) {
			double x = att[w->grp.idx[i]];
			if (w->skip_nan && isnan(x))
				continue;
			s += x;
			n++;
		}
		grp[g] = mk > 0 && n > 0 ? s / (double)n : NAN;
		if (mk > 0 && !(w->skip_nan && isnan(grp[g]))) {
			gs += mk * grp[g];
			gm += mk;
		}
	}
	out[w->k_group] = gm > 0 ? gs / gm : NAN;
	out[w->k_simple] = weighted_cells(w, att, w->simple, w->n_simple);
	double ds = 0;
	size_t dn = 0;
	for (size_t i = 0; i < w->dyn.start[1]; i++) {
		double x = ev[w->dyn.idx[i]];
		if (w->skip_nan && isnan(x))
			continue;
		ds += x;
		dn++;
	}
	out[w->k_dyn] = dn ? ds / (double)dn : NAN;
}

void did_evaluate(struct did_work *w, double *out)
{
	class_sums(w);
	cells_eval(w, out);
	aggregate(w, out);
}

/* ------------------------------------------------------------------ */
/* Aggregation lists, from the cells the point estimate could fill      */

int did_rel_of(const struct did_work *w, size_t k)
{
	return w->years[w->cells[k].ti] - w->gyear[w->cells[k].cls];
}

void did_plan_events(struct did_work *w, const double *att,
		     const struct did_options *o)
{
	size_t nc = w->n_cells;
	int *rels = xmalloc((nc + 1) * sizeof *rels);
	size_t n = 0;

	for (size_t k = 0; k < nc; k++) {
		int e = did_rel_of(w, k);
		if (!isnan(att[k]) && !w->thin[k] && e >= o->window_lo && e <= o->window_hi)
			rels[n++] = e;
	}
	xqsort(rels, n, sizeof *rels, compare_int);
	size_t ne = 0;
	for (size_t i = 0; i < n; i++)
		if (ne == 0 || rels[i] != rels[ne - 1])
			rels[ne++] = rels[i];
	w->ev.n = ne;
	w->ev.start = xcalloc(ne + 1, sizeof *w->ev.start);
	w->ev.idx = xmalloc((nc + 1) * sizeof *w->ev.idx);
	size_t m = 0;
	for (size_t e = 0; e < ne; e++) {
		w->ev.start[e] = m;
		for (size_t k = 0; k < nc; k++)
			if (!isnan(att[k]) && !w->thin[k] && did_rel_of(w, k) == rels[e])
				w->ev.idx[m++] = k;
	}
	w->ev.start[ne] = m;
	/* dynamic: the event times e >= 0, one list */
	w->dyn.n = 1;
	w->dyn.start = xcalloc(2, sizeof *w->dyn.start);
	w->dyn.idx = xmalloc((ne + 1) * sizeof *w->dyn.idx);
	for (size_t e = 0; e < ne; e++)
		if (rels[e] >= 0)
			w->dyn.idx[w->dyn.start[1]++] = e;
	free(rels);
}

/* simple and group: post cells with 0 <= e <= hi (R's aggte max_e) */
void did_plan_post(struct did_work *w, const double *att,
		   const struct did_options *o)
{
	size_t nc = w->n_cells;

	w->simple = xmalloc((nc + 1) * sizeof *w->simple);
	w->grp.start = xcalloc(w->C + 1, sizeof *w->grp.start);
	w->grp.idx = xmalloc((nc + 1) * sizeof *w->grp.idx);
	w->n_simple = 0;
	w->grp.n = 0;
	size_t m = 0;
	for (int c = 1; c < (int)w->C; c++) {
		size_t first = m;
		for (size_t k = 0; k < nc; k++) {
			int e = did_rel_of(w, k);
			if (w->cells[k].cls != c || isnan(att[k]) || w->thin[k] ||
			    e < 0 || e > o->window_hi)
				continue;
			w->grp.idx[m++] = k;
			w->simple[w->n_simple++] = k;
		}
		if (m > first)
			w->grp.start[w->grp.n++] = first;
	}
	w->grp.start[w->grp.n] = m;
}

void did_plan_layout(struct did_work *w)
{
	w->k_ev = w->n_cells;
	w->k_grp = w->k_ev + w->ev.n;
	w->k_simple = w->k_grp + w->grp.n;
	w->k_dyn = w->k_simple + 1;
	w->k_group = w->k_dyn + 1;
	w->K = w->k_group + 1;
}


void did_work_free(struct did_work *w)
{
	free(w->years); free(w->gyear); free(w->gbase); free(w->cls);
	free(w->id); free(w->ymat); free(w->complete); free(w->pair_of);
	free(w->inc_unit); free(w->inc_start); free(w->inc_pair); free(w->inc_d);
	free(w->cells); free(w->ev.start); free(w->ev.idx); free(w->grp.start);
	free(w->grp.idx); free(w->dyn.start); free(w->dyn.idx); free(w->simple);
	free(w->Yc); free(w->Nc); free(w->Mc); free(w->Pc); free(w->Qc);
	free(w->tr_n); free(w->ct_n); free(w->mult);
	free(w->thin); free(w->inf); free(w->pre_idx);
	free(w->tr_mean); free(w->ct_mean); free(w->pre_inf); free(w->pre_dc);
	free(w->pc_start); free(w->pc_u); free(w->pc_d);
}

/* Everything up to the point estimate; returns a status. */
int did_prepare(const struct did_panel *p, const struct did_options *o,
		struct did_work *w, struct did_result *r)
{
	int st = collect_years(p, w, r);
	if (st)
		return st;
	size_t *rowof = xcalloc(xmul(p->n_units, w->T) + 1, sizeof *rowof);
	int *gof = xmalloc((p->n_units + 1) * sizeof *gof);
	st = index_rows(p, w, rowof, r);
	if (!st) {
		classify_units(p, w, rowof, o->balance, gof, r);
		st = build_classes(p, w, gof, r);
	}
	if (!st) {
		build_matrix(p, w, rowof, gof, r);
		if (o->control == DID_CONTROL_NEVER && r->n_never == 0)
			st = DID_ENONEVER;
	}
	free(rowof);
	free(gof);
	if (st)
		return st;
	for (size_t c = 1; c < w->C; c++) {
		size_t n = 0;
		for (size_t u = 0; u < w->U; u++)
			n += w->cls[u] == (int)c;
		if (n == 1)
			r->warnings |= DID_WSMALLCOHORT;
	}
	plan_cells(w, o);
	plan_gaps(w);
	alloc_scratch(w);
	return DID_OK;
}

/* The point estimate (every unit once), which also decides which cells
 * the aggregations use; returns the statistics vector. */
double *did_point_estimate(struct did_work *w, const struct did_options *o,
			   size_t *usable)
{
	double *att = xmalloc((w->n_cells + 1) * sizeof *att);

	for (size_t u = 0; u < w->U; u++)
		w->mult[u] = 1;
	class_sums(w);
	cells_eval(w, att);
	*usable = 0;
	w->thin = xcalloc(w->n_cells + 1, 1);
	for (size_t k = 0; k < w->n_cells; k++) {
		*usable += !isnan(att[k]) && w->cells[k].pair >= 0;
		w->thin[k] = !isnan(att[k]) && w->cells[k].pair >= 0 &&
			     w->tr_n[k] < (double)o->min_treated;
	}
	did_plan_events(w, att, o);
	did_plan_post(w, att, o);
	did_plan_layout(w);
	free(att);
	double *est = xmalloc((w->K + 1) * sizeof *est);
	did_evaluate(w, est);
	return est;
}
