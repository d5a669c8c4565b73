#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "columns.h"
#include "country.h"
#include "csvread.h"
#include "diag.h"
#include "strbuf.h"
#include "utf8.h"

/* U+00C0 to U+017F as their base letters; " " for the multiplication and
 * division signs */
static const char *const latin_fold[192] = {
	"a","a","a","a","a","a","ae","c","e","e","e","e","i","i","i","i",
	"d","n","o","o","o","o","o"," ","o","u","u","u","u","y","th","ss",
	"a","a","a","a","a","a","ae","c","e","e","e","e","i","i","i","i",
	"d","n","o","o","o","o","o"," ","o","u","u","u","u","y","th","y",
	"a","a","a","a","a","a","c","c","c","c","c","c","c","c","d","d",
	"d","d","e","e","e","e","e","e","e","e","e","e","g","g","g","g",
	"g","g","g","g","h","h","h","h","i","i","i","i","i","i","i","i",
	"i","i","ij","ij","j","j","k","k","k","l","l","l","l","l","l","l",
	"l","l","l","n","n","n","n","n","n","n","n","n","o","o","o","o",
	"o","o","oe","oe","r","r","r","r","r","r","s","s","s","s","s","s",
	"s","s","t","t","t","t","t","t","u","u","u","u","u","u","u","u",
	"u","u","u","u","w","w","y","y","y","z","z","z","z","z","z","s",
};

/* punctuation and spaces outside ASCII: Latin-1's signs, general punctuation
 * (curly quotes, dashes), CJK and fullwidth commas */
static int is_wide_punct(long c)
{
	return (c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 ||
	       (c >= 0x2000 && c <= 0x206F) || c == 0x3000 || c == 0x3001 ||
	       c == 0xFF0C;
}

/* the name folded to lower-case words separated by single spaces */
static void fold_words(const char *s, size_t n, struct strbuf *b)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = u[i];
		long cp;

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				sb_addc(b, (char)(c - 'A' + 'a'));
			else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				sb_addc(b, (char)c);
			else if (c == '&')
				sb_puts(b, " and ");
			else if (c == '\'')
				;	/* d'Ivoire, People's: one word */
			else
				sb_addc(b, ' ');
			i++;
			continue;
		}
		cp = utf8_decode(s + i, n - i, &k);
		if (cp < 0) {
			sb_addc(b, (char)c);
			i++;
			continue;
		}
		if (cp >= 0xC0 && cp <= 0x17F)
			sb_puts(b, latin_fold[cp - 0xC0]);
		else if (cp == 0x2018 || cp == 0x2019)
			;	/* curly apostrophes, as ' */
		else if (is_wide_punct(cp))
			sb_addc(b, ' ');
		else
			sb_add(b, s + i, k);
		i += k;
	}
}

static int word_is(const char *w, size_t n, const char *s)
{
	return n == strlen(s) && memcmp(w, s, n) == 0;
}

char *country_key(const char *s, size_t n, size_t *len)
{
	struct strbuf folded = { 0 }, key = { 0 };
	const char *p, *end;
	size_t nwords = 0, last_start = 0;
	char *f;

	fold_words(s, n, &folded);
	f = sb_take(&folded);
	p = f;
	end = f + strlen(f);
	for (;;) {
		const char *w;
		size_t wn;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		w = p;
		while (p < end && *p != ' ')
			p++;
		wn = (size_t)(p - w);
		if (nwords == 0 && word_is(w, wn, "the")) {
			const char *q = p;
			while (q < end && *q == ' ')
				q++;
			if (q != end)	/* "The" alone stays a name */
				continue;
		}
		if (nwords++)
			sb_addc(&key, ' ');
		last_start = key.len;
		if (word_is(w, wn, "st"))
			sb_puts(&key, "saint");
		else
			sb_add(&key, w, wn);
	}
	/* "Bahamas, The" (every trailing "the", so that a key is its own key) */
	while (nwords > 1 && word_is(key.s + last_start, key.len - last_start, "the")) {
		key.len = last_start - 1;
		nwords--;
		for (last_start = key.len; last_start > 0 && key.s[last_start - 1] != ' '; last_start--)
			;
	}
	if (key.s)
		key.s[key.len] = '\0';
	free(f);
	*len = key.len;
	return sb_take(&key);
}

struct country_name {
	char *key;
	size_t len;
	size_t row;
};

struct country_table {
	char **colname;
	size_t ncol;
	char **cell;            /* nrow * ncol */
	size_t nrow, cap;
	int iso3, un_name;
	int namecols[4];        /* un_name, un_formal_name, cldr_name, variants (-1 absent) */
	struct country_name *names;
	size_t nnames, namecap;
};

static int name_cmp(const void *a, const void *b)
{
	const struct country_name *p = a, *q = b;
	size_t n = p->len < q->len ? p->len : q->len;
	int c = memcmp(p->key, q->key, n);

	if (c)
		return c;
	if (p->len != q->len)
		return p->len < q->len ? -1 : 1;
	return (p->row > q->row) - (p->row < q->row);
}

static void add_name(struct country_table *t, size_t row, const char *s, size_t n)
{
	struct country_name *e;

	if (n == 0)
		return;
	t->names = xgrow(t->names, &t->namecap, t->nnames + 1, sizeof *t->names);
	e = &t->names[t->nnames++];
	e->key = country_key(s, n, &e->len);
	e->row = row;
}

static void index_row(struct country_table *t, size_t row)
{
	for (size_t k = 0; k < 4; k++) {
		const char *s;

		if (t->namecols[k] < 0)
			continue;
		s = t->cell[row * t->ncol + (size_t)t->namecols[k]];
		if (k < 3) {
			add_name(t, row, s, strlen(s));
			continue;
		}
		while (*s) {
			const char *bar = strchr(s, '|');
			size_t n = bar ? (size_t)(bar - s) : strlen(s);
			add_name(t, row, s, n);
			s += n + (bar != NULL);
		}
	}
}

struct country_table *country_load(const char *file)
{
	char *files[1] = { (char *)file };
	struct csv_reader *r = csv_open(files, 1, ',');
	struct country_table *t = xcalloc(1, sizeof *t);
	static const char *const namecol[4] = { "un_name", "un_formal_name", "cldr_name", "variants" };
	const struct csv_header *h;
	struct csv_row *row;

	if (csv_read_header(r) != 0)
		tt_exit(EXIT_DATA);
	h = csv_header(r);
	t->ncol = h->n;
	t->colname = xmalloc(h->n * sizeof *t->colname);
	for (size_t i = 0; i < h->n; i++)
		t->colname[i] = xstrndup(h->name[i], h->len[i]);
	t->iso3 = col_require(h, file, "iso3", "column");
	t->un_name = col_require(h, file, "un_name", "column");
	col_require(h, file, "variants", "column");
	for (size_t k = 0; k < 4; k++)
		t->namecols[k] = col_find(h, namecol[k]);
	while (csv_next(r, &row)) {
		t->cell = xgrow(t->cell, &t->cap, (t->nrow + 1) * t->ncol, sizeof *t->cell);
		for (size_t i = 0; i < t->ncol; i++)
			t->cell[t->nrow * t->ncol + i] = xstrndup(row->f[i], row->len[i]);
		index_row(t, t->nrow);
		t->nrow++;
	}
	csv_close(r);
	xqsort(t->names, t->nnames, sizeof *t->names, name_cmp);
	return t;
}

void country_free(struct country_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	for (size_t i = 0; i < t->ncol; i++)
		free(t->colname[i]);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i].key);
	free(t->cell);
	free(t->colname);
	free(t->names);
	free(t);
}

/* the first name whose key is not less than key */
static size_t lower_bound(const struct country_table *t, const char *key, size_t len)
{
	size_t lo = 0, hi = t->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct country_name *e = &t->names[mid];
		size_t n = e->len < len ? e->len : len;
		int c = memcmp(e->key, key, n);

		if (c < 0 || (c == 0 && e->len < len))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t country_match(const struct country_table *t, const char *name, size_t n,
		     size_t *rows, size_t max)
{
	size_t len, count = 0, i;
	char *key = country_key(name, n, &len);

	if (len == 0) {
		free(key);
		return 0;
	}
	/* names with equal keys are sorted by row (name_cmp): the rows come
	 * in table order, a row's second name right after its first */
	for (i = lower_bound(t, key, len); i < t->nnames; i++) {
		const struct country_name *e = &t->names[i];
		if (e->len != len || memcmp(e->key, key, len) != 0)
			break;
		if (count > 0 && t->names[i - 1].row == e->row)
			continue;
		if (count < max)
			rows[count] = e->row;
		count++;
	}
	free(key);
	return count;
}

double jaro_winkler(const char *a, size_t an, const char *b, size_t bn)
{
	size_t window, m = 0, trans = 0, k = 0, prefix = 0;
	char *am, *bm;
	double j;

	if (an == 0 && bn == 0)
		return 1;
	if (an == 0 || bn == 0)
		return 0;
	window = (an > bn ? an : bn) / 2;
	window = window > 0 ? window - 1 : 0;
	am = xcalloc(an, 1);
	bm = xcalloc(bn, 1);
	for (size_t i = 0; i < an; i++) {
		size_t lo = i > window ? i - window : 0;
		size_t hi = i + window + 1 < bn ? i + window + 1 : bn;
		for (size_t jj = lo; jj < hi; jj++)
			if (!bm[jj] && a[i] == b[jj]) {
				am[i] = bm[jj] = 1;
				m++;
				break;
			}
	}
	if (m == 0) {
		free(am);
		free(bm);
		return 0;
	}
	for (size_t i = 0; i < an; i++) {
		if (!am[i])
			continue;
		while (!bm[k])
			k++;
		if (a[i] != b[k])
			trans++;
		k++;
	}
	free(am);
	free(bm);
	j = ((double)m / (double)an + (double)m / (double)bn +
	     ((double)m - (double)trans / 2) / (double)m) / 3;
	while (prefix < 4 && prefix < an && prefix < bn && a[prefix] == b[prefix])
		prefix++;
	return j + (double)prefix * 0.1 * (1 - j);
}

size_t country_closest(const struct country_table *t, const char *name, size_t n,
		       size_t *rows, size_t max)
{
	size_t len, got = 0;
	char *key = country_key(name, n, &len);
	double *best = xmalloc((t->nrow ? t->nrow : 1) * sizeof *best);
	double *top = xmalloc((max ? max : 1) * sizeof *top);

	for (size_t r = 0; r < t->nrow; r++)
		best[r] = -1;
	for (size_t i = 0; i < t->nnames; i++) {
		const char *k2 = t->names[i].key;
		double s = jaro_winkler(key, len, k2, t->names[i].len);
		/* a misspelt name mostly keeps its first letters: names that
		 * share the first two come first ("Narnia": Namibia, Nauru) */
		if (len >= 2 && t->names[i].len >= 2 && key[0] == k2[0] && key[1] == k2[1])
			s += 1;
		if (s > best[t->names[i].row])
			best[t->names[i].row] = s;
	}
	/* insertion into the top `max`: a later row must beat, not tie */
	for (size_t r = 0; r < t->nrow; r++) {
		size_t at = got;
		if (best[r] < 0)
			continue;
		while (at > 0 && best[r] > top[at - 1])
			at--;
		if (at >= max)
			continue;
		if (got < max)
			got++;
		for (size_t k = got - 1; k > at; k--) {
			top[k] = top[k - 1];
			rows[k] = rows[k - 1];
		}
		top[at] = best[r];
		rows[at] = r;
	}
	free(top);
	free(best);
	free(key);
	return got;
}

size_t country_ncols(const struct country_table *t) { return t->ncol; }
size_t country_nrows(const struct country_table *t) { return t->nrow; }

const char *country_colname(const struct country_table *t, size_t col)
{
	return t->colname[col];
}

int country_col(const struct country_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncol; i++)
		if (strcmp(t->colname[i], name) == 0)
			return (int)i;
	return -1;
}

const char *country_cell(const struct country_table *t, size_t row, size_t col)
{
	return t->cell[row * t->ncol + col];
}

const char *country_iso3(const struct country_table *t, size_t row)
{
	return country_cell(t, row, (size_t)t->iso3);
}

const char *country_name(const struct country_table *t, size_t row)
{
	return country_cell(t, row, (size_t)t->un_name);
}

size_t country_names(const struct country_table *t, size_t row, const char **names,
		     size_t *lens, size_t max)
{
	size_t got = 0;

	for (size_t k = 0; k < 4; k++) {
		const char *s;

		if (t->namecols[k] < 0)
			continue;
		s = country_cell(t, row, (size_t)t->namecols[k]);
		while (*s) {
			const char *bar = k == 3 ? strchr(s, '|') : NULL;
			size_t n = bar ? (size_t)(bar - s) : strlen(s);
			if (n > 0 && got < max) {
				names[got] = s;
				lens[got] = n;
				got++;
			}
			s += n + (bar != NULL);
		}
	}
	return got;
}
