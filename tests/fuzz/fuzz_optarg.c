/* The small parsers of option arguments that return rather than exit:
 * col_find and header_duplicate (columns.h: -g, -t, -v, --require),
 * csv_delim_from (csvread.h: -d), gp_parse_size and gp_terminal_for_path
 * (gnuplot.h: --size, -o).
 *
 * The input's first line is a header, read as a comma list with strlist
 * quoting (so names may hold commas); every further line is an argument
 * given to each parser.  Each result is compared with a recogniser written
 * here from the header comments:
 * - col_find: the first column of that name, else a plain decimal k in
 *   1..n (no sign, blank or trailing text) names column k, else -1;
 * - header_duplicate: set exactly when two names are equal, naming a pair
 *   of equal names;
 * - csv_delim_from: "tab", "\t" (backslash t) or a tab mean TAB, else
 *   exactly one character other than a quote, CR or LF;
 * - gp_parse_size: digits, x or X or ',', digits, each 1..20000;
 * - gp_terminal_for_path: the name ends in .png, .svg or .pdf, any case. */
#include <strings.h>

#include "columns.h"
#include "csvread.h"
#include "fuzz.h"
#include "gnuplot.h"
#include "strlist.h"

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* the value of n decimal digits, capped above at cap + 1 */
static long capped(const char *s, size_t n, long cap)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > cap)
			return cap + 1;
	}
	return v;
}

static void check_col_find(const struct csv_header *h, const char *spec)
{
	size_t n = strlen(spec);
	int got = col_find(h, spec), want = -1;

	for (size_t i = 0; i < h->n && want < 0; i++)
		if (h->len[i] == n && memcmp(h->name[i], spec, n) == 0)
			want = (int)i;
	if (want < 0 && all_digits(spec, n)) {
		long k = capped(spec, n, (long)h->n);
		if (k >= 1 && k <= (long)h->n)
			want = (int)k - 1;
	}
	CHECK(got == want);
}

static void check_duplicate(const struct csv_header *h)
{
	size_t a = 0, b = 0;
	int got = header_duplicate(h, &a, &b), want = 0;

	for (size_t i = 0; i < h->n && !want; i++)
		for (size_t j = i + 1; j < h->n && !want; j++)
			want = h->len[i] == h->len[j] &&
			       memcmp(h->name[i], h->name[j], h->len[i]) == 0;
	CHECK(got == want);
	if (got) {
		CHECK(a < b && b < h->n);
		CHECK(h->len[a] == h->len[b] && memcmp(h->name[a], h->name[b], h->len[a]) == 0);
	}
}

static void check_delim(const char *arg)
{
	char d = 'Z';
	int got = csv_delim_from(arg, &d) == 0, want;
	size_t n = strlen(arg);

	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0) {
		CHECK(got && d == '\t');
		return;
	}
	want = n == 1 && arg[0] != '"' && arg[0] != '\r' && arg[0] != '\n';
	CHECK(got == want);
	if (got)
		CHECK(d == arg[0]);
}

static void check_size(const char *arg)
{
	size_t n = strlen(arg), sep = strcspn(arg, "xX,");
	int w = -1, h = -1, want = 0;
	int got = gp_parse_size(arg, &w, &h) == 0;
	long ww = 0, hh = 0;

	if (sep < n && all_digits(arg, sep) && all_digits(arg + sep + 1, n - sep - 1)) {
		ww = capped(arg, sep, GP_MAX_SIDE);
		hh = capped(arg + sep + 1, n - sep - 1, GP_MAX_SIDE);
		want = ww >= 1 && ww <= GP_MAX_SIDE && hh >= 1 && hh <= GP_MAX_SIDE;
	}
	CHECK(got == want);
	if (got)
		CHECK(w == ww && h == hh);
}

static void check_terminal(const char *arg)
{
	static const struct { const char *ext; enum gp_terminal term; } known[] = {
		{ ".png", GP_TERM_PNG }, { ".svg", GP_TERM_SVG }, { ".pdf", GP_TERM_PDF },
	};
	size_t n = strlen(arg);
	enum gp_terminal term = GP_TERM_DUMB;
	int got = gp_terminal_for_path(arg, &term) == 0, want = -1;

	for (size_t i = 0; i < 3; i++)
		if (n >= 4 && strcasecmp(arg + n - 4, known[i].ext) == 0)
			want = (int)i;
	CHECK(got == (want >= 0));
	if (got)
		CHECK(term == known[want].term);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **lines;
	size_t n = fuzz_pieces(data, size, '\n', &lines);
	struct strlist names = { 0 };
	struct csv_header h;

	strlist_split(&names, lines[0]);
	h.name = names.v;
	h.len = names.len;
	h.n = names.n;
	check_duplicate(&h);
	for (size_t i = 1; i < n; i++) {
		check_col_find(&h, lines[i]);
		check_delim(lines[i]);
		check_size(lines[i]);
		check_terminal(lines[i]);
	}
	/* every name finds its first column */
	for (size_t i = 0; i < h.n; i++)
		CHECK(col_find(&h, h.name[i]) >= 0 && col_find(&h, h.name[i]) <= (int)i);
	strlist_free(&names);
	fuzz_free_pieces(lines, n);
	return 0;
}
