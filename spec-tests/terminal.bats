#!/usr/bin/env bats
# process.terminal (config.md "terminal", "consoleSize"; runtime-linux.md
# "/dev/console"): the pty comes from the container's own devpts, is the
# process's controlling terminal and stdio and /dev/console; its master goes
# to --console-socket in one message with exactly one fd before create
# exits, or, in a foreground run, is relayed to the runtime's stdio.

load helpers
load tty_helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}tty
}

teardown() {
	stop_recvtty
	tmux_stop
	teardown_containers
}

# on_tty SCRIPT: the container runs SCRIPT (sh) on a pty.
on_tty() {
	update_config '.process.terminal = true | .process.args = ["sh", "-c", $s]' --arg s "$1"
}

# tty_out: what the container wrote to its terminal (the pty turns \n into \r\n).
tty_out() {
	tr -d '\r' <"$TTY_OUT"
}

@test "create --console-socket: one message with the name and exactly one fd, a pty master, before create exits" {
	on_tty 'echo hello from the pty'
	start_recvtty
	oci_rt_bg create --console-socket "$SOCK" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	# create has exited: only it could have sent what the receiver gets
	wait_for 5 test -s "$TTY_INFO"
	[ "$(cat "$TTY_INFO")" = "name=/dev/ptmx fds=1 cmsgs=1 tty=1 pts=0" ]
	[ ! -s "$TTY_ERR" ]
	pid=$(init_pid "$ID")
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
	# from the host: the waiting init's stdio is the slave of that master,
	# pts 0 of the container's devpts
	for fd in 0 1 2; do
		[ "$(stat -L -c %t:%T "/proc/$pid/fd/$fd")" = "88:0" ]
	done
	oci_rt start "$ID"
	wait_for 5 grep -q "hello from the pty" "$TTY_OUT"
	# the receiver's relay ends when the last slave is closed
	wait_for 5 pid_gone "$RECVTTY_PID"
	[ "$(tty_out)" = "hello from the pty" ]
	wait_status "$ID" stopped
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}

@test "the pty is the controlling terminal and stdio of the process, in a session of its own" {
	on_tty 'tty; for fd in 0 1 2; do readlink /proc/self/fd/$fd; done
		set -- $(cat /proc/$$/stat); echo "pid $1 session $6 tty_nr $7"'
	start_recvtty
	oci_rt_bg create --console-socket "$SOCK" "$ID"
	oci_rt start "$ID"
	wait_for 5 pid_gone "$RECVTTY_PID"
	tty_out
	# tty_nr 34816 = makedev(136, 0)
	[ "$(tty_out)" = "$(printf '/dev/pts/0\n/dev/pts/0\n/dev/pts/0\n/dev/pts/0\npid 1 session 1 tty_nr 34816')" ]
}

@test "/dev/console is the pty's slave, bound by fd: a device node, not a symlink" {
	on_tty 'stat -c "%F %t:%T %U:%G %a" /dev/console /dev/pts/0
		[ -L /dev/console ] && echo symlink || echo no-symlink
		grep " /dev/console " /proc/self/mountinfo | cut -d" " -f4,5,9
		echo to-console >/dev/console'
	start_recvtty
	oci_rt_bg create --console-socket "$SOCK" "$ID"
	pid=$(init_pid "$ID")
	# from the host: in the container's mount table, devpts's "0" is mounted on /dev/console
	grep -q "^[0-9]* [0-9]* [0-9:]* /0 /dev/console .* - devpts " "/proc/$pid/mountinfo"
	oci_rt start "$ID"
	wait_for 5 pid_gone "$RECVTTY_PID"
	cat "$TTY_OUT"
	[ "$(tty_out)" = "$(printf '%s\n' \
		"character special file 88:0 root:tty 620" \
		"character special file 88:0 root:tty 620" \
		no-symlink \
		"/0 /dev/console devpts" \
		to-console)" ]
}

@test "consoleSize sets the pty's window size" {
	on_tty 'stty size'
	update_config '.process.consoleSize = {height: 33, width: 111}'
	start_recvtty
	oci_rt_bg create --console-socket "$SOCK" "$ID"
	oci_rt start "$ID"
	wait_for 5 pid_gone "$RECVTTY_PID"
	[ "$(tty_out)" = "33 111" ]
}

@test "run -d --console-socket hands the master over and detaches" {
	on_tty 'read line; echo "got $line"'
	start_recvtty
	run oci_rt_bg run -d --console-socket "$SOCK" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	[ "$status" -eq 0 ]
	wait_for 5 test -s "$TTY_INFO"
	[ "$(cat "$TTY_INFO")" = "name=/dev/ptmx fds=1 cmsgs=1 tty=1 pts=0" ]
	[ "$(status_of "$ID")" = running ]
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(init_pid "$ID")" ]
	# the receiver holds the only master: the container waits on it
	sleep 0.3
	[ "$(status_of "$ID")" = running ]
	oci_rt kill "$ID" KILL
	wait_status "$ID" stopped
}

@test "a container without a terminal gets no pty and keeps the caller's stdio" {
	update_config '.process.args = ["sh", "-c", "readlink /proc/self/fd/0; readlink /proc/self/fd/1; grep -c /dev/console /proc/self/mountinfo; tty"]'
	run oci_rt run "$ID" </dev/null
	echo "$output"
	[ "$status" -eq 1 ] # tty: not a tty
	[ "${lines[0]}" = /dev/null ]
	[[ "${lines[1]}" == pipe:* ]]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = "not a tty" ]
	assert_no_leftovers "$ID"
}

@test "runc's errors for a terminal without a socket when detaching, and a socket without a terminal" {
	local tty_err="cannot allocate tty if oci-rt will detach without setting console socket"
	local sock_err="cannot use console socket if oci-rt will not detach or allocate tty"
	start_recvtty

	update_config '.process.terminal = true'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ] && [ "$RT_MSG" = "create $ID: $tty_err" ]
	rt_json run -d "$ID"
	[ "$RT_RC" -eq 1 ] && [ "$RT_MSG" = "run $ID: $tty_err" ]
	# a foreground run relays the pty itself: a socket makes no sense
	rt_json run --console-socket "$SOCK" "$ID"
	[ "$RT_RC" -eq 1 ] && [ "$RT_MSG" = "run $ID: $sock_err" ]

	update_config '.process.terminal = false'
	rt_json create --console-socket "$SOCK" "$ID"
	[ "$RT_RC" -eq 1 ] && [ "$RT_MSG" = "create $ID: $sock_err" ]
	# nobody connected to the receiver
	[ ! -e "$TTY_INFO" ]
	assert_no_leftovers "$ID"
}

@test "a console socket nobody listens on fails create before anything is made" {
	update_config '.process.terminal = true'
	rt_json create --console-socket "$BATS_TEST_TMPDIR/nosuch.sock" "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: dial unix $BATS_TEST_TMPDIR/nosuch.sock: connect: no such file or directory" ]
	assert_no_leftovers "$ID"
}

@test "/dev/console planted as a symlink in the image: create fails, its target is untouched (CVE-2025-52565)" {
	# the image's own /dev (no tmpfs over it), with a devpts at /dev/pts
	update_config '.mounts |= map(select(.destination != "/dev"))'
	echo untouched >"$BUNDLE/rootfs/target"
	ln -s /target "$BUNDLE/rootfs/dev/console"
	update_config '.process.terminal = true'
	start_recvtty
	rt_json create --console-socket "$SOCK" "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: terminal: /dev/console in the container is neither a file nor a device" ]
	[ "$(cat "$BUNDLE/rootfs/target")" = untouched ]
	[ -L "$BUNDLE/rootfs/dev/console" ]
	! grep -q " $BUNDLE/rootfs" /proc/self/mountinfo
	assert_no_leftovers "$ID"
}

@test "a /dev/pts/ptmx that is a symlink or a plain file is never opened (CVE-2025-52565)" {
	# neither a /dev tmpfs nor a devpts: the image's /dev/pts is used as is
	update_config '.mounts |= map(select(.destination != "/dev" and .destination != "/dev/pts"))
		| .process.terminal = true'
	echo untouched >"$BUNDLE/rootfs/target"
	mkdir "$BUNDLE/rootfs/dev/pts"
	ln -s /target "$BUNDLE/rootfs/dev/pts/ptmx"
	start_recvtty
	rt_json create --console-socket "$SOCK" "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: terminal: open /dev/pts/ptmx in the container (is devpts mounted at /dev/pts?): too many levels of symbolic links" ]
	assert_no_leftovers "$ID"

	rm "$BUNDLE/rootfs/dev/pts/ptmx"
	echo decoy >"$BUNDLE/rootfs/dev/pts/ptmx"
	stop_recvtty
	start_recvtty
	rt_json create --console-socket "$SOCK" "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: terminal: /dev/pts/ptmx in the container is not a devpts ptmx" ]
	[ "$(cat "$BUNDLE/rootfs/target")" = untouched ]
	[ "$(cat "$BUNDLE/rootfs/dev/pts/ptmx")" = decoy ]
	assert_no_leftovers "$ID"
}

@test "foreground run with a terminal: prompt, a command, a resize, the exit status, the caller's tty restored" {
	update_config '.process.terminal = true | .process.args = ["sh"] | .process.env += ["PS1=ctr# "]'
	tmux_start "stty -g >$BATS_TEST_TMPDIR/before
		$OCI_RT --root $ROOT run $ID
		echo \"exit status \$?\"
		stty -g >$BATS_TEST_TMPDIR/after"
	wait_screen '^ctr#$'
	type_line 'stty size; echo "sum $((6*7))"'
	wait_screen '^sum 42$'
	screen | grep -qx '24 80'
	tmux_ resize-window -t t -x 100 -y 30
	sleep 0.2
	type_line 'stty size'
	wait_screen '^30 100$'
	# input reaches the container raw: ^C goes to its foreground job, not to us
	type_line 'sleep 100'
	sleep 0.3
	tmux_ send-keys -t t C-c
	wait_screen '^ctr#$'
	[ "$(status_of "$ID")" = running ]
	type_line 'exit 3'
	wait_screen '^exit status 3$'
	wait_for 5 test -s "$BATS_TEST_TMPDIR/after"
	[ "$(cat "$BATS_TEST_TMPDIR/before")" = "$(cat "$BATS_TEST_TMPDIR/after")" ]
	assert_no_leftovers "$ID"
}

@test "foreground run with a terminal forwards signals to the process" {
	on_tty 'trap "echo got USR1" USR1; echo ready; while :; do sleep 0.1; done'
	tmux_start "$OCI_RT --root $ROOT run $ID; echo \"exit status \$?\""
	wait_screen '^ready$'
	rt=$(pgrep -f "^$OCI_RT --root $ROOT run $ID\$")
	kill -USR1 "$rt"
	wait_screen '^got USR1$'
	kill -KILL "$(init_pid "$ID")"
	wait_screen '^exit status 137$'
	assert_no_leftovers "$ID"
}

@test "foreground run with a terminal: all output is relayed before the runtime exits" {
	on_tty 'seq 1 30000; echo done'
	run oci_rt run "$ID" </dev/null
	[ "$status" -eq 0 ]
	out=$(printf '%s\n' "$output" | tr -d '\r')
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 30001 ]
	[ "$(printf '%s\n' "$out" | tail -n 2 | tr '\n' ' ')" = "30000 done " ]
	assert_no_leftovers "$ID"
}
