/* Reading a table into a chart: what the readers of every kind share (the
 * lifetime of what they allocate, the groups and their labels, the points
 * of a series, --term and the messages on the term of an estimates table,
 * whose rows estimates.h finds).  The readers
 * are in gnuplot_input_line.c (line, step, synth), gnuplot_input_prepost.c
 * and gnuplot_input_estimates.c (event, forest, bar). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "diag.h"
#include "estimates.h"
#include "gnuplot.h"
#include "gnuplot_input.h"
#include "gnuplot_int.h"
#include "group.h"
#include "number.h"
#include "strbuf.h"
#include "strlist.h"

static void **kept;
static size_t nkept, capkept;

void *gp_keep(void *p)
{
	kept = xgrow(kept, &capkept, nkept + 1, sizeof *kept);
	kept[nkept++] = p;
	return p;
}

void gp_free_kept(void)
{
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	nkept = capkept = 0;
}

/* every text from the data or the options, before it is quoted */
char *gpi_clean_text(const char *s, size_t len)
{
	return gp_keep(gp_clean_text(s, len));
}

int gpi_field_is(const struct csv_row *row, int col, const char *s)
{
	return row->len[col] == strlen(s) && memcmp(row->f[col], s, row->len[col]) == 0;
}

/* -g or --all; else an estimates table's leading columns; else, when a
 * fallback column is named (step: instrument), that column if the table has
 * it and none otherwise; else those of iso3,indicator present. */
void gpi_find_groups(struct gp_input *in, const char *fallback)
{
	int lead = estimates_lead_columns(in->h, in->time);

	if (in->group_spec || in->all || (lead < 0 && !fallback)) {
		in->gcols = col_groups(in->h, in->file, in->group_spec, in->all, &in->ng);
	} else if (lead >= 0) {
		in->gcols = xmalloc((size_t)(lead ? lead : 1) * sizeof *in->gcols);
		for (int k = 0; k < lead; k++)
			in->gcols[k] = k;
		in->ng = (size_t)lead;
	} else {
		int c = col_find(in->h, fallback);
		in->gcols = xmalloc(sizeof *in->gcols);
		in->ng = c >= 0;
		in->gcols[0] = c;
	}
	gp_keep(in->gcols);
	in->groups = group_new(in->gcols, in->ng);
}

const char **gpi_group_labels(struct group_table *g)
{
	return gpi_group_labels_but(g, -1);
}

/* the same, leaving out group column number `skip` (-1: none) */
const char **gpi_group_labels_but(struct group_table *g, int skip)
{
	size_t n = group_count(g), nc = group_ncols(g);
	const char **label = gp_keep(xcalloc(n ? n : 1, sizeof *label));
	int *varies = xcalloc(nc ? nc : 1, sizeof *varies);
	size_t *keys = xmalloc((nc ? nc : 1) * sizeof *keys), nk = 0;
	int any = 0;

	for (size_t k = 0; k < nc; k++)
		for (size_t i = 1; i < n && !varies[k] && (int)k != skip; i++) {
			size_t l0, li;
			const char *v0 = group_key(g, 0, k, &l0), *vi = group_key(g, i, k, &li);
			varies[k] = l0 != li || memcmp(v0, vi, l0) != 0;
			any |= varies[k];
		}
	for (size_t k = 0; k < nc; k++)
		if ((!any || varies[k]) && (int)k != skip)
			keys[nk++] = k;
	for (size_t i = 0; i < n && nc > 0; i++) {
		struct strbuf b = { 0 };
		group_label_add(&b, g, i, keys, nk, 0);
		label[i] = gpi_clean_text(b.s ? b.s : "", b.len);
		free(b.s);
	}
	free(keys);
	free(varies);
	return label;
}

/* a group in messages */
const char *gpi_group_name(struct group_table *g, size_t i)
{
	return group_ncols(g) ? group_label(g, i) : "the input";
}

/* prepost and event draw one group: say which ones there are, and how to
 * keep one (tt-select -w COL=VALUE for each group column). */
void gpi_require_one_group(const struct gp_input *in, const char *kind)
{
	size_t n = group_count(in->groups);
	char hint[512] = "", *p = hint;
	size_t room = sizeof hint;

	if (n <= 1)
		return;
	for (size_t k = 0; k < in->ng; k++) {
		size_t l;
		const char *v = group_key(in->groups, 0, k, &l);
		int w = snprintf(p, room, " -w %s=%.*s", in->h->name[in->gcols[k]],
				 (int)(l > 40 ? 40 : l), v);
		if (w < 0 || (size_t)w >= room)
			break;
		p += w;
		room -= (size_t)w;
	}
	die_at(in->file, 0, 0, "%s charts draw one group; the input has %zu "
	       "(the first is \"%s\"): keep one first, e.g. tt-select%s",
	       kind, n, group_label(in->groups, 0), hint);
}

double gpi_time_of(const struct gp_input *in, const struct csv_row *row, int tcol)
{
	return cell_time_number(in->h, row, tcol);
}

void gpi_points_add(struct points *s, double x, double y)
{
	s->p = xgrow(s->p, &s->cap, s->n + 1, sizeof *s->p);
	s->p[s->n] = (struct point){ x, y, s->n, NAN, NAN };
	s->n++;
}

static int by_x(const void *a, const void *b)
{
	const struct point *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->order > q->order) - (p->order < q->order);
}

/* Sorted by x into the series' arrays; warns (once) when an x repeats. */
void gpi_points_to_series(struct points *s, struct gp_series *out,
			     const char *who, const char *xname)
{
	double *x = gp_keep(xmalloc((s->n ? s->n : 1) * sizeof *x));
	double *y = gp_keep(xmalloc((s->n ? s->n : 1) * sizeof *y));

	xqsort(s->p, s->n, sizeof *s->p, by_x);
	for (size_t i = 0; i < s->n; i++) {
		x[i] = s->p[i].x;
		y[i] = s->p[i].y;
	}
	for (size_t i = 1; i < s->n; i++)
		if (x[i] == x[i - 1]) {
			warn("%s: several rows at %s %g (is a group column missing?)",
			     who, xname, x[i]);
			break;
		}
	out->x = x;
	out->y = y;
	out->n = s->n;
}

/* the intervals of sorted points (gpi_points_to_series first) */
void gpi_points_band(const struct points *s, const double **lo, const double **hi)
{
	double *l = gp_keep(xmalloc((s->n ? s->n : 1) * sizeof *l));
	double *h = gp_keep(xmalloc((s->n ? s->n : 1) * sizeof *h));

	for (size_t i = 0; i < s->n; i++) {
		l[i] = s->p[i].lo;
		h[i] = s->p[i].hi;
	}
	*lo = l;
	*hi = h;
}

/* A gap in the times breaks the line: where two neighbouring points lie
 * more than 1.5 times the series' smallest step apart (2008 and 2011 in
 * yearly data), a missing point goes between them, so the years between
 * are not drawn as if interpolated. */
void gpi_break_gaps(struct gp_series *s)
{
	double step = INFINITY, *x, *y;
	size_t n = 0, prev = SIZE_MAX;

	for (size_t i = 0; i < s->n; i++) {
		if (!isfinite(s->x[i]))
			continue;
		if (prev != SIZE_MAX && s->x[i] > s->x[prev])
			step = fmin(step, s->x[i] - s->x[prev]);
		prev = i;
	}
	if (!isfinite(step))
		return;
	x = gp_keep(xmalloc(2 * s->n * sizeof *x));
	y = gp_keep(xmalloc(2 * s->n * sizeof *y));
	prev = SIZE_MAX;
	for (size_t i = 0; i < s->n; i++) {
		if (isfinite(s->x[i])) {
			if (prev != SIZE_MAX && s->x[i] - s->x[prev] > 1.5 * step) {
				x[n] = (s->x[i] + s->x[prev]) / 2;
				y[n++] = NAN;
			}
			prev = i;
		}
		x[n] = s->x[i];
		y[n++] = s->y[i];
	}
	s->x = x;
	s->y = y;
	s->n = n;
}

static char *join_terms(const struct strlist *l, size_t most)
{
	char *s = NULL;
	size_t len = 0, cap = 0;

	for (size_t i = 0; i < l->n && i < most; i++) {
		s = xgrow(s, &cap, len + l->len[i] + 8, 1);
		len += (size_t)sprintf(s + len, "%s%s", i ? ", " : "", l->v[i]);
	}
	if (l->n > most)
		len += (size_t)sprintf(s + len, ", ...");
	return gp_keep(s ? s : xstrdup(""));
}

/* After the rows: the term asked for must exist; a term taken by default
 * from several is named in a note. */
void gpi_check_term(const struct gp_input *in, struct estimates_terms *t,
		    size_t matched, const char *kind)
{
	if (t->term_col < 0)
		return;
	if (t->seen.n == 0)
		die_at(in->file, 0, 0, "nothing to plot: the table has no rows");
	if (matched == 0)
		die_at(in->file, 0, 0, "no row has term \"%s\"; the terms are: %s",
		       t->term, join_terms(&t->seen, 20));
	if (t->first_seen && t->seen.n > 1)
		warn("%s of term \"%s\", the first of %zu terms (%s): choose one with --term",
		     kind, t->term, t->seen.n, join_terms(&t->seen, 8));
}

void gpi_term_rows_init(struct estimates_terms *t, const struct gp_input *in,
			const char *dflt)
{
	estimates_terms_init(t, in->h, in->term ? in->term : dflt);
	if (t->term_col < 0 && in->term)
		col_require(in->h, in->file, "term", "term column");
}

/* Keeps the term (it points into the strlist) past strlist_free. */
void gpi_term_rows_done(struct estimates_terms *t, const struct gp_input *in)
{
	if (t->term && t->term != in->term)
		t->term = gp_keep(xstrdup(t->term));
	strlist_free(&t->seen);
}

/* Rows whose estimate (or value, `what`) is missing are named in one note,
 * the first ten by label, or by rel_year when they have no label. */
void gpi_note_left_out(const struct gp_estimate *e, size_t n, const char *what)
{
	char buf[512] = "";
	size_t len = 0, count = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isnan(e[i].estimate) || count++ >= 10 || len >= sizeof buf - 80)
			continue;
		if (e[i].label)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\"%.60s\"",
						len ? ", " : "", e[i].label);
		else
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%g",
						len ? ", " : "", e[i].rel_year);
	}
	if (count)
		warn("left out, no %s (%zu): %s%s%s", what, count,
		     e[0].label ? "" : "rel_year ", buf, count > 10 ? ", ..." : "");
}
