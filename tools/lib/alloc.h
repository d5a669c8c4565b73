/* Allocation that never returns NULL: on failure the tool says so and exits 1. */
#ifndef TT_ALLOC_H
#define TT_ALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
/* room for `count` items of `size` bytes; a product past SIZE_MAX is out of memory */
void *xmallocarray(size_t count, size_t size);
/* a * b, a count of items (U units times T years, say), for the x*
 * functions: a product of SIZE_MAX or more is out of memory, so that the
 * room for one more item, a * b + 1, cannot wrap either */
size_t xmul(size_t a, size_t b);
void *xrealloc(void *p, size_t n);
/* grow an array of `size`-byte items so that it holds at least `need` items */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
/* another library's allocation (GSL's matrices, vectors, generators): NULL
 * is out of memory, as for the others; p itself otherwise */
void *xnonnull(void *p);
char *xstrndup(const char *s, size_t n);

/* qsort that takes an empty or absent array (qsort's pointer may not be
 * NULL even for no items) */
void xqsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
