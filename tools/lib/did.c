/* Callaway & Sant'Anna staggered DiD: did_estimate and the result it
 * fills.  See did_work.h for the files of the estimator and did.h for the
 * definitions. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>

#include "alloc.h"
#include "did.h"
#include "did_work.h"
#include "inference.h"

/* n_treated, n_control of an aggregate over cells idx[0..n) */
static void count_units(const struct did_work *w, const size_t *idx, size_t n,
			unsigned char *mark, struct did_estimate *e)
{
	memset(mark, 0, w->U);
	for (size_t i = 0; i < n; i++)
		for (size_t u = 0; u < w->U; u++) {
			int role = did_cell_role(w, idx[i], u);
			if (role)
				mark[u] |= (unsigned char)role;
		}
	e->n_treated = e->n_control = 0;
	for (size_t u = 0; u < w->U; u++) {
		e->n_treated += (mark[u] & 1) != 0;
		e->n_control += (mark[u] & 2) != 0;
	}
}

/* ------------------------------------------------------------------ */
/* Filling the result                                                   */

static void set_estimate(struct did_estimate *e, double est, double se,
			 int n_boot, double level, size_t n)
{
	inference_z(&e->inf, est, se, level);
	e->n_boot = n_boot;
	e->n = n;
	e->band_low = e->band_high = NAN;
	e->p_perm = NAN;
}

/* A bootstrap that resamples countries cannot vary a mean over one country:
 * an estimate that rests on a single treated or control unit, or whose
 * replicates never vary, has no standard error to report (not 0). */
static void no_error(struct did_estimate *e)
{
	e->inf.std_error = e->inf.statistic = e->inf.p_value = NAN;
	e->inf.conf_low = e->inf.conf_high = NAN;
}

static void set_band(struct did_estimate *e, double crit)
{
	if (isnan(crit) || isnan(e->inf.std_error))
		return;
	e->band_low = e->inf.estimate - crit * e->inf.std_error;
	e->band_high = e->inf.estimate + crit * e->inf.std_error;
}

static void fill_cells(const struct did_work *w, const double *est,
		       const double *se, const int *nb, double level,
		       struct did_result *r)
{
	r->n_cells = w->n_cells;
	r->cells = xcalloc(w->n_cells + 1, sizeof *r->cells);
	for (size_t k = 0; k < w->n_cells; k++) {
		const struct cell_plan *cp = &w->cells[k];
		struct did_cell *c = &r->cells[k];
		c->cohort = w->gyear[cp->cls];
		c->year = w->years[cp->ti];
		c->base_year = w->years[cp->bi];
		c->rel_year = c->year - c->cohort;
		c->post = c->year >= c->cohort;
		c->reference = cp->pair < 0;
		c->n_treated = (size_t)(w->tr_n[k] + 0.5);
		c->n_control = (size_t)(w->ct_n[k] + 0.5);
		if (isnan(est[k]))
			c->empty = w->tr_n[k] > 0 ? DID_CELL_NOCONTROL : DID_CELL_NOTREATED;
		set_estimate(&c->est, est[k], se[k], nb[k], level,
			     c->n_treated + c->n_control);
		c->est.n_treated = c->n_treated;
		c->est.n_control = c->n_control;
		c->thin = w->thin[k];
		if (c->thin) {
			no_error(&c->est);
			r->warnings |= DID_WTHIN;
			r->n_thin++;
		} else if (isnan(est[k]))
			r->warnings |= DID_WEMPTYCELL;
		else if (!c->reference && !isnan(se[k]) &&
			 (c->n_treated < 2 || c->n_control < 2 || se[k] == 0)) {
			no_error(&c->est);
			r->warnings |= DID_WNOVARIATION;
		}
	}
}

/* some cell of idx[0..n) rests on a single treated or control unit: no
 * method can measure that side's variance, so neither the cell's nor any
 * aggregate's standard error over it is known */
static int single_side(const struct did_work *w, const size_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = idx[i];
		if (w->cells[k].pair >= 0 && (w->tr_n[k] < 2 || w->ct_n[k] < 2))
			return 1;
	}
	return 0;
}

static void unknown_error(struct did_estimate *e, struct did_result *r)
{
	if (isnan(e->inf.std_error))
		return;
	no_error(e);
	r->warnings |= DID_WNOVARIATION;
}

/* n_treated, n_control of every aggregate */
static void fill_counts(const struct did_work *w, struct did_result *r)
{
	unsigned char *mark = xmalloc(w->U + 1);
	size_t *idx = xmalloc((w->n_cells + 1) * sizeof *idx), n = 0;

	for (size_t e = 0; e < w->ev.n; e++)
		count_units(w, w->ev.idx + w->ev.start[e], w->ev.start[e + 1] - w->ev.start[e],
			    mark, &r->events[e].est);
	for (size_t g = 0; g < w->grp.n; g++)
		count_units(w, w->grp.idx + w->grp.start[g], w->grp.start[g + 1] - w->grp.start[g],
			    mark, &r->groups[g].est);
	count_units(w, w->simple, w->n_simple, mark, &r->simple);
	count_units(w, w->grp.idx, w->grp.start[w->grp.n], mark, &r->group);
	for (size_t i = 0; i < w->dyn.start[1]; i++) {
		size_t e = w->dyn.idx[i];
		for (size_t j = w->ev.start[e]; j < w->ev.start[e + 1]; j++)
			idx[n++] = w->ev.idx[j];
	}
	count_units(w, idx, n, mark, &r->dynamic);
	if (single_side(w, idx, n))
		unknown_error(&r->dynamic, r);
	for (size_t e = 0; e < w->ev.n; e++)
		if (single_side(w, w->ev.idx + w->ev.start[e], w->ev.start[e + 1] - w->ev.start[e]))
			unknown_error(&r->events[e].est, r);
	for (size_t g = 0; g < w->grp.n; g++)
		if (single_side(w, w->grp.idx + w->grp.start[g], w->grp.start[g + 1] - w->grp.start[g]))
			unknown_error(&r->groups[g].est, r);
	if (single_side(w, w->simple, w->n_simple))
		unknown_error(&r->simple, r);
	if (single_side(w, w->grp.idx, w->grp.start[w->grp.n]))
		unknown_error(&r->group, r);
	n = 0;
	for (size_t e = 0; e < w->ev.n; e++)
		if (r->events[e].rel_year < 0 && !r->events[e].reference)
			for (size_t j = w->ev.start[e]; j < w->ev.start[e + 1]; j++)
				idx[n++] = w->ev.idx[j];
	struct did_estimate pre;
	count_units(w, idx, n, mark, &pre);
	r->pretrend.n_treated = pre.n_treated;
	r->pretrend.n_control = pre.n_control;
	free(idx);
	free(mark);
}

static void fill_aggregates(const struct did_work *w, const double *est,
			    const double *se, const int *nb, double level,
			    struct did_result *r)
{
	r->n_events = w->ev.n;
	r->events = xcalloc(w->ev.n + 1, sizeof *r->events);
	for (size_t e = 0; e < w->ev.n; e++) {
		struct did_event *ev = &r->events[e];
		size_t a = w->ev.start[e], b = w->ev.start[e + 1], n = 0;
		ev->rel_year = did_rel_of(w, w->ev.idx[a]);
		ev->n_cohorts = b - a;
		ev->reference = 1;
		for (size_t i = a; i < b; i++) {
			n += (size_t)(w->Mc[w->cells[w->ev.idx[i]].cls] + 0.5);
			ev->reference &= w->cells[w->ev.idx[i]].pair < 0;
		}
		size_t k = w->k_ev + e;
		set_estimate(&ev->est, est[k], se[k], nb[k], level, n);
		if (!ev->reference && se[k] == 0) {
			no_error(&ev->est);
			r->warnings |= DID_WNOVARIATION;
		}
	}
	r->n_groups = w->grp.n;
	r->groups = xcalloc(w->grp.n + 1, sizeof *r->groups);
	for (size_t g = 0; g < w->grp.n; g++) {
		struct did_group *gr = &r->groups[g];
		size_t a = w->grp.start[g];
		int c = w->cells[w->grp.idx[a]].cls;
		gr->cohort = w->gyear[c];
		gr->size = (size_t)(w->Mc[c] + 0.5);
		gr->n_cells = w->grp.start[g + 1] - a;
		size_t k = w->k_grp + g;
		set_estimate(&gr->est, est[k], se[k], nb[k], level, gr->size);
	}
	set_estimate(&r->simple, est[w->k_simple], se[w->k_simple],
		     nb[w->k_simple], level, w->U);
	set_estimate(&r->dynamic, est[w->k_dyn], se[w->k_dyn], nb[w->k_dyn], level, w->U);
	set_estimate(&r->group, est[w->k_group], se[w->k_group], nb[w->k_group], level, w->U);
	fill_counts(w, r);
	if (w->grp.n == 0)
		r->warnings |= DID_WNOPOST;
	if (w->ev.n == 0)
		r->warnings |= DID_WWINDOW;
}


/* the pre-period event times the pretrend test covers */
static size_t pre_events(const struct did_work *w, const struct did_result *r, size_t *idx)
{
	size_t n = 0;
	for (size_t e = 0; e < w->ev.n; e++)
		if (r->events[e].rel_year < 0 && !r->events[e].reference)
			idx[n++] = w->k_ev + e;
	return n;
}

/* sup-t bands for cells, events and cohorts (from draws only); the two
 * pre-trend tests */
static void fill_inference(struct did_work *w, const double *boot,
			   size_t R, const double *est, const double *se,
			   const struct did_options *o, double z, struct did_result *r)
{
	size_t *idx = xmalloc((w->K + 1) * sizeof *idx), n = 0;

	if (boot) {
		for (size_t k = 0; k < w->n_cells; k++)
			if (!isnan(est[k]) && w->cells[k].pair >= 0 && !w->thin[k])
				idx[n++] = k;
		r->crit_cells = did_supt_crit(boot, R, est, se, idx, n, o->level, z);
		for (size_t k = 0; k < w->n_cells; k++)
			set_band(&r->cells[k].est, r->crit_cells);

		n = 0;
		for (size_t e = 0; e < w->ev.n; e++)
			if (!r->events[e].reference)
				idx[n++] = w->k_ev + e;
		r->crit_events = did_supt_crit(boot, R, est, se, idx, n, o->level, z);
		for (size_t e = 0; e < w->ev.n; e++)
			set_band(&r->events[e].est, r->crit_events);

		n = 0;
		for (size_t g = 0; g < w->grp.n; g++)
			idx[n++] = w->k_grp + g;
		r->crit_groups = did_supt_crit(boot, R, est, se, idx, n, o->level, z);
		for (size_t g = 0; g < w->grp.n; g++)
			set_band(&r->groups[g].est, r->crit_groups);
	}

	n = pre_events(w, r, idx);
	if (n == 0)
		r->warnings |= DID_WNOPRE;
	if (o->se == DID_SE_BOOTSTRAP)
		did_pre_test(w, boot, R, est, idx, n, &r->pretrend);
	else
		did_pre_test_n1(w, est, idx, n, &r->pretrend);
	did_few_treated_p(&r->pretrend);
	if (r->pretrend.singular)
		r->warnings |= DID_WSINGULAR;

	n = 0;
	for (size_t k = 0; k < w->n_cells; k++)
		if (!isnan(est[k]) && !r->cells[k].post && w->cells[k].pair >= 0 &&
		    !w->thin[k])
			idx[n++] = k;
	did_pre_test(w, boot, R, est, idx, n, &r->pretrend_cells);
	free(idx);
}

/* standard errors; flags statistics some replicate left undefined */
static double *std_errors(const struct did_work *w, const double *boot,
			  size_t R, const double *est, int *nb,
			  struct did_result *r)
{
	double *se = xmalloc((w->K + 1) * sizeof *se);
	double *tmp = xmalloc((R + 1) * sizeof *tmp);

	for (size_t k = 0; k < w->K; k++) {
		se[k] = NAN;
		nb[k] = 0;
		if (R == 0)
			continue;
		se[k] = did_boot_sd(boot + k * R, R, tmp, &nb[k]);
		if (!isnan(est[k]) && nb[k] < (int)R)
			r->warnings |= DID_WBOOTNAN;
	}
	free(tmp);
	return se;
}

/* p_perm into the result: event times, the overall three, pretrend */
static void fill_perm(const struct did_work *w, const double *p, struct did_result *r)
{
	size_t n = 0;
	for (size_t e = 0; e < w->ev.n; e++, n++)
		if (!r->events[e].reference)
			r->events[e].est.p_perm = p[n];
	r->simple.p_perm = p[n++];
	r->dynamic.p_perm = p[n++];
	r->group.p_perm = p[n++];
	r->pretrend.p_perm = p[n];
}

int did_estimate(const struct did_panel *p, const struct did_options *o,
		 struct did_result *r)
{
	struct did_work w;
	double *est = NULL, *se = NULL, *boot = NULL, *pp = NULL;
	int *nb = NULL;
	size_t usable = 0, R = 0;

	memset(r, 0, sizeof *r);
	memset(&w, 0, sizeof w);
	r->pretrend.statistic = r->pretrend_cells.statistic = NAN;
	r->pretrend.p_value = r->pretrend_cells.p_value = NAN;
	r->pretrend.p_perm = r->pretrend_cells.p_perm = NAN;
	r->crit_cells = r->crit_events = r->crit_groups = NAN;
	r->status = did_check_options(o);
	if (!r->status)
		r->status = did_prepare(p, o, &w, r);
	if (r->status)
		goto out;

	est = did_point_estimate(&w, o, &usable);
	if (usable == 0)
		r->status = DID_ENOCELL;
	else if (o->se != DID_SE_ANALYTIC)
		R = (size_t)o->reps;
	int analytic = usable && o->se == DID_SE_ANALYTIC;
	if (usable && (o->se != DID_SE_BOOTSTRAP || o->permute > 0))
		did_influence(&w, est);
	nb = xcalloc(w.K + 1, sizeof *nb);
	if (R && o->se == DID_SE_BOOTSTRAP) {
		boot = did_bootstrap(&w, o);
		/* back to the point estimate's counts and cohort sizes */
		for (size_t u = 0; u < w.U; u++)
			w.mult[u] = 1;
		did_evaluate(&w, est);
		se = std_errors(&w, boot, R, est, nb, r);
	} else if (R) {
		boot = did_multiplier(&w, o, est);
		se = did_multiplier_se(&w, boot, R, est, nb);
	} else if (analytic) {
		se = did_analytic_se(&w, est);
	} else {
		se = std_errors(&w, NULL, 0, est, nb, r);
	}
	r->reps = (int)R;

	fill_cells(&w, est, se, nb, o->level, r);
	fill_aggregates(&w, est, se, nb, o->level, r);
	if (R || analytic)
		fill_inference(&w, boot, R, est, se, o, inference_z_crit(o->level), r);
	else
		for (size_t e = 0; e < w.ev.n; e++)
			if (r->events[e].rel_year < 0 && !r->events[e].reference)
				r->pretrend.df++;
	if (usable && o->permute > 0) {
		pp = did_permute(&w, o, r);
		fill_perm(&w, pp, r);
	}
out:
	free(est);
	free(se);
	free(nb);
	free(boot);
	free(pp);
	did_work_free(&w);
	return r->status;
}

void did_result_free(struct did_result *r)
{
	free(r->dropped_early);
	free(r->dropped_unbalanced);
	free(r->cells);
	free(r->events);
	free(r->groups);
	memset(r, 0, sizeof *r);
}
