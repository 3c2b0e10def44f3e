#!/usr/bin/env bats
# linux.resources.devices: the allowlist, applied in order with runc's
# default allowed devices after it, as v1 devices.allow/deny or a cgroup2
# BPF program.  The device used, c 240:0, is in the local/experimental
# range: no driver has it, so an allowed open fails with ENXIO ("No such
# device or address") and a denied one with EPERM, before any driver runs.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}dev
	update_config '.linux.devices = [
		{"path": "/dev/exp0", "type": "c", "major": 240, "minor": 0, "fileMode": 438},
		{"path": "/dev/exp1", "type": "c", "major": 240, "minor": 1, "fileMode": 438}]'
}

# runc's default rules, as a v1 devices.list shows them
DEFAULT_RULES="c *:* m
b *:* m
c 1:3 rwm
c 1:8 rwm
c 1:7 rwm
c 5:0 rwm
c 1:5 rwm
c 1:9 rwm
c 136:* rwm
c 5:2 rwm
c 10:200 rwm"

# opens: the outcome of opening each device for reading, one per line
OPENS='for d in /dev/exp0 /dev/exp1 /dev/null; do (exec 3<$d && echo ok) 2>&1 | sed "s/.*: //"; done'

@test "by default only runc's default devices: others can't be opened, though mknod of any is allowed" {
	update_config '.process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"]'
	run_in_container "$OPENS; mknod /dev/n c 240 2 && echo mknod-ok"
	[ "$status" -eq 0 ]
	[ "$output" = "Operation not permitted
Operation not permitted
ok
mknod-ok" ]
	assert_no_leftovers "$ID"
}

@test "v1: devices.list holds exactly runc's default rules" {
	skip_unless_v1 devices
	start_container 'sleep 100'
	[ "$(cg_read devices devices.list "$ID")" = "$DEFAULT_RULES" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "an allow rule opens one device and no other" {
	update_config '.linux.resources.devices = [
		{"allow": false, "access": "rwm"},
		{"allow": true, "type": "c", "major": 240, "minor": 0, "access": "r"}]'
	run_in_container "$OPENS; (exec 3>/dev/exp0) 2>&1 | sed 's/.*: //'"
	[ "$status" -eq 0 ]
	# readable; not writable (only "r" was allowed); exp1 still denied
	[ "$output" = "No such device or address
Operation not permitted
ok
Operation not permitted" ]
	assert_no_leftovers "$ID"
}

@test "rules apply in order: a later deny takes back an earlier allow, a later allow wins over a deny" {
	update_config '.linux.resources.devices = [
		{"allow": true, "type": "c", "major": 240, "minor": 0, "access": "rw"},
		{"allow": false, "type": "c", "major": 240, "minor": 0, "access": "rw"},
		{"allow": false, "type": "c", "major": 240, "minor": 1, "access": "rw"},
		{"allow": true, "type": "c", "major": 240, "minor": 1, "access": "rw"}]'
	run_in_container "$OPENS"
	[ "$status" -eq 0 ]
	[ "$output" = "Operation not permitted
No such device or address
ok" ]
	assert_no_leftovers "$ID"
}

@test "allow all, then deny one: everything else opens" {
	update_config '.linux.resources.devices = [
		{"allow": true, "access": "rwm"},
		{"allow": false, "type": "c", "major": 240, "minor": 0, "access": "rw"}]'
	run_in_container "$OPENS"
	[ "$status" -eq 0 ]
	[ "$output" = "Operation not permitted
No such device or address
ok" ]
	if cg_v1 devices; then
		# the kernel lists an allow-all cgroup as "a *:* rwm" only
		start_container 'sleep 100'
		[ "$(cg_read devices devices.list "$ID")" = "a *:* rwm" ]
		oci_rt delete -f "$ID"
	fi
	assert_no_leftovers "$ID"
}

@test "a wildcard rule allows a whole major" {
	update_config '.linux.resources.devices = [{"allow": true, "type": "c", "major": 240, "access": "rw"}]'
	run_in_container "$OPENS"
	[ "$status" -eq 0 ]
	[ "$output" = "No such device or address
No such device or address
ok" ]
	assert_no_leftovers "$ID"
}

@test "denying part of a wildcard allow is refused (cgroup v1 would ignore it)" {
	update_config '.linux.resources.devices = [
		{"allow": true, "type": "c", "major": 240, "access": "rw"},
		{"allow": false, "type": "c", "major": 240, "minor": 0, "access": "r"}]'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: linux.resources.devices: requested rule [c 240:0 r] not supported by devices cgroupv1 (cannot punch hole in existing wildcard rule [c 240:* rw])" ]
	assert_no_leftovers "$ID"
}

@test "a device rule without access, or of type u, is refused with runc's words" {
	update_config '.linux.resources.devices = [{"allow": true, "type": "c", "major": 240, "minor": 0}]'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: device access at 0 field cannot be empty" ]
	assert_no_leftovers "$ID"
	update_config '.linux.resources.devices = [{"allow": true, "type": "u", "access": "r"}]'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: invalid cgroup device type \"u\"" ]
	assert_no_leftovers "$ID"
}

@test "a linux.devices entry at a default path drops that default's rule, as in runc" {
	# /dev/full redefined as another device: 1:7 is no longer allowed
	update_config '.linux.devices += [{"path": "/dev/full", "type": "c", "major": 240, "minor": 1, "fileMode": 438}]'
	update_config '.process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"]'
	run_in_container "(exec 3</dev/full) 2>&1 | sed 's/.*: //'; mknod /dev/f c 1 7; (exec 3</dev/f) 2>&1 | sed 's/.*: //'"
	[ "$status" -eq 0 ]
	[ "$output" = "Operation not permitted
Operation not permitted" ]
	assert_no_leftovers "$ID"
}

@test "v1: a prestart hook finds the init in its devices cgroup with the rules set, and the rule it adds stays (as NVIDIA's hook does)" {
	skip_unless_v1 devices
	out=$BATS_TEST_TMPDIR/hook
	mkdir -p "$out"
	cat >"$BATS_TEST_TMPDIR/hook.sh" <<-EOF
		#!/bin/sh
		PATH=/usr/sbin:/usr/bin:/sbin:/bin
		pid=\$(jq -r .pid)
		dir=\$(awk -F: '\$2 == "devices" {print \$3}' /proc/\$pid/cgroup)
		echo "\$dir" >"$out/dir"
		cat "/sys/fs/cgroup/devices\$dir/devices.list" >"$out/list"
		echo "c 240:0 r" >"/sys/fs/cgroup/devices\$dir/devices.allow"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/hook.sh"
	update_config '.hooks.prestart = [{"path": $p}]' --arg p "$BATS_TEST_TMPDIR/hook.sh"
	run_in_container "$OPENS"
	[ "$status" -eq 0 ]
	# its rule was not written over: exp0 opens (no driver), exp1 is still denied
	[ "$output" = "No such device or address
Operation not permitted
ok" ]
	# the hook saw the init in the container's cgroup, whose rules were runc's defaults
	[ "/sys/fs/cgroup/devices$(cat "$out/dir")" = "$(cgroup_dir_of devices "$ID")" ]
	[ "$(cat "$out/list")" = "$DEFAULT_RULES" ]
	assert_no_leftovers "$ID"
}
