#!/usr/bin/env bats
# POSIX-platform hooks (config.md "POSIX-platform Hooks", runtime.md
# "Lifecycle"): prestart, createRuntime, createContainer, startContainer,
# poststart and poststop run in order, each in the namespaces and at the
# moment the spec gives, with path, args, env and timeout, and the state
# (with that moment's status) on stdin.  A failing hook fails its operation
# and, during create, leaves nothing behind; a failing poststop is only a
# warning; a failing poststart stops the container (runtime-spec v1.3.0).

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}hk
	bind_shared_dir
	# every hook records its stdin, namespaces, hostname, argv and env in
	# $SHARED (/shared inside the container), and its name in $SHARED/order
	HOOK=$BATS_TEST_TMPDIR/hook.sh
	cat >"$HOOK" <<-'EOF'
		#!/bin/sh
		d=$1 n=$2
		cat >"$d/$n.state"
		for ns in uts mnt pid net; do readlink "/proc/self/ns/$ns"; done >"$d/$n.ns"
		hostname >"$d/$n.hostname"
		echo "$@" >"$d/$n.args"
		env >"$d/$n.env"
		echo "$n" >>"$d/order"
	EOF
	chmod +x "$HOOK"
	# startContainer's path resolves inside the container
	cp "$HOOK" "$BUNDLE/rootfs/hook.sh"
	update_config '.hostname = "hookhost" | .annotations = {"org.oci-rt.test": "hooks"}'
}

# add_hook TYPE PATH [JQ_OBJECT_EXTRA]: append a hook of TYPE running PATH
# with args (DIR, TYPE); DIR is the host's or the container's view of $SHARED.
add_hook() {
	local type=$1 path=$2 extra=${3:-'{}'} dir=$SHARED
	[ "$type" = startContainer ] && dir=/shared
	update_config '.hooks[$t] += [{"path": $p, "args": [$p, $d, $t]} + $x]' \
		--arg t "$type" --arg p "$path" --arg d "$dir" --argjson x "$extra"
}

add_all_hooks() {
	local t
	for t in prestart createRuntime createContainer poststart poststop; do
		add_hook "$t" "$HOOK"
	done
	add_hook startContainer /hook.sh
}

ns_of() {
	sed -n "${2}p" "$SHARED/$1.ns"
}

@test "hooks run in the spec's order, each with its moment's state on stdin" {
	add_all_hooks
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	[ "$(cat "$SHARED/order")" = "$(printf 'prestart\ncreateRuntime\ncreateContainer')" ]
	oci_rt start "$ID"
	wait_status "$ID" stopped
	[ "$(cat "$SHARED/order")" = "$(printf 'prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart')" ]
	oci_rt delete "$ID"
	[ "$(cat "$SHARED/order")" = "$(printf 'prestart\ncreateRuntime\ncreateContainer\nstartContainer\npoststart\npoststop')" ]

	# the status each moment has (runtime.md, runc's values)
	for pair in prestart:creating createRuntime:creating createContainer:creating \
		startContainer:created poststart:running poststop:stopped; do
		hook=${pair%%:*}
		[ "$(jq -r .status "$SHARED/$hook.state")" = "${pair#*:}" ] || { echo "$hook: $(cat "$SHARED/$hook.state")"; false; }
		[ "$(jq -r .id "$SHARED/$hook.state")" = "$ID" ]
		[ "$(jq -r .bundle "$SHARED/$hook.state")" = "$BUNDLE" ]
		[ "$(jq -r .ociVersion "$SHARED/$hook.state")" = 1.3.0 ]
		[ "$(jq -r '.annotations["org.oci-rt.test"]' "$SHARED/$hook.state")" = hooks ]
	done
	# hooks in the runtime namespace see the init's pid as the runtime does
	for hook in prestart createRuntime poststart; do
		[ "$(jq -r .pid "$SHARED/$hook.state")" = "$pid" ]
	done
	assert_no_leftovers "$ID"
}

@test "prestart, createRuntime, poststart and poststop run in the runtime's namespaces; createContainer and startContainer in the container's" {
	add_all_hooks
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	c_uts=$(readlink "/proc/$pid/ns/uts") c_mnt=$(readlink "/proc/$pid/ns/mnt") c_pid=$(readlink "/proc/$pid/ns/pid")
	oci_rt start "$ID"
	oci_rt delete -f "$ID"
	h_uts=$(readlink /proc/self/ns/uts) h_mnt=$(readlink /proc/self/ns/mnt) h_pid=$(readlink /proc/self/ns/pid)
	for hook in prestart createRuntime poststart poststop; do
		[ "$(ns_of "$hook" 1)" = "$h_uts" ]
		[ "$(ns_of "$hook" 2)" = "$h_mnt" ]
		[ "$(ns_of "$hook" 3)" = "$h_pid" ]
		[ "$(cat "$SHARED/$hook.hostname")" = "$(hostname)" ]
	done
	for hook in createContainer startContainer; do
		[ "$(ns_of "$hook" 1)" = "$c_uts" ]
		[ "$(ns_of "$hook" 2)" = "$c_mnt" ]
		[ "$(ns_of "$hook" 3)" = "$c_pid" ]
		[ "$(cat "$SHARED/$hook.hostname")" = hookhost ]
	done
	assert_no_leftovers "$ID"
}

@test "a hook gets exactly its args and env; startContainer without env gets the process's" {
	update_config '.process.env += ["FROM_PROCESS=1"]'
	add_hook createRuntime "$HOOK" '{"env": ["HOOK_VAR=one", "OTHER=two words"]}'
	update_config '.hooks.createRuntime[0].args += ["extra arg"]'
	add_hook startContainer /hook.sh
	run oci_rt run "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$SHARED/createRuntime.args")" = "$SHARED createRuntime extra arg" ]
	grep -qx 'HOOK_VAR=one' "$SHARED/createRuntime.env"
	grep -qx 'OTHER=two words' "$SHARED/createRuntime.env"
	# nothing of the runtime's own environment
	! grep -q '^BATS_' "$SHARED/createRuntime.env"
	! grep -q '^FROM_PROCESS=' "$SHARED/createRuntime.env"
	grep -qx 'FROM_PROCESS=1' "$SHARED/startContainer.env"
	grep -qx 'TERM=xterm' "$SHARED/startContainer.env"
	assert_no_leftovers "$ID"
}

@test "a createRuntime hook that fails fails create with its output, and leaves nothing behind" {
	printf '#!/bin/sh\necho to-stdout\necho to-stderr >&2\nexit 3\n' >"$BATS_TEST_TMPDIR/fail.sh"
	chmod +x "$BATS_TEST_TMPDIR/fail.sh"
	add_hook createRuntime "$HOOK"
	add_hook createRuntime "$BATS_TEST_TMPDIR/fail.sh"
	add_hook createRuntime "$HOOK" '{"args": ["never", "runs"]}'
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	# the hook's output, newlines and all, in one JSON log line
	[ "$(jq -c 'select(.level == "error") | .msg' <<<"$RT_ERR")" = \
		"\"create $ID: error running createRuntime hook #1: error running hook: exit status 3, stdout: to-stdout\\n, stderr: to-stderr\\n\"" ]
	[ "$(cat "$SHARED/order")" = createRuntime ]
	assert_no_leftovers "$ID"
}

@test "a createContainer hook that fails fails create and leaves nothing behind" {
	add_hook createContainer /bin/false
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "create $ID: error running createContainer hook #0: error running hook: exit status 1"* ]]
	assert_no_leftovers "$ID"
}

@test "a hook killed by a signal: Go's words for the signal (signal: floating point exception)" {
	printf '#!/bin/sh\nkill -FPE $$\n' >"$BATS_TEST_TMPDIR/fpe.sh"
	chmod +x "$BATS_TEST_TMPDIR/fpe.sh"
	add_hook createRuntime "$BATS_TEST_TMPDIR/fpe.sh"
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "create $ID: error running createRuntime hook #0: error running hook: signal: floating point exception, stdout: , stderr: "* ]]
	assert_no_leftovers "$ID"
	printf '#!/bin/sh\nkill -XCPU $$\n' >"$BATS_TEST_TMPDIR/fpe.sh"
	rt_json create "$ID"
	[[ "$RT_MSG" == *"error running hook: signal: CPU time limit exceeded, stdout"* ]]
	assert_no_leftovers "$ID"
}

@test "a prestart hook past its timeout is killed and create fails in time" {
	printf '#!/bin/sh\nexec sleep 60\n' >"$BATS_TEST_TMPDIR/slow.sh"
	chmod +x "$BATS_TEST_TMPDIR/slow.sh"
	add_hook prestart "$BATS_TEST_TMPDIR/slow.sh" '{"timeout": 1}'
	start=$(date +%s)
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[ $(($(date +%s) - start)) -lt 10 ]
	[ "$RT_MSG" = "create $ID: error running prestart hook #0: hook ran past specified timeout of 1.0s" ]
	! pgrep -f "$BATS_TEST_TMPDIR/slow.sh" >/dev/null
	assert_no_leftovers "$ID"
}

@test "a hook that never reads a large state on stdin does not kill the runtime" {
	# state bigger than a pipe's buffer
	head -c 200000 /dev/zero | tr '\0' x >"$BATS_TEST_TMPDIR/big"
	update_config '.annotations.big = $b' --rawfile b "$BATS_TEST_TMPDIR/big"
	add_hook createRuntime /bin/true
	add_hook poststop /bin/true
	oci_rt_bg create "$ID"
	[ "$(status_of "$ID")" = created ]
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}

@test "a startContainer hook that fails: the process never runs and the container stops" {
	add_hook startContainer /bin/false
	update_config '.process.args = ["sh", "-c", "echo ran > /shared/ran"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID" || true
	wait_status "$ID" stopped
	[ ! -e "$SHARED/ran" ]
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}

@test "a poststart hook that fails is an error and stops the container (runtime-spec v1.3.0)" {
	add_hook poststart /bin/false
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	rt_json start "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "error running poststart hook #0: error running hook: exit status 1"* ]]
	assert_pid_gone "$pid"
	wait_status "$ID" stopped
	oci_rt delete "$ID"
	assert_no_leftovers "$ID"
}

@test "a poststart hook that fails in run: run fails and nothing is left" {
	add_hook poststart /bin/false
	update_config '.process.args = ["sleep", "100"]'
	rt_json run "$ID"
	[ "$RT_RC" -ne 0 ]
	[[ "$RT_MSG" == *"error running poststart hook #0"* ]]
	assert_no_leftovers "$ID"
}

@test "a poststop hook that fails is a warning: delete succeeds" {
	add_hook poststop /bin/false
	oci_rt_bg create "$ID"
	rt_json delete "$ID"
	[ "$RT_RC" -eq 0 ]
	[ "$(jq -r 'select(.level == "warning") | .msg' <<<"$RT_ERR")" = "error running poststop hook #0: error running hook: exit status 1, stdout: , stderr: " ]
	assert_no_leftovers "$ID"
}

@test "a hook whose path does not exist fails create with the reason" {
	add_hook createRuntime /nonexistent/hook
	rt_json create "$ID"
	[ "$RT_RC" -eq 1 ]
	[[ "$RT_MSG" == "create $ID: error running createRuntime hook #0: "* ]]
	[[ "$RT_MSG" == *"exec /nonexistent/hook: no such file or directory" ]]
	assert_no_leftovers "$ID"
}
