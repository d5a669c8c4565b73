/* The inference record and the t and normal helpers: see inference.h. */
#include <math.h>
#include <stddef.h>

#include <gsl/gsl_cdf.h>

#include "inference.h"

void inference_nan(struct inference *r)
{
	r->estimate = r->std_error = r->statistic = r->df = NAN;
	r->p_value = r->conf_low = r->conf_high = NAN;
}

/* on the standard normal (df NaN) or on t with df degrees of freedom */
static void fill(struct inference *r, double est, double se, double df,
		 int normal, int test, double level)
{
	double q = normal ? inference_z_crit(level) : inference_t_crit(level, df);

	r->estimate = est;
	r->std_error = se;
	r->df = df;
	if (se > 0 && test) {
		r->statistic = est / se;
		r->p_value = normal ? inference_z_p_two_sided(r->statistic)
				    : inference_t_p_two_sided(r->statistic, df);
	} else {
		r->statistic = r->p_value = NAN;
	}
	r->conf_low = se > 0 ? est - q * se : est;
	r->conf_high = se > 0 ? est + q * se : est;
	if (isnan(se) || isnan(est))
		r->conf_low = r->conf_high = NAN;
}

void inference_t(struct inference *r, double est, double se, double df,
		 double level)
{
	fill(r, est, se, df, 0, 1, level);
}

void inference_t_interval(struct inference *r, double est, double se, double df,
			  double level)
{
	fill(r, est, se, df, 0, 0, level);
}

void inference_z(struct inference *r, double est, double se, double level)
{
	fill(r, est, se, NAN, 1, 1, level);
}

double inference_t_p_two_sided(double t, double df)
{
	double p;

	if (isnan(t) || !(df > 0) || isinf(df))     /* values overflowed */
		return NAN;
	p = 2 * gsl_cdf_tdist_Q(fabs(t), df);
	return p > 1 ? 1 : p;
}

/* The quantile is a pure function of (level, df), and whole-number df
 * (n - 1, n - 2, n - 4) come back group after group: those up to 1024 are
 * kept (Welch's fractional df are not).  A tool is one thread, so the static
 * table needs no lock. */
double inference_t_crit(double level, double df)
{
	enum { KEPT = 1024 };
	static struct { double level, q; } memo[KEPT + 1];
	size_t i;
	double q;

	if (!(level > 0 && level < 1) || !(df > 0))
		return NAN;
	if (!(df <= KEPT && df == floor(df)))
		return gsl_cdf_tdist_Qinv((1 - level) / 2, df);
	i = (size_t)df;
	if (memo[i].level == level)
		return memo[i].q;
	q = gsl_cdf_tdist_Qinv((1 - level) / 2, df);
	memo[i].level = level;
	memo[i].q = q;
	return q;
}

double inference_z_p_two_sided(double z)
{
	double p;

	if (isnan(z))
		return NAN;
	p = 2 * gsl_cdf_ugaussian_Q(fabs(z));
	return p > 1 ? 1 : p;
}

double inference_z_crit(double level)
{
	if (!(level > 0 && level < 1))
		return NAN;
	return gsl_cdf_ugaussian_Qinv((1 - level) / 2);
}
