#include <stdlib.h>
#include <string.h>

#include "alloc.h"
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

size_t fixef_levels(const size_t *level, size_t n, size_t nlevels)
{
	char *seen = xcalloc(nlevels ? nlevels : 1, 1);
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		m += !seen[level[i]];
		seen[level[i]] = 1;
	}
	free(seen);
	return m;
}
