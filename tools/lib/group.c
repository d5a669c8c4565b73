#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diag.h"
#include "group.h"
#include "strbuf.h"

/* A key is the group's field values, each preceded by its length, so that no
 * choice of separator can make two different keys equal. */
struct group_table {
	int *cols;
	size_t ncols;
	char **keys;          /* encoded keys, by group */
	uint64_t *hashes;
	size_t n, cap;
	size_t *slots;        /* open addressing: group index + 1, 0 = empty */
	size_t nslots;
	size_t last;          /* rows come in runs: try the previous group first */
	size_t limit;         /* group_limit when made; 0: none */
	char *label;
	unsigned long serial;  /* which table this is, of all made in the run */
};

size_t group_limit = GROUP_LIMIT_DEFAULT;

struct group_table *group_new(const int *cols, size_t ncols)
{
	struct group_table *g = xcalloc(1, sizeof *g);
	g->cols = xmalloc((ncols ? ncols : 1) * sizeof *g->cols);
	memcpy(g->cols, cols, ncols * sizeof *cols);
	g->ncols = ncols;
	g->nslots = 64;
	g->slots = xcalloc(g->nslots, sizeof *g->slots);
	g->last = SIZE_MAX;
	static unsigned long made;

	g->limit = group_limit;
	g->serial = ++made;
	return g;
}

unsigned long group_serial(const struct group_table *g)
{
	return g->serial;
}

void group_unlimited(struct group_table *g)
{
	g->limit = 0;
}

/* A multiplicative hash over each field's length and bytes, eight bytes at
 * a time, read from the row in place (the fields of columns cols). */
static uint64_t hash_row(const struct group_table *g, const struct csv_row *row,
			 const int *cols)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = 0x243F6A8885A308D3ULL;

	for (size_t c = 0; c < g->ncols; c++) {
		const char *p = row->f[cols[c]];
		size_t n = row->len[cols[c]];
		uint64_t w;

		h = (h ^ n) * k;
		for (; n >= 8; n -= 8, p += 8) {
			memcpy(&w, p, 8);
			h = (h ^ w) * k;
			h ^= h >> 29;
		}
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	return h ^ (h >> 32);
}

static int key_is_row(const struct group_table *g, size_t i, const struct csv_row *row,
		      const int *cols)
{
	const char *p = g->keys[i];
	for (size_t k = 0; k < g->ncols; k++) {
		size_t len, n = row->len[cols[k]];
		memcpy(&len, p, sizeof len);
		p += sizeof len;
		if (len != n || memcmp(p, row->f[cols[k]], n) != 0)
			return 0;
		p += len;
	}
	return 1;
}

static void insert_key(struct group_table *g, const struct csv_row *row, uint64_t h)
{
	size_t need = 0, k = 0;
	char *key;

	for (size_t c = 0; c < g->ncols; c++)
		need += sizeof(size_t) + row->len[g->cols[c]];
	key = xmalloc(need ? need : 1);
	for (size_t c = 0; c < g->ncols; c++) {
		size_t len = row->len[g->cols[c]];
		memcpy(key + k, &len, sizeof len);
		k += sizeof len;
		memcpy(key + k, row->f[g->cols[c]], len);
		k += len;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap;
		g->keys = xgrow(g->keys, &cap, g->n + 1, sizeof *g->keys);
		g->hashes = xgrow(g->hashes, &g->cap, g->n + 1, sizeof *g->hashes);
	}
	g->keys[g->n] = key;
	g->hashes[g->n++] = h;
}

static void rehash(struct group_table *g)
{
	free(g->slots);
	g->nslots *= 2;
	g->slots = xcalloc(g->nslots, sizeof *g->slots);
	for (size_t i = 0; i < g->n; i++) {
		size_t s = g->hashes[i] & (g->nslots - 1);
		while (g->slots[s])
			s = (s + 1) & (g->nslots - 1);
		g->slots[s] = i + 1;
	}
}

/* the slot of the group whose key is the row's cells in columns cols, or
 * of the empty slot where it would go */
static size_t probe(const struct group_table *g, const struct csv_row *row, const int *cols,
		    uint64_t h)
{
	size_t s = h & (g->nslots - 1);

	for (; g->slots[s]; s = (s + 1) & (g->nslots - 1)) {
		size_t i = g->slots[s] - 1;
		if (g->hashes[i] == h && key_is_row(g, i, row, cols))
			break;
	}
	return s;
}

size_t group_find(const struct group_table *g, const struct csv_row *row, const int *cols)
{
	return g->slots[probe(g, row, cols, hash_row(g, row, cols))] - 1;
}

size_t group_of(struct group_table *g, const struct csv_row *row)
{
	uint64_t h;
	size_t s;

	h = hash_row(g, row, g->cols);
	if (g->last != SIZE_MAX && g->hashes[g->last] == h &&
	    key_is_row(g, g->last, row, g->cols))
		return g->last;
	s = probe(g, row, g->cols, h);
	if (g->slots[s])
		return g->last = g->slots[s] - 1;
	if (g->limit && g->n >= g->limit)
		die_at(row->file, row->line, 0,
		       "more than %zu groups, a new one begins here; --max-groups N raises the limit (0: none)",
		       g->limit);
	insert_key(g, row, h);
	g->slots[s] = g->n;
	if (2 * g->n > g->nslots)
		rehash(g);
	return g->last = g->n - 1;
}

size_t group_count(const struct group_table *g) { return g->n; }
size_t group_ncols(const struct group_table *g) { return g->ncols; }

const char *group_key(const struct group_table *g, size_t i, size_t k, size_t *len)
{
	const char *p = g->keys[i];
	size_t l;
	for (;;) {
		memcpy(&l, p, sizeof l);
		p += sizeof l;
		if (k-- == 0)
			break;
		p += l;
	}
	*len = l;
	return p;
}

/* a key holding a control character (a quoted newline, say) is shown
 * escaped as cell_shown shows it, so that a message stays on one line */
static int has_control(const char *p, size_t len)
{
	for (size_t k = 0; k < len; k++)
		if ((unsigned char)p[k] < 0x20 || p[k] == 0x7f)
			return 1;
	return 0;
}

void group_label_add(struct strbuf *b, const struct group_table *g, size_t i,
		     const size_t *keys, size_t n, int shown)
{
	for (size_t k = 0; k < n; k++) {
		size_t l;
		const char *p = group_key(g, i, keys ? keys[k] : k, &l);
		if (k)
			sb_puts(b, ", ");
		if (shown && has_control(p, l))
			sb_puts(b, cell_shown_n(p, l));
		else
			sb_add(b, p, l);
	}
}

const char *group_label(struct group_table *g, size_t i)
{
	struct strbuf b = { 0 };

	group_label_add(&b, g, i, NULL, g->ncols, 1);
	if (g->ncols == 0)
		sb_puts(&b, "all");
	free(g->label);
	g->label = sb_take(&b);
	return g->label;
}

void group_free(struct group_table *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++)
		free(g->keys[i]);
	free(g->keys);
	free(g->hashes);
	free(g->slots);
	free(g->cols);
	free(g->label);
	free(g);
}

struct unit_year {
	size_t unit, i;
	int year;
};

static int by_unit_year(const void *a, const void *b)
{
	const struct unit_year *p = a, *q = b;

	if (p->unit != q->unit)
		return p->unit < q->unit ? -1 : 1;
	if (p->year != q->year)
		return p->year < q->year ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

size_t unit_year_repeat(const void *obs, size_t n, size_t size, size_t unit_at,
			size_t year_at, size_t *earlier)
{
	struct unit_year *v = xmallocarray(n ? n : 1, sizeof *v);
	const char *o = obs;
	size_t first = n;

	for (size_t i = 0; i < n; i++) {
		memcpy(&v[i].unit, o + i * size + unit_at, sizeof v[i].unit);
		memcpy(&v[i].year, o + i * size + year_at, sizeof v[i].year);
		v[i].i = i;
	}
	xqsort(v, n, sizeof *v, by_unit_year);
	for (size_t i = 1; i < n; i++)
		if (v[i].unit == v[i - 1].unit && v[i].year == v[i - 1].year && v[i].i < first) {
			first = v[i].i;
			*earlier = v[i - 1].i;
		}
	free(v);
	return first;
}

size_t group_block_of(struct group_blocks *b, const struct csv_row *row)
{
	size_t known = group_count(b->g), i = group_of(b->g, row);

	if (known && i == b->current) {
		b->file = row->file;
		b->line = row->line;
		return i;
	}
	if (known) {
		size_t c = b->current;

		if (c >= b->cap) {
			size_t cap = b->cap;
			b->end_file = xgrow(b->end_file, &cap, c + 1, sizeof *b->end_file);
			b->end_line = xgrow(b->end_line, &b->cap, c + 1, sizeof *b->end_line);
		}
		b->end_file[c] = b->file;
		b->end_line[c] = b->line;
	}
	if (i < known) {
		const char *f = b->end_file[i];
		int other = strcmp(f, row->file) != 0;

		die_at(row->file, row->line, 0, "group \"%s\" appears again after its rows ended "
		       "at %s%s%ld (--grouped: each group's rows together; sort the input or "
		       "leave out --grouped)", group_label(b->g, i), other ? f : "line ",
		       other ? ":" : "", b->end_line[i]);
	}
	b->current = i;
	b->file = row->file;
	b->line = row->line;
	return i;
}

void group_blocks_free(struct group_blocks *b)
{
	free(b->end_file);
	free(b->end_line);
	b->end_file = NULL;
	b->end_line = NULL;
	b->cap = 0;
}
