/* Groups keyed by the values of the grouping columns: a hash table whose
 * groups are numbered 0, 1, ... in order of first appearance. */
#ifndef TT_GROUP_H
#define TT_GROUP_H
#include <stddef.h>

#include "csvread.h"

struct group_table;

/* The most groups one table may hold (--max-groups; 0 for no limit; read
 * when a table is made): a new group past it ends the tool with an error
 * located at its row, so memory stays bounded by the number of distinct
 * groups. */
#define GROUP_LIMIT_DEFAULT 1000000
extern size_t group_limit;

struct group_table *group_new(const int *cols, size_t ncols);
/* no limit for this table: a table of keys each row adds one to (a
 * lookup table, a check for repeated keys) is bounded by its rows */
void group_unlimited(struct group_table *g);
/* the group of this row (created when new) */
size_t group_of(struct group_table *g, const struct csv_row *row);
/* the group whose key is the row's cells in columns cols (group_ncols of
 * them: another table's columns of the same key), or SIZE_MAX when there
 * is none; nothing is created */
size_t group_find(const struct group_table *g, const struct csv_row *row, const int *cols);
size_t group_count(const struct group_table *g);
/* which table g is: no two made in one run share it (a cache of a
 * table's texts is keyed by it, never by an address that may be reused) */
unsigned long group_serial(const struct group_table *g);
size_t group_ncols(const struct group_table *g);
/* the value of key column k of group i */
const char *group_key(const struct group_table *g, size_t i, size_t k, size_t *len);
/* "PHL, prosecutions" for messages: group_label_add of every key column,
 * shown; "all" when the table has none */
const char *group_label(struct group_table *g, size_t i);
/* The one joiner of a group's key cells: the key columns keys[0..n-1] of
 * group i (positions in the key, in that order; keys NULL: the first n)
 * joined by ", " onto b.  A
 * cell holding a control character goes in as cell_shown shows it when
 * `shown` (a message stays on one line), else as it is (a chart's legend,
 * whose quoting replaces control characters). */
struct strbuf;
void group_label_add(struct strbuf *b, const struct group_table *g, size_t i,
		     const size_t *keys, size_t n, int shown);
void group_free(struct group_table *g);

/* --grouped: input whose groups each come as one block of consecutive rows
 * (sorted by the group columns, say), so that a tool can finish a group
 * when the next one begins and hold one group's values at a time.  Zero
 * the struct and set g; group_block_of is group_of for such input, and a
 * group that appears again after its block ended ends the tool with an
 * error located at that row, naming the line where the block ended. */
struct group_blocks {
	struct group_table *g;
	size_t current;          /* the group of the block being read */
	const char *file;        /* where the current block's last row is */
	long line;
	const char **end_file;   /* by group: where its block ended */
	long *end_line;
	size_t cap;
};
size_t group_block_of(struct group_blocks *b, const struct csv_row *row);
void group_blocks_free(struct group_blocks *b);

/* A panel's repeated (unit, year) pair: of the n observations in the
 * array obs (elements of `size` bytes, whose size_t unit and int year sit
 * at the offsets unit_at and year_at), the first in input order whose pair
 * an earlier one already has -- its index, with that earlier one's in
 * *earlier -- or n when every pair is distinct.  (tt-event, tt-panel: such
 * a row is an error naming both lines.) */
size_t unit_year_repeat(const void *obs, size_t n, size_t size, size_t unit_at,
			size_t year_at, size_t *earlier);

#endif
