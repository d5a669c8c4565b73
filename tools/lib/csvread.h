/* Streaming CSV reader on libcsv.  RFC 4180 in libcsv's strict mode: quoted
 * fields with delimiters, doubled quotes and newlines; a stray quote is an
 * error.  CRLF, a bare CR and a UTF-8 BOM are read; spaces and tabs around
 * an unquoted field are trimmed (libcsv's own rule, which keeps its fast
 * path); blank lines are skipped, except in a one-column table, where a
 * blank line is a row with one missing cell.  Whole lines are fed to libcsv
 * from fixed-size reads, so every row knows the file and line where it
 * started, also after multi-line quoted fields, and the whole file is never
 * held in memory (only the longest line).
 *
 * Most lines of real tables hold no quote: such a line (ending in LF, no CR
 * but before its LF, no NUL, not inside a quoted field) is split directly
 * with memchr and gives the same fields, in the same callbacks, as libcsv;
 * every other line goes to libcsv, the parser of record (after 64 quoted
 * lines in a row the next 4096 go to libcsv without a look).  TT_CSV_SLOW=1
 * sends every line to libcsv.
 *
 * Several files are read as one table: they must share the header.  Every
 * input is opened by csv_open, before any output is written. */
#ifndef TT_CSVREAD_H
#define TT_CSVREAD_H
#include <stddef.h>

/* The longest line, and the longest row (a quoted field may span lines),
 * read: past it the reader stops with a located error, not an allocation
 * failure.  Only the longest line is ever held in memory. */
#define CSV_MAX_LINE ((size_t)16 << 20)

/* Bytes asked of each read(2).  The fuzz builds make it small, so that
 * inputs straddling a read boundary stay cheap to fuzz. */
#ifndef CSV_READ_SIZE
#define CSV_READ_SIZE (1 << 18)
#endif

struct csv_header {
	char **name;
	size_t *len;
	size_t n;
};

struct csv_row {
	char **f;        /* NUL-terminated field texts (may hold NUL-free binary) */
	size_t *len;
	size_t n;        /* fields in this row */
	const char *file;
	long line;       /* line where the row started */
};

/* In strict mode (the default) a structural problem ends the tool with a
 * located message and exit 1.  A checking reader (csv_set_checking) reports
 * each problem through warn_at, counts it, and goes on; ragged rows are
 * then returned as they are, for the caller to skip. */
struct csv_reader;

struct csv_reader *csv_open(char **files, int nfiles, char delim);
void csv_set_checking(struct csv_reader *r, int on);
/* Every line through libcsv, as when the environment holds TT_CSV_SLOW=1:
 * the fast path for quote-free lines is then off (for debugging, and for the
 * differential fuzz harness, which reads every input both ways). */
void csv_set_slow(struct csv_reader *r, int on);
/* reads the header of the first file; 0 on success, -1 for an empty input
 * (reported) */
int csv_read_header(struct csv_reader *r);
const struct csv_header *csv_header(const struct csv_reader *r);
/* for each column, the first column of the same name (itself when it is
 * the first); an array of h->n to free */
size_t *header_first_of(const struct csv_header *h);
const char *csv_first_file(const struct csv_reader *r);
/* 1 and *row set, or 0 at the end of all input */
int csv_next(struct csv_reader *r, struct csv_row **row);
long csv_problems(const struct csv_reader *r);
void csv_close(struct csv_reader *r);

/* the delimiter given on the command line: one character, or "tab" / "\t" */
int csv_delim_from(const char *arg, char *delim);

#endif
