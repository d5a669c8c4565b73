/* tt-rate: a value per N of another column, e.g. prosecutions per 100,000
 * inhabitants.  Streams: each row is written with its value replaced by the
 * rate and its indicator suffixed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "number.h"
#include "options.h"
#include "strbuf.h"

static const char *per_arg, *suffix_arg;
static double scale = 1e5;

static const struct tool tool = {
	"tt-rate", "--per COL [OPTION]... [FILE]...",
	"Write every row with its value as a rate: value x N / COL (N = 100000 unless --scale),\n"
	"and the suffix _per_100k (or --suffix) appended to its indicator.",
	C_TABLE | C_VALUE, (const struct tt_opt[]){
		OPT_STRING("per", 0, "COL", per_arg, "the denominator column, e.g. population (required)"),
		OPT_DOUBLE("scale", 0, "N", scale, 0, INFINITY, OPT_OPEN_LO, "the rate per N of the denominator (default 100000)"),
		OPT_STRING("suffix", 0, "S", suffix_arg, "appended to the indicator (default _per_100k, or _per_N for another N)"),
		OPT_END(),
	},
};

/* _per_100k, _per_1k, _per_1m, else _per_N */
static char *default_suffix(double scale)
{
	struct strbuf b = { 0 };

	if (scale == 1e5)
		sb_puts(&b, "_per_100k");
	else if (scale == 1e3)
		sb_puts(&b, "_per_1k");
	else if (scale == 1e6)
		sb_puts(&b, "_per_1m");
	else
		sb_printf(&b, "_per_%.15g", scale);
	return sb_take(&b);
}

int main(int argc, char **argv)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, &tool);
	struct csv_reader *r;
	const struct csv_header *h;
	const char *file;
	struct csv_row *row;
	char *suffix;
	int vcol, dcol, icol;
	long zero = 0, missing = 0;

	if (!per_arg)
		die_usage("the denominator is missing: give its column with --per COL");
	suffix = suffix_arg ? xstrdup(suffix_arg)
			    : default_suffix(scale);
	r = csv_open(argv + first, argc - first, opt.delim);
	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	vcol = col_require(h, file, opt.value, "value column");
	dcol = col_require(h, file, per_arg, "denominator column");
	if (dcol == vcol)
		die_usage("the value column and the denominator column are both \"%s\"", per_arg);
	icol = col_find(h, "indicator");
	if (icol < 0 && suffix_arg)
		die_at(file, 1, 0, "--suffix: the input has no indicator column to add it to");
	if (icol < 0)
		warn("no indicator column to mark the values as rates (%s): column \"%s\" now holds them",
		     suffix, opt.value);
	for (size_t i = 0; i < h->n; i++)
		out_field(h->name[i], h->len[i]);
	out_endrow();
	while (csv_next(r, &row)) {
		double v, d;
		int vmiss = cell_number(h, row, vcol, &v);
		int dmiss = cell_number(h, row, dcol, &d);

		if (!dmiss && d < 0)
			die_at(row->file, row->line, dcol + 1, "column \"%s\": \"%s\" is negative: "
			       "a denominator cannot be", h->name[dcol], cell_shown(row->f[dcol]));
		if (!vmiss && (dmiss || d == 0)) {
			if (dmiss)
				missing++;
			else
				zero++;
		}
		for (size_t i = 0; i < row->n; i++) {
			if ((int)i == vcol) {
				if (vmiss || dmiss || d == 0)
					out_empty();
				else
					out_num(v * scale / d);
			} else if ((int)i == icol && !is_missing(row->f[i], row->len[i])) {
				struct strbuf b = { 0 };
				char *s;
				sb_add(&b, row->f[i], row->len[i]);
				sb_puts(&b, suffix);
				s = sb_take(&b);
				out_str(s);
				free(s);
			} else {
				out_field(row->f[i], row->len[i]);
			}
		}
		out_endrow();
	}
	if (missing || zero)
		warn("%ld value%s without a rate: the %s is missing in %ld row%s and 0 in %ld; "
		     "their value is left missing", missing + zero, missing + zero == 1 ? "" : "s",
		     h->name[dcol], missing, missing == 1 ? "" : "s", zero);
	free(suffix);
	csv_close(r);
	return out_close();
}
