#!/usr/bin/env bats
# Regressions for the container-runtime CVEs of ../shared/reference/security.md
# that the other suites do not already cover, each attacking oci-rt the way
# the original exploit did.  Where each row is tested:
#
#   CVE-2019-5736    here (three ways in)
#   CVE-2019-16884   here
#   CVE-2019-19921   rootfs.bats; CVE-2023-27561 and CVE-2023-28642 here
#   CVE-2021-30465   here
#   CVE-2022-29162   spec.bats (the template); capabilities.bats (no
#                    inheritable set unless configured); `exec --cap`: no
#                    exec in this branch
#   CVE-2023-25809   here
#   CVE-2024-21626   fds.bats (create's fds and cwd); exec: no exec here
#   CVE-2024-45310   here
#   CVE-2025-31133   masked_readonly.bats
#   CVE-2025-52565   needs process.terminal (the terminal branch)
#   CVE-2025-52881   sysctl.bats (sysctls); here (labels)
#   CVE-2026-41579   devices.bats
#   CVE-2026-88264   devices.bats (/dev/null); /dev/console (88265) needs
#                    process.terminal
#   CVE-2026-30892   `exec -u`: no exec in this branch
#   CVE-2019-18837   mounts.bats
#   CVE-2021-43784   here (bounds of what crosses a process boundary)

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}cve
	T=$BATS_TEST_TMPDIR
	BG_PIDS=()
}

teardown() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null || true
	done
	teardown_containers
	[ -n "${CLEAN_DIR:-}" ] && rm -rf "$CLEAN_DIR"
	return 0
}

apparmor_on() {
	[ -d /sys/kernel/security/apparmor ] && grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null
}

# runtime_copy: OCI_RT becomes a copy of the runtime in this test's
# directory, so that an attack that works breaks the copy, not the build.
runtime_copy() {
	cp "$OCI_RT" "$T/oci-rt"
	OCI_RT=$T/oci-rt
	SUM=$(sha256sum <"$OCI_RT")
}

assert_runtime_intact() {
	[ "$(sha256sum <"$OCI_RT")" = "$SUM" ] || { echo "the runtime binary was modified"; return 1; }
}

# second_bundle DIR: another busybox bundle (a second container).
second_bundle() {
	mkdir -p "$1"
	copy_rootfs "$BUSYBOX_ROOTFS" "$1/rootfs"
	cp "$BUNDLE/config.json" "$1/config.json"
}

@test "CVE-2019-5736: an image whose entrypoint is #!/proc/self/exe cannot rewrite the runtime through /proc/<pid>/exe" {
	runtime_copy
	mkdir "$T/shared"
	mkfifo "$T/shared/fifo"
	# A: the attacker, with the default capabilities; it finds the
	# process whose exe is not its own, holds /proc/<pid>/exe, lets the
	# victim go on (its log fifo), then keeps reopening the handle for
	# writing until no process executes the file any more
	cp "$TOOLS/exe_attack" "$BUNDLE/rootfs/exe_attack"
	update_config '.process.args = ["/exe_attack", "--release", "/shared/fifo", "--out", "/shared/attack", "scan", "10"]
		| .mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]' \
		--arg s "$T/shared"
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	apid=$(init_pid "$ID")
	# B: shares A's pid namespace; its entrypoint makes the init's execve
	# run /proc/self/exe, i.e. the runtime, which blocks opening its log
	# (the fifo) until A holds its exe.  The image has what the runtime
	# needs to start (its shared libraries), as any glibc image would.
	second_bundle "$T/b"
	for lib in $(ldd "$OCI_RT" | grep -o '/[^ ]*'); do
		mkdir -p "$T/b/rootfs$(dirname "$lib")"
		cp -L "$lib" "$T/b/rootfs$lib"
	done
	printf '#!/proc/self/exe --log=/shared/fifo\n' >"$T/b/rootfs/evil"
	chmod 755 "$T/b/rootfs/evil"
	jq --arg ns "/proc/$apid/ns/pid" '.process.args = ["/evil"]
		| .linux.namespaces |= map(if .type == "pid" then .path = $ns else . end)' \
		"$BUNDLE/config.json" >"$T/b/config.json"
	(cd "$T/b" && timeout 30 "$OCI_RT" --root "$ROOT" run "${ID}b" </dev/null >"$T/victim.out" 2>&1 3>&- 4>&-) || true
	wait_for 30 grep -qE '^(write|open E)' "$T/shared/attack"
	cat "$T/shared/attack" "$T/victim.out"
	grep -q '^target [0-9]' "$T/shared/attack"
	# Either it caught the victim between its execve and its first
	# instruction's prctl: it held the victim's exe, which was the
	# runtime's read-only image; or it came later, and the non-dumpable
	# runtime kept its exe closed.  Which one is a race.
	if grep -qx 'open ok' "$T/shared/attack"; then
		grep -qx 'write EROFS' "$T/shared/attack"
	else
		grep -qxE 'open (EACCES|EPERM)' "$T/shared/attack"
	fi
	assert_runtime_intact
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "CVE-2019-5736: the init's /proc/<pid>/exe is closed to the container, and read-only to one with CAP_SYS_PTRACE" {
	runtime_copy
	cp "$TOOLS/exe_attack" "$BUNDLE/rootfs/exe_attack"
	update_config '.process.args = ["sleep", "100"]'
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	pid=$(init_pid "$ID")
	# a process of the container (its namespaces and root, its
	# capabilities: AUDIT_WRITE, KILL, NET_BIND_SERVICE) while the init waits
	run nsenter -t "$pid" -p -m -r -w -- /exe_attack --caps 29,5,10 1 1
	echo "$output"
	[ "$output" = "$(printf 'target 1\nopen EACCES')" ]
	# granted CAP_SYS_PTRACE (19) it may open the exe, but the file is the
	# read-only bind: once the init has become the container's process no
	# process executes it, and the reopen for writing fails
	nsenter -t "$pid" -p -m -r -w -- /exe_attack --caps 19 --out /tmp/attack 1 20 </dev/null >/dev/null 2>&1 3>&- 4>&- &
	BG_PIDS+=($!)
	wait_for 5 nsenter -t "$pid" -m -- grep -qx 'open ok' /tmp/attack
	oci_rt start "$ID"
	wait_for 25 nsenter -t "$pid" -m -- grep -q '^write' /tmp/attack
	nsenter -t "$pid" -m -- cat /tmp/attack
	[ "$(nsenter -t "$pid" -m -- cat /tmp/attack)" = "$(printf 'target 1\nopen ok\nwrite EROFS')" ]
	assert_runtime_intact
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "CVE-2019-5736: a container in the host's pid namespace cannot open the runtime's own /proc/<pid>/exe" {
	runtime_copy
	cp "$TOOLS/exe_attack" "$BUNDLE/rootfs/exe_attack"
	bind_shared_dir
	# no pid namespace: the container's process is the runtime's child
	update_config '.linux.namespaces |= map(select(.type != "pid"))
		| .process.args = ["/exe_attack", "--out", "/shared/attack", "parent", "1"]'
	run oci_rt run "$ID"
	echo "$output"
	cat "$SHARED/attack"
	[ "$(sed -n 2p "$SHARED/attack")" = "open EACCES" ]
	assert_runtime_intact
	assert_no_leftovers "$ID"
}

@test "CVE-2019-16884: a volume mounted over /proc cannot catch the AppArmor label" {
	apparmor_on && skip "this host has AppArmor: the label would apply"
	# a fake procfs with the files a label is written to
	fake=$T/fakeproc
	mkdir -p "$fake/self/attr/apparmor" "$fake/thread-self/attr"
	touch "$fake/self/attr/exec" "$fake/self/attr/apparmor/exec" "$fake/thread-self/attr/exec"
	chmod -R a+rw "$fake"
	update_config '.mounts |= map(if .destination == "/proc" then {"destination": "/proc", "type": "bind", "source": $f, "options": ["rbind", "rw"]} else . end)
		| .process.apparmorProfile = "oci-rt-test"' --arg f "$fake"
	rt_json run "$ID"
	echo "$RT_RC: $RT_MSG"
	# the write reached the real procfs, whose answer without AppArmor is EINVAL
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == *"write /proc/self/attr/exec: invalid argument" ]]
	[ ! -s "$fake/self/attr/exec" ] && [ ! -s "$fake/self/attr/apparmor/exec" ] && [ ! -s "$fake/thread-self/attr/exec" ]
	assert_no_leftovers "$ID"
}

@test "CVE-2025-52881: a bind over /proc/self/attr cannot redirect the AppArmor label" {
	apparmor_on && skip "this host has AppArmor: the label would apply"
	echo unchanged >"$T/target"
	for dest in /proc/self/attr/exec /proc/1/attr/exec /proc/thread-self/attr/exec; do
		update_config '.mounts += [{"destination": $d, "type": "bind", "source": $t, "options": ["bind", "rw"]}]
			| .process.apparmorProfile = "oci-rt-test"' --arg d "$dest" --arg t "$T/target"
		rt_json run "$ID"
		echo "$dest: $RT_RC: $RT_MSG"
		[ "$RT_RC" -eq 1 ]
		[[ "$RT_MSG" == *"write /proc/self/attr/exec: invalid argument" ]]
		[ "$(cat "$T/target")" = unchanged ]
		assert_no_leftovers "$ID"
		update_config '.mounts |= map(select(.destination != $d))' --arg d "$dest"
	done
}

@test "CVE-2023-27561, CVE-2023-28642: /proc or /sys a symlink inside the rootfs is refused too, with a label asked for" {
	mkdir -p "$BUNDLE/rootfs/fakeproc" "$T/hostdir"
	update_config '.process.apparmorProfile = "oci-rt-test"'
	for d in proc sys; do
		for target in fakeproc ../fakeproc /fakeproc "$T/hostdir"; do
			rmdir "$BUNDLE/rootfs/$d"
			ln -s "$target" "$BUNDLE/rootfs/$d"
			rt_json run "$ID"
			echo "$d -> $target: $RT_RC: $RT_MSG"
			[ "$RT_RC" -eq 1 ]
			[[ "$RT_MSG" == *"/$d in rootfs is a symlink, refusing to use it" ]]
			rm "$BUNDLE/rootfs/$d"
			mkdir "$BUNDLE/rootfs/$d"
			[ -z "$(ls -A "$BUNDLE/rootfs/fakeproc")" ] && [ -z "$(ls -A "$T/hostdir")" ]
			assert_no_leftovers "$ID"
		done
	done
}

# race A B: run the container 40 times while swap_race exchanges the
# rootfs paths A and B (a directory and a symlink to the host); the host's
# mounts stay as they were, and some runs got through the race.
race() {
	local i snap ok=0
	snap=$(host_mounts)
	"$TOOLS/swap_race" "$BUNDLE/rootfs/$1" "$BUNDLE/rootfs/$2" 8 >"$T/swaps" 2>&1 3>&- 4>&- &
	BG_PIDS+=($!)
	for ((i = 0; i < 40; i++)); do
		if "$OCI_RT" --root "$ROOT" run "$ID" </dev/null >/dev/null 2>&1 3>&- 4>&-; then
			ok=$((ok + 1))
		fi
		"$OCI_RT" --root "$ROOT" delete -f "$ID" >/dev/null 2>&1 || true
	done
	wait_for 15 test -s "$T/swaps"
	echo "$ok of 40 runs succeeded during $(cat "$T/swaps") exchanges"
	[ "$(cat "$T/swaps")" -gt 1000 ]
	[ "$ok" -gt 0 ]
	assert_host_mounts_unchanged "$snap"
	assert_no_leftovers "$ID"
}

@test "CVE-2021-30465: a mount destination swapped with a symlink during create mounts nothing outside the rootfs" {
	mkdir -p "$BUNDLE/rootfs/data/mnt" "$T/hostdir/mnt"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/datalink"
	echo host >"$T/source"
	update_config '.mounts += [{"destination": "/data/mnt", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/data/file", "type": "bind", "source": $s, "options": ["bind"]}]
		| .process.args = ["true"]' --arg s "$T/source"
	race data datalink
	# the host directory the symlink points to got nothing
	[ "$(ls -A "$T/hostdir")" = mnt ]
	[ -z "$(ls -A "$T/hostdir/mnt")" ]
}

@test "CVE-2024-45310: parents of a destination swapped with a symlink while it is created leave nothing on the host" {
	mkdir -p "$BUNDLE/rootfs/vol" "$T/hostdir"
	ln -s "$T/hostdir" "$BUNDLE/rootfs/vollink"
	update_config '.mounts += [{"destination": "/vol/a/b/c", "type": "tmpfs", "source": "tmpfs"}]
		| .process.args = ["true"]'
	race vol vollink
	# mkdir -p of a/b/c never went through the symlink to the host
	[ -z "$(ls -A "$T/hostdir")" ]
}

@test "CVE-2023-25809: a user-namespaced container without a cgroup namespace sees only its own cgroup, and cannot write it" {
	# the container's root is host uid 100000 (see userns.bats)
	dir=$(mktemp -d /tmp/oci-rt-cve.XXXXXX)
	CLEAN_DIR=$dir
	chmod 755 "$dir"
	cp -a "$BUSYBOX_ROOTFS" "$dir/rootfs"
	chown -R 100000:100000 "$dir/rootfs"
	mkdir "$dir/out" && chown 100000:100000 "$dir/out"
	update_config '.root.path = $r
		| .linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .mounts |= map(if .destination == "/sys/fs/cgroup" then .options = ["nosuid", "noexec", "nodev", "rw"] else . end)
		| .mounts += [{destination: "/out", type: "bind", source: $out, options: ["rbind", "rw"]}]
		| .process.args = ["sh", "-c", "grep \" /sys/fs/cgroup/memory \" /proc/self/mountinfo > /out/mountinfo; ls -A /sys/fs/cgroup/memory > /out/ls; mkdir /sys/fs/cgroup/memory/escape 2>/out/mkdir; echo 1 > /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/out/write; echo $? > /out/rc"]' \
		--arg r "$dir/rootfs" --arg out "$dir/out"
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	cat "$dir"/out/*
	# the memory hierarchy shown is the container's own cgroup, not the host's root
	own=$(awk '{print $4}' "$dir/out/mountinfo")
	[ "$own" != / ]
	[[ "$own" == */"$ID" ]]
	# no other cgroup (the host's, its siblings) is reachable from it
	[ -z "$(grep -vE '^(cgroup\.|memory\.|notify_on_release|tasks)' "$dir/out/ls")" ]
	# and its own files are not the container's to write
	[[ "$(cat "$dir/out/mkdir")" == *"Permission denied"* ]]
	[ "$(cat "$dir/out/rc")" != 0 ]
	assert_no_leftovers "$ID"
}

@test "CVE-2021-43784: oversized values that cross a process boundary are bounded errors, never a crash" {
	update_config '.process.args = ["true"]'
	cp "$BUNDLE/config.json" "$T/base.json"
	python3 - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
base = json.load(open(t + "/base.json"))
def case(name, edit):
    c = json.loads(json.dumps(base))
    edit(c)
    json.dump(c, open("%s/case-%s.json" % (t, name), "w"))
case("hostname", lambda c: c.update(hostname="h" * 100))
case("uid-maps", lambda c: (c["linux"]["namespaces"].append({"type": "user"}),
                            c["linux"].update(uidMappings=[{"containerID": i, "hostID": 100000 + i, "size": 1} for i in range(400)],
                                              gidMappings=[{"containerID": 0, "hostID": 100000, "size": 65536}])))
case("uid", lambda c: c["process"]["user"].update(uid=4294967296))
case("cwd", lambda c: c["process"].update(cwd="/" + "a" * 5000))
case("destination", lambda c: c["mounts"].append({"destination": "/" + "/".join(["d" * 250] * 20), "type": "tmpfs", "source": "tmpfs"}))
case("errnoret", lambda c: c["linux"].update(seccomp={"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 2 ** 32}]}))
case("filter", lambda c: c["linux"].update(seccomp={"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
    {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": i, "op": "SCMP_CMP_EQ"}]} for i in range(4500)]}))
case("env", lambda c: c["process"].update(env=["E%d=%s" % (i, "v" * 100) for i in range(30000)]))
case("args", lambda c: c["process"].update(args=["echo"] + ["a" * 131072] * 40))
case("annotations", lambda c: c.update(annotations={"k%d" % i: "v" * 1000 for i in range(2000)}))
case("sysctl", lambda c: c["linux"].update(sysctl={"kernel.shmmax": "9" * 100000}))
case("rlimit", lambda c: c["process"].update(rlimits=[{"type": "RLIMIT_NOFILE", "hard": 2 ** 64, "soft": 1}]))
open(t + "/deep.json", "w").write(json.dumps(base)[:-1] + ', "x": ' + "[" * 100000 + "]" * 100000 + "}")
EOF
	for f in "$T"/case-*.json "$T/deep.json"; do
		cp "$f" "$BUNDLE/config.json"
		rt_json run "$ID"
		echo "$(basename "$f"): $RT_RC: ${RT_MSG:0:200}"
		# an error with a message, or a run; never a signal or a sanitizer report
		[ "$RT_RC" -le 1 ]
		[ "$RT_RC" -eq 0 ] || [ -n "$RT_MSG" ]
		[ "${#RT_MSG}" -le 4096 ]
		assert_no_leftovers "$ID"
	done
}
