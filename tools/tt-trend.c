/* tt-trend: the trend of the value over time per group, by least squares
 * (optionally log-linear), by Theil-Sen with the Mann-Kendall test, or by
 * Poisson pseudo-maximum likelihood for counts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chains.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "describe.h"
#include "diag.h"
#include "estimates.h"
#include "glm.h"
#include "group.h"
#include "htest.h"
#include "options.h"
#include "regress.h"

enum transform { RAW, LOG, LOG1P };

enum method { OLS, SEN, POISSON };

static int method = OLS;         /* enum method */
static long lag = -1;            /* --lag: Newey-West for poisson; -1 HC1 */
static int transform = RAW;      /* enum transform */
static int grouped;              /* --grouped: each group's rows together */

/* --log: ln(value), unless --log1p (which wins, whatever the order) */
static void set_log(const struct tt_opt *o, const char *arg)
{
	(void)o;
	(void)arg;
	if (transform == RAW)
		transform = LOG;
}

/* --method: enum method's words */
static const char *const methods[] = { "ols", "sen", "poisson", NULL };

static const struct tool tool = {
	"tt-trend", "[OPTION]... [FILE]...",
	"Trend of the value column over the time column, per group: an estimates table.\n"
	"ols: terms slope, intercept, r2 (and pct_change with --log);\n"
	"sen: terms sen_slope, mk_s, mk_tau (and pct_change with --log);\n"
	"poisson: terms slope, pct_change, intercept (z tests; HC1 or Newey-West).",
	C_TABLE | C_GROUP | C_ALL | C_TIME | C_VALUE | C_LEVEL | C_MAXG, (const struct tt_opt[]){
		OPT_CHOICE("method", 0, "M", method, methods, "ols (least squares, default), sen (Theil-Sen slope, Mann-Kendall test) or poisson (counts: log E[value] = a + b time)"),
		OPT_CALLBACK("log", 0, NULL, set_log, "fit ln(value): slopes become growth rates; adds the term pct_change"),
		OPT_SET_INT("log1p", 0, transform, LOG1P, "fit ln(1 + value), for counts that can be 0; adds pct_change"),
		OPT_LONG("lag", 0, "L", lag, 0, 1000000, "poisson: Newey-West standard errors with lag L (default HC1)"),
		OPT_FLAG("grouped", 0, grouped, "each group's rows together in the input: hold one group's values at a time"),
		OPT_END(),
	},
};

/* The value to fit: ln(y) or ln(1 + y) refuse what has no logarithm, naming
 * the cell, so that no row silently drops out of a growth rate. */
static double transformed(const struct csv_header *h, const struct csv_row *row,
			  int vcol, double y)
{
	if (transform == LOG) {
		if (y <= 0)
			die_at(row->file, row->line, vcol + 1,
			       "column \"%s\": \"%s\" has no logarithm (--log needs values above 0; "
			       "--log1p takes ln(1 + value))", h->name[vcol], cell_shown(row->f[vcol]));
		return log(y);
	}
	if (transform == LOG1P) {
		if (y <= -1)
			die_at(row->file, row->line, vcol + 1,
			       "column \"%s\": \"%s\" has no ln(1 + value) (--log1p needs values above -1)",
			       h->name[vcol], cell_shown(row->f[vcol]));
		return log1p(y);
	}
	return y;
}

/* 100 (e^b - 1): the percent change per time unit of a log-linear slope */
static double pct(double b)
{
	return 100 * expm1(b);
}

static void write_pct_change(struct group_table *g, size_t i, const struct estimates_row *slope,
			     const char *method)
{
	struct estimates_row r = estimates_row("pct_change", method);

	r.inf.estimate = pct(slope->inf.estimate);
	r.inf.conf_low = pct(slope->inf.conf_low);
	r.inf.conf_high = pct(slope->inf.conf_high);
	r.n = slope->n;
	group_write_key(g, i);
	estimates_write(&r, NULL);
}

/* A group's warning, if any, and its rows; under a log transform the
 * first row, the slope, also as a percent change. */
static void write_group(struct group_table *g, size_t i, const char *why,
			const struct estimates_row *rows, size_t n)
{
	if (why)
		warn("%s: %s", group_label(g, i), why);
	for (size_t k = 0; k < n; k++) {
		group_write_key(g, i);
		estimates_write(&rows[k], NULL);
	}
	if (transform != RAW)
		write_pct_change(g, i, &rows[0], rows[0].method);
}

/* the same value at two times or more: slope 0, no test */
static int constant_series(const struct series *s)
{
	return s->n >= 2 && all_equal(s->y, s->n) && !all_equal(s->t, s->n);
}

/* why a group has no (full) trend, for the warning; NULL when it has one */
static const char *degenerate(const struct series *s)
{
	if (s->n == 0)
		return "no observations (all values missing): no trend";
	if (s->n == 1)
		return "1 observation: no trend";
	if (all_equal(s->t, s->n))
		return "all observations at one time: no trend";
	if (constant_series(s))
		return "constant series: slope 0, no test";
	return NULL;
}

static void ols_group(struct group_table *g, size_t i, const struct series *s)
{
	struct line_fit fit;
	struct estimates_row slope = estimates_row("slope", "ols");
	struct estimates_row icpt = estimates_row("intercept", "ols");
	struct estimates_row r2 = estimates_row("r2", "ols");
	int constant = constant_series(s);
	const char *why = degenerate(s);
	int rc = ols_line(s->t, s->y, s->n, &fit);

	slope.n = icpt.n = r2.n = (long long)s->n;
	if (rc == REGRESS_OK || rc == REGRESS_CONSTANT_Y || rc == REGRESS_NO_DF) {
		/* An exact fit, a constant series or residuals at rounding
		 * level, has standard errors 0 and no test (rounding noise
		 * would make t about 1e15). */
		int exact = constant || (rc == REGRESS_OK && fit.r2 == 1);
		/* 2 observations leave no df: no test, an empty df cell */
		double df = fit.df > 0 ? fit.df : NAN;

		inference_t(&slope.inf, fit.slope, exact ? 0 : fit.se_slope, df, opt.level);
		inference_t(&icpt.inf, fit.intercept, exact ? 0 : fit.se_intercept, df,
			      opt.level);
		r2.inf.estimate = fit.r2;
		if (exact && !why)
			why = "the line fits exactly: standard errors 0, no test";
		if (rc == REGRESS_NO_DF && !constant)
			why = "2 observations: no standard errors";
	} else if (rc == REGRESS_OVERFLOW && !why) {
		why = "values too large: the line's numbers overflow a double, no trend";
	}
	write_group(g, i, why, (struct estimates_row[]){ slope, icpt, r2 }, 3);
}

static void sen_group(struct group_table *g, size_t i, const struct series *s)
{
	struct theil_sen_result ts;
	struct mann_kendall_result mk;
	struct estimates_row sen = estimates_row("sen_slope", "theil-sen");
	struct estimates_row ms = estimates_row("mk_s", "mann-kendall(ties)");
	struct estimates_row tau = estimates_row("mk_tau", "kendall(tau-b)");
	const char *why = degenerate(s);
	int ts_rc = theil_sen(s->t, s->y, s->n, opt.level, &ts);
	int mk_rc = mann_kendall(s->t, s->y, s->n, &mk);

	sen.n = ms.n = tau.n = (long long)s->n;
	if (ts_rc == HTEST_OK || ts_rc == HTEST_NO_CI) {
		sen.inf.estimate = ts.slope;
		sen.inf.conf_low = ts.conf_low;
		sen.inf.conf_high = ts.conf_high;
		if (ts_rc == HTEST_NO_CI && !why)
			why = "too few observations for a confidence interval of sen_slope at this level";
	}
	if (mk_rc == HTEST_OK || (mk_rc == HTEST_CONSTANT && constant_series(s))) {
		ms.inf.estimate = mk.s;
		ms.inf.std_error = sqrt(mk.var_s);
		ms.inf.statistic = mk.z;
		ms.inf.p_value = mk.p_value;
		tau.inf.estimate = mk.tau_b;
	}
	write_group(g, i, why, (struct estimates_row[]){ sen, ms, tau }, 3);
}

/* "poisson(hc1)" or "poisson(newey-west(lag=L,bartlett))" */
static const char *poisson_method(void)
{
	static char buf[64];

	if (lag < 0)
		return "poisson(hc1)";
	snprintf(buf, sizeof buf, "poisson(newey-west(lag=%ld,bartlett))", lag);
	return buf;
}

static void poisson_group(struct group_table *g, size_t i, const struct series *s)
{
	struct poisson_trend_fit fit;
	const char *m = poisson_method();
	struct estimates_row slope = estimates_row("slope", m);
	struct estimates_row icpt = estimates_row("intercept", m);
	const char *why = degenerate(s);
	int rc = poisson_trend(s->t, s->y, s->n, lag, opt.level, &fit);

	slope.n = icpt.n = (long long)s->n;
	if (rc == GLM_OK) {
		/* df NaN: the tests are on the normal */
		slope.inf = fit.slope;
		icpt.inf = fit.intercept;
		if (s->n == 2 && !why)
			why = "2 observations: no standard errors";
	} else if (!why || rc == GLM_ALL_ZERO) {
		why = glm_status_str(rc);
	}
	if (rc == GLM_ALL_ZERO)
		why = "every value is 0: no Poisson fit";
	if (why)
		warn("%s: %s", group_label(g, i), why);
	group_write_key(g, i);
	estimates_write(&slope, NULL);
	write_pct_change(g, i, &slope, m);
	group_write_key(g, i);
	estimates_write(&icpt, NULL);
}

/* a count under --method poisson: never below 0 */
static double count_value(const struct csv_header *h, const struct csv_row *row, int vcol,
			  double y)
{
	if (method == POISSON && y < 0)
		die_at(row->file, row->line, vcol + 1,
		       "column \"%s\": \"%s\" is negative (--method poisson needs counts of 0 or more)",
		       h->name[vcol], cell_shown(row->f[vcol]));
	return y;
}

/* Every group's (time, value) pairs in one array, each group's linked in
 * input order: no allocation per group.  With --grouped only the group
 * being read has any: the array is emptied after each. */
struct point {
	double t, y;
};
static struct chains held;

/* A group's rows, once its last row is read: sorted, fitted, written, and
 * let go.  The header goes before the first group's rows. */
static void finish_group(const struct csv_header *h, const int *gcols, size_t ng,
			 struct group_table *groups, size_t g, struct chain *rows)
{
	static int header_written;
	static struct series s;
	static struct point *p;
	static size_t cap;

	if (!header_written) {
		estimates_header(h, gcols, ng, NULL, NULL);
		header_written = 1;
	}
	p = xgrow(p, &cap, rows->n + 1, sizeof *p);
	chains_copy(&held, rows, p);
	s.n = 0;
	for (size_t i = 0; i < rows->n; i++)
		series_add(&s, p[i].t, p[i].y);
	series_sort_by_time(&s);
	if (method == POISSON)
		poisson_group(groups, g, &s);
	else if (method == SEN)
		sen_group(groups, g, &s);
	else
		ols_group(groups, g, &s);
	*rows = (struct chain){ 0 };
	if (grouped)
		chains_clear(&held);
}

int main(int argc, char **argv)
{
	struct csv_reader *r = tt_start(argc, argv, &tool);
	const struct csv_header *h;
	struct group_table *groups;
	struct group_blocks blocks = { 0 };
	struct chain *acc = NULL;
	struct csv_row *row;
	size_t ng, nacc = 0, cap = 0;
	long missing = 0;
	int *gcols, vcol, tcol;

	if (method == POISSON && transform != RAW)
		die_usage("--log and --log1p do not go with --method poisson (it fits the log of the mean)");
	if (method != POISSON && lag >= 0)
		die_usage("option --lag: Newey-West standard errors are for --method poisson");
	chains_init(&held, sizeof(struct point));
	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	vcol = col_require(h, csv_first_file(r), opt.value, "value column");
	tcol = col_require(h, csv_first_file(r), opt.time, "time column");
	gcols = col_groups(h, csv_first_file(r), opt.groups, opt.all, &ng);
	groups = group_new(gcols, ng);
	blocks.g = groups;

	/* Without --grouped every group's values are held to the end (the
	 * groups may come in any order); with it, a group is finished when
	 * the next one begins, and one list serves every group in turn. */
	while (csv_next(r, &row)) {
		size_t g = grouped ? group_block_of(&blocks, row) : group_of(groups, row);
		double y, t;

		if (g == nacc) {
			if (grouped && nacc)
				finish_group(h, gcols, ng, groups, nacc - 1, acc);
			if (!grouped || nacc == 0) {
				acc = xgrow(acc, &cap, nacc + 1, sizeof *acc);
				memset(&acc[nacc], 0, sizeof *acc);
			}
			nacc++;
		}
		if (cell_number(h, row, vcol, &y)) {
			missing++;
			continue;
		}
		t = cell_time_number(h, row, tcol);
		*(struct point *)chains_add(&held, &acc[grouped ? 0 : g]) =
			(struct point){ t, transformed(h, row, vcol, count_value(h, row, vcol, y)) };
	}

	if (grouped && nacc)
		finish_group(h, gcols, ng, groups, nacc - 1, acc);
	for (size_t g = 0; !grouped && g < nacc; g++)
		finish_group(h, gcols, ng, groups, g, &acc[g]);
	if (nacc == 0)
		estimates_header(h, gcols, ng, NULL, NULL);
	if (missing)
		warn("%ld missing value%s skipped (not in n)", missing, missing == 1 ? "" : "s");
	free(acc);
	chains_free(&held);
	group_blocks_free(&blocks);
	group_free(groups);
	csv_close(r);
	free(gcols);
	return out_close();
}
