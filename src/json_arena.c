/* json_arena.c: a bump allocator over a caller's buffer, as yajl's
 * allocation functions (json_arena.h).  Each block has a 16-byte header
 * holding its size, so realloc can copy it; free gives back only the last
 * block; anything not from the buffer is the heap's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_arena.h"

#define HDR 16 /* keeps blocks 16-byte aligned, like malloc's */

static size_t round_up(size_t n)
{
	return (n + HDR - 1) & ~(size_t)(HDR - 1);
}

static int in_arena(const struct json_arena *a, const void *p)
{
	return (uintptr_t)p >= (uintptr_t)a->buf && (uintptr_t)p < (uintptr_t)a->buf + a->cap;
}

static size_t block_size(const void *p)
{
	size_t n;

	memcpy(&n, (const char *)p - HDR, sizeof(n));
	return n;
}

static void *arena_malloc(void *ctx, size_t n)
{
	struct json_arena *a = ctx;
	size_t need = HDR + round_up(n ? n : 1);

	if (need > a->cap - a->used)
		return malloc(n);
	char *block = a->buf + a->used;
	memcpy(block, &n, sizeof(n));
	a->last = a->used;
	a->used += need;
	return block + HDR;
}

static void arena_free(void *ctx, void *p)
{
	struct json_arena *a = ctx;

	if (!p)
		return;
	if (!in_arena(a, p)) {
		free(p);
		return;
	}
	if ((char *)p - HDR == a->buf + a->last && a->used > a->last)
		a->used = a->last; /* the last block: its room is reused */
}

static void *arena_realloc(void *ctx, void *p, size_t n)
{
	struct json_arena *a = ctx;

	if (!p)
		return arena_malloc(a, n);
	if (!in_arena(a, p))
		return realloc(p, n);
	size_t old = block_size(p);
	/* the last block grows (or shrinks) in place when there is room */
	if ((char *)p - HDR == a->buf + a->last && HDR + round_up(n ? n : 1) <= a->cap - a->last) {
		memcpy((char *)p - HDR, &n, sizeof(n));
		a->used = a->last + HDR + round_up(n ? n : 1);
		return p;
	}
	void *q = arena_malloc(a, n);
	if (q)
		memcpy(q, p, old < n ? old : n);
	return q;
}

void json_arena_init(struct json_arena *a, void *buf, size_t cap, yajl_alloc_funcs *funcs)
{
	a->buf = buf;
	a->cap = cap & ~(size_t)(HDR - 1);
	a->used = 0;
	a->last = 0;
	funcs->malloc = arena_malloc;
	funcs->realloc = arena_realloc;
	funcs->free = arena_free;
	funcs->ctx = a;
}
