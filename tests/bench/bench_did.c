/* Speed check of the DiD bootstrap, not a test: a synthetic panel of 200
 * units x 25 years (2000-2024), a quarter never treated, the rest in ten
 * cohorts 2005..2023; 999 replicates, not-yet-treated controls, varying
 * base.  Prints the seconds for the balanced panel and for the same panel
 * with 5 % of the observations missing (the slower path for units with gaps).
 *
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Itools/lib tests/bench/bench_did.c \
 *      build/libtt.a -lcsv $(pkg-config --libs gsl) -lm -o build/bench_did
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "did.h"

enum { UNITS = 200, YEARS = 25, FIRST = 2000, REPS = 999 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double run(const struct did_panel *p, const char *what)
{
	struct did_options o;
	struct did_result r;

	did_options_init(&o);
	o.reps = REPS;
	o.seed = 1;
	double t0 = now();
	int st = did_estimate(p, &o, &r);
	double dt = now() - t0;
	printf("%s: %d units x %d years, %d cells, %d reps: %.3f s (status %d, att_simple %.4f se %.4f)\n",
	       what, UNITS, YEARS, (int)r.n_cells, REPS, dt, st,
	       r.simple.estimate, r.simple.std_error);
	did_result_free(&r);
	return dt;
}

int main(void)
{
	static int unit[UNITS * YEARS], year[UNITS * YEARS], cohort[UNITS];
	static double y[UNITS * YEARS];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t n = 0;

	gsl_rng_set(rng, 42);
	for (int u = 0; u < UNITS; u++) {
		cohort[u] = u < UNITS / 4 ? 0 : 2005 + 2 * (u % 10);
		double level = gsl_ran_gaussian(rng, 1);
		for (int t = 0; t < YEARS; t++) {
			int yr = FIRST + t;
			double effect = cohort[u] && yr >= cohort[u] ? 0.5 : 0;
			unit[n] = u;
			year[n] = yr;
			y[n++] = level + 0.05 * t + effect + gsl_ran_gaussian(rng, 0.3);
		}
	}
	struct did_panel p = { n, unit, year, y, UNITS, cohort };
	run(&p, "balanced");
	for (size_t i = 0; i < n; i++)
		if (gsl_rng_uniform(rng) < 0.05)
			y[i] = NAN;
	run(&p, "5% missing");
	gsl_rng_free(rng);
	return 0;
}
