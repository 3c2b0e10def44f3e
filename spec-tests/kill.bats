#!/usr/bin/env bats
# `kill [--all] ID [signal]`: signal names and numbers as runc parses them,
# what the container's processes receive, and the error cases.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}k
	OTHER=
	bind_shared_dir
}

teardown() {
	[ -z "$OTHER" ] || kill "$OTHER" 2>/dev/null || true
	teardown_containers
}

# A container whose pid 1 is a shell that records the signals it traps
# (USR1, TERM, RTMIN+3 = 37, RTMAX-1 = 63) in /shared/got, one per line.
start_trapper() {
	local id=$1
	cat >"$SHARED/trapper.sh" <<-'EOF'
		trap 'echo USR1 >> /shared/got' USR1
		trap 'echo TERM >> /shared/got; exit 3' TERM
		trap 'echo RT37 >> /shared/got' 37
		trap 'echo RT63 >> /shared/got' 63
		echo ready > /shared/ready
		while :; do sleep 0.1; done
	EOF
	: >"$SHARED/got"
	rm -f "$SHARED/ready"
	update_config '.process.args = ["sh", "/shared/trapper.sh"]'
	oci_rt_bg create "$id"
	oci_rt start "$id"
	wait_for 5 test -e "$SHARED/ready"
}

# caught PID SIG: the kernel lists SIG among PID's caught signals.
caught() {
	local mask
	mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status")
	(( (0x$mask >> ($2 - 1)) & 1 ))
}

got_lines() {
	wc -l <"$SHARED/got"
}

@test "kill delivers USR1 to pid 1's handler whatever the spelling: USR1, SIGUSR1, usr1, sigUsr1, 10" {
	start_trapper "$ID"
	pid=$(init_pid "$ID")
	caught "$pid" 10
	n=0
	for sig in USR1 SIGUSR1 usr1 sigUsr1 10; do
		run --separate-stderr oci_rt kill "$ID" "$sig"
		[ "$status" -eq 0 ]
		[ -z "$output$stderr" ]
		n=$((n + 1))
		wait_for 5 count_is "$n" got_lines
	done
	[ "$(sort -u "$SHARED/got")" = USR1 ]
	# the handler ran in the container's init, which is still running
	[ "$(status_of "$ID")" = running ]
	[ "$(init_pid "$ID")" -eq "$pid" ]
}

@test "kill without a signal, with 15, TERM or SIGTERM sends SIGTERM" {
	for sig in "" 15 TERM SIGTERM; do
		id=$ID${sig:-default}
		start_trapper "$id"
		pid=$(init_pid "$id")
		if [ -z "$sig" ]; then
			run oci_rt kill "$id"
		else
			run oci_rt kill "$id" "$sig"
		fi
		[ "$status" -eq 0 ]
		wait_status "$id" stopped
		[ "$(cat "$SHARED/got")" = TERM ]
		assert_pid_gone "$pid"
		oci_rt delete "$id"
		assert_no_leftovers "$id"
	done
}

@test "kill with KILL, SIGKILL, kill, sigkill or 9 stops the container" {
	update_config '.process.args = ["sleep", "100"]'
	for sig in KILL SIGKILL kill sigkill 9; do
		id=$ID$sig
		oci_rt_bg create "$id"
		oci_rt start "$id"
		pid=$(init_pid "$id")
		run --separate-stderr oci_rt kill "$id" "$sig"
		[ "$status" -eq 0 ]
		[ -z "$output$stderr" ]
		assert_pid_gone "$pid"
		wait_status "$id" stopped
		oci_rt delete "$id"
		assert_no_leftovers "$id"
	done
}

@test "pid 1 of a pid namespace gets only the signals it has a handler for" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	! caught "$pid" 15
	for sig in TERM INT HUP USR1; do
		run oci_rt kill "$ID" "$sig"
		[ "$status" -eq 0 ]
	done
	sleep 0.5
	# the kernel dropped them: sleep, as pid 1, is still there
	[ "$(status_of "$ID")" = running ]
	[ "$(init_pid "$ID")" -eq "$pid" ]
	grep -q sleep "/proc/$pid/cmdline"
	oci_rt kill "$ID" KILL
	assert_pid_gone "$pid"
	wait_status "$ID" stopped
}

@test "without a pid namespace the same SIGTERM ends the process" {
	update_config '.process.args = ["sleep", "100"]
		| .linux.namespaces |= map(select(.type != "pid"))'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink /proc/self/ns/pid)" ]
	run oci_rt kill "$ID" TERM
	[ "$status" -eq 0 ]
	assert_pid_gone "$pid"
	wait_status "$ID" stopped
}

@test "kill accepts real-time signals as RTMIN+n and RTMAX-n" {
	start_trapper "$ID"
	pid=$(init_pid "$ID")
	caught "$pid" 37
	caught "$pid" 63
	run oci_rt kill "$ID" RTMIN+3
	[ "$status" -eq 0 ]
	wait_for 5 grep -qx RT37 "$SHARED/got"
	run oci_rt kill "$ID" SIGRTMAX-1
	[ "$status" -eq 0 ]
	wait_for 5 grep -qx RT63 "$SHARED/got"
	[ "$(cat "$SHARED/got")" = "$(printf 'RT37\nRT63')" ]
}

@test "kill with signal 0 only checks the init exists" {
	start_trapper "$ID"
	run --separate-stderr oci_rt kill "$ID" 0
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	sleep 0.3
	[ ! -s "$SHARED/got" ]
	[ "$(status_of "$ID")" = running ]
}

@test "unknown signals are refused and nothing is sent" {
	start_trapper "$ID"
	pid=$(init_pid "$ID")
	rt_json kill "$ID" FOO
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = 'unknown signal "FOO"' ]
	rt_json kill "$ID" SIGUSR3
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = 'unknown signal "SIGUSR3"' ]
	# numbers go to the kernel as in runc, which refuses these
	for sig in 65 -9; do
		rt_json kill "$ID" "$sig"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "unable to signal init: invalid argument" ]
	done
	sleep 0.3
	[ ! -s "$SHARED/got" ]
	[ "$(status_of "$ID")" = running ]
	[ "$(init_pid "$ID")" -eq "$pid" ]
}

@test "kill of a stopped container: container not running; with --all or -a it succeeds" {
	update_config '.process.args = ["true"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	wait_status "$ID" stopped
	rt_json kill "$ID" KILL
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container not running" ]
	rt_json kill "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container not running" ]
	run --separate-stderr oci_rt kill -a "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	run --separate-stderr oci_rt kill --all "$ID" 9
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	[ "$(status_of "$ID")" = stopped ]
}

@test "kill of a missing container: container does not exist" {
	rt_json kill "$ID" KILL
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container does not exist" ]
	[ -z "$RT_OUT" ]
	rt_json kill --all "$ID" KILL
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container does not exist" ]
	# the container is looked up before the signal is read
	rt_json kill "$ID" FOO
	[ "$RT_MSG" = "container does not exist" ]
	[ ! -e "$ROOT/$ID" ]
}

@test "kill signals only the init; kill --all every process of the container" {
	cat >"$SHARED/init.sh" <<-'EOF'
		trap 'echo init >> /shared/got' USR1
		sh -c 'trap "echo child >> /shared/got" USR1; echo > /shared/child; while :; do sleep 0.1; done' &
		while :; do sleep 0.1; done
	EOF
	: >"$SHARED/got"
	update_config '.process.args = ["sh", "/shared/init.sh"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	wait_for 5 test -e "$SHARED/child"
	procs=$(cgroup_dir_of pids "$ID")/cgroup.procs
	[ "$(wc -l <"$procs")" -ge 2 ]

	oci_rt kill "$ID" USR1
	wait_for 5 grep -qx init "$SHARED/got"
	sleep 0.3
	[ "$(cat "$SHARED/got")" = init ]

	oci_rt kill --all "$ID" USR1
	wait_for 5 grep -qx child "$SHARED/got"
	wait_for 5 count_is 2 grep -cx init "$SHARED/got"
	[ "$(status_of "$ID")" = running ]
}

@test "kill --all KILL ends every process of a container without a pid namespace" {
	update_config '.process.args = ["sh", "-c", "sleep 100 & sleep 100 & echo > /shared/up; wait"]
		| .linux.namespaces |= map(select(.type != "pid"))'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	wait_for 5 test -e "$SHARED/up"
	procs=$(cgroup_dir_of pids "$ID")/cgroup.procs
	wait_for 5 count_is 3 line_count "$procs"
	pids=$(cat "$procs")
	run oci_rt kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	for p in $pids; do
		assert_pid_gone "$p"
	done
	wait_for 5 test ! -s "$procs"
	wait_status "$ID" stopped
}

@test "kill never signals a process that reused the init's pid" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	oci_rt kill "$ID" KILL
	assert_pid_gone "$pid"
	sleep 100 </dev/null >/dev/null 2>&1 3>&- &
	OTHER=$!
	jq --argjson p "$OTHER" '.pid = $p' "$ROOT/$ID/state.json" >"$BATS_TEST_TMPDIR/s.json"
	cp "$BATS_TEST_TMPDIR/s.json" "$ROOT/$ID/state.json"
	rt_json kill "$ID" KILL
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container not running" ]
	sleep 0.2
	kill -0 "$OTHER"
	grep -q '^State:[[:space:]]*S' "/proc/$OTHER/status"
}
