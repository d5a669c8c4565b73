/* tt-country: country names to ISO3 codes, from the shipped country table.
 * The input is read whole: every name that cannot be placed is reported
 * (one message per distinct name) before any row is written. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "columns.h"
#include "country.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "number.h"
#include "options.h"
#include "strbuf.h"
#include "strlist.h"

static const char *column_arg, *add_arg, *countries_arg;
static int keep_unmatched;

static const struct tool tool = {
	"tt-country", "-c COL [OPTION]... [FILE]...",
	"Write the table with the ISO 3166-1 alpha-3 code of the country named in COL: in a\n"
	"new column iso3 after COL, or in the existing iso3 column where it is empty.",
	C_DELIM, (const struct tt_opt[]){
		OPT_STRING("column", 'c', "COL", column_arg, "the column holding country names (required)"),
		OPT_STRING("add", 0, "COLS", add_arg, "also add these columns of the country table (e.g. region,subregion,un_name)"),
		OPT_FLAG("keep-unmatched", 0, keep_unmatched, "leave iso3 empty for a name that cannot be placed, with a warning, instead of failing"),
		OPT_STRING("countries", 0, "FILE", countries_arg, "the country table (default: data/countries.csv of the toolkit)"),
		OPT_END(),
	},
};

enum { MAX_CANDIDATES = 8 };

/* the shipped table: beside the tools (bin/../data, and build-san/bin/../../data
 * in the build tree), or where make install put it (PREFIX/share/tt) */
static char *default_table(void)
{
	static const char *const rel[] = { "/../data/countries.csv",
		"/../share/tt/countries.csv", "/../../data/countries.csv" };
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct strbuf b = { 0 };

	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
			sb_printf(&b, "%s%s", exe, rel[i]);
			if (access(b.s, R_OK) == 0)
				return sb_take(&b);
			free(sb_take(&b));
		}
	}
	die(EXIT_DATA, "cannot find the country table data/countries.csv beside the tools; "
	    "give it with --countries FILE");
}

/* a name already reported, so that each distinct problem is told once */
static struct strlist reported;

static int first_report(const char *name, size_t len, const char *extra)
{
	struct strbuf b = { 0 };
	char *k;
	int first;

	sb_add(&b, name, len);
	sb_addc(&b, '\x1f');
	sb_puts(&b, extra);
	k = sb_take(&b);
	first = strlist_find(&reported, k, strlen(k)) < 0;
	if (first)
		strlist_push(&reported, k, strlen(k));
	free(k);
	return first;
}

static long problems;

static void problem(const struct csv_row *row, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(const struct csv_row *row, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_at(row->file, row->line, 0, fmt, ap);
	va_end(ap);
	problems++;
}

static void report_unknown(const struct country_table *t, const struct csv_row *row,
			   const char *name, size_t len)
{
	size_t close[2], n;
	struct strbuf b = { 0 };
	char *list;

	if (!first_report(name, len, ""))
		return;
	n = country_closest(t, name, len, close, 2);
	for (size_t i = 0; i < n; i++)
		sb_item(&b, "%s", country_name(t, close[i]));
	list = sb_take(&b);
	/* the shipped table by the name users know it by; a table of their
	 * own by the name they gave */
	problem(row, "\"%s\" is not a country name known to %s (closest: %s)",
		cell_shown(name), countries_arg ? countries_arg : "data/countries.csv", list);
	free(list);
}

static void report_ambiguous(const struct country_table *t, const struct csv_row *row,
			     const char *name, size_t len, const size_t *cand, size_t n)
{
	struct strbuf b = { 0 };
	char *list;

	if (!first_report(name, len, ""))
		return;
	for (size_t i = 0; i < n; i++)
		sb_item(&b, "%s (%s)", country_name(t, cand[i]), country_iso3(t, cand[i]));
	list = sb_take(&b);
	problem(row, "\"%s\" is ambiguous: %s; give the code in an iso3 column, or a fuller name",
		cell_shown(name), list);
	free(list);
}

/* Candidates that the row's other columns settle: a column named as one of
 * the table's (iso3, iso2, region, ...) whose non-empty value agrees with
 * exactly one candidate.  Returns that candidate's index, or -1. */
static long settle(const struct country_table *t, const struct csv_header *h,
		   const struct csv_row *row, int namecol, const size_t *cand, size_t n)
{
	long found = -1;
	size_t agree = 0;
	int *ok = xcalloc(n, sizeof *ok);
	int any = 0;

	for (size_t i = 0; i < n; i++)
		ok[i] = 1;
	for (size_t c = 0; c < h->n; c++) {
		int tc;
		if ((int)c == namecol || row->len[c] == 0 || is_missing(row->f[c], row->len[c]))
			continue;
		tc = country_col(t, h->name[c]);
		if (tc < 0 || strcmp(h->name[c], "variants") == 0)
			continue;
		any = 1;
		for (size_t i = 0; i < n; i++)
			if (strcmp(country_cell(t, cand[i], (size_t)tc), row->f[c]) != 0)
				ok[i] = 0;
	}
	for (size_t i = 0; i < n; i++)
		if (ok[i]) {
			agree++;
			found = (long)i;
		}
	free(ok);
	return any && agree == 1 ? found : -1;
}

struct kept_row {
	char **f;
	size_t *len;
	const char *code;     /* the code to write in iso3, or NULL to keep the cell */
	long trow;            /* the country table's row for --add, or -1 */
};

/* Places one row: the code it gets (NULL: none) and the table row. */
static void place(const struct country_table *t, const struct csv_header *h,
		  const struct csv_row *row, int namecol, int iso3col,
		  struct kept_row *k, long *noname)
{
	const char *name = row->f[namecol];
	size_t len = row->len[namecol], cand[MAX_CANDIDATES], n;
	const char *given = iso3col >= 0 && row->len[iso3col] > 0 ? row->f[iso3col] : NULL;

	k->code = NULL;
	k->trow = -1;
	if (is_missing(name, len)) {
		if (!given)
			(*noname)++;
		return;
	}
	n = country_match(t, name, len, cand, MAX_CANDIDATES);
	if (n == 0) {
		report_unknown(t, row, name, len);
		return;
	}
	if (n > MAX_CANDIDATES)
		n = MAX_CANDIDATES;
	if (given) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(country_iso3(t, cand[i]), given) == 0) {
				k->trow = (long)cand[i];
				return;
			}
		if (first_report(name, len, given))
			problem(row, "\"%s\" is the name of %s, but column \"%s\" holds \"%s\"",
				cell_shown(name), country_iso3(t, cand[0]), h->name[iso3col],
				cell_shown(given));
		return;
	}
	if (n > 1) {
		long s = settle(t, h, row, namecol, cand, n);
		if (s < 0) {
			report_ambiguous(t, row, name, len, cand, n);
			return;
		}
		cand[0] = cand[s];
	}
	k->trow = (long)cand[0];
	k->code = country_iso3(t, cand[0]);
}

static void write_header(const struct csv_header *h, int namecol, int iso3col,
			 const struct strlist *add)
{
	for (size_t i = 0; i < h->n; i++) {
		out_field(h->name[i], h->len[i]);
		if ((int)i == (iso3col >= 0 ? iso3col : namecol)) {
			if (iso3col < 0)
				out_str("iso3");
			for (size_t a = 0; a < add->n; a++)
				out_str(add->v[a]);
		}
	}
	out_endrow();
}

static void write_row(const struct country_table *t, const struct kept_row *k, size_t nf,
		      int namecol, int iso3col, const int *addcols, size_t nadd)
{
	for (size_t i = 0; i < nf; i++) {
		if ((int)i == iso3col && k->code)
			out_str(k->code);
		else
			out_field(k->f[i], k->len[i]);
		if ((int)i == (iso3col >= 0 ? iso3col : namecol)) {
			if (iso3col < 0) {
				if (k->code)
					out_str(k->code);
				else
					out_empty();
			}
			for (size_t a = 0; a < nadd; a++)
				if (k->trow >= 0)
					out_str(country_cell(t, (size_t)k->trow, (size_t)addcols[a]));
				else
					out_empty();
		}
	}
	out_endrow();
}

static int *add_columns(const struct country_table *t, const struct csv_header *h,
			const char *file, const struct strlist *add)
{
	int *cols = xmalloc((add->n ? add->n : 1) * sizeof *cols);

	for (size_t a = 0; a < add->n; a++) {
		cols[a] = country_col(t, add->v[a]);
		if (cols[a] < 0 || strcmp(add->v[a], "variants") == 0 ||
		    strcmp(add->v[a], "iso3") == 0) {
			struct strbuf b = { 0 };
			for (size_t c = 0; c < country_ncols(t); c++)
				if (strcmp(country_colname(t, c), "iso3") != 0 &&
				    strcmp(country_colname(t, c), "variants") != 0)
					sb_item(&b, "%s", country_colname(t, c));
			die_usage("option --add: the country table has no column \"%s\"; it has: %s",
				  add->v[a], sb_take(&b));
		}
		if (col_find(h, add->v[a]) >= 0)
			die_at(file, 1, 0, "the input already has a column \"%s\"", add->v[a]);
	}
	return cols;
}

int main(int argc, char **argv)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, &tool);
	struct csv_reader *r;
	struct country_table *t;
	const struct csv_header *h;
	const char *file;
	struct csv_row *row;
	struct strlist add = { 0 };
	struct kept_row *rows = NULL;
	size_t nrows = 0, cap = 0, nf;
	long noname = 0;
	int namecol, iso3col, *addcols;
	char *table;

	if (!column_arg)
		die_usage("the name column is missing: give it with -c COL");
	if (add_arg)
		strlist_split(&add, add_arg);
	r = csv_open(argv + first, argc - first, opt.delim);
	table = countries_arg ? xstrdup(countries_arg) : default_table();
	t = country_load(table);
	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	nf = h->n;
	namecol = col_require(h, file, column_arg, "name column");
	iso3col = col_find(h, "iso3");
	if (iso3col == namecol)
		die_usage("the name column cannot be the iso3 column");
	addcols = add_columns(t, h, file, &add);
	while (csv_next(r, &row)) {
		struct kept_row *k;
		rows = xgrow(rows, &cap, nrows + 1, sizeof *rows);
		k = &rows[nrows++];
		place(t, h, row, namecol, iso3col, k, &noname);
		k->f = xmalloc(nf * sizeof *k->f);
		k->len = xmalloc(nf * sizeof *k->len);
		for (size_t i = 0; i < nf; i++) {
			k->f[i] = xstrndup(row->f[i], row->len[i]);
			k->len[i] = row->len[i];
		}
	}
	if (problems && !keep_unmatched) {
		warn("%ld name%s could not be placed; nothing written (--keep-unmatched "
		     "writes the table with their iso3 empty)", problems, problems == 1 ? "" : "s");
		tt_exit(EXIT_DATA);
	}
	if (noname)
		warn("%ld row%s with no name in column \"%s\" keep%s an empty iso3", noname,
		     noname == 1 ? "" : "s", h->name[namecol], noname == 1 ? "s" : "");
	write_header(h, namecol, iso3col, &add);
	for (size_t i = 0; i < nrows; i++) {
		write_row(t, &rows[i], nf, namecol, iso3col, addcols, add.n);
		for (size_t j = 0; j < nf; j++)
			free(rows[i].f[j]);
		free(rows[i].f);
		free(rows[i].len);
	}
	free(rows);
	free(addcols);
	free(table);
	strlist_free(&add);
	strlist_free(&reported);
	country_free(t);
	csv_close(r);
	return out_close();
}
