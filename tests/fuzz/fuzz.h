/* Shared by the fuzz harnesses: a check that stops the run with a message
 * (libFuzzer and the sanitizers then save or name the input), and copies of
 * the input in the shapes the parsers take.
 *
 * Each harness defines LLVMFuzzerTestOneInput; under libFuzzer it is the
 * fuzz target, under tests/fuzz/driver.c it runs once per corpus file. */
#ifndef TT_FUZZ_H
#define TT_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

/* A broken invariant is a finding just like a crash. */
#define CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))

/* The input as a NUL-terminated string, cut at its first NUL byte (the
 * functions that take C strings never see past it). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* The input as an exactly-sized heap copy, so that ASan sees any read past
 * the length a function was given (libFuzzer's own buffer is exact too; the
 * driver's is not necessarily). */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	else
		s[0] = '\0';
	return s;
}

/* Splits data at every byte `sep` into NUL-terminated pieces (a NUL inside
 * a piece cuts it short, as any C string would be).  Returns the number of
 * pieces; free with fuzz_free_pieces. */
static inline size_t fuzz_pieces(const uint8_t *data, size_t size, uint8_t sep,
				 char ***out)
{
	size_t n = 1, k = 0, start = 0;
	char **v;

	for (size_t i = 0; i < size; i++)
		n += data[i] == sep;
	v = malloc(n * sizeof *v);
	if (!v)
		abort();
	for (size_t i = 0; i <= size; i++)
		if (i == size || data[i] == sep) {
			v[k++] = fuzz_cstr(data + start, i - start);
			start = i + 1;
		}
	*out = v;
	return n;
}

static inline void fuzz_free_pieces(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

#endif
