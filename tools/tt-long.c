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

static const char *columns_arg, *key_arg;
static int drop_missing;

static const struct tt_opt options[] = {
	{ "columns", 'c', "COLS", "the columns to turn into rows (default: every column named by a year)" },
	{ "key", 'k', "NAME", "name of the new column holding the old column names (default 'year' when they are years, else 'indicator')" },
	{ "drop-missing", 0, NULL, "leave out rows whose value is missing" },
	{ NULL, 0, NULL, NULL },
};

static void handle(int idx, const char *arg)
{
	if (idx == 0)
		columns_arg = arg;
	else if (idx == 1)
		key_arg = arg;
	else
		drop_missing = 1;
}

static const struct tool tool = {
	"tt-long", "[OPTION]... [FILE]...",
	"Turn a wide table (one column per year or per indicator) into the long table:\n"
	"the other columns, then the key column, then the value column (named by -v).",
	C_TABLE | C_VALUE, options, handle,
};

static int is_year_name(const char *s, size_t len)
{
	long y;
	return len == 4 && parse_year(s, len, 1800, 2100, &y) == 0;
}

int main(int argc, char **argv)
{
	int first = opts_parse(argc, argv, &tool);
	struct csv_reader *r = csv_open(argv + first, argc - first, opt.delim);
	const struct csv_header *h;
	const char *file;
	char *melt;
	int *mcols, years = 1;
	size_t nm = 0;
	struct csv_row *row;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	melt = xcalloc(h->n, 1);
	if (columns_arg) {
		mcols = col_require_list(h, file, columns_arg, "column", &nm);
	} else {
		mcols = xmalloc(h->n * sizeof *mcols);
		for (size_t i = 0; i < h->n; i++)
			if (is_year_name(h->name[i], h->len[i]))
				mcols[nm++] = (int)i;
		if (nm == 0)
			die_at(file, 1, 0, "no column is named by a year; name the columns to turn into rows with -c");
	}
	for (size_t k = 0; k < nm; k++) {
		melt[mcols[k]] = 1;
		years &= is_year_name(h->name[mcols[k]], h->len[mcols[k]]);
	}
	if (!key_arg)
		key_arg = years ? "year" : "indicator";
	if (strcmp(key_arg, opt.value) == 0)
		die_usage("the key column and the value column are both named \"%s\"", key_arg);
	for (size_t i = 0; i < h->n; i++)
		if (!melt[i] && (strcmp(h->name[i], key_arg) == 0 || strcmp(h->name[i], opt.value) == 0))
			die_at(file, 1, (long)i + 1,
			       "column \"%s\" is kept and would be written twice; name the new columns with -k and -v",
			       h->name[i]);
	for (size_t i = 0; i < h->n; i++)
		if (!melt[i])
			out_field(h->name[i], h->len[i]);
	out_str(key_arg);
	out_str(opt.value);
	out_endrow();

	while (csv_next(r, &row)) {
		for (size_t k = 0; k < nm; k++) {
			double v;
			int missing = cell_number(h, row, mcols[k], &v);
			if (missing && drop_missing)
				continue;
			for (size_t i = 0; i < h->n; i++)
				if (!melt[i])
					out_field(row->f[i], row->len[i]);
			out_field(h->name[mcols[k]], h->len[mcols[k]]);
			if (missing)
				out_empty();
			else
				out_num(v);
			out_endrow();
		}
	}
	free(melt);
	free(mcols);
	csv_close(r);
	return out_close();
}
