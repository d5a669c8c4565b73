/* Minimal unit-test helpers: each test binary prints one line per failure
 * and ends with "N passed, N failed"; tests/run adds the counts up. */
#ifndef TT_UNIT_H
#define TT_UNIT_H
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

static int unit_pass, unit_fail;

/* A test's start, first in its main as tt_init is in a tool's: GSL's
 * abort-on-error handler off.  The statistics code leaves the handler to
 * the program and hands GSL's errors back as statuses and NaN. */
static inline void unit_start(void)
{
	gsl_set_error_handler_off();
}

#define CHECK(cond) do { if (cond) unit_pass++; else { unit_fail++; \
	printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

/* |got - want| <= rel * |want| (or <= rel when want is 0) */
#define CHECK_REL(got, want, rel) do { double g_ = (got), w_ = (want); \
	double tol_ = (rel) * (fabs(w_) > 0 ? fabs(w_) : 1.0); \
	if (fabs(g_ - w_) <= tol_) unit_pass++; else { unit_fail++; \
	printf("FAIL %s:%d: %s = %.17g, want %.17g (rel %g)\n", __FILE__, __LINE__, \
	       #got, g_, w_, (double)(rel)); } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
	if (g_ && strcmp(g_, w_) == 0) unit_pass++; else { unit_fail++; \
	printf("FAIL %s:%d: %s = \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
	       #got, g_ ? g_ : "(null)", w_); } } while (0)

/* Standard error into a file while a test runs code that writes there:
 * unit_capture() before, unit_captured(msg, size) after (msg gets what was
 * written).  0, or -1 when no file could be had. */
static FILE *unit_err_file;
static int unit_err_saved = -1;

static inline int unit_capture(void)
{
	unit_err_file = tmpfile();
	unit_err_saved = dup(2);
	if (!unit_err_file || unit_err_saved < 0)
		return -1;
	fflush(stderr);
	dup2(fileno(unit_err_file), 2);
	return 0;
}

static inline void unit_captured(char *msg, size_t size)
{
	size_t n;

	fflush(stderr);
	dup2(unit_err_saved, 2);
	close(unit_err_saved);
	rewind(unit_err_file);
	n = fread(msg, 1, size - 1, unit_err_file);
	msg[n] = '\0';
	fclose(unit_err_file);
}

static inline int unit_summary(void)
{
	printf("%d passed, %d failed\n", unit_pass, unit_fail);
	return unit_fail != 0;
}

#endif
