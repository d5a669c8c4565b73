/* The estimates table that every inferential tool writes (tt-toolkit(7)):
 *
 *   <group columns>[,lead...],term,estimate,std_error,statistic,df,p_value,
 *   conf_low,conf_high,n,method[,trail...]
 *
 * one row per group and term.  A number that does not apply is NaN and is
 * written as an empty cell, as are an n below 0 and a NULL method.  The
 * optional leading and trailing columns let a tool add its own (tt-event:
 * rel_year before term; cohort,year after method) and still share the
 * writer, so that tt-plot and any other reader find the same names. */
#ifndef TT_ESTIMATES_H
#define TT_ESTIMATES_H
#include <stddef.h>

#include "csvread.h"
#include "inference.h"
#include "strlist.h"

struct estimates_row {
	const char *term;
	struct inference inf;   /* estimate .. conf_high */
	long long n;            /* observations behind the term; < 0: empty */
	const char *method;     /* NULL: empty */
};

/* A row for `term` with every number empty and no method. */
struct estimates_row estimates_row(const char *term, const char *method);

/* Writes the header.  The group columns are named as in the input header
 * h (indexes gcols, ng of them); lead and trail are NULL-terminated lists of
 * extra column names (or NULL for none).  Call once, before any row. */
void estimates_header(const struct csv_header *h, const int *gcols, size_t ng,
		      const char *const *lead, const char *const *trail);

/* Writes term..method and the trailing cells, and ends the row.  The caller
 * has written the group key (group_write_key) and the leading cells first.
 * trail holds one number per trailing column (NaN: empty), or is NULL when
 * all are empty. */
void estimates_write(const struct estimates_row *r, const double *trail);

/* The reader's side: the number of columns before term (or rel_year) in an
 * estimates table, its group columns; -1 when h is not one (no estimate
 * column, or neither term nor rel_year).  A table led by the time column
 * `time` (tt-panel's year index) has its groups before that column. */
int estimates_lead_columns(const struct csv_header *h, const char *time);

/* The rows of one term, as a reader goes through the table: the term column
 * (-1: the table has none, and every row is of the term), the term asked for
 * (NULL: the first term seen, which is then taken; first_seen says so), and
 * every term seen so far, in order, for the reader's messages. */
struct estimates_terms {
	int term_col;
	const char *term;	/* points into seen when taken by default */
	struct strlist seen;
	int first_seen;
};

void estimates_terms_init(struct estimates_terms *t, const struct csv_header *h,
			  const char *term);
/* 1 when the row is of the term; its term is added to seen */
int estimates_term_matches(struct estimates_terms *t, const struct csv_row *row);

/* A cell of an estimates table as a number: NaN when it is missing or col is
 * below 0 (the table has no such column); a cell that is neither ends the
 * tool (cell_number). */
double estimates_cell(const struct csv_header *h, const struct csv_row *row, int col);

#endif
