/* terminal.c: the container's pty, its hand-over and its relay (see terminal.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs_safe.h"
#include "mount_api.h"
#include "mounts.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* The name runc sends with the master (clients only check its length). */
#define TERMINAL_MASTER_NAME "/dev/ptmx"

/* ---- inside the container ---- */

/* The container's own ptmx: its devpts instance's "ptmx" node (5:2), not
 * a symlink or a device node the image placed elsewhere. */
static int open_ptmx(int rootfd, struct error *err)
{
	cleanup_close int fd = fs_open_exact_in_root(rootfd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY);
	struct statfs sfs;
	struct stat st;

	if (fd < 0)
		return error_sys(err, "open /dev/pts/ptmx in the container (is devpts mounted at /dev/pts?)");
	if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
		return error_sys(err, "stat /dev/pts/ptmx");
	if (sfs.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
		return error_set(err, EINVAL, "/dev/pts/ptmx in the container is not a devpts ptmx");
	return steal_fd(&fd);
}

/* /dev/console becomes the slave: a bind of the slave's own fd (never of a
 * path, CVE-2025-52565) onto a mount point created without following a
 * symlink; an existing node is only used when it is a file or a device. */
static int bind_console(int rootfd, int slave, struct error *err)
{
	cleanup_close int dev = fs_open_nofollow_in_root(rootfd, "/dev", err);
	cleanup_close int target = -1;
	cleanup_close int mfd = -1;
	struct stat st;

	if (dev < 0)
		return error_prefix(err, "/dev/console");
	int fd = openat(dev, "console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0 && errno != EEXIST)
		return error_sys(err, "create /dev/console");
	if (fd >= 0)
		close(fd);
	target = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (target < 0 || fstat(target, &st) < 0)
		return error_sys(err, "open /dev/console");
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		return error_set(err, EINVAL, "/dev/console in the container is neither a file nor a device");
	mfd = open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (mfd < 0)
		return error_sys(err, "bind the pty to /dev/console");
	if (mounts_attach(mfd, target, err) < 0)
		return error_prefix(err, "bind the pty to /dev/console");
	return 0;
}

/* The slave as controlling terminal and stdio of a new session. */
static int take_slave(int slave, uid_t uid, struct error *err)
{
	/* the process must be able to use (and reopen) its own terminal; an
	 * owner the user namespace does not map is left alone, as runc does */
	if (fchown(slave, uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM)
		return error_sys(err, "chown the pty");
	if (setsid() < 0)
		return error_sys(err, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return error_sys(err, "make the pty the controlling terminal");
	for (int i = 0; i <= 2; i++)
		if (dup2(slave, i) < 0)
			return error_sys(err, "dup the pty to fd %d", i);
	return 0;
}

int terminal_setup(int rootfd, const struct plan_process *pp, bool console, int sock,
		   struct error *err)
{
	cleanup_close int master = open_ptmx(rootfd, err);
	cleanup_close int slave = -1;
	int unlock = 0;

	if (master < 0)
		return -1;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return error_sys(err, "unlock the pty");
	/* the slave of this very master, not a /dev/pts/N path someone may swap */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return error_sys(err, "open the pty's slave");
	if (pp->console_rows && pp->console_cols) {
		struct winsize ws = { .ws_row = pp->console_rows, .ws_col = pp->console_cols };
		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			return error_sys(err, "set consoleSize");
	}
	if (console && bind_console(rootfd, slave, err) < 0)
		return -1;
	if (take_slave(slave, pp->uid, err) < 0)
		return -1;
	return sync_send(sock, SYNC_INIT_CONSOLE, NULL, 0, master, err);
}

/* ---- in the runtime ---- */

int terminal_socket_connect(const char *path, struct error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	cleanup_close int fd = -1;

	if (strlen(path) >= sizeof(addr.sun_path))
		return error_set(err, ENAMETOOLONG, "dial unix %s: path too long", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_sys(err, "console socket");
	while (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		if (errno != EINTR)
			return error_sys(err, "dial unix %s: connect", path);
	return steal_fd(&fd);
}

int terminal_socket_send(int sock, int master, struct error *err)
{
	char name[] = TERMINAL_MASTER_NAME;
	struct iovec iov = { .iov_base = name, .iov_len = strlen(name) };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *c;

	memset(&control, 0, sizeof(control));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &master, sizeof(int));
	while (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return error_sys(err, "send the pty master to the console socket");
	return 0;
}

/* The caller's terminal: the first of our stdio that is one. */
static int caller_tty(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			return fd;
	return -1;
}

static void copy_winsize(int master)
{
	struct winsize ws;
	int tty = caller_tty();

	if (tty >= 0 && ioctl(tty, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* One relay: the state of both directions and of the process. */
struct relay {
	int master;
	pid_t pid;
	int wstatus;
	bool exited;
	bool in_open;  /* our stdin still read */
	bool out_open; /* the pty still readable (until EIO: every slave closed) */
	char in[4096];
	size_t in_len, in_off; /* stdin bytes not yet written to the pty */
};

static void reap(struct relay *r)
{
	int st;
	pid_t p;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
		if (p == r->pid) {
			r->wstatus = st;
			r->exited = true;
		}
	}
}

static void pump_out(struct relay *r)
{
	char buf[16384];

	for (;;) {
		ssize_t n = read(r->master, buf, sizeof(buf));
		if (n > 0) {
			/* a caller that stopped reading loses the rest, not the exit status */
			write_all(STDOUT_FILENO, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* EIO: every slave is closed and nothing is left to read */
		if (n == 0 || errno != EAGAIN)
			r->out_open = false;
		return;
	}
}

static void pump_in(struct relay *r, bool readable, bool writable)
{
	if (readable && r->in_len == 0) {
		ssize_t n = read(STDIN_FILENO, r->in, sizeof(r->in));
		if (n > 0) {
			r->in_len = (size_t)n;
			r->in_off = 0;
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			r->in_open = false;
		}
	}
	if (r->in_len && (writable || readable)) {
		ssize_t n = write(r->master, r->in + r->in_off, r->in_len - r->in_off);
		if (n > 0) {
			r->in_off += (size_t)n;
			if (r->in_off == r->in_len)
				r->in_len = r->in_off = 0;
		} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
			r->in_len = r->in_off = 0;
			r->in_open = false;
		}
	}
}

/* How long output may keep coming after the process exited: what it wrote
 * is in the pty within microseconds; a background process of an exec that
 * keeps the slave open must not keep us here. */
#define RELAY_DRAIN_MS 100

static void relay_loop(struct relay *r, int sigfd)
{
	while (r->out_open || !r->exited) {
		struct pollfd p[3] = {
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = r->out_open ? r->master : -1, .events = POLLIN | (r->in_len ? POLLOUT : 0) },
			{ .fd = r->in_open && !r->in_len ? STDIN_FILENO : -1, .events = POLLIN },
		};
		if (!r->out_open && !r->exited) {
			/* the process closed its terminal but runs on: only wait */
			p[1].fd = p[2].fd = -1;
		}
		int n = poll(p, 3, r->exited ? RELAY_DRAIN_MS : -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* drained (or poll failed: give up on the output) */
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					copy_winsize(r->master);
			}
			reap(r);
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
			pump_out(r);
		if (r->in_open && (p[2].revents || (p[1].revents & POLLOUT)))
			pump_in(r, p[2].revents != 0, (p[1].revents & POLLOUT) != 0);
	}
}

int terminal_relay(int master, pid_t pid, int *wstatus, struct error *err)
{
	struct relay r = { .master = master, .pid = pid, .in_open = true, .out_open = true };
	sigset_t mask, old;
	struct termios saved;
	bool raw = false;
	int fl;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, &old);
	cleanup_close int sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sigfd < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(master);
		return error_sys(err, "signalfd");
	}
	fl = fcntl(master, F_GETFL);
	if (fl >= 0)
		fcntl(master, F_SETFL, fl | O_NONBLOCK);
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		struct termios t = saved;
		cfmakeraw(&t);
		raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
	}
	copy_winsize(master);
	reap(&r); /* it may be gone already */
	relay_loop(&r, sigfd);
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	close(master);
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (!r.exited) {
		int st;
		pid_t p = waitpid(pid, &st, 0);
		if (p == pid) {
			r.wstatus = st;
			r.exited = true;
		} else if (p < 0 && errno != EINTR) {
			return error_sys(err, "wait for process %d", (int)pid);
		}
	}
	*wstatus = r.wstatus;
	return 0;
}
