/* seccomp_agent: the seccomp agent of config-linux.md, for tests.
 *
 *   seccomp_agent SOCKET OUT COUNT VALUE
 *
 * Listens on the unix socket SOCKET, takes one connection, receives the
 * container process state (JSON) with its file descriptors (SCM_RIGHTS) and
 * writes the JSON to OUT; then "fds=N messages=M" to OUT.fds (N fds came
 * with the first message, M messages came in all).  Then it answers COUNT
 * notifications on the seccomp fd: each syscall returns VALUE, and
 * "notify syscall=NR pid=PID arg0=A" goes to OUT.log.  Gives up after 30 s. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fwrite(data, 1, len, f);
	return fclose(f);
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	static char buf[1 << 20];
	char path[4096], line[256];
	int lsock, conn, fds[8], nfds = 0, messages = 0, count;
	long value;
	size_t len = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: seccomp_agent SOCKET OUT COUNT VALUE\n");
		return 2;
	}
	count = atoi(argv[3]);
	value = strtol(argv[4], NULL, 0);
	alarm(30);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", argv[1]);
	lsock = socket(AF_UNIX, SOCK_STREAM, 0);
	unlink(argv[1]);
	if (lsock < 0 || bind(lsock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lsock, 1) < 0) {
		perror("listen");
		return 1;
	}
	conn = accept(lsock, NULL, NULL);
	if (conn < 0) {
		perror("accept");
		return 1;
	}
	/* everything the runtime sends until it closes the connection */
	for (;;) {
		union {
			char b[CMSG_SPACE(sizeof(fds))];
			struct cmsghdr align;
		} control;
		struct iovec iov = { buf + len, sizeof(buf) - 1 - len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.b,
				     .msg_controllen = sizeof(control.b) };
		ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
		if (n <= 0)
			break;
		messages++;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
				size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
				memcpy(fds + nfds, CMSG_DATA(c), k * sizeof(int));
				nfds += (int)k;
			}
		len += (size_t)n;
	}
	buf[len] = '\0';
	write_file(argv[2], buf, len);
	snprintf(path, sizeof(path), "%s.fds", argv[2]);
	snprintf(line, sizeof(line), "fds=%d messages=%d\n", nfds, messages);
	write_file(path, line, strlen(line));
	if (nfds != 1)
		return 1;

	snprintf(path, sizeof(path), "%s.log", argv[2]);
	FILE *log = fopen(path, "w");
	setvbuf(log, NULL, _IONBF, 0);
	for (int i = 0; i < count; i++) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		memset(&req, 0, sizeof(req));
		if (ioctl(fds[0], SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR) {
				i--;
				continue;
			}
			fprintf(log, "recv: %s\n", strerror(errno));
			return 1;
		}
		fprintf(log, "notify syscall=%d pid=%u arg0=%llu\n", req.data.nr, req.pid,
			(unsigned long long)req.data.args[0]);
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = value;
		if (ioctl(fds[0], SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
			fprintf(log, "send: %s\n", strerror(errno));
	}
	return 0;
}
