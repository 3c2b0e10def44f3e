#!/usr/bin/env bats
# exec: a second process inside every namespace and the cgroup of an
# existing container, applied like its init (user, groups, umask, rlimits,
# capabilities, noNewPrivileges, cwd), with all of runc's flags, runc's exit
# codes (the process's status attached, 0 detached, 255 when the runtime
# fails) and nothing of the runtime's reaching it.

load helpers
load tty_helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}ex
	T=$BATS_TEST_TMPDIR
	bind_shared_dir
}

teardown() {
	stop_recvtty
	tmux_stop
	# a frozen container cannot die: thaw it first
	oci_rt resume "$ID" 2>/dev/null || true
	# the sub-cgroups go first (delete removes only empty cgroups)
	oci_rt kill --all "$ID" KILL 2>/dev/null || true
	for d in ${SUB_DIRS:-}; do
		wait_for 5 rmdir "$d" 2>/dev/null || true
	done
	teardown_containers
	[ -n "${USERNS_DIR:-}" ] && rm -rf "$USERNS_DIR"
	return 0
}

# start_container [SCRIPT]: run the container detached (default: sleep).
start_container() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "${1:-exec sleep 1000}"
	oci_rt_bg run -d "$ID"
	PID=$(init_pid "$ID")
}

# exec_bg ARGS...: a detached exec (it outlives the runtime); its pid in $EPID.
exec_bg() {
	oci_rt_bg exec -d --pid-file "$T/epid" "$@"
	EPID=$(cat "$T/epid")
}

# status_field PID NAME: a line of /proc/PID/status without its name.
status_field() {
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status"
}

# init_cgroup_dirs: the init's cgroup directory in every hierarchy mounted
# under /sys/fs/cgroup (one mounted elsewhere only is not the runtime's).
init_cgroup_dirs() {
	local n ctrls path dir
	while IFS=: read -r n ctrls path; do
		case $ctrls in
		"") dir=/sys/fs/cgroup/unified$path ;;
		name=*) dir=/sys/fs/cgroup/${ctrls#name=}$path ;;
		*) dir=/sys/fs/cgroup/$ctrls$path ;;
		esac
		[ "$path" != / ] && [ -d "$dir" ] && echo "$dir"
	done <"/proc/$PID/cgroup"
	return 0
}

ns_of() {
	readlink "/proc/$1/ns/$2"
}

# ---- namespaces and cgroup ----

@test "exec joins every namespace of the container: pid, mount, network, ipc, uts, cgroup" {
	update_config '.linux.namespaces += [{type: "cgroup"}]'
	touch "$BUNDLE/rootfs/marker"
	start_container
	exec_bg "$ID" sleep 100
	# from the host: the same namespaces as the init, and not the host's
	for ns in pid mnt net ipc uts cgroup; do
		[ "$(ns_of "$EPID" $ns)" = "$(ns_of "$PID" $ns)" ]
		[ "$(ns_of "$EPID" $ns)" != "$(ns_of self $ns)" ]
	done
	[ "$(ns_of "$EPID" user)" = "$(ns_of self user)" ]
	# from inside: the container's hostname, its pid 1, its mounts and root,
	# its network devices and its cgroup root
	run oci_rt exec "$ID" sh -c 'hostname; cat /proc/1/cmdline | tr "\0" " "; echo; echo $$
		ls /marker; ls /sys/class/net; grep -c . /proc/self/mountinfo; cat /proc/self/cgroup | cut -d: -f3 | sort -u'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = busybox ]
	[ "${lines[1]}" = "sleep 1000 " ]
	[ "${lines[2]}" -gt 2 ]
	[ "${lines[3]}" = /marker ]
	[ "${lines[4]}" = lo ]
	[ "${lines[5]}" = "$(grep -c . "/proc/$PID/mountinfo")" ]
	[ "${lines[6]}" = / ]
	[ "${#lines[@]}" -eq 7 ]
}

@test "exec joins the container's user namespace: its ids map to the host's as the init's do" {
	dir=$(mktemp -d /tmp/oci-rt-exec.XXXXXX)
	USERNS_DIR=$dir
	chmod 755 "$dir"
	cp -a "$BUSYBOX_ROOTFS" "$dir/rootfs"
	chown -R 100000:100000 "$dir/rootfs"
	update_config '.root.path = $r | .mounts |= map(select(.destination != "/shared"))
		| .linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]' --arg r "$dir/rootfs"
	start_container
	exec_bg "$ID" sleep 100
	[ "$(ns_of "$EPID" user)" = "$(ns_of "$PID" user)" ]
	[ "$(ns_of "$EPID" mnt)" = "$(ns_of "$PID" mnt)" ]
	[ "$(status_field "$EPID" Uid)" = "100000 100000 100000 100000" ]
	run oci_rt exec -u 1000:1000 "$ID" sh -c 'id -u; id -g; cat /proc/self/uid_map'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ] && [ "${lines[1]}" = 1000 ]
	[ "$(echo "${lines[2]}" | tr -s ' ')" = " 0 100000 65536" ]
}

@test "exec joins the container's time namespace" {
	update_config '.linux.namespaces += [{type: "time"}]
		| .linux.timeOffsets = {boottime: {secs: 172800, nanosecs: 0}}'
	start_container
	run oci_rt exec "$ID" sh -c 'cut -d. -f1 /proc/uptime; readlink /proc/self/ns/time'
	[ "$status" -eq 0 ]
	host=$(cut -d. -f1 /proc/uptime)
	[ "${lines[0]}" -ge $((host + 172800 - 5)) ] && [ "${lines[0]}" -le $((host + 172800)) ]
	[ "${lines[1]}" = "$(ns_of "$PID" time)" ]
}

@test "exec joins the container's cgroup in every hierarchy" {
	start_container
	exec_bg "$ID" sleep 100
	[ "$(cat "/proc/$EPID/cgroup")" = "$(cat "/proc/$PID/cgroup")" ]
	grep -qx "$EPID" "$(cgroup_dir_of pids "$ID")/cgroup.procs"
	grep -qx "$EPID" "$(cgroup_dir_of unified "$ID")/cgroup.procs"
}

# ---- the process ----

@test "without -p the container's process settings apply: user, groups, umask, rlimits, caps, noNewPrivileges, env, cwd" {
	update_config '.process.user = {uid: 1000, gid: 1000, additionalGids: [5, 7], umask: 23}
		| .process.env += ["FOO=bar"] | .process.cwd = "/tmp"
		| .process.rlimits = [{type: "RLIMIT_NOFILE", soft: 512, hard: 768}]'
	start_container
	script='echo $(id -u) $(id -g) $(id -G); umask; ulimit -n; ulimit -Hn; pwd; echo $FOO $HOME
		grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):" /proc/self/status'
	run oci_rt exec "$ID" sh -c "$script"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1000 1000 1000 5 7" ]
	[ "${lines[1]}" = 0027 ]
	[ "${lines[2]}" = 512 ] && [ "${lines[3]}" = 768 ]
	[ "${lines[4]}" = /tmp ]
	[ "${lines[5]}" = "bar /" ]
	# the init's own capability sets (it is the same user)
	[ "$(printf '%s\n' "${lines[@]:6}")" = "$(grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' "/proc/$PID/status")" ]
	[ "${lines[11]}" = "$(printf 'NoNewPrivs:\t1')" ]
}

@test "the exec'd process starts with default signal dispositions and an empty mask" {
	start_container
	run oci_rt exec "$ID" grep -E '^Sig(Blk|Ign|Cgt):' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000')" ]
	# so does the init (the runtime itself ignores SIGPIPE)
	[ "$(status_field "$PID" SigIgn)" = 0000000000000000 ]
}

@test "exec -p process.json: the process is exactly the file's" {
	start_container
	cat >"$T/process.json" <<-'EOF'
		{ "args": ["sh", "-c", "echo $(id -u):$(id -g) $(pwd) $A; env | sort | tr '\n' ' '"],
		  "env": ["A=1", "PATH=/bin"], "cwd": "/etc", "user": {"uid": 7, "gid": 8},
		  "terminal": false }
	EOF
	run oci_rt exec -p "$T/process.json" "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "7:8 /etc 1" ]
	[ "${lines[1]}" = "A=1 HOME=/ PATH=/bin PWD=/etc SHLVL=1 " ]
}

@test "exec -p with terminal and no socket, not detached: the runtime allocates and relays the pty (CRI-O)" {
	start_container
	cat >"$T/process.json" <<-'EOF'
		{ "args": ["sh", "-c", "tty; stty size; echo done"], "cwd": "/", "terminal": true,
		  "consoleSize": {"height": 20, "width": 70}, "env": ["PATH=/bin"] }
	EOF
	run oci_rt exec -p "$T/process.json" "$ID" </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tr -d '\r')" = "$(printf '/dev/pts/0\n20 70\ndone')" ]
}

# ---- flags ----

@test "exec --cwd, -e and --no-new-privs" {
	update_config '.process.env = ["PATH=/bin", "A=1", "B=2"] | .process.noNewPrivileges = false'
	start_container
	run oci_rt exec --cwd /etc --no-new-privs "$ID" sh -c 'pwd; grep NoNewPrivs /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /etc ]
	[ "${lines[1]}" = "$(printf 'NoNewPrivs:\t1')" ]
	# the process's own environment, in order: a name given again replaces
	# the earlier value in place (runc), HOME comes from /etc/passwd
	oci_rt exec -e B=3 -e C=4 -e A=0 "$ID" cat /proc/self/environ >"$T/environ"
	[ "$(tr '\0' ' ' <"$T/environ")" = "PATH=/bin A=0 B=3 C=4 HOME=/root " ]
	run oci_rt exec "$ID" grep NoNewPrivs /proc/self/status
	[ "$output" = "$(printf 'NoNewPrivs:\t0')" ]

	run oci_rt exec -e FOO "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *'exec failed: invalid environment variable: \"FOO\"'* ]]
	run oci_rt exec --cwd rel "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: Cwd must be an absolute path"* ]]
	run oci_rt exec --cwd /nonexistent "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *'exec failed: chdir to cwd (\"/nonexistent\") set in config.json: no such file or directory'* ]]
}

@test "exec -u uid[:gid] is parsed strictly (CVE-2026-30892)" {
	update_config '.process.user = {uid: 0, gid: 3}'
	start_container
	ids='echo $(awk "/^Uid:/{print \$2}" /proc/self/status) $(awk "/^Gid:/{print \$2}" /proc/self/status)'
	for c in "1000=1000 3" "1000:1000=1000 1000" "0:0=0 0" "65534:65534=65534 65534" "7:0=7 0" "=0 3"; do
		run oci_rt exec -u "${c%%=*}" "$ID" sh -c "$ids"
		echo "-u ${c%%=*}: $output"
		[ "$status" -eq 0 ]
		[ "$output" = "${c#*=}" ]
	done
	for bad in x 1: :1 -1 +1 " 1" "1 " 1000:x x:1000 1:2:3 0x10 4294967295 4294967296 99999999999 1000:99999999999; do
		run oci_rt exec -u "$bad" "$ID" sh -c "$ids"
		echo "-u '$bad': $output"
		[ "$status" -eq 255 ]
		[[ "$output" == *"exec failed: invalid user \\\"$bad\\\": expected uid[:gid]"* ]]
	done
	# nothing was left running
	[ "$(oci_rt ps --format json "$ID")" = "[$PID]" ]
}

@test "exec -g adds supplementary groups to the configured ones" {
	update_config '.process.user = {uid: 0, gid: 0, additionalGids: [10]}'
	start_container
	run oci_rt exec -u 1000:1000 -g 5 --additional-gids 6 "$ID" id -G
	[ "$status" -eq 0 ]
	[ "$output" = "1000 5 6 10" ] || [ "$output" = "1000 10 5 6" ]
	run oci_rt exec -g -1 "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: additional-gids must be a positive number -1"* ]]
	run oci_rt exec -g x "$ID" true
	[ "$status" -eq 255 ]
}

@test "exec --cap adds to the bounding, effective and permitted sets, never to the inheritable one (CVE-2022-29162)" {
	start_container
	# CAP_SYS_ADMIN is bit 21, CAP_NET_RAW bit 13; the config has 0x20000420
	run oci_rt exec --cap CAP_SYS_ADMIN -c CAP_NET_RAW "$ID" grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'CapInh:\t0000000000000000\nCapPrm:\t0000000020202420\nCapEff:\t0000000020202420\nCapBnd:\t0000000020202420\nCapAmb:\t0000000000000000')" ]
	# not for the container's other processes
	[ "$(status_field "$PID" CapBnd)" = 0000000020000420 ]
	run oci_rt exec --cap CAP_NOPE "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *'unknown capability \"CAP_NOPE\"'* ]]
}

@test "exec --preserve-fds N passes fds 3 to 3+N-1 and nothing else" {
	start_container
	echo first >"$T/a"
	echo second >"$T/b"
	run bash -c 'exec 3<"$1" 4<"$2" 5<"$1" 7</; "${@:3}"' _ "$T/a" "$T/b" \
		"$OCI_RT" --root "$ROOT" exec --preserve-fds 2 "$ID" sh -c 'cat <&3; cat <&4; cd /proc/self/fd && echo *'
	echo "$output"
	[ "$status" -eq 0 ]
	# (5: the directory the shell reads)
	[ "$output" = "$(printf 'first\nsecond\n0 1 2 3 4 5')" ]
}

@test "the exec'd process holds only stdio: no fd of the runtime, its cwd inside the rootfs (CVE-2024-21626)" {
	start_container
	# the runtime has directories, a log file and other fds open
	bash -c 'exec 5</ 6<"$1" 7>"$1/w" 3>&- 4>&-; "$2" --root "$3" --log "$1/log" exec -d --pid-file "$1/epid" "$4" sleep 100 </dev/null >/dev/null 2>&1' \
		_ "$T" "$OCI_RT" "$ROOT" "$ID"
	epid=$(cat "$T/epid")
	ls -l "/proc/$epid/fd"
	[ "$(ls "/proc/$epid/fd" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	[ "$(stat -L -c %d:%i "/proc/$epid/cwd")" = "$(stat -c %d:%i "$BUNDLE/rootfs")" ]
	[ "$(stat -L -c %d:%i "/proc/$epid/root")" = "$(stat -c %d:%i "$BUNDLE/rootfs")" ]
	# attached, from inside
	run bash -c 'exec 5</ 6</tmp; "$@"' _ "$OCI_RT" --root "$ROOT" exec "$ID" sh -c 'cd /proc/self/fd && echo *'
	[ "$status" -eq 0 ]
	# (3: the directory the shell reads)
	[ "$output" = "0 1 2 3" ]
}

@test "exec --cgroup runs the process in a sub-cgroup of the container's" {
	start_container
	for d in $(init_cgroup_dirs); do
		mkdir "$d/sub"
		SUB_DIRS="${SUB_DIRS:-} $d/sub"
		# a v1 cpuset starts empty and takes no task
		case $d in /sys/fs/cgroup/cpuset/*)
			cat "$d/cpuset.cpus" >"$d/sub/cpuset.cpus"
			cat "$d/cpuset.mems" >"$d/sub/cpuset.mems" ;;
		esac
	done
	exec_bg --cgroup sub "$ID" sleep 100
	for d in $(init_cgroup_dirs); do
		grep -qx "$EPID" "$d/sub/cgroup.procs"
	done
	# one controller only: the others stay in the container's own
	oci_rt_bg exec -d --pid-file "$T/p2" --cgroup pids:sub "$ID" sleep 100
	p2=$(cat "$T/p2")
	for d in $(init_cgroup_dirs); do
		case $d in
		/sys/fs/cgroup/pids/*) grep -qx "$p2" "$d/sub/cgroup.procs" ;;
		*) grep -qx "$p2" "$d/cgroup.procs" ;;
		esac
	done

	run oci_rt exec --cgroup nosuch "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: "*"nosuch"*"no such file or directory"* ]]
	run oci_rt exec --cgroup ../.. "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *'exec failed: invalid --cgroup argument: ../.. (\"..\" is not allowed)'* ]]
	run oci_rt exec --cgroup a --cgroup b "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: invalid --cgroup argument: a (missing <controller>: prefix)"* ]]
	run oci_rt exec --cgroup :sub "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: invalid --cgroup argument: :sub (empty <controller> prefix)"* ]]
	run oci_rt exec --cgroup pids:sub --cgroup memory,pids:sub "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: invalid --cgroup argument(s): controller pids specified multiple times"* ]]
	run oci_rt exec --cgroup blkio,blkio:sub "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: invalid --cgroup argument(s): controller blkio specified multiple times"* ]]
	run oci_rt exec --cgroup nosuchctl:sub "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: invalid --cgroup argument: nosuchctl:sub (no nosuchctl controller on this host)"* ]]
	# only the two detached sleeps and the init, the first in a sub-cgroup
	[ "$(oci_rt ps --format json "$ID" | jq -c sort)" = "$(echo "[$PID,$EPID,$p2]" | jq -c sort)" ]
}

@test "exec --process-label and --apparmor: no LSM here, a clear error" {
	start_container
	run oci_rt exec --process-label system_u:system_r:container_t:s0 "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: selinux label is specified in config, but selinux is disabled or not supported"* ]]
	run oci_rt exec --apparmor unconfined "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: apparmor profile specified but AppArmor is not enabled on this system"* ]]
}

@test "exec -t from a terminal: prompt, a command, a resize, the exit status, the caller's tty restored" {
	start_container
	tmux_start "stty -g >$T/before
		$OCI_RT --root $ROOT exec -t -e PS1=ex# $ID sh
		echo \"exit status \$?\"
		stty -g >$T/after"
	check_interactive '^ex#$' '^exit status 4$' 4
	wait_for 5 test -s "$T/after"
	[ "$(cat "$T/before")" = "$(cat "$T/after")" ]
	[ "$(status_of "$ID")" = running ]
}

@test "exec -t -d --console-socket: the master goes to the socket, the process runs detached" {
	start_container
	start_recvtty
	oci_rt_bg exec -t -d --console-socket "$SOCK" --pid-file "$T/epid" "$ID" sh -c 'tty; echo via the socket'
	wait_for 5 test -s "$TTY_INFO"
	[ "$(cat "$TTY_INFO")" = "name=/dev/ptmx fds=1 cmsgs=1 tty=1 pts=0" ]
	wait_for 5 pid_gone "$RECVTTY_PID"
	[ "$(tr -d '\r' <"$TTY_OUT")" = "$(printf '/dev/pts/0\nvia the socket')" ]
	[ -s "$T/epid" ]
}

@test "runc's errors for exec -t -d without a socket and a socket without -t -d" {
	start_container
	run oci_rt exec -t -d "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: cannot allocate tty if oci-rt will detach without setting console socket"* ]]
	run oci_rt exec --console-socket "$T/sock" "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: cannot use console socket if oci-rt will not detach or allocate tty"* ]]
	run oci_rt exec -t --console-socket "$T/sock" "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: cannot use console socket if oci-rt will not detach or allocate tty"* ]]
}

# ---- exit codes, pid file, detaching ----

@test "exec exit codes: the process's status attached, 128+signal, 255 when the runtime fails, 0 detached" {
	start_container
	run oci_rt exec "$ID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run oci_rt exec "$ID" sh -c 'kill -9 $$'
	[ "$status" -eq 137 ]
	run oci_rt exec "$ID" nonexistent
	[ "$status" -eq 255 ]
	[[ "$output" == *'exec failed: exec: \"nonexistent\": executable file not found in $PATH'* ]]
	run oci_rt exec "$ID"
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: process args cannot be empty"* ]]
	run oci_rt_bg exec -d "$ID" sh -c 'exit 9'
	[ "$status" -eq 0 ]
	# stdio passes through
	run oci_rt exec "$ID" sh -c 'read x; echo "got $x"; echo err >&2' <<<"input"
	[ "$output" = "$(printf 'got input\nerr')" ]
}

@test "exec -d --pid-file: written once the process runs, atomically, no newline; never on failure" {
	start_container
	# CRI-O hands over an existing empty file
	: >"$T/epid"
	exec_bg "$ID" sleep 100
	[ "$(wc -c <"$T/epid")" -eq "${#EPID}" ]
	[ "$(status_field "$EPID" Name)" = sleep ]
	[ "$(cat "/proc/$EPID/cmdline" | tr '\0' ' ')" = "sleep 100 " ]
	grep -qx "$EPID" "$(cgroup_dir_of pids "$ID")/cgroup.procs"
	# no pid file for a process that never ran
	run oci_rt_bg exec -d --pid-file "$T/none" "$ID" nonexistent
	[ "$status" -eq 255 ]
	[ ! -e "$T/none" ]
	ls -A "$T" | grep -v '^\.' >/dev/null
	[ -z "$(ls -A "$T" | grep '^\.')" ]
	# attached: written too, before the wait
	run oci_rt exec --pid-file "$T/att" "$ID" sh -c 'cat /proc/self/stat | cut -d" " -f4'
	[ "$status" -eq 0 ]
	[ -s "$T/att" ]
}

@test "a detached exec's process is reparented to the caller's subreaper, which reaps its status" {
	start_container
	run "$TOOLS/subreaper" "$OCI_RT" --root "$ROOT" exec -d --pid-file "$T/epid" "$ID" sh -c 'sleep 0.5; exit 5' </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	epid=$(cat "$T/epid")
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *" exited 0" ]]
	[ "${lines[1]}" = "$epid exited 5" ]
}

@test "an attached exec is the runtime's own child and gets the runtime's signals" {
	start_container
	oci_rt exec "$ID" sh -c 'trap "echo got TERM > /shared/term; exit 3" TERM; echo $PPID > /shared/ppid; while :; do sleep 0.1; done' \
		</dev/null >"$T/out" 2>&1 &
	wait_for 5 test -s "$SHARED/ppid"
	rt=$(pgrep -f "^$OCI_RT --root $ROOT exec $ID ")
	# the process's parent is the runtime, seen from the container as 0
	[ "$(cat "$SHARED/ppid")" = 0 ]
	kill -TERM "$rt"
	wait_for 5 test -s "$SHARED/term"
	wait "$!" || rc=$?
	[ "${rc:-0}" -eq 3 ]
}

# ---- container states ----

@test "exec into a created container runs beside its waiting init" {
	update_config '.process.args = ["sleep", "1000"]'
	oci_rt_bg create "$ID"
	# pid 1 is still the runtime's clone, blocked before its execve
	run oci_rt exec "$ID" sh -c 'echo $$; grep ^Name: /proc/1/status'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -gt 1 ]
	[ "${lines[1]}" = "$(printf 'Name:\toci-rt')" ]
	[ "$(status_of "$ID")" = created ]
	oci_rt start "$ID"
	run oci_rt exec "$ID" grep ^Name: /proc/1/status
	[ "$output" = "$(printf 'Name:\tsleep')" ]
}

@test "exec into a stopped or missing container fails with runc's messages, exit 255" {
	update_config '.process.args = ["true"]'
	oci_rt_bg run -d "$ID"
	wait_status "$ID" stopped
	run oci_rt exec "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: cannot exec in a stopped container"* ]]
	oci_rt delete "$ID"
	run oci_rt exec "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: container does not exist"* ]]
	assert_no_leftovers "$ID"
}

@test "exec into a paused container fails; --ignore-paused waits for it to resume" {
	start_container
	oci_rt pause "$ID"
	[ "$(status_of "$ID")" = paused ]
	run oci_rt exec "$ID" true
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec failed: cannot exec in a paused container (use --ignore-paused to override)"* ]]
	# the exec'd process is frozen with the container until it thaws
	(timeout 20 "$OCI_RT" --root "$ROOT" exec --ignore-paused "$ID" sh -c 'echo ran >/shared/ran' </dev/null >"$T/ip.out" 2>&1; echo $? >"$T/ip.rc") 3>&- 4>&- &
	sleep 1
	[ ! -e "$SHARED/ran" ] && [ ! -e "$T/ip.rc" ]
	oci_rt resume "$ID"
	wait_for 10 test -s "$T/ip.rc"
	cat "$T/ip.out"
	[ "$(cat "$T/ip.rc")" -eq 0 ]
	[ "$(cat "$SHARED/ran")" = ran ]
}
