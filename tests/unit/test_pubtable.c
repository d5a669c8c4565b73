/* The publication table's number format (csvwrite.c: format_readable) and
 * its format names (pubtable.c); the escaping of each format is pinned by
 * tests/cli/tt-table/escape. */
#include "csvwrite.h"
#include "pubtable.h"
#include "unit.h"

static const char *readable(double x, int digits)
{
	static char buf[48];

	format_readable(buf, x, digits);
	return buf;
}

int main(void)
{
	unit_start();
	enum pub_format f;

	/* worked by hand: round to the digits, keep every integer digit, no
	 * exponent from 1e-4 to 1e15 */
	CHECK_STR(readable(2.333333, 3), "2.33");
	CHECK_STR(readable(1234.5678, 3), "1235");
	CHECK_STR(readable(1369.4, 3), "1369");
	CHECK_STR(readable(0.04213, 3), "0.0421");
	CHECK_STR(readable(2, 3), "2.00");
	CHECK_STR(readable(-0.75, 3), "-0.750");
	/* a carry into a new leading digit drops a decimal */
	CHECK_STR(readable(9.996, 3), "10.0");
	CHECK_STR(readable(0.099996, 3), "0.100");
	CHECK_STR(readable(-99.96, 3), "-100");
	CHECK_STR(readable(0, 3), "0");
	CHECK_STR(readable(-0.0, 3), "0");
	CHECK_STR(readable(0.0001234, 3), "0.000123");
	CHECK_STR(readable(0.00001234, 3), "1.23e-05");
	CHECK_STR(readable(1e20, 3), "1e+20");
	CHECK_STR(readable(123456789012345.0, 3), "123456789012345");
	CHECK_STR(readable(2.3333333, 5), "2.3333");
	CHECK_STR(readable(NAN, 3), "");
	CHECK_STR(readable(INFINITY, 3), "inf");

	CHECK(pub_format_from("md", &f) == 0 && f == PUB_MD);
	CHECK(pub_format_from("latex", &f) == 0 && f == PUB_LATEX);
	CHECK(pub_format_from("html", &f) == 0 && f == PUB_HTML);
	CHECK(pub_format_from("csv", &f) == 0 && f == PUB_CSV);
	CHECK(pub_format_from("docx", &f) == -1);
	CHECK(pub_format_from("", &f) == -1);
	return unit_summary();
}
