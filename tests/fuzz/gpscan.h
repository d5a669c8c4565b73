/* Shared by the gnuplot harnesses (fuzz_gp_quote, fuzz_gp_chart): how
 * gnuplot 5.4 reads the strings tt writes into its scripts.  Checked against
 * the real program: inside single quotes '' is one quote, except a '' right
 * after the opening quote or right after another '' ends the string. */
#ifndef TT_FUZZ_GPSCAN_H
#define TT_FUZZ_GPSCAN_H
#include "fuzz.h"

/* p points at an opening single quote.  Returns the closing quote, or NULL
 * when the string is not closed before the end of s.  When out is not NULL
 * the string's value is appended at out[*k]. */
static inline const char *gpscan_single(const char *p, char *out, size_t *k)
{
	for (p++;; p++) {
		if (*p == '\0')
			return NULL;
		if (*p == '\'') {
			if (p[1] == '\'' && p[-1] != '\'') {
				if (out)
					out[(*k)++] = '\'';
				p++;
				continue;
			}
			return p;
		}
		if (out)
			out[(*k)++] = *p;
	}
}

/* gnuplot's macro pass toggles on every ' and " whatever it is inside, and
 * expands an @ it finds outside both: no @ may be. */
static inline void gpscan_check_macros(const char *s)
{
	int sq = 0, dq = 0;

	for (; *s; s++) {
		if (*s == '\'')
			sq = !sq;
		else if (*s == '"')
			dq = !dq;
		else if (*s == '@')
			CHECK(sq || dq);
	}
}

#endif
