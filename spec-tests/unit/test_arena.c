/* test_arena.c: the chunked bump allocator list's threads keep strings in. */
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tap.h"

int main(void)
{
	struct arena a = ARENA_INIT;

	char *s = arena_strndup(&a, "freezer/extra", 7);
	tap_result(strcmp(s, "freezer") == 0, "strndup copies n bytes and ends them");

	bool aligned = true;
	for (size_t n = 1; n < 200; n++)
		aligned = aligned && (uintptr_t)arena_alloc(&a, n) % alignof(max_align_t) == 0;
	tap_result(aligned, "every block is aligned for any object");

	/* many blocks across chunks keep their contents */
	char *blocks[4000];
	for (int i = 0; i < 4000; i++) {
		blocks[i] = arena_alloc(&a, 40);
		memset(blocks[i], i & 0xff, 40);
	}
	bool kept = true;
	for (int i = 0; i < 4000; i++)
		kept = kept && (unsigned char)blocks[i][0] == (i & 0xff) && (unsigned char)blocks[i][39] == (i & 0xff);
	tap_result(kept && strcmp(s, "freezer") == 0, "4000 blocks over several chunks keep their contents");

	char *big = arena_alloc(&a, 100000);
	memset(big, 'x', 100000);
	char *after = arena_strndup(&a, "after", 5);
	tap_result(big[99999] == 'x' && strcmp(after, "after") == 0, "a block larger than a chunk gets its own");

	arena_release(&a);
	tap_result(a.chunks == NULL && a.left == 0, "release empties the arena");
	s = arena_strndup(&a, "again", 5);
	tap_result(strcmp(s, "again") == 0, "a released arena can be used again");
	arena_release(&a);
	return tap_finish();
}
