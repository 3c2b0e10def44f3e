# Shared by the client suites (docker, podman, containerd): package
# installation, the cgroup-feature gate, daemon teardown.

# ensure_packages PKG...: install the Debian packages that are missing
# (bundles/setup.sh installs them all; this is for a suite run alone).
ensure_packages() {
	"$TOP/bundles/apt-install.sh" "$@" >/dev/null 2>&1
}

# host_cgroup_version: 2 on a pure cgroup v2 host, 1 on a legacy or hybrid one.
host_cgroup_version() {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then echo 2; else echo 1; fi
}

# require_cgroup_support: skip (with the reason) unless the runtime's
# `features` says it drives this host's cgroup version: limits, pause and
# stats are cgroup features, and a runtime that declares no cgroup support
# cannot be expected to honour them.
require_cgroup_support() {
	local v
	v=$(host_cgroup_version)
	if ! "$OCI_RT" features | jq -e --arg v "v$v" '.linux.cgroup[$v] == true' >/dev/null; then
		skip "oci-rt features: linux.cgroup.v$v is not true (no cgroup v$v support in this build)"
	fi
}

# kill_procs_matching REGEX: SIGKILL the processes whose command line
# matches REGEX (a path unique to this suite), bounded wait until gone.
kill_procs_matching() {
	local p
	for p in $(pgrep -f "$1"); do
		kill -KILL "$p" 2>/dev/null || true
	done
	wait_for 10 no_procs_matching "$1" || true
}

no_procs_matching() {
	! pgrep -f "$1" >/dev/null
}

# umount_below DIR: every mount at or below DIR, deepest first.
umount_below() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# rmdir_cgroups NAME: remove the cgroup NAME (and its children, deepest
# first) in every hierarchy, for a cgroup parent a daemon made for us.
rmdir_cgroups() {
	local d
	for d in /sys/fs/cgroup/*/"$1" /sys/fs/cgroup/"$1"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	done
}

# start_containerd DIR [WRAPPER...]: a private containerd (no CRI) with
# everything in DIR: root ctd-root, state ctd-state, sockets ctd.sock and
# ctd.ttrpc.sock, log ctd.log, pid ctd.pid (of WRAPPER if given, which
# execs containerd in the end); waits for its socket.
start_containerd() {
	local d=$1
	shift
	cat >"$d/ctd.toml" <<-EOF
		version = 2
		root = "$d/ctd-root"
		state = "$d/ctd-state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$d/ctd.sock"
		[ttrpc]
		  address = "$d/ctd.ttrpc.sock"
	EOF
	"$@" containerd --config "$d/ctd.toml" </dev/null >"$d/ctd.log" 2>&1 3>&- 4>&- &
	echo $! >"$d/ctd.pid"
	wait_for 10 test -S "$d/ctd.sock"
}

# stop_containerd DIR: containerd and the shims it started, bounded.
stop_containerd() {
	local d=$1
	[ -f "$d/ctd.pid" ] && kill "$(cat "$d/ctd.pid")" 2>/dev/null
	[ -f "$d/ctd.pid" ] && wait_for 10 pid_gone "$(cat "$d/ctd.pid")"
	kill_procs_matching "containerd --config $d/"
	kill_procs_matching "containerd-shim.* -address $d/"
}

# assert_no_capabilities: $output (grep ^Cap /proc/self/status) shows every
# capability set empty.
assert_no_capabilities() {
	local set
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		grep -qx "$set:[[:space:]]*0000000000000000" <<<"$output" || { echo "$set not empty"; return 1; }
	done
}

# assert_read_only_root WRITABLE: $lines are what the read-only probe
# prints: touch's EROFS, the root's mount options, WRITABLE.
assert_read_only_root() {
	[ "${lines[0]}" = "touch: /x: Read-only file system" ] || { echo "touch /x: ${lines[0]}"; return 1; }
	[[ "${lines[1]}" == ro,* ]] || { echo "root mount options: ${lines[1]}"; return 1; }
	[ "${lines[2]}" = "$1" ]
}

# the probe for assert_read_only_root, writing to DIR
read_only_probe() {
	echo "touch /x 2>&1; awk '\$5 == \"/\" {print \$6}' /proc/self/mountinfo; touch $1/ok && echo $1-writable"
}

# unmounted_v1_hierarchies PID: the v1 hierarchies of PID's cgroups that
# no cgroup mount of ours shows (by their first controller or name=).
unmounted_v1_hierarchies() {
	local c
	awk -F: '$1 != 0 {print $2}' "/proc/$1/cgroup" | while IFS= read -r c; do
		awk -v f="${c%%,*}" '/ - cgroup / {n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == f) found = 1}
			END {exit !found}' /proc/self/mountinfo || echo "$c"
	done
}

# mounted_cgroups_of PID: "controllers:path" of PID in every v1 hierarchy
# a cgroup mount of ours shows, and ":path" in cgroup2, sorted, from one
# read of /proc/PID/cgroup.  Hierarchy ids are dropped and hierarchies
# nobody mounted here skipped: other suites make and drop net_cls and
# net_prio hierarchies, which adds, renames or renumbers lines of every
# process's /proc/PID/cgroup from one read to the next.
mounted_cgroups_of() {
	local mounted
	mounted=$(awk '/ - cgroup / {print $NF}' /proc/self/mountinfo | tr ',' '\n' | sort -u | tr '\n' ' ')
	awk -F: -v m=" $mounted" '$1 == 0 {print ":" $3; next}
		{split($2, c, ","); if (index(m, " " c[1] " ")) print $2 ":" $3}' "/proc/$1/cgroup" | sort
}

# assert_same_cgroups PID1 PID2: both in the same cgroup of every mounted
# hierarchy.
assert_same_cgroups() {
	local a b
	a=$(mounted_cgroups_of "$1")
	b=$(mounted_cgroups_of "$2")
	[ -n "$a" ] || { echo "no mounted cgroup hierarchy for $1"; return 1; }
	[ "$a" = "$b" ] || { echo "cgroups differ:"; diff <(echo "$a") <(echo "$b"); return 1; }
}
