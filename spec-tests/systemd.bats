#!/usr/bin/env bats
# --systemd-cgroup: cgroupsPath as "slice:prefix:name", and runc's errors.
# The systemd driver itself (transient units over D-Bus) needs a host whose
# init is systemd; these machines have none, so what is tested here is what
# a host without systemd sees (runc's words, exit 1, nothing left behind),
# and the driver's D-Bus side against a stand-in systemd (fake_systemd.c,
# on sd-bus: another D-Bus implementation than the runtime's own).

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
	stop_fake_systemd
}

# ---- a stand-in systemd (spec-tests/tools/fake_systemd.c) ----------------
# A private D-Bus system bus with a fake org.freedesktop.systemd1 on it, and
# a mount namespace (kept by a sleeping holder) whose /run has systemd's
# marker; $OCI_RT becomes a wrapper that runs the runtime there, so every
# helper (and teardown) talks to the fake.  What it proves: the runtime's
# D-Bus calls and job waiting, not what a real systemd does with them.
FAKE_PIDS=
# start_fake_systemd [RESULT]: RESULT is every job's ("done"); the other
# modes of fake_systemd.c are its FAKE_SYSTEMD_* variables, exported.  The
# bus listens on $FAKE_BUS and on the abstract socket $FAKE_ABSTRACT; the
# runtime is given RT_DBUS_ADDRESS when set, else unix:path=$FAKE_BUS.
start_fake_systemd() {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	[ -x "$TOOLS/fake_systemd" ] && command -v dbus-daemon >/dev/null || skip "no dbus-daemon or fake_systemd"
	local bus=$BATS_TEST_TMPDIR/bus i
	FAKE_BUS=$bus
	FAKE_ABSTRACT=oci-rt-test-$$-$BATS_TEST_NUMBER
	cat >"$BATS_TEST_TMPDIR/bus.conf" <<-EOF2
		<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
		 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
		<busconfig>
		  <type>system</type>
		  <listen>unix:path=$bus</listen>
		  <listen>unix:abstract=$FAKE_ABSTRACT</listen>
		  <auth>EXTERNAL</auth>
		  <policy context="default">
		    <allow user="*"/> <allow own="*"/> <allow send_destination="*"/>
		    <allow send_type="signal"/> <allow receive_type="signal"/>
		    <allow receive_type="method_call"/> <allow receive_type="method_return"/>
		    <allow receive_type="error"/>
		  </policy>
		</busconfig>
	EOF2
	# the daemon prints its address once it listens: the socket file alone
	# is there from bind(2), a moment before listen(2), when a connect is
	# refused
	dbus-daemon --config-file="$BATS_TEST_TMPDIR/bus.conf" --nofork --nopidfile --print-address=1 \
		</dev/null >"$BATS_TEST_TMPDIR/bus.addr" 2>&1 3>&- 4>&- &
	FAKE_PIDS="$!"
	for i in $(seq 400); do grep -q unix: "$BATS_TEST_TMPDIR/bus.addr" && break; sleep 0.05; done
	grep -q unix: "$BATS_TEST_TMPDIR/bus.addr" || { cat "$BATS_TEST_TMPDIR/bus.addr"; false; }
	[ -S "$bus" ]
	DBUS_SYSTEM_BUS_ADDRESS=unix:path=$bus FAKE_SYSTEMD_RESULT=${1:-done} "$TOOLS/fake_systemd" "$BATS_TEST_TMPDIR/systemd.log" \
		</dev/null >"$BATS_TEST_TMPDIR/fake.out" 2>&1 3>&- 4>&- &
	FAKE_PIDS="$FAKE_PIDS $!"
	for i in $(seq 400); do grep -q ready "$BATS_TEST_TMPDIR/fake.out" && break; sleep 0.05; done
	grep -q ready "$BATS_TEST_TMPDIR/fake.out" || { echo "fake_systemd: $(cat "$BATS_TEST_TMPDIR/fake.out")"; echo "dbus-daemon: $(cat "$BATS_TEST_TMPDIR/bus.addr")"; false; }
	unshare -m --propagation private sh -c 'mount -t tmpfs none /run && mkdir -p /run/systemd/system && exec sleep 600' \
		</dev/null >/dev/null 2>&1 3>&- 4>&- &
	HOLDER=$!
	FAKE_PIDS="$FAKE_PIDS $HOLDER"
	for i in $(seq 400); do nsenter -t "$HOLDER" -m test -d /run/systemd/system 2>/dev/null && break; sleep 0.05; done
	REAL_OCI_RT=$OCI_RT
	OCI_RT=$BATS_TEST_TMPDIR/oci-rt-in-fake-systemd
	# (entering a mount namespace moves to its root: keep the caller's cwd,
	# entered by path in the namespace; nsenter --wd keeps the directory of
	# the old one, which getcwd(2) calls "(unreachable)" and musl returns)
	printf '#!/bin/sh\nexec nsenter -t %s -m env -C "$PWD" DBUS_SYSTEM_BUS_ADDRESS="${RT_DBUS_ADDRESS:-unix:path=%s}" %s "$@"\n' \
		"$HOLDER" "$bus" "$REAL_OCI_RT" >"$OCI_RT"
	chmod +x "$OCI_RT"
}

# create_in_fake_scope: the fake systemd (modes as exported), and create of
# a container sleeping in a scope of system.slice
create_in_fake_scope() {
	start_fake_systemd
	update_config '.linux.cgroupsPath = $p | .process.args = ["sleep", "100"]' --arg p "system.slice:oci-rt:$ID"
	oci_rt_bg --systemd-cgroup create "$ID"
}

stop_fake_systemd() {
	local p
	for p in $FAKE_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $FAKE_PIDS; do
		wait "$p" 2>/dev/null || true
	done
	FAKE_PIDS=
	# what a failed test may have left of the unit's cgroup (nothing made it
	# but this test: system.slice does not exist on these hosts otherwise)
	if [ -z "$SLICE_BEFORE" ]; then
		for p in $(cg_host find /sys/fs/cgroup -maxdepth 3 -depth -type d -path '*/system.slice*' 2>/dev/null); do
			cg_host rmdir "$p" 2>/dev/null || true
		done
	fi
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

# assert_run_refused MSG: the `run` just made (rt_json) failed with exit
# code 1 and MSG, its process (`touch /ran`) never ran, nothing is left.
assert_run_refused() {
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "$1" ]
	[ ! -e "$BUNDLE/rootfs/ran" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

rt_systemd_create() {
	rt_json --systemd-cgroup create "$ID"
}

# create with --systemd-cgroup fails as runc does where systemd is not init
assert_create_not_running() {
	[ ! -d /run/systemd/system ] || skip "systemd runs on this host"
	rt_systemd_create
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "systemd not running: a slice:prefix:name path fails with runc's error, exit 1, nothing left" {
	update_config '.linux.cgroupsPath = $p' --arg p "system.slice:oci-rt:$ID"
	assert_create_not_running
}

@test "systemd not running: no cgroupsPath (runc's runc-<id>.scope) fails the same way" {
	update_config 'del(.linux.cgroupsPath)'
	assert_create_not_running
}

@test "systemd not running: an invalid slice name is not looked at before (runc's order)" {
	update_config '.linux.cgroupsPath = $p' --arg p "a--b.slice:oci-rt:$ID"
	assert_create_not_running
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
	assert_run_refused "run $ID: systemd not running on this host, cannot use systemd cgroups manager"
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

@test "systemd's marker without its bus: runc's error, nothing left; features says systemd" {
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
	# the driver is always built (its D-Bus client is the runtime's own)
	[ "$(jq -r .linux.cgroup.systemd <<<"$output")" = true ]
	RT_RC=0
	unshare -m sh "$BATS_TEST_TMPDIR/fake-run.sh" "$OCI_RT" --root "$ROOT" --log-format json --systemd-cgroup create "$ID" \
		</dev/null >"$BATS_TEST_TMPDIR/o" 2>"$BATS_TEST_TMPDIR/e" 3>&- 4>&- || RT_RC=$?
	[ "$RT_RC" -eq 1 ]
	[ "$(jq -r .msg "$BATS_TEST_TMPDIR/e")" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "fake systemd: create asks for a transient scope with runc's properties; the init is in its cgroup; delete stops it" {
	start_fake_systemd
	update_config '.linux.cgroupsPath = $p | .linux.resources.memory.limit = 67108864 |
		.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000} | .linux.resources.pids.limit = 42' \
		--arg p "system.slice:oci-rt:$ID"
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg --systemd-cgroup create "$ID"
	pid=$(jq -r .pid "$ROOT/$ID/state.json")
	[ "$(jq -r .systemdCgroup "$ROOT/$ID/state.json")" = true ]
	[ "$(jq -r .cgroupPath "$ROOT/$ID/state.json")" = "/system.slice/oci-rt-$ID.scope" ]
	v2=false
	[ "$(cg_layout)" = unified ] && v2=true
	if $v2; then mem="MemoryMax=67108864" shares="CPUWeight=$(( 1 + ((512 - 2) * 9999) / 262142 ))" io=IOAccounting
	else mem=MemoryLimit=67108864 shares=CPUShares=512 io=BlockIOAccounting; fi
	diff -u - "$BATS_TEST_TMPDIR/systemd.log" <<-EOF
		StartTransientUnit oci-rt-$ID.scope replace
		  Description=libcontainer container $ID
		  Slice=system.slice
		  Delegate=true
		  PIDs=[$pid]
		  DefaultDependencies=false
		  MemoryAccounting=true
		  CPUAccounting=true
		  $io=true
		  TasksAccounting=true
		  $mem
		  $shares
		  CPUQuotaPerSecUSec=500000
		  TasksMax=42
	EOF
	# from outside: the unit's cgroup below the expanded slice holds the
	# init, with the spec's limits
	if cg_v1 pids; then d=/sys/fs/cgroup/$(cg_hier pids | cut -d: -f2) line=':pids:'
	else d=$(cg_v2_root) line='^0::'; fi
	[ "$(cg_host cat "$d/system.slice/oci-rt-$ID.scope/cgroup.procs")" = "$pid" ]
	[ "$(cg_host cat "$d/system.slice/oci-rt-$ID.scope/pids.max")" = 42 ]
	# from inside (no cgroup namespace): the same path
	run --separate-stderr oci_rt exec "$ID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[ "$(grep "$line" <<<"$output" | cut -d: -f3-)" = "/system.slice/oci-rt-$ID.scope" ]
	oci_rt delete -f "$ID"
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/systemd.log")" = "StopUnit oci-rt-$ID.scope replace" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "fake systemd: a unit whose job fails fails create with runc's error, nothing left" {
	start_fake_systemd failed
	update_config '.linux.cgroupsPath = $p | .process.args = ["touch", "/ran"]' --arg p "system.slice:oci-rt:$ID"
	rt_json --systemd-cgroup run "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: error creating systemd unit \`oci-rt-$ID.scope\`: got \`failed\`" ]
	[ "$(head -n 1 "$BATS_TEST_TMPDIR/systemd.log")" = "StartTransientUnit oci-rt-$ID.scope replace" ]
	[ ! -e "$BUNDLE/rootfs/ran" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "fake systemd: a slice unit has Wants= its parent, no Slice=, Delegate= or PIDs=" {
	start_fake_systemd
	update_config '.linux.cgroupsPath = $p | .process.args = ["sleep", "100"]' --arg p "system.slice:oci-rt:$ID.slice"
	oci_rt_bg --systemd-cgroup create "$ID"
	[ "$(jq -r .cgroupPath "$ROOT/$ID/state.json")" = "/system.slice/$ID.slice" ]
	v2=false
	[ "$(cg_layout)" = unified ] && v2=true
	if $v2; then io=IOAccounting; else io=BlockIOAccounting; fi
	diff -u - "$BATS_TEST_TMPDIR/systemd.log" <<-EOF
		StartTransientUnit $ID.slice replace
		  Description=libcontainer container $ID.slice
		  Wants=[system.slice]
		  DefaultDependencies=false
		  MemoryAccounting=true
		  CPUAccounting=true
		  $io=true
		  TasksAccounting=true
	EOF
	oci_rt delete -f "$ID"
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/systemd.log")" = "StopUnit $ID.slice replace" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "fake systemd: a JobRemoved that comes before the method's reply is not missed" {
	export FAKE_SYSTEMD_SIGNAL_FIRST=1
	SECONDS=0
	create_in_fake_scope
	oci_rt delete -f "$ID"
	# not the 30 s of a missed signal
	[ "$SECONDS" -lt 10 ]
	[ "$(sed -n '1p;$p' "$BATS_TEST_TMPDIR/systemd.log")" = "StartTransientUnit oci-rt-$ID.scope replace
StopUnit oci-rt-$ID.scope replace" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "fake systemd: a JobRemoved another bus client sends the runtime is not systemd's: ignored" {
	export FAKE_SYSTEMD_SPOOF=1
	# taken for systemd's, the spoof's result would fail create
	create_in_fake_scope
	[ "$(oci_rt state "$ID" | jq -r .status)" = created ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "fake systemd: StopUnit of a unit systemd no longer has (NoSuchUnit) is success: delete is quiet" {
	export FAKE_SYSTEMD_STOP_ERROR=org.freedesktop.systemd1.NoSuchUnit
	create_in_fake_scope
	run --separate-stderr oci_rt delete -f "$ID"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ] || { echo "stderr: $stderr"; false; }
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/systemd.log")" = "StopUnit oci-rt-$ID.scope replace" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

@test "fake systemd: another error of StopUnit is delete's warning, with systemd's text; the container goes" {
	export FAKE_SYSTEMD_STOP_ERROR=org.freedesktop.DBus.Error.AccessDenied
	create_in_fake_scope
	run --separate-stderr oci_rt --log-format json delete -f "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.level == "warning") | .msg' <<<"$stderr")" = "stop unit oci-rt-$ID.scope: Unit oci-rt-$ID.scope refused by fake_systemd." ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}

# run_refused_start MSG: with the fake's StartTransientUnit failing (its
# error set by the caller's FAKE_SYSTEMD_* variables), `run` fails with
# "run <id>: start unit <unit>: MSG", its process never ran, nothing is left.
run_refused_start() {
	export FAKE_SYSTEMD_START_ERROR=org.freedesktop.systemd1.UnitExists
	start_fake_systemd
	update_config '.linux.cgroupsPath = $p | .process.args = ["touch", "/ran"]' --arg p "system.slice:oci-rt:$ID"
	rt_json --systemd-cgroup run "$ID"
	assert_run_refused "run $ID: start unit oci-rt-$ID.scope: $1"
}

@test "fake systemd: an error reply to StartTransientUnit fails create with systemd's text, nothing left" {
	run_refused_start "Unit oci-rt-$ID.scope refused by fake_systemd."
}

@test "fake systemd: a reply larger than the client takes (1 MiB) fails create clearly, nothing left" {
	export FAKE_SYSTEMD_ERROR_SIZE=2000000
	# (the client's own words, with the size, go to the --debug log)
	run_refused_start "message too long"
}

@test "fake systemd: DBUS_SYSTEM_BUS_ADDRESS as a list (past tcp and a missing socket), and an abstract socket" {
	# (start_fake_systemd's bus is $BATS_TEST_TMPDIR/bus)
	export RT_DBUS_ADDRESS="tcp:host=localhost,port=1;unix:path=$BATS_TEST_TMPDIR/none;unix:guid=0,path=$BATS_TEST_TMPDIR/bus"
	create_in_fake_scope
	export RT_DBUS_ADDRESS="unix:abstract=$FAKE_ABSTRACT"
	oci_rt delete -f "$ID"
	[ "$(grep -c '^[A-Z]' "$BATS_TEST_TMPDIR/systemd.log")" -eq 2 ]
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/systemd.log")" = "StopUnit oci-rt-$ID.scope replace" ]
	# no usable address: systemd is not reachable
	update_config '.process.args = ["true"]'
	export RT_DBUS_ADDRESS="tcp:host=localhost,port=1;unix:path=$BATS_TEST_TMPDIR/none"
	rt_json --systemd-cgroup create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: systemd not running on this host, cannot use systemd cgroups manager" ]
	assert_no_leftovers "$ID"
	assert_no_unit_cgroup
}
