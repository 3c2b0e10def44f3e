#!/usr/bin/env bats
# linux.resources.cpu: shares (cpu.weight on cgroup2, converted as runc
# does), quota and period, burst, idle, real-time runtime and period, cpus
# and mems; the quota and the cpuset biting; what a layout can't honour.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}cpu
}

@test "cpu.shares: v1 cpu.shares holds it; cgroup2 cpu.weight holds runc's conversion; the container reads it" {
	update_config '.linux.resources.cpu = {"shares": 512}'
	if cg_v1 cpu; then
		run_in_container "cat $(cg_inside cpu cpu.shares)"
		[ "$output" = 512 ]
	else
		# 1 + (512 - 2) * 9999 / 262142
		run_in_container "cat $(cg_inside cpu cpu.weight)"
		[ "$output" = 20 ]
	fi
	[ "$status" -eq 0 ]
	assert_no_leftovers "$ID"
}

@test "cpu.quota and cpu.period: the cfs files (v1) or cpu.max (cgroup2)" {
	update_config '.linux.resources.cpu = {"quota": 25000, "period": 100000}'
	start_container 'sleep 100'
	if cg_v1 cpu; then
		[ "$(cg_read cpu cpu.cfs_quota_us "$ID")" = 25000 ]
		[ "$(cg_read cpu cpu.cfs_period_us "$ID")" = 100000 ]
	else
		[ "$(cg_read cpu cpu.max "$ID")" = "25000 100000" ]
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

# cpu_usage_us ID: CPU time the container's cgroup used, in microseconds
cpu_usage_us() {
	if cg_v1 cpuacct; then
		echo $(($(cg_read cpuacct cpuacct.usage "$1") / 1000))
	else
		cg_read cpu cpu.stat "$1" | awk '$1 == "usage_usec" {print $2}'
	fi
}

@test "a busy loop under a 10% quota gets about 10% of one CPU, and is throttled" {
	update_config '.linux.resources.cpu = {"quota": 10000, "period": 100000}'
	start_container 'while :; do :; done'
	sleep 0.3
	u0=$(cpu_usage_us "$ID")
	t0=$(date +%s%N)
	sleep 2
	u1=$(cpu_usage_us "$ID")
	t1=$(date +%s%N)
	used=$((u1 - u0)) wall=$(((t1 - t0) / 1000))
	echo "used ${used}us of ${wall}us"
	# 10% of the wall time, with room for accounting slack; unthrottled it
	# would be about 100%
	[ "$used" -lt $((wall * 25 / 100)) ]
	[ "$used" -gt $((wall * 2 / 100)) ]
	throttled=$(cg_read cpu cpu.stat "$ID" | awk '$1 == "nr_throttled" {print $2}')
	[ "$throttled" -gt 0 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "cpu.burst: v1 cfs_burst_us or cgroup2 cpu.max.burst holds it" {
	update_config '.linux.resources.cpu = {"quota": 50000, "period": 100000, "burst": 20000}'
	start_container 'sleep 100'
	if cg_v1 cpu; then
		[ "$(cg_read cpu cpu.cfs_burst_us "$ID")" = 20000 ]
	else
		[ "$(cg_read cpu cpu.max.burst "$ID")" = 20000 ]
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "cpu.idle: the cgroup's cpu.idle holds it" {
	update_config '.linux.resources.cpu = {"idle": 1}'
	start_container 'sleep 100'
	[ "$(cg_read cpu cpu.idle "$ID")" = 1 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "cpu.cpus and cpu.mems: the cpuset holds them and the container may only run there" {
	update_config '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
	run_in_container "grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status; cat $(cg_inside cpuset cpuset.cpus) $(cg_inside cpuset cpuset.mems)"
	[ "$status" -eq 0 ]
	[ "$output" = "Cpus_allowed_list:	0
Mems_allowed_list:	0
0
0" ]
	assert_no_leftovers "$ID"
}

@test "cpu.realtimeRuntime and realtimePeriod: v1 rt files hold them; cgroup2 refuses them by name" {
	update_config '.linux.resources.cpu = {"realtimeRuntime": 1000, "realtimePeriod": 1000000}'
	if cg_v1 cpu; then
		[ -e "$(dirname "$(cg_dir cpu "$ID")")/cpu.rt_runtime_us" ] || skip "no RT group scheduling in this kernel"
		start_container 'sleep 100'
		[ "$(cg_read cpu cpu.rt_runtime_us "$ID")" = 1000 ]
		[ "$(cg_read cpu cpu.rt_period_us "$ID")" = 1000000 ]
		oci_rt delete -f "$ID"
	else
		rt_json create "$ID"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "create $ID: linux.resources.cpu.realtimeRuntime: real-time scheduling is not supported on cgroup v2" ]
	fi
	assert_no_leftovers "$ID"
}

@test "cpu.shares out of the kernel's range is an error naming the field" {
	update_config '.linux.resources.cpu = {"shares": 300000}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	if cg_v1 cpu; then
		# the kernel clamps it; runc's words for that
		[ "$RT_MSG" = "create $ID: the maximum allowed cpu-shares is 262144" ]
	else
		[ "$RT_MSG" = "create $ID: linux.resources.cpu.shares: 300000 is outside [2, 262144]" ]
	fi
	assert_no_leftovers "$ID"
}
