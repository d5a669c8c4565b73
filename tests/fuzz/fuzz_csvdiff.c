/* The CSV reader's two paths against each other: every input is read once
 * with the fast path for quote-free lines (csvread.c's fast_line) and once
 * with every line through libcsv (csv_set_slow), in checking mode, and the
 * two readings must be the same to the byte: the header, every row's
 * fields, field count, file and line, every message (text, file, line and
 * column, in the same order among the rows) and the number of problems.
 *
 * Input: as fuzz_csvread's (its corpus seeds this one): one mode byte, then
 * up to three files separated by 0x1E bytes.
 *	bits 0-1  delimiter , TAB ; space
 *	bits 2-3  1, 2, 3 or 1 files
 *	bit 4     pad the first file with a line of CRs (or, with bit 5, of
 *	          LFs) so that its contents straddle the 1 KiB read boundary
 *	          of the fuzz builds; the next byte says how many content
 *	          bytes come before it
 *	bit 6     call csv_read_header before csv_next
 * Besides the comparison: no crash, leak or undefined behaviour. */
#include <fcntl.h>
#include <unistd.h>

#include "csvread.h"
#include "fuzz.h"

enum { READ_SIZE = CSV_READ_SIZE, MAX_FILES = 3, FILE_SEP = 0x1E };

static int fds[MAX_FILES];
static char paths[MAX_FILES][64];

static void setup(void)
{
	static int done;
	const char *dir = getenv("TMPDIR");
	char tmpl[4096];

	if (done)
		return;
	done = 1;
	if (!dir || !*dir)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	for (int k = 0; k < MAX_FILES; k++) {
		snprintf(tmpl, sizeof tmpl, "%s/tt-fuzz-csvdiff.XXXXXX", dir);
		fds[k] = mkstemp(tmpl);
		CHECK(fds[k] >= 0);
		unlink(tmpl);
		snprintf(paths[k], sizeof paths[k], "/proc/self/fd/%d", fds[k]);
	}
}

/* One reading, written out as text: messages (the reader writes them to
 * stderr, here the same stream) and rows in the order they came. */
static char *reading(char delim, int nfiles, int header_first, int slow, size_t *len)
{
	char *names[MAX_FILES], *text = NULL;
	FILE *saved = stderr, *out;
	struct csv_reader *r;
	struct csv_row *row;

	for (int k = 0; k < nfiles; k++)
		names[k] = paths[k];
	out = open_memstream(&text, len);
	CHECK(out != NULL);
	stderr = out;
	r = csv_open(names, nfiles, delim);
	csv_set_checking(r, 1);
	csv_set_slow(r, slow);
	if (header_first)
		csv_read_header(r);
	while (csv_next(r, &row)) {
		fprintf(out, "row %s:%ld n=%zu", row->file, row->line, row->n);
		for (size_t i = 0; i < row->n; i++) {
			fprintf(out, " %zu:", row->len[i]);
			fwrite(row->f[i], 1, row->len[i], out);
		}
		fputc('\n', out);
	}
	{
		const struct csv_header *h = csv_header(r);
		fprintf(out, "header n=%zu", h->n);
		for (size_t i = 0; i < h->n; i++) {
			fprintf(out, " %zu:", h->len[i]);
			fwrite(h->name[i], 1, h->len[i], out);
		}
	}
	fprintf(out, "\nproblems %ld\n", csv_problems(r));
	csv_close(r);
	stderr = saved;
	CHECK(fclose(out) == 0);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { ',', '\t', ';', ' ' };
	unsigned mode;
	int nfiles, k;
	size_t pos = 1, before = 0, nfast, nslow;
	char *fast, *slow;

	if (size == 0)
		return 0;
	setup();
	mode = data[0];
	nfiles = 1 + (int)((mode >> 2) & 3) % 3;
	if ((mode & 0x10) && size > 1)
		before = 1 + data[pos++] % 200;
	for (k = 0; k < nfiles; k++) {
		const uint8_t *sep = pos < size ? memchr(data + pos, FILE_SEP, size - pos) : NULL;
		size_t n = sep ? (size_t)(sep - (data + pos)) : (pos < size ? size - pos : 0);
		size_t padding = k == 0 && before ? READ_SIZE - before : 0, lfs;
		char *c = malloc(padding + n + 1);

		CHECK(c != NULL);
		if (padding) {
			lfs = mode & 0x20 ? 64 : 1;
			memset(c, '\r', padding - lfs);
			memset(c + padding - lfs, '\n', lfs);
		}
		if (n)
			memcpy(c + padding, data + pos, n);
		CHECK(ftruncate(fds[k], 0) == 0);
		CHECK(pwrite(fds[k], c, padding + n, 0) == (ssize_t)(padding + n));
		free(c);
		pos += n + (sep != NULL);
	}
	fast = reading(delims[mode & 3], nfiles, (mode >> 6) & 1, 0, &nfast);
	slow = reading(delims[mode & 3], nfiles, (mode >> 6) & 1, 1, &nslow);
	if (nfast != nslow || memcmp(fast, slow, nfast) != 0) {
		fprintf(stderr, "fast path:\n%s\nlibcsv:\n%s\n", fast, slow);
		CHECK(!"the fast path and libcsv read the input the same");
	}
	free(fast);
	free(slow);
	return 0;
}
