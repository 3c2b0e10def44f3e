#!/usr/bin/env bats
# --systemd-cgroup: cgroupsPath as "slice:prefix:name", and runc's errors.
# The systemd driver itself (transient units over D-Bus) needs a host whose
# init is systemd; these machines have none, so what is tested here is what
# a host without systemd sees: runc's words, exit 1, nothing left behind.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}sd
	SLICE_BEFORE=$(cg_host find /sys/fs/cgroup -maxdepth 3 -type d -name 'system.slice' 2>/dev/null | sort)
}

teardown() {
	teardown_containers
	cg_rmdir_all "a.slice:p:$ID"
}

# no cgroup directory anywhere names the container or its unit, and no
# system.slice appeared
assert_no_unit_cgroup() {
	local left
	left=$(cg_host find /sys/fs/cgroup -maxdepth 6 -type d -name "*$ID*" 2>/dev/null | head -1)
	[ -z "$left" ] || { echo "cgroup $left left behind"; return 1; }
	[ "$(cg_host find /sys/fs/cgroup -maxdepth 3 -type d -name 'system.slice' 2>/dev/null | sort)" = "$SLICE_BEFORE" ] ||
		{ echo "a system.slice cgroup was made"; return 1; }
}

rt_systemd_create() {
	rt_json --systemd-cgroup create "$ID"
}

@test "systemd not running: a slice:prefix:name path fails with runc's error, exit 1, nothing left" {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	update_config '.linux.cgroupsPath = $p' --arg p "system.slice:oci-rt:$ID"
	rt_systemd_create
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "systemd not running: no cgroupsPath (runc's runc-<id>.scope) fails the same way" {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	update_config 'del(.linux.cgroupsPath)'
	rt_systemd_create
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "systemd not running: an invalid slice name is not looked at before (runc's order)" {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	update_config '.linux.cgroupsPath = $p' --arg p "a--b.slice:oci-rt:$ID"
	rt_systemd_create
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "--systemd-cgroup with a cgroupsPath not of the form slice:prefix:name: runc's format error" {
	local p
	for p in "/$ID" "$ID" "system.slice:$ID" "a:b:c:$ID"; do
		update_config '.linux.cgroupsPath = $p' --arg p "$p"
		rt_systemd_create
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "create $ID: expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"$p\" instead" ]
		assert_no_leftovers "$ID"
		assert_no_unit_cgroup
	done
}

@test "--systemd-cgroup with run: the same error, no process started" {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	update_config '.linux.cgroupsPath = $p | .process.args = ["touch", "/ran"]' --arg p "system.slice:oci-rt:$ID"
	rt_json --systemd-cgroup run "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	[ ! -e "$BUNDLE/rootfs/ran" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "without --systemd-cgroup a slice:prefix:name cgroupsPath is a plain relative path" {
	update_config '.linux.cgroupsPath = $p' --arg p "a.slice:p:$ID"
	start_container 'sleep 100'
	pid=$(jq -r .pid "$ROOT/$ID/state.json")
	# from outside: the init is in a directory named after the whole path
	cg_host grep -qx "$pid" "$(cg_dir pids "a.slice:p:$ID")/cgroup.procs"
	[ "$(jq -r .systemdCgroup "$ROOT/$ID/state.json")" = false ]
	# from inside (no cgroup namespace): the same path, no .scope unit
	run --separate-stderr oci_rt exec "$ID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	own=$(cg_hier pids | cut -d: -f3-)
	[ "$(grep ':pids:' <<<"$output" | cut -d: -f3-)" = "${own%/}/a.slice:p:$ID" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
	cg_missing pids "a.slice:p:$ID"
}

# Was this runtime built with the systemd driver (libsystemd found)?
driver_built() {
	grep -q 'systemd_bus\.c' "$(dirname "$OCI_RT")/compile_commands.json" 2>/dev/null
}

@test "systemd's marker without its bus: runc's error, nothing left; features says systemd only with the driver" {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	update_config '.linux.cgroupsPath = $p' --arg p "system.slice:oci-rt:$ID"
	# a private /run holding only /run/systemd/system: systemd looks like
	# the init, but no system bus answers
	cat >"$BATS_TEST_TMPDIR/fake-run.sh" <<-'SH'
		mount --make-rprivate / && mount -t tmpfs none /run && mkdir -p /run/systemd/system || exit 99
		exec "$@"
	SH
	run --separate-stderr unshare -m sh "$BATS_TEST_TMPDIR/fake-run.sh" "$OCI_RT" features
	[ "$status" -eq 0 ]
	want=false
	driver_built && want=true
	[ "$(jq -r .linux.cgroup.systemd <<<"$output")" = "$want" ]
	RT_RC=0
	unshare -m sh "$BATS_TEST_TMPDIR/fake-run.sh" "$OCI_RT" --root "$ROOT" --log-format json --systemd-cgroup create "$ID" \
		</dev/null >"$BATS_TEST_TMPDIR/o" 2>"$BATS_TEST_TMPDIR/e" 3>&- 4>&- || RT_RC=$?
	[ "$RT_RC" -eq 1 ]
	[ "$(jq -r .msg "$BATS_TEST_TMPDIR/e")" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}
