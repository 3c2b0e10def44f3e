#!/usr/bin/env bats
# config.md "capabilities": the five sets of the process, for root and for
# another user, before execve (the init, seen from the host) and after it
# (/proc/self/status inside), what they allow, and the errors.  process.bats
# has the basic cases; these pin down the rest, with runc's results.

load helpers

setup() {
	setup_bundle
	ID=${ID_PREFIX}caps
	update_config '.process.args = ["grep", "^Cap", "/proc/self/status"]'
}

# field NAME TEXT: the value of a /proc/<pid>/status line.
field() {
	sed -n "s/^$1:[[:space:]]*//p" <<<"$2"
}

# caps BND PRM EFF INH AMB (comma-separated names, "" for none): the config.
caps() {
	update_config '.process.capabilities = {"bounding": $b, "permitted": $p, "effective": $e, "inheritable": $i, "ambient": $a}' \
		--argjson b "$(jq -nc '$ARGS.positional' --args ${1//,/ })" \
		--argjson p "$(jq -nc '$ARGS.positional' --args ${2//,/ })" \
		--argjson e "$(jq -nc '$ARGS.positional' --args ${3//,/ })" \
		--argjson i "$(jq -nc '$ARGS.positional' --args ${4//,/ })" \
		--argjson a "$(jq -nc '$ARGS.positional' --args ${5//,/ })"
}

# expect TEXT BND PRM EFF INH AMB: the status text shows these sets.
expect() {
	local text=$1 f want
	shift
	for f in CapBnd CapPrm CapEff CapInh CapAmb; do
		want=$(cap_mask ${1//,/ })
		shift
		[ "$(field $f "$text")" = "$want" ] || { echo "$f: $(field $f "$text"), want $want"; return 1; }
	done
}

@test "no capabilities object: no capability at all, not even in the bounding set (as runc and crun)" {
	update_config 'del(.process.capabilities)'
	update_config '.process.args = ["sh", "-c", "grep ^Cap /proc/self/status; touch /tmp/f; chown 1 /tmp/f || echo chown denied"]'
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	expect "$output" "" "" "" "" ""
	[ "${lines[-1]}" = "chown denied" ]
}

@test "root with noNewPrivileges: the init holds the five sets as configured, and so does the process" {
	caps CAP_CHOWN,CAP_KILL,CAP_NET_RAW,CAP_DAC_OVERRIDE CAP_KILL,CAP_NET_RAW CAP_KILL CAP_NET_RAW CAP_NET_RAW
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	init=$(cat "/proc/$(init_pid "$ID")/status")
	expect "$init" CAP_CHOWN,CAP_KILL,CAP_NET_RAW,CAP_DAC_OVERRIDE CAP_KILL,CAP_NET_RAW CAP_KILL CAP_NET_RAW CAP_NET_RAW
	oci_rt delete -f "$ID"
	# after execve uid 0 gets its permitted set as effective (runc: the same)
	caps CAP_CHOWN,CAP_KILL,CAP_NET_RAW,CAP_DAC_OVERRIDE CAP_KILL,CAP_NET_RAW CAP_KILL,CAP_NET_RAW CAP_NET_RAW CAP_NET_RAW
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	expect "$output" CAP_CHOWN,CAP_KILL,CAP_NET_RAW,CAP_DAC_OVERRIDE CAP_KILL,CAP_NET_RAW CAP_KILL,CAP_NET_RAW CAP_NET_RAW CAP_NET_RAW
	assert_no_leftovers "$ID"
}

@test "root without noNewPrivileges: execve gives uid 0 its bounding and inheritable sets (the kernel's rule, as runc)" {
	update_config '.process.noNewPrivileges = false'
	caps CAP_CHOWN,CAP_KILL,CAP_NET_RAW CAP_KILL CAP_KILL CAP_NET_RAW ""
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	expect "$output" CAP_CHOWN,CAP_KILL,CAP_NET_RAW CAP_CHOWN,CAP_KILL,CAP_NET_RAW CAP_CHOWN,CAP_KILL,CAP_NET_RAW CAP_NET_RAW ""
}

@test "a non-root user: bounding and inheritable as configured, ambient ones permitted and effective, and usable" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	printf 'secret\n' >"$BUNDLE/rootfs/secret"
	chmod 600 "$BUNDLE/rootfs/secret"
	update_config '.process.args = ["sh", "-c", "grep ^Cap /proc/self/status; cat /secret || echo read denied"]'
	caps CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW \
		CAP_DAC_OVERRIDE,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_NET_RAW
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	expect "$output" CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_NET_RAW \
		CAP_DAC_OVERRIDE,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_NET_RAW
	[ "${lines[-1]}" = secret ]
	# without the ambient set the same user can neither keep nor use them
	caps CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW \
		CAP_DAC_OVERRIDE,CAP_NET_RAW ""
	run oci_rt run "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	expect "$output" CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_KILL,CAP_NET_RAW "" "" CAP_DAC_OVERRIDE,CAP_NET_RAW ""
	[ "${lines[-1]}" = "read denied" ]
}

@test "the bounding set binds root too: no CAP_CHOWN, no chown" {
	update_config '.process.args = ["sh", "-c", "touch /tmp/f; chown 1 /tmp/f 2>/dev/null && echo chowned || echo chown denied"]'
	caps CAP_KILL CAP_KILL CAP_KILL "" ""
	run oci_rt run "$ID"
	echo "$output"
	[ "$output" = "chown denied" ]
	caps CAP_KILL,CAP_CHOWN CAP_KILL,CAP_CHOWN CAP_KILL,CAP_CHOWN "" ""
	run oci_rt run "$ID"
	echo "$output"
	[ "$output" = chowned ]
}

@test "capability names are the spec's exact ones: others are an error naming them" {
	for bad in CAP_kill cap_kill KILL CAP_NO_SUCH CAP_KILL_; do
		caps "$bad" "" "" "" ""
		rt_json run "$ID"
		echo "$bad: $RT_RC $RT_MSG"
		[ "$RT_RC" -eq 1 ]
		[ "$RT_MSG" = "run $ID: unknown capability \"$bad\" in process.capabilities.bounding" ]
		assert_no_leftovers "$ID"
	done
}

@test "a capability the runtime does not hold is a clear error naming it, and nothing is left" {
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed to drop a capability from the runtime"
	# oci-rt run without CAP_NET_ADMIN in its own bounding (so permitted) set
	without() {
		RT_RC=0
		setpriv --bounding-set=-net_admin -- "$OCI_RT" --root "$ROOT" --log-format json run "$ID" \
			</dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- 4>&- || RT_RC=$?
		RT_MSG=$(jq -r 'select(.level == "error") | .msg' "$BATS_TEST_TMPDIR/err" | tail -n 1)
		echo "$RT_RC $RT_MSG"
	}
	caps CAP_KILL,CAP_NET_ADMIN CAP_KILL,CAP_NET_ADMIN CAP_KILL "" ""
	without
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: unable to apply caps: CAP_NET_ADMIN in process.capabilities.permitted is not available to oci-rt (not in its own permitted set)" ]
	assert_no_leftovers "$ID"
	# in the bounding set only, it can simply not be there
	caps CAP_KILL,CAP_NET_ADMIN CAP_KILL CAP_KILL "" ""
	without
	[ "$RT_RC" -eq 0 ]
	expect "$(cat "$BATS_TEST_TMPDIR/out")" CAP_KILL CAP_KILL CAP_KILL "" ""
	# inheritable beyond the bounding set
	caps CAP_KILL CAP_KILL CAP_KILL CAP_SYS_TIME ""
	rt_json run "$ID"
	[ "$RT_RC" -eq 1 ]
	[ "$RT_MSG" = "run $ID: unable to apply caps: CAP_SYS_TIME in process.capabilities.inheritable is not in the bounding set" ]
	assert_no_leftovers "$ID"
}

@test "the sets of a non-root user seen from the host, before and after execve" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .process.args = ["sleep", "100"]'
	caps CAP_KILL,CAP_NET_RAW CAP_KILL,CAP_NET_RAW CAP_KILL CAP_NET_RAW ""
	run oci_rt_bg create "$ID"
	[ "$status" -eq 0 ]
	pid=$(init_pid "$ID")
	# set by the init after setuid (PR_SET_KEEPCAPS), before execve
	before=$(cat "/proc/$pid/status")
	[ "$(field Uid "$before")" = "$(printf '1000\t1000\t1000\t1000')" ]
	expect "$before" CAP_KILL,CAP_NET_RAW CAP_KILL,CAP_NET_RAW CAP_KILL CAP_NET_RAW ""
	oci_rt start "$ID"
	wait_for 5 grep -q '^Name:[[:space:]]*sleep' "/proc/$pid/status"
	expect "$(cat "/proc/$pid/status")" CAP_KILL,CAP_NET_RAW "" "" CAP_NET_RAW ""
	oci_rt delete -f "$ID"
	assert_no_leftovers "$ID"
}
