#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "describe.h"
#include "fixef.h"
#include "glm.h"
#include "panel.h"
#include "sandwich.h"

const char *const panel_term_name[] = { "post", "pct_post", "att_gt", "att", "att_simple",
					"year_effect" };

const char *panel_status_str(int status)
{
	switch (status) {
	case PANEL_OK: return "ok";
	case PANEL_EMPTY: return "no observations left after the sample rules";
	case PANEL_NO_BASE: return "the base year is not in the sample";
	case PANEL_TOO_MANY_YEARS: return "more than 1000 year and cohort-year effects: too many to fit";
	case PANEL_FEW_CLUSTERS: return "fewer than 2 clusters: no standard errors";
	}
	return glm_status_str(status);
}

/* sorted distinct values of v (n), count in *m */
static int *distinct(const int *v, size_t n, size_t *m)
{
	int *d = xmallocarray(n, sizeof *d);

	memcpy(d, v, n * sizeof *d);
	*m = sort_unique_int(d, n);
	return d;
}

static size_t index_of(const int *sorted, size_t m, int v)
{
	size_t lo = 0, hi = m;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* a treated cohort-year cell: (cohort, year) with year >= cohort */
struct cell {
	int cohort, year;
};

static int cmp_cell(const void *a, const void *b)
{
	const struct cell *p = a, *q = b;
	if (p->cohort != q->cohort)
		return (p->cohort > q->cohort) - (p->cohort < q->cohort);
	return (p->year > q->year) - (p->year < q->year);
}

static int in_cell(const struct panel_obs *o)
{
	return o->cohort != PANEL_NEVER && o->year >= o->cohort;
}

/* the cells of the observations flagged alive, sorted; cell index per
 * observation (SIZE_MAX for none) into cidx */
static struct cell *find_cells(const struct panel_obs *o, size_t n, const char *alive,
			       size_t *nc, size_t *cidx)
{
	struct cell *c = xmalloc((n ? n : 1) * sizeof *c);
	size_t k = 0, m = 0;

	for (size_t i = 0; i < n; i++)
		if (alive[i] && in_cell(&o[i]))
			c[k++] = (struct cell){ o[i].cohort, o[i].year };
	xqsort(c, k, sizeof *c, cmp_cell);
	for (size_t i = 0; i < k; i++)
		if (m == 0 || cmp_cell(&c[i], &c[m - 1]) != 0)
			c[m++] = c[i];
	for (size_t i = 0; i < n; i++) {
		cidx[i] = SIZE_MAX;
		if (alive[i] && in_cell(&o[i])) {
			struct cell key = { o[i].cohort, o[i].year };
			size_t lo = 0, hi = m;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (cmp_cell(&c[mid], &key) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			cidx[i] = lo;
		}
	}
	*nc = m;
	return c;
}

/* One sweep of a rule over a grouping (unit, year or cell index per
 * observation): groups whose alive observations satisfy `drop` lose them.
 * Returns the number of groups dropped. */
enum rule { RULE_SINGLE, RULE_NO_PRE, RULE_ZERO };

static size_t sweep(const struct panel_obs *o, size_t n, char *alive, const size_t *gidx,
		    size_t ngroups, enum rule rule, size_t *obs_dropped)
{
	size_t *count = xcalloc(ngroups ? ngroups : 1, sizeof *count);
	char *keep = xcalloc(ngroups ? ngroups : 1, 1);
	size_t dropped = 0;

	for (size_t i = 0; i < n; i++) {
		size_t g = gidx[i];
		if (!alive[i] || g == SIZE_MAX)
			continue;
		count[g]++;
		if (rule == RULE_ZERO && o[i].y != 0)
			keep[g] = 1;
		if (rule == RULE_NO_PRE && (o[i].cohort == PANEL_NEVER || o[i].year < o[i].cohort))
			keep[g] = 1;
	}
	for (size_t g = 0; g < ngroups; g++) {
		if (rule == RULE_SINGLE)
			keep[g] = count[g] != 1;
		if (count[g] > 0 && !keep[g])
			dropped++;
	}
	for (size_t i = 0; i < n; i++)
		if (alive[i] && gidx[i] != SIZE_MAX && !keep[gidx[i]]) {
			alive[i] = 0;
			(*obs_dropped)++;
		}
	free(count);
	free(keep);
	return dropped;
}

/* the sample rules of tt-panel(1), repeated until none applies */
static void sample_rules(const struct panel_obs *o, size_t n, size_t units,
			 const struct panel_options *opt, char *alive, struct panel_drops *d)
{
	size_t *uidx = xmalloc((n ? n : 1) * sizeof *uidx);
	size_t *yidx = xmalloc((n ? n : 1) * sizeof *yidx);
	size_t *cidx = xmalloc((n ? n : 1) * sizeof *cidx);
	int *years = xmalloc((n ? n : 1) * sizeof *years), *ys;
	size_t ny, nc;
	struct cell *cells;
	int poisson = opt->family == GLM_POISSON, etwfe = opt->model == PANEL_ETWFE;

	for (size_t i = 0; i < n; i++) {
		uidx[i] = o[i].unit;
		years[i] = o[i].year;
	}
	ys = distinct(years, n, &ny);
	for (size_t i = 0; i < n; i++)
		yidx[i] = index_of(ys, ny, o[i].year);
	cells = find_cells(o, n, alive, &nc, cidx);
	for (;;) {
		size_t before = d->obs;
		d->single_units += sweep(o, n, alive, uidx, units, RULE_SINGLE, &d->obs);
		if (etwfe)
			d->no_pre_units += sweep(o, n, alive, uidx, units, RULE_NO_PRE, &d->obs);
		if (poisson) {
			d->zero_units += sweep(o, n, alive, uidx, units, RULE_ZERO, &d->obs);
			d->zero_years += sweep(o, n, alive, yidx, ny, RULE_ZERO, &d->obs);
		}
		if (poisson && etwfe)
			d->zero_cells += sweep(o, n, alive, cidx, nc, RULE_ZERO, &d->obs);
		if (d->obs == before)
			break;
	}
	free(uidx);
	free(yidx);
	free(cidx);
	free(years);
	free(ys);
	free(cells);
}

/* the estimate and CI of a log-scale term as a percent effect or index */
static void to_percent(struct inference *t, double add)
{
	t->estimate = 100 * (expm1(t->estimate) + add);
	t->conf_low = 100 * (expm1(t->conf_low) + add);
	t->conf_high = 100 * (expm1(t->conf_high) + add);
}

static struct panel_row *add_row(struct panel_result *r, size_t *cap, enum panel_term term)
{
	struct panel_row *row;

	r->row = xgrow(r->row, cap, r->nrows + 1, sizeof *r->row);
	row = &r->row[r->nrows++];
	memset(row, 0, sizeof *row);
	row->term = term;
	inference_nan(&row->t);
	return row;
}

/* the fitted sample: compact indexes of its units, years and cells */
struct design {
	size_t n, k, T, C, ref;
	int *years;
	struct cell *cells;
	size_t *cell_n;
	size_t *row, *col;      /* X as sparse rows (glm.h): at most 2 entries each */
	double *val, *y;
	size_t *unit, *cluster;
	size_t units, clusters, G;
};

static void design_free(struct design *d)
{
	free(d->years);
	free(d->cells);
	free(d->cell_n);
	free(d->row);
	free(d->col);
	free(d->val);
	free(d->y);
	free(d->unit);
	free(d->cluster);
}

static int build_design(const struct panel_obs *o, size_t n, const char *alive, size_t units,
			size_t clusters, const struct panel_options *opt, struct design *d)
{
	int *yr = xmalloc((n ? n : 1) * sizeof *yr);
	size_t *cidx = xmalloc((n ? n : 1) * sizeof *cidx), m = 0, p;
	char *has_control;

	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < n; i++)
		if (alive[i])
			yr[m++] = o[i].year;
	d->n = m;
	d->years = distinct(yr, m, &d->T);
	free(yr);
	d->cells = find_cells(o, n, alive, &d->C, cidx);
	if (opt->model != PANEL_ETWFE)
		d->C = 0;
	if (m == 0) {
		free(cidx);
		return PANEL_EMPTY;
	}
	if (d->T > PANEL_MAX_YEARS) {
		free(cidx);
		return PANEL_TOO_MANY_YEARS;
	}
	d->ref = 0;
	if (opt->model == PANEL_INDEX && opt->base_year != PANEL_BASE_FIRST) {
		d->ref = index_of(d->years, d->T, opt->base_year);
		if (d->ref == d->T || d->years[d->ref] != opt->base_year) {
			free(cidx);
			return PANEL_NO_BASE;
		}
	}
	p = opt->model == PANEL_TWFE ? 1 : opt->model == PANEL_ETWFE ? d->C : 0;
	d->k = d->T - 1 + p;
	if (d->k > PANEL_MAX_YEARS) {
		free(cidx);
		return PANEL_TOO_MANY_YEARS;
	}
	d->row = xmalloc((m + 1) * sizeof *d->row);
	d->col = xmalloc(2 * m * sizeof *d->col);
	d->val = xmalloc(2 * m * sizeof *d->val);
	d->y = xmalloc(m * sizeof *d->y);
	d->unit = xmalloc(m * sizeof *d->unit);
	d->cluster = xmalloc(m * sizeof *d->cluster);
	d->cell_n = xcalloc(d->C ? d->C : 1, sizeof *d->cell_n);
	d->units = units;
	d->clusters = clusters;
	/* a year whose observations all lie in treated cells has no
	 * comparison: its cells are not identified apart from the year effect
	 * (only their differences are), so they get no column -- a column of
	 * zeros, which the fit reports as aliased (empty, out of att) */
	has_control = xcalloc(d->T ? d->T : 1, 1);
	for (size_t i = 0; i < n; i++)
		if (alive[i] && cidx[i] == SIZE_MAX)
			has_control[index_of(d->years, d->T, o[i].year)] = 1;
	m = 0;
	d->row[0] = 0;
	for (size_t i = 0; i < n; i++) {
		size_t t, e;
		if (!alive[i])
			continue;
		e = d->row[m];
		t = index_of(d->years, d->T, o[i].year);
		/* year dummies first, as in y ~ factor(unit) + factor(year) + x */
		if (t != d->ref) {
			d->col[e] = t < d->ref ? t : t - 1;
			d->val[e++] = 1;
		}
		if (opt->model == PANEL_TWFE && o[i].post != 0) {
			d->col[e] = d->T - 1;
			d->val[e++] = o[i].post;
		}
		if (opt->model == PANEL_ETWFE && cidx[i] != SIZE_MAX && has_control[t]) {
			d->col[e] = d->T - 1 + cidx[i];
			d->val[e++] = 1;
			d->cell_n[cidx[i]]++;
		}
		d->row[m + 1] = e;
		d->y[m] = o[i].y;
		d->unit[m] = o[i].unit;
		d->cluster[m] = o[i].cluster;
		m++;
	}
	free(cidx);
	free(has_control);
	d->G = fixef_levels(d->cluster, m, clusters);
	return PANEL_OK;
}

/* a coefficient (or weighted mean of them) with its inference */
static void infer(struct panel_row *row, double est, double se, struct panel_result *r,
		  const struct panel_options *opt, double add)
{
	if (isnan(est)) {
		inference_nan(&row->t);
		return;
	}
	if (se < PANEL_EXACT_SE * (1 + fabs(est))) {
		se = NAN;
		r->exact++;
	}
	if (opt->family == GLM_LINEAR)
		inference_t(&row->t, est, se, (double)r->G - 1, opt->level);
	else
		inference_z(&row->t, est, se, opt->level);
	if (opt->family == GLM_POISSON && add >= 0)
		to_percent(&row->t, add);
}

static void etwfe_rows(struct panel_result *r, size_t *cap, const struct design *d,
		       const struct glm_fit *fit, const double *cov,
		       const struct panel_options *opt)
{
	double *w = xcalloc(d->k, sizeof *w);
	int lo = 0, hi = -1;

	for (size_t c = 0; c < d->C; c++) {
		int e = d->cells[c].year - d->cells[c].cohort;
		if (c == 0 || e < lo)
			lo = e;
		if (c == 0 || e > hi)
			hi = e;
	}
	/* att by rel_year, then att_simple (e = hi + 1 stands for all) */
	for (int e = lo; e <= hi + 1; e++) {
		double sw = 0, est = 0, se;
		size_t used = 0;
		memset(w, 0, d->k * sizeof *w);
		for (size_t c = 0; c < d->C; c++) {
			size_t j = d->T - 1 + c;
			if (e <= hi && d->cells[c].year - d->cells[c].cohort != e)
				continue;
			used++;
			if (fit->aliased[j])
				continue;
			w[j] = (double)d->cell_n[c];
			sw += w[j];
			est += w[j] * fit->coef[j];
		}
		if (used == 0)
			continue;
		struct panel_row *row = add_row(r, cap, e <= hi ? PANEL_ATT : PANEL_ATT_SIMPLE);
		row->lead = e;
		row->has_lead = e <= hi;
		se = sw > 0 ? sandwich_mean_se(cov, w, d->k) : NAN;
		infer(row, sw > 0 ? est / sw : NAN, se, r, opt, 0);
	}
	for (size_t c = 0; c < d->C; c++) {
		size_t j = d->T - 1 + c;
		struct panel_row *row = add_row(r, cap, PANEL_ATT_GT);
		row->cohort = d->cells[c].cohort;
		row->year = d->cells[c].year;
		row->lead = row->year - row->cohort;
		row->has_lead = 1;
		row->aliased = fit->aliased[j];
		infer(row, fit->coef[j], sqrt(cov[j * d->k + j]), r, opt, 0);
	}
	free(w);
}

static void make_rows(struct panel_result *r, const struct design *d, const struct glm_fit *fit,
		      const double *cov, const struct panel_options *opt)
{
	size_t cap = 0;

	if (opt->model == PANEL_TWFE) {
		size_t j = d->T - 1;
		struct panel_row *row = add_row(r, &cap, PANEL_POST);
		row->aliased = r->post_aliased = fit->aliased[j];
		infer(row, fit->coef[j], sqrt(cov[j * d->k + j]), r, opt, -1);
		if (opt->family == GLM_POISSON) {
			struct panel_row *pct = add_row(r, &cap, PANEL_PCT_POST);
			pct->t = r->row[0].t;
			to_percent(&pct->t, 0);
			pct->t.std_error = pct->t.statistic = pct->t.p_value = NAN;
		}
	} else if (opt->model == PANEL_ETWFE) {
		etwfe_rows(r, &cap, d, fit, cov, opt);
	} else {
		for (size_t t = 0; t < d->T; t++) {
			size_t j = t < d->ref ? t : t - 1;
			struct panel_row *row;
			if (t == d->ref)
				continue;
			row = add_row(r, &cap, PANEL_YEAR_EFFECT);
			row->lead = d->years[t];
			row->has_lead = 1;
			infer(row, fit->coef[j], sqrt(cov[j * d->k + j]), r, opt, 1);
		}
	}
	for (size_t i = 0; i < r->nrows; i++)
		if (r->row[i].aliased && r->row[i].term == PANEL_ATT_GT)
			r->aliased_cells++;
}

/* rows with nothing estimated, for a panel that has no fit */
static void empty_rows(struct panel_result *r, const struct design *d,
		       const struct panel_options *opt)
{
	size_t cap = 0;

	if (opt->model == PANEL_TWFE) {
		add_row(r, &cap, PANEL_POST);
		if (opt->family == GLM_POISSON)
			add_row(r, &cap, PANEL_PCT_POST);
	} else if (opt->model == PANEL_ETWFE) {
		add_row(r, &cap, PANEL_ATT_SIMPLE);
	} else if (d->T <= PANEL_MAX_YEARS) {
		for (size_t t = 0; t < d->T; t++) {
			struct panel_row *row;
			if (d->years[t] == r->base_year)
				continue;
			row = add_row(r, &cap, PANEL_YEAR_EFFECT);
			row->lead = d->years[t];
			row->has_lead = 1;
		}
	}
}

int panel_estimate(const struct panel_obs *o, size_t n, size_t units, size_t clusters,
		   const struct panel_options *opt, struct panel_result *r)
{
	char *alive = xmalloc(n ? n : 1);
	struct design d;
	struct glm_fit fit;
	double *cov;
	int rc;

	memset(r, 0, sizeof *r);
	memset(alive, 1, n ? n : 1);
	sample_rules(o, n, units, opt, alive, &r->drops);
	rc = build_design(o, n, alive, units, clusters, opt, &d);
	free(alive);
	r->n = d.n;
	r->G = d.G;
	r->units = d.unit ? fixef_levels(d.unit, d.n, units) : 0;
	r->years = d.T;
	r->base_year = d.ref < d.T ? d.years[d.ref] : 0;   /* d.ref = d.T: base year not in the sample */
	if (opt->model == PANEL_INDEX && opt->base_year != PANEL_BASE_FIRST)
		r->base_year = opt->base_year;
	if (rc != PANEL_OK) {
		r->status = rc;
		empty_rows(r, &d, opt);
		design_free(&d);
		return rc;
	}
	struct glm_design X = { d.n, d.k, d.row, d.col, d.val };
	rc = glm_fit(opt->family, d.y, &X, d.unit, units, d.cluster, clusters, &fit);
	r->iterations = fit.iterations;
	cov = xmalloc((d.k * d.k > 0 ? d.k * d.k : 1) * sizeof *cov);
	if (rc == GLM_OK) {
		if (sandwich_cluster_sums(fit.bread, fit.score, fit.aliased, clusters, d.k,
					  fit.clusters, cov) != SANDWICH_OK)
			rc = PANEL_FEW_CLUSTERS;
		make_rows(r, &d, &fit, cov, opt);
	} else {
		empty_rows(r, &d, opt);
	}
	r->status = rc;
	free(cov);
	glm_fit_free(&fit);
	design_free(&d);
	return rc;
}

void panel_result_free(struct panel_result *r)
{
	free(r->row);
	memset(r, 0, sizeof *r);
}
