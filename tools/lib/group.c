#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csvwrite.h"
#include "group.h"

/* A key is the group's field values, each preceded by its length, so that no
 * choice of separator can make two different keys equal. */
struct group_table {
	int *cols;
	size_t ncols;
	char **keys;          /* encoded keys, by group */
	size_t *keylen;
	size_t n, cap;
	size_t *slots;        /* open addressing: group index + 1, 0 = empty */
	size_t nslots;
	char *scratch;
	size_t scap;
	size_t last;          /* rows come in runs: try the previous group first */
	char *label;
};

struct group_table *group_new(const int *cols, size_t ncols)
{
	struct group_table *g = xcalloc(1, sizeof *g);
	g->cols = xmalloc((ncols ? ncols : 1) * sizeof *g->cols);
	memcpy(g->cols, cols, ncols * sizeof *cols);
	g->ncols = ncols;
	g->nslots = 64;
	g->slots = xcalloc(g->nslots, sizeof *g->slots);
	g->last = SIZE_MAX;
	return g;
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static size_t encode(struct group_table *g, const struct csv_row *row)
{
	size_t need = 0, k = 0;
	for (size_t i = 0; i < g->ncols; i++)
		need += sizeof(size_t) + row->len[g->cols[i]];
	g->scratch = xgrow(g->scratch, &g->scap, need + 1, 1);
	for (size_t i = 0; i < g->ncols; i++) {
		size_t len = row->len[g->cols[i]];
		memcpy(g->scratch + k, &len, sizeof len);
		k += sizeof len;
		memcpy(g->scratch + k, row->f[g->cols[i]], len);
		k += len;
	}
	return k;
}

static void rehash(struct group_table *g)
{
	free(g->slots);
	g->nslots *= 2;
	g->slots = xcalloc(g->nslots, sizeof *g->slots);
	for (size_t i = 0; i < g->n; i++) {
		size_t s = hash(g->keys[i], g->keylen[i]) & (g->nslots - 1);
		while (g->slots[s])
			s = (s + 1) & (g->nslots - 1);
		g->slots[s] = i + 1;
	}
}

size_t group_of(struct group_table *g, const struct csv_row *row)
{
	size_t n = encode(g, row), s;

	if (g->last != SIZE_MAX && g->keylen[g->last] == n &&
	    memcmp(g->keys[g->last], g->scratch, n) == 0)
		return g->last;
	s = hash(g->scratch, n) & (g->nslots - 1);
	for (; g->slots[s]; s = (s + 1) & (g->nslots - 1)) {
		size_t i = g->slots[s] - 1;
		if (g->keylen[i] == n && memcmp(g->keys[i], g->scratch, n) == 0)
			return g->last = i;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap;
		g->keys = xgrow(g->keys, &cap, g->n + 1, sizeof *g->keys);
		g->keylen = xgrow(g->keylen, &g->cap, g->n + 1, sizeof *g->keylen);
	}
	g->keys[g->n] = xmalloc(n ? n : 1);
	memcpy(g->keys[g->n], g->scratch, n);
	g->keylen[g->n] = n;
	g->slots[s] = ++g->n;
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

void group_write_key(const struct group_table *g, size_t i)
{
	for (size_t k = 0; k < g->ncols; k++) {
		size_t len;
		const char *s = group_key(g, i, k, &len);
		out_field(s, len);
	}
}

const char *group_label(struct group_table *g, size_t i)
{
	size_t need = 1, len = 0, cap = 0;
	for (size_t k = 0; k < g->ncols; k++) {
		size_t l;
		group_key(g, i, k, &l);
		need += l + 2;
	}
	free(g->label);
	char *s = xgrow(NULL, &cap, need + 8, 1);
	for (size_t k = 0; k < g->ncols; k++) {
		size_t l;
		const char *p = group_key(g, i, k, &l);
		if (k) {
			memcpy(s + len, ", ", 2);
			len += 2;
		}
		memcpy(s + len, p, l);
		len += l;
	}
	if (g->ncols == 0) {
		memcpy(s, "all", 3);
		len = 3;
	}
	s[len] = '\0';
	g->label = s;
	return s;
}

void group_free(struct group_table *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++)
		free(g->keys[i]);
	free(g->keys);
	free(g->keylen);
	free(g->slots);
	free(g->scratch);
	free(g->cols);
	free(g->label);
	free(g);
}
