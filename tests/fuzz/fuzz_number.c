/* parse_number, format_number and parse_year (number.h, csvwrite.h).
 *
 * The input is one cell.  Invariants:
 * - parse_number accepts exactly the plain decimal grammar of number.h,
 *   [+-]? (digits [.] digits? | . digits) ([eE] [+-]? digits)?, checked here
 *   by a separate recogniser, and says NUM_RANGE exactly when the value
 *   overflows a double;
 * - an accepted value is what strtod makes of the same text, never -0;
 * - format_number(x) of any finite x (the parsed one, and the double made of
 *   the input's first 8 bytes) reads back as x, and as a number that our
 *   own parse_number accepts (tt reads what tt writes); with -p N it keeps
 *   N significant digits;
 * - parse_year succeeds exactly for integer values within [lo, hi];
 * - parse_number_grouped with ',' is parse_number on a cell without a
 *   comma; where it accepts a cell with commas, the commas stand between
 *   groups of three digits of the integer part and the value is that of
 *   the cell without them. */
#include <math.h>

#include "csvwrite.h"
#include "fuzz.h"
#include "number.h"

static int digit(char c) { return c >= '0' && c <= '9'; }

/* the grammar of number.h, by hand */
static int plain_decimal(const char *s, size_t n)
{
	size_t i = 0, before = 0, after = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && digit(s[i]))
		i++, before++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && digit(s[i]))
			i++, after++;
	}
	if (before + after == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < n && digit(s[i]))
			i++, exp++;
		if (exp == 0)
			return 0;
	}
	return i == n;
}

static double strtod_n(const char *s, size_t n)
{
	char *z = malloc(n + 1), *end;
	double v;

	if (!z)
		abort();
	memcpy(z, s, n);
	z[n] = '\0';
	v = strtod(z, &end);
	CHECK(end == z + n);
	free(z);
	return v;
}

/* what tt writes, tt reads back */
static void check_format(double x)
{
	char buf[32];
	size_t n;
	double back;
	enum num_status st;

	if (!isfinite(x))
		return;
	n = format_number(buf, x, 0);
	CHECK(n > 0 && n < sizeof buf && n == strlen(buf));
	CHECK(parse_number(buf, n, &back) == NUM_OK);
	CHECK(back == x);
	CHECK(strtod(buf, NULL) == x);
	for (int p = 1; p <= 17; p++) {
		n = format_number(buf, x, p);
		CHECK(n > 0 && n < sizeof buf && n == strlen(buf));
		st = parse_number(buf, n, &back);
		/* rounding to p digits can overflow: 1.8e308 at -p 1 */
		CHECK(st == NUM_OK || st == NUM_RANGE);
		/* half a unit in the p-th digit, plus the rounding to double */
		if (st == NUM_OK && fabs(x) > 1e-300)
			CHECK(fabs(back - x) <=
			      fabs(x) * (0.5 * pow(10, 1 - p) + 4e-16));
	}
}

static void check_year(const char *s, size_t n, double v, int number_ok)
{
	static const long bounds[][2] = {
		{ 1800, 2100 }, { 1000, 9999 }, { 0, 0 }, { -100000, 100000 },
	};

	for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
		long lo = bounds[b][0], hi = bounds[b][1], year = -7;
		int want = number_ok && v == floor(v) && v >= lo && v <= hi;
		int got = parse_year(s, n, lo, hi, &year) == 0;

		CHECK(got == want);
		if (got)
			CHECK(year >= lo && year <= hi && (double)year == v);
	}
}

static void check_grouped(const char *s, size_t n, enum num_status st, double v)
{
	double g = -1, plain;
	enum num_status gst = parse_number_grouped(s, n, ',', &g);
	char *bare;
	size_t k = 0, run = 0, i;
	int seen_comma = 0, seen_end = 0;

	if (!memchr(s, ',', n)) {
		CHECK(gst == st);
		CHECK(gst != NUM_OK || g == v);
		return;
	}
	if (gst != NUM_OK)
		return;
	bare = malloc(n + 1);
	if (!bare)
		abort();
	for (i = 0; i < n; i++) {
		if (s[i] == ',') {
			CHECK(!seen_end && run >= 1 && (seen_comma ? run == 3 : run <= 3));
			seen_comma = 1;
			run = 0;
			continue;
		}
		if (digit(s[i]))
			run++;
		else if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
			seen_end = 1;
		bare[k++] = s[i];
	}
	bare[k] = '\0';
	CHECK(parse_number(bare, k, &plain) == NUM_OK && plain == g);
	free(bare);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_copy(data, size);
	double v = -12345.5;
	enum num_status st = parse_number(s, size, &v);
	int grammar = plain_decimal(s, size);

	CHECK(st == NUM_OK || st == NUM_BAD || st == NUM_RANGE);
	CHECK((st != NUM_BAD) == grammar);
	if (grammar) {
		double ref = strtod_n(s, size);
		CHECK((st == NUM_RANGE) == (isinf(ref) != 0));
		if (st == NUM_OK) {
			CHECK(isfinite(v));
			CHECK(v == ref);
			CHECK(!(v == 0 && signbit(v)));
			check_format(v);
		}
	}
	check_year(s, size, v, st == NUM_OK);
	check_grouped(s, size, st, v);
	if (size >= 8) {
		double raw;
		memcpy(&raw, data, sizeof raw);
		check_format(raw);
	}
	free(s);
	return 0;
}
