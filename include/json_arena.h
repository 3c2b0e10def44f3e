/* json_arena.h: yajl's allocations served from a buffer of the caller's.
 *
 * A yajl parser allocates its handle, lexer, state stack and a 2 KiB
 * token buffer (at every end of input, even an empty one), and frees them
 * all when it is done.  musl's allocator gives a block that size its own
 * mapping and unmaps it at free: for `list`, a mmap, a munmap and a TLB
 * shootdown of every thread per container.  Parsing one state.json with
 * its allocations on the stack costs none of that.  What does not fit
 * goes to the heap.
 */
#ifndef OCI_RT_JSON_ARENA_H
#define OCI_RT_JSON_ARENA_H

#include <stddef.h>
#include <yajl/yajl_common.h>

struct json_arena {
	char *buf;
	size_t cap;
	size_t used;
	size_t last; /* offset of the last block's header, for growing in place */
};

/* Point a at buf (cap bytes; 16-byte aligned) and fill *funcs for yajl_alloc. */
void json_arena_init(struct json_arena *a, void *buf, size_t cap, yajl_alloc_funcs *funcs);

#endif
