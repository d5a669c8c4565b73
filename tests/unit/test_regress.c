/* tools/lib/regress.c against NIST StRD certified values (Norris, Pontius,
 * NoInt1, NoInt2; files in tests/ref/nist, read at run time from the
 * repository root) and against R's lm and sandwich::NeweyWest
 * (tests/ref/regress_ref.h, written by tests/ref/regress.R). */
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>

#include "unit.h"
#include "regress.h"
#include "../ref/regress_ref.h"
#include "its_exact.h"

#define NIST_DIR "tests/ref/nist/"
#define NIST_REL 1e-7      /* NIST README: Norris, Pontius, NoInt1/2 */
#define R_REL 1e-9

static double worst_nist, worst_r;

static double rel_err(double got, double want)
{
	return fabs(got - want) / (fabs(want) > 0 ? fabs(want) : 1.0);
}

/* CHECK_REL, remembering the largest relative error seen in *worst */
#define NEAR(got, want, rel, worst) do { \
	double e_ = rel_err((got), (want)); \
	if (e_ > (worst) || isnan(e_)) (worst) = e_; \
	CHECK_REL((got), (want), (rel)); } while (0)

/* NIST data file "y,x" with a header line; returns the number of rows */
static size_t nist_data(const char *name, double *y, double *x, size_t cap)
{
	char path[256];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof path, NIST_DIR "csv/%s.csv", name);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return 0;
	(void)fscanf(f, "%*[^\n]");   /* header */
	while (n < cap && fscanf(f, " %lf,%lf", &y[n], &x[n]) == 2)
		n++;
	fclose(f);
	return n;
}

/* certified value `stat` of NIST set `name` (expected/<name>.csv) */
static double nist_cert(const char *name, const char *stat)
{
	char path[256], key[64];
	double v, found = NAN;
	FILE *f;

	snprintf(path, sizeof path, NIST_DIR "expected/%s.csv", name);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return NAN;
	(void)fscanf(f, "%*[^\n]");   /* header */
	while (fscanf(f, " %63[^,],%lf", key, &v) == 2)
		if (strcmp(key, stat) == 0)
			found = v;
	fclose(f);
	CHECK(!isnan(found));
	return found;
}

/* y on 1, x, ..., x^degree (or on x alone when intercept is 0) */
static void nist_fit(const char *name, int degree, int intercept)
{
	double y[64], x[64], X[64 * 3];
	size_t n = nist_data(name, y, x, 64);
	size_t k = (size_t)degree + (intercept ? 1 : 0);
	struct ols_fit fit;
	char stat[16];

	CHECK(n > k);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < k; j++)
			X[i * k + j] = pow(x[i], (double)j + (intercept ? 0 : 1));
	CHECK(ols(X, y, n, k, &fit) == REGRESS_OK);
	CHECK(fit.has_intercept == intercept);
	CHECK(fit.df == (double)(n - k));
	for (size_t j = 0; j < k; j++) {
		int power = (int)j + (intercept ? 0 : 1);

		snprintf(stat, sizeof stat, "B%d", power);
		NEAR(fit.coef[j], nist_cert(name, stat), NIST_REL, worst_nist);
		snprintf(stat, sizeof stat, "B%d_se", power);
		NEAR(sqrt(fit.cov[j * k + j]), nist_cert(name, stat), NIST_REL, worst_nist);
	}
	NEAR(fit.resid_sd, nist_cert(name, "resid_sd"), NIST_REL, worst_nist);
	NEAR(fit.r2, nist_cert(name, "r2"), NIST_REL, worst_nist);
	ols_fit_free(&fit);
}

/* Norris once more through the straight-line helper (centred internally) */
static void nist_norris_line(void)
{
	double y[64], x[64];
	size_t n = nist_data("Norris", y, x, 64);
	struct line_fit f;

	CHECK(ols_line(x, y, n, &f) == REGRESS_OK);
	NEAR(f.intercept, nist_cert("Norris", "B0"), NIST_REL, worst_nist);
	NEAR(f.se_intercept, nist_cert("Norris", "B0_se"), NIST_REL, worst_nist);
	NEAR(f.slope, nist_cert("Norris", "B1"), NIST_REL, worst_nist);
	NEAR(f.se_slope, nist_cert("Norris", "B1_se"), NIST_REL, worst_nist);
	NEAR(f.resid_sd, nist_cert("Norris", "resid_sd"), NIST_REL, worst_nist);
	NEAR(f.r2, nist_cert("Norris", "r2"), NIST_REL, worst_nist);
	CHECK(f.df == 34);
}

/* units in the last place between two doubles of the same sign */
static uint64_t ulps(double a, double b)
{
	int64_t ia, ib;

	memcpy(&ia, &a, sizeof ia);
	memcpy(&ib, &b, sizeof ib);
	return ia > ib ? (uint64_t)(ia - ib) : (uint64_t)(ib - ia);
}

/* its() and ols_line() against the estimators in exact arithmetic
 * (tests/ref/its_exact.py): every coefficient and standard error within 2
 * units in the last place,
 * and at least 95% of them the exactly rounded value.  (Through two SVDs,
 * as its() was once computed, 4% were exact and raw years lost 9 digits.) */
static void exact_its(void)
{
	size_t total = 0, exact = 0;
	uint64_t worst = 0;

	for (size_t g = 0; g < sizeof its_exact / sizeof its_exact[0]; g++) {
		const struct its_exact *c = &its_exact[g];
		struct its_fit f;

		CHECK(its(c->r, c->post, c->y, c->n, c->lag, 0.95, &f) == REGRESS_OK);
		for (int j = 0; j < ITS_TERMS; j++) {
			uint64_t ue = ulps(f.b[j].estimate, c->est[j]);
			uint64_t us = ulps(f.b[j].std_error, c->se[j]);

			CHECK(ue <= 2);
			CHECK(us <= 2);
			exact += (ue == 0) + (us == 0);
			total += 2;
			worst = ue > worst ? ue : worst;
			worst = us > worst ? us : worst;
		}
		{
			struct line_fit l;
			uint64_t u[4];

			CHECK(ols_line(c->r, c->y, c->n, &l) == REGRESS_OK);
			u[0] = ulps(l.intercept, c->line_est[0]);
			u[1] = ulps(l.slope, c->line_est[1]);
			u[2] = ulps(l.se_intercept, c->line_se[0]);
			u[3] = ulps(l.se_slope, c->line_se[1]);
			for (int j = 0; j < 4; j++) {
				CHECK(u[j] <= 2);
				exact += u[j] == 0;
				total++;
				worst = u[j] > worst ? u[j] : worst;
			}
		}
	}
	CHECK(total == 480);
	CHECK(exact >= total * 95 / 100);
	printf("its and ols_line against exact arithmetic: %zu of %zu exactly rounded, worst %llu ulp\n",
	       exact, total, (unsigned long long)worst);
}

static void r_its(const struct its_ref *c)
{
	struct its_fit f;
	int rc = its(c->rel, c->post, c->y, c->n, c->lag, c->level, &f);

	CHECK(rc == REGRESS_OK);
	CHECK(f.n == c->n && f.lag == c->lag);
	CHECK(f.n_pre + f.n_post == c->n && f.n_pre >= 3 && f.n_post >= 3);
	for (int j = 0; j < ITS_TERMS; j++) {
		const struct inference *b = &f.b[j];

		NEAR(b->estimate, c->est[j], R_REL, worst_r);
		NEAR(b->std_error, c->se[j], R_REL, worst_r);
		if (j == ITS_INTERCEPT) {       /* the intercept has no test */
			CHECK(isnan(b->statistic) && isnan(b->p_value));
		} else {
			NEAR(b->statistic, c->t[j], R_REL, worst_r);
			NEAR(b->p_value, c->p[j], R_REL, worst_r);
		}
		NEAR(b->conf_low, c->lo[j], R_REL, worst_r);
		NEAR(b->conf_high, c->hi[j], R_REL, worst_r);
		CHECK(b->df == c->df);
	}
	NEAR(f.r2, c->r2, R_REL, worst_r);
	NEAR(f.resid_sd, c->resid_sd, R_REL, worst_r);
}

/* ref: intercept, slope, se_i, se_s, cov, resid_sd, r2, df, t, p, lo, hi */
static void r_line(const double *x, const double *y, size_t n, const double *ref)
{
	struct line_fit f;
	double t, q;

	CHECK(ols_line(x, y, n, &f) == REGRESS_OK);
	NEAR(f.intercept, ref[0], R_REL, worst_r);
	NEAR(f.slope, ref[1], R_REL, worst_r);
	NEAR(f.se_intercept, ref[2], R_REL, worst_r);
	NEAR(f.se_slope, ref[3], R_REL, worst_r);
	NEAR(f.cov_intercept_slope, ref[4], R_REL, worst_r);
	NEAR(f.resid_sd, ref[5], R_REL, worst_r);
	NEAR(f.r2, ref[6], R_REL, worst_r);
	CHECK(f.df == ref[7]);
	t = f.slope / f.se_slope;
	q = inference_t_crit(0.95, f.df);
	NEAR(t, ref[8], R_REL, worst_r);
	NEAR(inference_t_p_two_sided(t, f.df), ref[9], R_REL, worst_r);
	NEAR(f.slope - q * f.se_slope, ref[10], R_REL, worst_r);
	NEAR(f.slope + q * f.se_slope, ref[11], R_REL, worst_r);
}

/* Newey-West on lm(y ~ year) with uncentred years */
static void r_newey_west_line(void)
{
	const double *want[] = { nw_line_lag0, nw_line_lag1, nw_line_lag2, nw_line_lag3 };
	size_t n = sizeof line_x / sizeof line_x[0];
	double X[2 * 16], cov[4];
	struct ols_fit fit;

	for (size_t i = 0; i < n; i++) {
		X[2 * i] = 1;
		X[2 * i + 1] = line_x[i];
	}
	CHECK(ols(X, line_y, n, 2, &fit) == REGRESS_OK);
	for (size_t lag = 0; lag < 4; lag++) {
		CHECK(newey_west(X, fit.resid, n, 2, lag, cov) == REGRESS_OK);
		for (int j = 0; j < 4; j++)
			NEAR(cov[j], want[lag][j], R_REL, worst_r);
	}
	ols_fit_free(&fit);

	/* intercept column second and equal to 2 */
	for (size_t i = 0; i < n; i++) {
		X[2 * i] = line_x[i];
		X[2 * i + 1] = 2;
	}
	CHECK(ols(X, line_y, n, 2, &fit) == REGRESS_OK);
	CHECK(fit.has_intercept);
	CHECK(newey_west(X, fit.resid, n, 2, 2, cov) == REGRESS_OK);
	for (int j = 0; j < 4; j++)
		NEAR(cov[j], nw_two_lag2[j], R_REL, worst_r);
	ols_fit_free(&fit);

	/* no intercept column */
	for (size_t i = 0; i < n; i++)
		X[i] = line_x[i] - 1990;
	CHECK(ols(X, line_y, n, 1, &fit) == REGRESS_OK);
	CHECK(!fit.has_intercept);
	NEAR(fit.coef[0], nw_noint_lag2[0], R_REL, worst_r);
	CHECK(newey_west(X, fit.resid, n, 1, 2, cov) == REGRESS_OK);
	NEAR(cov[0], nw_noint_lag2[1], R_REL, worst_r);
	ols_fit_free(&fit);
}

static void r_default_lag(void)
{
	for (size_t n = 1; n <= 200; n++)
		CHECK(newey_west_default_lag(n) == (size_t)default_lag_ref[n - 1]);
	/* 4 (512)^(2/9) = 16 exactly; R's floor of pow() gives 15 */
	CHECK(newey_west_default_lag(51200) == 16);
	CHECK(newey_west_default_lag(51199) == 15);
	CHECK(newey_west_default_lag(0) == 0);
}

/* hand-worked: df 1 is Cauchy, df 2 has F(t) = 1/2 + t / (2 sqrt(t^2 + 2)) */
static void t_helpers(void)
{
	double p = 0.975;

	CHECK_REL(inference_t_crit(0.95, 1), tan(acos(-1.0) * 0.475), 1e-12);
	CHECK_REL(inference_t_crit(0.95, 2), (2 * p - 1) / sqrt(2 * p * (1 - p)), 1e-12);
	CHECK_REL(inference_t_p_two_sided(1, 1), 0.5, 1e-14);
	CHECK_REL(inference_t_p_two_sided(-1, 1), 0.5, 1e-14);
	CHECK_REL(inference_t_p_two_sided(3, 2), 1 - 3 / sqrt(11.0), 1e-12);
	CHECK_REL(inference_t_p_two_sided(0, 7), 1, 1e-15);
	CHECK(isnan(inference_t_p_two_sided(NAN, 5)));
	CHECK(isnan(inference_t_p_two_sided(1, 0)));
	CHECK(isnan(inference_t_crit(1, 5)));
	CHECK(isnan(inference_t_crit(0.95, -1)));
}

/* the edge rules of inference.h: se 0, NaN, no df; t against z */
static void inference_edges(void)
{
	struct inference r;

	inference_t(&r, 3, 1, 2, 0.95);        /* t = 3 on 2 df, as t_helpers */
	CHECK(r.statistic == 3 && r.df == 2);
	CHECK_REL(r.p_value, 1 - 3 / sqrt(11.0), 1e-12);
	CHECK_REL(r.conf_high - 3, inference_t_crit(0.95, 2), 1e-15);
	inference_z(&r, 3, 1, 0.95);
	CHECK(isnan(r.df) && r.statistic == 3);
	CHECK_REL(r.p_value, inference_z_p_two_sided(3), 1e-15);
	CHECK_REL(r.conf_low, 3 - inference_z_crit(0.95), 1e-15);
	inference_t(&r, 3, 0, 5, 0.95);        /* an exact fit */
	CHECK(r.std_error == 0 && r.df == 5 && isnan(r.statistic) &&
	      isnan(r.p_value) && r.conf_low == 3 && r.conf_high == 3);
	inference_t(&r, 3, NAN, 5, 0.95);
	CHECK(r.estimate == 3 && r.df == 5 && isnan(r.statistic) &&
	      isnan(r.conf_low) && isnan(r.conf_high));
	inference_t(&r, 3, 1, NAN, 0.95);      /* no df: no test, not a z test */
	CHECK(r.statistic == 3 && isnan(r.p_value) && isnan(r.conf_low));
	inference_t(&r, 3, 1, 0, 0.95);
	CHECK(r.df == 0 && isnan(r.p_value) && isnan(r.conf_high));
	inference_nan(&r);
	CHECK(isnan(r.estimate) && isnan(r.conf_high));
}

static void degenerate_ols(void)
{
	double X2[] = { 1, 2, 1, 2, 1, 2 };              /* two parallel columns */
	double Xsq[] = { 1, 1, 1, 3 };                   /* n = k = 2 */
	double Xl[] = { 1, 1, 1, 2, 1, 3, 1, 4 };
	double xonly[] = { 1, 2, 3 }, zero[] = { 0, 0, 0 };
	double y3[] = { 1, 2, 4 }, y2[] = { 5, 9 }, yc[] = { 7, 7, 7, 7 };
	double ynan[] = { 1, NAN, 3 };
	struct ols_fit f;

	CHECK(ols(X2, y3, 3, 0, &f) == REGRESS_BAD_INPUT);
	ols_fit_free(&f);
	CHECK(ols(xonly, ynan, 3, 1, &f) == REGRESS_BAD_INPUT);
	ols_fit_free(&f);
	CHECK(ols(Xl, y3, 1, 2, &f) == REGRESS_TOO_FEW);
	CHECK(isnan(f.coef[0]) && isnan(f.r2));
	ols_fit_free(&f);
	CHECK(ols(X2, y3, 3, 2, &f) == REGRESS_SINGULAR);
	CHECK(isnan(f.coef[0]) && isnan(f.coef[1]) && isnan(f.cov[0]));
	ols_fit_free(&f);

	/* 5 = a + b, 9 = a + 3b: a = 3, b = 2, no df for the variance */
	CHECK(ols(Xsq, y2, 2, 2, &f) == REGRESS_NO_DF);
	CHECK_REL(f.coef[0], 3, 1e-14);
	CHECK_REL(f.coef[1], 2, 1e-14);
	CHECK(isnan(f.cov[0]) && isnan(f.resid_sd));
	CHECK_REL(f.r2, 1, 1e-14);
	ols_fit_free(&f);

	CHECK(ols(Xl, yc, 4, 2, &f) == REGRESS_CONSTANT_Y);
	CHECK(f.coef[0] == 7 && f.coef[1] == 0);
	CHECK(f.cov[0] == 0 && f.cov[3] == 0 && f.resid_sd == 0);
	CHECK(isnan(f.r2));
	ols_fit_free(&f);

	/* without an intercept only an all-zero y is "constant" */
	CHECK(ols(xonly, zero, 3, 1, &f) == REGRESS_CONSTANT_Y);
	CHECK(f.coef[0] == 0 && f.cov[0] == 0 && isnan(f.r2));
	ols_fit_free(&f);
	CHECK(ols(xonly, yc, 3, 1, &f) == REGRESS_OK);
	CHECK(f.has_intercept == 0);
	CHECK_REL(f.coef[0], 7 * 6 / 14.0, 1e-14);  /* sum xy / sum x^2 */
	ols_fit_free(&f);
}

static void degenerate_line(void)
{
	double x[] = { 2001, 2002, 2003, 2004 }, xc[] = { 5, 5, 5, 5 };
	double y[] = { 10, 14, 13, 20 }, yc[] = { 3, 3, 3, 3 };
	double xinf[] = { 1, INFINITY, 3 };
	struct line_fit f;

	CHECK(ols_line(x, y, 0, &f) == REGRESS_TOO_FEW);
	CHECK(ols_line(x, y, 1, &f) == REGRESS_TOO_FEW);
	CHECK(isnan(f.slope) && isnan(f.intercept));
	CHECK(ols_line(xinf, y, 3, &f) == REGRESS_BAD_INPUT);
	CHECK(ols_line(xc, y, 4, &f) == REGRESS_SINGULAR);
	CHECK(isnan(f.slope) && isnan(f.se_slope));
	{
		/* every value a double, the line's numbers not: NaN and a status */
		double big[] = { 1.7e308, -1.7e308, 1.7e308, -1.7e308, 1.7e308, -1.7e308 };
		double r[] = { -3, -2, -1, 0, 1, 2 }, post[] = { 0, 0, 0, 1, 1, 1 };
		struct its_fit g;

		CHECK(ols_line(x, big, 4, &f) == REGRESS_OVERFLOW);
		CHECK(isnan(f.slope) && isnan(f.intercept) && isnan(f.se_slope) && isnan(f.r2));
		CHECK(its(r, post, big, 6, 1, 0.95, &g) == REGRESS_OVERFLOW);
		for (int j = 0; j < ITS_TERMS; j++)
			CHECK(isnan(g.b[j].estimate) && isnan(g.b[j].std_error));
		CHECK_STR(regress_status_str(REGRESS_OVERFLOW),
			  "values too large (the fit's numbers overflow)");
	}

	/* two points: the line through them, no standard errors */
	CHECK(ols_line(x, y, 2, &f) == REGRESS_NO_DF);
	CHECK_REL(f.slope, 4, 1e-12);
	CHECK_REL(f.intercept, 10 - 4 * 2001.0, 1e-12);
	CHECK(isnan(f.se_slope) && isnan(f.se_intercept) && isnan(f.resid_sd));
	CHECK_REL(f.r2, 1, 1e-12);
	CHECK(f.df == 0);

	CHECK(ols_line(x, yc, 4, &f) == REGRESS_CONSTANT_Y);
	CHECK(f.slope == 0 && f.intercept == 3);
	CHECK(f.se_slope == 0 && f.se_intercept == 0 && f.resid_sd == 0);
	CHECK(isnan(f.r2));
	CHECK(ols_line(x, yc, 2, &f) == REGRESS_NO_DF);
	CHECK(f.slope == 0 && f.intercept == 3 && isnan(f.se_slope));
}

static void degenerate_newey_west(void)
{
	double X[] = { 1, 1, 1, 2, 1, 3 }, Xs[] = { 1, 2, 1, 2, 1, 2 };
	double e[] = { 0.5, -1, 0.5 }, cov[4];

	CHECK(newey_west(X, e, 2, 2, 1, cov) == REGRESS_TOO_FEW);
	CHECK(isnan(cov[0]) && isnan(cov[3]));
	CHECK(newey_west(Xs, e, 3, 2, 1, cov) == REGRESS_SINGULAR);
	CHECK(isnan(cov[1]));
	CHECK(newey_west(X, e, 3, 0, 1, cov) == REGRESS_BAD_INPUT);
}

static void degenerate_its(void)
{
	double r[] = { -3, -2, -1, 0, 1, 2, 3 };
	double post[] = { 0, 0, 0, 1, 1, 1, 1 };
	double y[] = { 5, 6, 8, 12, 13, 15, 16 }, yc[] = { 4, 4, 4, 4, 4, 4, 4 };
	double rsame[] = { -1, -1, -1, 0, 1, 2, 3 };
	double bad[] = { 0, 0, 0, 0.5, 1, 1, 1 };
	struct its_fit f;

	/* 2 pre only */
	CHECK(its(r + 1, post + 1, y + 1, 6, 1, 0.95, &f) == REGRESS_TOO_FEW);
	CHECK(f.n_pre == 2 && f.n_post == 4);
	CHECK(isnan(f.b[ITS_LEVEL].estimate) && isnan(f.b[ITS_SLOPE].p_value));
	/* 2 post only */
	CHECK(its(r, post, y, 5, 1, 0.95, &f) == REGRESS_TOO_FEW);
	CHECK(its(r, bad, y, 7, 1, 0.95, &f) == REGRESS_BAD_INPUT);
	CHECK(its(r, post, y, 7, 1, 1.0, &f) == REGRESS_BAD_INPUT);
	CHECK(its(rsame, post, y, 7, 1, 0.95, &f) == REGRESS_SINGULAR);
	CHECK(isnan(f.b[ITS_PRE_SLOPE].estimate));

	/* constant series: reported, exactly, with zero standard errors */
	CHECK(its(r, post, yc, 7, 2, 0.95, &f) == REGRESS_CONSTANT_Y);
	CHECK(f.b[ITS_INTERCEPT].estimate == 4);
	for (int j = ITS_PRE_SLOPE; j < ITS_TERMS; j++) {
		CHECK(f.b[j].estimate == 0 && f.b[j].std_error == 0);
		CHECK(isnan(f.b[j].statistic) && isnan(f.b[j].p_value));
		CHECK(f.b[j].conf_low == 0 && f.b[j].conf_high == 0);
		CHECK(f.b[j].df == 3);
	}
	CHECK(isnan(f.r2));
}

/* its_obs_sort: by rel_year, ties in input order; its_obs_fit on rows
 * given out of order is its() on the sorted arrays, bit for bit */
static void its_observations(void)
{
	struct its_obs o[] = {
		{ 2, 14.38, 1, 0 }, { -3, 4.23, 0, 1 }, { -1, 5.17, 0, 2 }, { -2, 6.91, 0, 3 },
		{ 0, 9.74, 1, 4 }, { 4, 17.65, 1, 5 }, { 1, 12.86, 1, 6 }, { -1, 5.5, 0, 7 },
	};
	double r[] = { -3, -2, -1, -1, 0, 1, 2, 4 }, post[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	double y[] = { 4.23, 6.91, 5.17, 5.5, 9.74, 12.86, 14.38, 17.65 };
	size_t n = sizeof o / sizeof o[0];
	struct its_fit a, b;

	its_obs_sort(o, n);
	for (size_t i = 0; i < n; i++)
		CHECK(o[i].rel == r[i] && o[i].post == post[i] && o[i].y == y[i]);
	CHECK(its_obs_fit(o, n, 1, 0.95, &a) == REGRESS_OK);
	CHECK(its(r, post, y, n, 1, 0.95, &b) == REGRESS_OK);
	for (int j = 0; j < ITS_TERMS; j++)
		CHECK(a.b[j].estimate == b.b[j].estimate && a.b[j].std_error == b.b[j].std_error);
	/* its_obs_add: the place is the count so far; a full group takes none */
	{
		struct its_obs *h = NULL;
		size_t m = 0, cap = 0, full = UINT32_MAX;

		CHECK(its_obs_add(&h, &m, &cap, -1, 0, 3.5) == 0 &&
		      its_obs_add(&h, &m, &cap, 0, 1, 4.5) == 0);
		CHECK(m == 2 && h[1].order == 1 && h[1].post == 1 && h[1].y == 4.5 && h[0].rel == -1);
		CHECK(its_obs_add(&h, &full, &cap, 1, 1, 5) == 1 && full == UINT32_MAX);
		free(h);
	}
}

int main(void)
{
	unit_start();
	nist_fit("Norris", 1, 1);
	nist_fit("Pontius", 2, 1);
	nist_fit("NoInt1", 1, 0);
	nist_fit("NoInt2", 1, 0);
	nist_norris_line();

	for (size_t i = 0; i < sizeof its_refs / sizeof its_refs[0]; i++)
		r_its(&its_refs[i]);
	exact_its();
	r_line(line_x, line_y, sizeof line_x / sizeof line_x[0], line_ref);
	{
		size_t n = sizeof loglin_x / sizeof loglin_x[0];
		double ly[16];

		for (size_t i = 0; i < n; i++)
			ly[i] = log(loglin_y[i]);
		r_line(loglin_x, ly, n, loglin_ref);
	}
	r_newey_west_line();
	r_default_lag();
	t_helpers();
	inference_edges();

	degenerate_ols();
	degenerate_line();
	degenerate_newey_west();
	degenerate_its();
	its_observations();
	/* every status has its words (a fit reports its data's problems; out
	 * of memory exits, as everywhere) */
	CHECK_STR(regress_status_str(REGRESS_BAD_INPUT), "invalid input");

	printf("largest relative error: NIST %.3g, R %.3g\n", worst_nist, worst_r);
	return unit_summary();
}
