/* tt-plot: charts of tt tables through gnuplot.
 *
 * Each chart kind reads its table into a struct gp_chart (the readers:
 * tools/lib/gnuplot_input.h); the library writes the gnuplot script, which
 * is printed (--script) or fed to gnuplot (gp_draw).  Here are the options
 * and the page (its size fitted to the chart).  Every string that reaches
 * gnuplot (labels from the data and the options, the file name) passes the
 * library's quoting helper, after gp_clean_text has made it valid UTF-8, so
 * that an SVG stays well-formed.  The data never reach a shell. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "gnuplot.h"
#include "gnuplot_input.h"
#include "number.h"
#include "options.h"

enum {
	O_OUTPUT, O_SCRIPT, O_TITLE, O_XLABEL, O_YLABEL, O_SIZE,
	O_TERM, O_BAND, O_DATE, O_KEY, O_XRANGE, O_SORT, O_LOG, O_EVENT_YEAR,
	O_FONT_SCALE, O_DPI, O_FIT, O_FACET, O_PRE, O_POST, O_DROP_EVENT,
};

static const char *size_arg;
static double font_scale, dpi;

static const char *output_arg;
static const char *label_arg[3];	/* --title, --xlabel, --ylabel; NULL: default */
static int script_only, width, height;
static double range_lo = NAN, range_hi = NAN;
/* the reader's options, from ours and the common ones; the table, in main */
static struct gp_input input = { .fit_model = -1, .date = "ratified", .window = EVENT_WINDOW_ALL };

static void set_sort(const struct tt_opt *o, const char *arg)
{
	/* enum gp_sort's order */
	static const char *const sorts[] = { "estimate", "label", "n", "input", NULL };

	input.sort = (enum gp_sort)opt_choice(o->lname, arg, sorts);
}

/* --font-scale, --dpi */
static void set_scale(const struct tt_opt *o, const char *arg)
{
	int is_dpi = strcmp(o->lname, "dpi") == 0;
	double v;

	if (parse_number(arg, strlen(arg), &v) != NUM_OK || !(v > 0) || v > (is_dpi ? 10000 : 100))
		die_usage("option --%s: '%s' is not a number above 0 and at most %d",
			  o->lname, arg, is_dpi ? 10000 : 100);
	*(is_dpi ? &dpi : &font_scale) = v;
}

static void set_xrange(const struct tt_opt *o, const char *arg)
{
	const char *colon = strchr(arg, ':');

	(void)o;
	if (*arg == '\0') {            /* '' keeps the default */
		range_lo = range_hi = NAN;
		return;
	}
	char *lo = colon ? xstrndup(arg, (size_t)(colon - arg)) : NULL;
	if (!colon || parse_number(lo, strlen(lo), &range_lo) != NUM_OK ||
	    parse_number(colon + 1, strlen(colon + 1), &range_hi) != NUM_OK ||
	    !(range_lo < range_hi))
		die_usage("option --xrange: '%s' is not LO:HI with LO < HI", arg);
	free(lo);
}

static const char *const bands[] = { "pointwise", "uniform", NULL };
static const char *const fits[] = { "linear", "poisson", NULL };

static const struct tool tool = {
	"tt-plot", "KIND [OPTION]... [FILE]...",
	"Draw a chart of a tt table with gnuplot.  KIND is one of\n"
	"  line     a long table: one line per group over time\n"
	"  prepost  a joined table of one group: the series, the event, the segmented fit\n"
	"  event    tt-event's estimates: effect by rel_year with its band\n"
	"  forest   an estimates table: one term per group, with its interval\n"
	"  bar      one bar per group: value (or estimate) with its interval if given\n"
	"  step     an events table: cumulative count of units by the year of their date\n"
	"  synth    tt-synth --detail: the unit against its synthetic control; its gap\n"
	"           against every placebo's\n"
	"Groups: -g, else the columns before term (or rel_year) of an estimates table,\n"
	"else those of iso3,indicator present; step: instrument if present.",
	C_DELIM | C_NA | C_GROUP | C_ALL | C_TIME | C_VALUE | C_MAXG, (const struct tt_opt[]){
		[O_OUTPUT] = OPT_STRING("output", 'o', "FILE", output_arg, "write the chart to FILE, by its extension .png, .svg or .pdf (default: text on standard output)"),
		[O_SCRIPT] = OPT_FLAG("script", 0, script_only, "print the complete gnuplot script instead of running gnuplot"),
		[O_TITLE] = OPT_STRING("title", 0, "TEXT", label_arg[0], "chart title (default none)"),
		[O_XLABEL] = OPT_STRING("xlabel", 0, "TEXT", label_arg[1], "x axis label; '' for none (default depends on KIND)"),
		[O_YLABEL] = OPT_STRING("ylabel", 0, "TEXT", label_arg[2], "y axis label; '' for none (default depends on KIND)"),
		/* --size is read once --dpi is known */
		[O_SIZE] = OPT_STRING("size", 0, "WxH", size_arg, "chart size, in pixels or with units cm, mm, in on each side (e.g. 24cm,15cm); default 800x500, forest and bar grow with their rows"),
		[O_TERM] = OPT_STRING("term", 0, "TERM", input.term, "event, forest, bar, line of estimates: the term to draw (event: att; others: the first term)"),
		[O_BAND] = OPT_CHOICE("band", 0, "TYPE", input.band_uniform, bands, "event: pointwise (conf_low..conf_high, default) or uniform (band_low..band_high)"),
		[O_DATE] = OPT_STRING("date", 0, "COL", input.date, "step: the events' date column (default 'ratified')"),
		[O_KEY] = OPT_STRING("key", 'k', "COL", input.key, "step: the unit column, each unit counted once per series (default 'iso3' if present)"),
		[O_XRANGE] = OPT_CALLBACK("xrange", 0, "LO:HI", set_xrange, "forest: the estimate axis; intervals past it are cut at the frame (default: fitted to the data)"),
		[O_SORT] = OPT_CALLBACK("sort", 0, "ORDER", set_sort, "forest: estimate (largest on top, default), label (A on top), n (largest on top) or input (first on top)"),
		[O_LOG] = OPT_FLAG("log", 0, input.log_y, "line: a logarithmic y axis (values <= 0 are left out, with a note)"),
		[O_EVENT_YEAR] = OPT_STRING("event-year", 0, "LIST", input.event_year, "line: dashed lines at these years (comma-separated), or a column holding each series' event year (e.g. event_year)"),
		[O_FONT_SCALE] = OPT_CALLBACK("font-scale", 0, "F", set_scale, "text and line widths times F (default 1)"),
		[O_DPI] = OPT_CALLBACK("dpi", 0, "N", set_scale, "resolution for --size in cm, mm or in; png and svg scale text with it (default 96)"),
		[O_FIT] = OPT_CHOICE("fit", 0, "MODEL", input.fit_model, fits, "prepost: linear or poisson (default: poisson when every value is a whole number >= 0, a count)"),
		[O_FACET] = OPT_STRING("facet", 0, "COL", input.facet, "line: small multiples, one panel per value of COL (at most 64), each with at most 12 series"),
		[O_PRE] = OPT_DOUBLE("pre", 0, "N", input.window.pre, 0, INFINITY, OPT_CLOSED, "prepost: the N time units before the event only, as tt-prepost --pre (default all)"),
		[O_POST] = OPT_DOUBLE("post", 0, "N", input.window.post, 0, INFINITY, OPT_CLOSED, "prepost: rel_year <= N only, as tt-prepost --post (default all)"),
		[O_DROP_EVENT] = OPT_FLAG("drop-event", 0, input.window.drop_event, "prepost: leave out the event's own year, as tt-prepost --drop-event"),
		OPT_END(),
	},
};

/* ---- the chart kinds -------------------------------------------------------------- */

static const struct kind {
	const char *name;
	enum gp_kind gp;
	unsigned opts;		/* which of our kind-specific options it takes */
	void (*read)(struct gp_input *, struct gp_chart *);
} kinds[] = {
	{ "line", GP_LINE, 1u << O_LOG | 1u << O_EVENT_YEAR | 1u << O_FACET, gp_read_line },
	{ "prepost", GP_PREPOST, 1u << O_FIT | 1u << O_PRE | 1u << O_POST | 1u << O_DROP_EVENT,
	  gp_read_prepost },
	{ "event", GP_EVENT, 1u << O_TERM | 1u << O_BAND, gp_read_event },
	{ "forest", GP_FOREST, 1u << O_TERM | 1u << O_XRANGE | 1u << O_SORT, gp_read_forest },
	{ "bar", GP_BAR, 1u << O_TERM, gp_read_bar },
	{ "step", GP_STEP, 1u << O_DATE | 1u << O_KEY, gp_read_step },
	{ "synth", GP_SYNTH, 0, gp_read_synth },
};

static const struct kind *find_kind(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(name, kinds[i].name) == 0)
			return &kinds[i];
	die_usage("unknown chart kind '%s' (line, prepost, event, forest, bar, step or synth)", name);
}

static void check_options(const struct kind *k, struct gp_page *page)
{
	static const int specific[] = { O_TERM, O_BAND, O_DATE, O_KEY, O_XRANGE, O_SORT,
					O_LOG, O_EVENT_YEAR, O_FIT, O_FACET, O_PRE, O_POST,
					O_DROP_EVENT };

	for (size_t i = 0; i < sizeof specific / sizeof specific[0]; i++) {
		if (opt_given(&tool.opts[specific[i]]) && !(k->opts & 1u << specific[i]))
			die_usage("option --%s does not apply to %s charts",
				  tool.opts[specific[i]].lname, k->name);
	}
	if (output_arg && gp_terminal_for_path(output_arg, &page->term) != 0)
		die_usage("option --output: '%s' does not end in .png, .svg or .pdf", output_arg);
	if (size_arg && gp_parse_page_size(size_arg, dpi, &width, &height) != 0)
		die_usage("option --size: '%s' is not WxH, each side a number with an "
			  "optional unit (px, cm, mm, in) and 1 to %d pixels (e.g. 800x500, "
			  "24cm,15cm)", size_arg, GP_MAX_SIDE);
	page->output = output_arg;
	page->width = width;
	page->height = height;
	page->font_scale = font_scale;
	page->dpi = dpi;
}

/* Without --size, a forest grows with its rows and a bar chart with its
 * bars, so that every label keeps room to be read. */
static void fit_page(const struct gp_chart *c, struct gp_page *page)
{
	size_t n = 0;
	double px = dpi > 0 ? dpi / 96 : 1;

	if (opt_given(&tool.opts[O_SIZE]))
		return;
	for (size_t i = 0; i < c->nrows; i++)
		n += isfinite(c->rows[i].estimate) != 0;
	if (c->pooled)		/* the pooled row and the blank row above it */
		n += 2;
	if (c->kind == GP_FOREST && 120 + 18 * n > GP_DEFAULT_HEIGHT)
		page->height = (int)(120 + 18 * (n < 1000 ? n : 1000));
	if (c->kind == GP_BAR && 160 + 22 * n > GP_DEFAULT_WIDTH)
		page->width = (int)(160 + 22 * (n < 800 ? n : 800));
	if (c->kind == GP_SYNTH)	/* two panels */
		page->height = 760;
	if (c->npanels > 1) {	/* small multiples: about 280x210 a panel */
		size_t cols = 1, rows;
		while (cols * cols < c->npanels)
			cols++;
		rows = (c->npanels + cols - 1) / cols;
		page->width = (int)(cols * 280 > GP_DEFAULT_WIDTH ? cols * 280 : GP_DEFAULT_WIDTH);
		page->height = (int)(rows * 210 + 40 > GP_DEFAULT_HEIGHT ? rows * 210 + 40
					: GP_DEFAULT_HEIGHT);
	}
	/* --dpi without --size: the default size, at that resolution */
	if (px != 1) {
		double w = (page->width ? page->width : GP_DEFAULT_WIDTH) * px;
		double h = (page->height ? page->height : GP_DEFAULT_HEIGHT) * px;
		page->width = (int)fmin(floor(w + 0.5), GP_MAX_SIDE);
		page->height = (int)fmin(floor(h + 0.5), GP_MAX_SIDE);
	}
}

/* --title, --xlabel, --ylabel replace the kind's defaults; '' removes */
static void set_labels(struct gp_chart *c)
{
	const char **text[] = { &c->title, &c->xlabel, &c->ylabel };

	for (int i = 0; i < 3; i++) {
		if (label_arg[i])
			*text[i] = label_arg[i];
		if (*text[i])
			*text[i] = gp_keep(gp_clean_text(*text[i], strlen(*text[i])));
	}
}

static char *chart_text(const struct gp_chart *c, const char *file)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *err;

	if (!f)
		die(EXIT_DATA, "out of memory");
	err = gp_write_chart(f, c);
	if (fclose(f) != 0)
		die(EXIT_DATA, "out of memory");
	gp_keep(text);
	if (err)
		die_at(file, 0, 0, "%s", err);
	return text;
}

static void print_script(const struct gp_page *page, const char *chart)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die(EXIT_DATA, "out of memory");
	gp_write_header(f, page);
	if (fclose(f) != 0)
		die(EXIT_DATA, "out of memory");
	out_raw(text, len);
	out_raw(chart, strlen(chart));
	free(text);
}

int main(int argc, char **argv)
{
	tt_init(argv[0]);
	int first = opts_parse(argc, argv, &tool);
	struct gp_page page = { GP_TERM_DUMB, 0, 0, NULL, 0, 0 };
	struct gp_chart chart;
	const struct kind *k;
	char *text;

	if (first >= argc)
		die_usage("no chart kind given (line, prepost, event, forest, bar, step or synth)");
	k = find_kind(argv[first]);
	check_options(k, &page);
	input.r = csv_open(argv + first + 1, argc - first - 1, opt.delim);
	if (csv_read_header(input.r) != 0)
		return EXIT_DATA;
	input.h = csv_header(input.r);
	input.file = csv_first_file(input.r);
	input.time = opt.time;
	input.value = opt.value;
	input.group_spec = opt.groups;
	input.all = opt.all;

	gp_chart_init(&chart, k->gp);
	chart.range_lo = range_lo;
	chart.range_hi = range_hi;
	chart.hover = page.term == GP_TERM_SVG && page.output;
	chart.log_y = input.log_y;
	k->read(&input, &chart);
	set_labels(&chart);
	fit_page(&chart, &page);
	text = chart_text(&chart, input.file);
	if (script_only)
		print_script(&page, text);
	else
		gp_draw(&page, text);

	group_free(input.groups);
	csv_close(input.r);
	gp_free_kept();
	return out_close();
}
