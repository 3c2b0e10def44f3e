#!/usr/bin/env bats
# User namespaces (config-linux.md "User namespace mappings"): the runtime
# writes linux.uidMappings/gidMappings for a new user namespace, the
# container's ids are the mapped host ids, and devices are bound from the
# host since mknod is not allowed there.

load helpers

# The container's ids 0-65535 are the host's 100000-165535.
HOST_BASE=100000

setup() {
	setup_bundle
	ID=${ID_PREFIX}us
	# The init resolves the rootfs and mount sources as the container's
	# root, host uid 100000, which cannot enter bats' private (0700) temp
	# dir: the files it reaches live in a directory others may search.
	USERNS_DIR=$(mktemp -d /tmp/oci-rt-userns.XXXXXX)
	chmod 755 "$USERNS_DIR"
	OUT=$USERNS_DIR/out
	mkdir -p "$OUT"
	# the container's root owns its files: a copy of the image owned by the
	# mapped ids (the hard-linked bundle rootfs must not be chowned)
	MAPPED_ROOTFS=$USERNS_DIR/rootfs
	cp -a "$BUSYBOX_ROOTFS" "$MAPPED_ROOTFS"
	chown -R "$HOST_BASE:$HOST_BASE" "$MAPPED_ROOTFS"
	update_config '.root.path = $r
		| .linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: $b, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: $b, size: 65536}]
		| .mounts += [{destination: "/out", type: "bind", source: $out, options: ["rbind", "rw"]}]' \
		--arg r "$MAPPED_ROOTFS" --argjson b "$HOST_BASE" --arg out "$OUT"
	# the container's root (host uid 100000) writes here
	chown "$HOST_BASE:$HOST_BASE" "$OUT"
	chmod 1777 "$OUT"
}

teardown() {
	teardown_containers
	local p
	for p in $(cat "$BATS_TEST_TMPDIR/helpers" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
	umount "$BATS_TEST_TMPDIR/ns/uts" 2>/dev/null
	[ -n "${USERNS_DIR:-}" ] && rm -rf "$USERNS_DIR"
	return 0
}

# assert_error MSG: the runtime's error line (logrus, quotes escaped) has MSG.
assert_error() {
	local want="msg=\"run $ID: ${1//\"/\\\"}\""
	if [[ "$output" != *"$want"* ]]; then
		echo "expected: $want"
		echo "got: $output"
		return 1
	fi
}

# userns_ready PID: PID is in a user namespace of its own (unshare has run).
userns_ready() {
	[ "$(readlink "/proc/$1/ns/user")" != "$(readlink /proc/self/ns/user)" ]
}

# The three fields of an id map, one line per range.
map_of() {
	awk '{print $1, $2, $3}' "$1"
}

@test "the container's root is the mapped host id, inside and out" {
	# (run -d: a detached run waits for start on its socket, not on exec.fifo)
	update_config '.process.args = ["sh", "-c", "id > /out/id; cat /proc/self/uid_map > /out/uid_map; cat /proc/self/gid_map > /out/gid_map; touch /out/done; exec sleep 100"]'
	oci_rt_bg run -d "$ID"
	pid=$(oci_rt state "$ID" | jq .pid)
	wait_for 5 test -e "$OUT/done"
	# outside: the maps as configured, and the process runs as the mapped root
	[ "$(map_of "/proc/$pid/uid_map")" = "0 $HOST_BASE 65536" ]
	[ "$(map_of "/proc/$pid/gid_map")" = "0 $HOST_BASE 65536" ]
	[ "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "$HOST_BASE $HOST_BASE $HOST_BASE $HOST_BASE" ]
	[ "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "$HOST_BASE $HOST_BASE $HOST_BASE $HOST_BASE" ]
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	# inside: root, with the same maps
	[ "$(cat "$OUT/id")" = "uid=0(root) gid=0(root)" ]
	[ "$(map_of "$OUT/uid_map")" = "0 $HOST_BASE 65536" ]
	[ "$(map_of "$OUT/gid_map")" = "0 $HOST_BASE 65536" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "several mapping ranges are written as given" {
	update_config '.linux.uidMappings = [{containerID: 0, hostID: $b, size: 1000}, {containerID: 1000, hostID: ($b + 5000), size: 100}]
		| .linux.gidMappings = [{containerID: 0, hostID: $b, size: 65536}]
		| .process.args = ["cat", "/proc/self/uid_map"]' --argjson b "$HOST_BASE"
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{print $1, $2, $3}')" = "$(printf '0 %d 1000\n1000 %d 100' "$HOST_BASE" $((HOST_BASE + 5000)))" ]
	assert_no_leftovers "$ID"
}

@test "files the container creates on a bind mount belong to the mapped host ids" {
	update_config '.process.args = ["sh", "-c", "touch /out/by-root && mkdir /out/dir-by-root"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$(stat -c %u:%g "$OUT/by-root")" = "$HOST_BASE:$HOST_BASE" ]
	[ "$(stat -c %u:%g "$OUT/dir-by-root")" = "$HOST_BASE:$HOST_BASE" ]

	# a non-root user of the container is its host id + the base
	update_config '.process.user = {uid: 1000, gid: 1001} | .process.args = ["touch", "/out/by-1000"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$(stat -c %u:%g "$OUT/by-1000")" = "$((HOST_BASE + 1000)):$((HOST_BASE + 1001))" ]
	assert_no_leftovers "$ID"
}

@test "files the host's root owns are nobody's inside" {
	touch "$OUT/host-file"
	chown 0:0 "$OUT/host-file"
	update_config '.process.args = ["stat", "-c", "%u:%g", "/out/host-file"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	# the overflow ids of /proc/sys/kernel/overflowuid
	[ "$output" = "$(cat /proc/sys/kernel/overflowuid):$(cat /proc/sys/kernel/overflowgid)" ]
	assert_no_leftovers "$ID"
}

@test "devices are bound from the host; mknod is not allowed" {
	update_config '.linux.devices = [{path: "/dev/fuse", type: "c", major: 10, minor: 229}]
		| .process.args = ["sh", "-c", "for d in null zero full random urandom tty fuse; do stat -c \"%n %F %t:%T\" /dev/$d; done > /out/devs
			grep -E \" /dev/(null|zero|fuse) \" /proc/self/mountinfo | cut -d\" \" -f5 > /out/mounts
			echo x > /dev/null && head -c 4 /dev/zero | od -An -tx1 > /out/zero
			mknod /tmp/node c 1 3 2> /out/mknod; echo $? >> /out/mknod"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$OUT/devs")" = "/dev/null character special file 1:3
/dev/zero character special file 1:5
/dev/full character special file 1:7
/dev/random character special file 1:8
/dev/urandom character special file 1:9
/dev/tty character special file 5:0
/dev/fuse character special file a:e5" ]
	# each one is a bind mount of the host's node
	[ "$(sort "$OUT/mounts")" = "$(printf '/dev/fuse\n/dev/null\n/dev/zero')" ]
	[ "$(cat "$OUT/zero" | tr -d ' ')" = "00000000" ]
	[[ "$(head -1 "$OUT/mknod")" == *"Operation not permitted"* ]]
	[ "$(tail -1 "$OUT/mknod")" -ne 0 ]
	assert_no_leftovers "$ID"
}

@test "a container whose root is not mapped cannot start" {
	update_config '.linux.uidMappings = [{containerID: 1, hostID: $b, size: 100}]' --argjson b "$HOST_BASE"
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "failed to become root in user namespace: invalid argument"
	assert_no_leftovers "$ID"
}

@test "a new user namespace next to a joined uts namespace: the uts one is joined first" {
	NSDIR=$BATS_TEST_TMPDIR/ns
	mkdir -p "$NSDIR"
	touch "$NSDIR/uts"
	unshare --uts="$NSDIR/uts" hostname joined-uts
	local want
	want=$(stat -L -c %i "$NSDIR/uts")
	# a uts namespace the host's root owns: the container may not rename it
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "uts")] + [{type: "uts", path: $p}]
		| del(.hostname)
		| .process.args = ["sh", "-c", "readlink /proc/self/ns/uts; hostname; id -u; cat /proc/self/uid_map"]' \
		--arg p "$NSDIR/uts"
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "uts:[$want]" ]
	[ "${lines[1]}" = joined-uts ]
	[ "${lines[2]}" = 0 ]
	[ "$(echo "${lines[3]}" | awk '{print $1, $2, $3}')" = "0 $HOST_BASE 65536" ]
	assert_no_leftovers "$ID"
}

@test "a joined user namespace keeps its own maps; mappings in the config are not written" {
	unshare --user sleep 1000 </dev/null >/dev/null 2>&1 3>&- 4>&- &
	local helper=$!
	disown "$helper"
	echo "$helper" >>"$BATS_TEST_TMPDIR/helpers"
	wait_for 5 userns_ready "$helper"
	echo "0 $HOST_BASE 65536" >"/proc/$helper/uid_map"
	echo "0 $HOST_BASE 65536" >"/proc/$helper/gid_map"
	# the config describes the joined namespace (as runc 1.1 and CRI-O expect)
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "user")] + [{type: "user", path: $p}]
		| .process.args = ["sh", "-c", "readlink /proc/self/ns/user; cat /proc/self/uid_map; touch /out/joined"]' \
		--arg p "/proc/$helper/ns/user"
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink "/proc/$helper/ns/user")" ]
	[ "$(echo "${lines[1]}" | awk '{print $1, $2, $3}')" = "0 $HOST_BASE 65536" ]
	[ "$(stat -c %u:%g "$OUT/joined")" = "$HOST_BASE:$HOST_BASE" ]
	assert_no_leftovers "$ID"
}
