/* scmp_probe: make system calls with chosen arguments and print what the
 * kernel (and the container's seccomp filter) answered, one line each.
 * Built static, copied into test rootfs.
 *
 *   scmp_probe STEP...
 *     NR[:A0[:A1...]]        syscall(NR, A0..A5) -> "NR ret=R errno=E"
 *     thread:NR[:A0...]      the same in a second thread; then "main alive"
 *     int80:NR[:A0...]       the i386 system call NR through int $0x80
 *     trap                   catch SIGSYS from here on: "SIGSYS syscall=N"
 *     echo:TEXT              print TEXT
 *     out:PATH               print to PATH (created) from here on
 * Numbers take C syntax (0x..).  Output is unbuffered: what was printed
 * before a kill is there. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct call {
	long nr;
	unsigned long long a[6];
};

static void parse(const char *s, struct call *c)
{
	char *end;

	memset(c, 0, sizeof(*c));
	c->nr = strtol(s, &end, 0);
	for (int i = 0; i < 6 && *end == ':'; i++)
		c->a[i] = strtoull(end + 1, &end, 0);
}

static void report(const struct call *c, long ret, int err)
{
	printf("%ld ret=%ld errno=%d\n", c->nr, ret, ret < 0 ? err : 0);
}

static void *in_thread(void *p)
{
	struct call *c = p;
	long r = syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
	report(c, r, errno);
	return NULL;
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "SIGSYS syscall=%d\n", si->si_syscall);

	(void)sig;
	(void)uc;
	if (write(1, buf, (size_t)n) < 0)
		return;
}

#if defined(__x86_64__)
static long int80(const struct call *c)
{
	long ret;
	/* only the low 32 bits of each argument reach a compat system call */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(c->nr), "b"(c->a[0]), "c"(c->a[1]), "d"(c->a[2]), "S"(c->a[3]), "D"(c->a[4])
			 : "memory");
	return ret;
}
#endif

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		struct call c;

		if (strncmp(s, "echo:", 5) == 0) {
			printf("%s\n", s + 5);
		} else if (strncmp(s, "out:", 4) == 0) {
			int fd = open(s + 4, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
			if (fd < 0 || dup2(fd, 1) < 0)
				return 2;
		} else if (strcmp(s, "trap") == 0) {
			struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
			sigaction(SIGSYS, &sa, NULL);
		} else if (strncmp(s, "thread:", 7) == 0) {
			pthread_t t;
			parse(s + 7, &c);
			pthread_create(&t, NULL, in_thread, &c);
			pthread_join(t, NULL);
			printf("main alive\n");
		} else if (strncmp(s, "int80:", 6) == 0) {
			parse(s + 6, &c);
#if defined(__x86_64__)
			long r = int80(&c);
			report(&c, r < 0 && r > -4096 ? -1 : r, r < 0 && r > -4096 ? (int)-r : 0);
#else
			printf("int80 unsupported\n");
#endif
		} else {
			parse(s, &c);
			long r = syscall(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4], c.a[5]);
			report(&c, r, errno);
		}
	}
	return 0;
}
