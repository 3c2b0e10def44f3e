#!/usr/bin/env bats
# The runtime's log as its clients read it (clients.md §1.5, §2.3, §3.4):
# containerd's shim passes `--log <bundle>/log.json --log-format json` to
# every command and decodes the file as a stream of {level,msg,time}
# objects, reporting the LAST error line; podman parses a create's oci-log
# as ONE JSON object, and for a runtime named oci-rt passes no --log at all
# and shows what the runtime printed on stderr.  A successful command
# writes nothing on stderr and no line above warning.

bats_require_minimum_version 1.5.0

load helpers
load client_helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}lg
	LOG=$BATS_TEST_TMPDIR/log.json
	update_config '.process.terminal = false | .process.args = ["sleep", "100"]'
}

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$'

# rt ARGS...: the runtime as the shim runs it (log file, json), stdio on
# files; sets RC, OUT, ERR.
rt() {
	RC=0
	"$OCI_RT" --root "$ROOT" --log "$LOG" --log-format json "$@" \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- 4>&- || RC=$?
	OUT=$(cat "$BATS_TEST_TMPDIR/out")
	ERR=$(cat "$BATS_TEST_TMPDIR/err")
}

# rt_ok ARGS...: rt, which must succeed with nothing on stderr.
rt_ok() {
	rt "$@"
	[ "$RC" -eq 0 ] || { echo "$*: exit $RC: $ERR"; return 1; }
	[ -z "$ERR" ] || { echo "$*: stderr: $ERR"; return 1; }
}

# assert_log_decodes FILE: every line is one object with exactly the keys
# level, msg, time, a logrus level, and a time Go's time.Time (RFC 3339)
# decodes, as containerd's getLastRuntimeError needs.
assert_log_decodes() {
	local line n=0
	while IFS= read -r line; do
		n=$((n + 1))
		jq -e 'type == "object" and (keys == ["level", "msg", "time"]) and (.msg | type == "string")
			and (.level | IN("debug", "info", "warning", "error", "fatal", "panic"))' <<<"$line" >/dev/null ||
			{ echo "line $n is not a log object: $line"; return 1; }
		[[ "$(jq -r .time <<<"$line")" =~ $RFC3339 ]] || { echo "line $n: time not RFC 3339: $line"; return 1; }
	done <"$1"
}

# last_error FILE: the msg of the last error line (containerd's choice).
last_error() {
	jq -r 'select(.level == "error") | .msg' "$1" | tail -n 1
}

@test "a container's whole life as the shim drives it: nothing on stderr, no line above warning" {
	bind_shared_dir
	echo '{"args": ["sh", "-c", "echo exec-ran >/shared/x"], "cwd": "/", "env": ["PATH=/bin"]}' >"$BATS_TEST_TMPDIR/p.json"
	rt_ok create --bundle "$BUNDLE" --pid-file "$BUNDLE/init.pid" "$ID"
	[ -z "$OUT" ]
	rt_ok start "$ID"
	rt_ok state "$ID"
	[ "$(jq -r .status <<<"$OUT")" = running ]
	rt_ok ps --format json "$ID"
	[ "$OUT" = "[$(cat "$BUNDLE/init.pid")]" ]
	rt_ok exec --process "$BATS_TEST_TMPDIR/p.json" --detach --pid-file "$BUNDLE/e1.pid" "$ID"
	wait_for 5 test -s "$SHARED/x"
	[ "$(cat "$SHARED/x")" = exec-ran ]
	rt_ok list --format=json
	rt_ok kill "$ID" 9
	wait_status "$ID" stopped
	rt_ok delete "$ID"
	# delete --force of what is gone is no error either (the shim's cleanup)
	rt_ok delete --force "$ID"
	assert_log_decodes "$LOG"
	run jq -r 'select(.level != "debug" and .level != "info" and .level != "warning")' "$LOG"
	[ -z "$output" ]
	assert_no_leftovers "$ID"
}

@test "the shim's cgroup verbs (pause, resume, update --resources -, events --stats): silent on success" {
	require_cgroup_support
	rt_ok create --bundle "$BUNDLE" --pid-file "$BUNDLE/init.pid" "$ID"
	rt_ok start "$ID"
	rt_ok pause "$ID"
	rt_ok state "$ID"
	[ "$(jq -r .status <<<"$OUT")" = paused ]
	rt_ok resume "$ID"
	RC=0
	"$OCI_RT" --root "$ROOT" --log "$LOG" --log-format json update --resources - "$ID" \
		<<<'{"pids": {"limit": 42}}' >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- 4>&- || RC=$?
	[ "$RC" -eq 0 ]
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	[ "$(cat "$(cgroup_dir_of pids "$ID")/pids.max")" = 42 ]
	rt_ok events --stats "$ID"
	[ "$(jq -r '.type + " " + .id + " " + (.data.pids.limit | tostring)' <<<"$OUT")" = "stats $ID 42" ]
	rt_ok delete --force "$ID"
	assert_log_decodes "$LOG"
	[ ! -s "$LOG" ]
	assert_no_leftovers "$ID"
	# the failure clients match on (runc's wording): a stopped container
	# cannot be paused
	update_config '.process.args = ["true"]'
	rt_ok create --bundle "$BUNDLE" "$ID"
	rt_ok start "$ID"
	wait_status "$ID" stopped
	rt pause "$ID"
	[ "$RC" -eq 1 ]
	[ "$ERR" = "container not running" ]
	[ "$(last_error "$LOG")" = "container not running" ]
	[ "$(jq -s length "$LOG")" -eq 1 ]
}

@test "--debug: debug lines go to the log file as JSON, never to stderr" {
	rt --debug create --bundle "$BUNDLE" "$ID"
	[ "$RC" -eq 0 ]
	[ -z "$ERR" ] || { echo "stderr: $ERR"; false; }
	assert_log_decodes "$LOG"
	[ "$(jq -r 'select(.level == "debug") | .msg' "$LOG" | grep -c '^plan: ')" -ge 1 ]
	[ "$(jq -r 'select(.level == "debug") | .msg' "$LOG" | grep -c '^oci-rt timing (create): parse=')" -eq 1 ]
	run jq -r 'select(.level == "error")' "$LOG"
	[ -z "$output" ]
	rt_ok --debug delete --force "$ID"
	assert_no_leftovers "$ID"
}

@test "a failing create: the log is one JSON object (podman) naming the real cause, the bare message on stderr" {
	# each case: a config edit and the message it must give
	while IFS='|' read -r edit want; do
		rm -f "$LOG"
		cp "$TOP/bundles/busybox/config.json" "$BUNDLE/config.json"
		update_config ".process.terminal = false | $edit"
		rt create --bundle "$BUNDLE" --pid-file "$BUNDLE/init.pid" "$ID"
		[ "$RC" -eq 1 ] || { echo "$edit: exit $RC"; false; }
		[ -z "$OUT" ]
		# podman: json.Unmarshal of the whole file
		[ "$(jq -s length "$LOG")" -eq 1 ] || { echo "$edit: log: $(cat "$LOG")"; false; }
		assert_log_decodes "$LOG"
		[ "$(jq -r .level "$LOG")" = error ]
		msg=$(jq -r .msg "$LOG")
		[[ "$msg" == "create $ID: "*"$want"* ]] || { echo "$edit: got: $msg"; echo "want: $want"; false; }
		[ "$ERR" = "$msg" ]
		[ ! -e "$BUNDLE/init.pid" ]
		assert_no_leftovers "$ID"
	done <<-'EOF'
		.process.args = ["nonexistent"]|exec: "nonexistent": executable file not found in $PATH
		.process.args = ["/no/such/file"]|exec: "/no/such/file": stat /no/such/file: no such file or directory
		.process.cwd = "/etc/passwd/x"|/etc/passwd/x
		.mounts += [{"destination": "/m", "type": "none", "source": "/nonexistent-src", "options": ["bind"]}]|/nonexistent-src
		.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "echo hook-said-no >&2; exit 4"]}]|error running createRuntime hook #0: error running hook: exit status 4, stdout: , stderr: hook-said-no
	EOF
}

@test "a failing exec: the last error line is the exec's cause, exit 255, no pid file" {
	oci_rt_bg create --bundle "$BUNDLE" "$ID"
	oci_rt start "$ID"
	echo '{"args": ["nonexistent"], "cwd": "/", "env": ["PATH=/bin"]}' >"$BATS_TEST_TMPDIR/p.json"
	rt exec --process "$BATS_TEST_TMPDIR/p.json" --detach --pid-file "$BUNDLE/e1.pid" "$ID"
	[ "$RC" -eq 255 ]
	assert_log_decodes "$LOG"
	[ "$(last_error "$LOG")" = 'exec failed: exec: "nonexistent": executable file not found in $PATH' ]
	[ "$ERR" = "$(last_error "$LOG")" ]
	[ ! -e "$BUNDLE/e1.pid" ]
	# the log is appended to: a later error is the last line, earlier ones stay
	rt start "$ID"
	[ "$RC" -eq 1 ]
	[ "$(last_error "$LOG")" = "cannot start an already running container" ]
	[ "$(jq -s length "$LOG")" -eq 2 ]
}

@test "a failing poststop hook is a warning: delete succeeds, stderr stays empty, no error line" {
	update_config '.hooks.poststop = [{"path": "/bin/sh", "args": ["sh", "-c", "exit 3"]}] | .process.args = ["true"]'
	rt_ok create --bundle "$BUNDLE" "$ID"
	rt_ok start "$ID"
	wait_status "$ID" stopped
	rt_ok delete "$ID"
	assert_log_decodes "$LOG"
	[ "$(jq -s length "$LOG")" -eq 1 ]
	[ "$(jq -r .level "$LOG")" = warning ]
	[[ "$(jq -r .msg "$LOG")" == *"error running poststop hook #0: error running hook: exit status 3"* ]]
	assert_no_leftovers "$ID"
}

@test "without --log (podman's case for oci-rt): one readable error line on stderr, nothing on stdout" {
	update_config '.process.args = ["nonexistent"]'
	run --separate-stderr "$OCI_RT" --root "$ROOT" create --bundle "$BUNDLE" "$ID" </dev/null 3>&- 4>&-
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" =~ ^time=\"[0-9T:Z+-]+\"\ level=error\ msg=\"create\ $ID:\ exec:\ \\\"nonexistent\\\":\ executable\ file\ not\ found\ in\ \$PATH\"$ ]]
	assert_no_leftovers "$ID"
}
