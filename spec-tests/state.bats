#!/usr/bin/env bats
# `state`: the status and pid of a container as runc prints them.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}st
	OTHER=
}

teardown() {
	[ -z "$OTHER" ] || kill "$OTHER" 2>/dev/null || true
	teardown_containers
}

@test "state of a created container: status created, pid is the host pid of the waiting init" {
	update_config '.process.args = ["sleep", "100"]'
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	[ -z "$output" ]

	run --separate-stderr oci_rt state "$ID"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r .status <<<"$output")" = created ]
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
	[ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$output")" = "$BUNDLE/rootfs" ]
	[ "$(jq -r .ociVersion <<<"$output")" = 1.3.0 ]
	[ "$(jq -r .owner <<<"$output")" = "" ]
	pid=$(jq -r .pid <<<"$output")
	[ "$pid" -gt 1 ]
	# outside: that host pid is the container's init, pid 1 of its own pid
	# namespace, and has not exec'd the process yet
	[ "$(awk '/^NSpid:/ {print $2, $3}' "/proc/$pid/status")" = "$pid 1" ]
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]
	! grep -q sleep "/proc/$pid/cmdline"
	grep -qx "$pid" "$(cgroup_dir_of pids "$ID")/cgroup.procs"
}

@test "state of a running container reports the host pid of the process the container sees as pid 1" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "echo $$ > /shared/inner; exec sleep 100"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	oci_rt start "$ID"
	wait_for 5 test -s "$SHARED/inner"

	run --separate-stderr oci_rt state "$ID"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r .status <<<"$output")" = running ]
	[ "$(jq -r .pid <<<"$output")" -eq "$pid" ]
	# inside it is pid 1; outside the same process is now sleep
	[ "$(cat "$SHARED/inner")" = 1 ]
	wait_for 5 grep -q sleep "/proc/$pid/cmdline"
	[ "$(awk '/^NSpid:/ {print $3}' "/proc/$pid/status")" = 1 ]
}

@test "state of a stopped container: status stopped and pid 0" {
	bind_shared_dir
	update_config '.process.args = ["sh", "-c", "echo ran > /shared/ran"]'
	oci_rt_bg create "$ID"
	pid=$(init_pid "$ID")
	oci_rt start "$ID"
	wait_status "$ID" stopped
	[ "$(cat "$SHARED/ran")" = ran ]
	assert_pid_gone "$pid"

	run --separate-stderr oci_rt state "$ID"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r .status <<<"$output")" = stopped ]
	[ "$(jq -r .pid <<<"$output")" = 0 ]
	# the container still exists until deleted
	[ -d "$ROOT/$ID" ]
}

@test "state after the init was killed from outside says stopped" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	kill -KILL "$pid"
	assert_pid_gone "$pid"
	wait_status "$ID" stopped
	[ "$(init_pid "$ID")" = 0 ]
}

@test "state is not fooled by pid reuse: a live process with another start time is not the init" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg create "$ID"
	oci_rt start "$ID"
	pid=$(init_pid "$ID")
	oci_rt kill "$ID" KILL
	assert_pid_gone "$pid"

	# an unrelated host process takes the init's place in state.json
	sleep 100 </dev/null >/dev/null 2>&1 3>&- &
	OTHER=$!
	other=$OTHER
	jq --argjson p "$other" '.pid = $p' "$ROOT/$ID/state.json" >"$BATS_TEST_TMPDIR/s.json"
	cp "$BATS_TEST_TMPDIR/s.json" "$ROOT/$ID/state.json"
	[ "$(jq .pid "$ROOT/$ID/state.json")" -eq "$other" ]

	run --separate-stderr oci_rt state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = stopped ]
	[ "$(jq -r .pid <<<"$output")" = 0 ]
	# and deleting the container leaves that process alone
	run oci_rt delete "$ID"
	[ "$status" -eq 0 ]
	kill -0 "$other"
	assert_no_leftovers "$ID"
}

@test "state JSON has runc's shape: keys, order, 2-space indent, no trailing newline" {
	update_config '.process.args = ["sleep", "100"]'
	before=$(date +%s)
	oci_rt_bg create "$ID"
	oci_rt state "$ID" >"$BATS_TEST_TMPDIR/state.json"
	raw=$(cat "$BATS_TEST_TMPDIR/state.json")

	# exactly these keys in this order (no annotations without annotations)
	[ "$(jq -r 'keys_unsorted | join(",")' <<<"$raw")" = "ociVersion,id,pid,status,bundle,rootfs,created,owner" ]
	# Go's MarshalIndent with two spaces is what jq prints
	[ "$raw" = "$(jq . <<<"$raw")" ]
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/state.json")" = '  "ociVersion": "1.3.0",' ]
	# no trailing newline: the file ends with the closing brace
	[ "$(tail -c 1 "$BATS_TEST_TMPDIR/state.json" | od -An -c | tr -d ' ')" = "}" ]
	# created: RFC 3339 in UTC with Go's trimmed nanoseconds, and now
	created=$(jq -r .created <<<"$raw")
	[[ "$created" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]*[1-9])?Z$ ]]
	t=$(date -d "$created" +%s)
	[ "$t" -ge "$before" ]
	[ "$t" -le "$(date +%s)" ]
}

@test "state shows annotations only when present, sorted by key like a Go map" {
	update_config '.process.args = ["sleep", "100"]
		| .annotations = {"z.last": "1", "a.first": "x<y", "m.middle": ""}'
	oci_rt_bg create "$ID"
	raw=$(oci_rt state "$ID")
	[ "$(jq -r 'keys_unsorted | join(",")' <<<"$raw")" = "ociVersion,id,pid,status,bundle,rootfs,created,annotations,owner" ]
	[ "$(jq -r '.annotations | keys_unsorted | join(",")' <<<"$raw")" = "a.first,m.middle,z.last" ]
	# Go's encoding/json escapes < as \u003c
	grep -qF '    "a.first": "x\u003cy",' <<<"$raw"
	[ "$(jq -r '.annotations["a.first"]' <<<"$raw")" = "x<y" ]
}

@test "a state.json longer than one read (20 KB of annotations) is read whole by state and list" {
	big=$(head -c 20000 /dev/zero | tr '\0' x)
	update_config ".process.args = [\"sleep\", \"100\"] | .annotations = {\"big\": \"$big\", \"tail\": \"end\"}"
	oci_rt_bg create "$ID"
	[ "$(stat -c %s "$ROOT/$ID/state.json")" -gt 16384 ]

	raw=$(oci_rt state "$ID")
	[ "$(jq -r .status <<<"$raw")" = created ]
	[ "$(jq -r '.annotations.big | length' <<<"$raw")" -eq 20000 ]
	[ "$(jq -r .annotations.tail <<<"$raw")" = end ]
	run oci_rt list --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r ".[] | select(.id == \"$ID\") | .annotations.tail" <<<"$output")" = end ]
	[ "$(jq -r ".[] | select(.id == \"$ID\") | .status" <<<"$output")" = created ]
}

@test "state of a missing container: exit 1, container does not exist, nothing on stdout" {
	run --separate-stderr oci_rt state "$ID"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^time=\"[0-9T:+-]+Z?\"\ level=error\ msg=\"container\ does\ not\ exist\"$ ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "state of a paused container: status paused, same pid, the init stopped in the kernel; resumed: running" {
	update_config '.process.args = ["sleep", "100"]'
	oci_rt_bg run -d "$ID"
	pid=$(init_pid "$ID")
	oci_rt pause "$ID"

	run --separate-stderr oci_rt state "$ID"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r .status <<<"$output")" = paused ]
	[ "$(jq -r .pid <<<"$output")" -eq "$pid" ]
	# outside: the kernel says the cgroup is frozen (v1 freezer, or
	# cgroup2's "frozen 1")
	if [ -e "$(cgroup_dir_of freezer "$ID")/freezer.state" ]; then
		[ "$(cat "$(cgroup_dir_of freezer "$ID")/freezer.state")" = FROZEN ]
	else
		grep -qx 'frozen 1' "$(cgroup_dir_of unified "$ID")/cgroup.events"
	fi
	oci_rt list --format json | jq -e --arg id "$ID" '.[] | select(.id == $id) | .status == "paused"'

	oci_rt resume "$ID"
	[ "$(status_of "$ID")" = running ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}
