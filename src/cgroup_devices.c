/* cgroup_devices.c: linux.resources.devices, the device allowlist.
 *
 * The rules are first run through an emulator of the v1 devices
 * controller (as runc does, libcontainer/cgroups/devices): applied in
 * order they leave a default (allow or deny everything) and a list of
 * exceptions.  On v1 that result is written to devices.deny/devices.allow;
 * on cgroup2 it becomes a BPF_PROG_TYPE_CGROUP_DEVICE program (the same
 * program runc's devicefilter generates), loaded with bpf(2) and attached
 * to the container's cgroup, replacing whatever device program was there.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_internal.h"
#include "cleanup.h"
#include "util.h"

#define WILDCARD (-1)
#define ACC_M BPF_DEVCG_ACC_MKNOD
#define ACC_R BPF_DEVCG_ACC_READ
#define ACC_W BPF_DEVCG_ACC_WRITE
#define ACC_ALL (ACC_M | ACC_R | ACC_W)

struct dev_rule {
	char type; /* 'a', 'b', 'c' */
	int64_t major, minor; /* WILDCARD for '*' */
	unsigned access;      /* ACC_* */
	bool allow;
	const char *path;     /* defaults only: the device node it is for */
};

/* runc's AllowedDevices (libcontainer/specconv), appended after the spec's
 * rules: mknod of anything, the default device nodes, ptys and tun. */
static const struct dev_rule default_rules[] = {
	{ 'c', WILDCARD, WILDCARD, ACC_M, true, NULL },
	{ 'b', WILDCARD, WILDCARD, ACC_M, true, NULL },
	{ 'c', 1, 3, ACC_ALL, true, "/dev/null" },
	{ 'c', 1, 8, ACC_ALL, true, "/dev/random" },
	{ 'c', 1, 7, ACC_ALL, true, "/dev/full" },
	{ 'c', 5, 0, ACC_ALL, true, "/dev/tty" },
	{ 'c', 1, 5, ACC_ALL, true, "/dev/zero" },
	{ 'c', 1, 9, ACC_ALL, true, "/dev/urandom" },
	{ 'c', 136, WILDCARD, ACC_ALL, true, NULL }, /* /dev/pts/N */
	{ 'c', 5, 2, ACC_ALL, true, NULL },          /* /dev/ptmx */
	{ 'c', 10, 200, ACC_ALL, true, NULL },       /* /dev/net/tun */
};

struct dev_emu {
	bool default_allow;
	struct dev_rule *v; /* exceptions to the default */
	size_t n;
};

static void emu_release(struct dev_emu *e)
{
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

static void rule_text(const struct dev_rule *r, char *buf, size_t len)
{
	char maj[24] = "*", min[24] = "*";
	char acc[4];
	size_t k = 0;

	if (r->major != WILDCARD)
		snprintf(maj, sizeof(maj), "%" PRId64, r->major);
	if (r->minor != WILDCARD)
		snprintf(min, sizeof(min), "%" PRId64, r->minor);
	if (r->access & ACC_R)
		acc[k++] = 'r';
	if (r->access & ACC_W)
		acc[k++] = 'w';
	if (r->access & ACC_M)
		acc[k++] = 'm';
	acc[k] = '\0';
	snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, acc);
}

static struct dev_rule *emu_find(struct dev_emu *e, char type, int64_t major, int64_t minor)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].type == type && e->v[i].major == major && e->v[i].minor == minor)
			return &e->v[i];
	return NULL;
}

static void emu_add(struct dev_emu *e, const struct dev_rule *r)
{
	struct dev_rule *have = emu_find(e, r->type, r->major, r->minor);

	if (have) {
		have->access |= r->access;
		return;
	}
	e->v = xrealloc(e->v, (e->n + 1) * sizeof(*e->v));
	e->v[e->n] = *r;
	e->v[e->n].allow = !e->default_allow;
	e->n++;
}

/* Taking access away from an exception.  The kernel silently ignores a
 * removal that only part of a wildcard exception covers; like runc, say so
 * instead of leaving the access in place. */
static int emu_remove(struct dev_emu *e, const struct dev_rule *r, struct error *err)
{
	const int64_t partial[3][2] = { { WILDCARD, r->minor }, { r->major, WILDCARD }, { WILDCARD, WILDCARD } };

	for (int k = 0; k < 3; k++) {
		if (partial[k][0] == r->major && partial[k][1] == r->minor)
			continue;
		struct dev_rule *w = emu_find(e, r->type, partial[k][0], partial[k][1]);
		if (w && (w->access & r->access)) {
			char want[64], have[64];
			rule_text(r, want, sizeof(want));
			rule_text(w, have, sizeof(have));
			return error_set(err, EINVAL,
					 "linux.resources.devices: requested rule [%s] not supported by devices cgroupv1 (cannot punch hole in existing wildcard rule [%s])",
					 want, have);
		}
	}
	struct dev_rule *have = emu_find(e, r->type, r->major, r->minor);
	if (have) {
		have->access &= ~r->access;
		if (!have->access) {
			*have = e->v[e->n - 1];
			e->n--;
		}
	}
	return 0;
}

static int emu_apply(struct dev_emu *e, const struct dev_rule *r, struct error *err)
{
	/* an "a" rule resets everything, whatever its numbers (the kernel's rule) */
	if (r->type == 'a') {
		emu_release(e);
		e->default_allow = r->allow;
		return 0;
	}
	if (r->allow == e->default_allow)
		return emu_remove(e, r, err);
	emu_add(e, r);
	return 0;
}

/* linux.resources.devices[i] -> rule, with runc's checks and words. */
static int rule_from_spec(const struct spec_device_cgroup *d, size_t i, struct dev_rule *r, struct error *err)
{
	const char *t = d->type && *d->type ? d->type : "a";

	if (strlen(t) != 1 || !strchr("abc", t[0]))
		return error_set(err, EINVAL, "invalid cgroup device type \"%s\"", t);
	if (!d->access || !*d->access)
		return error_set(err, EINVAL, "device access at %zu field cannot be empty", i);
	r->type = t[0];
	r->major = d->has_major ? d->major : WILDCARD;
	r->minor = d->has_minor ? d->minor : WILDCARD;
	r->allow = d->allow;
	r->path = NULL;
	r->access = 0;
	for (const char *p = d->access; *p; p++) {
		switch (*p) {
		case 'r':
			r->access |= ACC_R;
			break;
		case 'w':
			r->access |= ACC_W;
			break;
		case 'm':
			r->access |= ACC_M;
			break;
		default:
			return error_set(err, EINVAL, "linux.resources.devices[%zu]: invalid access \"%s\" (a combination of r, w and m)",
					 i, d->access);
		}
	}
	if ((r->major != WILDCARD && (r->major < 0 || r->major > UINT32_MAX)) ||
	    (r->minor != WILDCARD && (r->minor < 0 || r->minor > UINT32_MAX)))
		return error_set(err, EINVAL, "linux.resources.devices[%zu]: major/minor out of range", i);
	return 0;
}

static bool path_redefined(const struct spec_device_array *devices, const char *path)
{
	for (size_t i = 0; devices && i < devices->n; i++)
		if (devices->v[i].path && strcmp(devices->v[i].path, path) == 0)
			return true;
	return false;
}

static int build_emulator(const struct spec_device_cgroup_array *rules, const struct spec_device_array *devices,
			  struct dev_emu *e, struct error *err)
{
	struct dev_rule r;

	/* an empty list denies everything: runc's emulator starts as an allowlist */
	e->default_allow = false;
	for (size_t i = 0; rules && i < rules->n; i++) {
		if (rule_from_spec(&rules->v[i], i, &r, err) < 0 || emu_apply(e, &r, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_rules); i++) {
		if (default_rules[i].path && path_redefined(devices, default_rules[i].path))
			continue;
		if (emu_apply(e, &default_rules[i], err) < 0)
			return -1;
	}
	return 0;
}

/* ---- v1 ------------------------------------------------------------ */

/* One open per file, one write per rule (the kernel takes one per write). */
static int write_v1(const char *dir, const struct dev_emu *e, struct error *err)
{
	cleanup_free char *reset_path = xasprintf("%s/%s", dir, e->default_allow ? "devices.allow" : "devices.deny");
	cleanup_free char *exc_path = xasprintf("%s/%s", dir, e->default_allow ? "devices.deny" : "devices.allow");
	cleanup_close int reset = openat(AT_FDCWD, reset_path, O_WRONLY | O_CLOEXEC);
	char buf[64];

	if (reset < 0 || write(reset, "a", 1) != 1)
		return error_sys(err, "linux.resources.devices: write \"a\" to %s", reset_path);
	if (e->n == 0)
		return 0;
	cleanup_close int exc = openat(AT_FDCWD, exc_path, O_WRONLY | O_CLOEXEC);
	if (exc < 0)
		return error_sys(err, "linux.resources.devices: open %s", exc_path);
	for (size_t i = 0; i < e->n; i++) {
		rule_text(&e->v[i], buf, sizeof(buf));
		if (write(exc, buf, strlen(buf)) < 0)
			return error_sys(err, "linux.resources.devices: write \"%s\" to %s", buf, exc_path);
	}
	return 0;
}

/* ---- v2: BPF ------------------------------------------------------- */

struct prog {
	struct bpf_insn *v;
	size_t n, cap;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

/* runc's devicefilter program: r2 = device type, r3 = access, r4 = major,
 * r5 = minor; one block per exception, each jumping to the next block on a
 * mismatch and returning the exception's verdict on a match; the default
 * verdict last. */
static void build_program(const struct dev_emu *e, struct prog *p)
{
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);
	emit(p, BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xFFFF);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 3, 1, 0, 0);
	emit(p, BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0);
	for (size_t i = 0; i < e->n; i++) {
		const struct dev_rule *r = &e->v[i];
		size_t jumps[4], nj = 0;
		jumps[nj++] = p->n;
		emit(p, BPF_JMP | BPF_JNE | BPF_K, 2, 0, 0, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
		if (r->access != ACC_ALL) {
			/* the access asked for must be within the rule's */
			emit(p, BPF_ALU | BPF_MOV | BPF_X, 1, 3, 0, 0);
			emit(p, BPF_ALU | BPF_AND | BPF_K, 1, 0, 0, (int32_t)r->access);
			jumps[nj++] = p->n;
			emit(p, BPF_JMP | BPF_JNE | BPF_X, 1, 3, 0, 0);
		}
		if (r->major != WILDCARD) {
			jumps[nj++] = p->n;
			emit(p, BPF_JMP | BPF_JNE | BPF_K, 4, 0, 0, (int32_t)r->major);
		}
		if (r->minor != WILDCARD) {
			jumps[nj++] = p->n;
			emit(p, BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, (int32_t)r->minor);
		}
		emit(p, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, r->allow ? 1 : 0);
		emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		for (size_t k = 0; k < nj; k++)
			p->v[jumps[k]].off = (int16_t)(p->n - jumps[k] - 1);
	}
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, e->default_allow ? 1 : 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static int bpf_call(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load_program(const struct prog *p, struct error *err)
{
	static char log[8192];
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)p->v;
	attr.insn_cnt = (uint32_t)p->n;
	attr.license = (uint64_t)(uintptr_t)"Apache";
	fd = bpf_call(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	int saved = errno;
	/* again with the verifier's log, for the message */
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	log[0] = '\0';
	fd = bpf_call(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	errno = saved;
	log[strcspn(log, "\n")] = '\0';
	return error_sys(err, "linux.resources.devices: load the device BPF program%s%s", *log ? ": " : "", log);
}

/* Attach ours, then detach the device programs that were there before
 * (runc's order: the cgroup is never without a program in between). */
static int attach_program(const char *dir, int prog_fd, struct error *err)
{
	cleanup_close int cgfd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint32_t old_ids[64];
	uint32_t n_old = 0;
	union bpf_attr attr;

	if (cgfd < 0)
		return error_sys(err, "linux.resources.devices: open %s", dir);
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgfd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)old_ids;
	attr.query.prog_cnt = ARRAY_SIZE(old_ids);
	if (bpf_call(BPF_PROG_QUERY, &attr) == 0)
		n_old = attr.query.prog_cnt;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgfd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (bpf_call(BPF_PROG_ATTACH, &attr) < 0)
		return error_sys(err, "linux.resources.devices: attach the device BPF program to %s", dir);

	for (uint32_t i = 0; i < n_old && i < ARRAY_SIZE(old_ids); i++) {
		memset(&attr, 0, sizeof(attr));
		attr.prog_id = old_ids[i];
		cleanup_close int old = bpf_call(BPF_PROG_GET_FD_BY_ID, &attr);
		if (old < 0)
			continue;
		memset(&attr, 0, sizeof(attr));
		attr.target_fd = (uint32_t)cgfd;
		attr.attach_bpf_fd = (uint32_t)old;
		attr.attach_type = BPF_CGROUP_DEVICE;
		if (bpf_call(BPF_PROG_DETACH, &attr) < 0)
			return error_sys(err, "linux.resources.devices: detach the old device program %u from %s", old_ids[i],
					 dir);
	}
	return 0;
}

static int write_v2(const char *dir, const struct dev_emu *e, struct error *err)
{
	struct prog p = { 0 };
	int r = -1;

	build_program(e, &p);
	int fd = load_program(&p, err);
	if (fd >= 0) {
		r = attach_program(dir, fd, err);
		close(fd); /* the attachment holds the program */
	}
	free(p.v);
	return r;
}

int cgroup_set_devices(const struct cgroup *cg, const struct spec_device_cgroup_array *rules,
		       const struct spec_device_array *devices, struct error *err)
{
	struct dev_emu e = { 0 };
	const char *dir;
	int r;

	if (build_emulator(rules, devices, &e, err) < 0) {
		emu_release(&e);
		return -1;
	}
	if ((dir = cgroup_dir(cg, "devices")))
		r = write_v1(dir, &e, err);
	else if ((dir = cgroup_dir(cg, "")))
		r = write_v2(dir, &e, err);
	else if (rules && rules->n)
		r = error_set(err, ENOTSUP, "linux.resources.devices: the host has no devices controller");
	else
		r = 0;
	emu_release(&e);
	return r;
}
