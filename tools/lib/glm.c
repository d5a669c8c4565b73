#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

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

static void nan_fill(double *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
}

/* Which columns of the (scaled) normal matrix S are aliased: a left-looking
 * Cholesky in column order that drops a column whose pivot falls below
 * GLM_ALIAS_TOL, as R's pivoting QR moves such a column out. L is k x k,
 * zeroed by the caller. */
static void find_aliased(const double *S, size_t k, int *aliased, double *L)
{
	for (size_t j = 0; j < k; j++) {
		double s;

		if (aliased[j])
			continue;
		/* the column of L of an aliased column stays 0 (L starts
		 * zeroed), so the sums need not skip it */
		s = S[j * k + j];
		for (size_t l = 0; l < j; l++)
			s -= L[j * k + l] * L[j * k + l];
		if (!(s > GLM_ALIAS_TOL)) {
			aliased[j] = 1;
			continue;
		}
		L[j * k + j] = sqrt(s);
		for (size_t i = j + 1; i < k; i++) {
			const double *Li = L + i * k, *Lj = L + j * k;
			double v = S[i * k + j];
			for (size_t l = 0; l < j; l++)
				v -= Li[l] * Lj[l];
			L[i * k + j] = v / L[j * k + j];
		}
	}
}

/* The design's entries summed by level, s_u = sum_{i in u} w_i x_i, kept
 * sparse (the columns each level touches), and W_u = sum w_i: the
 * demeaned design is x~_i = x_i - s_u / W_u without ever being formed. */
struct levels {
	size_t n;
	size_t *ostart, *order;  /* observations of level u: order[ostart[u]..] */
	size_t *start, *cols;    /* columns of level u: cols[start[u]..start[u+1]) */
	double *vals, *W;
	size_t *pos;             /* [k]: index of a column in the current level */
};

static void levels_init(struct levels *L, const struct glm_design *X, const size_t *level,
			size_t nlevels)
{
	size_t n = X->n, k = X->k, *mark = xcalloc(k ? k : 1, sizeof *mark), m = 0;

	L->n = nlevels;
	L->ostart = xcalloc(nlevels + 1, sizeof *L->ostart);
	L->order = xmallocarray(n, sizeof *L->order);
	for (size_t i = 0; i < n; i++)
		L->ostart[level[i] + 1]++;
	for (size_t u = 0; u < nlevels; u++)
		L->ostart[u + 1] += L->ostart[u];
	{
		size_t *fill = xmallocarray(nlevels, sizeof *fill);
		memcpy(fill, L->ostart, nlevels * sizeof *fill);
		for (size_t i = 0; i < n; i++)
			L->order[fill[level[i]]++] = i;
		free(fill);
	}
	/* two passes over each level's entries: count, then list, the
	 * distinct columns (mark[c] = u + 1 once seen in level u) */
	L->start = xcalloc(nlevels + 1, sizeof *L->start);
	for (int pass = 0; pass < 2; pass++) {
		memset(mark, 0, (k ? k : 1) * sizeof *mark);
		m = 0;
		for (size_t u = 0; u < nlevels; u++) {
			for (size_t o = L->ostart[u]; o < L->ostart[u + 1]; o++) {
				size_t i = L->order[o];
				for (size_t j = X->row[i]; j < X->row[i + 1]; j++) {
					size_t c = X->col[j];
					if (mark[c] == u + 1)
						continue;
					mark[c] = u + 1;
					if (pass == 1)
						L->cols[m] = c;
					m++;
				}
			}
			if (pass == 0)
				L->start[u + 1] = m;
		}
		if (pass == 0)
			L->cols = xmallocarray(m, sizeof *L->cols);
	}
	L->vals = xmallocarray(m, sizeof *L->vals);
	L->W = xmallocarray(nlevels, sizeof *L->W);
	L->pos = xmallocarray(k, sizeof *L->pos);
	free(mark);
}

static void levels_free(struct levels *L)
{
	free(L->ostart);
	free(L->order);
	free(L->start);
	free(L->cols);
	free(L->vals);
	free(L->W);
	free(L->pos);
}

static void levels_sum(struct levels *L, const struct glm_design *X, const double *w)
{
	for (size_t u = 0; u < L->n; u++) {
		L->W[u] = 0;
		for (size_t a = L->start[u]; a < L->start[u + 1]; a++) {
			L->pos[L->cols[a]] = a;
			L->vals[a] = 0;
		}
		for (size_t o = L->ostart[u]; o < L->ostart[u + 1]; o++) {
			size_t i = L->order[o];
			L->W[u] += w[i];
			for (size_t j = X->row[i]; j < X->row[i + 1]; j++)
				L->vals[L->pos[X->col[j]]] += w[i] * X->val[j];
		}
	}
}

/* A = X~'W X~ = X'WX - sum_u s_u s_u' / W_u, b = X'W z~ (z~ demeaned, so
 * the level part of b is 0) */
static void normal_equations(const struct glm_design *X, const struct levels *L,
			     const double *zt, const double *w, double *A, double *b,
			     double *raw)
{
	size_t k = X->k;

	memset(A, 0, k * k * sizeof *A);
	memset(b, 0, k * sizeof *b);
	for (size_t i = 0; i < X->n; i++)
		for (size_t j = X->row[i]; j < X->row[i + 1]; j++) {
			double wx = w[i] * X->val[j];
			size_t c = X->col[j];
			b[c] += wx * zt[i];
			for (size_t l = X->row[i]; l < X->row[i + 1]; l++)
				A[c * k + X->col[l]] += wx * X->val[l];
		}
	for (size_t j = 0; j < k; j++)
		raw[j] = A[j * k + j];
	if (!L)
		return;
	for (size_t u = 0; u < L->n; u++) {
		if (!(L->W[u] > 0))
			continue;
		for (size_t a = L->start[u]; a < L->start[u + 1]; a++) {
			double sa = L->vals[a] / L->W[u];
			for (size_t c = L->start[u]; c < L->start[u + 1]; c++)
				A[L->cols[a] * k + L->cols[c]] -= sa * L->vals[c];
		}
	}
}

/* Solves A coef = b through the Cholesky factor of the column-scaled
 * normal equations over the columns that are not aliased; with bread, also
 * (X'WX)^-1 (GSL's inverse from that factor).  A is overwritten.  raw: the
 * columns' weighted squared norms before the absorbed effect was taken out;
 * a column left with less than GLM_ALIAS_TOL of it is aliased (a column
 * constant within every unit: what is left is the rounding of the
 * subtraction, which the column scaling would otherwise blow up into a
 * "precise" coefficient). */
static int solve(double *A, const double *b, size_t k, double *coef, int *aliased,
		 double *bread, const double *raw)
{
	double *d = xmallocarray(k, sizeof *d);
	double *L = xcalloc(xmul(k, k), sizeof *L);
	size_t *keep = xmallocarray(k, sizeof *keep), m = 0;
	int rc = 0;

	for (size_t j = 0; j < k; j++) {
		d[j] = sqrt(A[j * k + j]);
		aliased[j] = !(A[j * k + j] > GLM_ALIAS_TOL * raw[j]) || !isfinite(d[j]);
	}
	for (size_t j = 0; j < k; j++)
		for (size_t l = 0; l < k; l++)
			if (!aliased[j] && !aliased[l])
				A[j * k + l] /= d[j] * d[l];
	find_aliased(A, k, aliased, L);
	for (size_t j = 0; j < k; j++)
		if (!aliased[j])
			keep[m++] = j;
	nan_fill(coef, k);
	if (bread)
		nan_fill(bread, k * k);
	if (m > 0) {
		/* L is the Cholesky factor of the kept columns already: GSL
		 * solves L L' x = b by two triangular solves, and inverts from
		 * it (bread) */
		double *f = xmallocarray(m, (m + 1) * sizeof *f), *x = f + m * m;
		gsl_matrix_view S = gsl_matrix_view_array(f, m, m);
		gsl_vector_view xv = gsl_vector_view_array(x, m);

		for (size_t a = 0; a < m; a++) {
			for (size_t c = 0; c < m; c++)
				f[a * m + c] = c <= a ? L[keep[a] * k + keep[c]] : 0;
			x[a] = b[keep[a]] / d[keep[a]];
		}
		gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &S.matrix, &xv.vector);
		gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &S.matrix, &xv.vector);
		for (size_t a = 0; a < m; a++) {
			coef[keep[a]] = x[a] / d[keep[a]];
			if (!isfinite(coef[keep[a]]))
				rc = -1;
		}
		if (bread && rc == 0) {
			if (gsl_linalg_cholesky_invert(&S.matrix) == 0) {
				for (size_t a = 0; a < m; a++)
					for (size_t c = 0; c < m; c++)
						bread[keep[a] * k + keep[c]] = f[a * m + c] /
							(d[keep[a]] * d[keep[c]]);
			} else {
				rc = -1;
			}
		}
		free(f);
	}
	free(d);
	free(L);
	free(keep);
	return rc;
}

/* scratch of one fit */
struct work {
	const struct glm_design *X;
	const size_t *level;
	struct levels L;
	double *z, *zt, *w, *eta, *e, *A, *b, *fe, *lb, *raw;
};

/* One weighted least-squares step on weights s->w of z: coef (and bread),
 * and in s->e the residuals of the demeaned fit */
static int wls_step(struct work *s, double *coef, int *aliased, double *bread)
{
	const struct glm_design *X = s->X;
	size_t n = X->n, k = X->k;
	int rc;

	memcpy(s->zt, s->z, n * sizeof *s->z);
	if (s->level) {
		fixef_demean(s->zt, n, s->level, s->L.n, s->w, s->fe);
		levels_sum(&s->L, X, s->w);
	}
	normal_equations(X, s->level ? &s->L : NULL, s->zt, s->w, s->A, s->b, s->raw);
	rc = solve(s->A, s->b, k, coef, aliased, bread, s->raw);
	if (rc)
		return rc;
	/* the level part of x~_i coef: s_u coef / W_u */
	if (s->level)
		for (size_t u = 0; u < s->L.n; u++) {
			double v = 0;
			for (size_t a = s->L.start[u]; a < s->L.start[u + 1]; a++)
				if (!aliased[s->L.cols[a]])
					v += s->L.vals[a] * coef[s->L.cols[a]];
			s->lb[u] = s->L.W[u] > 0 ? v / s->L.W[u] : 0;
		}
	for (size_t i = 0; i < n; i++) {
		double f = 0;
		for (size_t j = X->row[i]; j < X->row[i + 1]; j++)
			if (!aliased[X->col[j]])
				f += X->val[j] * coef[X->col[j]];
		if (s->level)
			f -= s->lb[s->level[i]];
		s->e[i] = s->zt[i] - f;
	}
	return 0;
}

static double poisson_deviance(const double *y, const double *mu, size_t n)
{
	double d = 0;

	for (size_t i = 0; i < n; i++)
		d += 2 * ((y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
	return d;
}

static int check_input(enum glm_family family, const double *y, const struct glm_design *X)
{
	int nonzero = 0;

	if (X->n == 0)
		return GLM_TOO_FEW;
	for (size_t i = 0; i < X->n; i++) {
		if (!isfinite(y[i]) || (family == GLM_POISSON && y[i] < 0))
			return GLM_BAD_INPUT;
		nonzero |= y[i] != 0;
	}
	for (size_t j = 0; j < X->row[X->n]; j++)
		if (!isfinite(X->val[j]) || X->col[j] >= X->k)
			return GLM_BAD_INPUT;
	if (family == GLM_POISSON && !nonzero)
		return GLM_ALL_ZERO;
	return GLM_OK;
}

/* IRLS: z = eta + (y - mu)/mu on weights mu; the new linear predictor,
 * fixed effect included, is z minus the residual of the demeaned fit */
static int irls(const double *y, struct work *s, struct glm_fit *fit)
{
	size_t n = s->X->n;
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
		if (wls_step(s, fit->coef, fit->aliased, NULL))
			return GLM_NOT_FINITE;
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

static void fit_alloc(struct glm_fit *fit, size_t n, size_t k, size_t nscore)
{
	memset(fit, 0, sizeof *fit);
	fit->n = n;
	fit->k = k;
	fit->coef = xmallocarray(k, sizeof *fit->coef);
	fit->aliased = xcalloc(k ? k : 1, sizeof *fit->aliased);
	fit->bread = xmallocarray(xmul(k, k), sizeof *fit->bread);
	fit->score = xcalloc(xmul(nscore, k), sizeof *fit->score);
	fit->mu = xmallocarray(n, sizeof *fit->mu);
	nan_fill(fit->coef, k);
	nan_fill(fit->bread, k * k);
	nan_fill(fit->mu, n);
	fit->deviance = NAN;
}

static void fail(struct glm_fit *fit, size_t nscore)
{
	nan_fill(fit->coef, fit->k);
	nan_fill(fit->bread, fit->k * fit->k);
	nan_fill(fit->score, nscore * fit->k);
	nan_fill(fit->mu, fit->n);
	fit->deviance = NAN;
}

/* score rows x~_i r_i, summed by cluster when there are clusters */
static void scores(const double *r, struct work *s, const size_t *cluster, size_t nclusters,
		   struct glm_fit *fit)
{
	const struct glm_design *X = s->X;
	size_t k = X->k;

	if (cluster)
		fit->clusters = fixef_levels(cluster, X->n, nclusters);
	for (size_t i = 0; i < X->n; i++) {
		double *sc = fit->score + (cluster ? cluster[i] : i) * k;
		for (size_t j = X->row[i]; j < X->row[i + 1]; j++)
			sc[X->col[j]] += X->val[j] * r[i];
		if (s->level) {
			size_t u = s->level[i];
			double f = s->L.W[u] > 0 ? r[i] / s->L.W[u] : 0;
			for (size_t a = s->L.start[u]; a < s->L.start[u + 1]; a++)
				sc[s->L.cols[a]] -= s->L.vals[a] * f;
		}
	}
	for (size_t j = 0; j < k; j++)
		if (fit->aliased[j])
			for (size_t g = 0; g < (cluster ? nclusters : X->n); g++)
				fit->score[g * k + j] = 0;
}

int glm_fit(enum glm_family family, const double *y, const struct glm_design *X,
	    const size_t *level, size_t nlevels, const size_t *cluster, size_t nclusters,
	    struct glm_fit *fit)
{
	size_t n = X->n, k = X->k, nscore = cluster ? nclusters : n;
	struct work s;
	int rc;

	fit_alloc(fit, n, k, nscore);
	rc = check_input(family, y, X);
	if (rc != GLM_OK) {
		fail(fit, nscore);
		return rc;
	}
	memset(&s, 0, sizeof s);
	s.X = X;
	s.level = level;
	if (level)
		levels_init(&s.L, X, level, nlevels);
	s.z = xmallocarray(n, sizeof *s.z);
	s.zt = xmallocarray(n, sizeof *s.zt);
	s.w = xmallocarray(n, sizeof *s.w);
	s.eta = xmallocarray(n, sizeof *s.eta);
	s.e = xmallocarray(n, sizeof *s.e);
	s.A = xmallocarray(xmul(k, k), sizeof *s.A);
	s.raw = xmallocarray(k, sizeof *s.raw);
	s.b = xmallocarray(k, sizeof *s.b);
	s.fe = xmallocarray(level ? xmul(2, nlevels) + 1 : 1, sizeof *s.fe);
	s.lb = xmallocarray(level ? nlevels + 1 : 1, sizeof *s.lb);
	if (family == GLM_POISSON) {
		rc = irls(y, &s, fit);
	} else {
		fit->iterations = 1;
	}
	if (rc == GLM_OK) {
		/* the bread and scores at the final weights (linear: the fit) */
		double *coef = xmallocarray(k, sizeof *coef);
		int *al = xmallocarray(k, sizeof *al);
		for (size_t i = 0; i < n; i++) {
			s.w[i] = family == GLM_POISSON ? fit->mu[i] : 1;
			s.z[i] = family == GLM_POISSON ? s.eta[i] : y[i];
		}
		if (family == GLM_LINEAR) {
			if (wls_step(&s, fit->coef, fit->aliased, fit->bread))
				rc = GLM_NOT_FINITE;
			fit->deviance = 0;
			for (size_t i = 0; i < n; i++) {
				fit->mu[i] = y[i] - s.e[i];
				fit->deviance += s.e[i] * s.e[i];
			}
		} else if (wls_step(&s, coef, al, fit->bread)) {
			rc = GLM_NOT_FINITE;
		}
		if (rc == GLM_OK) {
			for (size_t i = 0; i < n; i++)
				s.e[i] = family == GLM_POISSON ? y[i] - fit->mu[i] : s.e[i];
			scores(s.e, &s, cluster, nclusters, fit);
		}
		free(coef);
		free(al);
	}
	if (rc != GLM_OK)
		fail(fit, nscore);
	if (level)
		levels_free(&s.L);
	free(s.z);
	free(s.zt);
	free(s.w);
	free(s.eta);
	free(s.e);
	free(s.A);
	free(s.raw);
	free(s.b);
	free(s.fe);
	free(s.lb);
	return rc;
}

int glm_fit_dense(enum glm_family family, const double *y, const double *X, size_t n,
		  size_t k, const size_t *level, size_t nlevels, struct glm_fit *fit)
{
	size_t *row = xmallocarray(n + 1, sizeof *row);
	size_t *col = xmallocarray(xmul(n, k), sizeof *col);
	struct glm_design d = { n, k, row, col, X };
	int rc;

	for (size_t i = 0; i <= n; i++)
		row[i] = i * k;
	for (size_t i = 0; i < n * k; i++)
		col[i] = i % k;
	if (!X)
		d.val = (const double *)row;    /* no entries are read */
	rc = glm_fit(family, y, &d, level, nlevels, NULL, 0, fit);
	free(row);
	free(col);
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

	inference_nan(&out->slope);
	inference_nan(&out->intercept);
	out->n = n;
	out->iterations = 0;
	if (n < 2 || all_same(t, n))
		return GLM_TOO_FEW;
	for (size_t i = 0; i < n; i++)
		tbar += t[i];
	tbar /= (double)n;
	X = xmallocarray(xmul(2, n), sizeof *X);
	for (size_t i = 0; i < n; i++) {
		X[2 * i] = 1;
		X[2 * i + 1] = t[i] - tbar;
	}
	rc = glm_fit_dense(GLM_POISSON, y, X, n, 2, NULL, 0, &fit);
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
		inference_z(&out->slope, b, sqrt(vb), level);
		inference_z(&out->intercept, a, sqrt(va), level);
	}
	glm_fit_free(&fit);
	free(X);
	return rc;
}

int poisson_its(const struct its_obs *o, size_t n, double b[ITS_TERMS])
{
	double *X = xmallocarray(xmul(ITS_TERMS, n), sizeof *X);
	double *y = xmallocarray(n, sizeof *y);
	struct glm_fit fit;
	int rc;

	its_design(o, n, X);
	for (size_t i = 0; i < n; i++)
		y[i] = o[i].y;
	rc = glm_fit_dense(GLM_POISSON, y, X, n, ITS_TERMS, NULL, 0, &fit);
	for (int k = 0; k < ITS_TERMS; k++)
		b[k] = rc == GLM_OK ? fit.coef[k] : NAN;
	glm_fit_free(&fit);
	free(X);
	free(y);
	return rc;
}
