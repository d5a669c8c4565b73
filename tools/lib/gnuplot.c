/* Charts through gnuplot, the base of the layer: the safety of what we send,
 * every string quoted and every data block ended (the fuzzed part: the
 * harnesses tests/fuzz/fuzz_gp_*.c).  The page and the script's header are in
 * gnuplot_page.c, a chart's script in gnuplot_chart.c (and, by kind,
 * gnuplot_line.c and gnuplot_estimates.c), the runner in gnuplot_run.c.
 * What gnuplot 5.4 does with the text we send, and so what we guard against
 * here (checked against the real program by tests/unit/test_gnuplot.c):
 *
 * - Before a command line is scanned, @name is replaced by the string
 *   variable `name` unless it is inside quotes; the macro pass counts every
 *   ' and " it sees, whichever kind of quote it is in.
 * - The scanner replaces `command` by the command's output, unquoted and in
 *   double quotes, never inside single quotes; in single quotes a backslash
 *   is an ordinary character and '' stands for ', but only when the '' comes
 *   right after a character other than ': a ' at the start of a string, or
 *   two in a row, ends the string there instead.
 * - A newline ends a command even inside quotes.
 * - `set output '|cmd'` opens a pipe to a shell command.
 * - `$name << EOD` takes lines until one *starts with* EOD.
 * - Enhanced text (^ _ @ & ~ { }) applies to single-quoted text too, unless
 *   the terminal is noenhanced, which all of ours are. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "gnuplot.h"
#include "gnuplot_int.h"
#include "strbuf.h"
#include "utf8.h"

/* ---- quoting -------------------------------------------------------------- */

static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

char *gp_quote(const char *text)
{
	struct strbuf t = { 0 };
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	int piece_empty = 1;	/* nothing since the piece's opening quote */
	int after_quote = 0;	/* the last content byte was a ' */

	sb_addc(&t, '\'');
	for (; *p; p++) {
		if (*p == '\\' && p[1] == 'U' && p[2] == '+') {
			/* gnuplot 6 documents \U+XXXX escapes in single
			 * quotes too: split the piece so none forms */
			sb_add(&t, "\\'.'", 4);
			piece_empty = 1;
			after_quote = 0;
		} else if (*p != '\'') {
			sb_addc(&t, is_control(*p) ? ' ' : (char)*p);
			piece_empty = after_quote = 0;
		} else if (!piece_empty && !after_quote) {
			sb_add(&t, "''", 2);
			after_quote = 1;
		} else {
			/* the scanner would end the string here: close the
			 * piece and concatenate the quote from octal */
			sb_add(&t, "'.\"\\047\".'", 10);
			piece_empty = 1;
			after_quote = 0;
		}
	}
	sb_addc(&t, '\'');
	return sb_take(&t);
}

void gp_put_quoted(FILE *out, const char *text)
{
	char *q = gp_quote(text);
	fputs(q, out);
	free(q);
}

static int plain_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/';
}

char *gp_quote_path(const char *path)
{
	char *dotted, *q;

	if (plain_start(path[0]))
		return gp_quote(path);
	dotted = xmalloc(strlen(path) + 3);
	strcpy(dotted, "./");
	strcat(dotted, path);
	q = gp_quote(dotted);
	free(dotted);
	return q;
}

char *gp_clean_text(const char *s, size_t len)
{
	char *out = xmalloc(3 * len + 1);
	size_t o = 0;

	while (len > 0) {
		size_t ok = utf8_invalid_at(s, len);
		memcpy(out + o, s, ok);
		o += ok;
		s += ok;
		len -= ok;
		if (len > 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			s++;
			len--;
		}
	}
	out[o] = '\0';
	return out;
}

/* ---- data blocks ------------------------------------------------------------- */

/* gnuplot's own test: the line's first strlen(marker) bytes */
static int starts_with(const char *line, const char *marker)
{
	return strncmp(line, marker, strlen(marker)) == 0;
}

static int marker_clashes(const char *marker, const char *const *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i];
		if (starts_with(l, marker))
			return 1;
		l += strspn(l, " \t");
		if (starts_with(l, marker))
			return 1;
	}
	return 0;
}

char *gp_end_marker(const char *const *lines, size_t n)
{
	char marker[32] = "EOD";

	/* each line rules out at most one marker of each length, so this ends */
	for (unsigned long k = 1; marker_clashes(marker, lines, n); k++)
		snprintf(marker, sizeof marker, "EOD%lu", k);
	return xstrdup(marker);
}

void gp_put_datablock(FILE *out, const char *name,
		      const char *const *lines, size_t n)
{
	char **clean = xcalloc(n, sizeof *clean);
	char *marker;

	/* the marker is checked against the lines as gnuplot will read them */
	for (size_t i = 0; i < n; i++) {
		clean[i] = xstrdup(lines[i]);
		for (char *p = clean[i]; *p; p++)
			if (is_control((unsigned char)*p))
				*p = ' ';
	}
	marker = gp_end_marker((const char *const *)clean, n);
	fprintf(out, "$%s << %s\n", name, marker);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\n", clean[i]);
		free(clean[i]);
	}
	fprintf(out, "%s\n", marker);
	free(marker);
	free(clean);
}


void gpc_lines_printf(struct lines *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void gpc_lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void gpc_lines_put(FILE *out, const char *name, struct lines *l)
{
	gp_put_datablock(out, name, (const char *const *)l->v, l->n);
	gpc_lines_free(l);
}
