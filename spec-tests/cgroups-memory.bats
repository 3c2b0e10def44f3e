#!/usr/bin/env bats
# linux.resources.memory: every field, on the layout the runtime sees (v1
# memory controller, or cgroup2's memory.*), the limit biting, and the
# fields a layout cannot honour refused by name.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}mem
	EVENTS=
}

teardown() {
	[ -z "$EVENTS" ] || kill "$EVENTS" 2>/dev/null || true
	teardown_containers
}

MiB=1048576

# mem_file V1 V2: the file of the layout (v1 memory controller or cgroup2)
mem_file() {
	if cg_v1 memory; then echo "$1"; else echo "$2"; fi
}

@test "memory.limit and reservation: the cgroup holds them and the container reads the same" {
	update_config '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432}'
	limit=$(mem_file memory.limit_in_bytes memory.max)
	low=$(mem_file memory.soft_limit_in_bytes memory.low)
	run_in_container "cat $(cg_inside memory "$limit") $(cg_inside memory "$low")"
	[ "$status" -eq 0 ]
	[ "$output" = "67108864
33554432" ]
	assert_no_leftovers "$ID"
}

@test "memory limit on the host side while the container lives" {
	update_config '.linux.resources.memory = {"limit": 50331648}'
	start_container 'sleep 100'
	[ "$(cg_read memory "$(mem_file memory.limit_in_bytes memory.max)" "$ID")" = 50331648 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "memory.swap is memory+swap: v1 memsw.limit_in_bytes, cgroup2 swap.max gets the difference" {
	dir=$(cg_dir memory "$ID")
	if cg_v1 memory; then
		[ -e "$(dirname "$dir")/memory.memsw.limit_in_bytes" ] || skip "no swap accounting on this host"
	fi
	update_config '.linux.resources.memory = {"limit": 67108864, "swap": 100663296}'
	start_container 'sleep 100'
	if cg_v1 memory; then
		[ "$(cg_read memory memory.limit_in_bytes "$ID")" = 67108864 ]
		[ "$(cg_read memory memory.memsw.limit_in_bytes "$ID")" = 100663296 ]
	else
		[ -e "$dir/memory.swap.max" ] || skip "no swap accounting on this host"
		[ "$(cat "$dir/memory.max")" = 67108864 ]
		[ "$(cat "$dir/memory.swap.max")" = 33554432 ]
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "memory.limit -1 lifts the limit (and swap with it)" {
	update_config '.linux.resources.memory = {"limit": -1}'
	start_container 'sleep 100'
	if cg_v1 memory; then
		[ "$(cg_read memory memory.limit_in_bytes "$ID")" = 9223372036854771712 ]
	else
		[ "$(cg_read memory memory.max "$ID")" = max ]
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "a memory hog is OOM-killed at the limit; events reports the oom; the cgroup counts it" {
	bind_shared_dir
	# no swap to escape to: memory+swap = memory
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	# dd's 64 MiB buffer can't fit in 32 MiB
	update_config '.process.args = ["sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo $? > /shared/rc; sleep 100"]'
	oci_rt_bg create "$ID"
	timeout 60 "$OCI_RT" --root "$ROOT" events --interval 30s "$ID" >"$BATS_TEST_TMPDIR/events" 2>&1 </dev/null 3>&- 4>&- &
	EVENTS=$!
	sleep 0.5 # let events register its watch before the hog runs
	oci_rt start "$ID"
	wait_for 20 test -s "$SHARED/rc"
	# killed by SIGKILL: 128 + 9
	[ "$(cat "$SHARED/rc")" = 137 ]
	wait_for 10 grep -q '"type":"oom"' "$BATS_TEST_TMPDIR/events"
	[ "$(grep '"type":"oom"' "$BATS_TEST_TMPDIR/events" | head -1)" = "{\"type\":\"oom\",\"id\":\"$ID\"}" ]
	if cg_v1 memory; then
		cg_read memory memory.oom_control "$ID" | grep -qx 'oom_kill [1-9][0-9]*'
	else
		cg_read memory memory.events "$ID" | grep -qx 'oom_kill [1-9][0-9]*'
	fi
	# the init survived: the kernel killed the biggest task, dd
	[ "$(status_of "$ID")" = running ]
	# events ends once the container's cgroup is gone
	oci_rt delete -f "$ID"
	wait_for 10 pid_gone "$EVENTS"
	wait "$EVENTS" || true
	EVENTS=
	assert_no_leftovers "$ID"
}

@test "memory.disableOOMKiller: v1 oom_control says so; cgroup2 refuses it by name" {
	update_config '.linux.resources.memory = {"limit": 33554432, "disableOOMKiller": true}'
	if cg_v1 memory; then
		start_container 'sleep 100'
		cg_read memory memory.oom_control "$ID" | grep -qx 'oom_kill_disable 1'
		oci_rt delete -f "$ID"
	else
		rt_json create "$ID"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "create $ID: linux.resources.memory.disableOOMKiller: not supported on cgroup v2" ]
	fi
	assert_no_leftovers "$ID"
}

@test "memory.swappiness: v1 holds it; above 100 or on cgroup2 it is an error" {
	update_config '.linux.resources.memory = {"swappiness": 7}'
	if cg_v1 memory; then
		start_container 'sleep 100'
		[ "$(cg_read memory memory.swappiness "$ID")" = 7 ]
		oci_rt delete -f "$ID"
		update_config '.linux.resources.memory = {"swappiness": 101}'
		rt_json create "$ID"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "create $ID: invalid memory swappiness value: 101 (valid range is 0-100)" ]
	else
		rt_json create "$ID"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "create $ID: linux.resources.memory.swappiness: not supported on cgroup v2" ]
	fi
	assert_no_leftovers "$ID"
}

@test "memory.useHierarchy: true is what every kernel does; false is refused" {
	update_config '.linux.resources.memory = {"useHierarchy": true}'
	start_container 'sleep 100'
	if cg_v1 memory; then
		[ "$(cg_read memory memory.use_hierarchy "$ID")" = 1 ]
	fi
	oci_rt delete -f "$ID"
	update_config '.linux.resources.memory = {"useHierarchy": false}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	if cg_v1 memory; then
		[[ "$RT_MSG" == "create $ID: linux.resources.memory.useHierarchy: failed to write \"0\" to "*"/memory.use_hierarchy: invalid argument" ]]
	else
		[ "$RT_MSG" = "create $ID: linux.resources.memory.useHierarchy: cgroup v2 accounting is always hierarchical" ]
	fi
	assert_no_leftovers "$ID"
}

@test "memory.kernelTCP: v1 kmem.tcp holds it; cgroup2 refuses it by name" {
	update_config '.linux.resources.memory = {"kernelTCP": 8388608}'
	if cg_v1 memory; then
		start_container 'sleep 100'
		[ "$(cg_read memory memory.kmem.tcp.limit_in_bytes "$ID")" = 8388608 ]
		oci_rt delete -f "$ID"
	else
		rt_json create "$ID"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "create $ID: linux.resources.memory.kernelTCP: not supported on cgroup v2" ]
	fi
	assert_no_leftovers "$ID"
}

@test "memory.kernel: refused by name where the kernel no longer limits it" {
	update_config '.linux.resources.memory = {"kernel": 16777216}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	if cg_v1 memory; then
		[ "$RT_MSG" = "create $ID: linux.resources.memory.kernel: this kernel does not limit kernel memory (memory.kmem.limit_in_bytes ignores it)" ]
	else
		[ "$RT_MSG" = "create $ID: linux.resources.memory.kernel: not supported on cgroup v2" ]
	fi
	assert_no_leftovers "$ID"
}

@test "memory.swap below memory.limit is refused" {
	if cg_v1 memory; then
		[ -e "$(dirname "$(cg_dir memory "$ID")")/memory.memsw.limit_in_bytes" ] || skip "no swap accounting"
	fi
	update_config '.linux.resources.memory = {"limit": 67108864, "swap": 33554432}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	if cg_v1 memory; then
		[ "$RT_MSG" = "create $ID: linux.resources.memory.swap: memory+swap limit 33554432 must not be below the memory limit 67108864" ]
	else
		[ "$RT_MSG" = "create $ID: linux.resources.memory.swap: memory+swap limit should be >= memory limit" ]
	fi
	assert_no_leftovers "$ID"
}
