/* tt-panel: two-way fixed-effects regressions on the long table, linear
 * or Poisson (PPML): the effect of `post` (twfe), Wooldridge's extended
 * TWFE event study (etwfe), and the coverage-adjusted year index (index).
 *
 * Reads every row first (a bad cell fails the run before any output),
 * splits the rows by the --by columns (default indicator), and hands each
 * part to panel_estimate (tools/lib/panel.h), which applies the sample
 * rules, fits and derives the terms; this file writes the estimates table
 * and the notes. */
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "estimates.h"
#include "group.h"
#include "joined.h"
#include "number.h"
#include "options.h"
#include "panel.h"
#include "strbuf.h"

static const char *unit_arg = "iso3", *by_arg, *cluster_arg;
static int family = GLM_POISSON;        /* enum glm_family */
static int model = PANEL_TWFE;          /* enum panel_model */
static int base_year = PANEL_BASE_FIRST, detail;

/* the words of --family (message order) and of --model (enum panel_model's) */
static const char *const families[] = { "linear", "poisson", NULL };
static const char *const mname[] = { "twfe", "etwfe", "index", NULL };

static const struct tool tool = {
	"tt-panel", "[OPTION]... [FILE]...",
	"Two-way fixed-effects regressions (unit and year effects), linear or Poisson (PPML),\n"
	"per --by group: twfe (term post, and pct_post for poisson) and etwfe (att per rel_year,\n"
	"att_simple) on a table joined by tt-join; index (year_effect per year: the\n"
	"coverage-adjusted trend).  Cluster-robust standard errors by unit.",
	C_TABLE | C_TIME | C_VALUE | C_LEVEL | C_MAXG, (const struct tt_opt[]){
		OPT_STRING("group", 'g', "COLS", unit_arg, "the column(s) naming the unit, e.g. the country (default 'iso3')"),
		OPT_STRING("by", 0, "COLS", by_arg, "a separate regression per value of these columns (default 'indicator' when present; '' for none)"),
		OPT_CHOICE("family", 0, "F", family, families, "poisson (PPML, for counts; default) or linear (OLS)"),
		OPT_CHOICE("model", 0, "M", model, mname, "twfe (effect of post; default), etwfe (event study by cohort and year) or index (year effects)"),
		OPT_STRING("cluster", 0, "COL", cluster_arg, "cluster-robust standard errors by this column (default the unit)"),
		OPT_INT("base-year", 0, "Y", base_year, 1, 9999, "index: the year set to 100 (poisson) or 0 (linear); default the first year"),
		OPT_FLAG("detail", 0, detail, "etwfe: add the rows att_gt, one per cohort and year, and the columns cohort,year"),
		OPT_END(),
	},
};

struct part {
	struct panel_obs *o;
	size_t n, cap;
	struct where { const char *file; long line; } *at;   /* of each o */
	size_t cap_at;
	long missing;
};

struct unit_info {
	int cohort;
	const char *file;
	long line;
};

struct input {
	int *by, *unit, *cluster;
	size_t n_by, n_unit, n_cluster;
	int time, value;
	struct event_cols ev;
	struct group_table *parts, *units, *clusters;
	struct part *part;
	size_t n_parts, cap_parts;
	struct unit_info *ui;
	size_t n_ui, cap_ui;
};

static void find_columns(const struct csv_header *h, const char *file, struct input *in)
{
	in->unit = col_require_list(h, file, unit_arg, "unit column", &in->n_unit);
	if (in->n_unit == 0)
		die_usage("option --group: no column named");
	in->by = col_by(h, file, by_arg, in->unit, in->n_unit, &in->n_by);
	in->cluster = col_require_list(h, file, cluster_arg ? cluster_arg : unit_arg,
				       "cluster column", &in->n_cluster);
	if (in->n_cluster == 0)
		die_usage("option --cluster: no column named");
	in->time = col_require(h, file, opt.time, "time column");
	in->value = col_require(h, file, opt.value, "value column");
	in->ev = (struct event_cols){ .rel = -1, .post = -1, .event = -1, .time = -1 };
	if (model == PANEL_TWFE && col_find(h, "post") < 0)
		die_at(file, 1, 0, "--model twfe needs the column post (join the event dates "
		       "first: tt-join -e EVENTS)");
	if (model == PANEL_ETWFE && col_find(h, "event_year") < 0 && col_find(h, "rel_year") < 0)
		die_at(file, 1, 0, "--model etwfe needs the column event_year or rel_year (join "
		       "the event dates first: tt-join -e EVENTS)");
	/* twfe needs only post; the event year, where the table has it,
	 * is checked against it */
	if (model == PANEL_TWFE && col_find(h, "rel_year") < 0 && col_find(h, "event_year") < 0)
		in->ev.post = col_find(h, "post");
	else if (model != PANEL_INDEX)
		in->ev = event_cols_find(h, file, opt.time);
}

/* post alone (a table with no event years): empty reads 0 */
static double post_only(const struct csv_header *h, const struct csv_row *row, int col)
{
	double post;

	if (cell_number(h, row, col, &post))
		return 0;
	if (post != 0 && post != 1)
		die_at(row->file, row->line, col + 1, "column \"%s\": \"%s\" is not 0 or 1",
		       h->name[col], cell_shown(row->f[col]));
	return post;
}

static void read_input(struct csv_reader *r, struct input *in)
{
	const struct csv_header *h = csv_header(r);
	struct csv_row *row;

	in->parts = group_new(in->by, in->n_by);
	in->units = group_new(in->unit, in->n_unit);
	in->clusters = group_new(in->cluster, in->n_cluster);
	while (csv_next(r, &row)) {
		size_t b = group_of(in->parts, row);
		struct panel_obs o = { group_of(in->units, row), group_of(in->clusters, row),
				       (int)cell_time(h, row, in->time, 1000000), PANEL_NEVER, 0, 0 };
		struct part *p;
		double rel = 0, post = 0;

		if (b == in->n_parts) {
			in->part = xgrow(in->part, &in->cap_parts, b + 1, sizeof *in->part);
			memset(&in->part[in->n_parts++], 0, sizeof *in->part);
		}
		p = &in->part[b];
		if (model == PANEL_TWFE && in->ev.rel < 0 && in->ev.event < 0)
			o.post = post_only(h, row, in->ev.post);
		else if (model != PANEL_INDEX && event_of_row(h, row, &in->ev, &rel, &post) == 0) {
			int col = in->ev.rel >= 0 ? in->ev.rel : in->ev.event;

			/* the cohort is a year: year - rel_year must be one */
			if (rel != floor(rel) || fabs(rel) > 1000000)
				die_at(row->file, row->line, col + 1, "column \"%s\": \"%s\" is not a whole year",
				       h->name[col], cell_shown(row->f[col]));
			o.cohort = o.year - (int)rel;
			o.post = post;
		}
		/* the unit's first row gives its event year; the others agree */
		if (o.unit == in->n_ui) {
			in->ui = xgrow(in->ui, &in->cap_ui, o.unit + 1, sizeof *in->ui);
			in->ui[in->n_ui++] = (struct unit_info){ o.cohort, row->file, row->line };
		} else if (in->ui[o.unit].cohort != o.cohort) {
			const struct unit_info *first = &in->ui[o.unit];

			die_cohort(h, row, in->ev.event >= 0 ? in->ev.event : in->ev.rel,
				   group_label(in->units, o.unit), o.cohort,
				   (struct cohort_seen){ first->cohort, first->file, first->line },
				   PANEL_NEVER);
		}
		if (cell_number(h, row, in->value, &o.y)) {
			p->missing++;
			continue;
		}
		if (family == GLM_POISSON && o.y < 0)
			die_at(row->file, row->line, in->value + 1,
			       "column \"%s\": \"%s\" is negative (--family poisson needs values of 0 or more)",
			       h->name[in->value], cell_shown(row->f[in->value]));
		p->o = xgrow(p->o, &p->cap, p->n + 1, sizeof *p->o);
		p->at = xgrow(p->at, &p->cap_at, p->n + 1, sizeof *p->at);
		p->at[p->n] = (struct where){ row->file, row->line };
		p->o[p->n++] = o;
	}
}

/* a unit observed twice in a year would count twice: the later row is an
 * error naming the earlier */
static void check_duplicates(const struct input *in, const struct part *p,
			     const struct csv_header *h)
{
	size_t first = 0, worst = unit_year_repeat(p->o, p->n, sizeof *p->o,
						  offsetof(struct panel_obs, unit), offsetof(struct panel_obs, year), &first);

	if (worst == p->n)
		return;
	die_unit_year_twice(h, p->at[worst].file, p->at[worst].line, in->time,
			    group_label(in->units, p->o[worst].unit), p->o[worst].year,
			    p->at[first].file, p->at[first].line);
}

/* "ppml-twfe(cluster=iso3)": family, model and the cluster columns */
static char *method;

static void set_method(const struct csv_header *h, const struct input *in)
{
	struct strbuf b = { 0 };

	sb_printf(&b, "%s-%s(cluster=", family == GLM_POISSON ? "ppml" : "ols", mname[model]);
	for (size_t k = 0; k < in->n_cluster; k++)
		sb_printf(&b, "%s%s", k ? "+" : "", h->name[in->cluster[k]]);
	sb_addc(&b, ')');
	method = sb_take(&b);
}

static const char *part_label(const struct input *in, size_t b)
{
	return in->n_by ? group_label(in->parts, b) : "the input";
}

static void plural(struct strbuf *b, size_t n, const char *one, const char *many)
{
	if (n > 0)
		sb_item(b, "%zu %s", n, n == 1 ? one : many);
}

static void notes(const struct input *in, size_t b, const struct panel_result *r)
{
	const struct panel_drops *d = &r->drops;
	struct strbuf left = { 0 };

	plural(&left, d->single_units, "unit with a single observation",
	       "units with a single observation");
	plural(&left, d->no_pre_units, "treated unit with no observation before its event year",
	       "treated units with no observation before their event year");
	plural(&left, d->zero_units, "unit whose values are all 0", "units whose values are all 0");
	plural(&left, d->zero_years, "year whose values are all 0", "years whose values are all 0");
	plural(&left, d->zero_cells, "treated cohort-year cell whose values are all 0",
	       "treated cohort-year cells whose values are all 0");
	if (left.s)
		warn("%s: left out %s (%zu observation%s; n = %zu)", part_label(in, b), left.s,
		     d->obs, d->obs == 1 ? "" : "s", r->n);
	free(sb_take(&left));
	if (r->exact)
		warn("%s: %zu estimate%s without a standard error (%s observations fitted "
		     "exactly: nothing left to estimate the noise with)", part_label(in, b), r->exact,
		     r->exact == 1 ? "" : "s", r->exact == 1 ? "its" : "their");
	if (r->post_aliased)
		warn("%s: post is not identified: no unit is observed both before and after "
		     "its event, so the unit effects absorb it: empty", part_label(in, b));
	if (r->aliased_cells)
		warn("%s: %zu cohort-year cell%s not identified (no comparison unit observed in "
		     "the year): empty, and left out of att and att_simple", part_label(in, b),
		     r->aliased_cells, r->aliased_cells == 1 ? "" : "s");
	if (r->status == PANEL_NO_BASE)
		warn("%s: the base year %d is not in the sample: no index", part_label(in, b),
		     r->base_year);
	else if (r->status != PANEL_OK)
		warn("%s: %s", part_label(in, b), panel_status_str(r->status));
	if (in->part[b].missing)
		warn("%s: %ld missing value%s skipped (not in n)", part_label(in, b),
		     in->part[b].missing, in->part[b].missing == 1 ? "" : "s");
}

static void write_part(const struct input *in, size_t b, const struct panel_result *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		const struct panel_row *pr = &r->row[i];
		struct estimates_row row = estimates_row(panel_term_name[pr->term], method);
		double trail[2] = { NAN, NAN };

		if (pr->term == PANEL_ATT_GT && !detail)
			continue;
		row.inf = pr->t;
		row.n = (long long)r->n;
		group_write_key(in->parts, b);
		if (model != PANEL_TWFE) {
			if (pr->has_lead)
				out_int(pr->lead);
			else
				out_empty();
		}
		if (pr->term == PANEL_ATT_GT) {
			trail[0] = pr->cohort;
			trail[1] = pr->year;
		}
		estimates_write(&row, model == PANEL_ETWFE && detail ? trail : NULL);
	}
}

int main(int argc, char **argv)
{
	struct csv_reader *r = tt_start(argc, argv, &tool);
	const struct csv_header *h;
	struct input in;
	struct panel_options po;
	const char *lead[2] = { NULL, NULL };
	static const char *const trail[] = { "cohort", "year", NULL };

	memset(&in, 0, sizeof in);
	if (base_year != PANEL_BASE_FIRST && model != PANEL_INDEX)
		die_usage("option --base-year: only --model index has a base year");
	if (detail && model != PANEL_ETWFE)
		die_usage("option --detail: only --model etwfe has cohort-year cells");
	if (csv_read_header(r) != 0)
		return EXIT_DATA;
	h = csv_header(r);
	find_columns(h, csv_first_file(r), &in);
	read_input(r, &in);
	for (size_t b = 0; b < in.n_parts; b++)
		check_duplicates(&in, &in.part[b], h);
	set_method(h, &in);
	po = (struct panel_options){ family, model, base_year, opt.level };
	if (model == PANEL_ETWFE)
		lead[0] = "rel_year";
	else if (model == PANEL_INDEX)
		lead[0] = h->name[in.time];
	estimates_header(h, in.by, in.n_by, lead[0] ? lead : NULL,
			 model == PANEL_ETWFE && detail ? trail : NULL);
	for (size_t b = 0; b < in.n_parts; b++) {
		struct panel_result res;
		panel_estimate(in.part[b].o, in.part[b].n, group_count(in.units),
			       group_count(in.clusters), &po, &res);
		notes(&in, b, &res);
		write_part(&in, b, &res);
		panel_result_free(&res);
		free(in.part[b].o);
		free(in.part[b].at);
	}
	free(method);
	free(in.part);
	free(in.ui);
	free(in.by);
	free(in.unit);
	free(in.cluster);
	group_free(in.parts);
	group_free(in.units);
	group_free(in.clusters);
	csv_close(r);
	return out_close();
}
