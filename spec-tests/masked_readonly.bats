#!/usr/bin/env bats
# config-linux.md "Masked Paths" and "Readonly Paths".

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}mask
	T=$BATS_TEST_TMPDIR
	update_config '.root.readonly = false'
}

set_args() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
}

# minfo WHAT MOUNTPOINT: opts or fstype of the last mount on MOUNTPOINT in
# the mountinfo text $MINFO.
minfo() {
	awk -v mp="$2" -v what="$1" '
		$5 == mp { for (i = 7; $i != "-"; i++); v["opts"] = $6; v["fstype"] = $(i + 1); v["root"] = $4; f = 1 }
		END { print f ? v[what] : "<none>" }' <<<"$MINFO"
}

@test "a masked file reads empty: it is the null device" {
	echo "top secret" >"$BUNDLE/rootfs/etc/secret"
	update_config '.linux.maskedPaths = ["/etc/secret", "/proc/keys"]'
	set_args 'cat /etc/secret | wc -c; cat /proc/keys | wc -c; stat -c "%F %t:%T" /etc/secret /proc/keys
		echo overwrite > /etc/secret; cat /etc/secret | wc -c'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0\n0\ncharacter special file 1:3\ncharacter special file 1:3\n0')" ]
	# the file under the mask is untouched
	[ "$(cat "$BUNDLE/rootfs/etc/secret")" = "top secret" ]
	assert_no_leftovers "$ID"
}

@test "a masked directory is an empty read-only tmpfs" {
	mkdir "$BUNDLE/rootfs/secretdir"
	echo data >"$BUNDLE/rootfs/secretdir/file"
	update_config '.linux.maskedPaths = ["/secretdir", "/proc/acpi", "/sys/firmware"]'
	set_args 'ls -A /secretdir | wc -l; touch /secretdir/new 2>&1; echo ::; cat /proc/self/mountinfo'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1p <<<"$output")" = 0 ]
	[[ "$(sed -n 2p <<<"$output")" == *"Read-only file system"* ]]
	MINFO=$(sed '1,/^::$/d' <<<"$output")
	for p in /secretdir /proc/acpi /sys/firmware; do
		[ "$(minfo fstype "$p")" = tmpfs ]
		[[ "$(minfo opts "$p")" == ro,* ]]
	done
	[ "$(cat "$BUNDLE/rootfs/secretdir/file")" = data ]
	[ ! -e "$BUNDLE/rootfs/secretdir/new" ]
	assert_no_leftovers "$ID"
}

@test "a masked path that does not exist is ignored, and nothing is created for it" {
	update_config '.linux.maskedPaths = ["/nonexistent/deeper", "/etc/passwd/below-a-file", "/proc/no-such-entry"]'
	update_config '.linux.readonlyPaths = ["/also-nonexistent"]'
	set_args 'cat /proc/self/mountinfo'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *nonexistent* ]]
	[ ! -e "$BUNDLE/rootfs/nonexistent" ] && [ ! -e "$BUNDLE/rootfs/also-nonexistent" ]
	assert_no_leftovers "$ID"
}

@test "a readonly path is read-only inside, the rest stays writable" {
	mkdir "$BUNDLE/rootfs/rodir" "$BUNDLE/rootfs/rwdir"
	update_config '.linux.readonlyPaths = ["/proc/sys", "/rodir"]'
	set_args 'echo x > /proc/sys/kernel/domainname; echo "procsys:$?"
		touch /rodir/x; echo "rodir:$?"; touch /rwdir/y; echo "rwdir:$?"
		echo ::; cat /proc/self/mountinfo'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"can't create /proc/sys/kernel/domainname: Read-only file system"*"procsys:1"* ]]
	[[ "$output" == *"/rodir/x: Read-only file system"*"rodir:1"* ]]
	[[ "$output" == *"rwdir:0"* ]]
	MINFO=$(sed '1,/^::$/d' <<<"$output")
	[ "$(minfo opts /proc/sys)" = ro,nosuid,nodev,noexec,relatime ]
	[ "$(minfo root /proc/sys)" = /sys ]
	[[ "$(minfo opts /rodir)" == ro,* ]]
	[[ "$(minfo opts /proc)" == rw,* ]]
	[ ! -e "$BUNDLE/rootfs/rodir/x" ] && [ -e "$BUNDLE/rootfs/rwdir/y" ]
	assert_no_leftovers "$ID"
}

@test "the default config's masked and readonly /proc paths" {
	update_config '.process.args = ["cat", "/proc/self/mountinfo"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	MINFO=$output
	for p in $(jq -r '.linux.readonlyPaths[]' "$BUNDLE/config.json"); do
		[ -e "$p" ] || continue
		[[ "$(minfo opts "$p")" == ro,* ]]
	done
	for p in $(jq -r '.linux.maskedPaths[]' "$BUNDLE/config.json"); do
		[ -e "$p" ] || continue
		if [ -d "$p" ]; then
			[ "$(minfo fstype "$p")" = tmpfs ]
		else
			[ "$(minfo root "$p")" = /null ]
		fi
	done
}

@test "masked /proc entries cannot be uncovered from inside by unmounting" {
	update_config '.linux.maskedPaths = ["/proc/keys", "/proc/acpi"]'
	set_args 'umount /proc/keys; umount -l /proc/acpi; cat /proc/keys | wc -c; ls -A /proc/acpi | wc -l
		grep CapEff /proc/self/status'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"can't unmount /proc/keys: Operation not permitted"* ]]
	[[ "$output" == *"can't unmount /proc/acpi: Operation not permitted"* ]]
	[[ "$output" == *$'\n0\n0\n'* ]]
	# no CAP_SYS_ADMIN (bit 21) in the process
	capeff=$(awk '/CapEff/ {print $2}' <<<"$output")
	[ $((0x$capeff & (1 << 21))) -eq 0 ]
}

@test "masking binds the runtime's own verified /dev/null, not the container's (CVE-2025-31133)" {
	# /dev comes from a host dir whose "null" is a plain file: the runtime
	# makes no device there, so the container's /dev/null is that file
	mkdir "$T/devdir"
	echo "NOT NULL" >"$T/devdir/null"
	chmod 666 "$T/devdir/null"
	update_config '.mounts |= map(select(.destination | startswith("/dev") | not))'
	update_config '.mounts += [{"destination": "/dev", "type": "bind", "source": $s, "options": ["rbind"]}]' \
		--arg s "$T/devdir"
	echo "top secret" >"$BUNDLE/rootfs/etc/secret"
	update_config '.linux.maskedPaths = ["/etc/secret", "/proc/keys"]'
	set_args 'cat /dev/null; cat /etc/secret | wc -c; cat /proc/keys | wc -c
		stat -c "%F %t:%T" /etc/secret /proc/keys; echo written > /etc/secret; cat /etc/secret | wc -c'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'NOT NULL\n0\n0\ncharacter special file 1:3\ncharacter special file 1:3\n0')" ]
	[ "$(cat "$T/devdir/null")" = "NOT NULL" ]
	[ "$(cat "$BUNDLE/rootfs/etc/secret")" = "top secret" ]
	assert_no_leftovers "$ID"
}

@test "rootfs /dev/null a symlink to a sensitive file, no /dev tmpfs: create fails, nothing exposed (CVE-2025-31133)" {
	update_config '.mounts |= map(select(.destination | startswith("/dev") | not))'
	echo "top secret" >"$BUNDLE/rootfs/etc/shadow-like"
	chmod 600 "$BUNDLE/rootfs/etc/shadow-like"
	before=$(stat -c '%i %a %u:%g %s' "$BUNDLE/rootfs/etc/shadow-like")
	ln -s /etc/shadow-like "$BUNDLE/rootfs/dev/null"
	update_config '.linux.maskedPaths = ["/proc/keys", "/etc/hostname-mask"]'
	touch "$BUNDLE/rootfs/etc/hostname-mask"
	set_args 'cat /proc/keys; cat /etc/hostname-mask'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"create device /dev/null: /dev/null exists and is not the requested device"* ]]
	[[ "$output" != *"top secret"* ]]
	[ "$(stat -c '%i %a %u:%g %s' "$BUNDLE/rootfs/etc/shadow-like")" = "$before" ]
	[ "$(cat "$BUNDLE/rootfs/etc/shadow-like")" = "top secret" ]
	assert_no_leftovers "$ID"
}
