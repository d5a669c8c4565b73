#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strlist.h"

void strlist_push(struct strlist *l, const char *s, size_t len)
{
	size_t cap = l->cap;
	l->v = xgrow(l->v, &cap, l->n + 1, sizeof *l->v);
	l->len = xgrow(l->len, &l->cap, l->n + 1, sizeof *l->len);
	l->v[l->n] = xstrndup(s, len);
	l->len[l->n++] = len;
}

/* Items are separated by commas; "..." quotes an item, "" inside it is a quote. */
void strlist_split(struct strlist *l, const char *s)
{
	size_t n = strlen(s), cap = 0, k = 0;
	char *item = NULL;
	int quoted = 0;

	if (n == 0)
		return;
	item = xgrow(item, &cap, n + 1, 1);
	for (const char *p = s;; p++) {
		if (quoted && *p == '"' && p[1] == '"') {
			item[k++] = '"';
			p++;
		} else if (*p == '"' && (quoted || k == 0)) {
			quoted = !quoted;
		} else if (*p == '\0' || (*p == ',' && !quoted)) {
			strlist_push(l, item, k);
			k = 0;
			if (*p == '\0')
				break;
		} else {
			item[k++] = *p;
		}
	}
	free(item);
}

int strlist_find(const struct strlist *l, const char *s, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == len && memcmp(l->v[i], s, len) == 0)
			return (int)i;
	return -1;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->len);
	memset(l, 0, sizeof *l);
}
