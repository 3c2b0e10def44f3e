#!/usr/bin/env bats
# linux.resources.blockIO: weight (blkio.weight, BFQ's, or cgroup2's
# io.weight converted as runc does), per-device weights, the four
# throttles (blkio.throttle.* on v1, io.max on cgroup2), the read throttle
# biting on a real block device, and what a layout can't honour.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}blk
	LOOP=
}

teardown() {
	teardown_containers
	[ -z "$LOOP" ] || losetup -d "$LOOP" || true
}

# readable_dev: "major:minor" of a block device this test may read: the
# qemu lane's RAM disk, else a loop device over a file of its own (the
# host's disks may be closed even to root).
readable_dev() {
	if [ -e /sys/block/ram0/dev ]; then
		cat /sys/block/ram0/dev
		return
	fi
	dd if=/dev/zero of="$BATS_TEST_TMPDIR/disk" bs=1M count=8 2>/dev/null
	LOOP=$(losetup -f --show "$BATS_TEST_TMPDIR/disk") || return 1
	cat "/sys/block/${LOOP#/dev/}/dev"
}

# blk_dev: "major:minor" of a whole disk (virtual disks first, else a RAM
# disk as the qemu lane loads); empty when the machine has none.
blk_dev() {
	local b
	for b in /sys/block/*; do
		case "${b##*/}" in loop* | zram* | ram* | nbd*) continue ;; esac
		[ "$(cat "$b/size")" -gt 0 ] && { cat "$b/dev"; return; }
	done
	for b in /sys/block/ram*; do
		[ -e "$b/dev" ] && { cat "$b/dev"; return; }
	done
}

@test "blockIO.weight: the proportional weight file holds it (BFQ's or io.weight, converted)" {
	update_config '.linux.resources.blockIO = {"weight": 300}'
	start_container 'sleep 100'
	if cg_v1 blkio; then
		if [ -e "$(cg_dir blkio "$ID")/blkio.weight" ]; then
			[ "$(cg_read blkio blkio.weight "$ID")" = 300 ]
		else
			[ "$(cg_read blkio blkio.bfq.weight "$ID")" = 300 ]
		fi
	elif [ -e "$(cg_dir io "$ID")/io.bfq.weight" ]; then
		cg_read io io.bfq.weight "$ID" | grep -qx 'default 300'
	else
		# 1 + (300 - 10) * 9999 / 990 (runc's conversion)
		cg_read io io.weight "$ID" | grep -qx 'default 2930'
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "the four throttles: one line per device in the v1 files or in io.max" {
	dev=$(blk_dev)
	[ -n "$dev" ] || skip "no block device"
	update_config '.linux.resources.blockIO = {
		"throttleReadBpsDevice": [{"major": $ma, "minor": $mi, "rate": 1048576}],
		"throttleWriteBpsDevice": [{"major": $ma, "minor": $mi, "rate": 2097152}],
		"throttleReadIOPSDevice": [{"major": $ma, "minor": $mi, "rate": 100}],
		"throttleWriteIOPSDevice": [{"major": $ma, "minor": $mi, "rate": 200}]}' \
		--argjson ma "${dev%:*}" --argjson mi "${dev#*:}"
	start_container 'sleep 100'
	if cg_v1 blkio; then
		[ "$(cg_read blkio blkio.throttle.read_bps_device "$ID")" = "$dev 1048576" ]
		[ "$(cg_read blkio blkio.throttle.write_bps_device "$ID")" = "$dev 2097152" ]
		[ "$(cg_read blkio blkio.throttle.read_iops_device "$ID")" = "$dev 100" ]
		[ "$(cg_read blkio blkio.throttle.write_iops_device "$ID")" = "$dev 200" ]
	else
		[ "$(cg_read io io.max "$ID")" = "$dev rbps=1048576 wbps=2097152 riops=100 wiops=200" ]
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "a read throttle bites: 2 MiB of direct reads at 1 MiB/s take about 2 s" {
	readable_dev >"$BATS_TEST_TMPDIR/dev"
	dev=$(cat "$BATS_TEST_TMPDIR/dev")
	[ -n "$dev" ]
	update_config '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": $ma, "minor": $mi, "rate": 1048576}]}
		| .linux.devices = [{"path": "/dev/disk0", "type": "b", "major": $ma, "minor": $mi, "fileMode": 288}]
		| .linux.resources.devices = [{"allow": true, "type": "b", "major": $ma, "minor": $mi, "access": "r"}]' \
		--argjson ma "${dev%:*}" --argjson mi "${dev#*:}"
	t0=$(date +%s%N)
	run_in_container 'dd if=/dev/disk0 of=/dev/null bs=256k count=8 iflag=direct 2>&1'
	t1=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ "$output" = "8+0 records in
8+0 records out" ]
	ms=$(((t1 - t0) / 1000000))
	echo "took ${ms}ms"
	[ "$ms" -ge 1500 ]
	assert_no_leftovers "$ID"
}

@test "blockIO.weightDevice: the per-device weight file holds it, or the kernel's refusal names the field" {
	dev=$(blk_dev)
	[ -n "$dev" ] || skip "no block device"
	update_config '.linux.resources.blockIO = {"weightDevice": [{"major": $ma, "minor": $mi, "weight": 500}]}' \
		--argjson ma "${dev%:*}" --argjson mi "${dev#*:}"
	rt_json create "$ID"
	if cg_v1 blkio; then
		file=blkio.bfq.weight_device want="$dev 500"
		[ -e "$(dirname "$(cg_dir blkio "$ID")")/blkio.weight_device" ] && file=blkio.weight_device
		dir=$(cg_dir blkio "$ID")
	else
		file=io.weight want="$dev 4950" # 1 + 490 * 9999 / 990
		dir=$(cg_dir io "$ID")
	fi
	if [ "$RT_RC" -eq 0 ]; then
		grep -qx "$want" "$dir/$file"
		oci_rt delete -f "$ID"
	else
		# e.g. BFQ is not the device's scheduler, iocost not enabled on it
		[ "$RT_MSG" = "create $ID: linux.resources.blockIO.weightDevice: failed to write \"$dev ${want#* }\" to $dir/$file: operation not supported" ]
	fi
	assert_no_leftovers "$ID"
}

@test "blockIO.leafWeight: refused by name where the kernel has no leaf weights" {
	update_config '.linux.resources.blockIO = {"leafWeight": 300}'
	if cg_v1 blkio && [ -e "$(dirname "$(cg_dir blkio "$ID")")/blkio.leaf_weight" ]; then
		skip "this kernel has CFQ leaf weights"
	fi
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	if cg_v1 blkio; then
		[ "$RT_MSG" = "create $ID: linux.resources.blockIO.leafWeight: not supported by this kernel (no blkio.leaf_weight)" ]
	else
		[ "$RT_MSG" = "create $ID: linux.resources.blockIO.leafWeight: not supported on cgroup v2" ]
	fi
	assert_no_leftovers "$ID"
}
