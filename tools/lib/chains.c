/* Many lists in one array: see chains.h. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chains.h"
#include "diag.h"

void chains_init(struct chains *c, size_t size)
{
	memset(c, 0, sizeof *c);
	c->size = size;
}

void *chains_add(struct chains *c, struct chain *k)
{
	size_t at = c->n;

	if (at >= UINT32_MAX)
		die(1, "out of memory (more than %lu rows held)", (unsigned long)UINT32_MAX);
	if (at == c->cap) {
		size_t cap = c->cap;

		c->rec = xgrow(c->rec, &cap, at + 1, c->size);
		c->next = xrealloc(c->next, xmul(cap, sizeof *c->next));
		c->cap = cap;
	}
	if (k->n++ == 0)
		k->first = (uint32_t)at;
	else
		c->next[k->last] = (uint32_t)at;
	k->last = (uint32_t)at;
	c->n++;
	return c->rec + at * c->size;
}

void chains_copy(const struct chains *c, const struct chain *k, void *out)
{
	unsigned char *o = out;
	size_t at = k->first;

	size_t size = c->size;

	for (size_t i = 0; i < k->n; i++) {
		memcpy(o + i * size, c->rec + at * size, size);
		if (i + 1 < k->n)
			at = c->next[at];
	}
}

void chains_clear(struct chains *c)
{
	c->n = 0;
}

void chains_free(struct chains *c)
{
	free(c->rec);
	free(c->next);
	memset(c, 0, sizeof *c);
}
