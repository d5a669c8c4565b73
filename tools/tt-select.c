/* tt-select: keep rows by column values and time range; choose and reorder columns. */
#include <math.h>
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
#include "strlist.h"

struct cond {
	const char *text;
	int col, negate;
	struct strlist values;
	long held;                /* rows for which this condition alone holds */
	struct strlist seen;      /* the first ten distinct values of the column */
	int more;                 /* and there are others */
};

enum { SEEN_MAX = 10 };

static struct cond *conds;
static size_t nconds, condcap;
static const char *columns_arg;
static double from = -1e300, to = 1e300;

/* --where, repeatable: every condition must hold */
static void add_where(const struct tt_opt *o, const char *arg)
{
	(void)o;
	if (!strchr(arg, '=') || arg[0] == '=' || (arg[0] == '!' && arg[1] == '='))
		die_usage("option --where: '%s' is not COL=LIST or COL!=LIST", arg);
	conds = xgrow(conds, &condcap, nconds + 1, sizeof *conds);
	memset(&conds[nconds], 0, sizeof *conds);
	conds[nconds++].text = arg;
}

enum { O_FROM = 1, O_TO };    /* entries of tool.opts, for opt_given */

static const struct tool tool = {
	"tt-select", "[OPTION]... [FILE]...",
	"Keep rows by column values and time range; choose and reorder columns.",
	C_DELIM | C_NA | C_TIME, (const struct tt_opt[]){
		OPT_CALLBACK("where", 'w', "COL=LIST", add_where, "keep rows whose COL is one of LIST; COL!=LIST drops them (repeatable: all must hold)"),
		[O_FROM] = OPT_DOUBLE("from", 0, "T", from, -INFINITY, INFINITY, OPT_CLOSED, "keep rows whose time is at least T"),
		[O_TO] = OPT_DOUBLE("to", 0, "T", to, -INFINITY, INFINITY, OPT_CLOSED, "keep rows whose time is at most T"),
		OPT_STRING("columns", 'c', "COLS", columns_arg, "write these columns, in this order"),
		OPT_END(),
	},
};

static void parse_cond(struct cond *c, const struct csv_header *h, const char *file)
{
	const char *eq = strchr(c->text, '=');
	char *name;

	if (!eq || eq == c->text)
		die_usage("option --where: '%s' is not COL=LIST or COL!=LIST", c->text);
	c->negate = eq > c->text && eq[-1] == '!';
	name = xstrndup(c->text, (size_t)(eq - c->text) - (size_t)c->negate);
	c->col = col_require(h, file, name, "column");
	strlist_split(&c->values, eq + 1);
	if (c->values.n == 0)
		strlist_push(&c->values, "", 0);
	free(name);
}

static double tmin = 1e300, tmax = -1e300;
static long in_range;

/* every condition is evaluated, so that an empty result can say which one
 * kept nothing and what its column holds instead */
static int keep(const struct csv_header *h, const struct csv_row *row, int tcol,
		double from, double to)
{
	int ok = 1;

	for (size_t i = 0; i < nconds; i++) {
		struct cond *c = &conds[i];
		const char *v = row->f[c->col];
		size_t len = row->len[c->col];
		int in = strlist_find(&c->values, v, len) >= 0;
		if (in == c->negate) {
			ok = 0;
		} else {
			c->held++;
		}
		if (strlist_find(&c->seen, v, len) < 0) {
			if (c->seen.n < SEEN_MAX)
				strlist_push(&c->seen, v, len);
			else
				c->more = 1;
		}
	}
	if (tcol >= 0) {
		double t;
		if (cell_number(h, row, tcol, &t))
			return 0;
		if (ok && t < tmin)	/* the range of the rows the -w conditions keep */
			tmin = t;
		if (ok && t > tmax)
			tmax = t;
		if (t < from || t > to)
			return 0;
		in_range++;
	}
	return ok;
}

/* No row kept: say which filter kept nothing, and what there is instead. */
static void note_nothing_kept(const struct csv_header *h, int tcol, long rows)
{
	int told = 0;

	if (rows == 0)
		return;
	for (size_t i = 0; i < nconds; i++) {
		const struct cond *c = &conds[i];
		struct strbuf b = { 0 };
		char *list;

		if (c->held > 0)
			continue;
		for (size_t k = 0; k < c->seen.n; k++)
			sb_item(&b, "%s", cell_shown(c->seen.v[k]));
		if (c->more)
			sb_item(&b, "...");
		list = sb_take(&b);
		warn("no row kept: no row meets -w %s; column \"%s\" holds: %s", c->text,
		     h->name[c->col], list);
		free(list);
		told = 1;
	}
	if (!told && tcol >= 0 && in_range == 0 && tmin <= tmax) {
		char lo[32], hi[32];
		format_number(lo, tmin, 0);
		format_number(hi, tmax, 0);
		warn("no row kept: column \"%s\" runs from %s to %s only%s", h->name[tcol], lo, hi,
		     nconds ? " in the rows the -w conditions keep" : "");
		told = 1;
	}
	if (!told)
		warn("no row kept: no row meets all the conditions together");
}

int main(int argc, char **argv)
{
	struct csv_reader *r = tt_start(argc, argv, &tool);
	const struct csv_header *h;
	const char *file;
	int tcol = -1, *cols;
	size_t ncols;
	struct csv_row *row;
	long rows = 0, kept = 0;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	for (size_t i = 0; i < nconds; i++)
		parse_cond(&conds[i], h, file);
	if (opt_given(&tool.opts[O_FROM]) || opt_given(&tool.opts[O_TO]))
		tcol = col_require(h, file, opt.time, "time column");
	if (columns_arg) {
		cols = col_require_list(h, file, columns_arg, "column", &ncols);
	} else {
		ncols = h->n;
		cols = xmalloc(ncols * sizeof *cols);
		for (size_t i = 0; i < ncols; i++)
			cols[i] = (int)i;
	}
	for (size_t i = 0; i < ncols; i++)
		out_field(h->name[cols[i]], h->len[cols[i]]);
	out_endrow();
	while (csv_next(r, &row)) {
		rows++;
		if (!keep(h, row, tcol, from, to))
			continue;
		kept++;
		for (size_t i = 0; i < ncols; i++)
			out_field(row->f[cols[i]], row->len[cols[i]]);
		out_endrow();
	}
	if (kept == 0 && (nconds || tcol >= 0))
		note_nothing_kept(h, tcol, rows);
	for (size_t i = 0; i < nconds; i++) {
		strlist_free(&conds[i].values);
		strlist_free(&conds[i].seen);
	}
	free(conds);
	free(cols);
	csv_close(r);
	return out_close();
}
