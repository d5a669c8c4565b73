/*
 * Hypothesis tests and interval estimates behind tt-trend and tt-prepost:
 * Welch's t, one-sample t, Mann-Whitney, Mann-Kendall, Kendall's tau-b,
 * Theil-Sen, Wilcoxon signed-rank and the sign test.
 *
 * Every function is pure numerics: it reads arrays of doubles that hold no
 * missing values (the caller drops them first), writes a result struct,
 * prints nothing and never exits.  It returns an htest_status.  A value
 * that is undefined for the data (a p-value of a constant sample, say) is
 * NaN, so that the tool writes an empty cell; a value that is defined is
 * never NaN.  Each result field is always written, whatever the status.
 *
 * "pre" and "post" name the two samples of a before/after comparison; the
 * difference is always post minus pre.  Every two-sample function matches
 * R with x = post and y = pre: t.test(post, pre), wilcox.test(post, pre).
 * tests/ref/htest.R computes the reference values the unit test checks.
 *
 * The Kendall family (mann_kendall, kendall_tau_b, theil_sen) visits all
 * n(n-1)/2 pairs, and theil_sen keeps their slopes: meant for series of
 * years, not of millions of points.
 */
#ifndef TT_HTEST_H
#define TT_HTEST_H
#include <stddef.h>

#include "inference.h"

enum htest_status {
	HTEST_OK = 0,
	HTEST_TOO_FEW,   /* too few observations: statistic, p (and more) NaN */
	HTEST_CONSTANT,  /* no variation: std_error 0, statistic and p NaN */
	HTEST_NO_CI,     /* all defined but the CI, which does not exist at this level */
	HTEST_BAD_LEVEL, /* level not strictly between 0 and 1: everything NaN */
};

/* A short English phrase for a status, for the tool's warning. */
const char *htest_status_str(int status);

/* A sample's size, mean and variance (n - 1 denominator), through GSL's
 * gsl_stats_mean and gsl_stats_variance_m: NaN where n is too small.  The
 * *_of and mean_interval forms take it, so that one sample summed once
 * serves its mean's interval and Welch's test. */
struct sample {
	size_t n;
	double mean, var;
};
struct sample sample_of(const double *x, size_t n);

/*
 * One-sample t: the mean, its standard error sd/sqrt(n), t = mean/se on
 * n-1 df, two-sided p and the t-based CI at `level` (as R's t.test(x)).
 * Used for the pooled mean difference; mean_interval is the same without
 * the test (statistic and p NaN), for mean_pre and mean_post.
 *   n == 0:        HTEST_TOO_FEW, everything NaN.
 *   n == 1:        HTEST_TOO_FEW, mean defined, the rest NaN.
 *   constant data: HTEST_CONSTANT, std_error 0, CI mean..mean, df n-1,
 *                  t and p NaN.  "Constant" is R's test for "data are
 *                  essentially constant": se < 10 DBL_EPSILON |mean|.
 */
struct mean_t_result {
	struct inference mean;  /* estimate: the mean; statistic: t */
	size_t n;
};
int one_sample_t(const double *x, size_t n, double level,
		 struct mean_t_result *out);
int one_sample_t_of(const struct sample *x, double level, struct mean_t_result *out);
int mean_interval(const struct sample *x, double level, struct mean_t_result *out);

/*
 * Welch's two-sample t: diff = mean(post) - mean(pre), its standard error
 * sqrt(var_pre/n_pre + var_post/n_post), t, Welch-Satterthwaite df,
 * two-sided p and CI at `level` (as R's t.test(post, pre)).
 *   a side with no value: HTEST_TOO_FEW, everything NaN but the other mean.
 *   a side with 1 value:  HTEST_TOO_FEW, means and diff defined, rest NaN.
 *   both sides constant:  HTEST_CONSTANT, std_error 0, CI diff..diff,
 *                         t, df and p NaN.  As R's t.test, "constant" is
 *                         se < 10 DBL_EPSILON max(|mean_pre|, |mean_post|).
 * One constant side alone is fine: df is then the other side's n - 1.
 */
struct welch_result {
	double mean_pre, mean_post;
	struct inference diff;  /* estimate: post - pre; statistic: t */
	size_t n_pre, n_post;
};
int welch(const double *pre, size_t n_pre, const double *post, size_t n_post,
	  double level, struct welch_result *out);
int welch_of(const struct sample *pre, const struct sample *post, double level,
	     struct welch_result *out);

/*
 * Mann-Whitney (Wilcoxon rank-sum) test.  u is the U statistic of the post
 * sample with mid-ranks: sum of the post ranks - n_post(n_post+1)/2, which
 * is W of R's wilcox.test(x = post, y = pre); u > n_pre n_post / 2 means
 * post tends to be larger.  The two-sided p is exact (the null distribution
 * of U counted by the usual recursion) when both samples have fewer than 50
 * values and there are no ties; otherwise it is the normal approximation
 * with tie-corrected variance and continuity correction 0.5 (R's
 * correct = TRUE), and z is that approximation's statistic.
 *   an empty side, or a NaN value: HTEST_TOO_FEW, u, z, p NaN.
 *   all values tied: HTEST_CONSTANT, u = n_pre n_post / 2, z and p NaN
 *                    (the variance is 0; R gives NaN too).
 */
struct mann_whitney_result {
	double u, z, p_value;   /* z is NaN when exact */
	size_t n_pre, n_post;
	int exact;              /* 1 exact p, 0 normal(ties,cc) */
};
int mann_whitney(const double *pre, size_t n_pre, const double *post,
		 size_t n_post, struct mann_whitney_result *out);
/* "mann-whitney exact" or "mann-whitney normal(ties,cc)" */
const char *mann_whitney_method(const struct mann_whitney_result *r);

/*
 * Mann-Kendall trend test of y against time t (t == NULL: t = 0, 1, ...).
 * S = sum over i < j of sign(t_j - t_i) sign(y_j - y_i).  var_s is the
 * variance of S under no association with the correction for ties (in y,
 * and in t if any: Kendall's general formula, the one R's cor.test uses;
 * with distinct times it is the usual n(n-1)(2n+5)/18 - sum u(u-1)(2u+5)/18).
 * z = sign(S)(|S| - 1)/sqrt(var_s) (continuity correction), p two-sided
 * normal.  tau_b as kendall_tau_b().
 *   n < 2:              HTEST_TOO_FEW, s 0, var_s 0, z, p, tau_b NaN.
 *   var_s 0 (all y tied, or all t tied):
 *                       HTEST_CONSTANT, s 0, var_s 0, z, p, tau_b NaN.
 */
struct mann_kendall_result {
	double s, var_s, z, p_value, tau_b;
	size_t n;
};
int mann_kendall(const double *t, const double *y, size_t n,
		 struct mann_kendall_result *out);

/*
 * Kendall's tau-b of (t, y): S / sqrt((N0 - Nt)(N0 - Ny)), N0 = n(n-1)/2,
 * Nt, Ny the numbers of pairs tied in t and in y (as R's
 * cor(t, y, method = "kendall")).  t == NULL: t = 0, 1, ...
 * Returns NaN when n < 2 or all t or all y are tied.
 */
double kendall_tau_b(const double *t, const double *y, size_t n);

/*
 * Theil-Sen slope of y on x (x == NULL: x = 0, 1, ...): the median of the
 * N' slopes (y_j - y_i)/(x_j - x_i) over pairs with x_i != x_j; intercept
 * is median(y - slope x), the line's value at x = 0.
 * The CI is the rank-based one of Sen (1968) / Gilbert (1987) exactly as R's
 * trend::sens.slope (trend 1.1) computes it: C = z_{1-a/2} sqrt(var S),
 * with var S as in mann_kendall(); the bounds are the order statistics of
 * rank round((N' - C)/2) and round((N' + C)/2 + 1) of the ascending slopes
 * (round half to even, as R's round), no interpolation.
 *   N' == 0 (n < 2 or all x tied): HTEST_TOO_FEW, everything NaN.
 *   a rank outside 1..N' (small n; R gives NA): HTEST_NO_CI, CI NaN,
 *     slope and intercept defined.
 *   all y tied (var S = 0): slope 0, CI 0..0, HTEST_OK, as tt-toolkit(7)
 *     wants for a constant series -- also for n = 2, where trend's
 *     ranks would be out of range.
 */
struct theil_sen_result {
	double slope, intercept, conf_low, conf_high;
	double var_s;           /* var(S) the CI used */
	size_t n, n_slopes;     /* observations; N' */
	long rank_low, rank_high; /* 1-based ranks of the CI bounds */
};
int theil_sen(const double *x, const double *y, size_t n, double level,
	      struct theil_sen_result *out);

/*
 * Wilcoxon signed-rank test of d against 0 (as R's wilcox.test(d)): zero
 * differences are dropped; v is the sum of the mid-ranks of |d| over the
 * positive d.  p is exact when fewer than 50 non-zero d remain and there
 * were no ties and no zeros, else normal with tie-corrected variance and
 * continuity correction (then z is set).
 *   n == 0 or every d zero: HTEST_TOO_FEW, v 0 when n > 0 (else NaN),
 *                           z and p NaN.
 */
struct signed_rank_result {
	double v, z, p_value;
	size_t n, n_zero;       /* non-zero d used; zeros dropped */
	int exact;
};
int signed_rank(const double *d, size_t n, struct signed_rank_result *out);
/* "signed-rank exact" or "signed-rank normal(ties,cc)" */
const char *signed_rank_method(const struct signed_rank_result *r);

/*
 * Sign test of d against 0: share = (number of d > 0) / (number of d != 0),
 * two-sided exact binomial p and Clopper-Pearson CI for the share at
 * `level` (as R's binom.test(n_pos, n, 0.5, conf.level = level)).
 *   no non-zero d: HTEST_TOO_FEW, share, p, CI NaN.
 */
struct sign_test_result {
	double share, p_value, conf_low, conf_high;
	size_t n_pos, n, n_zero;
};
int sign_test(const double *d, size_t n, double level,
	      struct sign_test_result *out);

#endif
