#!/usr/bin/env bats
# Networking attached by hooks (bundles/net): a createRuntime hook runs the
# CNI bridge plugin on the container's network namespace, a poststop hook
# gives its address back.  Everything happens in a network namespace the
# test makes (the runtime, and so its hooks, run in it), never on the
# host's own interfaces.

load helpers

setup() {
	command -v ip >/dev/null || skip "iproute2 missing"
	[ -x /usr/lib/cni/bridge ] || skip "containernetworking-plugins missing"
	ROOT=$BATS_TEST_TMPDIR/state
	NETNS=ocirt$$t${BATS_TEST_NUMBER}
	ip netns add "$NETNS"
	DATA=$BATS_TEST_TMPDIR/cni
	ID=${ID_PREFIX}net
	# the bundles share the busybox rootfs (assert_no_leftovers looks for
	# mounts under it)
	BUNDLE=$TOP/bundles/busybox
}

teardown() {
	teardown_containers
	ip netns del "$NETNS" 2>/dev/null
	return 0
}

# in_netns CMD...: CMD in the test's network namespace (and nothing else:
# the mounts, and so the cgroup hierarchies, stay the host's).
in_netns() {
	nsenter --net="/run/netns/$NETNS" "$@"
}

# net_container NAME: a container made from its own bundles/net bundle,
# started in the test's network namespace.
net_container() {
	"$TOP/bundles/net/make-bundle.sh" "$BATS_TEST_TMPDIR/$1" 10.99.0.0/24 ocirtbr0 "$DATA" >/dev/null
	in_netns "$OCI_RT" --root "$ROOT" run -d -b "$BATS_TEST_TMPDIR/$1" "$ID$1" </dev/null >"$BATS_TEST_TMPDIR/$1.out" 2>&1 3>&- 4>&-
}

# addr_of NAME: the container's IPv4 address on eth0, as it sees it.
addr_of() {
	oci_rt exec "$ID$1" ip -4 -o addr show dev eth0 | awk '{print $4}'
}

@test "two containers on a bridge made by their createRuntime hooks ping each other" {
	net_container a
	net_container b
	[ "$(addr_of a)" = 10.99.0.2/24 ]
	[ "$(addr_of b)" = 10.99.0.3/24 ]
	# what the hook recorded is what the container has
	[ "$(jq -r '.ips[0].address' "$BATS_TEST_TMPDIR/a/cni-result.json")" = 10.99.0.2/24 ]
	run oci_rt exec "${ID}a" ping -c 1 -W 5 10.99.0.3
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 packets received"* ]]
	run oci_rt exec "${ID}b" ping -c 1 -W 5 10.99.0.2
	[ "$status" -eq 0 ]
	# the gateway is the bridge, in the test's namespace
	run oci_rt exec "${ID}b" ping -c 1 -W 5 10.99.0.1
	[ "$status" -eq 0 ]

	# outside: the bridge and one veth per container live in the test's
	# namespace, not the host's
	in_netns ip -4 -o addr show dev ocirtbr0 | grep -q ' 10.99.0.1/24 '
	[ "$(in_netns ip -o link show master ocirtbr0 | wc -l)" -eq 2 ]
	! ip link show ocirtbr0 2>/dev/null
	# the container's eth0 is the peer of a veth on the bridge
	pid=$(init_pid "${ID}a")
	[ "$(nsenter -t "$pid" -n cat /sys/class/net/eth0/iflink)" -gt 0 ]
	[ "$(readlink "/proc/$pid/ns/net")" != "$(readlink "/proc/self/ns/net")" ]
}

@test "delete runs the poststop hook: the address is given back and the veth is gone" {
	net_container a
	net_container b
	[ -e "$DATA/oci-rt-ocirtbr0/10.99.0.2" ]
	oci_rt delete -f "${ID}a"
	# host-local forgot the container's address, the veth went with its namespace
	[ ! -e "$DATA/oci-rt-ocirtbr0/10.99.0.2" ]
	[ -e "$DATA/oci-rt-ocirtbr0/10.99.0.3" ]
	wait_for 5 count_is 1 sh -c "nsenter --net=/run/netns/$NETNS ip -o link show master ocirtbr0 | wc -l"
	assert_no_leftovers "${ID}a"
	oci_rt delete -f "${ID}b"
	[ ! -e "$DATA/oci-rt-ocirtbr0/10.99.0.3" ]
	assert_no_leftovers "${ID}b"
}

@test "a network hook that fails fails create, and nothing is left" {
	"$TOP/bundles/net/make-bundle.sh" "$BATS_TEST_TMPDIR/a" 10.99.0.0/24 ocirtbr0 "$DATA" >/dev/null
	# a subnet the bridge plugin refuses
	jq '.ipam.subnet = "not-a-subnet"' "$BATS_TEST_TMPDIR/a/net.json" >"$BATS_TEST_TMPDIR/net.json"
	mv "$BATS_TEST_TMPDIR/net.json" "$BATS_TEST_TMPDIR/a/net.json"
	run in_netns "$OCI_RT" --root "$ROOT" create -b "$BATS_TEST_TMPDIR/a" "${ID}a"
	[ "$status" -eq 1 ]
	[[ "$output" == *"error running createRuntime hook #0: error running hook: exit status"* ]]
	[ ! -e "$ROOT/${ID}a" ]
	assert_no_leftovers "${ID}a"
}
