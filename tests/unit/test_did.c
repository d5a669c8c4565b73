/* Callaway & Sant'Anna DiD (tools/lib/did.c).
 *
 * References:
 *  - R did's published results for its mpdta example (tests/ref/mpdta/,
 *    see SOURCE.md there): every ATT(g,t) and every event-time and cohort
 *    aggregate to the 4 printed decimals; the bootstrap standard errors
 *    and band critical values only roughly (did uses a multiplier
 *    bootstrap, we resample units).
 *  - small panels worked by hand below, for not-yet-treated controls, the
 *    universal base period and an unbalanced panel.
 * Runs from the repository root. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "did.h"
#include "unit.h"

#define REF "tests/ref/mpdta/"

/* ---- the mpdta panel --------------------------------------------- */

struct panel_buf {
	int unit[4096], year[4096], cohort[1024];
	double y[4096];
	size_t n_obs, n_units;
	int ids[1024];
};

static int unit_of(struct panel_buf *b, int id)
{
	for (size_t i = 0; i < b->n_units; i++)
		if (b->ids[i] == id)
			return (int)i;
	b->ids[b->n_units] = id;
	return (int)b->n_units++;
}

/* year,countyreal,lpop,lemp,first.treat,treat */
static int read_mpdta(struct panel_buf *b)
{
	FILE *f = fopen(REF "mpdta.csv", "r");
	char line[512];

	memset(b, 0, sizeof *b);
	if (!f || !fgets(line, sizeof line, f))
		return -1;
	while (fgets(line, sizeof line, f)) {
		int year = atoi(strtok(line, ","));
		int id = atoi(strtok(NULL, ","));
		strtok(NULL, ",");
		double lemp = strtod(strtok(NULL, ","), NULL);
		int first = atoi(strtok(NULL, ","));
		int u = unit_of(b, id);
		b->unit[b->n_obs] = u;
		b->year[b->n_obs] = year;
		b->y[b->n_obs++] = lemp;
		b->cohort[u] = first;
	}
	fclose(f);
	return 0;
}

/* rows of a published table: first column an integer or "overall" (-9999) */
static size_t read_published(const char *name, double rows[][6], size_t ncol)
{
	FILE *f = fopen(name, "r");
	char line[256];
	size_t n = 0;

	if (!f || !fgets(line, sizeof line, f))
		return 0;
	while (fgets(line, sizeof line, f) && n < 16) {
		char *tok = strtok(line, ",\n");
		for (size_t c = 0; c < ncol && tok; c++) {
			rows[n][c] = strcmp(tok, "overall") == 0 ? -9999 : strtod(tok, NULL);
			tok = strtok(NULL, ",\n");
		}
		n++;
	}
	fclose(f);
	return n;
}

static struct did_panel as_panel(const struct panel_buf *b)
{
	struct did_panel p = { b->n_obs, b->unit, b->year, b->y, b->n_units, b->cohort };
	return p;
}

/* printed to 4 decimals: the exact value rounds to it */
static void check_4dp(double got, double want, const char *what, int a, int b)
{
	if (fabs(got - want) <= 0.5e-4 + 1e-12) {
		unit_pass++;
		return;
	}
	unit_fail++;
	printf("FAIL %s %d %d: %.6f, published %.4f\n", what, a, b, got, want);
}

/* bootstrap SE within 25 % of did's multiplier-bootstrap SE */
static void check_se(double got, double want, const char *what, int a, int b)
{
	if (fabs(got / want - 1) <= 0.25) {
		unit_pass++;
		return;
	}
	unit_fail++;
	printf("FAIL %s %d %d: se %.5f, published %.4f\n", what, a, b, got, want);
}

static void test_mpdta(void)
{
	static struct panel_buf b;
	struct did_options o;
	struct did_result r, r2;
	double gt[16][6], dyn[16][6], grp[16][6];

	CHECK(read_mpdta(&b) == 0);
	CHECK(b.n_units == 500 && b.n_obs == 2500);
	CHECK(read_published(REF "published_att_gt.csv", gt, 6) == 12);
	CHECK(read_published(REF "published_dynamic.csv", dyn, 5) == 8);
	CHECK(read_published(REF "published_group.csv", grp, 5) == 4);

	struct did_panel p = as_panel(&b);
	did_options_init(&o);
	o.control = DID_CONTROL_NEVER;
	o.base = DID_BASE_VARYING;
	o.reps = 999;
	o.seed = 20240501;
	CHECK(did_estimate(&p, &o, &r) == DID_OK);
	CHECK(r.warnings == 0);
	CHECK(r.n_units == 500 && r.n_never == 309 && r.n_years == 5);

	/* ATT(g,t): 3 cohorts x 2004..2007, in the published order */
	CHECK(r.n_cells == 12);
	for (size_t k = 0; k < 12 && k < r.n_cells; k++) {
		struct did_cell *c = &r.cells[k];
		CHECK(c->cohort == (int)gt[k][0] && c->year == (int)gt[k][1]);
		check_4dp(c->est.inf.estimate, gt[k][2], "att_gt", c->cohort, c->year);
		check_se(c->est.inf.std_error, gt[k][3], "att_gt", c->cohort, c->year);
		/* pre cells compare adjacent years, post cells the year before g */
		CHECK(c->base_year == (c->post ? c->cohort - 1 : c->year - 1));
	}
	/* cohort sizes: 2004 has 20 counties, never-treated 309 */
	CHECK(r.cells[0].n_treated == 20 && r.cells[0].n_control == 309);

	/* event time -3..3, then the overall (mean of e >= 0) */
	CHECK(r.n_events == 7);
	for (size_t e = 0; e < 7 && e < r.n_events; e++) {
		CHECK(r.events[e].rel_year == (int)dyn[e][0]);
		check_4dp(r.events[e].est.inf.estimate, dyn[e][1], "dynamic", (int)dyn[e][0], 0);
		check_se(r.events[e].est.inf.std_error, dyn[e][2], "dynamic", (int)dyn[e][0], 0);
	}
	check_4dp(r.dynamic.inf.estimate, dyn[7][1], "dynamic overall", 0, 0);
	check_se(r.dynamic.inf.std_error, dyn[7][2], "dynamic overall", 0, 0);
	/* the published overall interval is pointwise: estimate -/+ 1.96 se */
	CHECK(fabs((r.dynamic.inf.conf_high - r.dynamic.inf.conf_low) /
		   (dyn[7][4] - dyn[7][3]) - 1) < 0.25);

	CHECK(r.n_groups == 3);
	for (size_t g = 0; g < 3 && g < r.n_groups; g++) {
		CHECK(r.groups[g].cohort == (int)grp[g][0]);
		check_4dp(r.groups[g].est.inf.estimate, grp[g][1], "group", (int)grp[g][0], 0);
		check_se(r.groups[g].est.inf.std_error, grp[g][2], "group", (int)grp[g][0], 0);
	}
	check_4dp(r.group.inf.estimate, grp[3][1], "group overall", 0, 0);
	check_se(r.group.inf.std_error, grp[3][2], "group overall", 0, 0);

	/* simultaneous bands: did's critical value is half-width / se */
	double crit_gt = (gt[0][5] - gt[0][2]) / gt[0][3];
	double crit_ev = (dyn[0][4] - dyn[0][1]) / dyn[0][2];
	double crit_gr = (grp[0][4] - grp[0][1]) / grp[0][2];
	CHECK(fabs(r.crit_cells / crit_gt - 1) < 0.15);
	CHECK(fabs(r.crit_events / crit_ev - 1) < 0.15);
	CHECK(fabs(r.crit_groups / crit_gr - 1) < 0.15);
	CHECK(r.events[0].est.band_low < r.events[0].est.inf.conf_low);
	CHECK(r.crit_events >= 1.959963984540054);
	printf("mpdta: crit cells %.3f (did %.3f), events %.3f (did %.3f), groups %.3f (did %.3f)\n",
	       r.crit_cells, crit_gt, r.crit_events, crit_ev, r.crit_groups, crit_gr);

	/* pre-trend: did prints p = 0.16812 for its cell-level Wald test
	 * (5 pre cells, analytic covariance); ours uses the bootstrap one */
	CHECK(r.pretrend_cells.df == 5);
	CHECK(r.pretrend_cells.p_value > 0.08 && r.pretrend_cells.p_value < 0.35);
	CHECK(r.pretrend.df == 3 && !r.pretrend.singular);
	CHECK(r.pretrend.p_value > 0 && r.pretrend.p_value < 1);
	printf("mpdta: pre-test p cells %.4f (did 0.16812), event-time p %.4f (W %.3f, df %d)\n",
	       r.pretrend_cells.p_value, r.pretrend.p_value, r.pretrend.statistic, r.pretrend.df);

	/* simple: size-weighted mean of the post cells */
	double s = 0, m = 0;
	for (size_t k = 0; k < r.n_cells; k++)
		if (r.cells[k].post) {
			s += r.cells[k].n_treated * r.cells[k].est.inf.estimate;
			m += r.cells[k].n_treated;
		}
	CHECK_REL(r.simple.inf.estimate, s / m, 1e-12);

	/* the same seed gives the same numbers */
	CHECK(did_estimate(&p, &o, &r2) == DID_OK);
	int same = r2.n_cells == r.n_cells;
	for (size_t k = 0; same && k < r.n_cells; k++)
		same = r.cells[k].est.inf.std_error == r2.cells[k].est.inf.std_error &&
		       r.cells[k].est.band_low == r2.cells[k].est.band_low;
	CHECK(same);
	CHECK(r.pretrend.statistic == r2.pretrend.statistic);
	CHECK(r.dynamic.inf.std_error == r2.dynamic.inf.std_error);
	did_result_free(&r2);

	/* another seed, other draws, same estimates */
	o.seed = 7;
	CHECK(did_estimate(&p, &o, &r2) == DID_OK);
	CHECK(r2.cells[0].est.inf.std_error != r.cells[0].est.inf.std_error);
	CHECK(r2.cells[0].est.inf.estimate == r.cells[0].est.inf.estimate);
	did_result_free(&r2);

	/* balanced data: --balance drops nobody and changes nothing */
	o.seed = 20240501;
	o.balance = 1;
	o.reps = 50;
	CHECK(did_estimate(&p, &o, &r2) == DID_OK);
	CHECK(r2.n_dropped_unbalanced == 0);
	CHECK_REL(r2.group.inf.estimate, r.group.inf.estimate, 1e-12);
	did_result_free(&r2);
	did_result_free(&r);
}

/* ---- hand-worked panel -------------------------------------------- */

/* Years 2001-2004.  A, B first treated 2003; C 2004; D never.
 *        2001 2002 2003 2004
 *   A      1    2    5    7
 *   B      3    3    6    9
 *   C      2    4    5    9
 *   D      0    1    1    2        */
static const double hand_y[4][4] = {
	{ 1, 2, 5, 7 }, { 3, 3, 6, 9 }, { 2, 4, 5, 9 }, { 0, 1, 1, 2 },
};
static int hand_cohort[4] = { 2003, 2003, 2004, 0 };

struct small_panel {
	int unit[64], year[64], cohort[16];
	double y[64];
	struct did_panel p;
};

static void hand_panel(struct small_panel *s)
{
	size_t n = 0;
	for (int u = 0; u < 4; u++)
		for (int t = 0; t < 4; t++) {
			s->unit[n] = u;
			s->year[n] = 2001 + t;
			s->y[n++] = hand_y[u][t];
		}
	memcpy(s->cohort, hand_cohort, sizeof hand_cohort);
	struct did_panel p = { n, s->unit, s->year, s->y, 4, s->cohort };
	s->p = p;
}

static const struct did_cell *find_cell(const struct did_result *r, int g, int t)
{
	for (size_t k = 0; k < r->n_cells; k++)
		if (r->cells[k].cohort == g && r->cells[k].year == t)
			return &r->cells[k];
	return NULL;
}

static double cell_att(const struct did_result *r, int g, int t)
{
	const struct did_cell *c = find_cell(r, g, t);
	return c ? c->est.inf.estimate : -12345;
}

static const struct did_event *find_event(const struct did_result *r, int e)
{
	for (size_t k = 0; k < r->n_events; k++)
		if (r->events[k].rel_year == e)
			return &r->events[k];
	return NULL;
}

static double event_att(const struct did_result *r, int e)
{
	const struct did_event *ev = find_event(r, e);
	return ev ? ev->est.inf.estimate : -12345;
}

static void test_hand_notyet_varying(void)
{
	struct small_panel s;
	struct did_options o;
	struct did_result r;

	hand_panel(&s);
	did_options_init(&o);
	o.reps = 0;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.n_cells == 6);          /* 2 cohorts x 2002..2004 */
	CHECK(find_cell(&r, 2003, 2001) == NULL);
	/* (2003,2002), b 2001; controls: D and cohort 2004 (> 2002).
	 * treated dY: A 1, B 0 -> 0.5; controls C 2, D 1 -> 1.5;  -1 */
	CHECK_REL(cell_att(&r, 2003, 2002), -1.0, 1e-12);
	CHECK(find_cell(&r, 2003, 2002)->n_control == 2);
	/* (2003,2003), b 2002; controls C, D: A 3, B 3 -> 3; C 1, D 0 -> 0.5 */
	CHECK_REL(cell_att(&r, 2003, 2003), 2.5, 1e-12);
	/* (2003,2004), b 2002; C treated by 2004: controls D only.
	 * A 5, B 6 -> 5.5; D 1;  4.5 */
	CHECK_REL(cell_att(&r, 2003, 2004), 4.5, 1e-12);
	CHECK(find_cell(&r, 2003, 2004)->n_control == 1);
	/* (2004,2002), b 2001; controls D and cohort 2003 (> 2002).
	 * C 2; A 1, B 0, D 1 -> 2/3;  4/3 */
	CHECK_REL(cell_att(&r, 2004, 2002), 4.0 / 3, 1e-12);
	/* (2004,2003), b 2002; 2003 is treated: D only. C 1; D 0;  1 */
	CHECK_REL(cell_att(&r, 2004, 2003), 1.0, 1e-12);
	/* (2004,2004), b 2003; D only.  C 4; D 1;  3 */
	CHECK_REL(cell_att(&r, 2004, 2004), 3.0, 1e-12);

	/* event time, weights = cohort sizes 2 (2003) and 1 (2004):
	 * e=-2: 4/3 (2004 only); e=-1: (2*-1 + 1*1)/3 = -1/3;
	 * e=0: (2*2.5 + 3)/3 = 8/3; e=1: 4.5 (2003 only) */
	CHECK(r.n_events == 4);
	CHECK_REL(event_att(&r, -2), 4.0 / 3, 1e-12);
	CHECK_REL(event_att(&r, -1), -1.0 / 3, 1e-12);
	CHECK_REL(event_att(&r, 0), 8.0 / 3, 1e-12);
	CHECK_REL(event_att(&r, 1), 4.5, 1e-12);
	CHECK(find_event(&r, 0)->est.n == 3);
	/* simple: (2*2.5 + 2*4.5 + 1*3) / (2+2+1) = 17/5 */
	CHECK_REL(r.simple.inf.estimate, 3.4, 1e-12);
	/* group: 2003 -> (2.5+4.5)/2 = 3.5, 2004 -> 3; (2*3.5 + 3)/3 = 10/3 */
	CHECK(r.n_groups == 2);
	CHECK_REL(r.groups[0].est.inf.estimate, 3.5, 1e-12);
	CHECK(r.groups[0].size == 2 && r.groups[0].n_cells == 2);
	CHECK_REL(r.groups[1].est.inf.estimate, 3.0, 1e-12);
	CHECK_REL(r.group.inf.estimate, 10.0 / 3, 1e-12);
	/* dynamic: mean of e=0 and e=1: (8/3 + 9/2)/2 = 43/12 */
	CHECK_REL(r.dynamic.inf.estimate, 43.0 / 12, 1e-12);
	/* no bootstrap: no standard errors, df still known */
	CHECK(isnan(r.simple.inf.std_error) && isnan(r.pretrend.statistic));
	CHECK(r.pretrend.df == 2);
	CHECK(r.warnings & DID_WSMALLCOHORT);   /* cohort 2004 is C alone */
	did_result_free(&r);

	/* window -1:0: events -1 and 0; simple and group keep e <= 0 only:
	 * simple (2*2.5 + 3)/3 = 8/3; dynamic = e=0 = 8/3;
	 * group (2*2.5 + 1*3)/3 = 8/3 */
	o.window_lo = -1;
	o.window_hi = 0;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.n_events == 2);
	CHECK_REL(r.simple.inf.estimate, 8.0 / 3, 1e-12);
	CHECK_REL(r.dynamic.inf.estimate, 8.0 / 3, 1e-12);
	CHECK_REL(r.group.inf.estimate, 8.0 / 3, 1e-12);
	did_result_free(&r);

	/* control never: (2003,2002) is A,B 0.5 minus D 1 = -0.5, and
	 * (2004,2002) is C 2 minus D 1 = 1 */
	did_options_init(&o);
	o.reps = 0;
	o.control = DID_CONTROL_NEVER;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK_REL(cell_att(&r, 2003, 2002), -0.5, 1e-12);
	CHECK_REL(cell_att(&r, 2004, 2002), 1.0, 1e-12);
	CHECK_REL(cell_att(&r, 2003, 2003), 3.0, 1e-12);   /* 3 - D 0 */
	did_result_free(&r);
}

static void test_hand_universal(void)
{
	struct small_panel s;
	struct did_options o;
	struct did_result r;

	hand_panel(&s);
	did_options_init(&o);
	o.reps = 0;
	o.base = DID_BASE_UNIVERSAL;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.n_cells == 8);          /* every year, reference cells too */
	/* (2003,2001), b 2002; not yet treated at max(2001,2002)=2002: C, D.
	 * Y01 - Y02: A -1, B 0 -> -0.5; C -2, D -1 -> -1.5;  1 */
	CHECK_REL(cell_att(&r, 2003, 2001), 1.0, 1e-12);
	CHECK(find_cell(&r, 2003, 2002)->reference);
	CHECK(cell_att(&r, 2003, 2002) == 0);
	CHECK_REL(cell_att(&r, 2003, 2003), 2.5, 1e-12);
	CHECK_REL(cell_att(&r, 2003, 2004), 4.5, 1e-12);
	/* (2004,2001), b 2003; at max(2001,2003)=2003 cohort 2003 is treated,
	 * so D only (a rule on t alone would wrongly admit A and B).
	 * C: 2-5 = -3; D: 0-1 = -1;  -2 */
	CHECK_REL(cell_att(&r, 2004, 2001), -2.0, 1e-12);
	CHECK(find_cell(&r, 2004, 2001)->n_control == 1);
	/* (2004,2002), b 2003; D only.  C 4-5 = -1; D 1-1 = 0;  -1 */
	CHECK_REL(cell_att(&r, 2004, 2002), -1.0, 1e-12);
	CHECK(find_cell(&r, 2004, 2003)->reference);
	CHECK_REL(cell_att(&r, 2004, 2004), 3.0, 1e-12);
	/* events: e=-3: -2 (2004 only); e=-2: (2*1 + 1*-1)/3 = 1/3;
	 * e=-1: reference, 0; e=0: 8/3; e=1: 4.5 */
	CHECK(r.n_events == 5);
	CHECK_REL(event_att(&r, -3), -2.0, 1e-12);
	CHECK_REL(event_att(&r, -2), 1.0 / 3, 1e-12);
	CHECK(event_att(&r, -1) == 0 && find_event(&r, -1)->reference);
	CHECK_REL(event_att(&r, 0), 8.0 / 3, 1e-12);
	CHECK_REL(r.simple.inf.estimate, 3.4, 1e-12);
	CHECK_REL(r.group.inf.estimate, 10.0 / 3, 1e-12);
	CHECK_REL(r.dynamic.inf.estimate, 43.0 / 12, 1e-12);
	/* pre-trend over e = -3, -2: the reference e = -1 is left out */
	CHECK(r.pretrend.df == 2);
	did_result_free(&r);

	/* with a bootstrap the reference has se 0 and the test stays df 2 */
	o.reps = 200;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(find_event(&r, -1)->est.inf.std_error == 0);
	CHECK(r.pretrend.df <= 2 && r.pretrend.n_boot > 0);
	did_result_free(&r);
}

/* B's 2004 value missing: each cell uses the units seen at t and b. */
static void test_hand_unbalanced(void)
{
	struct small_panel s;
	struct did_options o;
	struct did_result r;

	hand_panel(&s);
	s.y[1 * 4 + 3] = NAN;           /* B, 2004 */
	did_options_init(&o);
	o.reps = 0;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	/* (2003,2004), b 2002: treated A only: 5; control D 1;  4 */
	CHECK_REL(cell_att(&r, 2003, 2004), 4.0, 1e-12);
	CHECK(find_cell(&r, 2003, 2004)->n_treated == 1);
	/* (2003,2003) still uses B: 2.5 */
	CHECK_REL(cell_att(&r, 2003, 2003), 2.5, 1e-12);
	/* cohort 2003 still has 2 units: simple (2*2.5 + 2*4 + 3)/5 = 16/5 */
	CHECK_REL(r.simple.inf.estimate, 3.2, 1e-12);
	did_result_free(&r);

	/* balance: B is dropped; cohort 2003 = A alone.
	 * (2003,2002): A 1 - (C 2 + D 1)/2 = -0.5; (2003,2004): 5 - 1 = 4;
	 * (2004,2002): C 2 - (A 1 + D 1)/2 = 1 */
	o.balance = 1;
	o.reps = 100;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.n_dropped_unbalanced == 1 && r.dropped_unbalanced[0] == 1);
	CHECK(r.warnings & DID_WUNBALANCED);
	CHECK(r.n_units == 3);
	CHECK_REL(cell_att(&r, 2003, 2002), -0.5, 1e-12);
	CHECK_REL(cell_att(&r, 2003, 2004), 4.0, 1e-12);
	CHECK_REL(cell_att(&r, 2004, 2002), 1.0, 1e-12);
	did_result_free(&r);
}

/* ---- cohorts out of range, degenerate inputs -------------------------- */

static void test_drops(void)
{
	struct small_panel s;
	struct did_options o;
	struct did_result r;

	hand_panel(&s);
	s.cohort[0] = 2001;             /* A: treated in the first year */
	s.cohort[3] = 2010;             /* D: after the last year = never */
	did_options_init(&o);
	o.reps = 0;
	o.control = DID_CONTROL_NEVER;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.n_dropped_early == 1 && r.dropped_early[0] == 0);
	CHECK(r.warnings & DID_WDROPEARLY);
	CHECK(r.n_units == 3 && r.n_never == 1);
	/* (2003,2003): B 3 minus D 0 */
	CHECK_REL(cell_att(&r, 2003, 2003), 3.0, 1e-12);
	CHECK(find_cell(&r, 2001, 2002) == NULL);
	did_result_free(&r);
}

static int progress_last, progress_total, progress_calls;
static void progress(int done, int total, void *ctx)
{
	progress_last = done;
	progress_total = total;
	progress_calls++;
	*(int *)ctx = 1;
}

static void test_degenerate(void)
{
	struct small_panel s;
	struct did_options o;
	struct did_result r;

	/* control never without never-treated units */
	hand_panel(&s);
	s.cohort[3] = 2004;
	did_options_init(&o);
	o.control = DID_CONTROL_NEVER;
	CHECK(did_estimate(&s.p, &o, &r) == DID_ENONEVER);
	CHECK(strstr(did_strerror(r.status), "never-treated") != NULL);
	did_result_free(&r);

	/* notyet without never-treated: nobody is untreated in 2004, so the
	 * cells of 2004 are empty; earlier cells use the other cohort */
	o.control = DID_CONTROL_NOTYET;
	o.reps = 100;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.warnings & DID_WEMPTYCELL);
	CHECK(isnan(cell_att(&r, 2003, 2004)));
	CHECK(find_cell(&r, 2003, 2004)->empty == DID_CELL_NOCONTROL);
	CHECK(isnan(cell_att(&r, 2004, 2004)));
	/* (2003,2003): A 3, B 3 minus C, D (both 2004 now): 1, 0 -> 2.5 */
	CHECK_REL(cell_att(&r, 2003, 2003), 2.5, 1e-12);
	/* (2004,2002), b 2001, cohort 2003 not yet treated in 2002:
	 * C 2, D 1 -> 1.5 minus A 1, B 0 -> 0.5;  1.  (R's did would instead
	 * recode the last cohort as never treated and drop 2004.) */
	CHECK_REL(cell_att(&r, 2004, 2002), 1.0, 1e-12);
	CHECK(find_cell(&r, 2004, 2003)->empty == DID_CELL_NOCONTROL);
	CHECK_REL(r.simple.inf.estimate, 2.5, 1e-12);
	CHECK(!isnan(r.simple.inf.std_error));
	did_result_free(&r);

	/* everyone treated in the same year: nothing to compare with */
	for (int u = 0; u < 4; u++)
		s.cohort[u] = 2003;
	CHECK(did_estimate(&s.p, &o, &r) == DID_ENOCELL);
	CHECK(strlen(did_strerror(r.status)) > 0);
	did_result_free(&r);

	/* nobody treated inside the data */
	for (int u = 0; u < 4; u++)
		s.cohort[u] = u < 2 ? 2001 : 0;
	CHECK(did_estimate(&s.p, &o, &r) == DID_ENOCOHORT);
	did_result_free(&r);

	/* a cohort with one unit, bootstrapped: some draws lack it */
	hand_panel(&s);
	int called = 0;
	o.progress = progress;
	o.progress_ctx = &called;
	o.reps = 300;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.warnings & DID_WSMALLCOHORT);
	CHECK(called && progress_last == 300 && progress_total == 300);
	CHECK(progress_calls <= 301);
	/* its cohort effect rests on one unit: no standard error is known */
	CHECK(r.n_groups == 2 && isnan(r.groups[1].est.inf.std_error));
	CHECK(r.groups[1].est.n_boot < 300); /* C absent from ~1/3 of draws */
	did_result_free(&r);
	o.progress = NULL;

	/* a window beyond the data: no event times; simple/group still see
	 * post cells up to its end (as R's max_e), dynamic is empty */
	o.reps = 20;
	o.window_lo = 10;
	o.window_hi = 20;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.n_events == 0 && (r.warnings & DID_WWINDOW));
	CHECK(isnan(r.dynamic.inf.estimate));
	CHECK_REL(r.simple.inf.estimate, 3.4, 1e-12);
	did_result_free(&r);
	o.window_lo = -20;
	o.window_hi = -10;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK((r.warnings & DID_WNOPOST) && (r.warnings & DID_WNOPRE));
	CHECK(isnan(r.simple.inf.estimate) && isnan(r.group.inf.estimate));
	did_result_free(&r);
	o.window_lo = 2;
	o.window_hi = 1;
	CHECK(did_estimate(&s.p, &o, &r) == DID_EOPTIONS);
	did_result_free(&r);

	/* bad unit index, duplicate year, one year only */
	did_options_init(&o);
	o.reps = 0;
	s.unit[5] = 4;
	CHECK(did_estimate(&s.p, &o, &r) == DID_EINPUT && r.bad_obs == 5);
	did_result_free(&r);
	hand_panel(&s);
	s.year[6] = 2002;               /* unit 1 row 2 now repeats row 1 */
	CHECK(did_estimate(&s.p, &o, &r) == DID_EDUPLICATE);
	CHECK(r.bad_obs == 5 && r.bad_obs2 == 6);
	did_result_free(&r);
	hand_panel(&s);
	for (int i = 0; i < 16; i++)        /* only 2001 has values */
		if (s.year[i] != 2001)
			s.y[i] = NAN;
	CHECK(did_estimate(&s.p, &o, &r) == DID_ENOYEARS);
	did_result_free(&r);
	for (int i = 0; i < 5; i++)
		CHECK(strcmp(did_strerror(i), "unknown error") != 0);
	for (int b = 0; b < DID_NWARNINGS; b++)
		CHECK(strcmp(did_warning_str(1u << b), "unknown warning") != 0);
}

/* Flat outcomes before treatment: every pre effect is exactly 0 in every
 * replicate, so the covariance is 0 and the test cannot be formed. */
static void test_singular(void)
{
	struct small_panel s;
	struct did_options o;
	struct did_result r;

	hand_panel(&s);
	for (int u = 0; u < 4; u++)
		for (int t = 0; t < 2; t++)
			s.y[u * 4 + t] = 5;     /* 2001, 2002 flat */
	for (int u = 0; u < 4; u++)
		s.y[u * 4 + 2] = u == 2 ? 5 : s.y[u * 4 + 2]; /* C flat to 2003 */
	did_options_init(&o);
	o.reps = 100;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.pretrend.singular && (r.warnings & DID_WSINGULAR));
	CHECK(r.pretrend.df < 2);
	did_result_free(&r);
}

/* ---- random panels: the definition by brute force ------------------- */

enum { RU = 40, RT = 6, RFIRST = 2001 };

struct random_panel {
	int unit[RU * RT], year[RU * RT], cohort[RU];
	double y[RU * RT];
	struct did_panel p;
};

/* 10 never-treated units, then cohorts 2003, 2004, 2006 of 10 each; a
 * trend, a unit level, an effect after the event, noise; `gaps` of the
 * observations missing. */
static void random_panel(struct random_panel *s, gsl_rng *rng, double gaps)
{
	static const int g[4] = { 0, 2003, 2004, 2006 };
	size_t n = 0;
	for (int u = 0; u < RU; u++) {
		s->cohort[u] = g[u / 10];
		double level = gsl_ran_gaussian(rng, 1);
		for (int t = 0; t < RT; t++) {
			int yr = RFIRST + t;
			double eff = s->cohort[u] && yr >= s->cohort[u] ? 1 + 0.2 * (yr - s->cohort[u]) : 0;
			s->unit[n] = u;
			s->year[n] = yr;
			s->y[n] = level + 0.3 * t + eff + gsl_ran_gaussian(rng, 0.5);
			if (gsl_rng_uniform(rng) < gaps)
				s->y[n] = NAN;
			n++;
		}
	}
	struct did_panel p = { n, s->unit, s->year, s->y, RU, s->cohort };
	s->p = p;
}

/* ATT(g,t) from the definition, unit by unit */
static double brute_att(const struct did_panel *p, int g, int t, int b,
			const struct did_options *o)
{
	double st = 0, sc = 0;
	int nt = 0, nc = 0, late = t > b ? t : b;
	for (size_t u = 0; u < p->n_units; u++) {
		double yt = NAN, yb = NAN;
		for (size_t i = 0; i < p->n_obs; i++)
			if (p->unit[i] == (int)u) {
				if (p->year[i] == t)
					yt = p->y[i];
				if (p->year[i] == b)
					yb = p->y[i];
			}
		if (isnan(yt) || isnan(yb))
			continue;
		int gu = p->cohort[u];
		int ctrl = gu == 0 || (o->control == DID_CONTROL_NOTYET && gu > late && gu != g);
		if (gu == g) {
			st += yt - yb;
			nt++;
		} else if (ctrl) {
			sc += yt - yb;
			nc++;
		}
	}
	return nt && nc ? st / nt - sc / nc : NAN;
}

static void test_random_brute(void)
{
	static struct random_panel s;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int bad = 0, cells = 0;

	for (int rep = 0; rep < 8; rep++) {
		struct did_options o;
		struct did_result r;
		random_panel(&s, rng, rep < 4 ? 0 : 0.15);
		did_options_init(&o);
		o.reps = 0;
		o.control = rep % 2 ? DID_CONTROL_NEVER : DID_CONTROL_NOTYET;
		o.base = rep % 4 < 2 ? DID_BASE_VARYING : DID_BASE_UNIVERSAL;
		CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
		for (size_t k = 0; k < r.n_cells; k++) {
			const struct did_cell *c = &r.cells[k];
			double want = c->reference ? 0 :
				brute_att(&s.p, c->cohort, c->year, c->base_year, &o);
			/* the base year by rule */
			int b = c->post || o.base == DID_BASE_UNIVERSAL ? c->cohort - 1 : c->year - 1;
			bad += c->base_year != b;
			bad += !(fabs(c->est.inf.estimate - want) <= 1e-12 * (1 + fabs(want)));
			cells++;
		}
		did_result_free(&r);
	}
	CHECK(bad == 0);
	CHECK(cells > 100);
	gsl_rng_free(rng);
}

/* The bootstrap reweights units by their multiplicity in the draw; the
 * same draws applied by copying units into a new panel and estimating it
 * afresh must give the same replicates, hence the same standard errors. */
static void test_bootstrap_by_resampling(void)
{
	static struct random_panel s;
	static int unit[RU * RT], year[RU * RT], cohort[RU];
	static double y[RU * RT];
	enum { REPS = 60 };
	static double simple[REPS], dynamic[REPS], ev[REPS][16];
	gsl_rng *data_rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct did_options o;
	struct did_result r, rr;

	random_panel(&s, data_rng, 0.1);
	did_options_init(&o);
	o.reps = REPS;
	o.seed = 99;
	o.base = DID_BASE_UNIVERSAL;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);

	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, o.seed);
	int ok = 1;
	for (int b = 0; b < REPS; b++) {
		size_t n = 0;
		for (int j = 0; j < RU; j++) {
			int u = (int)gsl_rng_uniform_int(rng, RU);
			cohort[j] = s.cohort[u];
			for (int t = 0; t < RT; t++) {
				unit[n] = j;
				year[n] = s.year[u * RT + t];
				y[n++] = s.y[u * RT + t];
			}
		}
		struct did_panel p = { n, unit, year, y, RU, cohort };
		struct did_options o1 = o;
		o1.reps = 0;
		ok &= did_estimate(&p, &o1, &rr) == DID_OK && rr.n_events == r.n_events;
		simple[b] = rr.simple.inf.estimate;
		dynamic[b] = rr.dynamic.inf.estimate;
		for (size_t e = 0; e < rr.n_events && e < 16; e++)
			ev[b][e] = rr.events[e].est.inf.estimate;
		did_result_free(&rr);
	}
	CHECK(ok);
	CHECK_REL(r.simple.inf.std_error, gsl_stats_sd(simple, 1, REPS), 1e-9);
	CHECK_REL(r.dynamic.inf.std_error, gsl_stats_sd(dynamic, 1, REPS), 1e-9);
	for (size_t e = 0; e < r.n_events && e < 16; e++)
		if (!r.events[e].reference)
			CHECK_REL(r.events[e].est.inf.std_error,
				  gsl_stats_sd(&ev[0][e], 16, REPS), 1e-9);
	CHECK(r.simple.n_boot == REPS);
	did_result_free(&r);
	gsl_rng_free(rng);
	gsl_rng_free(data_rng);
}

/* ---- randomization inference ------------------------------------ */

/* A small staggered panel: 8 units, 2001-2004, cohorts 2002 (2 units),
 * 2003 (2 units), 4 never treated; one value missing. */
struct tiny_panel {
	int unit[32], year[32], cohort[8];
	double y[32];
	struct did_panel p;
};

static void tiny_panel(struct tiny_panel *s)
{
	static const int g[8] = { 2002, 2002, 2003, 2003, 0, 0, 0, 0 };
	static const double y[8][4] = {
		{ 1, 4, 6, 7 }, { 2, 3, 7, 9 }, { 0, 1, 5, 4 }, { 3, 3, 2, 8 },
		{ 1, 2, 2, 3 }, { 5, 4, 6, 5 }, { 2, 2, 3, 5 }, { 0, 1, 1, 0 },
	};
	size_t n = 0;
	for (int u = 0; u < 8; u++) {
		s->cohort[u] = g[u];
		for (int t = 0; t < 4; t++) {
			s->unit[n] = u;
			s->year[n] = 2001 + t;
			s->y[n++] = u == 6 && t == 2 ? NAN : y[u][t];
		}
	}
	struct did_panel p = { n, s->unit, s->year, s->y, 8, s->cohort };
	s->p = p;
}

/* the next assignment of cohorts to the 8 units with the same number of
 * units per cohort as `want`: odometer over all 3^8 vectors of the three
 * cohort values, skipping those with other counts (independent of the
 * library's enumeration); 0 after the last */
static int next_assignment(int *c, const int *vals, const int *want)
{
	int digit[8];
	for (int u = 0; u < 8; u++)
		digit[u] = c[u] == vals[0] ? 0 : c[u] == vals[1] ? 1 : 2;
	for (;;) {
		int u = 0;
		while (u < 8 && digit[u] == 2)
			digit[u++] = 0;
		if (u == 8)
			return 0;
		digit[u]++;
		int count[3] = { 0, 0, 0 };
		for (u = 0; u < 8; u++)
			count[digit[u]]++;
		if (count[0] == want[0] && count[1] == want[1] && count[2] == want[2])
			break;
	}
	for (int u = 0; u < 8; u++)
		c[u] = vals[digit[u]];
	return 1;
}

/* The p-values by brute force: the estimator run afresh on every
 * assignment of the cohorts to the units (pretrend: the analytic Wald
 * statistic of each), counting those at least as extreme as the actual. */
static void brute_p(struct tiny_panel *s, const struct did_options *o0,
		    double *p_simple, double *p_ev0, double *p_pre, int *m)
{
	int actual[8], c[8];
	struct did_options o = *o0;
	struct did_result r;
	double t_simple, t_ev0, t_pre;
	int hits[3] = { 0, 0, 0 }, defined[3] = { 0, 0, 0 };

	o.permute = 0;
	o.se = DID_SE_ANALYTIC;
	memcpy(actual, s->cohort, sizeof actual);
	did_estimate(&s->p, &o, &r);
	t_simple = r.simple.inf.estimate;
	t_ev0 = r.events[1].est.inf.estimate;      /* rel_year 0 */
	t_pre = r.pretrend.statistic;
	did_result_free(&r);
	int vals[3] = { 0, 2002, 2003 }, want[3] = { 0, 0, 0 };
	for (int u = 0; u < 8; u++)
		want[actual[u] == 0 ? 0 : actual[u] == 2002 ? 1 : 2]++;
	for (int u = 0; u < 8; u++)      /* the first in the odometer's order */
		c[u] = u < want[2] ? 2003 : u < want[2] + want[1] ? 2002 : 0;
	*m = 0;
	do {
		memcpy(s->cohort, c, sizeof c);
		did_estimate(&s->p, &o, &r);
		double t[3] = { r.simple.inf.estimate, r.events[1].est.inf.estimate,
				r.pretrend.statistic };
		double t0[3] = { t_simple, t_ev0, t_pre };
		for (int i = 0; i < 3; i++)     /* undefined: not counted */
			if (!isnan(t[i])) {
				defined[i]++;
				hits[i] += fabs(t[i]) >= fabs(t0[i]) * (1 - 1e-10);
			}
		did_result_free(&r);
		++*m;
	} while (next_assignment(c, vals, want));
	memcpy(s->cohort, actual, sizeof actual);
	*p_simple = (double)hits[0] / defined[0];
	*p_ev0 = (double)hits[1] / defined[1];
	*p_pre = (double)hits[2] / defined[2];
}

static void test_permute(void)
{
	static struct tiny_panel s;
	struct did_options o;
	struct did_result r;
	double ps, pe, pp;
	int m;

	tiny_panel(&s);
	did_options_init(&o);
	o.se = DID_SE_ANALYTIC;
	brute_p(&s, &o, &ps, &pe, &pp, &m);
	CHECK(m == 420);                        /* 8! / (2! 2! 4!) */

	/* N + 1 >= 420: every assignment enumerated, the p-values exact */
	o.permute = 419;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.perm_exact && r.n_perm == 419);
	CHECK(r.events[0].rel_year == -1 && r.events[1].rel_year == 0);
	CHECK_REL(r.simple.p_perm, ps, 1e-12);
	CHECK_REL(r.events[1].est.p_perm, pe, 1e-12);
	CHECK_REL(r.pretrend.p_perm, pp, 1e-12);
	CHECK(r.simple.p_perm > 0 && r.simple.p_perm < 1);
	/* the analytic Wald statistic is the permuted statistic */
	double w0 = r.pretrend.statistic;
	did_result_free(&r);

	/* fewer: random permutations, (1 + hits) / (N + 1), near the exact p */
	o.permute = 399;
	o.seed = 3;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(!r.perm_exact && r.n_perm == 399);
	CHECK(fabs(r.simple.p_perm - ps) < 0.08);
	CHECK(fabs(r.events[1].est.p_perm - pe) < 0.08);
	CHECK(fabs(r.pretrend.p_perm - pp) < 0.08);
	CHECK_REL(r.pretrend.statistic, w0, 1e-12);
	/* p is a count over 400 */
	double k = r.simple.p_perm * 400;
	CHECK(fabs(k - floor(k + 0.5)) < 1e-9 && r.simple.p_perm >= 1.0 / 400);
	/* the same seed, the same p-values; the estimates do not move */
	struct did_result r2;
	CHECK(did_estimate(&s.p, &o, &r2) == DID_OK);
	CHECK(r2.simple.p_perm == r.simple.p_perm && r2.simple.inf.estimate == r.simple.inf.estimate);
	did_result_free(&r2);
	did_result_free(&r);

	/* with min_treated each assignment decides its own thin cells: the
	 * p-values are still those of the estimator run afresh */
	o.min_treated = 2;
	o.permute = 0;
	brute_p(&s, &o, &ps, &pe, &pp, &m);
	o.permute = 419;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	CHECK(r.perm_exact && r.events[1].rel_year == 0);
	CHECK_REL(r.simple.p_perm, ps, 1e-12);
	CHECK_REL(r.events[1].est.p_perm, pe, 1e-12);
	CHECK_REL(r.pretrend.p_perm, pp, 1e-12);
	did_result_free(&r);

	o.permute = -1;
	CHECK(did_estimate(&s.p, &o, &r) == DID_EOPTIONS);
	did_result_free(&r);
}

/* --min-treated: the thin cells keep their estimate, lose their standard
 * error and leave the aggregates, which then equal those of the other
 * cells alone. */
static void test_min_treated(void)
{
	static struct tiny_panel s;
	struct did_options o;
	struct did_result r, r3;

	tiny_panel(&s);
	s.cohort[3] = 2004;     /* cohorts 2002: 2 units, 2003: 1, 2004: 1 */
	did_options_init(&o);
	o.se = DID_SE_ANALYTIC;
	CHECK(did_estimate(&s.p, &o, &r) == DID_OK);
	o.min_treated = 2;
	CHECK(did_estimate(&s.p, &o, &r3) == DID_OK);
	CHECK(r3.n_thin > 0 && (r3.warnings & DID_WTHIN));
	double sum = 0;
	int n = 0;
	for (size_t k = 0; k < r3.n_cells; k++) {
		const struct did_cell *c = &r3.cells[k];
		CHECK(c->thin == (c->n_treated < 2 && !isnan(c->est.inf.estimate)));
		CHECK(c->est.inf.estimate == r.cells[k].est.inf.estimate || isnan(c->est.inf.estimate));
		if (c->thin)
			CHECK(isnan(c->est.inf.std_error));
		if (!c->thin && c->post && !isnan(c->est.inf.estimate)) {
			sum += c->est.inf.estimate;     /* one cohort left: plain mean */
			n++;
		}
	}
	CHECK(n > 0);
	CHECK_REL(r3.simple.inf.estimate, sum / n, 1e-12);
	CHECK(r3.simple.n_treated == 2);
	did_result_free(&r);
	did_result_free(&r3);
}

/* The multiplier bootstrap's standard error converges to the analytic one
 * (both from the same influence functions): on mpdta within 10% with 2000
 * draws, and the same seed gives the same draws. */
static void test_multiplier(void)
{
	static struct panel_buf b;
	struct did_options o;
	struct did_result ra, rm;

	CHECK(read_mpdta(&b) == 0);
	struct did_panel p = as_panel(&b);
	did_options_init(&o);
	o.control = DID_CONTROL_NEVER;
	o.se = DID_SE_ANALYTIC;
	CHECK(did_estimate(&p, &o, &ra) == DID_OK);
	o.se = DID_SE_MULTIPLIER;
	o.reps = 2000;
	CHECK(did_estimate(&p, &o, &rm) == DID_OK);
	for (size_t e = 0; e < ra.n_events; e++)
		CHECK_REL(rm.events[e].est.inf.std_error, ra.events[e].est.inf.std_error, 0.10);
	CHECK_REL(rm.simple.inf.std_error, ra.simple.inf.std_error, 0.10);
	CHECK_REL(rm.group.inf.std_error, ra.group.inf.std_error, 0.10);
	CHECK_REL(rm.dynamic.inf.std_error, ra.dynamic.inf.std_error, 0.10);
	CHECK(isnan(ra.events[0].est.band_low) && !isnan(rm.events[0].est.band_low));
	CHECK(rm.crit_events >= 1.959);
	did_result_free(&ra);
	did_result_free(&rm);
}

int main(void)
{
	unit_start();
	test_mpdta();
	test_hand_notyet_varying();
	test_hand_universal();
	test_hand_unbalanced();
	test_drops();
	test_degenerate();
	test_singular();
	test_random_brute();
	test_bootstrap_by_resampling();
	test_permute();
	test_min_treated();
	test_multiplier();
	return unit_summary();
}
