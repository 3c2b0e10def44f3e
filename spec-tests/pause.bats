#!/usr/bin/env bats
# `pause` and `resume`: every process of the container frozen (v1 freezer
# or cgroup.freeze) and thawed, state reporting paused, and the errors and
# lifecycle rules around it (runc's).

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}p
	bind_shared_dir
}

# A container whose init and a child each count in /shared/{init,child}.
start_counters() {
	start_container 'c=0; (while :; do c=$((c + 1)); echo $c > /shared/child; sleep 0.05; done) &
		while :; do c=$((c + 1)); echo $c > /shared/init; sleep 0.05; done'
	wait_for 5 test -s "$SHARED/init"
	wait_for 5 test -s "$SHARED/child"
}

counters() {
	echo "$(cat "$SHARED/init") $(cat "$SHARED/child")"
}

# frozen_in_cgroup: the cgroup itself says it is frozen
frozen_in_cgroup() {
	if cg_v1 freezer; then
		[ "$(cg_read freezer freezer.state "$ID")" = FROZEN ]
	else
		[ "$(cg_read __v2__ cgroup.freeze "$ID")" = 1 ] && cg_read __v2__ cgroup.events "$ID" | grep -qx 'frozen 1'
	fi
}

@test "pause freezes every process (the counters stop), resume thaws them (they go on)" {
	start_counters
	run --separate-stderr oci_rt pause "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	[ "$(status_of "$ID")" = paused ]
	frozen_in_cgroup
	before=$(counters)
	sleep 0.5
	[ "$(counters)" = "$before" ]
	run --separate-stderr oci_rt resume "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	[ "$(status_of "$ID")" = running ]
	! frozen_in_cgroup || false
	read -r i0 c0 <<<"$before"
	advanced() { read -r i c <<<"$(counters)"; [ "$i" -gt "$i0" ] && [ "$c" -gt "$c0" ]; }
	wait_for 5 advanced
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "a paused container's tasks are stopped in the kernel's eyes" {
	start_counters
	oci_rt pause "$ID"
	pid=$(init_pid "$ID")
	if cg_v1 freezer; then
		# v1 freezer: D (frozen in the refrigerator)
		grep -q '^State:[[:space:]]*D' "/proc/$pid/status"
	else
		grep -q '^State:[[:space:]]*S' "/proc/$pid/status"
	fi
	oci_rt resume "$ID"
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "a created container can be paused and resumed, then started" {
	update_config '.process.args = ["sh", "-c", "echo started > /shared/started; sleep 100"]'
	oci_rt_bg create "$ID"
	oci_rt pause "$ID"
	[ "$(status_of "$ID")" = paused ]
	oci_rt list --format json | jq -e --arg id "$ID" '.[] | select(.id == $id) | .status == "paused"'
	run oci_rt start "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot start a container in the paused state"* ]]
	oci_rt resume "$ID"
	[ "$(status_of "$ID")" = created ]
	oci_rt start "$ID"
	wait_for 5 test -s "$SHARED/started"
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "pause of a paused or stopped container: container not running; resume of a running one: container not paused" {
	start_counters
	oci_rt pause "$ID"
	rt_json pause "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container not running" ]
	oci_rt resume "$ID"
	rt_json resume "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container not paused" ]
	oci_rt kill "$ID" KILL
	wait_status "$ID" stopped
	rt_json pause "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container not running" ]
	rt_json resume "$ID"
	[ "$RT_MSG" = "container not paused" ]
	oci_rt delete "$ID"
	rt_json pause "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container does not exist" ]
	assert_no_leftovers "$ID"
}

@test "delete of a paused container: refused without --force; with it, thawed, killed and removed" {
	start_counters
	oci_rt pause "$ID"
	pid=$(init_pid "$ID")
	rt_json delete "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "cannot delete container $ID that is not stopped: paused" ]
	[ "$(status_of "$ID")" = paused ]
	run timeout 20 "$OCI_RT" --root "$ROOT" delete -f "$ID"
	[ "$status" -eq 0 ]
	assert_pid_gone "$pid"
	assert_no_leftovers "$ID"
	cg_assert_gone "$ID"
}

@test "KILL to a paused container: the v1 freezer holds it until resume; cgroup2 lets it through" {
	start_counters
	oci_rt pause "$ID"
	pid=$(init_pid "$ID")
	oci_rt kill "$ID" KILL
	if cg_v1 freezer; then
		sleep 0.3
		[ -e "/proc/$pid" ]
		[ "$(status_of "$ID")" = paused ]
		oci_rt resume "$ID"
	fi
	wait_status "$ID" stopped
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}
