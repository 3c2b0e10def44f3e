#!/usr/bin/env bats
# `delete [--force] ID`: what may be deleted, and that nothing of the
# container is left afterwards.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}d
	bind_shared_dir
}

@test "delete of a stopped container removes it" {
	update_config '.process.args = ["sh", "-c", "echo done > /shared/done"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	oci_rt start "$ID"
	wait_status "$ID" stopped
	[ "$(cat "$SHARED/done")" = done ]
	cg=$(cgroup_dir_of pids "$ID")
	[ -d "$cg" ]

	run --separate-stderr oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	assert_pid_gone "$pid"
	[ ! -d "$cg" ]
	assert_no_leftovers "$ID"
	rt_json state "$ID"
	[ "$RT_MSG" = "container does not exist" ]
}

@test "delete of a created container kills its init and removes it" {
	update_config '.process.args = ["sh", "-c", "echo started > /shared/started"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	kill -0 "$pid"
	run --separate-stderr oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	assert_pid_gone "$pid"
	# the process never ran
	[ ! -e "$SHARED/started" ]
	assert_no_leftovers "$ID"
}

@test "delete of a running container without --force fails and leaves it running" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	rt_json delete "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "cannot delete container $ID that is not stopped: running" ]
	[ -z "$RT_OUT" ]
	sleep 0.2
	[ "$(status_of "$ID")" = running ]
	grep -q sleep "/proc/$pid/cmdline"
	grep -qx "$pid" "$(cgroup_dir_of pids "$ID")/cgroup.procs"
	[ -f "$ROOT/$ID/state.json" ]
}

@test "delete --force of a running container kills every process and removes it" {
	# no pid namespace: the init's death alone would not end the others
	update_config '.process.args = ["sh", "-c", "sleep 100 & echo $! > /shared/child; exec sleep 100"]
		| .linux.namespaces |= map(select(.type != "pid"))'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	wait_for 5 test -s "$SHARED/child"
	child=$(cat "$SHARED/child")
	kill -0 "$child"
	run --separate-stderr oci_rt delete --force "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	assert_pid_gone "$pid"
	assert_pid_gone "$child"
	assert_no_leftovers "$ID"
}

@test "delete -f of a running container in its own pid namespace" {
	update_config '.process.args = ["sh", "-c", "sleep 100 & exec sleep 100"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	procs=$(cgroup_dir_of pids "$ID")/cgroup.procs
	wait_for 5 count_is 2 line_count "$procs"
	pids=$(cat "$procs")
	run oci_rt delete -f "$ID"
	[ "$status" -eq 0 ]
	for p in $pids; do
		assert_pid_gone "$p"
	done
	assert_no_leftovers "$ID"
}

@test "delete -f of a missing container succeeds; delete of one fails" {
	run --separate-stderr oci_rt delete -f "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	rt_json delete "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container does not exist" ]
	[ ! -e "$ROOT/$ID" ]
}

@test "delete -f removes a stray state directory without state.json" {
	# what an interrupted create could leave (runc #1451)
	mkdir -p "$ROOT/$ID"
	: >"$ROOT/$ID/config.json"
	mkfifo "$ROOT/$ID/exec.fifo"
	rt_json state "$ID"
	[ "$RT_MSG" = "container does not exist" ]
	rt_json delete "$ID"
	[ "$RT_RC" -eq 1 ]
	[ -d "$ROOT/$ID" ]
	run --separate-stderr oci_rt delete -f "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	[ ! -e "$ROOT/$ID" ]
	assert_no_leftovers "$ID"
}

@test "delete twice: the second fails with container does not exist" {
	update_config '.process.args = ["true"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	wait_status "$ID" stopped
	run oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	assert_no_leftovers "$ID"
	rt_json delete "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container does not exist" ]
	assert_no_leftovers "$ID"
}

@test "delete leaves other containers alone" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "${ID}a"
	oci_rt_bg create "${ID}b"
	oci_rt start "${ID}b"
	pid_b=$(init_pid "${ID}b")
	run oci_rt delete "${ID}a"
	[ "$status" -eq 0 ]
	assert_no_leftovers "${ID}a"
	[ "$(status_of "${ID}b")" = running ]
	[ "$(init_pid "${ID}b")" -eq "$pid_b" ]
	[ -d "$(cgroup_dir_of pids "${ID}b")" ]
	run oci_rt delete -f "${ID}b"
	[ "$status" -eq 0 ]
	assert_no_leftovers "${ID}b"
}
