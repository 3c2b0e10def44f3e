/* floor: the least a runtime must do to run /bin/true in a container like
 * the benchmark's: one clone with the same namespaces (pid, network, ipc,
 * uts, mount), pivot_root into the rootfs, exec.  No cgroup, no mounts, no
 * state: the kernel's own cost, to see how close each runtime comes to it.
 *   floor ROOTFS */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct clone_args args = {
		.flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS,
		.exit_signal = SIGCHLD,
	};
	int status;

	if (argc != 2) {
		fprintf(stderr, "usage: floor ROOTFS\n");
		return 2;
	}
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		perror("clone3");
		return 1;
	}
	if (pid == 0) {
		if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
		    mount(argv[1], argv[1], NULL, MS_BIND | MS_REC, NULL) < 0 || chdir(argv[1]) < 0 ||
		    syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
			perror("floor");
			_exit(1);
		}
		execl("/bin/true", "true", (char *)NULL);
		perror("exec");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}
