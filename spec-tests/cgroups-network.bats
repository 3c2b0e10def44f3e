#!/usr/bin/env bats
# linux.resources.network: net_cls.classid and net_prio.ifpriomap, which
# only cgroup v1 has (the legacy lane mounts them, see cgroup-v1ns).

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}net
}

@test "network.classID and priorities: net_cls and net_prio hold them; the container reads the same" {
	skip_unless_v1 net_cls
	update_config '.linux.resources.network = {"classID": 1048577, "priorities": [{"name": "lo", "priority": 5}]}'
	run_in_container "cat $(cg_inside net_cls net_cls.classid); grep '^lo ' $(cg_inside net_prio net_prio.ifpriomap)"
	[ "$status" -eq 0 ]
	[ "$output" = "1048577
lo 5" ]
	start_container 'sleep 100'
	[ "$(cg_read net_cls net_cls.classid "$ID")" = 1048577 ]
	oci_rt delete -f "$ID"
	cg_missing net_cls "$ID"
	assert_no_leftovers "$ID"
}

@test "network.classID without a net_cls hierarchy is an error naming the field" {
	! cg_v1 net_cls || skip "the $(cg_layout) layout has net_cls"
	update_config '.linux.resources.network = {"classID": 1048577}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	if [ "$(cg_layout)" = unified ]; then
		[ "$RT_MSG" = "create $ID: linux.resources.network.classID: net_cls is a cgroup v1 controller, this host has only cgroup v2" ]
	else
		[ "$RT_MSG" = "create $ID: linux.resources.network.classID: the net_cls controller is not mounted on this host" ]
	fi
	assert_no_leftovers "$ID"
}

@test "network.priorities without a net_prio hierarchy is an error naming the field" {
	! cg_v1 net_prio || skip "the $(cg_layout) layout has net_prio"
	update_config '.linux.resources.network = {"priorities": [{"name": "lo", "priority": 5}]}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "create $ID: linux.resources.network.priorities: "* ]]
	[[ "$RT_MSG" == *net_prio* ]]
	assert_no_leftovers "$ID"
}
