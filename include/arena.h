/* arena.h: memory that lives as long as its arena, freed all at once.
 *
 * `list` reads a thousand state.json files on two threads; each made a dozen
 * small allocations, and musl's allocator takes one lock for all threads:
 * the threads met on it, slept in futex waits and woke each other up, which
 * spread list's time from 15 to 25 ms.  Each thread allocates from its own
 * arena instead (a malloc per 32 KiB), and the arenas go when list is done.
 */
#ifndef OCI_RT_ARENA_H
#define OCI_RT_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks;
	char *next;
	size_t left;
};

#define ARENA_INIT { 0 }

/* n bytes, aligned for any object; never NULL (out of memory ends the
 * runtime, as xmalloc does). */
void *arena_alloc(struct arena *a, size_t n);
/* s's first n bytes (n <= strlen(s) or s holds n bytes), NUL-terminated. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Free everything allocated from a; a is empty again. */
void arena_release(struct arena *a);

#endif
