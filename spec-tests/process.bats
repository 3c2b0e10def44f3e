#!/usr/bin/env bats
# config.md "Process" and "User": what the container's process is started
# with, checked from inside (/proc/self/status, id, umask, /proc/1/environ)
# and from the host (/proc/<pid>/...).

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}proc
	T=$BATS_TEST_TMPDIR
}

set_args() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
}

# status_field FIELD: a line of /proc/self/status from $output, without
# its name ("CapEff" -> "0000..."; tabs kept).
status_field() {
	sed -n "s/^$1:[[:space:]]*//p" <<<"$output"
}

@test "args[0] is looked up in the container's PATH, not the host's" {
	mkdir -p "$BUNDLE/rootfs/opt/bin" "$T/hostbin"
	printf '#!/bin/sh\necho "from the container: $0 $*"\n' >"$BUNDLE/rootfs/opt/bin/mytool"
	chmod 755 "$BUNDLE/rootfs/opt/bin/mytool"
	printf '#!/bin/sh\necho host\n' >"$T/hostbin/hostonly"
	chmod 755 "$T/hostbin/hostonly"
	update_config '.process.env = ["PATH=/nonexistent:/opt/bin:/bin"] | .process.args = ["mytool", "a b", "c"]'
	PATH="$T/hostbin:$PATH" run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "from the container: /opt/bin/mytool a b c" ]

	update_config '.process.args = ["hostonly"]'
	PATH="$T/hostbin:$PATH" run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'exec: \"hostonly\": executable file not found in $PATH'* ]]
	assert_no_leftovers "$ID"
}

@test "env is exactly the configured one" {
	update_config '.process.env = ["A=1", "B=two words", "PATH=/bin:/usr/bin", "HOME=/h", "EMPTY="]'
	# /proc/1 is the configured process (sh); its environ as it was given
	update_config '.process.args = ["sh", "-c", "cat /proc/1/environ | tr \"\\000\" \"\\n\""]'
	FROM_HOST=leak run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'A=1\nB=two words\nPATH=/bin:/usr/bin\nHOME=/h\nEMPTY=')" ]
	assert_no_leftovers "$ID"
}

@test "HOME is set from the container's /etc/passwd when env has none" {
	update_config '.process.env = ["PATH=/bin"] | .process.args = ["sh", "-c", "cat /proc/1/environ | tr \"\\000\" \"\\n\""]'
	check_home() {
		update_config '.process.user.uid = $u' --argjson u "$1"
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf 'PATH=/bin\nHOME=%s' "$2")" ]
	}
	check_home 0 /root
	check_home 1 /usr/sbin
	# no entry: runc's default
	check_home 4242 /
	# an entry of the image, not of the host
	rm "$BUNDLE/rootfs/etc/passwd"
	printf 'root:x:0:0:root:/container-root:/bin/sh\nu:x:4242:4242::/home/u:/bin/sh\n' >"$BUNDLE/rootfs/etc/passwd"
	check_home 0 /container-root
	check_home 4242 /home/u
	# a line too long to read is skipped, a last line needs no newline
	rm "$BUNDLE/rootfs/etc/passwd"
	{
		printf 'long:x:4242:4242::/long%s:/bin/sh\n' "$(head -c 6000 /dev/zero | tr '\0' x)"
		printf 'u:x:4242:4242::/home/last:/bin/sh'
	} >"$BUNDLE/rootfs/etc/passwd"
	check_home 4242 /home/last
	# no /etc/passwd at all, or one that is not a regular file
	rm "$BUNDLE/rootfs/etc/passwd"
	check_home 0 /
	# reached only through a magic link (/proc/self/root): not followed
	printf 'root:x:0:0:root:/via-magic-link:/bin/sh\n' >"$BUNDLE/rootfs/etc/passwd.real"
	ln -s /proc/self/root/etc/passwd.real "$BUNDLE/rootfs/etc/passwd"
	check_home 0 /
	rm "$BUNDLE/rootfs/etc/passwd"
	ln -s passwd.real "$BUNDLE/rootfs/etc/passwd"
	check_home 0 /via-magic-link
	rm "$BUNDLE/rootfs/etc/passwd"
	mkfifo "$BUNDLE/rootfs/etc/passwd"
	check_home 0 /
	assert_no_leftovers "$ID"
}

@test "an explicit HOME is kept" {
	update_config '.process.env = ["HOME=/mine", "PATH=/bin"] | .process.args = ["sh", "-c", "echo $HOME"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = /mine ]
}

@test "cwd: the process starts there, inside the rootfs" {
	mkdir -p "$BUNDLE/rootfs/work/dir"
	update_config '.process.cwd = "/work/dir" | .process.args = ["sh", "-c", "pwd; stat -c %i ."]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1p <<<"$output")" = /work/dir ]
	[ "$(sed -n 2p <<<"$output")" = "$(stat -c %i "$BUNDLE/rootfs/work/dir")" ]
	assert_no_leftovers "$ID"
}

@test "a missing cwd is created (0755, root), also with a read-only root" {
	update_config '.root.readonly = true | .process.cwd = "/new/deep/cwd" | .process.args = ["pwd"]'
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = /new/deep/cwd ]
	[ "$(stat -c '%F %a %u:%g' "$BUNDLE/rootfs/new/deep/cwd")" = "directory 755 0:0" ]
	assert_no_leftovers "$ID"
}

@test "a cwd through a symlink to a host path is created inside the rootfs" {
	mkdir "$T/hostdir"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/lnk"
	update_config '.mounts |= map(select(.destination != "/tmp"))'
	update_config '.process.cwd = "/lnk/sub" | .process.args = ["pwd"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$T/hostdir/sub" ]
	[ -z "$(ls -A "$T/hostdir")" ]
	[ -d "$BUNDLE/rootfs$T/hostdir/sub" ]
	assert_no_leftovers "$ID"
}

@test "a relative cwd is an error" {
	update_config '.process.cwd = "tmp"'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'config.json: .process.cwd: \"tmp\" is not an absolute path'* ]]
	assert_no_leftovers "$ID"
}

@test "user: uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [5, 1002]}'
	set_args 'id -u; id -g; id -G; grep -E "^(Uid|Gid|Groups):" /proc/self/status; touch /tmp/f; stat -c %u:%g /tmp/f'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1,3p <<<"$output")" = "$(printf '1000\n1001\n1001 5 1002')" ]
	[ "$(status_field Uid)" = "$(printf '1000\t1000\t1000\t1000')" ]
	[ "$(status_field Gid)" = "$(printf '1001\t1001\t1001\t1001')" ]
	[ "$(status_field Groups | tr -s ' \t' ' ' | sed 's/ $//')" = "5 1002" ]
	[ "$(sed -n '$p' <<<"$output")" = 1000:1001 ]
	assert_no_leftovers "$ID"
}

@test "user: seen from the host" {
	update_config '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [7]} | .process.args = ["sleep", "100"]'
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	pid=$(oci_rt state "$ID" | jq .pid)
	[ "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "1000 1000 1000 1000" ]
	[ "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "1001 1001 1001 1001" ]
	[ "$(awk '/^Groups:/ {print $2}' "/proc/$pid/status")" = 7 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "umask: 0022 by default, else the configured one" {
	set_args 'umask; touch /tmp/f; stat -c %a /tmp/f'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0022\n644')" ]
	update_config '.process.user.umask = 63'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0077\n600')" ]
	update_config '.process.user.umask = 0'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0000\n666')" ]
}

@test "noNewPrivileges: NoNewPrivs 1 when set, 0 when not" {
	update_config '.process.args = ["grep", "NoNewPrivs", "/proc/self/status"]'
	update_config '.process.noNewPrivileges = true'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'NoNewPrivs:\t1')" ]
	update_config '.process.noNewPrivileges = false'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'NoNewPrivs:\t0')" ]
}

@test "oomScoreAdj: raised as configured, inside and seen from the host" {
	cur=$(cat /proc/self/oom_score_adj)
	want=$((cur + 100 > 1000 ? 1000 : cur + 100))
	update_config '.process.oomScoreAdj = $v | .process.args = ["sh", "-c", "cat /proc/self/oom_score_adj; sleep 100"]' \
		--argjson v "$want"
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	pid=$(oci_rt state "$ID" | jq .pid)
	[ "$(cat "/proc/$pid/oom_score_adj")" = "$want" ]
	wait_for 5 grep -q . "$BATS_TEST_TMPDIR/rt.out" || true
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
	update_config '.process.args = ["cat", "/proc/self/oom_score_adj"]'
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
}

@test "oomScoreAdj below the runtime's own without CAP_SYS_RESOURCE: a clear error, nothing left" {
	capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
	[ $((0x$capeff & (1 << 24))) -eq 0 ] || skip "the runtime has CAP_SYS_RESOURCE here"
	cur=$(cat /proc/self/oom_score_adj)
	[ "$cur" -gt -1000 ] || skip "already at -1000"
	update_config '.process.oomScoreAdj = $v' --argjson v $((cur - 1))
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"oom_score_adj"*"permission denied"* ]]
	assert_no_leftovers "$ID"
}

@test "capabilities of root: every set as configured, no ambient or inheritable" {
	update_config '.process.args = ["grep", "^Cap", "/proc/self/status"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	want=$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
	[ "$(status_field CapBnd)" = "$want" ]
	[ "$(status_field CapEff)" = "$want" ]
	[ "$(status_field CapPrm)" = "$want" ]
	[ "$(status_field CapInh)" = 0000000000000000 ]
	[ "$(status_field CapAmb)" = 0000000000000000 ]
}

@test "capabilities of a non-root user: kept across the uid change, then execve's rules" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	update_config '.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SETUID"],
		"permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
		"effective": ["CAP_CHOWN", "CAP_KILL"],
		"inheritable": ["CAP_KILL"]}'
	update_config '.process.args = ["grep", "^Cap", "/proc/self/status"]'
	# before start the init already is uid 1000 with the configured sets
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	pid=$(oci_rt state "$ID" | jq .pid)
	output=$(cat "/proc/$pid/status")
	[ "$(status_field Uid)" = "$(printf '1000\t1000\t1000\t1000')" ]
	[ "$(status_field CapBnd)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SETUID)" ]
	[ "$(status_field CapPrm)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW)" ]
	[ "$(status_field CapEff)" = "$(cap_mask CAP_CHOWN CAP_KILL)" ]
	[ "$(status_field CapInh)" = "$(cap_mask CAP_KILL)" ]
	[ "$(status_field CapAmb)" = 0000000000000000 ]
	oci_rt delete -f "$ID"
	# after execve a non-root process without ambient capabilities has
	# none permitted or effective (as with runc); bounding and inheritable stay
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(status_field CapBnd)" = "$(cap_mask CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SETUID)" ]
	[ "$(status_field CapInh)" = "$(cap_mask CAP_KILL)" ]
	[ "$(status_field CapPrm)" = 0000000000000000 ]
	[ "$(status_field CapEff)" = 0000000000000000 ]
	assert_no_leftovers "$ID"
}

@test "ambient capabilities: raised only when also inheritable and permitted" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	update_config '.process.capabilities = {
		"bounding": ["CAP_KILL", "CAP_NET_RAW", "CAP_CHOWN"],
		"permitted": ["CAP_KILL", "CAP_NET_RAW"],
		"effective": ["CAP_KILL", "CAP_NET_RAW"],
		"inheritable": ["CAP_KILL", "CAP_CHOWN"],
		"ambient": ["CAP_KILL", "CAP_NET_RAW", "CAP_CHOWN"]}'
	update_config '.process.args = ["grep", "^Cap", "/proc/self/status"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	# only CAP_KILL is both inheritable and permitted; after execve a
	# non-root process keeps exactly its ambient set
	[ "$(status_field CapAmb)" = "$(cap_mask CAP_KILL)" ]
	[ "$(status_field CapPrm)" = "$(cap_mask CAP_KILL)" ]
	[ "$(status_field CapEff)" = "$(cap_mask CAP_KILL)" ]
	[ "$(status_field CapInh)" = "$(cap_mask CAP_KILL CAP_CHOWN)" ]
}

@test "capabilities seen from the host" {
	update_config '.process.args = ["sleep", "100"]'
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	pid=$(oci_rt state "$ID" | jq .pid)
	want=$(cap_mask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
	[ "$(awk '/^CapEff/ {print $2}' "/proc/$pid/status")" = "$want" ]
	[ "$(awk '/^CapBnd/ {print $2}' "/proc/$pid/status")" = "$want" ]
	[ "$(awk '/^CapInh/ {print $2}' "/proc/$pid/status")" = 0000000000000000 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "an unknown capability is an error naming it" {
	update_config '.process.capabilities.bounding += ["CAP_NO_SUCH"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'unknown capability \"CAP_NO_SUCH\" in process.capabilities.bounding'* ]]
	assert_no_leftovers "$ID"
}

@test "exec errors: runc's wording for not found, missing path, permission denied, a directory" {
	printf 'not a program\n' >"$BUNDLE/rootfs/notexec"
	chmod 644 "$BUNDLE/rootfs/notexec"
	check() {
		update_config '.process.args = [$a]' --arg a "$1"
		run oci_rt run "$ID"
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"$2"* ]]
		assert_no_leftovers "$ID"
	}
	check nosuch 'exec: \"nosuch\": executable file not found in $PATH'
	check /bin/nosuch 'exec: \"/bin/nosuch\": stat /bin/nosuch: no such file or directory'
	check /notexec 'exec: \"/notexec\": permission denied'
	check /bin 'exec: \"/bin\": permission denied'
	# a directory on PATH named like the command is skipped
	mkdir "$BUNDLE/rootfs/bin/dironpath"
	check dironpath 'exec: \"dironpath\": executable file not found in $PATH'
}
