/* The option vocabulary of tt-toolkit(7), parsed from one table.  A tool lists
 * its own options and says which common ones it takes; --help and --version
 * come with every tool. */
#ifndef TT_OPTIONS_H
#define TT_OPTIONS_H

struct tt_opt {
	const char *lname;
	int sname;          /* short letter, or 0 */
	const char *arg;    /* argument name, or NULL for a flag */
	const char *help;
};

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
	const struct tt_opt *opts;   /* ends with an entry whose lname is NULL */
	/* called for each of the tool's own options: index into opts */
	void (*handle)(int idx, const char *arg);
};

/* Parses argv; returns the index of the first operand. */
/* A tool's start, before anything else: messages named after argv0
 * (diag), the output layer, GSL's abort-on-error handler off (the tools
 * take the NaN and write an empty cell). */
void tt_init(const char *argv0);
int opts_parse(int argc, char **argv, const struct tool *t);

/* numbers in option arguments, or a usage error naming the option */
long opt_long(const char *name, const char *arg, long lo, long hi);
double opt_double(const char *name, const char *arg);
/* the index of arg among words (ending with NULL), or a usage error naming
 * the option and listing them: "option --model: 'x' is not twfe, etwfe or
 * index" */
int opt_choice(const char *name, const char *arg, const char *const *words);

#endif
