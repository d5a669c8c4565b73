/* Columns found by name (or by 1-based number when no column has that name). */
#ifndef TT_COLUMNS_H
#define TT_COLUMNS_H
#include <stddef.h>
#include <stdnoreturn.h>

#include "csvread.h"
#include "strlist.h"

/* index of the column, or -1 */
int col_find(const struct csv_header *h, const char *spec);
/* index of the column, or exit 1 with a message naming the file and listing
 * the header; `what` says what the column is for ("value column") */
int col_require(const struct csv_header *h, const char *file, const char *spec,
		const char *what);
/* the indexes of a comma-separated list of columns; *n receives the count */
int *col_require_list(const struct csv_header *h, const char *file, const char *list,
		      const char *what, size_t *n);
/* the grouping columns: -g LIST, or --all (none), or those of iso3,indicator
 * present in the header; when neither is, a note on stderr says that the
 * whole input is one group */
int *col_groups(const struct csv_header *h, const char *file, const char *groups,
		int all, size_t *n);
/* the --by columns of a tool that analyses each value of them apart
 * (tt-event, tt-panel, tt-synth): the list `by` (NULL: "indicator" when
 * the header has it, else none); a column that is also a unit column is a
 * usage error.  *n receives the count; the array is to free. */
int *col_by(const struct csv_header *h, const char *file, const char *by,
	    const int *unit, size_t n_unit, size_t *n);
/* 1 when the header names a column twice (index of the second in *dup) */
int header_duplicate(const struct csv_header *h, size_t *first, size_t *dup);

/* The number in a cell: 0 with *out set, 1 when the cell is missing; a cell
 * that is neither ends the tool with a located message naming the column. */
int cell_number(const struct csv_header *h, const struct csv_row *r, int col, double *out);
/* cell_number through the last cell read with the same memo: a column
 * whose text repeats from row to row (a year over a country's indicators,
 * an event year over its years) is compared, not parsed again.  A memo
 * starts zeroed (nothing kept); one per column. */
struct cell_memo {
	char text[24];
	size_t len;
	double value;
	int kept, missing;
};
int cell_number_memo(const struct csv_header *h, const struct csv_row *r, int col,
		     struct cell_memo *m, double *out);
/* A year in a cell: a whole number from -max to max.  0 with *out set, 1
 * when the cell is missing; any other number ends the tool with a located
 * message: column "C": "X" is not a whole year. */
int cell_year(const struct csv_header *h, const struct csv_row *r, int col, long max,
	      long *out);
/* The time of a row: a year (as cell_year) that may not be missing: a
 * missing one ends the tool (column "C": the time is missing). */
long cell_time(const struct csv_header *h, const struct csv_row *r, int col, long max);
/* The time of a row as any number (a time column need not hold whole
 * years for a trend): a missing one ends the tool as cell_time does. */
double cell_time_number(const struct csv_header *h, const struct csv_row *r, int col);
/* A date in a cell, YYYY-MM-DD, YYYY-MM or YYYY (parse_date): the number
 * of parts it gives (3, 2 or 1) with *year set, or 0 when the cell is
 * missing; anything else ends the tool with a located message:
 *   column "C": "X" is not a date (YYYY-MM-DD, YYYY-MM or YYYY) */
int cell_date(const struct csv_header *h, const struct csv_row *r, int col, int *year);

/* A unit's event year (its cohort) as its first row gave it, and where. */
struct cohort_seen {
	long cohort;
	const char *file;
	long line;
};
/* A row of a unit whose rows disagree on its event year ends the tool, at
 * the row's cell in column col (event_year, or rel_year it was read from):
 *   column "event_year": unit B has event year 2004 here but 2003 at t.csv:6
 * `unit` is the unit's name as a message shows it (cell_shown); a year equal
 * to `never` (no event) reads "none".  The other row is named as file:line,
 * as the located form names this one. */
noreturn void die_cohort(const struct csv_header *h, const struct csv_row *r, int col,
			 const char *unit, long cohort, struct cohort_seen first, long never);
/* A unit with two rows for one year ends the tool at the later row's time
 * cell (column col), naming the earlier row as die_cohort does:
 *   column "year": unit AFG has year 2004 twice (also at t.csv:6)
 * A panel would be ambiguous, whether or not the values are missing. */
noreturn void die_unit_year_twice(const struct csv_header *h, const char *file, long line,
				  int col, const char *unit, long year,
				  const char *first_file, long first_line);
#endif
