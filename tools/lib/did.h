/* Staggered difference-in-differences after Callaway & Sant'Anna (2021),
 * without covariates, with the conventions of R's did package (att_gt with
 * est_method "reg" and xformla ~1, then aggte), and a cluster bootstrap over
 * units for inference.
 *
 * Pure numerics: no I/O, no exit.  The caller passes a panel as arrays and
 * gets back every ATT(g,t), the event-time estimates, the overall
 * aggregations and a pre-trend test, each with a status the tool can print.
 *
 * Definitions (tt-toolkit(7), tt-event):
 *   years   the distinct years holding a non-missing outcome, sorted;
 *           "previous year" means the previous entry of that list.
 *   cohort  g = event year.  A unit with g <= first year is dropped (it has
 *           no untreated period; listed in did_result.dropped_early); a unit
 *           with g > last year counts as never treated.
 *   ATT(g,t) = mean over cohort g of (Y_t - Y_b) minus the same mean over the
 *           controls, each mean over the units observed at both t and b.
 *   base b  t >= g: the last year before g.  t < g: the previous year
 *           (varying; the first year has no cell) or the last year before g
 *           (universal; the cell t = b is 0 by construction, the reference).
 *   controls never: units never treated; notyet: those plus the units of
 *           cohorts g' > max(t, b), g' != g.
 *   weights cohort size = number of units of the cohort in the analysis
 *           (R's pg, the cohort share, up to a constant that cancels).
 *   event-time att(e) = sum_g size_g ATT(g, g+e) / sum_g size_g over the
 *           cohorts having a cell at e (aggte type "dynamic").
 *   att_simple  size-weighted mean of the post cells, 0 <= t-g <= hi
 *           (aggte "simple"; as in R the lower window end does not apply).
 *   att_group   per cohort the plain mean of its post cells 0 <= t-g <= hi,
 *           then the size-weighted mean over cohorts (aggte "group").
 *   att_dynamic mean of the event-time estimates with lo <= e <= hi, e >= 0.
 *   Cells that cannot be estimated (no treated or no control unit observed
 *   at t and b) are NaN, flagged, and left out of every aggregation (R's
 *   na.rm = TRUE).  So with notyet and no never-treated unit the cells from
 *   the last cohort's year on are empty; R's did instead drops those years
 *   and recodes the last cohort as never treated, which gives the same
 *   post-treatment estimates but no pre-period cells for that cohort.
 *
 * Inference: nonparametric cluster bootstrap.  Each replicate draws
 * n_units units with replacement (gsl_rng_mt19937 seeded with `seed`, so the
 * same seed gives the same numbers on any machine) and recomputes
 * everything above, cohort sizes included, from the drawn multiplicities.
 *   std_error   sample sd (n-1) of the replicates in which the statistic is
 *               defined (a replicate can leave a cell without controls).
 *   conf_low/high  normal interval estimate -/+ z * std_error,
 *               z = Phi^-1(1 - (1 - level)/2), as R did's pointwise CIs.
 *   band_low/high  simultaneous (sup-t) band, estimate -/+ c * std_error
 *               where c is the level-quantile (type 1, as did's mboot) of
 *               max_k |theta*_k - theta_k| / se_k over the family (all cells,
 *               all event times, or all cohorts of att_group); c is never
 *               below z.
 *   pretrend    Wald test that the event-time effects with e < 0 inside the
 *               window are all 0 (the universal reference event time, 0 by
 *               construction, is left out): W = theta' Sigma^-1 theta with
 *               Sigma the bootstrap covariance, df = number of effects,
 *               p = Q_chisq(W; df).  A singular Sigma is inverted on its
 *               range (SVD), df = its rank, and the status says so.
 *   pretrend_cells  the same over the pre-period ATT(g,t) cells: the test R
 *               did's att_gt prints ("P-value for pre-test of parallel
 *               trends assumption"), there with the analytic covariance.
 *
 * Other inference (did_options.se):
 *   influence function  of a statistic theta: psi_i = U * d theta / d m_i
 *               at m = 1 (U units in the analysis), the linearization R did
 *               computes.  For ATT(g,t) on the cell's units observed at t
 *               and b: psi_i = U/n_T (dY_i - mean_T dY) for a treated unit,
 *               -U/n_C (dY_i - mean_C dY) for a control, 0 otherwise.  For a
 *               size-weighted mean sum_k M_k theta_k / S (event time, simple,
 *               group): sum_k (M_k/S) psi_k + U sum_k [g_i = g_k](theta_k -
 *               theta)/S, the second sum being the influence of the
 *               estimated cohort shares (did's wif); plain means (a cohort's
 *               average, dynamic) average the influence functions.
 *   analytic    (did's bstrap = FALSE) se = sqrt(sum_i psi_i^2) / U, so for
 *               a cell se^2 = s2_T/n_T + s2_C/n_C with the variances divided
 *               by n.  Normal intervals; no bands; pretrend uses the
 *               covariance sum_i psi_i psi_i' / U^2.
 *   multiplier  (did's default, mboot) reps draws of unit weights v_i,
 *               Mammen's two-point law (1-k w.p. k/sqrt5, else k; k =
 *               (1+sqrt5)/2); theta* = theta + sum_i v_i psi_i / U.
 *               se = (q75 - q25)/(z75 - z25) of the draws (type-1
 *               quantiles); bands and pretrend from the draws as above.
 *   min_treated K  cells on fewer than K treated units (at the point
 *               estimate) keep their estimate but get no standard error and
 *               leave every aggregation (did_cell.thin).
 *   permute N   randomization inference: the cohort classes of the U units
 *               are permuted (gsl_rng_mt19937 seeded with `seed`; when the
 *               distinct assignments number at most N + 1 they are all
 *               enumerated instead) and every estimate recomputed as the
 *               point estimate would be for that assignment: over every
 *               cell of the window, each assignment leaving out the cells
 *               it leaves undefined or below min_treated.  p_perm =
 *               (1 + #{|T*| >= |T|}) / (N' + 1) over the N' permutations in
 *               which T* is defined (enumerated: #{|T*| >= |T|} / M over all
 *               M assignments, the actual one included).  T is the
 *               estimate; for pretrend the Wald statistic of the defined
 *               pre-period event-time effects with their analytic
 *               covariance, recomputed for each assignment.
 *   n_treated, n_control  of an aggregate: the distinct treated units in
 *               any of its cells, and the distinct control units.
 */
#ifndef TT_DID_H
#define TT_DID_H
#include <limits.h>
#include <stddef.h>

#include "inference.h"

enum did_control { DID_CONTROL_NOTYET, DID_CONTROL_NEVER };
enum did_base { DID_BASE_VARYING, DID_BASE_UNIVERSAL };
enum did_se { DID_SE_BOOTSTRAP, DID_SE_MULTIPLIER, DID_SE_ANALYTIC };

#define DID_NEVER 0               /* cohort of a never-treated unit */
#define DID_WINDOW_ALL_LO INT_MIN
#define DID_WINDOW_ALL_HI INT_MAX

/* Fatal statuses (did_result.status): no estimates. */
enum did_status {
	DID_OK = 0,
	DID_EINPUT,       /* unit index out of range (bad_obs names the row) */
	DID_EDUPLICATE,   /* a (unit, year) pair occurs twice (bad_obs, bad_obs2) */
	DID_EOPTIONS,     /* window lo > hi, reps < 0, level not in (0,1),
			     permute < 0, min_treated < 1 */
	DID_ENOYEARS,     /* fewer than two years with data */
	DID_ENOCOHORT,    /* no treated cohort left after the drops */
	DID_ENONEVER,     /* control never, but no never-treated unit */
	DID_ENOCELL,      /* not one ATT(g,t) has both treated and controls */
};

/* Warnings (bits of did_result.warnings): estimates exist, some caveat. */
enum did_warning {
	DID_WEMPTYCELL   = 1 << 0, /* some ATT(g,t) has no treated or no control */
	DID_WSMALLCOHORT = 1 << 1, /* a cohort has a single unit */
	DID_WWINDOW      = 1 << 2, /* no event time of the data is in the window */
	DID_WNOPRE       = 1 << 3, /* no pre-period effect: no pre-trend test */
	DID_WSINGULAR    = 1 << 4, /* pre-trend covariance singular, see df */
	DID_WBOOTNAN     = 1 << 5, /* some replicates left a statistic undefined */
	DID_WDROPEARLY   = 1 << 6, /* units treated in or before the first year */
	DID_WUNBALANCED  = 1 << 7, /* balance: units missing a year were dropped */
	DID_WNOPOST      = 1 << 8, /* no post cell in the window: no overall */
	DID_WNOVARIATION = 1 << 9, /* estimates on one unit a side: no standard error */
	DID_WTHIN        = 1 << 10, /* cells below min_treated left out */
};
#define DID_NWARNINGS 11

/* Why a cell is NaN (did_cell.empty). */
enum did_cell_empty { DID_CELL_OK, DID_CELL_NOTREATED, DID_CELL_NOCONTROL };

struct did_options {
	enum did_control control;   /* default notyet */
	enum did_base base;         /* default varying */
	int window_lo, window_hi;   /* relative years kept for aggregation */
	int balance;                /* drop units missing any year first */
	int reps;                   /* bootstrap replicates; 0 = none */
	enum did_se se;             /* default bootstrap */
	int min_treated;            /* K, default 1 */
	int permute;                /* permutations; 0 = none */
	unsigned long seed;
	double level;               /* confidence level, default 0.95 */
	/* called now and then during the bootstrap; may be NULL */
	void (*progress)(int done, int total, void *ctx);
	void *progress_ctx;
};

/* One observation per row; y NaN = missing (the row is ignored). */
struct did_panel {
	size_t n_obs;
	const int *unit;            /* 0 .. n_units-1 */
	const int *year;
	const double *y;
	size_t n_units;
	const int *cohort;          /* per unit: event year, DID_NEVER if none */
};

/* One estimate with its bootstrap inference.  Without bootstrap (reps 0)
 * everything but estimate and n is NaN.  `n` is documented per use below. */
struct did_estimate {
	/* statistic estimate / std_error (z), p two-sided on the standard
	 * normal, CI pointwise normal; df NaN */
	struct inference inf;
	double band_low, band_high; /* simultaneous over the family, or NaN */
	int n_boot;                 /* replicates in which it was defined */
	size_t n;
	size_t n_treated, n_control;
	double p_perm;              /* NaN without permutations */
};

struct did_cell {               /* one ATT(g,t); est.n = treated + controls */
	int cohort, year, base_year, rel_year;
	int post;                   /* year >= cohort */
	int reference;              /* universal base cell t = b, 0 by construction */
	int thin;                   /* below min_treated: no se, in no aggregate */
	enum did_cell_empty empty;
	size_t n_treated, n_control;
	struct did_estimate est;
};

struct did_event {              /* att(e); est.n = units of its cohorts */
	int rel_year;
	int reference;              /* every cell here is a reference cell */
	size_t n_cohorts;
	struct did_estimate est;
};

struct did_group {              /* one cohort's average post effect */
	int cohort;
	size_t size;                /* units; est.n likewise */
	size_t n_cells;
	struct did_estimate est;
};

struct did_wald {
	double statistic;           /* NaN when not computed */
	int df;
	double p_value;
	int singular;               /* covariance rank < number of effects */
	int n_boot;                 /* replicates used for the covariance */
	double p_perm;              /* NaN without permutations */
	size_t n_treated, n_control; /* units in its pre-period cells */
};

struct did_result {
	int status;                 /* enum did_status */
	unsigned warnings;          /* enum did_warning bits */
	size_t bad_obs, bad_obs2;   /* rows named by DID_EINPUT / DID_EDUPLICATE */

	size_t n_years;
	int first_year, last_year;
	size_t n_units;             /* units in the analysis */
	size_t n_never;             /* of which never treated */
	int *dropped_early;         /* caller's unit indices: treated in or before the first year */
	size_t n_dropped_early;
	int *dropped_unbalanced;    /* with balance: caller's units missing some year */
	size_t n_dropped_unbalanced;
	size_t n_unobserved;        /* units without any non-missing outcome */

	struct did_cell *cells;     /* by cohort, then year */
	size_t n_cells;
	struct did_event *events;   /* by rel_year, inside the window */
	size_t n_events;
	struct did_group *groups;   /* by cohort, those with a post cell */
	size_t n_groups;
	/* overall: est.n = units in the analysis */
	struct did_estimate simple, dynamic, group;
	struct did_wald pretrend, pretrend_cells;
	double crit_cells, crit_events, crit_groups; /* sup-t values used */
	int reps;                   /* replicates drawn */
	int n_perm;                 /* permutations drawn (or enumerated - 1) */
	int perm_exact;             /* all assignments enumerated */
	size_t n_thin;              /* cells below min_treated */
};

void did_options_init(struct did_options *o);

/* Fills *r (which the caller frees with did_result_free, whatever the
 * status) and returns r->status. */
int did_estimate(const struct did_panel *p, const struct did_options *o,
		 struct did_result *r);
void did_result_free(struct did_result *r);

/* "no never-treated units to serve as controls" etc.; never NULL */
const char *did_strerror(int status);
/* the message of one warning bit, e.g. DID_WEMPTYCELL; never NULL */
const char *did_warning_str(unsigned bit);
const char *did_cell_empty_str(enum did_cell_empty why);

#endif
