#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvwrite.h"
#include "diag.h"
#include "group.h"

int out_precision;
char out_delim = ',';

static char obuf[1 << 16];
static size_t olen;
static int row_started;
static unsigned long flushes;   /* obuf emptied: what was in it is gone */

void out_init(void)
{
	/* a closed pipe shows up as EPIPE from write(), handled in out_flush */
	signal(SIGPIPE, SIG_IGN);
	/* die and its kin drop what is buffered before they exit */
	diag_abandon_hook = out_abandon;
}

void out_flush(void)
{
	size_t off = 0;

	while (off < olen) {
		ssize_t w = write(STDOUT_FILENO, obuf + off, olen - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE)
			_exit(0);
		if (w <= 0) {
			int e = errno;
			olen = 0;
			die(1, "write error: %s", w < 0 ? strerror(e) : "no progress");
		}
		off += (size_t)w;
	}
	olen = 0;
	flushes++;
}

void out_raw(const char *s, size_t len)
{
	while (len > 0) {
		size_t room = sizeof obuf - olen;
		size_t k = len < room ? len : room;
		memcpy(obuf + olen, s, k);
		olen += k;
		s += k;
		len -= k;
		if (olen == sizeof obuf)
			out_flush();
	}
}

static inline void out_byte(char c)
{
	if (olen == sizeof obuf)
		out_flush();
	obuf[olen++] = c;
}

static void separate(void)
{
	if (row_started)
		out_byte(out_delim);
	row_started = 1;
}

void out_field(const char *s, size_t len)
{
	size_t i;
	int quote = 0;

	separate();
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == out_delim || c == '"' || c == '\n' || c == '\r') {
			quote = 1;
			break;
		}
	}
	if (!quote) {
		out_raw(s, len);
		return;
	}
	/* each run up to and with a quote, then that quote again */
	out_byte('"');
	for (const char *q; (q = memchr(s, '"', len)) != NULL; ) {
		size_t run = (size_t)(q - s) + 1;

		out_raw(s, run);
		out_byte('"');
		s += run;
		len -= run;
	}
	out_raw(s, len);
	out_byte('"');
}

void out_str(const char *s) { out_field(s, strlen(s)); }

void out_empty(void) { separate(); }

/* 10^0 .. 10^22: each exact in a double */
static const double exact_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Does the decimal m 10^k read back as a (a > 0)?  The answer strtod would
 * give: when m <= 2^53 and |k| <= 22 both factors are exact doubles, so one
 * correctly rounded multiply or divide is the correctly rounded value of
 * m 10^k, which is what strtod returns (Clinger's fast path); else strtod. */
static int reads_back(uint64_t m, int k, double a)
{
	char s[48];

	if (m <= (UINT64_C(1) << 53) && k >= -22 && k <= 22)
		return (k >= 0 ? (double)m * exact_pow10[k] : (double)m / exact_pow10[-k]) == a;
#ifdef __SIZEOF_INT128__
	if (k < 0 && k >= -22 && m < (UINT64_C(1) << 54)) {
		/* a = A 2^q exactly.  m 10^k rounds to a when it is within half
		 * a step of a: |m 2^-q - A 10^j| < 10^j / 2 with j = -k, in
		 * integers of 128 bits (m 2^(1-q) < 2^127 is checked; 2 A 10^j
		 * < 2^54 10^22 < 2^128); the step below a power of 2 is half as
		 * wide; a tie goes to the even A, as strtod rounds */
		__extension__ typedef unsigned __int128 u128;
		int q;
		uint64_t A = (uint64_t)ldexp(frexp(a, &q), 53);
		q -= 53;
		if (q < 0 && 1 - q <= 127 - 54) {
			u128 p10 = 1, lhs = (u128)m << (1 - q), rhs, d;
			for (int j = 0; j < -k; j++)
				p10 *= 10;
			rhs = (u128)(2 * A) * p10;
			d = lhs > rhs ? lhs - rhs : rhs - lhs;
			if (lhs < rhs && A == UINT64_C(1) << 52)
				d *= 2;
			return d < p10 || (d == p10 && A % 2 == 0);
		}
	}
#endif
	snprintf(s, sizeof s, "%" PRIu64 "e%d", m, k);
	return strtod(s, NULL) == a;
}

/* What "%.{p}g" writes for the p significant digits d (the first nonzero)
 * and decimal exponent e: fixed notation when -4 <= e < p, else
 * d.ddde+XX; trailing zeros of the fraction and a bare point dropped. */
static size_t g_style(char *buf, const char *d, int p, int e, int neg)
{
	char *s = buf;
	int last = p - 1;

	while (last > 0 && d[last] == '0')
		last--;
	if (neg)
		*s++ = '-';
	if (e < -4 || e >= p) {
		int ae = e < 0 ? -e : e;

		*s++ = d[0];
		if (last > 0) {
			*s++ = '.';
			memcpy(s, d + 1, (size_t)last);
			s += last;
		}
		*s++ = 'e';
		*s++ = e < 0 ? '-' : '+';
		if (ae >= 100)
			*s++ = (char)('0' + ae / 100);
		*s++ = (char)('0' + ae / 10 % 10);
		*s++ = (char)('0' + ae % 10);
	} else if (e >= 0) {
		memcpy(s, d, (size_t)e + 1);
		s += e + 1;
		if (last > e) {
			*s++ = '.';
			memcpy(s, d + e + 1, (size_t)(last - e));
			s += last - e;
		}
	} else {
		*s++ = '0';
		*s++ = '.';
		for (int i = 0; i < -e - 1; i++)
			*s++ = '0';
		memcpy(s, d, (size_t)last + 1);
		s += last + 1;
	}
	*s = '\0';
	return (size_t)(s - buf);
}

/* |v| < 1e15, v integral: "%.0f" */
static size_t integer_text(char *buf, double v)
{
	char tmp[24], *s = buf;
	long long i = (long long)v;
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;
	int n = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		*s++ = '-';
	while (n)
		*s++ = tmp[--n];
	*s = '\0';
	return (size_t)(s - buf);
}

/* 10^0 .. 10^17 as integers */
static const uint64_t pow10u[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000, 10000000000000,
	100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
};

/* a (> 0) scaled to 17 digits before the point: a 10^k = h + r, h an even
 * integer from 10^16 to 10^17, r exact (fma) or, when 10^k is not an exact
 * double, known to 1e-14; D = round-half-even(h + r) and e the exponent of
 * its leading digit. */
struct scaled {
	double h, r;
	int k, e, rest;     /* rest: the sign of h + r - D, or 2 when unknown */
	int r_exact;
	uint64_t D;
};

/* The 17 significant digits of a as "%.16e" rounds them, without printf
 * where that is exact and cheap.  For 10^-6 <= a < 10^17 the power
 * 10^(16-e) is an exact double, so the product is h + r exactly, |r| <= 8,
 * and rint(r) rounds half to even as printf does.  For 10^-28 <= a < 10^-6
 * the power is 10^22 10^j, and the product is h plus three exact parts
 * whose sum r is known to 1e-14: where that leaves the rounding in doubt
 * (the dropped part within 1e-9 of 0 or of a half) printf decides.  0 when
 * a is outside these ranges or in doubt. */
static int digits17(double a, struct scaled *sc)
{
	/* floor(log10 a) or one less, from the binary exponent (a normal
	 * double; subnormals give k > 44 below): the loop settles it */
	uint64_t bits;
	int e;

	memcpy(&bits, &a, sizeof bits);
	e = (int)floor(((int)(bits >> 52 & 0x7ff) - 1023) * 0.30102999566398120);

	for (int tries = 0; tries < 4; tries++) {
		int k = 16 - e;
		double h, r, f;
		int64_t d;

		if (k < 0 || k > 44)
			return 0;
		if (k <= 22) {
			h = a * exact_pow10[k];
			r = fma(a, exact_pow10[k], -h);
		} else {
			double p1 = a * exact_pow10[22], e1 = fma(a, exact_pow10[22], -p1);
			double pj = exact_pow10[k - 22], h2 = e1 * pj;

			h = p1 * pj;
			r = fma(p1, pj, -h) + h2 + fma(e1, pj, -h2);
		}
		if (h < 1e16) {
			e--;
			continue;
		}
		if (h >= 1e17) {
			e++;
			continue;
		}
		f = r - rint(r);
		if (k > 22 && (fabs(f) < 1e-9 || fabs(fabs(f) - 0.5) < 1e-9))
			return 0;
		d = (int64_t)h + (int64_t)rint(r);
		if (d < INT64_C(10000000000000000)) {   /* h was 10^16, just above a 10^k */
			e--;
			continue;
		}
		if (d >= INT64_C(100000000000000000))   /* rounded up to 10^17 */
			return 0;
		*sc = (struct scaled){ h, r, k, e, (f > 0) - (f < 0), k <= 22, (uint64_t)d };
		return 1;
	}
	return 0;
}

/* Does the candidate c (an integer on the scale of sc: its digits padded
 * to 17 places) read back as a?  It does when it lies within half a step
 * of a (the step below a power of 2 is half as wide): |c - (h + r)| against
 * ulp(a)/2 10^k, both known to 1e-14.  -1 when that is too close to call
 * (reads_back then settles it exactly). */
static int reads_back_scaled(uint64_t c, const struct scaled *sc, double a)
{
	int q;
	double fr = frexp(a, &q), diff, H;
	double p10 = sc->k <= 22 ? exact_pow10[sc->k] : exact_pow10[22] * exact_pow10[sc->k - 22];

	diff = (double)((int64_t)c - (int64_t)sc->h) - sc->r;
	H = ldexp(p10, q - 54);
	if (diff < 0 && fr == 0.5)
		H /= 2;
	if (fabs(fabs(diff) - H) <= 1e-9 * (1 + H))
		return -1;
	return fabs(diff) < H;
}

/* the p digits of m as characters, two at a time */
static void digits_of(char *d, uint64_t m, int p)
{
	static const char pairs[] =
		"0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
		"5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
	int i = p;

	while (i >= 2) {
		unsigned r = (unsigned)(m % 100);

		m /= 100;
		i -= 2;
		memcpy(d + i, pairs + 2 * r, 2);
	}
	if (i)
		d[0] = (char)('0' + m);
}

/* The first of "%.15g", "%.16g" that reads back as x, else "%.17g" -- the
 * definition -- from one rounding to 17 digits (digits17, or printf).  The
 * 15- and 16-digit roundings are taken from those 17 digits unless the
 * digits cut off are exactly half a unit and nothing is known of what lay
 * below them (then printf decides); whether a candidate reads back is
 * settled exactly, mostly without strtod (reads_back_scaled, reads_back). */
static size_t shortest(char *buf, double x)
{
	char d[18];
	double a = fabs(x);
	int neg = x < 0, have, e17;
	struct scaled sc = { 0 };
	uint64_t D;

	have = digits17(a, &sc);
	if (have) {
		D = sc.D;
		e17 = sc.e;
	} else {
		char e17s[40];

		snprintf(e17s, sizeof e17s, "%.16e", a);  /* d.dddddddddddddddde+XX */
		D = (uint64_t)(e17s[0] - '0');
		for (int i = 2; i < 18; i++)
			D = D * 10 + (uint64_t)(e17s[i] - '0');
		e17 = atoi(e17s + 19);
		sc.rest = 2;
	}
	for (int p = 15; p <= 16; p++) {
		/* constant divisors: a multiply, not a 64-bit divide */
		uint64_t unit = p == 15 ? 100 : 10, m = p == 15 ? D / 100 : D / 10,
			 cut = D - m * unit;
		int e = e17, ok = -1;

		if (cut == unit / 2 && sc.rest != 1 && sc.rest != -1) {
			/* exactly half a unit cut off, as far as is known */
			int n = snprintf(buf, 32, "%.*g", p, x);
			if (strtod(buf, NULL) == x)
				return (size_t)n;
			continue;
		}
		if (cut > unit / 2 || (cut == unit / 2 && sc.rest == 1)) {
			if (++m == pow10u[p]) {   /* 99..9 rounded up to 100..0 */
				m = pow10u[p - 1];
				e++;
			}
		}
		if (m <= (UINT64_C(1) << 53) && e - (p - 1) >= -22 && e - (p - 1) <= 22)
			ok = reads_back(m, e - (p - 1), a);
		else if (have)
			ok = reads_back_scaled(m * unit * pow10u[e - e17], &sc, a);
		if (ok < 0)
			ok = reads_back(m, e - (p - 1), a);
		if (ok) {
			digits_of(d, m, p);
			return g_style(buf, d, p, e, neg);
		}
	}
	digits_of(d, D, 17);
	return g_style(buf, d, 17, e17, neg);
}

size_t format_number(char *buf, double x, int precision)
{
	if (isnan(x)) {
		buf[0] = '\0';
		return 0;
	}
	if (x == 0)
		x = 0; /* no "-0" */
	if (isinf(x))
		return (size_t)snprintf(buf, 32, x > 0 ? "inf" : "-inf");
	if (precision > 0)
		return (size_t)snprintf(buf, 32, "%.*g", precision, x);
	if (fabs(x) < 1e15 && x == floor(x))
		return integer_text(buf, x);
	return shortest(buf, x);
}

size_t format_readable(char *buf, double x, int digits)
{
	double a = fabs(x);
	int decimals, n;

	if (isnan(x)) {
		buf[0] = '\0';
		return 0;
	}
	if (isinf(x))
		return (size_t)snprintf(buf, 48, x > 0 ? "inf" : "-inf");
	if (a != 0 && (a < 1e-4 || a >= 1e15))
		return (size_t)snprintf(buf, 48, "%.*g", digits, x);
	decimals = a == 0 ? 0 : digits - 1 - (int)floor(log10(a));
	if (decimals < 0)
		decimals = 0;
	n = snprintf(buf, 48, "%.*f", decimals, x);
	/* rounding carried into a new leading digit (9.996 to 3 digits is
	 * "10.00"): one decimal fewer, "10.0" */
	if (decimals > 0 && a != 0 && fabs(strtod(buf, NULL)) >= pow(10, floor(log10(a)) + 1))
		n = snprintf(buf, 48, "%.*f", --decimals, x);
	if (strspn(buf, "-0.") == (size_t)n && buf[0] == '-') {   /* "-0.00" */
		memmove(buf, buf + 1, (size_t)n);
		n--;
	}
	return (size_t)n;
}

void out_num(double x)
{
	char buf[32];
	size_t n = format_number(buf, x, out_precision);
	separate();
	out_raw(buf, n);
}

void out_int(long long v)
{
	char buf[32], *s = buf + sizeof buf;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--s = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--s = '-';
	separate();
	out_raw(s, (size_t)(buf + sizeof buf - s));
}

void out_endrow(void)
{
	out_byte('\n');
	row_started = 0;
}

void group_write_key(const struct group_table *g, size_t i)
{
	/* A tool writes a group's rows in turn (tt-prepost eight of them):
	 * the bytes of its key's fields, as out_field wrote them, are kept
	 * and written again while the same group of the same table, the same
	 * delimiter and the same place in the row come back. */
	static char kept[256];
	static size_t kept_len, kept_group = SIZE_MAX;
	static unsigned long kept_table;
	static char kept_delim;
	static int kept_started;
	size_t from = olen;
	unsigned long flushes_before = flushes;
	int started = row_started;

	if (i == kept_group && group_serial(g) == kept_table && out_delim == kept_delim &&
	    started == kept_started && group_ncols(g) > 0) {
		out_raw(kept, kept_len);
		row_started = 1;
		return;
	}
	for (size_t k = 0; k < group_ncols(g); k++) {
		size_t len;
		const char *s = group_key(g, i, k, &len);
		out_field(s, len);
	}
	kept_group = SIZE_MAX;
	if (flushes == flushes_before && olen - from <= sizeof kept) {
		kept_len = olen - from;
		memcpy(kept, obuf + from, kept_len);
		kept_group = i;
		kept_table = group_serial(g);
		kept_delim = out_delim;
		kept_started = started;
	}
}

int out_close(void)
{
	out_flush();
	if (close(STDOUT_FILENO) != 0 && errno != EBADF && errno != EINTR)
		die(1, "write error: %s", strerror(errno));
	return 0;
}

void out_abandon(void)
{
	olen = 0;
	row_started = 0;
	flushes++;
}
