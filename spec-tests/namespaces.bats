#!/usr/bin/env bats
# linux.namespaces (config-linux.md "Namespaces"): a namespace without
# `path` is new, one with `path` is joined, the type must match, and no type
# appears twice; linux.timeOffsets ("Offset for Time Namespace").

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}ns
	OUT=$BATS_TEST_TMPDIR/out
	NSDIR=$BATS_TEST_TMPDIR/ns
	mkdir -p "$OUT" "$NSDIR"
	# namespaces to join are nsfs files bound here; unshare(1) binds a mount
	# namespace only onto a private mount
	mount -t tmpfs nsfiles "$NSDIR"
	mount --make-private "$NSDIR"
	# the container reports what it sees in /out
	update_config '.mounts += [{destination: "/out", type: "bind", source: $out, options: ["rbind", "rw"]}]' \
		--arg out "$OUT"
}

teardown() {
	teardown_containers
	local p
	for p in $(cat "$BATS_TEST_TMPDIR/helpers" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
	umount -R "$NSDIR" 2>/dev/null || umount -R -l "$NSDIR" 2>/dev/null
	return 0
}

# The name of a namespace type in /proc/<pid>/ns.
ns_file() {
	case $1 in
	network) echo net ;;
	mount) echo mnt ;;
	*) echo "$1" ;;
	esac
}

# The inode of an nsfs file (what readlink shows in brackets).
ns_ino() {
	stat -L -c %i "$1"
}

# assert_error MSG: the runtime's error line (logrus, quotes escaped) is MSG.
assert_error() {
	local want="msg=\"run $ID: ${1//\"/\\\"}\""
	if [[ "$output" != *"$want"* ]]; then
		echo "expected: $want"
		echo "got: $output"
		return 1
	fi
}

# helper_bg CMD...: a helper process for this test, killed in teardown.
helper_bg() {
	"$@" </dev/null >/dev/null 2>&1 3>&- 4>&- &
	HELPER=$!
	# teardown kills it; no job notice in the TAP output
	disown "$HELPER"
	echo "$HELPER" >>"$BATS_TEST_TMPDIR/helpers"
}

# userns_ready PID: PID is in a user namespace of its own (unshare has run).
userns_ready() {
	[ "$(readlink "/proc/$1/ns/user")" != "$(readlink /proc/self/ns/user)" ]
}

# make_ns TYPE: a namespace of TYPE, bound at $NSDIR/<ns_file TYPE>.
make_ns() {
	local type=$1 f
	f=$(ns_file "$type")
	touch "$NSDIR/$f"
	case $type in
	pid)
		# a pid namespace takes new processes only while its init lives
		helper_bg unshare --pid --fork --kill-child sleep 1000
		local parent=$HELPER child=
		wait_for 5 pgrep -P "$parent" >/dev/null
		child=$(pgrep -P "$parent")
		echo "$child" >>"$BATS_TEST_TMPDIR/helpers"
		PID_NS_INIT=$child
		mount --bind "/proc/$child/ns/pid" "$NSDIR/pid"
		;;
	user)
		# maps are written from here (no newuidmap needed): ids 0-65535 as on the host
		helper_bg unshare --user sleep 1000
		wait_for 5 userns_ready "$HELPER"
		echo "0 0 65536" >"/proc/$HELPER/uid_map"
		echo "0 0 65536" >"/proc/$HELPER/gid_map"
		mount --bind "/proc/$HELPER/ns/user" "$NSDIR/user"
		;;
	network) unshare --net="$NSDIR/net" true ;;
	mount)
		# pinned by a bind from here (helpers.bash: why not unshare --mount=FILE)
		bind_new_mount_ns "$NSDIR/mnt" sleep 1000
		echo "$MNTNS_HOLDER" >>"$BATS_TEST_TMPDIR/helpers"
		;;
	*) unshare --"$type"="$NSDIR/$f" true ;;
	esac
	[ "$(ns_ino "$NSDIR/$f")" != "$(ns_ino "/proc/self/ns/$f")" ]
}

# The namespaces of the bundle's config, with TYPE replaced by OBJECT.
set_ns() {
	local type=$1 obj=$2
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != $t)] + [$o]' \
		--arg t "$type" --argjson o "$obj"
}

# run_reporting ARGS_FOR_SH: create the container (its init is then in all
# its namespaces: PID is set), start it, and wait until its script, which
# writes to /out, has finished.
create_and_run() {
	update_config '.process.args = ["sh", "-c", $s + "; touch /out/done"]' --arg s "$1"
	oci_rt_bg create "$ID"
	PID=$(oci_rt state "$ID" | jq .pid)
	[ "$PID" -gt 0 ]
}

start_and_wait() {
	oci_rt start "$ID"
	wait_for 5 test -e "$OUT/done"
	wait_status "$ID" stopped
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}

# check_new TYPE: a namespace without path is a new one, seen from inside
# and outside, and not the host's.
check_new() {
	local type=$1 f
	f=$(ns_file "$type")
	set_ns "$type" "{\"type\": \"$type\"}"
	create_and_run "readlink /proc/self/ns/$f > /out/ns"
	local ino host
	ino=$(ns_ino "/proc/$PID/ns/$f")
	host=$(ns_ino "/proc/self/ns/$f")
	[ "$ino" != "$host" ]
	start_and_wait
	[ "$(cat "$OUT/ns")" = "$f:[$ino]" ]
}

# check_joined TYPE: a namespace with path is that namespace.
check_joined() {
	local type=$1 f
	f=$(ns_file "$type")
	make_ns "$type"
	local want
	want=$(ns_ino "$NSDIR/$f")
	set_ns "$type" "{\"type\": \"$type\", \"path\": \"$NSDIR/$f\"}"
	create_and_run "readlink /proc/self/ns/$f > /out/ns"
	[ "$(ns_ino "/proc/$PID/ns/$f")" = "$want" ]
	start_and_wait
	[ "$(cat "$OUT/ns")" = "$f:[$want]" ]
}

@test "a new pid namespace is not the host's" {
	check_new pid
}

@test "a new network namespace is not the host's" {
	check_new network
}

@test "a new ipc namespace is not the host's" {
	check_new ipc
}

@test "a new uts namespace is not the host's" {
	check_new uts
}

@test "a new mount namespace is not the host's" {
	check_new mount
}

@test "a new user namespace is not the host's" {
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
	check_new user
}

@test "a new cgroup namespace is not the host's and is rooted at the container's cgroup" {
	check_new cgroup
	# from the inside, every hierarchy's path is its root ...
	set_ns cgroup '{"type": "cgroup"}'
	rm -f "$OUT/done"
	create_and_run "cat /proc/self/cgroup > /out/cgroup"
	# ... from the outside, the container's cgroup (named after its id)
	grep -q ":memory:.*/$ID\$" "/proc/$PID/cgroup"
	start_and_wait
	[ "$(grep -c . "$OUT/cgroup")" -eq "$(grep -c . /proc/self/cgroup)" ]
	[ "$(grep -vc ':/$' "$OUT/cgroup")" -eq 0 ]
}

@test "a new time namespace is not the host's" {
	check_new time
}

@test "joining a pid namespace by path" {
	check_joined pid
	# the namespace's init is the helper: pid 1 inside is its sleep
	rm -f "$OUT/done"
	create_and_run "tr '\\0' ' ' < /proc/1/cmdline > /out/init; echo \$\$ > /out/pid"
	start_and_wait
	[ "$(cat "$OUT/init")" = "sleep 1000 " ]
	[ "$(cat "$OUT/pid")" -gt 1 ]
}

@test "joining a network namespace by path" {
	check_joined network
}

@test "joining an ipc namespace by path" {
	check_joined ipc
}

@test "joining a uts namespace by path" {
	check_joined uts
}

@test "joining a mount namespace by path" {
	check_joined mount
}

@test "joining a user namespace by path writes no maps" {
	check_joined user
	rm -f "$OUT/done"
	create_and_run "cat /proc/self/uid_map > /out/uid_map; id -u > /out/uid"
	# the helper's maps, from outside
	[ "$(awk '{print $1, $2, $3}' "/proc/$PID/uid_map")" = "0 0 65536" ]
	start_and_wait
	[ "$(awk '{print $1, $2, $3}' "$OUT/uid_map")" = "0 0 65536" ]
	[ "$(cat "$OUT/uid")" = 0 ]
}

@test "joining the runtime's own user namespace is having none of the container's own" {
	set_ns user "{\"type\": \"user\", \"path\": \"/proc/$$/ns/user\"}"
	update_config '.process.args = ["sh", "-c", "readlink /proc/self/ns/user; cat /proc/self/uid_map; grep -c \" /dev/null \" /proc/self/mountinfo || true"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink /proc/self/ns/user)" ]
	[ "$(echo "${lines[1]}" | awk '{print $1, $2, $3}')" = "0 0 4294967295" ]
	# not in a user namespace: /dev/null is a node made with mknod, not a bind mount
	[ "${lines[2]}" = 0 ]
	assert_no_leftovers "$ID"
}

@test "joining a cgroup namespace by path" {
	check_joined cgroup
}

@test "joining a time namespace by path" {
	check_joined time
}

@test "joining user and pid namespaces: new ones are made inside them, the init stays the runtime's child" {
	# one helper: the pid namespace belongs to the user namespace
	helper_bg unshare --user --pid --fork --kill-child sleep 1000
	local parent=$HELPER child=
	wait_for 5 pgrep -P "$parent" >/dev/null
	child=$(pgrep -P "$parent")
	echo "0 0 65536" >"/proc/$child/uid_map"
	echo "0 0 65536" >"/proc/$child/gid_map"
	update_config '.linux.namespaces = [{type: "user", path: $u}, {type: "pid", path: $p},
			{type: "network"}, {type: "ipc"}, {type: "uts"}, {type: "mount"}]' \
		--arg u "/proc/$child/ns/user" --arg p "/proc/$child/ns/pid"
	update_config '.process.args = ["sh", "-c", "for n in user pid net; do readlink /proc/self/ns/$n; done; cat /proc/self/uid_map"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(readlink "/proc/$child/ns/user")" ]
	[ "${lines[1]}" = "$(readlink "/proc/$child/ns/pid")" ]
	# the new network namespace belongs to the joined user namespace
	[ "${lines[2]}" != "$(readlink /proc/self/ns/net)" ]
	[ "$(echo "${lines[3]}" | awk '{print $1, $2, $3}')" = "0 0 65536" ]
	assert_no_leftovers "$ID"
}

@test "a joined user namespace: run waits for the container and reports its exit status" {
	make_ns user
	set_ns user "{\"type\": \"user\", \"path\": \"$NSDIR/user\"}"
	update_config '.process.args = ["sh", "-c", "exit 42"]'
	run oci_rt run "$ID"
	[ "$status" -eq 42 ]
	assert_no_leftovers "$ID"
}

@test "a joined pid namespace: hooks run by the runtime stay in the runtime's pid namespace" {
	make_ns pid
	set_ns pid "{\"type\": \"pid\", \"path\": \"$NSDIR/pid\"}"
	update_config '.hooks.createRuntime = [{path: "/bin/sh",
		args: ["sh", "-c", "readlink /proc/self/ns/pid > " + $out + "/hook"]}]' --arg out "$OUT"
	update_config '.process.args = ["sh", "-c", "readlink /proc/self/ns/pid"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "pid:[$(ns_ino "$NSDIR/pid")]" ]
	[ "$(cat "$OUT/hook")" = "$(readlink /proc/self/ns/pid)" ]
	assert_no_leftovers "$ID"
}

@test "linux.timeOffsets shift the clocks of a new time namespace" {
	set_ns time '{"type": "time"}'
	update_config '.linux.timeOffsets = {monotonic: {secs: 86400, nanosecs: 0}, boottime: {secs: 172800, nanosecs: 5}}'
	create_and_run "cat /proc/self/timens_offsets > /out/offsets; cut -d. -f1 /proc/uptime > /out/uptime"
	# from outside: the init's time namespace carries the offsets
	[ "$(awk '{print $1, $2, $3}' "/proc/$PID/timens_offsets")" = "$(printf 'monotonic 86400 0\nboottime 172800 5')" ]
	[ "$(ns_ino "/proc/$PID/ns/time")" != "$(ns_ino /proc/self/ns/time)" ]
	start_and_wait
	[ "$(awk '{print $1, $2, $3}' "$OUT/offsets")" = "$(printf 'monotonic 86400 0\nboottime 172800 5')" ]
	# /proc/uptime follows CLOCK_BOOTTIME: two days ahead of the host's
	local host inside
	host=$(cut -d. -f1 /proc/uptime)
	inside=$(cat "$OUT/uptime")
	[ "$inside" -ge $((host + 172800 - 5)) ]
	[ "$inside" -le $((host + 172800)) ]
	# the host's clocks are untouched
	[ "$(awk '{print $1, $2, $3}' /proc/self/timens_offsets)" = "$(printf 'monotonic 0 0\nboottime 0 0')" ]
}

# ---- errors ----

@test "a path that is not a namespace file is an error" {
	set_ns network "{\"type\": \"network\", \"path\": \"$BUNDLE/config.json\"}"
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "config.json: .linux.namespaces[4].path: $BUNDLE/config.json is not a network namespace"
	assert_no_leftovers "$ID"
}

@test "a namespace of another type is an error" {
	make_ns ipc
	set_ns network "{\"type\": \"network\", \"path\": \"$NSDIR/ipc\"}"
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "config.json: .linux.namespaces[4].path: $NSDIR/ipc is not a network namespace"
	assert_no_leftovers "$ID"
}

@test "a missing namespace path is an error" {
	set_ns uts "{\"type\": \"uts\", \"path\": \"$NSDIR/nothing\"}"
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "config.json: .linux.namespaces[4].path: open uts namespace $NSDIR/nothing: no such file or directory"
	assert_no_leftovers "$ID"
}

@test "a relative namespace path is an error" {
	set_ns uts '{"type": "uts", "path": "proc/self/ns/uts"}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error 'config.json: .linux.namespaces[4].path: "proc/self/ns/uts" is not an absolute path'
	assert_no_leftovers "$ID"
}

@test "a namespace type given twice is an error" {
	update_config '.linux.namespaces += [{type: "pid"}]'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error 'config.json: .linux.namespaces[5]: duplicate namespace type "pid"'
	assert_no_leftovers "$ID"
}

@test "a new user namespace without uid mappings is an error" {
	update_config '.linux.namespaces += [{type: "user"}]'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "User namespaces enabled, but no uid mappings found."
	assert_no_leftovers "$ID"
}

@test "a new user namespace without gid mappings is an error" {
	update_config '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "User namespaces enabled, but no gid mappings found."
	assert_no_leftovers "$ID"
}

@test "id mappings without a user namespace are an error" {
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "User namespace mappings specified, but USER namespace isn't enabled in the config"
	assert_no_leftovers "$ID"
}

@test "linux.timeOffsets without a time namespace are an error" {
	update_config '.linux.timeOffsets = {monotonic: {secs: 10}}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "time namespace offsets specified, but time namespace isn't enabled in the config"
	assert_no_leftovers "$ID"
}

@test "linux.timeOffsets with a joined time namespace are an error" {
	make_ns time
	set_ns time "{\"type\": \"time\", \"path\": \"$NSDIR/time\"}"
	update_config '.linux.timeOffsets = {monotonic: {secs: 10}}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "time namespace enabled, but both namespace path and time offsets specified -- you may only provide one"
	assert_no_leftovers "$ID"
}

@test "a joined pid namespace whose init has exited is an error" {
	make_ns pid
	local p
	for p in $(cat "$BATS_TEST_TMPDIR/helpers"); do
		kill -9 "$p"
	done
	# gone, or a zombie: either way the namespace takes no new process
	wait_for 5 sh -c "! grep -qv '^State:.*Z' /proc/$PID_NS_INIT/status 2>/dev/null || grep -q '^State:.*Z' /proc/$PID_NS_INIT/status"
	set_ns pid "{\"type\": \"pid\", \"path\": \"$NSDIR/pid\"}"
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "clone3 into the joined pid namespace (has its init exited?): cannot allocate memory"
	assert_no_leftovers "$ID"
}

@test "a container without a mount namespace is refused" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "mount")]'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "config.json: .linux.namespaces: a mount namespace is required"
	assert_no_leftovers "$ID"
}
