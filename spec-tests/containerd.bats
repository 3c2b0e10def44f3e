#!/usr/bin/env bats
# containerd (its runc v2 shim, through go-runc) with oci-rt as the runc
# binary: run, task exec (`exec --process F --detach --pid-file P
# [--console-socket S] ID`, clients.md §2), task ps, kill --all, terminals.
# A private containerd (own root, state and sockets) and an OCI image made
# here from the busybox rootfs.

load helpers
load tty_helpers
load client_helpers

setup_file() {
	command -v containerd >/dev/null || skip "containerd is not installed (bundles/setup.sh installs it)"
	CTD=$(mktemp -d /tmp/ort-ctd.XXXXXX)
	export CTD
	# the cgroup parent of this suite's containers (ctr's default is /<namespace>)
	CTD_CGROUP=ort-ctd-${CTD##*.}
	export CTD_CGROUP
	start_containerd "$CTD"
	wait_for 10 ctr -a "$CTD/ctd.sock" version >/dev/null 2>&1
	make_image "$CTD/image.tar"
	ctr -a "$CTD/ctd.sock" images import --base-name localhost/busybox "$CTD/image.tar" >/dev/null
}

teardown_file() {
	[ -n "${CTD:-}" ] || return 0
	local c
	for c in $(ctr -a "$CTD/ctd.sock" tasks ls -q 2>/dev/null); do
		ctr -a "$CTD/ctd.sock" tasks kill -a -s SIGKILL "$c" >/dev/null 2>&1
		ctr -a "$CTD/ctd.sock" tasks delete -f "$c" >/dev/null 2>&1
	done
	for c in $(ctr -a "$CTD/ctd.sock" containers ls -q 2>/dev/null); do
		ctr -a "$CTD/ctd.sock" containers delete "$c" >/dev/null 2>&1
	done
	stop_containerd "$CTD"
	umount_below "$CTD"
	rmdir_cgroups "$CTD_CGROUP"
	rm -rf "$CTD"
}

# make_image FILE: an OCI image archive (one uncompressed layer: the busybox rootfs).
make_image() {
	local dir=$CTD/oci layer config manifest
	mkdir -p "$dir/blobs/sha256"
	tar -C "$BUSYBOX_ROOTFS" -cf "$dir/layer.tar" .
	layer=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
	mv "$dir/layer.tar" "$dir/blobs/sha256/$layer"
	jq -cn --arg l "sha256:$layer" '{architecture: "amd64", os: "linux",
		config: {Env: ["PATH=/bin:/sbin"], Cmd: ["sh"]}, rootfs: {type: "layers", diff_ids: [$l]}}' >"$dir/config"
	config=$(sha256sum "$dir/config" | cut -d' ' -f1)
	mv "$dir/config" "$dir/blobs/sha256/$config"
	jq -cn --arg c "sha256:$config" --argjson cs "$(stat -c %s "$dir/blobs/sha256/$config")" \
		--arg l "sha256:$layer" --argjson ls "$(stat -c %s "$dir/blobs/sha256/$layer")" \
		'{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
		  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: $ls}]}' >"$dir/manifest"
	manifest=$(sha256sum "$dir/manifest" | cut -d' ' -f1)
	mv "$dir/manifest" "$dir/blobs/sha256/$manifest"
	jq -cn --arg m "sha256:$manifest" --argjson ms "$(stat -c %s "$dir/blobs/sha256/$manifest")" \
		'{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
		  digest: $m, size: $ms, annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' >"$dir/index.json"
	echo '{"imageLayoutVersion": "1.0.0"}' >"$dir/oci-layout"
	tar -C "$dir" -cf "$1" oci-layout index.json blobs
}

setup() {
	command -v containerd >/dev/null || skip "containerd is not installed"
	NAME=${ID_PREFIX}cd
	T=$BATS_TEST_TMPDIR
}

teardown() {
	tmux_stop
	[ -z "${CTD2:-}" ] || stop_second_containerd
	c kill -a -s SIGKILL "$NAME" >/dev/null 2>&1 || true
	# (a stopped task stays listed until it is deleted)
	wait_for 5 task_not_running "$NAME" || true
	c delete -f "$NAME" >/dev/null 2>&1 || true
	ctr -a "$CTD/ctd.sock" containers delete "$NAME" >/dev/null 2>&1 || true
}

# c ARGS...: ctr tasks ... on the private containerd
c() {
	ctr -a "$CTD/ctd.sock" tasks "$@"
}

# ctr_run ARGS...: ctr run with oci-rt as the runc binary, its own state
# root, and the suite's cgroup parent (the container is $NAME).
ctr_run() {
	ctr -a "$CTD/ctd.sock" run --runc-binary "$OCI_RT" --runc-root "$CTD/runc" --cgroup "/$CTD_CGROUP/$NAME" "$@"
}

start_sleeper() {
	ctr_run -d localhost/busybox:latest "$NAME" sleep 1000 </dev/null >/dev/null 3>&- 4>&-
	PID=$(c ls | awk -v n="$NAME" '$1 == n {print $2}')
	[ -n "$PID" ]
}

@test "ctr run: the container's output and exit status" {
	run ctr_run --rm localhost/busybox:latest "$NAME" sh -c 'echo "hi from pid $$"; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$output" = "hi from pid 1" ]
}

@test "ctr task exec: in the container, its status; the process is the shim's child; task ps lists it" {
	start_sleeper
	run c exec --exec-id e1 "$NAME" sh -c 'cat /proc/1/cmdline | tr "\0" " "; exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[ "$output" = "sleep 1000 " ]
	c exec -d --exec-id e2 "$NAME" sleep 100 </dev/null >/dev/null 3>&- 4>&-
	run c ps "$NAME"
	echo "$output"
	[ "${#lines[@]}" -eq 3 ]
	epid=$(printf '%s\n' "${lines[@]:1}" | awk -v p="$PID" '$1 != p {print $1}')
	[ "$(cat "/proc/$epid/cmdline" | tr '\0' ' ')" = "sleep 100 " ]
	[ "$(readlink "/proc/$epid/ns/pid")" = "$(readlink "/proc/$PID/ns/pid")" ]
	assert_same_cgroups "$epid" "$PID"
	# reparented to the shim (a subreaper) when oci-rt exec exited
	[ "$(ps -o comm= -p "$(awk '/^PPid:/ {print $2}' "/proc/$epid/status")")" = containerd-shim ]
	# the shim reads the runtime's error from log.json
	run c exec --exec-id e3 "$NAME" nonexistent
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *'OCI runtime exec failed: exec failed: exec: "nonexistent": executable file not found in $PATH'* ]]
}

@test "ctr task kill --all signals every process of the container" {
	start_sleeper
	c exec -d --exec-id e1 "$NAME" sleep 100 </dev/null >/dev/null 3>&- 4>&-
	epid=$(c ps "$NAME" | awk -v p="$PID" 'NR > 1 && $1 != p {print $1}')
	[ -n "$epid" ]
	c kill -a -s SIGKILL "$NAME"
	assert_pid_gone "$epid"
	assert_pid_gone "$PID"
}

@test "ctr task exec -t and ctr run -t: terminals through the console socket, resized, with their exit status" {
	start_sleeper
	tmux_start "ctr -a $CTD/ctd.sock tasks exec -t --exec-id te $NAME sh
		echo \"exec exit \$?\"
		ctr -a $CTD/ctd.sock run -t --rm --env PS1=run# --runc-binary $OCI_RT --runc-root $CTD/runc --cgroup /$CTD_CGROUP/${NAME}t localhost/busybox:latest ${NAME}t sh
		echo \"run exit \$?\""
	check_interactive '^/ #$' '^exec exit 5$' 5
	wait_screen '^run#$' 20
	# ctr sizes the task's console (ResizePty) only after starting it, so
	# the shell may come up before: ask again until the size arrives
	for i in $(seq 20); do
		type_line 'echo "size $(stty size)"'
		wait_screen '^size ' 5
		screen | grep -qx 'size 30 100' && break
		sleep 0.2
	done
	screen | grep -qx 'size 30 100'
	type_line 'exit 6'
	wait_screen '^run exit 6$' 20
}

# oci-rt's state root for the shim: --runc-root, then the namespace
RT_ROOT_NS() {
	echo "$CTD/runc/default"
}

# the task's bundle, where the shim keeps init.pid and log.json
task_bundle() {
	echo "$CTD/ctd-state/io.containerd.runtime.v2.task/default/$1"
}

# the container's cgroup directory in a v1 controller
ctr_cgroup() {
	echo "/sys/fs/cgroup/$1$(awk -F: -v c="$1" '$2 == c {print $3}' "/proc/$PID/cgroup")"
}

# stop_second_containerd: the task, shims and daemon of the metrics test's
# containerd in $CTD2 (its task's cgroups go with the task).
stop_second_containerd() {
	ctr -a "$CTD2/ctd.sock" tasks kill -a -s SIGKILL "$NAME" >/dev/null 2>&1
	wait_for 5 sh -c "! ctr -a $CTD2/ctd.sock tasks ls | grep -qE '^$NAME +[0-9]+ +RUNNING'" || true
	ctr -a "$CTD2/ctd.sock" tasks delete -f "$NAME" >/dev/null 2>&1
	ctr -a "$CTD2/ctd.sock" containers delete "$NAME" >/dev/null 2>&1
	stop_containerd "$CTD2"
	umount_below "$CTD2"
	CTD2=
}

task_status() {
	c ls | awk -v n="$NAME" '$1 == n {print $3}'
}

task_not_running() {
	! ctr -a "$CTD/ctd.sock" tasks ls | grep -qE "^$1 +[0-9]+ +(RUNNING|PAUSED)"
}

task_gone() {
	! ctr -a "$CTD/ctd.sock" tasks ls -q | grep -qx "$1"
}

@test "the shim reads oci-rt's pid file, state and ps --format json: they agree with the host" {
	start_sleeper
	b=$(task_bundle "$NAME")
	# init.pid: the decimal pid, no newline (go-runc's ReadPidFile: Atoi of the whole file)
	[ "$(od -An -c "$b/init.pid" | tr -d ' ')" = "$(printf '%s' "$PID" | od -An -c | tr -d ' ')" ]
	run "$OCI_RT" --root "$(RT_ROOT_NS)" state "$NAME"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq -r .pid <<<"$output")" = "$PID" ]
	[ "$(jq -r .bundle <<<"$output")" = "$b" ]
	# the shim is the init's parent (a subreaper); the init is the container's pid 1
	[ "$(ps -o comm= -p "$(awk '/^PPid:/ {print $2}' "/proc/$PID/status")")" = containerd-shim ]
	[ "$(awk '/^NSpid:/ {print $3}' "/proc/$PID/status")" = 1 ]
	# ctr task ps is oci-rt's ps --format json
	run c ps "$NAME"
	[ "${#lines[@]}" -eq 2 ]
	[ "$(awk 'NR == 2 {print $1}' <<<"$output")" = "$PID" ]
	# nothing went wrong, so the shim's log.json has no error
	run jq -r 'select(.level == "error") | .msg' "$b/log.json"
	[ -z "$output" ]
}

@test "ctr run with a missing binary: the shim reports oci-rt's log.json error; nothing is left" {
	run ctr_run --rm localhost/busybox:latest "$NAME" nonexistent
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"OCI runtime create failed: create $NAME: exec: \"nonexistent\": executable file not found in \$PATH"* ]]
	[ ! -e "$(RT_ROOT_NS)/$NAME" ]
	task_gone "$NAME"
}

@test "ctr task kill: the signal given reaches the init; ctr run returns the status it exits with" {
	ctr_run --rm localhost/busybox:latest "$NAME" sh -c 'trap "exit 9" USR1; while :; do sleep 0.1; done' \
		</dev/null >"$T/out" 2>&1 3>&- 4>&- &
	bg=$!
	wait_for 10 sh -c "ctr -a $CTD/ctd.sock tasks ls | grep -q '^$NAME .*RUNNING'"
	PID=$(c ls | awk -v n="$NAME" '$1 == n {print $2}')
	c kill -s SIGUSR1 "$NAME"
	assert_pid_gone "$PID" 10
	rc=0
	timeout 20 tail --pid="$bg" -f /dev/null || true
	wait "$bg" || rc=$?
	[ "$rc" -eq 9 ]
	# ctr run --rm deleted the task: oci-rt's state went with it
	[ ! -e "$(RT_ROOT_NS)/$NAME" ]
	# a kill of what is gone fails with the shim's not-found mapping
	run c kill "$NAME"
	[ "$status" -ne 0 ]
}

@test "ctr task delete: a stopped task's oci-rt state and cgroup go; delete of a running one is refused" {
	start_sleeper
	cg=$(ctr_cgroup pids)
	[ -d "$cg" ]
	run c delete "$NAME"
	[ "$status" -ne 0 ]
	[ -d "$(RT_ROOT_NS)/$NAME" ]
	kill -0 "$PID"
	c kill -s SIGKILL "$NAME"
	assert_pid_gone "$PID"
	wait_for 10 sh -c "ctr -a $CTD/ctd.sock tasks ls | grep -q '^$NAME .*STOPPED'"
	run c delete "$NAME"
	[ "$status" -eq 0 ]
	[ ! -e "$(RT_ROOT_NS)/$NAME" ]
	[ ! -d "$cg" ]
	task_gone "$NAME"
}

# ---- features that need cgroups (skipped when `oci-rt features` declares no
# cgroup support for this host's cgroup version) ----

@test "ctr task pause/resume: the task is PAUSED, its cgroup frozen, oci-rt reports paused; then running again" {
	require_cgroup_support
	start_sleeper
	c pause "$NAME"
	[ "$(task_status)" = PAUSED ]
	[ "$("$OCI_RT" --root "$(RT_ROOT_NS)" state "$NAME" | jq -r .status)" = paused ]
	[ "$(cat "$(ctr_cgroup freezer)/freezer.state")" = FROZEN ]
	c resume "$NAME"
	[ "$(task_status)" = RUNNING ]
	[ "$(cat "$(ctr_cgroup freezer)/freezer.state")" = THAWED ]
	run c exec --exec-id e1 "$NAME" echo alive
	[ "$output" = alive ]
}

@test "ctr task metrics: the memory limit oci-rt set and the task's pids, from its cgroup" {
	require_cgroup_support
	sock=$CTD/ctd.sock
	# The shim loads the task's cgroup from every v1 hierarchy in
	# /proc/PID/cgroup and gives up on one no mount shows ("cannot find
	# cgroup mount destination"): with such a hierarchy on the host (an
	# unmounted net_cls,net_prio one outlives whoever made it), the task
	# runs under a containerd in a legacy-layout mount namespace where
	# every hierarchy is mounted (spec-tests/cgroup-v1ns).
	missing=$(unmounted_v1_hierarchies self)
	if [ -n "$missing" ]; then
		CTD2=$T/ctd2
		mkdir "$CTD2"
		OCI_RT_V1NS_EXEC=1 start_containerd "$CTD2" "$TOP/spec-tests/cgroup-v1ns"
		sock=$CTD2/ctd.sock
		wait_for 10 ctr -a "$sock" version >/dev/null 2>&1
		ctr -a "$sock" images import --base-name localhost/busybox "$CTD/image.tar" >/dev/null
	fi
	ctr -a "$sock" run -d --runc-binary "$OCI_RT" --runc-root "$CTD/runc" --cgroup "/$CTD_CGROUP/$NAME" \
		--memory-limit 67108864 localhost/busybox:latest "$NAME" sleep 1000 </dev/null >/dev/null 3>&- 4>&-
	PID=$(ctr -a "$sock" tasks ls | awk -v n="$NAME" '$1 == n {print $2}')
	[ "$(cat "$(ctr_cgroup memory)/memory.limit_in_bytes")" = 67108864 ]
	run ctr -a "$sock" tasks metrics "$NAME"
	echo "$output"
	[ "$status" -eq 0 ] || { grep -i -E "metrics|cgroup" "$(dirname "$sock")/ctd.log" | tail -5; false; }
	grep -Eq '^memory\.limit_in_bytes +67108864 *$' <<<"$output"
	grep -Eq '^pids\.current +1 *$' <<<"$output"
}
