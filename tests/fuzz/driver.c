/* Runs a fuzz harness without libFuzzer: every file named on the command
 * line, or every file in a named directory (in name order), goes through
 * LLVMFuzzerTestOneInput once.  Built with gcc and ASan+UBSan this replays
 * the seed corpus as a regression test (tests/fuzz/run --regress).
 *
 *	build-fuzz/regress/fuzz_number tests/fuzz/corpus/number
 *
 * Prints "NAME: N inputs" and exits 0; a harness that finds a problem
 * aborts, after "running FILE" has named the input on standard error. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int verbose;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	if (ferror(f)) {
		fprintf(stderr, "driver: %s: read error\n", path);
		exit(2);
	}
	fclose(f);
	/* an exactly-sized copy, so that ASan catches a read past the end */
	{
		uint8_t *exact = malloc(len ? len : 1);
		if (!exact)
			abort();
		if (len)
			memcpy(exact, buf, len);
		free(buf);
		buf = exact;
	}
	if (verbose)
		fprintf(stderr, "running %s\n", path);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* returns the number of files run */
static size_t run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return 1;
	}
	if (!(d = opendir(path))) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!names[n])
			abort();
		sprintf(names[n++], "%s/%s", path, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return n;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	size_t total = 0;
	int first = 1;

	name = name ? name + 1 : argv[0];
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: %s [-v] FILE|DIR...\n", name);
		return 2;
	}
	for (int i = first; i < argc; i++)
		total += run_path(argv[i]);
	printf("%s: %zu inputs\n", name, total);
	return 0;
}
