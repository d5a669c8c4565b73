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
/* The list "a, b, c" of n items, item(b, i, ctx) writing the i-th into b
 * after the separator; past max items (0: no limit) the list ends " and N
 * more", so that a note on many units stays readable.  Malloc'd, "" when n
 * is 0. */
char *sb_list(size_t n, size_t max,
	      void (*item)(struct strbuf *b, size_t i, const void *ctx), const void *ctx);
/* the string (malloc'd, "" when empty); the buffer is left empty */
char *sb_take(struct strbuf *b);
/* a malloc'd string from a printf format: sb_vprintf into an empty buffer,
 * taken */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
