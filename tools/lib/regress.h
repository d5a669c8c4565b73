/* Least-squares regression for tt-trend and tt-prepost: OLS on a design
 * matrix (GSL's SVD solver), the straight line, Newey-West HAC covariance and
 * the segmented interrupted-time-series model.
 *
 * Pure functions: no I/O, no exit on bad data.  Each fit returns a status;
 * quantities that the data cannot define are NaN (a tool writes them as
 * empty cells).  Matrices are row-major arrays of double: X[i*k + j] is
 * observation i, column j. */
#ifndef TT_REGRESS_H
#define TT_REGRESS_H
#include <stddef.h>
#include <stdint.h>

#include "inference.h"

enum regress_status {
	REGRESS_OK = 0,
	/* y has no variation to explain (constant y with an intercept column,
	 * all-zero y without one): the fit is exact, standard errors are 0
	 * and r2 is NaN.  Also returned, with NaN standard errors, when
	 * df = 0 and y is constant. */
	REGRESS_CONSTANT_Y,
	/* n == k: coefficients exact, nothing left to estimate the error
	 * variance with: resid_sd, standard errors and covariance are NaN. */
	REGRESS_NO_DF,
	/* the columns of X are (numerically) linearly dependent, e.g. a
	 * constant x beside the intercept: nothing is estimated (all NaN). */
	REGRESS_SINGULAR,
	/* fewer observations than the model needs (n < k; ols_line n < 2;
	 * its fewer than 3 pre or 3 post; newey_west n <= k): all NaN. */
	REGRESS_TOO_FEW,
	/* NaN or infinite input, k = 0, post not 0/1, level outside (0,1). */
	REGRESS_BAD_INPUT,
	/* values so large that the fit's numbers (coefficients, standard
	 * errors, sums of squares) do not fit in a double: all NaN. */
	REGRESS_OVERFLOW,
};

/* "ok", "constant y", ... for messages */
const char *regress_status_str(int status);

/* Columns whose singular values, after scaling every column of X to unit
 * length, fall below this fraction of the largest make X singular: past it
 * even the leading digits of the coefficients are noise. */
#define REGRESS_RCOND_MIN 1e-10

struct ols_fit {
	size_t n, k;
	double *coef;     /* [k] */
	double *cov;      /* [k*k] row-major, sigma^2 (X'X)^-1 */
	double *resid;    /* [n] y - X coef */
	double sse;       /* sum of squared residuals */
	double df;        /* n - k */
	double resid_sd;  /* sqrt(sse / df) */
	/* with an intercept column: 1 - sse / sum (y - ybar)^2 (centred);
	 * without: 1 - sse / sum y^2 (uncentred, as R and NIST's NoInt sets) */
	double r2;
	int has_intercept; /* X has a constant nonzero column */
};

/* Regress y (n) on X (n x k).  Fills *fit (arrays allocated with xmalloc;
 * release with ols_fit_free, also after a failed fit). */
int ols(const double *X, const double *y, size_t n, size_t k,
	struct ols_fit *fit);
void ols_fit_free(struct ols_fit *fit);

/* y = intercept + slope * x.  The intercept is the fitted value at x = 0;
 * the fit is done on centred x and transformed back. */
struct line_fit {
	size_t n;
	double intercept, slope;
	double se_intercept, se_slope;
	double cov_intercept_slope;
	double resid_sd, r2, df;
};

/* Statuses: REGRESS_TOO_FEW (n < 2), REGRESS_SINGULAR (all x equal),
 * REGRESS_NO_DF (n = 2: estimates and r2 only), REGRESS_CONSTANT_Y
 * (slope exactly 0, intercept y, standard errors 0, r2 NaN). */
int ols_line(const double *x, const double *y, size_t n, struct line_fit *fit);

/* Newey-West HAC covariance of OLS coefficients, into cov [k*k]:
 *   n/(n-k) (X'X)^-1 M (X'X)^-1,
 *   M = sum_t e_t^2 x_t x_t'
 *     + sum_{j=1..lag} w_j sum_{t>j} e_t e_{t-j} (x_t x_{t-j}' + x_{t-j} x_t'),
 *   w_j = 1 - j/(lag+1) (Bartlett), no prewhitening.
 * Equals R's sandwich::NeweyWest(fit, lag, prewhite = FALSE, adjust = TRUE).
 * Rows are taken in the order given: sort by time first.  lag 0 gives HC1;
 * lags of n or more add nothing beyond lag n-1 (as R).  With an intercept
 * column the other columns are centred internally and the result carried
 * back exactly (same matrix, fewer digits lost on raw years).
 * Statuses: REGRESS_TOO_FEW (n <= k), REGRESS_SINGULAR, REGRESS_BAD_INPUT;
 * cov is all NaN unless REGRESS_OK. */
int newey_west(const double *X, const double *resid, size_t n, size_t k,
	       size_t lag, double *cov);

/* floor(4 (n/100)^(2/9)), the Newey-West (1994) rule of thumb */
size_t newey_west_default_lag(size_t n);

enum { ITS_INTERCEPT, ITS_PRE_SLOPE, ITS_LEVEL, ITS_SLOPE, ITS_TERMS };

/* Segmented interrupted time series y = b0 + b1 r + b2 D + b3 D r
 * (r = rel_year, D = post).  b[ITS_PRE_SLOPE] = b1, b[ITS_LEVEL] = b2 (the
 * jump at r = 0), b[ITS_SLOPE] = b3 (the change of slope after the event).
 * Standard errors Newey-West at `lag`, t on n - 4 df, two-sided p, CI at
 * `level`; the intercept b0 (the pre line at r = 0, which nobody tests
 * against 0) has its standard error and CI but no statistic and p.  Where
 * a standard error is 0 (an exact fit) the statistic and p are NaN and the
 * CI is the estimate itself. */
struct its_fit {
	struct inference b[ITS_TERMS];
	size_t n, n_pre, n_post, lag;
	double resid_sd, r2;
};

/* post[i] must be 0 or 1; rows in time order.  Statuses as ols, plus
 * REGRESS_TOO_FEW when fewer than 3 pre or 3 post observations. */
int its(const double *rel_year, const double *post, const double *y, size_t n,
	size_t lag, double level, struct its_fit *fit);

/* ---- the segmented model's observations, for tt-prepost and its chart ----
 * One fit of the same rows in the same order: tt-prepost's its_* terms and
 * the lines tt-plot prepost draws (linear; its Poisson form in glm.h). */

/* an observation: rel_year, the value, post (0 or 1), its place in the
 * input (24 bytes: tt-prepost holds one per row) */
struct its_obs {
	double rel, y;
	float post;
	uint32_t order;
};

/* one more observation at the end of *o (n held, room for *cap), its
 * place n: 0, or 1 (nothing added) when the group already holds 2^32 - 1,
 * whose places would not fit; ITS_OBS_FULL says so */
int its_obs_add(struct its_obs **o, size_t *n, size_t *cap, double rel, double post,
		double y);
#define ITS_OBS_FULL "more than 4294967295 rows in one group"

/* into the order its_obs_fit takes: by rel_year, ties in input order
 * (Newey-West's lags count positions in it); rows already in it are left
 * as they are */
void its_obs_sort(struct its_obs *o, size_t n);

/* its() of observations in its_obs_sort's order */
int its_obs_fit(const struct its_obs *o, size_t n, size_t lag, double level,
		struct its_fit *fit);

/* X (n x ITS_TERMS): the rows 1, r, D, D r of the segmented model */
void its_design(const struct its_obs *o, size_t n, double *X);

#endif
