/* UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates, at
 * most U+10FFFF). */
#ifndef TT_UTF8_H
#define TT_UTF8_H
#include <stddef.h>

/* the code point of the valid multi-byte sequence that s (n bytes) begins
 * with, its length in *len; -1 when s begins with an ASCII byte, an invalid
 * or a truncated sequence (*len untouched) */
long utf8_decode(const char *s, size_t n, size_t *len);

/* offset of the first byte that is not valid UTF-8, or n when all are */
size_t utf8_invalid_at(const char *s, size_t n);

#endif
