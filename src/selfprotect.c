/* selfprotect.c: the runtime's image moved off the host's binary before a
 * container can see it (see selfprotect.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "mount_api.h"
#include "selfprotect.h"
#include "util.h"

extern char **environ;

/* set across the fallback's re-exec, so that it cannot loop */
#define SEALED_ENV "_OCI_RT_SEALED_EXE"

#define MEMFD_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Already safe: on a read-only mount (ours, or the host's), or a memfd
 * sealed against writes (the fallback's). */
static bool exe_is_protected(int exe)
{
	struct statfs sfs;
	char path[32];

	if (fstatfs(exe, &sfs) < 0)
		return false;
	if (sfs.f_flags & ST_RDONLY)
		return true;
	if (sfs.f_type != TMPFS_MAGIC) /* memfds live on an internal tmpfs */
		return false;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", exe);
	cleanup_close int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	int seals = fd >= 0 ? fcntl(fd, F_GET_SEALS) : -1;
	return seals >= 0 && (seals & MEMFD_SEALS) == MEMFD_SEALS;
}

/* A read-only bind of our binary, cloned from `path` (open_tree only
 * clones mounts of the caller's namespace: the path, not our exe fd, whose
 * mount is the host's).  With `attach`, it goes over `path` itself, in a
 * mount namespace no container sees, and leaves with the init's old root at
 * pivot_root; left detached, closing its last fd costs an RCU grace period
 * (about a millisecond here).  Either way it belongs to no namespace a
 * container could make it writable in. */
static int open_readonly_bind(const char *path, bool attach, struct error *err)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
	cleanup_close int tree = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	char fdpath[32];

	if (tree < 0)
		return error_sys(err, "open_tree of the runtime binary");
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return error_sys(err, "make the runtime binary's bind read-only");
	if (attach) {
		if (move_mount(tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return error_sys(err, "attach the runtime binary's read-only bind on %s", path);
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return error_sys(err, "open the runtime binary's read-only bind");
		return fd;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", tree);
	int fd = openat(AT_FDCWD, fdpath, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_sys(err, "open the runtime binary's read-only bind");
	return fd;
}

/* A copy of the binary in a memfd sealed against writes: for a namespace
 * where the binary has no path (~300 us for this ~1 MB binary). */
static int open_sealed_copy(int exe, struct error *err)
{
	cleanup_close int src = -1, mfd = -1;
	struct stat st;
	char path[32];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", exe);
	src = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	mfd = memfd_create("oci-rt", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (src < 0 || mfd < 0 || fstat(src, &st) < 0)
		return error_sys(err, "copy the runtime binary");
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = sendfile(mfd, src, NULL, (size_t)(st.st_size - done));
		if (n <= 0)
			return error_sys(err, "copy the runtime binary");
		done += n;
	}
	if (fchmod(mfd, 0511) < 0 || fcntl(mfd, F_ADD_SEALS, MEMFD_SEALS) < 0)
		return error_sys(err, "seal the runtime binary's copy");
	return steal_fd(&mfd);
}

/* The main program's file mappings, from its program headers: each
 * PT_LOAD's file-backed pages (the kernel's ELF loader maps them), their
 * protection, and the RELRO pages ld.so made read-only after relocating. */
struct image {
	struct {
		uintptr_t lo, hi;
		off_t off;
		int prot;
		bool written;
	} seg[8];
	size_t n;
	uintptr_t relro_lo, relro_hi;
};

static int collect_image(struct dl_phdr_info *info, size_t size, void *data)
{
	struct image *im = data;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_GNU_RELRO) {
			im->relro_lo = start & ~(page - 1);
			im->relro_hi = (start + ph->p_memsz) & ~(page - 1);
		}
		if (ph->p_type != PT_LOAD || ph->p_filesz == 0 || im->n >= ARRAY_SIZE(im->seg))
			continue;
		im->seg[im->n].lo = start & ~(page - 1);
		im->seg[im->n].hi = (start + ph->p_filesz + page - 1) & ~(page - 1);
		im->seg[im->n].off = (off_t)(ph->p_offset - (start - im->seg[im->n].lo));
		im->seg[im->n].prot = ((ph->p_flags & PF_R) ? PROT_READ : 0) | ((ph->p_flags & PF_W) ? PROT_WRITE : 0) |
				      ((ph->p_flags & PF_X) ? PROT_EXEC : 0);
		im->seg[im->n].written = ph->p_flags & PF_W;
		im->n++;
	}
	return 1; /* the first object is the main program */
}

/* [lo, hi) becomes an anonymous copy of itself with protection `prot`.
 * The kernel copies (process_vm_readv), so sanitizer redzones between
 * globals are not read by instrumented code. */
static int copy_to_anon(uintptr_t lo, uintptr_t hi, int prot, struct error *err)
{
	size_t size = hi - lo;
	/* populated at once: a fault per page costs more here */
	void *copy = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	struct iovec local = { copy, size }, remote = { (void *)lo, size };

	if (copy == MAP_FAILED)
		return error_sys(err, "copy the runtime's data");
	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != (ssize_t)size ||
	    mprotect(copy, size, prot) < 0 ||
	    mremap(copy, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo) == MAP_FAILED) {
		int saved = errno;
		munmap(copy, size);
		errno = saved;
		return error_sys(err, "copy the runtime's data");
	}
	return 0;
}

/* Every file mapping of the binary now comes from `ro`: code and read-only
 * data are mapped from it again (the same pages of the same file, which a
 * forked child faults in either way), in as few calls as the layout allows;
 * what was written (data, relocated RELRO) becomes an anonymous copy. */
static int remap_image(int ro, struct error *err)
{
	struct image im = { .n = 0 };

	dl_iterate_phdr(collect_image, &im);
	for (size_t i = 0; i < im.n;) {
		if (im.seg[i].written) {
			uintptr_t lo = im.seg[i].lo, hi = im.seg[i].hi;
			if (copy_to_anon(lo, hi, im.seg[i].prot, err) < 0)
				return -1;
			uintptr_t rlo = im.relro_lo > lo ? im.relro_lo : lo, rhi = im.relro_hi < hi ? im.relro_hi : hi;
			if (rlo < rhi && mprotect((void *)rlo, rhi - rlo, PROT_READ) < 0)
				return error_sys(err, "protect the runtime's relocated data");
			i++;
			continue;
		}
		/* a run of adjacent read-only segments at matching file offsets:
		 * one mapping with every protection they have (this code runs
		 * from it when the call returns), then each segment's own */
		size_t j = i + 1;
		int prot = im.seg[i].prot;
		while (j < im.n && !im.seg[j].written && im.seg[j].lo == im.seg[j - 1].hi &&
		       (uintptr_t)im.seg[j].off - im.seg[j].lo == (uintptr_t)im.seg[i].off - im.seg[i].lo)
			prot |= im.seg[j++].prot;
		if (mmap((void *)im.seg[i].lo, im.seg[j - 1].hi - im.seg[i].lo, prot, MAP_PRIVATE | MAP_FIXED, ro,
			 im.seg[i].off) == MAP_FAILED)
			return error_sys(err, "remap the runtime's code");
		for (size_t k = i; k < j; k++)
			if (im.seg[k].prot != prot &&
			    mprotect((void *)im.seg[k].lo, im.seg[k].hi - im.seg[k].lo, im.seg[k].prot) < 0)
				return error_sys(err, "remap the runtime's code");
		i = j;
	}
	return 0;
}

/* What the program headers did not account for (the kernel refused the
 * new exe with EBUSY: the old file is still mapped somewhere): every
 * remaining mapping of the binary, from /proc/self/maps. */
static int remap_leftovers(int ro, const struct stat *bin, struct error *err)
{
	cleanup_close int fd = openat(AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
	cleanup_free char *maps = NULL;
	size_t len;

	if (fd < 0 || read_all_fd(fd, 16 << 20, &maps, &len, err) < 0)
		return error_sys(err, "read /proc/self/maps");
	for (char *line = maps, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		unsigned long lo, hi, off, ino;
		unsigned maj, mnr;
		char perms[5];

		nl = strchr(line, '\n');
		if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &lo, &hi, perms, &off, &maj, &mnr, &ino) != 7 ||
		    ino != bin->st_ino || makedev(maj, mnr) != bin->st_dev)
			continue;
		int prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
			   (perms[2] == 'x' ? PROT_EXEC : 0);
		if (perms[1] == 'w' || (prot == PROT_READ)) {
			if (copy_to_anon(lo, hi, prot, err) < 0)
				return -1;
		} else if (mmap((void *)lo, hi - lo, prot, MAP_PRIVATE | MAP_FIXED, ro, (off_t)off) == MAP_FAILED) {
			return error_sys(err, "remap the runtime's code");
		}
	}
	return 0;
}

/* prctl(PR_SET_MM_MAP) sets every field at once: the current ones, from
 * /proc/self/stat (fields 26-28 and 45-51), with only exe_fd new. */
static int set_exe_file(int ro, struct error *err)
{
	cleanup_close int fd = openat(AT_FDCWD, "/proc/self/stat", O_RDONLY | O_CLOEXEC);
	unsigned long long f[53] = { 0 };
	char buf[1024];
	ssize_t n;

	if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
		return error_sys(err, "read /proc/self/stat");
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p || !p[1])
		return error_set(err, EINVAL, "malformed /proc/self/stat");
	/* p + 2 is field 3 (the state), the numbers follow */
	p += 2;
	for (int i = 3; i < 53 && p; i++) {
		f[i] = i == 3 ? 0 : strtoull(p, NULL, 10);
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	struct prctl_mm_map map = {
		.start_code = f[26],
		.end_code = f[27],
		.start_stack = f[28],
		.start_data = f[45],
		.end_data = f[46],
		.start_brk = f[47],
		.brk = (uint64_t)syscall(SYS_brk, 0),
		.arg_start = f[48],
		.arg_end = f[49],
		.env_start = f[50],
		.env_end = f[51],
		.exe_fd = (uint32_t)ro,
	};
	if (prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof(map), 0) < 0)
		return error_sys(err, "point /proc/self/exe at the read-only bind (prctl PR_SET_MM_MAP)");
	return 0;
}

/* The binary's path in this mount namespace, where the bind is cloned
 * from (the caller checks that it is the very file). */
static const char *own_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	if (n <= 0 || buf[0] != '/')
		return NULL;
	buf[n] = '\0';
	return buf;
}

static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int selfprotect_exe(const char *rootfs, struct error *err)
{
	cleanup_close int exe = openat(AT_FDCWD, "/proc/self/exe", O_PATH | O_CLOEXEC);
	cleanup_close int ro = -1;
	char buf[PATH_MAX];
	const char *path;
	struct stat bin, st;

	if (exe < 0)
		return error_sys(err, "open /proc/self/exe");
	if (exe_is_protected(exe))
		return 0;
	path = own_path(buf, sizeof(buf));
	if (path)
		ro = open_readonly_bind(path, rootfs && !below(path, rootfs), err);
	if (fstat(exe, &bin) < 0 || (ro >= 0 && fstat(ro, &st) < 0))
		return error_sys(err, "stat the runtime binary");
	if (ro >= 0 && (bin.st_dev != st.st_dev || bin.st_ino != st.st_ino)) {
		/* the path names another file now (an upgrade replaced it) */
		error_set(err, ESTALE, "%s is not the running binary", path);
		close(steal_fd(&ro));
	}
	if (ro < 0) {
		if (path)
			log_debug("%s: using a sealed copy", err->msg);
		ro = open_sealed_copy(exe, err);
		if (ro < 0)
			return error_prefix(err, "protect the runtime binary (CVE-2019-5736)");
	}
	if (remap_image(ro, err) < 0)
		return error_prefix(err, "protect the runtime binary (CVE-2019-5736)");
	if (set_exe_file(ro, err) < 0 && (err->errnum != EBUSY || remap_leftovers(ro, &bin, err) < 0 ||
					   set_exe_file(ro, err) < 0))
		return error_prefix(err, "protect the runtime binary (CVE-2019-5736)");
	return 0;
}

/* The fallback: run again from a sealed memfd copy, same arguments. */
static int reexec_sealed(int exe, struct error *err)
{
	cleanup_close int mfd = open_sealed_copy(exe, err);
	cleanup_close int cmd = -1;
	cleanup_free char *cmdline = NULL;
	cleanup_free char **argv = NULL;
	size_t len, argc = 0;

	if (mfd < 0)
		return -1;
	cmd = openat(AT_FDCWD, "/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (cmd < 0 || read_all_fd(cmd, 1 << 20, &cmdline, &len, err) < 0)
		return error_sys(err, "read /proc/self/cmdline");
	for (size_t i = 0; i < len; i++)
		argc += cmdline[i] == '\0';
	argv = xcalloc(argc + 1, sizeof(char *));
	for (size_t i = 0, a = 0; i < len && a < argc; i += strlen(cmdline + i) + 1)
		argv[a++] = cmdline + i;
	if (setenv(SEALED_ENV, "1", 1) < 0)
		return error_sys(err, "setenv");
	log_debug("re-executing from a sealed copy of the binary");
	syscall(SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
	return error_sys(err, "re-execute the runtime from its sealed copy");
}

int selfprotect_prepare(struct error *err)
{
	unsigned int size;
	cleanup_close int exe = -1;

	/* the kernel can repoint /proc/self/exe (CONFIG_CHECKPOINT_RESTORE):
	 * the init will, with the capabilities it has in its namespaces */
	if (prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0) == 0 && size == sizeof(struct prctl_mm_map))
		return 0;
	exe = openat(AT_FDCWD, "/proc/self/exe", O_PATH | O_CLOEXEC);
	if (exe < 0)
		return error_sys(err, "open /proc/self/exe");
	if (exe_is_protected(exe)) {
		unsetenv(SEALED_ENV);
		return 0;
	}
	if (getenv(SEALED_ENV))
		return error_set(err, EPERM, "the runtime could not protect its binary (CVE-2019-5736)");
	if (reexec_sealed(exe, err) < 0)
		return error_prefix(err, "protect the runtime binary (CVE-2019-5736)");
	return -1; /* not reached */
}
