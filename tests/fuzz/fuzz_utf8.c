/* utf8_invalid_at (utf8.h): RFC 3629 validation for tt-check.
 *
 * The input is any bytes.  Invariants: the offset agrees with a decoder
 * written here that computes each code point and rejects it by value
 * (overlong for its length, a surrogate, above U+10FFFF) rather than by the
 * ranges of the second byte; the valid prefix is reported valid on its own;
 * a valid input stays valid when cut after any whole character and when
 * two valid inputs are joined. */
#include "fuzz.h"
#include "utf8.h"

/* length of the valid character at s[0..n), or 0 */
static size_t char_len(const unsigned char *s, size_t n)
{
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static size_t reference(const unsigned char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n && (k = char_len(s + i, n - i)) > 0)
		i += k;
	return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_copy(data, size);
	size_t at = utf8_invalid_at(s, size);

	CHECK(at <= size);
	CHECK(at == reference(data, size));
	CHECK(utf8_invalid_at(s, at) == at);
	if (at < size) {
		/* the first bad byte starts no valid character */
		CHECK(char_len(data + at, size - at) == 0);
	} else if (size > 0) {
		/* a valid text cut between characters stays valid; joined
		 * with itself it stays valid */
		size_t cut = 0, k;
		char *twice = malloc(2 * size);

		while (cut < size / 2 && (k = char_len(data + cut, size - cut)) > 0)
			cut += k;
		CHECK(utf8_invalid_at(s, cut) == cut);
		if (!twice)
			abort();
		memcpy(twice, s, size);
		memcpy(twice + size, s, size);
		CHECK(utf8_invalid_at(twice, 2 * size) == 2 * size);
		free(twice);
	}
	free(s);
	return 0;
}
