#!/usr/bin/env bats
# linux.sysctl (config-linux.md "Sysctl"): kernel parameters set for the
# container only, so only those of a namespace the container has of its own
# (network: net.*; ipc: kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*;
# uts: kernel.domainname), as runc allows them.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}sc
	HOST_SYSCTLS=$(host_sysctls)
}

teardown() {
	teardown_containers
	if [ -n "${NSDIR:-}" ]; then
		umount -R "$NSDIR" 2>/dev/null || umount -R -l "$NSDIR" 2>/dev/null
	fi
	return 0
}

# make_nsdir: $NSDIR, a private tmpfs for nsfs files (unshare(1) binds a
# mount namespace only onto a private mount); teardown unmounts it all.
make_nsdir() {
	NSDIR=$BATS_TEST_TMPDIR/ns
	mkdir -p "$NSDIR"
	mount -t tmpfs nsfiles "$NSDIR"
	mount --make-private "$NSDIR"
}

# The host's values of every sysctl these tests touch.
host_sysctls() {
	local k
	for k in net/ipv4/ip_forward net/core/somaxconn kernel/shmmax kernel/msgmax \
		fs/mqueue/queues_max kernel/pid_max kernel/domainname kernel/hostname; do
		echo "$k=$(cat "/proc/sys/$k")"
	done
}

assert_host_unchanged() {
	[ "$(host_sysctls)" = "$HOST_SYSCTLS" ]
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

# A value of KEY that differs from the host's.
other_than_host() {
	local host
	host=$(cat "/proc/sys/${1//.//}")
	if [ "$host" = "$2" ]; then echo "$3"; else echo "$2"; fi
}

@test "net.* sysctls are set in the container's network namespace" {
	fwd=$(other_than_host net.ipv4.ip_forward 1 0)
	conn=$(other_than_host net.core.somaxconn 511 1023)
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": $f, "net.core.somaxconn": $c}
		| .process.args = ["sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/core/somaxconn; exec sleep 100"]' \
		--arg f "$fwd" --arg c "$conn"
	oci_rt_bg run -d "$ID"
	pid=$(oci_rt state "$ID" | jq .pid)
	# from outside, in the container's network namespace
	[ "$(nsenter -t "$pid" -n cat /proc/sys/net/ipv4/ip_forward)" = "$fwd" ]
	[ "$(nsenter -t "$pid" -n cat /proc/sys/net/core/somaxconn)" = "$conn" ]
	assert_host_unchanged
	oci_rt delete -f "$ID"

	# from inside
	update_config '.process.args = ["sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/core/somaxconn"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s' "$fwd" "$conn")" ]
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "ipc sysctls are set in the container's ipc namespace" {
	shm=$(other_than_host kernel.shmmax 68719476736 34359738368)
	msg=$(other_than_host kernel.msgmax 16384 4096)
	queues=$(other_than_host fs.mqueue.queues_max 100 200)
	update_config '.linux.sysctl = {"kernel.shmmax": $s, "kernel.msgmax": $m, "fs.mqueue.queues_max": $q}
		| .process.args = ["sh", "-c", "cat /proc/sys/kernel/shmmax /proc/sys/kernel/msgmax /proc/sys/fs/mqueue/queues_max; exec sleep 100"]' \
		--arg s "$shm" --arg m "$msg" --arg q "$queues"
	oci_rt_bg run -d "$ID"
	pid=$(oci_rt state "$ID" | jq .pid)
	[ "$(nsenter -t "$pid" -i cat /proc/sys/kernel/shmmax)" = "$shm" ]
	[ "$(nsenter -t "$pid" -i cat /proc/sys/kernel/msgmax)" = "$msg" ]
	[ "$(nsenter -t "$pid" -i cat /proc/sys/fs/mqueue/queues_max)" = "$queues" ]
	assert_host_unchanged
	oci_rt delete -f "$ID"

	update_config '.process.args = ["sh", "-c", "cat /proc/sys/kernel/shmmax /proc/sys/kernel/msgmax /proc/sys/fs/mqueue/queues_max"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s\n%s' "$shm" "$msg" "$queues")" ]
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "kernel.domainname is set in the container's uts namespace" {
	update_config '.linux.sysctl = {"kernel.domainname": "by-sysctl.test"}
		| .process.args = ["cat", "/proc/sys/kernel/domainname"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = by-sysctl.test ]
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "a sysctl in a network namespace joined by path lands there" {
	make_nsdir
	touch "$NSDIR/net"
	unshare --net="$NSDIR/net" true
	conn=$(other_than_host net.core.somaxconn 511 1023)
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "network")] + [{type: "network", path: $p}]
		| .linux.sysctl = {"net.core.somaxconn": $c}' --arg p "$NSDIR/net" --arg c "$conn"
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$(nsenter --net="$NSDIR/net" cat /proc/sys/net/core/somaxconn)" = "$conn" ]
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "a sysctl of no namespace (kernel.pid_max) is an error" {
	update_config '.linux.sysctl = {"kernel.pid_max": "40000"}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error 'sysctl "kernel.pid_max" is not in a separate kernel namespace'
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "net.* without a network namespace is an error" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "network")]
		| .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error 'sysctl "net.ipv4.ip_forward" not allowed in host network namespace'
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "net.* in the host's network namespace joined by path is an error" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "network")] + [{type: "network", path: $p}]
		| .linux.sysctl = {"net.core.somaxconn": "1000"}' --arg p "/proc/$$/ns/net"
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error 'sysctl "net.core.somaxconn" not allowed in host network namespace'
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "ipc sysctls without an ipc namespace are an error" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "ipc")]
		| .linux.sysctl = {"kernel.shmmax": "4096"}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error 'sysctl "kernel.shmmax" is not allowed in the hosts ipc namespace'
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "kernel.hostname as a sysctl conflicts with the hostname field" {
	update_config '.linux.sysctl = {"kernel.hostname": "sneaky"}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error 'sysctl "kernel.hostname" is not allowed as it conflicts with the OCI "hostname" field'
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "keys that climb out of /proc/sys are rejected" {
	local key
	for key in "net.ipv4.ip_forward/../../../kernel/pid_max" "net..ipv4.ip_forward" "net/../kernel/pid_max"; do
		update_config '.linux.sysctl = {($k): "40000"}' --arg k "$key"
		run oci_rt run "$ID"
		[ "$status" -eq 1 ]
		assert_error "config.json: .linux.sysctl: invalid key \"$key\""
		assert_host_unchanged
		assert_no_leftovers "$ID"
	done
}

@test "a sysctl the kernel does not have is an error, and nothing is left" {
	update_config '.linux.sysctl = {"net.ipv4.no_such_sysctl": "1"}'
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "sysctl net.ipv4.no_such_sysctl: open /proc/sys/net/ipv4/no_such_sysctl: no such file or directory"
	assert_host_unchanged
	assert_no_leftovers "$ID"
}

@test "a mount over /proc/sys cannot redirect a sysctl (CVE-2025-52881)" {
	make_nsdir
	touch "$NSDIR/mnt"
	# a mount namespace whose /proc/sys/kernel is a tmpfs with a fake
	# shmmax, pinned by a bind of its nsfs file made from here
	# (helpers.bash: bind_new_mount_ns)
	bind_new_mount_ns "$NSDIR/mnt" sh -c 'mount -t tmpfs fake /proc/sys/kernel &&
		echo fake > /proc/sys/kernel/shmmax && exec sleep 100'
	kill -9 "$MNTNS_HOLDER"
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "mount")] + [{type: "mount", path: $p}]
		| .linux.sysctl = {"kernel.shmmax": "4096"}' --arg p "$NSDIR/mnt"
	run oci_rt run "$ID"
	[ "$status" -eq 1 ]
	assert_error "sysctl kernel.shmmax: open /proc/sys/kernel/shmmax: invalid cross-device link"
	[ "$(nsenter --mount="$NSDIR/mnt" cat /proc/sys/kernel/shmmax)" = fake ]
	assert_host_unchanged
	assert_no_leftovers "$ID"
}
