/* A joined table (tt-join's output): where each row's event comes from.
 * rel_year (with post, when present), or else event_year and the time
 * column; post defaults to rel_year >= 0. */
#ifndef TT_JOINED_H
#define TT_JOINED_H

#include <math.h>

#include "columns.h"
#include "csvread.h"

struct event_cols {
	int rel, post, event, time;     /* column indexes, -1 when absent */
	struct cell_memo memo[4];       /* their last cells, in that order */
};

/* the columns, or exit 1 naming what is missing and how to get it */
struct event_cols event_cols_find(const struct csv_header *h, const char *file,
				  const char *time_col);
/* rel_year and post of a row: 0, or 1 when the row has no event (never
 * treated); a post other than 0 or 1, a missing time, or a rel_year that
 * is not time - event_year (when all three are given) exits 1 */
int event_of_row(const struct csv_header *h, const struct csv_row *row,
		 struct event_cols *c, double *rel, double *post);

/* The event window of tt-prepost(1) and tt-plot(1) prepost (--pre N,
 * --post N, --drop-event): the rows with -pre <= rel_year <= post, and
 * not rel_year 0 under drop_event; EVENT_WINDOW_ALL keeps every row. */
struct event_window {
	double pre, post;
	int drop_event;
};
#define EVENT_WINDOW_ALL { INFINITY, INFINITY, 0 }
int event_window_keeps(const struct event_window *w, double rel);

#endif
