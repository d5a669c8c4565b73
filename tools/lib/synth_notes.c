#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "strbuf.h"
#include "synth_notes.h"

void synth_refuse(const struct synth_case *c, const char *fmt, ...)
{
	struct strbuf b = { 0 };
	va_list ap;

	sb_printf(&b, "%s: ", c->label);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	if (c->left_out)
		sb_puts(&b, "; left out");
	char *msg = sb_take(&b);
	warn_at(c->file, c->line, 0, "%s", msg);
	free(msg);
}

int synth_explain_donors(const struct synth_case *c, size_t J, const char *pool,
			 size_t n_gap, const char *lacking, long first, long last, int named)
{
	char why[64] = "";

	if (n_gap)
		snprintf(why, sizeof why, ", %zu lack%s some year", n_gap, n_gap == 1 ? "s" : "");
	if (J == 0)
		synth_refuse(c, "no donor has a value in every year used (%ld-%ld): donors are "
			     "units never treated or treated after %ld%s%s%s%s", first, last, last,
			     named ? " and named in --donors" : "", why, n_gap ? ": " : "", lacking);
	else if (J == 1)
		synth_refuse(c, "a donor pool of one (%s): its weight is 1 whatever the data "
			     "and there is no placebo to compare with; at least 2 donors are "
			     "needed%s%s%s", pool, why, n_gap ? ": " : "", lacking);
	else if (n_gap)
		warn("%s: %zu unit%s without a value in every year used (%ld-%ld), left out of "
		     "the donor pool: %s", c->label, n_gap, n_gap == 1 ? "" : "s", first, last,
		     lacking);
	return J < 2;
}

void synth_explain_status(const struct synth_case *c, int st, double y0, long first,
			  long last_pre)
{
	if (st == SYNTH_ECONSTANT)
		synth_refuse(c, "the value is %g in every year before the event (%ld-%ld): "
			     "a constant series has nothing for the donors to track", y0,
			     first, last_pre);
	else
		synth_refuse(c, "%s", synth_strerror(st));
}

void synth_warn_result(const char *label, const struct synth_result *r)
{
	size_t n = r->n_exact_placebos;

	if (r->tie)
		warn("%s: several weight vectors fit the years before the event equally well: "
		     "the pre-period fit is unique, the weights reported are one of them, and "
		     "the post-period gaps may depend on the choice", label);
	if (r->poor_fit)
		warn("%s: poor pre-period fit: RMSPE %.3g is more than %g times the sd %.3g of "
		     "the series before the event, so the gaps say little", label,
		     r->rmspe_pre, SYNTH_POOR_FIT, r->sd_pre);
	if (isnan(r->ratio))
		warn("%s: the synthetic control fits the years before the event exactly "
		     "(RMSPE 0): the ratio and its p-value are not defined", label);
	if (n)
		warn("%s: %zu placebo%s fit%s the years before the event exactly and count%s as "
		     "more extreme", label, n, n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "s" : "");
}
