#!/usr/bin/env bats
# config.md "POSIX process" rlimits: the limits the process starts with.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}rlim
}

set_rlimits() {
	update_config '.process.rlimits = $r' --argjson r "$1"
}

# limit NAME: "soft hard" of a /proc/<pid>/limits line from $output
# ("Max open files" -> "512 1024").
limit() {
	awk -v n="$1" 'index($0, n) == 1 { s = substr($0, 27); split(s, f, " +"); print f[1], f[2] }' <<<"$output"
}

@test "RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_CORE and others as configured" {
	set_rlimits '[
		{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024},
		{"type": "RLIMIT_NPROC", "soft": 100, "hard": 200},
		{"type": "RLIMIT_CORE", "soft": 4096, "hard": 8192},
		{"type": "RLIMIT_STACK", "soft": 1048576, "hard": 2097152},
		{"type": "RLIMIT_MSGQUEUE", "soft": 1000, "hard": 2000}]'
	update_config '.process.args = ["sh", "-c", "ulimit -n; ulimit -Hn; ulimit -u; ulimit -Hu; cat /proc/self/limits"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1,4p <<<"$output")" = "$(printf '512\n1024\n100\n200')" ]
	[ "$(limit 'Max open files')" = "512 1024" ]
	[ "$(limit 'Max processes')" = "100 200" ]
	[ "$(limit 'Max core file size')" = "4096 8192" ]
	[ "$(limit 'Max stack size')" = "1048576 2097152" ]
	[ "$(limit 'Max msgqueue size')" = "1000 2000" ]
	assert_no_leftovers "$ID"
}

@test "rlimits seen from the host; limits not configured are the runtime's" {
	set_rlimits '[{"type": "RLIMIT_NOFILE", "soft": 333, "hard": 444}]'
	update_config '.process.args = ["sleep", "100"]'
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	pid=$(oci_rt state "$ID" | jq .pid)
	output=$(cat "/proc/$pid/limits")
	[ "$(limit 'Max open files')" = "333 444" ]
	mine=$(cat /proc/self/limits)
	[ "$(limit 'Max locked memory')" = "$(output=$mine limit 'Max locked memory')" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "an unlimited hard limit is kept when the runtime has it" {
	[ "$(ulimit -Hc)" = unlimited ] || skip "the runtime's core hard limit is not unlimited"
	set_rlimits '[{"type": "RLIMIT_CORE", "soft": 0, "hard": "MAX"}]'
	update_config '.process.args = ["cat", "/proc/self/limits"]'
	# (jq rounds 2^64-1 to a float: the number goes in after the last jq)
	sed -i 's/"MAX"/18446744073709551615/' "$BUNDLE/config.json"
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(limit 'Max core file size')" = "0 unlimited" ]
}

@test "a soft limit above the hard limit is an error" {
	set_rlimits '[{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"config.json: .process.rlimits[0]: soft limit 2048 is above the hard limit 1024"* ]]
	assert_no_leftovers "$ID"
}

@test "an unknown rlimit type is an error" {
	set_rlimits '[{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}, {"type": "RLIMIT_FOO", "soft": 1, "hard": 1}]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'config.json: .process.rlimits[1].type: unknown rlimit \"RLIMIT_FOO\"'* ]]
	assert_no_leftovers "$ID"
}

@test "the same rlimit type twice is an error" {
	set_rlimits '[{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}, {"type": "RLIMIT_NOFILE", "soft": 2, "hard": 2}]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'config.json: .process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\"'* ]]
	assert_no_leftovers "$ID"
}

@test "raising a hard limit above the runtime's own fails clearly and leaves nothing" {
	capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
	[ $((0x$capeff & (1 << 24))) -eq 0 ] || skip "the runtime has CAP_SYS_RESOURCE here"
	hard=$(ulimit -Hn)
	above=$((hard + 1000))
	set_rlimits "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": $above, \"hard\": $above}]"
	for cmd in run create; do
		if [ $cmd = run ]; then run oci_rt run "$ID"; else run oci_rt_bg create "$ID"; fi
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"error setting rlimit type 7 (RLIMIT_NOFILE, soft $above, hard $above): operation not permitted"* ]]
		assert_no_leftovers "$ID"
	done
}
