/* tools/lib/synth.c: the simplex least-squares weights against hand-solved
 * optima (two donors in closed form, a treated unit inside the donors'
 * convex hull, ties) and against R's quadprog::solve.QP
 * (tests/ref/synth_ref.h, written by tests/ref/synth.R); the placebo rank
 * on a panel where every fit is known in closed form. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "synth.h"
#include "../ref/synth_ref.h"

#define R_ABS 1e-6

static double sum(const double *v, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* w1 = clamp(<y - x2, x1 - x2> / |x1 - x2|^2, 0, 1) */
static void two_donors(void)
{
	/* <(-1,-1,-1), (-2,-1,0)> / 5 = 3/5 */
	double X[] = { 1, 2, 3, 3, 3, 3 }, y[] = { 2, 2, 2 }, w[2];
	int tie = -1;
	CHECK(synth_weights(X, y, 3, 2, w, &tie) == 0);
	CHECK_REL(w[0], 0.6, 1e-12);
	CHECK_REL(w[1], 0.4, 1e-12);
	CHECK(tie == 0);
	/* below both donors: all weight on the nearer, x1 */
	double y2[] = { 0, 0, 0 };
	double X2[] = { 1, 1, 1, 2, 2, 3 };
	CHECK(synth_weights(X2, y2, 3, 2, w, &tie) == 0);
	CHECK(w[0] == 1 && w[1] == 0);
	CHECK(tie == 0);
	/* the nearer donor alone is not optimal: the start (x2, closer)
	 * must give way to a mix */
	double X3[] = { 0, 4, 4, 1, 1, 1 }, y3[] = { 1, 2, 2 };
	/* d = x1 - x2 = (-1,3,3), y - x2 = (0,1,1): w1 = 6/19 */
	CHECK(synth_weights(X3, y3, 3, 2, w, &tie) == 0);
	CHECK_REL(w[0], 6.0 / 19, 1e-12);
	CHECK_REL(w[1], 13.0 / 19, 1e-12);
}

/* y = 0.2 x1 + 0.5 x2 + 0.3 x3 exactly, with a fourth donor far off */
static void inside_hull(void)
{
	double X[4 * 5] = {
		1, 4, 2, 8, 5,
		3, 1, 6, 2, 7,
		9, 5, 1, 4, 2,
		20, 21, 25, 19, 30,
	};
	double y[5], w[4];
	int tie = -1;
	for (int t = 0; t < 5; t++)
		y[t] = 0.2 * X[t] + 0.5 * X[5 + t] + 0.3 * X[10 + t];
	CHECK(synth_weights(X, y, 5, 4, w, &tie) == 0);
	CHECK_REL(w[0], 0.2, 1e-10);
	CHECK_REL(w[1], 0.5, 1e-10);
	CHECK_REL(w[2], 0.3, 1e-10);
	CHECK(w[3] == 0);
	CHECK(tie == 0);
	for (int t = 0; t < 5; t++) {
		double fit = 0;
		for (int j = 0; j < 4; j++)
			fit += w[j] * X[j * 5 + t];
		CHECK(fabs(y[t] - fit) < 1e-12);
	}
}

static void ties(void)
{
	/* two donors with the same series: any split between them fits */
	double X[] = { 1, 2, 3, 1, 2, 3, 5, 5, 6 }, y[] = { 2, 3, 3 }, w[3];
	int tie = 0;
	CHECK(synth_weights(X, y, 3, 3, w, &tie) == 0);
	CHECK(tie == 1);
	CHECK_REL(sum(w, 3), 1, 1e-12);
	/* the fit is the same as with one of the two */
	double X1[] = { 1, 2, 3, 5, 5, 6 }, w1[2];
	int tie1 = 1;
	CHECK(synth_weights(X1, y, 3, 2, w1, &tie1) == 0);
	CHECK(tie1 == 0);
	CHECK_REL(w[0] + w[1], w1[0], 1e-10);
	CHECK_REL(w[2], w1[1], 1e-10);
	/* more donors than a 2-year pre-period can tell apart, y inside */
	double X2[] = { 0, 0, 4, 0, 0, 4, 4, 4 }, y2[] = { 2, 2 }, w2[4];
	CHECK(synth_weights(X2, y2, 2, 4, w2, &tie) == 0);
	CHECK(tie == 1);
	double f0 = 0, f1 = 0;
	for (int j = 0; j < 4; j++) {
		CHECK(w2[j] >= 0);
		f0 += w2[j] * X2[2 * j];
		f1 += w2[j] * X2[2 * j + 1];
	}
	CHECK(fabs(f0 - 2) < 1e-12 && fabs(f1 - 2) < 1e-12);
	/* one donor, and bad input */
	double one[] = { 3, 4 };
	CHECK(synth_weights(one, y2, 2, 1, w2, &tie) == 0 && w2[0] == 1 && tie == 0);
	CHECK(synth_weights(one, y2, 2, 0, w2, &tie) == -1);
	double nan_x[] = { 3, NAN };
	CHECK(synth_weights(nan_x, y2, 2, 1, w2, &tie) == -1);
}

static void against_r(void)
{
	double worst = 0;
	for (size_t k = 0; k < sizeof synth_refs / sizeof synth_refs[0]; k++) {
		const struct synth_ref *p = &synth_refs[k];
		double w[16];
		int tie = -1;
		CHECK(synth_weights(p->X, p->y, (size_t)p->n, (size_t)p->J, w, &tie) == 0);
		CHECK(tie == 0);
		for (int j = 0; j < p->J; j++) {
			CHECK(fabs(w[j] - p->w[j]) <= R_ABS);
			if (fabs(w[j] - p->w[j]) > worst)
				worst = fabs(w[j] - p->w[j]);
			CHECK(w[j] >= 0);
		}
		CHECK_REL(sum(w, (size_t)p->J), 1, 1e-12);
		for (int t = 0; t < p->n; t++) {
			double fit = 0;
			for (int j = 0; j < p->J; j++)
				fit += w[j] * p->X[j * p->n + t];
			CHECK(fabs(p->y[t] - fit - p->gap[t]) <= R_ABS);
			if (fabs(p->y[t] - fit - p->gap[t]) > worst)
				worst = fabs(p->y[t] - fit - p->gap[t]);
		}
	}
	printf("largest difference from quadprog (weights and gaps): %.3g\n", worst);
}

/* Where the optimum need not be unique (more donors than years, repeated
 * donors, whole-number scores as the 3P index has) there is nothing to
 * compare with quadprog, whose D must be positive definite: check the
 * optimality (KKT) conditions instead.  At w, with g_j = x_j'(Xw - y):
 * w on the simplex; g_j equal (= -mu) for every donor with a weight; and
 * g_j >= -mu for the others, so no move along the simplex lowers the sum
 * of squares.  And the sum of squares is at most that of every single
 * donor and of equal weights.  Deterministic draws (a fixed LCG). */
static unsigned long lcg = 12345;
static double draw(void)
{
	lcg = lcg * 6364136223846793005UL + 1442695040888963407UL;
	return (double)((lcg >> 11) & ((1UL << 53) - 1)) / 9007199254740992.0;
}

static double sse(const double *X, const double *y, const double *w, size_t n, size_t J)
{
	double s = 0;
	for (size_t t = 0; t < n; t++) {
		double f = 0;
		for (size_t j = 0; j < J; j++)
			f += w[j] * X[j * n + t];
		s += (y[t] - f) * (y[t] - f);
	}
	return s;
}

static void kkt_random(void)
{
	enum { MAXN = 14, MAXJ = 40 };
	double X[MAXN * MAXJ], y[MAXN], w[MAXJ], v[MAXJ];
	int bad = 0, ties_expected = 0;

	for (int rep = 0; rep < 400; rep++) {
		size_t n = 3 + (size_t)(draw() * 11), J = 2 + (size_t)(draw() * 38);
		int whole = rep % 2, tie;
		for (size_t i = 0; i < n * J; i++)
			X[i] = whole ? (double)(3 + (int)(draw() * 13)) : 10 * draw() + 0.3 * (double)(i % n);
		for (size_t t = 0; t < n; t++)
			y[t] = whole ? (double)(3 + (int)(draw() * 13)) : 12 * draw();
		if (rep % 5 == 0)     /* a repeated donor */
			memcpy(X + n, X, n * sizeof *X);
		if (synth_weights(X, y, n, J, w, &tie) != 0) {
			bad++;
			continue;
		}
		double sum = 0, xmax = 0, ymax = 0, mu = NAN, best = sse(X, y, w, n, J);
		for (size_t i = 0; i < n * J; i++)
			xmax = fmax(xmax, fabs(X[i]));
		for (size_t t = 0; t < n; t++)
			ymax = fmax(ymax, fabs(y[t]));
		double tol = 1e-8 * (double)n * xmax * (xmax + ymax);
		for (size_t j = 0; j < J; j++) {
			bad += w[j] < 0;
			sum += w[j];
		}
		bad += fabs(sum - 1) > 1e-12;
		double g[MAXJ];
		for (size_t j = 0; j < J; j++) {
			double r = 0;
			for (size_t t = 0; t < n; t++) {
				double f = 0;
				for (size_t k = 0; k < J; k++)
					f += w[k] * X[k * n + t];
				r += X[j * n + t] * (f - y[t]);
			}
			g[j] = r;
			if (w[j] > 0 && (isnan(mu) || g[j] < mu))
				mu = g[j];
		}
		for (size_t j = 0; j < J; j++) {
			bad += w[j] > 0 && fabs(g[j] - mu) > tol;
			bad += g[j] < mu - tol;
		}
		for (size_t j = 0; j < J; j++) {
			memset(v, 0, J * sizeof *v);
			v[j] = 1;
			bad += best > sse(X, y, v, n, J) * (1 + 1e-12) + 1e-12;
		}
		for (size_t j = 0; j < J; j++)
			v[j] = 1.0 / (double)J;
		bad += best > sse(X, y, v, n, J) * (1 + 1e-12) + 1e-12;
		/* a donor whose copy has a weight: weight can move between the
		 * two at no cost, which must be reported as a tie */
		if (rep % 5 == 0 && (w[0] > 0 || w[1] > 0)) {
			ties_expected++;
			bad += !tie;
		}
	}
	CHECK(ties_expected > 10);
	CHECK(bad == 0);
	if (bad)
		printf("  %d KKT violations in 400 random problems\n", bad);
}

/* Every unit's pre-period series is 5 plus a spike of 1 in a year of its
 * own (year 0 the treated unit's, year k donor k's), so a unit fitted from
 * m others gets weight 1/m on each, RMSPE_pre^2 = (1 + 1/m)/T0, and its
 * post gap is its value minus the others' mean.  J = 4, T0 = 5, two post
 * years at 5 + offset: offsets treated 10, donors 10, 0, 0, 0.
 *   treated: gap 10 - 2.5 = 7.5, RMSPE_pre = sqrt(1.25/5) = 0.5, ratio 15;
 *   donor 1: gap 10, RMSPE_pre = sqrt((4/3)/5), ratio 19.36...;
 *   donors 2-4: gap -10/3, ratio 6.45...
 * so one placebo is as extreme as the treated unit: p = 2/5. */
static void placebo_rank(void)
{
	enum { J = 4, T0 = 5, T = 7 };
	double y[T], X[J * T];
	double off[J] = { 10, 0, 0, 0 };
	for (int t = 0; t < T; t++)
		y[t] = t == 0 ? 6 : t < T0 ? 5 : 15;
	for (int j = 0; j < J; j++)
		for (int t = 0; t < T; t++)
			X[j * T + t] = t == j + 1 ? 6 : t < T0 ? 5 : 5 + off[j];
	struct synth_panel p = { T, T0, J, y, X };
	struct synth_result r;
	CHECK(synth_estimate(&p, &r) == SYNTH_OK);
	for (int j = 0; j < J; j++)
		CHECK_REL(r.w[j], 0.25, 1e-10);
	CHECK_REL(r.rmspe_pre, 0.5, 1e-10);
	CHECK_REL(r.rmspe_post, 7.5, 1e-10);
	CHECK_REL(r.ratio, 15, 1e-10);
	CHECK_REL(r.gap[T0], 7.5, 1e-10);
	CHECK_REL(r.placebo_ratio[0], 10 / sqrt(4.0 / 15), 1e-10);
	for (int j = 1; j < J; j++)
		CHECK_REL(r.placebo_ratio[j], (10.0 / 3) / sqrt(4.0 / 15), 1e-10);
	CHECK(r.n_as_extreme == 1);
	CHECK_REL(r.p_value, 0.4, 1e-12);
	CHECK(r.tie == 0 && r.n_exact_placebos == 0);
	/* sd of (6,5,5,5,5) = sqrt(0.2); 0.5 > 0.2 sqrt(0.2): a poor fit */
	CHECK_REL(r.sd_pre, sqrt(0.2), 1e-12);
	CHECK(r.poor_fit == 1);
	synth_result_free(&r);

	/* the treated unit alone jumps: nothing is as extreme, p = 1/5 */
	off[0] = 0;
	for (int t = T0; t < T; t++)
		X[t] = 5;
	CHECK(synth_estimate(&p, &r) == SYNTH_OK);
	CHECK(r.n_as_extreme == 0);
	CHECK_REL(r.p_value, 0.2, 1e-12);
	synth_result_free(&r);
}

static void statuses(void)
{
	double y[] = { 1, 2, 3, 4 }, X[] = { 1, 2, 3, 4, 2, 3, 4, 5 };
	struct synth_result r;
	struct synth_panel p = { 4, 2, 2, y, X };
	CHECK(synth_estimate(&p, &r) == SYNTH_ETOOFEW);
	synth_result_free(&r);
	p.T0 = 4;
	CHECK(synth_estimate(&p, &r) == SYNTH_ETOOFEW);     /* no post year */
	synth_result_free(&r);
	p.T0 = 3;
	p.J = 1;
	CHECK(synth_estimate(&p, &r) == SYNTH_ENODONOR);
	synth_result_free(&r);
	double c[] = { 2, 2, 2, 5 };
	struct synth_panel q = { 4, 3, 2, c, X };
	CHECK(synth_estimate(&q, &r) == SYNTH_ECONSTANT);
	CHECK(isnan(r.ratio) && isnan(r.p_value));
	synth_result_free(&r);
	/* an exact pre-period fit: the treated unit has no ratio */
	double e[] = { 1.5, 2.5, 3.5, 9 };
	struct synth_panel x = { 4, 3, 2, e, X };
	CHECK(synth_estimate(&x, &r) == SYNTH_OK);
	CHECK(r.rmspe_pre < 1e-12 && isnan(r.ratio) && isnan(r.p_value));
	synth_result_free(&r);
	CHECK_STR(synth_strerror(SYNTH_ECONSTANT), "the treated series is constant before the event");
}

/* synth_order: largest weight first; weights equal but for rounding keep
 * the donors' order */
static void order(void)
{
	const double w[] = { 0.1, 0.4, 0.1 + 1e-12, 0.4, 0.0 };
	size_t o[5];

	synth_order(w, 5, o);
	CHECK(o[0] == 1 && o[1] == 3 && o[2] == 0 && o[3] == 2 && o[4] == 4);
	synth_order(w, 0, o);
	CHECK(o[0] == 1);
}

int main(void)
{
	unit_start();
	two_donors();
	inside_hull();
	ties();
	against_r();
	kkt_random();
	placebo_rank();
	statuses();
	order();
	return unit_summary();
}
