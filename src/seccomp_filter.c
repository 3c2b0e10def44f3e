/* seccomp_filter.c: linux.seccomp -> BPF in the runtime, seccomp(2) in the
 * child, the notify listener to the agent (see seccomp_filter.h). */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "seccomp_filter.h"
#include "state.h"
#include "util.h"

#define WHAT "config.json: .linux.seccomp"

/* Linux system calls take at most six arguments. */
#define SYSCALL_MAX_ARGS 6

/* errnoRet is 16 bits in the filter's return value (SECCOMP_RET_DATA). */
#define ERRNO_RET_MAX 0xffff

static void free_ctx(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

/* The libseccomp action for a spec action; ERRNO and TRACE carry errnoRet
 * (EPERM when unset, as runc); the others take none (config-linux.md: the
 * runtime MUST fail). */
static int action_of(int action, bool has_errno, uint32_t errno_ret, const char *what, uint32_t *out,
		     struct error *err)
{
	if (has_errno && action != SPEC_SCMP_ACT_ERRNO && action != SPEC_SCMP_ACT_TRACE)
		return error_set(err, EINVAL, "%s: %s does not return an errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)",
				 what, spec_seccomp_action_name(action));
	if (has_errno && errno_ret > ERRNO_RET_MAX)
		return error_set(err, ERANGE, "%s: %u is out of range (at most %u)", what, errno_ret, ERRNO_RET_MAX);
	uint32_t data = has_errno ? errno_ret : EPERM;

	switch (action) {
	case SPEC_SCMP_ACT_KILL: /* runc: KILL is KILL_THREAD, libseccomp's SCMP_ACT_KILL */
	case SPEC_SCMP_ACT_KILL_THREAD:
		*out = SCMP_ACT_KILL_THREAD;
		break;
	case SPEC_SCMP_ACT_KILL_PROCESS:
		*out = SCMP_ACT_KILL_PROCESS;
		break;
	case SPEC_SCMP_ACT_TRAP:
		*out = SCMP_ACT_TRAP;
		break;
	case SPEC_SCMP_ACT_ERRNO:
		*out = SCMP_ACT_ERRNO(data);
		break;
	case SPEC_SCMP_ACT_TRACE:
		*out = SCMP_ACT_TRACE(data);
		break;
	case SPEC_SCMP_ACT_ALLOW:
		*out = SCMP_ACT_ALLOW;
		break;
	case SPEC_SCMP_ACT_LOG:
		*out = SCMP_ACT_LOG;
		break;
	case SPEC_SCMP_ACT_NOTIFY:
		*out = SCMP_ACT_NOTIFY;
		break;
	default:
		return error_set(err, EINVAL, "%s: unknown action %d", what, action);
	}
	return 0;
}

static const enum scmp_compare ops[] = {
	[SPEC_SCMP_CMP_NE] = SCMP_CMP_NE,	  [SPEC_SCMP_CMP_LT] = SCMP_CMP_LT,
	[SPEC_SCMP_CMP_LE] = SCMP_CMP_LE,	  [SPEC_SCMP_CMP_EQ] = SCMP_CMP_EQ,
	[SPEC_SCMP_CMP_GE] = SCMP_CMP_GE,	  [SPEC_SCMP_CMP_GT] = SCMP_CMP_GT,
	[SPEC_SCMP_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

/* libseccomp's name for SCMP_ARCH_X86_64 is "x86_64": the suffix, lower case. */
static uint32_t arch_token(int arch)
{
	const char *name = spec_seccomp_arch_name(arch);
	char lower[32];
	size_t i = 0;

	if (!name || strncmp(name, "SCMP_ARCH_", 10) != 0)
		return 0;
	for (const char *p = name + 10; *p && i + 1 < sizeof(lower); p++)
		lower[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
}

/* One rule per name.  Conditions on distinct arguments are ANDed in one
 * rule; if an argument appears twice, each condition becomes its own rule
 * (ORed), as runc does. */
static int add_rules(scmp_filter_ctx ctx, const struct spec_syscall *sc, size_t idx, uint32_t def_action,
		     struct error *err)
{
	struct scmp_arg_cmp conds[SYSCALL_MAX_ARGS * 4];
	unsigned count[SYSCALL_MAX_ARGS] = { 0 };
	bool split = false;
	char what[96];
	uint32_t action;

	snprintf(what, sizeof(what), WHAT ".syscalls[%zu].errnoRet", idx);
	if (action_of(sc->action, sc->has_errno_ret, sc->errno_ret, what, &action, err) < 0)
		return -1;
	if (sc->args.n > ARRAY_SIZE(conds))
		return error_set(err, E2BIG, WHAT ".syscalls[%zu].args: more than %zu conditions", idx,
				 ARRAY_SIZE(conds));
	for (size_t a = 0; a < sc->args.n; a++) {
		const struct spec_syscall_arg *arg = &sc->args.v[a];
		if (arg->index >= SYSCALL_MAX_ARGS)
			return error_set(err, EINVAL, WHAT ".syscalls[%zu].args[%zu].index: %u is not below %d", idx, a,
					 arg->index, SYSCALL_MAX_ARGS);
		if (++count[arg->index] > 1)
			split = true;
		/* MASKED_EQ: value is the mask, valueTwo the datum (libseccomp's order) */
		conds[a] = (struct scmp_arg_cmp){ .arg = arg->index,
						  .op = ops[arg->op],
						  .datum_a = arg->value,
						  .datum_b = arg->value_two };
	}
	for (size_t n = 0; n < sc->names.n; n++) {
		const char *name = sc->names.v[n];
		int rc = 0;

		if (sc->action == SPEC_SCMP_ACT_NOTIFY && strcmp(name, "sendmsg") == 0)
			/* the child hands the listener to the runtime with sendmsg:
			 * notified, it would wait for an agent that has no fd yet */
			return error_set(err, EINVAL, "SCMP_ACT_NOTIFY cannot be used for the sendmsg syscall");
		if (action == def_action)
			continue; /* redundant, and libseccomp refuses it */
		int nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR) {
			/* not a syscall of this kernel/libseccomp: skipped, as runc does */
			log_debug("unknown seccomp syscall \"%s\" ignored", name);
			continue;
		}
		if (sc->args.n == 0)
			rc = seccomp_rule_add_array(ctx, action, nr, 0, NULL);
		else if (!split)
			rc = seccomp_rule_add_array(ctx, action, nr, (unsigned)sc->args.n, conds);
		else
			for (size_t a = 0; a < sc->args.n && rc == 0; a++)
				rc = seccomp_rule_add_array(ctx, action, nr, 1, &conds[a]);
		if (rc < 0) {
			errno = -rc;
			return error_sys(err, "error adding seccomp filter rule for syscall %s", name);
		}
	}
	return 0;
}

/* The BPF libseccomp generated, read back from a memfd (libseccomp 2.5
 * exports only to an fd; a pipe could fill up). */
static int export_bpf(scmp_filter_ctx ctx, struct sock_fprog *prog, struct error *err)
{
	cleanup_close int fd = memfd_create("oci-rt-seccomp", MFD_CLOEXEC);
	struct stat st;
	int rc;

	if (fd < 0)
		return error_sys(err, "seccomp: memfd_create");
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		errno = -rc;
		return error_sys(err, "seccomp: export filter");
	}
	if (fstat(fd, &st) < 0)
		return error_sys(err, "seccomp: export filter");
	size_t n = (size_t)st.st_size / sizeof(struct sock_filter);
	if (n == 0 || n > BPF_MAXINSNS || (size_t)st.st_size % sizeof(struct sock_filter))
		return error_set(err, E2BIG, "seccomp: the filter has %zu instructions (at most %d)", n, BPF_MAXINSNS);
	prog->filter = xcalloc(n, sizeof(struct sock_filter));
	prog->len = (unsigned short)n;
	if (pread(fd, prog->filter, (size_t)st.st_size, 0) != st.st_size)
		return error_sys(err, "seccomp: read exported filter");
	return 0;
}

static bool uses_notify(const struct spec_seccomp *s)
{
	if (s->default_action == SPEC_SCMP_ACT_NOTIFY)
		return true;
	for (size_t i = 0; i < s->syscalls.n; i++)
		if (s->syscalls.v[i].action == SPEC_SCMP_ACT_NOTIFY)
			return true;
	return false;
}

static int filter_flags(const struct spec_seccomp *s, bool notify, unsigned int *flags, struct error *err)
{
	*flags = notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	for (size_t i = 0; i < s->flags.n; i++) {
		switch (s->flags.v[i]) {
		case SPEC_SECCOMP_FLAG_TSYNC:
			/* the child is single-threaded, and TSYNC excludes
			 * NEW_LISTENER: recognized and ignored, as runc does */
			break;
		case SPEC_SECCOMP_FLAG_LOG:
			*flags |= SECCOMP_FILTER_FLAG_LOG;
			break;
		case SPEC_SECCOMP_FLAG_SPEC_ALLOW:
			*flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
			break;
		case SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV:
			if (!notify)
				return error_set(err, EINVAL,
						 WHAT ".flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs an SCMP_ACT_NOTIFY rule");
			*flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
			break;
		}
	}
	return 0;
}

int seccomp_filter_build(const struct spec_seccomp *s, struct plan_seccomp **out, struct error *err)
{
	__attribute__((cleanup(free_ctx))) scmp_filter_ctx ctx = NULL;
	struct plan_seccomp *f;
	uint32_t def_action;

	*out = NULL;
	if (!s)
		return 0;
	bool notify = uses_notify(s);
	if (s->default_action == SPEC_SCMP_ACT_NOTIFY)
		/* every syscall, the listener handover included, would wait for an agent */
		return error_set(err, EINVAL, "SCMP_ACT_NOTIFY cannot be used as default action");
	if (notify && (!s->listener_path || !*s->listener_path))
		return error_set(err, EINVAL, WHAT ".listenerPath: required with SCMP_ACT_NOTIFY");
	if (s->listener_metadata && *s->listener_metadata && (!s->listener_path || !*s->listener_path))
		return error_set(err, EINVAL, WHAT ".listenerMetadata: must not be set without listenerPath");
	if (s->listener_path && strlen(s->listener_path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return error_set(err, ENAMETOOLONG, WHAT ".listenerPath: longer than a unix socket path can be");
	if (action_of(s->default_action, s->has_default_errno_ret, s->default_errno_ret, WHAT ".defaultErrnoRet",
		      &def_action, err) < 0)
		return -1;

	f = xcalloc(1, sizeof(*f));
	*out = f;
	f->notify = notify;
	if (filter_flags(s, notify, &f->flags, err) < 0)
		return -1;
	ctx = seccomp_init(def_action);
	if (!ctx)
		return error_set(err, EINVAL, "error creating filter: seccomp_init failed");
	for (size_t i = 0; i < s->architectures.n; i++) {
		uint32_t token = arch_token(s->architectures.v[i]);
		const struct scmp_version *v = seccomp_version();
		if (token == 0)
			return error_set(err, EINVAL, "error adding architecture to seccomp filter: %s is not supported by libseccomp %u.%u.%u",
					 spec_seccomp_arch_name(s->architectures.v[i]), v->major, v->minor, v->micro);
		int rc = seccomp_arch_add(ctx, token);
		if (rc < 0 && rc != -EEXIST) {
			errno = -rc;
			/* EDOM: another byte order or word size than the native one */
			return error_sys(err, "error adding architecture %s to seccomp filter%s",
					 spec_seccomp_arch_name(s->architectures.v[i]),
					 rc == -EDOM ? " (libseccomp cannot mix it with this machine's)" : "");
		}
	}
	/* a binary tree for long profiles (runc: above 32 rules; libseccomp
	 * 2.5 misbehaves with it on empty ones) */
	if (s->syscalls.n > 32)
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; i < s->syscalls.n; i++)
		if (add_rules(ctx, &s->syscalls.v[i], i, def_action, err) < 0)
			return -1;
	return export_bpf(ctx, &f->prog, err);
}

void seccomp_filter_free(struct plan_seccomp *f)
{
	if (!f)
		return;
	free(f->prog.filter);
	free(f);
}

int seccomp_filter_load(const struct plan_seccomp *f, int *listener, struct error *err)
{
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, &f->prog);

	*listener = -1;
	if (r < 0) {
		if (errno == EACCES)
			return error_sys(err, "error loading seccomp filter into kernel: loading seccomp filter (needs noNewPrivileges or CAP_SYS_ADMIN)");
		return error_sys(err, "error loading seccomp filter into kernel: loading seccomp filter");
	}
	if (f->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		*listener = (int)r;
	return 0;
}

int seccomp_filter_send_listener(const struct spec_seccomp *s, const char *state_json, pid_t pid, int fd,
				 struct error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct strbuf sb = STRBUF_INIT;
	cleanup_close int sock = -1;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	int r = -1;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", s->listener_path);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return error_sys(err, "seccomp agent: socket");
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return error_sys(err, "failed to connect with seccomp agent specified in the seccomp profile: dial unix %s",
				 s->listener_path);

	strbuf_puts(&sb, "{\"ociVersion\":");
	strbuf_json_string(&sb, OCI_RT_SPEC_VERSION);
	strbuf_printf(&sb, ",\"fds\":[\"seccompFd\"],\"pid\":%d", (int)pid);
	if (s->listener_metadata && *s->listener_metadata) {
		strbuf_puts(&sb, ",\"metadata\":");
		strbuf_json_string(&sb, s->listener_metadata);
	}
	strbuf_printf(&sb, ",\"state\":%s}", state_json);

	/* the whole state in one sendmsg, the fd with it (config-linux.md) */
	struct iovec iov = { .iov_base = sb.buf, .iov_len = sb.len };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	memset(&control, 0, sizeof(control));
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t n;
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		error_sys(err, "cannot send seccomp fd to %s", s->listener_path);
	else if ((size_t)n != sb.len)
		error_set(err, EIO, "cannot send seccomp fd to %s: short write", s->listener_path);
	else
		r = 0;
	strbuf_release(&sb);
	return r;
}

/* ---- features ---- */

size_t seccomp_filter_archs(const char **names, size_t max)
{
	size_t n = 0;

	/* the architectures this libseccomp can build filters for */
	for (int a = 0; spec_seccomp_arch_name(a) && n < max; a++)
		if (arch_token(a))
			names[n++] = spec_seccomp_arch_name(a);
	return n;
}

/* Whether the kernel accepts filter flags: with a NULL program it fails
 * with EFAULT after checking the flags, EINVAL before. */
static bool flags_supported(unsigned long flags)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
}

size_t seccomp_filter_supported_flags(const char **names, size_t max)
{
	static const unsigned long kernel_flags[] = {
		[SPEC_SECCOMP_FLAG_TSYNC] = 0, /* ignored, see filter_flags */
		[SPEC_SECCOMP_FLAG_LOG] = SECCOMP_FILTER_FLAG_LOG,
		[SPEC_SECCOMP_FLAG_SPEC_ALLOW] = SECCOMP_FILTER_FLAG_SPEC_ALLOW,
		[SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV] =
			SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | SECCOMP_FILTER_FLAG_NEW_LISTENER,
	};
	size_t n = 0;

	for (int f = 0; spec_seccomp_flag_name(f) && (size_t)f < ARRAY_SIZE(kernel_flags) && n < max; f++)
		if (!kernel_flags[f] || flags_supported(kernel_flags[f]))
			names[n++] = spec_seccomp_flag_name(f);
	return n;
}
