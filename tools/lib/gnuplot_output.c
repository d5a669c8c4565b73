/* After gnuplot: the file it wrote, read back and made well-formed and
 * reproducible (the SVG's hover titles and "]]>", the PDF's creation date)
 * before gnuplot_run renames it into place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"
#include "gnuplot_int.h"
#include "strbuf.h"

static int read_file(const char *path, struct strbuf *t)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(t, buf, n);
	n = (size_t)ferror(f);
	fclose(f);
	if (!t->s)
		sb_add(t, "", 0);
	return n ? -1 : 0;
}

static int write_file(const char *path, const char *s, size_t len)
{
	FILE *f = fopen(path, "wb");
	int bad;

	if (!f)
		return -1;
	bad = fwrite(s, 1, len, f) != len;
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}

/* Rewrites `from` as `to` everywhere, from the text `done` has not copied. */
static void replace_all(struct strbuf *out, const char **p, const char *from,
			const char *to, int *changed)
{
	const char *hit;

	while ((hit = strstr(*p, from)) != NULL) {
		sb_add(out, *p, (size_t)(hit - *p));
		sb_add(out, to, strlen(to));
		*p = hit + strlen(from);
		*changed = 1;
	}
}

/* A rewrite of t built in out up to rest: when anything was rewritten,
 * out with the rest of t becomes t; else out goes and t stays. */
static void take_rewrite(struct strbuf *t, struct strbuf *out, const char *rest, int any,
			 int *changed)
{
	if (!any) {
		free(out->s);
		return;
	}
	sb_add(out, rest, strlen(rest));
	free(t->s);
	*t = *out;
	*changed = 1;
}

/* gnuplot's svg hover groups (`with labels hypertext`) call a script that
 * the file does not hold, and keep their text in an attribute:
 *   <g onmousemove="gnuplot_svg.showHypertext(evt,'TEXT')"
 *    onmouseout="gnuplot_svg.hideHypertext()"><title> </title>
 * becomes <g class="tt-hover"><title>TEXT</title>, which a browser shows on
 * hover with no script, also inlined in an HTML page.  TEXT has < and &
 * escaped by gnuplot and no " (hover_text), so it reads the same as
 * element content.  The plot groups' <title>gnuplot_plot_N</title> and the
 * document's <title>Gnuplot</title> would show as tooltips over every line
 * and everywhere on the chart: they go. */
static void svg_titles(struct strbuf *t, int *changed)
{
	static const char open[] = "<g onmousemove=\"gnuplot_svg.showHypertext(evt,'";
	static const char close[] = "')\" onmouseout=\"gnuplot_svg.hideHypertext()\">"
		"<title> </title>";
	static const char plot[] = "><title>gnuplot_plot_";
	struct strbuf out = { 0 };
	const char *p = t->s;
	int any = 0;

	for (;;) {
		const char *a = strstr(p, open), *b = a ? strstr(a, close) : NULL;
		const char *g = strstr(p, plot), *root = strstr(p, "<title>Gnuplot</title>");
		const char *first = a && b ? a : NULL;

		if (g && (!first || g < first) && (!root || g < root)) {
			const char *end = strstr(g, "</title>");
			if (!end)
				break;
			sb_add(&out, p, (size_t)(g - p) + 1);
			p = end + 8;
		} else if (root && (!first || root < first)) {
			sb_add(&out, p, (size_t)(root - p));
			p = root + 22;
		} else if (first) {
			sb_add(&out, p, (size_t)(a - p));
			sb_puts(&out, "<g class=\"tt-hover\"><title>");
			sb_add(&out, a + sizeof open - 1, (size_t)(b - a) - (sizeof open - 1));
			sb_add(&out, "</title>", 8);
			p = b + sizeof close - 1;
		} else {
			break;
		}
		any = 1;
	}
	take_rewrite(t, &out, p, any, changed);
}

/* gnuplot's svg terminal escapes < and & in text but not >, so a label
 * holding "]]>" makes the file ill-formed XML; its output has no CDATA. */
static void fix_svg(struct strbuf *t, int *changed)
{
	struct strbuf out = { 0 };
	const char *p;
	int escaped = 0;

	svg_titles(t, changed);
	p = t->s;
	replace_all(&out, &p, "]]>", "]]&gt;", &escaped);
	take_rewrite(t, &out, p, escaped, changed);
}

/* cairo 1.16 stamps the PDF with the time of day and ignores
 * SOURCE_DATE_EPOCH; overwrite the 14 digits in place (same length, so the
 * cross-reference offsets stay right). */
static void fix_pdf(struct strbuf *t, int *changed)
{
	static const char key[] = "/CreationDate (D:";
	const size_t klen = sizeof key - 1;

	for (size_t off = 0; off + klen + 14 <= t->len; off++) {
		char *digits = t->s + off + klen;
		if (memcmp(t->s + off, key, klen) != 0)
			continue;
		if (strspn(digits, "0123456789") < 14)
			return;
		memcpy(digits, "20000101000000", 14);
		*changed = 1;
		return;
	}
}

int gpr_finish_file(const char *tmp, enum gp_terminal term, char **message)
{
	struct strbuf t = { 0 };
	int changed = 0;

	if (read_file(tmp, &t) != 0 || t.len == 0) {
		*message = xasprintf("gnuplot wrote no chart");
		free(t.s);
		return -1;
	}
	if (term == GP_TERM_SVG)
		fix_svg(&t, &changed);
	else if (term == GP_TERM_PDF)
		fix_pdf(&t, &changed);
	if (changed && write_file(tmp, t.s, t.len) != 0) {
		*message = xasprintf("cannot write %s: %s", tmp, strerror(errno));
		free(t.s);
		return -1;
	}
	free(t.s);
	return 0;
}
