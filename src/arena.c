/* arena.c: a chunked bump allocator (arena.h). */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

#define CHUNK (32 * 1024)
#define ALIGN alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;
	alignas(max_align_t) char data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n > a->left) {
		size_t size = n > CHUNK ? n : CHUNK;
		struct arena_chunk *c = xmalloc(sizeof(*c) + size);
		c->next = a->chunks;
		a->chunks = c;
		a->next = c->data;
		a->left = size;
	}
	void *p = a->next;
	a->next += n;
	a->left -= n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void arena_release(struct arena *a)
{
	while (a->chunks) {
		struct arena_chunk *c = a->chunks;
		a->chunks = c->next;
		free(c);
	}
	a->next = NULL;
	a->left = 0;
}
