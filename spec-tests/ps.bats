#!/usr/bin/env bats
# ps: the container's processes, as host pids (--format json: a JSON array
# and a newline) or as the host's `ps` output (--format table, the default:
# its header and the rows whose PID is the container's), from the
# container's cgroup (sub-cgroups included) or, when it has none of its
# own, its pid namespace; kill --all and exec follow the same processes.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}ps
	T=$BATS_TEST_TMPDIR
	bind_shared_dir
}

teardown() {
	teardown_containers
	local d
	for d in ${PRE_DIRS:-}; do
		wait_for 5 rmdir "$d" 2>/dev/null || true
	done
	return 0
}

# A container with two processes (the init and a child of it) and a third,
# exec'd one: $PID, $CHILD, $EPID.
three_processes() {
	update_config '.process.args = ["sh", "-c", "sleep 1000 & echo $! > /shared/child; wait"]'
	oci_rt_bg run -d "$ID"
	PID=$(init_pid "$ID")
	wait_for 5 test -s "$SHARED/child"
	CHILD=$(pgrep -P "$PID" sleep)
	oci_rt_bg exec -d --pid-file "$T/epid" "$ID" sleep 999
	EPID=$(cat "$T/epid")
	EXPECTED=$(printf '%s\n' "$PID" "$CHILD" "$EPID" | sort -n | tr '\n' ' ')
}

@test "ps --format json: every host pid of the container, a JSON array and a newline" {
	three_processes
	oci_rt ps --format json "$ID" >"$T/out"
	# one line, newline-terminated, as Go's json.Encoder writes it
	[ "$(wc -l <"$T/out")" -eq 1 ]
	grep -qxE '\[[0-9]+(,[0-9]+)*\]' "$T/out"
	[ "$(jq -r '.[]' "$T/out" | sort -n | tr '\n' ' ')" = "$EXPECTED" ]
	# from the host: the same as the container's cgroup lists
	[ "$(sort -n "$(cgroup_dir_of pids "$ID")/cgroup.procs" | tr '\n' ' ')" = "$EXPECTED" ]
	run oci_rt ps -f json "$ID"
	[ "$(echo "$output" | jq -r '.[]' | sort -n | tr '\n' ' ')" = "$EXPECTED" ]
}

@test "ps --format table: the host's ps -ef header and the container's rows only" {
	three_processes
	run oci_rt ps "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(ps -ef | head -n 1)" ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(printf '%s\n' "${lines[@]:1}" | awk '{print $2}' | sort -n | tr '\n' ' ')" = "$EXPECTED" ]
	# each row is ps's own line for that pid
	for l in "${lines[@]:1}"; do
		p=$(echo "$l" | awk '{print $2}')
		[ "$(echo "$l" | awk '{$5 = $7 = ""; print}')" = "$(ps -ef | awk -v p="$p" '$2 == p {$5 = $7 = ""; print}')" ]
	done
}

@test "ps passes the arguments after the id to ps" {
	three_processes
	run oci_rt ps "$ID" -o pid,comm
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -s ' ')" = " PID COMMAND" ]
	[ "$(printf '%s\n' "${lines[@]:1}" | awk '{print $1, $2}' | sort -n)" = "$(printf '%s sh\n%s sleep\n%s sleep\n' "$PID" "$CHILD" "$EPID" | sort -n)" ]
	# no PID column to match on: runc's error
	run oci_rt ps "$ID" -o comm
	[ "$status" -eq 1 ]
	[[ "$output" == *"couldn't find PID field in ps output"* ]]
	# ps's own failure is reported with its output
	run oci_rt ps "$ID" --no-such-option
	[ "$status" -eq 1 ]
	[[ "$output" == *"exit status 1: "* ]]
}

@test "ps of a stopped container: no process (json null, the table's header)" {
	update_config '.process.args = ["true"]'
	oci_rt_bg run -d "$ID"
	wait_status "$ID" stopped
	run oci_rt ps --format json "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = null ]
	run oci_rt ps "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "$(ps -ef | head -n 1)" ]
}

@test "ps errors: an unknown format, a missing container" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg run -d "$ID"
	rt_json ps --format yaml "$ID"
	[ "$RT_RC" -eq 1 ] && [ "$RT_MSG" = "invalid format option" ] && [ -z "$RT_OUT" ]
	rt_json ps nosuch
	[ "$RT_RC" -eq 1 ] && [ "$RT_MSG" = "container does not exist" ] && [ -z "$RT_OUT" ]
}

@test "in cgroups it did not make: ps and kill --all reach every process, exec joins the init's cgroups, delete keeps them" {
	# cgroupsPath names cgroups that already exist: the container records
	# them but made none (delete must not remove them)
	local path=/${ID_PREFIX}pre d
	for d in /sys/fs/cgroup/*/; do
		[ "$(stat -f -c %T "$d")" = tmpfs ] && continue
		mkdir "$d$path"
		PRE_DIRS="${PRE_DIRS:-} $d$path"
		case $d in */cpuset/)
			cat "$d/cpuset.cpus" >"$d$path/cpuset.cpus"
			cat "$d/cpuset.mems" >"$d$path/cpuset.mems" ;;
		esac
	done
	update_config '.linux.cgroupsPath = $p' --arg p "$path"
	cat >"$SHARED/init.sh" <<-'EOF'
		trap 'echo init >> /shared/got' USR1
		sh -c 'trap "echo child >> /shared/got" USR1; echo $$ > /shared/child; while :; do sleep 0.1; done' &
		while :; do sleep 0.1; done
	EOF
	update_config '.process.args = ["sh", "/shared/init.sh"]'
	oci_rt_bg run -d "$ID"
	PID=$(init_pid "$ID")
	wait_for 5 test -s "$SHARED/child"
	jq -e --arg p "$path" '.cgroupPath == $p and .cgroupMade == {}' "$ROOT/$ID/state.json"
	grep -qx "$PID" "/sys/fs/cgroup/pids$path/cgroup.procs"

	oci_rt_bg exec -d --pid-file "$T/epid" "$ID" sleep 999
	EPID=$(cat "$T/epid")
	[ "$(cat "/proc/$EPID/cgroup")" = "$(cat "/proc/$PID/cgroup")" ]

	# every process of the pid namespace: the init's shell, its child shell,
	# their sleeps, the exec'd sleep
	run oci_rt ps --format json "$ID"
	echo "$output"
	for p in $(echo "$output" | jq -r '.[]'); do
		# (a short sleep of the loops may be gone already)
		ns=$(readlink "/proc/$p/ns/pid") || continue
		[ "$ns" = "$(readlink "/proc/$PID/ns/pid")" ]
	done
	echo "$output" | jq -e --argjson a "$PID" --argjson b "$EPID" 'index($a) != null and index($b) != null'
	[ "$(echo "$output" | jq length)" -ge 3 ]

	: >"$SHARED/got"
	oci_rt kill --all "$ID" USR1
	wait_for 5 grep -qx child "$SHARED/got"
	wait_for 5 grep -qx init "$SHARED/got"
	oci_rt kill --all "$ID" KILL
	assert_pid_gone "$EPID"
	wait_status "$ID" stopped
	oci_rt delete "$ID"
	# its cgroups were not its own: still there
	[ -d "/sys/fs/cgroup/pids$path" ]
}
