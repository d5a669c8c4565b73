/* The notes on a result (did_notes.c, synth_notes.c): the lines they write
 * on standard error, captured into a file. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "did_notes.h"
#include "synth_notes.h"
#include "unit.h"

static int capture(void) { return unit_capture(); }
static void captured(char *msg, size_t size) { unit_captured(msg, size); }

/* a part of four units: B without values, C treated after the data, D
 * dropped for being treated too early; one thin cell, one empty */
static void did_part(void)
{
	static const char *const name[] = { "AAA", "BBB", "CCC", "DDD" };
	static const int cohort[] = { 2003, 2004, 2010, 2000 };
	static const size_t n_values[] = { 5, 0, 5, 5 };
	static int early[] = { 3 };
	struct did_cell cells[2] = {
		{ .cohort = 2003, .year = 2003, .rel_year = 0, .thin = 1, .n_treated = 1,
		  .n_control = 2, .est = { .inf = { .estimate = 1.5 } } },
		{ .cohort = 2003, .year = 2004, .rel_year = 1, .empty = DID_CELL_NOCONTROL,
		  .est = { .inf = { .estimate = NAN } } },
	};
	struct did_result r = { .status = DID_OK, .n_years = 5, .first_year = 2000,
				.last_year = 2004, .dropped_early = early, .n_dropped_early = 1,
				.cells = cells, .n_cells = 2, .n_thin = 1 };
	struct did_options o;
	did_options_init(&o);
	o.min_treated = 3;
	struct did_notes n = { &r, &o, 4, name, cohort, n_values, NULL, 0, "trafficking" };
	char msg[2048] = "";

	if (capture() != 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	did_notes(&n);
	CHECK(did_explain_failure(&n) == 1);   /* no event time, a thin cell */
	n.label = NULL;
	r.status = DID_ENONEVER;
	CHECK(did_explain_failure(&n) == 1);
	r.status = DID_OK;
	r.n_events = 1;
	CHECK(did_explain_failure(&n) == 0);
	captured(msg, sizeof msg);
	CHECK_STR(msg,
		  "tt-test: trafficking: 1 unit without any value, left out: BBB\n"
		  "tt-test: trafficking: 1 unit with an event after the last year with data "
		  "(2004), counted as never treated: CCC\n"
		  "tt-test: trafficking: 1 unit treated in or before the first year with data "
		  "(2000), dropped: DDD\n"
		  "tt-test: trafficking: 1 of 2 ATT(g,t) cannot be estimated and are left out "
		  "(the first: cohort 2003, year 2004, no control unit observed in both years); --detail lists them\n"
		  "tt-test: trafficking: 1 ATT(g,t) rest on fewer than 3 treated units "
		  "(--min-treated): no standard error, left out of every aggregate: cohort 2003 in 2003\n"
		  "tt-test: trafficking: every ATT(g,t) in the window rests on fewer than 3 treated "
		  "units (--min-treated): nothing to aggregate\n"
		  "tt-test: no never-treated units to serve as controls (try --control notyet)\n");
}

/* more than 250 units are named up to 250, the rest counted */
static void did_many(void)
{
	enum { N = 260 };
	static char buf[N][16];
	static const char *name[N];
	static int cohort[N];
	static size_t n_values[N];
	struct did_result r = { .status = DID_ENOYEARS, .n_years = 1 };
	struct did_options o;
	char msg[4096] = "";

	for (int i = 0; i < N; i++) {
		snprintf(buf[i], sizeof buf[i], "U%d", i);
		name[i] = buf[i];
	}
	did_options_init(&o);
	struct did_notes n = { &r, &o, N, name, cohort, n_values, NULL, 0, NULL };
	if (capture() != 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	did_notes(&n);
	captured(msg, sizeof msg);
	static const char head[] = "tt-test: 260 units without any value, left out: U0, U1, ";
	CHECK(strncmp(msg, head, sizeof head - 1) == 0);
	CHECK(strstr(msg, ", U248, U249 and 10 more\n") != NULL);
	CHECK(strstr(msg, "U250") == NULL);
}

static void synth_messages(void)
{
	struct synth_case c = { "PHL, prosecution", "t.csv", 7, 1 };
	struct synth_result r = { .tie = 1, .ratio = NAN, .n_exact_placebos = 2 };
	char msg[2048] = "";

	if (capture() != 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	CHECK(synth_explain_donors(&c, 1, "KOR", 1, "THA", 2000, 2010, 1) == 1);
	CHECK(synth_explain_donors(&c, 3, "KOR, JPN, VNM", 1, "THA", 2000, 2010, 0) == 0);
	c.left_out = 0;
	synth_explain_status(&c, SYNTH_ECONSTANT, 4, 2000, 2004);
	synth_warn_result("PHL", &r);
	captured(msg, sizeof msg);
	CHECK_STR(msg,
		  "tt-test: t.csv:7: PHL, prosecution: a donor pool of one (KOR): its weight is 1 "
		  "whatever the data and there is no placebo to compare with; at least 2 donors "
		  "are needed, 1 lacks some year: THA; left out\n"
		  "tt-test: PHL, prosecution: 1 unit without a value in every year used "
		  "(2000-2010), left out of the donor pool: THA\n"
		  "tt-test: t.csv:7: PHL, prosecution: the value is 4 in every year before the "
		  "event (2000-2004): a constant series has nothing for the donors to track\n"
		  "tt-test: PHL: several weight vectors fit the years before the event equally "
		  "well: the pre-period fit is unique, the weights reported are one of them, and "
		  "the post-period gaps may depend on the choice\n"
		  "tt-test: PHL: the synthetic control fits the years before the event exactly "
		  "(RMSPE 0): the ratio and its p-value are not defined\n"
		  "tt-test: PHL: 2 placebos fit the years before the event exactly and count as "
		  "more extreme\n");
}

int main(void)
{
	unit_start();
	progname = "tt-test";
	did_part();
	did_many();
	synth_messages();
	return unit_summary();
}
