#include <string.h>

#include "columns.h"
#include "diag.h"
#include "joined.h"

struct event_cols event_cols_find(const struct csv_header *h, const char *file,
				  const char *time_col)
{
	struct event_cols c = { .rel = col_find(h, "rel_year"), .post = col_find(h, "post"),
				.event = col_find(h, "event_year"), .time = col_find(h, time_col) };

	if (c.rel < 0 && (c.event < 0 || c.time < 0))
		die_at(file, 1, 0, "needs the columns rel_year and post, or event_year and the time "
		       "column \"%s\" (join the event dates first: tt-join -e EVENTS)", time_col);
	return c;
}

int event_of_row(const struct csv_header *h, const struct csv_row *row,
		 struct event_cols *c, double *rel, double *post)
{
	double ev, t;

	if (c->rel >= 0) {
		if (cell_number_memo(h, row, c->rel, &c->memo[0], rel))
			return 1;
		/* rel_year is time - event_year: a table edited by hand may
		 * disagree with itself */
		if (c->event >= 0 && c->time >= 0 &&
		    !cell_number_memo(h, row, c->event, &c->memo[2], &ev) &&
		    !cell_number_memo(h, row, c->time, &c->memo[3], &t) && *rel != t - ev)
			die_at(row->file, row->line, c->rel + 1,
			       "column \"%s\": %g is not %s - %s (%g - %g)", h->name[c->rel], *rel,
			       h->name[c->time], h->name[c->event], t, ev);
	} else {
		if (cell_number_memo(h, row, c->event, &c->memo[2], &ev))
			return 1;
		t = cell_time_number(h, row, c->time);
		*rel = t - ev;
	}
	*post = *rel >= 0;
	if (c->post >= 0 && !cell_number_memo(h, row, c->post, &c->memo[1], post) &&
	    *post != 0 && *post != 1)
		die_at(row->file, row->line, c->post + 1, "column \"%s\": \"%s\" is not 0 or 1",
		       h->name[c->post], cell_shown(row->f[c->post]));
	return 0;
}

int event_window_keeps(const struct event_window *w, double rel)
{
	if (rel < -w->pre || rel > w->post)
		return 0;
	return !(w->drop_event && rel == 0);
}
