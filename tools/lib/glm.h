/* Generalised linear models for counts and levels: Poisson pseudo-maximum
 * likelihood (log link) by iteratively reweighted least squares, and
 * ordinary least squares, both with an optional fixed effect absorbed by
 * weighted demeaning (fixef.h) besides the columns of X.
 *
 *   linear:  y = alpha_level + X b + e              (OLS)
 *   poisson: E[y] = exp(alpha_level + X b)          (PPML, any y >= 0)
 *
 * Without a level (level == NULL) X must hold its own intercept column.
 * The coefficients, the bread (X~'W X~)^-1 and the scores x~_i (y_i - mu_i)
 * are those of R's glm(y ~ factor(level) + X, family = poisson) (lm for
 * linear) restricted to X: X~ is X demeaned within levels with the final
 * weights W = mu (1 for linear), so any sandwich built from them
 * (sandwich.h) is the one R builds from the full dummy regression.
 *
 * IRLS starts from mu = (y + mean y) / 2 and stops when the relative change
 * of the deviance, |D - D_old| / (|D| + 0.1) (glm.fit's rule), falls below
 * GLM_TOL, after at most GLM_MAXIT iterations.  A column of X that is
 * (numerically) a combination of the absorbed effect and the columns before
 * it is aliased, as R's lm and glm leave it NA: its coefficient, bread row
 * and column are NaN and its scores 0.
 *
 * Pure numerics: no I/O, no exit on bad data; a status says what happened,
 * and whatever was not estimated is NaN. */
#ifndef TT_GLM_H
#define TT_GLM_H
#include <stddef.h>

#include "inference.h"
#include "regress.h"

#define GLM_TOL 1e-10
#define GLM_MAXIT 100
/* a column whose squared norm, after projecting out the absorbed effect and
 * the earlier columns, is below this share of its own is aliased */
#define GLM_ALIAS_TOL 1e-10

enum glm_family { GLM_LINEAR, GLM_POISSON };

enum glm_status {
	GLM_OK = 0,
	GLM_NO_CONVERGENCE, /* IRLS did not converge in GLM_MAXIT iterations: all NaN */
	GLM_NOT_FINITE,     /* the fit overflowed (separated data): all NaN */
	GLM_ALL_ZERO,       /* poisson with every y 0: no fit, all NaN */
	GLM_TOO_FEW,        /* n == 0: nothing to fit */
	GLM_BAD_INPUT,      /* y NaN or infinite, poisson y < 0, X not finite */
};

/* "ok", "did not converge in 100 iterations", ... for messages */
const char *glm_status_str(int status);

/* The regressors X as sparse rows (compressed sparse row form): row i holds
 * the entries col[j], val[j] for j in row[i] .. row[i+1]-1.  Dummies (year,
 * cohort-year cell) take one entry each, so a panel of n rows costs O(n)
 * whatever the number of columns. */
struct glm_design {
	size_t n, k;
	const size_t *row;      /* [n+1] */
	const size_t *col;      /* [row[n]] */
	const double *val;      /* [row[n]] */
};

struct glm_fit {
	size_t n, k;
	double *coef;       /* [k] */
	int *aliased;       /* [k] */
	double *bread;      /* [k*k] row-major (X~'W X~)^-1 */
	/* without clusters [n*k], row i: x~_i (y_i - mu_i); with clusters
	 * [nclusters*k], row g: the sum of those rows over cluster g */
	double *score;
	size_t clusters;    /* clusters that hold a row (with clusters) */
	double *mu;         /* [n] fitted values (fixed effect included) */
	double deviance;    /* poisson deviance; linear: sum of squared residuals */
	int iterations;
};

/* Fits y (n) on X and, when level is not NULL, one fixed effect per level
 * (level[i] in 0..nlevels-1).  cluster (may be NULL) sums the scores by
 * cluster (cluster[i] in 0..nclusters-1), for sandwich_cluster_sums.
 * Fills *fit (arrays allocated; free with glm_fit_free, also after a
 * failure).  Time O(nnz + sum over levels of nnz_level^2 + k^3) per
 * iteration, memory O(nnz + k^2 + nclusters k). */
int glm_fit(enum glm_family family, const double *y, const struct glm_design *X,
	    const size_t *level, size_t nlevels, const size_t *cluster, size_t nclusters,
	    struct glm_fit *fit);
/* the same with X dense (n x k row-major; NULL when k == 0), no clusters */
int glm_fit_dense(enum glm_family family, const double *y, const double *X, size_t n,
		  size_t k, const size_t *level, size_t nlevels, struct glm_fit *fit);
void glm_fit_free(struct glm_fit *fit);

/* A Poisson trend log E[y] = a + b t (tt-trend --method poisson): the fit
 * on centred t, carried back exactly so that a is the log mean at t = 0.
 * Standard errors HC1 (lag < 0) or Newey-West at `lag` (rows in time
 * order), z statistics, normal p-values and CIs at `level` (df NaN).
 * Statuses: glm_fit's (GLM_ALL_ZERO for a series of zeros), and
 * GLM_TOO_FEW when n < 2 or all t are equal; with n == 2 the estimates are
 * set and the standard errors NaN.  A series whose values are all equal
 * has slope 0 and standard errors 0, without a test. */

struct poisson_trend_fit {
	struct inference slope, intercept;
	size_t n;
	int iterations;
};

int poisson_trend(const double *t, const double *y, size_t n, long lag, double level,
		  struct poisson_trend_fit *out);

/* The segmented model's Poisson form, log E[y] = b0 + b1 r + b2 D + b3 D r
 * (regress.h its_design), of observations in its_obs_sort's order: the
 * coefficients into b, NaN for an aliased one (tt-plot prepost draws it for
 * a count).  Statuses glm_fit's; b all NaN unless GLM_OK. */
int poisson_its(const struct its_obs *o, size_t n, double b[ITS_TERMS]);

#endif
