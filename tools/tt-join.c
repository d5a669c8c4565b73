/* tt-join: attach event dates (ratification, say) to an indicator table.
 * The events table is read whole (one row per key); the main input is
 * streamed, each row written with event_year,rel_year,post appended. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "number.h"
#include "options.h"
#include "strlist.h"

static char *events_arg;
static const char *key_arg = "iso3", *date_arg = "ratified", *instrument_arg;
static int inner;

static const struct tt_opt options[] = {
	{ "events", 'e', "FILE", "the events table: one row per key, with the event's date (required)" },
	{ "key", 'k', "COL", "the column that names the unit in both tables (default 'iso3')" },
	{ "date", 0, "COL", "the events' date column, YYYY-MM-DD, YYYY-MM or YYYY (default 'ratified')" },
	{ "instrument", 0, "NAME", "use only the events whose 'instrument' column is NAME" },
	{ "inner", 0, NULL, "drop the rows of units without an event (never treated)" },
	{ NULL, 0, NULL, NULL },
};

static void handle(int idx, const char *arg)
{
	switch (idx) {
	case 0: events_arg = (char *)arg; break;
	case 1: key_arg = arg; break;
	case 2: date_arg = arg; break;
	case 3: instrument_arg = arg; break;
	case 4: inner = 1; break;
	}
}

static const struct tool tool = {
	"tt-join", "-e EVENTS [OPTION]... [FILE]...",
	"Append event_year, rel_year (time - event_year) and post (1 when time >= event_year)\n"
	"to every row, from the event dates in the events table.",
	C_DELIM | C_NA | C_TIME, options, handle,
};

/* one event, by key; year NAN when the key has no date (never treated) */
struct event {
	char *key;
	size_t len;
	double year;
	long line;
};

struct event_table {
	struct event *ev;
	size_t n, cap;
	const char *file;
	int keycol;
};

static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

static int event_cmp(const void *a, const void *b)
{
	const struct event *p = a, *q = b;
	int c = key_cmp(p->key, p->len, q->key, q->len);
	return c ? c : (p->line > q->line) - (p->line < q->line);
}

static const struct event *event_find(const struct event_table *t, const char *key,
				      size_t len)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(key, len, t->ev[mid].key, t->ev[mid].len);
		if (c == 0)
			return &t->ev[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static char *join_list(const struct strlist *l)
{
	char *list = xstrdup("");
	size_t len = 0, cap = 1;

	for (size_t i = 0; i < l->n; i++) {
		list = xgrow(list, &cap, len + l->len[i] + 3, 1);
		if (i) {
			memcpy(list + len, ", ", 2);
			len += 2;
		}
		memcpy(list + len, l->v[i], l->len[i]);
		len += l->len[i];
		list[len] = '\0';
	}
	return list;
}

/* Without --instrument the table must hold one instrument only: joining
 * the Protocol and the Convention at once would pick dates at random. */
static void check_instruments(const struct strlist *seen, const char *file, size_t kept)
{
	if (instrument_arg && kept == 0)
		die_at(file, 0, 0, "no row has instrument \"%s\"; the instruments are: %s",
		       instrument_arg, join_list(seen));
	if (!instrument_arg && seen->n > 1)
		die_at(file, 0, 0, "the events table holds %zu instruments (%s); "
		       "pick one with --instrument", seen->n, join_list(seen));
}

static double event_year(const struct csv_header *h, const struct csv_row *row, int col)
{
	int year;

	if (is_missing(row->f[col], row->len[col]))
		return NAN;
	if (!parse_date(row->f[col], row->len[col], &year, NULL, NULL))
		die_at(row->file, row->line, col + 1,
		       "column \"%s\": \"%s\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
		       h->name[col], cell_shown(row->f[col]));
	return year;
}

static void read_events(struct csv_reader *r, struct event_table *t)
{
	const struct csv_header *h;
	struct strlist instruments = { 0 };
	struct csv_row *row;
	int datecol, icol = -1;

	if (csv_read_header(r) != 0)
		tt_exit(EXIT_DATA);
	h = csv_header(r);
	t->file = csv_first_file(r);
	t->keycol = col_require(h, t->file, key_arg, "key column");
	datecol = col_require(h, t->file, date_arg, "date column");
	icol = instrument_arg ? col_require(h, t->file, "instrument", "column")
			      : col_find(h, "instrument");
	while (csv_next(r, &row)) {
		struct event *e;

		if (icol >= 0) {
			const char *s = row->f[icol];
			size_t len = row->len[icol];
			if (strlist_find(&instruments, s, len) < 0)
				strlist_push(&instruments, s, len);
			if (instrument_arg && (strlen(instrument_arg) != len ||
					       memcmp(instrument_arg, s, len) != 0))
				continue;
		}
		t->ev = xgrow(t->ev, &t->cap, t->n + 1, sizeof *t->ev);
		e = &t->ev[t->n++];
		e->key = xstrndup(row->f[t->keycol], row->len[t->keycol]);
		e->len = row->len[t->keycol];
		e->year = event_year(h, row, datecol);
		e->line = row->line;
	}
	check_instruments(&instruments, t->file, t->n);
	strlist_free(&instruments);
}

/* Two rows for one key: which date is meant cannot be known. */
static void index_events(struct event_table *t)
{
	xqsort(t->ev, t->n, sizeof *t->ev, event_cmp);
	for (size_t i = 1; i < t->n; i++)
		if (key_cmp(t->ev[i - 1].key, t->ev[i - 1].len, t->ev[i].key, t->ev[i].len) == 0)
			die_at(t->file, t->ev[i].line, t->keycol + 1,
			       "key \"%s\" also on line %ld: two events for one unit are ambiguous%s",
			       t->ev[i].key, t->ev[i - 1].line,
			       instrument_arg ? "" : " (pick an instrument with --instrument)");
}

static void check_new_columns(const struct csv_header *h, const char *file)
{
	static const char *added[] = { "event_year", "rel_year", "post" };

	for (size_t i = 0; i < 3; i++)
		if (col_find(h, added[i]) >= 0)
			die_at(file, 1, 0, "the input already has a column \"%s\" (joined before?)",
			       added[i]);
}

static void write_header(const struct csv_header *h)
{
	for (size_t i = 0; i < h->n; i++)
		out_field(h->name[i], h->len[i]);
	out_str("event_year");
	out_str("rel_year");
	out_str("post");
	out_endrow();
}

static void write_row(const struct csv_header *h, const struct csv_row *row, int tcol,
		      const struct event *e)
{
	double t;

	if (cell_number(h, row, tcol, &t))
		die_at(row->file, row->line, tcol + 1, "column \"%s\": the time is missing",
		       h->name[tcol]);
	if (inner && (!e || isnan(e->year)))
		return;
	for (size_t i = 0; i < row->n; i++)
		out_field(row->f[i], row->len[i]);
	if (e && !isnan(e->year)) {
		out_num(e->year);
		out_num(t - e->year);
		out_int(t >= e->year);
	} else {
		out_empty();
		out_empty();
		out_empty();
	}
	out_endrow();
}

static int reads_stdin(char **files, int n)
{
	if (n == 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (strcmp(files[i], "-") == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int first = opts_parse(argc, argv, &tool);
	struct event_table events = { 0 };
	struct csv_reader *er, *r;
	const struct csv_header *h;
	struct csv_row *row;
	int keycol, tcol;

	if (!events_arg)
		die_usage("the events table is missing: give it with -e FILE");
	if (strcmp(events_arg, "-") == 0 && reads_stdin(argv + first, argc - first))
		die_usage("the events table and the input cannot both be standard input");
	er = csv_open(&events_arg, 1, opt.delim);
	r = csv_open(argv + first, argc - first, opt.delim);
	read_events(er, &events);
	index_events(&events);
	csv_close(er);

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	keycol = col_require(h, csv_first_file(r), key_arg, "key column");
	tcol = col_require(h, csv_first_file(r), opt.time, "time column");
	check_new_columns(h, csv_first_file(r));
	write_header(h);
	while (csv_next(r, &row))
		write_row(h, row, tcol, event_find(&events, row->f[keycol], row->len[keycol]));
	for (size_t i = 0; i < events.n; i++)
		free(events.ev[i].key);
	free(events.ev);
	csv_close(r);
	return out_close();
}
