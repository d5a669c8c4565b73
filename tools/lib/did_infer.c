/* Callaway & Sant'Anna staggered DiD, inference: the unit bootstrap, the
 * influence functions (analytic standard errors and the multiplier
 * bootstrap), sup-t critical values and the pretrend's Wald test. */
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
/* Bootstrap                                                            */

static void draw_units(struct did_work *w, gsl_rng *rng)
{
	memset(w->mult, 0, w->U * sizeof *w->mult);
	for (size_t i = 0; i < w->U; i++)
		w->mult[gsl_rng_uniform_int(rng, w->U)]++;
}

/* boot[k * reps + r] = statistic k in replicate r */
double *did_bootstrap(struct did_work *w, const struct did_options *o)
{
	size_t R = (size_t)o->reps;
	double *boot = xmallocarray(xmul(w->K, R) + 1, sizeof *boot);
	double *out = xmalloc((w->K + 1) * sizeof *out);
	gsl_rng *rng = xnonnull(gsl_rng_alloc(gsl_rng_mt19937));
	int step = o->reps / 100 > 0 ? o->reps / 100 : 1;

	gsl_rng_set(rng, o->seed);
	for (size_t r = 0; r < R; r++) {
		draw_units(w, rng);
		did_evaluate(w, out);
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
double did_boot_sd(const double *b, size_t R, double *tmp, int *n_ok)
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
	sort_doubles(x, n);
	double np = (double)n * p;
	size_t j = (size_t)floor(np + 4 * DBL_EPSILON);
	if ((double)j < np - 4 * DBL_EPSILON)
		j++;
	return x[j == 0 ? 0 : (j > n ? n : j) - 1];
}

/* sup-t critical value over the statistics k in idx (those with se > 0) */
double did_supt_crit(const double *boot, size_t R, const double *est,
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
	gsl_matrix *S = xnonnull(gsl_matrix_alloc(k, k));
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
double did_pinv_quadform(gsl_matrix *S, const double *theta, int *rank)
{
	size_t k = S->size1;
	gsl_matrix *V = xnonnull(gsl_matrix_alloc(k, k));
	gsl_vector *s = xnonnull(gsl_vector_alloc(k)), *work = xnonnull(gsl_vector_alloc(k));
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
	if (status == GSL_SUCCESS)
		status = gsl_linalg_SV_decomp(S, V, s, work);
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
	double W = did_pinv_quadform(S, theta, &rank);
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
int did_cell_role(const struct did_work *w, size_t k, size_t u)
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

/* sqrt(n / (n - 1)): scales a side's psi so that its variance is over
 * n - 1 (1 for a side of one unit, whose psi is 0) */
double did_n1_scale(double n)
{
	return n > 1 ? sqrt(n / (n - 1)) : 1;
}

/* psi of one ATT(g,t), column k of w->inf; with w->small_sample each
 * side's variance is over n - 1 */
static void inf_cell(struct did_work *w, size_t k)
{
	const struct cell_plan *cp = &w->cells[k];
	size_t U = w->U, K = w->K;
	double sum[3] = { 0, 0, 0 }, n[3] = { 0, 0, 0 };

	for (size_t u = 0; u < U; u++) {
		int r = did_cell_role(w, k, u);
		if (r) {
			const double *row = w->ymat + u * w->T;
			sum[r] += row[cp->ti] - row[cp->bi];
			n[r]++;
		}
	}
	if (!(n[1] > 0 && n[2] > 0))
		return;
	double mean1 = sum[1] / n[1], mean2 = sum[2] / n[2];
	double f1 = (double)U / n[1], f2 = (double)U / n[2];
	if (w->small_sample) {
		f1 *= did_n1_scale(n[1]);
		f2 *= did_n1_scale(n[2]);
	}
	for (size_t u = 0; u < U; u++) {
		int r = did_cell_role(w, k, u);
		if (!r)
			continue;
		const double *row = w->ymat + u * w->T;
		double d = row[cp->ti] - row[cp->bi];
		w->inf[u * K + k] = r == 1 ? f1 * (d - mean1) : -f2 * (d - mean2);
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
void did_influence(struct did_work *w, const double *est)
{
	size_t K = w->K;
	size_t *item = xmalloc((K + 1) * sizeof *item);
	int *cls = xmalloc((K + 1) * sizeof *cls);

	w->inf = xcalloc(xmul(w->U, K) + 1, sizeof *w->inf);
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
double *did_analytic_se(const struct did_work *w, const double *est)
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
	gsl_matrix *S = xnonnull(gsl_matrix_calloc(k, k));
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
double *did_multiplier(const struct did_work *w, const struct did_options *o,
		       const double *est)
{
	size_t R = (size_t)o->reps, K = w->K, U = w->U;
	double *draws = xmallocarray(xmul(K, R) + 1, sizeof *draws);
	double *acc = xmalloc((K + 1) * sizeof *acc);
	double kappa = (sqrt(5.0) + 1) / 2, pk = kappa / sqrt(5.0);
	gsl_rng *rng = xnonnull(gsl_rng_alloc(gsl_rng_mt19937));
	int step = o->reps / 100 > 0 ? o->reps / 100 : 1;

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
double *did_multiplier_se(const struct did_work *w, const double *draws,
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

/* the pretrend test over idx[0..n): from the draws, or (boot NULL) from
 * the influence functions */
void did_pre_test(struct did_work *w, const double *boot, size_t R,
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
void did_few_treated_p(struct did_wald *wt)
{
	if (isnan(wt->statistic) || wt->df < 1)
		return;
	wt->p_value = wt->n_treated >= 2
		? gsl_cdf_fdist_Q(wt->statistic / wt->df, wt->df, (double)wt->n_treated - 1)
		: NAN;
}

/* The pretrend test of the analytic and multiplier methods: the Wald form
 * with the influence functions' covariance, each cell's two variances
 * taken over n - 1 rather than n (did's standard errors use n).  Pre-period
 * effects rest on cohorts of a few countries each, where over n the
 * covariance is too small by (n - 1)/n: on the 3P scores' placebo draws
 * the test rejected in 8-12% of draws over n and 7-8% over n - 1 (the
 * bootstrap's own covariance needs no such step).  w->inf is kept. */
void did_pre_test_n1(struct did_work *w, const double *est, const size_t *idx,
		     size_t n, struct did_wald *wt)
{
	double *inf = w->inf;

	w->small_sample = 1;
	did_influence(w, est);
	did_pre_test(w, NULL, 0, est, idx, n, wt);
	free(w->inf);
	w->inf = inf;
	w->small_sample = 0;
}
