/* The bench's limit row: the least a program can do to compute what
 * `tt-stats -g iso3,indicator -o count,mean,sd` computes on the bench's
 * panel (iso3,country,year,indicator,value), in one pass on one core.
 *
 * It reads with read(2) into a 256 KiB buffer, finds line ends and commas
 * with memchr, skips a quoted field to its closing quote (doubled quotes
 * inside are stepped over; a quoted field spanning lines is not handled),
 * hashes the two key fields into an open-addressing table, parses the value
 * with strtod (an empty value is missing) and keeps count, mean and the sum
 * of squared deviations by Welford's update.  No header check, no error
 * messages, no line numbers, no shortest-form output: the floor against
 * which tt's parsing and checking cost is measured, not a tool.
 *
 *   limit_stats FILE      writes iso3,indicator,count,mean,sd (%.17g) */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BUF = 1 << 18, SLOTS = 1 << 16 };

struct group {
	char key[48];
	size_t klen, split;
	uint64_t hash;
	double n, mean, m2;
	int used;
};

static struct group table[SLOTS];

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return h;
}

/* the end of the field starting at p (a comma or the line's end) */
static const char *field_end(const char *p, const char *end)
{
	if (p < end && *p == '"') {
		for (p++;;) {
			const char *q = memchr(p, '"', (size_t)(end - p));
			if (!q)
				return end;
			if (q + 1 < end && q[1] == '"') {
				p = q + 2;
				continue;
			}
			p = q + 1;
			break;
		}
	}
	p = memchr(p, ',', (size_t)(end - p));
	return p ? p : end;
}

static void line(const char *p, const char *end)
{
	const char *f[5], *e[5];
	char key[48], num[64];
	size_t klen, s;
	uint64_t h;
	double x;
	struct group *g;

	for (int i = 0; i < 5; i++) {
		f[i] = p;
		e[i] = field_end(p, end);
		if (e[i] == end && i < 4)
			return;
		p = e[i] + 1;
	}
	klen = (size_t)(e[0] - f[0]) + 1 + (size_t)(e[3] - f[3]);
	if (klen >= sizeof key || e[4] == f[4] || (size_t)(e[4] - f[4]) >= sizeof num)
		return;
	memcpy(key, f[0], (size_t)(e[0] - f[0]));
	key[e[0] - f[0]] = ',';
	memcpy(key + (e[0] - f[0]) + 1, f[3], (size_t)(e[3] - f[3]));
	memcpy(num, f[4], (size_t)(e[4] - f[4]));
	num[e[4] - f[4]] = '\0';
	x = strtod(num, NULL);
	h = hash(key, klen);
	for (s = h & (SLOTS - 1); table[s].used; s = (s + 1) & (SLOTS - 1))
		if (table[s].hash == h && table[s].klen == klen && memcmp(table[s].key, key, klen) == 0)
			break;
	g = &table[s];
	if (!g->used) {
		g->used = 1;
		g->hash = h;
		g->klen = klen;
		g->split = (size_t)(e[0] - f[0]);
		memcpy(g->key, key, klen);
	}
	g->n++;
	{
		double d = x - g->mean;
		g->mean += d / g->n;
		g->m2 += d * (x - g->mean);
	}
}

int main(int argc, char **argv)
{
	static char buf[BUF + 1];
	size_t have = 0;
	int fd, header = 1;
	ssize_t r;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0) {
		fprintf(stderr, "usage: limit_stats FILE\n");
		return 2;
	}
	while ((r = read(fd, buf + have, BUF - have)) > 0) {
		const char *p = buf, *end = buf + have + r, *nl;

		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (header)
				header = 0;
			else
				line(p, nl);
			p = nl + 1;
		}
		have = (size_t)(end - p);
		memmove(buf, p, have);
	}
	close(fd);
	puts("iso3,indicator,count,mean,sd");
	for (size_t s = 0; s < SLOTS; s++)
		if (table[s].used) {
			const struct group *g = &table[s];
			printf("%.*s,%.*s,%.0f,%.17g,%.17g\n", (int)g->split, g->key,
			       (int)(g->klen - g->split - 1), g->key + g->split + 1,
			       g->n, g->mean, g->n > 1 ? __builtin_sqrt(g->m2 / (g->n - 1)) : 0.0);
		}
	return 0;
}
