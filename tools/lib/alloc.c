#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diag.h"

void *xnonnull(void *p)
{
	if (!p)
		die(1, "out of memory");
	return p;
}

void *xmalloc(size_t n) { return xnonnull(malloc(n ? n : 1)); }
void *xcalloc(size_t c, size_t s) { return xnonnull(calloc(c ? c : 1, s ? s : 1)); }
void *xrealloc(void *p, size_t n) { return xnonnull(realloc(p, n ? n : 1)); }

void *xmallocarray(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		die(1, "out of memory");
	return xmalloc(count * size);
}

size_t xmul(size_t a, size_t b)
{
	if (b && a > (SIZE_MAX - 1) / b)
		die(1, "out of memory");
	return a * b;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap;
	if (need <= c)
		return p;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			die(1, "out of memory");
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * size);
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void xqsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}
