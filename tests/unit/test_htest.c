/*
 * tools/lib/htest.c against R.  The expected values come from
 * tests/ref/htest.R (t.test, wilcox.test, cor.test, binom.test, quantile
 * and trend::sens.slope's rule written out), which writes
 * tests/ref/htest_fixtures.h; the degenerate cases at the end are worked
 * by hand.
 */
#include <math.h>
#include <stdio.h>

#include "unit.h"
#include "describe.h"
#include "htest.h"
#include "../ref/htest_fixtures.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define REL 1e-9

static double worst_rel;        /* largest relative error seen vs R */

/* CHECK_REL at REL that also tracks the worst error; a NaN want (R's NA)
 * wants NaN */
static void near(double got, double want, int line)
{
	double err;

	if (isnan(want)) {
		if (isnan(got)) {
			unit_pass++;
		} else {
			unit_fail++;
			printf("FAIL line %d: got %.17g, want NaN\n", line, got);
		}
		return;
	}
	err = fabs(got - want) / (want != 0 ? fabs(want) : 1);
	if (err > worst_rel)
		worst_rel = err;
	if (err <= REL) {
		unit_pass++;
	} else {
		unit_fail++;
		printf("FAIL line %d: got %.17g, want %.17g (rel %.3g)\n",
		       line, got, want, err);
	}
}
#define NEAR(got, want) near((got), (want), __LINE__)

/* the seven numbers of an inference record against R's */
static void near_inference(const struct inference *g, double est, double se, double t,
			   double df, double p, double lo, double hi, int line)
{
	near(g->estimate, est, line);
	near(g->std_error, se, line);
	near(g->statistic, t, line);
	near(g->df, df, line);
	near(g->p_value, p, line);
	near(g->conf_low, lo, line);
	near(g->conf_high, hi, line);
}

static void test_one_sample_t(void)
{
	for (size_t i = 0; i < NCASES(mean_cases); i++) {
		const struct mean_case *c = &mean_cases[i];
		struct mean_t_result r;

		CHECK(one_sample_t(c->x, c->n, c->level, &r) == HTEST_OK);
		near_inference(&r.mean, c->mean, c->se, c->t, c->df, c->p, c->lo, c->hi, __LINE__);
		CHECK(r.n == c->n);
		/* the interval alone: the same numbers, no test */
		{
			struct sample s = sample_of(c->x, c->n);

			CHECK(mean_interval(&s, c->level, &r) == HTEST_OK);
			near_inference(&r.mean, c->mean, c->se, NAN, c->df, NAN, c->lo, c->hi,
				       __LINE__);
		}
	}
}

static void test_welch(void)
{
	for (size_t i = 0; i < NCASES(welch_cases); i++) {
		const struct welch_case *c = &welch_cases[i];
		struct welch_result r;

		CHECK(welch(c->pre, c->n_pre, c->post, c->n_post, c->level,
			    &r) == HTEST_OK);
		near_inference(&r.diff, c->diff, c->se, c->t, c->df, c->p, c->lo, c->hi, __LINE__);
		NEAR(r.mean_post - r.mean_pre, c->diff);
	}
}

static void test_mann_whitney(void)
{
	for (size_t i = 0; i < NCASES(mw_cases); i++) {
		const struct mw_case *c = &mw_cases[i];
		struct mann_whitney_result r;

		CHECK(mann_whitney(c->pre, c->n_pre, c->post, c->n_post,
				   &r) == HTEST_OK);
		NEAR(r.u, c->u);
		NEAR(r.p_value, c->p);
		CHECK(r.exact == c->exact);
		CHECK(c->exact ? isnan(r.z) : !isnan(r.z));
		CHECK_STR(mann_whitney_method(&r), c->exact ?
			  "mann-whitney exact" : "mann-whitney normal(ties,cc)");
	}
	/* swapping the samples turns U into n_pre n_post - U, same p */
	const struct mw_case *c = &mw_cases[1];
	struct mann_whitney_result r;
	mann_whitney(c->post, c->n_post, c->pre, c->n_pre, &r);
	NEAR(r.u, (double)(c->n_pre * c->n_post) - c->u);
	NEAR(r.p_value, c->p);
	/* hand-worked: post all above pre, 3 and 4 values: P(U = 12) = 1/35 */
	NEAR(mw_cases[0].p, 2.0 / 35);
}

static void test_mann_kendall(void)
{
	for (size_t i = 0; i < NCASES(mk_cases); i++) {
		const struct mk_case *c = &mk_cases[i];
		struct mann_kendall_result r;

		CHECK(mann_kendall(c->t, c->y, c->n, &r) == HTEST_OK);
		NEAR(r.s, c->s);
		NEAR(r.var_s, c->var_s);
		NEAR(r.z, c->z);
		NEAR(r.p_value, c->p);
		NEAR(r.tau_b, c->tau_b);
		NEAR(kendall_tau_b(c->t, c->y, c->n), c->tau_b);
	}
	/* no time column: positions 0, 1, ... (the series are evenly spaced) */
	struct mann_kendall_result r;
	CHECK(mann_kendall(NULL, mk_cases[1].y, mk_cases[1].n, &r) == HTEST_OK);
	NEAR(r.s, mk_cases[1].s);
	NEAR(r.var_s, mk_cases[1].var_s);
	NEAR(r.z, mk_cases[1].z);
	NEAR(r.tau_b, mk_cases[1].tau_b);
}

static void test_theil_sen(void)
{
	for (size_t i = 0; i < NCASES(mk_cases); i++) {
		const struct mk_case *c = &mk_cases[i];
		struct theil_sen_result r;
		int status = theil_sen(c->t, c->y, c->n, c->level, &r);

		CHECK(status == (isnan(c->lo) ? HTEST_NO_CI : HTEST_OK));
		NEAR(r.slope, c->sen);
		NEAR(r.conf_low, c->lo);
		NEAR(r.conf_high, c->hi);
		NEAR(r.intercept, c->intercept);
		NEAR(r.var_s, c->var_s);
		CHECK(r.rank_low == c->rank_lo);
		CHECK(r.rank_high == c->rank_hi);
		CHECK(r.n_slopes == c->n_slopes);
	}
	/* no time column: same slope and CI, intercept moves to t = 0 */
	const struct mk_case *c = &mk_cases[0];
	struct theil_sen_result r;
	CHECK(theil_sen(NULL, c->y, c->n, c->level, &r) == HTEST_OK);
	NEAR(r.slope, c->sen);
	NEAR(r.conf_low, c->lo);
	NEAR(r.conf_high, c->hi);
	NEAR(r.intercept, c->intercept + c->sen * c->t[0]);
}

static void test_signed_rank_and_sign(void)
{
	for (size_t i = 0; i < NCASES(sr_cases); i++) {
		const struct sr_case *c = &sr_cases[i];
		struct signed_rank_result r;

		CHECK(signed_rank(c->d, c->n, &r) == HTEST_OK);
		NEAR(r.v, c->v);
		NEAR(r.p_value, c->p);
		CHECK(r.exact == c->exact);
		CHECK_STR(signed_rank_method(&r), c->exact ?
			  "signed-rank exact" : "signed-rank normal(ties,cc)");
	}
	for (size_t i = 0; i < NCASES(sign_cases); i++) {
		const struct sign_case *c = &sign_cases[i];
		struct sign_test_result r;

		CHECK(sign_test(c->d, c->n, c->level, &r) == HTEST_OK);
		CHECK(r.n_pos == c->n_pos);
		CHECK(r.n == c->n_nonzero);
		CHECK(r.n + r.n_zero == c->n);
		NEAR(r.share, c->share);
		NEAR(r.p_value, c->p);
		NEAR(r.conf_low, c->lo);
		NEAR(r.conf_high, c->hi);
	}
	/* hand-worked: 12 negative differences, V = 0, p = 2 / 2^12 */
	NEAR(sr_cases[6].p, 2.0 / 4096);
}

static void test_quantile(void)
{
	for (size_t i = 0; i < NCASES(q_p); i++)
		NEAR(quantile_sorted(q_sorted, NCASES(q_sorted), q_p[i]),
		     q_want[i]);
	CHECK(isnan(quantile_sorted(q_sorted, 0, 0.5)));
}

/* ---- degenerate data: documented status, NaN only where undefined ---- */

static void test_degenerate_t(void)
{
	static const double one[] = { 4 }, flat[] = { 4, 4, 4 },
		zeros[] = { 0, 0 }, seven[] = { 7, 7, 7 }, five[] = { 5, 5 },
		some[] = { 1, 2, 4 };
	struct mean_t_result m;
	struct welch_result w;

	CHECK(one_sample_t(one, 0, 0.95, &m) == HTEST_TOO_FEW);
	CHECK(isnan(m.mean.estimate) && isnan(m.mean.std_error) && isnan(m.mean.p_value));
	CHECK(one_sample_t(one, 1, 0.95, &m) == HTEST_TOO_FEW);
	CHECK(m.mean.estimate == 4 && isnan(m.mean.std_error) && isnan(m.mean.statistic) &&
	      isnan(m.mean.conf_low) && isnan(m.mean.df));
	CHECK(one_sample_t(flat, 3, 0.95, &m) == HTEST_CONSTANT);
	CHECK(m.mean.estimate == 4 && m.mean.std_error == 0 && m.mean.df == 2 &&
	      m.mean.conf_low == 4 && m.mean.conf_high == 4 && isnan(m.mean.statistic) &&
	      isnan(m.mean.p_value));
	CHECK(one_sample_t(zeros, 2, 0.95, &m) == HTEST_CONSTANT);
	CHECK(m.mean.estimate == 0 && m.mean.std_error == 0 && isnan(m.mean.statistic));
	CHECK(one_sample_t(some, 3, 1.0, &m) == HTEST_BAD_LEVEL);
	CHECK(isnan(m.mean.estimate));

	CHECK(welch(five, 2, seven, 3, 0.95, &w) == HTEST_CONSTANT);
	CHECK(w.diff.estimate == 2 && w.diff.std_error == 0 && w.diff.conf_low == 2 &&
	      w.diff.conf_high == 2 && isnan(w.diff.statistic) && isnan(w.diff.df) &&
	      isnan(w.diff.p_value));
	CHECK(welch(one, 1, some, 3, 0.95, &w) == HTEST_TOO_FEW);
	CHECK(w.mean_pre == 4 && fabs(w.diff.estimate - (7.0 / 3 - 4)) < 1e-15 &&
	      isnan(w.diff.std_error) && isnan(w.diff.p_value) && isnan(w.diff.conf_low));
	CHECK(welch(one, 0, some, 3, 0.95, &w) == HTEST_TOO_FEW);
	CHECK(isnan(w.mean_pre) && !isnan(w.mean_post) && isnan(w.diff.estimate));
	CHECK(welch(some, 3, one, 0, 0.95, &w) == HTEST_TOO_FEW);
	CHECK(isnan(w.mean_post) && isnan(w.diff.estimate));
	CHECK(welch(some, 3, seven, 3, 0, &w) == HTEST_BAD_LEVEL);
	/* one constant side is fine: df = n_other - 1 */
	CHECK(welch(five, 2, some, 3, 0.95, &w) == HTEST_OK);
	CHECK(fabs(w.diff.df - 2) < 1e-12);
}

static void test_degenerate_ranks(void)
{
	static const double three[] = { 3, 3, 3 }, one[] = { 1 },
		up2[] = { 1, 2 }, flat[] = { 5, 5, 5, 5, 5 },
		tied_t[] = { 2001, 2001, 2001 }, zeros[] = { 0, 0, 0 },
		ys[] = { 1, 4, 2 }, tied_x5[] = { 1, 1, 2, 3, 3 };
	struct mann_whitney_result mw;
	struct mann_kendall_result mk;
	struct theil_sen_result ts;
	struct signed_rank_result sr;
	struct sign_test_result st;

	CHECK(mann_whitney(three, 0, three, 3, &mw) == HTEST_TOO_FEW);
	CHECK(isnan(mw.u) && isnan(mw.p_value));
	CHECK(mann_whitney(three, 2, three, 3, &mw) == HTEST_CONSTANT);
	CHECK(mw.u == 3 && isnan(mw.z) && isnan(mw.p_value) && !mw.exact);
	{
		/* ranks by hand: 1 | 2 2 2 | 3 -> 1, 3 3 3, 5; post {2, 3} has 3 + 5 */
		static const double pre[] = { 2, 1, 2 }, post[] = { 3, 2 },
			gap[] = { 1, NAN, 2 };

		CHECK(mann_whitney(pre, 3, post, 2, &mw) == HTEST_OK);
		CHECK(mw.u == 8 - 3 && !mw.exact);
		/* a NaN has no rank: no statistic (and no endless walk) */
		CHECK(mann_whitney(gap, 3, post, 2, &mw) == HTEST_TOO_FEW);
		CHECK(isnan(mw.u) && isnan(mw.p_value));
	}

	CHECK(mann_kendall(NULL, one, 1, &mk) == HTEST_TOO_FEW);
	CHECK(mk.s == 0 && mk.var_s == 0 && isnan(mk.z) && isnan(mk.tau_b));
	CHECK(mann_kendall(NULL, flat, 5, &mk) == HTEST_CONSTANT);
	CHECK(mk.s == 0 && mk.var_s == 0 && isnan(mk.z) &&
	      isnan(mk.p_value) && isnan(mk.tau_b));
	CHECK(mann_kendall(tied_t, ys, 3, &mk) == HTEST_CONSTANT);
	CHECK(mk.s == 0 && mk.var_s == 0 && isnan(mk.p_value));
	/* ties in time and a flat y: var S is exactly 0, not rounding dust */
	CHECK(mann_kendall(tied_x5, flat, 5, &mk) == HTEST_CONSTANT);
	CHECK(mk.s == 0 && mk.var_s == 0 && isnan(mk.z));
	/* n = 2 by hand: S = 1, var = 2*1*9/18 = 1, z = 0, p = 1, tau 1 */
	CHECK(mann_kendall(NULL, up2, 2, &mk) == HTEST_OK);
	CHECK(mk.s == 1 && mk.var_s == 1 && mk.z == 0 && mk.p_value == 1 &&
	      mk.tau_b == 1);
	CHECK(isnan(kendall_tau_b(NULL, one, 1)));
	CHECK(isnan(kendall_tau_b(NULL, flat, 5)));
	CHECK(isnan(kendall_tau_b(tied_t, ys, 3)));

	CHECK(theil_sen(NULL, one, 1, 0.95, &ts) == HTEST_TOO_FEW);
	CHECK(isnan(ts.slope) && isnan(ts.intercept) && isnan(ts.conf_low));
	CHECK(theil_sen(tied_t, ys, 3, 0.95, &ts) == HTEST_TOO_FEW);
	CHECK(ts.n_slopes == 0 && isnan(ts.slope));
	CHECK(theil_sen(NULL, flat, 5, 0.95, &ts) == HTEST_OK);
	CHECK(ts.slope == 0 && ts.conf_low == 0 && ts.conf_high == 0 &&
	      ts.intercept == 5 && ts.var_s == 0);
	CHECK(theil_sen(tied_x5, flat, 5, 0.95, &ts) == HTEST_OK);
	CHECK(ts.slope == 0 && ts.conf_low == 0 && ts.conf_high == 0 &&
	      ts.n_slopes == 8);
	CHECK(theil_sen(NULL, flat, 2, 0.95, &ts) == HTEST_OK);
	CHECK(ts.slope == 0 && ts.conf_low == 0 && ts.conf_high == 0);
	CHECK(theil_sen(NULL, ys, 3, 1.5, &ts) == HTEST_BAD_LEVEL);
	/* n = 2 rising: one slope, but no CI at 95% */
	CHECK(theil_sen(NULL, up2, 2, 0.95, &ts) == HTEST_NO_CI);
	CHECK(ts.slope == 1 && ts.intercept == 1 && isnan(ts.conf_low));

	CHECK(signed_rank(zeros, 0, &sr) == HTEST_TOO_FEW);
	CHECK(isnan(sr.v) && isnan(sr.p_value));
	CHECK(signed_rank(zeros, 3, &sr) == HTEST_TOO_FEW);
	CHECK(sr.v == 0 && sr.n == 0 && sr.n_zero == 3 && isnan(sr.p_value));

	CHECK(sign_test(zeros, 3, 0.95, &st) == HTEST_TOO_FEW);
	CHECK(st.n == 0 && st.n_zero == 3 && isnan(st.share) &&
	      isnan(st.p_value));
	CHECK(sign_test(zeros, 0, 0.95, &st) == HTEST_TOO_FEW);
	CHECK(isnan(st.share));
}

int main(void)
{
	unit_start();
	test_one_sample_t();
	test_welch();
	test_mann_whitney();
	test_mann_kendall();
	test_theil_sen();
	test_signed_rank_and_sign();
	test_quantile();
	test_degenerate_t();
	test_degenerate_ranks();
	CHECK_STR(htest_status_str(HTEST_NO_CI),
		  "confidence interval not available at this level");
	printf("largest relative error vs R: %.3g\n", worst_rel);
	return unit_summary();
}
