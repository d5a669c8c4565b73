/* Callaway & Sant'Anna staggered DiD: ATT(g,t), aggregations, cluster
 * bootstrap.  See did.h for the definitions.
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
#include "did.h"
#include "regress.h"

/* One ATT(g,t) as the replicate loop needs it. */
struct cell_plan {
	int cls;            /* cohort class 1..G */
	int ti, bi;         /* year indices of t and b */
	int pair;           /* index into the (t,b) pairs, -1 for a reference */
	int ctrl_from;      /* first cohort class among the not-yet-treated */
};

/* A list of cell indices per aggregate, stored back to back. */
struct index_lists {
	size_t n;
	size_t *start;      /* n + 1 offsets into idx */
	size_t *idx;
};

struct did_work {
	/* the panel after the drops */
	size_t U, T, G, C;  /* units, years, cohorts, classes (C = G + 1) */
	int *years;
	int *gyear;         /* per class; 0 for class 0, the never treated */
	int *gbase;         /* per class: year index of the last year < g */
	int *cls;           /* per unit */
	int *id;            /* per unit: index in the caller's panel */
	double *ymat;       /* U x T, each unit centred on its mean; NaN missing */
	unsigned char *complete;

	/* (t,b) pairs the cells use, and the units with gaps on them */
	size_t P;
	int *pair_of;       /* T x T -> pair or -1 */
	size_t n_inc;       /* units not observed every year */
	size_t *inc_unit, *inc_start;
	int *inc_pair;
	double *inc_d;

	struct cell_plan *cells;
	size_t n_cells;

	/* aggregation: events and groups list cells, dynamic lists events */
	struct index_lists ev, grp, dyn;
	size_t *simple;
	size_t n_simple;

	size_t K;           /* statistics per replicate */
	size_t k_ev, k_grp, k_simple, k_dyn, k_group;

	/* replicate scratch */
	double *Yc, *Nc, *Mc, *Pc, *Qc;
	double *tr_n, *ct_n; /* per cell: treated, control multiplicity */
	double *tr_mean, *ct_mean; /* per cell: mean change of each side */
	int *mult;

	unsigned char *thin; /* per cell: below min_treated */
	int skip_nan;        /* aggregations leave undefined cells out */
	int mask_below;      /* permutations: cells on fewer treated are undefined */
	double *inf;         /* U x K influence functions, inf[u * K + k] */
	size_t *pre_idx;     /* the pretrend test's statistics (permutations) */
	double *pre_inf, *pre_dc; /* their influence functions, scratch */
	size_t *pc_start, *pc_u;  /* per cell of theirs: the units seen at t, b */
	double *pc_d;             /* and their changes Y_t - Y_b */
	size_t n_pre;
};

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

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* index of year v in the sorted list, or -1 */
static int year_index(const int *years, size_t T, int v)
{
	const int *p = bsearch(&v, years, T, sizeof *years, cmp_int);
	return p ? (int)(p - years) : -1;
}

/* ------------------------------------------------------------------ */
/* Preparing the panel                                                  */

static int check_options(const struct did_options *o)
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
	xqsort(ys, n, sizeof *ys, cmp_int);
	size_t T = 0;
	for (size_t i = 0; i < n; i++)
		if (T == 0 || ys[i] != ys[T - 1])
			ys[T++] = ys[i];
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
	xqsort(gs, n, sizeof *gs, cmp_int);
	size_t G = 0;
	for (size_t i = 0; i < n; i++)
		if (G == 0 || gs[i] != gs[G - 1])
			gs[G++] = gs[i];
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

	w->ymat = xmalloc((w->U * T + 1) * sizeof *w->ymat);
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

	w->cells = xmalloc((w->G * T + 1) * sizeof *w->cells);
	w->pair_of = xmalloc(T * T * sizeof *w->pair_of);
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
	w->Yc = xcalloc(C * w->T, sizeof *w->Yc);
	w->Nc = xcalloc(C, sizeof *w->Nc);
	w->Mc = xcalloc(C, sizeof *w->Mc);
	w->Pc = xcalloc(C * w->P + 1, sizeof *w->Pc);
	w->Qc = xcalloc(C * w->P + 1, sizeof *w->Qc);
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

static void evaluate(struct did_work *w, double *out)
{
	class_sums(w);
	cells_eval(w, out);
	aggregate(w, out);
}

/* ------------------------------------------------------------------ */
/* Aggregation lists, from the cells the point estimate could fill      */

static int rel_of(const struct did_work *w, size_t k)
{
	return w->years[w->cells[k].ti] - w->gyear[w->cells[k].cls];
}

static void plan_events(struct did_work *w, const double *att,
			const struct did_options *o)
{
	size_t nc = w->n_cells;
	int *rels = xmalloc((nc + 1) * sizeof *rels);
	size_t n = 0;

	for (size_t k = 0; k < nc; k++) {
		int e = rel_of(w, k);
		if (!isnan(att[k]) && !w->thin[k] && e >= o->window_lo && e <= o->window_hi)
			rels[n++] = e;
	}
	xqsort(rels, n, sizeof *rels, cmp_int);
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
			if (!isnan(att[k]) && !w->thin[k] && rel_of(w, k) == rels[e])
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
static void plan_post(struct did_work *w, const double *att,
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
			int e = rel_of(w, k);
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

static void plan_layout(struct did_work *w)
{
	w->k_ev = w->n_cells;
	w->k_grp = w->k_ev + w->ev.n;
	w->k_simple = w->k_grp + w->grp.n;
	w->k_dyn = w->k_simple + 1;
	w->k_group = w->k_dyn + 1;
	w->K = w->k_group + 1;
}

/* ------------------------------------------------------------------ */
/* Bootstrap                                                            */

static void draw_units(struct did_work *w, gsl_rng *rng)
{
	memset(w->mult, 0, w->U * sizeof *w->mult);
	for (size_t i = 0; i < w->U; i++)
		w->mult[gsl_rng_uniform_int(rng, w->U)]++;
}

/* boot[k * reps + r] = statistic k in replicate r */
static double *bootstrap(struct did_work *w, const struct did_options *o)
{
	size_t R = (size_t)o->reps;
	double *boot = xmalloc((w->K * R + 1) * sizeof *boot);
	double *out = xmalloc((w->K + 1) * sizeof *out);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int step = o->reps / 100 > 0 ? o->reps / 100 : 1;

	if (!rng)
		abort();        /* GSL's handler has already said why */
	gsl_rng_set(rng, o->seed);
	for (size_t r = 0; r < R; r++) {
		draw_units(w, rng);
		evaluate(w, out);
		for (size_t k = 0; k < w->K; k++)
			boot[k * R + r] = out[k];
		if (o->progress && ((int)(r + 1) % step == 0 || r + 1 == R))
			o->progress((int)(r + 1), o->reps, o->progress_ctx);
	}
	gsl_rng_free(rng);
	free(out);
	return boot;
}

/* sd of the defined replicates of one statistic */
static double boot_sd(const double *b, size_t R, double *tmp, int *n_ok)
{
	size_t n = 0;
	for (size_t r = 0; r < R; r++)
		if (!isnan(b[r]))
			tmp[n++] = b[r];
	*n_ok = (int)n;
	return n > 1 ? gsl_stats_sd(tmp, 1, n) : NAN;
}

/* R's quantile type 1: the smallest x with F_n(x) >= p */
static double quantile_type1(double *x, size_t n, double p)
{
	if (n == 0)
		return NAN;
	gsl_sort(x, 1, n);
	double np = (double)n * p;
	size_t j = (size_t)floor(np + 4 * DBL_EPSILON);
	if ((double)j < np - 4 * DBL_EPSILON)
		j++;
	return x[j == 0 ? 0 : (j > n ? n : j) - 1];
}

/* sup-t critical value over the statistics k in idx (those with se > 0) */
static double supt_crit(const double *boot, size_t R, const double *est,
			const double *se, const size_t *idx, size_t n,
			double level, double z)
{
	double *tmax = xmalloc((R + 1) * sizeof *tmax);
	size_t m = 0;

	for (size_t r = 0; r < R; r++) {
		double best = -1;
		for (size_t i = 0; i < n; i++) {
			size_t k = idx[i];
			double b = boot[k * R + r];
			if (!(se[k] > 0) || isnan(b))
				continue;
			double t = fabs(b - est[k]) / se[k];
			if (t > best)
				best = t;
		}
		if (best >= 0)
			tmax[m++] = best;
	}
	double c = quantile_type1(tmax, m, level);
	free(tmax);
	if (isnan(c))
		return NAN;
	return c > z ? c : z;
}

/* Sample covariance (n-1) of the statistics in idx over replicates ok. */
static gsl_matrix *boot_cov(const double *boot, size_t R, const size_t *idx,
			    size_t k, const size_t *ok, size_t n)
{
	gsl_matrix *S = gsl_matrix_alloc(k, k);
	double *mean = xcalloc(k, sizeof *mean);

	for (size_t i = 0; i < k; i++) {
		for (size_t j = 0; j < n; j++)
			mean[i] += boot[idx[i] * R + ok[j]];
		mean[i] /= (double)n;
	}
	for (size_t i = 0; i < k; i++)
		for (size_t l = 0; l <= i; l++) {
			double c = 0;
			for (size_t j = 0; j < n; j++)
				c += (boot[idx[i] * R + ok[j]] - mean[i]) *
				     (boot[idx[l] * R + ok[j]] - mean[l]);
			c /= (double)(n - 1);
			gsl_matrix_set(S, i, l, c);
			gsl_matrix_set(S, l, i, c);
		}
	free(mean);
	return S;
}

/* theta' S^+ theta through the SVD S = U diag(s) V' (S is destroyed):
 * on S's range its inverse is V diag(1/s) U'.  Singular values below
 * 1e-10 of the largest count as 0; *rank says how many did not. */
static double pinv_quadform(gsl_matrix *S, const double *theta, int *rank)
{
	size_t k = S->size1;
	gsl_matrix *V = gsl_matrix_alloc(k, k);
	gsl_vector *s = gsl_vector_alloc(k), *work = gsl_vector_alloc(k);
	gsl_error_handler_t *old;
	double W = 0, smax;
	int status = GSL_SUCCESS;

	/* replicates near the limits of double make an infinite covariance,
	 * on which the SVD does not converge: then there is no test */
	for (size_t i = 0; i < k && status == GSL_SUCCESS; i++) {
		if (!isfinite(theta[i]))
			status = GSL_EDOM;
		for (size_t j = 0; j < k; j++)
			if (!isfinite(gsl_matrix_get(S, i, j)))
				status = GSL_EDOM;
	}
	old = gsl_set_error_handler_off();
	if (status == GSL_SUCCESS)
		status = gsl_linalg_SV_decomp(S, V, s, work);
	gsl_set_error_handler(old);
	smax = status == GSL_SUCCESS ? gsl_vector_get(s, 0) : NAN;
	*rank = 0;
	for (size_t j = 0; j < k && status == GSL_SUCCESS; j++) {
		double sj = gsl_vector_get(s, j);
		if (!(sj > 0) || !(sj > smax * 1e-10))
			continue;
		double ut = 0, vt = 0;
		for (size_t i = 0; i < k; i++) {
			ut += gsl_matrix_get(S, i, j) * theta[i];
			vt += gsl_matrix_get(V, i, j) * theta[i];
		}
		W += ut * vt / sj;
		++*rank;
	}
	gsl_matrix_free(V);
	gsl_vector_free(s);
	gsl_vector_free(work);
	return W;
}

/* W = theta' S^+ theta over the statistics in idx (S is destroyed) */
static void wald_cov(gsl_matrix *S, const double *est, const size_t *idx,
		     size_t k, struct did_wald *wt)
{
	double *theta = xmalloc(k * sizeof *theta);
	for (size_t i = 0; i < k; i++)
		theta[i] = est[idx[i]];
	int rank;
	double W = pinv_quadform(S, theta, &rank);
	wt->singular = rank < (int)k;
	wt->df = rank;
	if (rank > 0 && isfinite(W) && W >= 0) {
		wt->statistic = W;
		wt->p_value = gsl_cdf_chisq_Q(W, rank);
	}
	free(theta);
}

static void wald_init(struct did_wald *wt, size_t k)
{
	wt->statistic = NAN;
	wt->p_value = NAN;
	wt->p_perm = NAN;
	wt->df = (int)k;
	wt->singular = 0;
	wt->n_boot = 0;
}

/* W = theta' Sigma^+ theta over the statistics in idx; Sigma from the
 * replicates in which all of them are defined. */
static void wald(const double *boot, size_t R, const double *est,
		 const size_t *idx, size_t k, struct did_wald *wt)
{
	wald_init(wt, k);
	if (k == 0 || R == 0)
		return;
	size_t *ok = xmalloc(R * sizeof *ok), n = 0;
	for (size_t r = 0; r < R; r++) {
		size_t i = 0;
		while (i < k && !isnan(boot[idx[i] * R + r]))
			i++;
		if (i == k)
			ok[n++] = r;
	}
	wt->n_boot = (int)n;
	if (n >= 2) {
		gsl_matrix *S = boot_cov(boot, R, idx, k, ok, n);
		wald_cov(S, est, idx, k, wt);
		gsl_matrix_free(S);
	}
	free(ok);
}

/* ------------------------------------------------------------------ */
/* Influence functions                                                  */

/* 1 treated, 2 control, 0 neither: unit u in cell k */
static int cell_role(const struct did_work *w, size_t k, size_t u)
{
	const struct cell_plan *cp = &w->cells[k];
	const double *row = w->ymat + u * w->T;
	int c = w->cls[u];

	if (cp->pair < 0 || isnan(row[cp->ti]) || isnan(row[cp->bi]))
		return 0;
	if (c == cp->cls)
		return 1;
	if (c == 0 || c >= cp->ctrl_from)
		return 2;
	return 0;
}

/* psi of one ATT(g,t), column k of w->inf */
static void inf_cell(struct did_work *w, size_t k)
{
	const struct cell_plan *cp = &w->cells[k];
	size_t U = w->U, K = w->K;
	double sum[3] = { 0, 0, 0 }, n[3] = { 0, 0, 0 };

	for (size_t u = 0; u < U; u++) {
		int r = cell_role(w, k, u);
		if (r) {
			const double *row = w->ymat + u * w->T;
			sum[r] += row[cp->ti] - row[cp->bi];
			n[r]++;
		}
	}
	if (!(n[1] > 0 && n[2] > 0))
		return;
	double mean1 = sum[1] / n[1], mean2 = sum[2] / n[2];
	for (size_t u = 0; u < U; u++) {
		int r = cell_role(w, k, u);
		if (!r)
			continue;
		const double *row = w->ymat + u * w->T;
		double d = row[cp->ti] - row[cp->bi];
		w->inf[u * K + k] = r == 1 ? (double)U / n[1] * (d - mean1)
					   : -(double)U / n[2] * (d - mean2);
	}
}

/* psi of out = sum_i M_i theta_i / S over items (statistic item[i], its
 * cohort class cls[i]): the items' psi weighted, plus the cohort shares'. */
static void inf_wmean(struct did_work *w, const double *est, size_t out,
		      const size_t *item, const int *cls, size_t n)
{
	size_t U = w->U, K = w->K;
	double S = 0, *dc = xcalloc(w->C, sizeof *dc);

	for (size_t i = 0; i < n; i++)
		S += w->Mc[cls[i]];
	if (S > 0 && !isnan(est[out])) {
		for (size_t i = 0; i < n; i++) {
			double a = w->Mc[cls[i]] / S;
			dc[cls[i]] += est[item[i]] - est[out];
			for (size_t u = 0; u < U; u++)
				w->inf[u * K + out] += a * w->inf[u * K + item[i]];
		}
		for (size_t u = 0; u < U; u++)
			w->inf[u * K + out] += (double)U * dc[w->cls[u]] / S;
	}
	free(dc);
}

/* psi of the plain mean of the statistics item[0..n) */
static void inf_mean(struct did_work *w, size_t out, const size_t *item, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t u = 0; u < w->U; u++)
			w->inf[u * w->K + out] += w->inf[u * w->K + item[i]] / (double)n;
}

/* Every statistic's influence function, at the point estimate. */
static void influence(struct did_work *w, const double *est)
{
	size_t K = w->K;
	size_t *item = xmalloc((K + 1) * sizeof *item);
	int *cls = xmalloc((K + 1) * sizeof *cls);

	w->inf = xcalloc(w->U * K + 1, sizeof *w->inf);
	for (size_t k = 0; k < w->n_cells; k++)
		if (!isnan(est[k]))
			inf_cell(w, k);
	for (size_t e = 0; e < w->ev.n; e++) {
		size_t n = 0;
		for (size_t i = w->ev.start[e]; i < w->ev.start[e + 1]; i++) {
			item[n] = w->ev.idx[i];
			cls[n++] = w->cells[w->ev.idx[i]].cls;
		}
		inf_wmean(w, est, w->k_ev + e, item, cls, n);
	}
	for (size_t g = 0; g < w->grp.n; g++) {
		size_t a = w->grp.start[g], b = w->grp.start[g + 1];
		inf_mean(w, w->k_grp + g, w->grp.idx + a, b - a);
		item[g] = w->k_grp + g;
		cls[g] = w->cells[w->grp.idx[a]].cls;
	}
	inf_wmean(w, est, w->k_group, item, cls, w->grp.n);
	for (size_t i = 0; i < w->n_simple; i++) {
		item[i] = w->simple[i];
		cls[i] = w->cells[w->simple[i]].cls;
	}
	inf_wmean(w, est, w->k_simple, item, cls, w->n_simple);
	for (size_t i = 0; i < w->dyn.start[1]; i++)
		item[i] = w->k_ev + w->dyn.idx[i];
	inf_mean(w, w->k_dyn, item, w->dyn.start[1]);
	free(item);
	free(cls);
}

/* se = sqrt(sum psi^2) / U */
static double *analytic_se(const struct did_work *w, const double *est)
{
	double *se = xmalloc((w->K + 1) * sizeof *se);

	for (size_t k = 0; k < w->K; k++) {
		double ss = 0;
		for (size_t u = 0; u < w->U; u++)
			ss += w->inf[u * w->K + k] * w->inf[u * w->K + k];
		se[k] = isnan(est[k]) ? NAN : sqrt(ss) / (double)w->U;
	}
	return se;
}

/* sum_i psi_i psi_i' / U^2 over the statistics in idx */
static gsl_matrix *analytic_cov(const struct did_work *w, const size_t *idx, size_t k)
{
	gsl_matrix *S = gsl_matrix_calloc(k, k);
	double U2 = (double)w->U * (double)w->U;

	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b <= a; b++) {
			double c = 0;
			for (size_t u = 0; u < w->U; u++)
				c += w->inf[u * w->K + idx[a]] * w->inf[u * w->K + idx[b]];
			gsl_matrix_set(S, a, b, c / U2);
			gsl_matrix_set(S, b, a, c / U2);
		}
	return S;
}

/* draws[k * R + r] = theta_k + sum_u v_u psi_uk / U, v Mammen */
static double *multiplier(const struct did_work *w, const struct did_options *o,
			  const double *est)
{
	size_t R = (size_t)o->reps, K = w->K, U = w->U;
	double *draws = xmalloc((K * R + 1) * sizeof *draws);
	double *acc = xmalloc((K + 1) * sizeof *acc);
	double kappa = (sqrt(5.0) + 1) / 2, pk = kappa / sqrt(5.0);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int step = o->reps / 100 > 0 ? o->reps / 100 : 1;

	if (!rng)
		abort();
	gsl_rng_set(rng, o->seed);
	for (size_t r = 0; r < R; r++) {
		memset(acc, 0, K * sizeof *acc);
		for (size_t u = 0; u < U; u++) {
			double v = gsl_rng_uniform(rng) < pk ? 1 - kappa : kappa;
			const double *psi = w->inf + u * K;
			for (size_t k = 0; k < K; k++)
				acc[k] += v * psi[k];
		}
		for (size_t k = 0; k < K; k++)
			draws[k * R + r] = est[k] + acc[k] / (double)U;
		if (o->progress && ((int)(r + 1) % step == 0 || r + 1 == R))
			o->progress((int)(r + 1), o->reps, o->progress_ctx);
	}
	gsl_rng_free(rng);
	free(acc);
	return draws;
}

/* did's mboot: (q75 - q25) / (z75 - z25) of the draws, type-1 quantiles;
 * below sqrt(eps) * 10 / sqrt(U) it is degenerate */
static double *multiplier_se(const struct did_work *w, const double *draws,
			     size_t R, const double *est, int *nb)
{
	double *se = xmalloc((w->K + 1) * sizeof *se);
	double *tmp = xmalloc((R + 1) * sizeof *tmp);
	double zq = gsl_cdf_ugaussian_Pinv(0.75) - gsl_cdf_ugaussian_Pinv(0.25);

	for (size_t k = 0; k < w->K; k++) {
		se[k] = NAN;
		nb[k] = isnan(est[k]) ? 0 : (int)R;
		if (isnan(est[k]) || R == 0)
			continue;
		memcpy(tmp, draws + k * R, R * sizeof *tmp);
		double q75 = quantile_type1(tmp, R, 0.75);
		double q25 = quantile_type1(tmp, R, 0.25);
		double s = (q75 - q25) / zq;
		se[k] = s * sqrt((double)w->U) > sqrt(DBL_EPSILON) * 10 ? s : 0;
	}
	free(tmp);
	return se;
}

/* ------------------------------------------------------------------ */
/* Randomization inference                                              */

/* next arrangement of a multiset in lexicographic order; 0 after the last */
static int next_arrangement(int *a, size_t n)
{
	if (n < 2)
		return 0;
	size_t i = n - 1;
	while (i > 0 && a[i - 1] >= a[i])
		i--;
	if (i == 0)
		return 0;
	size_t j = n - 1;
	while (a[j] <= a[i - 1])
		j--;
	int t = a[i - 1]; a[i - 1] = a[j]; a[j] = t;
	for (size_t l = i, r = n - 1; l < r; l++, r--) {
		t = a[l]; a[l] = a[r]; a[r] = t;
	}
	return 1;
}

/* the number of distinct assignments, or 0 when above cap */
static double arrangements(const struct did_work *w, double cap)
{
	double lm = lgamma((double)w->U + 1);
	for (size_t c = 0; c < w->C; c++)
		lm -= lgamma(w->Mc[c] + 1);
	if (lm > log(cap) + 1e-9)
		return 0;
	return floor(exp(lm) + 0.5);
}

/* the statistics permuted: the event times, the three overall estimates
 * and the pretrend quadratic form (index K) */
struct perm_stats {
	size_t *idx;
	size_t n;
	double *t0;         /* observed, n + 1 */
	double *hits, *defined;
};

/* The pretrend statistic of one assignment: the Wald form of the
 * pre-period event-time effects in out with their analytic covariance,
 * recomputed for this assignment (studentized, so that every permutation
 * is measured by its own precision).  The influence functions of those
 * effects are summed straight into w->pre_inf (n_pre x U) from the cell
 * means cells_eval left in tr_mean, ct_mean. */
static double pre_form(struct did_work *w, const double *out)
{
	size_t U = w->U, n = 0;
	double *F = w->pre_inf, *dc = w->pre_dc;
	size_t *pre = xmalloc((w->n_pre + 1) * sizeof *pre);

	for (size_t a = 0; a < w->n_pre; a++)       /* the defined ones */
		if (!isnan(out[w->pre_idx[a]]))
			pre[n++] = w->pre_idx[a];
	if (n == 0) {
		free(pre);
		return NAN;
	}
	memset(F, 0, n * U * sizeof *F);
	for (size_t a = 0; a < n; a++) {
		size_t e = pre[a] - w->k_ev;
		double S = 0, *f = F + a * U;
		memset(dc, 0, w->C * sizeof *dc);
		for (size_t j = w->ev.start[e]; j < w->ev.start[e + 1]; j++)
			if (!isnan(out[w->ev.idx[j]]))
				S += w->Mc[w->cells[w->ev.idx[j]].cls];
		for (size_t j = w->ev.start[e]; j < w->ev.start[e + 1]; j++) {
			size_t k = w->ev.idx[j];
			const struct cell_plan *cp = &w->cells[k];
			if (isnan(out[k]))
				continue;
			double wk = w->Mc[cp->cls] / S;
			double ft = wk * (double)U / w->tr_n[k], fc = wk * (double)U / w->ct_n[k];
			double mt = w->tr_mean[k], mc = w->ct_mean[k];
			dc[cp->cls] += out[k] - out[pre[a]];
			/* cell_role, on the units seen at t and b listed once */
			for (size_t i = w->pc_start[k]; i < w->pc_start[k + 1]; i++) {
				size_t u = w->pc_u[i];
				int c = w->cls[u];
				if (c == cp->cls)
					f[u] += ft * (w->pc_d[i] - mt);
				else if (c == 0 || c >= cp->ctrl_from)
					f[u] -= fc * (w->pc_d[i] - mc);
			}
		}
		for (size_t u = 0; u < U; u++)
			f[u] += (double)U * dc[w->cls[u]] / S;
	}
	gsl_matrix *Sg = gsl_matrix_alloc(n, n);
	double *theta = xmalloc(n * sizeof *theta);
	for (size_t a = 0; a < n; a++) {
		theta[a] = out[pre[a]];
		for (size_t b = 0; b <= a; b++) {
			double c = 0;
			for (size_t u = 0; u < U; u++)
				c += F[a * U + u] * F[b * U + u];
			c /= (double)U * (double)U;
			gsl_matrix_set(Sg, a, b, c);
			gsl_matrix_set(Sg, b, a, c);
		}
	}
	int rank;
	double W = pinv_quadform(Sg, theta, &rank);
	gsl_matrix_free(Sg);
	free(theta);
	free(pre);
	return rank > 0 && isfinite(W) ? W : NAN;
}

static void perm_count(struct did_work *w, struct perm_stats *ps, const double *out)
{
	for (size_t i = 0; i <= ps->n; i++) {
		double t = i < ps->n ? (ps->idx[i] < w->K ? out[ps->idx[i]] : NAN)
				     : pre_form(w, out);
		if (isnan(t) || isnan(ps->t0[i]))
			continue;
		ps->defined[i]++;
		if (fabs(t) >= fabs(ps->t0[i]) * (1 - 1e-10))
			ps->hits[i]++;
	}
}

/* The aggregation plan: which cells each aggregate lists, and the layout
 * of the statistics vector. */
struct plan {
	struct index_lists ev, grp, dyn;
	size_t *simple, n_simple;
	size_t K, k_ev, k_grp, k_simple, k_dyn, k_group;
	unsigned char *thin;
};

static void plan_swap(struct did_work *w, struct plan *p)
{
	struct plan t = { w->ev, w->grp, w->dyn, w->simple, w->n_simple, w->K, w->k_ev,
			  w->k_grp, w->k_simple, w->k_dyn, w->k_group, w->thin };
	w->ev = p->ev; w->grp = p->grp; w->dyn = p->dyn;
	w->simple = p->simple; w->n_simple = p->n_simple;
	w->K = p->K; w->k_ev = p->k_ev; w->k_grp = p->k_grp;
	w->k_simple = p->k_simple; w->k_dyn = p->k_dyn; w->k_group = p->k_group;
	w->thin = p->thin;
	*p = t;
}

/* The plan of a permutation lists every cell of the window, whatever the
 * actual assignment made of it: which cells are undefined or below
 * min_treated depends on the assignment, so each permutation decides that
 * for itself (cells_eval masks them), and the statistic is the same
 * function of every assignment, the actual one included. */
static void plan_all(struct did_work *w, const struct did_options *o)
{
	double *zero = xcalloc(w->n_cells + 1, sizeof *zero);
	w->thin = xcalloc(w->n_cells + 1, 1);
	plan_events(w, zero, o);
	plan_post(w, zero, o);
	plan_layout(w);
	free(zero);
}

static void plan_free(struct did_work *w)
{
	free(w->ev.start); free(w->ev.idx); free(w->grp.start); free(w->grp.idx);
	free(w->dyn.start); free(w->dyn.idx); free(w->simple); free(w->thin);
}

/* the event-time statistic of relative year e in the current plan, or the
 * size of the statistics vector when there is none */
static size_t event_stat(const struct did_work *w, int e)
{
	for (size_t j = 0; j < w->ev.n; j++)
		if (rel_of(w, w->ev.idx[w->ev.start[j]]) == e)
			return w->k_ev + j;
	return w->K;
}

/* For the cells of the pretrend's event times: the units observed at both
 * t and b with their change, which no permutation alters. */
static void list_pre_cells(struct did_work *w)
{
	size_t n = 0, cap = 0;
	w->pc_start = xcalloc(w->n_cells + 1, sizeof *w->pc_start);
	w->pc_u = NULL;
	w->pc_d = NULL;
	size_t dcap = 0;
	unsigned char *want = xcalloc(w->n_cells + 1, 1);
	for (size_t a = 0; a < w->n_pre; a++) {
		size_t e = w->pre_idx[a] - w->k_ev;
		for (size_t j = w->ev.start[e]; j < w->ev.start[e + 1]; j++)
			want[w->ev.idx[j]] = 1;
	}
	for (size_t k = 0; k < w->n_cells; k++) {
		const struct cell_plan *cp = &w->cells[k];
		w->pc_start[k] = n;
		if (!want[k] || cp->pair < 0)
			continue;
		for (size_t u = 0; u < w->U; u++) {
			const double *row = w->ymat + u * w->T;
			if (isnan(row[cp->ti]) || isnan(row[cp->bi]))
				continue;
			w->pc_u = xgrow(w->pc_u, &cap, n + 1, sizeof *w->pc_u);
			w->pc_d = xgrow(w->pc_d, &dcap, n + 1, sizeof *w->pc_d);
			w->pc_u[n] = u;
			w->pc_d[n++] = row[cp->ti] - row[cp->bi];
		}
	}
	w->pc_start[w->n_cells] = n;
	free(want);
}

/* p_perm of every permuted statistic, in the order of the actual plan's
 * event times, then simple, dynamic, group; p[n] is pretrend's */
static double *permute(struct did_work *w, const struct did_options *o,
		       struct did_result *r)
{
	struct perm_stats ps;
	struct plan actual;
	int *orig = xmalloc((w->U + 1) * sizeof *orig);
	size_t N = (size_t)o->permute, n_ev = w->ev.n;
	int *rels = xmalloc((n_ev + 1) * sizeof *rels);

	for (size_t e = 0; e < n_ev; e++)
		rels[e] = r->events[e].rel_year;
	plan_swap(w, &actual);          /* actual now holds the actual plan */
	plan_all(w, o);
	double *out = xmalloc((w->K + actual.K + 1) * sizeof *out);
	ps.idx = xmalloc((n_ev + 4) * sizeof *ps.idx);
	ps.n = 0;
	for (size_t e = 0; e < n_ev; e++)
		ps.idx[ps.n++] = event_stat(w, rels[e]);
	ps.idx[ps.n++] = w->k_simple;
	ps.idx[ps.n++] = w->k_dyn;
	ps.idx[ps.n++] = w->k_group;
	w->n_pre = 0;
	free(w->pre_idx);
	w->pre_idx = xmalloc((w->ev.n + 1) * sizeof *w->pre_idx);
	for (size_t j = 0; j < w->ev.n; j++) {
		int ref = 1;
		for (size_t i = w->ev.start[j]; i < w->ev.start[j + 1]; i++)
			ref &= w->cells[w->ev.idx[i]].pair < 0;
		if (rel_of(w, w->ev.idx[w->ev.start[j]]) < 0 && !ref)
			w->pre_idx[w->n_pre++] = w->k_ev + j;
	}
	w->pre_inf = xmalloc((w->n_pre * w->U + 1) * sizeof *w->pre_inf);
	w->pre_dc = xmalloc((w->C + 1) * sizeof *w->pre_dc);
	list_pre_cells(w);
	ps.t0 = xmalloc((ps.n + 1) * sizeof *ps.t0);
	ps.hits = xcalloc(ps.n + 1, sizeof *ps.hits);
	ps.defined = xcalloc(ps.n + 1, sizeof *ps.defined);

	for (size_t u = 0; u < w->U; u++)
		w->mult[u] = 1;
	w->skip_nan = 1;
	w->mask_below = o->min_treated;
	evaluate(w, out);
	for (size_t i = 0; i < ps.n; i++)
		ps.t0[i] = ps.idx[i] < w->K ? out[ps.idx[i]] : NAN;
	ps.t0[ps.n] = pre_form(w, out);

	memcpy(orig, w->cls, w->U * sizeof *orig);
	double M = arrangements(w, (double)N + 1);
	r->perm_exact = M > 0;
	if (r->perm_exact) {
		/* every distinct assignment once, the actual one included */
		xqsort(w->cls, w->U, sizeof *w->cls, cmp_int);
		do {
			evaluate(w, out);
			perm_count(w, &ps, out);
		} while (next_arrangement(w->cls, w->U));
		r->n_perm = (int)M - 1;
	} else {
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		if (!rng)
			abort();
		gsl_rng_set(rng, o->seed);
		for (size_t k = 0; k < N; k++) {
			gsl_ran_shuffle(rng, w->cls, w->U, sizeof *w->cls);
			evaluate(w, out);
			perm_count(w, &ps, out);
		}
		gsl_rng_free(rng);
		r->n_perm = (int)N;
	}
	memcpy(w->cls, orig, w->U * sizeof *orig);
	w->skip_nan = 0;
	w->mask_below = 0;
	double *p = xmalloc((ps.n + 1) * sizeof *p);
	for (size_t i = 0; i <= ps.n; i++) {
		if (isnan(ps.t0[i]) || ps.defined[i] == 0)
			p[i] = NAN;
		else if (r->perm_exact)
			p[i] = ps.hits[i] / ps.defined[i];
		else
			p[i] = (1 + ps.hits[i]) / (ps.defined[i] + 1);
	}
	plan_free(w);
	plan_swap(w, &actual);
	evaluate(w, out);       /* scratch back to the actual assignment */
	free(out);
	free(orig);
	free(rels);
	free(ps.idx);
	free(ps.t0);
	free(ps.hits);
	free(ps.defined);
	return p;
}

/* n_treated, n_control of an aggregate over cells idx[0..n) */
static void count_units(const struct did_work *w, const size_t *idx, size_t n,
			unsigned char *mark, struct did_estimate *e)
{
	memset(mark, 0, w->U);
	for (size_t i = 0; i < n; i++)
		for (size_t u = 0; u < w->U; u++) {
			int role = cell_role(w, idx[i], u);
			if (role)
				mark[u] |= (unsigned char)role;
		}
	e->n_treated = e->n_control = 0;
	for (size_t u = 0; u < w->U; u++) {
		e->n_treated += (mark[u] & 1) != 0;
		e->n_control += (mark[u] & 2) != 0;
	}
}

/* ------------------------------------------------------------------ */
/* Filling the result                                                   */

static void set_estimate(struct did_estimate *e, double est, double se,
			 int n_boot, double z, size_t n)
{
	e->estimate = est;
	e->std_error = se;
	e->n_boot = n_boot;
	e->n = n;
	e->statistic = se > 0 ? est / se : NAN;
	e->p_value = se > 0 ? regress_z_p_two_sided(est / se) : NAN;
	e->conf_low = est - z * se;
	e->conf_high = est + z * se;
	e->band_low = e->band_high = NAN;
	e->p_perm = NAN;
}

/* A bootstrap that resamples countries cannot vary a mean over one country:
 * an estimate that rests on a single treated or control unit, or whose
 * replicates never vary, has no standard error to report (not 0). */
static void no_error(struct did_estimate *e)
{
	e->std_error = e->statistic = e->p_value = NAN;
	e->conf_low = e->conf_high = NAN;
}

static void set_band(struct did_estimate *e, double crit)
{
	if (isnan(crit) || isnan(e->std_error))
		return;
	e->band_low = e->estimate - crit * e->std_error;
	e->band_high = e->estimate + crit * e->std_error;
}

static void fill_cells(const struct did_work *w, const double *est,
		       const double *se, const int *nb, double z,
		       struct did_result *r)
{
	r->n_cells = w->n_cells;
	r->cells = xcalloc(w->n_cells + 1, sizeof *r->cells);
	for (size_t k = 0; k < w->n_cells; k++) {
		const struct cell_plan *cp = &w->cells[k];
		struct did_cell *c = &r->cells[k];
		c->cohort = w->gyear[cp->cls];
		c->year = w->years[cp->ti];
		c->base_year = w->years[cp->bi];
		c->rel_year = c->year - c->cohort;
		c->post = c->year >= c->cohort;
		c->reference = cp->pair < 0;
		c->n_treated = (size_t)(w->tr_n[k] + 0.5);
		c->n_control = (size_t)(w->ct_n[k] + 0.5);
		if (isnan(est[k]))
			c->empty = w->tr_n[k] > 0 ? DID_CELL_NOCONTROL : DID_CELL_NOTREATED;
		set_estimate(&c->est, est[k], se[k], nb[k], z,
			     c->n_treated + c->n_control);
		c->est.n_treated = c->n_treated;
		c->est.n_control = c->n_control;
		c->thin = w->thin[k];
		if (c->thin) {
			no_error(&c->est);
			r->warnings |= DID_WTHIN;
			r->n_thin++;
		} else if (isnan(est[k]))
			r->warnings |= DID_WEMPTYCELL;
		else if (!c->reference && !isnan(se[k]) &&
			 (c->n_treated < 2 || c->n_control < 2 || se[k] == 0)) {
			no_error(&c->est);
			r->warnings |= DID_WNOVARIATION;
		}
	}
}

/* some cell of idx[0..n) rests on a single treated or control unit: no
 * method can measure that side's variance, so neither the cell's nor any
 * aggregate's standard error over it is known */
static int single_side(const struct did_work *w, const size_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = idx[i];
		if (w->cells[k].pair >= 0 && (w->tr_n[k] < 2 || w->ct_n[k] < 2))
			return 1;
	}
	return 0;
}

static void unknown_error(struct did_estimate *e, struct did_result *r)
{
	if (isnan(e->std_error))
		return;
	no_error(e);
	r->warnings |= DID_WNOVARIATION;
}

/* n_treated, n_control of every aggregate */
static void fill_counts(const struct did_work *w, struct did_result *r)
{
	unsigned char *mark = xmalloc(w->U + 1);
	size_t *idx = xmalloc((w->n_cells + 1) * sizeof *idx), n = 0;

	for (size_t e = 0; e < w->ev.n; e++)
		count_units(w, w->ev.idx + w->ev.start[e], w->ev.start[e + 1] - w->ev.start[e],
			    mark, &r->events[e].est);
	for (size_t g = 0; g < w->grp.n; g++)
		count_units(w, w->grp.idx + w->grp.start[g], w->grp.start[g + 1] - w->grp.start[g],
			    mark, &r->groups[g].est);
	count_units(w, w->simple, w->n_simple, mark, &r->simple);
	count_units(w, w->grp.idx, w->grp.start[w->grp.n], mark, &r->group);
	for (size_t i = 0; i < w->dyn.start[1]; i++) {
		size_t e = w->dyn.idx[i];
		for (size_t j = w->ev.start[e]; j < w->ev.start[e + 1]; j++)
			idx[n++] = w->ev.idx[j];
	}
	count_units(w, idx, n, mark, &r->dynamic);
	if (single_side(w, idx, n))
		unknown_error(&r->dynamic, r);
	for (size_t e = 0; e < w->ev.n; e++)
		if (single_side(w, w->ev.idx + w->ev.start[e], w->ev.start[e + 1] - w->ev.start[e]))
			unknown_error(&r->events[e].est, r);
	for (size_t g = 0; g < w->grp.n; g++)
		if (single_side(w, w->grp.idx + w->grp.start[g], w->grp.start[g + 1] - w->grp.start[g]))
			unknown_error(&r->groups[g].est, r);
	if (single_side(w, w->simple, w->n_simple))
		unknown_error(&r->simple, r);
	if (single_side(w, w->grp.idx, w->grp.start[w->grp.n]))
		unknown_error(&r->group, r);
	n = 0;
	for (size_t e = 0; e < w->ev.n; e++)
		if (r->events[e].rel_year < 0 && !r->events[e].reference)
			for (size_t j = w->ev.start[e]; j < w->ev.start[e + 1]; j++)
				idx[n++] = w->ev.idx[j];
	struct did_estimate pre;
	count_units(w, idx, n, mark, &pre);
	r->pretrend.n_treated = pre.n_treated;
	r->pretrend.n_control = pre.n_control;
	free(idx);
	free(mark);
}

static void fill_aggregates(const struct did_work *w, const double *est,
			    const double *se, const int *nb, double z,
			    struct did_result *r)
{
	r->n_events = w->ev.n;
	r->events = xcalloc(w->ev.n + 1, sizeof *r->events);
	for (size_t e = 0; e < w->ev.n; e++) {
		struct did_event *ev = &r->events[e];
		size_t a = w->ev.start[e], b = w->ev.start[e + 1], n = 0;
		ev->rel_year = rel_of(w, w->ev.idx[a]);
		ev->n_cohorts = b - a;
		ev->reference = 1;
		for (size_t i = a; i < b; i++) {
			n += (size_t)(w->Mc[w->cells[w->ev.idx[i]].cls] + 0.5);
			ev->reference &= w->cells[w->ev.idx[i]].pair < 0;
		}
		size_t k = w->k_ev + e;
		set_estimate(&ev->est, est[k], se[k], nb[k], z, n);
		if (!ev->reference && se[k] == 0) {
			no_error(&ev->est);
			r->warnings |= DID_WNOVARIATION;
		}
	}
	r->n_groups = w->grp.n;
	r->groups = xcalloc(w->grp.n + 1, sizeof *r->groups);
	for (size_t g = 0; g < w->grp.n; g++) {
		struct did_group *gr = &r->groups[g];
		size_t a = w->grp.start[g];
		int c = w->cells[w->grp.idx[a]].cls;
		gr->cohort = w->gyear[c];
		gr->size = (size_t)(w->Mc[c] + 0.5);
		gr->n_cells = w->grp.start[g + 1] - a;
		size_t k = w->k_grp + g;
		set_estimate(&gr->est, est[k], se[k], nb[k], z, gr->size);
	}
	set_estimate(&r->simple, est[w->k_simple], se[w->k_simple],
		     nb[w->k_simple], z, w->U);
	set_estimate(&r->dynamic, est[w->k_dyn], se[w->k_dyn], nb[w->k_dyn], z, w->U);
	set_estimate(&r->group, est[w->k_group], se[w->k_group], nb[w->k_group], z, w->U);
	fill_counts(w, r);
	if (w->grp.n == 0)
		r->warnings |= DID_WNOPOST;
	if (w->ev.n == 0)
		r->warnings |= DID_WWINDOW;
}

/* sup-t bands for cells, events and cohorts; the two pre-trend tests */
/* the pretrend test over idx[0..n): from the draws, or (boot NULL) from
 * the influence functions */
static void pre_test(struct did_work *w, const double *boot, size_t R,
		     const double *est, const size_t *idx, size_t n,
		     struct did_wald *wt)
{
	if (boot) {
		wald(boot, R, est, idx, n, wt);
	} else {
		wald_init(wt, n);
		if (n > 0 && w->inf) {
			gsl_matrix *S = analytic_cov(w, idx, n);
			wald_cov(S, est, idx, n, wt);
			gsl_matrix_free(S);
		}
	}
}

/* The pretrend p-value refers W/df to F(df, n_treated - 1), not to
 * chi-squared(df): the pre-period effects are means over the few treated
 * units of their cohorts, and a covariance estimated from G clusters calls
 * for G - 1 denominator degrees of freedom (as Stata's clustered Wald
 * test); here G is the number of treated units behind the test.  With many
 * treated units the two agree; on the GLOTIP counts' placebo draws the
 * chi-squared test rejected in 15-19% of draws and this one in 4-6%. */
static void few_treated_p(struct did_wald *wt)
{
	if (isnan(wt->statistic) || wt->df < 1)
		return;
	wt->p_value = wt->n_treated >= 2
		? gsl_cdf_fdist_Q(wt->statistic / wt->df, wt->df, (double)wt->n_treated - 1)
		: NAN;
}

/* the pre-period event times the pretrend test covers */
static size_t pre_events(const struct did_work *w, const struct did_result *r, size_t *idx)
{
	size_t n = 0;
	for (size_t e = 0; e < w->ev.n; e++)
		if (r->events[e].rel_year < 0 && !r->events[e].reference)
			idx[n++] = w->k_ev + e;
	return n;
}

/* sup-t bands for cells, events and cohorts (from draws only); the two
 * pre-trend tests */
static void fill_inference(struct did_work *w, const double *boot,
			   size_t R, const double *est, const double *se,
			   double level, double z, struct did_result *r)
{
	size_t *idx = xmalloc((w->K + 1) * sizeof *idx), n = 0;

	if (boot) {
		for (size_t k = 0; k < w->n_cells; k++)
			if (!isnan(est[k]) && w->cells[k].pair >= 0 && !w->thin[k])
				idx[n++] = k;
		r->crit_cells = supt_crit(boot, R, est, se, idx, n, level, z);
		for (size_t k = 0; k < w->n_cells; k++)
			set_band(&r->cells[k].est, r->crit_cells);

		n = 0;
		for (size_t e = 0; e < w->ev.n; e++)
			if (!r->events[e].reference)
				idx[n++] = w->k_ev + e;
		r->crit_events = supt_crit(boot, R, est, se, idx, n, level, z);
		for (size_t e = 0; e < w->ev.n; e++)
			set_band(&r->events[e].est, r->crit_events);

		n = 0;
		for (size_t g = 0; g < w->grp.n; g++)
			idx[n++] = w->k_grp + g;
		r->crit_groups = supt_crit(boot, R, est, se, idx, n, level, z);
		for (size_t g = 0; g < w->grp.n; g++)
			set_band(&r->groups[g].est, r->crit_groups);
	}

	n = pre_events(w, r, idx);
	if (n == 0)
		r->warnings |= DID_WNOPRE;
	pre_test(w, boot, R, est, idx, n, &r->pretrend);
	few_treated_p(&r->pretrend);
	if (r->pretrend.singular)
		r->warnings |= DID_WSINGULAR;

	n = 0;
	for (size_t k = 0; k < w->n_cells; k++)
		if (!isnan(est[k]) && !r->cells[k].post && w->cells[k].pair >= 0 &&
		    !w->thin[k])
			idx[n++] = k;
	pre_test(w, boot, R, est, idx, n, &r->pretrend_cells);
	free(idx);
}

static void work_free(struct did_work *w)
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
static int prepare(const struct did_panel *p, const struct did_options *o,
		   struct did_work *w, struct did_result *r)
{
	int st = collect_years(p, w, r);
	if (st)
		return st;
	size_t *rowof = xcalloc(p->n_units * w->T + 1, sizeof *rowof);
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
static double *point_estimate(struct did_work *w, const struct did_options *o,
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
	plan_events(w, att, o);
	plan_post(w, att, o);
	plan_layout(w);
	free(att);
	double *est = xmalloc((w->K + 1) * sizeof *est);
	evaluate(w, est);
	return est;
}

/* standard errors; flags statistics some replicate left undefined */
static double *std_errors(const struct did_work *w, const double *boot,
			  size_t R, const double *est, int *nb,
			  struct did_result *r)
{
	double *se = xmalloc((w->K + 1) * sizeof *se);
	double *tmp = xmalloc((R + 1) * sizeof *tmp);

	for (size_t k = 0; k < w->K; k++) {
		se[k] = NAN;
		nb[k] = 0;
		if (R == 0)
			continue;
		se[k] = boot_sd(boot + k * R, R, tmp, &nb[k]);
		if (!isnan(est[k]) && nb[k] < (int)R)
			r->warnings |= DID_WBOOTNAN;
	}
	free(tmp);
	return se;
}

/* p_perm into the result: event times, the overall three, pretrend */
static void fill_perm(const struct did_work *w, const double *p, struct did_result *r)
{
	size_t n = 0;
	for (size_t e = 0; e < w->ev.n; e++, n++)
		if (!r->events[e].reference)
			r->events[e].est.p_perm = p[n];
	r->simple.p_perm = p[n++];
	r->dynamic.p_perm = p[n++];
	r->group.p_perm = p[n++];
	r->pretrend.p_perm = p[n];
}

int did_estimate(const struct did_panel *p, const struct did_options *o,
		 struct did_result *r)
{
	struct did_work w;
	double *est = NULL, *se = NULL, *boot = NULL, *pp = NULL;
	int *nb = NULL;
	size_t usable = 0, R = 0;

	memset(r, 0, sizeof *r);
	memset(&w, 0, sizeof w);
	r->pretrend.statistic = r->pretrend_cells.statistic = NAN;
	r->pretrend.p_value = r->pretrend_cells.p_value = NAN;
	r->pretrend.p_perm = r->pretrend_cells.p_perm = NAN;
	r->crit_cells = r->crit_events = r->crit_groups = NAN;
	r->status = check_options(o);
	if (!r->status)
		r->status = prepare(p, o, &w, r);
	if (r->status)
		goto out;

	est = point_estimate(&w, o, &usable);
	if (usable == 0)
		r->status = DID_ENOCELL;
	else if (o->se != DID_SE_ANALYTIC)
		R = (size_t)o->reps;
	int analytic = usable && o->se == DID_SE_ANALYTIC;
	if (usable && (o->se != DID_SE_BOOTSTRAP || o->permute > 0))
		influence(&w, est);
	nb = xcalloc(w.K + 1, sizeof *nb);
	if (R && o->se == DID_SE_BOOTSTRAP) {
		boot = bootstrap(&w, o);
		/* back to the point estimate's counts and cohort sizes */
		for (size_t u = 0; u < w.U; u++)
			w.mult[u] = 1;
		evaluate(&w, est);
		se = std_errors(&w, boot, R, est, nb, r);
	} else if (R) {
		boot = multiplier(&w, o, est);
		se = multiplier_se(&w, boot, R, est, nb);
	} else if (analytic) {
		se = analytic_se(&w, est);
	} else {
		se = std_errors(&w, NULL, 0, est, nb, r);
	}
	r->reps = (int)R;

	double z = regress_z_crit(o->level);
	fill_cells(&w, est, se, nb, z, r);
	fill_aggregates(&w, est, se, nb, z, r);
	if (R || analytic)
		fill_inference(&w, boot, R, est, se, o->level, z, r);
	else
		for (size_t e = 0; e < w.ev.n; e++)
			if (r->events[e].rel_year < 0 && !r->events[e].reference)
				r->pretrend.df++;
	if (usable && o->permute > 0) {
		pp = permute(&w, o, r);
		fill_perm(&w, pp, r);
	}
out:
	free(est);
	free(se);
	free(nb);
	free(boot);
	free(pp);
	work_free(&w);
	return r->status;
}

void did_result_free(struct did_result *r)
{
	free(r->dropped_early);
	free(r->dropped_unbalanced);
	free(r->cells);
	free(r->events);
	free(r->groups);
	memset(r, 0, sizeof *r);
}
