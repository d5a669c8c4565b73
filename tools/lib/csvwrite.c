#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvwrite.h"
#include "diag.h"
#include "group.h"

int out_precision;
char out_delim = ',';

static char obuf[1 << 16];
static size_t olen;
static int row_started;

void out_init(void)
{
	/* a closed pipe shows up as EPIPE from write(), handled in out_flush */
	signal(SIGPIPE, SIG_IGN);
	/* die and its kin drop what is buffered before they exit */
	diag_abandon_hook = out_abandon;
}

void out_flush(void)
{
	size_t off = 0;

	while (off < olen) {
		ssize_t w = write(STDOUT_FILENO, obuf + off, olen - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE)
			_exit(0);
		if (w <= 0) {
			int e = errno;
			olen = 0;
			die(1, "write error: %s", w < 0 ? strerror(e) : "no progress");
		}
		off += (size_t)w;
	}
	olen = 0;
}

void out_raw(const char *s, size_t len)
{
	while (len > 0) {
		size_t room = sizeof obuf - olen;
		size_t k = len < room ? len : room;
		memcpy(obuf + olen, s, k);
		olen += k;
		s += k;
		len -= k;
		if (olen == sizeof obuf)
			out_flush();
	}
}

static inline void out_byte(char c)
{
	if (olen == sizeof obuf)
		out_flush();
	obuf[olen++] = c;
}

static void separate(void)
{
	if (row_started)
		out_byte(out_delim);
	row_started = 1;
}

void out_field(const char *s, size_t len)
{
	size_t i;
	int quote = 0;

	separate();
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == out_delim || c == '"' || c == '\n' || c == '\r') {
			quote = 1;
			break;
		}
	}
	if (!quote) {
		out_raw(s, len);
		return;
	}
	out_byte('"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			out_byte('"');
		out_byte(s[i]);
	}
	out_byte('"');
}

void out_str(const char *s) { out_field(s, strlen(s)); }

void out_empty(void) { separate(); }

size_t format_number(char *buf, double x, int precision)
{
	int p;

	if (isnan(x)) {
		buf[0] = '\0';
		return 0;
	}
	if (x == 0)
		x = 0; /* no "-0" */
	if (isinf(x))
		return (size_t)snprintf(buf, 32, x > 0 ? "inf" : "-inf");
	if (precision > 0)
		return (size_t)snprintf(buf, 32, "%.*g", precision, x);
	if (fabs(x) < 1e15 && x == floor(x))
		return (size_t)snprintf(buf, 32, "%.0f", x);
	for (p = 15; p < 17; p++) {
		int n = snprintf(buf, 32, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			return (size_t)n;
	}
	return (size_t)snprintf(buf, 32, "%.17g", x);
}

size_t format_readable(char *buf, double x, int digits)
{
	double a = fabs(x);
	int decimals, n;

	if (isnan(x)) {
		buf[0] = '\0';
		return 0;
	}
	if (isinf(x))
		return (size_t)snprintf(buf, 48, x > 0 ? "inf" : "-inf");
	if (a != 0 && (a < 1e-4 || a >= 1e15))
		return (size_t)snprintf(buf, 48, "%.*g", digits, x);
	decimals = a == 0 ? 0 : digits - 1 - (int)floor(log10(a));
	if (decimals < 0)
		decimals = 0;
	n = snprintf(buf, 48, "%.*f", decimals, x);
	/* rounding carried into a new leading digit (9.996 to 3 digits is
	 * "10.00"): one decimal fewer, "10.0" */
	if (decimals > 0 && a != 0 && fabs(strtod(buf, NULL)) >= pow(10, floor(log10(a)) + 1))
		n = snprintf(buf, 48, "%.*f", --decimals, x);
	if (strspn(buf, "-0.") == (size_t)n && buf[0] == '-') {   /* "-0.00" */
		memmove(buf, buf + 1, (size_t)n);
		n--;
	}
	return (size_t)n;
}

void out_num(double x)
{
	char buf[32];
	size_t n = format_number(buf, x, out_precision);
	separate();
	out_raw(buf, n);
}

void out_int(long long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%lld", v);
	separate();
	out_raw(buf, (size_t)n);
}

void out_endrow(void)
{
	out_byte('\n');
	row_started = 0;
}

void group_write_key(const struct group_table *g, size_t i)
{
	for (size_t k = 0; k < group_ncols(g); k++) {
		size_t len;
		const char *s = group_key(g, i, k, &len);
		out_field(s, len);
	}
}

int out_close(void)
{
	out_flush();
	if (close(STDOUT_FILENO) != 0 && errno != EBADF && errno != EINTR)
		die(1, "write error: %s", strerror(errno));
	return 0;
}

void out_abandon(void)
{
	olen = 0;
	row_started = 0;
}
