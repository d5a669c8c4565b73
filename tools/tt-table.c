/* tt-table: an estimates table (tt-trend, tt-prepost, tt-event, ...) as a
 * publication table: one row per group, one column per chosen term, cells
 * like "2.33 [2.02, 2.65]", then the p-value and n of the test term. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "group.h"
#include "options.h"
#include "pubtable.h"
#include "strbuf.h"
#include "strlist.h"

static const char *terms_arg;
static int format = PUB_MD;      /* enum pub_format */

static const struct tool tool = {
	"tt-table", "[OPTION]... [FILE]...",
	"An estimates table as a publication table (Markdown, LaTeX, HTML or CSV):\n"
	"one row per group, one column per term (a p column after each term that has\n"
	"p-values), and n.",
	C_TABLE, (const struct tt_opt[]){
		OPT_STRING("terms", 0, "LIST", terms_arg, "the terms to show, in this order (default: every term, in order of appearance)"),
		OPT_CHOICE("format", 0, "F", format, pub_format_names, "md (default), latex, html or csv"),
		OPT_END(),
	},
};

/* what one (group, term) row holds */
struct entry {
	double est, lo, hi, p, n;
	long line;          /* 0: the group has no row for this term */
	const char *file;
	size_t g, term;
};

struct layout {
	int term, est, lo, hi, p, n;   /* column indexes, -1 when absent */
};

static struct layout find_columns(const struct csv_header *h, const char *file)
{
	struct layout c;

	c.term = col_find(h, "term");
	c.est = col_find(h, "estimate");
	if (c.term < 0 || c.est < 0)
		die_at(file, 1, 0, "not an estimates table: it needs the columns \"term\" and "
		       "\"estimate\" (written by tt-trend, tt-prepost, tt-event, tt-panel, tt-synth)");
	c.lo = col_find(h, "conf_low");
	c.hi = col_find(h, "conf_high");
	c.p = col_find(h, "p_value");
	c.n = col_find(h, "n");
	return c;
}

static double number_or_nan(const struct csv_header *h, const struct csv_row *row, int col)
{
	double x;

	if (col < 0 || cell_number(h, row, col, &x) != 0)
		return NAN;
	return x;
}

/* the index of the row's term among the chosen ones, adding it when every
 * term is shown; -1 when it is not chosen */
static int term_index(struct strlist *terms, const struct csv_row *row, int col)
{
	int i = strlist_find(terms, row->f[col], row->len[col]);

	if (i < 0 && !terms_arg) {
		strlist_push(terms, row->f[col], row->len[col]);
		i = (int)terms->n - 1;
	}
	return i;
}

static char *readable(double x, int digits)
{
	char buf[48];

	format_readable(buf, x, digits);
	return xstrdup(buf);
}

/* "2.33 [2.02, 2.65]", or the estimate alone without an interval */
static char *estimate_text(const struct entry *e, int digits)
{
	struct strbuf b = { 0 };
	char buf[48];

	format_readable(buf, e->est, digits);
	sb_puts(&b, buf);
	if (!isnan(e->lo) && !isnan(e->hi)) {
		format_readable(buf, e->lo, digits);
		sb_printf(&b, " [%s, ", buf);
		format_readable(buf, e->hi, digits);
		sb_printf(&b, "%s]", buf);
	}
	return sb_take(&b);
}

static char *shortest(double x)
{
	char buf[32];

	format_number(buf, x, 0);
	return xstrdup(buf);
}

static char *p_text(double p)
{
	return p < 0.001 ? xstrdup("<0.001") : readable(p, 2);
}

static void put_head(struct pub_table *t, size_t col, char *text)
{
	pub_head(t, col, text, 1);
	free(text);
}

static void put_cell(struct pub_table *t, size_t row, size_t col, char *text)
{
	pub_cell(t, row, col, text);
	free(text);
}

/* one group's row: its key; each term's estimate [CI], followed by its
 * p-value where the term has p-values (has_p); n of the last term present */
static void fill_row(struct pub_table *t, struct group_table *groups, size_t g,
		     const struct entry *e, size_t nt, const int *has_p, int digits)
{
	size_t rr = pub_row(t), col = group_ncols(groups), len, last = SIZE_MAX;

	for (size_t k = 0; k < col; k++) {
		const char *key = group_key(groups, g, k, &len);
		put_cell(t, rr, k, xstrndup(key, len));
	}
	for (size_t i = 0; i < nt; i++) {
		if (e[i].line && !isnan(e[i].est))
			put_cell(t, rr, col, estimate_text(&e[i], digits));
		col++;
		if (has_p[i]) {
			if (e[i].line && !isnan(e[i].p))
				put_cell(t, rr, col, p_text(e[i].p));
			col++;
		}
		if (e[i].line && !isnan(e[i].n))
			last = i;
	}
	if (last != SIZE_MAX)
		put_cell(t, rr, col, shortest(e[last].n));
}

/* The rows as a dense groups x terms grid; a (group, term) pair given twice
 * is an error naming both lines. */
static struct entry *grid(const struct entry *rows, size_t nrows, size_t ng, size_t nt,
			  const struct csv_header *h, int term_col)
{
	struct entry *e = xcalloc(ng * nt > 0 ? ng * nt : 1, sizeof *e);

	for (size_t i = 0; i < nrows; i++) {
		struct entry *x = &e[rows[i].g * nt + rows[i].term];
		if (x->line)
			die_at(rows[i].file, rows[i].line, term_col + 1,
			       "column \"%s\": the group has the term again (also line %ld): "
			       "one row per group and term is needed (--terms chooses terms)",
			       h->name[term_col], x->line);
		*x = rows[i];
	}
	return e;
}

int main(int argc, char **argv)
{
	struct csv_reader *r = tt_start(argc, argv, &tool);
	const struct csv_header *h;
	const char *file;
	struct layout c;
	struct strlist terms = { 0 };
	struct group_table *groups;
	struct entry *rows = NULL, *e;
	size_t nrows = 0, rcap = 0, ng, nt, lead, np = 0;
	struct pub_table t;
	struct csv_row *row;
	int *lcols, *has_p, digits = out_precision > 0 ? out_precision : 3;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	c = find_columns(h, file);
	if (terms_arg) {
		strlist_split(&terms, terms_arg);
		for (size_t i = 0; i < terms.n || i == 0; i++)
			if (terms.n == 0 || terms.len[i] == 0)
				die_usage("option --terms: '%s' names an empty term", terms_arg);
	}
	/* the group: every column before term (the tool's group columns and
	 * its leading ones, such as tt-event's rel_year) */
	lead = (size_t)c.term;
	lcols = xmalloc((lead ? lead : 1) * sizeof *lcols);
	for (size_t k = 0; k < lead; k++)
		lcols[k] = (int)k;
	groups = group_new(lcols, lead);
	while (csv_next(r, &row)) {
		int ti = term_index(&terms, row, c.term);
		struct entry *x;

		if (ti < 0)
			continue;
		rows = xgrow(rows, &rcap, nrows + 1, sizeof *rows);
		x = &rows[nrows++];
		x->g = group_of(groups, row);
		x->term = (size_t)ti;
		if (cell_number(h, row, c.est, &x->est) != 0)
			x->est = NAN;
		x->lo = number_or_nan(h, row, c.lo);
		x->hi = number_or_nan(h, row, c.hi);
		x->p = number_or_nan(h, row, c.p);
		x->n = number_or_nan(h, row, c.n);
		x->line = row->line;
		x->file = row->file;
	}
	ng = group_count(groups);
	nt = terms.n;
	if (nt == 0)
		die_at(file, 0, 0, "no row has any of the terms of --terms");
	e = grid(rows, nrows, ng, nt, h, c.term);
	for (size_t i = 0; terms_arg && i < nt; i++) {
		int seen = 0;
		for (size_t g = 0; g < ng && !seen; g++)
			seen = e[g * nt + i].line != 0;
		if (!seen)
			die_at(file, 0, 0, "no row has the term \"%s\" (option --terms)",
			       cell_shown(terms.v[i]));
	}
	has_p = xcalloc(nt, sizeof *has_p);
	for (size_t i = 0; i < nrows; i++)
		if (!isnan(rows[i].p) && !has_p[rows[i].term])
			np += has_p[rows[i].term] = 1;
	pub_init(&t, lead + nt + np + 1);
	for (size_t k = 0; k < lead; k++)
		pub_head(&t, k, h->name[k], 0);
	for (size_t i = 0, col = lead; i < nt; i++) {
		pub_head(&t, col++, terms.v[i], 1);
		if (has_p[i]) {
			struct strbuf name = { 0 };
			if (np == 1)
				sb_puts(&name, "p");
			else
				sb_printf(&name, "p (%s)", terms.v[i]);
			put_head(&t, col++, sb_take(&name));
		}
	}
	pub_head(&t, lead + nt + np, "n", 1);
	for (size_t g = 0; g < ng; g++)
		fill_row(&t, groups, g, e + g * nt, nt, has_p, digits);
	pub_write(&t, format);
	pub_free(&t);
	free(rows);
	free(e);
	free(has_p);
	free(lcols);
	group_free(groups);
	strlist_free(&terms);
	csv_close(r);
	return out_close();
}
