/* The option vocabulary of tt-toolkit(7), parsed from one table.  A tool lists
 * its own options and says which common ones it takes; --help and --version
 * come with every tool. */
#ifndef TT_OPTIONS_H
#define TT_OPTIONS_H

struct csv_reader;

/* An option and where its value goes, as git's parse-options table: the
 * kind says how the argument is read, the pointer of that kind where it is
 * stored.  Write entries with the OPT_ macros below; a table ends with
 * OPT_END().  A bad argument is a usage error from opt_long or opt_choice. */
struct tt_opt;
typedef void tt_opt_fn(const struct tt_opt *o, const char *arg);

enum tt_opt_kind {
	TT_OPT_FLAG,        /* *i = lo (1, or the value OPT_SET_INT gives) */
	TT_OPT_STRING,      /* *s = the argument */
	TT_OPT_LONG,        /* *l = the argument, a whole number from lo to hi */
	TT_OPT_INT,         /* *i = the same, for an int */
	TT_OPT_DOUBLE,      /* *d = the argument, a number from dlo to dhi,
			     * either end left out as ends says */
	TT_OPT_CHOICE,      /* *i = the argument's index among words, or the
			     * value at that index when values is given */
	TT_OPT_CALLBACK,    /* fn(o, arg): repeatable options, several stores */
};

struct tt_opt {
	const char *lname;
	int sname;          /* short letter, or 0 */
	const char *arg;    /* argument name, or NULL for a flag */
	const char *help;
	enum tt_opt_kind kind;
	int *i;
	long *l;
	const char **s;
	long lo, hi;
	double *d;
	double dlo, dhi;
	unsigned ends;              /* OPT_CLOSED, OPT_OPEN_LO, ... */
	const char *const *words;   /* ends with NULL */
	const int *values;
	tt_opt_fn *fn;
};

#define OPT_SET_INT(lname, sname, var, value, help) \
	{ lname, sname, NULL, help, TT_OPT_FLAG, .i = &(var), .lo = (value) }
#define OPT_FLAG(lname, sname, var, help) OPT_SET_INT(lname, sname, var, 1, help)
#define OPT_STRING(lname, sname, arg, var, help) \
	{ lname, sname, arg, help, TT_OPT_STRING, .s = &(var) }
#define OPT_LONG(lname, sname, arg, var, min, max, help) \
	{ lname, sname, arg, help, TT_OPT_LONG, .l = &(var), .lo = (min), .hi = (max) }
#define OPT_INT(lname, sname, arg, var, min, max, help) \
	{ lname, sname, arg, help, TT_OPT_INT, .i = &(var), .lo = (min), .hi = (max) }
/* a number from min to max (-INFINITY, INFINITY: any); open OPT_OPEN_LO
 * leaves min out, OPT_OPEN_HI max, OPT_OPEN both.  Out of range is a
 * usage error saying what the number is: "is negative" ([0, inf)), "is
 * not a positive number" ((0, inf)), "is not between 0 and 1" ((0, 1)) */
#define OPT_DOUBLE(lname, sname, arg, var, min, max, open, help) \
	{ lname, sname, arg, help, TT_OPT_DOUBLE, .d = &(var), .dlo = (min), \
	  .dhi = (max), .ends = (open) }
enum { OPT_CLOSED = 0, OPT_OPEN_LO = 1, OPT_OPEN_HI = 2, OPT_OPEN = 3 };
#define OPT_CHOICE(lname, sname, arg, var, list, help) \
	{ lname, sname, arg, help, TT_OPT_CHOICE, .i = &(var), .words = (list) }
#define OPT_CHOICE_MAP(lname, sname, arg, var, list, map, help) \
	{ lname, sname, arg, help, TT_OPT_CHOICE, .i = &(var), .words = (list), \
	  .values = (map) }
#define OPT_CALLBACK(lname, sname, arg, func, help) \
	{ lname, sname, arg, help, TT_OPT_CALLBACK, .fn = (func) }
#define OPT_END() { .lname = NULL }

/* which common options a tool takes */
enum {
	C_DELIM = 1 << 0, C_GROUP = 1 << 1, C_ALL = 1 << 2, C_TIME = 1 << 3,
	C_VALUE = 1 << 4, C_NA = 1 << 5, C_PREC = 1 << 6, C_LEVEL = 1 << 7,
	C_MAXG = 1 << 8,
};
#define C_TABLE (C_DELIM | C_NA | C_PREC)

struct common_opts {
	char delim;
	const char *groups;   /* -g, or NULL for the default */
	int all;
	const char *time;     /* "year" */
	int time_given;       /* -t was given: the column must exist */
	const char *value;    /* "value" */
	double level;         /* 0.95 */
};
extern struct common_opts opt;

struct tool {
	const char *name;
	const char *usage;    /* after the name: "[OPTION]... [FILE]..." */
	const char *about;    /* what the tool does, a few lines */
	unsigned common;
	/* its own options, ends with OPT_END(): written in place, as
	 * (const struct tt_opt[]){ OPT_STRING(...), ..., OPT_END() } */
	const struct tt_opt *opts;
};

/* A tool's start, before anything else: messages named after argv0
 * (diag), the output layer, GSL's abort-on-error handler off for good
 * (the tools take the NaN and write an empty cell; the statistics code
 * checks GSL's return codes and never switches the handler itself). */
void tt_init(const char *argv0);
/* The start of a tool that reads one table: tt_init, the options, then
 * the operands (standard input when none) opened by csv_open. */
struct csv_reader *tt_start(int argc, char **argv, const struct tool *t);
/* Parses argv, storing each option as its entry says; returns the index of
 * the first operand. */
int opts_parse(int argc, char **argv, const struct tool *t);
/* whether the option of this entry (of t->opts) was on the command line */
int opt_given(const struct tt_opt *o);

/* numbers in option arguments, or a usage error naming the option */
long opt_long(const char *name, const char *arg, long lo, long hi);
double opt_double(const char *name, const char *arg);
/* the same within lo..hi, ends open as OPT_DOUBLE's; out of range is a
 * usage error saying what the number is */
double opt_double_in(const char *name, const char *arg, double lo, double hi,
		     unsigned ends);
/* the index of arg among words (ending with NULL), or a usage error naming
 * the option and listing them: "option --model: 'x' is not twfe, etwfe or
 * index" */
int opt_choice(const char *name, const char *arg, const char *const *words);

#endif
