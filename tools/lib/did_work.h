/* The working state of the staggered DiD estimator, shared by its files
 * (private to them; tools use did.h):
 *   did_core.c   the panel as a units x years matrix, the cells, the
 *                aggregation plans, and one evaluation of every statistic
 *                for given unit multiplicities;
 *   did_infer.c  the unit bootstrap, the influence functions (analytic
 *                standard errors, the multiplier bootstrap), sup-t values
 *                and the pretrend's Wald test;
 *   did_perm.c   randomization inference (--permute);
 *   did.c        the result: did_estimate and the tables it fills.
 * Each file uses only those listed above it. */
#ifndef TT_DID_WORK_H
#define TT_DID_WORK_H

#include <stddef.h>

#include <gsl/gsl_matrix.h>

#include "did.h"

struct cell_plan {
	int cls;            /* cohort class 1..G */
	int ti, bi;         /* year indices of t and b */
	int pair;           /* index into the (t,b) pairs, -1 for a reference */
	int ctrl_from;      /* first cohort class among the not-yet-treated */
};

/* A list of cell indices per aggregate, stored back to back. */
struct index_lists {
	size_t n;
	size_t *start;      /* n + 1 offsets into idx */
	size_t *idx;
};

struct did_work {
	/* the panel after the drops */
	size_t U, T, G, C;  /* units, years, cohorts, classes (C = G + 1) */
	int *years;
	int *gyear;         /* per class; 0 for class 0, the never treated */
	int *gbase;         /* per class: year index of the last year < g */
	int *cls;           /* per unit */
	int *id;            /* per unit: index in the caller's panel */
	double *ymat;       /* U x T, each unit centred on its mean; NaN missing */
	unsigned char *complete;

	/* (t,b) pairs the cells use, and the units with gaps on them */
	size_t P;
	int *pair_of;       /* T x T -> pair or -1 */
	size_t n_inc;       /* units not observed every year */
	size_t *inc_unit, *inc_start;
	int *inc_pair;
	double *inc_d;

	struct cell_plan *cells;
	size_t n_cells;

	/* aggregation: events and groups list cells, dynamic lists events */
	struct index_lists ev, grp, dyn;
	size_t *simple;
	size_t n_simple;

	size_t K;           /* statistics per replicate */
	size_t k_ev, k_grp, k_simple, k_dyn, k_group;

	/* replicate scratch */
	double *Yc, *Nc, *Mc, *Pc, *Qc;
	double *tr_n, *ct_n; /* per cell: treated, control multiplicity */
	double *tr_mean, *ct_mean; /* per cell: mean change of each side */
	int *mult;

	unsigned char *thin; /* per cell: below min_treated */
	int skip_nan;        /* aggregations leave undefined cells out */
	int mask_below;      /* permutations: cells on fewer treated are undefined */
	double *inf;         /* U x K influence functions, inf[u * K + k] */
	int small_sample;    /* influence functions with cell variances over n - 1 */
	size_t *pre_idx;     /* the pretrend test's statistics (permutations) */
	double *pre_inf, *pre_dc; /* their influence functions, scratch */
	size_t *pc_start, *pc_u;  /* per cell of theirs: the units seen at t, b */
	double *pc_d;             /* and their changes Y_t - Y_b */
	size_t n_pre;
};


/* did_core.c */
int did_check_options(const struct did_options *o);
void did_evaluate(struct did_work *w, double *out);
int did_rel_of(const struct did_work *w, size_t k);
void did_plan_events(struct did_work *w, const double *att,
		     const struct did_options *o);
void did_plan_post(struct did_work *w, const double *att,
		   const struct did_options *o);
void did_plan_layout(struct did_work *w);
void did_work_free(struct did_work *w);
int did_prepare(const struct did_panel *p, const struct did_options *o,
		struct did_work *w, struct did_result *r);
double *did_point_estimate(struct did_work *w, const struct did_options *o,
			   size_t *usable);

/* did_infer.c */
double *did_bootstrap(struct did_work *w, const struct did_options *o);
double did_boot_sd(const double *b, size_t R, double *tmp, int *n_ok);
double did_supt_crit(const double *boot, size_t R, const double *est,
		     const double *se, const size_t *idx, size_t n,
		     double level, double z);
double did_pinv_quadform(gsl_matrix *S, const double *theta, int *rank);
double did_n1_scale(double n);
int did_cell_role(const struct did_work *w, size_t k, size_t u);
void did_influence(struct did_work *w, const double *est);
double *did_analytic_se(const struct did_work *w, const double *est);
double *did_multiplier(const struct did_work *w, const struct did_options *o,
		       const double *est);
double *did_multiplier_se(const struct did_work *w, const double *draws,
			  size_t R, const double *est, int *nb);
void did_pre_test(struct did_work *w, const double *boot, size_t R,
		  const double *est, const size_t *idx, size_t n,
		  struct did_wald *wt);
void did_few_treated_p(struct did_wald *wt);
void did_pre_test_n1(struct did_work *w, const double *est, const size_t *idx,
		     size_t n, struct did_wald *wt);

/* did_perm.c */
double *did_permute(struct did_work *w, const struct did_options *o,
		    struct did_result *r);

#endif
