/* tt-long: a wide table (one column per year or per indicator) to the long table. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "number.h"
#include "options.h"
#include "strlist.h"

static const char *columns_arg, *key_arg;
static int drop_missing;
static char thousands;
static struct strlist set_names, set_values;

static void set_thousands(const struct tt_opt *o, const char *arg)
{
	(void)o;
	if (strlen(arg) != 1 || (arg[0] >= '0' && arg[0] <= '9') || strchr("+-.eE\"\r\n", arg[0]))
		die_usage("option --thousands: '%s' is not one character other than a digit, "
			  "a sign, 'e' or '.'", arg);
	thousands = arg[0];
}

/* --set COL=VALUE, repeatable */
static void add_set(const struct tt_opt *o, const char *arg)
{
	const char *eq = strchr(arg, '=');

	(void)o;
	if (!eq || eq == arg)
		die_usage("option --set: '%s' is not COL=VALUE", arg);
	if (strlist_find(&set_names, arg, (size_t)(eq - arg)) >= 0)
		die_usage("option --set: column \"%.*s\" is set twice", (int)(eq - arg), arg);
	strlist_push(&set_names, arg, (size_t)(eq - arg));
	strlist_push(&set_values, eq + 1, strlen(eq + 1));
}

static const struct tool tool = {
	"tt-long", "[OPTION]... [FILE]...",
	"Turn a wide table (one column per year or per indicator) into the long table:\n"
	"the other columns, then the key column, then the value column (named by -v).",
	C_TABLE | C_VALUE, (const struct tt_opt[]){
		OPT_STRING("columns", 'c', "COLS", columns_arg, "the columns to turn into rows (default: every column named by a year)"),
		OPT_STRING("key", 'k', "NAME", key_arg, "name of the new column holding the old column names (default 'year' when they are years, else 'indicator')"),
		OPT_FLAG("drop-missing", 0, drop_missing, "leave out rows whose value is missing (counted in a note)"),
		OPT_CALLBACK("thousands", 0, "C", set_thousands, "read C as a thousands separator in the values: with ',' \"1,032\" is 1032"),
		OPT_CALLBACK("set", 0, "COL=VALUE", add_set, "add a column COL holding VALUE on every row, before the key column (repeatable)"),
		OPT_END(),
	},
};

static int is_year_name(const char *s, size_t len)
{
	long y;
	return len == 4 && parse_year(s, len, 1800, 2100, &y) == 0;
}

/* Spreadsheets export empty columns past the table's last: no name, and
 * (checked on every row) no value.  They are dropped, with a note. */
static size_t trailing_empty(const struct csv_header *h)
{
	size_t n = h->n;

	while (n > 1 && h->len[n - 1] == 0)
		n--;
	return h->n - n;
}

/* a melted cell: 0 and *v set, 1 missing, -1 not a number (reported) */
static int melted_cell(const struct csv_header *h, const struct csv_row *row, int col,
		       double *v)
{
	enum num_status st;

	if (is_missing(row->f[col], row->len[col]))
		return 1;
	st = thousands ? parse_number_grouped(row->f[col], row->len[col], thousands, v)
		       : parse_number(row->f[col], row->len[col], v);
	if (st == NUM_OK)
		return 0;
	warn_at(row->file, row->line, col + 1, "column \"%s\": \"%s\" %s%s", h->name[col],
		cell_shown(row->f[col]), num_strerror(st),
		!thousands && memchr(row->f[col], ',', row->len[col]) ? " (--thousands , reads 1,032 as 1032)" : "");
	return -1;
}

int main(int argc, char **argv)
{
	struct csv_reader *r = tt_start(argc, argv, &tool);
	const struct csv_header *h;
	const char *file;
	char *melt;
	int *mcols, years = 1;
	size_t nm = 0, ncols, nempty;
	long bad = 0, dropped = 0, stray = 0;
	struct csv_row *row;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	nempty = trailing_empty(h);
	ncols = h->n - nempty;
	melt = xcalloc(h->n, 1);
	if (columns_arg) {
		mcols = col_require_list(h, file, columns_arg, "column", &nm);
	} else {
		mcols = xmalloc(h->n * sizeof *mcols);
		for (size_t i = 0; i < ncols; i++)
			if (is_year_name(h->name[i], h->len[i]))
				mcols[nm++] = (int)i;
		if (nm == 0)
			die_at(file, 1, 0, "no column is named by a year; name the columns to turn into rows with -c");
	}
	for (size_t k = 0; k < nm; k++) {
		if ((size_t)mcols[k] >= ncols)
			die_at(file, 1, mcols[k] + 1, "column %d has no name: it cannot be melted", mcols[k] + 1);
		melt[mcols[k]] = 1;
		years &= is_year_name(h->name[mcols[k]], h->len[mcols[k]]);
	}
	if (!key_arg)
		key_arg = years ? "year" : "indicator";
	if (strcmp(key_arg, opt.value) == 0)
		die_usage("the key column and the value column are both named \"%s\"", key_arg);
	for (size_t s = 0; s < set_names.n; s++)
		if (strcmp(set_names.v[s], key_arg) == 0 || strcmp(set_names.v[s], opt.value) == 0)
			die_usage("option --set: column \"%s\" is also the key or the value column",
				  set_names.v[s]);
	for (size_t i = 0; i < ncols; i++) {
		if (melt[i])
			continue;
		if (strcmp(h->name[i], key_arg) == 0 || strcmp(h->name[i], opt.value) == 0)
			die_at(file, 1, (long)i + 1,
			       "column \"%s\" is kept and would be written twice; name the new columns with -k and -v",
			       h->name[i]);
		if (strlist_find(&set_names, h->name[i], h->len[i]) >= 0)
			die_at(file, 1, (long)i + 1, "column \"%s\" is kept and also set with --set",
			       h->name[i]);
	}
	if (nempty)
		warn_at(file, 1, 0, "%zu empty column%s at the end of the header (no name; a spreadsheet's) dropped",
			nempty, nempty == 1 ? "" : "s");
	for (size_t i = 0; i < ncols; i++)
		if (!melt[i])
			out_field(h->name[i], h->len[i]);
	for (size_t s = 0; s < set_names.n; s++)
		out_field(set_names.v[s], set_names.len[s]);
	out_str(key_arg);
	out_str(opt.value);
	out_endrow();

	while (csv_next(r, &row)) {
		for (size_t i = ncols; i < h->n; i++)
			if (row->len[i] > 0) {
				warn_at(row->file, row->line, (long)i + 1,
					"\"%s\" in a column without a name", cell_shown(row->f[i]));
				stray++;
			}
		for (size_t k = 0; k < nm; k++) {
			double v;
			int st = melted_cell(h, row, mcols[k], &v);
			if (st < 0) {
				bad++;
				continue;
			}
			if (st == 1 && drop_missing) {
				dropped++;
				continue;
			}
			if (bad || stray)
				continue;	/* nothing will be written: only look for more */
			for (size_t i = 0; i < ncols; i++)
				if (!melt[i])
					out_field(row->f[i], row->len[i]);
			for (size_t s = 0; s < set_names.n; s++)
				out_field(set_values.v[s], set_values.len[s]);
			out_field(h->name[mcols[k]], h->len[mcols[k]]);
			if (st == 1)
				out_empty();
			else
				out_num(v);
			out_endrow();
		}
	}
	if (bad || stray)
		die(EXIT_DATA, "%ld cell%s cannot be read (each named above); nothing written",
		    bad + stray, bad + stray == 1 ? "" : "s");
	if (dropped)
		warn("%ld missing value%s left out (--drop-missing)", dropped, dropped == 1 ? "" : "s");
	free(melt);
	free(mcols);
	strlist_free(&set_names);
	strlist_free(&set_values);
	csv_close(r);
	return out_close();
}
