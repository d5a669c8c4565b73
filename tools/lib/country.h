/* Country names to ISO 3166-1 alpha-3 codes, from the country table
 * (data/countries.csv: iso3, the UN short and formal names, the CLDR name,
 * and `variants`, other spellings separated by "|").
 *
 * Two names match when their keys are equal.  The key of a name ignores
 * case, accents (Latin-1 and Latin Extended-A letters read as their base
 * letters: "Côte" is "cote", "Türkiye" is "turkiye", "ß" is "ss"),
 * punctuation (ASCII and the general punctuation block: "Korea, Rep." is
 * "korea rep"), a leading or trailing "the" ("The Gambia", "Bahamas, The"),
 * and it reads "&" as "and" and "St" as "Saint".  A name may belong to two
 * countries ("Congo"): the match then returns both, for the caller to
 * settle or refuse. */
#ifndef TT_COUNTRY_H
#define TT_COUNTRY_H
#include <stddef.h>

struct country_table;

/* The key of a name (malloc'd, NUL-terminated; *len its length).  Keys are
 * fixed points: the key of a key is itself.  Bytes that are not valid UTF-8
 * are kept as they are. */
char *country_key(const char *s, size_t n, size_t *len);

/* Reads the table; a missing column (iso3, un_name, variants) or a
 * structural problem ends the tool with a located message. */
struct country_table *country_load(const char *file);
void country_free(struct country_table *t);

/* The rows whose names match `name` (at most `max`, in table order);
 * returns how many rows match in all (0: unknown). */
size_t country_match(const struct country_table *t, const char *name, size_t n,
		     size_t *rows, size_t max);

/* Up to `max` rows whose names are closest to `name`: first the rows with a
 * name whose key begins with the same two letters, then the others, each
 * by the Jaro-Winkler similarity of the keys (best name of each row; ties
 * in table order). */
size_t country_closest(const struct country_table *t, const char *name, size_t n,
		       size_t *rows, size_t max);

/* The table's columns, and a cell of row `row` (never NULL; "" when empty) */
size_t country_ncols(const struct country_table *t);
const char *country_colname(const struct country_table *t, size_t col);
int country_col(const struct country_table *t, const char *name);
const char *country_cell(const struct country_table *t, size_t row, size_t col);
const char *country_iso3(const struct country_table *t, size_t row);
const char *country_name(const struct country_table *t, size_t row);   /* un_name */
size_t country_nrows(const struct country_table *t);

/* every name of row `row` (un_name, un_formal_name, cldr_name, variants),
 * in order, for round trips: returns the count, names[i]/lens[i] point into
 * the table */
size_t country_names(const struct country_table *t, size_t row, const char **names,
		     size_t *lens, size_t max);

/* Jaro-Winkler similarity of two strings (0 to 1; prefix scale 0.1, at
 * most 4 prefix characters), as R's stringdist(method = "jw", p = 0.1) */
double jaro_winkler(const char *a, size_t an, const char *b, size_t bn);

#endif
