#!/usr/bin/env bats
# --pid-file: what containerd, conmon and CRI-O read (clients.md 1.7):
# the init's host pid in decimal, no newline, written atomically, only when
# the container exists.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}pf
	PIDDIR=$BATS_TEST_TMPDIR/piddir
	mkdir -p "$PIDDIR"
	update_config '.process.args = ["sleep", "100"]'
}

@test "create --pid-file writes the init's host pid in decimal without a newline" {
	run --separate-stderr oci_rt_bg create --pid-file "$PIDDIR/init.pid" "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	pid=$(init_pid "$ID")
	# exactly the digits: no newline, no padding (od shows every byte)
	[ "$(od -An -c "$PIDDIR/init.pid" | tr -d ' \n')" = "$pid" ]
	[ "$(wc -c <"$PIDDIR/init.pid")" -eq "${#pid}" ]
	[[ "$(cat "$PIDDIR/init.pid")" =~ ^[1-9][0-9]*$ ]]
	# that pid is the container's init: pid 1 in the container's pid namespace
	[ "$(awk '/^NSpid:/ {print $3}' "/proc/$pid/status")" = 1 ]
	grep -qx "$pid" "$(cgroup_dir_of pids "$ID")/cgroup.procs"
	# and it is the process that runs the container once started
	oci_rt start "$ID"
	wait_for 5 grep -q sleep "/proc/$pid/cmdline"
}

@test "the pid file is written atomically: renamed into place, nothing else left in its directory" {
	oci_rt_bg create --pid-file "$PIDDIR/init.pid" "$ID"
	[ "$(ls -A "$PIDDIR")" = init.pid ]
	[ "$(cat "$PIDDIR/init.pid")" = "$(init_pid "$ID")" ]
	# over an existing file, a rename gives a new inode (an in-place
	# write, which a reader could see half done, would keep the old one)
	echo 1 >"$PIDDIR/again.pid"
	old_inode=$(stat -c %i "$PIDDIR/again.pid")
	oci_rt_bg create --pid-file "$PIDDIR/again.pid" "${ID}b"
	[ "$(cat "$PIDDIR/again.pid")" = "$(init_pid "${ID}b")" ]
	[ "$(stat -c %i "$PIDDIR/again.pid")" != "$old_inode" ]
	[ "$(ls -A "$PIDDIR" | sort | tr '\n' ' ')" = "again.pid init.pid " ]
}

@test "a relative --pid-file is resolved against the caller's cwd, not the bundle" {
	mkdir -p "$BATS_TEST_TMPDIR/caller"
	cd "$BATS_TEST_TMPDIR/caller"
	run oci_rt_bg create --bundle "$BUNDLE" --pid-file rel.pid "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/caller/rel.pid")" = "$(init_pid "$ID")" ]
	[ ! -e "$BUNDLE/rel.pid" ]
}

@test "an existing pid file is replaced: a pre-created empty one (CRI-O) or an old longer one" {
	: >"$PIDDIR/empty.pid"
	run oci_rt_bg create --pid-file "$PIDDIR/empty.pid" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$PIDDIR/empty.pid")" = "$(init_pid "$ID")" ]

	printf '999999999\n' >"$PIDDIR/old.pid"
	run oci_rt_bg create --pid-file "$PIDDIR/old.pid" "${ID}b"
	[ "$status" -eq 0 ]
	pid=$(init_pid "${ID}b")
	[ "$(od -An -c "$PIDDIR/old.pid" | tr -d ' \n')" = "$pid" ]
	[ "$(ls -A "$PIDDIR" | sort | tr '\n' ' ')" = "empty.pid old.pid " ]
}

@test "no pid file when create fails" {
	update_config '.process.args = ["nonexistent-binary"]'
	rt_json create --pid-file "$PIDDIR/init.pid" "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: exec: \"nonexistent-binary\": executable file not found in \$PATH" ]
	[ ! -e "$PIDDIR/init.pid" ]
	[ -z "$(ls -A "$PIDDIR")" ]
	assert_no_leftovers "$ID"
	# a pre-created file (CRI-O) stays as it was
	: >"$PIDDIR/pre.pid"
	rt_json create --pid-file "$PIDDIR/pre.pid" "$ID"
	[ "$RT_RC" -eq 1 ]
	[ ! -s "$PIDDIR/pre.pid" ]
	[ "$(ls -A "$PIDDIR")" = pre.pid ]
	assert_no_leftovers "$ID"
}

@test "run -d --pid-file writes the pid of the running container" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "echo $$ > /shared/inner; exec sleep 100"]'
	run oci_rt_bg run -d --pid-file "$PIDDIR/run.pid" "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	pid=$(cat "$PIDDIR/run.pid")
	[ "$(wc -c <"$PIDDIR/run.pid")" -eq "${#pid}" ]
	[ "$pid" = "$(init_pid "$ID")" ]
	[ "$(status_of "$ID")" = running ]
	wait_for 5 grep -q sleep "/proc/$pid/cmdline"
	wait_for 5 test -s "$SHARED/inner"
	[ "$(cat "$SHARED/inner")" = 1 ]
}

@test "--pid-file=FILE works as well as --pid-file FILE" {
	run oci_rt_bg create --pid-file="$PIDDIR/eq.pid" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$PIDDIR/eq.pid")" = "$(init_pid "$ID")" ]
}

@test "run --pid-file in the foreground writes the pid while the container runs" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "i=0; while [ ! -e /shared/go ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; exit 4"]'
	(
		rc=0
		"$OCI_RT" --root "$ROOT" run --pid-file "$PIDDIR/fg.pid" "$ID" </dev/null >/dev/null 2>&1 3>&- 4>&- || rc=$?
		echo "$rc" >"$BATS_TEST_TMPDIR/rc"
	) &
	wait_for 5 test -s "$PIDDIR/fg.pid"
	pid=$(cat "$PIDDIR/fg.pid")
	[ "$pid" = "$(init_pid "$ID")" ]
	[ "$(awk '/^NSpid:/ {print $3}' "/proc/$pid/status")" = 1 ]
	touch "$SHARED/go"
	wait_for 15 test -s "$BATS_TEST_TMPDIR/rc"
	[ "$(cat "$BATS_TEST_TMPDIR/rc")" -eq 4 ]
	assert_no_leftovers "$ID"
}
