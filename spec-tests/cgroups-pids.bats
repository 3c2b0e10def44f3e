#!/usr/bin/env bats
# linux.resources.pids: the limit in pids.max, a fork bomb stopped at it,
# -1 for no limit.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}pid
}

@test "pids.limit: pids.max holds it and the container reads the same" {
	update_config '.linux.resources.pids = {"limit": 42}'
	run_in_container "cat $(cg_inside pids pids.max)"
	[ "$status" -eq 0 ]
	[ "$output" = 42 ]
	assert_no_leftovers "$ID"
}

@test "a fork bomb stops at the pids limit" {
	bind_shared_dir
	update_config '.linux.resources.pids = {"limit": 8}'
	# a subshell starts "sleep &" until a fork fails (which ends it): with
	# the init and the subshell, 6 sleeps fit under 8
	start_container '(i=0; while [ $i -lt 40 ]; do sleep 100 & i=$((i + 1)); done) 2>/shared/err; echo done > /shared/done; exec sleep 100'
	wait_for 20 test -s "$SHARED/done"
	grep -q "can't fork" "$SHARED/err"
	# the sleeps stay, reparented to the init
	[ "$(pgrep -c -P "$(init_pid "$ID")" sleep)" -eq 6 ]
	[ "$(cg_read pids pids.current "$ID")" -eq 7 ]
	# the kernel counts the refusals
	[ "$(cg_read pids pids.events "$ID" | awk '$1 == "max" {print $2}')" -gt 0 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "pids.limit -1: no limit (max)" {
	update_config '.linux.resources.pids = {"limit": -1}'
	start_container 'sleep 100'
	[ "$(cg_read pids pids.max "$ID")" = max ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "kill --all KILL ends a fork loop in a container without a pid namespace" {
	update_config '.linux.namespaces -= [{"type": "pid"}] | .linux.resources.pids = {"limit": 64}'
	start_container 'while :; do sleep 100 & sleep 0.01; done'
	pids_at_least() { [ "$(cg_read pids pids.current "$ID")" -ge "$1" ]; }
	wait_for 10 pids_at_least 10
	oci_rt kill --all "$ID" KILL
	wait_for 10 count_is 0 cg_read pids pids.current "$ID"
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}
