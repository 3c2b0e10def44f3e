#!/usr/bin/env bats
# `events`: --stats prints one stats event in runc's shape (types.Stats,
# ../shared/reference/runc-1.1.5/events-stats-sample.json), --interval
# streams them until the container's cgroup goes; runc's errors.  The
# oom event is checked with the memory hog in cgroups-memory.bats.

load helpers
load cgroup-helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_bundle
	ID=${ID_PREFIX}ev
	EVENTS=
}

teardown() {
	[ -z "$EVENTS" ] || kill "$EVENTS" 2>/dev/null || true
	teardown_containers
}

@test "events --stats: one stats event, runc's keys in runc's order, the container's numbers" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 50}}'
	start_container 'sleep 100 & sleep 100 & while :; do :; done'
	sleep 0.5
	run --separate-stderr oci_rt events --stats "$ID"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# one line, a JSON object
	[ "${#lines[@]}" -eq 1 ]
	ev=$output
	[ "$(jq -r .type <<<"$ev")" = stats ]
	[ "$(jq -r .id <<<"$ev")" = "$ID" ]
	[ "$(jq -c 'keys_unsorted' <<<"$ev")" = '["type","id","data"]' ]
	[ "$(jq -c '.data | keys_unsorted' <<<"$ev")" = '["cpu","cpuset","memory","pids","blkio","hugetlb","intel_rdt","network_interfaces"]' ]
	[ "$(jq -c '.data.cpu | keys_unsorted' <<<"$ev")" = '["usage","throttling"]' ]
	[ "$(jq -c '.data.memory.usage | keys_unsorted' <<<"$ev")" = '["limit","usage","max","failcnt"]' ]
	[ "$(jq -r '.data.network_interfaces' <<<"$ev")" = null ]
	# the numbers are the container's: its limit, its three processes,
	# the CPU it burns
	[ "$(jq -r .data.memory.usage.limit <<<"$ev")" = 67108864 ]
	[ "$(jq -r .data.memory.usage.usage <<<"$ev")" -gt 0 ]
	[ "$(jq -c .data.pids <<<"$ev")" = '{"current":3,"limit":50}' ]
	[ "$(jq -r .data.cpu.usage.total <<<"$ev")" -gt 100000000 ]
	# (cgroup2 without a swap limit: Go's MaxUint64, past bash's integers)
	jq -e '.data.memory.swap.limit > 0' <<<"$ev"
	if [ "$(cg_layout)" = unified ]; then
		grep -o '"swap":{[^}]*}' <<<"$ev" | grep -q '"limit":18446744073709551615'
	fi
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "events --stats of a container without limits: unlimited pids omits the limit, as Go's omitempty does" {
	start_container 'sleep 100'
	run --separate-stderr oci_rt events --stats "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -c .data.pids <<<"$output")" = '{"current":1}' ]
	[ "$(jq -c .data.intel_rdt <<<"$output")" = '{}' ]
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}

@test "events --interval streams stats until the container's cgroup is removed" {
	start_container 'sleep 100'
	timeout 30 "$OCI_RT" --root "$ROOT" events --interval 200ms "$ID" >"$BATS_TEST_TMPDIR/ev" 2>&1 </dev/null 3>&- 4>&- &
	EVENTS=$!
	lines_at_least() { [ "$(grep -c '"type":"stats"' "$BATS_TEST_TMPDIR/ev")" -ge "$1" ]; }
	wait_for 10 lines_at_least 3
	# every line so far is a complete stats event of this container (one
	# jq over a copy: the stream grows meanwhile, faster than a jq per
	# line under the VM lane's emulation)
	head -n 3 "$BATS_TEST_TMPDIR/ev" >"$BATS_TEST_TMPDIR/ev3"
	[ "$(jq -r '.type + " " + .id' "$BATS_TEST_TMPDIR/ev3" | sort | uniq -c | awk '{$1 = $1; print}')" = "3 stats $ID" ]
	oci_rt delete -f "$ID"
	wait_for 10 pid_gone "$EVENTS"
	rc=0
	wait "$EVENTS" || rc=$?
	EVENTS=
	echo "events exited $rc; what it printed besides stats:"
	grep -v '"type":"stats"' "$BATS_TEST_TMPDIR/ev" || true
	[ "$rc" -eq 0 ]
	assert_no_leftovers "$ID"
}

@test "events errors: stopped container, missing container, bad interval" {
	start_container 'true'
	wait_status "$ID" stopped
	rt_json events --stats "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container with id $ID is not running" ]
	[ -z "$RT_OUT" ]
	oci_rt delete "$ID"
	rt_json events "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "container does not exist" ]
	rt_json events --interval 0s "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "duration interval must be greater than 0" ]
	rt_json events --interval five "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = 'invalid value "five" for flag -interval: parse error' ]
	assert_no_leftovers "$ID"
}
