#!/usr/bin/env bats
# hostname and domainname (config.md): set in the container's UTS
# namespace, never in the host's; without a UTS namespace of its own the
# container cannot have them.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}hn
	HOST_HOSTNAME=$(hostname)
	HOST_DOMAINNAME=$(cat /proc/sys/kernel/domainname)
}

teardown() {
	teardown_containers
	umount "$BATS_TEST_TMPDIR/uts" 2>/dev/null
	return 0
}

# assert_error MSG: the runtime's error line (logrus, quotes escaped) has MSG.
assert_error() {
	local want="msg=\"run $ID: ${1//\"/\\\"}\""
	if [[ "$output" != *"$want"* ]]; then
		echo "expected: $want"
		echo "got: $output"
		return 1
	fi
}

host_names_unchanged() {
	[ "$(hostname)" = "$HOST_HOSTNAME" ]
	[ "$(cat /proc/sys/kernel/domainname)" = "$HOST_DOMAINNAME" ]
}

@test "hostname and domainname are what the container sees" {
	update_config '.hostname = "mrsdalloway" | .domainname = "foobarbaz.test"
		| .process.args = ["sh", "-c", "hostname; uname -n; cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname; exec sleep 100"]'
	oci_rt_bg run -d "$ID"
	pid=$(oci_rt state "$ID" | jq .pid)
	# from outside: the container's UTS namespace carries them
	[ "$(nsenter -t "$pid" -u hostname)" = mrsdalloway ]
	[ "$(nsenter -t "$pid" -u cat /proc/sys/kernel/domainname)" = foobarbaz.test ]
	[ "$(readlink "/proc/$pid/ns/uts")" != "$(readlink /proc/self/ns/uts)" ]
	oci_rt delete -f "$ID"
	host_names_unchanged

	# from inside
	update_config '.process.args = ["sh", "-c", "hostname; uname -n; cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'mrsdalloway\nmrsdalloway\nmrsdalloway\nfoobarbaz.test')" ]
	host_names_unchanged
	assert_no_leftovers "$ID"
}

@test "without hostname and domainname a new UTS namespace keeps the host's names" {
	update_config 'del(.hostname) | del(.domainname)
		| .process.args = ["sh", "-c", "hostname; cat /proc/sys/kernel/domainname"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s' "$HOST_HOSTNAME" "$HOST_DOMAINNAME")" ]
	assert_no_leftovers "$ID"
}

@test "a domainname alone leaves the hostname the host's" {
	update_config 'del(.hostname) | .domainname = "only.domain"
		| .process.args = ["sh", "-c", "hostname; cat /proc/sys/kernel/domainname"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\nonly.domain' "$HOST_HOSTNAME")" ]
	host_names_unchanged
}

@test "the hostname is set in a UTS namespace joined by path" {
	touch "$BATS_TEST_TMPDIR/uts"
	unshare --uts="$BATS_TEST_TMPDIR/uts" true
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "uts")] + [{type: "uts", path: $p}]
		| .hostname = "joined-host" | .process.args = ["hostname"]' --arg p "$BATS_TEST_TMPDIR/uts"
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = joined-host ]
	# the joined namespace keeps it after the container is gone
	[ "$(nsenter --uts="$BATS_TEST_TMPDIR/uts" hostname)" = joined-host ]
	host_names_unchanged
	assert_no_leftovers "$ID"
}

@test "a hostname without a private UTS namespace is an error" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "uts")] | .hostname = "nope"'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "unable to set hostname without a private UTS namespace"
	host_names_unchanged
	assert_no_leftovers "$ID"
}

@test "a domainname without a private UTS namespace is an error" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "uts")]
		| del(.hostname) | .domainname = "nope.test"'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "unable to set domainname without a private UTS namespace"
	host_names_unchanged
	assert_no_leftovers "$ID"
}

@test "without a UTS namespace and without names the container shares the host's" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "uts")] | del(.hostname)
		| .process.args = ["sh", "-c", "readlink /proc/self/ns/uts; hostname"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s' "$(readlink /proc/self/ns/uts)" "$HOST_HOSTNAME")" ]
	assert_no_leftovers "$ID"
}

@test "a hostname longer than the kernel allows is an error" {
	# 64 bytes is the most a UTS name holds
	update_config '.hostname = ("a" * 64) | .process.args = ["hostname"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a%.0s' $(seq 64))" ]
	update_config '.hostname = ("a" * 65)'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "sethostname: invalid argument"
	host_names_unchanged
	assert_no_leftovers "$ID"
}
