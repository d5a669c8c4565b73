#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "group.h"
#include "number.h"
#include "options.h"
#include "strbuf.h"

#ifndef TT_VERSION
#define TT_VERSION "0"
#endif

struct common_opts opt = { ',', NULL, 0, "year", 0, "value", 0.95 };

static void set_delim(const struct tt_opt *o, const char *arg)
{
	(void)o;
	if (csv_delim_from(arg, &opt.delim) != 0)
		die_usage("option --delimiter: '%s' is not one character or 'tab'", arg);
	/* the output stays CSV whatever the input was */
}

static void set_time(const struct tt_opt *o, const char *arg)
{
	(void)o;
	opt.time = arg;
	opt.time_given = 1;
}

static void set_na(const struct tt_opt *o, const char *arg)
{
	(void)o;
	na_set(arg);
}

static void set_max_groups(const struct tt_opt *o, const char *arg)
{
	group_limit = (size_t)opt_long(o->lname, arg, 0, LONG_MAX);
}

static const struct {
	unsigned bit;
	struct tt_opt o;
} common_table[] = {
	{ C_DELIM, OPT_CALLBACK("delimiter", 'd', "C", set_delim, "field delimiter; 'tab' or '\\t' for TSV (default ',')") },
	{ C_GROUP, OPT_STRING("group", 'g', "COLS", opt.groups, "grouping columns, comma-separated names or 1-based numbers (default: those of iso3,indicator present)") },
	{ C_ALL, OPT_FLAG("all", 0, opt.all, "treat the whole input as one group") },
	{ C_TIME, OPT_CALLBACK("time", 't', "COL", set_time, "time column (default 'year')") },
	{ C_VALUE, OPT_STRING("value", 'v', "COL", opt.value, "value column (default 'value')") },
	{ C_NA, OPT_CALLBACK("na", 0, "LIST", set_na, "strings read as missing besides the empty cell (default NA,N/A,n/a,..,-)") },
	{ C_PREC, OPT_INT("precision", 'p', "N", out_precision, 1, 17, "significant digits of numbers written (default: shortest exact form)") },
	{ C_LEVEL, OPT_DOUBLE("level", 0, "X", opt.level, 0, 1, OPT_OPEN, "confidence level of conf_low/conf_high (default 0.95)") },
	{ C_MAXG, OPT_CALLBACK("max-groups", 0, "N", set_max_groups, "stop with an error past N distinct groups (default 1000000; 0: no limit)") },
};
#define NCOMMON (sizeof common_table / sizeof common_table[0])

/* answered by opts_parse itself: no storage */
static const struct tt_opt help_opts[] = {
	{ "help", 'h', NULL, "show this help and exit", TT_OPT_FLAG, .i = NULL },
	{ "version", 'V', NULL, "show the version and exit", TT_OPT_FLAG, .i = NULL },
};

/* the entries given on the command line opts_parse read, for opt_given */
static const struct tt_opt *given[128];
static size_t ngiven;

long opt_long(const char *name, const char *arg, long lo, long hi)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < lo || v > hi)
		die_usage("option --%s: '%s' is not a whole number from %ld to %ld",
			  name, arg, lo, hi);
	return v;
}

int opt_choice(const char *name, const char *arg, const char *const *words)
{
	struct strbuf b = { 0 };
	size_t n = 0;

	for (; words[n]; n++)
		if (strcmp(arg, words[n]) == 0)
			return (int)n;
	for (size_t i = 0; i < n; i++)
		sb_printf(&b, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", words[i]);
	die_usage("option --%s: '%s' is not %s", name, arg, b.s ? b.s : "allowed");
}

double opt_double(const char *name, const char *arg)
{
	double v;
	if (parse_number(arg, strlen(arg), &v) != NUM_OK)
		die_usage("option --%s: '%s' is not a number", name, arg);
	return v;
}

double opt_double_in(const char *name, const char *arg, double lo, double hi,
		     unsigned ends)
{
	double v = opt_double(name, arg);
	int lo_open = (ends & OPT_OPEN_LO) != 0, hi_open = (ends & OPT_OPEN_HI) != 0;

	if ((lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi))
		return v;
	if (isinf(hi) && lo == 0)
		die_usage("option --%s: '%s' %s", name, arg,
			  lo_open ? "is not a positive number" : "is negative");
	if (isinf(hi))
		die_usage("option --%s: '%s' is not a number %s %g", name, arg,
			  lo_open ? "above" : "of at least", lo);
	if (isinf(lo))
		die_usage("option --%s: '%s' is not a number %s %g", name, arg,
			  hi_open ? "below" : "of at most", hi);
	if (lo_open && hi_open)
		die_usage("option --%s: '%s' is not between %g and %g", name, arg, lo, hi);
	die_usage("option --%s: '%s' is not a number %s %g and %s %g", name, arg,
		  lo_open ? "above" : "of at least", lo, hi_open ? "below" : "at most", hi);
}

static void print_opt(const struct tt_opt *o)
{
	char left[64];
	int n = snprintf(left, sizeof left, "  %c%c%s--%s%s%s", o->sname ? '-' : ' ',
			 o->sname ? o->sname : ' ', o->sname ? ", " : "  ", o->lname,
			 o->arg ? " " : "", o->arg ? o->arg : "");
	printf("%s%*s%s\n", left, n < 26 ? 26 - n : 1, "", o->help);
}

static void usage(const struct tool *t)
{
	printf("Usage: %s %s\n%s\n\nOptions:\n", t->name, t->usage, t->about);
	for (const struct tt_opt *o = t->opts; o && o->lname; o++)
		print_opt(o);
	for (size_t i = 0; i < NCOMMON; i++)
		if (t->common & common_table[i].bit)
			print_opt(&common_table[i].o);
	print_opt(&help_opts[0]);
	print_opt(&help_opts[1]);
	printf("\nExit status: 0 success, 1 a problem with the input, 2 a wrong command line.\n"
	       "See the manual page %s(1).\n", t->name);
}

static void store(const struct tt_opt *o, const char *arg)
{
	long v;

	switch (o->kind) {
	case TT_OPT_FLAG:
		*o->i = (int)o->lo;
		break;
	case TT_OPT_STRING:
		*o->s = arg;
		break;
	case TT_OPT_LONG:
		*o->l = opt_long(o->lname, arg, o->lo, o->hi);
		break;
	case TT_OPT_INT:
		*o->i = (int)opt_long(o->lname, arg, o->lo, o->hi);
		break;
	case TT_OPT_DOUBLE:
		*o->d = opt_double_in(o->lname, arg, o->dlo, o->dhi, o->ends);
		break;
	case TT_OPT_CHOICE:
		v = opt_choice(o->lname, arg, o->words);
		*o->i = o->values ? o->values[v] : (int)v;
		break;
	case TT_OPT_CALLBACK:
		o->fn(o, arg);
		break;
	}
}

int opt_given(const struct tt_opt *o)
{
	for (size_t i = 0; i < ngiven; i++)
		if (given[i] == o)
			return 1;
	return 0;
}

void tt_init(const char *argv0)
{
	diag_init(argv0);
	out_init();
	/* GSL's default handler aborts on a domain error (a t distribution
	 * with an infinite df from values near DBL_MAX, say): the tools take
	 * the NaN it then returns, which they write as an empty cell */
	gsl_set_error_handler_off();
}

int opts_parse(int argc, char **argv, const struct tool *t)
{
	const struct tt_opt *all[128];
	struct option lo[129];
	char shorts[3 * 128 + 2] = ":";
	size_t n = 0, k = 1;
	int c, idx;

	ngiven = 0;
	for (const struct tt_opt *o = t->opts; o && o->lname; o++)
		all[n++] = o;
	for (size_t i = 0; i < NCOMMON; i++)
		if (t->common & common_table[i].bit)
			all[n++] = &common_table[i].o;
	all[n++] = &help_opts[0];
	all[n++] = &help_opts[1];
	for (size_t i = 0; i < n; i++) {
		lo[i] = (struct option){ all[i]->lname, all[i]->arg ? required_argument : no_argument,
					 NULL, 1000 + (int)i };
		if (all[i]->sname) {
			shorts[k++] = (char)all[i]->sname;
			if (all[i]->arg)
				shorts[k++] = ':';
		}
	}
	lo[n] = (struct option){ 0, 0, 0, 0 };
	shorts[k] = '\0';
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		size_t i = n;
		if (c == '?')
			die_usage("unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			die_usage("option '%s' needs an argument", argv[optind - 1]);
		if (c >= 1000)
			i = (size_t)(c - 1000);
		else
			for (i = 0; i < n && all[i]->sname != c; i++)
				;
		if (all[i] == &help_opts[0] || all[i] == &help_opts[1]) {
			if (all[i] == &help_opts[0])
				usage(t);
			else
				printf("%s (tt) %s\n", t->name, TT_VERSION);
			if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE)
				die(1, "write error: %s", strerror(errno));
			tt_exit(0);
		}
		store(all[i], optarg);
		if (!opt_given(all[i]))
			given[ngiven++] = all[i];
	}
	if (opt.all && opt.groups)
		die_usage("--all and --group exclude each other");
	return optind;
}

struct csv_reader *tt_start(int argc, char **argv, const struct tool *t)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, t);
	return csv_open(argv + first, argc - first, opt.delim);
}
