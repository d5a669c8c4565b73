#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "describe.h"

void moments_add(struct moments *m, double x)
{
	double d, t;

	if (m->n == 0)
		m->min = m->max = x;
	else if (x < m->min)
		m->min = x;
	else if (x > m->max)
		m->max = x;
	m->n++;
	d = x - m->mean;
	m->mean += d / (double)m->n;
	m->m2 += d * (x - m->mean);
	t = m->sum + x;
	m->comp += fabs(m->sum) >= fabs(x) ? (m->sum - t) + x : (x - t) + m->sum;
	m->sum = t;
}

double moments_sum(const struct moments *m) { return m->sum + m->comp; }
/* the compensated sum over n: exact for counts, and closer than the running
 * Welford mean, which only feeds the sum of squares */
double moments_mean(const struct moments *m) { return m->n ? moments_sum(m) / (double)m->n : NAN; }
double moments_var(const struct moments *m) { return m->n > 1 ? m->m2 / (double)(m->n - 1) : NAN; }

void series_add(struct series *s, double t, double y)
{
	if (s->n == s->cap) {
		size_t cap = s->cap;
		s->t = xgrow(s->t, &cap, s->n + 1, sizeof *s->t);
		s->y = xgrow(s->y, &s->cap, s->n + 1, sizeof *s->y);
	}
	s->t[s->n] = t;
	s->y[s->n++] = y;
}

struct tyi {
	double t, y;
	size_t i;
};

static int by_time(const void *a, const void *b)
{
	const struct tyi *p = a, *q = b;
	if (p->t != q->t)
		return p->t < q->t ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

void series_sort_by_time(struct series *s)
{
	struct tyi *v;
	size_t i;
	int sorted = 1;

	for (i = 1; i < s->n && sorted; i++)
		sorted = s->t[i - 1] <= s->t[i];
	if (sorted)
		return;
	v = xmalloc(s->n * sizeof *v);
	for (i = 0; i < s->n; i++)
		v[i] = (struct tyi){ s->t[i], s->y[i], i };
	xqsort(v, s->n, sizeof *v, by_time);
	for (i = 0; i < s->n; i++) {
		s->t[i] = v[i].t;
		s->y[i] = v[i].y;
	}
	free(v);
}

void series_free(struct series *s)
{
	free(s->t);
	free(s->y);
	memset(s, 0, sizeof *s);
}

double quantile_sorted(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

/* gsl_stats_mad0 is the unscaled median absolute deviation, bit for bit
 * the two sorts and medians it replaces; not gsl_stats_mad, whose scale
 * 1.482602218505602 differs from R's 1.4826 by 1.5e-6 (relative) */
double mad(const double *y, size_t n)
{
	double *work, m;

	if (n == 0)
		return NAN;
	work = xmallocarray(n, sizeof *work);
	m = gsl_stats_mad0(y, 1, n, work);
	free(work);
	return 1.4826 * m;
}

int all_equal(const double *y, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (y[i] != y[0])
			return 0;
	return 1;
}

int compare_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void sort_doubles(double *v, size_t n)
{
	enum { FEW = 32 };

	if (n > FEW) {
		gsl_sort(v, 1, n);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

size_t sort_unique_int(int *v, size_t n)
{
	size_t k = 0;

	xqsort(v, n, sizeof *v, compare_int);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[i] != v[k - 1])
			v[k++] = v[i];
	return k;
}
