#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "fixef.h"
#include "sandwich.h"

static int used(const int *aliased, size_t j)
{
	return !aliased || !aliased[j];
}

/* cov = factor * B M B over the columns in use */
static void assemble(const double *bread, const double *M, const int *aliased, size_t k,
		     double factor, double *cov)
{
	double *BM = xcalloc(k * k > 0 ? k * k : 1, sizeof *BM);

	for (size_t a = 0; a < k; a++)
		for (size_t c = 0; c < k; c++) {
			double v = 0;
			if (!used(aliased, a) || !used(aliased, c))
				continue;
			for (size_t d = 0; d < k; d++)
				if (used(aliased, d))
					v += bread[a * k + d] * M[d * k + c];
			BM[a * k + c] = v;
		}
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b < k; b++) {
			double v = 0;
			if (!used(aliased, a) || !used(aliased, b)) {
				cov[a * k + b] = NAN;
				continue;
			}
			for (size_t c = 0; c < k; c++)
				if (used(aliased, c))
					v += BM[a * k + c] * bread[c * k + b];
			cov[a * k + b] = factor * v;
		}
	free(BM);
}

static void nan_cov(double *cov, size_t k)
{
	for (size_t i = 0; i < k * k; i++)
		cov[i] = NAN;
}

/* M += w (a b' + b a'), or a a' when a == b and w == 1/2 */
static void add_outer(double *M, const double *a, const double *b, size_t k, double w)
{
	for (size_t j = 0; j < k; j++)
		for (size_t l = 0; l < k; l++)
			M[j * k + l] += w * (a[j] * b[l] + b[j] * a[l]);
}

int sandwich_newey_west(const double *bread, const double *score, const int *aliased,
			size_t n, size_t k, size_t lag, double *cov)
{
	double *M;

	if (n <= k) {
		nan_cov(cov, k);
		return SANDWICH_TOO_FEW;
	}
	M = xcalloc(k * k > 0 ? k * k : 1, sizeof *M);
	for (size_t i = 0; i < n; i++)
		add_outer(M, score + i * k, score + i * k, k, 0.5);
	for (size_t j = 1; j <= lag && j < n; j++) {
		double w = 1 - (double)j / (double)(lag + 1);
		for (size_t i = j; i < n; i++)
			add_outer(M, score + i * k, score + (i - j) * k, k, w);
	}
	assemble(bread, M, aliased, k, (double)n / (double)(n - k), cov);
	free(M);
	return SANDWICH_OK;
}

int sandwich_hc(const double *bread, const double *score, const int *aliased,
		size_t n, size_t k, double *cov)
{
	return sandwich_newey_west(bread, score, aliased, n, k, 0, cov);
}

int sandwich_cluster_sums(const double *bread, const double *S, const int *aliased,
			  size_t nrows, size_t k, size_t G, double *cov)
{
	double *M;

	if (G < 2) {
		nan_cov(cov, k);
		return SANDWICH_TOO_FEW;
	}
	M = xcalloc(k * k > 0 ? k * k : 1, sizeof *M);
	for (size_t g = 0; g < nrows; g++)
		add_outer(M, S + g * k, S + g * k, k, 0.5);
	assemble(bread, M, aliased, k, (double)G / (double)(G - 1), cov);
	free(M);
	return SANDWICH_OK;
}

int sandwich_cluster(const double *bread, const double *score, const int *aliased,
		     size_t n, size_t k, const size_t *cluster, size_t nclusters,
		     double *cov)
{
	double *S = xcalloc(nclusters * k > 0 ? nclusters * k : 1, sizeof *S);
	int rc;

	for (size_t i = 0; i < n; i++) {
		double *s = S + cluster[i] * k;
		for (size_t j = 0; j < k; j++)
			s[j] += score[i * k + j];
	}
	rc = sandwich_cluster_sums(bread, S, aliased, nclusters, k,
				   fixef_levels(cluster, n, nclusters), cov);
	free(S);
	return rc;
}

double sandwich_mean_se(const double *cov, const double *w, size_t k)
{
	double v = 0, sw = 0;

	for (size_t a = 0; a < k; a++) {
		if (w[a] == 0)
			continue;
		sw += w[a];
		for (size_t b = 0; b < k; b++)
			if (w[b] != 0)
				v += w[a] * cov[a * k + b] * w[b];
	}
	if (!(sw != 0) || isnan(v) || v < 0)
		return NAN;
	return sqrt(v) / sw;
}
