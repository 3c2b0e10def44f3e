#!/usr/bin/env bats
# create -> start -> state -> kill -> delete, and run, on real containers.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}lc
}

@test "create leaves the init blocked before exec; start runs the process" {
	update_config '.process.args = ["sh", "-c", "echo started > /tmp/marker; sleep 100"]
		| .mounts |= map(select(.destination != "/tmp"))
		| .root.readonly = false'
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	[ "$(status_of "$ID")" = created ]
	pid=$(oci_rt state "$ID" | jq .pid)
	[ "$pid" -gt 0 ]
	# the init has not exec'd: its command line is still the runtime's
	grep -q oci-rt "/proc/$pid/cmdline"
	[ ! -e "$BUNDLE/rootfs/tmp/marker" ]

	run oci_rt start "$ID"
	[ "$status" -eq 0 ]
	wait_for 5 test -e "$BUNDLE/rootfs/tmp/marker"
	[ "$(status_of "$ID")" = running ]
	grep -q sleep "/proc/$pid/cmdline"

	run oci_rt kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	[ "$(oci_rt state "$ID" | jq .pid)" -eq 0 ]
	run oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	assert_no_leftovers "$ID"
}

@test "run in the foreground exits with the container's status" {
	update_config '.process.args = ["sh", "-c", "exit 7"]'
	run oci_rt run "$ID"
	[ "$status" -eq 7 ]
	assert_no_leftovers "$ID"
}

@test "run reports death by signal as 128+signal" {
	update_config '.process.args = ["sleep", "100"]'
	# (set -e is inherited by the subshell: keep the status from aborting it)
	(
		rc=0
		"$OCI_RT" --root "$ROOT" run "$ID" </dev/null >/dev/null 2>&1 || rc=$?
		echo "$rc" >"$BATS_TEST_TMPDIR/rc"
	) &
	wait_status "$ID" running
	oci_rt kill "$ID" KILL
	wait_for 10 test -s "$BATS_TEST_TMPDIR/rc"
	[ "$(cat "$BATS_TEST_TMPDIR/rc")" -eq 137 ]
	assert_no_leftovers "$ID"
}

@test "run passes stdio through" {
	update_config '.process.args = ["sh", "-c", "read x; echo got:$x; echo err >&2"]'
	run bash -c "echo hi | $OCI_RT --root $ROOT run $ID 2>/dev/null"
	[ "$status" -eq 0 ]
	[ "$output" = "got:hi" ]
}

@test "run --keep leaves a stopped container to delete" {
	run oci_rt run --keep "$ID"
	[ "$status" -eq 0 ]
	[ "$(status_of "$ID")" = stopped ]
	run oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	assert_no_leftovers "$ID"
}

@test "run --detach returns at once with the container running" {
	update_config '.process.args = ["sleep", "100"]'
	run oci_rt_bg run -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	[ "$status" -eq 0 ]
	[ "$(status_of "$ID")" = running ]
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(oci_rt state "$ID" | jq .pid)" ]
	run oci_rt delete -f "$ID"
	[ "$status" -eq 0 ]
	assert_no_leftovers "$ID"
}

@test "delete of a created container kills its init" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	pid=$(oci_rt state "$ID" | jq .pid)
	run oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	! kill -0 "$pid" 2>/dev/null
	assert_no_leftovers "$ID"
}
