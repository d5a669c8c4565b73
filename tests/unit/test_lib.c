/* The small topics of tools/lib: UTF-8, strings, columns, moments, quantiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_sort.h>

#include "alloc.h"
#include "chains.h"
#include "columns.h"
#include "group.h"
#include "csvwrite.h"
#include "describe.h"
#include "diag.h"
#include "estimates.h"
#include "joined.h"
#include "options.h"
#include "strbuf.h"
#include "utf8.h"
#include "unit.h"

static size_t bad_at(const char *s) { return utf8_invalid_at(s, strlen(s)); }

static void test_utf8(void)
{
	CHECK(bad_at("plain") == 5);
	CHECK(bad_at("C\xC3\xB4te d\xE2\x80\x99Ivoire") == 16);
	CHECK(bad_at("\xF0\x9F\x98\x80") == 4);            /* U+1F600 */
	CHECK(bad_at("a\xFF") == 1);
	CHECK(bad_at("\xC0\xAF") == 0);                     /* overlong '/' */
	CHECK(bad_at("\xE0\x80\xAF") == 0);                 /* overlong */
	CHECK(bad_at("\xED\xA0\x80") == 0);                 /* surrogate */
	CHECK(bad_at("\xF4\x90\x80\x80") == 0);             /* above U+10FFFF */
	CHECK(bad_at("ab\xE2\x80") == 2);                   /* truncated */
	CHECK(bad_at("\x80") == 0);                         /* lone continuation */
}

static void test_utf8_decode(void)
{
	size_t k = 99;

	CHECK(utf8_decode("\xC3\xB4te", 4, &k) == 0xF4 && k == 2);           /* o circumflex */
	CHECK(utf8_decode("\xE2\x80\x99", 3, &k) == 0x2019 && k == 3);
	CHECK(utf8_decode("\xF0\x9F\x98\x80", 4, &k) == 0x1F600 && k == 4);
	CHECK(utf8_decode("\xF4\x8F\xBF\xBF", 4, &k) == 0x10FFFF && k == 4);
	k = 99;
	CHECK(utf8_decode("a", 1, &k) == -1 && k == 99);                      /* ASCII */
	CHECK(utf8_decode("", 0, &k) == -1);
	CHECK(utf8_decode("\xC0\xAF", 2, &k) == -1);                         /* overlong */
	CHECK(utf8_decode("\xE0\x80\xAF", 3, &k) == -1);
	CHECK(utf8_decode("\xED\xA0\x80", 3, &k) == -1);                     /* surrogate */
	CHECK(utf8_decode("\xF4\x90\x80\x80", 4, &k) == -1);                 /* past U+10FFFF */
	CHECK(utf8_decode("\xE2\x80\x99", 2, &k) == -1);                     /* truncated */
	CHECK(utf8_decode("\xC3(", 2, &k) == -1 && k == 99);                  /* no continuation */
}

static void test_strbuf(void)
{
	struct strbuf b = { 0 };
	char *s = sb_take(&b);
	CHECK_STR(s, "");
	free(s);
	sb_puts(&b, "iso3");
	sb_addc(&b, ',');
	sb_add(&b, "yearXX", 4);
	sb_printf(&b, ",%d%s", 7, "x");
	s = sb_take(&b);
	CHECK_STR(s, "iso3,year,7x");
	CHECK(b.s == NULL && b.len == 0);
	free(s);
	/* lists: ", " between items, an empty first item included */
	sb_item(&b, "%s", "PHL");
	sb_item(&b, "%s (%d)", "KOR", 2);
	sb_item(&b, "...");
	s = sb_take(&b);
	CHECK_STR(s, "PHL, KOR (2), ...");
	free(s);
	sb_item(&b, "%s", "");
	sb_item(&b, "%s", "x");
	s = sb_take(&b);
	CHECK_STR(s, ", x");
	free(s);
}

static void name_item(struct strbuf *b, size_t i, const void *ctx)
{
	sb_puts(b, ((const char *const *)ctx)[i]);
}

/* sb_list: "a, b, c", the rest counted past max; an empty first item kept */
static void test_sb_list(void)
{
	static const char *const names[] = { "PHL", "KOR", "", "THA" };
	char *s = sb_list(0, 0, name_item, names);
	CHECK_STR(s, "");
	free(s);
	s = sb_list(4, 0, name_item, names);
	CHECK_STR(s, "PHL, KOR, , THA");
	free(s);
	s = sb_list(4, 4, name_item, names);
	CHECK_STR(s, "PHL, KOR, , THA");
	free(s);
	s = sb_list(4, 2, name_item, names);
	CHECK_STR(s, "PHL, KOR and 2 more");
	free(s);
	s = sb_list(2, 1, name_item, names + 2);
	CHECK_STR(s, " and 1 more");
	free(s);
}

/* sb_vprintf appends what a variadic caller was given, long text included */
static void vadd(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

static void test_strbuf_va(void)
{
	struct strbuf b = { 0 };
	char long_text[300], *s;

	memset(long_text, 'x', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	sb_puts(&b, "PHL: ");
	vadd(&b, "%zu year%s before %ld", (size_t)2, "s", 2003L);
	vadd(&b, "%s", "");
	vadd(&b, ", %s", long_text);
	s = sb_take(&b);
	CHECK(strncmp(s, "PHL: 2 years before 2003, xxx", 29) == 0);
	CHECK(strlen(s) == 26 + 299);
	free(s);
}

/* estimates_lead_columns: the group columns before term, rel_year or a
 * leading time column; -1 for a table that is not an estimates table */
static void test_estimates_lead(void)
{
	char *trend[] = { "iso3", "indicator", "term", "estimate" };
	char *event[] = { "indicator", "rel_year", "term", "estimate" };
	char *panel[] = { "indicator", "year", "term", "estimate" };
	char *plain[] = { "iso3", "year", "value" };
	char *noterm[] = { "iso3", "estimate" };
	size_t l4[] = { 4, 9, 4, 8 }, le[] = { 9, 8, 4, 8 }, lp[] = { 9, 4, 4, 8 };
	size_t l3[] = { 4, 4, 5 }, l2[] = { 4, 8 };
	struct csv_header h;

	h = (struct csv_header){ trend, l4, 4 };
	CHECK(estimates_lead_columns(&h, "year") == 2);
	h = (struct csv_header){ event, le, 4 };
	CHECK(estimates_lead_columns(&h, "year") == 1);
	h = (struct csv_header){ panel, lp, 4 };
	CHECK(estimates_lead_columns(&h, "year") == 1);
	CHECK(estimates_lead_columns(&h, "period") == 2);
	h = (struct csv_header){ plain, l3, 3 };
	CHECK(estimates_lead_columns(&h, "year") == -1);
	h = (struct csv_header){ noterm, l2, 2 };
	CHECK(estimates_lead_columns(&h, "year") == -1);
}

static void test_columns(void)
{
	char *names[] = { "iso3", "country", "year", "2001", "value" };
	size_t lens[] = { 4, 7, 4, 4, 5 };
	struct csv_header h = { names, lens, 5 };
	size_t n, a, b;
	int *g;

	CHECK(col_find(&h, "year") == 2);
	CHECK(col_find(&h, "2") == 1);          /* by number */
	CHECK(col_find(&h, "2001") == 3);       /* a name wins over a number */
	CHECK(col_find(&h, "6") == -1);
	CHECK(col_find(&h, "0") == -1);
	CHECK(col_find(&h, "region") == -1);
	g = col_groups(&h, "f", NULL, 0, &n);
	CHECK(n == 1 && g[0] == 0);             /* iso3 only: no indicator column */
	free(g);
	g = col_groups(&h, "f", NULL, 1, &n);
	CHECK(n == 0);
	free(g);
	g = col_groups(&h, "f", "country,1", 0, &n);
	CHECK(n == 2 && g[0] == 1 && g[1] == 0);
	free(g);
	CHECK(!header_duplicate(&h, &a, &b));
	names[4] = "year";
	lens[4] = 4;
	CHECK(header_duplicate(&h, &a, &b) && a == 2 && b == 4);
}

/* moments against values worked by hand; NIST and R cases run through tt-stats */
static void test_moments(void)
{
	struct moments m = { 0 };
	double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };       /* mean 5, sum of squares 32 */
	for (size_t i = 0; i < 8; i++)
		moments_add(&m, x[i]);
	CHECK(m.n == 8);
	CHECK_REL(moments_mean(&m), 5, 1e-15);
	CHECK_REL(moments_var(&m), 32.0 / 7, 1e-15);
	CHECK(m.min == 2 && m.max == 9);
	CHECK_REL(moments_sum(&m), 40, 0);
	/* compensated: 1e16 + 1 + 1 - 1e16 is 2, not 0 */
	struct moments c = { 0 };
	moments_add(&c, 1e16);
	moments_add(&c, 1);
	moments_add(&c, 1);
	moments_add(&c, -1e16);
	CHECK(moments_sum(&c) == 2);
	struct moments e = { 0 };
	CHECK(isnan(moments_mean(&e)) && isnan(moments_var(&e)));
	moments_add(&e, 3);
	CHECK(isnan(moments_var(&e)));
}

static void test_quantiles(void)
{
	double s[] = { 1, 2, 3, 4, 10 };
	/* type 7: h = (n-1)p; 0.3 -> 1.2 -> 2 + 0.2 * 1 */
	CHECK_REL(quantile_sorted(s, 5, 0.3), 2.2, 1e-15);
	CHECK_REL(quantile_sorted(s, 5, 0.5), 3, 0);
	CHECK_REL(quantile_sorted(s, 5, 1), 10, 0);
	CHECK(isnan(quantile_sorted(s, 0, 0.5)));
	/* mad: median 3, deviations 2 1 0 1 7 -> median 1, times 1.4826 */
	double y[] = { 10, 1, 3, 2, 4 };
	CHECK_REL(mad(y, 5), 1.4826, 1e-15);
	/* even n: median 3, deviations 2 1 1 5 -> 1.5; exactly R's product */
	double e[] = { 1, 2, 4, 8 };
	CHECK(mad(e, 4) == 1.4826 * 1.5);
	/* sort_unique_int: a panel's years, repeats dropped, sorted */
	int yrs[] = { 2003, 2001, 2003, -5, 2001, 2001 };
	CHECK(sort_unique_int(yrs, 6) == 3);
	CHECK(yrs[0] == -5 && yrs[1] == 2001 && yrs[2] == 2003);
	CHECK(sort_unique_int(yrs, 0) == 0);
	/* sort_doubles, both of its ways (a few values, many), against GSL's
	 * heapsort: ties, signed zeros' order aside, the same array */
	{
		unsigned seed = 7;
		int same = 1;

		for (size_t n = 0; n <= 70 && same; n++)
			for (int rep = 0; rep < 20; rep++) {
				double a[70], b[70];

				for (size_t i = 0; i < n; i++) {
					seed = seed * 1664525u + 1013904223u;
					a[i] = b[i] = (double)((seed >> 16) % (rep % 2 ? 7 : 1000)) - 3.5;
				}
				sort_doubles(a, n);
				gsl_sort(b, 1, n);
				same &= n == 0 || memcmp(a, b, n * sizeof *a) == 0;
			}
		CHECK(same);
	}
	CHECK(all_equal(e, 1) && !all_equal(e, 2));
	struct series t = { 0 };
	series_add(&t, 2003, 1);
	series_add(&t, 2001, 2);
	series_add(&t, 2003, 3);
	series_add(&t, 2002, 4);
	series_sort_by_time(&t);
	CHECK(t.y[0] == 2 && t.y[1] == 4 && t.y[2] == 1 && t.y[3] == 3);   /* ties stable */
	series_free(&t);
}

/* a joined table's event: from rel_year (and post), or event_year and time */
static void test_joined(void)
{
	char *names[] = { "iso3", "year", "event_year", "value" };
	size_t lens[] = { 4, 4, 10, 5 };
	struct csv_header h = { names, lens, 4 };
	struct event_cols c = event_cols_find(&h, "f", "year");
	char *f1[] = { "PHL", "2001", "2003", "1" }, *f2[] = { "KOR", "2004", "", "2" };
	size_t l1[] = { 3, 4, 4, 1 }, l2[] = { 3, 4, 0, 1 };
	struct csv_row r1 = { f1, l1, 4, "f", 2 }, r2 = { f2, l2, 4, "f", 3 };
	double rel, post;

	CHECK(c.rel == -1 && c.post == -1 && c.event == 2 && c.time == 1);
	CHECK(event_of_row(&h, &r1, &c, &rel, &post) == 0 && rel == -2 && post == 0);
	f1[1] = "2003";
	CHECK(event_of_row(&h, &r1, &c, &rel, &post) == 0 && rel == 0 && post == 1);
	CHECK(event_of_row(&h, &r2, &c, &rel, &post) == 1);     /* never treated */

	char *n2[] = { "rel_year", "post" };
	size_t ln2[] = { 8, 4 };
	struct csv_header h2 = { n2, ln2, 2 };
	struct event_cols c2 = event_cols_find(&h2, "f", "year");
	char *f3[] = { "-1", "1" };
	size_t l3[] = { 2, 1 };
	struct csv_row r3 = { f3, l3, 2, "f", 2 };
	CHECK(c2.rel == 0 && c2.post == 1);
	/* post is read as given: a lag between the event and its effect */
	CHECK(event_of_row(&h2, &r3, &c2, &rel, &post) == 0 && rel == -1 && post == 1);
	/* the kept cells: the same text again, then a new one, then a missing
	 * post (rel_year >= 0 decides, not the last row's post) */
	CHECK(event_of_row(&h2, &r3, &c2, &rel, &post) == 0 && rel == -1 && post == 1);
	f3[0] = "2";
	l3[0] = 1;
	f3[1] = "0";
	CHECK(event_of_row(&h2, &r3, &c2, &rel, &post) == 0 && rel == 2 && post == 0);
	f3[1] = "NA";
	l3[1] = 2;
	CHECK(event_of_row(&h2, &r3, &c2, &rel, &post) == 0 && rel == 2 && post == 1);
	f3[0] = "-3";
	l3[0] = 2;
	CHECK(event_of_row(&h2, &r3, &c2, &rel, &post) == 0 && rel == -3 && post == 0);
	f3[0] = "5";
	l3[0] = 1;
	CHECK(event_of_row(&h2, &r3, &c2, &rel, &post) == 0 && rel == 5 && post == 1);
}

/* cell_number_memo: cell_number's answers, a kept text or not */
static void test_cell_memo(void)
{
	char *names[] = { "x" }, *f[1];
	size_t lens[] = { 1 }, l[1];
	struct csv_header h = { names, lens, 1 };
	struct csv_row r = { f, l, 1, "f", 2 };
	struct cell_memo m = { 0 };
	const char *cells[] = { "2001", "2001", "", "", "-7.5", "2001",
				"123456789012345678901234567", "123456789012345678901234567" };

	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		double a = -1, b = -1;

		f[0] = (char *)cells[i];
		l[0] = strlen(cells[i]);
		CHECK(cell_number_memo(&h, &r, 0, &m, &a) == cell_number(&h, &r, 0, &b));
		CHECK(a == b);
	}
}

/* chains: three lists interleaved come back each in its own order */
static void test_chains(void)
{
	struct chains c;
	struct chain k[3] = { { 0 } };
	int out[1000], ok = 1;

	chains_init(&c, sizeof(int));
	for (int i = 0; i < 1000; i++)
		*(int *)chains_add(&c, &k[i % 7 == 0 ? 2 : i % 2]) = i;
	CHECK(k[0].n + k[1].n + k[2].n == 1000 && k[2].n == 143);
	for (int j = 0; j < 3; j++) {
		int last = -1;

		chains_copy(&c, &k[j], out);
		for (size_t i = 0; i < k[j].n; i++) {
			ok &= out[i] > last && (j == 2 ? out[i] % 7 == 0 : out[i] % 7 != 0 &&
						out[i] % 2 == j);
			last = out[i];
		}
	}
	CHECK(ok);
	/* emptied: the room is kept, new lists start afresh */
	chains_clear(&c);
	k[0] = (struct chain){ 0 };
	*(int *)chains_add(&c, &k[0]) = 5;
	chains_copy(&c, &k[0], out);
	CHECK(c.n == 1 && k[0].n == 1 && out[0] == 5 && c.cap >= 1000);
	chains_free(&c);
}

/* group_write_key keeps a group's key text between its rows: the same
 * bytes as writing the fields, and never another table's, another
 * delimiter's or another place in the row's */
static void test_key_kept(void)
{
	char *f1[] = { "PHL", "a,b" }, *f2[] = { "KOR", "c" };
	size_t l1[] = { 3, 3 }, l2[] = { 3, 1 };
	struct csv_row r1 = { f1, l1, 2, "f", 2 }, r2 = { f2, l2, 2, "f", 3 };
	int cols[] = { 0, 1 };
	struct group_table *a = group_new(cols, 2), *b = group_new(cols, 1);
	FILE *tmp = tmpfile();
	int saved = dup(1);
	char got[256] = "";
	size_t n;

	CHECK(group_of(a, &r1) == 0 && group_of(a, &r2) == 1 && group_of(b, &r2) == 0);
	if (!tmp || saved < 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	fflush(stdout);
	dup2(fileno(tmp), 1);
	for (int rep = 0; rep < 2; rep++) {
		group_write_key(a, 0);
		out_str("x");
		out_endrow();
	}
	group_write_key(b, 0);          /* index 0 of another table */
	out_endrow();
	out_str("lead");                /* the key after a field: a delimiter first */
	group_write_key(b, 0);
	out_endrow();
	out_delim = ';';
	group_write_key(a, 0);          /* "a,b" needs no quotes with ';' */
	out_endrow();
	out_delim = ',';
	group_write_key(a, 1);
	out_endrow();
	out_flush();
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(got, 1, sizeof got - 1, tmp);
	got[n] = '\0';
	fclose(tmp);
	CHECK_STR(got, "PHL,\"a,b\",x\nPHL,\"a,b\",x\nKOR\nlead,KOR\nPHL;a,b\nKOR,c\n");
	group_free(a);
	group_free(b);
}

static void test_alloc(void)
{
	size_t cap = 0;
	int *v = NULL;
	v = xgrow(v, &cap, 1, sizeof *v);
	CHECK(cap >= 8);
	v = xgrow(v, &cap, 1000, sizeof *v);
	CHECK(cap >= 1000);
	v[999] = 1;
	free(v);
	char *d = xstrndup("abcdef", 3);
	CHECK_STR(d, "abc");
	free(d);
	int *a = xmallocarray(0, sizeof *a);
	free(a);
	a = xmallocarray(4, sizeof *a);
	a[3] = 1;
	CHECK(xnonnull(a) == a);        /* a pointer that is there comes back */
	free(a);
}

static void test_cell_shown(void)
{
	CHECK_STR(cell_shown("TH\nA\t\x01"), "TH\\nA\\t\\x01");
	CHECK_STR(cell_shown_n("TH\nAxyz", 4), "TH\\nA");
	CHECK_STR(cell_shown_n("a\0b", 3), "a\\x00b");
	char long_cell[100];
	memset(long_cell, 'x', sizeof long_cell);
	long_cell[99] = '\0';
	CHECK(strlen(cell_shown(long_cell)) == 63);
	CHECK(strlen(cell_shown_n(long_cell, 60)) == 60);
}

static jmp_buf exited;
static int exit_status;

static void exit_to_test(int status)
{
	exit_status = status;
	longjmp(exited, 1);
}

/* stderr into a file, and exits back to the test (setjmp(exited)) */
static int capture(void)
{
	if (unit_capture() != 0)
		return -1;
	progname = "tt-test";
	tt_exit_hook = exit_to_test;
	return 0;
}

static void captured(char *msg, size_t size)
{
	tt_exit_hook = NULL;
	unit_captured(msg, size);
}

/* xmul: the product, or out of memory (exit 1) where it reaches SIZE_MAX,
 * so that a count with room for one more cannot wrap */
static void test_xmul(void)
{
	char msg[128] = "";

	CHECK(xmul(3, 4) == 12);
	CHECK(xmul(0, SIZE_MAX) == 0 && xmul(SIZE_MAX, 0) == 0);
	CHECK(xmul(SIZE_MAX - 1, 1) == SIZE_MAX - 1);
	if (capture() != 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	exit_status = -1;
	if (setjmp(exited) == 0)
		xmul(SIZE_MAX / 2 + 1, 2);
	captured(msg, sizeof msg);
	CHECK(exit_status == 1);
	CHECK_STR(msg, "tt-test: out of memory\n");
}

/* The exit status of run(arg) in a child process (0 when it returns), or
 * -1 when the child could not be made or did not exit. */
static int child_exit(void (*run)(const void *), const void *arg)
{
	pid_t pid;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		run(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

struct choice_call { const char *name, *arg; const char *const *words; };

static void run_choice(const void *p)
{
	const struct choice_call *c = p;

	opt_choice(c->name, c->arg, c->words);
}

/* the exit status of opt_choice run in a child process */
static int choice_exit(const char *name, const char *arg, const char *const *words)
{
	return child_exit(run_choice, &(struct choice_call){ name, arg, words });
}

/* opt_choice: the word's index, or a usage error (exit 2) listing the words */
static void test_opt_choice(void)
{
	static const char *const models[] = { "twfe", "etwfe", "index", NULL };
	static const char *const two[] = { "linear", "poisson", NULL };
	static const char *const one[] = { "only", NULL };
	char msg[256] = "";

	CHECK(opt_choice("model", "index", models) == 2);
	CHECK(opt_choice("model", "twfe", models) == 0);
	CHECK(opt_choice("family", "poisson", two) == 1);
	if (capture() != 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	/* in a child, which exits as a tool does: a longjmp past die_usage
	 * would leave the message's list allocated */
	tt_exit_hook = NULL;
	CHECK(choice_exit("model", "TWFE", models) == EXIT_USAGE);
	CHECK(choice_exit("family", "", two) == EXIT_USAGE);
	CHECK(choice_exit("x", "y", one) == EXIT_USAGE);
	captured(msg, sizeof msg);
	CHECK_STR(msg, "tt-test: option --model: 'TWFE' is not twfe, etwfe or index\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --family: '' is not linear or poisson\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: 'y' is not only\n"
		  "Try 'tt-test --help'.\n");
}

struct double_call { const char *arg; double lo, hi; unsigned ends; };

static void run_double(const void *p)
{
	const struct double_call *c = p;

	opt_double_in("x", c->arg, c->lo, c->hi, c->ends);
}

/* the exit status of opt_double_in run in a child process */
static int double_exit(const char *arg, double lo, double hi, unsigned ends)
{
	return child_exit(run_double, &(struct double_call){ arg, lo, hi, ends });
}

/* opt_double_in: the number within its range, ends open or closed, or a
 * usage error saying what the number is */
static void test_opt_double(void)
{
	char msg[1024] = "";

	CHECK(opt_double_in("x", "0", 0, INFINITY, OPT_CLOSED) == 0);
	CHECK(opt_double_in("x", "1", 0, 1, OPT_OPEN_LO) == 1);
	CHECK(opt_double_in("x", "0", 0, 1, OPT_OPEN_HI) == 0);
	CHECK(opt_double_in("x", "-1e300", -INFINITY, INFINITY, OPT_OPEN) == -1e300);
	CHECK(opt_double_in("x", "0.5", 0, 1, OPT_OPEN) == 0.5);
	if (capture() != 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	tt_exit_hook = NULL;
	CHECK(double_exit("y", 0, 1, OPT_OPEN) == EXIT_USAGE);
	CHECK(double_exit("-1", 0, INFINITY, OPT_CLOSED) == EXIT_USAGE);
	CHECK(double_exit("0", 0, INFINITY, OPT_OPEN_LO) == EXIT_USAGE);
	CHECK(double_exit("1", 0, 1, OPT_OPEN) == EXIT_USAGE);
	CHECK(double_exit("2", 2, INFINITY, OPT_OPEN_LO) == EXIT_USAGE);
	CHECK(double_exit("1", 2, INFINITY, OPT_CLOSED) == EXIT_USAGE);
	CHECK(double_exit("3", -INFINITY, 3, OPT_OPEN_HI) == EXIT_USAGE);
	CHECK(double_exit("4", -INFINITY, 3, OPT_CLOSED) == EXIT_USAGE);
	CHECK(double_exit("0", 0, 100, OPT_OPEN_LO) == EXIT_USAGE);
	CHECK(double_exit("1.5", 0, 1, OPT_CLOSED) == EXIT_USAGE);
	captured(msg, sizeof msg);
	CHECK_STR(msg, "tt-test: option --x: 'y' is not a number\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '-1' is negative\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '0' is not a positive number\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '1' is not between 0 and 1\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '2' is not a number above 2\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '1' is not a number of at least 2\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '3' is not a number below 3\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '4' is not a number of at most 3\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '0' is not a number above 0 and at most 100\n"
		  "Try 'tt-test --help'.\n"
		  "tt-test: option --x: '1.5' is not a number of at least 0 and at most 1\n"
		  "Try 'tt-test --help'.\n");
}

/* cell_year, cell_time and cell_time_number: whole years within the bound
 * (or any number), located errors */
static void test_cell_year(void)
{
	char *names[] = { "year", "event_year" };
	size_t lens[] = { 4, 10 };
	struct csv_header h = { names, lens, 2 };
	char *f[2];
	size_t fl[2];
	struct csv_row r = { f, fl, 2, "t.csv", 3 };
	long y = 7;
	char msg[512] = "";

#define ROW(a, b) (f[0] = (a), f[1] = (b), fl[0] = strlen(a), fl[1] = strlen(b))
	ROW("2003", "");
	CHECK(cell_year(&h, &r, 0, 1000000, &y) == 0 && y == 2003);
	CHECK(cell_time(&h, &r, 0, 1000000) == 2003);
	y = 7;
	CHECK(cell_year(&h, &r, 1, 1000000, &y) == 1 && y == 7);   /* missing */
	ROW("-99999", "2.0e3");
	CHECK(cell_year(&h, &r, 0, 99999, &y) == 0 && y == -99999);
	CHECK(cell_year(&h, &r, 1, 99999, &y) == 0 && y == 2000);
	if (capture() != 0) {
		CHECK(!"tmpfile or dup");
		return;
	}
	exit_status = 0;
	ROW("2003.5", "NA");
	if (setjmp(exited) == 0)
		cell_year(&h, &r, 0, 1000000, &y);
	CHECK(exit_status == EXIT_DATA);
	exit_status = 0;
	ROW("100000", "NA");
	if (setjmp(exited) == 0)
		cell_year(&h, &r, 0, 99999, &y);
	CHECK(exit_status == EXIT_DATA);
	exit_status = 0;
	ROW("2003", "NA");
	if (setjmp(exited) == 0)
		cell_time(&h, &r, 1, 1000000);
	CHECK(exit_status == EXIT_DATA);
	exit_status = 0;
	ROW("2003.5", "");      /* any number is a time for cell_time_number */
	CHECK(cell_time_number(&h, &r, 0) == 2003.5);
	if (setjmp(exited) == 0)
		cell_time_number(&h, &r, 1);
	CHECK(exit_status == EXIT_DATA);
	captured(msg, sizeof msg);
#undef ROW
	CHECK_STR(msg, "tt-test: t.csv:3:1: column \"year\": \"2003.5\" is not a whole year\n"
		  "tt-test: t.csv:3:1: column \"year\": \"100000\" is not a whole year\n"
		  "tt-test: t.csv:3:2: column \"event_year\": the time is missing\n"
		  "tt-test: t.csv:3:2: column \"event_year\": the time is missing\n");
}

int main(void)
{
	unit_start();
	test_utf8();
	test_utf8_decode();
	test_strbuf();
	test_sb_list();
	test_strbuf_va();
	test_columns();
	test_estimates_lead();
	test_moments();
	test_quantiles();
	test_joined();
	test_cell_memo();
	test_chains();
	test_key_kept();
	test_alloc();
	test_xmul();
	test_cell_shown();
	test_opt_choice();
	test_opt_double();
	test_cell_year();
	return unit_summary();
}
