# Shared setup for the bats suites: every test gets its own bundle (a
# hard-linked copy of the busybox rootfs and a fresh config.json), its own
# --root, unique container ids, and a teardown that deletes its containers
# and checks nothing was left behind.

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
OCI_RT=${OCI_RT:-$TOP/build/oci-rt}
# The C test tools, built by meson next to the runtime (spec-tests/tools).
TOOLS=$(dirname "$OCI_RT")/spec-tests/tools
BUSYBOX_ROOTFS=$TOP/bundles/busybox/rootfs

# A short unique prefix for container ids (cgroups are host-wide).
ID_PREFIX="ort$$t${BATS_TEST_NUMBER:-0}"

# oci_rt ARGS...: the runtime with this test's state root.
oci_rt() {
	"$OCI_RT" --root "$ROOT" "$@"
}

# oci_rt_bg ARGS...: like oci_rt, for commands whose container outlives them
# (create, run -d): the container inherits the runtime's stdio, so it gets
# files instead of bats' pipes (which `run` would wait on).  The runtime's
# own output is printed afterwards; the container's goes to $BATS_TEST_TMPDIR/ctr.out.
oci_rt_bg() {
	local out=$BATS_TEST_TMPDIR/rt.out
	"$OCI_RT" --root "$ROOT" "$@" </dev/null >"$out" 2>&1 3>&- 4>&-
	local rc=$?
	cat "$out"
	: >"$out"
	return $rc
}

# mount_root PATH: PATH as /proc/self/mountinfo's root field shows a bind of
# it: relative to the root of its filesystem (with /tmp on a tmpfs,
# /tmp/x/y is shown as /x/y).
mount_root() {
	local p mp root rel
	p=$(realpath "$1")
	mp=$(stat -c %m "$p")
	root=$(awk -v m="$mp" '$5 == m {r = $4} END {print r}' /proc/self/mountinfo)
	if [ "$mp" = / ]; then rel=$p; else rel=${p#"$mp"}; fi
	[ "$root" = / ] && root=
	echo "${root}${rel:-/}"
}

# copy_rootfs FROM TO: hard links when FROM and TO share a filesystem (fast),
# a real copy otherwise (e.g. /tmp on tmpfs).
copy_rootfs() {
	cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2" && cp -a "$1" "$2"; }
}

setup_bundle() {
	[ -x "$BUSYBOX_ROOTFS/bin/busybox" ] || "$TOP/bundles/make-busybox.sh" "$BUSYBOX_ROOTFS"
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	ROOT=$BATS_TEST_TMPDIR/state
	mkdir -p "$BUNDLE"
	copy_rootfs "$BUSYBOX_ROOTFS" "$BUNDLE/rootfs"
	cp "$TOP/bundles/busybox/config.json" "$BUNDLE/config.json"
	# a quiet default process; tests set their own
	update_config '.process.args = ["true"]'
	cd "$BUNDLE" || return 1
}

# update_config JQ_EXPR [ARGS...]: edit the bundle's config.json in place.
update_config() {
	local expr=$1
	shift
	jq "$@" "$expr" "$BUNDLE/config.json" > "$BUNDLE/config.json.new" &&
		mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# A cgroup directory of the container in a v1 controller or "unified"
# (on a cgroup2 host, the container's one directory whatever the controller):
# where its state says the runtime put it, else below this shell's own
# cgroup in that hierarchy (where a relative cgroupsPath goes).
cgroup_dir_of() {
	local ctrl=$1 id=$2
	local own key dir
	key=$ctrl
	[ "$ctrl" = unified ] && key=
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		key=
	fi
	if [ -f "$ROOT/$id/state.json" ]; then
		dir=$(jq -r --arg k "$key" '.cgroupDirs // {} | to_entries[] | select(.key == $k or (.key | split(",") | index($k))) | .value' "$ROOT/$id/state.json" | head -1)
		[ -n "$dir" ] && { echo "$dir"; return; }
	fi
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		own=$(awk -F: '$1 == "0" {print $3; exit}' /proc/self/cgroup)
		echo "/sys/fs/cgroup${own%/}/$id"
		return
	fi
	own=$(awk -F: -v c="$ctrl" '($2 == c) || (c == "unified" && $2 == "") {print $3; exit}' /proc/self/cgroup)
	echo "/sys/fs/cgroup/$ctrl${own%/}/$id"
}

# assert_no_leftovers ID: no state dir, cgroup, process or mount remains.
# A cgroup named ID is looked for anywhere near the top of every hierarchy:
# the runtime's base differs between hierarchies (memory is delegated
# deeper on our hosts), and the state that recorded it is gone.
assert_no_leftovers() {
	local id=$1 d left
	[ ! -e "$ROOT/$id" ] || { echo "state dir $ROOT/$id left behind"; return 1; }
	local dirs=(/sys/fs/cgroup/*/)
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] && dirs=(/sys/fs/cgroup)
	for d in "${dirs[@]}"; do
		case "$(stat -f -c %T "$d" 2>/dev/null)" in cgroupfs | cgroup2fs) ;; *) continue ;; esac
		left=$(find "$d" -mindepth 1 -maxdepth 6 -type d -name "$id" 2>/dev/null | head -1)
		if [ -n "$left" ]; then
			echo "cgroup $left left behind"
			return 1
		fi
	done
	if grep -q " $BUNDLE/rootfs" /proc/self/mountinfo; then
		echo "mounts under $BUNDLE/rootfs left behind"
		return 1
	fi
	if pgrep -f "oci-rt .*$id" >/dev/null; then
		echo "processes of $id left behind: $(pgrep -af "oci-rt .*$id")"
		return 1
	fi
	return 0
}

# The waits below poll, so a longer limit costs a passing test nothing: each
# limit, written for an idle machine, is stretched WAIT_SCALE times (3) for
# a loaded CI host, where a 5 s wait once ran out.
WAIT_SCALE=${WAIT_SCALE:-3}

# wait_for TIMEOUT_SECONDS CMD...: poll until CMD succeeds (bounded).
wait_for() {
	local limit=$(($1 * WAIT_SCALE)) i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# The CPUs this shell may run on, one per line ("0-1,4" → 0 1 4).
cpus_allowed() {
	local r
	for r in $(awk '/^Cpus_allowed_list:/ { gsub(",", " ", $2); print $2 }' /proc/self/status); do
		seq "${r%-*}" "${r#*-}"
	done
}

# bind_new_mount_ns FILE CMD...: run CMD (which must end by exec'ing sleep)
# under `unshare --mount` in the background, as $MNTNS_HOLDER, and once it
# sleeps bind its mount namespace onto FILE (on a private mount).
# This kernel (6.18) numbers namespaces from per-CPU batches, and refuses
# (EINVAL) to bind a mount namespace numbered below the caller's own, as a
# possible loop: a holder started on the wrong CPU can never be bound (seen
# here: every holder made on CPU 0 refused, every one on CPU 1 bound; that
# was the EINVAL "now and then" in CI).  So each CPU is tried in turn.
bind_new_mount_ns() {
	local file=$1 cpu
	shift
	for cpu in $(cpus_allowed); do
		taskset -c "$cpu" unshare --mount "$@" </dev/null >/dev/null 2>&1 3>&- 4>&- &
		MNTNS_HOLDER=$!
		disown "$MNTNS_HOLDER"
		if wait_for 10 holder_sleeps "$MNTNS_HOLDER" &&
			mount --bind "/proc/$MNTNS_HOLDER/ns/mnt" "$file" 2>/dev/null; then
			return 0
		fi
		kill -9 "$MNTNS_HOLDER" 2>/dev/null
	done
	echo "bind_new_mount_ns: no CPU gave a mount namespace that binds onto $file" >&2
	return 1
}
holder_sleeps() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ]
}

# status_of ID: the container's status from `state`.
status_of() {
	oci_rt state "$1" | jq -r .status
}

# wait_status ID STATUS [SECONDS]: until `state` reports STATUS.
wait_status() {
	local id=$1 want=$2 limit=$((${3:-5} * WAIT_SCALE)) i
	for ((i = 0; i < limit * 10; i++)); do
		[ "$("$OCI_RT" --root "$ROOT" state "$id" 2>/dev/null | jq -r .status)" = "$want" ] && return 0
		sleep 0.1
	done
	echo "container $id did not reach status $want"
	return 1
}

teardown_containers() {
	local id
	[ -d "${ROOT:-/nonexistent}" ] || return 0
	for id in $(ls "$ROOT" 2>/dev/null); do
		"$OCI_RT" --root "$ROOT" delete -f "$id" >/dev/null 2>&1
	done
}

teardown() {
	teardown_containers
}

# ---- lifecycle / CLI helpers (state, kill, delete, pidfile, errors, cli) ----

# init_pid ID: the host pid `state` reports.
init_pid() {
	"$OCI_RT" --root "$ROOT" state "$1" | jq -r .pid
}

# pid_gone PID: the process no longer exists (or is a zombie nobody reaped yet).
pid_gone() {
	[ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status" 2>/dev/null
}

# assert_pid_gone PID [SECONDS]: bounded wait until PID has exited.
assert_pid_gone() {
	wait_for "${2:-5}" pid_gone "$1" || { echo "process $1 still alive"; return 1; }
}

# bind_shared_dir: bind-mount a fresh host directory $SHARED at /shared in
# the container (read-write), so the container can report what it sees.
bind_shared_dir() {
	SHARED=$BATS_TEST_TMPDIR/shared
	mkdir -p "$SHARED"
	update_config '.mounts += [{"destination": "/shared", "type": "bind", "source": $src, "options": ["rbind", "rw"]}]' \
		--arg src "$SHARED"
}

# rt_json ARGS...: run the runtime with --log-format json, its stdio on
# files (a create that wrongly succeeds must not hold bats' pipes); sets
# RT_RC, RT_OUT (stdout), RT_ERR (stderr) and RT_MSG (the last error's msg).
rt_json() {
	local out=$BATS_TEST_TMPDIR/rt_json.out err=$BATS_TEST_TMPDIR/rt_json.err
	RT_RC=0
	"$OCI_RT" --root "$ROOT" --log-format json "$@" </dev/null >"$out" 2>"$err" 3>&- 4>&- || RT_RC=$?
	RT_OUT=$(cat "$out")
	RT_ERR=$(cat "$err")
	RT_MSG=$(jq -r 'select(.level == "error") | .msg' "$err" 2>/dev/null | tail -n 1)
}

# count_is N CMD...: CMD prints the number N (for wait_for, which re-runs it).
count_is() {
	local n=$1
	shift
	[ "$("$@")" -eq "$n" ]
}

# line_count FILE: the number of lines in FILE.
line_count() {
	wc -l <"$1"
}

# ---- shared by several suites ----

# cap_mask NAME...: the hex mask /proc/<pid>/status shows for these
# capabilities (their numbers are their places in this list).
cap_mask() {
	local all="CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
		LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
		SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
		SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
		MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
		CHECKPOINT_RESTORE"
	local m=0 c x n
	for c in "$@"; do
		n=0
		for x in $all; do
			[ "CAP_$x" = "$c" ] && break
			n=$((n + 1))
		done
		[ "CAP_$x" = "$c" ] || { echo "unknown capability $c" >&2; return 1; }
		m=$((m | 1 << n))
	done
	printf '%016x\n' "$m"
}

# host_mounts: the host's mount points an escape would show up at: below
# this run's directories, and the system's own top-level ones (other
# suites on this machine mount elsewhere at the same time).
host_mounts() {
	awk -v own="$BATS_RUN_TMPDIR" '
		index($5, own) == 1 || $5 ~ "^/(proc|sys|dev|dev/pts|dev/shm|dev/mqueue|tmp|run|mnt)?$" ||
		$5 ~ "^/sys/fs/cgroup(/[^/]*)?$" {print $5}' /proc/self/mountinfo | sort
}

# assert_host_mounts_unchanged SNAPSHOT: the host shows no new mount.
assert_host_mounts_unchanged() {
	local now
	now=$(host_mounts)
	if [ "$now" != "$1" ]; then
		echo "host mount table changed:"
		diff <(echo "$1") <(echo "$now") || true
		return 1
	fi
}
