#!/usr/bin/env bats
# podman (through conmon) with oci-rt as its runtime: run and exec, with
# and without a terminal (clients.md §3: conmon's console socket and
# `exec --pid-file P --process F --detach`, podman's reading of errors).
# Private storage; podman gives oci-rt no --root, so the state lives in
# oci-rt's default /run/oci-rt, under podman's unique ids.

bats_require_minimum_version 1.5.0

load helpers
load tty_helpers
load client_helpers

setup_file() {
	command -v podman >/dev/null || skip "podman is not installed (bundles/setup.sh installs it)"
	PODMAN_DIR=$(mktemp -d /tmp/ort-podman.XXXXXX)
	export PODMAN_DIR
	# a rootfs of its own: podman writes /etc/hosts and friends into it
	cp -a "$BUSYBOX_ROOTFS" "$PODMAN_DIR/rootfs"
	# the cgroup parent of this suite's containers and their conmons
	PM_CGROUP=ort-podman-${PODMAN_DIR##*.}
	export PM_CGROUP
	# an image made offline from the same rootfs
	tar -C "$BUSYBOX_ROOTFS" -c . | pm import --change 'ENV PATH=/bin:/sbin' - localhost/ortbusybox >/dev/null
}

teardown_file() {
	[ -n "${PODMAN_DIR:-}" ] || return 0
	pm rm -af >/dev/null 2>&1 || true
	pm system reset -f >/dev/null 2>&1 || true
	kill_procs_matching "conmon .*$PODMAN_DIR/"
	umount_below "$PODMAN_DIR"
	rmdir_cgroups "$PM_CGROUP"
	rm -rf "$PODMAN_DIR"
}

setup() {
	command -v podman >/dev/null || skip "podman is not installed"
	NAME=${ID_PREFIX}pm
	T=$BATS_TEST_TMPDIR
}

teardown() {
	tmux_stop
	pm rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
}

# pm ARGS...: podman with private storage, no systemd, oci-rt as runtime.
pm() {
	podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" --cgroup-manager cgroupfs \
		--events-backend file --runtime "$OCI_RT" "$@"
}

# podman's default open-files limit is above this host's hard limit (machine.md)
# (and the suite's own cgroup parent)
RUN_FLAGS="--network none --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 --cgroup-parent /${PM_CGROUP:-}"

start_sleeper() {
	# shellcheck disable=SC2086
	pm run -d --name "$NAME" $RUN_FLAGS --rootfs "$PODMAN_DIR/rootfs" sleep 1000 </dev/null >/dev/null 3>&- 4>&-
	PID=$(pm inspect -f '{{.State.Pid}}' "$NAME")
}

@test "podman run: output and exit status come through conmon" {
	# shellcheck disable=SC2086
	run pm run --rm $RUN_FLAGS --rootfs "$PODMAN_DIR/rootfs" sh -c 'echo "hi from $(hostname)"; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "${lines[0]}" == "hi from "* ]]
}

@test "podman exec: in the container's namespaces and cgroup, its status, 127 for a missing binary" {
	start_sleeper
	run pm exec "$NAME" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[ "${lines[0]}" = "sleep 1000 " ]
	pm exec -d "$NAME" sleep 100 </dev/null >/dev/null 3>&- 4>&-
	epid=$(pgrep -f '^sleep 100$' | while read -r p; do
		[ "$(readlink "/proc/$p/ns/pid")" = "$(readlink "/proc/$PID/ns/pid")" ] && echo "$p"; done)
	[ -n "$epid" ]
	assert_same_cgroups "$epid" "$PID"
	# conmon is the subreaper the detached process was handed to
	[ "$(ps -o comm= -p "$(awk '/^PPid:/ {print $2}' "/proc/$epid/status")")" = conmon ]
	run pm exec -u 1000:1000 "$NAME" id
	[ "$output" = "uid=1000 gid=1000 groups=1000" ] || [ "$output" = "uid=1000 gid=1000" ]
	run -127 pm exec "$NAME" nonexistent
	echo "$output"
	[[ "$output" == *"executable file not found in \$PATH"* ]]
	run pm top "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"sleep 100"* ]]
}

@test "podman run -it: a terminal through the console socket, resized, with its exit status" {
	# the shell starts once the client has set the terminal up: conmon's and
	# the CLI's own tcsetattr would otherwise race ash's raw mode (its
	# cursor-position query then echoes as typed input)
	tmux_start "podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/run --cgroup-manager cgroupfs --events-backend file --runtime $OCI_RT run -it --rm --name $NAME $RUN_FLAGS -e PS1=pm# --rootfs $PODMAN_DIR/rootfs sh -c 'sleep 0.5; exec sh'
		echo \"podman exit \$?\""
	check_interactive '^pm#$' '^podman exit 5$' 5
}

@test "podman exec -it: a terminal in a running container, resized, with its exit status" {
	start_sleeper
	# the shell starts once the client has set the terminal up: conmon's and
	# the CLI's own tcsetattr would otherwise race ash's raw mode (its
	# cursor-position query then echoes as typed input)
	tmux_start "podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/run --cgroup-manager cgroupfs --events-backend file --runtime $OCI_RT exec -it -e PS1=px# $NAME sh -c 'sleep 0.5; exec sh'
		echo \"podman exec exit \$?\""
	check_interactive '^px#$' '^podman exec exit 6$' 6
}

# start_trapper [FLAGS...]: a detached container $NAME from the imported
# image whose init exits 7 on SIGTERM and 9 on SIGUSR1; sets CID and PID.
start_trapper() {
	# shellcheck disable=SC2086
	pm run -d --name "$NAME" $RUN_FLAGS "$@" localhost/ortbusybox \
		sh -c 'echo started; trap "exit 7" TERM; trap "exit 9" USR1; while :; do sleep 0.1; done' \
		</dev/null >"$T/cid" 2>"$T/run.err" 3>&- 4>&- || { cat "$T/run.err"; return 1; }
	CID=$(cat "$T/cid")
	PID=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	[ "$PID" -gt 0 ]
}

# podman gives oci-rt no --root: its state is in oci-rt's default root
rt_state() {
	"$OCI_RT" state "$1"
}

no_state_dir() {
	[ ! -e "/run/oci-rt/$1" ]
}

# the container's cgroup directory in a v1 controller
ctr_cgroup() {
	echo "/sys/fs/cgroup/$1$(awk -F: -v c="$1" '$2 == c {print $3}' "/proc/$PID/cgroup")"
}

@test "podman run from an image made by podman import: output and exit status" {
	# shellcheck disable=SC2086
	run pm run --rm $RUN_FLAGS localhost/ortbusybox sh -c 'echo "$PATH"; cat /proc/self/cgroup | grep :pids:; exit 5'
	echo "$output"
	[ "$status" -eq 5 ]
	[ "${lines[0]}" = /bin:/sbin ]
	[[ "${lines[1]}" =~ ^[0-9]+:pids:/$PM_CGROUP/libpod-[0-9a-f]{64}$ ]]
}

@test "podman run -d, inspect, logs: oci-rt's state agrees with podman's; the output reaches podman logs" {
	start_trapper
	[ "$(pm inspect -f '{{.State.Status}} {{.OCIRuntime}}' "$NAME")" = "running $OCI_RT" ]
	run rt_state "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq -r .pid <<<"$output")" = "$PID" ]
	# the init is conmon's child, in the cgroup podman asked for
	[ "$(ps -o comm= -p "$(awk '/^PPid:/ {print $2}' "/proc/$PID/status")")" = conmon ]
	grep -qx "[0-9]*:pids:/$PM_CGROUP/libpod-$CID" "/proc/$PID/cgroup"
	wait_for 5 sh -c "podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/run logs $NAME | grep -qx started"
	run pm logs "$NAME"
	[ "$output" = started ]
}

@test "podman stop: SIGTERM to the init, its exit status kept; oci-rt's state is deleted" {
	start_trapper
	run timeout 60 podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" --cgroup-manager cgroupfs \
		--events-backend file --runtime "$OCI_RT" stop -t 20 "$NAME"
	[ "$status" -eq 0 ]
	assert_pid_gone "$PID"
	[ "$(pm inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$NAME")" = "exited 7" ]
	wait_for 10 no_state_dir "$CID"
	[ ! -d "$(dirname "$(ctr_cgroup pids)")/libpod-$CID" ]
}

@test "podman kill: the signal given, SIGKILL by default (137); podman rm -f of a running container" {
	start_trapper
	pm kill -s USR1 "$NAME" >/dev/null
	assert_pid_gone "$PID" 10
	wait_for 10 sh -c "[ \"\$(podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/run inspect -f '{{.State.ExitCode}}' $NAME)\" = 9 ]"
	pm rm "$NAME" >/dev/null
	start_trapper
	pm kill "$NAME" >/dev/null
	assert_pid_gone "$PID" 10
	wait_for 10 sh -c "[ \"\$(podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/run inspect -f '{{.State.ExitCode}}' $NAME)\" = 137 ]"
	pm rm "$NAME" >/dev/null
	start_trapper
	conmon=$(awk '/^PPid:/ {print $2}' "/proc/$PID/status")
	cg=$(ctr_cgroup pids)
	run pm rm -f "$NAME"
	[ "$status" -eq 0 ]
	assert_pid_gone "$PID"
	assert_pid_gone "$conmon"
	wait_for 10 no_state_dir "$CID"
	[ ! -d "$cg" ]
	run pm inspect "$NAME"
	[ "$status" -ne 0 ]
}

@test "podman run --read-only: the root is read-only (EROFS), podman's tmpfs /tmp stays writable" {
	# shellcheck disable=SC2086
	run pm run --rm $RUN_FLAGS --read-only localhost/ortbusybox sh -c "$(read_only_probe /tmp)"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_read_only_root /tmp-writable
}

@test "podman run --cap-drop: ALL leaves no capability; one dropped is missing from podman's default set" {
	# shellcheck disable=SC2086
	run pm run --rm $RUN_FLAGS --cap-drop ALL localhost/ortbusybox grep ^Cap /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	assert_no_capabilities
	# shellcheck disable=SC2086
	default=$(pm run --rm $RUN_FLAGS localhost/ortbusybox awk '/^CapEff/ {print $2}' /proc/self/status)
	[ "$default" = "$(cap_mask CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_NET_BIND_SERVICE \
		CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYS_CHROOT)" ]
	# shellcheck disable=SC2086
	run pm run --rm $RUN_FLAGS --cap-drop CHOWN localhost/ortbusybox sh -c 'awk "/^CapEff/ {print \$2}" /proc/self/status; chown 1 /tmp 2>&1'
	echo "$output"
	[ "${lines[0]}" = "$(printf '%016x' $((0x$default & ~1)))" ]
	[ "${lines[1]}" = "chown: /tmp: Operation not permitted" ]
}

@test "podman run --security-opt seccomp=FILE: the denied syscall fails with EPERM inside, others work" {
	cat >"$T/seccomp.json" <<-'EOF'
		{"defaultAction": "SCMP_ACT_ALLOW",
		 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
	EOF
	# shellcheck disable=SC2086
	run pm run --rm $RUN_FLAGS --security-opt seccomp="$T/seccomp.json" localhost/ortbusybox sh -c \
		'mkdir /tmp/d 2>&1; touch /tmp/f && echo touch-ok; grep ^Seccomp: /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "mkdir: can't create directory '/tmp/d': Operation not permitted" ]
	[ "${lines[1]}" = touch-ok ]
	[ "${lines[2]}" = "Seccomp:	2" ]
}

@test "podman run --userns=auto: the container's root is an unused subordinate id on the host" {
	# podman takes the ids from /etc/subuid and /etc/subgid (user
	# "containers"); they are bound over the host's only in a private mount
	# namespace, for the life of this container
	printf 'containers:300000:200000\n' >"$T/subid"
	cat >"$T/userns.sh" <<-'EOF'
		T=$1
		shift
		mount --bind "$T/subid" /etc/subuid && mount --bind "$T/subid" /etc/subgid || exit 90
		"$@" run -d --name "$NAME" $RUN_FLAGS --userns=auto localhost/ortbusybox \
			sh -c 'cat /proc/self/uid_map >/tmp/map; touch /x && echo root-writable >/tmp/map2; exec sleep 1000' >/dev/null || exit 91
		pid=$("$@" inspect -f '{{.State.Pid}}' "$NAME")
		for i in $(seq 50); do "$@" exec "$NAME" cat /tmp/map2 >/dev/null 2>&1 && break; sleep 0.1; done
		"$@" exec "$NAME" sh -c 'cat /tmp/map; id -u; cat /tmp/map2'
		awk '/^Uid:/ {print $2}' "/proc/$pid/status"
		# podman's rm and the cleanup conmon starts race to unmount the
		# container's shm here (EBUSY): try again, bounded
		for i in 1 2 3 4 5; do
			"$@" rm -f -t 0 "$NAME" >/dev/null 2>&1 && exit 0
			sleep 0.5
		done
		"$@" rm -f -t 0 "$NAME" >/dev/null
	EOF
	export NAME RUN_FLAGS
	run unshare -m --propagation private bash "$T/userns.sh" "$T" podman --root "$PODMAN_DIR/root" \
		--runroot "$PODMAN_DIR/run" --cgroup-manager cgroupfs --events-backend file --runtime "$OCI_RT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^\ +0\ +3[0-9]{5}\ +[0-9]+$ ]]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = root-writable ]
	# the host uid of the container's init is the one the map gives for 0
	[ "${lines[3]}" = "$(awk '{print $2}' <<<"${lines[0]}")" ]
}

@test "podman run with a missing binary: oci-rt's stderr is podman's error, exit 127" {
	# shellcheck disable=SC2086
	run -127 pm run --rm $RUN_FLAGS localhost/ortbusybox nonexistent
	echo "$output"
	[ "$status" -eq 127 ]
	[[ "$output" == *'exec: \"nonexistent\": executable file not found in $PATH'* ]]
	[[ "$output" == *"OCI runtime attempted to invoke a command that was not found"* ]]
}

# ---- features that need cgroups (skipped when `oci-rt features` declares no
# cgroup support for this host's cgroup version) ----

@test "podman pause/unpause: frozen and thawed cgroup, oci-rt reports paused" {
	require_cgroup_support
	start_trapper
	pm pause "$NAME" >/dev/null
	[ "$(pm inspect -f '{{.State.Status}}' "$NAME")" = paused ]
	[ "$(rt_state "$CID" | jq -r .status)" = paused ]
	[ "$(cat "$(ctr_cgroup freezer)/freezer.state")" = FROZEN ]
	pm unpause "$NAME" >/dev/null
	[ "$(cat "$(ctr_cgroup freezer)/freezer.state")" = THAWED ]
	[ "$(rt_state "$CID" | jq -r .status)" = running ]
	run pm exec "$NAME" echo alive
	[ "$output" = alive ]
}

@test "podman run --memory, --cpus, --pids-limit: the limits in the container's cgroups, seen inside" {
	require_cgroup_support
	start_trapper --memory 64m --cpus 0.5 --pids-limit 20
	[ "$(cat "$(ctr_cgroup memory)/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$(ctr_cgroup cpu,cpuacct)/cpu.cfs_quota_us" 2>/dev/null || cat "$(ctr_cgroup cpu)/cpu.cfs_quota_us")" = 50000 ]
	[ "$(cat "$(ctr_cgroup pids)/pids.max")" = 20 ]
	run pm exec "$NAME" cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
	echo "$output"
	[ "${lines[0]}" = 67108864 ]
	[ "${lines[1]}" = 20 ]
}
