/* tt: list the tools, or run one: "tt NAME ARGS" runs "tt-NAME ARGS" (git style).
 * tt-NAME is looked for beside this program first, then on PATH. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

#ifndef TT_VERSION
#define TT_VERSION "0"
#endif

static const struct {
	const char *name, *about;
} tools[] = {
	{ "check", "validate tables; print every problem as file:line:col: message" },
	{ "select", "keep rows by column values and time range; choose and reorder columns" },
	{ "long", "turn a wide table (one column per year or indicator) into the long table" },
	{ "stats", "descriptive statistics per group" },
	{ "trend", "trend per group: OLS (optionally log-linear), Theil-Sen with Mann-Kendall" },
	{ "join", "attach event dates (e.g. ratification): event_year, rel_year, post" },
	{ "prepost", "pre vs post event comparison per group and pooled" },
	{ "event", "event study and staggered difference-in-differences (Callaway-Sant'Anna)" },
	{ "panel", "two-way fixed-effects regressions, linear and Poisson: twfe, etwfe, year index" },
	{ "synth", "synthetic control for one country's event, with placebo-in-space inference" },
	{ "plot", "charts through gnuplot: line, prepost, event, forest, bar, step, synth" },
	{ "country", "country names to ISO3 codes, every unknown name reported" },
	{ "rate", "a value per N of another column (e.g. per 100,000 inhabitants)" },
	{ "table", "an estimates table as a publication table: Markdown, LaTeX, HTML, CSV" },
	{ "report", "the HTML report of a long table: charts, tables and readings" },
};

static void list(void)
{
	printf("Usage: tt NAME [ARG]...   runs tt-NAME; 'tt NAME --help' tells more.\n\n"
	       "The tools of tt, the trafficking trends toolkit:\n");
	for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
		printf("  %-9s %s\n", tools[i].name, tools[i].about);
	printf("\nOptions:\n"
	       "  -h, --help                show this help and exit\n"
	       "  -V, --version             show the version and exit\n");
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 128], prog[128];
	ssize_t n;

	diag_init(argv[0]);
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		list();
		return fflush(stdout) == 0 || errno == EPIPE ? 0 : 1;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("tt %s\n", TT_VERSION);
		return 0;
	}
	if (argv[1][0] == '-' || strchr(argv[1], '/') || strlen(argv[1]) > 64)
		die_usage("'%s' is not a tool name", argv[1]);
	snprintf(prog, sizeof prog, "tt-%s", argv[1]);
	argv[1] = prog;
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		char *slash;
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/%s", self, prog);
			if (access(path, X_OK) == 0)
				execv(path, argv + 1);
		}
	}
	execvp(prog, argv + 1);
	die(errno == ENOENT ? EXIT_USAGE : EXIT_DATA, "cannot run %s: %s%s", prog,
	    strerror(errno), errno == ENOENT ? " (is it a tool? 'tt' lists them)" : "");
}
