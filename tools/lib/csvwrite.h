/* CSV on standard output: RFC 4180 quoting only where needed, numbers in the
 * shortest form that reads back to the same double (or -p N significant
 * digits), missing values as empty fields.  Output is buffered here and
 * written with write(2) so that errors are seen: a closed pipe ends the
 * tool quietly with status 0, any other write error (a full disk) is
 * reported and exits 1. */
#ifndef TT_CSVWRITE_H
#define TT_CSVWRITE_H
#include <stddef.h>

extern int out_precision;   /* 0: shortest round-trip form */
extern char out_delim;      /* ',': output is CSV whatever the input */

void out_init(void);
void out_field(const char *s, size_t len);   /* quoted when needed */
void out_str(const char *s);                 /* out_field of a C string */
void out_num(double x);                      /* NaN is written as missing */
void out_int(long long v);
void out_empty(void);
void out_endrow(void);
void out_raw(const char *s, size_t len);     /* bytes as they are */
/* writes the key columns of group i (group.h) as output fields */
struct group_table;
void group_write_key(const struct group_table *g, size_t i);
void out_flush(void);
/* end of main: flush, check, close; returns the exit status to use (0) */
int out_close(void);
/* drop what is buffered (called on fatal errors) */
void out_abandon(void);

/* shortest decimal text that reads back as x ("" for NaN); buf >= 32 bytes */
size_t format_number(char *buf, double x, int precision);
/* x rounded to `digits` significant digits (1..17) for a reader: fixed
 * notation without an exponent ("1369", "2.33", "0.0421"), except for
 * magnitudes below 1e-4 or from 1e15 on, which keep %g's exponent; "" for
 * NaN, no "-0".  buf >= 48 bytes. */
size_t format_readable(char *buf, double x, int digits);

#endif
