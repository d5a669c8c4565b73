/* The segmented interrupted time series (regress.h its()) in closed form.
 *
 * y = b0 + b1 r + b2 D + b3 D r is the same model as one straight line
 * before the event and one after: each segment's least-squares line comes
 * from its own centred sums, and b2, b3 are the differences of the two
 * lines at r = 0.  Centred within each segment, the design
 *   z_t = (1 - D, (1 - D)(r - rbar_pre), D, D (r - rbar_post))
 * has orthogonal columns, so Z'Z = diag(n_pre, Sxx_pre, n_post, Sxx_post)
 * and the Newey-West sandwich needs no matrix inverse:
 *   cov_z = n/(n-4) D^-1 M D^-1,  M the Bartlett-weighted meat over z_t.
 * b = G theta carries it to the coefficients: cov_b = G cov_z G'.  This is
 * the estimator of ols() followed by newey_west() on [1, r, D, D r] (the
 * same numbers in exact arithmetic), without the two singular value
 * decompositions.  The sums are taken about each segment's own mean and
 * carried in long double (64-bit significands on x86-64, quadruple
 * precision where the platform has it), so the coefficients and standard
 * errors are the estimator's exact values rounded once: all 320 of the 40
 * series of tests/ref/its_exact.py (exact rational arithmetic); through
 * the SVDs 4% were, and on raw years some lost nine digits. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>


#include "alloc.h"
#include "describe.h"
#include "regress.h"

typedef long double real;

struct segment {
	size_t n;
	real rbar, ybar, sxx, syy, slope;
};

static int its_check(const double *r, const double *post, const double *y,
		     size_t n, double level, struct its_fit *fit)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(r[i]) || !isfinite(post[i]) || !isfinite(y[i]))
			return REGRESS_BAD_INPUT;
	if (!(level > 0 && level < 1))
		return REGRESS_BAD_INPUT;
	for (size_t i = 0; i < n; i++) {
		if (post[i] != 0 && post[i] != 1)
			return REGRESS_BAD_INPUT;
		if (post[i] == 1)
			fit->n_post++;
		else
			fit->n_pre++;
	}
	if (fit->n_pre < 3 || fit->n_post < 3)
		return REGRESS_TOO_FEW;
	return REGRESS_OK;
}

/* each segment's line (s[0] the rows whose post is 0, s[1] those whose
 * post is 1: its_check has seen no other), about its own means */
static int segment_fit(const double *r, const double *post, const double *y,
		       size_t n, struct segment s[2])
{
	real sr[2] = { 0, 0 }, sy[2] = { 0, 0 }, sxy[2] = { 0, 0 };

	for (int d = 0; d < 2; d++) {
		s[d].n = 0;
		s[d].sxx = s[d].syy = 0;
	}
	for (size_t i = 0; i < n; i++) {
		int d = post[i] == 1;

		sr[d] += r[i];
		sy[d] += y[i];
		s[d].n++;
	}
	for (int d = 0; d < 2; d++) {
		s[d].rbar = sr[d] / (real)s[d].n;
		s[d].ybar = sy[d] / (real)s[d].n;
	}
	for (size_t i = 0; i < n; i++) {
		int d = post[i] == 1;
		real dr = r[i] - s[d].rbar, dy = y[i] - s[d].ybar;

		s[d].sxx += dr * dr;
		s[d].syy += dy * dy;
		sxy[d] += dr * dy;
	}
	for (int d = 0; d < 2; d++) {
		if (!(s[d].sxx > 0) || !isfinite(s[d].sxx) || !isfinite(sxy[d]))
			return REGRESS_SINGULAR;      /* one year repeated, or overflow */
		s[d].slope = sxy[d] / s[d].sxx;
	}
	return REGRESS_OK;
}

/* The meat M = sum_j w_j sum_t e_t e_{t-j} (z_t z_{t-j}' + z_{t-j} z_t'),
 * rows in the order given (the lags count rows; j = 0 adds each z_t z_t'
 * twice with weight 1/2).  z_t holds 1 and c_t (the centred year) in its
 * segment's two places and 0 elsewhere, so a pair of rows t, u adds
 * k (1, c_t)'(1, c_u), k = w_j e_t e_u, to one 2 x 2 block (seg[t] is row
 * t's segment, 0 or 1) and its mirror:
 * the four sums of each pair of segments are kept, then placed, each into
 * both mirrored places, so M comes out symmetric to the bit. */
static void its_meat(const real *c, const real *e, const unsigned char *seg, size_t n,
		     size_t lag, real *m)
{
	real sum[2][2][4] = { { { 0 } } };   /* [seg t][seg u]: k, k c_u, k c_t, k c_t c_u */

	for (size_t j = 0; j <= lag && j < n; j++) {
		real w = j ? 1 - (real)j / ((real)lag + 1) : 0.5L;
		size_t t = j;

		/* by runs of rows whose pair of segments is the same (rows in
		 * time order: a few runs), the run's sums in registers */
		while (t < n) {
			int dt = seg[t], du = seg[t - j];
			real s0 = 0, s1 = 0, s2 = 0, s3 = 0;
			real *s = sum[dt][du];

			for (; t < n && seg[t] == dt && seg[t - j] == du; t++) {
				size_t u = t - j;
				real k = w * e[t] * e[u], kt = k * c[t];

				s0 += k;
				s1 += k * c[u];
				s2 += kt;
				s3 += kt * c[u];
			}
			s[0] += s0;
			s[1] += s1;
			s[2] += s2;
			s[3] += s3;
		}
	}
	for (int dt = 0; dt < 2; dt++)
		for (int du = 0; du < 2; du++)
			for (int a = 0; a < 2; a++)
				for (int b = 0; b < 2; b++) {
					real v = sum[dt][du][2 * a + b];

					m[(2 * dt + a) * ITS_TERMS + 2 * du + b] += v;
					m[(2 * du + b) * ITS_TERMS + 2 * dt + a] += v;
				}
}

int its(const double *r, const double *post, const double *y, size_t n,
	size_t lag, double level, struct its_fit *fit)
{
	struct segment s[2];
	real coef[ITS_TERMS], cov[ITS_TERMS * ITS_TERMS];
	real meat[ITS_TERMS * ITS_TERMS] = { 0 }, bread[ITS_TERMS];
	real sse = 0, tss, df, *c, *e;
	unsigned char *seg;
	int rc, constant;

	for (int j = 0; j < ITS_TERMS; j++)
		inference_nan(&fit->b[j]);
	fit->n = n;
	fit->n_pre = fit->n_post = 0;
	fit->lag = lag;
	fit->resid_sd = fit->r2 = NAN;
	rc = its_check(r, post, y, n, level, fit);
	if (rc != REGRESS_OK)
		return rc;
	if ((rc = segment_fit(r, post, y, n, s)) != REGRESS_OK)
		return rc;
	/* a constant series fits exactly: say so, not a rounding residue */
	constant = all_equal(y, n);
	if (constant)
		for (int d = 0; d < 2; d++) {
			s[d].ybar = y[0];
			s[d].slope = 0;
		}
	coef[ITS_INTERCEPT] = s[0].ybar - s[0].slope * s[0].rbar;
	coef[ITS_PRE_SLOPE] = s[0].slope;
	coef[ITS_LEVEL] = s[1].ybar - s[1].slope * s[1].rbar - coef[ITS_INTERCEPT];
	coef[ITS_SLOPE] = s[1].slope - s[0].slope;

	/* the centred years and the residuals */
	c = xmallocarray(n, 2 * sizeof *c + 1);
	e = c + n;
	seg = (unsigned char *)(e + n);
	for (size_t t = 0; t < n; t++) {
		int d = seg[t] = post[t] == 1;

		c[t] = r[t] - s[d].rbar;
		e[t] = constant ? 0 : y[t] - s[d].ybar - s[d].slope * c[t];
		sse += e[t] * e[t];
	}
	its_meat(c, e, seg, n, lag, meat);
	free(c);
	bread[0] = 1 / (real)s[0].n;
	bread[1] = 1 / s[0].sxx;
	bread[2] = 1 / (real)s[1].n;
	bread[3] = 1 / s[1].sxx;
	df = (real)n - ITS_TERMS;
	for (int a = 0; a < ITS_TERMS; a++)
		for (int b = a; b < ITS_TERMS; b++)
			cov[a * ITS_TERMS + b] = cov[b * ITS_TERMS + a] =
				meat[a * ITS_TERMS + b] * bread[a] * bread[b] *
				((real)n / df);
	{
		/* the total sum of squares from the segments' own */
		real ybar = (s[0].ybar * (real)s[0].n + s[1].ybar * (real)s[1].n) / (real)n;

		tss = 0;
		for (int d = 0; d < 2; d++)
			tss += s[d].syy + (real)s[d].n * (s[d].ybar - ybar) * (s[d].ybar - ybar);
	}
	{
		/* the rows of G: b from the centred segment coefficients */
		const real G[ITS_TERMS][ITS_TERMS] = {
			{ 1, -s[0].rbar, 0, 0 },
			{ 0, 1, 0, 0 },
			{ -1, s[0].rbar, 1, -s[1].rbar },
			{ 0, -1, 0, 1 },
		};

		for (int k = 0; k < ITS_TERMS; k++) {
			real v = 0;

			for (int a = 0; a < ITS_TERMS; a++)
				for (int b = 0; b < ITS_TERMS; b++)
					v += G[k][a] * cov[a * ITS_TERMS + b] * G[k][b];
			double est = (double)coef[k], se = (double)sqrtl(v);

			/* values near the largest double: the numbers overflow */
			if (!isfinite(est) || isinf(se) || !isfinite((double)tss)) {
				for (int j = 0; j < ITS_TERMS; j++)
					inference_nan(&fit->b[j]);
				return REGRESS_OVERFLOW;
			}
			(k == ITS_INTERCEPT ? inference_t_interval : inference_t)(
				&fit->b[k], est, se, (double)df, level);
		}
	}
	fit->r2 = tss > 0 ? (double)(1 - sse / tss) : NAN;
	fit->resid_sd = (double)sqrtl(sse / df);
	return constant ? REGRESS_CONSTANT_Y : REGRESS_OK;
}

int its_obs_add(struct its_obs **o, size_t *n, size_t *cap, double rel, double post,
		double y)
{
	if (*n >= UINT32_MAX)
		return 1;
	*o = xgrow(*o, cap, *n + 1, sizeof **o);
	(*o)[*n] = (struct its_obs){ rel, y, (float)post, (uint32_t)*n };
	++*n;
	return 0;
}

static int by_rel(const void *a, const void *b)
{
	const struct its_obs *p = a, *q = b;

	if (p->rel != q->rel)
		return p->rel < q->rel ? -1 : 1;
	return (p->order > q->order) - (p->order < q->order);
}

void its_obs_sort(struct its_obs *o, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (by_rel(&o[i - 1], &o[i]) > 0) {
			xqsort(o, n, sizeof *o, by_rel);
			return;
		}
}

int its_obs_fit(const struct its_obs *o, size_t n, size_t lag, double level,
		struct its_fit *fit)
{
	double *rel = xmallocarray(n ? n : 1, 3 * sizeof *rel), *post = rel + n, *y = post + n;
	int rc;

	for (size_t i = 0; i < n; i++) {
		rel[i] = o[i].rel;
		post[i] = o[i].post;
		y[i] = o[i].y;
	}
	rc = its(rel, post, y, n, lag, level, fit);
	free(rel);
	return rc;
}

/* the rows 1, r, D, D r */
void its_design(const struct its_obs *o, size_t n, double *X)
{
	for (size_t i = 0; i < n; i++) {
		double *row = X + i * ITS_TERMS;

		row[0] = 1;
		row[1] = o[i].rel;
		row[2] = o[i].post;
		row[3] = o[i].post * o[i].rel;
	}
}
