/* floor: the least a runtime must do to run a process in a container like
 * the benchmark's, to see how close each runtime comes to the kernel's own
 * cost.  No state, no config, no sync, no checks.
 *
 *   floor ROOTFS          one clone with the same namespaces (pid, network,
 *                         ipc, uts, mount), pivot_root into the rootfs, exec
 *                         /bin/true, wait for it: beside `run /bin/true`
 *   floor -c NAME ROOTFS  beside create + start of a container that sleeps:
 *                         also a cgroup NAME in every v1 hierarchy (cpuset's
 *                         cpus and mems copied from the parent) and the
 *                         default spec's kernel mounts (proc, /dev tmpfs,
 *                         devpts, shm, mqueue, sysfs, /sys/fs/cgroup); the
 *                         container execs `sleep` and floor returns once it
 *                         has, leaving it running in its cgroups, as the
 *                         runtimes leave theirs (the benchmark kills it)
 * The parallel rows run `floor -c` side by side with the runtimes: how the
 * kernel's part of a container grows with N is a bound on any runtime's. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CGROOT "/sys/fs/cgroup"

static int copy_file(const char *from, const char *to)
{
	char buf[256];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = open(to, O_WRONLY | O_CLOEXEC);
	ssize_t n = in < 0 ? -1 : read(in, buf, sizeof(buf));
	int ok = n > 0 && out >= 0 && write(out, buf, (size_t)n) == n;

	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ok ? 0 : -1;
}

/* the next cgroup hierarchy mounted under /sys/fs/cgroup (links like
 * cpu,cpuacct skipped), NULL after the last */
static struct dirent *next_hierarchy(DIR *d)
{
	struct dirent *e;
	char path[512];
	struct statfs fs;

	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), CGROOT "/%s", e->d_name);
		if (statfs(path, &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC)
			return e;
	}
	return NULL;
}

/* each hierarchy: make NAME in it and join it */
static int cgroups(const char *name)
{
	DIR *d = opendir(CGROOT);
	struct dirent *e;
	char path[512];
	int rc = 0;

	if (!d)
		return -1;
	while ((e = next_hierarchy(d))) {
		snprintf(path, sizeof(path), CGROOT "/%s/%s", e->d_name, name);
		if (mkdir(path, 0755) < 0) {
			rc = -1;
			continue;
		}
		char from[512], to[600];
		if (strcmp(e->d_name, "cpuset") == 0) {
			snprintf(from, sizeof(from), CGROOT "/%s/cpuset.cpus", e->d_name);
			snprintf(to, sizeof(to), "%s/cpuset.cpus", path);
			rc |= copy_file(from, to);
			snprintf(from, sizeof(from), CGROOT "/%s/cpuset.mems", e->d_name);
			snprintf(to, sizeof(to), "%s/cpuset.mems", path);
			rc |= copy_file(from, to);
		}
		snprintf(to, sizeof(to), "%s/cgroup.procs", path);
		int fd = open(to, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			rc = -1;
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return rc;
}

/* the kernel mounts of runc's default spec, below the rootfs (the cwd) */
static int kernel_mounts(const char *name)
{
	const unsigned long nse = MS_NOSUID | MS_NOEXEC | MS_NODEV;
	char src[512], dst[512];
	DIR *d;
	struct dirent *e;

	if (mount("proc", "proc", "proc", nse, NULL) < 0 ||
	    mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k") < 0 ||
	    mkdir("dev/pts", 0755) < 0 || mkdir("dev/shm", 0755) < 0 || mkdir("dev/mqueue", 0755) < 0 ||
	    mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0 ||
	    mount("shm", "dev/shm", "tmpfs", nse, "mode=1777,size=65536k") < 0 ||
	    mount("mqueue", "dev/mqueue", "mqueue", nse, NULL) < 0 ||
	    mount("sysfs", "sys", "sysfs", nse | MS_RDONLY, NULL) < 0 ||
	    mount("tmpfs", "sys/fs/cgroup", "tmpfs", nse, "mode=755") < 0)
		return -1;
	/* no cgroup namespace: each hierarchy's own cgroup bound in */
	if (!(d = opendir(CGROOT)))
		return -1;
	while ((e = next_hierarchy(d))) {
		snprintf(src, sizeof(src), CGROOT "/%s/%s", e->d_name, name);
		snprintf(dst, sizeof(dst), "sys/fs/cgroup/%s", e->d_name);
		if (mkdir(dst, 0755) < 0 || mount(src, dst, NULL, MS_BIND, NULL) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

/* the container's setup failed: say so on fd (-1: none), where floor -c waits */
static _Noreturn void child_fails(int fd, const char *what, int code)
{
	ssize_t n;

	perror(what);
	if (fd >= 0) {
		n = write(fd, "", 1);
		(void)n;
	}
	_exit(code);
}

int main(int argc, char **argv)
{
	struct clone_args args = {
		.flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS,
		.exit_signal = SIGCHLD,
	};
	const char *name = NULL;
	int status, ready[2] = { -1, -1 };
	char failed;

	if (argc == 4 && strcmp(argv[1], "-c") == 0) {
		name = argv[2];
		argv += 2;
	} else if (argc != 2) {
		fprintf(stderr, "usage: floor [-c NAME] ROOTFS\n");
		return 2;
	}
	if (name && cgroups(name) < 0) {
		perror("floor: cgroups");
		return 1;
	}
	/* -c: closed by the container's exec, or written to when it fails
	 * (floor ROOTFS waits for /bin/true to exit and needs none) */
	if (name && pipe2(ready, O_CLOEXEC) < 0) {
		perror("pipe2");
		return 1;
	}
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		perror("clone3");
		return 1;
	}
	if (pid == 0) {
		if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
		    mount(argv[1], argv[1], NULL, MS_BIND | MS_REC, NULL) < 0 || chdir(argv[1]) < 0 ||
		    (name && kernel_mounts(name) < 0) || syscall(SYS_pivot_root, ".", ".") < 0 ||
		    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
			child_fails(ready[1], "floor", 1);
		if (name)
			execl("/bin/sleep", "sleep", "1000000", (char *)NULL);
		else
			execl("/bin/true", "true", (char *)NULL);
		child_fails(ready[1], "exec", 127);
	}
	if (name) {
		close(ready[1]);
		if (read(ready[0], &failed, 1) == 0)
			return 0; /* it sleeps: left running, as a started container */
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}
