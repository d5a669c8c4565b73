/* tt-prepost: before and after an event, per group and pooled across
 * groups: means, Welch's t, Mann-Whitney, and the segmented (interrupted
 * time series) regression with Newey-West standard errors.  Reads a table
 * joined by tt-join (rel_year, post). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chains.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "estimates.h"
#include "group.h"
#include "joined.h"
#include "htest.h"
#include "options.h"
#include "strbuf.h"
#include "regress.h"

static struct event_window window = EVENT_WINDOW_ALL;   /* --pre, --post, --drop-event */
static long lag_arg = -1;
static int pooled;
static int grouped;              /* --grouped: each group's rows together */

static const struct tool tool = {
	"tt-prepost", "[OPTION]... [FILE]...",
	"Pre vs post event comparison per group (default groups iso3,indicator) of a table\n"
	"joined by tt-join: terms mean_pre, mean_post, diff, pct_change, mann_whitney,\n"
	"its_pre_slope, its_level, its_slope; --pooled adds pooled_diff, signed_rank, sign_test.",
	C_TABLE | C_GROUP | C_ALL | C_TIME | C_VALUE | C_LEVEL | C_MAXG, (const struct tt_opt[]){
		OPT_DOUBLE("pre", 0, "N", window.pre, 0, INFINITY, OPT_CLOSED, "keep the N time units before the event: rel_year >= -N (default all)"),
		OPT_DOUBLE("post", 0, "N", window.post, 0, INFINITY, OPT_CLOSED, "keep rel_year <= N (default all); rel_year 0, the event's year, is post"),
		OPT_FLAG("drop-event", 0, window.drop_event, "leave out the event's own year (rel_year 0)"),
		OPT_LONG("lag", 0, "L", lag_arg, 0, 1000000, "Newey-West lag of the ITS terms (default floor(4 (n/100)^(2/9)) per group)"),
		OPT_FLAG("pooled", 0, pooled, "add rows ALL,...: the per-group differences tested across groups"),
		OPT_FLAG("grouped", 0, grouped, "each group's rows together in the input: hold one group's values at a time"),
		OPT_END(),
	},
};

struct prepost_group {
	struct chain rows;       /* its observations, held (held below) */
	struct its_obs *o;       /* while it is written: them, in order */
	size_t n;
	long treated_rows, untreated_rows;
	size_t stratum;          /* --pooled: index among the other group columns */
	int has_diff;
	double diff, mean_pre;
};

/* Every group's observations in one array, each group's linked in input
 * order: no allocation per group.  With --grouped only the group being
 * read has any: the array is emptied after each. */
static struct chains held;

/* the values of one side (post 0 or 1) */
static size_t side(const struct prepost_group *a, double which, double *out)
{
	size_t k = 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->o[i].post == which)
			out[k++] = a->o[i].y;
	return k;
}

static void write_row(struct group_table *g, size_t i, const struct estimates_row *r)
{
	group_write_key(g, i);
	estimates_write(r, NULL);
}

/* a mean with its t-based standard error and interval, and its test of 0
 * when `test` (a test of "the mean is 0" would mean nothing for a count) */
static struct estimates_row mean_row(const char *term, const char *method,
				     const struct sample *x, int test)
{
	struct mean_t_result m;
	struct estimates_row r = estimates_row(term, method);

	(test ? one_sample_t_of : mean_interval)(x, opt.level, &m);
	r.inf = m.mean;
	r.n = (long long)x->n;
	return r;
}

static void write_mean(struct group_table *g, size_t i, const char *term,
		       const struct sample *x)
{
	struct estimates_row r = mean_row(term, "mean", x, 0);

	write_row(g, i, &r);
}

static int write_welch(struct group_table *g, size_t i, struct prepost_group *a,
		       const struct sample *pre, const struct sample *post)
{
	struct welch_result w;
	struct estimates_row r = estimates_row("diff", "welch");
	struct estimates_row p = estimates_row("pct_change", "mean");
	int rc = welch_of(pre, post, opt.level, &w);

	r.inf = w.diff;
	r.n = p.n = (long long)(pre->n + post->n);
	if (w.mean_pre != 0)
		p.inf.estimate = 100 * w.diff.estimate / w.mean_pre;
	/* a difference near the largest double: 100 d overflows, d/m need not */
	if (isinf(p.inf.estimate))
		p.inf.estimate = 100 * (w.diff.estimate / w.mean_pre);
	write_row(g, i, &r);
	write_row(g, i, &p);
	a->has_diff = !isnan(w.diff.estimate);
	a->diff = w.diff.estimate;
	a->mean_pre = w.mean_pre;
	return rc;
}

static void write_mann_whitney(struct group_table *g, size_t i, const double *pre,
			       size_t n_pre, const double *post, size_t n_post)
{
	struct mann_whitney_result mw;
	int rc = mann_whitney(pre, n_pre, post, n_post, &mw);
	struct estimates_row r = estimates_row("mann_whitney",
		rc == HTEST_OK ? mann_whitney_method(&mw) : "mann-whitney");

	r.inf.statistic = mw.u;
	r.inf.p_value = mw.p_value;
	r.n = (long long)(n_pre + n_post);
	write_row(g, i, &r);
}

/* Residuals at rounding level: the standard errors are rounding noise and
 * would give t statistics of 1e15.  Report the fit as exact instead, as a
 * constant series is (tt-toolkit(7)): standard error 0, no test. */
static void exact_fit(struct its_fit *fit, int *rc)
{
	for (int j = 0; j < ITS_TERMS; j++)
		inference_t(&fit->b[j], fit->b[j].estimate, 0, fit->b[j].df, opt.level);
	*rc = REGRESS_CONSTANT_Y;
}

static void write_its(struct group_table *g, size_t i, const struct prepost_group *a,
		      int *rc)
{
	static const char *terms[] = { "its_pre_slope", "its_level", "its_slope" };
	static const int which[] = { ITS_PRE_SLOPE, ITS_LEVEL, ITS_SLOPE };
	size_t lag = lag_arg >= 0 ? (size_t)lag_arg : newey_west_default_lag(a->n);
	static char method[64];     /* groups of one size share their lag */
	static size_t method_lag = SIZE_MAX;
	struct its_fit fit;

	*rc = its_obs_fit(a->o, a->n, lag, opt.level, &fit);
	if (*rc == REGRESS_OK && fit.r2 == 1)
		exact_fit(&fit, rc);
	if (lag != method_lag) {
		snprintf(method, sizeof method, "newey-west(lag=%zu,bartlett)", lag);
		method_lag = lag;
	}
	for (size_t t = 0; t < 3; t++) {
		struct estimates_row r = estimates_row(terms[t], method);

		r.inf = fit.b[which[t]];
		r.n = (long long)a->n;
		write_row(g, i, &r);
	}
}

static int all_equal(const struct prepost_group *a)
{
	for (size_t k = 1; k < a->n; k++)
		if (a->o[k].y != a->o[0].y)
			return 0;
	return 1;
}

/* Why a group cannot have every term.  One group's reason is told as it is
 * ("PHL, prosecutions: 2 pre and 5 post observations: no ITS ..."); the
 * groups that share a reason are told in one line that lists them, so that
 * a run over 180 countries says what it could not do in a few lines, not
 * in a hundred. */
enum why {
	W_NOCOMP, W_NOWELCH, W_NOITS, W_SINGULAR, W_OVERFLOW, W_EXACT, W_CONST, W_CONSTWELCH,
	W_MEANPRE0, W_REPEAT, W_GAP, W_N
};

static const char *const why_text[W_N] = {
	"no comparison (observations on one side of the event only)",
	"no Welch test and no ITS (they need 2 and 3 observations on each side)",
	"no ITS (it needs 3 observations on each side)",
	"the ITS regression is singular (repeated years?): no ITS",
	"values too large: the ITS numbers overflow a double, no ITS",
	"the ITS lines fit exactly: standard errors 0, no ITS tests",
	"constant values: differences 0, no tests",
	"values constant before and after: no Welch test",
	"mean_pre is 0: no pct_change",
	"several observations at one rel_year (is a group column missing?): Newey-West lags count observations",
	"years missing around the event: Newey-West lags count observations, not years",
};

static struct {
	size_t n;
	struct strbuf one;      /* the message of the first group */
	struct strbuf list;     /* "label (detail); ..." */
} told[W_N];

static void tell(enum why w, const char *label, const char *detail, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void tell(enum why w, const char *label, const char *detail, const char *fmt, ...)
{
	va_list ap;

	if (told[w].n++ == 0) {
		sb_printf(&told[w].one, "%s: ", label);
		va_start(ap, fmt);
		sb_vprintf(&told[w].one, fmt, ap);
		va_end(ap);
	}
	/* a line for every such group: appended, not formatted */
	if (told[w].n > 1)
		sb_puts(&told[w].list, "; ");
	sb_puts(&told[w].list, label);
	if (*detail) {
		sb_puts(&told[w].list, " (");
		sb_puts(&told[w].list, detail);
		sb_addc(&told[w].list, ')');
	}
}

static void tell_all(void)
{
	for (int w = 0; w < W_N; w++) {
		if (told[w].n == 1)
			warn("%s", told[w].one.s);
		else if (told[w].n > 1)
			warn("%zu groups: %s: %s", told[w].n, why_text[w], told[w].list.s);
		free(sb_take(&told[w].one));
		free(sb_take(&told[w].list));
		told[w].n = 0;
	}
}


static void explain(struct group_table *g, size_t i, const struct prepost_group *a,
		    size_t n_pre, size_t n_post, int welch_rc, int its_rc)
{
	int constant = n_pre && n_post && all_equal(a);
	const char *label;
	char counts[64];

	/* most groups have nothing to tell: their label is not built */
	if (n_pre >= 3 && n_post >= 3 && its_rc != REGRESS_SINGULAR && its_rc != REGRESS_OVERFLOW &&
	    its_rc != REGRESS_CONSTANT_Y && !constant && welch_rc != HTEST_CONSTANT &&
	    !(a->has_diff && a->mean_pre == 0))
		return;
	label = group_label(g, i);
	snprintf(counts, sizeof counts, "%zu pre, %zu post", n_pre, n_post);
	if (n_pre == 0 || n_post == 0)
		tell(W_NOCOMP, label, counts, "%zu pre and %zu post observations: no comparison",
		     n_pre, n_post);
	else if (n_pre < 2 || n_post < 2)
		tell(W_NOWELCH, label, counts, "%zu pre and %zu post observations: no Welch test "
		     "and no ITS (they need 2 and 3 on each side)", n_pre, n_post);
	else if (n_pre < 3 || n_post < 3)
		tell(W_NOITS, label, counts, "%zu pre and %zu post observations: no ITS (it needs "
		     "3 on each side)", n_pre, n_post);
	else if (its_rc == REGRESS_SINGULAR)
		tell(W_SINGULAR, label, "", "%s", why_text[W_SINGULAR]);
	else if (its_rc == REGRESS_OVERFLOW)
		tell(W_OVERFLOW, label, "", "%s", why_text[W_OVERFLOW]);
	else if (its_rc == REGRESS_CONSTANT_Y && !constant)
		tell(W_EXACT, label, "", "%s", why_text[W_EXACT]);
	if (constant)
		tell(W_CONST, label, "", "%s", why_text[W_CONST]);
	else if (welch_rc == HTEST_CONSTANT)
		tell(W_CONSTWELCH, label, "", "%s", why_text[W_CONSTWELCH]);
	if (a->has_diff && a->mean_pre == 0)
		tell(W_MEANPRE0, label, "", "%s", why_text[W_MEANPRE0]);
}

/* Newey-West lags count observations, so a missing year shortens them and
 * a repeated one (countries pooled in one group?) makes them meaningless. */
static void check_spacing(struct group_table *g, size_t i, const struct prepost_group *a)
{
	char at[64];

	for (size_t k = 1; k < a->n; k++) {
		double lo = a->o[k - 1].rel, hi = a->o[k].rel;

		if (hi == lo) {
			snprintf(at, sizeof at, "rel_year %g", lo);
			tell(W_REPEAT, group_label(g, i), at, "several observations at rel_year %g "
			     "(is a group column missing?): Newey-West lags count observations", lo);
			return;
		}
	}
	for (size_t k = 1; k < a->n; k++) {
		double lo = a->o[k - 1].rel, hi = a->o[k].rel;

		if (hi - lo <= 1 || (window.drop_event && lo == -1 && hi == 1))
			continue;
		snprintf(at, sizeof at, "none between rel_year %g and %g", lo, hi);
		tell(W_GAP, group_label(g, i), at, "no observation between rel_year %g and %g: "
		     "Newey-West lags count observations, not years", lo, hi);
		return;
	}
}

static void prepost_group(struct group_table *g, size_t i, struct prepost_group *a)
{
	double *pre = xmalloc(2 * (a->n ? a->n : 1) * sizeof *pre), *post = pre + a->n;
	size_t n_pre, n_post;
	struct sample s_pre, s_post;
	int welch_rc, its_rc;

	its_obs_sort(a->o, a->n);
	n_pre = side(a, 0, pre);
	n_post = side(a, 1, post);
	s_pre = sample_of(pre, n_pre);
	s_post = sample_of(post, n_post);
	write_mean(g, i, "mean_pre", &s_pre);
	write_mean(g, i, "mean_post", &s_post);
	welch_rc = write_welch(g, i, a, &s_pre, &s_post);
	write_mann_whitney(g, i, pre, n_pre, post, n_post);
	write_its(g, i, a, &its_rc);
	explain(g, i, a, n_pre, n_post, welch_rc, its_rc);
	if (n_pre >= 3 && n_post >= 3)
		check_spacing(g, i, a);
	free(pre);
}

/* a row of the pooled set: "ALL" for the group, then the stratum's key */
static void write_pooled_row(struct group_table *strata, size_t s, const struct estimates_row *r)
{
	out_str("ALL");
	group_write_key(strata, s);
	estimates_write(r, NULL);
}

/* --pooled: the groups' differences, one set per value of the other group
 * columns (per indicator, say), tested across groups. */
static void write_pooled_set(struct group_table *strata, size_t s, const double *d,
			     size_t m)
{
	struct signed_rank_result sr;
	struct sign_test_result st;
	struct sample ds = sample_of(d, m);
	struct estimates_row r = mean_row("pooled_diff", "one-sample-t", &ds, 1);
	int sr_rc;

	write_pooled_row(strata, s, &r);

	sr_rc = signed_rank(d, m, &sr);
	r = estimates_row("signed_rank", sr_rc == HTEST_OK ? signed_rank_method(&sr) : "signed-rank");
	r.inf.statistic = sr.v;
	r.inf.p_value = sr.p_value;
	r.n = (long long)m;
	write_pooled_row(strata, s, &r);

	sign_test(d, m, opt.level, &st);
	r = estimates_row("sign_test", "sign-test exact");
	r.inf.estimate = st.share;
	r.inf.statistic = st.n ? (double)st.n_pos : NAN;
	r.inf.p_value = st.p_value;
	r.inf.conf_low = st.conf_low;
	r.inf.conf_high = st.conf_high;
	r.n = (long long)m;
	write_pooled_row(strata, s, &r);
}

static void write_pooled(struct group_table *strata, const struct prepost_group *acc,
			 size_t nacc)
{
	double *d = xmalloc((nacc ? nacc : 1) * sizeof *d);

	for (size_t s = 0; s < group_count(strata); s++) {
		size_t m = 0, treated = 0;
		char label[4096];

		for (size_t g = 0; g < nacc; g++) {
			if (acc[g].stratum != s || acc[g].treated_rows == 0)
				continue;
			treated++;
			if (acc[g].has_diff)
				d[m++] = acc[g].diff;
		}
		if (treated == 0)
			continue;
		snprintf(label, sizeof label, "ALL%s%s", group_ncols(strata) ? ", " : "",
			 group_ncols(strata) ? group_label(strata, s) : "");
		if (m == 0)
			warn("%s: no group has both pre and post observations: no pooled tests",
			     label);
		else if (m == 1)
			warn("%s: 1 group has both pre and post observations: no pooled t test",
			     label);
		write_pooled_set(strata, s, d, m);
	}
	free(d);
}

/* A group's rows, once its last row is read: written, and its values
 * freed; what --pooled and the notes need stays.  The header goes before
 * the first group's rows. */
static void finish_group(const struct csv_header *h, const int *gcols, size_t ng,
			 struct group_table *groups, size_t g, struct prepost_group *a,
			 size_t *never)
{
	static int header_written;

	if (!header_written) {
		estimates_header(h, gcols, ng, NULL, NULL);
		header_written = 1;
	}
	static struct its_obs *o;
	static size_t cap;

	if (a->treated_rows == 0) {
		++*never;
	} else {
		if (a->untreated_rows)
			warn("%s: %ld row%s without an event skipped", group_label(groups, g),
			     a->untreated_rows, a->untreated_rows == 1 ? "" : "s");
		o = xgrow(o, &cap, a->rows.n + 1, sizeof *o);
		chains_copy(&held, &a->rows, o);
		for (size_t k = 0; k < a->rows.n; k++)
			o[k].order = (uint32_t)k;
		a->o = o;
		a->n = a->rows.n;
		prepost_group(groups, g, a);
	}
	a->o = NULL;
	a->rows = (struct chain){ 0 };
	if (grouped)
		chains_clear(&held);
}

int main(int argc, char **argv)
{
	struct csv_reader *r = tt_start(argc, argv, &tool);
	const struct csv_header *h;
	struct group_table *groups, *strata = NULL;
	struct group_blocks blocks = { 0 };
	struct prepost_group *acc = NULL;
	struct event_cols ec;
	struct csv_row *row;
	size_t ng, nacc = 0, cap = 0, never = 0;
	long missing = 0;
	int *gcols, vcol;

	chains_init(&held, sizeof(struct its_obs));
	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	vcol = col_require(h, csv_first_file(r), opt.value, "value column");
	ec = event_cols_find(h, csv_first_file(r), opt.time);
	gcols = col_groups(h, csv_first_file(r), opt.groups, opt.all, &ng);
	if (pooled && ng == 0)
		die_usage("--pooled needs group columns, the first naming the unit (iso3)");
	groups = group_new(gcols, ng);
	blocks.g = groups;
	if (pooled)
		strata = group_new(gcols + 1, ng - 1);

	/* Without --grouped every group's observations are held to the end
	 * (the groups may come in any order); with it, a group is finished
	 * when the next one begins, so one group's are held at a time. */
	while (csv_next(r, &row)) {
		size_t g = grouped ? group_block_of(&blocks, row) : group_of(groups, row);
		struct prepost_group *a;
		double rel, post, y;

		if (g == nacc) {
			if (grouped && nacc)
				finish_group(h, gcols, ng, groups, nacc - 1, &acc[nacc - 1], &never);
			acc = xgrow(acc, &cap, nacc + 1, sizeof *acc);
			memset(&acc[nacc++], 0, sizeof *acc);
			if (pooled)
				acc[g].stratum = group_of(strata, row);
		}
		a = &acc[g];
		if (event_of_row(h, row, &ec, &rel, &post)) {
			a->untreated_rows++;
			continue;
		}
		a->treated_rows++;
		if (!event_window_keeps(&window, rel))
			continue;
		if (cell_number(h, row, vcol, &y)) {
			missing++;
			continue;
		}
		*(struct its_obs *)chains_add(&held, &a->rows) =
			(struct its_obs){ rel, y, (float)post, 0 };
	}

	for (size_t g = grouped && nacc ? nacc - 1 : 0; g < nacc; g++)
		finish_group(h, gcols, ng, groups, g, &acc[g], &never);
	if (nacc == 0)
		estimates_header(h, gcols, ng, NULL, NULL);
	tell_all();
	if (pooled)
		write_pooled(strata, acc, nacc);
	if (never)
		warn("%zu group%s never treated (no event): no rows", never, never == 1 ? "" : "s");
	if (missing)
		warn("%ld missing value%s skipped (not in n)", missing, missing == 1 ? "" : "s");
	free(acc);
	chains_free(&held);
	group_blocks_free(&blocks);
	group_free(groups);
	if (strata)
		group_free(strata);
	csv_close(r);
	free(gcols);
	return out_close();
}
