#!/usr/bin/env bats
# Docker (Debian's docker.io, dockerd 20.10) with oci-rt registered as a
# runtime: `docker run --runtime oci-rt` through dockerd -> containerd ->
# runc v2 shim (BinaryName = oci-rt) -> oci-rt (clients.md §2).
# A private dockerd and containerd (own data-root, exec-root, sockets, pid
# file, cgroup parent), no iptables, no bridge: the host is not touched.
# The image is made with `docker import` from the busybox rootfs.

bats_require_minimum_version 1.5.0

load helpers
load tty_helpers
load client_helpers

DOCKERD=/usr/sbin/dockerd
# Debian's CLI (20.10), whatever else is first on PATH
DOCKER=/usr/bin/docker

setup_file() {
	[ -x "$DOCKERD" ] || ensure_packages docker.io || skip "docker.io could not be installed"
	DK=$(mktemp -d /tmp/ort-docker.XXXXXX)
	export DK
	# dockerd writes its libtrust key to /etc/docker/key.json: remove it
	# afterwards unless it was there before
	[ -e /etc/docker/key.json ] || touch "$DK/made-key"
	# the cgroup parent of every container of this daemon
	DK_CGROUP=ort-docker-${DK##*.}
	export DK_CGROUP
	jq -n --arg d "$DK" --arg rt "$OCI_RT" --arg cg "/$DK_CGROUP" '{
		"data-root": "\($d)/data", "exec-root": "\($d)/exec", pidfile: "\($d)/dockerd.pid",
		hosts: ["unix://\($d)/docker.sock"], containerd: "\($d)/ctd.sock",
		iptables: false, ip6tables: false, bridge: "none", "ip-forward": false, "ip-masq": false,
		"cgroup-parent": $cg, "exec-opts": ["native.cgroupdriver=cgroupfs"],
		runtimes: {"oci-rt": {path: $rt}}}' >"$DK/daemon.json"
	# the client as one command (tmux runs it too)
	printf '#!/bin/sh\nDOCKER_CONFIG=%s/cli exec %s -H unix://%s/docker.sock "$@"\n' "$DK" "$DOCKER" "$DK" >"$DK/dk"
	chmod +x "$DK/dk"
	start_containerd "$DK"
	"$DOCKERD" --config-file "$DK/daemon.json" </dev/null >"$DK/dockerd.log" 2>&1 3>&- 4>&- &
	wait_for 30 "$DK/dk" version >/dev/null 2>&1 || { tail -20 "$DK/dockerd.log"; false; }
	tar -C "$BUSYBOX_ROOTFS" -c . | "$DK/dk" import -c 'ENV PATH=/bin:/sbin' - ortbusybox:latest >/dev/null
}

teardown_file() {
	[ -n "${DK:-}" ] || return 0
	local ids
	ids=$("$DK/dk" ps -aq 2>/dev/null) || true
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 60 "$DK/dk" rm -f $ids >/dev/null 2>&1 || true
	[ -f "$DK/dockerd.pid" ] && kill "$(cat "$DK/dockerd.pid")" 2>/dev/null
	wait_for 20 no_procs_matching "dockerd --config-file $DK/" || true
	kill_procs_matching "dockerd --config-file $DK/"
	stop_containerd "$DK"
	umount_below "$DK"
	rmdir_cgroups "$DK_CGROUP"
	[ ! -e "$DK/made-key" ] || rm -f /etc/docker/key.json
	rm -rf "$DK"
}

setup() {
	[ -x "$DOCKERD" ] || skip "docker.io is not installed"
	NAME=${ID_PREFIX}dk
	T=$BATS_TEST_TMPDIR
}

teardown() {
	tmux_stop
	timeout 60 "$DK/dk" rm -f "$NAME" >/dev/null 2>&1 || true
}

dk() {
	"$DK/dk" "$@"
}

# oci-rt's state root under docker: dockerd 20.10 gives the shim of every
# runc-like runtime Root <exec-root>/runtime-runc, namespace "moby"
RT_ROOT() {
	echo "$DK/exec/runtime-runc/moby"
}

RUN_FLAGS="--runtime oci-rt --network none"

# start_sleeper [FLAGS...]: a detached container $NAME; sets CID and PID.
start_sleeper() {
	# shellcheck disable=SC2086
	dk run -d --name "$NAME" $RUN_FLAGS "$@" ortbusybox sh -c 'trap "exit 7" TERM; trap "exit 9" USR1; while :; do sleep 0.1; done' \
		</dev/null >"$T/cid" 2>"$T/run.err" 3>&- 4>&- || { cat "$T/run.err"; return 1; }
	CID=$(cat "$T/cid")
	PID=$(dk inspect -f '{{.State.Pid}}' "$NAME")
	[ "$PID" -gt 0 ]
}

# the container's cgroup directory in a v1 controller (or "unified")
ctr_cgroup() {
	echo "/sys/fs/cgroup/$1/$DK_CGROUP/$CID"
}

@test "docker run --runtime oci-rt: output and exit status; oci-rt held the container's state" {
	run dk run --rm $RUN_FLAGS --name "${NAME}r" ortbusybox sh -c 'echo "hi from $(hostname) pid $$"; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "${lines[0]}" =~ ^hi\ from\ [0-9a-f]{12}\ pid\ 1$ ]]
	[ "${#lines[@]}" -eq 1 ]
	# a running container is one of oci-rt's, under the shim's root
	start_sleeper
	[ "$(dk inspect -f '{{.HostConfig.Runtime}}' "$NAME")" = oci-rt ]
	run "$OCI_RT" --root "$(RT_ROOT)" state "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq -r .pid <<<"$output")" = "$PID" ]
	[ "$(jq -r .bundle <<<"$output")" = "$DK/ctd-state/io.containerd.runtime.v2.task/moby/$CID" ]
	# the shim that created it is its parent (a subreaper)
	[ "$(ps -o comm= -p "$(awk '/^PPid:/ {print $2}' "/proc/$PID/status")")" = containerd-shim ]
	# and it sits in the cgroup docker asked for
	grep -q ":pids:/$DK_CGROUP/$CID\$" "/proc/$PID/cgroup"
}

@test "docker run -d, docker exec: in the container's namespaces and cgroup, with its exit status" {
	start_sleeper
	[ "$(dk inspect -f '{{.State.Status}}' "$NAME")" = running ]
	run dk exec "$NAME" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; echo $$; exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[ "${lines[0]}" = 'sh -c trap "exit 7" TERM; trap "exit 9" USR1; while :; do sleep 0.1; done ' ]
	[ "${lines[1]}" -gt 1 ]
	dk exec -d "$NAME" sleep 100
	epid=$(pgrep -f '^sleep 100$' | while read -r p; do
		[ "$(readlink "/proc/$p/ns/pid")" = "$(readlink "/proc/$PID/ns/pid")" ] && echo "$p"; done)
	[ -n "$epid" ]
	[ "$(readlink "/proc/$epid/ns/mnt")" = "$(readlink "/proc/$PID/ns/mnt")" ]
	assert_same_cgroups "$epid" "$PID"
	[ "$(ps -o comm= -p "$(awk '/^PPid:/ {print $2}' "/proc/$epid/status")")" = containerd-shim ]
	run dk exec -u 1000:1000 "$NAME" id
	[ "$output" = "uid=1000 gid=1000 groups=1000" ]
	# the shim's error comes from oci-rt's log.json
	run dk exec "$NAME" nonexistent
	echo "$output"
	[ "$status" -eq 126 ] || [ "$status" -eq 127 ]
	[[ "$output" == *'OCI runtime exec failed: exec failed: exec: "nonexistent": executable file not found in $PATH'* ]]
}

@test "docker stop: SIGTERM reaches the container's init, its exit status is kept; state and cgroup go" {
	start_sleeper
	run timeout 30 "$DK/dk" stop -t 20 "$NAME"
	[ "$status" -eq 0 ]
	[ "$(dk inspect -f '{{.State.ExitCode}}' "$NAME")" = 7 ]
	assert_pid_gone "$PID"
	[ ! -e "$(RT_ROOT)/$CID" ]
	[ ! -d "$(ctr_cgroup pids)" ]
}

@test "docker kill: the signal given, SIGKILL by default (137); docker rm -f of a running container" {
	start_sleeper
	dk kill -s USR1 "$NAME" >/dev/null
	assert_pid_gone "$PID" 10
	[ "$(dk inspect -f '{{.State.ExitCode}}' "$NAME")" = 9 ]
	dk rm "$NAME" >/dev/null
	start_sleeper
	dk kill "$NAME" >/dev/null
	assert_pid_gone "$PID" 10
	[ "$(dk inspect -f '{{.State.ExitCode}}' "$NAME")" = 137 ]
	[ ! -e "$(RT_ROOT)/$CID" ]
	dk rm "$NAME" >/dev/null
	start_sleeper
	run dk rm -f "$NAME"
	[ "$status" -eq 0 ]
	assert_pid_gone "$PID"
	[ ! -e "$(RT_ROOT)/$CID" ]
	[ ! -d "$(ctr_cgroup pids)" ]
	run dk inspect "$NAME"
	[ "$status" -ne 0 ]
}

@test "docker run --read-only: the root is mounted read-only, writes fail with EROFS" {
	run dk run --rm $RUN_FLAGS --read-only ortbusybox sh -c "$(read_only_probe /dev/shm)"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_read_only_root /dev/shm-writable
}

@test "docker run --cap-drop ALL: no capability left in any set; default: docker's 14" {
	run dk run --rm $RUN_FLAGS --cap-drop ALL ortbusybox grep ^Cap /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	assert_no_capabilities
	run dk run --rm $RUN_FLAGS ortbusybox grep ^CapEff /proc/self/status
	[ "$output" = "CapEff:	$(cap_mask CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID \
		CAP_SETUID CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_MKNOD CAP_AUDIT_WRITE CAP_SETFCAP)" ]
}

@test "docker run -it: a terminal through the shim's console socket, resized, with its exit status" {
	# the shell starts once the clients have set the terminal up: the CLI's
	# and the shim's own tcsetattr would otherwise race ash's raw mode (its
	# cursor-position query then echoes as typed input)
	tmux_start "$DK/dk run -it --rm --name $NAME $RUN_FLAGS -e PS1=dk# ortbusybox sh -c 'sleep 0.5; exec sh'
		echo \"docker exit \$?\""
	check_interactive '^dk#$' '^docker exit 5$' 5
}

@test "docker exec -it: a terminal in a running container, resized, with its exit status" {
	start_sleeper
	# the shell starts once the clients have set the terminal up: the CLI's
	# and the shim's own tcsetattr would otherwise race ash's raw mode (its
	# cursor-position query then echoes as typed input)
	tmux_start "$DK/dk exec -it -e PS1=dx# $NAME sh -c 'sleep 0.5; exec sh'
		echo \"docker exec exit \$?\""
	check_interactive '^dx#$' '^docker exec exit 6$' 6
}

# ---- features that need cgroups (skipped when `oci-rt features` declares no
# cgroup support for this host's cgroup version) ----

@test "docker pause/unpause: the container's cgroup is frozen and thawed; oci-rt reports paused" {
	require_cgroup_support
	start_sleeper
	dk pause "$NAME"
	[ "$(dk inspect -f '{{.State.Status}}' "$NAME")" = paused ]
	[ "$("$OCI_RT" --root "$(RT_ROOT)" state "$CID" | jq -r .status)" = paused ]
	[ "$(cat "$(ctr_cgroup freezer)/freezer.state")" = FROZEN ]
	run timeout 10 "$DK/dk" exec "$NAME" true
	[ "$status" -ne 0 ]
	dk unpause "$NAME"
	[ "$(cat "$(ctr_cgroup freezer)/freezer.state")" = THAWED ]
	[ "$("$OCI_RT" --root "$(RT_ROOT)" state "$CID" | jq -r .status)" = running ]
	run dk exec "$NAME" echo alive
	[ "$output" = alive ]
}

@test "docker run --memory, docker update --memory: the limit in the container's memory cgroup, seen inside too" {
	require_cgroup_support
	start_sleeper --memory 64m --memory-swap 64m
	[ "$(cat "$(ctr_cgroup memory)/memory.limit_in_bytes")" = 67108864 ]
	run dk exec "$NAME" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	[ "$output" = 67108864 ]
	dk update --memory 96m --memory-swap 96m "$NAME" >/dev/null
	[ "$(cat "$(ctr_cgroup memory)/memory.limit_in_bytes")" = 100663296 ]
	run dk exec "$NAME" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	[ "$output" = 100663296 ]
}

@test "docker run --pids-limit: pids.max in the container's cgroup, and forks beyond it fail inside" {
	require_cgroup_support
	start_sleeper --pids-limit 8
	[ "$(cat "$(ctr_cgroup pids)/pids.max")" = 8 ]
	run dk exec "$NAME" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done 2>&1; wait'
	echo "$output"
	[[ "$output" == *"Resource temporarily unavailable"* ]]
}
