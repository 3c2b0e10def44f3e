/* create.c: the runtime's side of create (and of run).
 *
 * Parse, plan, make the state directory and the cgroup, clone the init with
 * every namespace at once, give it its id maps and cgroups, answer its
 * requests until it is ready, then record the state and the pid file.  A
 * failure at any step undoes every earlier one: no state dir, cgroup, mount
 * or process is left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "namespaces.h"
#include "plan.h"
#include "process.h"
#include "seccomp_filter.h"
#include "selfprotect.h"
#include "state.h"
#include "sync.h"
#include "systemd_bus.h"
#include "terminal.h"
#include "timing.h"
#include "util.h"

/* createContainer and startContainer hooks run in the init: hand it the
 * "creating" and "created" states in a memfd ("creating\0created\0"). */
static int hook_states_fd(const struct container_state *st, struct error *err)
{
	cleanup_free char *creating = state_hook_json(st, "creating");
	cleanup_free char *created = state_hook_json(st, "created");
	cleanup_close int fd = memfd_create("oci-rt-hook-state", MFD_CLOEXEC);

	if (fd < 0)
		return error_sys(err, "memfd_create");
	if (write_all(fd, creating, strlen(creating) + 1) < 0 ||
	    write_all(fd, created, strlen(created) + 1) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		return error_sys(err, "write hook state");
	return steal_fd(&fd);
}

static bool spec_has_hooks(const struct spec *spec, bool in_container)
{
	if (!spec->hooks)
		return false;
	if (in_container)
		return spec->hooks->create_container.n || spec->hooks->start_container.n;
	return spec->hooks->prestart.n || spec->hooks->create_runtime.n;
}

/* Talk to the init until it is ready (see sync.h). */
static int serve_init(struct created *c, int sock, struct error *err)
{
	const struct spec *spec = c->spec;
	struct sync_msg msg;

	for (;;) {
		if (sync_recv(sock, &msg, err) < 0)
			return -1;
		switch (msg.type) {
		case SYNC_INIT_READY:
			return 0;
		case SYNC_INIT_HOOKS: {
			cleanup_free char *state = state_hook_json(&c->state, "creating");
			if (hooks_run(&spec->hooks->prestart, "prestart", state, NULL, err) < 0 ||
			    hooks_run(&spec->hooks->create_runtime, "createRuntime", state, NULL, err) < 0)
				return -1;
			if (sync_send(sock, SYNC_PARENT_HOOKS_DONE, NULL, 0, -1, err) < 0)
				return -1;
			break;
		}
		case SYNC_INIT_CONSOLE:
			if (sync_take_console(&msg, &c->console_fd, err) < 0)
				return -1;
			break;
		case SYNC_INIT_SECCOMP: {
			/* the init's notify listener, for the agent at listenerPath */
			cleanup_close int fd = sync_take_fd(&msg);
			cleanup_free char *state = state_hook_json(&c->state, "creating");
			if (fd < 0 || !spec->linux_ || !spec->linux_->seccomp)
				return error_set(err, EPROTO, "sync: %s without a listener", sync_type_name(msg.type));
			if (seccomp_filter_send_listener(spec->linux_->seccomp, state, c->state.pid, fd, err) < 0)
				return -1;
			break;
		}
		case SYNC_INIT_ERROR:
			return sync_take_error(&msg, err);
		default:
			return sync_unexpected(&msg, "init", err);
		}
	}
}

/* The helper child of spawn_via_helper: enter the namespaces, clone the
 * init for the runtime, report its pid, exit. */
__attribute__((noreturn)) static void helper_main(struct created *c, struct plan *plan, int parent_sock,
						   int child_sock, unsigned long flags)
{
	struct error err;
	bool into_cgroup;
	int32_t wire;
	pid_t pid;

	error_clear(&err);
	close(c->dirfd);
	close(parent_sock);
	if (ns_join_before_clone(plan, &err) < 0)
		goto fail;
	/* the runtime enters the init's cgroups itself (clone3 could only
	 * place it from here with the joined user namespace's permissions) */
	pid = process_clone(flags | CLONE_PARENT, -1, &into_cgroup);
	if (pid < 0) {
		error_sys(&err, "clone3");
		goto fail;
	}
	if (pid == 0)
		init_main(plan, child_sock);
	wire = (int32_t)pid;
	if (sync_send(child_sock, SYNC_HELPER_PID, &wire, sizeof(wire), -1, &err) < 0) {
		kill(pid, SIGKILL);
		_exit(2);
	}
	_exit(0);
fail:
	sync_send_error(child_sock, &err);
	_exit(1);
}

/* A user namespace joined by path (or a new one next to namespaces joined
 * by path) has to be entered before the clone that makes the others, and
 * the runtime could not leave it again: a short-lived child enters them and
 * clones the init with CLONE_PARENT, so the init is still the runtime's own
 * child (`run` waits for it, a subreaper reaps it).  Only this path pays for
 * the extra fork.  Returns the init's pid. */
static pid_t spawn_via_helper(struct created *c, struct plan *plan, int parent_sock, int child_sock,
			      unsigned long flags, struct error *err)
{
	struct sync_msg msg;
	siginfo_t si = { 0 };
	int status;
	pid_t helper = fork();

	if (helper < 0)
		return error_sys(err, "fork namespace helper");
	if (helper == 0)
		helper_main(c, plan, parent_sock, child_sock, flags);
	while (waitpid(helper, &status, 0) < 0)
		if (errno != EINTR)
			return error_sys(err, "wait for namespace helper");
	/* exit 0 or 1: its message (pid or error) was sent before it exited,
	 * so the receive below cannot block */
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return error_set(err, ECHILD, "namespace helper failed (wait status %#x)", (unsigned)status);
	if (sync_expect(parent_sock, SYNC_HELPER_PID, &msg, err) < 0)
		return -1;
	int32_t wire = 0;
	if (msg.len == sizeof(wire))
		memcpy(&wire, msg.payload, sizeof(wire));
	/* it must be our child, or we would kill or wait for a stranger */
	if (wire <= 0 || waitid(P_PID, (id_t)wire, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return error_set(err, EPROTO, "sync: invalid init pid from namespace helper");
	return (pid_t)wire;
}

/* The usual path: one clone3 from the runtime itself, into a pid namespace
 * joined by path if there is one.  Returns the init's pid. */
static pid_t clone_direct(struct created *c, const struct plan *plan, const struct cgroup *cg,
			  int parent_sock, int child_sock, unsigned long flags, bool *into_cgroup,
			  struct error *err)
{
	cleanup_close int own_pid = -1;
	cleanup_pid pid_t pid = 0;

	/* the joined pid namespace only for this clone: the runtime's later
	 * children (hooks) are born in its own */
	if (ns_enter_pid_for_children(plan->ns_join_fd[SPEC_NS_PID], &own_pid, err) < 0)
		return -1;
	pid = process_clone(flags, cg->unified_fd, into_cgroup);
	if (pid == 0) {
		/* the state dir's flock lives as long as any copy of its fd:
		 * the waiting init must not keep the container locked */
		close(c->dirfd);
		close(parent_sock);
		init_main(plan, child_sock);
	}
	int clone_errno = errno;
	if (own_pid >= 0 && setns(own_pid, CLONE_NEWPID) < 0)
		return error_sys(err, "return to own pid namespace");
	if (pid < 0) {
		errno = clone_errno;
		if (clone_errno == ENOMEM && own_pid >= 0)
			return error_sys(err, "clone3 into the joined pid namespace (has its init exited?)");
		return error_sys(err, "clone3");
	}
	return steal_pid(&pid);
}

/* linux.resources and the device rules, into every hierarchy made so far. */
static int cgroup_set_limits(const struct spec *spec, const struct cgroup *cg, struct error *err)
{
	const struct spec_linux *l = spec->linux_;

	if (cgroup_set_devices(cg, l && l->resources ? &l->resources->devices : NULL, l ? &l->devices : NULL, err) < 0)
		return -1;
	return cgroup_set_resources(cg, l ? l->resources : NULL, CGROUP_SET_CREATE, err);
}

/* Can the v1 directories be made after the clone, while the init prepares
 * its rootfs (plan.h, cgroups_deferred)?  On v1 and hybrid hosts, where
 * clone3 can't place the init in them anyway, unless a cgroup namespace
 * must be rooted in them first, a user namespace or a pid namespace joined
 * by path changes who may move the init, or systemd makes the unit. */
static bool cgroups_can_defer(const struct plan *plan, bool systemd, struct error *err)
{
	const struct cgroup_layout *layout = cgroup_layout(err);

	return layout && layout->mode != CGROUP_MODE_UNIFIED && !systemd && !plan->userns &&
	       !(plan->clone_flags & CLONE_NEWCGROUP) && !ns_join_needs_helper(plan);
}

_Static_assert(CGROUP_MAX_HIERARCHIES <= SYNC_FDS_MAX, "one message carries every tasks file");

/* Start the init and see it through SYNC_PARENT_SETUP_DONE (and the
 * deferred cgroups); serve_init then waits until it is ready.  On failure
 * the init is killed (cleanup_pid) before returning. */
static int spawn_init(struct created *c, struct plan *plan, struct cgroup *cg, struct error *err)
{
	cleanup_close int parent_sock = -1;
	cleanup_close int child_sock = -1;
	cleanup_close int own_time = -1;
	int socks[2];
	cleanup_close int hook_fd = -1;
	cleanup_pid pid_t pid = 0;
	unsigned long flags = plan->clone_flags;
	bool into_cgroup = false;
	const struct cgroup_layout *layout = cgroup_layout(err);

	if (!layout)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
		return error_sys(err, "socketpair");
	parent_sock = socks[0];
	child_sock = socks[1];
	plan->process.seccomp_sock = child_sock;
	if (plan->spec->linux_ && plan->spec->linux_->time_offsets) {
		if (ns_prepare_time(plan->spec, plan, &own_time, err) < 0)
			return -1;
		flags &= ~(unsigned long)CLONE_NEWTIME; /* the child is born in the prepared one */
	}
	/* a cgroup namespace is rooted where its creator stands: unless clone3
	 * can place the init in every hierarchy at once, the init makes it */
	if ((flags & CLONE_NEWCGROUP) && layout->mode != CGROUP_MODE_UNIFIED) {
		flags &= ~(unsigned long)CLONE_NEWCGROUP;
		plan->cgroupns_late = true;
	}

	/* the init moves itself into the v1 hierarchies (see plan.h) when it
	 * has the rights to: not from inside a user namespace.  (Writing its
	 * own "0" skips the threadgroup lock whose RCU grace period moving
	 * another process costs: ~15 ms on a host idle for a second.) */
	if (!plan->userns)
		plan->cgroup_tasks = cgroup_v1_task_files(cg);

	timing_mark("clone");
	if (ns_join_needs_helper(plan))
		pid = spawn_via_helper(c, plan, parent_sock, child_sock, flags, err);
	else
		pid = clone_direct(c, plan, cg, parent_sock, child_sock, flags, &into_cgroup, err);
	close(steal_fd(&child_sock));
	if (plan->fifo_fd >= 0)
		close(plan->fifo_fd); /* the init has its copy */
	plan->fifo_fd = -1;
	if (own_time >= 0 && setns(own_time, CLONE_NEWTIME) < 0)
		return error_sys(err, "return to own time namespace");
	if (pid < 0)
		return -1;

	timing_mark("init-setup");
	c->state.pid = pid;
	if (ns_write_id_maps(pid, &plan->maps, err) < 0)
		return -1;
	/* v1: the init joins by itself (plan->cgroup_tasks) unless it can't;
	 * v2: clone3 placed it, unless the kernel refused CLONE_INTO_CGROUP */
	unsigned enter = (plan->cgroup_tasks ? 0 : CGROUP_ENTER_V1) | (into_cgroup ? 0 : CGROUP_ENTER_V2);
	if (enter && cgroup_enter(cg, pid, enter, err) < 0)
		return -1;
	if (process_set_oom_score_adj(pid, &plan->process, err) < 0)
		return -1;
	if (spec_has_hooks(plan->spec, true)) {
		hook_fd = hook_states_fd(&c->state, err);
		if (hook_fd < 0)
			return -1;
	}
	if (sync_send(parent_sock, SYNC_PARENT_SETUP_DONE, NULL, 0, hook_fd, err) < 0)
		return -1;
	if (plan->cgroups_deferred) {
		timing_mark("cgroup-v1");
		if (cgroup_create(cg, CGROUP_ENTER_V1, err) < 0 || cgroup_open_tasks(cg, plan->cgroup_tasks, err) < 0)
			return -1;
		/* an init that failed meanwhile has its error waiting in
		 * serve_init: what it did not read is not an error here.  Our
		 * copies of the fds stay open until the init is ready (cg is
		 * released then): its close is not the last. */
		struct error ignored;
		sync_send_fds(parent_sock, SYNC_PARENT_CGROUPS_READY, cg->tasks_fd, cg->n_tasks_fd, &ignored);
		/* the limits, while the init makes its mounts: it joins once
		 * they are made, and is not ready (nor runs a hook of ours)
		 * before we have served it, after this */
		if (cgroup_set_limits(plan->spec, cg, err) < 0)
			return -1;
	}
	c->state.start_time = proc_start_time(pid, NULL);
	c->sock = steal_fd(&parent_sock);
	steal_pid(&pid);
	return 0;
}

static void fill_state(struct created *c, const struct plan *plan, const char *id,
		       const struct container_options *o)
{
	char created[64];
	const struct spec *spec = c->spec;

	time_rfc3339_now(created, sizeof(created));
	c->state.oci_version = xstrdup(spec->oci_version);
	c->state.id = xstrdup(id);
	c->state.bundle = xstrdup(plan->bundle);
	c->state.rootfs = xstrdup(plan->rootfs);
	c->state.created = xstrdup(created);
	c->state.annotations = spec->annotations; /* borrowed; see created_release */
	c->state.ns_flags = (unsigned)plan->ns_all;
	c->state.systemd_cgroup = o->systemd_cgroup;
	c->state.rootless = o->rootless;
}

int container_create(const struct container_options *o, bool for_run, struct created *c, struct error *err)
{
	struct plan plan;
	struct plan_options popts = {
		.id = o->id,
		.bundle = o->bundle ? o->bundle : ".",
		.no_pivot = o->no_pivot,
		.rootless = o->rootless,
		.preserve_fds = o->preserve_fds,
	};
	struct cgroup cg = { .unified_fd = -1 };
	struct systemd_unit unit = { 0 };
	struct systemd_bus *bus = NULL;
	bool unit_started = false;
	cleanup_free char *config_path = NULL;
	cleanup_free char *config_text = NULL;
	cleanup_close int console_sock = -1;
	bool dir_made = false, cgroup_made = false;
	int r = -1;

	memset(c, 0, sizeof(*c));
	c->dirfd = -1;
	c->sock = -1;
	c->console_fd = -1;
	memset(&plan, 0, sizeof(plan));
	if (state_validate_id(o->id, err) < 0)
		return -1;

	timing_mark("parse");
	config_path = xasprintf("%s/config.json", popts.bundle);
	if (read_file_at(AT_FDCWD, config_path, 16 << 20, &config_text, err) < 0)
		return -1;
	c->spec = spec_parse(config_text, "config.json", err);
	if (!c->spec)
		return -1;

	timing_mark("plan");
	if (plan_build(c->spec, &popts, &plan, err) < 0)
		goto out;
	if (plan.process.terminal && !o->console_socket && (o->detach || !for_run)) {
		error_set(err, EINVAL, "cannot allocate tty if oci-rt will detach without setting console socket");
		goto out;
	}
	if (o->console_socket && (!plan.process.terminal || (for_run && !o->detach))) {
		error_set(err, EINVAL, "cannot use console socket if oci-rt will not detach or allocate tty");
		goto out;
	}
	if (o->console_socket) {
		console_sock = terminal_socket_connect(o->console_socket, err);
		if (console_sock < 0)
			goto out;
	}
	plan.start_via_fifo = !for_run;

	/* the init can protect the binary, or we re-execute (CVE-2019-5736) */
	if (selfprotect_prepare(err) < 0)
		goto out;

	timing_mark("state");
	c->dirfd = state_dir_create(o->root, o->id, err);
	if (c->dirfd < 0)
		goto out;
	dir_made = true;
	if (plan.start_via_fifo) {
		if (mkfifoat(c->dirfd, STATE_FIFO, 0622) < 0) {
			error_sys(err, "create exec fifo");
			goto out;
		}
		/* opened here, read-write (so opening never blocks), and inherited:
		 * the init may not be able to reach the state dir itself (a
		 * user namespace mapping root elsewhere) */
		plan.fifo_fd = openat(c->dirfd, STATE_FIFO, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (plan.fifo_fd < 0) {
			error_sys(err, "open exec fifo");
			goto out;
		}
	}

	timing_mark("cgroup");
	const char *cgroups_path = c->spec->linux_ ? c->spec->linux_->cgroups_path : NULL;
	const struct spec_resources *resources = c->spec->linux_ ? c->spec->linux_->resources : NULL;
	/* systemd: its unit's cgroup, made like any other; the unit is
	 * started once the init exists (systemd_bus.h) */
	if (o->systemd_cgroup) {
		if (systemd_unit_parse(cgroups_path, o->id, &unit, err) < 0 || systemd_bus_open(&bus, err) < 0 ||
		    systemd_unit_cgroup_path(&unit, err) < 0)
			goto out;
		cgroups_path = unit.path;
	}
	if (cgroup_resolve(cgroups_path, o->id, &cg, err) < 0)
		goto out;
	plan.cgroups_deferred = cgroups_can_defer(&plan, o->systemd_cgroup, err);
	cgroup_made = true; /* cg remembers what each cgroup_create made */
	if (cgroup_create(&cg, plan.cgroups_deferred ? CGROUP_ENTER_V2 : CGROUP_ENTER_V1 | CGROUP_ENTER_V2, err) < 0)
		goto out;
	/* the limits are in before the init exists: it is born (v2) or moves
	 * (v1) into a cgroup that already confines it.  Deferred, they go in
	 * while the init makes its mounts (spawn_init), as runc's go in once
	 * its init is set up: in before any hook runs or create returns */
	timing_mark("resources");
	if (!plan.cgroups_deferred && cgroup_set_limits(c->spec, &cg, err) < 0)
		goto out;
	plan.cgroup = &cg;
	if (log_debug_enabled())
		plan_print(&plan);

	fill_state(c, &plan, o->id, o);
	if (spawn_init(c, &plan, &cg, err) < 0)
		goto out;
	/* with the deferred directories made */
	c->state.cgroup_path = xstrdup(cg.path);
	cgroup_save(&cg, &c->state.cgroup_dirs, &c->state.cgroup_made);
	/* complete now: written while the init prepares the container (only
	 * state and list read it before create returns, lock-free, and see
	 * the container created) */
	timing_mark("state-files");
	if (write_file_atomic(c->dirfd, STATE_CONFIG_FILE, config_text, strlen(config_text), 0600, err) < 0 ||
	    state_write(c->dirfd, &c->state, err) < 0)
		goto out;
	timing_mark("init-ready");
	if (serve_init(c, c->sock, err) < 0)
		goto out;
	if (bus) {
		if (systemd_bus_start(bus, &unit, c->state.pid, resources, err) < 0)
			goto out;
		unit_started = true;
		/* systemd wrote its defaults for what the properties leave
		 * out: the spec's values again (runc's Set after Apply) */
		if (cgroup_set_resources(&cg, resources, CGROUP_SET_CREATE, err) < 0)
			goto out;
	}

	timing_mark("finish");
	if (plan.process.terminal && c->console_fd < 0) {
		error_set(err, EPROTO, "sync: the container's init sent no pty");
		goto out;
	}
	/* the master goes to the socket before create exits; run without
	 * one keeps it to relay */
	if (console_sock >= 0) {
		int sent = terminal_socket_send(console_sock, c->console_fd, err);
		close(steal_fd(&c->console_fd));
		if (sent < 0)
			goto out;
	}
	if (!for_run && o->pid_file && pid_file_write(o->pid_file, c->state.pid, err) < 0)
		goto out;
	r = 0;
out:
	if (r < 0) {
		if (c->state.pid > 0) {
			kill(c->state.pid, SIGKILL);
			while (waitpid(c->state.pid, NULL, 0) < 0 && errno == EINTR)
				;
			c->state.pid = 0;
		}
		struct error ignored;
		if (unit_started)
			systemd_bus_stop(bus, unit.unit, &ignored);
		if (cgroup_made)
			cgroup_destroy(&cg, &ignored);
		if (dir_made)
			state_dir_remove(o->root, o->id, &ignored);
		created_release(c);
	}
	cgroup_release(&cg);
	systemd_bus_close(bus);
	systemd_unit_release(&unit);
	plan_release(&plan);
	return r;
}

void created_release(struct created *c)
{
	c->state.annotations.v = NULL; /* borrowed from the spec */
	c->state.annotations.n = 0;
	state_release(&c->state);
	if (c->dirfd >= 0)
		close(c->dirfd);
	if (c->sock >= 0)
		close(c->sock);
	if (c->console_fd >= 0)
		close(c->console_fd);
	c->dirfd = c->sock = c->console_fd = -1;
	spec_free(c->spec);
	c->spec = NULL;
}
