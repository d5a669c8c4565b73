/* Fixed effects absorbed by weighted demeaning (the Frisch-Waugh-Lovell
 * route): the coefficients of the other regressors, and their residuals,
 * are those of the regression with one dummy per level, without forming a
 * single dummy.  Memory is O(n + levels), whatever the number of levels.
 *
 * Pure numerics: no I/O. */
#ifndef TT_FIXEF_H
#define TT_FIXEF_H
#include <stddef.h>

/* Within-level weighted demeaning of v (n values, in place):
 *   v_i <- v_i - sum_{j in level(i)} w_j v_j / sum_{j in level(i)} w_j.
 * level[i] in 0..nlevels-1; w NULL for equal weights.  scratch holds
 * 2 * nlevels doubles.  A level whose weights sum to 0 is left as it is. */
void fixef_demean(double *v, size_t n, const size_t *level, size_t nlevels,
		  const double *w, double *scratch);

/* How many of the nlevels levels hold one of the n rows: the distinct
 * values of level[i], each in 0..nlevels-1 (a panel's units, the G
 * clusters of a cluster covariance). */
size_t fixef_levels(const size_t *level, size_t n, size_t nlevels);

#endif
