#!/usr/bin/env bats
# config-linux.md "Seccomp": every action, errnoRet and defaultErrnoRet,
# argument conditions with every operator, architectures, flags, unknown
# names, the notify listener and its agent, and when the filter is loaded
# (noNewPrivileges).  Observed from inside with scmp_probe (system calls
# with chosen arguments, see spec-tests/tools), from the host in
# /proc/<pid>/status and the kernel's audit records.
#
# The probe calls getppid (110 on x86_64), whose arguments the kernel
# ignores but the filter sees; as pid 1 of its namespace it returns 0.

load helpers

setup() {
	[ "$(uname -m)" = x86_64 ] || skip "system call numbers are x86_64's"
	setup_bundle
	ID=${ID_PREFIX}scmp
	cp "$TOOLS/scmp_probe" "$BUNDLE/rootfs/probe"
	BG_PIDS=()
}

teardown() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	teardown_containers
}

set_seccomp() {
	update_config '.linux.seccomp = $s' --argjson s "$1"
}

# probe STEP...: the process is scmp_probe with these steps.
probe() {
	update_config '.process.args = ["/probe"] + $a' --argjson a "$(jq -nc '$ARGS.positional' --args "$@")"
}

# bg OUT CMD...: CMD on the host in the background, output to OUT.
bg() {
	local out=$1
	shift
	"$@" >"$out" 2>&1 3>&- 4>&- &
	BG_PIDS+=($!)
}

# audit_start TEXT: collect the seccomp audit records mentioning TEXT.
audit_start() {
	AUDIT=$BATS_TEST_TMPDIR/audit.$RANDOM
	bg "$AUDIT" "$TOOLS/audit_log" "$1" 20
	wait_for 5 grep -q ready "$AUDIT"
}

@test "SCMP_ACT_ERRNO: the system call fails with errnoRet, with EPERM without one; others run" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42},
		{"names": ["getuid"], "action": "SCMP_ACT_ERRNO"}]}'
	probe 110 102 104
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "110 ret=-1 errno=42" ]
	[ "${lines[1]}" = "102 ret=-1 errno=1" ]
	[ "${lines[2]}" = "104 ret=0 errno=0" ]
	assert_no_leftovers "$ID"
}

@test "defaultAction SCMP_ACT_ERRNO with defaultErrnoRet: only the allowed system calls run" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 95, "syscalls": [
		{"names": ["execve", "brk", "arch_prctl", "set_tid_address", "set_robust_list", "rseq",
			   "prlimit64", "readlink", "getrandom", "mprotect", "mmap", "munmap", "write",
			   "exit", "exit_group", "rt_sigprocmask", "rt_sigaction", "getuid"],
		 "action": "SCMP_ACT_ALLOW"}]}'
	probe 110 102
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "110 ret=-1 errno=95" ]
	[ "${lines[1]}" = "102 ret=0 errno=0" ]
}

@test "SCMP_ACT_KILL kills the process with SIGSYS at that system call" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL"}]}'
	probe echo:before 110 echo:after
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 159 ] # 128 + SIGSYS
	[ "$output" = before ]
	assert_no_leftovers "$ID"
}

@test "SCMP_ACT_KILL and KILL_THREAD end the calling thread only, KILL_PROCESS the whole process" {
	for action in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD SCMP_ACT_KILL_PROCESS; do
		set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "'$action'"}]}'
		probe thread:110 echo:end
		run oci_rt run "$ID"
		echo "$action: $status: $output"
		if [ $action = SCMP_ACT_KILL_PROCESS ]; then
			[ "$status" -eq 159 ]
			[ -z "$output" ]
		else
			# the thread died in the call: no result line from it
			[ "$status" -eq 0 ]
			[ "$output" = "$(printf 'main alive\nend')" ]
		fi
	done
}

@test "SCMP_ACT_TRAP sends SIGSYS, which the process can catch" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_TRAP"}]}'
	probe trap 110 echo:after
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "SIGSYS syscall=110" ]
	[ "${lines[2]}" = after ]
	# uncaught, SIGSYS ends it
	probe 110 echo:after
	run oci_rt run "$ID"
	[ "$status" -eq 159 ]
	[ -z "$output" ]
}

@test "SCMP_ACT_TRACE without a tracer fails the system call with ENOSYS" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_TRACE", "errnoRet": 7}]}'
	probe 110 102
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "110 ret=-1 errno=38" ]
	[ "${lines[1]}" = "102 ret=0 errno=0" ]
}

@test "SCMP_ACT_LOG lets the system call run and the kernel logs it" {
	name=lg$RANDOM
	cp "$TOOLS/scmp_probe" "$BUNDLE/rootfs/$name"
	update_config '.process.args = ["/'$name'", "110"]'
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_LOG"}]}'
	audit_start "comm=\"$name\""
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "110 ret=0 errno=0" ]
	# SECCOMP_RET_LOG, system call 110, no signal
	wait_for 5 grep -q 'syscall=110 .*code=0x7ffc0000' "$AUDIT"
	grep 'syscall=110' "$AUDIT" | grep -q ' sig=0 '
}

@test "flags: SECCOMP_FILTER_FLAG_LOG logs denied system calls too; TSYNC and SPEC_ALLOW load" {
	for flags in '[]' '["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]'; do
		name=fl$RANDOM
		cp "$TOOLS/scmp_probe" "$BUNDLE/rootfs/$name"
		update_config '.process.args = ["/'$name'", "110"]'
		set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": '"$flags"',
			      "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
		audit_start "comm=\"$name\""
		run oci_rt run "$ID"
		echo "$flags: $output"
		[ "$status" -eq 0 ]
		[ "$output" = "110 ret=-1 errno=42" ]
		if [ "$flags" = '[]' ]; then
			sleep 1
			[ -z "$(grep syscall=110 "$AUDIT")" ]
		else
			# SECCOMP_RET_ERRNO (the record has the action, not its data)
			wait_for 5 grep -q 'syscall=110 .*code=0x50000$' "$AUDIT"
		fi
	done
}

@test "SCMP_ACT_NOTIFY: the agent gets the container process state and the listener, and answers" {
	sock=$BATS_TEST_TMPDIR/agent.sock
	got=$BATS_TEST_TMPDIR/agent.json
	bg "$BATS_TEST_TMPDIR/agent.err" "$TOOLS/seccomp_agent" "$sock" "$got" 2 4242
	wait_for 5 test -S "$sock"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$sock"'", "listenerMetadata": "MKNOD=/dev/null",
		      "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}'
	bind_shared_dir
	probe out:/shared/out 110:7 110:8 104
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	pid=$(init_pid "$ID")
	# before create returned: one message, the state and exactly one fd
	[ "$(cat "$got.fds")" = "fds=1 messages=1" ]
	cat "$got"
	[ "$(jq -r .ociVersion "$got")" = "$(oci_rt features | jq -r .ociVersionMax)" ]
	[ "$(jq -c .fds "$got")" = '["seccompFd"]' ]
	[ "$(jq .pid "$got")" = "$pid" ]
	[ "$(jq -r .metadata "$got")" = "MKNOD=/dev/null" ]
	[ "$(jq -r .state.id "$got")" = "$ID" ]
	[ "$(jq -r .state.status "$got")" = creating ]
	[ "$(jq .state.pid "$got")" = "$pid" ]
	[ "$(jq -r .state.bundle "$got")" = "$(cd "$BUNDLE" && pwd -P)" ]
	oci_rt start "$ID"
	wait_for 5 count_is 3 line_count "$SHARED/out"
	cat "$SHARED/out" "$got.log"
	# the agent answered both notified calls; the others ran
	[ "$(sed -n 1p "$SHARED/out")" = "110 ret=4242 errno=0" ]
	[ "$(sed -n 2p "$SHARED/out")" = "110 ret=4242 errno=0" ]
	[ "$(sed -n 3p "$SHARED/out")" = "104 ret=0 errno=0" ]
	[ "$(sed -n 1p "$got.log")" = "notify syscall=110 pid=$pid arg0=7" ]
	[ "$(sed -n 2p "$got.log")" = "notify syscall=110 pid=$pid arg0=8" ]
}

@test "SCMP_ACT_NOTIFY errors: as default action, without listenerPath, on sendmsg, with no agent listening" {
	no_agent=$BATS_TEST_TMPDIR/nobody.sock
	while IFS='|' read -r seccomp want; do
		set_seccomp "$seccomp"
		rt_json run "$ID"
		echo "$seccomp -> $RT_RC: $RT_MSG"
		[ "$RT_RC" -eq 1 ]
		[[ "$RT_MSG" == *"$want"* ]]
		assert_no_leftovers "$ID"
	done <<EOF
{"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "$no_agent"}|SCMP_ACT_NOTIFY cannot be used as default action
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}|.linux.seccomp.listenerPath: required with SCMP_ACT_NOTIFY
{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "$no_agent", "syscalls": [{"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]}|SCMP_ACT_NOTIFY cannot be used for the sendmsg syscall
{"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "x"}|.linux.seccomp.listenerMetadata: must not be set without listenerPath
{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "$no_agent", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}|failed to connect with seccomp agent specified in the seccomp profile: dial unix $no_agent: no such file or directory
{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]}|SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs an SCMP_ACT_NOTIFY rule
EOF
}

@test "errnoRet and defaultErrnoRet on an action that returns no errno are errors (config-linux.md MUST)" {
	while IFS='|' read -r seccomp want; do
		set_seccomp "$seccomp"
		rt_json run "$ID"
		echo "$seccomp -> $RT_RC: $RT_MSG"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "$want" ]
		assert_no_leftovers "$ID"
	done <<EOF
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]}|run $ID: config.json: .linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_KILL does not return an errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)
{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1}|run $ID: config.json: .linux.seccomp.defaultErrnoRet: SCMP_ACT_ALLOW does not return an errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 65536}]}|run $ID: config.json: .linux.seccomp.syscalls[0].errnoRet: 65536 is out of range (at most 65535)
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}|run $ID: config.json: .linux.seccomp.syscalls[0].args[0].index: 6 is not below 6
EOF
}

# match OP VALUE [VALUE_TWO]: a filter failing getppid with errno 77 when
# its first argument matches.
match() {
	local arg='{"index": 0, "value": '$2', "op": "'$1'"}'
	[ $# -eq 3 ] && arg='{"index": 0, "value": '$2', "valueTwo": '$3', "op": "'$1'"}'
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77, "args": ['"$arg"']}]}'
}

# matched ARG...: which of these first arguments the filter matched ("1 0 0").
matched() {
	local a steps=()
	for a in "$@"; do
		steps+=("110:$a")
	done
	probe "${steps[@]}"
	run oci_rt run "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	sed 's/.*errno=77$/1/; s/.*errno=0$/0/' <<<"$output" | tr '\n' ' ' | sed 's/ $//'
}

@test "args: every operator compares the argument as configured" {
	while read -r op value args want; do
		match "$op" "$value"
		got=$(matched ${args//,/ })
		echo "$op $value on $args: want $want, got $got"
		[ "$got" = "${want//_/ }" ]
	done <<'EOF'
SCMP_CMP_EQ 10 9,10,11 0_1_0
SCMP_CMP_NE 10 9,10,11 1_0_1
SCMP_CMP_LT 10 9,10,11 1_0_0
SCMP_CMP_LE 10 9,10,11 1_1_0
SCMP_CMP_GT 10 9,10,11 0_0_1
SCMP_CMP_GE 10 9,10,11 0_1_1
SCMP_CMP_EQ 4294967296 4294967296,0,1 1_0_0
SCMP_CMP_GT 4294967295 4294967295,4294967296 0_1
EOF
}

@test "args: SCMP_CMP_MASKED_EQ compares (argument & value) with valueTwo" {
	match SCMP_CMP_MASKED_EQ 240 48 # 0xf0, 0x30
	[ "$(matched 0x35 0x30 0x45 0x3f 0x130)" = "1 1 0 1 1" ]
}

@test "args: conditions on different arguments must all match; on the same argument, any (as runc)" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77, "args": [
			{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]}]}'
	[ "$(matched 1:2 1:3 0:2 1:2:9)" = "1 0 0 1" ]
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 77, "args": [
			{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}]}'
	[ "$(matched 1 2 3)" = "1 1 0" ]
}

@test "architectures: a listed one gets the rules, one not listed is killed" {
	# getppid of i386 (64), through int 0x80
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
		      "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
	probe int80:64 110 echo:end
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '64 ret=-1 errno=42\n110 ret=-1 errno=42\nend')" ]
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
		      "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 159 ]
	[ -z "$output" ]
}

@test "system call names this kernel or libseccomp does not know are skipped, as runc does" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["no_such_syscall", "getppid", "another_unknown"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
	probe 110
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "110 ret=-1 errno=42" ]
}

@test "a rule with the default action is redundant and skipped; a long profile is still exact" {
	# 40 rules (over runc's 32: libseccomp builds a binary tree), each its own errno
	rules='[{"names": ["getppid"], "action": "SCMP_ACT_ALLOW"}'
	n=0
	for sc in getuid getgid geteuid getegid getpgrp getsid getpgid getpriority sched_getscheduler \
		sched_getparam getcpu times sysinfo getrusage getitimer capget personality umask \
		getgroups getresuid getresgid gettid time uname olduname sched_yield pause alarm \
		setpgid setsid setuid setgid acct sync syncfs vhangup iopl ioperm; do
		n=$((n + 1))
		rules+=', {"names": ["'$sc'"], "action": "SCMP_ACT_ERRNO", "errnoRet": '$((100 + n))'}'
	done
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": '"$rules"']}'
	# getuid (rule 1), getgid (2), gettid (22nd, 186), sched_yield (26th, 24), getppid (allowed)
	probe 102 104 186 24 110
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '102 ret=-1 errno=101\n104 ret=-1 errno=102\n186 ret=-1 errno=122\n24 ret=-1 errno=126\n110 ret=0 errno=0')" ]
}

@test "the spec's example profile: getcwd and chmod fail with EPERM" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		      "syscalls": [{"names": ["getcwd", "chmod"], "action": "SCMP_ACT_ERRNO"}]}'
	update_config '.process.args = ["sh", "-c", "touch /tmp/f; busybox chmod 600 /tmp/f; echo chmod=$?; busybox pwd; echo pwd=$?; stat -c %a /tmp/f"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"chmod: /tmp/f: Operation not permitted"* ]]
	[[ "$output" == *"chmod=1"* ]]
	[[ "$output" == *"pwd=1"* ]]
	[ "${lines[-1]}" = 644 ]
}

@test "the filter is loaded last: after the exec fifo and the startContainer hooks, right before execve" {
	bind_shared_dir
	for nnp in true false; do
		update_config '.process.noNewPrivileges = '$nnp
		# the init reads the fifo, closes fds, sends on the sync socket and
		# forks the hook after process setup: none of it is filtered
		set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			{"names": ["read", "readv", "pread64", "recvmsg", "recvfrom", "sendmsg", "sendto",
				   "close_range", "clone", "clone3", "fork", "vfork", "wait4", "waitid"],
			 "action": "SCMP_ACT_ERRNO", "errnoRet": 42},
			{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 43}]}'
		update_config '.hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "echo hook >> /shared/hook"]}]'
		probe out:/shared/out.$nnp 110 echo:done
		run oci_rt_bg create "$ID"
		[ "$status" -eq 0 ]
		pid=$(init_pid "$ID")
		# waiting for start: no filter yet
		grep -E '^(Seccomp|NoNewPrivs):' "/proc/$pid/status"
		[ "$(awk '/^Seccomp:/ {print $2}' "/proc/$pid/status")" = 0 ]
		oci_rt start "$ID"
		wait_for 5 grep -q done "$SHARED/out.$nnp"
		[ "$(sed -n 1p "$SHARED/out.$nnp")" = "110 ret=-1 errno=43" ]
		oci_rt delete -f "$ID"
	done
	[ "$(cat "$SHARED/hook")" = "$(printf 'hook\nhook')" ]
}

@test "noNewPrivileges false: the filter goes in while CAP_SYS_ADMIN is held, then the configured sets apply" {
	update_config '.process.noNewPrivileges = false | .process.user = {"uid": 1000, "gid": 1000}'
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
	for caps in configured none; do
		if [ $caps = none ]; then
			update_config 'del(.process.capabilities)'
		fi
		update_config '.process.args = ["sh", "-c", "/probe 110; grep -E \"^(Cap|NoNewPrivs|Seccomp)\" /proc/self/status"]'
		run oci_rt run "$ID"
		echo "$caps: $output"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "110 ret=-1 errno=42" ]
		[[ "$output" == *"NoNewPrivs:	0"* ]]
		[[ "$output" == *"Seccomp:	2"* ]]
		# a non-root user's sets after execve: CAP_SYS_ADMIN held for the
		# filter is gone, nothing is permitted or effective
		[[ "$output" == *"CapPrm:	0000000000000000"* ]]
		[[ "$output" == *"CapEff:	0000000000000000"* ]]
		[[ "$output" == *"CapInh:	0000000000000000"* ]]
		if [ $caps = configured ]; then
			[[ "$output" == *"CapBnd:	0000000020000420"* ]] # AUDIT_WRITE, KILL, NET_BIND_SERVICE
		fi
	done
	# before start, the init already is uid 1000 and holds CAP_SYS_ADMIN (21) for the filter only
	update_config '.process.capabilities = {"bounding": ["CAP_KILL"], "permitted": ["CAP_KILL"], "effective": ["CAP_KILL"]}'
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	pid=$(init_pid "$ID")
	grep -E '^(Uid|Cap)' "/proc/$pid/status"
	[ "$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")" = 0000000000200020 ]
	[ "$(awk '/^CapBnd:/ {print $2}' "/proc/$pid/status")" = 0000000000000020 ]
}

@test "noNewPrivileges true: NoNewPrivs and the filter seen inside and from the host" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO"}]}'
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "grep -E \"^(NoNewPrivs|Seccomp):\" /proc/self/status > /shared/status; exec sleep 100"]'
	run oci_rt_bg run -d "$ID"
	[ "$status" -eq 0 ]
	pid=$(init_pid "$ID")
	wait_for 5 test -s "$SHARED/status"
	[ "$(cat "$SHARED/status")" = "$(printf 'NoNewPrivs:\t1\nSeccomp:\t2')" ]
	wait_for 5 grep -q '^Seccomp:[[:space:]]*2' "/proc/$pid/status"
	[ "$(awk '/^Seccomp_filters:/ {print $2}' "/proc/$pid/status")" = 1 ]
	[ "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$pid/status")" = 1 ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "features: seccomp with every action, operator, flag and the architectures libseccomp has" {
	run oci_rt features
	[ "$status" -eq 0 ]
	s=$(jq -c .linux.seccomp <<<"$output")
	echo "$s"
	[ "$(jq .enabled <<<"$s")" = true ]
	[ "$(jq -c .actions <<<"$s")" = '["SCMP_ACT_ALLOW","SCMP_ACT_ERRNO","SCMP_ACT_KILL","SCMP_ACT_KILL_PROCESS","SCMP_ACT_KILL_THREAD","SCMP_ACT_LOG","SCMP_ACT_NOTIFY","SCMP_ACT_TRACE","SCMP_ACT_TRAP"]' ]
	[ "$(jq -c .operators <<<"$s")" = '["SCMP_CMP_EQ","SCMP_CMP_GE","SCMP_CMP_GT","SCMP_CMP_LE","SCMP_CMP_LT","SCMP_CMP_MASKED_EQ","SCMP_CMP_NE"]' ]
	[ "$(jq -c .knownFlags <<<"$s")" = '["SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW","SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]' ]
	# this kernel (6.x) has them all
	[ "$(jq -c .supportedFlags <<<"$s")" = "$(jq -c .knownFlags <<<"$s")" ]
	jq -e '.archs | index("SCMP_ARCH_X86_64") and index("SCMP_ARCH_X86") and index("SCMP_ARCH_AARCH64")' <<<"$s"
	# the x86 family together, as docker's profile lists it
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]}'
	probe 110
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "110 ret=0 errno=0" ]
	# one libseccomp cannot put in a filter with this machine's: a clear error
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_S390X"]}'
	rt_json run "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: error adding architecture SCMP_ARCH_S390X to seccomp filter (libseccomp cannot mix it with this machine's): numerical argument out of domain" ]
	assert_no_leftovers "$ID"
}
