/* gp_end_marker and gp_put_datablock (gnuplot.h): inline data blocks,
 * which gnuplot ends at the first line that starts with the end marker.
 *
 * The input is the list of lines, separated by 0x1E bytes (so that a line
 * can hold a newline or any other control byte; a NUL cuts a line short, as
 * in a C string).  Invariants:
 * - a marker is EOD followed by digits or nothing; gp_end_marker's is one
 *   that no given line starts with, also after leading blanks;
 * - the block as written is `$name << MARKER`, one output line per input
 *   line with control bytes made spaces, and the marker: exactly n + 2
 *   lines, so no input line can end the block early or run commands after
 *   it (gnuplot 5.4: a line ends the block when its first strlen(MARKER)
 *   bytes are the marker);
 * - as gnuplot.h promises, no written data line starts with the marker
 *   after leading blanks either (in case a later gnuplot lets the marker be
 *   indented). */
#include "fuzz.h"
#include "gnuplot.h"

static void check_marker(const char *m)
{
	CHECK(strncmp(m, "EOD", 3) == 0);
	for (const char *p = m + 3; *p; p++)
		CHECK(*p >= '0' && *p <= '9');
}

static char *clean(const char *s)
{
	char *c = malloc(strlen(s) + 1), *o = c;

	if (!c)
		abort();
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		*o++ = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
	*o = '\0';
	return c;
}

/* no line starts with the marker, also after leading blanks */
static void check_clear(const char *marker, char **lines, size_t n)
{
	size_t mlen = strlen(marker);

	for (size_t i = 0; i < n; i++) {
		CHECK(strncmp(lines[i], marker, mlen) != 0);
		CHECK(strncmp(lines[i] + strspn(lines[i], " \t"), marker, mlen) != 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int first = 1;
	char **lines, **written, *marker, *buf = NULL, *p, *nl;
	size_t n = fuzz_pieces(data, size, 0x1E, &lines), len = 0;
	FILE *mem;

	if (first) {
		char *m = gp_end_marker(NULL, 0);
		CHECK(strcmp(m, "EOD") == 0);
		free(m);
		first = 0;
	}
	/* gp_end_marker on the lines as given */
	marker = gp_end_marker((const char *const *)lines, n);
	check_marker(marker);
	check_clear(marker, lines, n);
	free(marker);

	mem = open_memstream(&buf, &len);
	CHECK(mem != NULL);
	gp_put_datablock(mem, "tt_s0", (const char *const *)lines, n);
	fclose(mem);

	/* $tt_s0 << MARKER */
	CHECK(strncmp(buf, "$tt_s0 << ", 10) == 0);
	nl = strchr(buf, '\n');
	CHECK(nl != NULL);
	*nl = '\0';
	marker = buf + 10;
	check_marker(marker);
	p = nl + 1;
	written = malloc((n ? n : 1) * sizeof *written);
	if (!written)
		abort();
	for (size_t k = 0; k < n; k++) {
		char *want = clean(lines[k]);

		nl = strchr(p, '\n');
		CHECK(nl != NULL);
		*nl = '\0';
		CHECK(strcmp(p, want) == 0);
		written[k] = p;
		free(want);
		p = nl + 1;
	}
	/* gnuplot 5.4 ends the block at the marker line and not before;
	 * gnuplot.h promises no line starts with it after blanks either */
	check_clear(marker, written, n);
	CHECK(strncmp(p, marker, strlen(marker)) == 0);
	CHECK(strcmp(p + strlen(marker), "\n") == 0);

	free(written);
	free(buf);
	fuzz_free_pieces(lines, n);
	return 0;
}
