#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"

void sb_add(struct strbuf *b, const char *s, size_t n)
{
	b->s = xgrow(b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_puts(struct strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
void sb_addc(struct strbuf *b, char c) { sb_add(b, &c, 1); }

void sb_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n <= 0)
		return;
	b->s = xgrow(b->s, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

void sb_item(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;

	sb_add(b, ", ", b->s ? 2 : 0);	/* s is set by the first item, even "" */
	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

char *sb_list(size_t n, size_t max,
	      void (*item)(struct strbuf *b, size_t i, const void *ctx), const void *ctx)
{
	struct strbuf b = { 0 };
	size_t shown = max && n > max ? max : n;

	for (size_t i = 0; i < shown; i++) {
		if (i)
			sb_puts(&b, ", ");
		item(&b, i, ctx);
	}
	if (shown < n)
		sb_printf(&b, " and %zu more", n - shown);
	return sb_take(&b);
}

char *sb_take(struct strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	struct strbuf b = { 0 };

	sb_vprintf(&b, fmt, ap);
	return sb_take(&b);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
