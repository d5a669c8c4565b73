/* The synthetic control method of Abadie, Diamond & Hainmueller (2010),
 * outcome only, for tt-synth: weights on the simplex, the gaps they leave,
 * and placebo-in-space inference.
 *
 * Pure numerics: no I/O, no exit.  Series are arrays of T doubles, the
 * first T0 of them the pre-period (years before the event), the rest the
 * post-period; donor j's series is X[j*T .. j*T + T-1].
 *
 * Weights.  w minimises sum over the pre-period of (y_t - sum_j w_j x_jt)^2
 * subject to w_j >= 0 and sum_j w_j = 1, a quadratic programme that GSL
 * does not solve.  synth_weights is an exact active-set method (Lawson &
 * Hanson's NNLS, carried over to the simplex): it starts from the single
 * donor closest to y, adds the donor whose reduced gradient
 * g_j + mu = x_j'(Xw - y) + mu is most negative, solves the least squares
 * problem on the donors in the set with the sum constraint (a QR on the
 * differences from one of them), and steps back to the boundary when a
 * weight would turn negative.  A donor it adds is affinely independent of
 * those already in, so each subproblem has one solution.  It stops when
 * no reduced gradient is below -SYNTH_TOL times |x|max (|x|max + |y|max) T0,
 * which is the KKT condition to that relative tolerance; the weights are
 * then exact to about SYNTH_TOL times the condition of the subproblem.
 * Checked against R's quadprog::solve.QP (tests/ref/synth.R) to 1e-6.
 *
 * Ties.  The fitted pre-period series X w is unique (the objective is
 * strictly convex in it), but the weights need not be: when the donors with
 * a weight, together with those whose reduced gradient is 0 (to 1e-9
 * relative), are affinely dependent, other weight vectors give the same
 * fit.  The one reported is the one the method reaches (deterministic for
 * a given donor order), and the result says so (tie).  The post-period
 * synthetic values can then depend on the choice.
 *
 * Inference (placebo in space).  Each donor in turn is treated as if it
 * had had the event in the same year, with the other donors as its pool;
 * ratio = RMSPE_post / RMSPE_pre, and
 *   p = (1 + #{placebos whose ratio >= the treated unit's}) / (J + 1),
 * ratios compared to a relative 1e-9 so that equal ratios count as ties.
 * A unit whose pre-period RMSPE is 0 (to 1e-12 of its scale) has no ratio:
 * for the treated unit ratio and p are NaN; a placebo counts as at least
 * as extreme (an infinite ratio) and is counted in n_exact_placebos.
 *
 * Poor fit.  poor_fit is set when RMSPE_pre > SYNTH_POOR_FIT times the
 * sample sd (n - 1) of the treated unit's pre-period values: the gaps are
 * then mostly the fit's failure, not the event. */
#ifndef TT_SYNTH_H
#define TT_SYNTH_H
#include <stddef.h>

#define SYNTH_TOL 1e-10
#define SYNTH_POOR_FIT 0.2
#define SYNTH_MIN_PRE 3          /* fewest pre-period years */

enum synth_status {
	SYNTH_OK = 0,
	SYNTH_ETOOFEW,      /* T0 < SYNTH_MIN_PRE, or no post-period year */
	SYNTH_ENODONOR,     /* J < 2: no placebo distribution */
	SYNTH_ECONSTANT,    /* the treated unit's pre-period values are all equal */
	SYNTH_EINPUT,       /* NaN or infinite values */
};
const char *synth_strerror(int status);

/* Minimises |y - X w|^2 over the simplex; X holds J columns of n values
 * (X[j*n + t]).  w receives J weights.  Returns 0, or -1 for J = 0 or a
 * non-finite value.  *tie (when not NULL) is set to 1 when other weight
 * vectors give the same fit. */
int synth_weights(const double *X, const double *y, size_t n, size_t J, double *w, int *tie);

struct synth_panel {
	size_t T, T0, J;
	const double *y;     /* [T] the treated unit */
	const double *X;     /* [J*T] the donors */
};

struct synth_result {
	double *w;              /* [J] */
	double *synthetic;      /* [T] sum_j w_j x_jt */
	double *gap;            /* [T] y - synthetic */
	double rmspe_pre, rmspe_post, ratio, p_value;
	double sd_pre;          /* sample sd of y's pre-period values */
	size_t n_as_extreme;    /* placebos whose ratio >= the treated unit's */
	size_t n_exact_placebos;/* placebos with RMSPE_pre 0 (ratio infinite) */
	int tie, poor_fit;
	double *placebo_gap;    /* [J*T] donor j's gaps as a placebo */
	double *placebo_ratio;  /* [J] (INFINITY: exact pre-period fit) */
};

/* Fills *r (arrays allocated; free with synth_result_free, also after an
 * error).  Returns a synth_status. */
int synth_estimate(const struct synth_panel *p, struct synth_result *r);
void synth_result_free(struct synth_result *r);
/* The donors by weight, largest first, into order[J]; weights equal but
 * for rounding (to a relative 1e-9) keep the donors' order. */
void synth_order(const double *w, size_t J, size_t *order);

#endif
