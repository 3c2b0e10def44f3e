#!/usr/bin/env bats
# `oci-rt features` (runtime-spec features.md, features-linux.md): valid
# against the spec's features schema, and every feature it lists works in
# a real container.

bats_require_minimum_version 1.5.0

load helpers
load client_helpers

setup_file() {
	# Debian's python3 with python3-jsonschema (bundles/setup.sh installs it)
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || ensure_packages python3-jsonschema ||
		skip "python3-jsonschema could not be installed"
}

setup() {
	setup_bundle
	ID=${ID_PREFIX}f
	update_config '.process.terminal = false'
}

# validate SCHEMA_DIR < DOC: the schema's errors (draft-04, $refs resolved
# beside it), exit 1 if any.
validate() {
	/usr/bin/python3 -W ignore -c '
import json, os, sys, jsonschema
d = os.path.abspath(sys.argv[1])
schema = json.load(open(os.path.join(d, "features-schema.json")))
v = jsonschema.Draft4Validator(schema, resolver=jsonschema.RefResolver("file://" + d + "/", schema))
errs = list(v.iter_errors(json.load(sys.stdin)))
for e in errs:
    print("/".join(map(str, e.path)) + ": " + e.message)
sys.exit(1 if errs else 0)' "$1"
}

@test "features: valid against the runtime-spec features schema, on stdout only" {
	run --separate-stderr "$OCI_RT" features
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/features.json"
	run validate "$TOP/spec-tests/schema" <"$BATS_TEST_TMPDIR/features.json"
	echo "$output"
	[ "$status" -eq 0 ]
	# the validator itself rejects what the schema forbids
	run validate "$TOP/spec-tests/schema" <<<'{"ociVersionMin": "1.0.0", "linux": {"cgroup": {"v1": "yes"}}, "hooks": [1]}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"'ociVersionMax' is a required property"* ]]
	[[ "$output" == *"linux/cgroup/v1: 'yes' is not of type 'boolean'"* ]]
	[[ "$output" == *"hooks/0: 1 is not of type 'string'"* ]]
	# the versions the spec requires, and the spec version oci-rt follows
	jq -e '.ociVersionMin == "1.0.0"' "$BATS_TEST_TMPDIR/features.json"
	[ "$(jq -r .ociVersionMax "$BATS_TEST_TMPDIR/features.json")" = "$("$OCI_RT" --version | sed -n 's/^spec: //p')" ]
}

@test "features: no property the spec (ociVersionMax) does not define" {
	f=$("$OCI_RT" features)
	run jq -r 'keys_unsorted - ["ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux",
		"annotations", "potentiallyUnsafeConfigAnnotations"] | .[]' <<<"$f"
	[ -z "$output" ]
	run jq -r '.linux | keys_unsorted - ["namespaces", "capabilities", "cgroup", "seccomp", "apparmor",
		"selinux", "intelRdt", "memoryPolicy", "mountExtensions", "netDevices"] | .[]' <<<"$f"
	[ -z "$output" ]
}

@test "features: every listed hook and mount option is accepted by a real container" {
	f=$("$OCI_RT" features)
	[ "$(jq -c .hooks <<<"$f")" = '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]' ]
	mkdir -p "$BATS_TEST_TMPDIR/src"
	n=0
	for o in $(jq -r '.mountOptions[]' <<<"$f"); do
		n=$((n + 1))
		case $o in
		bind | rbind) type=none src=$BATS_TEST_TMPDIR/src ;;
		*) type=tmpfs src=tmpfs ;;
		esac
		update_config '.mounts = [.mounts[] | select(.destination != "/m")] +
			[{destination: "/m", type: $t, source: $s, options: [$o]}] |
			.process.args = ["sh", "-c", "grep -c \" /m \" /proc/self/mountinfo"]' \
			--arg o "$o" --arg t "$type" --arg s "$src"
		run --separate-stderr oci_rt run "$ID$n"
		[ "$status" -eq 0 ] || { echo "mount option $o: $stderr"; false; }
		[ "$output" = 1 ] || { echo "mount option $o: /m not mounted: $output"; false; }
	done
	[ "$n" -gt 30 ]
}

@test "features: every listed namespace is created for a real container" {
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.orig"
	# (the user namespace maps ids to themselves: bats' temp dir is 0700)
	for ns in $("$OCI_RT" features | jq -r '.linux.namespaces[]'); do
		cp "$BATS_TEST_TMPDIR/config.orig" "$BUNDLE/config.json"
		case $ns in
		mount) f=mnt ;;
		network) f=net ;;
		*) f=$ns ;;
		esac
		# the bundle's namespaces (a user namespace needs its own pid and
		# network ones to mount proc and sysfs) and this one
		update_config '.linux.namespaces = ([.linux.namespaces[] | select(.type != $n)] + [{type: $n}]) |
			if $n == "user" then .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}] |
				.linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}] else . end |
			.process.args = ["readlink", "/proc/self/ns/\($f)"]' --arg n "$ns" --arg f "$f"
		run --separate-stderr oci_rt run "$ID$ns"
		[ "$status" -eq 0 ] || { echo "namespace $ns: $stderr"; false; }
		[[ "$output" =~ ^$f:\[[0-9]+\]$ ]]
		[ "$output" != "$(readlink "/proc/self/ns/$f")" ] || { echo "namespace $ns: shares the host's $output"; false; }
	done
}

@test "features: every listed seccomp action and operator is accepted; capabilities are this kernel's" {
	f=$("$OCI_RT" features)
	jq -e '.linux.seccomp.enabled == true' <<<"$f"
	# each action (with ==), each operator (with ERRNO), on an argument of
	# getpgid no call here makes; the notify action needs an agent: seccomp.bats
	{
		jq -r '.linux.seccomp.actions[] | select(. != "SCMP_ACT_NOTIFY") | "\(.) SCMP_CMP_EQ"' <<<"$f"
		jq -r '.linux.seccomp.operators[] | "SCMP_ACT_ERRNO \(.)"' <<<"$f"
	} >"$BATS_TEST_TMPDIR/rules"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/rules")" -ge 14 ]
	while read -r a op; do
		update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86_64"],
			syscalls: [{names: ["getpgid"], action: $a, args: [{index: 0, value: 2147483647, valueTwo: 2147483647, op: $op}]}]} |
			.process.args = ["echo", "ok"]' --arg a "$a" --arg op "$op"
		[ "$op" = SCMP_CMP_MASKED_EQ ] && update_config '.linux.seccomp.syscalls[0].args[0] |= (.value = 2147483647 | .valueTwo = 2147483647)'
		run --separate-stderr oci_rt run "$ID"
		[ "$status" -eq 0 ] && [ "$output" = ok ] || { echo "seccomp $a $op: $status $stderr"; false; }
	done <"$BATS_TEST_TMPDIR/rules"
	# capabilities: exactly the ones this kernel knows (cap_last_cap + 1 of them)
	[ "$(jq '.linux.capabilities | length' <<<"$f")" -eq $(($(cat /proc/sys/kernel/cap_last_cap) + 1)) ]
	[ "$(jq -r '.linux.capabilities[0]' <<<"$f")" = CAP_CHOWN ]
}

@test "features: apparmor and selinux are declared as this host has them" {
	f=$("$OCI_RT" features)
	aa=false
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && aa=true
	se=false
	[ -e /sys/fs/selinux/enforce ] && se=true
	[ "$(jq -r .linux.apparmor.enabled <<<"$f")" = "$aa" ]
	[ "$(jq -r .linux.selinux.enabled <<<"$f")" = "$se" ]
}

@test "features: cgroup support is declared only with the limits applied (vN true => memory limit in the cgroup)" {
	v=$(host_cgroup_version)
	declared=$("$OCI_RT" features | jq -r --arg v "v$v" '.linux.cgroup[$v]')
	[ "$declared" = true ] || [ "$declared" = false ]
	[ "$declared" = true ] || skip "oci-rt features: linux.cgroup.v$v is $declared"
	update_config '.linux.resources.memory.limit = 67108864 | .process.args = ["sleep", "100"]'
	oci_rt_bg run -d "$ID"
	if [ "$v" = 2 ]; then
		[ "$(cat "/sys/fs/cgroup$(awk -F: '$1 == 0 {print $3}' "/proc/$(init_pid "$ID")/cgroup")/memory.max")" = 67108864 ]
	else
		[ "$(cat "/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' "/proc/$(init_pid "$ID")/cgroup")/memory.limit_in_bytes")" = 67108864 ]
	fi
}
