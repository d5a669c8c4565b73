/* Sandwich covariances of estimated coefficients from a bread B (k x k,
 * e.g. (X'WX)^-1) and the observations' scores s_i (n x k, e.g.
 * x_i (y_i - mu_i)): cov = factor * B M B with
 *
 *   hc:      M = sum_i s_i s_i'; factor n/(n-k) gives HC1
 *            (sandwich::vcovHC(fit, type = "HC1"));
 *   newey-west: M = sum_i s_i s_i' + sum_{j=1..lag} (1 - j/(lag+1))
 *            sum_{i>j} (s_i s_{i-j}' + s_{i-j} s_i'), rows in time order,
 *            factor n/(n-k): sandwich::NeweyWest(fit, lag, prewhite = FALSE,
 *            adjust = TRUE);
 *   cluster: M = sum_g S_g S_g', S_g the sum of the scores of cluster g,
 *            factor G/(G-1): sandwich::vcovCL(fit, cluster, type = "HC0",
 *            cadjust = TRUE).
 *
 * Columns flagged in `aliased` (may be NULL) are left out and their rows
 * and columns of cov are NaN.  Pure numerics, O(n k + G k + k^2) memory. */
#ifndef TT_SANDWICH_H
#define TT_SANDWICH_H
#include <stddef.h>

enum sandwich_status {
	SANDWICH_OK = 0,
	SANDWICH_TOO_FEW,  /* hc/newey-west n <= k, cluster G < 2: cov all NaN */
};

int sandwich_hc(const double *bread, const double *score, const int *aliased,
		size_t n, size_t k, double *cov);
int sandwich_newey_west(const double *bread, const double *score, const int *aliased,
			size_t n, size_t k, size_t lag, double *cov);
/* cluster[i] in 0..nclusters-1; G counts the clusters that hold a row */
int sandwich_cluster(const double *bread, const double *score, const int *aliased,
		     size_t n, size_t k, const size_t *cluster, size_t nclusters,
		     double *cov);

/* the same from the scores already summed by cluster: S (nrows x k), G
 * the number of clusters (glm_fit with clusters gives both) */
int sandwich_cluster_sums(const double *bread, const double *S, const int *aliased,
			  size_t nrows, size_t k, size_t G, double *cov);

/* sqrt(w' V w) / sum w for a weighted mean of coefficients (V k x k, w of
 * k weights, 0 where a coefficient takes no part); NaN when a weighted
 * coefficient's covariance is NaN or sum w is 0 */
double sandwich_mean_se(const double *cov, const double *w, size_t k);

#endif
