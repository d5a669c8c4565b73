#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "diag.h"
#include "keyed.h"
#include "strbuf.h"

struct keyed_entry {
	char *key;           /* each cell as its length (a size_t's bytes), then its bytes */
	size_t keylen;
	char **cell;
	size_t *len;
	long line;
};

struct keyed_table {
	const char *file;
	char **colname;
	size_t ncols, nkeys;
	struct keyed_entry *e;
	size_t n, cap;
	struct strbuf probe;  /* the key looked for, reused row after row */
};

static void key_of(struct strbuf *b, const struct csv_row *row, const int *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sb_add(b, (const char *)&row->len[cols[i]], sizeof row->len[cols[i]]);
		sb_add(b, row->f[cols[i]], row->len[cols[i]]);
	}
}

static int entry_cmp(const void *a, const void *b)
{
	const struct keyed_entry *p = a, *q = b;
	size_t n = p->keylen < q->keylen ? p->keylen : q->keylen;
	int c = memcmp(p->key, q->key, n);

	if (c)
		return c;
	if (p->keylen != q->keylen)
		return p->keylen < q->keylen ? -1 : 1;
	return (p->line > q->line) - (p->line < q->line);
}

/* "iso3=PHL, year=2003" from an entry's key text */
static char *key_shown(const struct keyed_table *t, const struct keyed_entry *e, char **names)
{
	struct strbuf b = { 0 };
	const char *p = e->key;

	for (size_t i = 0; i < t->nkeys; i++) {
		size_t n;
		memcpy(&n, p, sizeof n);
		sb_printf(&b, "%s%s=%s", i ? ", " : "", names[i], cell_shown_n(p + sizeof n, n));
		p += sizeof n + n;
	}
	return sb_take(&b);
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
	char **keynames;
	size_t nval = 0;

	if (csv_read_header(r) != 0)
		tt_exit(EXIT_DATA);
	h = csv_header(r);
	t->file = csv_first_file(r);
	keycols = col_require_list(h, t->file, on, "key column", &t->nkeys);
	if (cols) {
		valcols = col_require_list(h, t->file, cols, "column", &nval);
	} else {
		valcols = xmalloc(h->n * sizeof *valcols);
		for (size_t i = 0; i < h->n; i++) {
			int key = 0;
			for (size_t k = 0; k < t->nkeys; k++)
				key |= keycols[k] == (int)i;
			if (!key)
				valcols[nval++] = (int)i;
		}
	}
	t->ncols = nval;
	t->colname = xmalloc((nval ? nval : 1) * sizeof *t->colname);
	for (size_t i = 0; i < nval; i++)
		t->colname[i] = xstrndup(h->name[valcols[i]], h->len[valcols[i]]);
	keynames = xmalloc(t->nkeys * sizeof *keynames);
	for (size_t k = 0; k < t->nkeys; k++)
		keynames[k] = xstrndup(h->name[keycols[k]], h->len[keycols[k]]);
	while (csv_next(r, &row)) {
		struct strbuf b = { 0 };
		struct keyed_entry *e;

		t->e = xgrow(t->e, &t->cap, t->n + 1, sizeof *t->e);
		e = &t->e[t->n++];
		key_of(&b, row, keycols, t->nkeys);
		e->keylen = b.len;
		e->key = sb_take(&b);
		e->line = row->line;
		e->cell = xmalloc((nval ? nval : 1) * sizeof *e->cell);
		e->len = xmalloc((nval ? nval : 1) * sizeof *e->len);
		for (size_t i = 0; i < nval; i++) {
			e->cell[i] = xstrndup(row->f[valcols[i]], row->len[valcols[i]]);
			e->len[i] = row->len[valcols[i]];
		}
	}
	xqsort(t->e, t->n, sizeof *t->e, entry_cmp);
	for (size_t i = 1; i < t->n; i++)
		if (t->e[i].keylen == t->e[i - 1].keylen &&
		    memcmp(t->e[i].key, t->e[i - 1].key, t->e[i].keylen) == 0)
			die_at(t->file, t->e[i].line, 0, "key %s also on line %ld: "
			       "each key may occur once in the attached table",
			       key_shown(t, &t->e[i], keynames), t->e[i - 1].line);
	for (size_t k = 0; k < t->nkeys; k++)
		free(keynames[k]);
	free(keynames);
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
	struct keyed_entry probe;
	size_t lo = 0, hi = t->n;
	char *const *found = NULL;

	t->probe.len = 0;
	key_of(&t->probe, row, keycols, t->nkeys);
	probe.keylen = t->probe.len;
	probe.key = t->probe.s ? t->probe.s : "";
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct keyed_entry *e = &t->e[mid];
		size_t n = e->keylen < probe.keylen ? e->keylen : probe.keylen;
		int c = memcmp(e->key, probe.key, n);
		if (c == 0)
			c = (e->keylen > probe.keylen) - (e->keylen < probe.keylen);
		if (c == 0) {
			found = e->cell;
			*lens = e->len;
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return found;
}

void keyed_free(struct keyed_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->e[i].cell[c]);
		free(t->e[i].cell);
		free(t->e[i].len);
		free(t->e[i].key);
	}
	for (size_t c = 0; c < t->ncols; c++)
		free(t->colname[c]);
	free(t->colname);
	free(t->e);
	free(t->probe.s);
	free(t);
}
