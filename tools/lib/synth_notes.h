/* The messages about one synthetic-control case (synth.h) that tt-synth
 * writes: why a case cannot be estimated, located at the treated unit's
 * first row, and what the reader of a result must know (ties, a poor or
 * exact fit).  Each is one line, the case's label before it. */
#ifndef TT_SYNTH_NOTES_H
#define TT_SYNTH_NOTES_H
#include <stddef.h>

#include "synth.h"

struct synth_case {
	const char *label;      /* "PHL" or "PHL, prosecution" */
	const char *file;       /* the treated unit's first row */
	long line;
	int left_out;           /* a refused case is left out (--all): said so */
};

/* why the case cannot be estimated: "LABEL: message[; left out]" */
void synth_refuse(const struct synth_case *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The donor pool (J units, listed in pool) and the candidates lacking a
 * year (n_gap, listed in lacking) of the years first..last used; named: the
 * donors had to be named in --donors.  Refuses when J < 2 (and returns 1),
 * else notes the units left out, if any (and returns 0). */
int synth_explain_donors(const struct synth_case *c, size_t J, const char *pool,
			 size_t n_gap, const char *lacking, long first, long last, int named);
/* why synth_estimate returned st (not SYNTH_OK); y0: the first value, in
 * the year first, last_pre the last year before the event */
void synth_explain_status(const struct synth_case *c, int st, double y0, long first,
			  long last_pre);
/* ties, a poor fit, an exact fit, placebos fitted exactly */
void synth_warn_result(const char *label, const struct synth_result *r);

#endif
