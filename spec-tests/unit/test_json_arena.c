/* test_json_arena.c: the stack allocator that yajl parses state.json with. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "json_arena.h"
#include "tap.h"

static _Alignas(16) char buf[1024];

static bool inside(const void *p)
{
	return (uintptr_t)p >= (uintptr_t)buf && (uintptr_t)p < (uintptr_t)buf + sizeof(buf);
}

static int strings;

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
	strings++;
	return 1;
}

int main(void)
{
	struct json_arena a;
	yajl_alloc_funcs f;

	json_arena_init(&a, buf, sizeof(buf), &f);
	char *p = f.malloc(f.ctx, 10);
	char *q = f.malloc(f.ctx, 1);
	tap_result(inside(p) && inside(q) && (uintptr_t)p % 16 == 0 && (uintptr_t)q % 16 == 0 && q > p,
		   "blocks come from the buffer, 16-byte aligned, one after the other");

	memcpy(q, "x", 1);
	char *q2 = f.realloc(f.ctx, q, 100);
	tap_result(q2 == q && q2[0] == 'x', "the last block grows in place");

	memcpy(p, "0123456789", 10);
	char *p2 = f.realloc(f.ctx, p, 40);
	tap_result(inside(p2) && p2 != p && memcmp(p2, "0123456789", 10) == 0,
		   "an earlier block grows by a copy of its contents");

	size_t before = a.used;
	f.free(f.ctx, p2);
	char *r = f.malloc(f.ctx, 8);
	tap_result(r == p2 && a.used < before, "freeing the last block lets the next one reuse its room");

	char *big = f.malloc(f.ctx, 4096);
	tap_result(big && !inside(big), "what does not fit comes from the heap");
	memset(big, 'b', 4096);
	char *bigger = f.realloc(f.ctx, big, 8192);
	tap_result(bigger && !inside(bigger) && bigger[4095] == 'b', "a heap block is realloc'ed on the heap");
	f.free(f.ctx, bigger);

	memcpy(r, "abcdefgh", 8);
	char *moved = f.realloc(f.ctx, r, 2048);
	tap_result(moved && !inside(moved) && memcmp(moved, "abcdefgh", 8) == 0,
		   "an arena block grown past the buffer moves to the heap with its contents");
	f.free(f.ctx, moved);

	/* a whole state.json-sized parse fits in 4 KiB: nothing from the heap */
	static _Alignas(16) char big_buf[4096];
	const char *json = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"pid\":42,\"bundle\":\"/b\","
			   "\"cgroupDirs\":{\"pids\":\"/sys/fs/cgroup/pids/c1\"},\"rootless\":false}";
	static const yajl_callbacks cb = { .yajl_string = on_string };
	json_arena_init(&a, big_buf, sizeof(big_buf), &f);
	yajl_handle h = yajl_alloc(&cb, &f, NULL);
	bool ok = h && (uintptr_t)h >= (uintptr_t)big_buf && (uintptr_t)h < (uintptr_t)big_buf + sizeof(big_buf);
	ok = ok && yajl_parse(h, (const unsigned char *)json, strlen(json)) == yajl_status_ok &&
	     yajl_complete_parse(h) == yajl_status_ok;
	size_t peak = a.used;
	yajl_free(h);
	tap_result(ok && strings == 4 && peak <= sizeof(big_buf), "yajl parses a state.json inside a 4 KiB arena (%zu bytes used)", peak);
	return tap_finish();
}
