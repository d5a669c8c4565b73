/* The notes about one part of a staggered DiD (did_estimate's result) that
 * tt-event writes as warnings: the units left out or counted as never
 * treated, cohorts of one unit, empty and thin cells, cells on a single
 * unit, and the caveats of did.h's warning bits; and, when the part has no
 * estimates, why.  Each note is one warn() line, "LABEL: " before it when
 * the part has a label.  The units are the panel's, by the index the panel
 * gave them (did_result.dropped_* hold those indexes). */
#ifndef TT_DID_NOTES_H
#define TT_DID_NOTES_H
#include <stddef.h>

#include "did.h"

struct did_notes {
	const struct did_result *r;
	const struct did_options *o;    /* as passed to did_estimate */
	size_t n_units;                 /* the panel's units */
	const char *const *name;        /* [n_units] as the notes name them */
	const int *cohort;              /* [n_units] event year, DID_NEVER if none */
	const size_t *n_values;         /* [n_units] values read; 0: all missing */
	const char *window_text;        /* --window as given; NULL when not given */
	int detail;                     /* the cells are listed (--detail) */
	const char *label;              /* before every note; NULL: none */
};

/* every note on a part, fatal status or not */
void did_notes(const struct did_notes *n);
/* why the part has no estimates: a note, and 1; 0 when it has some */
int did_explain_failure(const struct did_notes *n);

#endif
