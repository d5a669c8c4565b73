#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "number.h"
#include "strlist.h"

/* Short plain decimals are the common case in indicator tables: with at
 * most 15 digits the digits form an exact integer m < 2^53, and m / 10^k
 * (k <= 15 places after the point) is one correctly rounded division of
 * exact values, the same double strtod gives.  Anything else (more digits,
 * an exponent, a stray character) takes the strtod path. */
static int fast_decimal(const char *s, size_t len, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
		1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *point = NULL;
	int neg = 0;
	uint64_t m = 0;
	size_t n;

	if (p < end && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		p++;
	}
	n = (size_t)(end - p);          /* the digits and the point */
	if (n == 0 || n > 16)
		return 0;
	for (; p < end; p++) {
		unsigned d = (unsigned)*p - '0';

		if (d <= 9) {
			m = m * 10 + d;
		} else if (*p == '.' && !point) {
			point = p;
		} else {
			return 0;
		}
	}
	if (n - (point != NULL) == 0 || n - (point != NULL) > 15)   /* "." alone; 16 digits */
		return 0;
	*out = (double)m / pow10[point ? (size_t)(end - point) - 1 : 0];
	if (neg && m)
		*out = -*out;
	return 1;
}

enum num_status parse_number(const char *s, size_t len, double *out)
{
	char stack[64], *buf = stack, *end;
	int digits = 0;
	size_t i;
	double v;

	if (fast_decimal(s, len, out))
		return NUM_OK;
	/* only the characters of a plain decimal number may appear */
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			digits = 1;
		else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E')
			return NUM_BAD;
	}
	if (!digits || s[0] == 'e' || s[0] == 'E')
		return NUM_BAD;
	if (len >= sizeof stack)
		buf = xmalloc(len + 1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	i = (size_t)(end - buf);
	if (buf != stack)
		free(buf);
	if (i != len)
		return NUM_BAD;
	if (errno == ERANGE && fabs(v) > 1)
		return NUM_RANGE;
	*out = v == 0 ? 0.0 : v; /* no negative zero */
	return NUM_OK;
}

enum num_status parse_number_grouped(const char *s, size_t len, char sep, double *out)
{
	char *plain;
	size_t i = 0, k = 0, digits = 0, intend;
	int grouped = 0;
	enum num_status st;

	if (!memchr(s, sep, len))
		return parse_number(s, len, out);
	plain = xmalloc(len + 1);
	if (i < len && (s[i] == '-' || s[i] == '+'))
		plain[k++] = s[i++];
	for (intend = i; intend < len && s[intend] != '.' && s[intend] != 'e' &&
	     s[intend] != 'E'; intend++)
		;
	/* the integer part: 1 to 3 digits, then groups of sep and 3 digits */
	for (; i < intend; i++) {
		if (s[i] == sep) {
			if (digits == 0 || (grouped && digits != 3) || (!grouped && digits > 3))
				break;
			grouped = 1;
			digits = 0;
			continue;
		}
		plain[k++] = s[i];
		digits++;
	}
	if (i < intend || (grouped && digits != 3) || memchr(s + intend, sep, len - intend)) {
		free(plain);
		return NUM_BAD;
	}
	memcpy(plain + k, s + intend, len - intend);
	k += len - intend;
	plain[k] = '\0';
	st = parse_number(plain, k, out);
	free(plain);
	return st;
}

const char *num_strerror(enum num_status st)
{
	return st == NUM_RANGE ? "is out of range" : "is not a number";
}

static struct strlist na_tokens;
static int na_ready;
static unsigned char na_first[256];   /* first bytes of the tokens: a quick no */

void na_set(const char *list)
{
	strlist_free(&na_tokens);
	strlist_split(&na_tokens, list);
	memset(na_first, 0, sizeof na_first);
	for (size_t i = 0; i < na_tokens.n; i++)
		if (na_tokens.len[i])
			na_first[(unsigned char)na_tokens.v[i][0]] = 1;
	na_ready = 1;
}

int is_missing(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 1;
	if (!na_ready)
		na_set("NA,N/A,n/a,..,-");
	if (!na_first[(unsigned char)s[0]])
		return 0;
	for (i = 0; i < na_tokens.n; i++)
		if (na_tokens.len[i] == len && memcmp(na_tokens.v[i], s, len) == 0)
			return 1;
	return 0;
}

int cell_value(const char *s, size_t len, double *out, enum num_status *st)
{
	double v;

	/* a short decimal is a missing value only when a token begins as it does */
	if (fast_decimal(s, len, &v)) {
		if (na_first[(unsigned char)s[0]] && is_missing(s, len))
			return 1;
		*out = v;
		*st = NUM_OK;
		return 0;
	}
	if (is_missing(s, len))
		return 1;
	*st = parse_number(s, len, out);
	return 0;
}

static int digits_at(const char *s, size_t n, int *v)
{
	size_t i;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

int parse_date(const char *s, size_t len, int *year, int *month, int *day)
{
	int y, m = 0, d = 0;

	if (len != 4 && len != 7 && len != 10)
		return 0;
	if (!digits_at(s, 4, &y) || y < 1000)
		return 0;
	if (len >= 7 && (s[4] != '-' || !digits_at(s + 5, 2, &m) || m < 1 || m > 12))
		return 0;
	if (len == 10 && (s[7] != '-' || !digits_at(s + 8, 2, &d) || d < 1 ||
			  d > days_in_month(y, m)))
		return 0;
	*year = y;
	if (month)
		*month = m;
	if (day)
		*day = d;
	return len == 4 ? 1 : len == 7 ? 2 : 3;
}

int parse_year(const char *s, size_t len, long lo, long hi, long *year)
{
	double v;
	if (parse_number(s, len, &v) != NUM_OK || v != floor(v) || v < (double)lo ||
	    v > (double)hi || fabs(v) > 9e15)
		return -1;
	*year = (long)v;
	return 0;
}
