# Helpers of the cgroup suites: where a container's cgroup files are on the
# host for each layout (legacy v1, hybrid, unified), and how the container
# sees them.  The suites run in three lanes (spec-tests/run.sh): on the
# host (hybrid), through spec-tests/cgroup-v1ns (legacy, CG_LAYOUT=legacy)
# and in the qemu VM (unified).

# cg_layout: legacy, hybrid or unified, as the runtime sees it.
cg_layout() {
	if [ -n "${CG_LAYOUT:-}" ]; then
		echo "$CG_LAYOUT"
		return
	fi
	case "$(stat -f -c %T /sys/fs/cgroup)" in
	cgroup2fs) echo unified ;;
	*) if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then echo hybrid; else echo legacy; fi ;;
	esac
}

# in_v1ns: the runtime runs in spec-tests/cgroup-v1ns's namespaces.
in_v1ns() {
	[ -n "${OCI_RT_V1NS_RUNTIME:-}" ]
}

# cg_hier CTRL: the /proc/self/cgroup line of the v1 hierarchy holding CTRL.
cg_hier() {
	if in_v1ns; then
		OCI_RT_V1NS_EXEC=1 "$OCI_RT" cat /proc/self/cgroup
	else
		cat /proc/self/cgroup
	fi | awk -F: -v c="$1" '$2 != "" {n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) {print; exit}}'
}

# cg_v1 CTRL: CTRL is a v1 controller the runtime can use: a hierarchy
# has it and is mounted (an unmounted hierarchy may linger in the kernel).
cg_v1() {
	[ "$(cg_layout)" != unified ] && [ -n "$(cg_hier "$1")" ] &&
		if in_v1ns; then
			OCI_RT_V1NS_EXEC=1 "$OCI_RT" cat /proc/self/mountinfo
		else
			cat /proc/self/mountinfo
		fi | awk -v c="$1" '$0 ~ / - cgroup cgroup / {n = split($NF, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) f = 1} END {exit !f}'
}

# cg_missing CTRL ID: the container's cgroup directory for CTRL is gone
# (a function, so that set -e catches it: bats ignores "! cmd").
cg_missing() {
	! cg_exists "$@"
}

# cg_v2 CTRL: CTRL is honoured through cgroup2 (unified host, or a hybrid
# host's cgroup2 holding a controller no v1 hierarchy has).
cg_v2() {
	! cg_v1 "$1" && [ "$(cg_layout)" != legacy ] && grep -qw "$1" "$(cg_v2_root)/cgroup.controllers"
}

cg_v2_root() {
	if [ "$(cg_layout)" = unified ]; then echo /sys/fs/cgroup; else echo /sys/fs/cgroup/unified; fi
}

# cg_dir CTRL ID: the host directory of the container's cgroup that holds
# CTRL's files: its v1 hierarchy's, else its cgroup2 one.
cg_dir() {
	local ctrl=$1 id=$2 line ctrls own
	if cg_v1 "$ctrl"; then
		line=$(cg_hier "$ctrl")
		ctrls=$(cut -d: -f2 <<<"$line")
		own=$(cut -d: -f3- <<<"$line")
		[ "$ctrls" = name=systemd ] && ctrls=systemd
		echo "/sys/fs/cgroup/$ctrls${own%/}/$id"
	else
		own=$(awk -F: '$1 == "0" {print $3; exit}' /proc/self/cgroup)
		echo "$(cg_v2_root)${own%/}/$id"
	fi
}

# cg_read CTRL FILE ID: a file of the container's cgroup, read where the
# runtime sees it (net_cls lives only in cgroup-v1ns's namespaces).
cg_read() {
	if in_v1ns; then
		OCI_RT_V1NS_EXEC=1 "$OCI_RT" cat "$(cg_dir "$1" "$3")/$2"
	else
		cat "$(cg_dir "$1" "$3")/$2"
	fi
}

# cg_exists CTRL ID: the container's cgroup directory for CTRL exists.
cg_exists() {
	if in_v1ns; then
		OCI_RT_V1NS_EXEC=1 "$OCI_RT" test -d "$(cg_dir "$1" "$2")"
	else
		[ -d "$(cg_dir "$1" "$2")" ]
	fi
}

# cg_inside CTRL FILE: the path of FILE as the container sees it through
# its "cgroup" mount at /sys/fs/cgroup.
cg_inside() {
	local ctrl=$1 file=$2 ctrls
	if cg_v1 "$ctrl"; then
		ctrls=$(cg_hier "$ctrl" | cut -d: -f2)
		echo "/sys/fs/cgroup/$ctrls/$file"
	elif [ "$(cg_layout)" = unified ]; then
		echo "/sys/fs/cgroup/$file"
	else
		echo "/sys/fs/cgroup/unified/$file"
	fi
}

# skip_unless_v1 CTRL / skip_unless_v2 CTRL / skip_unless_layout L...
skip_unless_v1() {
	cg_v1 "$1" || skip "no v1 $1 controller in the $(cg_layout) layout"
}
skip_unless_v2() {
	cg_v2 "$1" || skip "$1 is not a cgroup2 controller in the $(cg_layout) layout"
}
skip_unless_layout() {
	local l=$(cg_layout) want
	for want in "$@"; do
		[ "$l" = "$want" ] && return 0
	done
	skip "only in the $* layout (this is $l)"
}

# run_in_container SCRIPT: run the container (foreground) with sh -c SCRIPT;
# sets status/output like bats' run.
run_in_container() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
	run timeout 60 "$OCI_RT" --root "$ROOT" run "$ID"
}

# start_container SCRIPT: create and start a container running SCRIPT.
start_container() {
	update_config '.process.args = ["sh", "-c", $s]' --arg s "$1"
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
}

# cg_assert_gone ID: no directory of the container's cgroup is left.
cg_assert_gone() {
	local c
	for c in memory pids cpu cpuset devices freezer blkio; do
		if cg_exists "$c" "$1" 2>/dev/null; then
			echo "cgroup $(cg_dir "$c" "$1") left behind"
			return 1
		fi
	done
	if [ "$(cg_layout)" != legacy ] && [ -d "$(cg_dir __v2__ "$1")" ]; then
		echo "cgroup $(cg_dir __v2__ "$1") left behind"
		return 1
	fi
}

# cg_rmdir_all NAME: remove the (empty) cgroup NAME, relative to the
# runtime's own cgroups, from every hierarchy (test cleanup).
cg_rmdir_all() {
	local c
	for c in memory pids cpu cpuacct cpuset devices freezer blkio net_cls name=systemd __v2__; do
		if cg_v1 "$c" || { [ "$c" = __v2__ ] && [ "$(cg_layout)" != legacy ]; }; then
			if in_v1ns; then
				OCI_RT_V1NS_EXEC=1 "$OCI_RT" rmdir "$(cg_dir "$c" "$1")" 2>/dev/null || true
			else
				rmdir "$(cg_dir "$c" "$1")" 2>/dev/null || true
			fi
		fi
	done
}
