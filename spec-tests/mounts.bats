#!/usr/bin/env bats
# config.md "Mounts" and config-linux.md "Rootfs Mount Propagation": every
# mount of the config, in order, seen from inside (/proc/self/mountinfo, what
# the process can do) and from outside (the host's mount table, the rootfs).

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}mnt
	T=$BATS_TEST_TMPDIR
	: >"$T/host-mounts"
}

teardown() {
	teardown_containers
	# the test's own host mounts, innermost first
	local m
	tac "$T/host-mounts" 2>/dev/null | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# host_mount ARGS... DIR: mount on the host, undone by teardown.
host_mount() {
	mount "$@"
	echo "${@: -1}" >>"$T/host-mounts"
}

# mnt WHAT MOUNTPOINT: a field of the last mount on MOUNTPOINT in the
# mountinfo text $MINFO: id, parent, root, opts (per mount), prop (optional
# fields), fstype, source, super (superblock options); "<none>" if absent.
mnt() {
	awk -v mp="$2" -v what="$1" '
		$5 == mp {
			prop = ""
			for (i = 7; $i != "-"; i++) prop = prop (prop == "" ? "" : " ") $i
			v["id"] = $1; v["parent"] = $2; v["root"] = $4; v["opts"] = $6; v["prop"] = prop
			v["fstype"] = $(i + 1); v["source"] = $(i + 2); v["super"] = $(i + 3)
			found = 1
		}
		END { print found ? v[what] : "<none>" }' <<<"$MINFO"
}

# set_args SCRIPT: the container runs `sh -c SCRIPT`.
set_args() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
}

# run_mountinfo [SCRIPT]: run the container; $MINFO is its mount table and
# $OUT what SCRIPT printed afterwards.
run_mountinfo() {
	set_args "cat /proc/self/mountinfo; echo ::; ${1:-true}"
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	MINFO=$(sed '/^::$/,$d' <<<"$output")
	OUT=$(sed '1,/^::$/d' <<<"$output")
}

add_mount() {
	update_config '.mounts += [$m]' --argjson m "$1"
}

@test "the default config's mounts: proc, tmpfs, devpts, mqueue, sysfs, cgroup" {
	snap=$(host_mounts)
	run_mountinfo
	[ "$(mnt fstype /proc)" = proc ]
	[ "$(mnt opts /proc)" = rw,relatime ]
	[ "$(mnt fstype /dev)" = tmpfs ]
	[ "$(mnt opts /dev)" = rw,nosuid ] # strictatime: neither relatime nor noatime
	[ "$(mnt super /dev)" = rw,size=65536k,mode=755 ]
	[ "$(mnt fstype /dev/pts)" = devpts ]
	[ "$(mnt opts /dev/pts)" = rw,nosuid,noexec,relatime ]
	[ "$(mnt super /dev/pts)" = rw,gid=5,mode=620,ptmxmode=666 ]
	[ "$(mnt fstype /dev/shm)" = tmpfs ]
	[ "$(mnt source /dev/shm)" = shm ]
	[ "$(mnt opts /dev/shm)" = rw,nosuid,nodev,noexec,relatime ]
	[ "$(mnt super /dev/shm)" = rw,size=65536k ]
	[ "$(mnt fstype /dev/mqueue)" = mqueue ]
	[ "$(mnt opts /dev/mqueue)" = rw,nosuid,nodev,noexec,relatime ]
	[ "$(mnt fstype /sys)" = sysfs ]
	[ "$(mnt opts /sys)" = ro,nosuid,nodev,noexec,relatime ]
	[ "$(mnt fstype /sys/fs/cgroup)" = tmpfs ]
	[ "$(mnt opts /sys/fs/cgroup)" = ro,nosuid,nodev,noexec,relatime ]
	[ "$(mnt fstype /tmp)" = tmpfs ]
	[ "$(mnt opts /tmp)" = rw,nosuid,nodev,relatime ]
	# mounted in order: /dev/pts is on the /dev tmpfs, /sys/fs/cgroup on sysfs
	[ "$(mnt parent /dev/pts)" = "$(mnt id /dev)" ]
	[ "$(mnt parent /sys/fs/cgroup)" = "$(mnt id /sys)" ]
	[ "$(mnt parent /proc)" = "$(mnt id /)" ]
	assert_host_mounts_unchanged "$snap"
	assert_no_leftovers "$ID"
}

@test "the cgroup mount on a v1/hybrid host: a read-only tmpfs with the container's own cgroup per hierarchy" {
	[ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] || skip "not a cgroup v1/hybrid host"
	run_mountinfo 'ls /sys/fs/cgroup; echo ::; cat /proc/self/cgroup; echo ::
		cat /sys/fs/cgroup/memory/cgroup.procs; echo ::
		echo 1 > /sys/fs/cgroup/memory/memory.limit_in_bytes || echo write-refused
		mkdir /sys/fs/cgroup/memory/sub || echo mkdir-refused
		touch /sys/fs/cgroup/newfile || echo touch-refused'
	part() { awk -v n="$1" '/^::$/ {i++; next} i == n' <<<"$OUT"; }
	# one entry per hierarchy of the host
	host_list=$(for d in /sys/fs/cgroup/*/; do basename "$d"; done | sort)
	[ "$(part 0 | sort)" = "$host_list" ]
	# the container's cgroup, as the kernel reports it for its process
	own=$(part 1 | awk -F: '$2 == "memory" {print $3}')
	[[ "$own" == */"$ID" ]]
	for h in $host_list; do
		# each one is the container's own cgroup in that hierarchy (a
		# relative path is below the runtime's own cgroup of each, as
		# in runc), read-only
		ctrl=$h
		[ "$h" = systemd ] && ctrl=name=systemd
		[ "$h" = unified ] && ctrl=
		mine=$(part 1 | awk -F: -v c="$ctrl" '$2 == c {print $3}')
		[[ "$mine" == */"$ID" ]]
		[ "$(mnt root "/sys/fs/cgroup/$h")" = "$mine" ]
		[[ "$(mnt opts "/sys/fs/cgroup/$h")" == ro,nosuid,nodev,noexec,* ]]
		[ "$(mnt parent "/sys/fs/cgroup/$h")" = "$(mnt id /sys/fs/cgroup)" ]
	done
	[ "$(mnt fstype /sys/fs/cgroup/memory)" = cgroup ]
	[[ "$(mnt super /sys/fs/cgroup/memory)" == *memory* ]]
	[ "$(mnt fstype /sys/fs/cgroup/unified)" = cgroup2 ]
	# the memory hierarchy shows the container's files and its processes
	part 2 | grep -qx 1
	[[ "$OUT" == *"Read-only file system"* ]]
	[[ "$OUT" == *write-refused* ]]
	[[ "$OUT" == *mkdir-refused* ]]
	[[ "$OUT" == *touch-refused* ]]
	assert_no_leftovers "$ID"
}

@test "bind shows the source's files but not its submounts; rbind shows the submounts too" {
	mkdir -p "$T/src/sub"
	echo top >"$T/src/f"
	host_mount -t tmpfs tmpfs "$T/src/sub"
	echo inner >"$T/src/sub/g"
	add_mount "{\"destination\": \"/bind\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/rbind\", \"type\": \"none\", \"source\": \"$T/src\", \"options\": [\"rbind\"]}"
	snap=$(host_mounts)
	run_mountinfo 'cat /bind/f /rbind/f /rbind/sub/g; ls -A /bind/sub | wc -l'
	[ "$OUT" = "$(printf 'top\ntop\ninner\n0')" ]
	[ "$(mnt root /bind)" = "$(mount_root "$T/src")" ]
	[ "$(mnt root /rbind)" = "$(mount_root "$T/src")" ]
	[ "$(mnt fstype /rbind/sub)" = tmpfs ]
	[ "$(mnt parent /rbind/sub)" = "$(mnt id /rbind)" ]
	[ "$(mnt id /bind/sub)" = "<none>" ]
	# missing destinations were made as directories in the rootfs
	[ -d "$BUNDLE/rootfs/bind" ] && [ -d "$BUNDLE/rootfs/rbind" ]
	assert_host_mounts_unchanged "$snap"
	assert_no_leftovers "$ID"
}

@test "a bind of a single file gets a file as mount point" {
	echo "file content" >"$T/hostfile"
	add_mount "{\"destination\": \"/etc/bound\", \"type\": \"bind\", \"source\": \"$T/hostfile\", \"options\": [\"bind\", \"ro\"]}"
	# a relative source is relative to the bundle
	cp "$T/hostfile" "$BUNDLE/relfile"
	echo relative >"$BUNDLE/relfile"
	add_mount '{"destination": "/etc/relbound", "type": "bind", "source": "relfile", "options": ["bind"]}'
	snap=$(host_mounts)
	run_mountinfo 'cat /etc/bound /etc/relbound; stat -c %F /etc/bound'
	[ "$OUT" = "$(printf 'file content\nrelative\nregular file')" ]
	[ "$(mnt root /etc/bound)" = "$(mount_root "$T/hostfile")" ]
	[ "$(mnt root /etc/relbound)" = "$(mount_root "$BUNDLE/relfile")" ]
	# the mount points are empty regular files created in the rootfs
	[ -f "$BUNDLE/rootfs/etc/bound" ] && [ ! -s "$BUNDLE/rootfs/etc/bound" ]
	[ -f "$BUNDLE/rootfs/etc/relbound" ]
	[ "$(cat "$T/hostfile")" = "file content" ]
	assert_host_mounts_unchanged "$snap"
	assert_no_leftovers "$ID"
}

@test "ro and rw: writes to a ro bind fail, writes to a rw bind reach the source" {
	mkdir "$T/ro" "$T/rw"
	add_mount "{\"destination\": \"/ro\", \"type\": \"bind\", \"source\": \"$T/ro\", \"options\": [\"bind\", \"ro\"]}"
	add_mount "{\"destination\": \"/rw\", \"type\": \"bind\", \"source\": \"$T/rw\", \"options\": [\"rbind\", \"ro\", \"rw\"]}"
	run_mountinfo 'touch /ro/x 2>&1 || echo ro-refused; touch /rw/y && echo rw-ok'
	[[ "$OUT" == *"Read-only file system"* ]]
	[[ "$OUT" == *ro-refused* ]]
	[[ "$OUT" == *rw-ok* ]]
	[[ "$(mnt opts /ro)" == ro,* ]]
	[[ "$(mnt opts /rw)" == rw,* ]] # the last of ro/rw wins
	[ ! -e "$T/ro/x" ]
	[ -e "$T/rw/y" ]
	assert_no_leftovers "$ID"
}

@test "nosuid, nodev, noexec take effect" {
	mkdir "$T/devs"
	mknod "$T/devs/null" c 1 3
	chmod 666 "$T/devs/null"
	add_mount '{"destination": "/noexec", "type": "tmpfs", "source": "tmpfs", "options": ["noexec", "nosuid", "nodev"]}'
	add_mount '{"destination": "/exec", "type": "tmpfs", "source": "tmpfs", "options": ["exec", "suid", "dev"]}'
	add_mount "{\"destination\": \"/nodev\", \"type\": \"bind\", \"source\": \"$T/devs\", \"options\": [\"bind\", \"nodev\"]}"
	add_mount "{\"destination\": \"/dev-ok\", \"type\": \"bind\", \"source\": \"$T/devs\", \"options\": [\"bind\", \"dev\"]}"
	run_mountinfo 'cp /bin/busybox /noexec/true; cp /bin/busybox /exec/true
		/noexec/true; echo "noexec:$?"; /exec/true; echo "exec:$?"
		echo x > /nodev/null; echo "nodev:$?"; echo x > /dev-ok/null; echo "dev:$?"'
	[[ "$OUT" == *"noexec:126"* ]]
	[[ "$OUT" == *"exec:0"* ]]
	[[ "$OUT" == *"nodev:1"* ]]
	[[ "$OUT" == *"dev:0"* ]]
	[ "$(mnt opts /noexec)" = rw,nosuid,nodev,noexec,relatime ]
	[ "$(mnt opts /exec)" = rw,relatime ]
	[[ "$(mnt opts /nodev)" == *nodev* ]]
	[[ "$(mnt opts /dev-ok)" != *nodev* ]]
	assert_no_leftovers "$ID"
}

@test "rro makes every mount of an rbind read-only; ro only the top one" {
	mkdir -p "$T/src/sub"
	host_mount -t tmpfs tmpfs "$T/src/sub"
	add_mount "{\"destination\": \"/rro\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"rbind\", \"rro\"]}"
	add_mount "{\"destination\": \"/ro\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"rbind\", \"ro\"]}"
	add_mount "{\"destination\": \"/rnoexec\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"rbind\", \"rnoexec\", \"rnosuid\"]}"
	run_mountinfo 'touch /rro/sub/a 2>&1 || echo rro-sub-refused; touch /ro/sub/b && echo ro-sub-ok'
	[[ "$(mnt opts /rro)" == ro,* ]]
	[[ "$(mnt opts /rro/sub)" == ro,* ]]
	[[ "$(mnt opts /ro)" == ro,* ]]
	[[ "$(mnt opts /ro/sub)" == rw,* ]]
	[[ "$(mnt opts /rnoexec)" == *nosuid*noexec* ]]
	[[ "$(mnt opts /rnoexec/sub)" == *nosuid*noexec* ]]
	[[ "$OUT" == *rro-sub-refused* ]]
	[[ "$OUT" == *ro-sub-ok* ]]
	[ ! -e "$T/src/sub/a" ] && [ -e "$T/src/sub/b" ]
	assert_no_leftovers "$ID"
}

@test "atime options: noatime, strictatime, relatime, nodiratime" {
	add_mount '{"destination": "/noatime", "type": "tmpfs", "source": "tmpfs", "options": ["noatime"]}'
	add_mount '{"destination": "/strict", "type": "tmpfs", "source": "tmpfs", "options": ["strictatime"]}'
	add_mount '{"destination": "/relatime", "type": "tmpfs", "source": "tmpfs", "options": ["noatime", "relatime"]}'
	add_mount '{"destination": "/nodiratime", "type": "tmpfs", "source": "tmpfs", "options": ["nodiratime", "noatime", "defaults", "remount"]}'
	mkdir "$T/src"
	add_mount "{\"destination\": \"/rnoatime\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"rbind\", \"rnoatime\"]}"
	run_mountinfo
	[ "$(mnt opts /noatime)" = rw,noatime ]
	[ "$(mnt opts /strict)" = rw ]
	[ "$(mnt opts /relatime)" = rw,relatime ]
	[ "$(mnt opts /nodiratime)" = rw,noatime,nodiratime ]
	[ "$(mnt opts /rnoatime)" = rw,noatime ]
	assert_no_leftovers "$ID"
}

@test "tmpfs data options: size and mode" {
	add_mount '{"destination": "/sized", "type": "tmpfs", "source": "mytmp", "options": ["size=1m", "mode=0710", "nr_inodes=100"]}'
	run_mountinfo 'stat -c %a /sized; df -k /sized | awk "NR == 2 {print \$2}"'
	[ "$(mnt source /sized)" = mytmp ]
	[ "$(mnt super /sized)" = rw,size=1024k,nr_inodes=100,mode=710 ]
	[ "$OUT" = "$(printf '710\n1024')" ]
	assert_no_leftovers "$ID"
}

@test "tmpcopyup: the tmpfs starts with a copy of the directory it covers" {
	mkdir -p "$BUNDLE/rootfs/data/sub"
	echo original >"$BUNDLE/rootfs/data/file"
	chmod 604 "$BUNDLE/rootfs/data/file"
	chown 12:34 "$BUNDLE/rootfs/data/file"
	ln -s file "$BUNDLE/rootfs/data/link"
	echo deep >"$BUNDLE/rootfs/data/sub/deep"
	add_mount '{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup"]}'
	run_mountinfo 'cat /data/file /data/link /data/sub/deep; stat -c "%a %u:%g" /data/file; readlink /data/link
		echo new > /data/new; cat /data/new > /dev/null && cat /data/file'
	[ "$(mnt fstype /data)" = tmpfs ]
	[ "$OUT" = "$(printf 'original\noriginal\ndeep\n604 12:34\nfile\noriginal')" ]
	# the writes stayed in the tmpfs
	[ "$(cat "$BUNDLE/rootfs/data/file")" = original ]
	[ ! -e "$BUNDLE/rootfs/data/new" ]
	assert_no_leftovers "$ID"
}

@test "mounts are made in order: a mount inside a previous mount" {
	add_mount '{"destination": "/outer", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/outer/inner/deep", "type": "tmpfs", "source": "tmpfs", "options": ["ro"]}'
	run_mountinfo 'ls -A /outer; touch /outer/inner/deep/x 2>&1 || true'
	[ "$(mnt parent /outer/inner/deep)" = "$(mnt id /outer)" ]
	[[ "$(mnt opts /outer/inner/deep)" == ro,* ]]
	[[ "$OUT" == inner*"Read-only file system"* ]]
	# the inner mount point was made on the outer tmpfs, not in the rootfs
	[ -d "$BUNDLE/rootfs/outer" ]
	[ -z "$(ls -A "$BUNDLE/rootfs/outer")" ]
	assert_no_leftovers "$ID"
}

@test "relative and unclean destinations are taken relative to /" {
	add_mount '{"destination": "reltmp", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "a/../b//c/./", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/../../../escaped", "type": "tmpfs", "source": "tmpfs"}'
	snap=$(host_mounts)
	run_mountinfo
	[ "$(mnt fstype /reltmp)" = tmpfs ]
	[ "$(mnt fstype /b/c)" = tmpfs ]
	[ "$(mnt fstype /escaped)" = tmpfs ]
	[ -d "$BUNDLE/rootfs/reltmp" ] && [ -d "$BUNDLE/rootfs/b/c" ] && [ -d "$BUNDLE/rootfs/escaped" ]
	[ ! -e "$BUNDLE/rootfs/a" ]
	[ ! -e "$BUNDLE/escaped" ] && [ ! -e /escaped ]
	assert_host_mounts_unchanged "$snap"
	assert_no_leftovers "$ID"
}

@test "missing mount points are created inside the rootfs, also through a symlink to a host path (CVE-2019-18837)" {
	mkdir "$T/hostdir"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/escape"
	echo x >"$T/f"
	add_mount '{"destination": "/new/deep/dir", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/escape/sub", "type": "tmpfs", "source": "tmpfs"}'
	add_mount "{\"destination\": \"/escape/file\", \"type\": \"bind\", \"source\": \"$T/f\", \"options\": [\"bind\"]}"
	snap=$(host_mounts)
	run_mountinfo
	[ "$(mnt fstype /new/deep/dir)" = tmpfs ]
	[ -d "$BUNDLE/rootfs/new/deep/dir" ]
	# the symlink was resolved inside the container: its target is on the
	# container's /tmp tmpfs; nothing appeared in the host dir
	[ -z "$(ls -A "$T/hostdir")" ]
	[ "$(mnt fstype "$T/hostdir/sub")" = tmpfs ]
	[ "$(mnt parent "$T/hostdir/sub")" = "$(mnt id /tmp)" ]
	[ "$(mnt root "$T/hostdir/file")" = "$(mount_root "$T/f")" ]
	[ "$(mnt parent "$T/hostdir/file")" = "$(mnt id /tmp)" ]
	assert_host_mounts_unchanged "$snap"
	assert_no_leftovers "$ID"
}

@test "a bind onto a dangling symlink (an image's /etc/resolv.conf) lands on its target inside the rootfs" {
	echo "nameserver 192.0.2.1" >"$T/resolv.conf"
	rm "$BUNDLE/rootfs/etc/resolv.conf"
	ln -s /run/systemd/resolve/stub-resolv.conf "$BUNDLE/rootfs/etc/resolv.conf"
	ln -s ../var/lib/missing "$BUNDLE/rootfs/etc/reldir"
	ln -s /var/lib/leaf "$BUNDLE/rootfs/etc/leafdir"
	add_mount "{\"destination\": \"/etc/resolv.conf\", \"type\": \"bind\", \"source\": \"$T/resolv.conf\", \"options\": [\"bind\", \"ro\"]}"
	add_mount '{"destination": "/etc/reldir/sub", "type": "tmpfs", "source": "tmpfs"}'
	# the last component dangling (its parent there): the same through the parent
	add_mount '{"destination": "/etc/leafdir", "type": "tmpfs", "source": "tmpfs"}'
	run_mountinfo 'cat /etc/resolv.conf; readlink /etc/resolv.conf'
	[ "$OUT" = "$(printf 'nameserver 192.0.2.1\n/run/systemd/resolve/stub-resolv.conf')" ]
	[ "$(mnt root /run/systemd/resolve/stub-resolv.conf)" = "$(mount_root "$T/resolv.conf")" ]
	[ "$(mnt fstype /var/lib/missing/sub)" = tmpfs ]
	[ "$(mnt fstype /var/lib/leaf)" = tmpfs ]
	# the targets were made in the rootfs, the links left as they were
	[ -f "$BUNDLE/rootfs/run/systemd/resolve/stub-resolv.conf" ]
	[ -d "$BUNDLE/rootfs/var/lib/missing/sub" ] && [ -d "$BUNDLE/rootfs/var/lib/leaf" ]
	[ -L "$BUNDLE/rootfs/etc/resolv.conf" ] && [ -L "$BUNDLE/rootfs/etc/reldir" ] && [ -L "$BUNDLE/rootfs/etc/leafdir" ]
	assert_no_leftovers "$ID"
}

@test "propagation options on a bind: shared, slave, private, unbindable" {
	mkdir "$T/src"
	host_mount --bind "$T/src" "$T/src"
	mount --make-shared "$T/src"
	for p in shared slave private unbindable; do
		add_mount "{\"destination\": \"/$p\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\", \"$p\"]}"
	done
	run_mountinfo
	[[ "$(mnt prop /shared)" == *shared:* ]]
	[[ "$(mnt prop /slave)" == master:* ]]
	[[ "$(mnt prop /slave)" != *shared:* ]]
	[ "$(mnt prop /private)" = "" ]
	[ "$(mnt prop /unbindable)" = unbindable ]
	assert_no_leftovers "$ID"
}

# start_sleeper: a running container; $PID is its init.
start_sleeper() {
	update_config '.process.args = ["sleep", "100"]'
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	PID=$(oci_rt state "$ID" | jq .pid)
	[ "$PID" -gt 0 ]
}

# host_mount_reaches_container MOUNTPOINT: after a host mount under the
# shared source, does the container see it at MOUNTPOINT?
host_mount_reaches_container() {
	mkdir -p "$T/src/late"
	host_mount -t tmpfs late "$T/src/late"
	sleep 0.1
	awk -v mp="$1" '$5 == mp {f = 1} END {exit !f}' "/proc/$PID/mountinfo"
}

@test "a slave bind receives mounts made later on the host; a private one does not" {
	mkdir "$T/src"
	host_mount --bind "$T/src" "$T/src"
	mount --make-shared "$T/src"
	add_mount "{\"destination\": \"/slave\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\", \"slave\"]}"
	add_mount "{\"destination\": \"/private\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\", \"private\"]}"
	snap=$(host_mounts)
	start_sleeper
	host_mount_reaches_container /slave/late
	! awk '$5 == "/private/late" {f = 1} END {exit !f}' "/proc/$PID/mountinfo"
	# nothing went the other way: the host has only its own new mount
	assert_host_mounts_unchanged "$(printf '%s\n%s\n' "$snap" "$T/src/late" | sort)"
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "linux.rootfsPropagation slave: a host mount under a bind source appears inside" {
	mkdir "$T/src"
	host_mount --bind "$T/src" "$T/src"
	mount --make-shared "$T/src"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\"]}"
	update_config '.linux.rootfsPropagation = "slave"'
	start_sleeper
	MINFO=$(cat "/proc/$PID/mountinfo")
	[[ "$(mnt prop /)" == "" || "$(mnt prop /)" == master:* ]]
	[[ "$(mnt prop /mnt)" == master:* ]]
	host_mount_reaches_container /mnt/late
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "linux.rootfsPropagation private: no host mount appears inside, unless the mount asks for slave" {
	mkdir "$T/src"
	host_mount --bind "$T/src" "$T/src"
	mount --make-shared "$T/src"
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/own\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\", \"rslave\"]}"
	update_config '.linux.rootfsPropagation = "private"'
	start_sleeper
	MINFO=$(cat "/proc/$PID/mountinfo")
	[ "$(mnt prop /)" = "" ]
	[ "$(mnt prop /mnt)" = "" ]
	[ "$(mnt prop /proc)" = "" ]
	[[ "$(mnt prop /own)" == master:* ]]
	host_mount_reaches_container /own/late
	! awk '$5 == "/mnt/late" {f = 1} END {exit !f}' "/proc/$PID/mountinfo"
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "linux.rootfsPropagation shared: the rootfs and the mounts below are in new peer groups" {
	update_config '.linux.rootfsPropagation = "shared"'
	run_mountinfo
	[[ "$(mnt prop /)" == shared:* ]]
	[[ "$(mnt prop /tmp)" == shared:* ]]
	[ "$(mnt prop /tmp)" != "$(mnt prop /)" ]
	assert_no_leftovers "$ID"
}

@test "linux.rootfsPropagation unbindable: the rootfs mount is private and cannot be bind-mounted" {
	update_config '.linux.rootfsPropagation = "unbindable"'
	run_mountinfo
	[ "$(mnt prop /)" = unbindable ]
	[ "$(mnt prop /tmp)" = "" ]
	[ "$(mnt prop /proc/sys)" = "" ] # readonly paths still got their binds
	[[ "$(mnt opts /proc/sys)" == ro,* ]]
	assert_no_leftovers "$ID"
}

@test "idmap and ridmap are refused with a clear error" {
	mkdir "$T/src"
	cp "$BUNDLE/config.json" "$T/base.json"
	for opt in idmap ridmap; do
		cp "$T/base.json" "$BUNDLE/config.json"
		add_mount "{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\", \"$opt\"]}"
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"mount /m: option $opt: idmapped mounts are not supported"* ]]
		assert_no_leftovers "$ID"
	done
	[ ! -e "$BUNDLE/rootfs/m" ]
}

@test "an unknown filesystem type is an error naming the mount" {
	add_mount '{"destination": "/mnt/x", "type": "nosuchfs", "source": "src0"}'
	snap=$(host_mounts)
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'error mounting \"src0\" to rootfs at \"/mnt/x\": fsopen nosuchfs: no such device'* ]]
	assert_host_mounts_unchanged "$snap"
	assert_no_leftovers "$ID"
}

@test "a bad filesystem option is an error naming the mount and the option" {
	add_mount '{"destination": "/sized", "type": "tmpfs", "source": "tmpfs", "options": ["size=lots"]}'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'error mounting \"tmpfs\" to rootfs at \"/sized\"'*"option size=lots"* ]]
	assert_no_leftovers "$ID"
}

@test "a missing bind source is an error naming it" {
	add_mount "{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"$T/nothere\", \"options\": [\"bind\"]}"
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$T/nothere"*"no such file or directory"* ]]
	assert_no_leftovers "$ID"
}
