#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

const char *progname = "tt";
int warnings_quiet;
void (*tt_exit_hook)(int status);
void (*diag_abandon_hook)(void);

noreturn void tt_exit(int status)
{
	if (tt_exit_hook)
		tt_exit_hook(status);
	exit(status);
}

void diag_init(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	progname = slash ? slash + 1 : argv0;
}

const char *cell_shown(const char *s)
{
	return cell_shown_n(s, strlen(s));
}

const char *cell_shown_n(const char *s, size_t len)
{
	static char ring[4][256];
	static int next;
	char *out = ring[next++ % 4];
	size_t k = 0, i;

	for (i = 0; i < len && k < 60; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\r' || c == '\t') {
			out[k++] = '\\';
			out[k++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			k += (size_t)snprintf(out + k, 8, "\\x%02X", c);
		} else {
			out[k++] = (char)c;
		}
	}
	if (i < len)
		k += (size_t)snprintf(out + k, 8, "...");
	out[k] = '\0';
	return out;
}

const char *diag_where(const char *file, long line, long col)
{
	static char buf[4096];
	if (!file) {
		buf[0] = '\0';
		return buf;
	}
	if (strcmp(file, "-") == 0)
		file = "(stdin)";
	if (line > 0 && col > 0)
		snprintf(buf, sizeof buf, "%s:%ld:%ld: ", file, line, col);
	else if (line > 0)
		snprintf(buf, sizeof buf, "%s:%ld: ", file, line);
	else
		snprintf(buf, sizeof buf, "%s: ", file);
	return buf;
}

void vwarn_at(const char *file, long line, long col, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", progname, diag_where(file, line, col));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void warn_at(const char *file, long line, long col, const char *fmt, ...)
{
	va_list ap;
	if (warnings_quiet)
		return;
	va_start(ap, fmt);
	vwarn_at(file, line, col, fmt, ap);
	va_end(ap);
}

void warn(const char *fmt, ...)
{
	va_list ap;
	if (warnings_quiet)
		return;
	va_start(ap, fmt);
	vwarn_at(NULL, 0, 0, fmt, ap);
	va_end(ap);
}

/* A tool never prints a partial table and then exits 0: output already
 * buffered is discarded, so a failing run writes nothing it had not flushed. */
static void abandon_output(void)
{
	if (diag_abandon_hook)
		diag_abandon_hook();
}

noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn_at(NULL, 0, 0, fmt, ap);
	va_end(ap);
	abandon_output();
	tt_exit(status);
}

noreturn void die_at(const char *file, long line, long col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn_at(file, line, col, fmt, ap);
	va_end(ap);
	abandon_output();
	tt_exit(EXIT_DATA);
}

noreturn void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn_at(NULL, 0, 0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", progname);
	abandon_output();
	tt_exit(EXIT_USAGE);
}
