/* sync.c: framing for the runtime <-> init protocol (see sync.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sync.h"

static const char *const type_names[] = {
	[SYNC_PARENT_SETUP_DONE] = "parent-setup-done",
	[SYNC_PARENT_HOOKS_DONE] = "parent-hooks-done",
	[SYNC_PARENT_START] = "parent-start",
	[SYNC_PARENT_CGROUPS_READY] = "parent-cgroups-ready",
	[SYNC_INIT_HOOKS] = "init-hooks",
	[SYNC_INIT_CONSOLE] = "init-console",
	[SYNC_INIT_SECCOMP] = "init-seccomp",
	[SYNC_INIT_READY] = "init-ready",
	[SYNC_INIT_ERROR] = "init-error",
	[SYNC_HELPER_PID] = "helper-pid",
};

const char *sync_type_name(enum sync_type type)
{
	if ((unsigned)type < sizeof(type_names) / sizeof(type_names[0]) && type_names[type])
		return type_names[type];
	return "unknown";
}

static int send_packet(int sock, enum sync_type type, const void *payload, uint32_t len, const int *fds,
		       size_t n_fds, struct error *err)
{
	struct sync_hdr hdr = { .type = (uint32_t)type, .len = len };
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = (void *)payload, .iov_len = len },
	};
	union {
		char buf[CMSG_SPACE(sizeof(int) * SYNC_FDS_MAX)];
		struct cmsghdr align;
	} control;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

	if (len > SYNC_PAYLOAD_MAX)
		return error_set(err, EMSGSIZE, "sync: %s payload too large", sync_type_name(type));
	if (n_fds > SYNC_FDS_MAX)
		return error_set(err, EMSGSIZE, "sync: %s with too many fds", sync_type_name(type));
	if (n_fds) {
		memset(&control, 0, sizeof(control));
		mh.msg_control = control.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
	}
	for (;;) {
		if (sendmsg(sock, &mh, MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return error_sys(err, "sync: send %s", sync_type_name(type));
	}
}

int sync_send(int sock, enum sync_type type, const void *payload, uint32_t len, int pass_fd,
	      struct error *err)
{
	return send_packet(sock, type, payload, len, &pass_fd, pass_fd >= 0, err);
}

int sync_send_fds(int sock, enum sync_type type, const int *fds, size_t n_fds, struct error *err)
{
	return send_packet(sock, type, NULL, 0, fds, n_fds, err);
}

void sync_msg_close(struct sync_msg *msg)
{
	for (unsigned i = 0; i < msg->n_fds; i++)
		close(msg->fds[i]);
	msg->n_fds = 0;
}

int sync_take_fd(struct sync_msg *msg)
{
	int fd = -1;

	if (msg->n_fds == 1) {
		fd = msg->fds[0];
		msg->n_fds = 0;
	}
	sync_msg_close(msg);
	return fd;
}

/* One packet; *eof is set (and 0 returned) when the peer's end is closed. */
static int recv_packet(int sock, struct sync_msg *msg, bool *eof, struct error *err)
{
	struct sync_hdr hdr;
	struct iovec iov[2] = {
		{ .iov_base = &hdr, .iov_len = sizeof(hdr) },
		{ .iov_base = msg->payload, .iov_len = sizeof(msg->payload) },
	};
	union {
		char buf[CMSG_SPACE(sizeof(int) * SYNC_FDS_MAX)];
		struct cmsghdr align;
	} control;
	struct msghdr mh = {
		.msg_iov = iov,
		.msg_iovlen = 2,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	ssize_t n;

	msg->n_fds = 0;
	*eof = false;
	/* A peer that exited with one of our messages unread leaves
	 * ECONNRESET, reported once, ahead of what it sent before (its
	 * error): read on to get that, or the end. */
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && (errno == EINTR || errno == ECONNRESET));
	if (n < 0)
		return error_sys(err, "sync: receive");
	if (n == 0) {
		*eof = true;
		return 0;
	}
	/* every fd that came is owned by msg (the buffer holds no more than
	 * SYNC_FDS_MAX: the kernel closes the rest and sets MSG_CTRUNC) */
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0))
			continue;
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && msg->n_fds < SYNC_FDS_MAX; i++)
			memcpy(&msg->fds[msg->n_fds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	if ((size_t)n < sizeof(hdr) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    hdr.len != (size_t)n - sizeof(hdr) || hdr.len > SYNC_PAYLOAD_MAX) {
		sync_msg_close(msg);
		return error_set(err, EPROTO, "sync: malformed message");
	}
	msg->type = (enum sync_type)hdr.type;
	msg->len = hdr.len;
	return 0;
}

int sync_recv(int sock, struct sync_msg *msg, struct error *err)
{
	bool eof;

	if (recv_packet(sock, msg, &eof, err) < 0)
		return -1;
	if (eof)
		return error_set(err, EPIPE, "sync: the container's init exited unexpectedly");
	return 0;
}

int sync_recv_eof(int sock, struct sync_msg *msg, bool *eof, struct error *err)
{
	return recv_packet(sock, msg, eof, err);
}

int sync_take_console(struct sync_msg *msg, int *fd, struct error *err)
{
	int pty = sync_take_fd(msg);

	if (pty < 0 || *fd >= 0) {
		if (pty >= 0)
			close(pty);
		return error_set(err, EPROTO, "sync: init-console without exactly one pty");
	}
	*fd = pty;
	return 0;
}

int sync_unexpected(struct sync_msg *msg, const char *from, struct error *err)
{
	sync_msg_close(msg);
	return error_set(err, EPROTO, "sync: unexpected %s from %s", sync_type_name(msg->type), from);
}

int sync_take_error(const struct sync_msg *msg, struct error *err)
{
	if (msg->len != sizeof(*err))
		return error_set(err, EPROTO, "sync: malformed error from init");
	memcpy(err, msg->payload, sizeof(*err));
	err->msg[sizeof(err->msg) - 1] = '\0';
	return -1;
}

int sync_expect(int sock, enum sync_type type, struct sync_msg *msg, struct error *err)
{
	if (sync_recv(sock, msg, err) < 0)
		return -1;
	if (msg->type == SYNC_INIT_ERROR) {
		sync_msg_close(msg);
		return sync_take_error(msg, err);
	}
	if (msg->type != type) {
		sync_msg_close(msg);
		return error_set(err, EPROTO, "sync: expected %s, got %s", sync_type_name(type),
				 sync_type_name(msg->type));
	}
	return 0;
}

int sync_wait_exec(int sock, struct error *err)
{
	struct sync_msg msg;
	bool eof;

	if (recv_packet(sock, &msg, &eof, err) < 0)
		return -1;
	if (eof)
		return 0; /* the close-on-exec socket went away with the execve */
	sync_msg_close(&msg);
	if (msg.type == SYNC_INIT_ERROR)
		return sync_take_error(&msg, err);
	return error_set(err, EPROTO, "sync: unexpected %s from init", sync_type_name(msg.type));
}

void sync_send_error(int sock, const struct error *err)
{
	struct error ignored;

	sync_send(sock, SYNC_INIT_ERROR, err, sizeof(*err), -1, &ignored);
}
