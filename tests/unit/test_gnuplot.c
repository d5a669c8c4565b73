/* tools/lib/gnuplot*.c: quoting, data blocks, script text, and real gnuplot
 * runs.  The references are gnuplot 5.4 itself (it must print back exactly
 * the text we quoted, run nothing, and write the files) and, where gnuplot
 * is not needed, a model of the two passes of gnuplot 5.4 that read a
 * command line (the @macro pass of command.c and the scanner of scanner.c).
 * Checks that need gnuplot are skipped, with a note, when it is absent. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "gnuplot.h"
#include "gnuplot_int.h"

static char pwn_dir[] = "/tmp/tt_pwned_XXXXXX";	/* hostile text touches here */
static char out_dir[] = "/tmp/tt_gnuplot_XXXXXX";
static int have_gnuplot;

/* ---- small helpers --------------------------------------------------------- */

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static char *slurp(const char *path, size_t *len)
{
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (!b.s)
		buf_add(&b, "", 0);
	*len = b.len;
	return b.s;
}

static int contains(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char full[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(full, sizeof full, "%.*s/%s", (int)n, path, prog);
		if (access(full, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* entries of a directory whose names contain `part` (NULL: all but . ..) */
static int count_entries(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!part || strstr(e->d_name, part))
			n++;
	}
	closedir(d);
	return n;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* what any string becomes: control bytes turned into spaces */
static char *sanitized(const char *s)
{
	char *t = strdup(s);

	for (char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return t;
}

/* text as gnuplot's svg terminal writes it (it escapes & and <), with the
 * "]]>" fix gnuplot_run applies */
static char *svg_text(const char *s)
{
	struct buf b = { 0 };
	char *clean = sanitized(s);

	buf_add(&b, "", 0);
	for (const char *p = clean; *p; p++) {
		if (*p == '&')
			buf_str(&b, "&amp;");
		else if (*p == '<')
			buf_str(&b, "&lt;");
		else if (*p == '>' && p - clean >= 2 && p[-1] == ']' && p[-2] == ']')
			buf_str(&b, "&gt;");
		else
			buf_add(&b, p, 1);
	}
	free(clean);
	return b.s;
}

/* ---- the hostile strings ------------------------------------------------- */

/* Each would create a file in pwn_dir if gnuplot ran any of it, or breaks
 * out of a string, a command or a data block if quoting failed. */
static const char *const hostile_fmt[] = {
	"`touch %s/bq1`",
	"system(\"touch %s/sys1\")",
	"'.system(\"touch %s/sys2\").'",
	"\".system(\"touch %s/sys3\").\"",
	"''`touch %s/bq2`''",
	"'`touch %s/bq3`'",
	"'''`touch %s/bq4`",
	"a''''`touch %s/bq5`'",
	"x'''''y`touch %s/bq6`",
	"x\n`touch %s/nl1`\n",
	"x\nsystem(\"touch %s/nl2\")",
	"EOD\n!touch %s/eod",
	"@tt_macro @foo $HOME $(touch %s/dollar) ${x}",
	"<touch %s/lt",
	"|touch %s/pipe",
	"\\' `touch %s/bs` \\",
	"# c ; print 'x' ; `touch %s/hash`",
	"%s ^{sup}_{sub} &{sp} ~a{.8-} @bold {/Symbol a}",
	"a]]>b & <c> \"dq\" '' %s",
	"\\U+0041 \\101 \\n \\ %s",
	"C\xc3\xb4te d'Ivoire %s",
	"\r\t\x01\x1f\x7f %s",
};
enum { NHOSTILE = sizeof hostile_fmt / sizeof hostile_fmt[0] };
static char *hostile[NHOSTILE];

static void make_hostile(void)
{
	for (int i = 0; i < NHOSTILE; i++) {
		int n = snprintf(NULL, 0, hostile_fmt[i], pwn_dir);
		hostile[i] = malloc((size_t)n + 1);
		snprintf(hostile[i], (size_t)n + 1, hostile_fmt[i], pwn_dir);
	}
}

static void check_nothing_ran(const char *when)
{
	int n = count_entries(pwn_dir, NULL);
	if (n != 0)
		printf("FAIL %s: hostile text ran a command (%d files in %s)\n",
		       when, n, pwn_dir);
	CHECK(n == 0);
}

/* ---- a model of how gnuplot 5.4 reads a command line ---------------------- */

/* The scanner (scanner.c): a single-quoted token runs to the next ', except
 * that a ' which follows a non-quote character and is followed by another '
 * is taken in with it; parse_sq then turns '' into '.  We accept only string
 * tokens joined by '.', and "\047" as the one double-quoted token.
 * Returns the text gnuplot would get, or NULL for any other shape. */
static char *gnuplot_reads(const char *e)
{
	struct buf out = { 0 };
	const char *p = e;

	buf_add(&out, "", 0);
	for (;;) {
		if (*p == '\'') {
			const char *c = p;
			while (*++c != '\'') {
				if (!*c)
					goto bad;
				if (c[1] == '\'' && c[2] == '\'')
					c += 2;
			}
			for (const char *q = p + 1; q < c; q++) {
				if (*q == '\'' && q[1] == '\'')
					q++;
				buf_add(&out, q, 1);
			}
			p = c + 1;
		} else if (strncmp(p, "\"\\047\"", 6) == 0) {
			buf_add(&out, "'", 1);
			p += 6;
		} else {
			goto bad;
		}
		if (!*p)
			return out.s;
		if (*p++ != '.')
			goto bad;
	}
bad:
	free(out.s);
	return NULL;
}

/* The macro pass (command.c, expand_1level_macros) expands @name where it
 * has seen an even number of ' (it flips on every '), so every @ must come
 * after an odd number. */
static int macros_stay_quoted(const char *e)
{
	int squote = 0;

	for (const char *p = e; *p; p++) {
		if (*p == '\'')
			squote = !squote;
		else if (*p == '@' && !squote)
			return 0;
	}
	return 1;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static void check_quote_model(const char *s)
{
	char *q = gp_quote(s);
	char *want = sanitized(s);
	char *got = gnuplot_reads(q);

	CHECK(!has_control(q));
	CHECK(macros_stay_quoted(q));
	CHECK(got && strcmp(got, want) == 0);
	if (!got || strcmp(got, want) != 0)
		printf("  quoted %s reads back as %s\n", q, got ? got : "(bad shape)");
	free(q);
	free(want);
	free(got);
}

/* deterministic random strings from the characters that matter */
static unsigned long lcg_state = 12345;

static unsigned lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(lcg_state >> 33);
}

static char *random_nasty(void)
{
	static const char alphabet[] = "'''\"`@$\\aU+# ;<|{}\n.";
	size_t n = lcg() % 13;
	char *s = malloc(n + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = alphabet[lcg() % (sizeof alphabet - 1)];
	s[n] = '\0';
	return s;
}

/* ---- unit checks of the text --------------------------------------------- */

#define CHECK_QUOTE(in, want) do { char *q_ = gp_quote(in); \
	CHECK_STR(q_, want); free(q_); } while (0)

/* gp_clean_text: valid UTF-8 kept whole, each bad byte one U+FFFD */
static void test_clean_text(void)
{
	static const struct { const char *in; size_t len; const char *want; } t[] = {
		{ "plain", 5, "plain" },
		{ "", 0, "" },
		{ "C\xc3\xb4te", 6, "C\xc3\xb4te" },
		{ "a\xff" "b", 3, "a\xEF\xBF\xBD" "b" },
		{ "\xc3", 1, "\xEF\xBF\xBD" },		/* a sequence cut short */
		{ "\xc0\xaf", 2, "\xEF\xBF\xBD\xEF\xBF\xBD" },	/* overlong '/' */
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char *got = gp_clean_text(t[i].in, t[i].len);
		CHECK_STR(got, t[i].want);
		free(got);
	}
}

static void test_quote_text(void)
{
	CHECK_QUOTE("plain", "'plain'");
	CHECK_QUOTE(NULL, "''");
	CHECK_QUOTE("", "''");
	CHECK_QUOTE("C\xc3\xb4te d'Ivoire", "'C\xc3\xb4te d''Ivoire'");
	CHECK_QUOTE("x'", "'x'''");
	CHECK_QUOTE("'x", "''.\"\\047\".'x'");
	CHECK_QUOTE("a''b", "'a'''.\"\\047\".'b'");
	CHECK_QUOTE("'", "''.\"\\047\".''");
	CHECK_QUOTE("a\nb\rc\td\x01" "e\x7f", "'a b c d e '");
	CHECK_QUOTE("`touch /tmp/x` system(\"touch y\") $HOME @foo \"q\" <in |p",
		    "'`touch /tmp/x` system(\"touch y\") $HOME @foo \"q\" <in |p'");
	CHECK_QUOTE("back\\slash \\", "'back\\slash \\'");
	CHECK_QUOTE("\\U+0041", "'\\'.'U+0041'");
	CHECK_QUOTE("^{a}_{b} & ~ @", "'^{a}_{b} & ~ @'");

	for (int i = 0; i < NHOSTILE; i++)
		check_quote_model(hostile[i]);
	for (int i = 0; i < 5000; i++) {
		char *s = random_nasty();
		check_quote_model(s);
		free(s);
	}
}

static void test_quote_path(void)
{
	char *q;

	q = gp_quote_path("out.svg");
	CHECK_STR(q, "'out.svg'");
	free(q);
	q = gp_quote_path("/abs/o'k.svg");
	CHECK_STR(q, "'/abs/o''k.svg'");
	free(q);
	q = gp_quote_path("|touch x.svg");
	CHECK_STR(q, "'./|touch x.svg'");
	free(q);
	q = gp_quote_path("<in.svg");
	CHECK_STR(q, "'./<in.svg'");
	free(q);
	q = gp_quote_path("~/x.svg");
	CHECK_STR(q, "'./~/x.svg'");
	free(q);
	q = gp_quote_path("'quoted.svg");
	CHECK_STR(q, "'./''quoted.svg'");
	free(q);
}

static void test_end_marker(void)
{
	const char *plain[] = { "1 2", "-3 4" };
	const char *clash[] = { "1 2", "EOD", "EOD1 x", " EOD2", "\tEOD3", "EOD45" };
	const char *lines[] = { "EOD", "EOD\nsystem('x')", "2 3" };
	char *m, *text = NULL;
	size_t len = 0;
	FILE *f;

	m = gp_end_marker(plain, 2);
	CHECK_STR(m, "EOD");
	free(m);
	m = gp_end_marker(NULL, 0);
	CHECK_STR(m, "EOD");
	free(m);
	/* EOD, EOD1, EOD2 (indented), EOD3 (tab) and EOD4 (prefix of EOD45)
	 * are all taken */
	m = gp_end_marker(clash, 6);
	CHECK_STR(m, "EOD5");
	free(m);

	f = open_memstream(&text, &len);
	gp_put_datablock(f, "tt_d", lines, 3);
	fclose(f);
	CHECK_STR(text, "$tt_d << EOD1\nEOD\nEOD system('x')\n2 3\nEOD1\n");
	free(text);
}

static void test_pages(void)
{
	enum gp_terminal t = GP_TERM_DUMB;
	int w = 0, h = 0;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	struct gp_page page = { GP_TERM_SVG, 640, 480, "|touch x.svg", 0, 0 };

	CHECK(gp_terminal_for_path("a.png", &t) == 0 && t == GP_TERM_PNG);
	CHECK(gp_terminal_for_path("dir/A.SVG", &t) == 0 && t == GP_TERM_SVG);
	CHECK(gp_terminal_for_path("r.Pdf", &t) == 0 && t == GP_TERM_PDF);
	CHECK(gp_terminal_for_path("a.txt", &t) == -1);
	CHECK(gp_terminal_for_path("noext", &t) == -1);
	CHECK(gp_terminal_for_path("d.svg/x", &t) == -1);
	CHECK(gp_terminal_for_path(".svg", &t) == 0 && t == GP_TERM_SVG);

	CHECK(gp_parse_size("800x600", &w, &h) == 0 && w == 800 && h == 600);
	CHECK(gp_parse_size("1,2", &w, &h) == 0 && w == 1 && h == 2);
	CHECK(gp_parse_size("20000X20000", &w, &h) == 0 && w == 20000);
	CHECK(gp_parse_size("0x5", &w, &h) == -1);
	CHECK(gp_parse_size("800x", &w, &h) == -1);
	CHECK(gp_parse_size("x600", &w, &h) == -1);
	CHECK(gp_parse_size("800x600px", &w, &h) == -1);
	CHECK(gp_parse_size("20001x5", &w, &h) == -1);
	CHECK(gp_parse_size("-5x5", &w, &h) == -1);
	CHECK(gp_parse_size(" 80x60", &w, &h) == -1);
	CHECK(gp_parse_size("99999999999999999999x1", &w, &h) == -1);

	f = open_memstream(&text, &len);
	gp_write_header(f, &page);
	page.term = GP_TERM_PDF;
	page.output = "r.pdf";
	gp_write_header(f, &page);
	page.term = GP_TERM_DUMB;
	page.output = NULL;
	page.width = page.height = 0;
	gp_write_header(f, &page);
	fclose(f);
	CHECK(strstr(text, "set terminal svg size 640,480 fixed noenhanced") != NULL);
	CHECK(strstr(text, "set output './|touch x.svg'\n") != NULL);
	CHECK(strstr(text, "set terminal pdfcairo size 6.667in,5in noenhanced") != NULL);
	CHECK(strstr(text, "set output 'r.pdf'\n") != NULL);
	CHECK(strstr(text, "set terminal dumb size 80,25 noenhanced\n") != NULL);
	free(text);
}

/* ---- charts: the data every kind draws ------------------------------------ */

static const double years[] = { 2000, 2001, 2002, 2003, 2004, 2005, 2006 };
static const double ya[] = { 3, 4, NAN, NAN, 8, 9, 12 };
static const double yb[] = { 1, 2, 2, 3, 5, 5, 6 };
static const double none[] = { NAN, NAN };
static struct gp_series series[3];
static struct gp_estimate rows[6];

/* A chart of `kind` whose every text is hostile (indices into hostile[]). */
/* every line of the $tt_h blocks has two " (by offsets: gcc 12 takes
 * pointers into text for dangling ones once the caller frees it) */
static int hover_lines_ok(const char *text)
{
	size_t i = 0, n = strlen(text);
	int in_block = 0;

	while (i < n) {
		size_t eol = i, quotes = 0;
		while (eol < n && text[eol] != '\n')
			eol++;
		if (strncmp(text + i, "$tt_h", 5) == 0)
			in_block = 1;
		else if (strncmp(text + i, "EOD", 3) == 0)
			in_block = 0;
		else if (in_block) {
			for (size_t j = i; j < eol; j++)
				quotes += text[j] == '"';
			if (quotes != 2)
				return 0;
		}
		i = eol + 1;
	}
	return 1;
}

static void hostile_chart(struct gp_chart *c, enum gp_kind kind)
{
	static const double rel[] = { -3, -2, -1, 0, 1, 2 };
	/* dyadic, so the data lines are exact */
	static const double est[] = { 0.25, -0.5, 0, 1.25, 2.5, 0.75 };

	series[0] = (struct gp_series){ hostile[3], years, ya, 7 };
	series[1] = (struct gp_series){ hostile[4], years, yb, 7 };
	series[2] = (struct gp_series){ "all missing", none, none, 2 };
	for (int i = 0; i < 6; i++) {
		rows[i].label = hostile[5 + i];
		rows[i].rel_year = rel[i];
		rows[i].estimate = est[i];
		rows[i].conf_low = est[i] - 0.5;
		rows[i].conf_high = est[i] + 0.75;
	}
	rows[5].conf_low = NAN;	/* a row without an interval */

	gp_chart_init(c, kind);
	c->title = hostile[0];
	c->xlabel = hostile[1];
	c->ylabel = hostile[2];
	c->series = series;
	c->nseries = 3;
	c->rows = rows;
	c->nrows = 6;
	if (kind == GP_PREPOST) {
		c->event_x = 2003;
		c->event_label = hostile[11];
		c->fit_pre = (struct gp_segment){ 2000, 3, 2003, 5 };
		c->fit_post = (struct gp_segment){ 2003, 7, 2006, 12 };
	}
	if (kind == GP_EVENT)
		c->band_label = hostile[12];
}

/* the hostile[] indices a chart of `kind` shows as text */
static int shown_texts(enum gp_kind kind, int *idx)
{
	int n = 0;

	idx[n++] = 0;
	idx[n++] = 1;
	idx[n++] = 2;
	switch (kind) {
	case GP_LINE:
	case GP_STEP:
	case GP_SYNTH:
		idx[n++] = 3;
		idx[n++] = 4;
		break;
	case GP_PREPOST:
		idx[n++] = 3;
		idx[n++] = 11;
		break;
	case GP_EVENT:
		idx[n++] = 12;
		break;
	case GP_FOREST:
	case GP_BAR:
		for (int i = 5; i < 11; i++)
			idx[n++] = i;
		break;
	}
	return n;
}

static char *chart_text(const struct gp_chart *c, const char **err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*err = gp_write_chart(f, c);
	fclose(f);
	return text;
}

/* every data line starts with a digit or '-' (never with a marker's letter) */
static int data_lines_numeric(const char *text)
{
	const char *p = text;
	int in_block = 0;

	while (*p) {
		size_t n = strcspn(p, "\n");
		if (!in_block && p[0] == '$' && strstr(p, " << EOD") &&
		    strstr(p, " << EOD") < p + n) {
			in_block = 1;
		} else if (in_block && strncmp(p, "EOD", 3) == 0) {
			in_block = 0;
		} else if (in_block && n > 0 && !(p[0] == '-' ||
			   (p[0] >= '0' && p[0] <= '9'))) {
			return 0;
		}
		p += n + (p[n] == '\n');
	}
	return !in_block;
}

static void test_chart_text(void)
{
	static const enum gp_kind kinds[] = {
		GP_LINE, GP_PREPOST, GP_EVENT, GP_FOREST, GP_BAR, GP_STEP
	};
	struct gp_chart c;
	const char *err;
	char *text;

	for (int k = 0; k < 6; k++) {
		hostile_chart(&c, kinds[k]);
		text = chart_text(&c, &err);
		CHECK(err == NULL);
		CHECK(data_lines_numeric(text));
		CHECK(strstr(text, "noenhanced") == NULL);	/* header's job */
		CHECK(strstr(text, "unset output\n") != NULL);
		CHECK(!strstr(text, "\n\n\n"));
		free(text);
	}

	/* the line chart: gaps as one blank line, the empty series left out */
	hostile_chart(&c, GP_LINE);
	text = chart_text(&c, &err);
	CHECK(strstr(text, "$tt_s0 << EOD\n2000 3\n2001 4\n\n2004 8\n") != NULL);
	CHECK(strstr(text, "$tt_s2 << EOD\nEOD\n") != NULL);
	CHECK(strstr(text, "$tt_s2 using") == NULL);
	CHECK(strstr(text, "title 'all missing'") == NULL);
	free(text);

	/* forest: sorted by estimate, smallest at y = 1; the row without an
	 * interval is a point of its own ("no CI"), never a zero-width bar */
	hostile_chart(&c, GP_FOREST);
	text = chart_text(&c, &err);
	CHECK(strstr(text, "-0.5 1 -1 0.25\n0 2 -0.5 0.75\n0.25 3 -0.25 1\n"
			   "1.25 5 0.75 2\n2.5 6 2 3.25\n") != NULL);
	CHECK(strstr(text, "$tt_noci << EOD\n0.75 4\nEOD\n") != NULL);
	CHECK(strstr(text, "title 'no CI'") != NULL);
	{
		char *q = gp_quote(hostile[6]);	/* estimate -0.5: first */
		char want[512];
		snprintf(want, sizeof want, "set ytics (%s 1)\n", q);
		CHECK(strstr(text, want) != NULL);
		free(q);
	}
	free(text);

	/* event: the band stops where an interval is missing */
	hostile_chart(&c, GP_EVENT);
	text = chart_text(&c, &err);
	CHECK(strstr(text, "-0.5, graph 0 to first -0.5, graph 1") != NULL);
	CHECK(strstr(text, "$tt_band_pre << EOD\n-3 -0.25 1\n") != NULL);
	CHECK(strstr(text, "1 2 3.25\nEOD\n") != NULL);
	CHECK(strstr(text, "$tt_alone << EOD\n2 0.75\nEOD\n") != NULL);
	free(text);

	/* hover texts: each a data line "x y \"TEXT\"" whose TEXT holds no "
	 * (a data line cannot escape one), whatever the labels hold */
	for (int k = 0; k < 3; k++) {
		static const enum gp_kind hk[] = { GP_LINE, GP_FOREST, GP_EVENT };
		hostile_chart(&c, hk[k]);
		c.hover = 1;
		text = chart_text(&c, &err);
		CHECK(err == NULL);
		CHECK(strstr(text, "with labels hypertext") != NULL);
		CHECK(hover_lines_ok(text));
		free(text);
	}

	/* nothing to plot */
	gp_chart_init(&c, GP_LINE);
	c.series = &series[2];
	c.nseries = 1;
	text = chart_text(&c, &err);
	CHECK(err != NULL && strstr(err, "nothing to plot"));
	free(text);
	gp_chart_init(&c, GP_FOREST);
	text = chart_text(&c, &err);
	CHECK(err != NULL);
	free(text);
}

/* ---- synth: two panels, the placebos in one block ----------------------------- */

static const double gap_y[] = { 0.25, -0.5, 0.25, 0, 3, 2.5, 4 };
static const double pl_a[] = { 1, 0.5, -1, 0, NAN, 0.5, -1 };
static const double pl_b[] = { -0.5, 0.5, 0, 0, 1, 1.5, 0.5 };
static struct gp_series synth_series[6];

/* treated (ya), synthetic (yb), the gap, two placebos and one with no point */
static void synth_chart(struct gp_chart *c)
{
	synth_series[0] = (struct gp_series){ hostile[3], years, ya, 7 };
	synth_series[1] = (struct gp_series){ hostile[4], years, yb, 7 };
	synth_series[2] = (struct gp_series){ hostile[3], years, gap_y, 7 };
	synth_series[3] = (struct gp_series){ hostile[5], years, pl_a, 7 };
	synth_series[4] = (struct gp_series){ NULL, none, none, 2 };
	synth_series[5] = (struct gp_series){ hostile[6], years, pl_b, 7 };
	gp_chart_init(c, GP_SYNTH);
	c->title = hostile[0];
	c->xlabel = hostile[1];
	c->ylabel = hostile[2];
	c->series = synth_series;
	c->nseries = 6;
	c->event_x = 2003;
	c->event_label = hostile[11];
}

static void test_synth_chart(void)
{
	struct gp_chart c;
	const char *err;
	char *text, *q, want[1024];

	synth_chart(&c);
	text = chart_text(&c, &err);
	CHECK(err == NULL);
	CHECK(data_lines_numeric(text));
	q = gp_quote(hostile[0]);
	snprintf(want, sizeof want, "unset title\nunset xlabel\nset lmargin 10\nset rmargin 4\n"
		 "set multiplot layout 2,1 title %s\n", q);
	CHECK(strstr(text, want) != NULL);
	free(q);
	q = gp_quote(hostile[1]);
	snprintf(want, sizeof want, "set xlabel %s\nset ylabel 'gap: treated - synthetic'\n", q);
	CHECK(strstr(text, want) != NULL);	/* the x label moves to the lower panel */
	free(q);
	/* the placebos in one block, a blank line between two, the empty one
	 * left out, the gap in the first placebo kept as a blank line */
	CHECK(strstr(text, "$tt_placebo << EOD\n2000 1\n2001 0.5\n2002 -1\n2003 0\n\n"
			   "2005 0.5\n2006 -1\n\n2000 -0.5\n") != NULL);
	CHECK(strstr(text, "title 'placebos: each donor as if treated (2)'") != NULL);
	CHECK(strstr(text, "2003, graph 0 to first 2003, graph 1") != NULL);
	CHECK(strstr(text, "unset label 1\n") != NULL);	/* the event text above only */
	CHECK(strstr(text, "\nunset multiplot\nunset output\n") != NULL);
	free(text);

	/* no placebos: the gap alone */
	c.nseries = 3;
	text = chart_text(&c, &err);
	CHECK(err == NULL);
	CHECK(strstr(text, "$tt_placebo << EOD\nEOD\n") != NULL);
	CHECK(strstr(text, "$tt_placebo using") == NULL);
	free(text);

	/* a gap without a point, or too few series: nothing to plot */
	synth_series[2] = (struct gp_series){ "g", none, none, 2 };
	text = chart_text(&c, &err);
	CHECK(err != NULL && strstr(err, "nothing to plot"));
	free(text);
	c.nseries = 2;
	text = chart_text(&c, &err);
	CHECK(err != NULL && strstr(err, "nothing to plot"));
	free(text);
}

/* ---- real gnuplot ------------------------------------------------------------ */

static int run_text(const char *script, const char *output, char **msg)
{
	struct gp_page page = { GP_TERM_DUMB, 0, 0, output, 0, 0 };

	if (output)
		gp_terminal_for_path(output, &page.term);
	return gnuplot_run(script, &page, msg);
}

/* gnuplot must print back every quoted string exactly */
/* The chart's numbers are the tables' (format_number): the shortest of
 * "%.15g".."%.17g" that reads back, as gnuplot's own formatter wrote them
 * before, so scripts and charts are unchanged; -0 reads 0; fixed digits
 * for what a reader sees. */
static void test_numbers(void)
{
	char b[32], old[32];
	unsigned long long bits = 0x9E3779B97F4A7C15ull;

	CHECK(strcmp(gpc_num(b, 0.1), "0.1") == 0);
	CHECK(strcmp(gpc_num(b, 2003), "2003") == 0);
	CHECK(strcmp(gpc_num(b, -0.0), "0") == 0);
	CHECK(strcmp(gpc_num(b, NAN), "NaN") == 0);
	CHECK(strcmp(gpc_num(b, 1.0 / 3), "0.3333333333333333") == 0);
	CHECK(strcmp(gpc_digits(b, 2.0 / 3, 6), "0.666667") == 0);
	CHECK(strcmp(gpc_digits(b, 1234567, 10), "1234567") == 0);
	CHECK(gpc_rounded(37.500000000000185, 12) == 37.5);
	CHECK(isnan(gpc_rounded(NAN, 12)));
	for (int i = 0; i < 20000; i++) {
		double v;

		bits = bits * 6364136223846793005ull + 1442695040888963407ull;
		v = i % 2 ? (double)(bits >> 11) / 9007199254740992.0 * pow(10, i % 40 - 20)
			  : (double)(long long)(bits >> 40) / 64;
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(old, sizeof old, "%.*g", prec, v);
			if (strtod(old, NULL) == v)
				break;
		}
		if (strcmp(gpc_num(b, v), old) != 0) {
			CHECK(strcmp(b, old) == 0);
			printf("  %s, was %s\n", b, old);
			break;
		}
	}
}

static void test_print_round_trip(void)
{
	struct buf script = { 0 }, want = { 0 };
	char *strings[NHOSTILE + 300];
	size_t n = 0;
	char *msg = NULL;
	int status;

	for (int i = 0; i < NHOSTILE; i++)
		strings[n++] = strdup(hostile[i]);
	while (n < sizeof strings / sizeof strings[0])
		strings[n++] = random_nasty();

	buf_str(&script, "foo = 'MACRO'\ntt_macro = 'MACRO'\nbold = 'MACRO'\n"
		"HOME = 'MACRO'\nx = 'MACRO'\n");
	for (size_t i = 0; i < n; i++) {
		char *q = gp_quote(strings[i]), *s = sanitized(strings[i]);
		buf_str(&script, "print '[' . ");
		buf_str(&script, q);
		buf_str(&script, " . ']'\n");
		buf_str(&want, i ? "\n[" : "[");
		buf_str(&want, s);
		buf_str(&want, "]");
		free(q);
		free(s);
		free(strings[i]);
	}
	status = run_text(script.s, NULL, &msg);
	CHECK(status == GP_OK);
	CHECK(msg != NULL && strcmp(msg, want.s) == 0);
	if (!msg || strcmp(msg, want.s) != 0)
		printf("  gnuplot printed:\n%s\n", msg ? msg : "(nothing)");
	check_nothing_ran("print round trip");
	free(msg);
	free(script.s);
	free(want.s);
}

/* a data line that reads like the end marker does not end the block */
static void test_datablock_run(void)
{
	char touch[256], *text = NULL, *msg = NULL;
	const char *lines[] = {
		"1 2", "EOD", "EOD 3 4", "EOD1", " EOD2", "EODX", touch,
		"EOD\nprint 'LEAK'", "2 3",
	};
	enum { N = sizeof lines / sizeof lines[0] };
	size_t len = 0;
	struct buf want = { 0 };
	FILE *f;

	snprintf(touch, sizeof touch, "!touch %s/datablock", pwn_dir);
	f = open_memstream(&text, &len);
	gp_put_datablock(f, "tt_d", lines, N);
	fputs("print |$tt_d|\ndo for [i=1:|$tt_d|] { print $tt_d[i] }\n", f);
	fclose(f);

	buf_str(&want, "9");
	for (int i = 0; i < N; i++) {
		char *s = sanitized(lines[i]);
		buf_str(&want, "\n");
		buf_str(&want, s);
		free(s);
	}
	CHECK(run_text(text, NULL, &msg) == GP_OK);
	/* the indented line keeps its blank; the message loses none inside */
	CHECK(msg != NULL && strcmp(msg, want.s) == 0);
	if (!msg || strcmp(msg, want.s) != 0)
		printf("  gnuplot printed:\n%s\n", msg ? msg : "(nothing)");
	check_nothing_ran("data block");
	free(msg);
	free(text);
	free(want.s);
}

static const char *const kind_names[] = {
	"line", "prepost", "event", "forest", "bar", "step"
};

static char *render(enum gp_kind kind, const char *name, size_t *len, int *status)
{
	struct gp_chart c;
	const char *err;
	char path[512], *text, *msg = NULL, *file;

	hostile_chart(&c, kind);
	text = chart_text(&c, &err);
	snprintf(path, sizeof path, "%s/%s", out_dir, name);
	*status = run_text(text, path, &msg);
	if (*status != GP_OK)
		printf("  %s: %s\n", name, msg ? msg : "(no message)");
	/* the empty series makes gnuplot warn, nothing else */
	free(msg);
	free(text);
	file = slurp(path, len);
	return file;
}

static void test_render_kinds(void)
{
	for (int k = 0; k < 6; k++) {
		char name[64];
		size_t len = 0;
		int status, idx[16], n;
		char *svg, *png;

		snprintf(name, sizeof name, "%s.svg", kind_names[k]);
		svg = render((enum gp_kind)k, name, &len, &status);
		CHECK(status == GP_OK);
		CHECK(svg != NULL && len > 100);
		if (!svg)
			continue;
		CHECK(strncmp(svg, "<?xml", 5) == 0);
		CHECK(contains(svg, len, "</svg>"));
		CHECK(!contains(svg, len, "]]>"));
		n = shown_texts((enum gp_kind)k, idx);
		for (int i = 0; i < n; i++) {
			char *t = svg_text(hostile[idx[i]]);
			CHECK(contains(svg, len, t));
			if (!contains(svg, len, t))
				printf("  %s lacks %s\n", name, t);
			free(t);
		}
		free(svg);

		snprintf(name, sizeof name, "%s.png", kind_names[k]);
		png = render((enum gp_kind)k, name, &len, &status);
		CHECK(status == GP_OK);
		CHECK(png && len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
		free(png);
		check_nothing_ran(kind_names[k]);
	}
	CHECK(count_entries(out_dir, ".tt-plot-") == 0);
}

/* the synth chart through gnuplot: a well-formed SVG with every text */
static void test_render_synth(void)
{
	static const int shown[] = { 0, 1, 2, 3, 4, 11 };
	struct gp_chart c;
	const char *err;
	char path[512], *text, *msg = NULL, *svg;
	size_t len = 0;

	synth_chart(&c);
	text = chart_text(&c, &err);
	snprintf(path, sizeof path, "%s/synth.svg", out_dir);
	CHECK(run_text(text, path, &msg) == GP_OK);
	free(msg);
	free(text);
	svg = slurp(path, &len);
	CHECK(svg != NULL && strncmp(svg, "<?xml", 5) == 0 && contains(svg, len, "</svg>"));
	for (size_t i = 0; svg && i < sizeof shown / sizeof shown[0]; i++) {
		char *t = svg_text(hostile[shown[i]]);
		CHECK(contains(svg, len, t));
		if (!contains(svg, len, t))
			printf("  synth.svg lacks %s\n", t);
		free(t);
	}
	free(svg);
	check_nothing_ran("synth");
}

static void test_reproducible(void)
{
	size_t la = 0, lb = 0;
	int status;
	char *a = render(GP_EVENT, "again1.svg", &la, &status);
	char *b = render(GP_EVENT, "again2.svg", &lb, &status);
	char *p, *q;

	CHECK(a && b && la == lb && memcmp(a, b, la) == 0);
	free(a);
	free(b);

	p = render(GP_FOREST, "r1.pdf", &la, &status);
	CHECK(status == GP_OK && p && strncmp(p, "%PDF-", 5) == 0);
	CHECK(p && contains(p, la, "/CreationDate (D:20000101000000"));
	sleep(1);	/* a second later: the date would differ */
	q = render(GP_FOREST, "r2.pdf", &lb, &status);
	CHECK(p && q && la == lb && memcmp(p, q, la) == 0);
	free(p);
	free(q);
}

/* without an output file: dumb, on our standard output */
static void test_dumb(void)
{
	struct gp_chart c;
	const char *err;
	char path[512], *text, *msg = NULL, *got;
	size_t len = 0;
	int saved, fd, status;

	hostile_chart(&c, GP_LINE);
	c.title = "dumb chart title";
	text = chart_text(&c, &err);
	snprintf(path, sizeof path, "%s/dumb.txt", out_dir);
	fflush(stdout);
	saved = dup(1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 1);
	close(fd);
	status = run_text(text, NULL, &msg);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	CHECK(status == GP_OK);
	got = slurp(path, &len);
	CHECK(got && contains(got, len, "dumb chart title"));
	free(got);
	free(msg);
	free(text);
	unlink(path);
}

static void write_small(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

static void test_failures(void)
{
	char path[512], *msg = NULL, *old;
	size_t len = 0;
	int status;

	/* a gnuplot error: the old file stays, no temporary file is left */
	snprintf(path, sizeof path, "%s/keep.svg", out_dir);
	write_small(path, "old");
	status = run_text("plot $no_such_block using 1:2\n", path, &msg);
	CHECK(status == GP_FAILED);
	CHECK(msg && strstr(msg, "gnuplot failed (exit status 1)") &&
	      strstr(msg, "line 5"));
	old = slurp(path, &len);
	CHECK(old && strcmp(old, "old") == 0);
	free(old);
	free(msg);
	msg = NULL;
	CHECK(count_entries(out_dir, ".tt-plot-") == 0);

	/* gnuplot stops at the first error: the command after it never runs */
	{
		char script[512];
		snprintf(script, sizeof script, "no_such_command\n!touch %s/after\n",
			 pwn_dir);
		CHECK(run_text(script, path, &msg) == GP_FAILED);
		free(msg);
		msg = NULL;
		check_nothing_ran("after an error");
	}

	/* an output directory that does not exist */
	snprintf(path, sizeof path, "%s/no/such/dir.svg", out_dir);
	CHECK(run_text("plot x\n", path, &msg) == GP_SYSTEM);
	CHECK(msg && strstr(msg, "cannot create a file in"));
	free(msg);
	msg = NULL;

	/* a hostile output name is only a name: gnuplot never sees it */
	snprintf(path, sizeof path, "%s/|touch x_pipe.svg", out_dir);
	CHECK(run_text("plot x\n", path, &msg) == GP_OK);
	CHECK(access(path, F_OK) == 0);
	snprintf(path, sizeof path, "%s/x_pipe.svg", out_dir);
	CHECK(access(path, F_OK) != 0);
	free(msg);
	msg = NULL;
	check_nothing_ran("output name");
}

/* run with standard input closed, so that pipe() hands out descriptor 0 */
static void test_closed_stdin(void)
{
	char path[512], *msg = NULL;
	int saved = dup(0);
	int status;
	size_t len = 0;
	char *svg;

	snprintf(path, sizeof path, "%s/closed.svg", out_dir);
	close(0);
	status = run_text("plot x title 'closed stdin'\n", path, &msg);
	dup2(saved, 0);
	close(saved);
	CHECK(status == GP_OK);
	svg = slurp(path, &len);
	CHECK(svg && contains(svg, len, "closed stdin"));
	free(svg);
	free(msg);
}

static void test_missing_gnuplot(void)
{
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	char *msg = NULL, path[512];
	int status;

	setenv("PATH", pwn_dir, 1);	/* an empty directory */
	snprintf(path, sizeof path, "%s/missing.svg", out_dir);
	status = run_text("plot x\n", path, &msg);
	if (old)
		setenv("PATH", old, 1);
	else
		unsetenv("PATH");
	free(old);
	CHECK(status == GP_NO_GNUPLOT);
	CHECK(msg && strstr(msg, "gnuplot-nox"));
	CHECK(access(path, F_OK) != 0);
	CHECK(count_entries(out_dir, ".tt-plot-") == 0);
	free(msg);
}

int main(void)
{
	unit_start();
	if (!mkdtemp(pwn_dir) || !mkdtemp(out_dir)) {
		printf("FAIL cannot make temporary directories: %s\n", strerror(errno));
		return 1;
	}
	make_hostile();
	have_gnuplot = in_path("gnuplot");

	test_quote_text();
	test_clean_text();
	test_quote_path();
	test_end_marker();
	test_pages();
	test_chart_text();
	test_synth_chart();
	test_numbers();
	test_missing_gnuplot();
	if (have_gnuplot) {
		test_print_round_trip();
		test_datablock_run();
		test_render_kinds();
		test_render_synth();
		test_reproducible();
		test_dumb();
		test_failures();
		test_closed_stdin();
	} else {
		printf("SKIP gnuplot is not installed (Debian package gnuplot-nox): "
		       "the checks that run it were skipped\n");
	}
	check_nothing_ran("the end");

	for (int i = 0; i < NHOSTILE; i++)
		free(hostile[i]);
	remove_dir(out_dir);
	remove_dir(pwn_dir);
	return unit_summary();
}
