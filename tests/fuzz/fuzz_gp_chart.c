/* gp_write_script (gnuplot.h): whole chart scripts built from data, the
 * way tt-plot --script writes them.
 *
 * Input: a flags byte, then texts and numbers.  The texts come first,
 * separated by 0x1E (title, xlabel, ylabel, event label, band label, output
 * file name, then one per series name or row label); a 0x1D byte ends them,
 * and what follows is a stream of numbers: each byte picks an interesting
 * value (0, -0, 1, NaN, inf, 1e308, a subnormal, years...) or, from 0xF0
 * up, takes the next 8 bytes as a raw double.  Flags: bits 0-2 the chart
 * kind, bits 3-4 the terminal, bit 5 an event line.
 *
 * Invariants: the script ends with `unset output`; every data block ends
 * at its own marker line and holds only lines of finite numbers (a NaN or
 * inf never reaches gnuplot), marker colours and hover texts in double
 * quotes that hold none; every other line reads as gnuplot commands in
 * which every string literal is terminated on its line, no double-quoted
 * string holds a backquote, every % in a tic label is doubled (gnuplot
 * reads tic labels as formats), and outside string literals there is no
 * backquote, no @ (macro), no ';' (a second command), no '!' or '|' (a
 * shell) and no "system" -- so no text from the input can run anything.
 * TT_FUZZ_VERBOSE=1 writes each script to standard output. */
#include <math.h>

#include "gnuplot.h"
#include "gpscan.h"
#include "number.h"

struct stream {
	const uint8_t *p, *end;
};

static double next_number(struct stream *s)
{
	static const double pick[] = {
		0.0, -0.0, 1.0, -1.0, 0.5, 2000, 2001, 2010, -3, 1e308, -1e308,
		4.9e-324, 1e-300, 123456789012345678.0, 0.1, 1e15,
	};
	uint8_t b;

	if (s->p >= s->end)
		return 1.0;
	b = *s->p++;
	if (b >= 0xF0 && s->end - s->p >= 8) {
		double d;
		memcpy(&d, s->p, sizeof d);
		s->p += 8;
		return d;
	}
	switch (b % 20) {
	case 16: return NAN;
	case 17: return INFINITY;
	case 18: return -INFINITY;
	case 19: return (double)b - 100;
	default: return pick[b % 20];
	}
}

static size_t next_count(struct stream *s)
{
	return s->p < s->end ? *s->p++ % 12 : 0;
}

/* ---- reading the script back --------------------------------------------- */

static int digits_only(const char *p)
{
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* 0x and six hex digits: a marker's colour (lc rgb variable) */
static int rgb_colour(const char *p, size_t n)
{
	if (n != 8 || p[0] != '0' || p[1] != 'x')
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!strchr("0123456789ABCDEFabcdef", p[i]))
			return 0;
	return 1;
}

/* A data line: empty, or fields separated by single spaces, each a finite
 * number, a marker's colour (0xRRGGBB), or a hover text in double quotes
 * that holds no double quote (gnuplot's data lines cannot escape one). */
static void check_data_line(const char *line)
{
	const char *p = line;

	if (*p == '\0')
		return;
	for (;;) {
		const char *sp;
		size_t n;
		double v;

		if (*p == '"') {
			const char *q = strchr(p + 1, '"');

			CHECK(q != NULL);
			sp = q[1] ? q + 1 : NULL;
			CHECK(!sp || *sp == ' ');
		} else {
			sp = strchr(p, ' ');
			n = sp ? (size_t)(sp - p) : strlen(p);
			CHECK(n > 0);
			CHECK(rgb_colour(p, n) ||
			      (parse_number(p, n, &v) == NUM_OK && isfinite(v)));
		}
		if (!sp)
			break;
		p = sp + 1;
	}
}

static void check_command_line(const char *line)
{
	const char *p = line;
	char *outside = malloc(strlen(line) + 1);
	size_t k = 0;

	if (!outside)
		abort();
	gpscan_check_macros(line);
	while (*p) {
		if (*p == '\'') {
			p = gpscan_single(p, NULL, NULL);
			CHECK(p != NULL);	/* unterminated */
			p++;
			outside[k++] = 'S';
		} else if (*p == '"') {
			for (p++; *p != '"'; p++) {
				CHECK(*p != '\0');
				CHECK(*p != '`');
				if (*p == '\\' && p[1])
					p++;
			}
			p++;
			outside[k++] = 'S';
		} else if (*p == '#') {
			break;	/* a comment to the end of the line */
		} else {
			outside[k++] = *p++;
		}
	}
	outside[k] = '\0';
	CHECK(strpbrk(outside, "`@;!|") == NULL);
	CHECK(strstr(outside, "system") == NULL);
	free(outside);
}

/* gnuplot reads the label of a tic list as a printf format for the tic's
 * value: 'a%s' shows as a1.000000 and '50% rise' stops the plot with "Bad
 * format character".  A label from data must reach it with every %
 * doubled. */
static void check_tic_labels(const char *line)
{
	const char *p;

	if (strncmp(line, "set xtics ", 10) != 0 && strncmp(line, "set ytics ", 10) != 0)
		return;
	for (p = line; (p = strchr(p, '%')) != NULL; p += 2)
		CHECK(p[1] == '%');
}

static void check_script(char *script)
{
	char *line = script, *marker = NULL;
	int saw_end = 0;

	CHECK(strlen(script) >= 13 &&
	      strcmp(script + strlen(script) - 13, "unset output\n") == 0);
	while (*line) {
		char *nl = strchr(line, '\n');

		CHECK(nl != NULL);
		*nl = '\0';
		for (const unsigned char *c = (const unsigned char *)line; *c; c++)
			CHECK(*c >= 0x20 && *c != 0x7f);
		if (marker) {
			if (strncmp(line, marker, strlen(marker)) == 0) {
				CHECK(strcmp(line, marker) == 0);
				free(marker);
				marker = NULL;
			} else {
				check_data_line(line);
			}
		} else if (line[0] == '$') {
			/* $tt_name << MARKER */
			char *arrow = strstr(line, " << ");
			CHECK(arrow != NULL);
			for (char *c = line + 1; c < arrow; c++)
				CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
				      *c == '_');
			CHECK(strncmp(arrow + 4, "EOD", 3) == 0 && digits_only(arrow + 7));
			marker = malloc(strlen(arrow + 4) + 1);
			if (!marker)
				abort();
			strcpy(marker, arrow + 4);
		} else {
			check_command_line(line);
			check_tic_labels(line);
			saw_end |= strcmp(line, "unset output") == 0;
		}
		line = nl + 1;
	}
	CHECK(marker == NULL);
	CHECK(saw_end);
}

/* ---- building the chart ----------------------------------------------------- */

static const char *text_or_null(char **t, size_t nt, size_t i)
{
	return i < nt && t[i][0] ? t[i] : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum gp_terminal terms[] = {
		GP_TERM_DUMB, GP_TERM_PNG, GP_TERM_SVG, GP_TERM_PDF,
	};
	const uint8_t *gs;
	size_t text_len, nt, nitems;
	char **t;
	struct stream num;
	struct gp_chart chart;
	struct gp_page page;
	struct gp_series *series = NULL;
	struct gp_estimate *rows = NULL;
	double **xs = NULL;
	const char *err;
	char *buf = NULL;
	size_t len = 0;
	unsigned flags;
	FILE *mem;

	if (size == 0)
		return 0;
	flags = data[0];
	data++, size--;
	gs = memchr(data, 0x1D, size);
	text_len = gs ? (size_t)(gs - data) : size;
	nt = fuzz_pieces(data, text_len, 0x1E, &t);
	num.p = gs ? gs + 1 : data + size;
	num.end = data + size;

	gp_chart_init(&chart, (enum gp_kind)(flags & 7) % 7);
	chart.title = text_or_null(t, nt, 0);
	chart.xlabel = text_or_null(t, nt, 1);
	chart.ylabel = text_or_null(t, nt, 2);
	chart.event_label = text_or_null(t, nt, 3);
	chart.band_label = text_or_null(t, nt, 4);
	page.term = terms[(flags >> 3) & 3];
	page.font_scale = flags & 0x80 ? 2.5 : 0;
	page.dpi = flags & 0x80 ? 254 : 0;
	chart.hover = (flags & 0x40) != 0;	/* hover texts hold the labels too */
	chart.log_y = (flags & 0x80) != 0;
	page.width = (int)next_count(&num) * 100;
	page.height = (int)next_count(&num) * 50;
	page.output = page.term == GP_TERM_DUMB ? NULL :
		      nt > 5 ? t[5] : "chart.svg";
	if (flags & 0x20)
		chart.event_x = next_number(&num);
	chart.fit_pre.x0 = next_number(&num);
	chart.fit_pre.y0 = next_number(&num);
	chart.fit_pre.x1 = next_number(&num);
	chart.fit_pre.y1 = next_number(&num);
	chart.fit_post = chart.fit_pre;
	chart.fit_post.x0 = chart.fit_pre.x1;

	/* one series or row per remaining text, at least one */
	nitems = nt > 6 ? nt - 6 : 1;
	series = calloc(nitems, sizeof *series);
	rows = calloc(nitems, sizeof *rows);
	xs = calloc(2 * nitems, sizeof *xs);
	if (!series || !rows || !xs)
		abort();
	for (size_t i = 0; i < nitems; i++) {
		const char *name = 6 + i < nt ? t[6 + i] : NULL;
		size_t n = next_count(&num);

		xs[2 * i] = malloc((n ? n : 1) * sizeof **xs);
		xs[2 * i + 1] = malloc((n ? n : 1) * sizeof **xs);
		if (!xs[2 * i] || !xs[2 * i + 1])
			abort();
		for (size_t j = 0; j < n; j++) {
			xs[2 * i][j] = next_number(&num);
			xs[2 * i + 1][j] = next_number(&num);
		}
		series[i] = (struct gp_series){ name, xs[2 * i], xs[2 * i + 1], n };
		rows[i].label = name ? name : "";
		rows[i].rel_year = next_number(&num);
		rows[i].estimate = next_number(&num);
		rows[i].conf_low = next_number(&num);
		rows[i].conf_high = next_number(&num);
	}
	chart.series = series;
	chart.nseries = nitems;
	chart.rows = rows;
	chart.nrows = nitems;

	mem = open_memstream(&buf, &len);
	CHECK(mem != NULL);
	err = gp_write_script(mem, &chart, &page);
	fclose(mem);
	CHECK(err == NULL || strncmp(err, "nothing to plot", 15) == 0);
	if (getenv("TT_FUZZ_VERBOSE"))
		fputs(buf, stdout);	/* to try it on gnuplot */
	check_script(buf);

	free(buf);
	for (size_t i = 0; i < 2 * nitems; i++)
		free(xs[i]);
	free(xs);
	free(series);
	free(rows);
	fuzz_free_pieces(t, nt);
	return 0;
}
