#!/usr/bin/env bats
# podman (through conmon) with oci-rt as its runtime: run and exec, with
# and without a terminal (clients.md §3: conmon's console socket and
# `exec --pid-file P --process F --detach`, podman's reading of errors).
# Private storage; podman gives oci-rt no --root, so the state lives in
# oci-rt's default /run/oci-rt, under podman's unique ids.

bats_require_minimum_version 1.5.0

load helpers
load tty_helpers

setup_file() {
	command -v podman >/dev/null || skip "podman is not installed (bundles/setup.sh installs it)"
	PODMAN_DIR=$(mktemp -d /tmp/ort-podman.XXXXXX)
	export PODMAN_DIR
	# a rootfs of its own: podman writes /etc/hosts and friends into it
	cp -a "$BUSYBOX_ROOTFS" "$PODMAN_DIR/rootfs"
}

teardown_file() {
	[ -n "${PODMAN_DIR:-}" ] || return 0
	pm rm -af >/dev/null 2>&1 || true
	pm system reset -f >/dev/null 2>&1 || true
	rm -rf "$PODMAN_DIR"
}

setup() {
	command -v podman >/dev/null || skip "podman is not installed"
	NAME=${ID_PREFIX}pm
	T=$BATS_TEST_TMPDIR
}

teardown() {
	tmux_stop
	pm rm -f "$NAME" >/dev/null 2>&1 || true
}

# pm ARGS...: podman with private storage, no systemd, oci-rt as runtime.
pm() {
	podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" --cgroup-manager cgroupfs \
		--events-backend file --runtime "$OCI_RT" "$@"
}

# podman's default open-files limit is above this host's hard limit (machine.md)
RUN_FLAGS="--network none --ulimit nofile=20000:20000 --ulimit nproc=4096:4096"

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
	[ "$(cat "/proc/$epid/cgroup")" = "$(cat "/proc/$PID/cgroup")" ]
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
	tmux_start "podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/run --cgroup-manager cgroupfs --events-backend file --runtime $OCI_RT run -it --rm --name $NAME $RUN_FLAGS -e PS1=pm# --rootfs $PODMAN_DIR/rootfs sh
		echo \"podman exit \$?\""
	check_interactive '^pm#$' '^podman exit 5$' 5
}

@test "podman exec -it: a terminal in a running container, resized, with its exit status" {
	start_sleeper
	tmux_start "podman --root $PODMAN_DIR/root --runroot $PODMAN_DIR/run --cgroup-manager cgroupfs --events-backend file --runtime $OCI_RT exec -it -e PS1=px# $NAME sh
		echo \"podman exec exit \$?\""
	check_interactive '^px#$' '^podman exec exit 6$' 6
}
