#!/usr/bin/env bats
# Error cases: the exit code, the message (runc's wording where runc has
# one), and that a failed operation leaves nothing behind.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}e
}

# expect_create_error MESSAGE [CREATE ARGS...]: create fails with exit 1,
# prints nothing on stdout, logs exactly "create $ID: MESSAGE", and leaves
# no state dir, cgroup, mount or process.
expect_create_error() {
	local want="create $ID: $1"
	shift
	rt_json create "$@" "$ID"
	if [ "$RT_RC" -ne 1 ] || [ "$RT_MSG" != "$want" ] || [ -n "$RT_OUT" ]; then
		echo "rc $RT_RC, stdout '$RT_OUT'"
		echo "got:  $RT_MSG"
		echo "want: $want"
		return 1
	fi
	assert_no_leftovers "$ID"
}

@test "malformed or wrong-typed config.json: exact message, exit 1, nothing left (table)" {
	# jq edit of the default config               message after "create ID: "
	local cases=(
		'.process.args[1] = 1'                      'config.json: .process.args[1]: expected a string'
		'.process.args = "sh"'                      'config.json: .process.args: expected an array'
		'.process.args = []'                        'config.json: .process.args: must not be empty'
		'.process.cwd = 5'                          'config.json: .process.cwd: expected a string'
		'.process.cwd = "relative"'                 'config.json: .process.cwd: "relative" is not an absolute path'
		'.process.env = "PATH=/bin"'                'config.json: .process.env: expected an array'
		'.process.env[0] = 7'                       'config.json: .process.env[0]: expected a string'
		'.process.user.uid = -1'                    'config.json: .process.user.uid: -1 is out of range for uint32'
		'.process.user.uid = 4294967296'            'config.json: .process.user.uid: 4294967296 is out of range for uint32'
		'.process.user.uid = "root"'                'config.json: .process.user.uid: expected an integer'
		'.process.user.gid = 1.5'                   'config.json: .process.user.gid: expected an integer'
		'.process.terminal = "yes"'                 'config.json: .process.terminal: expected a boolean'
		'.process.noNewPrivileges = "true"'         'config.json: .process.noNewPrivileges: expected a boolean'
		'.process.rlimits = {}'                     'config.json: .process.rlimits: expected an array'
		'.process.rlimits[0].type = "RLIMIT_BOGUS"' 'config.json: .process.rlimits[0].type: unknown rlimit "RLIMIT_BOGUS"'
		'.process.rlimits[0].hard = "many"'         'config.json: .process.rlimits[0].hard: expected an integer'
		'.process.rlimits[0].soft = -5'             'config.json: .process.rlimits[0].soft: -5 is out of range for uint64'
		'.process.capabilities.bounding = "CAP_KILL"' 'config.json: .process.capabilities.bounding: expected an array'
		'.process.capabilities.bounding = ["CAP_BOGUS"]' 'unknown capability "CAP_BOGUS" in process.capabilities.bounding'
		'.process.oomScoreAdj = 5000'               'config.json: .process.oomScoreAdj: 5000 is outside [-1000, 1000]'
		'.process.scheduler = {"policy": "SCHED_BOGUS"}' 'config.json: .process.scheduler.policy: invalid value "SCHED_BOGUS"'
		'.root = "rootfs"'                          'config.json: .root: expected an object'
		'del(.root.path)'                           'config.json: .root.path: missing required field'
		'.root.readonly = "no"'                     'config.json: .root.readonly: expected a boolean'
		'.hostname = 42'                            'config.json: .hostname: expected a string'
		'.mounts = {}'                              'config.json: .mounts: expected an array'
		'.mounts[0].destination = 1'                'config.json: .mounts[0].destination: expected a string'
		'del(.mounts[0].destination)'               'config.json: .mounts[0].destination: missing required field'
		'.mounts[0].options = [1]'                  'config.json: .mounts[0].options[0]: expected a string'
		'.linux.namespaces = [{"type": "bogus"}]'   'config.json: .linux.namespaces[0].type: invalid value "bogus"'
		'.linux.namespaces += [{"type": "pid"}]'    'config.json: .linux.namespaces[5]: duplicate namespace type "pid"'
		'.linux.uidMappings = [{"containerID": 0, "hostID": "x", "size": 1}]' 'config.json: .linux.uidMappings[0].hostID: expected an integer'
		'.linux.resources.memory.limit = "1G"'      'config.json: .linux.resources.memory.limit: expected an integer'
		'.linux.resources.cpu.shares = -1'          'config.json: .linux.resources.cpu.shares: -1 is out of range for uint64'
		'.linux.sysctl = {"net.ipv4.ip_forward": 1}' 'config.json: .linux.sysctl.net.ipv4.ip_forward: expected a string'
		'.linux.sysctl = []'                        'config.json: .linux.sysctl: expected an object'
		'.linux.maskedPaths = [1]'                  'config.json: .linux.maskedPaths[0]: expected a string'
		'.linux.devices = [{"path": "/dev/x", "type": "q", "major": 1, "minor": 1}]' 'config.json: .linux.devices[0].type: "q" does not match ^[cbup]$'
		'.linux.devices = [{"path": "dev/x", "type": "c", "major": 1, "minor": 3}]' 'config.json: .linux.devices[0].path: "dev/x" is not absolute'
		'.linux.rootfsPropagation = "bogus"'        'config.json: .linux.rootfsPropagation: invalid value "bogus"'
		'.hooks.prestart = [{"path": 1}]'           'config.json: .hooks.prestart[0].path: expected a string'
		'.hooks.poststart = [{"args": ["x"]}]'      'config.json: .hooks.poststart[0].path: missing required field'
		'.annotations = {"a": 1}'                   'config.json: .annotations.a: expected a string'
		'del(.ociVersion)'                          'config.json: .ociVersion: missing required field'
	)
	local i failed=0
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.good"
	[ "${#cases[@]}" -ge 60 ]
	for ((i = 0; i < ${#cases[@]}; i += 2)); do
		jq "${cases[i]}" "$BATS_TEST_TMPDIR/config.good" >"$BUNDLE/config.json"
		if ! expect_create_error "${cases[i + 1]}"; then
			echo "  case: ${cases[i]}"
			failed=$((failed + 1))
		fi
	done
	[ "$failed" -eq 0 ]
}

@test "config.json that is not JSON" {
	printf '{"ociVersion": "1.0.0",' >"$BUNDLE/config.json"
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "create $ID: config.json: invalid JSON: "* ]]
	assert_no_leftovers "$ID"
}

@test "a failure in the middle of create leaves nothing behind (table)" {
	# each fails after the state dir, the cgroup and the init exist
	local cases=(
		'.mounts += [{"destination": "/mnt", "type": "bogusfs", "source": "none"}]'
		'error mounting "none" to rootfs at "/mnt": fsopen bogusfs: no such device'
		'.mounts += [{"destination": "/mnt", "type": "bind", "source": "/nonexistent/src", "options": ["bind"]}]'
		'mount /mnt: source /nonexistent/src: no such file or directory'
		'.linux.sysctl = {"vm.swappiness": "10"}'
		'sysctl "vm.swappiness" is not in a separate kernel namespace'
		'.linux.sysctl = {"kernel.msgmax": "8192"} | .linux.namespaces |= map(select(.type != "ipc"))'
		'sysctl "kernel.msgmax" is not allowed in the hosts ipc namespace'
		'.linux.devices = [{"path": "/proc/x", "type": "c", "major": 1, "minor": 3}]'
		'create device /proc/x: mknod /proc/x: no such file or directory'
		'.linux.devices = [{"path": "/dev/bad", "type": "c", "major": 4096, "minor": 1}]'
		'config.json: .linux.devices[0]: major/minor out of range'
		'.hostname = "x" | .linux.namespaces |= map(select(.type != "uts"))'
		'unable to set hostname without a private UTS namespace'
		'.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 99999999, "soft": 99999999}]'
		'error setting rlimit type 7 (RLIMIT_NOFILE, soft 99999999, hard 99999999): operation not permitted'
	)
	local i failed=0
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/config.good"
	for ((i = 0; i < ${#cases[@]}; i += 2)); do
		jq "${cases[i]}" "$BATS_TEST_TMPDIR/config.good" >"$BUNDLE/config.json"
		if ! expect_create_error "${cases[i + 1]}"; then
			echo "  case: ${cases[i]}"
			failed=$((failed + 1))
		fi
	done
	[ "$failed" -eq 0 ]
	# the host kept nothing either: no mount on /mnt of the rootfs
	[ ! -e "$BUNDLE/rootfs/mnt/x" ]
}

@test "missing bundle directory" {
	expect_create_error "chdir $BATS_TEST_TMPDIR/nonexistent: no such file or directory" \
		--bundle "$BATS_TEST_TMPDIR/nonexistent"
}

@test "missing config.json" {
	rm "$BUNDLE/config.json"
	expect_create_error "JSON specification file config.json not found"
	mkdir "$BATS_TEST_TMPDIR/empty"
	expect_create_error "JSON specification file config.json not found" -b "$BATS_TEST_TMPDIR/empty"
}

@test "missing rootfs" {
	rm -rf "$BUNDLE/rootfs"
	expect_create_error "invalid rootfs: stat $BUNDLE/rootfs: no such file or directory"
}

@test "duplicate id: container with given ID already exists, and the first container is unharmed" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "echo first > /shared/first; sleep 100"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	created=$(oci_rt state "$ID" | jq -r .created)

	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "create $ID: container with given ID already exists" ]
	rt_json run -d "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: container with given ID already exists" ]

	# the first one still has its init, state and fifo, and starts fine
	[ "$(status_of "$ID")" = created ]
	[ "$(init_pid "$ID")" -eq "$pid" ]
	[ "$(oci_rt state "$ID" | jq -r .created)" = "$created" ]
	[ -p "$ROOT/$ID/exec.fifo" ]
	[ -d "$(cgroup_dir_of pids "$ID")" ]
	oci_rt start "$ID"
	wait_for 5 test -s "$SHARED/first"
	[ "$(status_of "$ID")" = running ]
}

@test "every verb on an unknown id: container does not exist" {
	for verb in state start kill delete; do
		rt_json "$verb" "$ID"
		[ "$RT_RC" -eq 1 ] || { echo "$verb: rc $RT_RC"; false; }
		[ "$RT_MSG" = "container does not exist" ] || { echo "$verb: $RT_MSG"; false; }
		[ -z "$RT_OUT" ]
	done
	[ ! -e "$ROOT/$ID" ]
}

@test "start twice: cannot start an already running container" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "echo x >> /shared/starts; sleep 100"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	wait_for 5 test -s "$SHARED/starts"
	rt_json start "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "cannot start an already running container" ]
	sleep 0.2
	# the process ran once
	[ "$(cat "$SHARED/starts")" = x ]
	[ "$(status_of "$ID")" = running ]
}

@test "start of a stopped container: cannot start a container that has stopped" {
	update_config '.process.args = ["true"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	wait_status "$ID" stopped
	rt_json start "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "cannot start a container that has stopped" ]
	[ "$(status_of "$ID")" = stopped ]
}

@test "start of a created container whose init died: cannot start a container that has stopped" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "echo ran > /shared/ran"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	kill -KILL "$pid"
	assert_pid_gone "$pid"
	rt_json start "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "cannot start a container that has stopped" ]
	[ ! -e "$SHARED/ran" ]
	[ "$(status_of "$ID")" = stopped ]
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}

@test "invalid container ids: invalid container ID format, nothing created" {
	long=$(printf 'a%.0s' {1..256})
	for id in "a/b" ".." "." "$long" "a b" "x:y" "../escape"; do
		rt_json create "$id"
		[ "$RT_RC" -eq 1 ] || { echo "create '$id': rc $RT_RC"; false; }
		[ "$RT_MSG" = "create $id: invalid container ID format" ] || { echo "$RT_MSG"; false; }
		for verb in state start kill delete; do
			rt_json "$verb" "$id"
			[ "$RT_RC" -eq 1 ]
			[ "$RT_MSG" = "invalid container ID format" ] || { echo "$verb '$id': $RT_MSG"; false; }
		done
		rt_json delete -f "$id"
		[ "$RT_RC" -eq 1 ]
	done
	# nothing was made in or next to the state root
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	[ ! -e "$BATS_TEST_TMPDIR/escape" ]
	[ ! -e "$ROOT/a" ]
	# 255 bytes is still a valid id
	ok=$(printf 'b%.0s' {1..255})
	run oci_rt_bg create "$ok"
	[ "$status" -eq 0 ]
	[ "$(status_of "$ok")" = created ]
	oci_rt delete "$ok"
}

@test "an empty id: container id cannot be empty (runc's message)" {
	for verb in create state start kill delete; do
		rt_json "$verb" ""
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "container id cannot be empty" ] || { echo "$verb: $RT_MSG"; false; }
	done
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "missing executable: executable file not found in \$PATH" {
	update_config '.process.args = ["nonexistent-binary"]'
	expect_create_error 'exec: "nonexistent-binary": executable file not found in $PATH'
	rt_json run "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: exec: \"nonexistent-binary\": executable file not found in \$PATH" ]
	assert_no_leftovers "$ID"
}

@test "a file without the execute bit: permission denied" {
	printf '#!/bin/sh\necho hi\n' >"$BUNDLE/rootfs/notexec"
	chmod 0644 "$BUNDLE/rootfs/notexec"
	update_config '.process.args = ["/notexec"]'
	expect_create_error 'exec: "/notexec": permission denied'
}

@test "a directory as the executable: permission denied" {
	update_config '.process.args = ["/etc"]'
	expect_create_error 'exec: "/etc": permission denied'
}

@test "a missing absolute path: no such file or directory" {
	update_config '.process.args = ["/no/such/binary"]'
	expect_create_error 'exec: "/no/such/binary": stat /no/such/binary: no such file or directory'
}

@test "a usage error prints runc's Incorrect Usage help and exits 1" {
	run --separate-stderr oci_rt state
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "Incorrect Usage." ]
	[[ "$stderr" == *"level=error msg=\"$OCI_RT: \\\"state\\\" requires exactly 1 argument(s)\""* ]]
	run --separate-stderr oci_rt kill a b c
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"\\\"kill\\\" requires a maximum of 2 argument(s)"* ]]
	run --separate-stderr oci_rt list extra
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"\\\"list\\\" requires exactly 0 argument(s)"* ]]
}
