#!/usr/bin/env bats
# config.md "Root": the container's / is root.path, reached with pivot_root
# (or MS_MOVE + chroot with --no-pivot), read-only with root.readonly.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}root
	T=$BATS_TEST_TMPDIR
	# a file only the rootfs has, and one only the host has
	echo "in the rootfs" >"$BUNDLE/rootfs/marker"
	echo "host only" >"$T/host-only"
}

set_args() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
}

# The mount points the default config makes: the root, its mounts, the
# cgroup hierarchies and the masked and read-only paths.
expected_mountpoints() {
	{
		echo /
		jq -r '.mounts[].destination, .linux.maskedPaths[], .linux.readonlyPaths[]' "$BUNDLE/config.json"
		for d in /sys/fs/cgroup/*/; do echo "/sys/fs/cgroup/$(basename "$d")"; done
	} | sort -u
}

@test "pivot_root: / is the rootfs, the host's files and mounts are out of reach" {
	set_args "cat /marker; cat $T/host-only 2>&1; ls /work 2>&1; echo ::; cat /proc/self/mountinfo"
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	minfo=$(sed '1,/^::$/d' <<<"$output")
	[ "$(sed -n 1p <<<"$output")" = "in the rootfs" ]
	[[ "$(sed -n 2p <<<"$output")" == *"No such file or directory"* ]]
	[[ "$(sed -n 3p <<<"$output")" == *"No such file or directory"* ]]
	# exactly one mount on /, the bundle's rootfs, and nothing but the
	# configured mounts (no mount of the host's is left in the namespace)
	[ "$(awk '$5 == "/"' <<<"$minfo" | wc -l)" -eq 1 ]
	[ "$(awk '$5 == "/" {print $4}' <<<"$minfo")" = "$(mount_root "$BUNDLE/rootfs")" ]
	got=$(awk '{print $5}' <<<"$minfo" | sort -u)
	unexpected=$(comm -23 <(echo "$got") <(expected_mountpoints))
	[ -z "$unexpected" ] || { echo "unexpected mounts: $unexpected"; false; }
	# the mounts are all below the new root: the parent of / is outside
	root_id=$(awk '$5 == "/" {print $1}' <<<"$minfo")
	[ "$(awk -v r="$root_id" '$5 != "/" && $1 == r' <<<"$minfo")" = "" ]
	assert_no_leftovers "$ID"
}

@test "pivot_root: the container's mounts live only in its own mount namespace" {
	update_config '.process.args = ["sleep", "100"]'
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	pid=$(oci_rt state "$ID" | jq .pid)
	# the container's mounts live only in its namespace
	grep -q " /proc " "/proc/$pid/mountinfo"
	! grep -q "$BUNDLE/rootfs" /proc/self/mountinfo
	[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]
	# its root is the rootfs, seen from the host
	[ "$(stat -c %i "/proc/$pid/root/marker")" = "$(stat -c %i "$BUNDLE/rootfs/marker")" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "--no-pivot: run with MS_MOVE + chroot" {
	set_args "cat /marker; cat $T/host-only 2>&1; touch /tmp/x && echo tmp-ok"
	run oci_rt run --no-pivot "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1p <<<"$output")" = "in the rootfs" ]
	[[ "$(sed -n 2p <<<"$output")" == *"No such file or directory"* ]]
	[ "$(sed -n 3p <<<"$output")" = tmp-ok ]
	assert_no_leftovers "$ID"
}

@test "--no-pivot: create and start" {
	set_args 'cat /marker > /tmp/seen; cat /tmp/seen; sleep 100'
	update_config '.root.readonly = false | .mounts |= map(select(.destination != "/tmp"))'
	run oci_rt_bg create --no-pivot "$ID"
	[ "$status" -eq 0 ]
	[ "$(status_of "$ID")" = created ]
	run oci_rt start "$ID"
	[ "$status" -eq 0 ]
	wait_for 5 test -s "$BUNDLE/rootfs/tmp/seen"
	[ "$(cat "$BUNDLE/rootfs/tmp/seen")" = "in the rootfs" ]
	pid=$(oci_rt state "$ID" | jq .pid)
	[ "$(stat -c %i "/proc/$pid/root/marker")" = "$(stat -c %i "$BUNDLE/rootfs/marker")" ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "root.readonly: / is read-only, a tmpfs mounted on it stays writable" {
	update_config '.root.readonly = true'
	set_args 'touch /newfile 2>&1; echo "root:$?"; touch /tmp/newfile && echo tmp-ok
		awk "\$5 == \"/\" {print \$6}" /proc/self/mountinfo'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$(sed -n 1p <<<"$output")" == *"Read-only file system"* ]]
	[ "$(sed -n 2p <<<"$output")" = "root:1" ]
	[ "$(sed -n 3p <<<"$output")" = tmp-ok ]
	[[ "$(sed -n 4p <<<"$output")" == ro,* ]]
	[ ! -e "$BUNDLE/rootfs/newfile" ]
	# the host's view of the rootfs directory is not made read-only
	touch "$BUNDLE/rootfs/host-can-write"
	assert_no_leftovers "$ID"
}

@test "root.readonly false: / is writable and writes reach the rootfs directory" {
	update_config '.root.readonly = false'
	set_args 'echo written > /newfile && awk "\$5 == \"/\" {print \$6}" /proc/self/mountinfo'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == rw,* ]]
	[ "$(cat "$BUNDLE/rootfs/newfile")" = written ]
	assert_no_leftovers "$ID"
}

@test "root.path relative to the bundle and absolute" {
	set_args 'cat /marker'
	update_config '.root.path = "rootfs"'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "in the rootfs" ]

	update_config '.root.path = $p' --arg p "$BUNDLE/rootfs"
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "in the rootfs" ]

	# a rootfs outside the bundle, run from another directory
	mkdir "$T/elsewhere"
	copy_rootfs "$BUNDLE/rootfs" "$T/elsewhere/rootfs2"
	rm "$T/elsewhere/rootfs2/marker"
	echo "the other rootfs" >"$T/elsewhere/rootfs2/marker"
	update_config '.root.path = $p' --arg p "$T/elsewhere/rootfs2"
	cd /
	run oci_rt run -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "the other rootfs" ]

	# relative with ".." still starts from the bundle
	update_config '.root.path = "../elsewhere/rootfs2"'
	run oci_rt run -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "the other rootfs" ]
	assert_no_leftovers "$ID"
}

@test "a missing root.path is an error naming it" {
	update_config '.root.path = "nothere"'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$BUNDLE/nothere"*"no such file or directory"* ]]
	assert_no_leftovers "$ID"
}

@test "a root.path that is a file is an error" {
	touch "$T/file"
	update_config '.root.path = $p' --arg p "$T/file"
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$T/file is not a directory"* ]]
	assert_no_leftovers "$ID"
}

@test "rootfs/proc, /sys or /dev as a regular file is refused, and a missing one is made" {
	for d in proc sys dev; do
		rmdir "$BUNDLE/rootfs/$d"
		touch "$BUNDLE/rootfs/$d"
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"to rootfs at \\\"/$d\\\": /$d in rootfs is not a directory"* ]]
		assert_no_leftovers "$ID"
		rm "$BUNDLE/rootfs/$d"
		run oci_rt run "$ID"
		[ "$status" -eq 0 ]
		[ -d "$BUNDLE/rootfs/$d" ]
	done
}

@test "rootfs/proc or rootfs/sys as a symlink is refused (CVE-2019-19921)" {
	mkdir "$T/hostproc"
	for d in proc sys; do
		rmdir "$BUNDLE/rootfs/$d"
		ln -s "$T/hostproc" "$BUNDLE/rootfs/$d"
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"to rootfs at \\\"/$d\\\": /$d in rootfs is a symlink, refusing to use it"* ]]
		rm "$BUNDLE/rootfs/$d"
		mkdir "$BUNDLE/rootfs/$d"
		[ -z "$(ls -A "$T/hostproc")" ]
		assert_no_leftovers "$ID"
	done
}
