/* Descriptive statistics of one column by group: streaming moments (Welford
 * updates, O(1) memory per group) and, only when a quantile-type statistic
 * is asked for, the group's values. */
#ifndef TT_DESCRIBE_H
#define TT_DESCRIBE_H
#include <stddef.h>

struct moments {
	long n, missing;
	double mean, m2;        /* Welford: running mean and sum of squared deviations */
	double sum, comp;       /* Neumaier-compensated sum */
	double min, max;
};

void moments_add(struct moments *m, double x);
double moments_sum(const struct moments *m);
double moments_mean(const struct moments *m);   /* NaN when n = 0 */
double moments_var(const struct moments *m);    /* sample variance, NaN when n < 2 */

/* a growable array of (time, value) pairs */
struct series {
	double *t, *y;
	size_t n, cap;
};

void series_add(struct series *s, double t, double y);
void series_sort_by_time(struct series *s);   /* stable: ties keep input order */
void series_free(struct series *s);

/* type-7 quantile (R's default) of sorted data, p in [0,1] */
double quantile_sorted(const double *sorted, size_t n, double p);
/* median absolute deviation scaled by 1.4826, as R's mad(); data need not be sorted */
double mad(const double *y, size_t n);
/* v in ascending order (no NaN): gsl_sort, or for a few values (a group's
 * years before or after its event) an insertion sort, which on 14 to 21
 * values takes a third less time than GSL's heapsort and gives the same
 * array */
void sort_doubles(double *v, size_t n);
/* qsort's order of ints; v sorted with its repeats dropped, in place: the
 * number of distinct values (a panel's years, its cohorts) */
int compare_int(const void *a, const void *b);
size_t sort_unique_int(int *v, size_t n);
/* 1 when the n values are all the same (or n < 2): a constant series */
int all_equal(const double *y, size_t n);

#endif
