#include "utf8.h"

long utf8_decode(const char *str, size_t n, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t need;
	long c;

	if (n == 0 || s[0] < 0xC2 || s[0] > 0xF4)
		return -1;
	need = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (n < need)
		return -1;
	c = s[0] & (0x7F >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((need == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (need == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return -1;	/* overlong, a surrogate, past U+10FFFF */
	*len = need;
	return c;
}

size_t utf8_invalid_at(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80)
			i++;
		else if (utf8_decode(s + i, n - i, &k) >= 0)
			i += k;
		else
			return i;
	}
	return n;
}
