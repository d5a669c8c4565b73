#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
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

static const struct {
	unsigned bit;
	struct tt_opt o;
} common_table[] = {
	{ C_DELIM, { "delimiter", 'd', "C", "field delimiter; 'tab' or '\\t' for TSV (default ',')" } },
	{ C_GROUP, { "group", 'g', "COLS", "grouping columns, comma-separated names or 1-based numbers (default: those of iso3,indicator present)" } },
	{ C_ALL, { "all", 0, NULL, "treat the whole input as one group" } },
	{ C_TIME, { "time", 't', "COL", "time column (default 'year')" } },
	{ C_VALUE, { "value", 'v', "COL", "value column (default 'value')" } },
	{ C_NA, { "na", 0, "LIST", "strings read as missing besides the empty cell (default NA,N/A,n/a,..,-)" } },
	{ C_PREC, { "precision", 'p', "N", "significant digits of numbers written (default: shortest exact form)" } },
	{ C_LEVEL, { "level", 0, "X", "confidence level of conf_low/conf_high (default 0.95)" } },
	{ C_MAXG, { "max-groups", 0, "N", "stop with an error past N distinct groups (default 1000000; 0: no limit)" } },
};
#define NCOMMON (sizeof common_table / sizeof common_table[0])

static const struct tt_opt help_opts[] = {
	{ "help", 'h', NULL, "show this help and exit" },
	{ "version", 'V', NULL, "show the version and exit" },
};

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

static void common_option(const char *name, const char *arg)
{
	if (strcmp(name, "delimiter") == 0) {
		if (csv_delim_from(arg, &opt.delim) != 0)
			die_usage("option --delimiter: '%s' is not one character or 'tab'", arg);
		/* the output stays CSV whatever the input was */
	} else if (strcmp(name, "group") == 0) {
		opt.groups = arg;
	} else if (strcmp(name, "all") == 0) {
		opt.all = 1;
	} else if (strcmp(name, "time") == 0) {
		opt.time = arg;
		opt.time_given = 1;
	} else if (strcmp(name, "value") == 0) {
		opt.value = arg;
	} else if (strcmp(name, "na") == 0) {
		na_set(arg);
	} else if (strcmp(name, "precision") == 0) {
		out_precision = (int)opt_long(name, arg, 1, 17);
	} else if (strcmp(name, "max-groups") == 0) {
		group_limit = (size_t)opt_long(name, arg, 0, LONG_MAX);
	} else if (strcmp(name, "level") == 0) {
		opt.level = opt_double(name, arg);
		if (!(opt.level > 0 && opt.level < 1))
			die_usage("option --level: '%s' is not between 0 and 1", arg);
	}
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
	int is_common[128];
	struct option lo[129];
	char shorts[3 * 128 + 2] = ":";
	size_t n = 0, k = 1;
	int c, idx;

	for (const struct tt_opt *o = t->opts; o && o->lname; o++, n++) {
		all[n] = o;
		is_common[n] = 0;
	}
	for (size_t i = 0; i < NCOMMON; i++)
		if (t->common & common_table[i].bit) {
			all[n] = &common_table[i].o;
			is_common[n++] = 1;
		}
	all[n] = &help_opts[0];
	is_common[n++] = 2;
	all[n] = &help_opts[1];
	is_common[n++] = 2;
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
		if (is_common[i] == 2) {
			if (all[i]->sname == 'h') {
				usage(t);
			} else {
				printf("%s (tt) %s\n", t->name, TT_VERSION);
			}
			if ((fflush(stdout) != 0 || ferror(stdout)) && errno != EPIPE)
				die(1, "write error: %s", strerror(errno));
			tt_exit(0);
		}
		if (is_common[i])
			common_option(all[i]->lname, optarg);
		else
			t->handle((int)(all[i] - t->opts), optarg);
	}
	if (opt.all && opt.groups)
		die_usage("--all and --group exclude each other");
	return optind;
}
