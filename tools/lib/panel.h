/* Two-way fixed-effects panels of tt-panel (tt-panel(1) gives the
 * definitions for its users): the sample rules, the design of each
 * model, the fit (glm.h: the unit effect absorbed, one dummy per year but
 * the reference year), the cluster-robust covariance (sandwich.h) and the
 * terms derived from it.
 *
 *   linear:  y = alpha_unit + gamma_year + x'b + e      (OLS)
 *   poisson: E[y] = exp(alpha_unit + gamma_year + x'b)  (PPML)
 *   twfe:    x = post;                      terms post (and pct_post)
 *   etwfe:   x = one dummy per treated cohort-year cell (g, t), t >= g;
 *            terms att_gt per cell, att per t - g = e >= 0, att_simple
 *            (means of the cells weighted by their observations)
 *   index:   no x; term year_effect per year but the base year
 *
 * As R: glm(y ~ factor(unit) + factor(year) + x, family = poisson) (lm for
 * linear), sandwich::vcovCL(fit, cluster = ~cluster, type = "HC0",
 * cadjust = TRUE); z statistics for poisson, t on G - 1 df for linear.  For
 * poisson the estimates of att_gt, att and att_simple are percent effects
 * 100 (e^d - 1) with the CI transformed, their std_error and statistic on
 * the log scale d; year_effect is the index 100 e^(gamma_t - gamma_base)
 * likewise.  A cell collinear with the year effects (no control observed
 * in its year) is aliased: its row is empty and it leaves the means.  A
 * standard error below PANEL_EXACT_SE (1 + |estimate|) is rounding noise of
 * an exact fit (a cell of one unit's single observation, say): it is left
 * NaN, with the statistic, p-value and CI, and counted in `exact`.
 *
 * Pure numerics: no I/O; whatever is not estimated is NaN. */
#ifndef TT_PANEL_H
#define TT_PANEL_H
#include <stddef.h>

#include "glm.h"
#include "inference.h"

#define PANEL_NEVER (-2147483647 - 1)   /* cohort of a unit with no event */
#define PANEL_BASE_FIRST PANEL_NEVER    /* base year: the first in the sample */
/* more year (and cohort-year) effects than this would make the k x k
 * matrices of the fit too large: refused with a status, never an
 * allocation failure (the unit effects are absorbed, any number of them) */
#define PANEL_MAX_YEARS 1000
#define PANEL_EXACT_SE 1e-5

enum panel_model { PANEL_TWFE, PANEL_ETWFE, PANEL_INDEX };

enum panel_status {
	PANEL_OK = 0,
	PANEL_EMPTY = 100,     /* nothing left after the sample rules */
	PANEL_NO_BASE,         /* the base year is not in the sample */
	PANEL_TOO_MANY_YEARS,  /* more than PANEL_MAX_YEARS year and cell effects */
	PANEL_FEW_CLUSTERS,    /* fewer than 2 clusters: no standard errors */
	/* otherwise a glm_status */
};

const char *panel_status_str(int status);

struct panel_obs {
	size_t unit, cluster;  /* 0-based indexes */
	int year;
	int cohort;            /* event year, PANEL_NEVER when none */
	double post;           /* 0 or 1 (twfe) */
	double y;              /* not NaN */
};

struct panel_options {
	enum glm_family family;
	enum panel_model model;
	int base_year;         /* index: PANEL_BASE_FIRST or a year */
	double level;
};

/* what the sample rules left out, each counted once */
struct panel_drops {
	size_t single_units;   /* units with a single observation */
	size_t no_pre_units;   /* etwfe: treated units with no observation before the event */
	size_t zero_units;     /* poisson: units whose values are all 0 */
	size_t zero_years;     /* poisson: years whose values are all 0 */
	size_t zero_cells;     /* poisson etwfe: treated cohort-year cells of zeros */
	size_t obs;            /* observations left out by the rules above */
};

enum panel_term { PANEL_POST, PANEL_PCT_POST, PANEL_ATT_GT, PANEL_ATT, PANEL_ATT_SIMPLE,
		  PANEL_YEAR_EFFECT };
extern const char *const panel_term_name[];

struct panel_row {
	enum panel_term term;
	int lead;              /* att, att_gt: rel_year; year_effect: the year */
	int has_lead;
	int cohort, year;      /* att_gt: the cell */
	int aliased;           /* att_gt, post: not identified */
	struct inference t;    /* df NaN for poisson */
};

struct panel_result {
	int status;
	size_t n, G, units, years;   /* estimation sample */
	int base_year;
	struct panel_drops drops;
	struct panel_row *row;
	size_t nrows;
	size_t aliased_cells;
	int post_aliased;      /* twfe: post not identified (constant within every unit) */
	size_t exact;          /* rows whose standard error is 0 but for rounding: left NaN */
	int iterations;
};

/* Fits one panel.  o holds n observations (any order); units and
 * clusters count the index ranges.  Rows: twfe post[, pct_post]; etwfe att
 * (by rel_year), att_simple, then att_gt (by cohort, year); index
 * year_effect by year.  Free with panel_result_free. */
int panel_estimate(const struct panel_obs *o, size_t n, size_t units, size_t clusters,
		   const struct panel_options *opt, struct panel_result *res);
void panel_result_free(struct panel_result *res);

#endif
