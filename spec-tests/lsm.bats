#!/usr/bin/env bats
# config.md apparmorProfile and selinuxLabel, config-linux.md mountLabel, on
# a host without AppArmor or SELinux: each is a clear error (runc's wording
# where it has one), nothing is left behind, and `features` says what the
# host has.  The labels are written through a procfs the runtime verified
# itself: cve.bats attacks that (CVE-2019-16884, CVE-2025-52881).

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}lsm
}

apparmor_on() {
	[ -d /sys/kernel/security/apparmor ] && grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null
}

selinux_on() {
	[ "$(stat -f -c %t /sys/fs/selinux 2>/dev/null)" = f97cff8c ]
}

@test "features: apparmor and selinux enabled as the host has them" {
	run oci_rt features
	[ "$status" -eq 0 ]
	want_aa=false want_se=false
	apparmor_on && want_aa=true
	selinux_on && want_se=true
	[ "$(jq .linux.apparmor.enabled <<<"$output")" = $want_aa ]
	[ "$(jq .linux.selinux.enabled <<<"$output")" = $want_se ]
}

@test "apparmorProfile without AppArmor: runc's error, said why, written to the real /proc, nothing left" {
	apparmor_on && skip "this host has AppArmor"
	update_config '.process.apparmorProfile = "oci-rt-test"'
	rt_json run "$ID"
	echo "$RT_RC: $RT_MSG"
	[ "$RT_RC" -eq 1 ]
	# the kernel's own answer from /proc/self/attr/exec: no LSM took the write
	[ "$RT_MSG" = "run $ID: AppArmor is not enabled on this host: unable to apply apparmor profile: apparmor failed to apply profile: write /proc/self/attr/exec: invalid argument" ]
	assert_no_leftovers "$ID"
	# create fails the same way, before anything is recorded
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "create $ID: AppArmor is not enabled on this host: "* ]]
	assert_no_leftovers "$ID"
}

@test "selinuxLabel without SELinux: runc's error, before anything is created" {
	selinux_on && skip "this host has SELinux"
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	rt_json create "$ID"
	echo "$RT_RC: $RT_MSG"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: selinux label is specified in config, but selinux is disabled or not supported" ]
	assert_no_leftovers "$ID"
}

@test "mountLabel without SELinux: a clear error, before anything is created" {
	selinux_on && skip "this host has SELinux"
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
	rt_json run "$ID"
	echo "$RT_RC: $RT_MSG"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: selinux mount label is specified in config, but selinux is disabled or not supported" ]
	assert_no_leftovers "$ID"
}

@test "empty labels ask for nothing (as runc): the container runs" {
	update_config '.process.apparmorProfile = "" | .process.selinuxLabel = "" | .linux.mountLabel = ""'
	update_config '.process.args = ["echo", "ran"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
	assert_no_leftovers "$ID"
}
