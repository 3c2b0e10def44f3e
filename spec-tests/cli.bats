#!/usr/bin/env bats
# The command line as runc's clients drive it: flag forms, flag order, log
# formats, version/help, list output, and silence on success.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}c
	update_config '.process.args = ["sleep", "100"]'
}

RFC3339='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})'

# assert_running ID: the container runs: its init is alive and in its cgroup.
assert_running() {
	local pid
	[ "$(status_of "$1")" = running ]
	pid=$(init_pid "$1")
	kill -0 "$pid"
	grep -qx "$pid" "$(cgroup_dir_of pids "$1")/cgroup.procs"
}

@test "global flags: --root DIR and --root=DIR name the same state root" {
	# (not under `run`: the container would hold its output pipe)
	"$OCI_RT" --root="$ROOT" create "$ID" </dev/null >/dev/null 2>&1 3>&- 4>&-
	[ -f "$ROOT/$ID/state.json" ]
	run "$OCI_RT" --root "$ROOT" start "$ID"
	[ "$status" -eq 0 ]
	assert_running "$ID"
	run "$OCI_RT" -root="$ROOT" state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	run "$OCI_RT" -root "$ROOT" list -q
	[ "$output" = "$ID" ]
}

@test "--log FILE --log-format json: one JSON line per error in the file, the bare message on stderr" {
	log=$BATS_TEST_TMPDIR/log.json
	run --separate-stderr oci_rt --log "$log" --log-format json state "$ID"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "container does not exist" ]
	run --separate-stderr oci_rt --log="$log" --log-format=json kill "$ID"
	[ "$status" -eq 1 ]
	[ "$stderr" = "container does not exist" ]
	# appended, one object per line, keys level, msg, time in that order
	[ "$(wc -l <"$log")" -eq 2 ]
	while read -r line; do
		[[ "$line" =~ ^\{\"level\":\"error\",\"msg\":\"container\ does\ not\ exist\",\"time\":\"$RFC3339\"\}$ ]]
	done <"$log"
	# a create error reaches the log the way containerd reads it
	update_config '.process.args = ["nonexistent-binary"]'
	run oci_rt_bg --log "$log" --log-format json create "$ID"
	[ "$status" -eq 1 ]
	[ "$(tail -n 1 "$log" | jq -r .msg)" = "create $ID: exec: \"nonexistent-binary\": executable file not found in \$PATH" ]
	[ "$(tail -n 1 "$log" | jq -r .level)" = error ]
	assert_no_leftovers "$ID"
}

@test "--log FILE: a successful create logs nothing and prints nothing" {
	log=$BATS_TEST_TMPDIR/log.json
	run oci_rt_bg --log "$log" --log-format json create "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ ! -s "$log" ]
	run --separate-stderr oci_rt --log "$log" start "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	assert_running "$ID"
	[ ! -s "$log" ]
}

@test "--log FILE in text format: logrus text line in the file, the bare message on stderr" {
	log=$BATS_TEST_TMPDIR/log.txt
	run --separate-stderr oci_rt --log "$log" delete "$ID"
	[ "$status" -eq 1 ]
	[ "$stderr" = "container does not exist" ]
	[[ "$(cat "$log")" =~ ^time=\"$RFC3339\"\ level=error\ msg=\"container\ does\ not\ exist\"$ ]]
}

@test "without --log: text format on stderr, or JSON with --log-format json" {
	run --separate-stderr oci_rt state "$ID"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^time=\"$RFC3339\"\ level=error\ msg=\"container\ does\ not\ exist\"$ ]]
	run --separate-stderr oci_rt --log-format json state "$ID"
	[ "$status" -eq 1 ]
	[[ "$stderr" =~ ^\{\"level\":\"error\",\"msg\":\"container\ does\ not\ exist\",\"time\":\"$RFC3339\"\}$ ]]
	# quotes in a message are escaped in both formats
	oci_rt_bg create "$ID"
	run --separate-stderr oci_rt kill "$ID" FOO
	[ "$status" -eq 1 ]
	[[ "$stderr" =~ ^time=\"$RFC3339\"\ level=error\ msg=\"unknown\ signal\ \\\"FOO\\\"\"$ ]]
	run --separate-stderr oci_rt --log-format json kill "$ID" FOO
	[ "$(jq -r .msg <<<"$stderr")" = 'unknown signal "FOO"' ]
}

@test "--log-format other than text or json is refused" {
	run --separate-stderr oci_rt --log-format yaml list
	[ "$status" -eq 1 ]
	[[ "$stderr" == *'msg="invalid log-format: yaml"' ]]
}

@test "create takes --bundle DIR, --bundle=DIR, -b DIR and -b=DIR from any cwd" {
	cd "$BATS_TEST_TMPDIR"
	n=0
	for form in "--bundle $BUNDLE" "--bundle=$BUNDLE" "-b $BUNDLE" "-b=$BUNDLE"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		run oci_rt_bg create $form "$ID$n"
		[ "$status" -eq 0 ]
		[ "$(oci_rt state "$ID$n" | jq -r .bundle)" = "$BUNDLE" ]
		[ "$(status_of "$ID$n")" = created ]
	done
	# and the flag may follow the id
	run oci_rt_bg create "${ID}last" --bundle "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$(oci_rt state "${ID}last" | jq -r .rootfs)" = "$BUNDLE/rootfs" ]
}

@test "delete takes --force, -f, --force=true, before or after the id" {
	n=0
	for form in "--force ID" "-f ID" "--force=true ID" "ID --force" "ID -f"; do
		n=$((n + 1))
		oci_rt_bg create "$ID$n"
		oci_rt start "$ID$n"
		assert_running "$ID$n"
		pid=$(init_pid "$ID$n")
		# shellcheck disable=SC2086
		run --separate-stderr oci_rt delete ${form/ID/$ID$n}
		[ "$status" -eq 0 ] || { echo "delete $form: $stderr"; false; }
		[ -z "$output$stderr" ]
		assert_pid_gone "$pid"
		assert_no_leftovers "$ID$n"
	done
	# --force=false is no force at all
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	rt_json delete --force=false "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "cannot delete container $ID that is not stopped: running" ]
	assert_running "$ID"
	rt_json delete --force=maybe "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = 'invalid boolean value "maybe" for -force: parse error' ]
}

@test "kill: --all after the signal, and a dash argument after the id is the signal (urfave order)" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "trap \"echo usr1 >> /shared/got\" USR1; touch /shared/ready; while :; do sleep 0.1; done"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	# a signal before the trap is set would kill the shell
	wait_for 5 test -e "$SHARED/ready"
	run oci_rt kill "$ID" USR1 --all
	[ "$status" -eq 0 ]
	wait_for 5 grep -qx usr1 "$SHARED/got"
	# runc: before the id "-9" is an undefined flag, after it the signal -9
	rt_json kill -9 "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "flag provided but not defined: -9" ]
	[[ "$RT_OUT" == "Incorrect Usage: flag provided but not defined: -9"* ]]
	rt_json kill "$ID" -9
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "unable to signal init: invalid argument" ]
	assert_running "$ID"
}

@test "--version and -v print oci-rt version and the spec version, exit 0" {
	for flag in --version -v; do
		run --separate-stderr "$OCI_RT" "$flag"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[[ "${lines[0]}" =~ ^oci-rt\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]]
		[ "${lines[1]}" = "spec: 1.3.0" ]
	done
	# the spec version is the one state reports
	oci_rt_bg create "$ID"
	[ "$(oci_rt state "$ID" | jq -r .ociVersion)" = 1.3.0 ]
}

@test "-h, --help, help, help VERB and VERB --help show help on stdout and exit 0" {
	for args in "-h" "--help" "help" "h" ""; do
		# shellcheck disable=SC2086
		run --separate-stderr "$OCI_RT" $args
		[ "$status" -eq 0 ] || { echo "'$args': $status"; false; }
		[ -z "$stderr" ]
		[[ "$output" == *"USAGE:"* ]]
		[[ "$output" == *"GLOBAL OPTIONS:"* ]]
		for verb in create start state kill delete list run spec features; do
			grep -qE "^   $verb " <<<"$output"
		done
	done
	for args in "help kill" "kill --help" "kill -h" "kill $ID --help"; do
		# shellcheck disable=SC2086
		run --separate-stderr oci_rt $args
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		[[ "${lines[1]}" == *"oci-rt kill - kill sends the specified signal"* ]]
		[[ "$output" == *"--all, -a"* ]]
	done
	[ ! -e "$ROOT/$ID" ]
}

@test "--criu is accepted and ignored; --systemd-cgroup and --rootless are accepted" {
	"$OCI_RT" --criu /nonexistent/criu --root "$ROOT" create "$ID" </dev/null >/dev/null 2>&1 3>&- 4>&-
	[ "$(status_of "$ID")" = created ]
	run --separate-stderr "$OCI_RT" --systemd-cgroup --root "$ROOT" start "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	assert_running "$ID"
	run --separate-stderr "$OCI_RT" --rootless=false --criu=x --root "$ROOT" state "$ID"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r .status <<<"$output")" = running ]
	run --separate-stderr "$OCI_RT" --systemd-cgroup --rootless false --root "$ROOT" delete -f "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	assert_no_leftovers "$ID"
}

@test "an unknown command fails like runc's: exit 3, No help topic" {
	run --separate-stderr oci_rt bogus "$ID"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	# urfave prints it with Fprintln: the message ends in a newline
	[[ "$stderr" =~ ^time=\"$RFC3339\"\ level=error\ msg= ]]
	[[ "$stderr" == *' level=error msg="No help topic for '"'bogus'"'\n"' ]]
	run --separate-stderr oci_rt help bogus
	[ "$status" -eq 3 ]
}

@test "checkpoint --help and restore --help exit non-zero: clients probe them for C/R support" {
	run "$OCI_RT" checkpoint --help
	[ "$status" -ne 0 ]
	run "$OCI_RT" restore --help
	[ "$status" -ne 0 ]
}

@test "unknown flags: flag provided but not defined, Incorrect Usage on stdout, exit 1" {
	run --separate-stderr "$OCI_RT" --bogus --root "$ROOT" list
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "Incorrect Usage. flag provided but not defined: -bogus" ]
	[[ "$stderr" == *'msg="flag provided but not defined: -bogus"' ]]
	run --separate-stderr oci_rt state --bogus "$ID"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "Incorrect Usage: flag provided but not defined: -bogus" ]
	[[ "$stderr" == *'msg="flag provided but not defined: -bogus"' ]]
	run --separate-stderr oci_rt create --bundle
	[ "$status" -eq 1 ]
	[[ "$stderr" == *'msg="flag needs an argument: -bundle"' ]]
	run --separate-stderr oci_rt_bg create --preserve-fds=x "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *'msg="invalid value \"x\" for flag -preserve-fds: parse error"'* ]]
	assert_no_leftovers "$ID"
}

@test "list with no containers: runc's table header, json null, nothing for -q" {
	run --separate-stderr oci_rt list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "ID          PID         STATUS      BUNDLE      CREATED     OWNER" ]
	for form in "-f json" "--format json" "--format=json" "-f=json"; do
		# shellcheck disable=SC2086
		run --separate-stderr oci_rt list $form
		[ "$status" -eq 0 ]
		[ "$output" = null ]
		[ -z "$stderr" ]
	done
	run --separate-stderr oci_rt list -q
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	run --separate-stderr oci_rt list --format yaml
	[ "$status" -eq 1 ]
	[[ "$stderr" == *'msg="invalid format option"' ]]
}

@test "list: runc's tabwriter table, one-line JSON array, -q ids" {
	oci_rt_bg create "${ID}b"
	oci_rt start "${ID}b"
	oci_rt_bg create "${ID}a"
	update_config '.process.args = ["true"]'
	oci_rt_bg create "${ID}c"
	oci_rt start "${ID}c"
	wait_status "${ID}c" stopped

	# -q: the ids, sorted
	run --separate-stderr oci_rt list -q
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "$(printf '%s\n' "${ID}a" "${ID}b" "${ID}c")" ]

	# JSON: one line, the state objects with owner "root", ending in "]\n"
	oci_rt list --format=json >"$BATS_TEST_TMPDIR/list.json"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/list.json")" -eq 1 ]
	[ "$(tail -c 2 "$BATS_TEST_TMPDIR/list.json" | od -An -c | tr -d ' ')" = ']\n' ]
	json=$(cat "$BATS_TEST_TMPDIR/list.json")
	[ "$(jq -r 'map(.id + ":" + .status) | join(" ")' <<<"$json")" = "${ID}a:created ${ID}b:running ${ID}c:stopped" ]
	[ "$(jq -r 'map(.owner) | unique | join(",")' <<<"$json")" = root ]
	[ "$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$json")" = "ociVersion,id,pid,status,bundle,rootfs,created,owner" ]
	[ "$(jq -r '.[1].pid' <<<"$json")" -eq "$(init_pid "${ID}b")" ]
	[ "$(jq -r '.[2].pid' <<<"$json")" -eq 0 ]
	for id in "${ID}a" "${ID}b" "${ID}c"; do
		[ "$(jq -c --arg id "$id" '.[] | select(.id == $id) | del(.owner)' <<<"$json")" = \
			"$(oci_rt state "$id" | jq -c 'del(.owner)')" ]
	done

	# table: Go's tabwriter (minwidth 12, padding 3) over ID PID STATUS BUNDLE CREATED OWNER
	run --separate-stderr oci_rt list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	{
		printf 'ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n'
		jq -r '.[] | [.id, (.pid | tostring), .status, .bundle, .created, .owner] | join("\t")' <<<"$json"
	} >"$BATS_TEST_TMPDIR/cells"
	expected=$(awk -F'\t' '
		{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) + 3 > w[i]) w[i] = length($i) + 3 } }
		END {
			for (r = 1; r <= NR; r++) {
				line = ""
				for (i = 1; i < 6; i++) line = line sprintf("%-" (w[i] < 12 ? 12 : w[i]) "s", cell[r, i])
				print line cell[r, 6]
			}
		}' "$BATS_TEST_TMPDIR/cells")
	[ "$output" = "$expected" ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER$ ]]
	[[ "${lines[2]}" =~ ^${ID}b\ +[0-9]+\ +running\ +$BUNDLE\ +[0-9T:.-]+Z\ +root$ ]]
}

@test "list: OWNER is the state directory's owner from /etc/passwd, #uid without an entry" {
	oci_rt_bg create "${ID}a"
	oci_rt_bg create "${ID}b"
	nobody=$(awk -F: '$3 == 65534 {print $1; exit}' /etc/passwd)
	[ -n "$nobody" ]
	chown 65534 "$ROOT/${ID}a"
	chown 54321 "$ROOT/${ID}b"
	json=$(oci_rt list --format json)
	[ "$(jq -r --arg id "${ID}a" '.[] | select(.id == $id) | .owner' <<<"$json")" = "$nobody" ]
	[ "$(jq -r --arg id "${ID}b" '.[] | select(.id == $id) | .owner' <<<"$json")" = "#54321" ]
	run oci_rt list
	[[ "${lines[1]}" == *" $nobody" ]]
	[[ "${lines[2]}" == *" #54321" ]]
}

@test "list of many containers (read on every core): each once, sorted, with the status state reports" {
	update_config '.process.args = ["sleep", "100"]'
	for i in $(seq -w 1 70); do
		oci_rt_bg create "${ID}-$i"
	done
	for i in 07 33 64; do oci_rt start "${ID}-$i"; done
	oci_rt pause "${ID}-33"
	oci_rt pause "${ID}-50"
	kill -9 "$(init_pid "${ID}-12")"
	wait_status "${ID}-12" stopped

	json=$(oci_rt list --format json)
	[ "$(jq length <<<"$json")" -eq 70 ]
	[ "$(jq -r '.[].id' <<<"$json")" = "$(printf "${ID}-%s\n" $(seq -w 1 70))" ]
	for i in $(seq -w 1 70); do
		expect=$(oci_rt state "${ID}-$i" | jq -r '.status + " " + (.pid | tostring)')
		[ "$(jq -r --arg id "${ID}-$i" '.[] | select(.id == $id) | .status + " " + (.pid | tostring)' <<<"$json")" = "$expect" ]
	done
	[ "$(jq -r 'map(.status) | group_by(.) | map("\(.[0])=\(length)") | join(" ")' <<<"$json")" = \
		"created=65 paused=2 running=2 stopped=1" ]
	oci_rt resume "${ID}-33"
	oci_rt resume "${ID}-50"
}

@test "successful commands print nothing on stderr" {
	run --separate-stderr oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	for cmd in "start $ID" "state $ID" "list" "list -f json" "kill $ID 0" "kill $ID KILL"; do
		# shellcheck disable=SC2086
		run --separate-stderr oci_rt $cmd
		[ "$status" -eq 0 ] || { echo "$cmd: $status"; false; }
		[ -z "$stderr" ] || { echo "$cmd: $stderr"; false; }
	done
	wait_status "$ID" stopped
	run --separate-stderr oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output$stderr" ]
	assert_no_leftovers "$ID"
}
