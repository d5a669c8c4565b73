/* strlist_split (strlist.h): comma-separated lists from the command line,
 * where an item may be double-quoted to hold a comma.
 *
 * The input is the list (cut at a NUL, as argv would be).  Invariants:
 * an empty list has no items, any other has at least one; item lengths are
 * their string lengths and add up to no more than the input; without any
 * quote the items are exactly the comma-separated pieces; writing the items
 * back quoted (quotes doubled) and splitting again gives the same items;
 * strlist_find finds every item at its first occurrence. */
#include "fuzz.h"
#include "strlist.h"

static void check_plain(const char *s, const struct strlist *l)
{
	size_t k = 0;
	const char *p = s;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);

		CHECK(k < l->n);
		CHECK(l->len[k] == n && memcmp(l->v[k], p, n) == 0);
		k++;
		if (!comma)
			break;
		p = comma + 1;
	}
	CHECK(k == l->n);
}

/* "item","it""em",... */
static char *quote_all(const struct strlist *l)
{
	size_t cap = 1;
	char *out, *o;

	for (size_t i = 0; i < l->n; i++)
		cap += 2 * l->len[i] + 3;
	out = o = malloc(cap);
	if (!out)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			*o++ = ',';
		*o++ = '"';
		for (size_t j = 0; j < l->len[i]; j++) {
			if (l->v[i][j] == '"')
				*o++ = '"';
			*o++ = l->v[i][j];
		}
		*o++ = '"';
	}
	*o = '\0';
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	size_t n = strlen(s), total = 0;
	struct strlist l = { 0 }, again = { 0 };
	char *quoted;

	strlist_split(&l, s);
	CHECK((l.n == 0) == (n == 0));
	for (size_t i = 0; i < l.n; i++) {
		int at = strlist_find(&l, l.v[i], l.len[i]);
		CHECK(l.len[i] == strlen(l.v[i]));
		total += l.len[i];
		CHECK(at >= 0 && (size_t)at <= i);
		CHECK(l.len[at] == l.len[i] && memcmp(l.v[at], l.v[i], l.len[i]) == 0);
	}
	CHECK(total <= n);
	if (!strchr(s, '"') && n > 0)
		check_plain(s, &l);

	quoted = quote_all(&l);
	strlist_split(&again, quoted);
	CHECK(again.n == l.n);
	for (size_t i = 0; i < l.n; i++)
		CHECK(again.len[i] == l.len[i] &&
		      memcmp(again.v[i], l.v[i], l.len[i]) == 0);

	/* strlist_push copies exactly len bytes, whatever follows */
	strlist_push(&again, s, n / 2);
	CHECK(again.len[again.n - 1] == n / 2 && again.v[again.n - 1][n / 2] == '\0');
	CHECK(memcmp(again.v[again.n - 1], s, n / 2) == 0);

	free(quoted);
	strlist_free(&again);
	strlist_free(&l);
	free(s);
	return 0;
}
