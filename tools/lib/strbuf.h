/* A growing string, for messages and scripts built in pieces. */
#ifndef TT_STRBUF_H
#define TT_STRBUF_H
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *s;          /* NUL-terminated once anything was added; NULL before */
	size_t len, cap;
};

void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
void sb_addc(struct strbuf *b, char c);
void sb_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* an item of a list "a, b, c" in a buffer that holds the list: ", " before
 * every item but the first (an empty first item counts) */
void sb_item(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* the string (malloc'd, "" when empty); the buffer is left empty */
char *sb_take(struct strbuf *b);

#endif
