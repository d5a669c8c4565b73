#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csvwrite.h"
#include "pubtable.h"

const char *const pub_format_names[] = { "md", "latex", "html", "csv", NULL };

int pub_format_from(const char *name, enum pub_format *f)
{
	for (size_t i = 0; pub_format_names[i]; i++)
		if (strcmp(name, pub_format_names[i]) == 0) {
			*f = (enum pub_format)i;
			return 0;
		}
	return -1;
}

void pub_init(struct pub_table *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->head = xcalloc(ncols ? ncols : 1, sizeof *t->head);
	t->right = xcalloc(ncols ? ncols : 1, sizeof *t->right);
}

void pub_head(struct pub_table *t, size_t c, const char *text, int right)
{
	free(t->head[c]);
	t->head[c] = xstrdup(text);
	t->right[c] = right;
}

size_t pub_row(struct pub_table *t)
{
	size_t need = (t->nrows + 1) * t->ncols, old = t->nrows * t->ncols;

	t->cells = xgrow(t->cells, &t->cap, need, sizeof *t->cells);
	for (size_t i = old; i < need; i++)
		t->cells[i] = NULL;
	return t->nrows++;
}

void pub_cell(struct pub_table *t, size_t row, size_t c, const char *text)
{
	char **cell = &t->cells[row * t->ncols + c];

	free(*cell);
	*cell = text ? xstrdup(text) : NULL;
}

static void put(const char *s) { out_raw(s, strlen(s)); }

static const char *latex_escape(unsigned char c)
{
	switch (c) {
	case '\\': return "\\textbackslash{}";
	case '~': return "\\textasciitilde{}";
	case '^': return "\\textasciicircum{}";
	case '&': return "\\&";
	case '%': return "\\%";
	case '$': return "\\$";
	case '#': return "\\#";
	case '_': return "\\_";
	case '{': return "\\{";
	case '}': return "\\}";
	default: return NULL;
	}
}

static const char *html_escape(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	default: return NULL;
	}
}

/* a cell's text in format f, escaped; control characters become spaces */
static void put_text(const char *s, enum pub_format f)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		char one = (char)c;

		if (c < 0x20 || c == 0x7f)
			one = ' ';
		else if (f == PUB_MD && c == '|')
			esc = "\\|";
		else if (f == PUB_HTML)
			esc = html_escape(c);
		else if (f == PUB_LATEX)
			esc = latex_escape(c);
		if (esc)
			put(esc);
		else
			out_raw(&one, 1);
	}
}

static const char *cell(const struct pub_table *t, size_t r, size_t c)
{
	return t->cells[r * t->ncols + c];
}

static void write_md(const struct pub_table *t)
{
	put("|");
	for (size_t c = 0; c < t->ncols; c++) {
		put(" ");
		put_text(t->head[c], PUB_MD);
		put(" |");
	}
	put("\n|");
	for (size_t c = 0; c < t->ncols; c++)
		put(t->right[c] ? "---:|" : "---|");
	put("\n");
	for (size_t r = 0; r < t->nrows; r++) {
		put("|");
		for (size_t c = 0; c < t->ncols; c++) {
			put(" ");
			put_text(cell(t, r, c), PUB_MD);
			put(" |");
		}
		put("\n");
	}
}

static void write_latex(const struct pub_table *t)
{
	put("\\begin{tabular}{");
	for (size_t c = 0; c < t->ncols; c++)
		put(t->right[c] ? "r" : "l");
	put("}\n\\toprule\n");
	for (size_t c = 0; c < t->ncols; c++) {
		put(c ? " & " : "");
		put_text(t->head[c], PUB_LATEX);
	}
	put(" \\\\\n\\midrule\n");
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			put(c ? " & " : "");
			put_text(cell(t, r, c), PUB_LATEX);
		}
		put(" \\\\\n");
	}
	put("\\bottomrule\n\\end{tabular}\n");
}

static void write_html(const struct pub_table *t)
{
	put("<table class=\"tt-table\">\n<thead>\n<tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		put(t->right[c] ? "<th class=\"num\">" : "<th>");
		put_text(t->head[c], PUB_HTML);
		put("</th>");
	}
	put("</tr>\n</thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		put("<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			put(t->right[c] ? "<td class=\"num\">" : "<td>");
			put_text(cell(t, r, c), PUB_HTML);
			put("</td>");
		}
		put("</tr>\n");
	}
	put("</tbody>\n</table>\n");
}

static void write_csv(const struct pub_table *t)
{
	for (size_t c = 0; c < t->ncols; c++)
		out_str(t->head[c]);
	out_endrow();
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			out_str(cell(t, r, c) ? cell(t, r, c) : "");
		out_endrow();
	}
}

void pub_write(const struct pub_table *t, enum pub_format f)
{
	switch (f) {
	case PUB_MD: write_md(t); break;
	case PUB_LATEX: write_latex(t); break;
	case PUB_HTML: write_html(t); break;
	case PUB_CSV: write_csv(t); break;
	}
}

void pub_free(struct pub_table *t)
{
	for (size_t c = 0; c < t->ncols; c++)
		free(t->head[c]);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->head);
	free(t->right);
	free(t->cells);
	memset(t, 0, sizeof *t);
}
