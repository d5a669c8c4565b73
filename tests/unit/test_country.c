/* Country names (country.h): the key, Jaro-Winkler, and a round trip of
 * every name and variant in data/countries.csv to its own code. */
#include <stdlib.h>

#include "country.h"
#include "unit.h"

static int key_is(const char *name, const char *want)
{
	size_t len;
	char *k = country_key(name, strlen(name), &len);
	int ok = strcmp(k, want) == 0 && len == strlen(want);

	if (!ok)
		printf("  key of \"%s\" is \"%s\", want \"%s\"\n", name, k, want);
	free(k);
	return ok;
}

static void test_key(void)
{
	CHECK(key_is("Viet Nam", "viet nam"));
	CHECK(key_is("  KOREA,  Republic of ", "korea republic of"));
	CHECK(key_is("C\xC3\xB4te d\xE2\x80\x99Ivoire", "cote divoire"));   /* Côte d’Ivoire */
	CHECK(key_is("Cote d'Ivoire", "cote divoire"));
	CHECK(key_is("T\xC3\xBCrkiye", "turkiye"));
	CHECK(key_is("\xC3\x85land Islands", "aland islands"));
	CHECK(key_is("The Gambia", "gambia"));
	CHECK(key_is("Gambia, The", "gambia"));
	CHECK(key_is("the", "the"));                 /* a name of its own */
	CHECK(key_is("albani the  the", "albani"));
	CHECK(key_is("the the", "the"));
	CHECK(key_is("Theodoria", "theodoria"));
	CHECK(key_is("St. Kitts & Nevis", "saint kitts and nevis"));
	CHECK(key_is("Bosnia-Herzegovina", "bosnia herzegovina"));
	CHECK(key_is("Stra\xC3\x9F" "e", "strasse"));
	CHECK(key_is("Pa\xC3\xAD" "s", "pais"));
	CHECK(key_is("\xE4\xB8\xAD\xE5\x9B\xBD", "\xE4\xB8\xAD\xE5\x9B\xBD"));  /* 中国 kept */
	CHECK(key_is("a\xFF" "b", "a\xFF" "b"));      /* not UTF-8: kept as bytes */
	CHECK(key_is("", ""));
	CHECK(key_is(" ,.; ", ""));
}

/* Winkler (1990), Table 1 (also R stringdist: 1 - stringdist(a, b, "jw", p = 0.1)) */
static void test_jaro_winkler(void)
{
	CHECK_REL(jaro_winkler("martha", 6, "marhta", 6), 0.961, 5e-4);
	CHECK_REL(jaro_winkler("dwayne", 6, "duane", 5), 0.840, 5e-4);
	CHECK_REL(jaro_winkler("dixon", 5, "dicksonx", 8), 0.813, 5e-4);
	CHECK(jaro_winkler("abc", 3, "abc", 3) == 1);
	CHECK(jaro_winkler("abc", 3, "xyz", 3) == 0);
	CHECK(jaro_winkler("", 0, "xyz", 3) == 0);
}

/* every name of every row matches its own row; only the names listed under
 * two codes on purpose ("Congo", "Korea") match more than one */
static void test_round_trip(void)
{
	struct country_table *t = country_load("data/countries.csv");
	size_t names = 0, bad = 0, ambiguous = 0;

	CHECK(country_nrows(t) > 240);
	for (size_t r = 0; r < country_nrows(t); r++) {
		const char *nm[64];
		size_t len[64], k = country_names(t, r, nm, len, 64);

		CHECK(k >= 1 && k < 64);
		for (size_t i = 0; i < k; i++) {
			size_t rows[8], n = country_match(t, nm[i], len[i], rows, 8), self = 0;
			for (size_t j = 0; j < n && j < 8; j++)
				self += rows[j] == r;
			names++;
			if (self != 1) {
				bad++;
				printf("  \"%.*s\" does not lead back to %s\n", (int)len[i], nm[i],
				       country_iso3(t, r));
			}
			if (n > 1) {
				ambiguous++;
				if (!(len[i] == 5 && memcmp(nm[i], "Congo", 5) == 0) &&
				    !(len[i] == 5 && memcmp(nm[i], "Korea", 5) == 0)) {
					bad++;
					printf("  \"%.*s\" matches %zu countries\n", (int)len[i],
					       nm[i], n);
				}
			}
		}
	}
	CHECK(bad == 0);
	CHECK(names > 800);
	CHECK(ambiguous == 4);    /* Congo under COG and COD, Korea under KOR and PRK */
	printf("  round trip: %zu names of %zu countries\n", names, country_nrows(t));
	country_free(t);
}

static void test_match(void)
{
	struct country_table *t = country_load("data/countries.csv");
	size_t rows[8];

	CHECK(country_match(t, "Vietnam", 7, rows, 8) == 1 &&
	      strcmp(country_iso3(t, rows[0]), "VNM") == 0);
	CHECK(country_match(t, "SOUTH KOREA", 11, rows, 8) == 1 &&
	      strcmp(country_iso3(t, rows[0]), "KOR") == 0);
	CHECK(country_match(t, "Congo", 5, rows, 8) == 2 &&
	      strcmp(country_iso3(t, rows[0]), "COG") == 0 &&
	      strcmp(country_iso3(t, rows[1]), "COD") == 0);
	CHECK(country_match(t, "Narnia", 6, rows, 8) == 0);
	CHECK(country_match(t, "", 0, rows, 8) == 0);
	CHECK(country_closest(t, "Vietnm", 6, rows, 2) == 2 &&
	      strcmp(country_iso3(t, rows[0]), "VNM") == 0);
	CHECK(country_closest(t, "Untied States", 13, rows, 1) == 1 &&
	      strcmp(country_iso3(t, rows[0]), "USA") == 0);
	country_free(t);
}

int main(void)
{
	unit_start();
	test_key();
	test_jaro_winkler();
	test_match();
	test_round_trip();
	return unit_summary();
}
