/* gp_quote and gp_quote_path (gnuplot.h): every string taken from data or
 * options on its way into a gnuplot script.
 *
 * The input is the text (cut at a NUL, as a C string would be).  The quoted
 * result is read back by a small model of gnuplot 5.4's scanner (checked
 * against the real program: 'a''b' is a'b, but a '' at the start of a string
 * or right after another '' ends the string).  Invariants:
 * - the result holds no control byte (a newline ends a command even inside
 *   quotes) and is one string expression: single-quoted pieces and "\047"
 *   joined by '.', nothing else, so no backquote or @macro is ever outside
 *   single quotes, and no piece holds \U+ (an escape in gnuplot 6);
 * - it evaluates to the text with every control byte made a space;
 * - gnuplot's macro pass, which counts every quote it sees, finds every @
 *   inside quotes;
 * - gp_quote_path gives the path, or "./" and the path when the path does not
 *   start with a plain character, so the name never starts with | < or ~. */
#include "gnuplot.h"
#include "gpscan.h"

/* The value of a string expression as gnuplot 5.4 reads it; NULL when it
 * is not made only of single-quoted pieces and "\047" joined by '.'. */
static char *evaluate(const char *e)
{
	size_t k = 0;
	const char *p = e;
	char *out = malloc(strlen(e) + 1);

	if (!out)
		abort();
	for (;;) {
		if (*p == '\'') {
			const char *close = gpscan_single(p, out, &k);

			if (!close)
				goto bad;	/* unterminated */
			/* \U+ inside a piece would be an escape in gnuplot 6 */
			for (const char *j = p + 1; j + 2 < close; j++)
				if (j[0] == '\\' && j[1] == 'U' && j[2] == '+')
					goto bad;
			p = close + 1;
		} else if (strncmp(p, "\"\\047\"", 6) == 0) {
			out[k++] = '\'';
			p += 6;
		} else {
			goto bad;
		}
		if (*p == '\0')
			break;
		if (*p != '.')
			goto bad;
		p++;
	}
	out[k] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static void check_quoted(const char *q, const char *text, const char *prefix)
{
	char *value, *want;
	size_t np = strlen(prefix), nt = strlen(text);

	for (const unsigned char *p = (const unsigned char *)q; *p; p++)
		CHECK(*p >= 0x20 && *p != 0x7f);
	gpscan_check_macros(q);
	value = evaluate(q);
	CHECK(value != NULL);
	want = malloc(np + nt + 1);
	if (!want)
		abort();
	memcpy(want, prefix, np);
	for (size_t i = 0; i < nt; i++) {
		unsigned char c = (unsigned char)text[i];
		want[np + i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	want[np + nt] = '\0';
	CHECK(strcmp(value, want) == 0);
	free(want);
	free(value);
}

static int plain(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '/';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int first = 1;
	char *text = fuzz_cstr(data, size);
	char *q = gp_quote(text), *qp, *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (first) {
		char *empty = gp_quote(NULL);
		CHECK(strcmp(empty, "''") == 0);
		free(empty);
		first = 0;
	}
	check_quoted(q, text, "");

	/* gp_put_quoted writes the same */
	mem = open_memstream(&buf, &len);
	CHECK(mem != NULL);
	gp_put_quoted(mem, text);
	fclose(mem);
	CHECK(strcmp(buf, q) == 0);
	free(buf);

	qp = gp_quote_path(text);
	check_quoted(qp, text, plain(text[0]) ? "" : "./");

	free(qp);
	free(q);
	free(text);
	return 0;
}
