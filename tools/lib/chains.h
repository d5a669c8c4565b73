/* Records of one size appended to many lists (a table's groups, say) in
 * one growing array: no allocation per list, each list's records kept in
 * the order they came, linked by 32-bit places.  A struct chain that is
 * zeroed is an empty list. */
#ifndef TT_CHAINS_H
#define TT_CHAINS_H
#include <stddef.h>
#include <stdint.h>

struct chain {
	uint32_t first, last;
	size_t n;
};

struct chains {
	unsigned char *rec;     /* the records, in the order they came */
	uint32_t *next;         /* the place of the same list's next record */
	size_t n, cap, size;
};

void chains_init(struct chains *c, size_t size);
/* room for one more record at the end of list k; a 2^32nd record held is
 * out of memory (exit 1) */
void *chains_add(struct chains *c, struct chain *k);
/* the k->n records of list k, in order, into out */
void chains_copy(const struct chains *c, const struct chain *k, void *out);
/* no record held (every list must then be zeroed again); room kept */
void chains_clear(struct chains *c);
void chains_free(struct chains *c);

#endif
