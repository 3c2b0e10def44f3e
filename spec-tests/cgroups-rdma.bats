#!/usr/bin/env bats
# linux.resources.rdma: rdma.max, same format in both versions.  No test
# machine has an RDMA device, so what is checked is the write reaching the
# kernel (which names the missing device) or the missing controller.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}rdma
	update_config '.linux.resources.rdma = {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}}'
}

@test "rdma limits reach rdma.max, which refuses a device the machine lacks" {
	cg_v1 rdma || cg_v2 rdma || skip "no rdma controller in the $(cg_layout) layout"
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: linux.resources.rdma: failed to write \"mlx5_1 hca_handle=3 hca_object=10000\" to $(cg_dir rdma "$ID")/rdma.max: no such device" ]
	assert_no_leftovers "$ID"
}

@test "rdma without an rdma controller is an error naming the field" {
	! cg_v1 rdma && ! cg_v2 rdma || skip "the $(cg_layout) layout has rdma"
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "create $ID: linux.resources.rdma: the rdma controller is not "* ]]
	assert_no_leftovers "$ID"
}
