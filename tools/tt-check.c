/* tt-check: validate a table against the contract and report every problem
 * as file:line:col: message; with --normalize, write the cleaned table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "group.h"
#include "number.h"
#include "options.h"
#include "utf8.h"

static const char *dates_arg, *require_arg;
static int normalize, each;

static const struct tool tool = {
	"tt-check", "[OPTION]... [FILE]...",
	"Check tables against the tt contract and report every problem as file:line:col: message.",
	C_TABLE | C_GROUP | C_ALL | C_TIME | C_VALUE, (const struct tt_opt[]){
		OPT_STRING("dates", 0, "COLS", dates_arg, "columns that must hold ISO dates (besides signed, ratified, entry_into_force)"),
		OPT_STRING("require", 0, "COLS", require_arg, "columns that must exist"),
		OPT_FLAG("normalize", 0, normalize, "write the table with missing values empty and numbers in canonical form"),
		OPT_FLAG("each", 0, each, "check each FILE as a table of its own (by default several files are one table)"),
		OPT_END(),
	},
};

static long problems;

static void problem(const char *file, long line, long col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn_at(file, line, col, fmt, ap);
	va_end(ap);
	problems++;
}

/* which columns hold dates: the usual names, and --dates */
static char *date_columns(const struct csv_header *h, const char *file)
{
	static const char *named[] = { "signed", "ratified", "entry_into_force" };
	char *is_date = xcalloc(h->n, 1);
	for (size_t k = 0; k < 3; k++) {
		int c = col_find(h, named[k]);
		if (c >= 0)
			is_date[c] = 1;
	}
	if (dates_arg) {
		size_t n;
		int *cols = col_require_list(h, file, dates_arg, "date column", &n);
		for (size_t k = 0; k < n; k++)
			is_date[cols[k]] = 1;
		free(cols);
	}
	return is_date;
}

/* --normalize: missing values empty, numbers of the value and time columns
 * (and dates' missing tokens) in canonical form; other cells unchanged */
static void write_normal(const struct csv_header *h, const struct csv_row *row,
			 int vcol, int tcol, const char *is_date)
{
	for (size_t i = 0; i < h->n; i++) {
		const char *s = row->f[i];
		size_t len = row->len[i];
		double v;

		if ((int)i != vcol && (int)i != tcol && !is_date[i])
			out_field(s, len);
		else if (is_missing(s, len))
			out_empty();
		else if ((int)i == tcol && parse_number(s, len, &v) == NUM_OK && fabs(v) < 9e15 &&
			 v == floor(v))
			out_int((long long)v);      /* a year is never rounded by -p */
		else if (!is_date[i] && parse_number(s, len, &v) == NUM_OK)
			out_num(v);
		else
			out_field(s, len);
	}
	out_endrow();
}

struct seen {
	const char *file;
	long line;
};

/* one table (one reader, of one file or several); the problems are counted */
static void check_table(struct csv_reader *r)
{
	const struct csv_header *h;
	const char *file;
	struct group_table *keys = NULL;
	struct seen *seen = NULL;
	size_t nseen = 0, seencap = 0, ng = 0;
	int vcol, tcol, *gcols = NULL;
	char *is_date;
	struct csv_row *row;

	csv_set_checking(r, 1);
	if (csv_read_header(r) != 0) {
		csv_close(r);
		problems++;
		return;
	}
	h = csv_header(r);
	file = csv_first_file(r);
	if (require_arg) {
		struct strlist l = { 0 };
		strlist_split(&l, require_arg);
		for (size_t i = 0; i < l.n; i++)
			if (col_find(h, l.v[i]) < 0)
				problem(file, 1, 0, "required column \"%s\" is missing", l.v[i]);
		strlist_free(&l);
	}
	vcol = col_find(h, opt.value);
	tcol = col_find(h, opt.time);
	if (tcol < 0 && opt.time_given)
		problem(file, 1, 0, "time column \"%s\" is missing", opt.time);
	is_date = date_columns(h, file);
	gcols = col_groups(h, file, opt.groups, opt.all, &ng);
	if (tcol >= 0 && (ng > 0 || opt.all)) {
		gcols = xrealloc(gcols, (ng + 1) * sizeof *gcols);
		gcols[ng] = tcol;
		/* one key per row, to find duplicates: bounded by the rows, not
		 * by --max-groups */
		keys = group_new(gcols, ng + 1);
		group_unlimited(keys);
	}
	if (normalize) {
		for (size_t i = 0; i < h->n; i++)
			out_field(h->name[i], h->len[i]);
		out_endrow();
	}

	while (csv_next(r, &row)) {
		int bad = 0;
		if (row->n != h->n)
			continue;       /* reported by the reader */
		for (size_t i = 0; i < row->n; i++) {
			const char *s = row->f[i];
			size_t len = row->len[i];
			long col = (long)i + 1;
			double v;
			long year;
			int y;

			if (utf8_invalid_at(s, len) < len)
				problem(row->file, row->line, col, "column \"%s\": not valid UTF-8",
					h->name[i]);
			if ((int)i == tcol) {
				if (is_missing(s, len))
					problem(row->file, row->line, col,
						"column \"%s\": the time is missing", h->name[i]), bad = 1;
				else if (parse_year(s, len, 1800, 2100, &year) != 0)
					problem(row->file, row->line, col,
						"column \"%s\": \"%s\" is not a year (an integer from 1800 to 2100)",
						h->name[i], cell_shown(s)), bad = 1;
			} else if ((int)i == vcol && !is_missing(s, len)) {
				enum num_status st = parse_number(s, len, &v);
				if (st != NUM_OK)
					problem(row->file, row->line, col, "column \"%s\": \"%s\" %s",
						h->name[i], cell_shown(s), num_strerror(st));
			} else if (is_date[i] && !is_missing(s, len) &&
				   !parse_date(s, len, &y, NULL, NULL)) {
				problem(row->file, row->line, col,
					"column \"%s\": \"%s\" is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)",
					h->name[i], cell_shown(s));
			}
		}
		if (keys && !bad) {
			size_t before = group_count(keys), k = group_of(keys, row);
			if (k < before) {
				problem(row->file, row->line, 0,
					"duplicate (%s): first on line %ld%s%s",
					group_label(keys, k), seen[k].line,
					seen[k].file != row->file ? " of " : "",
					seen[k].file != row->file ? seen[k].file : "");
			} else {
				seen = xgrow(seen, &seencap, nseen + 1, sizeof *seen);
				seen[nseen++] = (struct seen){ row->file, row->line };
			}
		}
		if (normalize)
			write_normal(h, row, vcol, tcol, is_date);
	}
	problems += csv_problems(r);
	free(seen);
	free(is_date);
	free(gcols);
	group_free(keys);
	csv_close(r);
}

int main(int argc, char **argv)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, &tool);
	int n = argc - first;
	struct csv_reader **r;

	if (each && normalize)
		die_usage("--each and --normalize do not go together: normalize one table at a time");
	if (!each || n <= 1) {
		check_table(csv_open(argv + first, n, opt.delim));
	} else {
		r = xmalloc((size_t)n * sizeof *r);
		for (int i = 0; i < n; i++)	/* every input opened first */
			r[i] = csv_open(argv + first + i, 1, opt.delim);
		for (int i = 0; i < n; i++)
			check_table(r[i]);
		free(r);
	}
	out_flush();
	return problems ? EXIT_DATA : out_close();
}
