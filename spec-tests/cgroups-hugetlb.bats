#!/usr/bin/env bats
# linux.resources.hugepageLimits: the usage and reservation limits per page
# size (v1 hugetlb, or cgroup2's, where a hybrid host keeps it), biting
# where the machine has huge pages, and the errors.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}huge
}

# hugetlb_file SIZE: the limit file of the layout
hugetlb_file() {
	if cg_v1 hugetlb; then echo "hugetlb.$1.limit_in_bytes"; else echo "hugetlb.$1.max"; fi
}

@test "hugepageLimits: the page size's limit (and reservation limit) hold it; the container reads the same" {
	cg_v1 hugetlb || cg_v2 hugetlb || skip "no hugetlb controller in the $(cg_layout) layout"
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	run_in_container "cat $(cg_inside hugetlb "$(hugetlb_file 2MB)")"
	[ "$status" -eq 0 ]
	[ "$output" = 4194304 ]
	start_container 'sleep 100'
	[ "$(cg_read hugetlb "$(hugetlb_file 2MB)" "$ID")" = 4194304 ]
	rsvd=$(hugetlb_file 2MB | sed 's/2MB\./2MB.rsvd./')
	if [ -e "$(cg_dir hugetlb "$ID")/$rsvd" ]; then
		[ "$(cg_read hugetlb "$rsvd" "$ID")" = 4194304 ]
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "a huge page allocation beyond the limit fails" {
	cg_v1 hugetlb || cg_v2 hugetlb || skip "no hugetlb controller in the $(cg_layout) layout"
	[ "$(cat /proc/sys/vm/nr_hugepages)" -ge 3 ] || skip "the machine has no huge pages in its pool"
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 2097152}]
		| .mounts += [{"destination": "/hp", "type": "hugetlbfs", "source": "hugetlbfs", "options": ["pagesize=2M"]}]'
	run_in_container 'fallocate -l 2097152 /hp/a && echo one; fallocate -l 4194304 /hp/b 2>&1 | sed "s/.*: //"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = one ]
	[ -n "${lines[1]}" ]
	[ "${lines[1]}" != one ]
	assert_no_leftovers "$ID"
}

@test "hugepageLimits with a page size the host lacks is an error naming the field" {
	cg_v1 hugetlb || cg_v2 hugetlb || skip "no hugetlb controller in the $(cg_layout) layout"
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "4MB", "limit": 4194304}]'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: linux.resources.hugepageLimits: page size 4MB is not supported by this host" ]
	assert_no_leftovers "$ID"
}

@test "hugepageLimits without a hugetlb controller is an error naming the field" {
	! cg_v1 hugetlb && ! cg_v2 hugetlb || skip "the $(cg_layout) layout has hugetlb"
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: linux.resources.hugepageLimits: the hugetlb controller is not mounted on this host" ]
	assert_no_leftovers "$ID"
}
