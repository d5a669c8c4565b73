/* tools/lib/fixef.c, glm.c, sandwich.c and panel.c: hand-worked cases, the
 * invariance tt-panel promises (absorbing the unit effect gives the answer
 * of one dummy per unit), and R's glm + sandwich on a small series
 * (values printed by R 4 with sandwich 3; the script is in the comments). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "fixef.h"
#include "glm.h"
#include "panel.h"
#include "sandwich.h"

/* weighted demeaning by hand: levels {0: 1, 3 (w 1, 3)}, {1: 4, 8} */
static void test_demean(void)
{
	double v[4] = { 1, 4, 3, 8 }, w[4] = { 1, 1, 3, 1 }, scratch[4];
	size_t level[4] = { 0, 1, 0, 1 };

	fixef_demean(v, 4, level, 2, w, scratch);
	/* level 0: (1 + 9)/4 = 2.5; level 1: 6 */
	CHECK_REL(v[0], -1.5, 1e-15);
	CHECK_REL(v[2], 0.5, 1e-15);
	CHECK_REL(v[1], -2, 1e-15);
	CHECK_REL(v[3], 2, 1e-15);
	CHECK_REL(v[0] * w[0] + v[2] * w[2], 0, 1e-15);
}

/* a small unbalanced panel: 5 units, 4 years, x = a treatment dummy */
enum { NU = 5, NT = 4 };
static const double Y[] = { 3, 5, 4, 9,  10, 12, 9, 15,  1, 0, 2, 6,  7, 7, 9, 8,  2, 3, 5 };
static const size_t U[] = { 0, 0, 0, 0,  1, 1, 1, 1,  2, 2, 2, 2,  3, 3, 3, 3,  4, 4, 4 };
static const int T[] = { 0, 1, 2, 3,  0, 1, 2, 3,  0, 1, 2, 3,  0, 1, 2, 3,  0, 1, 3 };
static const double D[] = { 0, 0, 1, 1,  0, 0, 0, 0,  0, 0, 0, 1,  0, 0, 0, 0,  0, 1, 1 };
#define NOBS (sizeof Y / sizeof Y[0])

/* X with [year dummies 1..3, treatment] (absorbed) or [those, unit dummies] */
static double *design(int dummies, size_t *k)
{
	size_t kk = NT - 1 + 1 + (dummies ? NU : 0);
	double *X = calloc(NOBS * kk, sizeof *X);

	for (size_t i = 0; i < NOBS; i++) {
		double *x = X + i * kk;
		if (T[i] > 0)
			x[T[i] - 1] = 1;
		x[NT - 1] = D[i];
		if (dummies)
			x[NT + U[i]] = 1;
	}
	*k = kk;
	return X;
}

static void test_absorbed_equals_dummies(enum glm_family fam)
{
	size_t ka, kd;
	double *Xa = design(0, &ka), *Xd = design(1, &kd);
	struct glm_fit a, d;
	double *ca = malloc(ka * ka * sizeof *ca), *cd = malloc(kd * kd * sizeof *cd);

	CHECK(glm_fit_dense(fam, Y, Xa, NOBS, ka, U, NU, &a) == GLM_OK);
	CHECK(glm_fit_dense(fam, Y, Xd, NOBS, kd, NULL, 0, &d) == GLM_OK);
	CHECK(sandwich_cluster(a.bread, a.score, a.aliased, NOBS, ka, U, NU, ca) == SANDWICH_OK);
	CHECK(sandwich_cluster(d.bread, d.score, d.aliased, NOBS, kd, U, NU, cd) == SANDWICH_OK);
	for (size_t j = 0; j < ka; j++) {
		CHECK_REL(a.coef[j], d.coef[j], 1e-9);
		CHECK_REL(sqrt(ca[j * ka + j]), sqrt(cd[j * kd + j]), 1e-8);
	}
	CHECK_REL(a.deviance, d.deviance, 1e-9);
	for (size_t i = 0; i < NOBS; i++)
		CHECK_REL(a.mu[i], d.mu[i], 1e-9);
	glm_fit_free(&a);
	glm_fit_free(&d);
	free(Xa);
	free(Xd);
	free(ca);
	free(cd);
}

/* R:
 *   d <- data.frame(t = 2000:2004, y = c(3, 5, 4, 9, 12))
 *   f <- glm(y ~ t, family = poisson, data = d)
 *   coef(f); sqrt(diag(vcovHC(f, type = "HC1")))
 *   sqrt(diag(NeweyWest(f, lag = 1, prewhite = FALSE, adjust = TRUE))) */
static void test_poisson_trend(void)
{
	double t[] = { 2000, 2001, 2002, 2003, 2004 }, y[] = { 3, 5, 4, 9, 12 };
	struct poisson_trend_fit f;

	CHECK(poisson_trend(t, y, 5, -1, 0.95, &f) == GLM_OK);
	CHECK_REL(f.slope.estimate, 0.35076006842951385, 1e-9);
	CHECK_REL(f.intercept.estimate, -700.45449194263994741, 1e-9);
	CHECK_REL(f.slope.std_error, 0.044771518181183967, 1e-6);
	CHECK_REL(f.intercept.std_error, 89.730090753606816634, 1e-6);
	CHECK(isnan(f.slope.df));
	CHECK_REL(f.slope.conf_low, f.slope.estimate - 1.959963984540054 * f.slope.std_error, 1e-12);
	CHECK(poisson_trend(t, y, 5, 1, 0.95, &f) == GLM_OK);
	CHECK_REL(f.slope.std_error, 0.037934425786626452, 1e-6);
	CHECK_REL(f.intercept.std_error, 76.001975932843407691, 1e-6);

	double z[] = { 0, 0, 0 };
	CHECK(poisson_trend(t, z, 3, -1, 0.95, &f) == GLM_ALL_ZERO);
	CHECK(isnan(f.slope.estimate));
	CHECK(poisson_trend(t, y, 1, -1, 0.95, &f) == GLM_TOO_FEW);
	double neg[] = { 1, -1, 2 };
	CHECK(poisson_trend(t, neg, 3, -1, 0.95, &f) == GLM_BAD_INPUT);
}

/* HC0 by hand: y = b x through the origin, x = (1, 2), y = (1, 3):
 * b = 7/5, residuals (-0.4, 0.2); bread 1/5, meat 0.16 + 0.16 = 0.32;
 * cluster of both (G = 1): no covariance; two clusters: 2 * 0.32/25 */
static void test_sandwich_hand(void)
{
	double bread = 0.2, score[2] = { 1 * -0.4, 2 * 0.2 }, cov;
	size_t one[2] = { 0, 0 }, two[2] = { 0, 1 };

	CHECK(sandwich_cluster(&bread, score, NULL, 2, 1, one, 1, &cov) == SANDWICH_TOO_FEW);
	CHECK(isnan(cov));
	CHECK(sandwich_cluster(&bread, score, NULL, 2, 1, two, 2, &cov) == SANDWICH_OK);
	CHECK_REL(cov, 2 * 0.32 / 25, 1e-15);
	CHECK(sandwich_hc(&bread, score, NULL, 2, 1, &cov) == SANDWICH_OK);
	CHECK_REL(cov, 2.0 / 1 * 0.32 / 25, 1e-15);
	/* lag 1: + (1 - 1/2) * 2 * (-0.4 * 0.4) = -0.16 */
	CHECK(sandwich_newey_west(&bread, score, NULL, 2, 1, 1, &cov) == SANDWICH_OK);
	CHECK_REL(cov, 2.0 * (0.32 - 0.16) / 25, 1e-15);
	double w[2] = { 1, 3 }, V[4] = { 4, 1, 1, 9 };
	/* (1*4 + 2*1*3*1 + 9*9) / 16 = 91/16 */
	CHECK_REL(sandwich_mean_se(V, w, 2), sqrt(91.0) / 4, 1e-15);

	/* G counts the clusters that hold a row, not the range of their numbers */
	size_t some[5] = { 3, 0, 3, 3, 0 };
	CHECK(fixef_levels(some, 5, 6) == 2);
	CHECK(fixef_levels(two, 2, 2) == 2 && fixef_levels(one, 2, 1) == 1);
	CHECK(fixef_levels(NULL, 0, 0) == 0);
}

/* a column that repeats another is aliased, as R leaves it NA */
static void test_aliased(void)
{
	double X[] = { 1, 0, 0,  1, 1, 1,  1, 2, 2,  1, 3, 3 }, y[] = { 1, 2, 4, 5 };
	struct glm_fit f;

	CHECK(glm_fit_dense(GLM_LINEAR, y, X, 4, 3, NULL, 0, &f) == GLM_OK);
	CHECK(!f.aliased[0] && !f.aliased[1] && f.aliased[2]);
	CHECK(isnan(f.coef[2]) && isnan(f.bread[2 * 3 + 2]));
	CHECK_REL(f.coef[1], 1.4, 1e-12);
	CHECK_REL(f.coef[0], 0.9, 1e-12);
	glm_fit_free(&f);
}

/* the sample rules, repeated: unit 4 has one observation; once it is gone
 * year 2003 is all zeros, and once that is gone unit 3 has one left */
static void test_sample_rules(void)
{
	struct panel_obs o[] = {
		{ 0, 0, 2001, PANEL_NEVER, 0, 3 }, { 0, 0, 2002, PANEL_NEVER, 0, 4 },
		{ 1, 1, 2001, PANEL_NEVER, 0, 5 }, { 1, 1, 2002, PANEL_NEVER, 0, 2 },
		{ 2, 2, 2001, PANEL_NEVER, 0, 0 }, { 2, 2, 2002, PANEL_NEVER, 0, 0 },
		{ 3, 3, 2002, PANEL_NEVER, 0, 6 }, { 3, 3, 2003, PANEL_NEVER, 0, 0 },
		{ 4, 4, 2003, PANEL_NEVER, 0, 8 },
	};
	struct panel_options opt = { GLM_POISSON, PANEL_INDEX, PANEL_BASE_FIRST, 0.95 };
	struct panel_result r;

	panel_estimate(o, 9, 5, 5, &opt, &r);
	CHECK(r.drops.single_units == 2);
	CHECK(r.drops.zero_units == 1);
	CHECK(r.drops.zero_years == 1);
	CHECK(r.drops.obs == 5);
	CHECK(r.n == 4 && r.years == 2 && r.G == 2);
	CHECK(r.nrows == 1 && r.row[0].lead == 2002);
	/* two units, two years: the index is the ratio of the year sums */
	CHECK_REL(r.row[0].t.estimate, 100.0 * 6 / 8, 1e-9);
	panel_result_free(&r);
}

/* poisson_its against R: glm(y ~ r * post, family = poisson) on pre 4,6,5
 * at r = -3..-1 and post 9,14,13,17 at r = 0,2,3,4 predicts 4.50834028938
 * at r = -3 and 16.66719999271 at r = 4 (post), and the pre line carried
 * on reaches exp(b0 + 4 b1) = 9.0893105855.  No post rows: D and D r are
 * aliased, NaN. */
static void test_poisson_its(void)
{
	struct its_obs o[] = {
		{ -3, 4, 0, 0 }, { -2, 6, 0, 1 }, { -1, 5, 0, 2 }, { 0, 9, 1, 3 },
		{ 2, 14, 1, 4 }, { 3, 13, 1, 5 }, { 4, 17, 1, 6 },
	};
	double b[ITS_TERMS];

	CHECK(poisson_its(o, 7, b) == GLM_OK);
	CHECK_REL(exp(b[0] - 3 * b[1]), 4.50834028938, 1e-10);
	CHECK_REL(exp(b[0] + b[2] + 4 * (b[1] + b[3])), 16.66719999271, 1e-10);
	CHECK_REL(exp(b[0] + 4 * b[1]), 9.0893105855, 1e-10);
	CHECK(poisson_its(o, 3, b) == GLM_OK);
	CHECK(isfinite(b[1]) && isnan(b[2]) && isnan(b[3]));
}

int main(void)
{
	unit_start();
	test_demean();
	test_absorbed_equals_dummies(GLM_POISSON);
	test_absorbed_equals_dummies(GLM_LINEAR);
	test_poisson_trend();
	test_sandwich_hand();
	test_aliased();
	test_sample_rules();
	test_poisson_its();
	return unit_summary();
}
