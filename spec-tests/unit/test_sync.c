/* test_sync.c: the sync protocol's framing (sync.c): fds travel with their
 * message, in order, up to SYNC_FDS_MAX, and every fd a receiver does not
 * take is closed, whatever the message looked like. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sync.h"
#include "tap.h"

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* a packet as a broken or hostile peer might send it: header claiming
 * `claimed` payload bytes, `n` fds */
static void raw_send(int sock, uint32_t type, uint32_t claimed, const int *fds, size_t n)
{
	struct sync_hdr hdr = { .type = type, .len = claimed };
	struct iovec iov = { .iov_base = &hdr, .iov_len = sizeof(hdr) };
	union {
		char buf[CMSG_SPACE(sizeof(int) * 64)];
		struct cmsghdr align;
	} control;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	memset(&control, 0, sizeof(control));
	if (n) {
		mh.msg_control = control.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	if (sendmsg(sock, &mh, 0) < 0)
		perror("sendmsg");
}

int main(void)
{
	int sv[2], pipes[40][2];
	struct sync_msg msg;
	struct error err;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return 1;
	for (int i = 0; i < 40; i++)
		if (pipe2(pipes[i], O_CLOEXEC) < 0)
			return 1;
	int base = open_fds();

	/* one fd, as the [fd] messages carry */
	tap_result(sync_send(sv[0], SYNC_INIT_CONSOLE, NULL, 0, pipes[0][0], &err) == 0, "send one fd");
	tap_result(sync_recv(sv[1], &msg, &err) == 0 && msg.type == SYNC_INIT_CONSOLE && msg.n_fds == 1,
		   "it arrives with its message");
	int fd = sync_take_fd(&msg);
	tap_result(fd >= 0 && same_file(fd, pipes[0][0]) && msg.n_fds == 0, "sync_take_fd hands it over");
	close(fd);

	/* many, in order */
	int many[9];
	for (int i = 0; i < 9; i++)
		many[i] = pipes[i][0];
	tap_result(sync_send_fds(sv[0], SYNC_PARENT_CGROUPS_READY, many, 9, &err) == 0, "send nine fds");
	tap_result(sync_expect(sv[1], SYNC_PARENT_CGROUPS_READY, &msg, &err) == 0 && msg.n_fds == 9, "nine arrive");
	bool order = msg.n_fds == 9;
	for (unsigned i = 0; i < msg.n_fds && order; i++)
		order = same_file(msg.fds[i], many[i]);
	tap_result(order, "each in the place it was sent from");
	sync_msg_close(&msg);
	tap_result(open_fds() == base && msg.n_fds == 0, "sync_msg_close closes them all");

	/* the limit */
	int too_many[SYNC_FDS_MAX + 1];
	for (int i = 0; i <= SYNC_FDS_MAX; i++)
		too_many[i] = pipes[i][0];
	tap_result(sync_send_fds(sv[0], SYNC_PARENT_CGROUPS_READY, too_many, SYNC_FDS_MAX + 1, &err) < 0 &&
			   err.errnum == EMSGSIZE,
		   "more than SYNC_FDS_MAX is refused by the sender (%s)", err.msg);
	tap_result(sync_send_fds(sv[0], SYNC_PARENT_CGROUPS_READY, too_many, SYNC_FDS_MAX, &err) == 0 &&
			   sync_recv(sv[1], &msg, &err) == 0 && msg.n_fds == SYNC_FDS_MAX,
		   "SYNC_FDS_MAX travel");
	sync_msg_close(&msg);

	/* fds nobody takes are closed */
	tap_result(sync_send_fds(sv[0], SYNC_INIT_CONSOLE, many, 2, &err) == 0 && sync_recv(sv[1], &msg, &err) == 0,
		   "two fds where one is expected");
	tap_result(sync_take_fd(&msg) == -1 && open_fds() == base, "sync_take_fd takes neither and closes both");
	sync_send_fds(sv[0], SYNC_INIT_HOOKS, many, 3, &err);
	tap_result(sync_expect(sv[1], SYNC_INIT_READY, &msg, &err) < 0 && err.errnum == EPROTO && open_fds() == base,
		   "a message of another type: protocol error, its fds closed (%s)", err.msg);
	sync_send_fds(sv[0], SYNC_INIT_SECCOMP, many, 3, &err);
	tap_result(sync_recv(sv[1], &msg, &err) == 0 && sync_unexpected(&msg, "test", &err) < 0 && open_fds() == base,
		   "sync_unexpected closes its fds");
	sync_send(sv[0], SYNC_INIT_ERROR, &err, sizeof(err), many[0], &err);
	tap_result(sync_expect(sv[1], SYNC_INIT_READY, &msg, &err) < 0 && open_fds() == base,
		   "an error message's stray fd is closed");

	/* malformed packets */
	raw_send(sv[0], SYNC_PARENT_CGROUPS_READY, 100, many, 4);
	tap_result(sync_recv(sv[1], &msg, &err) < 0 && err.errnum == EPROTO && open_fds() == base,
		   "a length that lies: protocol error, fds closed (%s)", err.msg);
	int forty[40];
	for (int i = 0; i < 40; i++)
		forty[i] = pipes[i][0];
	raw_send(sv[0], SYNC_PARENT_CGROUPS_READY, 0, forty, 40);
	tap_result(sync_recv(sv[1], &msg, &err) < 0 && err.errnum == EPROTO && open_fds() == base,
		   "40 fds (over SYNC_FDS_MAX): protocol error, none left open (%s)", err.msg);

	/* a closed peer */
	close(sv[0]);
	tap_result(sync_recv(sv[1], &msg, &err) < 0 && err.errnum == EPIPE, "EOF: the init exited (%s)", err.msg);
	return tap_finish();
}
