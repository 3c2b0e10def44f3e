#!/usr/bin/env bats
# linux.resources.unified: cgroup2 files written as given, last (they win
# over the typed fields), errors for bad keys and missing controllers, and
# refused by name on a host with cgroup v1.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}uni
}

@test "unified keys are written to the cgroup's files; the container reads the same" {
	skip_unless_layout unified
	update_config '.linux.resources.unified = {"pids.max": "17", "memory.high": "50331648"}'
	run_in_container 'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.high'
	[ "$status" -eq 0 ]
	[ "$output" = "17
50331648" ]
	assert_no_leftovers "$ID"
}

@test "unified wins over the typed field for the same file" {
	skip_unless_layout unified
	update_config '.linux.resources.pids = {"limit": 10} | .linux.resources.unified = {"pids.max": "33"}'
	start_container 'sleep 100'
	[ "$(cat "$(cg_dir pids "$ID")/pids.max")" = 33 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "unified: a key with a slash, without a controller, or of a missing controller is refused" {
	skip_unless_layout unified
	update_config '.linux.resources.unified = {"../pids.max": "1"}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: linux.resources.unified: unified resource \"../pids.max\" must be a file name (no slashes)" ]
	assert_no_leftovers "$ID"
	update_config '.linux.resources.unified = {"nodot": "1"}'
	rt_json create "$ID"
	[ "$RT_MSG" = "create $ID: linux.resources.unified: unified resource \"nodot\" must be in the form CONTROLLER.PARAMETER" ]
	assert_no_leftovers "$ID"
	update_config '.linux.resources.unified = {"foo.bar": "1"}'
	rt_json create "$ID"
	[ "$RT_MSG" = "create $ID: linux.resources.unified: unified resource \"foo.bar\" can't be set: controller \"foo\" not available" ]
	assert_no_leftovers "$ID"
}

@test "unified on a host with cgroup v1 is refused by name" {
	skip_unless_layout legacy hybrid
	update_config '.linux.resources.unified = {"pids.max": "17"}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: linux.resources.unified: invalid configuration: cannot use unified on cgroup v1" ]
	assert_no_leftovers "$ID"
}
