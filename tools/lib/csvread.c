#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "csvread.h"
#include "csvwrite.h"
#include "diag.h"
#include "utf8.h"
#include <stdarg.h>


struct csv_reader {
	char **files;
	int *fds;
	int nfiles, cur;
	const char *file;
	char delim;
	int checking;
	int slow;              /* every line through libcsv (TT_CSV_SLOW=1) */
	unsigned quoted_run;   /* lines in a row that the fast path gave up on */
	unsigned skip;         /* lines left to send to libcsv without a try */
	unsigned backoff;      /* the next such stretch, if the line after is quoted */
	long problems;

	struct csv_parser p;
	char *buf;
	size_t pos, end;
	int eof, at_file_start;
	int buf_nul;           /* the buffer holds a NUL: look for it line by line */
	char *linebuf;         /* a line that straddles two reads, joined */
	size_t llen, lcap;
	long line;             /* the line being fed */
	int row_open;          /* a row began on an earlier line (inside quotes) */
	long row_line;         /* where the row being parsed began */
	size_t row_bytes;      /* bytes fed since that row began */
	long field_line;       /* where the next field of that row begins */
	int ended_at_lf;       /* the last event of this line: a row end at its LF */
	int line_had_row;      /* a row with fields ended on this line */
	int file_header;       /* this file's header line has been read */

	/* Rows parsed and not yet returned (usually one): their fields' texts,
	 * NUL-terminated, in one arena. */
	char *arena;
	size_t alen, acap;
	size_t *off, *flen;
	size_t nf, fcap, ptrcap;
	size_t row_first;      /* first field of the row being parsed */
	struct queued {
		size_t first, n;
		long line;
	} *queue;
	size_t qhead, qn, qcap;
	struct csv_row row;

	struct csv_header hdr;
	int have_header;
	long rows;             /* rows returned */
	int said_no_rows;
};

static void parser_init(struct csv_reader *r)
{
	/* CSV_REPALL_NL: every line end outside quotes is reported, so the
	 * reader knows where rows and blank lines are without guessing */
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
		die(1, "out of memory");
	/* libcsv's own notions of blanks and line ends (CR or LF; spaces and
	 * tabs around an unquoted field are trimmed) keep its fast path: a
	 * custom test costs two calls a byte. */
	csv_set_delim(&r->p, (unsigned char)r->delim);
	/* libcsv grows a field's buffer by this many bytes at a time (128 by
	 * default): a long quoted field would be copied over and over */
	csv_set_blk_size(&r->p, 1 << 16);
}

int csv_delim_from(const char *arg, char *delim)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
		*delim = '\t';
	else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
		*delim = arg[0];
	else
		return -1;
	return 0;
}

static int open_input(const char *name)
{
	struct stat st;
	int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);

	if (fd < 0)
		die_at(name, 0, 0, "%s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		die_at(name, 0, 0, "is a directory");
	return fd;
}

struct csv_reader *csv_open(char **files, int nfiles, char delim)
{
	static char *std_in[] = { "-" };
	struct csv_reader *r = xcalloc(1, sizeof *r);
	const char *slow;

	if (nfiles == 0) {
		files = std_in;
		nfiles = 1;
	}
	r->files = xmalloc((size_t)nfiles * sizeof *r->files);
	memcpy(r->files, files, (size_t)nfiles * sizeof *files);
	r->nfiles = nfiles;
	r->fds = xmalloc((size_t)nfiles * sizeof *r->fds);
	for (int i = 0; i < nfiles; i++)
		r->fds[i] = open_input(files[i]);
	r->delim = delim;
	r->buf = xmalloc(CSV_READ_SIZE);
	r->cur = -1;
	slow = getenv("TT_CSV_SLOW");
	r->slow = slow && strcmp(slow, "1") == 0;
	return r;
}

void csv_set_checking(struct csv_reader *r, int on) { r->checking = on; }
void csv_set_slow(struct csv_reader *r, int on) { r->slow = on; }
long csv_problems(const struct csv_reader *r) { return r->problems; }
const struct csv_header *csv_header(const struct csv_reader *r) { return &r->hdr; }
const char *csv_first_file(const struct csv_reader *r) { return r->files[0]; }

/* A structural problem: fatal normally, counted when checking. */
static void problem(struct csv_reader *r, long line, long col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn_at(r->file, line, col, fmt, ap);
	va_end(ap);
	r->problems++;
	if (!r->checking) {
		out_abandon();
		tt_exit(EXIT_DATA);
	}
}

/* Records a field whose text, NUL-terminated, is already in the arena. */
static void add_field(struct csv_reader *r, size_t off, size_t len)
{
	if (r->nf == r->fcap) {
		size_t cap = r->fcap;
		r->off = xgrow(r->off, &cap, r->nf + 1, sizeof *r->off);
		r->flen = xgrow(r->flen, &r->fcap, r->nf + 1, sizeof *r->flen);
	}
	r->off[r->nf] = off;
	r->flen[r->nf++] = len;
}

static void on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;

	if (r->alen + len + 1 > r->acap)
		r->arena = xgrow(r->arena, &r->acap, r->alen + len + 1, 1);
	memcpy(r->arena + r->alen, s ? s : "", len);
	r->arena[r->alen + len] = '\0';
	add_field(r, r->alen, len);
	r->alen += len + 1;
	r->field_line = r->line;
	r->ended_at_lf = 0;
}

static void queue_row(struct csv_reader *r, long line)
{
	r->queue = xgrow(r->queue, &r->qcap, r->qn + 1, sizeof *r->queue);
	r->queue[r->qn++] = (struct queued){ r->row_first, r->nf - r->row_first, line };
	r->row_first = r->nf;
}

/* libcsv reports every CR and LF outside quotes.  With fields pending it
 * ends a row.  Without, it is the CR or LF after a row, or a line with
 * nothing in it but blanks: such a blank line is skipped, except in a table
 * of one column, where it is a row whose one cell is empty (missing). */
static void on_row(int c, void *data)
{
	struct csv_reader *r = data;

	if (r->nf > r->row_first) {
		queue_row(r, r->row_line);
		r->line_had_row = 1;
	} else if (c == '\n' && !r->line_had_row && r->file_header && r->hdr.n == 1) {
		on_field(NULL, 0, r);
		queue_row(r, r->line);
	}
	r->ended_at_lf = c == '\n';
	r->row_line = r->field_line = r->line;   /* a next row on this line */
}

/* All queued rows were returned: drop them, keeping the fields of a row
 * still being parsed. */
static void drain(struct csv_reader *r)
{
	size_t keep = r->nf - r->row_first, base;

	if (keep == 0) {
		r->alen = 0;
	} else if (r->row_first > 0) {
		base = r->off[r->row_first];
		memmove(r->arena, r->arena + base, r->alen - base);
		for (size_t i = 0; i < keep; i++) {
			r->off[i] = r->off[r->row_first + i] - base;
			r->flen[i] = r->flen[r->row_first + i];
		}
		r->alen -= base;
	}
	r->nf = keep;
	r->row_first = 0;
	r->qhead = r->qn = 0;
}

/* forget the row being parsed, and the parser's state (after a problem) */
static void reset_row(struct csv_reader *r)
{
	r->nf = r->row_first;
	r->alen = r->nf ? r->off[r->nf - 1] + r->flen[r->nf - 1] + 1 : 0;
	r->row_open = 0;
	csv_free(&r->p);
	parser_init(r);
}

static int next_file(struct csv_reader *r)
{
	if (r->cur >= 0) {
		csv_free(&r->p);
		if (r->fds[r->cur] != STDIN_FILENO)
			close(r->fds[r->cur]);
	}
	if (++r->cur >= r->nfiles)
		return 0;
	r->file = r->files[r->cur];
	r->pos = r->end = 0;
	r->eof = 0;
	r->at_file_start = 1;
	r->line = 1;
	r->row_open = 0;
	r->file_header = 0;
	r->llen = 0;
	r->nf = r->row_first = r->alen = 0;
	r->qhead = r->qn = 0;
	parser_init(r);
	return 1;
}

static int refill(struct csv_reader *r)
{
	ssize_t n;

	do
		n = read(r->fds[r->cur], r->buf, CSV_READ_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die_at(r->file, 0, 0, "read error: %s", strerror(errno));
	r->pos = 0;
	r->end = (size_t)n;
	r->buf_nul = n > 0 && memchr(r->buf, '\0', (size_t)n) != NULL;
	if (r->at_file_start && n >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	r->at_file_start = 0;
	return n > 0;
}

/* The end of the current file: finish the last row (a missing final newline
 * is fine) or report a quote left open. */
static void finish_file(struct csv_reader *r)
{
	if (csv_fini(&r->p, on_field, on_row, r) != 0) {
		size_t nf = r->nf - r->row_first;
		problem(r, nf ? r->field_line : r->row_line, (long)nf + 1,
			"unterminated quoted field (the closing quote is missing)");
		reset_row(r);
	}
	r->eof = 1;
}

/* libcsv's blanks: a space or a tab, unless it is the delimiter. */
static int is_blank(const struct csv_reader *r, char c)
{
	return (c == ' ' || c == '\t') && c != r->delim;
}

/* The fast path for the common line: it starts a row (no quoted field left
 * open above it), ends in LF, holds no quote, no NUL, and no CR but one
 * just before its LF.  Such a line is copied into the arena once and split
 * there in place at each delimiter, giving the same fields, and the same
 * row ends, as libcsv's callbacks would: each field with the blanks around
 * it trimmed, then a row end for the CR (if any) and one for the LF; a line
 * of blanks only has no field, just its row ends.  0 when the line is not
 * of that kind (libcsv reads it), else 1.  libcsv's state is untouched:
 * after such a line it would be where it was, at the start of a row. */
static int fast_line(struct csv_reader *r, const char *seg, size_t n)
{
	size_t body = n - 1, i = 0;
	char *line, *p, *end, *d;

	if (r->slow || r->row_open || seg[n - 1] != '\n')
		return 0;
	/* a table quoted on every line (a name with a comma in each row)
	 * would pay for the look at each line: after 64 such lines in a row
	 * the next 64 go straight to libcsv, and while the line after each
	 * such stretch is quoted too, the next stretch is twice as long, up
	 * to 4096 lines.  A table sorted by country, with a quoted name's
	 * block of lines here and there, so sends about a block's length more
	 * to libcsv each time, not 4096 lines */
	if (r->skip) {
		r->skip--;
		return 0;
	}
	if (memchr(seg, '"', body) != NULL) {
		if (r->backoff) {
			r->skip = r->backoff;
			r->backoff = r->backoff < 4096 ? 2 * r->backoff : 4096;
		} else if (++r->quoted_run == 64) {
			r->quoted_run = 0;
			r->skip = 64;
			r->backoff = 128;
		}
		return 0;
	}
	r->quoted_run = 0;
	r->backoff = 0;
	if (body > 0 && seg[body - 1] == '\r')
		body--;
	if (memchr(seg, '\r', body) != NULL)
		return 0;
	if ((r->buf_nul || seg == r->linebuf) && memchr(seg, '\0', body) != NULL)
		return 0;
	while (i < body && is_blank(r, seg[i]))
		i++;
	if (i < body) {
		if (r->alen + body + 1 > r->acap)
			r->arena = xgrow(r->arena, &r->acap, r->alen + body + 1, 1);
		line = r->arena + r->alen;
		memcpy(line, seg, body);
		end = line + body;
		for (p = line;; p = d + 1) {
			char *a = p, *b;

			d = memchr(p, r->delim, (size_t)(end - p));
			b = d ? d : end;
			while (a < b && is_blank(r, *a))
				a++;
			while (b > a && is_blank(r, b[-1]))
				b--;
			*b = '\0';
			add_field(r, (size_t)(a - r->arena), (size_t)(b - a));
			if (!d)
				break;
		}
		r->alen += body + 1;
		r->field_line = r->line;
	}
	if (body < n - 1)
		on_row('\r', r);
	on_row('\n', r);
	return 1;
}

/* Feeds one whole line (or the last, unterminated one) to libcsv. */
static void feed(struct csv_reader *r, const char *seg, size_t n)
{
	size_t done;

	if (!r->row_open) {
		r->row_line = r->field_line = r->line;
		r->row_bytes = 0;
	}
	r->row_bytes += n;
	if (r->row_bytes > CSV_MAX_LINE)
		die_at(r->file, r->row_line, 0,
		       "a row longer than %zu MiB begins here (a quote left open?)",
		       CSV_MAX_LINE >> 20);
	r->ended_at_lf = r->line_had_row = 0;
	if (fast_line(r, seg, n)) {
		/* a whole row, ended at its LF: row_open stays 0 */
	} else if ((r->buf_nul || seg == r->linebuf) && memchr(seg, '\0', n) != NULL) {
		problem(r, r->line, 0, "NUL byte in the input");
		reset_row(r);
	} else if ((done = csv_parse(&r->p, seg, n, on_field, on_row, r)) < n) {
		problem(r, r->line, (long)(r->nf - r->row_first) + 1,
			"stray quote: a field holding a quote must be quoted, and its quotes doubled");
		reset_row(r);
	} else if (seg[n - 1] == '\n') {
		/* a line that ends inside quotes leaves its row open */
		r->row_open = !r->ended_at_lf;
	}
	if (seg[n - 1] == '\n')
		r->line++;
}

/* The next whole line of the current file in *seg, n bytes with its '\n'
 * (the last line may lack it); 0 at the end of the file.  A line is read in
 * place from the buffer, or joined in linebuf when it straddles reads. */
static int next_line(struct csv_reader *r, const char **seg, size_t *n)
{
	r->llen = 0;
	for (;;) {
		const char *start, *nl;
		size_t k;

		if (r->pos == r->end && !refill(r)) {
			if (r->llen == 0)
				return 0;
			*seg = r->linebuf;
			*n = r->llen;
			return 1;
		}
		if (r->pos == r->end)
			continue;       /* a read that held only a BOM */
		start = r->buf + r->pos;
		nl = memchr(start, '\n', r->end - r->pos);
		k = nl ? (size_t)(nl - start) + 1 : r->end - r->pos;
		r->pos += k;
		if (nl && r->llen == 0) {
			*seg = start;
			*n = k;
			return 1;
		}
		if (r->llen + k > CSV_MAX_LINE)
			die_at(r->file, r->line, 0, "line longer than %zu MiB", CSV_MAX_LINE >> 20);
		r->linebuf = xgrow(r->linebuf, &r->lcap, r->llen + k, 1);
		memcpy(r->linebuf + r->llen, start, k);
		r->llen += k;
		if (nl) {
			*seg = r->linebuf;
			*n = r->llen;
			return 1;
		}
	}
}

/* Reads the next row of the current file: 1 with r->row filled, 0 at its end. */
static int read_row(struct csv_reader *r)
{
	struct queued q;

	if (r->qhead == r->qn)
		drain(r);
	while (r->qhead == r->qn) {
		const char *seg;
		size_t n;

		if (r->eof)
			return 0;
		if (next_line(r, &seg, &n))
			feed(r, seg, n);
		else
			finish_file(r);
	}
	q = r->queue[r->qhead++];
	if (q.n > r->ptrcap) {
		r->row.f = xrealloc(r->row.f, q.n * sizeof *r->row.f);
		r->ptrcap = q.n;
	}
	for (size_t i = 0; i < q.n; i++)
		r->row.f[i] = r->arena + r->off[q.first + i];
	r->row.len = r->flen + q.first;
	r->row.n = q.n;
	r->row.file = r->file;
	r->row.line = q.line;
	return 1;
}

static void take_header(struct csv_reader *r)
{
	struct csv_header *h = &r->hdr;
	h->n = r->row.n;
	h->name = xmalloc(h->n * sizeof *h->name);
	h->len = xmalloc(h->n * sizeof *h->len);
	for (size_t i = 0; i < h->n; i++) {
		h->name[i] = xstrndup(r->row.f[i], r->row.len[i]);
		h->len[i] = r->row.len[i];
	}
	r->have_header = 1;
}

static int same_header(const struct csv_reader *r)
{
	if (r->row.n != r->hdr.n)
		return 0;
	for (size_t i = 0; i < r->hdr.n; i++)
		if (r->row.len[i] != r->hdr.len[i] ||
		    memcmp(r->row.f[i], r->hdr.name[i], r->hdr.len[i]) != 0)
			return 0;
	return 1;
}

struct named {
	const char *name;
	size_t len, idx;
};

static int by_name_then_index(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	if (c == 0)
		c = (x->len > y->len) - (x->len < y->len);
	if (c == 0)
		c = (x->idx > y->idx) - (x->idx < y->idx);
	return c;
}

/* sorted by name, so that a header of a million columns takes no longer
 * than reading it */
size_t *header_first_of(const struct csv_header *h)
{
	struct named *v = xmallocarray(h->n, sizeof *v);
	size_t *first = xmallocarray(h->n, sizeof *first);

	for (size_t i = 0; i < h->n; i++)
		v[i] = (struct named){ h->name[i], h->len[i], i };
	xqsort(v, h->n, sizeof *v, by_name_then_index);
	for (size_t k = 0; k < h->n; k++) {
		int same = k > 0 && v[k].len == v[k - 1].len &&
			   memcmp(v[k].name, v[k - 1].name, v[k].len) == 0;
		first[v[k].idx] = same ? first[v[k - 1].idx] : v[k].idx;
	}
	free(v);
	return first;
}

static int starts_with_bom(const char *s, size_t n)
{
	return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

/* Column names every tool can use: valid UTF-8, no control characters, no
 * byte-order mark (a second one: the first is read as the file's), each
 * once.  An empty name is only reported by a checking reader (tt-check): R
 * writes one for its row names. */
static void check_header(struct csv_reader *r)
{
	const struct csv_header *h = &r->hdr;
	size_t *first = header_first_of(h);

	for (size_t i = 0; i < h->n; i++) {
		const char *name = h->name[i];
		size_t len = h->len[i], k = 0;

		while (k < len && (unsigned char)name[k] >= 0x20 && name[k] != 0x7f)
			k++;
		if (len == 0) {
			if (r->checking)
				problem(r, 1, (long)i + 1, "empty column name");
		} else if (utf8_invalid_at(name, len) < len) {
			problem(r, 1, (long)i + 1, "column name is not valid UTF-8");
		} else if (k < len) {
			problem(r, 1, (long)i + 1, "column name \"%s\" holds a control character",
				cell_shown(name));
		} else if (starts_with_bom(name, len)) {
			problem(r, 1, (long)i + 1,
				"column name starts with a byte-order mark (U+FEFF): a second one, or files joined with cat?");
		}
		if (first[i] != i && len > 0)
			problem(r, 1, (long)i + 1, "duplicate column name \"%s\" (also column %zu)",
				cell_shown(name), first[i] + 1);
	}
	free(first);
}

/* Opens the next file that has a header; 0 when there is none left. */
static int open_next(struct csv_reader *r)
{
	while (next_file(r)) {
		if (!read_row(r)) {
			problem(r, 1, 0, "empty file (no header line)");
			continue;
		}
		r->file_header = 1;
		if (!r->have_header) {
			take_header(r);
			check_header(r);
		} else if (!same_header(r)) {
			problem(r, r->row.line, 0, "the header differs from that of %s",
				r->files[0]);
			continue;       /* checking: the rest of this file is not read */
		}
		return 1;
	}
	return 0;
}

int csv_read_header(struct csv_reader *r)
{
	if (r->cur < 0 && !open_next(r))
		return -1;
	return r->have_header ? 0 : -1;
}

/* The end of all input: a table with a header and no rows is reported
 * (once), so that an empty result is never taken for an answer. */
static int at_end(struct csv_reader *r)
{
	if (r->have_header && r->rows == 0 && !r->said_no_rows) {
		r->said_no_rows = 1;
		problem(r, 1, 0, "no data rows below the header");
	}
	return 0;
}

int csv_next(struct csv_reader *r, struct csv_row **row)
{
	if (r->cur < 0 && csv_read_header(r) != 0)
		return 0;
	for (;;) {
		if (r->cur >= r->nfiles)
			return at_end(r);
		if (read_row(r))
			break;
		if (!open_next(r))
			return at_end(r);
	}
	if (r->row.n != r->hdr.n)
		problem(r, r->row.line, 0, "%zu field%s, the header has %zu",
			r->row.n, r->row.n == 1 ? "" : "s", r->hdr.n);
	if (starts_with_bom(r->row.f[0], r->row.len[0]))
		problem(r, r->row.line, 1,
			"a byte-order mark (U+FEFF) starts this row: files joined with cat?");
	r->rows++;
	*row = &r->row;
	return 1;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->cur >= 0 && r->cur < r->nfiles) {
		csv_free(&r->p);
		for (int i = r->cur; i < r->nfiles; i++)
			if (r->fds[i] != STDIN_FILENO)
				close(r->fds[i]);
	}
	for (size_t i = 0; i < r->hdr.n; i++)
		free(r->hdr.name[i]);
	free(r->hdr.name);
	free(r->hdr.len);
	free(r->fds);
	free(r->files);
	free(r->buf);
	free(r->arena);
	free(r->linebuf);
	free(r->off);
	free(r->flen);
	free(r->row.f);
	free(r->queue);
	free(r);
}
