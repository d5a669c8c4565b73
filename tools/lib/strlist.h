/* Comma-separated lists from the command line (columns, ops, missing tokens,
 * values).  An item may be double-quoted to hold a comma: -w 'country="Korea, Republic of"'. */
#ifndef TT_STRLIST_H
#define TT_STRLIST_H
#include <stddef.h>

struct strlist {
	char **v;
	size_t *len;
	size_t n, cap;
};

void strlist_split(struct strlist *l, const char *list);
void strlist_push(struct strlist *l, const char *s, size_t len);
int strlist_find(const struct strlist *l, const char *s, size_t len);
void strlist_free(struct strlist *l);

#endif
