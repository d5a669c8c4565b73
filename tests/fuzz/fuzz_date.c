/* parse_date (number.h): ISO 8601 YYYY-MM-DD, YYYY-MM or YYYY, year
 * 1000-9999; the event dates of tt-join and tt-check.
 *
 * The input is one cell.  Invariants: the result agrees with a recogniser
 * written here whose calendar check is a round trip through a day count
 * (no table of month lengths, so 2000-02-29 and 1900-02-29 are decided by
 * arithmetic, not by the same table); an accepted date prints back as the
 * exact input; NULL month/day pointers give the same answer. */
#include "fuzz.h"
#include "number.h"

/* days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's civil-calendar algorithms) */
static long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int real_date(long y, long m, long d)
{
	long y2, m2, d2;

	if (m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	civil_from_days(days_from_civil(y, m, d), &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d;
}

static int number_at(const char *s, size_t n, long *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/* parts of an ISO date, or 0 */
static int reference(const char *s, size_t n)
{
	long y, m = 1, d = 1;

	if (n != 4 && n != 7 && n != 10)
		return 0;
	if (!number_at(s, 4, &y) || y < 1000 || y > 9999)
		return 0;
	if (n >= 7 && (s[4] != '-' || !number_at(s + 5, 2, &m)))
		return 0;
	if (n == 10 && (s[7] != '-' || !number_at(s + 8, 2, &d)))
		return 0;
	if (!real_date(y, m, d))
		return 0;
	return n == 4 ? 1 : n == 7 ? 2 : 3;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_copy(data, size);
	int y = -1, m = -1, d = -1, y2 = -1;
	int parts = parse_date(s, size, &y, &m, &d);
	int parts_null = parse_date(s, size, &y2, NULL, NULL);

	CHECK(parts == reference(s, size));
	CHECK(parts_null == parts);
	if (parts > 0) {
		char back[32];
		int n;

		CHECK(y2 == y);
		if (parts == 1)
			n = snprintf(back, sizeof back, "%04d", y);
		else if (parts == 2)
			n = snprintf(back, sizeof back, "%04d-%02d", y, m);
		else
			n = snprintf(back, sizeof back, "%04d-%02d-%02d", y, m, d);
		CHECK(n >= 0 && (size_t)n == size && memcmp(back, s, size) == 0);
	}
	free(s);
	return 0;
}
