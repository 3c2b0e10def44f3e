#!/usr/bin/env bats
# `update`: runc's flags and --resources FILE|- change a live container's
# cgroup files; zero or absent values leave a limit as it is; the new
# limits bite; runc's errors.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}u
}

mem_limit() {
	if cg_v1 memory; then cg_read memory memory.limit_in_bytes "$ID"; else cg_read memory memory.max "$ID"; fi
}

cpu_shares() {
	if cg_v1 cpu; then cg_read cpu cpu.shares "$ID"; else cg_read cpu cpu.weight "$ID"; fi
}

@test "update with runc's flags changes every file it names" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "cpu": {"shares": 1024}, "pids": {"limit": 100}}'
	start_container 'sleep 100'
	run --separate-stderr oci_rt update --memory 48m --memory-reservation 16M --cpu-share 512 \
		--cpu-period 100000 --cpu-quota 30000 --pids-limit 50 --cpuset-cpus 0 "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	[ "$(mem_limit)" = 50331648 ]
	[ "$(cg_read pids pids.max "$ID")" = 50 ]
	[ "$(cg_read cpuset cpuset.cpus "$ID")" = 0 ]
	if cg_v1 cpu; then
		[ "$(cpu_shares)" = 512 ]
		[ "$(cg_read cpu cpu.cfs_quota_us "$ID")" = 30000 ]
		[ "$(cg_read memory memory.soft_limit_in_bytes "$ID")" = 16777216 ]
	else
		[ "$(cpu_shares)" = 20 ]
		[ "$(cg_read cpu cpu.max "$ID")" = "30000 100000" ]
		[ "$(cg_read memory memory.low "$ID")" = 16777216 ]
	fi
	# the init's affinity follows the cpuset
	grep -q '^Cpus_allowed_list:[[:space:]]*0$' "/proc/$(init_pid "$ID")/status"
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "update --resources FILE and --resources -: a linux.resources object; other flags are ignored" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 100}}'
	start_container 'sleep 100'
	echo '{"memory": {"limit": 41943040}, "pids": {"limit": 60}}' >"$BATS_TEST_TMPDIR/res.json"
	oci_rt update --resources "$BATS_TEST_TMPDIR/res.json" --pids-limit 7 "$ID"
	[ "$(mem_limit)" = 41943040 ]
	[ "$(cg_read pids pids.max "$ID")" = 60 ]
	echo '{"pids": {"limit": 70}}' | oci_rt update -r - "$ID"
	[ "$(cg_read pids pids.max "$ID")" = 70 ]
	[ "$(mem_limit)" = 41943040 ]
	oci_rt update --resources=- "$ID" <<<'{"memory": {"limit": 33554432}}'
	[ "$(mem_limit)" = 33554432 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "values not given, or given as 0, are left as they are" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "cpu": {"shares": 1024, "quota": 20000, "period": 100000}, "pids": {"limit": 100}}'
	start_container 'sleep 100'
	shares=$(cpu_shares)
	oci_rt update --memory 40m "$ID"
	[ "$(cpu_shares)" = "$shares" ]
	[ "$(cg_read pids pids.max "$ID")" = 100 ]
	echo '{"memory": {"limit": 0}, "cpu": {"shares": 0, "quota": 0}, "pids": {"limit": 0}}' | oci_rt update -r - "$ID"
	[ "$(mem_limit)" = 41943040 ]
	[ "$(cpu_shares)" = "$shares" ]
	[ "$(cg_read pids pids.max "$ID")" = 100 ]
	# only the period: the quota stays (cpu.max holds both on cgroup2)
	oci_rt update --cpu-period 50000 "$ID"
	if cg_v1 cpu; then
		[ "$(cg_read cpu cpu.cfs_quota_us "$ID")" = 20000 ]
		[ "$(cg_read cpu cpu.cfs_period_us "$ID")" = 50000 ]
	else
		[ "$(cg_read cpu cpu.max "$ID")" = "20000 50000" ]
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "a lowered pids limit bites: the next forks fail" {
	bind_shared_dir
	update_config '.linux.resources.pids = {"limit": 100}'
	start_container 'while [ ! -e /shared/go ]; do sleep 0.05; done; (for i in 1 2 3 4 5 6 7 8; do sleep 100 & done) 2>/shared/err; echo done > /shared/done; exec sleep 100'
	oci_rt update --pids-limit 4 "$ID"
	touch "$SHARED/go"
	wait_for 10 test -s "$SHARED/done"
	grep -q "can't fork" "$SHARED/err"
	[ "$(cg_read pids pids.current "$ID")" -le 4 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "a memory limit below the usage: v1's refusal in runc's words; cgroup2 with checkBeforeUpdate the same" {
	bind_shared_dir
	# a 24 MiB tmpfs file is memory the container keeps using
	update_config '.linux.resources.memory = {"limit": 134217728}'
	start_container 'dd if=/dev/zero of=/tmp/fill bs=1M count=24 2>/dev/null; echo done > /shared/done; exec sleep 100'
	wait_for 10 test -s "$SHARED/done"
	if cg_v1 memory; then
		rt_json update --memory 8m "$ID"
		[ "$RT_RC" -eq 1 ]
		[[ "$RT_MSG" =~ ^"unable to set memory limit to 8388608 (current usage: "[0-9]+", peak usage: "[0-9]+")"$ ]]
	else
		echo '{"memory": {"limit": 8388608, "checkBeforeUpdate": true}}' >"$BATS_TEST_TMPDIR/res.json"
		rt_json update -r "$BATS_TEST_TMPDIR/res.json" "$ID"
		[ "$RT_RC" -eq 1 ]
		[[ "$RT_MSG" =~ ^"rejecting memory limit 8388608 below current usage "[0-9]+$ ]]
	fi
	[ "$(mem_limit)" = 134217728 ]
	[ "$(status_of "$ID")" = running ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "update leaves the device rules alone, as runc does" {
	update_config '.linux.resources.pids = {"limit": 100}'
	start_container 'sleep 100'
	echo '{"devices": [{"allow": false, "access": "rwm"}], "pids": {"limit": 90}}' | oci_rt update -r - "$ID"
	[ "$(cg_read pids pids.max "$ID")" = 90 ]
	if cg_v1 devices; then
		cg_read devices devices.list "$ID" | grep -qx 'c 1:3 rwm'
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "update errors: stopped container, bad values, Intel RDT, missing container" {
	start_container 'true'
	wait_status "$ID" stopped
	rt_json update --memory 10m "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container not running" ]
	rt_json update --memory 10x "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "invalid value for memory: invalid size: '10x'" ]
	rt_json update --cpu-period abc "$ID"
	[ "$RT_MSG" = 'invalid value for cpu-period: strconv.ParseUint: parsing "abc": invalid syntax' ]
	rt_json update --l3-cache-schema 'L3:0=f' "$ID"
	[ "$RT_MSG" = "container not running" ]
	oci_rt delete "$ID"
	rt_json update --memory 10m "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container does not exist" ]
	echo '{"memory": ' >"$BATS_TEST_TMPDIR/bad.json"
	start_container 'sleep 100'
	rt_json update -r "$BATS_TEST_TMPDIR/bad.json" "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "resources: invalid JSON"* ]]
	rt_json update --mem-bw-schema 'MB:0=20' "$ID"
	[ "$RT_MSG" = "Intel RDT/MBA: memory bandwidth schema is not enabled" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}
