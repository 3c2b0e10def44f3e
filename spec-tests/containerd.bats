#!/usr/bin/env bats
# containerd (its runc v2 shim, through go-runc) with oci-rt as the runc
# binary: run, task exec (`exec --process F --detach --pid-file P
# [--console-socket S] ID`, clients.md §2), task ps, kill --all, terminals.
# A private containerd (own root, state and sockets) and an OCI image made
# here from the busybox rootfs.

load helpers
load tty_helpers

setup_file() {
	command -v containerd >/dev/null || skip "containerd is not installed (bundles/setup.sh installs it)"
	CTD=$(mktemp -d /tmp/ort-ctd.XXXXXX)
	export CTD
	cat >"$CTD/config.toml" <<-EOF
		version = 2
		root = "$CTD/root"
		state = "$CTD/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$CTD/ctd.sock"
		[ttrpc]
		  address = "$CTD/ctd.ttrpc.sock"
	EOF
	containerd --config "$CTD/config.toml" </dev/null >"$CTD/log" 2>&1 3>&- 4>&- &
	echo $! >"$CTD/pid"
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
	kill "$(cat "$CTD/pid")" 2>/dev/null
	wait_for 10 pid_gone "$(cat "$CTD/pid")"
	grep -o " $CTD/[^ ]*" /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
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
	c kill -a -s SIGKILL "$NAME" >/dev/null 2>&1 || true
	wait_for 5 sh -c "! ctr -a $CTD/ctd.sock tasks ls -q | grep -qx $NAME" || true
	c delete -f "$NAME" >/dev/null 2>&1 || true
	ctr -a "$CTD/ctd.sock" containers delete "$NAME" >/dev/null 2>&1 || true
}

# c ARGS...: ctr tasks ... on the private containerd
c() {
	ctr -a "$CTD/ctd.sock" tasks "$@"
}

# ctr_run ARGS...: ctr run with oci-rt as the runc binary and its own state root.
ctr_run() {
	ctr -a "$CTD/ctd.sock" run --runc-binary "$OCI_RT" --runc-root "$CTD/runc" "$@"
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
	[ "$(cat "/proc/$epid/cgroup")" = "$(cat "/proc/$PID/cgroup")" ]
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
		ctr -a $CTD/ctd.sock run -t --rm --env PS1=run# --runc-binary $OCI_RT --runc-root $CTD/runc localhost/busybox:latest ${NAME}t sh
		echo \"run exit \$?\""
	check_interactive '^/ #$' '^exec exit 5$' 5
	wait_screen '^run#$' 20
	type_line 'echo "size $(stty size)"; exit 6'
	wait_screen '^run exit 6$' 20
	screen | grep -qx 'size 30 100'
}
