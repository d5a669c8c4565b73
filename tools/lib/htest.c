/*
 * Hypothesis tests for tt-trend and tt-prepost.  Each one follows a named
 * R function to the letter (see htest.h), so that a user can check any
 * number we print with a line of R.  No printing, no exit: degenerate
 * data give a status and NaN cells.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "alloc.h"
#include "describe.h"
#include "htest.h"
#include "inference.h"

/* Below this many values per sample (and without ties) p is exact, as R. */
#define EXACT_BELOW 50

const char *htest_status_str(int status)
{
	switch (status) {
	case HTEST_OK:        return "ok";
	case HTEST_TOO_FEW:   return "too few observations";
	case HTEST_CONSTANT:  return "no variation in the data";
	case HTEST_NO_CI:     return "confidence interval not available at this level";
	case HTEST_BAD_LEVEL: return "confidence level not between 0 and 1";
	}
	return "unknown status";
}

static int level_ok(double level)
{
	return level > 0 && level < 1;
}

/* -1, 0 or 1 */
static double sign_of(double v)
{
	return (v > 0) - (v < 0);
}

/* ---- t tests ---------------------------------------------------------- */

struct sample sample_of(const double *x, size_t n)
{
	struct sample s = { n, NAN, NAN };

	if (n > 0)
		s.mean = gsl_stats_mean(x, 1, n);
	if (n > 1)
		s.var = gsl_stats_variance_m(x, 1, n, s.mean);
	return s;
}

/* the mean's interval, and its t test of 0 when `test` */
static int mean_t(const struct sample *x, double level, int test,
		  struct mean_t_result *out)
{
	void (*fill)(struct inference *, double, double, double, double) =
		test ? inference_t : inference_t_interval;
	double mean = x->mean, se;

	inference_nan(&out->mean);
	out->n = x->n;
	if (!level_ok(level))
		return HTEST_BAD_LEVEL;
	if (x->n == 0)
		return HTEST_TOO_FEW;
	out->mean.estimate = mean;
	if (x->n < 2)
		return HTEST_TOO_FEW;
	/* gsl_stats_sd_m's value: the square root of the variance */
	se = sqrt(x->var) / sqrt((double)x->n);
	/* R's t.test refuses "essentially constant" data with this test */
	if (se <= 10 * DBL_EPSILON * fabs(mean)) {
		fill(&out->mean, mean, 0, x->n - 1.0, level);
		return HTEST_CONSTANT;
	}
	fill(&out->mean, mean, se, x->n - 1.0, level);
	return HTEST_OK;
}

int one_sample_t(const double *x, size_t n, double level,
		 struct mean_t_result *out)
{
	struct sample s = sample_of(x, n);

	return mean_t(&s, level, 1, out);
}

int one_sample_t_of(const struct sample *x, double level, struct mean_t_result *out)
{
	return mean_t(x, level, 1, out);
}

int mean_interval(const struct sample *x, double level, struct mean_t_result *out)
{
	return mean_t(x, level, 0, out);
}

int welch_of(const struct sample *pre, const struct sample *post, double level,
	     struct welch_result *out)
{
	double v_pre, v_post, se, df, diff;
	size_t n_pre = pre->n, n_post = post->n;

	*out = (struct welch_result){ NAN, NAN, { NAN, NAN, NAN, NAN, NAN, NAN, NAN },
				      n_pre, n_post };
	if (!level_ok(level))
		return HTEST_BAD_LEVEL;
	out->mean_pre = pre->mean;
	out->mean_post = post->mean;
	diff = out->diff.estimate = out->mean_post - out->mean_pre;
	if (n_pre < 2 || n_post < 2)
		return HTEST_TOO_FEW;

	/* squared standard errors of each mean */
	v_pre = pre->var / n_pre;
	v_post = post->var / n_post;
	se = sqrt(v_pre + v_post);
	if (se <= 10 * DBL_EPSILON *
	    fmax(fabs(out->mean_pre), fabs(out->mean_post))) {
		/* no df: with a standard error of 0 nothing uses it */
		inference_t(&out->diff, diff, 0, NAN, level);
		return HTEST_CONSTANT;
	}
	df = (v_pre + v_post) * (v_pre + v_post) /
	     (v_pre * v_pre / (n_pre - 1.0) + v_post * v_post / (n_post - 1.0));
	inference_t(&out->diff, diff, se, df, level);
	return HTEST_OK;
}

int welch(const double *pre, size_t n_pre, const double *post, size_t n_post,
	  double level, struct welch_result *out)
{
	struct sample a = sample_of(pre, n_pre), b = sample_of(post, n_post);

	return welch_of(&a, &b, level, out);
}

/* ---- ranks ------------------------------------------------------------ */

/*
 * Mid-ranks (1-based, ties get their mean rank, as R's rank()) of v into
 * rank; *tie_cubes gets the sum over groups of tied values of t^3 - t.
 */
static void midranks(const double *v, size_t n, double *rank, double *tie_cubes)
{
	size_t *order = xmallocarray(n ? n : 1, sizeof *order);
	size_t i, j, k;

	gsl_sort_index(order, v, 1, n);
	*tie_cubes = 0;
	for (i = 0; i < n; i = j + 1) {
		double t;

		for (j = i; j + 1 < n && v[order[j + 1]] == v[order[i]]; j++)
			;
		for (k = i; k <= j; k++)
			rank[order[k]] = (i + j) / 2.0 + 1;
		t = (double)(j - i + 1);
		*tie_cubes += t * t * t - t;
	}
	free(order);
}

/* ---- Mann-Whitney ----------------------------------------------------- */

/*
 * Null distribution of U for samples of m and n values without ties: the
 * count of orderings with each U = 0..mn.  Place the largest of all m + n
 * values: if it is one of the m, it beats all n others, so
 *     c(k; m, n) = c(k - n; m - 1, n) + c(k; m, n - 1).
 * Only additions, so every count keeps full relative precision.
 * Returns a malloc'd array of mn + 1 counts, or NULL.
 */
static double *mann_whitney_counts(size_t m, size_t n)
{
	size_t width = m * n + 1, i, j, k;
	double *c = xcalloc((m + 1) * width, sizeof *c);
	double *row;

	for (j = 0; j <= m; j++)
		c[j * width] = 1;       /* no values of the n yet: U = 0 */
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++)
			for (k = j * i; k >= i; k--)
				c[j * width + k] += c[(j - 1) * width + k - i];
	row = xmallocarray(width, sizeof *row);
	memcpy(row, c + m * width, width * sizeof *row);
	free(c);
	return row;
}

/*
 * Two-sided p from a table of counts for statistic values 0..max, as R's
 * wilcox.test: the tail away from the centre, doubled, at most 1.
 */
static double exact_two_sided(const double *count, size_t max, double stat)
{
	double tail = 0, total = 0;
	size_t k, s = (size_t)stat;

	for (k = 0; k <= max; k++)
		total += count[k];
	if (stat > max / 2.0)
		for (k = s; k <= max; k++)
			tail += count[k];
	else
		for (k = 0; k <= s; k++)
			tail += count[k];
	return fmin(1, 2 * tail / total);
}

/* The counts for (m, n), kept: the same sample sizes come back group after
 * group (one split per event year), and a table is a pure function of
 * them.  One slot per (m, n) below EXACT_BELOW; should the kept tables pass
 * KEPT_MAX doubles (a few MB: sizes of every kind), they are all let go
 * and kept afresh.  One thread, no lock. */
static const double *mann_whitney_counts_kept(size_t m, size_t n)
{
	enum { KEPT_MAX = 1 << 19 };
	static double *kept[EXACT_BELOW][EXACT_BELOW];
	static size_t held;
	double **slot = &kept[m][n];

	if (*slot)
		return *slot;
	if (held + m * n + 1 > KEPT_MAX) {
		for (size_t i = 0; i < EXACT_BELOW; i++)
			for (size_t j = 0; j < EXACT_BELOW; j++) {
				free(kept[i][j]);
				kept[i][j] = NULL;
			}
		held = 0;
	}
	*slot = mann_whitney_counts(m, n);
	held += m * n + 1;
	return *slot;
}

static int mann_whitney_exact(struct mann_whitney_result *out)
{
	size_t m = out->n_post, n = out->n_pre;
	const double *count = mann_whitney_counts_kept(m, n);

	out->p_value = exact_two_sided(count, m * n, out->u);
	out->exact = 1;
	return HTEST_OK;
}

/* normal approximation with tie correction and continuity correction */
static int mann_whitney_normal(struct mann_whitney_result *out,
			       double tie_cubes)
{
	double m = out->n_post, n = out->n_pre, all = m + n;
	double centred = out->u - m * n / 2;
	double sigma = sqrt(m * n / 12 *
			    ((all + 1) - tie_cubes / (all * (all - 1))));

	if (!(sigma > 0))
		return HTEST_CONSTANT;
	out->z = (centred - sign_of(centred) * 0.5) / sigma;
	out->p_value = inference_z_p_two_sided(out->z);
	return HTEST_OK;
}

/* The rank sum of the post values among all, with mid-ranks for ties (as
 * R's rank()), and the sum of t^3 - t over groups of tied values: each
 * side sorted on its own, then walked together value by value (no NaN). */
static double post_rank_sum(double *pre, size_t n_pre, double *post, size_t n_post,
			    double *tie_cubes)
{
	size_t i = 0, j = 0;
	double rank_sum = 0, below = 0;

	sort_doubles(pre, n_pre);
	sort_doubles(post, n_post);
	*tie_cubes = 0;
	while (i < n_pre || j < n_post) {
		double v = j == n_post || (i < n_pre && pre[i] < post[j]) ? pre[i] : post[j];
		size_t a = 0, b = 0;
		double t;

		for (; i < n_pre && pre[i] == v; i++)
			a++;
		for (; j < n_post && post[j] == v; j++)
			b++;
		t = (double)(a + b);
		rank_sum += (double)b * (below + (t + 1) / 2);
		*tie_cubes += t * t * t - t;
		below += t;
	}
	return rank_sum;
}

int mann_whitney(const double *pre, size_t n_pre, const double *post,
		 size_t n_post, struct mann_whitney_result *out)
{
	size_t all = n_pre + n_post;
	double *v, tie_cubes;

	*out = (struct mann_whitney_result){ NAN, NAN, NAN, n_pre, n_post, 0 };
	if (n_pre == 0 || n_post == 0)
		return HTEST_TOO_FEW;
	for (size_t i = 0; i < n_pre; i++)
		if (isnan(pre[i]))
			return HTEST_TOO_FEW;
	for (size_t j = 0; j < n_post; j++)
		if (isnan(post[j]))
			return HTEST_TOO_FEW;
	v = xmallocarray(all, sizeof *v);
	memcpy(v, post, n_post * sizeof *v);
	memcpy(v + n_post, pre, n_pre * sizeof *v);
	out->u = post_rank_sum(v + n_post, n_pre, v, n_post, &tie_cubes) -
		 n_post * (n_post + 1.0) / 2;
	free(v);
	if (n_pre < EXACT_BELOW && n_post < EXACT_BELOW && tie_cubes == 0)
		return mann_whitney_exact(out);
	return mann_whitney_normal(out, tie_cubes);
}

const char *mann_whitney_method(const struct mann_whitney_result *r)
{
	return r->exact ? "mann-whitney exact" : "mann-whitney normal(ties,cc)";
}

/* ---- Kendall: Mann-Kendall, tau-b, and the variance Theil-Sen uses ---- */

/* position i stands for the time when no time column is given */
static double time_at(const double *t, size_t i)
{
	return t ? t[i] : (double)i;
}

/*
 * Sums over groups of tied values of t(t-1), t(t-1)(2t+5), t(t-1)(t-2).
 * Each member of a group of size t has t - 1 equal partners, so summing
 * per value rather than per group needs no sort: O(n^2) like S itself.
 */
struct tie_sums {
	double pairs, var_term, triples;
};

static struct tie_sums tie_sums(const double *v, size_t n)
{
	struct tie_sums s = { 0, 0, 0 };
	size_t i, j;

	for (i = 0; i < n; i++) {
		double t = 1;

		for (j = 0; j < n; j++)
			if (j != i && time_at(v, j) == time_at(v, i))
				t++;
		/* group sum of f(t) = sum over its t members of f(t)/t */
		s.pairs += t - 1;
		s.var_term += (t - 1) * (2 * t + 5);
		s.triples += (t - 1) * (t - 2);
	}
	return s;
}

/* Kendall's S of (t, y): concordant minus discordant pairs */
static double kendall_s(const double *t, const double *y, size_t n)
{
	long long s = 0;
	size_t i, j;

	for (i = 0; i + 1 < n; i++)
		for (j = i + 1; j < n; j++)
			s += (long long)(sign_of(time_at(t, j) - time_at(t, i)) *
					 sign_of(y[j] - y[i]));
	return (double)s;
}

/*
 * Variance of S under independence with ties in both t and y (Kendall
 * 1970, eq. 4.3; the formula of R's cor.test).  With distinct times it is
 * the Mann-Kendall n(n-1)(2n+5)/18 - sum u(u-1)(2u+5)/18.
 */
static double kendall_var_s(const double *t, const double *y, size_t n)
{
	struct tie_sums tt = { 0, 0, 0 }, ty;
	double dn = (double)n, var;

	if (n < 2)
		return 0;
	if (t)
		tt = tie_sums(t, n);
	ty = tie_sums(y, n);
	/* all tied on one side: S is 0 always; say so without rounding */
	if (tt.pairs == dn * (dn - 1) || ty.pairs == dn * (dn - 1))
		return 0;
	var = (dn * (dn - 1) * (2 * dn + 5) - tt.var_term - ty.var_term) / 18 +
	      tt.pairs * ty.pairs / (2 * dn * (dn - 1));
	if (n > 2)      /* the last term is 0/0 for n = 2 */
		var += tt.triples * ty.triples / (9 * dn * (dn - 1) * (dn - 2));
	return var > 0 ? var : 0;
}

/* tau-b from S and the numbers of tied pairs in t and in y */
static double tau_b_of(double s, const double *t, const double *y, size_t n)
{
	double pairs = n * (n - 1.0) / 2, tied_t = 0, tied_y;
	double denom;

	if (n < 2)
		return NAN;
	if (t)
		tied_t = tie_sums(t, n).pairs / 2;
	tied_y = tie_sums(y, n).pairs / 2;
	denom = (pairs - tied_t) * (pairs - tied_y);
	return denom > 0 ? s / sqrt(denom) : NAN;
}

double kendall_tau_b(const double *t, const double *y, size_t n)
{
	return tau_b_of(kendall_s(t, y, n), t, y, n);
}

int mann_kendall(const double *t, const double *y, size_t n,
		 struct mann_kendall_result *out)
{
	*out = (struct mann_kendall_result){ 0, 0, NAN, NAN, NAN, n };
	if (n < 2)
		return HTEST_TOO_FEW;
	out->s = kendall_s(t, y, n);
	out->var_s = kendall_var_s(t, y, n);
	if (!(out->var_s > 0))
		return HTEST_CONSTANT;
	out->z = sign_of(out->s) * (fabs(out->s) - 1) / sqrt(out->var_s);
	out->p_value = inference_z_p_two_sided(out->z);
	out->tau_b = tau_b_of(out->s, t, y, n);
	return HTEST_OK;
}

/* ---- Theil-Sen -------------------------------------------------------- */

/* median of y - slope x: the line's value at x = 0 */
static double sen_intercept(const double *x, const double *y, size_t n, double slope)
{
	double *r = xmallocarray(n, sizeof *r);
	size_t i;

	for (i = 0; i < n; i++)
		r[i] = y[i] - slope * time_at(x, i);
	sort_doubles(r, n);
	double m = gsl_stats_median_from_sorted_data(r, 1, n);
	free(r);
	return m;
}

/*
 * trend::sens.slope's CI: slopes of rank round((N - C)/2) and
 * round((N + C)/2 + 1), C = z sqrt(var S).  nearbyint rounds half to
 * even in the default rounding mode, as R's round() does.
 */
static int sen_ci(const double *slope, size_t n_slopes, double level,
		  struct theil_sen_result *out)
{
	double c = gsl_cdf_ugaussian_Qinv((1 - level) / 2) * sqrt(out->var_s);

	out->rank_low = (long)nearbyint((n_slopes - c) / 2);
	out->rank_high = (long)nearbyint((n_slopes + c) / 2 + 1);
	if (out->var_s == 0) {
		/*
		 * All y tied: every slope is 0, so is every order statistic,
		 * even where trend's ranks fall outside 1..N' (N' = 1).
		 */
		out->conf_low = out->conf_high = slope[0];
		return HTEST_OK;
	}
	if (out->rank_low < 1 || out->rank_high > (long)n_slopes)
		return HTEST_NO_CI;
	out->conf_low = slope[out->rank_low - 1];
	out->conf_high = slope[out->rank_high - 1];
	return HTEST_OK;
}

int theil_sen(const double *x, const double *y, size_t n, double level,
	      struct theil_sen_result *out)
{
	size_t i, j, k = 0;
	double *slope;
	int status;

	*out = (struct theil_sen_result){ NAN, NAN, NAN, NAN, NAN, n, 0, 0, 0 };
	if (!level_ok(level))
		return HTEST_BAD_LEVEL;
	if (n < 2)
		return HTEST_TOO_FEW;
	/* n (n - 1) / 2 pairs, halving the even factor first: no wrap */
	slope = xmallocarray(n % 2 ? xmul(n, (n - 1) / 2) : xmul(n / 2, n - 1), sizeof *slope);
	for (i = 0; i + 1 < n; i++)
		for (j = i + 1; j < n; j++)
			if (time_at(x, j) != time_at(x, i))
				slope[k++] = (y[j] - y[i]) /
					     (time_at(x, j) - time_at(x, i));
	out->n_slopes = k;
	if (k == 0) {
		free(slope);
		return HTEST_TOO_FEW;
	}
	sort_doubles(slope, k);
	out->slope = gsl_stats_median_from_sorted_data(slope, 1, k);
	out->var_s = kendall_var_s(x, y, n);
	status = sen_ci(slope, k, level, out);
	free(slope);
	out->intercept = sen_intercept(x, y, n, out->slope);
	return status;
}

/* ---- signed-rank and sign test ---------------------------------------- */

/*
 * Null distribution of V for n non-zero differences without ties: counts
 * of sign patterns with each V = 0..n(n+1)/2; rank i is positive or not:
 *     c(k; i) = c(k; i - 1) + c(k - i; i - 1).
 */
static double *signed_rank_counts(size_t n)
{
	size_t max = n * (n + 1) / 2, i, k;
	double *c = xcalloc(max + 1, sizeof *c);

	c[0] = 1;
	for (i = 1; i <= n; i++)
		for (k = i * (i + 1) / 2; k >= i; k--)
			c[k] += c[k - i];
	return c;
}

static int signed_rank_p(struct signed_rank_result *out, double tie_cubes)
{
	double n = out->n, centred, sigma;

	if (out->n < EXACT_BELOW && tie_cubes == 0 && out->n_zero == 0) {
		size_t max = out->n * (out->n + 1) / 2;
		double *count = signed_rank_counts(out->n);

		out->p_value = exact_two_sided(count, max, out->v);
		out->exact = 1;
		free(count);
		return HTEST_OK;
	}
	centred = out->v - n * (n + 1) / 4;
	sigma = sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_cubes / 48);
	out->z = (centred - sign_of(centred) * 0.5) / sigma;
	out->p_value = inference_z_p_two_sided(out->z);
	return HTEST_OK;
}

int signed_rank(const double *d, size_t n, struct signed_rank_result *out)
{
	double *abs_d, *rank, tie_cubes;
	size_t i, k = 0;

	*out = (struct signed_rank_result){ NAN, NAN, NAN, 0, 0, 0 };
	if (n == 0)
		return HTEST_TOO_FEW;
	abs_d = xmallocarray(2 * n, sizeof *abs_d);
	rank = abs_d + n;
	for (i = 0; i < n; i++)
		if (d[i] != 0)
			abs_d[k++] = fabs(d[i]);
	out->n = k;
	out->n_zero = n - k;
	out->v = 0;
	if (k == 0) {
		free(abs_d);
		return HTEST_TOO_FEW;
	}
	midranks(abs_d, k, rank, &tie_cubes);
	/* abs_d keeps the order of the non-zero d, so walk them together */
	for (i = 0, k = 0; i < n; i++)
		if (d[i] != 0) {
			if (d[i] > 0)
				out->v += rank[k];
			k++;
		}
	free(abs_d);
	return signed_rank_p(out, tie_cubes);
}

const char *signed_rank_method(const struct signed_rank_result *r)
{
	return r->exact ? "signed-rank exact" : "signed-rank normal(ties,cc)";
}

/*
 * binom.test(k, n, 0.5): with p = 1/2 the distribution is symmetric, so
 * R's "as or less likely" rule reduces to twice the smaller tail, and 1
 * at the centre.  The CI is Clopper-Pearson.
 */
int sign_test(const double *d, size_t n, double level,
	      struct sign_test_result *out)
{
	size_t i, k, low_tail;
	double alpha = 1 - level;

	*out = (struct sign_test_result){ NAN, NAN, NAN, NAN, 0, 0, 0 };
	for (i = 0; i < n; i++) {
		out->n_pos += d[i] > 0;
		out->n_zero += d[i] == 0;
	}
	out->n = n - out->n_zero;
	if (!level_ok(level))
		return HTEST_BAD_LEVEL;
	if (out->n == 0)
		return HTEST_TOO_FEW;
	k = out->n_pos;
	out->share = (double)k / out->n;
	low_tail = k < out->n - k ? k : out->n - k;
	if (2 * k == out->n)
		out->p_value = 1;
	else
		out->p_value = fmin(1, 2 * gsl_cdf_binomial_P(
				(unsigned)low_tail, 0.5, (unsigned)out->n));
	out->conf_low = k == 0 ? 0 :
		gsl_cdf_beta_Pinv(alpha / 2, k, out->n - k + 1.0);
	out->conf_high = k == out->n ? 1 :
		gsl_cdf_beta_Qinv(alpha / 2, k + 1.0, out->n - k);
	return HTEST_OK;
}
