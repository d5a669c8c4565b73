/* Numbers, missing tokens, dates, and the writer's number format. */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#include "csvwrite.h"
#include "number.h"
#include "strlist.h"
#include "unit.h"

static int num(const char *s, double *v) { return parse_number(s, strlen(s), v); }

static void test_numbers(void)
{
	double v;
	CHECK(num("12", &v) == NUM_OK && v == 12);
	CHECK(num("-3.25", &v) == NUM_OK && v == -3.25);
	CHECK(num("+7", &v) == NUM_OK && v == 7);
	CHECK(num(".11019", &v) == NUM_OK && v == 0.11019);
	CHECK(num("760.", &v) == NUM_OK && v == 760);
	CHECK(num("1e3", &v) == NUM_OK && v == 1000);
	CHECK(num("2.5E-3", &v) == NUM_OK && v == 0.0025);
	CHECK(num("123456789012345678", &v) == NUM_OK && v == 123456789012345678.0);
	CHECK(num("-0", &v) == NUM_OK && v == 0 && !signbit(v));
	CHECK(num("12a", &v) == NUM_BAD);
	CHECK(num("1,234", &v) == NUM_BAD);
	CHECK(num("0x10", &v) == NUM_BAD);
	CHECK(num("inf", &v) == NUM_BAD);
	CHECK(num("nan", &v) == NUM_BAD);
	CHECK(num("Infinity", &v) == NUM_BAD);
	CHECK(num(" 3", &v) == NUM_BAD);
	CHECK(num("3 ", &v) == NUM_BAD);
	CHECK(num("", &v) == NUM_BAD);
	CHECK(num("-", &v) == NUM_BAD);
	CHECK(num(".", &v) == NUM_BAD);
	CHECK(num("e5", &v) == NUM_BAD);
	CHECK(num("1e", &v) == NUM_BAD);
	CHECK(num("1.2.3", &v) == NUM_BAD);
	CHECK(num("1e999", &v) == NUM_RANGE);
	CHECK(num("1e-999", &v) == NUM_OK && v == 0);   /* underflow reads as 0 */
	CHECK(parse_number("12,5", 2, &v) == NUM_OK && v == 12);
}

/* the fast path for short decimals gives exactly what strtod gives */
static void test_against_strtod(void)
{
	unsigned seed = 2024;
	char buf[40];
	int bad = 0;

	for (int i = 0; i < 200000 && !bad; i++) {
		int nd, point, k = 0;
		double v;
		seed = seed * 1664525u + 1013904223u;
		nd = 1 + (int)(seed >> 8) % 17;
		point = (int)(seed >> 16) % (nd + 2) - 1;
		if (seed & 1)
			buf[k++] = '-';
		for (int j = 0; j < nd; j++) {
			seed = seed * 1664525u + 1013904223u;
			if (j == point)
				buf[k++] = '.';
			buf[k++] = (char)('0' + (seed >> 24) % 10);
		}
		buf[k] = '\0';
		if (parse_number(buf, (size_t)k, &v) != NUM_OK || v != strtod(buf, NULL)) {
			printf("mismatch on %s\n", buf);
			bad = 1;
		}
	}
	CHECK(!bad);
}

static void test_missing(void)
{
	CHECK(is_missing("", 0));
	CHECK(is_missing("NA", 2));
	CHECK(is_missing("..", 2));
	CHECK(is_missing("-", 1));
	CHECK(!is_missing("0", 1));
	CHECK(!is_missing("na", 2));
	na_set("-99,\"a,b\"");
	CHECK(is_missing("-99", 3));
	CHECK(is_missing("a,b", 3));
	CHECK(is_missing("", 0));
	CHECK(!is_missing("NA", 2));
	na_set("NA,N/A,n/a,..,-");
}

/* cell_value: missing exactly as is_missing, else parse_number's answer,
 * with tokens that look like numbers too */
static void test_cell_value(void)
{
	static const char *const cells[] = { "", "NA", "-", "..", ".", "7", "-7", "1990",
		"41.7", "-0.5", "+3", "007", "1e3", "12a", "999", "-99", "-99.0", "999999999",
		"1234567890123456", "0.000000000000000001", "1." };
	static const char *const lists[] = { "NA,N/A,n/a,..,-", "-99,999,7,." };

	for (size_t l = 0; l < 2; l++) {
		na_set(lists[l]);
		for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
			const char *c = cells[i];
			size_t n = strlen(c);
			double v = -1, w = -2;
			enum num_status st = NUM_BAD;
			int missing = cell_value(c, n, &v, &st);

			CHECK(missing == is_missing(c, n));
			if (!missing)
				CHECK(st == parse_number(c, n, &w) && (st != NUM_OK || v == w));
		}
	}
	CHECK(cell_value("999", 3, &(double){ 0 }, &(enum num_status){ 0 }) == 1);
	na_set("NA,N/A,n/a,..,-");
}

static void test_dates(void)
{
	int y, m, d;
	CHECK(parse_date("2002-05-28", 10, &y, &m, &d) == 3 && y == 2002 && m == 5 && d == 28);
	CHECK(parse_date("2014-11", 7, &y, &m, &d) == 2 && y == 2014 && m == 11);
	CHECK(parse_date("2017", 4, &y, &m, &d) == 1 && y == 2017);
	CHECK(parse_date("2000-02-29", 10, &y, &m, &d) == 3);
	CHECK(parse_date("1900-02-29", 10, &y, &m, &d) == 0);
	CHECK(parse_date("2001-02-29", 10, &y, &m, &d) == 0);
	CHECK(parse_date("2001-13", 7, &y, &m, &d) == 0);
	CHECK(parse_date("2001-00-10", 10, &y, &m, &d) == 0);
	CHECK(parse_date("2001-4-1", 8, &y, &m, &d) == 0);
	CHECK(parse_date("28/05/2002", 10, &y, &m, &d) == 0);
	CHECK(parse_date("02002", 5, &y, &m, &d) == 0);
	long yr;
	CHECK(parse_year("2003", 4, 1800, 2100, &yr) == 0 && yr == 2003);
	CHECK(parse_year("2003.0", 6, 1800, 2100, &yr) == 0 && yr == 2003);
	CHECK(parse_year("2003.5", 6, 1800, 2100, &yr) != 0);
	CHECK(parse_year("1799", 4, 1800, 2100, &yr) != 0);
}

/* the shortest form reads back to the same double */
static void test_format(void)
{
	char buf[32];
	double xs[] = { 0.1, 1.0 / 3, 2.0 / 3, 1e-300, 123456.789, -5e20, DBL_MAX, DBL_MIN,
			9007199254740993.0, 0.30000000000000004, 1e15, 1e16, 4.35 };
	unsigned seed = 12345;

	format_number(buf, 0.1, 0);
	CHECK_STR(buf, "0.1");
	format_number(buf, 12, 0);
	CHECK_STR(buf, "12");
	format_number(buf, -0.0, 0);
	CHECK_STR(buf, "0");
	format_number(buf, 1.0 / 3, 0);
	CHECK_STR(buf, "0.3333333333333333");
	format_number(buf, 1.0 / 3, 3);
	CHECK_STR(buf, "0.333");
	format_number(buf, NAN, 0);
	CHECK_STR(buf, "");
	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		format_number(buf, xs[i], 0);
		CHECK(strtod(buf, NULL) == xs[i]);
	}
	for (int i = 0; i < 10000; i++) {
		double x;
		seed = seed * 1103515245u + 12345u;
		x = ((double)seed / 4294967296.0 - 0.5) * pow(10, (int)(seed % 40) - 20);
		format_number(buf, x, 0);
		if (strtod(buf, NULL) != x) {
			CHECK(strtod(buf, NULL) == x);
			break;
		}
	}
	CHECK(1);
}

/* format_number's definition, written the slow way: "%.0f" for integers
 * below 1e15, else the first of %.15g, %.16g that reads back, else %.17g */
static void format_by_definition(char *buf, double x)
{
	if (x == 0)
		x = 0;
	if (fabs(x) < 1e15 && x == floor(x)) {
		snprintf(buf, 32, "%.0f", x);
		return;
	}
	for (int p = 15; p < 17; p++) {
		snprintf(buf, 32, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			return;
	}
	snprintf(buf, 32, "%.17g", x);
}

static int formats_as_defined(double x)
{
	char got[32], want[32];

	format_number(got, x, 0);
	format_by_definition(want, x);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "format_number(%a): \"%s\", by definition \"%s\"\n", x, got, want);
		return 0;
	}
	return 1;
}

/* format_number's fast digits (17 from one exact product, the 15- and
 * 16-digit candidates rounded from them, reading back without strtod)
 * against the definition: ties at the 17th digit (dyadic values near
 * 1e15), the neighbours of every power of 10, halves at the 15th and 16th
 * digit, and random values of every magnitude */
static void test_format_definition(void)
{
	uint64_t s = 88172645463325252u;
	int ok = 1;
	double ties[] = { 1000000000000000.25, 1000000000000000.75, 1234567890123456.5,
			  0.1000000000000000055511151231257827, 12345.678901234565,
			  0.30000000000000004, 2.5e-7, 9.9999999999999995e-7, 1e17 - 16,
			  99999999999999.99, 1.0000000000000002, 4.35, 1e-5, 123456789.12345679,
			  3.152897604829969e-25, 1.8813259212212308e-07, 4.0134965537416067e-25,
			  9.9999999999999998e-29, 1.0000000000000001e-28, 5e-324, DBL_MAX, DBL_MIN };

	for (size_t i = 0; i < sizeof ties / sizeof ties[0]; i++)
		ok &= formats_as_defined(ties[i]) & formats_as_defined(-ties[i]);
	for (int k = -40; k <= 40 && ok; k++) {
		double x = pow(10, k), up = x, down = x;

		for (int j = 0; j < 4; j++) {
			ok &= formats_as_defined(up) & formats_as_defined(down);
			up = nextafter(up, INFINITY);
			down = nextafter(down, 0);
		}
	}
	for (int i = 0; i < 200000 && ok; i++) {
		double x;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		switch (i % 4) {
		case 0: memcpy(&x, &s, sizeof x); break;
		case 1: x = (double)(s % 40000000000000000u) / (double)(1u << (s >> 60)); break;
		case 2: x = (double)(s >> 11) / 9007199254740992.0 * pow(10, (int)(s % 60) - 36); break;
		default: x = (double)(s % 1000000) / (double)(s % 997 + 1); break;
		}
		if (isfinite(x))
			ok &= formats_as_defined(x);
	}
	CHECK(ok);
}

static void test_strlist(void)
{
	struct strlist l = { 0 };
	strlist_split(&l, "iso3,\"Korea, Republic of\",\"a \"\"b\"\"\",,x");
	CHECK(l.n == 5);
	CHECK_STR(l.v[1], "Korea, Republic of");
	CHECK_STR(l.v[2], "a \"b\"");
	CHECK(l.len[3] == 0);
	CHECK(strlist_find(&l, "x", 1) == 4);
	strlist_free(&l);
}

static int grouped_is(const char *s, double want)
{
	double v = -1;
	return parse_number_grouped(s, strlen(s), ',', &v) == NUM_OK && v == want;
}

static int grouped_bad(const char *s)
{
	double v;
	return parse_number_grouped(s, strlen(s), ',', &v) == NUM_BAD;
}

static void test_grouped(void)
{
	double v;

	CHECK(grouped_is("1,032", 1032));
	CHECK(grouped_is("1032", 1032));
	CHECK(grouped_is("-12,345,678.5", -12345678.5));
	CHECK(grouped_is("+999,000", 999000));
	CHECK(grouped_is("0.25", 0.25));
	CHECK(grouped_is("1,000e3", 1e6));
	CHECK(grouped_bad("1,03"));
	CHECK(grouped_bad("1,0320"));
	CHECK(grouped_bad(",103"));
	CHECK(grouped_bad("1234,567"));
	CHECK(grouped_bad("1,,032"));
	CHECK(grouped_bad("1,032,"));
	CHECK(grouped_bad("1.5,000"));
	CHECK(grouped_bad("1,a32"));
	CHECK(parse_number_grouped("1 032", 5, ' ', &v) == NUM_OK && v == 1032);
	CHECK(parse_number_grouped("1'032'000", 9, '\'', &v) == NUM_OK && v == 1032000);
}

int main(void)
{
	unit_start();
	test_grouped();
	test_numbers();
	test_against_strtod();
	test_missing();
	test_cell_value();
	test_dates();
	test_format();
	test_format_definition();
	test_strlist();
	return unit_summary();
}
