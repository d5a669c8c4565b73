#include <string.h>

#include "fixef.h"

void fixef_demean(double *v, size_t n, const size_t *level, size_t nlevels,
		  const double *w, double *scratch)
{
	double *sw = scratch, *swv = scratch + nlevels;

	memset(scratch, 0, 2 * nlevels * sizeof *scratch);
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;
		sw[level[i]] += wi;
		swv[level[i]] += wi * v[i];
	}
	for (size_t g = 0; g < nlevels; g++)
		swv[g] = sw[g] > 0 ? swv[g] / sw[g] : 0;
	for (size_t i = 0; i < n; i++)
		v[i] -= swv[level[i]];
}

void fixef_demean_cols(double *X, size_t n, size_t k, const size_t *level,
		       size_t nlevels, const double *w, double *scratch)
{
	double *sw = scratch, *m = scratch + nlevels;

	if (k == 0)
		return;
	/* one pass per column keeps the scratch at 2 nlevels doubles */
	memset(sw, 0, nlevels * sizeof *sw);
	for (size_t i = 0; i < n; i++)
		sw[level[i]] += w ? w[i] : 1;
	for (size_t j = 0; j < k; j++) {
		memset(m, 0, nlevels * sizeof *m);
		for (size_t i = 0; i < n; i++)
			m[level[i]] += (w ? w[i] : 1) * X[i * k + j];
		for (size_t g = 0; g < nlevels; g++)
			m[g] = sw[g] > 0 ? m[g] / sw[g] : 0;
		for (size_t i = 0; i < n; i++)
			X[i * k + j] -= m[level[i]];
	}
}
