/* tt-stats: descriptive statistics of the value column per group. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "describe.h"
#include "diag.h"
#include "group.h"
#include "options.h"
#include "strlist.h"

enum op {
	OP_COUNT, OP_MISSING, OP_SUM, OP_MEAN, OP_SD, OP_VAR, OP_SE, OP_MIN, OP_Q1,
	OP_MEDIAN, OP_Q3, OP_MAX, OP_IQR, OP_PCT, OP_ACF1, OP_CV, OP_MAD, OP_FIRST, OP_LAST,
};

static const struct {
	const char *name;
	enum op op;
	int values;     /* needs the group's values */
	int timed;      /* needs them in time order */
} op_table[] = {
	{ "count", OP_COUNT, 0, 0 }, { "missing", OP_MISSING, 0, 0 }, { "sum", OP_SUM, 0, 0 },
	{ "mean", OP_MEAN, 0, 0 }, { "sd", OP_SD, 0, 0 }, { "var", OP_VAR, 0, 0 },
	{ "se", OP_SE, 0, 0 }, { "min", OP_MIN, 0, 0 }, { "q1", OP_Q1, 1, 0 },
	{ "median", OP_MEDIAN, 1, 0 }, { "q3", OP_Q3, 1, 0 }, { "max", OP_MAX, 0, 0 },
	{ "iqr", OP_IQR, 1, 0 }, { "acf1", OP_ACF1, 1, 1 }, { "cv", OP_CV, 0, 0 },
	{ "mad", OP_MAD, 1, 0 }, { "first", OP_FIRST, 0, 1 }, { "last", OP_LAST, 0, 1 },
};

struct stat_op {
	enum op op;
	double p;           /* OP_PCT */
	const char *name;
};

struct acc {
	struct moments m;
	struct series s;            /* values (with times) when an op needs them */
	double first_t, first_y, last_t, last_y;
};

static const char *ops_arg = "count,missing,mean,sd,min,median,max";

static const struct tool tool = {
	"tt-stats", "[OPTION]... [FILE]...",
	"Descriptive statistics of the value column, one row per group.\n"
	"Ops: count missing sum mean sd var se min q1 median q3 max iqr pNN acf1 cv mad first last.",
	C_TABLE | C_GROUP | C_ALL | C_TIME | C_VALUE | C_MAXG, (const struct tt_opt[]){
		OPT_STRING("ops", 'o', "LIST", ops_arg, "statistics to compute, comma-separated (default count,missing,mean,sd,min,median,max)"),
		OPT_END(),
	},
};

static struct stat_op *parse_ops(size_t *nops, int *values, int *timed)
{
	struct strlist l = { 0 };
	struct stat_op *ops;

	strlist_split(&l, ops_arg);
	if (l.n == 0)
		die_usage("option --ops: no statistics named");
	ops = xmalloc(l.n * sizeof *ops);
	for (size_t i = 0; i < l.n; i++) {
		const char *s = l.v[i];
		size_t k;
		ops[i].name = xstrdup(s);
		for (k = 0; k < sizeof op_table / sizeof op_table[0]; k++)
			if (strcmp(s, op_table[k].name) == 0)
				break;
		if (k < sizeof op_table / sizeof op_table[0]) {
			ops[i].op = op_table[k].op;
			*values |= op_table[k].values;
			*timed |= op_table[k].timed;
			continue;
		}
		char *end;
		long pct = s[0] == 'p' && s[1] >= '0' && s[1] <= '9' ? strtol(s + 1, &end, 10) : -1;
		if (pct < 0 || pct > 100 || *end != '\0')
			die_usage("option --ops: unknown statistic '%s'", s);
		ops[i].op = OP_PCT;
		ops[i].p = (double)pct / 100;
		*values = 1;
	}
	*nops = l.n;
	strlist_free(&l);
	return ops;
}

static double value_of(const struct stat_op *o, struct acc *a, double *sorted, size_t n)
{
	const struct moments *m = &a->m;
	double v, mean;

	switch (o->op) {
	case OP_COUNT: return (double)m->n;
	case OP_MISSING: return (double)m->missing;
	case OP_SUM: return moments_sum(m);
	case OP_MEAN: return moments_mean(m);
	case OP_SD: return sqrt(moments_var(m));
	case OP_VAR: return moments_var(m);
	case OP_SE: return sqrt(moments_var(m) / (double)m->n);
	case OP_MIN: return m->n ? m->min : NAN;
	case OP_MAX: return m->n ? m->max : NAN;
	case OP_Q1: return quantile_sorted(sorted, n, 0.25);
	case OP_MEDIAN: return quantile_sorted(sorted, n, 0.5);
	case OP_Q3: return quantile_sorted(sorted, n, 0.75);
	case OP_PCT: return quantile_sorted(sorted, n, o->p);
	case OP_IQR: return quantile_sorted(sorted, n, 0.75) - quantile_sorted(sorted, n, 0.25);
	case OP_MAD: return mad(sorted, n);
	case OP_CV:
		mean = moments_mean(m);
		return mean == 0 ? NAN : sqrt(moments_var(m)) / mean;
	case OP_ACF1:
		if (a->s.n < 2)
			return NAN;
		v = gsl_stats_lag1_autocorrelation(a->s.y, 1, a->s.n);
		return isfinite(v) ? v : NAN;
	case OP_FIRST: return m->n ? a->first_y : NAN;
	case OP_LAST: return m->n ? a->last_y : NAN;
	}
	return NAN;
}

static void write_header(const struct csv_header *h, const int *gcols, size_t ng,
			 const struct stat_op *ops, size_t nops)
{
	for (size_t k = 0; k < ng; k++)
		out_field(h->name[gcols[k]], h->len[gcols[k]]);
	for (size_t i = 0; i < nops; i++)
		out_str(ops[i].name);
	out_endrow();
}

int main(int argc, char **argv)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, &tool);
	int need_values = 0, timed = 0, vcol, tcol = -1;
	size_t nops, ng, nacc = 0, cap = 0;
	struct stat_op *ops = parse_ops(&nops, &need_values, &timed);
	struct csv_reader *r = csv_open(argv + first, argc - first, opt.delim);
	const struct csv_header *h;
	struct group_table *groups;
	struct acc *acc = NULL;
	struct csv_row *row;
	int *gcols;
	long order = 0;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	vcol = col_require(h, csv_first_file(r), opt.value, "value column");
	if (timed)
		tcol = opt.time_given ? col_require(h, csv_first_file(r), opt.time, "time column")
				      : col_find(h, opt.time);
	gcols = col_groups(h, csv_first_file(r), opt.groups, opt.all, &ng);
	groups = group_new(gcols, ng);

	while (csv_next(r, &row)) {
		size_t g = group_of(groups, row);
		double y, t = 0;
		struct acc *a;

		if (g == nacc) {
			acc = xgrow(acc, &cap, nacc + 1, sizeof *acc);
			memset(&acc[nacc++], 0, sizeof *acc);
		}
		a = &acc[g];
		order++;
		if (cell_number(h, row, vcol, &y)) {
			a->m.missing++;
			continue;
		}
		if (timed) {
			t = (double)order;
			if (tcol >= 0)
				t = cell_time_number(h, row, tcol);
			if (a->m.n == 0 || t < a->first_t) {
				a->first_t = t;
				a->first_y = y;
			}
			if (a->m.n == 0 || t >= a->last_t) {
				a->last_t = t;
				a->last_y = y;
			}
		}
		moments_add(&a->m, y);
		if (need_values)
			series_add(&a->s, timed ? t : 0, y);
	}

	write_header(h, gcols, ng, ops, nops);
	for (size_t g = 0; g < nacc; g++) {
		struct acc *a = &acc[g];
		double *sorted = NULL;
		if (need_values) {
			if (timed)
				series_sort_by_time(&a->s);
			sorted = xmalloc((a->s.n ? a->s.n : 1) * sizeof *sorted);
			if (a->s.n)     /* all missing: s.y is still NULL */
				memcpy(sorted, a->s.y, a->s.n * sizeof *sorted);
			sort_doubles(sorted, a->s.n);
		}
		group_write_key(groups, g);
		for (size_t i = 0; i < nops; i++) {
			if (ops[i].op == OP_COUNT || ops[i].op == OP_MISSING)
				out_int((long long)value_of(&ops[i], a, sorted, a->s.n));
			else
				out_num(value_of(&ops[i], a, sorted, a->s.n));
		}
		out_endrow();
		free(sorted);
		series_free(&a->s);
	}
	free(acc);
	for (size_t i = 0; i < nops; i++)
		free((char *)ops[i].name);
	free(ops);
	group_free(groups);
	csv_close(r);
	free(gcols);
	return out_close();
}
