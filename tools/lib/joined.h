/* A joined table (tt-join's output): where each row's event comes from.
 * rel_year (with post, when present), or else event_year and the time
 * column; post defaults to rel_year >= 0. */
#ifndef TT_JOINED_H
#define TT_JOINED_H

#include "csvread.h"

struct event_cols {
	int rel, post, event, time;     /* column indexes, -1 when absent */
};

/* the columns, or exit 1 naming what is missing and how to get it */
struct event_cols event_cols_find(const struct csv_header *h, const char *file,
				  const char *time_col);
/* rel_year and post of a row: 0, or 1 when the row has no event (never
 * treated); a post other than 0 or 1, a missing time, or a rel_year that
 * is not time - event_year (when all three are given) exits 1 */
int event_of_row(const struct csv_header *h, const struct csv_row *row,
		 const struct event_cols *c, double *rel, double *post);

#endif
