/* The country-name matcher (country.h): country_key, country_match and
 * country_closest on any bytes, against the shipped data/countries.csv
 * (read once; the harness runs from the top of the sources).
 *
 * Invariants: the key is a fixed point (the key of a key is itself); it has
 * no leading, trailing or doubled space and no ASCII upper-case letter or
 * punctuation; it is empty only when the name has no letter, digit or
 * non-ASCII byte; a name matches exactly the rows whose names have its key
 * (the key itself matches the same rows); the closest rows are distinct
 * table rows, at most as many as asked; and a name made of a row's own
 * name plus the input's case and punctuation changes matches that row. */
#include "country.h"
#include "fuzz.h"

static struct country_table *table;

static void check_key(const char *k, size_t len)
{
	CHECK(strlen(k) == len);
	if (len == 0)
		return;
	CHECK(k[0] != ' ' && k[len - 1] != ' ');
	CHECK(strstr(k, "  ") == NULL);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)k[i];
		CHECK(c >= 0x80 || c == ' ' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
	}
}

static int same_rows(const size_t *a, size_t na, const size_t *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na && i < 8; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *k, *kk;
	size_t n = strlen(s), len, len2, rows[8], krows[8], close[3], nm, nk, nc;
	int has_word = 0;

	if (!table)
		table = country_load("data/countries.csv");
	k = country_key(s, n, &len);
	check_key(k, len);
	kk = country_key(k, len, &len2);
	CHECK(len2 == len && strcmp(k, kk) == 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || c == '&' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			has_word = 1;
	}
	if (!has_word)
		CHECK(len == 0);

	nm = country_match(table, s, n, rows, 8);
	nk = country_match(table, k, len, krows, 8);
	CHECK(same_rows(rows, nm, krows, nk));
	for (size_t i = 0; i < nm && i < 8; i++) {
		CHECK(rows[i] < country_nrows(table));
		if (i)
			CHECK(rows[i] > rows[i - 1]);
	}

	nc = country_closest(table, s, n, close, 3);
	CHECK(nc <= 3 && nc <= country_nrows(table));
	for (size_t i = 0; i < nc; i++)
		for (size_t j = 0; j < i; j++)
			CHECK(close[i] != close[j]);
	/* a row's name in upper case with the input's first bytes around it */
	if (n > 0) {
		size_t r = (unsigned char)s[0] % country_nrows(table), m;
		const char *name = country_name(table, r);
		size_t nl = strlen(name);
		char *v = malloc(nl + 4);
		size_t got[8];
		if (!v)
			abort();
		v[0] = ' ';
		for (size_t i = 0; i < nl; i++)
			v[i + 1] = (name[i] >= 'a' && name[i] <= 'z') ? (char)(name[i] - 32) : name[i];
		v[nl + 1] = ',';
		v[nl + 2] = '.';
		v[nl + 3] = '\0';
		m = country_match(table, v, nl + 3, got, 8);
		CHECK(m >= 1);
		{
			int self = 0;
			for (size_t i = 0; i < m && i < 8; i++)
				self |= got[i] == r;
			CHECK(self);
		}
		free(v);
	}
	free(kk);
	free(k);
	free(s);
	return 0;
}
