/* tt-select: keep rows by column values and time range; choose and reorder columns. */
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

struct cond {
	const char *text;
	int col, negate;
	struct strlist values;
};

static struct cond *conds;
static size_t nconds, condcap;
static const char *columns_arg, *from_arg, *to_arg;

static const struct tt_opt options[] = {
	{ "where", 'w', "COL=LIST", "keep rows whose COL is one of LIST; COL!=LIST drops them (repeatable: all must hold)" },
	{ "from", 0, "T", "keep rows whose time is at least T" },
	{ "to", 0, "T", "keep rows whose time is at most T" },
	{ "columns", 'c', "COLS", "write these columns, in this order" },
	{ NULL, 0, NULL, NULL },
};

static void handle(int idx, const char *arg)
{
	switch (idx) {
	case 0:
		if (!strchr(arg, '=') || arg[0] == '=' || (arg[0] == '!' && arg[1] == '='))
			die_usage("option --where: '%s' is not COL=LIST or COL!=LIST", arg);
		conds = xgrow(conds, &condcap, nconds + 1, sizeof *conds);
		memset(&conds[nconds], 0, sizeof *conds);
		conds[nconds++].text = arg;
		break;
	case 1: from_arg = arg; break;
	case 2: to_arg = arg; break;
	case 3: columns_arg = arg; break;
	}
}

static const struct tool tool = {
	"tt-select", "[OPTION]... [FILE]...",
	"Keep rows by column values and time range; choose and reorder columns.",
	C_DELIM | C_NA | C_TIME, options, handle,
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

static int keep(const struct csv_header *h, const struct csv_row *row, int tcol,
		double from, double to)
{
	for (size_t i = 0; i < nconds; i++) {
		const struct cond *c = &conds[i];
		int in = strlist_find(&c->values, row->f[c->col], row->len[c->col]) >= 0;
		if (in == c->negate)
			return 0;
	}
	if (tcol >= 0) {
		double t;
		if (cell_number(h, row, tcol, &t) || t < from || t > to)
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	int first = opts_parse(argc, argv, &tool);
	struct csv_reader *r = csv_open(argv + first, argc - first, opt.delim);
	const struct csv_header *h;
	const char *file;
	double from = -1e300, to = 1e300;
	int tcol = -1, *cols;
	size_t ncols;
	struct csv_row *row;

	if (from_arg)
		from = opt_double("from", from_arg);
	if (to_arg)
		to = opt_double("to", to_arg);
	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	for (size_t i = 0; i < nconds; i++)
		parse_cond(&conds[i], h, file);
	if (from_arg || to_arg)
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
		if (!keep(h, row, tcol, from, to))
			continue;
		for (size_t i = 0; i < ncols; i++)
			out_field(row->f[cols[i]], row->len[cols[i]]);
		out_endrow();
	}
	for (size_t i = 0; i < nconds; i++)
		strlist_free(&conds[i].values);
	free(conds);
	free(cols);
	csv_close(r);
	return out_close();
}
