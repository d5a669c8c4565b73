/* A table read whole and looked up by the values of its key columns: the
 * right side of a left join (tt-join --attach).  A key is the exact text of
 * its cells; a key that occurs twice is an error naming both lines. */
#ifndef TT_KEYED_H
#define TT_KEYED_H
#include <stddef.h>

#include "csvread.h"

struct keyed_table;

/* Reads FILE: `on` names the key columns, `cols` the columns to attach
 * (NULL: every column but the keys).  Exits 1 on a missing column or a
 * repeated key. */
struct keyed_table *keyed_load(const char *file, char delim, const char *on,
			       const char *cols);
size_t keyed_ncols(const struct keyed_table *t);
const char *keyed_colname(const struct keyed_table *t, size_t i);
/* the attached cells of the row whose key cells (columns keycols of row)
 * match, or NULL; lens receives a pointer to their lengths */
char *const *keyed_find(struct keyed_table *t, const struct csv_row *row,
			const int *keycols, const size_t **lens);
void keyed_free(struct keyed_table *t);

#endif
