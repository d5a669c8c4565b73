/* Publication tables: a grid of text cells with a header row, written as
 * Markdown (GitHub's pipe tables), LaTeX (tabular with booktabs rules),
 * an HTML <table>, or CSV.  Each format's special characters in a cell are
 * escaped, and in the first three control characters (a newline in a
 * country name) become spaces, so no cell can break the table's structure;
 * CSV quotes such a cell instead. */
#ifndef TT_PUBTABLE_H
#define TT_PUBTABLE_H
#include <stddef.h>

enum pub_format { PUB_MD, PUB_LATEX, PUB_HTML, PUB_CSV };

/* the formats' names, in the enum's order, ending with NULL */
extern const char *const pub_format_names[];
/* "md", "latex", "html" or "csv": 0 and *f set, else -1 */
int pub_format_from(const char *name, enum pub_format *f);

struct pub_table {
	size_t ncols, nrows, cap;
	char **head;        /* ncols names */
	int *right;         /* ncols flags: right-aligned (numbers) */
	char **cells;       /* nrows * ncols, row by row; NULL is an empty cell */
};

void pub_init(struct pub_table *t, size_t ncols);
/* column c's header text (copied) and alignment */
void pub_head(struct pub_table *t, size_t c, const char *text, int right);
/* a new row of ncols empty cells; returns its index */
size_t pub_row(struct pub_table *t);
/* sets a cell (the text is copied) */
void pub_cell(struct pub_table *t, size_t row, size_t c, const char *text);
/* writes the table to standard output (csvwrite.h) */
void pub_write(const struct pub_table *t, enum pub_format f);
void pub_free(struct pub_table *t);

#endif
