/* UTF-8 validation (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
#ifndef TT_UTF8_H
#define TT_UTF8_H
#include <stddef.h>

/* offset of the first byte that is not valid UTF-8, or n when all are */
size_t utf8_invalid_at(const char *s, size_t n);

#endif
