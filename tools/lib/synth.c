/* Synthetic control weights, gaps and placebos (synth.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

#include "alloc.h"
#include "synth.h"

/* reduced gradients this close to 0 (relative, as SYNTH_TOL) count as 0
 * when looking for other optimal weight vectors */
#define TIE_TOL 1e-9
/* a pre-period RMSPE this small against the series' scale is an exact fit */
#define EXACT_FIT 1e-12
/* ratios this close (relative) are equal in the placebo rank */
#define RATIO_TOL 1e-9

const char *synth_strerror(int status)
{
	switch (status) {
	case SYNTH_OK: return "ok";
	case SYNTH_ETOOFEW: return "too few pre-period or post-period years";
	case SYNTH_ENODONOR: return "fewer than two donors";
	case SYNTH_ECONSTANT: return "the treated series is constant before the event";
	case SYNTH_EINPUT: return "a value is not finite";
	}
	return "unknown status";
}

static double max_abs(const double *v, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

/* The rank of the points x_set[0..m-1] as an affine set: the rank of the
 * differences x_k - x_0, k >= 1, by Householder QR (rank 0 for m <= 1).
 * A column whose R diagonal falls below `rtol` times the largest
 * difference's norm adds nothing.  With b (not NULL) and full rank, also
 * solves min |b - x_0 - sum_k v_k (x_k - x_0)| into v[1..m-1]. */
static size_t affine_solve(const double *X, size_t n, const size_t *set, size_t m,
			   const double *b, double rtol, double *v)
{
	if (m <= 1)
		return 0;
	size_t k = m - 1, rank = 0;
	if (k > n)
		return n;       /* more differences than dimensions: dependent */
	gsl_matrix *A = xnonnull(gsl_matrix_alloc(n, k));
	gsl_vector *tau = xnonnull(gsl_vector_alloc(k));
	const double *x0 = X + set[0] * n;
	double big = 0;

	for (size_t c = 0; c < k; c++) {
		const double *xc = X + set[c + 1] * n;
		double ss = 0;
		for (size_t t = 0; t < n; t++) {
			double d = xc[t] - x0[t];
			gsl_matrix_set(A, t, c, d);
			ss += d * d;
		}
		if (sqrt(ss) > big)
			big = sqrt(ss);
	}
	gsl_linalg_QR_decomp(A, tau);
	for (size_t c = 0; c < k; c++)
		rank += fabs(gsl_matrix_get(A, c, c)) > rtol * big && big > 0;
	if (b && rank == k) {
		gsl_vector *rhs = xnonnull(gsl_vector_alloc(n));
		gsl_vector *sol = xnonnull(gsl_vector_alloc(k));
		gsl_vector *res = xnonnull(gsl_vector_alloc(n));
		for (size_t t = 0; t < n; t++)
			gsl_vector_set(rhs, t, b[t] - x0[t]);
		gsl_linalg_QR_lssolve(A, tau, rhs, sol, res);
		for (size_t c = 0; c < k; c++)
			v[c + 1] = gsl_vector_get(sol, c);
		gsl_vector_free(rhs);
		gsl_vector_free(sol);
		gsl_vector_free(res);
	}
	gsl_matrix_free(A);
	gsl_vector_free(tau);
	return rank;
}

/* least squares on the donors in `set` with their weights summing to 1:
 * z[set[i]]; 0, or -1 when the set is (numerically) affinely dependent */
static int subproblem(const double *X, const double *y, size_t n, const size_t *set,
		      size_t m, double *z, double *v)
{
	if (m == 1) {
		z[set[0]] = 1;
		return 0;
	}
	if (affine_solve(X, n, set, m, y, 1e-12, v) != m - 1)
		return -1;
	double s = 0;
	for (size_t i = 1; i < m; i++) {
		z[set[i]] = v[i];
		s += v[i];
	}
	z[set[0]] = 1 - s;
	return 0;
}

/* g_j = x_j'(Xw - y) for every donor */
static void gradient(const double *X, const double *y, size_t n, size_t J,
		     const double *w, double *r, double *g)
{
	for (size_t t = 0; t < n; t++)
		r[t] = -y[t];
	for (size_t j = 0; j < J; j++)
		if (w[j] != 0)
			for (size_t t = 0; t < n; t++)
				r[t] += w[j] * X[j * n + t];
	for (size_t j = 0; j < J; j++) {
		double s = 0;
		for (size_t t = 0; t < n; t++)
			s += X[j * n + t] * r[t];
		g[j] = s;
	}
}

struct active {
	size_t *set, m;      /* donors free to take a weight */
	char *in;            /* in[j]: j is in the set */
};

static void drop_zeros(struct active *a, double *w)
{
	size_t k = 0;
	for (size_t i = 0; i < a->m; i++) {
		size_t j = a->set[i];
		if (w[j] > 0)
			a->set[k++] = j;
		else {
			w[j] = 0;
			a->in[j] = 0;
		}
	}
	a->m = k;
}

/* the weights in the set sum to 1 again after rounding */
static void normalise(const struct active *a, double *w)
{
	double s = 0;
	for (size_t i = 0; i < a->m; i++)
		s += w[a->set[i]];
	for (size_t i = 0; i < a->m; i++)
		w[a->set[i]] /= s;
}

/* Moves w towards the subproblem's solution on the active set, stepping
 * back to the boundary whenever a weight would turn negative, until the
 * solution is interior.  Returns 0, or -1 when the donor just added brings
 * no progress (rounding: the caller stops). */
static int inner(const double *X, const double *y, size_t n, struct active *a,
		 double *w, double *z, double *v, size_t added)
{
	for (int first = 1;; first = 0) {
		if (subproblem(X, y, n, a->set, a->m, z, v) != 0 ||
		    (first && z[added] <= 0)) {
			if (a->in[added]) {
				w[added] = 0;
				drop_zeros(a, w);
				normalise(a, w);
			}
			return -1;
		}
		double alpha = 1;
		size_t binding = a->set[0];
		for (size_t i = 0; i < a->m; i++) {
			size_t j = a->set[i];
			if (z[j] <= 0) {
				double s = w[j] / (w[j] - z[j]);
				if (s < alpha) {
					alpha = s;
					binding = j;
				}
			}
		}
		if (alpha >= 1) {
			for (size_t i = 0; i < a->m; i++)
				w[a->set[i]] = z[a->set[i]];
			drop_zeros(a, w);
			return 0;
		}
		/* step to the boundary: the binding donor, and any other that
		 * rounding leaves at a trace, leave the set */
		for (size_t i = 0; i < a->m; i++) {
			size_t j = a->set[i];
			w[j] += alpha * (z[j] - w[j]);
			if (w[j] <= 1e-14)
				w[j] = 0;
		}
		w[binding] = 0;
		drop_zeros(a, w);
		normalise(a, w);
	}
}

/* other weight vectors fit as well: the donors in the set and those with a
 * zero reduced gradient are affinely dependent */
static int find_tie(const double *X, size_t n, size_t J, const struct active *a,
		    const double *g, double mu, double scale)
{
	size_t *cand = xmalloc((J + 1) * sizeof *cand), m = 0;
	int extra = 0;

	for (size_t i = 0; i < a->m; i++)
		cand[m++] = a->set[i];
	for (size_t j = 0; j < J; j++)
		if (!a->in[j] && g[j] + mu <= TIE_TOL * scale) {
			cand[m++] = j;
			extra = 1;
		}
	int tie = extra && affine_solve(X, n, cand, m, NULL, 1e-9, NULL) < m - 1;
	free(cand);
	return tie;
}

int synth_weights(const double *X, const double *y, size_t n, size_t J, double *w, int *tie)
{
	if (tie)
		*tie = 0;
	if (J == 0)
		return -1;
	for (size_t i = 0; i < n * J; i++)
		if (!isfinite(X[i]))
			return -1;
	for (size_t t = 0; t < n; t++)
		if (!isfinite(y[t]))
			return -1;

	double xmax = max_abs(X, n * J), ymax = max_abs(y, n);
	double scale = (double)n * (xmax > 0 ? xmax : 1) * (xmax + ymax > 0 ? xmax + ymax : 1);
	double *r = xmalloc((n + 1) * sizeof *r), *g = xmalloc(J * sizeof *g);
	double *z = xcalloc(J, sizeof *z), *v = xmalloc((J + 1) * sizeof *v);
	struct active a = { xmalloc(J * sizeof *a.set), 0, xcalloc(J, 1) };
	size_t start = 0;
	double best = INFINITY;

	/* start at the single donor closest to y */
	for (size_t j = 0; j < J; j++) {
		double ss = 0;
		for (size_t t = 0; t < n; t++)
			ss += (y[t] - X[j * n + t]) * (y[t] - X[j * n + t]);
		if (ss < best) {
			best = ss;
			start = j;
		}
	}
	memset(w, 0, J * sizeof *w);
	w[start] = 1;
	a.set[a.m++] = start;
	a.in[start] = 1;

	double mu = 0;
	for (size_t iter = 0; iter < 10 * J + 100; iter++) {
		gradient(X, y, n, J, w, r, g);
		mu = 0;
		for (size_t i = 0; i < a.m; i++)
			mu -= g[a.set[i]];
		mu /= (double)a.m;
		size_t add = J;
		double most = -SYNTH_TOL * scale;
		for (size_t j = 0; j < J; j++)
			if (!a.in[j] && g[j] + mu < most) {
				most = g[j] + mu;
				add = j;
			}
		if (add == J)
			break;
		a.set[a.m++] = add;
		a.in[add] = 1;
		if (inner(X, y, n, &a, w, z, v, add) != 0)
			break;
	}
	gradient(X, y, n, J, w, r, g);
	if (tie)
		*tie = find_tie(X, n, J, &a, g, mu, scale);
	free(r);
	free(g);
	free(z);
	free(v);
	free(a.set);
	free(a.in);
	return 0;
}

/* ------------------------------------------------------------------ */

static double rms(const double *v, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i] * v[i];
	return n ? sqrt(s / (double)n) : NAN;
}

/* synthetic series, gaps and RMSPE of one treated series y against
 * donors X (J columns of T); returns the ratio (INFINITY: exact fit) */
static double fit_one(const double *X, const double *y, size_t T, size_t T0, size_t J,
		      double *w, double *synthetic, double *gap, double *pre,
		      double *post, int *tie)
{
	double *Xpre = xmalloc((T0 * J + 1) * sizeof *Xpre);

	for (size_t j = 0; j < J; j++)
		memcpy(Xpre + j * T0, X + j * T, T0 * sizeof *Xpre);
	synth_weights(Xpre, y, T0, J, w, tie);
	free(Xpre);
	for (size_t t = 0; t < T; t++) {
		double s = 0;
		for (size_t j = 0; j < J; j++)
			s += w[j] * X[j * T + t];
		synthetic[t] = s;
		gap[t] = y[t] - s;
	}
	*pre = rms(gap, T0);
	*post = rms(gap + T0, T - T0);
	double scale = max_abs(y, T0) + max_abs(X, J * T);
	if (*pre <= EXACT_FIT * (scale > 0 ? scale : 1)) {
		*pre = 0;
		return INFINITY;
	}
	return *post / *pre;
}

int synth_estimate(const struct synth_panel *p, struct synth_result *r)
{
	size_t T = p->T, T0 = p->T0, J = p->J;

	memset(r, 0, sizeof *r);
	r->rmspe_pre = r->rmspe_post = r->ratio = r->p_value = r->sd_pre = NAN;
	if (T0 < SYNTH_MIN_PRE || T0 >= T)
		return SYNTH_ETOOFEW;
	if (J < 2)
		return SYNTH_ENODONOR;
	for (size_t t = 0; t < T; t++)
		if (!isfinite(p->y[t]))
			return SYNTH_EINPUT;
	for (size_t i = 0; i < J * T; i++)
		if (!isfinite(p->X[i]))
			return SYNTH_EINPUT;
	r->sd_pre = gsl_stats_sd(p->y, 1, T0);
	if (!(r->sd_pre > 0))
		return SYNTH_ECONSTANT;

	r->w = xmalloc(J * sizeof *r->w);
	r->synthetic = xmalloc(T * sizeof *r->synthetic);
	r->gap = xmalloc(T * sizeof *r->gap);
	r->placebo_gap = xmalloc(J * T * sizeof *r->placebo_gap);
	r->placebo_ratio = xmalloc(J * sizeof *r->placebo_ratio);
	r->ratio = fit_one(p->X, p->y, T, T0, J, r->w, r->synthetic, r->gap, &r->rmspe_pre,
			   &r->rmspe_post, &r->tie);
	r->poor_fit = r->rmspe_pre > SYNTH_POOR_FIT * r->sd_pre;

	/* each donor against the others */
	double *Xo = xmalloc(((J - 1) * T + 1) * sizeof *Xo), *wo = xmalloc(J * sizeof *wo);
	double *syn = xmalloc(T * sizeof *syn), pre, post;
	for (size_t j = 0; j < J; j++) {
		for (size_t k = 0, c = 0; k < J; k++)
			if (k != j)
				memcpy(Xo + (c++) * T, p->X + k * T, T * sizeof *Xo);
		r->placebo_ratio[j] = fit_one(Xo, p->X + j * T, T, T0, J - 1, wo, syn,
					      r->placebo_gap + j * T, &pre, &post, NULL);
		r->n_exact_placebos += isinf(r->placebo_ratio[j]);
	}
	free(Xo);
	free(wo);
	free(syn);

	if (isinf(r->ratio)) {
		r->ratio = NAN;
		return SYNTH_OK;
	}
	for (size_t j = 0; j < J; j++)
		r->n_as_extreme += r->placebo_ratio[j] >= r->ratio * (1 - RATIO_TOL);
	r->p_value = (double)(1 + r->n_as_extreme) / (double)(J + 1);
	return SYNTH_OK;
}

void synth_result_free(struct synth_result *r)
{
	free(r->w);
	free(r->synthetic);
	free(r->gap);
	free(r->placebo_gap);
	free(r->placebo_ratio);
	memset(r, 0, sizeof *r);
}

static const double *order_w;

static int by_weight(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	double x = order_w[i], y = order_w[j];
	if (fabs(x - y) > 1e-9 * fmax(x, y))
		return x > y ? -1 : 1;
	return (i > j) - (i < j);
}

void synth_order(const double *w, size_t J, size_t *order)
{
	for (size_t j = 0; j < J; j++)
		order[j] = j;
	order_w = w;
	xqsort(order, J, sizeof *order, by_weight);
}
