/* A chart's script: the house style, the labels, and the kind's own part
 * (gnuplot_line.c, gnuplot_estimates.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gnuplot.h"
#include "gnuplot_int.h"


/* ---- style ------------------------------------------------------------------ */

/* Okabe & Ito's colour-blind-safe palette; yellow last, it is faint on white */
static const char *const palette[NCOLOURS] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7",
	"#E69F00", "#56B4E9", "#000000", "#F0E442",
};
static const int point_types[NCOLOURS] = { 7, 5, 9, 13, 11, 7, 5, 9 };

static void write_style(FILE *out)
{
	fputs("# house style: plain report look\n"
	      "set border 3 lc rgb '#555555'\n"
	      "set tics nomirror out scale 0.5\n"
	      "set grid lc rgb '#d9d9d9' lw 1 dt solid\n"
	      /* below the chart, where it hides no data; `height 1` keeps
	       * it clear of the x label (gnuplot 5.4 sets them touching) */
	      "set key below Left reverse nobox samplen 2.5 height 1\n"
	      "set style fill solid 0.85 noborder\n", out);
	for (int i = 0; i < NCOLOURS; i++)
		fprintf(out, "set linetype %d lc rgb '%s' lw 2 pt %d ps 0.7\n",
			i + 1, palette[i], point_types[i]);
	fprintf(out, "set linetype cycle %d\n", NCOLOURS);
}

static void write_labels(FILE *out, const struct gp_chart *c)
{
	static const char *const what[] = { "title", "xlabel", "ylabel" };
	const char *text[] = { c->title, c->xlabel, c->ylabel };

	for (int i = 0; i < 3; i++) {
		if (!text[i] || !*text[i])
			continue;
		fprintf(out, "set %s ", what[i]);
		gp_put_quoted(out, text[i]);
		putc('\n', out);
	}
}

/* ---- charts ------------------------------------------------------------------- */

void gp_chart_init(struct gp_chart *c, enum gp_kind kind)
{
	const struct gp_segment none = { NAN, NAN, NAN, NAN };

	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->event_x = kind == GP_EVENT ? -0.5 : NAN;
	c->fit_pre = c->fit_post = none;
	c->pooled_n = NAN;
	c->range_lo = c->range_hi = NAN;
}

const char *gp_write_chart(FILE *out, const struct gp_chart *c)
{
	const char *err = "unknown chart kind";

	write_style(out);
	write_labels(out, c);
	switch (c->kind) {
	case GP_LINE:    err = gpc_write_line(out, c); break;
	case GP_PREPOST: err = gpc_write_prepost(out, c); break;
	case GP_EVENT:   err = gpc_write_event(out, c); break;
	case GP_FOREST:  err = gpc_write_forest(out, c); break;
	case GP_BAR:     err = gpc_write_bar(out, c); break;
	case GP_STEP:    err = gpc_write_step(out, c); break;
	case GP_SYNTH:   err = gpc_write_synth(out, c); break;
	}
	/* closing the output finishes the file (a PDF is written on close) */
	fputs("unset output\n", out);
	return err;
}

const char *gp_write_script(FILE *out, const struct gp_chart *c,
			    const struct gp_page *page)
{
	gp_write_header(out, page);
	return gp_write_chart(out, c);
}
