/* Numbers, missing values and dates as they appear in CSV cells.
 * Numbers are read in the C locale: an optional sign, digits, one decimal
 * point, an optional exponent.  Hex, inf, nan, thousands separators and
 * blanks are refused, so "12a", "1,234" and "3 4" are errors.  (The CSV
 * reader has already trimmed blanks around unquoted fields, as libcsv does;
 * a quoted " 3" arrives here with its blank and is refused.) */
#ifndef TT_NUMBER_H
#define TT_NUMBER_H
#include <stddef.h>

enum num_status { NUM_OK, NUM_BAD, NUM_RANGE };

enum num_status parse_number(const char *s, size_t len, double *out);
/* why a cell is not a number, for messages: "is not a number", "is out of range" */
const char *num_strerror(enum num_status st);

/* A number whose integer part may group its digits by threes with the
 * separator sep, as spreadsheets write them: with sep ',' "1,032" and
 * "-12,345,678.5" read as 1032 and -12345678.5, "1032" too; "1,03",
 * "1,0320" and ",103" are NUM_BAD.  sep may not be a digit, a sign, "e"/"E"
 * or the decimal point. */
enum num_status parse_number_grouped(const char *s, size_t len, char sep, double *out);

/* The missing-value tokens.  The empty cell is always missing; --na LIST
 * replaces the other tokens (default NA, N/A, n/a, .., -). */
void na_set(const char *list);
int is_missing(const char *s, size_t len);

/* A cell as a number: 1 when it is missing (out and st untouched), else 0
 * with *st from parse_number.  The short decimals of most cells (years,
 * counts, 0/1 flags) are read in one pass: a missing-value token is looked
 * for only when one begins with the cell's first byte. */
int cell_value(const char *s, size_t len, double *out, enum num_status *st);

/* ISO 8601 calendar dates: YYYY-MM-DD, YYYY-MM or YYYY (year 1000-9999).
 * Returns the number of parts read (3, 2 or 1), or 0 when s is not such a date. */
int parse_date(const char *s, size_t len, int *year, int *month, int *day);

/* an integer year (time cell) in [lo, hi]; returns 0 on success */
int parse_year(const char *s, size_t len, long lo, long hi, long *year);

#endif
