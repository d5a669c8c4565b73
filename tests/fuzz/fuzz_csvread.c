/* The CSV reader (csvread.h) in checking mode, the mode of tt-check, which
 * reports problems and goes on (strict mode exits on bad input by design).
 *
 * Input: one mode byte, then the contents of up to three files separated
 * by 0x1E bytes.  The mode byte (printable choices in brackets):
 *	bits 0-1  delimiter , TAB ; space	('@' ',' 'A' tab 'B' ';' 'C' space)
 *	bits 2-3  1, 2, 3 or 1 files		('D' two files, 'H' three)
 *	bit 4     pad the first file with a blank line (of CRs) so that its
 *	          contents straddle the reader's read boundary (CSV_READ_SIZE,
 *	          1 KiB in the fuzz builds); the
 *	          next byte says how many content bytes come before it ('P')
 *	bit 5     end the padding with 64 LF lines, so that line numbers
 *	          are counted across it	('p')
 *	bit 6     call csv_read_header before csv_next (else csv_next alone)
 * The files are anonymous temporary files opened as /proc/self/fd/N.
 *
 * Invariants, for every input:
 * - no crash, leak or undefined behaviour (the sanitizers);
 * - every returned row has at least one field; fields are NUL-terminated
 *   and hold no NUL; rows come file by file, and within a file their line
 *   numbers never decrease and stay within the file;
 * - a row whose field count differs from the header's is counted as a
 *   problem before it is returned;
 * - the rows, their fields, line numbers and files, the header and the
 *   number of problems are those of a reference reader written here, byte
 *   by byte, from csvread.h and the comments of csvread.c (see "the
 *   reference reader" below); a file whose header differs is skipped, an
 *   empty one reported.
 *
 * While a divergence found here is open, TT_FUZZ_KNOWN=LIST makes the model
 * copy the reader's behaviour instead, so that fuzzing can look past it:
 *	eof-bad-line	a last line without LF that holds a NUL or a stray
 *			quote: the file gets a final LF before it is read
 *	row-line	a row's line is the reader's: the first line since the
 *			last row that held more than CR/LF (a line of blanks
 *			counts), or where a row's first field ended
 *	blank-header	in a one-column table, blank lines before a later
 *			file's header are rows too
 *	blank-segment	in a one-column table, a piece of a line holding only
 *			CR/LF and its LF is an empty row when the reader does
 *			not know of a row begun: the part of a CRLF line after
 *			a read boundary, or a blank line inside a row begun
 *			after a bare CR (the line is then lost to that row)
 *	split-nul	a NUL after a read boundary drops only the rest of
 *			its line: rows ended before it stand
 * TT_FUZZ_NO_MODEL=1 leaves the model out (the sanitizers and the checks on
 * each row remain); TT_FUZZ_VERBOSE=1 prints both readings of every input. */
#include <fcntl.h>
#include <unistd.h>

#include "csvread.h"
#include "diag.h"
#include "fuzz.h"

enum { READ_SIZE = CSV_READ_SIZE, MAX_FILES = 3, FILE_SEP = 0x1E };

/* ---- tables of rows, as the reader returned them or the model expects -- */

struct fields {
	char **v;
	size_t *len;
	size_t n, cap;
};

struct rec {
	struct fields f;
	long line;
	int file;
};

struct table {
	struct fields header;
	int have_header;
	struct rec *rows;
	size_t n, cap;
	long problems;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = need < 8 ? 8 : 2 * need;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

static void fields_add(struct fields *f, const char *s, size_t len)
{
	size_t cap = f->cap;

	f->v = grow(f->v, &cap, f->n + 1, sizeof *f->v);
	f->len = grow(f->len, &f->cap, f->n + 1, sizeof *f->len);
	f->v[f->n] = malloc(len + 1);
	if (!f->v[f->n])
		abort();
	memcpy(f->v[f->n], s, len);
	f->v[f->n][len] = '\0';
	f->len[f->n++] = len;
}

static void fields_free(struct fields *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	free(f->len);
	memset(f, 0, sizeof *f);
}

static int fields_equal(const struct fields *a, const struct fields *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->len[i] != b->len[i] || memcmp(a->v[i], b->v[i], a->len[i]) != 0)
			return 0;
	return 1;
}

static void table_add(struct table *t, struct fields *f, long line, int file)
{
	t->rows = grow(t->rows, &t->cap, t->n + 1, sizeof *t->rows);
	t->rows[t->n].f = *f;
	t->rows[t->n].line = line;
	t->rows[t->n].file = file;
	t->n++;
	memset(f, 0, sizeof *f);
}

static void table_free(struct table *t)
{
	fields_free(&t->header);
	for (size_t i = 0; i < t->n; i++)
		fields_free(&t->rows[i].f);
	free(t->rows);
	memset(t, 0, sizeof *t);
}

/* ---- the reference reader ---------------------------------------------- */

/* What csvread.c means to read, written out byte by byte (csvread.c hands
 * the bytes to libcsv with its default blanks and line ends):
 * - a row ends at LF or at a bare CR outside quotes; rows with no field
 *   (blank lines, lines of blanks) are skipped, except that once the
 *   header is known to have one column, a line holding nothing but blanks
 *   and CR/LF is a row of one empty cell;
 * - blanks (space and tab, unless that is the delimiter) around an
 *   unquoted field are trimmed, and may stand between a closing quote and
 *   the delimiter or line end;
 * - a quote inside an unquoted field, or anything but blanks, a delimiter
 *   or a line end after a closing quote (or a quote after such blanks) is a
 *   stray quote;
 * - a row's line is the line of its first byte that is not a blank or a
 *   line end;
 * - checking mode: a line holding a NUL, or the rest of a line after a stray
 *   quote, is dropped together with the row it is part of (rows completed
 *   earlier on that line stand); a quote open at the end of the file drops
 *   its row.  Each is one problem. */
enum state { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, UNQUOTED, QUOTED, AFTER_QUOTE };

/* the divergences copied from the reader (TT_FUZZ_KNOWN) */
static int known_eof_bad_line, known_row_line, known_blank_header, known_blank_segment;
static int known_split_nul;
static int no_model;	/* TT_FUZZ_NO_MODEL: sanitizers and cheap checks only */

struct model_file {
	char delim;
	int one_column;		/* blank lines are rows: 1, 0, or -1 when
				 * the file's own first row decides */
	int bad_last_line;	/* its last line has no LF and a problem */
	int r_open;		/* the reader's own idea of where rows begin */
	long r_line;
	enum state st;
	struct fields row;	/* the row being read */
	long row_line;
	char *cur;		/* the field being read */
	size_t cur_len, cur_cap, blanks;
	long line;		/* the physical line being read */
	/* out */
	struct fields *rows;	/* every row of the file */
	long *lines;
	size_t nrows, rows_cap;
	long first_row_done;	/* line on which the first row ended */
	int at_eof;
	long problems, problems_to_first_row;
};

static void cur_add(struct model_file *m, char c)
{
	m->cur = grow(m->cur, &m->cur_cap, m->cur_len + 1, 1);
	m->cur[m->cur_len++] = c;
}

static int is_blank(const struct model_file *m, char c)
{
	return (c == ' ' || c == '\t') && c != m->delim;
}

static void end_field(struct model_file *m, int trim)
{
	if (trim)
		while (m->cur_len > 0 && is_blank(m, m->cur[m->cur_len - 1]))
			m->cur_len--;
	fields_add(&m->row, m->cur ? m->cur : "", m->cur_len);
	m->cur_len = 0;
	m->st = FIELD_NOT_BEGUN;
	if (!m->r_open) {
		m->r_open = 1;
		m->r_line = m->line;
	}
}

static void add_row(struct model_file *m, struct fields *f, long line)
{
	size_t cap = m->rows_cap;

	m->rows = grow(m->rows, &cap, m->nrows + 1, sizeof *m->rows);
	m->lines = grow(m->lines, &m->rows_cap, m->nrows + 1, sizeof *m->lines);
	m->rows[m->nrows] = *f;
	m->lines[m->nrows++] = line;
	m->r_open = 0;
	if (m->nrows == 1)
		m->first_row_done = m->line;
	memset(f, 0, sizeof *f);
}

static void end_row(struct model_file *m)
{
	add_row(m, &m->row, known_row_line ? m->r_line : m->row_line);
	m->st = ROW_NOT_BEGUN;
}

static void drop_row(struct model_file *m)
{
	fields_free(&m->row);
	m->cur_len = 0;
	m->st = ROW_NOT_BEGUN;
	m->r_open = 0;
}

static void model_problem(struct model_file *m)
{
	m->problems++;
	/* what the reader has seen when it holds the first row: every line up
	 * to the one on which that row ended, but not the end of the file */
	if (m->nrows == 0 || (m->line == m->first_row_done && !m->at_eof))
		m->problems_to_first_row++;
}

static int is_eol(char c) { return c == '\n' || c == '\r'; }

/* one byte of a line; returns -1 on a stray quote */
static int model_byte(struct model_file *m, char c)
{
	switch (m->st) {
	case ROW_NOT_BEGUN:
	case FIELD_NOT_BEGUN:
		if (is_blank(m, c))
			break;
		if (is_eol(c)) {
			if (m->st == FIELD_NOT_BEGUN) {
				end_field(m, 0);
				end_row(m);
			}
			break;
		}
		if (m->st == ROW_NOT_BEGUN)
			m->row_line = m->line;
		if (c == m->delim) {
			end_field(m, 0);
		} else if (c == '"') {
			m->st = QUOTED;
		} else {
			cur_add(m, c);
			m->st = UNQUOTED;
		}
		break;
	case UNQUOTED:
		if (c == '"')
			return -1;
		if (c == m->delim) {
			end_field(m, 1);
		} else if (is_eol(c)) {
			end_field(m, 1);
			end_row(m);
		} else {
			cur_add(m, c);
		}
		break;
	case QUOTED:
		if (c == '"') {
			m->st = AFTER_QUOTE;
			m->blanks = 0;
		} else {
			cur_add(m, c);
		}
		break;
	case AFTER_QUOTE:
		if (c == m->delim) {
			end_field(m, 0);
		} else if (is_eol(c)) {
			end_field(m, 0);
			end_row(m);
		} else if (is_blank(m, c)) {
			m->blanks++;
		} else if (c == '"' && m->blanks == 0) {
			cur_add(m, '"');
			m->st = QUOTED;
		} else {
			return -1;
		}
		break;
	}
	return 0;
}

/* Blank lines count as rows once the file's own first row (its header, or
 * a copy of the first file's) is known to have one column. */
/* 1 when p[from..to) holds only CR and LF (p is NUL-terminated: strspn
 * keeps the long padding lines cheap under the fuzzer's instrumentation) */
static int only_eol(const char *p, size_t from, size_t to)
{
	return from + strspn(p + from, "\r\n") >= to;
}

/* A segment is what the reader feeds at once: a line, or the part of one
 * on either side of a READ_SIZE boundary.  Returns 0; -1 on a stray quote
 * (or a NUL, with split-nul); 1 when the rest of the line is not read. */
static int model_segment(struct model_file *m, const char *p, size_t from, size_t to)
{
	int blank = only_eol(p, from, to);
	/* known once the header row is read, which may be mid-line */
	int one_column = m->one_column >= 0 ? m->one_column :
			 m->nrows > 0 && m->rows[0].n == 1;

	/* where the reader thinks a row begins */
	if (!blank && !m->r_open) {
		m->r_open = 1;
		m->r_line = m->line;
	}
	if (known_split_nul && memchr(p + from, '\0', to - from))
		return -1;
	if (blank && p[to - 1] == '\n' && one_column && known_blank_segment &&
	    !m->r_open) {
		/* the reader's take: an empty row, and the segment is not
		 * read (lost to a row begun after a bare CR, if any) */
		struct fields empty = { 0 };
		fields_add(&empty, "", 0);
		add_row(m, &empty, m->line);
		return 1;
	}
	if (blank && m->st == ROW_NOT_BEGUN)
		return 0;	/* nothing happens */
	for (size_t i = from; i < to; i++)
		if (model_byte(m, p[i]) != 0)
			return -1;
	return 0;
}

/* a line of nothing but blanks and line ends: in a one-column table, a row
 * of one empty cell (the blanks are trimmed away) */
static int only_blanks_eol(const struct model_file *m, const char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!is_eol(p[i]) && !is_blank(m, p[i]))
			return 0;
	return 1;
}

static void model_file_read(struct model_file *m, const char *p, size_t len)
{
	size_t pos = 0;

	m->line = 1;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(p + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - p) + 1 : len;
		int one_column = m->one_column >= 0 ? m->one_column :
				 m->nrows > 0 && m->rows[0].n == 1;

		if (!known_split_nul && memchr(p + pos, '\0', end - pos)) {
			if (!only_eol(p, pos, end) && !m->r_open) {
				m->r_open = 1;
				m->r_line = m->line;
			}
			m->bad_last_line = !nl;
			model_problem(m);
			drop_row(m);
		} else if (nl && only_blanks_eol(m, p, pos, end) && m->st == ROW_NOT_BEGUN &&
			   one_column && !(known_row_line && m->r_open)) {
			/* a blank line in a one-column table: one empty cell */
			m->row_line = m->line;
			end_field(m, 0);
			end_row(m);
		} else {
			size_t from = pos;
			while (from < end) {
				size_t to = (from / READ_SIZE + 1) * READ_SIZE;
				if (to > end)
					to = end;
				int st = model_segment(m, p, from, to);
				if (st < 0) {
					model_problem(m);
					drop_row(m);
					m->bad_last_line = !nl;
				}
				if (st != 0)
					break;
				from = to;
			}
		}
		pos = end;
		if (nl)
			m->line++;
		else
			break;
	}
	/* m->line is now the reader's at the end: 1 + the LFs */
	m->at_eof = 1;
	switch (m->st) {
	case ROW_NOT_BEGUN:
		break;
	case QUOTED:
		model_problem(m);
		drop_row(m);
		break;
	case FIELD_NOT_BEGUN:
	case AFTER_QUOTE:
		end_field(m, 0);
		end_row(m);
		break;
	case UNQUOTED:
		end_field(m, 1);
		end_row(m);
		break;
	}
}

/* UTF-8 as RFC 3629 has it: no overlong forms, no surrogates, nothing
 * past U+10FFFF */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], need, min, cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1, min = 0x80, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, min = 0x800, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (i + need >= n)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int has_bom(const char *s, size_t n)
{
	return n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
	       (unsigned char)s[2] == 0xBF;
}

/* the problems of a header, from csvread.h: in a checking reader an empty
 * name; a name not UTF-8, else one with a control byte, else one that
 * starts with a BOM; and each later copy of a non-empty name */
static long header_problems(const struct fields *h)
{
	long n = 0;

	for (size_t i = 0; i < h->n; i++) {
		const char *s = h->v[i];
		size_t len = h->len[i], k;
		for (k = 0; k < len && (unsigned char)s[k] >= 0x20 && s[k] != 0x7f; k++)
			;
		if (len == 0 || !valid_utf8((const unsigned char *)s, len) || k < len ||
		    has_bom(s, len))
			n++;
		for (size_t j = 0; j < i && len > 0; j++)
			if (h->len[j] == len && memcmp(h->v[j], s, len) == 0) {
				n++;
				break;
			}
	}
	return n;
}

/* returns the files whose last line has no LF and a problem, a bit each */
static unsigned model(char delim, char **files, size_t *lens, int nfiles, struct table *t)
{
	unsigned bad_last = 0;

	for (int k = 0; k < nfiles; k++) {
		struct model_file m = { .delim = delim, .one_column = -1 };
		size_t first = 1;

		/* a later file's blank lines before its own header are
		 * skipped like the first file's */
		if (known_blank_header && t->have_header)
			m.one_column = t->header.n == 1;
		model_file_read(&m, files[k], lens[k]);
		bad_last |= (unsigned)m.bad_last_line << k;
		if (m.nrows == 0) {
			t->problems += m.problems + 1;	/* "empty file" */
		} else if (!t->have_header) {
			t->header = m.rows[0];
			memset(&m.rows[0], 0, sizeof m.rows[0]);
			t->have_header = 1;
			t->problems += m.problems + header_problems(&t->header);
		} else if (!fields_equal(&m.rows[0], &t->header)) {
			/* the rest of the file is not read */
			t->problems += m.problems_to_first_row + 1;
			first = m.nrows;
		} else {
			t->problems += m.problems;
		}
		for (size_t i = m.nrows ? first : 0; i < m.nrows; i++) {
			if (m.rows[i].n != t->header.n)
				t->problems++;	/* ragged */
			if (m.rows[i].n > 0 && has_bom(m.rows[i].v[0], m.rows[i].len[0]))
				t->problems++;	/* a BOM starts the row */
			table_add(t, &m.rows[i], m.lines[i], k);
		}
		for (size_t i = 0; i < m.nrows; i++)
			fields_free(&m.rows[i]);
		fields_free(&m.row);
		free(m.rows);
		free(m.lines);
		free(m.cur);
	}
	if (t->have_header && t->n == 0)
		t->problems++;	/* no data rows */
	return bad_last;
}

/* ---- running the real reader -------------------------------------------- */

static int fds[MAX_FILES];
static char paths[MAX_FILES][32];
static FILE *devnull;

static void setup(void)
{
	const char *dir = getenv("TMPDIR"), *known;
	char tmpl[4096];

	if (devnull)
		return;
	/* memory rather than disk, where we can: every input is written */
	if (!dir || !*dir)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	for (int k = 0; k < MAX_FILES; k++) {
		snprintf(tmpl, sizeof tmpl, "%s/tt-fuzz-csv.XXXXXX", dir);
		fds[k] = mkstemp(tmpl);
		if (fds[k] < 0) {
			perror("fuzz_csvread: mkstemp");
			abort();
		}
		unlink(tmpl);	/* gone when we exit, however we exit */
		snprintf(paths[k], sizeof paths[k], "/proc/self/fd/%d", fds[k]);
	}
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	warnings_quiet = 1;
	no_model = getenv("TT_FUZZ_NO_MODEL") != NULL;
	if ((known = getenv("TT_FUZZ_KNOWN")) != NULL) {
		known_eof_bad_line = strstr(known, "eof-bad-line") != NULL;
		known_row_line = strstr(known, "row-line") != NULL;
		known_blank_header = strstr(known, "blank-header") != NULL;
		known_blank_segment = strstr(known, "blank-segment") != NULL;
		known_split_nul = strstr(known, "split-nul") != NULL;
	}
}

static void put_file(int k, const char *s, size_t n)
{
	CHECK(ftruncate(fds[k], 0) == 0);
	CHECK(pwrite(fds[k], s, n, 0) == (ssize_t)n);
}

static long count_lines(const char *s, size_t n)
{
	long lines = 1;
	const char *end = s + n;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		lines++;
		s++;
	}
	return lines;
}

static void read_real(char delim, int nfiles, int header_first, char **contents,
		      size_t *lens, struct table *t)
{
	char *names[MAX_FILES];
	struct csv_reader *r;
	struct csv_row *row;
	FILE *saved = stderr;
	int file = 0;
	long last_line = 0, problems, nlines[MAX_FILES];

	for (int k = 0; k < nfiles; k++) {
		names[k] = paths[k];
		nlines[k] = count_lines(contents[k], lens[k]);
	}
	/* the reader's messages go straight to stderr, whatever
	 * warnings_quiet says: keep them out of the fuzzer's output */
	stderr = devnull;
	r = csv_open(names, nfiles, delim);
	csv_set_checking(r, 1);
	if (header_first)
		csv_read_header(r);
	problems = csv_problems(r);
	while (csv_next(r, &row)) {
		const struct csv_header *h = csv_header(r);
		struct fields f = { 0 };
		int k = 0;

		while (k < nfiles && strcmp(row->file, paths[k]) != 0)
			k++;
		stderr = saved;
		CHECK(k < nfiles);
		CHECK(k >= file);
		if (k > file)
			last_line = 0;
		file = k;
		CHECK(row->line >= last_line && row->line >= 1);
		CHECK(row->line <= nlines[k]);
		last_line = row->line;
		CHECK(row->n >= 1 && h->n >= 1);
		for (size_t i = 0; i < row->n; i++) {
			CHECK(row->f[i][row->len[i]] == '\0');
			CHECK(memchr(row->f[i], '\0', row->len[i]) == NULL);
			fields_add(&f, row->f[i], row->len[i]);
		}
		/* a ragged row is a problem by the time it is returned */
		if (row->n != h->n)
			CHECK(csv_problems(r) > problems);
		problems = csv_problems(r);
		table_add(t, &f, row->line, k);
		stderr = devnull;
	}
	/* the end stays the end */
	CHECK(csv_next(r, &row) == 0);
	{
		const struct csv_header *h = csv_header(r);
		for (size_t i = 0; i < h->n; i++)
			fields_add(&t->header, h->name[i], h->len[i]);
		t->have_header = h->n > 0;
	}
	t->problems = csv_problems(r);
	csv_close(r);
	stderr = saved;
}

static void dump(const char *what, const struct table *t)
{
	fprintf(stderr, "%s: %zu rows, %ld problems, header", what, t->n, t->problems);
	for (size_t i = 0; i < t->header.n; i++)
		fprintf(stderr, " [%s]", t->header.v[i]);
	fputc('\n', stderr);
	for (size_t i = 0; i < t->n; i++) {
		fprintf(stderr, "  file %d line %ld:", t->rows[i].file, t->rows[i].line);
		for (size_t j = 0; j < t->rows[i].f.n; j++) {
			fputs(" [", stderr);
			for (size_t k = 0; k < t->rows[i].f.len[j]; k++) {
				unsigned char c = (unsigned char)t->rows[i].f.v[j][k];
				if (c < 0x20 || c >= 0x7f)
					fprintf(stderr, "\\x%02x", c);
				else
					fputc(c, stderr);
			}
			fputc(']', stderr);
		}
		fputc('\n', stderr);
	}
}

static void compare(const struct table *got, const struct table *want)
{
	if (getenv("TT_FUZZ_VERBOSE")) {
		dump("reader", got);
		dump("model", want);
	}
	CHECK(got->have_header == want->have_header);
	CHECK(fields_equal(&got->header, &want->header));
	CHECK(got->n == want->n);
	for (size_t i = 0; i < got->n; i++) {
		CHECK(got->rows[i].file == want->rows[i].file);
		CHECK(got->rows[i].line == want->rows[i].line);
		CHECK(fields_equal(&got->rows[i].f, &want->rows[i].f));
	}
	CHECK(got->problems == want->problems);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { ',', '\t', ';', ' ' };
	char *contents[MAX_FILES] = { 0 };
	size_t lens[MAX_FILES] = { 0 };
	struct table got = { 0 }, want = { 0 };
	unsigned mode;
	int nfiles, pad, k;
	size_t pos = 1, before = 0;
	char delim;

	if (size == 0)
		return 0;
	setup();
	mode = data[0];
	delim = delims[mode & 3];
	nfiles = 1 + (int)((mode >> 2) & 3) % 3;
	pad = (mode >> 4) & 1;
	if (pad && size > 1)
		before = 1 + data[pos++] % 200;
	else
		pad = 0;

	for (k = 0; k < nfiles; k++) {
		const uint8_t *sep = pos < size ? memchr(data + pos, FILE_SEP, size - pos) : NULL;
		size_t n = sep ? (size_t)(sep - (data + pos)) : (pos < size ? size - pos : 0);
		size_t padding = 0;

		if (k == 0 && pad)
			padding = READ_SIZE - before;
		/* room for a final LF and a NUL after the contents */
		contents[k] = malloc(padding + n + 2);
		if (!contents[k])
			abort();
		if (padding) {
			/* one long line: feeding many short ones is slow */
			size_t lfs = mode & 0x20 ? 64 : 1;
			memset(contents[k], '\r', padding - lfs);
			memset(contents[k] + padding - lfs, '\n', lfs);
		}
		if (n)
			memcpy(contents[k] + padding, data + pos, n);
		lens[k] = padding + n;
		contents[k][lens[k]] = '\0';
		pos += n + (sep != NULL);
	}
	if (known_eof_bad_line) {
		/* a known divergence: give such a last line its LF */
		unsigned bad = model(delim, contents, lens, nfiles, &want);
		table_free(&want);
		for (k = 0; k < nfiles; k++)
			if (bad >> k & 1) {
				contents[k][lens[k]++] = '\n';
				contents[k][lens[k]] = '\0';
			}
	}
	for (k = 0; k < nfiles; k++)
		put_file(k, contents[k], lens[k]);

	read_real(delim, nfiles, (mode >> 6) & 1, contents, lens, &got);
	if (!no_model) {
		model(delim, contents, lens, nfiles, &want);
		compare(&got, &want);
	}

	table_free(&got);
	table_free(&want);
	for (k = 0; k < nfiles; k++)
		free(contents[k]);
	return 0;
}
