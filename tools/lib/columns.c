#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "diag.h"
#include "strbuf.h"
#include "number.h"

int col_find(const struct csv_header *h, const char *spec)
{
	size_t n = strlen(spec), i;
	char *end;
	long k;

	for (i = 0; i < h->n; i++)
		if (h->len[i] == n && memcmp(h->name[i], spec, n) == 0)
			return (int)i;
	if (n == 0 || spec[0] < '0' || spec[0] > '9')
		return -1;
	k = strtol(spec, &end, 10);
	if (*end != '\0' || k < 1 || (size_t)k > h->n)
		return -1;
	return (int)k - 1;
}

int col_require(const struct csv_header *h, const char *file, const char *spec,
		const char *what)
{
	int c = col_find(h, spec);
	struct strbuf list = { 0 };

	if (c >= 0)
		return c;
	for (size_t i = 0; i < h->n; i++)
		sb_item(&list, "%s", h->name[i]);
	die_at(file, 1, 0, "%s \"%s\" not found; the header has: %s", what, spec,
	       sb_take(&list));
}

int *col_require_list(const struct csv_header *h, const char *file, const char *list,
		      const char *what, size_t *n)
{
	struct strlist l = { 0 };
	int *idx;

	strlist_split(&l, list);
	idx = xmalloc((l.n ? l.n : 1) * sizeof *idx);
	for (size_t i = 0; i < l.n; i++) {
		idx[i] = col_find(h, l.v[i]);
		if (idx[i] < 0) {
			/* the array goes before col_require names the column
			 * and ends the tool: nothing of ours left unreachable */
			free(idx);
			col_require(h, file, l.v[i], what);
		}
	}
	*n = l.n;
	strlist_free(&l);
	return idx;
}

int *col_groups(const struct csv_header *h, const char *file, const char *groups,
		int all, size_t *n)
{
	static const char *defaults[] = { "iso3", "indicator" };
	int *idx;

	if (groups && !all)
		return col_require_list(h, file, groups, "group column", n);
	idx = xmalloc(2 * sizeof *idx);
	*n = 0;
	for (size_t i = 0; !all && i < 2; i++) {
		int c = col_find(h, defaults[i]);
		if (c >= 0)
			idx[(*n)++] = c;
	}
	/* pooling six countries silently is the trap: say so */
	if (!all && *n == 0)
		warn("no iso3 or indicator column: the whole input is one group; name groups with -g");
	return idx;
}

int header_duplicate(const struct csv_header *h, size_t *first, size_t *dup)
{
	size_t *f = header_first_of(h);
	int found = 0;

	for (size_t i = 0; i < h->n && !found; i++)
		if (f[i] != i) {
			*first = f[i];
			*dup = i;
			found = 1;
		}
	free(f);
	return found;
}

int cell_number(const struct csv_header *h, const struct csv_row *r, int col, double *out)
{
	enum num_status st;

	if (cell_value(r->f[col], r->len[col], out, &st))
		return 1;
	if (st != NUM_OK)
		die_at(r->file, r->line, col + 1, "column \"%s\": \"%s\" %s", h->name[col],
		       cell_shown(r->f[col]), num_strerror(st));
	return 0;
}

int cell_number_memo(const struct csv_header *h, const struct csv_row *r, int col,
		     struct cell_memo *m, double *out)
{
	size_t len = r->len[col], i = 0;

	/* a missing cell leaves *out as it was, as cell_number does; the
	 * texts are a few bytes: compared here, not through a call */
	if (m->kept && len == m->len)
		for (; i < len && r->f[col][i] == m->text[i]; i++)
			;
	if (m->kept && len == m->len && i == len) {
		if (!m->missing)
			*out = m->value;
		return m->missing;
	}
	m->missing = cell_number(h, r, col, &m->value);
	if (!m->missing)
		*out = m->value;
	m->kept = len <= sizeof m->text;
	if (m->kept) {
		memcpy(m->text, r->f[col], len);
		m->len = len;
	}
	return m->missing;
}

int cell_year(const struct csv_header *h, const struct csv_row *r, int col, long max,
	      long *out)
{
	double x;

	if (cell_number(h, r, col, &x))
		return 1;
	if (x != floor(x) || fabs(x) > (double)max)
		die_at(r->file, r->line, col + 1, "column \"%s\": \"%s\" is not a whole year",
		       h->name[col], cell_shown(r->f[col]));
	*out = (long)x;
	return 0;
}

static void time_missing(const struct csv_header *h, const struct csv_row *r, int col)
{
	die_at(r->file, r->line, col + 1, "column \"%s\": the time is missing", h->name[col]);
}

long cell_time(const struct csv_header *h, const struct csv_row *r, int col, long max)
{
	long t;

	if (cell_year(h, r, col, max, &t))
		time_missing(h, r, col);
	return t;
}

double cell_time_number(const struct csv_header *h, const struct csv_row *r, int col)
{
	double t;

	if (cell_number(h, r, col, &t))
		time_missing(h, r, col);
	return t;
}

int cell_date(const struct csv_header *h, const struct csv_row *r, int col, int *year)
{
	int parts;

	if (is_missing(r->f[col], r->len[col]))
		return 0;
	parts = parse_date(r->f[col], r->len[col], year, NULL, NULL);
	if (!parts)
		die_at(r->file, r->line, col + 1,
		       "column \"%s\": \"%s\" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
		       h->name[col], cell_shown(r->f[col]));
	return parts;
}

static const char *cohort_text(long g, long never, char buf[32])
{
	if (g == never)
		return "none";
	snprintf(buf, 32, "%ld", g);
	return buf;
}

/* a file as the located form names it: standard input is "(stdin)" */
static const char *file_shown(const char *file)
{
	return strcmp(file, "-") ? file : "(stdin)";
}

noreturn void die_cohort(const struct csv_header *h, const struct csv_row *r, int col,
			 const char *unit, long cohort, struct cohort_seen first, long never)
{
	char a[32], b[32];

	die_at(r->file, r->line, col + 1, "column \"%s\": unit %s has event year %s here "
	       "but %s at %s:%ld", h->name[col], unit, cohort_text(cohort, never, a),
	       cohort_text(first.cohort, never, b), file_shown(first.file), first.line);
}

noreturn void die_unit_year_twice(const struct csv_header *h, const char *file, long line,
				  int col, const char *unit, long year,
				  const char *first_file, long first_line)
{
	die_at(file, line, col + 1, "column \"%s\": unit %s has year %ld twice (also at %s:%ld)",
	       h->name[col], unit, year, file_shown(first_file), first_line);
}

int *col_by(const struct csv_header *h, const char *file, const char *by,
	    const int *unit, size_t n_unit, size_t *n)
{
	int *cols;

	if (by) {
		cols = col_require_list(h, file, by, "--by column", n);
	} else {
		cols = xmalloc(sizeof *cols);
		cols[0] = col_find(h, "indicator");
		*n = cols[0] >= 0;
	}
	for (size_t i = 0; i < *n; i++)
		for (size_t k = 0; k < n_unit; k++)
			if (cols[i] == unit[k])
				die_usage("--by and --group both name the column \"%s\"", h->name[cols[i]]);
	return cols;
}
