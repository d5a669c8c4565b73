#include <stddef.h>
/* Grouping: keys by value, first-appearance order, no separator collisions. */
#include <stdint.h>
#include <stdlib.h>

#include "group.h"
#include "unit.h"

static struct csv_row row_of(char **f, size_t *len, size_t n)
{
	struct csv_row r = { f, len, n, "t", 1 };
	for (size_t i = 0; i < n; i++)
		len[i] = strlen(f[i]);
	return r;
}

int main(void)
{
	unit_start();
	int cols[2] = { 0, 2 };
	struct group_table *g = group_new(cols, 2);
	char *a[] = { "PHL", "x", "pros" }, *b[] = { "KOR", "y", "pros" };
	char *c[] = { "PHL", "z", "conv" }, *d[] = { "PHL", "w", "pros" };
	char *e1[] = { "a,b", "", "c" }, *e2[] = { "a", "", "b,c" };
	size_t len[3];
	struct csv_row r;
	size_t n, i;
	char buf[64];

	r = row_of(a, len, 3);
	CHECK(group_of(g, &r) == 0);
	r = row_of(b, len, 3);
	CHECK(group_of(g, &r) == 1);
	r = row_of(c, len, 3);
	CHECK(group_of(g, &r) == 2);
	r = row_of(d, len, 3);
	CHECK(group_of(g, &r) == 0);
	r = row_of(e1, len, 3);
	CHECK(group_of(g, &r) == 3);
	r = row_of(e2, len, 3);
	CHECK(group_of(g, &r) == 4);
	CHECK(group_count(g) == 5);
	const char *k = group_key(g, 2, 1, &n);
	CHECK(n == 4 && memcmp(k, "conv", 4) == 0);
	CHECK_STR(group_label(g, 1), "KOR, pros");
	{
		/* a control character in a key is shown escaped: one line per message */
		struct group_table *h = group_new(cols, 2);
		char *nl[] = { "TH\nA", "", "pros" };
		r = row_of(nl, len, 3);
		CHECK(group_of(h, &r) == 0);
		CHECK_STR(group_label(h, 0), "TH\\nA, pros");
		group_free(h);
	}
	/* many groups: the table grows and keeps every key */
	for (i = 0; i < 5000; i++) {
		char *f[3] = { buf, "", "v" };
		snprintf(buf, sizeof buf, "G%zu", i);
		r = row_of(f, len, 3);
		if (group_of(g, &r) != 5 + i)
			break;
	}
	CHECK(i == 5000);
	for (i = 0; i < 5000; i++) {
		char *f[3] = { buf, "", "v" };
		snprintf(buf, sizeof buf, "G%zu", i);
		r = row_of(f, len, 3);
		if (group_of(g, &r) != 5 + i)
			break;
	}
	CHECK(i == 5000);
	/* group_find: the same key in another table's columns; nothing added */
	{
		int other[2] = { 1, 0 };
		char *f1[] = { "pros", "KOR" }, *f2[] = { "pros", "JPN" }, *f3[] = { "c", "a,b" };
		size_t l2[2];
		r = row_of(f1, l2, 2);
		CHECK(group_find(g, &r, other) == 1);
		r = row_of(f3, l2, 2);
		CHECK(group_find(g, &r, other) == 3);
		r = row_of(f2, l2, 2);
		CHECK(group_find(g, &r, other) == SIZE_MAX);
		CHECK(group_count(g) == 5005);
	}
	group_free(g);
	/* the limit is the table's, read when it is made: group_unlimited
	 * lifts it for one table */
	{
		size_t was = group_limit;
		struct group_table *bounded, *free_;
		group_limit = 2;
		bounded = group_new(cols, 2);
		free_ = group_new(cols, 2);
		group_limit = was;
		group_unlimited(free_);
		for (i = 0; i < 3; i++) {
			char *f[3] = { buf, "", "v" };
			snprintf(buf, sizeof buf, "L%zu", i);
			r = row_of(f, len, 3);
			if (group_of(free_, &r) != i || (i < 2 && group_of(bounded, &r) != i))
				break;
		}
		CHECK(i == 3 && group_count(free_) == 3 && group_count(bounded) == 2);
		group_free(bounded);
		group_free(free_);
	}
	/* group_block_of: groups in blocks are numbered as group_of numbers
	 * them, over many blocks (the record of where each block ended
	 * grows); a group coming back is an error (tests/cli, --grouped) */
	{
		struct group_table *t = group_new(cols, 2);
		struct group_blocks bl = { 0 };
		size_t ok = 0;
		bl.g = t;
		for (i = 0; i < 300; i++) {
			char *f[3] = { buf, "", "v" };
			snprintf(buf, sizeof buf, "B%zu", i / 3);
			r = row_of(f, len, 3);
			r.line = (long)i + 2;
			ok += group_block_of(&bl, &r) == i / 3;
		}
		CHECK(ok == 300 && group_count(t) == 100);
		CHECK(bl.current == 99 && bl.line == 301);
		CHECK(bl.end_line[0] == 4 && bl.end_line[98] == 298);
		group_blocks_free(&bl);
		group_free(t);
	}
	/* unit_year_repeat, worked by hand: rows 0..5 are (1,2000) (2,2000)
	 * (1,2001) (2,2000) (1,2000) (1,2001); the first row whose pair came
	 * before is row 3 (row 1's pair); rows 4 and 5 repeat too, later */
	{
		struct uy { double pad; size_t unit; int year; } o[] = {
			{ 0, 1, 2000 }, { 0, 2, 2000 }, { 0, 1, 2001 },
			{ 0, 2, 2000 }, { 0, 1, 2000 }, { 0, 1, 2001 } };
		size_t earlier = 99, su = offsetof(struct uy, unit), sy = offsetof(struct uy, year);
		CHECK(unit_year_repeat(o, 6, sizeof *o, su, sy, &earlier) == 3 && earlier == 1);
		CHECK(unit_year_repeat(o, 3, sizeof *o, su, sy, &earlier) == 3);   /* none: n */
		CHECK(unit_year_repeat(o, 0, sizeof *o, su, sy, &earlier) == 0);
	}
	return unit_summary();
}
