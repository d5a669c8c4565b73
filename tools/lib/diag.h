/* One family of diagnostics: "tt-NAME: message" and the located form
 * "tt-NAME: file:line:col: message".  Exit codes: 0 ok, 1 data or I/O, 2 usage. */
#ifndef TT_DIAG_H
#define TT_DIAG_H
#include <stdarg.h>
#include <stddef.h>
#include <stdnoreturn.h>

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

extern const char *progname;
extern int warnings_quiet;     /* set by tools that want no warnings */

void diag_init(const char *argv0);
/* Every exit of a tool's run goes through tt_exit: exit(status), or, when a
 * test harness has set tt_exit_hook (tests/fuzz/fuzz_tool.c), that function,
 * which must not return. */
extern void (*tt_exit_hook)(int status);
noreturn void tt_exit(int status);
/* Called by die, die_at and die_usage before they exit, when set: the
 * output layer registers its out_abandon here (out_init), so that a failing
 * run writes nothing it had not flushed without diag naming the layer above. */
extern void (*diag_abandon_hook)(void);
noreturn void die(int status, const char *fmt, ...);
noreturn void die_at(const char *file, long line, long col, const char *fmt, ...);
/* usage error: message, then the one-line hint "Try 'tt-NAME --help'." */
noreturn void die_usage(const char *fmt, ...);
void warn(const char *fmt, ...);
void warn_at(const char *file, long line, long col, const char *fmt, ...);
void vwarn_at(const char *file, long line, long col, const char *fmt, va_list ap);
/* a cell's text as a message quotes it: control characters escaped (\n,
 * \t, \xHH) and anything past 60 bytes cut to "...", so that a message
 * stays on one line; a few calls' results may be live at once */
const char *cell_shown(const char *s);
/* the same for a cell of `len` bytes, not NUL-terminated (a NUL is \x00) */
const char *cell_shown_n(const char *s, size_t len);
/* "file:line:col: " or shorter when line/col are 0; file "-" reads "(stdin)" */
const char *diag_where(const char *file, long line, long col);

#endif
