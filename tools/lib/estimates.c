#include <math.h>
#include <stddef.h>
#include <string.h>

#include "columns.h"
#include "csvwrite.h"
#include "estimates.h"

static const char *const columns[] = {
	"term", "estimate", "std_error", "statistic", "df", "p_value",
	"conf_low", "conf_high", "n", "method",
};

/* trailing columns of the header written, so that every row matches it */
static size_t ntrail;

struct estimates_row estimates_row(const char *term, const char *method)
{
	return (struct estimates_row){ term, { NAN, NAN, NAN, NAN, NAN, NAN, NAN },
				       -1, method };
}

void estimates_header(const struct csv_header *h, const int *gcols, size_t ng,
		      const char *const *lead, const char *const *trail)
{
	for (size_t k = 0; k < ng; k++)
		out_field(h->name[gcols[k]], h->len[gcols[k]]);
	for (; lead && *lead; lead++)
		out_str(*lead);
	for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
		out_str(columns[i]);
	for (ntrail = 0; trail && trail[ntrail]; ntrail++)
		out_str(trail[ntrail]);
	out_endrow();
}

void estimates_write(const struct estimates_row *r, const double *trail)
{
	out_str(r->term);
	out_num(r->inf.estimate);
	out_num(r->inf.std_error);
	out_num(r->inf.statistic);
	out_num(r->inf.df);
	out_num(r->inf.p_value);
	out_num(r->inf.conf_low);
	out_num(r->inf.conf_high);
	if (r->n >= 0)
		out_int(r->n);
	else
		out_empty();
	if (r->method)
		out_str(r->method);
	else
		out_empty();
	for (size_t i = 0; i < ntrail; i++)
		out_num(trail ? trail[i] : NAN);
	out_endrow();
}

int estimates_lead_columns(const struct csv_header *h, const char *time)
{
	int term = col_find(h, "term"), rel = col_find(h, "rel_year");
	int tcol = col_find(h, time);

	if (col_find(h, "estimate") < 0 || (term < 0 && rel < 0))
		return -1;
	if (tcol >= 0 && term >= 0 && tcol < term && (rel < 0 || tcol < rel))
		rel = tcol;
	if (term < 0 || (rel >= 0 && rel < term))
		return rel;
	return term;
}

void estimates_terms_init(struct estimates_terms *t, const struct csv_header *h,
			  const char *term)
{
	memset(t, 0, sizeof *t);
	t->term_col = col_find(h, "term");
	t->term = term;
}

/* the first term seen is taken when none was asked for */
int estimates_term_matches(struct estimates_terms *t, const struct csv_row *row)
{
	const char *s;
	size_t len;

	if (t->term_col < 0)
		return 1;
	s = row->f[t->term_col];
	len = row->len[t->term_col];
	if (strlist_find(&t->seen, s, len) < 0)
		strlist_push(&t->seen, s, len);
	if (!t->term) {
		t->term = t->seen.v[0];
		t->first_seen = 1;
	}
	return len == strlen(t->term) && memcmp(s, t->term, len) == 0;
}

double estimates_cell(const struct csv_header *h, const struct csv_row *row, int col)
{
	double v;

	if (col < 0 || cell_number(h, row, col, &v))
		return NAN;
	return v;
}
