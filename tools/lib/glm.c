#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "alloc.h"
#include "fixef.h"
#include "glm.h"
#include "sandwich.h"

const char *glm_status_str(int status)
{
	switch (status) {
	case GLM_OK: return "ok";
	case GLM_NO_CONVERGENCE: return "the Poisson fit did not converge in 100 iterations";
	case GLM_NOT_FINITE: return "the Poisson fit overflowed (the data are separated)";
	case GLM_ALL_ZERO: return "every value is 0: no Poisson fit";
	case GLM_TOO_FEW: return "no observations";
	case GLM_BAD_INPUT: return "values not finite, or negative under poisson";
	}
	return "unknown status";
}

/* scratch of one fit */
struct work {
	double *Xt, *z, *w, *eta, *e, *A, *b, *fe;
};

static void nan_fill(double *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
}

/* Which columns of the (scaled) normal matrix S are aliased: a left-looking
 * Cholesky in column order that drops a column whose pivot falls below
 * GLM_ALIAS_TOL, as R's pivoting QR moves such a column out. L is k x k. */
static void find_aliased(const double *S, size_t k, int *aliased, double *L)
{
	for (size_t j = 0; j < k; j++) {
		double s;

		if (aliased[j])
			continue;
		s = S[j * k + j];
		for (size_t l = 0; l < j; l++)
			if (!aliased[l])
				s -= L[j * k + l] * L[j * k + l];
		if (!(s > GLM_ALIAS_TOL)) {
			aliased[j] = 1;
			continue;
		}
		L[j * k + j] = sqrt(s);
		for (size_t i = j + 1; i < k; i++) {
			double v = S[i * k + j];
			for (size_t l = 0; l < j; l++)
				if (!aliased[l])
					v -= L[i * k + l] * L[j * k + l];
			L[i * k + j] = v / L[j * k + j];
		}
	}
}

/* A = X'WX and b = X'Wz of the demeaned data */
static void normal_equations(const double *X, const double *z, const double *w,
			     size_t n, size_t k, double *A, double *b)
{
	memset(A, 0, k * k * sizeof *A);
	memset(b, 0, k * sizeof *b);
	for (size_t i = 0; i < n; i++) {
		const double *x = X + i * k;
		double wi = w ? w[i] : 1;
		for (size_t j = 0; j < k; j++) {
			double wx = wi * x[j];
			double *Aj = A + j * k;
			b[j] += wx * z[i];
			for (size_t l = j; l < k; l++)
				Aj[l] += wx * x[l];
		}
	}
	for (size_t j = 0; j < k; j++)
		for (size_t l = 0; l < j; l++)
			A[j * k + l] = A[l * k + j];
}

/* Weighted least squares of z on X (demeaned), through the Cholesky
 * factor of the column-scaled normal equations (GSL) over the columns
 * that are not aliased.  coef and, when bread is not NULL, (X'WX)^-1. */
static int wls(const double *X, const double *z, const double *w, size_t n, size_t k,
	       struct work *s, double *coef, int *aliased, double *bread)
{
	double *d = xmalloc((k ? k : 1) * sizeof *d);
	double *L = xcalloc(k * k > 0 ? k * k : 1, sizeof *L);
	size_t *keep = xmalloc((k ? k : 1) * sizeof *keep), m = 0;
	int rc = 0;

	normal_equations(X, z, w, n, k, s->A, s->b);
	for (size_t j = 0; j < k; j++) {
		d[j] = sqrt(s->A[j * k + j]);
		aliased[j] = !(d[j] > 0) || !isfinite(d[j]);
	}
	for (size_t j = 0; j < k; j++)
		for (size_t l = 0; l < k; l++)
			if (!aliased[j] && !aliased[l])
				s->A[j * k + l] /= d[j] * d[l];
	find_aliased(s->A, k, aliased, L);
	for (size_t j = 0; j < k; j++)
		if (!aliased[j])
			keep[m++] = j;
	nan_fill(coef, k);
	if (bread)
		nan_fill(bread, k * k);
	if (m > 0) {
		gsl_matrix *S = gsl_matrix_alloc(m, m);
		gsl_vector *rhs = gsl_vector_alloc(m), *x = gsl_vector_alloc(m);
		gsl_error_handler_t *old = gsl_set_error_handler_off();

		for (size_t a = 0; a < m; a++) {
			gsl_vector_set(rhs, a, s->b[keep[a]] / d[keep[a]]);
			for (size_t c = 0; c < m; c++)
				gsl_matrix_set(S, a, c, s->A[keep[a] * k + keep[c]]);
		}
		if (gsl_linalg_cholesky_decomp1(S) || gsl_linalg_cholesky_solve(S, rhs, x)) {
			rc = -1;
		} else {
			for (size_t a = 0; a < m; a++)
				coef[keep[a]] = gsl_vector_get(x, a) / d[keep[a]];
			if (bread && gsl_linalg_cholesky_invert(S) == 0) {
				for (size_t a = 0; a < m; a++)
					for (size_t c = 0; c < m; c++)
						bread[keep[a] * k + keep[c]] = gsl_matrix_get(S, a, c) /
							(d[keep[a]] * d[keep[c]]);
			} else if (bread) {
				rc = -1;
			}
		}
		gsl_set_error_handler(old);
		gsl_matrix_free(S);
		gsl_vector_free(rhs);
		gsl_vector_free(x);
	}
	free(d);
	free(L);
	free(keep);
	return rc;
}

/* X and z demeaned within levels with weights w, into s->Xt and s->e */
static void demean(const double *X, const double *z, const double *w, size_t n, size_t k,
		   const size_t *level, size_t nlevels, struct work *s)
{
	if (k)
		memcpy(s->Xt, X, n * k * sizeof *X);
	memcpy(s->e, z, n * sizeof *z);
	if (!level)
		return;
	fixef_demean_cols(s->Xt, n, k, level, nlevels, w, s->fe);
	fixef_demean(s->e, n, level, nlevels, w, s->fe);
}

/* residuals of the demeaned regression, in place of the demeaned z */
static void residuals(struct work *s, const double *coef, const int *aliased, size_t n, size_t k)
{
	for (size_t i = 0; i < n; i++) {
		double f = 0;
		for (size_t j = 0; j < k; j++)
			if (!aliased[j])
				f += s->Xt[i * k + j] * coef[j];
		s->e[i] -= f;
	}
}

static double poisson_deviance(const double *y, const double *mu, size_t n)
{
	double d = 0;

	for (size_t i = 0; i < n; i++)
		d += 2 * ((y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
	return d;
}

static int check_input(enum glm_family family, const double *y, const double *X,
		       size_t n, size_t k)
{
	int nonzero = 0;

	if (n == 0)
		return GLM_TOO_FEW;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(y[i]) || (family == GLM_POISSON && y[i] < 0))
			return GLM_BAD_INPUT;
		nonzero |= y[i] != 0;
	}
	for (size_t i = 0; i < n * k; i++)
		if (!isfinite(X[i]))
			return GLM_BAD_INPUT;
	if (family == GLM_POISSON && !nonzero)
		return GLM_ALL_ZERO;
	return GLM_OK;
}

/* IRLS: z = eta + (y - mu)/mu on weights mu; the new linear predictor,
 * fixed effect included, is z minus the residual of the demeaned fit */
static int irls(const double *y, const double *X, size_t n, size_t k, const size_t *level,
		size_t nlevels, struct work *s, struct glm_fit *fit)
{
	double ybar = 0, dev_old;

	for (size_t i = 0; i < n; i++)
		ybar += y[i];
	ybar /= (double)n;
	for (size_t i = 0; i < n; i++) {
		fit->mu[i] = (y[i] + ybar) / 2;
		s->eta[i] = log(fit->mu[i]);
	}
	dev_old = poisson_deviance(y, fit->mu, n);
	for (int it = 1; it <= GLM_MAXIT; it++) {
		double dev;

		for (size_t i = 0; i < n; i++) {
			s->z[i] = s->eta[i] + (y[i] - fit->mu[i]) / fit->mu[i];
			s->w[i] = fit->mu[i];
		}
		demean(X, s->z, s->w, n, k, level, nlevels, s);
		if (wls(s->Xt, s->e, s->w, n, k, s, fit->coef, fit->aliased, NULL))
			return GLM_NOT_FINITE;
		residuals(s, fit->coef, fit->aliased, n, k);
		for (size_t i = 0; i < n; i++) {
			s->eta[i] = s->z[i] - s->e[i];
			fit->mu[i] = exp(s->eta[i]);
			if (!(fit->mu[i] > 0) || !isfinite(fit->mu[i]))
				return GLM_NOT_FINITE;
		}
		dev = poisson_deviance(y, fit->mu, n);
		fit->iterations = it;
		if (!isfinite(dev))
			return GLM_NOT_FINITE;
		if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < GLM_TOL) {
			fit->deviance = dev;
			return GLM_OK;
		}
		dev_old = dev;
	}
	return GLM_NO_CONVERGENCE;
}

static void fit_alloc(struct glm_fit *fit, size_t n, size_t k)
{
	memset(fit, 0, sizeof *fit);
	fit->n = n;
	fit->k = k;
	fit->coef = xmalloc((k ? k : 1) * sizeof *fit->coef);
	fit->aliased = xcalloc(k ? k : 1, sizeof *fit->aliased);
	fit->bread = xmalloc((k * k > 0 ? k * k : 1) * sizeof *fit->bread);
	fit->score = xmalloc((n * k > 0 ? n * k : 1) * sizeof *fit->score);
	fit->mu = xmalloc((n ? n : 1) * sizeof *fit->mu);
	nan_fill(fit->coef, k);
	nan_fill(fit->bread, k * k);
	nan_fill(fit->score, n * k);
	nan_fill(fit->mu, n);
	fit->deviance = NAN;
}

static void fail(struct glm_fit *fit)
{
	nan_fill(fit->coef, fit->k);
	nan_fill(fit->bread, fit->k * fit->k);
	nan_fill(fit->score, fit->n * fit->k);
	nan_fill(fit->mu, fit->n);
	fit->deviance = NAN;
}

int glm_fit(enum glm_family family, const double *y, const double *X, size_t n,
	    size_t k, const size_t *level, size_t nlevels, struct glm_fit *fit)
{
	struct work s;
	int rc;

	fit_alloc(fit, n, k);
	rc = check_input(family, y, X, n, k);
	if (rc != GLM_OK)
		return rc;
	s.Xt = xmalloc((n * k > 0 ? n * k : 1) * sizeof *s.Xt);
	s.z = xmalloc(n * sizeof *s.z);
	s.w = xmalloc(n * sizeof *s.w);
	s.eta = xmalloc(n * sizeof *s.eta);
	s.e = xmalloc(n * sizeof *s.e);
	s.A = xmalloc((k * k > 0 ? k * k : 1) * sizeof *s.A);
	s.b = xmalloc((k ? k : 1) * sizeof *s.b);
	s.fe = xmalloc((level ? 2 * nlevels : 1) * sizeof *s.fe);
	if (family == GLM_POISSON) {
		rc = irls(y, X, n, k, level, nlevels, &s, fit);
		for (size_t i = 0; i < n; i++)
			s.w[i] = fit->mu[i];
	} else {
		for (size_t i = 0; i < n; i++)
			s.w[i] = 1;
		fit->iterations = 1;
	}
	if (rc == GLM_OK) {
		/* the bread and scores at the final weights (linear: the fit) */
		demean(X, y, s.w, n, k, level, nlevels, &s);
		if (family == GLM_LINEAR) {
			if (wls(s.Xt, s.e, NULL, n, k, &s, fit->coef, fit->aliased, fit->bread))
				rc = GLM_NOT_FINITE;
			residuals(&s, fit->coef, fit->aliased, n, k);
			fit->deviance = 0;
			for (size_t i = 0; i < n; i++) {
				fit->mu[i] = y[i] - s.e[i];
				fit->deviance += s.e[i] * s.e[i];
			}
		} else {
			double *coef = xmalloc((k ? k : 1) * sizeof *coef);
			int *al = xmalloc((k ? k : 1) * sizeof *al);
			if (wls(s.Xt, s.e, s.w, n, k, &s, coef, al, fit->bread))
				rc = GLM_NOT_FINITE;
			free(coef);
			free(al);
		}
	}
	if (rc == GLM_OK) {
		for (size_t i = 0; i < n; i++) {
			double r = family == GLM_POISSON ? y[i] - fit->mu[i] : s.e[i];
			for (size_t j = 0; j < k; j++)
				fit->score[i * k + j] = fit->aliased[j] ? 0 : s.Xt[i * k + j] * r;
		}
	} else {
		fail(fit);
	}
	free(s.Xt);
	free(s.z);
	free(s.w);
	free(s.eta);
	free(s.e);
	free(s.A);
	free(s.b);
	free(s.fe);
	return rc;
}

void glm_fit_free(struct glm_fit *fit)
{
	free(fit->coef);
	free(fit->aliased);
	free(fit->bread);
	free(fit->score);
	free(fit->mu);
	memset(fit, 0, sizeof *fit);
}

static void term_nan(struct regress_term *r)
{
	r->estimate = r->std_error = r->statistic = r->df = NAN;
	r->p_value = r->conf_low = r->conf_high = NAN;
}

static int all_same(const double *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (a[i] != a[0])
			return 0;
	return 1;
}

int poisson_trend(const double *t, const double *y, size_t n, long lag, double level,
		  struct poisson_trend_fit *out)
{
	struct glm_fit fit;
	double *X, tbar = 0, cov[4], va, vb;
	int rc;

	term_nan(&out->slope);
	term_nan(&out->intercept);
	out->n = n;
	out->iterations = 0;
	if (n < 2 || all_same(t, n))
		return GLM_TOO_FEW;
	for (size_t i = 0; i < n; i++)
		tbar += t[i];
	tbar /= (double)n;
	X = xmalloc(2 * n * sizeof *X);
	for (size_t i = 0; i < n; i++) {
		X[2 * i] = 1;
		X[2 * i + 1] = t[i] - tbar;
	}
	rc = glm_fit(GLM_POISSON, y, X, n, 2, NULL, 0, &fit);
	out->iterations = fit.iterations;
	if (rc == GLM_OK && (fit.aliased[0] || fit.aliased[1]))
		rc = GLM_NOT_FINITE;
	if (rc == GLM_OK) {
		double b = fit.coef[1], a = fit.coef[0] - b * tbar;
		if (all_same(y, n)) {
			/* exact: rounding would make the test about 1e15 */
			b = 0;
			a = log(y[0]);
			cov[0] = cov[1] = cov[2] = cov[3] = 0;
		} else if (lag < 0) {
			sandwich_hc(fit.bread, fit.score, NULL, n, 2, cov);
		} else {
			sandwich_newey_west(fit.bread, fit.score, NULL, n, 2, (size_t)lag, cov);
		}
		/* a = a_c - b tbar */
		vb = cov[3];
		va = cov[0] - 2 * tbar * cov[1] + tbar * tbar * cov[3];
		regress_term_infer(&out->slope, b, sqrt(vb), NAN, level);
		regress_term_infer(&out->intercept, a, sqrt(va), NAN, level);
	}
	glm_fit_free(&fit);
	free(X);
	return rc;
}
