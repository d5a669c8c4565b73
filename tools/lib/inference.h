/* The inference on one quantity, as a row of the estimates table holds it:
 * the estimate, its standard error, the test of "it is 0" (statistic, df,
 * two-sided p) and the confidence interval.  One record for every
 * statistics file (htest's t tests, regress's coefficients, glm, panel,
 * did) and the estimates row, so that a result goes to its row in one
 * assignment.  Pure numerics through GSL: no I/O; NaN for what is not
 * defined (a tool writes it as an empty cell). */
#ifndef TT_INFERENCE_H
#define TT_INFERENCE_H

struct inference {
	double estimate, std_error, statistic, df, p_value, conf_low, conf_high;
};

/* every number NaN: nothing was estimated */
void inference_nan(struct inference *r);

/* est with standard error se at `level`: statistic est/se, two-sided p and
 * CI on Student t with df degrees of freedom (inference_t) or on the
 * standard normal (inference_z: df NaN, an empty cell; R's z tests).
 *   se == 0:        no statistic and p; the CI is est..est.
 *   est or se NaN:  statistic, p and CI NaN (df as given).
 *   df NaN or <= 0: written as given; p and CI NaN (se > 0): a t test
 *                   without degrees of freedom is not a z test. */
void inference_t(struct inference *r, double est, double se, double df,
		 double level);
void inference_z(struct inference *r, double est, double se, double level);
/* inference_t without the test (statistic and p NaN): the interval of a
 * quantity whose test of 0 would mean nothing, as a mean of counts */
void inference_t_interval(struct inference *r, double est, double se, double df,
			  double level);

/* Student t (GSL): two-sided p of t on df degrees of freedom, and the
 * critical value for a two-sided interval at `level` (0.95 -> the 97.5%
 * quantile).  NaN for NaN t, df <= 0 or infinite (values that overflowed),
 * or level outside (0,1); p at most 1.  R: 2 * pt(-abs(t), df),
 * qt(1 - (1 - level) / 2, df). */
double inference_t_p_two_sided(double t, double df);
double inference_t_crit(double level, double df);

/* The same on the standard normal scale (z statistics): NaN for NaN z or
 * a level outside (0,1). */
double inference_z_p_two_sided(double z);
double inference_z_crit(double level);

#endif
