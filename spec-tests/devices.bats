#!/usr/bin/env bats
# config-linux.md "Devices" and "Default Devices", runtime-linux.md "Dev
# symbolic links": the nodes and links the runtime makes in /dev, and what a
# hostile rootfs cannot make it do there.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}dev
	T=$BATS_TEST_TMPDIR
}

set_args() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
}

add_device() {
	update_config '.linux.devices += [$d]' --argjson d "$1"
}

# No mount on /dev (nor below it): the rootfs's own /dev directory is used.
drop_dev_mounts() {
	update_config '.mounts |= map(select(.destination | startswith("/dev") | not))'
}

@test "default devices: null, zero, full, random, urandom, tty, mode 0666, owned by root" {
	set_args 'stat -c "%n %F %a %u:%g %t:%T" /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty
		echo ::; ls -A /dev | sort'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed '/^::$/,$d' <<<"$output")" = "$(printf '%s\n' \
		"/dev/null character special file 666 0:0 1:3" \
		"/dev/zero character special file 666 0:0 1:5" \
		"/dev/full character special file 666 0:0 1:7" \
		"/dev/random character special file 666 0:0 1:8" \
		"/dev/urandom character special file 666 0:0 1:9" \
		"/dev/tty character special file 666 0:0 5:0")" ]
	# nothing but those, the standard links and the configured mounts
	want="fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero"
	[ -e /proc/kcore ] && want="core $want"
	[ "$(sed '1,/^::$/d' <<<"$output" | tr '\n' ' ')" = "$(tr ' ' '\n' <<<"$want" | sort | tr '\n' ' ')" ]
	assert_no_leftovers "$ID"
}

@test "a /dev mount listed after the cgroup mount still holds the devices (made after it)" {
	# the init makes the nodes early, while it waits for its cgroups, only
	# when no later mount lands on /dev: here one does
	update_config '.mounts = ([.mounts[] | select(.destination != "/dev")]
		+ [.mounts[] | select(.destination == "/dev")])'
	[ "$(jq -r '.mounts[-1].destination' "$BUNDLE/config.json")" = /dev ]
	jq -e '[.mounts[].type] | index("cgroup") != null' "$BUNDLE/config.json"
	set_args 'stat -c "%n %F %t:%T" /dev/null /dev/tty; readlink /dev/fd'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "/dev/null character special file 1:3" "/dev/tty character special file 5:0" /proc/self/fd)" ]
}

@test "the default devices work" {
	set_args 'echo x > /dev/null && cat /dev/null | wc -c; head -c 4 /dev/zero | od -An -tx1
		echo x > /dev/full || echo full-refused; head -c 8 /dev/urandom | wc -c'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1p <<<"$output")" = 0 ]
	[ "$(sed -n 2p <<<"$output" | tr -d ' ')" = 00000000 ]
	[[ "$output" == *"No space left on device"*full-refused* ]]
	[ "$(sed -n '$p' <<<"$output")" = 8 ]
}

@test "/dev symlinks: fd, stdin, stdout, stderr, ptmx (core only when /proc/kcore exists)" {
	set_args 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done
		if [ -e /dev/core ]; then echo "core -> $(readlink /dev/core)"; else echo no-core; fi
		echo hi > /dev/stdout'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	want="fd -> /proc/self/fd
stdin -> /proc/self/fd/0
stdout -> /proc/self/fd/1
stderr -> /proc/self/fd/2
ptmx -> pts/ptmx"
	if [ -e /proc/kcore ]; then want="$want
core -> /proc/kcore"; else want="$want
no-core"; fi
	[ "$output" = "$want
hi" ]
}

@test "linux.devices: c, b, u and p nodes with fileMode, uid and gid" {
	add_device '{"type": "c", "path": "/dev/mynull", "major": 1, "minor": 3, "fileMode": 438, "uid": 1000, "gid": 1001}'
	add_device '{"type": "b", "path": "/dev/myblk", "major": 7, "minor": 200, "fileMode": 384}'
	add_device '{"type": "u", "path": "/dev/myzero", "major": 1, "minor": 5, "fileMode": 436}'
	add_device '{"type": "p", "path": "/dev/myfifo", "fileMode": 420, "uid": 5, "gid": 6}'
	add_device '{"type": "c", "path": "/opt/devices/deep/null2", "major": 1, "minor": 3, "fileMode": 438}'
	set_args 'stat -c "%n %F %a %u:%g %t:%T" /dev/mynull /dev/myblk /dev/myzero /dev/myfifo /opt/devices/deep/null2
		echo data > /dev/mynull && echo mynull-writable; head -c 2 /dev/myzero | od -An -tx1'
	update_config '.root.readonly = false'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1,5p <<<"$output")" = "$(printf '%s\n' \
		"/dev/mynull character special file 666 1000:1001 1:3" \
		"/dev/myblk block special file 600 0:0 7:c8" \
		"/dev/myzero character special file 664 0:0 1:5" \
		"/dev/myfifo fifo 644 5:6 0:0" \
		"/opt/devices/deep/null2 character special file 666 0:0 1:3")" ]
	[ "$(sed -n 6p <<<"$output")" = mynull-writable ]
	[ "$(sed -n 7p <<<"$output" | tr -d ' ')" = 0000 ]
	# the node outside /dev was made in the rootfs, with its directories
	[ "$(stat -c '%F %t:%T' "$BUNDLE/rootfs/opt/devices/deep/null2")" = "character special file 1:3" ]
	assert_no_leftovers "$ID"
}

@test "linux.devices replaces a default device of the same path" {
	add_device '{"type": "c", "path": "/dev/tty", "major": 1, "minor": 3, "fileMode": 384, "uid": 7}'
	set_args 'stat -c "%n %a %u %t:%T" /dev/tty'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "/dev/tty 600 7 1:3" ]
}

@test "a device path where a different file exists is an error" {
	add_device '{"type": "c", "path": "/etc/passwd", "major": 1, "minor": 3}'
	before=$(stat -c '%i %a %u:%g %s' "$BUNDLE/rootfs/etc/passwd")
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"create device /etc/passwd: /etc/passwd exists and is not the requested device"* ]]
	[ "$(stat -c '%i %a %u:%g %s' "$BUNDLE/rootfs/etc/passwd")" = "$before" ]
	assert_no_leftovers "$ID"
}

@test "an existing node that matches is accepted" {
	drop_dev_mounts
	mknod -m 600 "$BUNDLE/rootfs/dev/mynull" c 1 3
	add_device '{"type": "c", "path": "/dev/mynull", "major": 1, "minor": 3}'
	set_args 'stat -c "%F %t:%T" /dev/mynull'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "character special file 1:3" ]
}

@test "a c, b or u device without major or minor is an error" {
	check() {
		update_config '.linux.devices = [$d]' --argjson d "$1"
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"config.json: .linux.devices[0].$2: missing required field"* ]]
		assert_no_leftovers "$ID"
	}
	check '{"type": "c", "path": "/dev/x", "minor": 3}' major
	check '{"type": "b", "path": "/dev/x", "major": 7}' minor
	check '{"type": "u", "path": "/dev/x"}' major
	[ ! -e "$BUNDLE/rootfs/dev/x" ]
}

@test "/dev bound from the host: no default devices or links are made in it" {
	mkdir "$T/hostdev"
	drop_dev_mounts
	update_config '.mounts += [{"destination": "/dev", "type": "bind", "source": $s, "options": ["rbind"]}]' \
		--arg s "$T/hostdev"
	add_device '{"type": "c", "path": "/dev/mynull", "major": 1, "minor": 3}'
	set_args 'ls -A /dev | wc -l; awk "\$5 == \"/dev\" {print \$4}" /proc/self/mountinfo'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0\n%s' "$(mount_root "$T/hostdev")")" ]
	[ -z "$(ls -A "$T/hostdev")" ]
	assert_no_leftovers "$ID"
}

@test "no /dev mount: the devices are made in the rootfs's own /dev" {
	drop_dev_mounts
	set_args 'stat -c "%n %t:%T" /dev/null; readlink /dev/fd'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/dev/null 1:3\n/proc/self/fd')" ]
	[ "$(stat -c '%F %t:%T' "$BUNDLE/rootfs/dev/null")" = "character special file 1:3" ]
}

@test "rootfs /dev a symlink to a host dir: nothing is created there (CVE-2026-41579)" {
	mkdir "$T/hostdir"
	rmdir "$BUNDLE/rootfs/dev"
	for target in "$T/hostdir" "../../../../../../../../$T/hostdir"; do
		ln -sfn "$target" "$BUNDLE/rootfs/dev"
		# without a /dev mount
		cp "$BUNDLE/config.json" "$T/base.json"
		drop_dev_mounts
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"/dev in rootfs is a symlink, refusing to use it"* ]]
		[ -z "$(ls -A "$T/hostdir")" ]
		assert_no_leftovers "$ID"
		# with the default /dev tmpfs
		cp "$T/base.json" "$BUNDLE/config.json"
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *'to rootfs at \"/dev\": /dev in rootfs is a symlink, refusing to use it'* ]]
		[ -z "$(ls -A "$T/hostdir")" ]
		assert_no_leftovers "$ID"
	done
}

@test "rootfs dev/null a symlink to a host file: no host file is created or chowned (CVE-2026-88264)" {
	drop_dev_mounts
	echo secret >"$T/hostfile"
	chmod 600 "$T/hostfile"
	chown 1234:1234 "$T/hostfile"
	before=$(stat -c '%i %a %u:%g %s %F' "$T/hostfile")
	ln -s "$T/hostfile" "$BUNDLE/rootfs/dev/null"
	ln -s "$T/created-by-runtime" "$BUNDLE/rootfs/dev/zero"
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"/dev/null exists and is not the requested device"* ]]
	[ "$(stat -c '%i %a %u:%g %s %F' "$T/hostfile")" = "$before" ]
	[ "$(cat "$T/hostfile")" = secret ]
	[ ! -e "$T/created-by-runtime" ]
	[ -L "$BUNDLE/rootfs/dev/null" ]
	assert_no_leftovers "$ID"
}
