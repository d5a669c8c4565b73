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
#include "group.h"
#include "keyed.h"
#include "number.h"
#include "options.h"
#include "strbuf.h"
#include "strlist.h"

static const char *events_arg, *attach_arg;
static const char *key_arg = "iso3", *date_arg = "ratified", *instrument_arg;
static const char *on_arg, *cols_arg;
static int inner;

static const struct tool tool = {
	"tt-join", "-e EVENTS [OPTION]... [FILE]...  or  --attach TABLE --on COLS [OPTION]... [FILE]...",
	"Append event_year, rel_year (time - event_year) and post (1 when time >= event_year)\n"
	"to every row, from the event dates in the events table; or, with --attach, the\n"
	"columns of TABLE to every row whose key columns match (a left join).",
	C_DELIM | C_NA | C_TIME, (const struct tt_opt[]){
		OPT_STRING("events", 'e', "FILE", events_arg, "the events table: one row per key, with the event's date (required)"),
		OPT_STRING("key", 'k', "COL", key_arg, "the column that names the unit in both tables (default 'iso3')"),
		OPT_STRING("date", 0, "COL", date_arg, "the events' date column, YYYY-MM-DD, YYYY-MM or YYYY (default 'ratified')"),
		OPT_STRING("instrument", 0, "NAME", instrument_arg, "use only the events whose 'instrument' column is NAME"),
		OPT_FLAG("inner", 0, inner, "drop the rows of units without an event (never treated), or without a match in --attach"),
		OPT_STRING("attach", 0, "FILE", attach_arg, "a general left join instead: append columns of FILE to the rows whose --on keys match"),
		OPT_STRING("on", 0, "COLS", on_arg, "with --attach: the key columns, in both tables (e.g. iso3,year)"),
		OPT_STRING("cols", 0, "COLS", cols_arg, "with --attach: the columns of FILE to append (default: all but the keys)"),
		OPT_END(),
	},
};

/* one event, by key; year NAN when the key has no date (never treated) */
struct event {
	char *key;
	size_t len;
	double year;
	long line;
	int parts;      /* of the date: 3 day, 2 month, 1 year only; 0 none */
	char *date;
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
	struct strbuf b = { 0 };

	for (size_t i = 0; i < l->n; i++)
		sb_item(&b, "%s", cell_shown_n(l->v[i], l->len[i]));
	return sb_take(&b);
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

/* the year of the event date; *parts says how precise the date is */
static double event_year(const struct csv_header *h, const struct csv_row *row, int col,
			 int *parts)
{
	int year;

	*parts = cell_date(h, row, col, &year);
	return *parts ? year : NAN;
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
		e->year = event_year(h, row, datecol, &e->parts);
		e->date = xstrndup(row->f[datecol], row->len[datecol]);
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
			       cell_shown_n(t->ev[i].key, t->ev[i].len), t->ev[i - 1].line,
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
	double t = cell_time_number(h, row, tcol);

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

static const char *shown_file(const char *f)
{
	return strcmp(f, "-") == 0 ? "(stdin)" : f;
}

/* The keys of the input with no dated event, and those whose date is a
 * month or a year only, told once at the end (a key spelled differently in
 * the two tables would otherwise pass as never treated, silently). */
static void note_keys(struct group_table *keys, const unsigned char *state,
		      const struct event_table *ev)
{
	size_t n = group_count(keys), none = 0, partial = 0;
	struct strbuf a = { 0 }, b = { 0 };

	for (size_t g = 0; g < n; g++) {
		size_t len;
		const char *k = group_key(keys, g, 0, &len);
		if (state[g] == 1) {
			sb_item(&a, "%s", cell_shown_n(k, len));
			none++;
		} else if (state[g] >= 2) {
			const struct event *e = event_find(ev, k, len);
			sb_item(&b, "%s %s", cell_shown_n(k, len), cell_shown(e->date));
			partial++;
		}
	}
	if (none)
		warn("%zu of %zu %s values have no event in %s and %s: %s", none, n, key_arg,
		     shown_file(events_arg), inner ? "are left out (--inner)" : "count as never treated",
		     a.s);
	if (partial)
		warn("%zu of %zu %s values have an event date given to the month or the year only; "
		     "its year is used: %s", partial, n, key_arg, b.s);
	free(sb_take(&a));
	free(sb_take(&b));
}

static int join_events(struct csv_reader *r)
{
	struct event_table events = { 0 };
	char *events_file = (char *)events_arg;    /* an argv string */
	struct csv_reader *er = csv_open(&events_file, 1, opt.delim);
	const struct csv_header *h;
	struct csv_row *row;
	struct group_table *keys;
	unsigned char *state = NULL;      /* per key: 0 dated by day, 1 no event, 2 partial */
	size_t statecap = 0, nstate = 0;
	int keycol, tcol;

	read_events(er, &events);
	index_events(&events);
	csv_close(er);

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	keycol = col_require(h, csv_first_file(r), key_arg, "key column");
	tcol = col_require(h, csv_first_file(r), opt.time, "time column");
	check_new_columns(h, csv_first_file(r));
	keys = group_new(&keycol, 1);
	write_header(h);
	while (csv_next(r, &row)) {
		const struct event *e = event_find(&events, row->f[keycol], row->len[keycol]);
		size_t g = group_of(keys, row);
		if (g == nstate) {	/* a key seen for the first time */
			state = xgrow(state, &statecap, ++nstate, 1);
			state[g] = !e || isnan(e->year) ? 1 : e->parts < 3 ? 2 : 0;
		}
		write_row(h, row, tcol, e);
	}
	note_keys(keys, state, &events);
	free(state);
	group_free(keys);
	for (size_t i = 0; i < events.n; i++) {
		free(events.ev[i].key);
		free(events.ev[i].date);
	}
	free(events.ev);
	return 0;
}

/* --attach: a left join on the --on columns */
static int join_attach(struct csv_reader *r)
{
	struct keyed_table *t = keyed_load(attach_arg, opt.delim, on_arg, cols_arg);
	const struct csv_header *h;
	const char *file;
	struct csv_row *row;
	int *keycols;
	size_t nkeys, rows = 0, unmatched = 0;

	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	file = csv_first_file(r);
	keycols = col_require_list(h, file, on_arg, "key column", &nkeys);
	for (size_t c = 0; c < keyed_ncols(t); c++)
		if (col_find(h, keyed_colname(t, c)) >= 0)
			die_at(file, 1, 0, "the input already has a column \"%s\"; "
			       "choose the columns to attach with --cols", keyed_colname(t, c));
	for (size_t i = 0; i < h->n; i++)
		out_field(h->name[i], h->len[i]);
	for (size_t c = 0; c < keyed_ncols(t); c++)
		out_str(keyed_colname(t, c));
	out_endrow();
	while (csv_next(r, &row)) {
		const size_t *lens = NULL;
		char *const *cells = keyed_find(t, row, keycols, &lens);

		rows++;
		if (!cells) {
			unmatched++;
			if (inner)
				continue;
		}
		for (size_t i = 0; i < row->n; i++)
			out_field(row->f[i], row->len[i]);
		for (size_t c = 0; c < keyed_ncols(t); c++)
			if (cells)
				out_field(cells[c], lens[c]);
			else
				out_empty();
		out_endrow();
	}
	if (unmatched)
		warn("%zu of %zu rows have no match in %s on %s: %s", unmatched, rows,
		     shown_file(attach_arg), on_arg,
		     inner ? "left out (--inner)" : "their attached columns are empty");
	free(keycols);
	keyed_free(t);
	return 0;
}

int main(int argc, char **argv)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, &tool);
	struct csv_reader *r;
	int status;

	if (attach_arg && events_arg)
		die_usage("give either -e EVENTS or --attach FILE, not both");
	if (!attach_arg && (on_arg || cols_arg))
		die_usage("--on and --cols go with --attach FILE");
	if (attach_arg && !on_arg)
		die_usage("--attach needs the key columns: give them with --on COLS");
	if (!events_arg && !attach_arg)
		die_usage("the events table is missing: give it with -e FILE");
	if (strcmp(attach_arg ? attach_arg : events_arg, "-") == 0 &&
	    reads_stdin(argv + first, argc - first))
		die_usage("the %s and the input cannot both be standard input",
			  attach_arg ? "attached table" : "events table");
	r = csv_open(argv + first, argc - first, opt.delim);
	status = attach_arg ? join_attach(r) : join_events(r);
	if (status)
		return status;
	csv_close(r);
	return out_close();
}
