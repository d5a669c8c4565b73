#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "diag.h"
#include "group.h"
#include "keyed.h"
#include "strbuf.h"

/* the attached cells of one key: a key is a group of group.c's table, and
 * its row is row[group] */
struct keyed_row {
	char **cell;
	size_t *len;
	long line;
};

struct keyed_table {
	char **colname;
	size_t ncols;
	struct group_table *keys;
	struct keyed_row *row;
	size_t cap;
};

/* "iso3=PHL, year=2003": key i as a message shows it */
static char *key_shown(const struct group_table *keys, size_t i, const struct csv_header *h,
		       const int *keycols)
{
	struct strbuf b = { 0 };

	for (size_t k = 0; k < group_ncols(keys); k++) {
		size_t n;
		const char *p = group_key(keys, i, k, &n);
		sb_item(&b, "%.*s=%s", (int)h->len[keycols[k]], h->name[keycols[k]],
			cell_shown_n(p, n));
	}
	return sb_take(&b);
}

/* the columns to attach: `cols`, or every column but the keys */
static int *value_columns(const struct csv_header *h, const char *file, const char *cols,
			  const int *keycols, size_t nkeys, size_t *nval)
{
	int *valcols;

	if (cols)
		return col_require_list(h, file, cols, "column", nval);
	valcols = xmalloc(h->n * sizeof *valcols);
	*nval = 0;
	for (size_t i = 0; i < h->n; i++) {
		int key = 0;
		for (size_t k = 0; k < nkeys; k++)
			key |= keycols[k] == (int)i;
		if (!key)
			valcols[(*nval)++] = (int)i;
	}
	return valcols;
}

struct keyed_table *keyed_load(const char *file, char delim, const char *on,
			       const char *cols)
{
	char *files[1] = { (char *)file };
	struct csv_reader *r = csv_open(files, 1, delim);
	struct keyed_table *t = xcalloc(1, sizeof *t);
	const struct csv_header *h;
	struct csv_row *row;
	int *keycols, *valcols;
	size_t nkeys, nval, repeat = SIZE_MAX;
	long repeat_line = 0;

	if (csv_read_header(r) != 0)
		tt_exit(EXIT_DATA);
	h = csv_header(r);
	file = csv_first_file(r);
	keycols = col_require_list(h, file, on, "key column", &nkeys);
	valcols = value_columns(h, file, cols, keycols, nkeys, &nval);
	t->ncols = nval;
	t->colname = xmalloc((nval ? nval : 1) * sizeof *t->colname);
	for (size_t i = 0; i < nval; i++)
		t->colname[i] = xstrndup(h->name[valcols[i]], h->len[valcols[i]]);
	t->keys = group_new(keycols, nkeys);
	group_unlimited(t->keys);
	while (csv_next(r, &row)) {
		size_t before = group_count(t->keys), g = group_of(t->keys, row);
		struct keyed_row *e;

		if (g < before) {	/* reported when the table has been read */
			if (repeat == SIZE_MAX) {
				repeat = g;
				repeat_line = row->line;
			}
			continue;
		}
		t->row = xgrow(t->row, &t->cap, g + 1, sizeof *t->row);
		e = &t->row[g];
		e->line = row->line;
		e->cell = xmalloc((nval ? nval : 1) * sizeof *e->cell);
		e->len = xmalloc((nval ? nval : 1) * sizeof *e->len);
		for (size_t i = 0; i < nval; i++) {
			e->cell[i] = xstrndup(row->f[valcols[i]], row->len[valcols[i]]);
			e->len[i] = row->len[valcols[i]];
		}
	}
	if (repeat != SIZE_MAX)
		die_at(file, repeat_line, 0, "key %s also on line %ld: "
		       "each key may occur once in the attached table",
		       key_shown(t->keys, repeat, h, keycols), t->row[repeat].line);
	free(keycols);
	free(valcols);
	csv_close(r);
	return t;
}

size_t keyed_ncols(const struct keyed_table *t) { return t->ncols; }

const char *keyed_colname(const struct keyed_table *t, size_t i)
{
	return t->colname[i];
}

char *const *keyed_find(struct keyed_table *t, const struct csv_row *row,
			const int *keycols, const size_t **lens)
{
	size_t g = group_find(t->keys, row, keycols);

	if (g == SIZE_MAX)
		return NULL;
	*lens = t->row[g].len;
	return t->row[g].cell;
}

void keyed_free(struct keyed_table *t)
{
	for (size_t i = 0; i < group_count(t->keys); i++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->row[i].cell[c]);
		free(t->row[i].cell);
		free(t->row[i].len);
	}
	for (size_t c = 0; c < t->ncols; c++)
		free(t->colname[c]);
	free(t->colname);
	free(t->row);
	group_free(t->keys);
	free(t);
}
