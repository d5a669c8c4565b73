/* na_set and is_missing (number.h): the --na LIST of missing-value tokens.
 *
 * The input's first line is the LIST (cut at a NUL, as argv would be); each
 * further line is a cell, NUL bytes and all.  Invariants: the empty cell is
 * always missing; every item of LIST is missing; a cell is missing exactly
 * when it is empty or equal, byte for byte, to an item (no trimming, no case
 * folding, no prefix matches).  Before any na_set the defaults of
 * tt-toolkit(7) hold.  cell_value, the readers' path, says "missing"
 * exactly when is_missing does, and otherwise gives parse_number's status
 * and, for a number, its double to the bit. */
#include "fuzz.h"
#include "number.h"
#include "strlist.h"

static void check_defaults(void)
{
	static const char *const yes[] = { "", "NA", "N/A", "n/a", "..", "-" };
	static const char *const no[] = { "na", "N/a", " NA", "NA ", ".", "--", "0", "NaN" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		CHECK(is_missing(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		CHECK(!is_missing(no[i], strlen(no[i])));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int first = 1;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t list_len = nl ? (size_t)(nl - data) : size;
	char *list = fuzz_cstr(data, list_len);
	struct strlist items = { 0 };
	size_t pos = nl ? list_len + 1 : size;

	if (first) {
		check_defaults();
		first = 0;
	}
	na_set(list);
	strlist_split(&items, list);
	CHECK(is_missing("", 0));
	CHECK(is_missing(list + list_len, 0));
	for (size_t i = 0; i < items.n; i++)
		CHECK(is_missing(items.v[i], items.len[i]));
	while (pos <= size) {
		const uint8_t *end = memchr(data + pos, '\n', size - pos);
		size_t n = end ? (size_t)(end - (data + pos)) : size - pos;
		char *cell = fuzz_copy(data + pos, n);
		int want = n == 0 || strlist_find(&items, cell, n) >= 0;

		CHECK(is_missing(cell, n) == want);
		{
			double v = 0, w = 0;
			enum num_status st = NUM_OK, st2;

			CHECK(cell_value(cell, n, &v, &st) == want);
			if (!want) {
				st2 = parse_number(cell, n, &w);
				CHECK(st == st2);
				CHECK(st != NUM_OK || memcmp(&v, &w, sizeof v) == 0);
			}
		}
		free(cell);
		pos += n + 1;
	}
	strlist_free(&items);
	free(list);
	return 0;
}
