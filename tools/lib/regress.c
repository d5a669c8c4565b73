/* Least squares through GSL: see regress.h for the contract. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

#include "alloc.h"
#include "describe.h"
#include "regress.h"

const char *regress_status_str(int status)
{
	switch (status) {
	case REGRESS_OK: return "ok";
	case REGRESS_CONSTANT_Y: return "constant y";
	case REGRESS_NO_DF: return "no degrees of freedom left";
	case REGRESS_SINGULAR: return "singular design (collinear columns)";
	case REGRESS_TOO_FEW: return "too few observations";
	case REGRESS_BAD_INPUT: return "invalid input";
	case REGRESS_OVERFLOW: return "values too large (the fit's numbers overflow)";
	}
	return "unknown status";
}

static int all_finite(const double *a, size_t m)
{
	for (size_t i = 0; i < m; i++)
		if (!isfinite(a[i]))
			return 0;
	return 1;
}

static void fill_nan(double *a, size_t m)
{
	for (size_t i = 0; i < m; i++)
		a[i] = NAN;
}

/* index of a constant nonzero column of X, or k when there is none */
static size_t intercept_column(const double *X, size_t n, size_t k)
{
	for (size_t j = 0; j < k; j++) {
		size_t i = 1;
		if (n == 0 || X[j] == 0)
			continue;
		while (i < n && X[i * k + j] == X[j])
			i++;
		if (i == n)
			return j;
	}
	return k;
}

static void ols_init(struct ols_fit *fit, size_t n, size_t k)
{
	fit->n = n;
	fit->k = k;
	fit->coef = xmallocarray(k, sizeof(double));
	fit->cov = xmallocarray(k, k * sizeof(double));
	fit->resid = xmallocarray(n, sizeof(double));
	fill_nan(fit->coef, k);
	fill_nan(fit->cov, k * k);
	fill_nan(fit->resid, n);
	fit->sse = fit->resid_sd = fit->r2 = NAN;
	fit->df = (double)n - (double)k;
	fit->has_intercept = 0;
}

void ols_fit_free(struct ols_fit *fit)
{
	free(fit->coef);
	free(fit->cov);
	free(fit->resid);
	fit->coef = fit->cov = fit->resid = NULL;
}

/* GSL's workspace for fits of up to n x k, kept from one fit to the next
 * (a tool fits group after group of similar size) and grown when a larger
 * one comes: GSL works in its top-left n x k corner, so the numbers are
 * those of a workspace of exactly n x k.  One thread: no lock.  Out of
 * memory is alloc.h's: the tool says so and exits. */
static gsl_multifit_linear_workspace *ols_workspace(size_t n, size_t k)
{
	static gsl_multifit_linear_workspace *w;
	static size_t wn, wk;

	if (!w || n > wn || k > wk) {
		if (w)
			gsl_multifit_linear_free(w);
		wn = n > wn ? n : wn;
		wk = k > wk ? k : wk;
		w = xnonnull(gsl_multifit_linear_alloc(wn, wk));
	}
	return w;
}

/* The SVD solve itself.  Returns REGRESS_OK or REGRESS_SINGULAR; on
 * success coef, cov (scaled by GSL's sigma^2 = chisq/(n-k)) and sse are
 * set. */
static int ols_solve(const double *X, const double *y, size_t n, size_t k,
		     struct ols_fit *fit)
{
	gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, n, k);
	gsl_vector_const_view yv = gsl_vector_const_view_array(y, n);
	gsl_vector_view cv = gsl_vector_view_array(fit->coef, k);
	gsl_matrix_view covv = gsl_matrix_view_array(fit->cov, k, k);
	gsl_multifit_linear_workspace *w = ols_workspace(n, k);
	double chisq, rcond;
	int rc;

	rc = gsl_multifit_linear(&Xv.matrix, &yv.vector, &cv.vector,
				 &covv.matrix, &chisq, w);
	/* reciprocal condition number of the column-balanced X */
	rcond = gsl_multifit_linear_rcond(w);
	if (rc || !(rcond >= REGRESS_RCOND_MIN)) {
		fill_nan(fit->coef, k);
		fill_nan(fit->cov, k * k);
		return REGRESS_SINGULAR;
	}
	fit->sse = chisq;
	return REGRESS_OK;
}

static void ols_residuals(const double *X, const double *y, struct ols_fit *fit)
{
	for (size_t i = 0; i < fit->n; i++) {
		double e = y[i];
		for (size_t j = 0; j < fit->k; j++)
			e -= X[i * fit->k + j] * fit->coef[j];
		fit->resid[i] = e;
	}
}

/* y constant (with an intercept) or all zero (without): the fit is exact.
 * Write it exactly rather than leaving SVD round-off in the slopes. */
static void ols_exact_constant(const double *X, const double *y, size_t ic,
			       struct ols_fit *fit)
{
	size_t k = fit->k;

	for (size_t j = 0; j < k; j++)
		fit->coef[j] = 0;
	if (ic < k)
		fit->coef[ic] = y[0] / X[ic];
	for (size_t i = 0; i < fit->n; i++)
		fit->resid[i] = 0;
	for (size_t j = 0; j < k * k; j++)
		fit->cov[j] = 0;
	fit->sse = 0;
}

static double total_ss(const double *y, size_t n, int centred)
{
	double s = 0;

	if (centred)
		return gsl_stats_tss(y, 1, n);
	for (size_t i = 0; i < n; i++)
		s += y[i] * y[i];
	return s;
}

int ols(const double *X, const double *y, size_t n, size_t k,
	struct ols_fit *fit)
{
	size_t ic;
	double tss;
	int constant, rc;

	ols_init(fit, n, k);
	if (k == 0 || !all_finite(X, n * k) || !all_finite(y, n))
		return REGRESS_BAD_INPUT;
	if (n < k || n == 0)
		return REGRESS_TOO_FEW;
	rc = ols_solve(X, y, n, k, fit);
	if (rc != REGRESS_OK)
		return rc;
	ic = intercept_column(X, n, k);
	fit->has_intercept = ic < k;
	tss = total_ss(y, n, fit->has_intercept);
	constant = fit->has_intercept ? all_equal(y, n) : tss == 0;
	if (constant)
		ols_exact_constant(X, y, ic, fit);
	else
		ols_residuals(X, y, fit);
	fit->r2 = tss > 0 ? 1 - fit->sse / tss : NAN;
	if (n == k) {
		fill_nan(fit->cov, k * k);
		return REGRESS_NO_DF;
	}
	fit->resid_sd = sqrt(fit->sse / fit->df);
	return constant ? REGRESS_CONSTANT_Y : REGRESS_OK;
}

static void line_nan(struct line_fit *fit, size_t n)
{
	fit->n = n;
	fit->intercept = fit->slope = NAN;
	fit->se_intercept = fit->se_slope = fit->cov_intercept_slope = NAN;
	fit->resid_sd = fit->r2 = NAN;
	fit->df = (double)n - 2;
}

/* The straight line in closed form, about the means: slope = Sxy / Sxx,
 * intercept = ybar - slope xbar, s^2 = SSE / (n - 2), var(slope) = s^2 / Sxx,
 * var(intercept) = s^2 (1/n + xbar^2 / Sxx), cov = -xbar s^2 / Sxx.  The
 * sums are carried in long double, so what is printed is the estimator's
 * exact value rounded once, to the last digit, where a solver would leave
 * rounding noise there (tests/ref/its_exact.py checks the same arithmetic
 * in its.c against exact rationals). */
int ols_line(const double *x, const double *y, size_t n, struct line_fit *fit)
{
	long double sx = 0, sy = 0, xbar, ybar, sxx = 0, sxy = 0, syy = 0;
	long double slope, sse = 0, s2;
	int constant;

	line_nan(fit, n);
	if (!all_finite(x, n) || !all_finite(y, n))
		return REGRESS_BAD_INPUT;
	if (n < 2)
		return REGRESS_TOO_FEW;
	if (all_equal(x, n))
		return REGRESS_SINGULAR;
	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
	}
	xbar = sx / (long double)n;
	ybar = sy / (long double)n;
	for (size_t i = 0; i < n; i++) {
		long double dx = x[i] - xbar, dy = y[i] - ybar;

		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}
	if (!(sxx > 0))
		return REGRESS_SINGULAR;
	/* a constant series: slope exactly 0, not a rounding residue */
	constant = all_equal(y, n);
	slope = constant ? 0 : sxy / sxx;
	if (constant)
		ybar = y[0];
	for (size_t i = 0; i < n && !constant; i++) {
		long double e = (y[i] - ybar) - slope * (x[i] - xbar);

		sse += e * e;
	}
	fit->slope = (double)slope;
	fit->intercept = (double)(ybar - slope * xbar);
	fit->r2 = !constant && syy > 0 ? (double)(1 - sse / syy) : NAN;
	if (n > 2) {
		s2 = sse / (long double)(n - 2);
		fit->se_slope = (double)sqrtl(s2 / sxx);
		fit->se_intercept = (double)sqrtl(s2 * (1 / (long double)n + xbar * xbar / sxx));
		fit->cov_intercept_slope = (double)(-xbar * s2 / sxx);
		fit->resid_sd = (double)sqrtl(s2);
	}
	/* values near the largest double: the line's numbers overflow (a
	 * double's sums of squares would have been infinite long before) */
	if (!isfinite(fit->slope) || !isfinite(fit->intercept) || !isfinite((double)syy) ||
	    (n > 2 && (!isfinite(fit->se_slope) || !isfinite(fit->se_intercept) ||
		       !isfinite(fit->cov_intercept_slope)))) {
		line_nan(fit, n);
		return REGRESS_OVERFLOW;
	}
	if (n == 2)
		return REGRESS_NO_DF;
	return constant ? REGRESS_CONSTANT_Y : REGRESS_OK;
}

/* (X'X)^-1 from the one-sided Jacobi SVD of X with unit-length columns,
 * X D^-1 = U S V', so (X'X)^-1 = D^-1 V S^-2 V' D^-1: no squaring of the
 * condition number as forming X'X would. */
static int xtx_inverse(const double *X, size_t n, size_t k, double *inv)
{
	/* GSL's matrices as views of memory the x* wrappers allocate:
	 * out of memory is the one policy of alloc.h */
	double *a = xmallocarray(n, k * sizeof(double));
	double *v = xmallocarray(k, (k + 2) * sizeof(double));
	gsl_matrix_view Av = gsl_matrix_view_array(a, n, k);
	gsl_matrix_view Vv = gsl_matrix_view_array(v, k, k);
	gsl_vector_view Sv = gsl_vector_view_array(v + k * k, k);
	gsl_matrix *A = &Av.matrix, *V = &Vv.matrix;
	gsl_vector *S = &Sv.vector;
	double *scale = v + k * k + k;
	double smin = NAN, smax = NAN;
	int rc = REGRESS_OK;

	for (size_t j = 0; j < k; j++) {
		double norm = 0;

		for (size_t i = 0; i < n; i++)
			norm = hypot(norm, X[i * k + j]);
		scale[j] = norm > 0 ? 1 / norm : 0;
		for (size_t i = 0; i < n; i++)
			gsl_matrix_set(A, i, j, X[i * k + j] * scale[j]);
	}
	if (gsl_linalg_SV_decomp_jacobi(A, V, S) == GSL_SUCCESS)
		gsl_vector_minmax(S, &smin, &smax);
	if (!(smin >= REGRESS_RCOND_MIN * smax))
		rc = REGRESS_SINGULAR;
	for (size_t a = 0; a < k && rc == REGRESS_OK; a++)
		for (size_t b = 0; b < k; b++) {
			double s = 0;

			for (size_t m = 0; m < k; m++) {
				double sm = gsl_vector_get(S, m);

				s += gsl_matrix_get(V, a, m) * gsl_matrix_get(V, b, m) / (sm * sm);
			}
			inv[a * k + b] = s * scale[a] * scale[b];
		}
	free(a);
	free(v);
	return rc;
}

/* meat += w e_t e_s (x_t x_s' + x_s x_t'): the upper triangle only, the
 * lower is its mirror (meat_mirror); entry (b,a) would be the same sum of
 * the same products, term for term, so the matrix is the same to the bit */
static void meat_add(double *meat, const double *xt, const double *xs,
		     double w, size_t k)
{
	for (size_t a = 0; a < k; a++)
		for (size_t b = a; b < k; b++)
			meat[a * k + b] += w * (xt[a] * xs[b] + xs[a] * xt[b]);
}

static void meat_mirror(double *meat, size_t k)
{
	for (size_t a = 1; a < k; a++)
		for (size_t b = 0; b < a; b++)
			meat[a * k + b] = meat[b * k + a];
}

/* A V A' into out (all k x k) */
static void a_v_at(const double *A, const double *V, size_t k, double *out)
{
	gsl_matrix_const_view Av = gsl_matrix_const_view_array(A, k, k);
	gsl_matrix_const_view Vv = gsl_matrix_const_view_array(V, k, k);
	gsl_matrix_view Ov = gsl_matrix_view_array(out, k, k);
	double *av = xmallocarray(k, k * sizeof(double));
	gsl_matrix_view AVv = gsl_matrix_view_array(av, k, k);

	gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &Av.matrix, &Vv.matrix, 0.0, &AVv.matrix);
	gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &AVv.matrix, &Av.matrix, 0.0, &Ov.matrix);
	free(av);
}

/* n/(n-k) B M B with B = (X'X)^-1 and the Bartlett-weighted meat M */
static int hac(const double *X, const double *e, size_t n, size_t k,
	       size_t lag, double *cov)
{
	double *bread = xmalloc(k * k * sizeof(double));
	double *meat = xcalloc(k * k, sizeof(double));
	int rc = xtx_inverse(X, n, k, bread);

	if (rc == REGRESS_OK) {
		/* j = 0 adds each x_t x_t' twice with weight 1/2 */
		for (size_t j = 0; j <= lag && j < n; j++) {
			double w = j ? 1 - (double)j / ((double)lag + 1) : 0.5;

			for (size_t t = j; t < n; t++)
				meat_add(meat, X + t * k, X + (t - j) * k,
					 w * e[t] * e[t - j], k);
		}
		meat_mirror(meat, k);
		a_v_at(bread, meat, k, cov);
		for (size_t i = 0; i < k * k; i++)
			cov[i] *= (double)n / (double)(n - k);
	}
	free(bread);
	free(meat);
	return rc;
}

/* With an intercept column (value v) the estimator is computed on centred
 * columns Xc = X S^-1, where S^-1 is the identity but for row ic holding
 * -mean_j / v; then cov = S^-1 cov_c S^-T.  The estimator is equivariant, so
 * this is the same matrix, but on raw years (x ~ 2000) it keeps about five
 * digits that the uncentred sandwich loses to cancellation. */
int newey_west(const double *X, const double *resid, size_t n, size_t k,
	       size_t lag, double *cov)
{
	size_t ic;
	double *Xc, *Sinv, *cov_c;
	int rc;

	if (k == 0)
		return REGRESS_BAD_INPUT;
	fill_nan(cov, k * k);
	if (!all_finite(X, n * k) || !all_finite(resid, n))
		return REGRESS_BAD_INPUT;
	if (n <= k)
		return REGRESS_TOO_FEW;
	ic = intercept_column(X, n, k);
	if (ic == k)
		return hac(X, resid, n, k, lag, cov);
	Xc = xmalloc(n * k * sizeof(double));
	Sinv = xcalloc(k * k, sizeof(double));
	cov_c = xmalloc(k * k * sizeof(double));
	for (size_t j = 0; j < k; j++) {
		double mean = j == ic ? 0 : gsl_stats_mean(X + j, k, n);

		for (size_t i = 0; i < n; i++)
			Xc[i * k + j] = X[i * k + j] - mean;
		Sinv[j * k + j] = 1;
		if (j != ic)
			Sinv[ic * k + j] = -mean / X[ic];
	}
	rc = hac(Xc, resid, n, k, lag, cov_c);
	if (rc == REGRESS_OK)
		a_v_at(Sinv, cov_c, k, cov);
	free(Xc);
	free(Sinv);
	free(cov_c);
	return rc;
}

/* floor(4 (n/100)^(2/9)).  pow() may land a hair below an exact integer
 * (n = 100, 51200, ...), so while the integers involved stay exact in a
 * double (below 2^53), settle m by  m <= v  <=>  10^4 m^9 <= 4^9 n^2. */
size_t newey_west_default_lag(size_t n)
{
	double v = 4 * pow((double)n / 100, 2.0 / 9.0);
	double m = floor(v), lhs = 262144.0 * (double)n * (double)n;

	if (n > 100000)
		return (size_t)m;
	while (1e4 * pow(m + 1, 9) <= lhs)
		m++;
	while (m > 0 && 1e4 * pow(m, 9) > lhs)
		m--;
	return (size_t)m;
}
