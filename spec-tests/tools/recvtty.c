/* recvtty: the receiving end of --console-socket, strict the way clients are.
 *
 *   recvtty SOCKET INFO
 *
 * Listens on SOCKET (a path), accepts one connection and reads one message,
 * which must carry exactly one SCM_RIGHTS control message with exactly one
 * fd (go-runc's and conmon's rules) and a name shorter than 4096 bytes; the
 * fd must be a pty master.  INFO gets one line:
 *   name=<name> fds=<n> tty=<0|1> pts=<N>
 * (written before anything is checked, so a test can see what came), then
 * the master is relayed: its output to stdout, stdin to it, until the last
 * slave closes.  Exits 0, or 1 with a message on stderr if a rule was broken.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 8

static int fail(const char *what)
{
	fprintf(stderr, "recvtty: %s\n", what);
	return 1;
}

static void relay(int master)
{
	char buf[4096];
	int in_open = 1;

	for (;;) {
		struct pollfd p[2] = { { master, POLLIN, 0 }, { in_open ? 0 : -1, POLLIN, 0 } };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[0].revents) {
			ssize_t n = read(master, buf, sizeof(buf));
			if (n <= 0)
				return; /* EIO: every slave is closed */
			if (write(1, buf, (size_t)n) < 0)
				return;
		}
		if (p[1].revents) {
			ssize_t n = read(0, buf, sizeof(buf));
			if (n <= 0)
				in_open = 0;
			else if (write(master, buf, (size_t)n) < 0)
				return;
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char name[8192];
	union {
		char buf[CMSG_SPACE(MAX_FDS * sizeof(int)) * 2];
		struct cmsghdr align;
	} control;
	struct iovec iov = { name, sizeof(name) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			     .msg_controllen = sizeof(control.buf) };
	int fds[MAX_FDS * 2], n_fds = 0, n_cmsg = 0, ptn = -1;

	if (argc != 3 || strlen(argv[1]) >= sizeof(addr.sun_path))
		return fail("usage: recvtty SOCKET INFO");
	strcpy(addr.sun_path, argv[1]);
	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0)
		return fail("cannot listen");
	int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return fail("accept");
	ssize_t len = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
	if (len < 0)
		return fail("recvmsg");
	name[len] = '\0';
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		n_cmsg++;
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && n_fds < MAX_FDS * 2; i++)
			memcpy(&fds[n_fds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	int tty = n_fds >= 1 && isatty(fds[0]);
	if (n_fds >= 1)
		ioctl(fds[0], TIOCGPTN, &ptn);
	FILE *info = fopen(argv[2], "w");
	if (!info)
		return fail("cannot write INFO");
	fprintf(info, "name=%s fds=%d cmsgs=%d tty=%d pts=%d\n", name, n_fds, n_cmsg, tty, ptn);
	fclose(info);
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return fail("message truncated");
	if (len >= 4096)
		return fail("name too long");
	if (n_cmsg != 1 || n_fds != 1 || mh.msg_controllen != CMSG_SPACE(sizeof(int)))
		return fail("not exactly one fd in one SCM_RIGHTS message");
	if (!tty || ptn < 0)
		return fail("the fd is not a pty master");
	close(conn);
	close(lfd);
	relay(fds[0]);
	return 0;
}
