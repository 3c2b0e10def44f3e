#!/usr/bin/env bats
# linux.cgroupsPath and the container cgroup's life: where it is in every
# hierarchy, that the container's processes are in it, that delete removes
# what create made and nothing else, and the paths that are refused.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}cg
	PRE=
}

teardown() {
	teardown_containers
	# cgroups a test made itself, or left on purpose
	local d
	for d in $PRE; do
		cg_host rmdir "$d" 2>/dev/null || true
	done
	cg_rmdir_all "pod$ID"
}

# The hierarchies the runtime sees mounted, as /proc/self/cgroup names
# them ("cpu", "name=systemd", "" for cgroup2 unless legacy); a hierarchy
# the kernel keeps after its last unmount still shows in /proc/*/cgroup.
mounted_hierarchies() {
	if in_v1ns; then
		OCI_RT_V1NS_EXEC=1 "$OCI_RT" cat /proc/self/mountinfo
	else
		cat /proc/self/mountinfo
	fi | awk -v legacy="$([ "$(cg_layout)" = legacy ] && echo 1)" '
		/ - cgroup2 / && !legacy {print ""}
		/ - cgroup cgroup / {n = split($NF, a, ","); s = ""
			for (i = 1; i <= n; i++) if (a[i] != "rw" && a[i] != "ro") s = s (s == "" ? "" : ",") a[i]
			print s}' | sort -u
}

# keep_mounted: filter "controllers:path" lines to the mounted hierarchies
keep_mounted() {
	local m
	m=$(mounted_hierarchies)
	awk -F: -v m="$m" 'BEGIN {n = split(m, a, "\n"); for (i = 1; i <= n; i++) ok[a[i]] = 1}
		($1 in ok) {print}'
}

# The cgroup of the container's init in each mounted hierarchy,
# "controllers:path" lines.
init_cgroups() {
	cut -d: -f2- "/proc/$1/cgroup" | keep_mounted | sort
}

# What init_cgroups should say for cgroup path P below each hierarchy's
# own cgroup of the runtime (relative) or from its root (absolute).
expected_cgroups() {
	local rel=$1 abs=$2 n ctrls own
	if in_v1ns; then
		OCI_RT_V1NS_EXEC=1 "$OCI_RT" cat /proc/self/cgroup
	else
		cat /proc/self/cgroup
	fi | while IFS=: read -r n ctrls own; do
		if [ -n "$abs" ]; then
			echo "$ctrls:$abs"
		else
			echo "$ctrls:${own%/}/$rel"
		fi
	done | keep_mounted | sort
}

@test "no cgroupsPath: <the runtime's own cgroup>/<id> in every hierarchy, holding the init, as the container sees too" {
	bind_shared_dir
	start_container 'cat /proc/self/cgroup > /shared/cgroup; sleep 100'
	pid=$(init_pid "$ID")
	[ "$(init_cgroups "$pid")" = "$(expected_cgroups "$ID" "")" ]
	# the directories exist and list the init
	grep -qx "$pid" "$(cg_dir pids "$ID")/cgroup.procs"
	grep -qx "$pid" "$(cg_dir memory "$ID")/cgroup.procs"
	# from inside (no cgroup namespace): the same paths
	wait_for 5 test -s "$SHARED/cgroup"
	[ "$(cat "$SHARED/cgroup")" = "$(cat "/proc/$pid/cgroup")" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
	cg_assert_gone "$ID"
}

@test "without a cgroup mount the init is still in every hierarchy's cgroup before its process runs" {
	bind_shared_dir
	update_config '.mounts |= map(select(.type != "cgroup" and .type != "cgroup2"))'
	start_container 'cat /proc/self/cgroup > /shared/cgroup; sleep 100'
	pid=$(init_pid "$ID")
	[ "$(init_cgroups "$pid")" = "$(expected_cgroups "$ID" "")" ]
	# what the process saw from its first instruction on
	wait_for 5 test -s "$SHARED/cgroup"
	[ "$(cat "$SHARED/cgroup")" = "$(cat "/proc/$pid/cgroup")" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
	cg_assert_gone "$ID"
}

@test "a relative cgroupsPath is taken below the runtime's own cgroup in each hierarchy" {
	update_config '.linux.cgroupsPath = $p' --arg p "rel$ID/c"
	start_container 'sleep 100'
	pid=$(init_pid "$ID")
	[ "$(init_cgroups "$pid")" = "$(expected_cgroups "rel$ID/c" "")" ]
	oci_rt delete -f "$ID"
	# gone with the parent create made for it
	cg_missing pids "rel$ID/c"
	cg_missing pids "rel$ID"
	cg_missing memory "rel$ID"
	assert_no_leftovers "$ID"
}

@test "an absolute cgroupsPath is taken from the root of every hierarchy" {
	update_config '.linux.cgroupsPath = $p' --arg p "/abs$ID/c"
	start_container 'sleep 100'
	pid=$(init_pid "$ID")
	[ "$(init_cgroups "$pid")" = "$(expected_cgroups "" "/abs$ID/c")" ]
	oci_rt delete -f "$ID"
	if [ "$(cg_layout)" = unified ]; then
		[ ! -e "/sys/fs/cgroup/abs$ID" ]
	else
		[ ! -e "/sys/fs/cgroup/pids/abs$ID" ]
		[ ! -e "/sys/fs/cgroup/memory/abs$ID" ]
	fi
	assert_no_leftovers "$ID"
}

@test "delete leaves a cgroup that was there before create, and removes the ones create made" {
	local pre
	pre=$(cg_dir pids "pre$ID")
	mkdir "$pre"
	PRE="$pre"
	update_config '.linux.cgroupsPath = $p' --arg p "pre$ID"
	start_container 'sleep 100'
	pid=$(init_pid "$ID")
	grep -qx "$pid" "$pre/cgroup.procs"
	oci_rt delete -f "$ID"
	# ours stays (empty); on a v1 host the hierarchies create made go
	[ -d "$pre" ]
	[ -z "$(cat "$pre/cgroup.procs")" ]
	if cg_v1 memory; then
		cg_missing memory "pre$ID"
	fi
	[ ! -e "$ROOT/$ID" ]
}

@test "two containers under one new parent: the parent stays while the other uses it, and after (runc's rule)" {
	update_config '.linux.cgroupsPath = $p' --arg p "pod$ID/a"
	start_container 'sleep 100'
	update_config '.linux.cgroupsPath = $p' --arg p "pod$ID/b"
	oci_rt_bg create "${ID}b"
	oci_rt delete -f "$ID"
	cg_exists pids "pod$ID/b"
	cg_missing pids "pod$ID/a"
	oci_rt delete -f "${ID}b"
	cg_missing pids "pod$ID/b"
	# made for the first container, which could not remove it while the
	# second used it; the second did not make it: it stays, as with runc
	cg_exists pids "pod$ID"
	assert_no_leftovers "$ID"
}

@test "a forked process stays in the container's cgroup" {
	bind_shared_dir
	start_container 'sleep 100 & echo $! > /shared/child; wait'
	wait_for 5 test -s "$SHARED/child"
	pid=$(init_pid "$ID")
	child=$(pgrep -P "$pid" sleep)
	[ -n "$child" ]
	[ "$(cat "/proc/$child/cgroup")" = "$(cat "/proc/$pid/cgroup")" ]
	grep -qx "$child" "$(cg_dir pids "$ID")/cgroup.procs"
	oci_rt delete -f "$ID"
	assert_pid_gone "$child"
	assert_no_leftovers "$ID"
}

@test "a cgroupsPath with .. is refused and nothing is left behind" {
	update_config '.linux.cgroupsPath = "/a/../../etc"'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: invalid cgroupsPath \"/a/../../etc\"" ]
	assert_no_leftovers "$ID"
	[ ! -e /sys/fs/cgroup/pids/a ] && [ ! -e /sys/fs/cgroup/a ]
}

@test "--systemd-cgroup on a host without systemd: runc's error, nothing left behind" {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	update_config '.linux.cgroupsPath = $p' --arg p "system.slice:oci-rt:$ID"
	RT_RC=0
	"$OCI_RT" --root "$ROOT" --systemd-cgroup --log-format json create "$ID" </dev/null >"$BATS_TEST_TMPDIR/o" 2>"$BATS_TEST_TMPDIR/e" || RT_RC=$?
	[ "$RT_RC" -eq 1 ]
	[ "$(jq -r .msg "$BATS_TEST_TMPDIR/e")" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
}

@test "state.json records each hierarchy's directory of the container" {
	update_config '.linux.cgroupsPath = $p' --arg p "rec$ID"
	oci_rt_bg create "$ID"
	[ "$(jq -r '.cgroupDirs.pids // .cgroupDirs[""]' "$ROOT/$ID/state.json")" = "$(cg_dir pids "rec$ID")" ]
	[ "$(jq -r '.cgroupDirs.memory // .cgroupDirs[""]' "$ROOT/$ID/state.json")" = "$(cg_dir memory "rec$ID")" ]
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
	cg_missing pids "rec$ID"
}

@test "delete -f removes the sub-cgroups below the container's (an exec --cgroup one with a process, a deeper one), nothing beside it" {
	update_config '.linux.cgroupsPath = $p' --arg p "pod$ID/c"
	start_container 'sleep 100'
	dirs=$(jq -r '.cgroupDirs[]' "$ROOT/$ID/state.json")
	[ -n "$dirs" ]
	for d in $dirs; do
		# (a v1 cpuset starts empty and takes no task)
		cg_host sh -c 'mkdir "$1/sub" "$1/sub/deeper" "${1%/*}/other" &&
			case $1 in /sys/fs/cgroup/cpuset/*)
				cat "$1/cpuset.cpus" >"$1/sub/cpuset.cpus" && cat "$1/cpuset.mems" >"$1/sub/cpuset.mems" ;;
			esac' _ "$d"
		PRE="$(dirname "$d")/other $PRE"
	done
	oci_rt_bg exec -d --pid-file "$BATS_TEST_TMPDIR/epid" --cgroup sub "$ID" sleep 100
	epid=$(cat "$BATS_TEST_TMPDIR/epid")
	for d in $dirs; do
		cg_host grep -qx "$epid" "$d/sub/cgroup.procs"
	done
	oci_rt delete -f "$ID"
	assert_pid_gone "$epid"
	for d in $dirs; do
		! cg_host test -e "$d" || { echo "$d left behind"; false; }
		# the parent create made stays while a cgroup it did not make is in it
		cg_host test -d "$(dirname "$d")/other"
	done
	assert_no_leftovers "$ID"
}

@test "features: cgroup v1, v2 and rdma are driven; systemd only where it runs" {
	run --separate-stderr oci_rt features
	[ "$status" -eq 0 ]
	# the driver says true only with systemd as the host's init (systemd.bats)
	[ -d /run/systemd/system ] || [ "$(jq -c .linux.cgroup.systemd <<<"$output")" = false ]
	[ "$(jq -c '.linux.cgroup | del(.systemd)' <<<"$output")" = '{"v1":true,"v2":true,"systemdUser":false,"rdma":true}' ]
}
