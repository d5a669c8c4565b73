/* The CSV reader: fields, quoting and the line where each row starts. */
#include <stdlib.h>
#include <unistd.h>

#include "csvread.h"
#include "unit.h"

static char path[64];

static struct csv_reader *open_text(const char *text, size_t n, char delim)
{
	char *files[1] = { path };
	FILE *f;

	snprintf(path, sizeof path, "/tmp/tt-unit-csv-%d.csv", (int)getpid());
	f = fopen(path, "wb");
	fwrite(text, 1, n, f);
	fclose(f);
	return csv_open(files, 1, delim);
}

#define OPEN(lit) open_text(lit, sizeof(lit) - 1, ',')

static void test_quoting_and_lines(void)
{
	struct csv_reader *r = OPEN("a,b,c\r\n"
				    "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
				    "\r\n"
				    "2,\"multi\nline\r\nfield\",3\n"
				    "\n"
				    "4,,\"\"\n"
				    "5,last,no newline");
	struct csv_row *row;

	CHECK(csv_read_header(r) == 0);
	CHECK(csv_header(r)->n == 3);
	CHECK_STR(csv_header(r)->name[2], "c");
	CHECK(csv_next(r, &row) == 1);
	CHECK(row->line == 2);
	CHECK_STR(row->f[1], "x, y");
	CHECK_STR(row->f[2], "say \"hi\"");
	CHECK(csv_next(r, &row) == 1);
	CHECK(row->line == 4);
	CHECK_STR(row->f[1], "multi\nline\r\nfield");
	CHECK_STR(row->f[2], "3");
	CHECK(csv_next(r, &row) == 1);
	CHECK(row->line == 8);
	CHECK(row->n == 3 && row->len[1] == 0 && row->len[2] == 0);
	CHECK(csv_next(r, &row) == 1);
	CHECK(row->line == 9);
	CHECK_STR(row->f[2], "no newline");
	CHECK(csv_next(r, &row) == 0);
	csv_close(r);
}

static void test_bom_and_tab(void)
{
	static const char text[] = "\xEF\xBB\xBFiso3\tname\nPHL\tA, B\n";
	struct csv_reader *r = open_text(text, sizeof text - 1, '\t');
	struct csv_row *row;

	CHECK(csv_read_header(r) == 0);
	CHECK_STR(csv_header(r)->name[0], "iso3");
	CHECK(csv_next(r, &row) == 1);
	CHECK_STR(row->f[1], "A, B");
	csv_close(r);
}

/* lines that straddle the reader's fixed-size reads keep their numbers */
static void test_long_input(void)
{
	size_t n = 0, cap = 1 << 21;
	char *text = malloc(cap);
	struct csv_reader *r;
	struct csv_row *row;
	long rows = 0, bad = 0;

	n += (size_t)sprintf(text + n, "k,v\n");
	for (int i = 1; n < cap - 100; i++)
		n += (size_t)sprintf(text + n, i % 7 ? "%d,\"q\n%d\"\n" : "%d,%d\n", i, i);
	r = open_text(text, n, ',');
	csv_read_header(r);
	long line = 2;
	while (csv_next(r, &row)) {
		int i = atoi(row->f[0]);
		rows++;
		if (row->line != line)
			bad++;
		line += i % 7 ? 2 : 1;
	}
	CHECK(rows > 100000);
	CHECK(bad == 0);
	csv_close(r);
	free(text);
}

/* one column: a blank line is a missing cell; a bare CR ends a row */
static void test_one_column_and_cr(void)
{
	struct csv_reader *r = OPEN("y\n1\n\n3\r\n\r\n5");
	struct csv_row *row;
	long lines[5], n = 0;
	size_t lens[5];

	csv_read_header(r);
	while (n < 5 && csv_next(r, &row)) {
		lines[n] = row->line;
		lens[n++] = row->len[0];
	}
	CHECK(n == 5);
	CHECK(lines[0] == 2 && lines[1] == 3 && lines[2] == 4 && lines[3] == 5 && lines[4] == 6);
	CHECK(lens[0] == 1 && lens[1] == 0 && lens[2] == 1 && lens[3] == 0 && lens[4] == 1);
	csv_close(r);

	r = OPEN("a,b\r1,2\r3,4\n5,6\n");
	csv_read_header(r);
	CHECK(csv_header(r)->n == 2);
	n = 0;
	while (csv_next(r, &row))
		lines[n++] = row->line;
	CHECK(n == 3 && lines[0] == 1 && lines[1] == 1 && lines[2] == 2);
	csv_close(r);
}

static void test_delim(void)
{
	char d;
	CHECK(csv_delim_from("tab", &d) == 0 && d == '\t');
	CHECK(csv_delim_from("\\t", &d) == 0 && d == '\t');
	CHECK(csv_delim_from(";", &d) == 0 && d == ';');
	CHECK(csv_delim_from("ab", &d) != 0);
	CHECK(csv_delim_from("\"", &d) != 0);
}

int main(void)
{
	unit_start();
	test_quoting_and_lines();
	test_bom_and_tab();
	test_long_input();
	test_one_column_and_cr();
	test_delim();
	unlink(path);
	return unit_summary();
}
