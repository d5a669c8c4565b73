/* Callaway & Sant'Anna staggered DiD, randomization inference: the
 * cohort assignment permuted across units (or every distinct assignment
 * enumerated), every statistic recomputed, p_perm counted. */
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
 * pre-period event-time effects in out with their analytic covariance
 * (cell variances over n - 1, as --se analytic's pretrend row), recomputed
 * for this assignment (studentized, so that every permutation
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
			double ft = wk * (double)U / w->tr_n[k] * did_n1_scale(w->tr_n[k]);
			double fc = wk * (double)U / w->ct_n[k] * did_n1_scale(w->ct_n[k]);
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
	gsl_matrix *Sg = xnonnull(gsl_matrix_alloc(n, n));
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
	double W = did_pinv_quadform(Sg, theta, &rank);
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
	did_plan_events(w, zero, o);
	did_plan_post(w, zero, o);
	did_plan_layout(w);
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
		if (did_rel_of(w, w->ev.idx[w->ev.start[j]]) == e)
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
double *did_permute(struct did_work *w, const struct did_options *o,
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
		if (did_rel_of(w, w->ev.idx[w->ev.start[j]]) < 0 && !ref)
			w->pre_idx[w->n_pre++] = w->k_ev + j;
	}
	w->pre_inf = xmallocarray(xmul(w->n_pre, w->U) + 1, sizeof *w->pre_inf);
	w->pre_dc = xmalloc((w->C + 1) * sizeof *w->pre_dc);
	list_pre_cells(w);
	ps.t0 = xmalloc((ps.n + 1) * sizeof *ps.t0);
	ps.hits = xcalloc(ps.n + 1, sizeof *ps.hits);
	ps.defined = xcalloc(ps.n + 1, sizeof *ps.defined);

	for (size_t u = 0; u < w->U; u++)
		w->mult[u] = 1;
	w->skip_nan = 1;
	w->mask_below = o->min_treated;
	did_evaluate(w, out);
	for (size_t i = 0; i < ps.n; i++)
		ps.t0[i] = ps.idx[i] < w->K ? out[ps.idx[i]] : NAN;
	ps.t0[ps.n] = pre_form(w, out);

	memcpy(orig, w->cls, w->U * sizeof *orig);
	double M = arrangements(w, (double)N + 1);
	r->perm_exact = M > 0;
	if (r->perm_exact) {
		/* every distinct assignment once, the actual one included */
		xqsort(w->cls, w->U, sizeof *w->cls, compare_int);
		do {
			did_evaluate(w, out);
			perm_count(w, &ps, out);
		} while (next_arrangement(w->cls, w->U));
		r->n_perm = (int)M - 1;
	} else {
		gsl_rng *rng = xnonnull(gsl_rng_alloc(gsl_rng_mt19937));
		gsl_rng_set(rng, o->seed);
		for (size_t k = 0; k < N; k++) {
			gsl_ran_shuffle(rng, w->cls, w->U, sizeof *w->cls);
			did_evaluate(w, out);
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
	did_evaluate(w, out);       /* scratch back to the actual assignment */
	free(out);
	free(orig);
	free(rels);
	free(ps.idx);
	free(ps.t0);
	free(ps.hits);
	free(ps.defined);
	return p;
}
